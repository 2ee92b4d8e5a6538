/**
 * The lineage part of the workbench: the Lineage panels, their commands
 * (open, expand, trace a column, export, copy a selector, open a node's
 * file), the node context menu, and the "Show lineage" actions of the side
 * panel and node pages.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ToolbarButton } from '@jupyterlab/ui-components';
import { Menu } from '@lumino/widgets';
import React from 'react';

import { fetchNode } from '../api';
import { serverPath } from '../format';
import type { Direction, Lens } from '../lineage/types';
import { nodeCommands, SelectScope } from '../model/runs';
import { WorkbenchModel } from '../model/workbench';
import { showError } from '../notify';
import type { NodePage } from '../panels/nodePage';
import { CommandIDs, INodeSummary } from '../tokens';
import { lineageIcon } from './icons';
import {
  COPY_SCOPES,
  copySelector,
  CopyScope,
  fileActionLabel,
  ILineageTarget,
  isLens,
  lineagePanelId,
  shortName
} from './model';
import { createLineagePanel, LineagePanel } from './panel';
import { RestLineageSource } from './source';

/** The palette category of the lineage commands. */
const CATEGORY = 'dbt Workbench';

const RUN_SCOPES: SelectScope[] = ['node', 'upstream', 'downstream'];

/** Defaults of the lineage settings. */
const DEFAULT_DEPTH = 1;
const DEFAULT_LENS: Lens = 'resource_type';

/** The label of each way to copy a selector. */
const COPY_LABELS: Record<CopyScope, string> = {
  node: 'The node',
  upstream: 'With upstream (+node)',
  downstream: 'With downstream (node+)',
  both: 'With both (+node+)'
};

/** Options of {@link activateLineage}. */
export interface ILineageOptions {
  app: JupyterFrontEnd;
  shell: ILabShell;
  model: WorkbenchModel;
  palette: ICommandPalette | null;
  restorer: ILayoutRestorer | null;
  settings: ISettingRegistry.ISettings | null;
  languages: IEditorLanguageRegistry | null;
}

/** What the rest of the workbench plugs in. */
export interface ILineageHooks {
  tracker: WidgetTracker<MainAreaWidget<LineagePanel>>;
  /** The "Show lineage" button of a side-panel row. */
  nodeActions: (project: string, node: INodeSummary) => JSX.Element;
  /** Add a "Lineage" button to a node page's toolbar. */
  addNodeToolbar: (widget: MainAreaWidget<NodePage>) => void;
}

/** A node as the menus need it. */
interface IMenuNode {
  unique_id: string;
  name: string;
  resource_type: string;
}

/** Several row-action renderers as one (e.g. the runs' and lineage's). */
export function composeNodeActions(
  ...renderers: Array<(project: string, node: INodeSummary) => React.ReactNode>
): (project: string, node: INodeSummary) => JSX.Element {
  const Actions = (props: {
    project: string;
    node: INodeSummary;
  }): JSX.Element => (
    <>
      {renderers.map((render, index) => (
        <React.Fragment key={index}>
          {render(props.project, props.node)}
        </React.Fragment>
      ))}
    </>
  );
  return (project, node) => <Actions project={project} node={node} />;
}

/** Register the lineage panel, its commands and menus. */
export function activateLineage(options: ILineageOptions): ILineageHooks {
  const { app, shell, model, palette, restorer, settings } = options;
  const { commands } = app;

  const tracker = new WidgetTracker<MainAreaWidget<LineagePanel>>({
    namespace: 'dbt-workbench-lineage'
  });

  const depthSetting = (): number => {
    const value = Number(settings?.get('lineageDepth').composite);
    return Number.isInteger(value) && value >= 1 ? value : DEFAULT_DEPTH;
  };
  const lensSetting = (): Lens => {
    const value = settings?.get('lineageLens').composite;
    return isLens(value) ? value : DEFAULT_LENS;
  };

  const project = (id: string | undefined) =>
    model.projects.find(item => item.id === id);

  /** The panel a command acts on: the one named, or the current one. */
  const panelFor = (args: Record<string, unknown>): LineagePanel | null => {
    const id = args.panel as string | undefined;
    const widget = id
      ? tracker.find(item => item.id === id)
      : tracker.currentWidget;
    return widget?.content ?? null;
  };

  /** What is known of a node: from the panel's graph or the side panel. */
  const menuNode = (uniqueId: string, panel: LineagePanel | null): IMenuNode =>
    panel?.source.node(uniqueId) ??
    model.nodes.find(item => item.unique_id === uniqueId) ?? {
      unique_id: uniqueId,
      name: shortName(uniqueId),
      resource_type: uniqueId.split('.')[0]
    };

  const openLineage = (target: ILineageTarget): void => {
    const id = lineagePanelId(target);
    const existing = tracker.find(widget => widget.id === id);
    if (existing) {
      shell.activateById(existing.id);
      return;
    }
    const source = new RestLineageSource(target.project);
    const widget = createLineagePanel({
      target,
      source,
      projectName: project(target.project)?.name ?? target.project,
      depth: depthSetting(),
      lens: lensSetting(),
      languages: options.languages,
      onOpenNode: uniqueId =>
        void commands.execute(CommandIDs.openNode, {
          project: target.project,
          uniqueId
        }),
      onContextMenu: (panel, uniqueId, event) =>
        openContextMenu(panel, uniqueId, event),
      onError: (error, context) => showError(error, context)
    });
    widget.content.targetChanged.connect(() => void tracker.save(widget));
    void tracker.add(widget);
    shell.add(widget, 'main');
    shell.activateById(widget.id);
  };

  const contextMenu = new Menu({ commands });
  contextMenu.addClass('jp-DbtWorkbench-lineageMenu');
  const copyMenu = new Menu({ commands });
  copyMenu.title.label = 'Copy Selector';

  const openContextMenu = (
    panel: LineagePanel,
    uniqueId: string,
    event: MouseEvent
  ): void => {
    event.preventDefault();
    const widget = tracker.find(item => item.content === panel);
    const node = menuNode(uniqueId, panel);
    const nodeArgs = {
      project: panel.target.project,
      uniqueId,
      name: node.name,
      resourceType: node.resource_type
    };
    contextMenu.clearItems();
    copyMenu.clearItems();
    contextMenu.addItem({ command: CommandIDs.openNode, args: nodeArgs });
    for (const direction of ['upstream', 'downstream']) {
      contextMenu.addItem({
        command: CommandIDs.lineageExpand,
        args: { ...nodeArgs, direction, panel: widget?.id ?? '' }
      });
    }
    const runCommands = nodeCommands(node.resource_type);
    if (runCommands.length > 0) {
      contextMenu.addItem({ type: 'separator' });
      for (const command of runCommands) {
        for (const scope of RUN_SCOPES) {
          contextMenu.addItem({
            command: CommandIDs.runNode,
            args: { ...nodeArgs, command, scope }
          });
        }
      }
    }
    contextMenu.addItem({ type: 'separator' });
    contextMenu.addItem({ command: CommandIDs.openNodeFile, args: nodeArgs });
    for (const scope of COPY_SCOPES) {
      copyMenu.addItem({
        command: CommandIDs.copySelector,
        args: { ...nodeArgs, scope }
      });
    }
    contextMenu.addItem({ type: 'submenu', submenu: copyMenu });
    contextMenu.open(event.clientX, event.clientY);
  };

  /** The node of the side-panel row a context menu was opened on. */
  const treeRowNode = (): string | undefined =>
    app.contextMenuHitTest(element => element.dataset.uniqueId !== undefined)
      ?.dataset.uniqueId;

  commands.addCommand(CommandIDs.openLineage, {
    label: args =>
      args.uniqueId
        ? `Show Lineage of ${shortName(String(args.uniqueId))}`
        : args.treeRow
          ? 'Show Lineage'
          : 'Show dbt Lineage…',
    caption: 'Open the lineage graph of a dbt node or selection',
    icon: lineageIcon,
    execute: async args => {
      const projectId =
        (args.project as string | undefined) ?? model.currentProjectId;
      if (!projectId) {
        return;
      }
      let uniqueId =
        (args.uniqueId as string | undefined) ??
        (args.treeRow ? treeRowNode() : undefined);
      let select = args.select as string | undefined;
      const exclude = (args.exclude as string | undefined) || undefined;
      if (!uniqueId && !select) {
        const answer = await InputDialog.getText({
          title: 'Show dbt lineage',
          label: 'A node name or a dbt selector',
          placeholder: 'fct_orders, +tag:finance…'
        });
        const text = answer.button.accept ? (answer.value ?? '').trim() : '';
        if (!text) {
          return;
        }
        const node = model.nodes.find(
          item => item.unique_id === text || item.name === text
        );
        uniqueId = node?.unique_id;
        select = node ? undefined : text;
      }
      openLineage(
        uniqueId
          ? { project: projectId, uniqueId }
          : { project: projectId, select, exclude }
      );
    }
  });

  commands.addCommand(CommandIDs.lineageExpand, {
    label: args =>
      args.direction === 'upstream' ? 'Show Parents' : 'Show Children',
    caption: args =>
      `Add one more level of ${
        args.direction === 'upstream' ? 'parents' : 'children'
      } to the lineage graph`,
    isEnabled: args => panelFor(args) !== null,
    execute: args => {
      const panel = panelFor(args);
      const uniqueId =
        (args.uniqueId as string | undefined) ?? panel?.view?.selected;
      if (!panel || !uniqueId) {
        return;
      }
      const direction: Direction =
        args.direction === 'upstream' ? 'upstream' : 'downstream';
      return panel.expand(uniqueId, direction);
    }
  });

  commands.addCommand(CommandIDs.lineageTraceColumn, {
    label: 'Trace a Column in the Lineage…',
    caption: 'Show where a column comes from and what reads it',
    isEnabled: args => panelFor(args) !== null,
    execute: async args => {
      const panel = panelFor(args);
      const uniqueId =
        (args.uniqueId as string | undefined) ?? panel?.view?.selected;
      if (!panel || !uniqueId) {
        return;
      }
      let column = args.column as string | undefined;
      if (!column) {
        let names: string[];
        try {
          const lineage = await panel.source.modelColumns(uniqueId);
          names = lineage.columns.map(item => item.name);
        } catch (error) {
          showError(error, `Cannot read the columns of ${shortName(uniqueId)}`);
          return;
        }
        const answer = await InputDialog.getItem({
          title: `Trace a column of ${panel.nameOf(uniqueId)}`,
          items: names,
          editable: true
        });
        column = answer.button.accept ? (answer.value ?? '') : '';
      }
      if (column) {
        await panel.traceColumn(uniqueId, column);
      }
    }
  });

  commands.addCommand(CommandIDs.lineageExport, {
    label: args =>
      `Export the Lineage as ${args.format === 'png' ? 'PNG' : 'SVG'}`,
    caption: 'Download the current lineage view as an image',
    isEnabled: args => panelFor(args) !== null,
    execute: args => {
      const panel = panelFor(args);
      return panel?.exportAs(args.format === 'png' ? 'png' : 'svg');
    }
  });

  commands.addCommand(CommandIDs.copySelector, {
    label: args => {
      const scope = (args.scope as CopyScope | undefined) ?? 'node';
      const uniqueId = args.uniqueId as string | undefined;
      return uniqueId
        ? `${COPY_LABELS[scope]}: ${copySelector(argsNode(args), scope)}`
        : 'Copy dbt Selector';
    },
    caption: 'Copy the dbt selector of the node to the clipboard',
    execute: args => {
      if (!args.uniqueId) {
        return;
      }
      const scope = (args.scope as CopyScope | undefined) ?? 'node';
      Clipboard.copyToSystem(copySelector(argsNode(args), scope));
    }
  });

  commands.addCommand(CommandIDs.openNodeFile, {
    label: args => fileActionLabel(args.resourceType as string | undefined),
    caption: 'Open the file that defines the node',
    execute: async args => {
      const projectId =
        (args.project as string | undefined) ?? model.currentProjectId;
      const uniqueId = args.uniqueId as string | undefined;
      if (!projectId || !uniqueId) {
        return;
      }
      try {
        const node = await fetchNode(projectId, uniqueId);
        const projectPath = project(projectId)?.path ?? projectId;
        await commands.execute('docmanager:open', {
          path: serverPath(projectPath, node.original_file_path)
        });
      } catch (error) {
        showError(error, `Cannot open the file of ${shortName(uniqueId)}`);
      }
    }
  });

  /** The node of a command's `uniqueId`/`name`/`resourceType` arguments. */
  const argsNode = (args: Record<string, unknown>): IMenuNode => {
    const uniqueId = String(args.uniqueId);
    const name = args.name as string | undefined;
    const resourceType = args.resourceType as string | undefined;
    return name && resourceType
      ? { unique_id: uniqueId, name, resource_type: resourceType }
      : menuNode(uniqueId, null);
  };

  // Right-click on a side-panel row, before the run actions.
  app.contextMenu.addItem({
    command: CommandIDs.openLineage,
    args: { treeRow: true },
    selector: '.jp-DbtWorkbench-treeNode[data-unique-id]',
    rank: 15
  });

  if (palette) {
    for (const command of [
      CommandIDs.openLineage,
      CommandIDs.lineageTraceColumn
    ]) {
      palette.addItem({ command, category: CATEGORY });
    }
    for (const format of ['svg', 'png']) {
      palette.addItem({
        command: CommandIDs.lineageExport,
        args: { format },
        category: CATEGORY
      });
    }
  }

  if (restorer) {
    void restorer.restore(tracker, {
      command: CommandIDs.openLineage,
      args: widget => ({ ...widget.content.target }),
      name: widget => widget.id
    });
  }

  const nodeActions = (project: string, node: INodeSummary): JSX.Element => (
    <button
      className="jp-DbtWorkbench-lineageRowButton"
      title={`Show the lineage of ${node.name}`}
      aria-label={`Show lineage of ${node.name}`}
      data-command={CommandIDs.openLineage}
      onClick={event => {
        // The row itself opens the node's page.
        event.stopPropagation();
        openLineage({ project, uniqueId: node.unique_id });
      }}
      onKeyDown={event => event.stopPropagation()}
    >
      <lineageIcon.react
        tag="span"
        className="jp-DbtWorkbench-lineageButtonIcon"
      />
    </button>
  );

  const addNodeToolbar = (widget: MainAreaWidget<NodePage>): void => {
    const page = widget.content;
    widget.toolbar.addItem(
      'dbt-lineage',
      new ToolbarButton({
        icon: lineageIcon,
        label: 'Lineage',
        className: 'jp-DbtWorkbench-nodeLineageButton',
        tooltip: `Show the lineage of ${shortName(page.uniqueId)}`,
        onClick: () =>
          openLineage({ project: page.project, uniqueId: page.uniqueId })
      })
    );
  };

  return { tracker, nodeActions, addNodeToolbar };
}
