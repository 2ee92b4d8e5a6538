/**
 * The Git part of the workbench: the dbt Git side panel, its diff and
 * commit pages and their commands. Command ids are `dbt-workbench:git-*` and
 * none has a keyboard shortcut, so it coexists with jupyterlab-git.
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

import { WorkbenchModel } from '../model/workbench';
import { can, permissionTitle } from '../permissions';
import { CommandIDs } from '../tokens';
import { fetchCommit, fetchDiff, SyncAction } from './api';
import { splitPath } from './files';
import { GitModel } from './model';
import {
  commitPageId,
  createCommitPage,
  createDiffPage,
  diffPageId,
  GIT_PANEL_ID,
  GitPanel,
  gitIcon
} from './panel';
import type { ICommitDetail, IFileDiff } from './types';

/** The palette category of the workbench commands. */
const CATEGORY = 'dbt Workbench';

/** The side panel's rank: just after the dbt Workbench panel (650). */
const PANEL_RANK = 660;

/** Options of {@link activateGit}. */
export interface IGitOptions {
  app: JupyterFrontEnd;
  shell: ILabShell;
  model: WorkbenchModel;
  palette: ICommandPalette | null;
  restorer: ILayoutRestorer | null;
}

/** Register the dbt Git panel, its pages and commands. */
export function activateGit(options: IGitOptions): void {
  const { app, shell, model, palette, restorer } = options;
  const { commands } = app;
  const git = new GitModel(model);
  const pages = new WidgetTracker<MainAreaWidget>({
    namespace: 'dbt-workbench-git-pages'
  });

  /** Show a page, re-using the open one with the same id. */
  const show = (id: string, create: () => MainAreaWidget): void => {
    const existing = pages.find(widget => widget.id === id);
    if (existing) {
      shell.activateById(existing.id);
      return;
    }
    const widget = create();
    void pages.add(widget);
    shell.add(widget, 'main');
    shell.activateById(widget.id);
  };

  const openWorkingDiff = (
    project: string,
    path: string,
    staged: boolean
  ): void => {
    const id = diffPageId(project, path, staged ? 'staged' : 'worktree');
    const existing = pages.find(widget => widget.id === id);
    // A diff of the working tree changes under it: open it afresh.
    existing?.dispose();
    show(id, () =>
      createDiffPage({
        id,
        path,
        label: `${splitPath(path).name} (${staged ? 'staged' : 'working tree'})`,
        load: () => fetchDiff(project, path, staged),
        reloadable: true
      })
    );
  };

  const openCommitDiff = (
    project: string,
    detail: ICommitDetail,
    file: IFileDiff
  ): void => {
    const id = diffPageId(project, file.path, detail.commit.sha);
    show(id, () =>
      createDiffPage({
        id,
        path: file.path,
        label: `${splitPath(file.path).name} @ ${detail.commit.short}`,
        load: () => Promise.resolve(file),
        reloadable: false
      })
    );
  };

  const openCommit = (project: string, sha: string): void => {
    show(commitPageId(project, sha), () =>
      createCommitPage({
        id: commitPageId(project, sha),
        short: sha.slice(0, 7),
        load: () => fetchCommit(project, sha),
        onOpenDiff: (detail, file) => openCommitDiff(project, detail, file)
      })
    );
  };

  const buildModified = async (): Promise<void> => {
    const run = await git.buildModified();
    if (run) {
      Notification.info(`Started ${run.cli || 'dbt build'}.`, {
        autoClose: 5000
      });
      void commands.execute(CommandIDs.openRun, { id: run.id });
    }
  };

  const panel = new GitPanel(git, {
    openDiff: (project, file, staged) =>
      openWorkingDiff(project, file.path, staged),
    openCommit,
    openNode: (project, uniqueId) =>
      void commands.execute(CommandIDs.openNode, { project, uniqueId }),
    buildModified: () => void buildModified()
  });
  shell.add(panel, 'left', { rank: PANEL_RANK });

  // Coming back to the browser tab: the files may have changed elsewhere.
  window.addEventListener('focus', () => {
    if (panel.isVisible) {
      void git.refresh();
    }
  });

  const hasRepository = (): boolean =>
    git.state === 'ready' && git.activity === null;
  const hasRemote = (): boolean =>
    hasRepository() && (git.status?.repository.remotes.length ?? 0) > 0;
  const mayWrite = (): boolean => can(model.permissions, 'git_write');

  commands.addCommand(CommandIDs.gitOpen, {
    label: 'Show the dbt Git Panel',
    caption: 'Branches, changes, commits and their dbt impact',
    icon: gitIcon,
    execute: () => shell.activateById(GIT_PANEL_ID)
  });

  commands.addCommand(CommandIDs.gitRefresh, {
    label: 'Refresh dbt Git',
    caption: 'Read the repository of the dbt project again',
    execute: () => git.refresh()
  });

  commands.addCommand(CommandIDs.gitOpenDiff, {
    label: args =>
      args.path ? `Open the Diff of ${args.path}` : 'Open a dbt Git Diff',
    execute: args => {
      const project =
        (args.project as string | undefined) ?? git.project ?? null;
      if (project && args.path) {
        openWorkingDiff(project, String(args.path), args.staged === true);
      }
    }
  });

  commands.addCommand(CommandIDs.gitOpenCommit, {
    label: args =>
      args.sha ? `Open Commit ${String(args.sha).slice(0, 7)}` : 'Open Commit',
    execute: args => {
      const project =
        (args.project as string | undefined) ?? git.project ?? null;
      if (project && args.sha) {
        openCommit(project, String(args.sha));
      }
    }
  });

  const syncCommands: [string, SyncAction, string][] = [
    [CommandIDs.gitFetch, 'fetch', 'dbt Git: Fetch'],
    [CommandIDs.gitPull, 'pull', 'dbt Git: Pull'],
    [CommandIDs.gitPush, 'push', 'dbt Git: Push']
  ];
  for (const [id, action, label] of syncCommands) {
    commands.addCommand(id, {
      label,
      caption: () => permissionTitle(model.permissions, 'git_write', label),
      isEnabled: () => hasRemote() && mayWrite(),
      execute: () => git.sync(action)
    });
  }

  commands.addCommand(CommandIDs.gitBuildModified, {
    label: 'dbt Git: Build Modified+',
    caption: () =>
      permissionTitle(
        model.permissions,
        'run_dbt',
        'dbt build -s state:modified+ deferred to the base manifest, for the change the dbt Git panel shows'
      ),
    isEnabled: () => hasRepository() && can(model.permissions, 'run_dbt'),
    execute: () => buildModified()
  });

  git.changed.connect(() => commands.notifyCommandChanged());
  model.permissionsChanged.connect(() => commands.notifyCommandChanged());

  if (palette) {
    for (const command of [
      CommandIDs.gitOpen,
      CommandIDs.gitRefresh,
      CommandIDs.gitFetch,
      CommandIDs.gitPull,
      CommandIDs.gitPush,
      CommandIDs.gitBuildModified
    ]) {
      palette.addItem({ command, category: CATEGORY });
    }
  }
  restorer?.add(panel, GIT_PANEL_ID);
}
