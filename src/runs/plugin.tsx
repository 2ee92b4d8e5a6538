/**
 * The runs part of the workbench: commands to run dbt, the run history and
 * run pages, node actions for the side panel and node pages, the status-bar
 * item and the end-of-run notifications.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Menu } from '@lumino/widgets';
import React from 'react';

import { RunNodeButtons } from '../components/RunNodeButtons';
import { RunStatusItem } from '../components/RunStatusItem';
import { dbtIcon } from '../icons';
import {
  actionLabel,
  commandLine,
  endNotice,
  nodeCommands,
  nodeSelector,
  normalizeCli,
  scopedSelector,
  SelectScope
} from '../model/runs';
import { WorkbenchModel } from '../model/workbench';
import { showError } from '../notify';
import { can, deniedText, permissionTitle } from '../permissions';
import {
  createRunPage,
  createRunsPanel,
  RunPage,
  runPageId
} from '../panels/runs';
import type { NodePage } from '../panels/nodePage';
import {
  CommandIDs,
  INodeSummary,
  IRunArgs,
  IRunSummary,
  RUNS_ID,
  RunSubmission
} from '../tokens';
import { RunsTracker } from './tracker';

/** The palette category of the run commands. */
const CATEGORY = 'dbt Workbench';

/** The id of the status-bar item. */
const STATUS_ITEM_ID = 'jupyterlab-dbt-workbench:runs-status';

/** The commands node actions offer, in menu order. */
const NODE_ACTION_COMMANDS = ['run', 'seed', 'snapshot', 'build', 'test'];
const SCOPES: SelectScope[] = ['node', 'upstream', 'downstream'];

/** How long a notification stays, by kind (ms); failures stay longer. */
const NOTICE_MS = { success: 6000, warning: 12000, error: 20000, info: 6000 };

/** A node as the run actions need it. */
interface IActionNode {
  unique_id: string;
  name: string;
  resource_type: string;
}

/** Options of {@link activateRuns}. */
export interface IRunsOptions {
  app: JupyterFrontEnd;
  shell: ILabShell;
  model: WorkbenchModel;
  palette: ICommandPalette | null;
  restorer: ILayoutRestorer | null;
  statusBar: IStatusBar | null;
  openNode: (project: string, uniqueId: string) => void;
}

/** What the rest of the workbench plugs in. */
export interface IRunsHooks {
  tracker: RunsTracker;
  /** The Run / Build / Test buttons of a side-panel row. */
  nodeActions: (project: string, node: INodeSummary) => JSX.Element | null;
  /** Add the run toolbar to a node page once its node has loaded. */
  addNodeToolbar: (widget: MainAreaWidget<NodePage>) => void;
}

/** Register the run commands, pages, status item and notifications. */
export function activateRuns(options: IRunsOptions): IRunsHooks {
  const { app, shell, model, palette, restorer, statusBar } = options;
  const { commands } = app;

  const mayRun = (): boolean => can(model.permissions, 'run_dbt');
  /** A command's caption, or why the role cannot use it. */
  const runCaption = (caption: string): string =>
    permissionTitle(model.permissions, 'run_dbt', caption);
  model.permissionsChanged.connect(() => commands.notifyCommandChanged());
  /**
   * Buttons outside this module (e.g. the run history's "New run") call
   * the commands whatever their state: say no before asking for input.
   */
  const refused = (): boolean => {
    if (mayRun()) {
      return false;
    }
    Notification.warning(deniedText(model.permissions, 'run_dbt'), {
      autoClose: 6000
    });
    return true;
  };

  const tracker = new RunsTracker({
    onEnded: run => notifyEnd(run)
  });

  const runPages = new WidgetTracker<MainAreaWidget<RunPage>>({
    namespace: 'dbt-workbench-run'
  });
  const runsPanels = new WidgetTracker<MainAreaWidget>({
    namespace: 'dbt-workbench-runs'
  });

  const openRun = (id: string): void => {
    const existing = runPages.find(widget => widget.id === runPageId(id));
    if (existing) {
      shell.activateById(existing.id);
      return;
    }
    const widget = createRunPage({
      runId: id,
      tracker,
      actions: {
        cancel: runId => tracker.cancel(runId),
        retry: runId => tracker.retry(runId),
        rerun: runId => tracker.rerun(runId)
      },
      onOpenNode: options.openNode,
      onOpenRun: openRun,
      projectLabel: id => model.projects.find(p => p.id === id)?.name ?? id,
      runDenied: () => permissionTitle(model.permissions, 'run_dbt')
    });
    void runPages.add(widget);
    shell.add(widget, 'main');
    shell.activateById(widget.id);
  };

  const notifyEnd = (run: IRunSummary): void => {
    // The run swapped new artifacts in: show the new statuses at once.
    void model.refresh();
    const notice = endNotice(run);
    Notification.emit(notice.message, notice.type, {
      autoClose: NOTICE_MS[notice.type],
      actions: [
        {
          label: 'Open run',
          caption: `Open the page of run ${run.id}`,
          callback: () => openRun(run.id)
        }
      ]
    });
  };

  /** Start a run; opens its page unless told not to. */
  const submit = async (
    body: RunSubmission,
    open = true
  ): Promise<IRunSummary | undefined> => {
    if (refused()) {
      return undefined;
    }
    try {
      const run = await tracker.submit(body);
      if (open) {
        openRun(run.id);
      }
      return run;
    } catch (error) {
      showError(error, 'Cannot start the dbt run');
      return undefined;
    }
  };

  const runNode = (
    project: string | null,
    node: IActionNode,
    command: string,
    scope: SelectScope
  ): Promise<IRunSummary | undefined> =>
    submit({
      project,
      command,
      select: [scopedSelector(nodeSelector(node), scope)]
    });

  /** The node a context menu was opened on, from the tree row's data. */
  const contextNode = (): IActionNode | null => {
    const row = app.contextMenuHitTest(
      element => element.dataset.uniqueId !== undefined
    );
    const uniqueId = row?.dataset.uniqueId;
    if (!row || !uniqueId) {
      return null;
    }
    return nodeFromId(uniqueId, row.dataset.resourceType);
  };

  /** A node by unique id, from the side panel's list when it is there. */
  const nodeFromId = (uniqueId: string, resourceType?: string): IActionNode => {
    const known = model.nodes.find(node => node.unique_id === uniqueId);
    if (known) {
      return known;
    }
    const parts = uniqueId.split('.');
    return {
      unique_id: uniqueId,
      name: parts[parts.length - 1],
      resource_type: resourceType ?? parts[0]
    };
  };

  /** The node named by a command's arguments, or the context menu's. */
  const argsNode = (args: Record<string, unknown>): IActionNode | null => {
    const uniqueId = args.uniqueId as string | undefined;
    if (!uniqueId) {
      return contextNode();
    }
    const name = args.name as string | undefined;
    const resourceType = args.resourceType as string | undefined;
    return name && resourceType
      ? { unique_id: uniqueId, name, resource_type: resourceType }
      : nodeFromId(uniqueId, resourceType);
  };

  commands.addCommand(CommandIDs.run, {
    label: args =>
      args.command
        ? `dbt ${commandLine(String(args.command), (args.select as string[]) ?? [])}`
        : 'Run dbt',
    caption: () => runCaption('Run a dbt command with a node selection'),
    icon: dbtIcon,
    isEnabled: mayRun,
    execute: args => {
      const { project, command, select, exclude, open } =
        args as unknown as IRunArgs;
      if (!command) {
        return commands.execute(CommandIDs.runCli, {
          project: project ?? null
        });
      }
      return submit(
        {
          project: project ?? model.currentProjectId,
          command,
          select: select ?? [],
          exclude: exclude ?? []
        },
        open !== false
      );
    }
  });

  commands.addCommand(CommandIDs.runCli, {
    label: 'Run a dbt Command…',
    caption: () => runCaption('Type a dbt command line, e.g. build -s orders+'),
    icon: dbtIcon,
    isEnabled: mayRun,
    execute: async args => {
      if (refused()) {
        return;
      }
      const project =
        (args.project as string | null | undefined) ?? model.currentProjectId;
      let cli = args.cli as string | undefined;
      if (cli === undefined) {
        const name = model.projects.find(p => p.id === project)?.name;
        const answer = await InputDialog.getText({
          title: name ? `Run dbt in ${name}` : 'Run dbt',
          label: 'dbt',
          placeholder: 'build -s orders+ --exclude tag:slow',
          okLabel: 'Run'
        });
        if (!answer.button.accept) {
          return;
        }
        cli = answer.value ?? '';
      }
      const line = normalizeCli(cli);
      if (!line) {
        return;
      }
      return submit({ project, cli: line });
    }
  });

  commands.addCommand(CommandIDs.runNode, {
    label: args =>
      actionLabel(
        String(args.command ?? 'run'),
        (args.scope as SelectScope | undefined) ?? 'node'
      ),
    caption: args => {
      const node = argsNode(args);
      const command = String(args.command ?? 'run');
      const scope = (args.scope as SelectScope | undefined) ?? 'node';
      return runCaption(
        node
          ? `dbt ${command} -s ${scopedSelector(nodeSelector(node), scope)}`
          : `dbt ${command}`
      );
    },
    isEnabled: mayRun,
    isVisible: args => {
      const node = argsNode(args);
      return (
        node !== null &&
        nodeCommands(node.resource_type).includes(String(args.command))
      );
    },
    execute: args => {
      const node = argsNode(args);
      if (!node) {
        return;
      }
      const project =
        (args.project as string | undefined) ?? model.currentProjectId;
      return runNode(
        project,
        node,
        String(args.command ?? 'run'),
        (args.scope as SelectScope | undefined) ?? 'node'
      );
    }
  });

  commands.addCommand(CommandIDs.openRuns, {
    label: 'Open dbt Runs',
    caption: 'The history of dbt runs, with filters',
    icon: dbtIcon,
    execute: () => {
      const existing = runsPanels.find(widget => widget.id === RUNS_ID);
      if (existing) {
        shell.activateById(existing.id);
        return;
      }
      const widget = createRunsPanel({
        model,
        tracker,
        onOpenRun: openRun,
        onNewRun: () => void commands.execute(CommandIDs.runCli)
      });
      void runsPanels.add(widget);
      shell.add(widget, 'main');
      shell.activateById(widget.id);
    }
  });

  commands.addCommand(CommandIDs.openRun, {
    label: args => (args.id ? `Open dbt Run ${args.id}` : 'Open dbt Run'),
    execute: args => {
      if (args.id) {
        openRun(String(args.id));
      }
    }
  });

  // Right-click on a side-panel row: every action that fits its type.
  let rank = 0;
  for (const command of NODE_ACTION_COMMANDS) {
    for (const scope of SCOPES) {
      app.contextMenu.addItem({
        command: CommandIDs.runNode,
        args: { command, scope },
        selector: '.jp-DbtWorkbench-treeNode[data-unique-id]',
        rank: 20 + rank++ / 100
      });
    }
  }

  // The "..." button's menu: the same actions for an explicit node.
  const nodeMenu = new Menu({ commands });
  nodeMenu.addClass('jp-DbtWorkbench-runMenu');
  const openNodeMenu = (
    project: string,
    node: IActionNode,
    anchor: HTMLElement
  ): void => {
    nodeMenu.clearItems();
    for (const command of nodeCommands(node.resource_type)) {
      for (const scope of SCOPES) {
        nodeMenu.addItem({
          command: CommandIDs.runNode,
          args: {
            project,
            uniqueId: node.unique_id,
            name: node.name,
            resourceType: node.resource_type,
            command,
            scope
          }
        });
      }
    }
    const box = anchor.getBoundingClientRect();
    nodeMenu.open(box.left, box.bottom);
  };

  const buttons = (
    project: string,
    node: IActionNode,
    compact: boolean
  ): JSX.Element => (
    // The permissions may arrive after a row or a node page rendered.
    <UseSignal signal={model.permissionsChanged}>
      {() => (
        <RunNodeButtons
          node={node}
          compact={compact}
          disabledTitle={
            mayRun() ? undefined : permissionTitle(model.permissions, 'run_dbt')
          }
          onRun={command => void runNode(project, node, command, 'node')}
          onMenu={event => openNodeMenu(project, node, event.currentTarget)}
        />
      )}
    </UseSignal>
  );

  const addNodeToolbar = (widget: MainAreaWidget<NodePage>): void => {
    const page = widget.content;
    let added = false;
    page.loaded.connect((_, node) => {
      if (added || nodeCommands(node.resource_type).length === 0) {
        return;
      }
      added = true;
      const item = ReactWidget.create(buttons(page.project, node, false));
      item.addClass('jp-DbtWorkbench-nodeRunToolbar');
      widget.toolbar.addItem('dbt-run', item);
    });
  };

  if (statusBar) {
    const item = ReactWidget.create(
      <RunStatusItem tracker={tracker} onOpenRun={openRun} />
    );
    statusBar.registerStatusItem(STATUS_ITEM_ID, {
      item,
      align: 'left',
      rank: 5,
      isActive: () => tracker.active.length > 0,
      activeStateChanged: tracker.activeChanged
    });
  }

  if (palette) {
    for (const command of [CommandIDs.runCli, CommandIDs.openRuns]) {
      palette.addItem({ command, category: CATEGORY });
    }
  }

  if (restorer) {
    void restorer.restore(runPages, {
      command: CommandIDs.openRun,
      args: widget => ({ id: widget.content.runId }),
      name: widget => widget.id
    });
    void restorer.restore(runsPanels, {
      command: CommandIDs.openRuns,
      name: () => RUNS_ID
    });
  }

  return {
    tracker,
    nodeActions: (project, node) => buttons(project, node, true),
    addNodeToolbar
  };
}
