/**
 * The project health dashboard: its command, palette and launcher entries,
 * layout restoration, and a button opening it from the overview page.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  ToolbarButton,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';

import { dbtIcon } from '../icons';
import { WorkbenchModel } from '../model/workbench';
import { createDashboard } from '../panels/dashboard';
import { CommandIDs, DASHBOARD_ID } from '../tokens';

/** The palette category of the workbench commands. */
const CATEGORY = 'dbt Workbench';

/** Options of {@link activateDashboard}. */
export interface IDashboardOptions {
  app: JupyterFrontEnd;
  shell: ILabShell;
  model: WorkbenchModel;
  palette: ICommandPalette | null;
  launcher: ILauncher | null;
  restorer: ILayoutRestorer | null;
  openNode: (project: string, uniqueId: string) => void;
}

/** What the rest of the workbench plugs in. */
export interface IDashboardHooks {
  /** Add an "Project health" button to the overview page's toolbar. */
  addOverviewToolbar: (widget: MainAreaWidget) => void;
}

/** Register the dashboard command, its launcher card and its restoration. */
export function activateDashboard(options: IDashboardOptions): IDashboardHooks {
  const { app, shell, model, palette, launcher, restorer } = options;
  const { commands } = app;
  const tracker = new WidgetTracker<MainAreaWidget>({
    namespace: 'dbt-workbench-dashboard'
  });

  commands.addCommand(CommandIDs.openDashboard, {
    label: args =>
      args.isLauncher ? 'dbt Project Health' : 'Open dbt Project Health',
    caption:
      'Counts, last run, failing tests, stale sources, slowest models and coverage',
    icon: dbtIcon,
    execute: () => {
      const existing = tracker.find(widget => widget.id === DASHBOARD_ID);
      if (existing) {
        shell.activateById(existing.id);
        return;
      }
      const widget = createDashboard({
        model,
        onOpenNode: options.openNode,
        onOpenRun: id => void commands.execute(CommandIDs.openRun, { id })
      });
      void tracker.add(widget);
      shell.add(widget, 'main');
      shell.activateById(widget.id);
    }
  });

  palette?.addItem({ command: CommandIDs.openDashboard, category: CATEGORY });
  launcher?.add({
    command: CommandIDs.openDashboard,
    category: 'Other',
    args: { isLauncher: true }
  });
  if (restorer) {
    void restorer.restore(tracker, {
      command: CommandIDs.openDashboard,
      name: () => DASHBOARD_ID
    });
  }

  return {
    addOverviewToolbar: widget => {
      widget.toolbar.addItem(
        'dbt-project-health',
        new ToolbarButton({
          icon: dbtIcon,
          label: 'Project health',
          tooltip: 'Open the project health dashboard',
          className: 'jp-DbtWorkbench-openDashboard',
          onClick: () => void commands.execute(CommandIDs.openDashboard)
        })
      );
    }
  };
}
