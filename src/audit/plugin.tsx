/**
 * The audit log part of the workbench: the Audit log panel, its command,
 * palette and launcher entries, and its restoration.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { LabIcon, ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { WorkbenchModel } from '../model/workbench';
import { errorMessage } from '../notify';
import { saveBlob } from '../request';
import { CommandIDs } from '../tokens';
import { fetchAuditExport } from './api';
import { AuditView } from './AuditView';
import type { AuditExportFormat, IAuditFilters } from './types';

/** The palette category of the workbench commands. */
const CATEGORY = 'dbt Workbench';

/** The id of the Audit log main-area widget. */
export const AUDIT_ID = 'dbt-workbench-audit';

/** A list with a check mark; `jp-icon3` lets the theme colour it. */
export const auditIcon = new LabIcon({
  name: 'dbt-workbench:audit',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M3 5h12v2H3zm0 4h12v2H3zm0 4h8v2H3zm0 4h8v2H3zm11.6.2 1.4-1.4 2 2 4-4 1.4 1.4-5.4 5.4z"/>' +
    '</svg>'
});

/** Options of {@link activateAudit}. */
export interface IAuditOptions {
  app: JupyterFrontEnd;
  shell: ILabShell;
  model: WorkbenchModel;
  palette: ICommandPalette | null;
  launcher: ILauncher | null;
  restorer: ILayoutRestorer | null;
}

/** Download the entries matching `filters`, telling the user if it fails. */
async function exportAudit(
  filters: IAuditFilters,
  format: AuditExportFormat
): Promise<void> {
  try {
    const { blob, name } = await fetchAuditExport(filters, format);
    saveBlob(blob, name);
  } catch (error) {
    Notification.error(`Cannot export the audit log: ${errorMessage(error)}`, {
      autoClose: 15000
    });
  }
}

/** Register the Audit log command, panel and restoration. */
export function activateAudit(options: IAuditOptions): void {
  const { app, shell, model, palette, launcher, restorer } = options;
  const { commands } = app;
  const panels = new WidgetTracker<MainAreaWidget>({
    namespace: 'dbt-workbench-audit'
  });

  commands.addCommand(CommandIDs.openAudit, {
    label: args => (args.isLauncher ? 'dbt Audit Log' : 'Open dbt Audit Log'),
    caption:
      'Who made which write through the workbench (git, runs, schedules, metadata, SQL), and when',
    icon: auditIcon,
    execute: () => {
      const existing = panels.find(widget => widget.id === AUDIT_ID);
      if (existing) {
        shell.activateById(existing.id);
        return;
      }
      const content = ReactWidget.create(
        <AuditView workbench={model} onExport={exportAudit} />
      );
      content.addClass('jp-DbtWorkbench-auditPanel');
      const widget = new MainAreaWidget({ content });
      widget.id = AUDIT_ID;
      widget.title.label = 'dbt Audit Log';
      widget.title.icon = auditIcon;
      widget.title.closable = true;
      void panels.add(widget);
      shell.add(widget, 'main');
      shell.activateById(widget.id);
    }
  });

  palette?.addItem({ command: CommandIDs.openAudit, category: CATEGORY });
  launcher?.add({
    command: CommandIDs.openAudit,
    category: 'Other',
    args: { isLauncher: true }
  });
  if (restorer) {
    void restorer.restore(panels, {
      command: CommandIDs.openAudit,
      name: () => AUDIT_ID
    });
  }
}
