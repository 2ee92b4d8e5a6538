import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import {
  IEditorExtensionRegistry,
  IEditorLanguageRegistry
} from '@jupyterlab/codemirror';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { PageConfig } from '@jupyterlab/coreutils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';

import { serverPath } from './format';
import { dbtIcon } from './icons';
import {
  DEFAULT_SETTINGS,
  IWorkbenchSettings,
  WorkbenchModel
} from './model/workbench';
import { createNodePage, NodePage, nodePageId } from './panels/nodePage';
import { createOverview } from './panels/overview';
import { createSidebar } from './panels/sidebar';
import { activateDashboard } from './dashboard/plugin';
import { activateMetadata } from './metadata/plugin';
import { activateLineage, composeNodeActions } from './lineagePanel/plugin';
import { activateRuns } from './runs/plugin';
import { activateSearch } from './search/plugin';
import { activateSql } from './sql/plugin';
import { activateSchedules } from './schedules/plugin';
import { activateGit } from './git/plugin';
import { activateAudit } from './audit/plugin';
import {
  CommandIDs,
  GROUP_BY_OPTIONS,
  GroupBy,
  INodeDetail,
  OVERVIEW_ID,
  PLUGIN_ID,
  SIDEBAR_ID
} from './tokens';

/** The palette category of every command. */
const CATEGORY = 'dbt Workbench';

/** Read the user settings, falling back to the defaults for bad values. */
function readSettings(
  settings: ISettingRegistry.ISettings
): IWorkbenchSettings {
  const groupBy = settings.get('groupBy').composite as GroupBy;
  const interval = Number(settings.get('refreshInterval').composite);
  return {
    groupBy: GROUP_BY_OPTIONS.some(option => option.value === groupBy)
      ? groupBy
      : DEFAULT_SETTINGS.groupBy,
    refreshInterval: Number.isFinite(interval)
      ? Math.max(2, interval)
      : DEFAULT_SETTINGS.refreshInterval,
    showTests: settings.get('showTests').composite === true
  };
}

/**
 * The dbt Workbench: a side panel with the project's nodes, node pages, an
 * overview page, commands, a launcher card and settings.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'A dbt workbench inside JupyterLab.',
  autoStart: true,
  requires: [ILabShell, IRenderMimeRegistry],
  optional: [
    ICommandPalette,
    ILauncher,
    ISettingRegistry,
    ILayoutRestorer,
    IEditorLanguageRegistry,
    IStatusBar,
    IEditorExtensionRegistry,
    IDefaultFileBrowser
  ],
  activate: async (
    app: JupyterFrontEnd,
    shell: ILabShell,
    rendermime: IRenderMimeRegistry,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    settingRegistry: ISettingRegistry | null,
    restorer: ILayoutRestorer | null,
    languages: IEditorLanguageRegistry | null,
    statusBar: IStatusBar | null,
    editorExtensions: IEditorExtensionRegistry | null,
    fileBrowser: IDefaultFileBrowser | null
  ): Promise<void> => {
    const { commands } = app;

    let settings: ISettingRegistry.ISettings | null = null;
    if (settingRegistry) {
      try {
        settings = await settingRegistry.load(PLUGIN_ID);
      } catch (error) {
        console.warn('dbt Workbench: cannot load settings', error);
      }
    }
    const model = new WorkbenchModel(
      settings ? readSettings(settings) : DEFAULT_SETTINGS
    );
    settings?.changed.connect(() => {
      if (settings) {
        model.updateSettings(readSettings(settings));
      }
    });

    const nodePages = new WidgetTracker<MainAreaWidget<NodePage>>({
      namespace: 'dbt-workbench-node'
    });
    const overviews = new WidgetTracker<MainAreaWidget>({
      namespace: 'dbt-workbench-overview'
    });

    const openFile = (project: string, node: INodeDetail): void => {
      const projectPath =
        model.projects.find(p => p.id === project)?.path ?? project;
      void commands.execute('docmanager:open', {
        path: serverPath(projectPath, node.original_file_path)
      });
    };

    const runs = activateRuns({
      app,
      shell,
      model,
      palette,
      restorer,
      statusBar,
      openNode: (project, uniqueId) => openNode(project, uniqueId)
    });

    const metadata = activateMetadata({ app, model });

    const dashboard = activateDashboard({
      app,
      shell,
      model,
      palette,
      launcher,
      restorer,
      openNode: (project, uniqueId) => openNode(project, uniqueId)
    });

    const search = activateSearch({
      app,
      shell,
      model,
      palette,
      restorer,
      openNode: (project, uniqueId) => openNode(project, uniqueId)
    });

    const schedules = activateSchedules({
      app,
      shell,
      model,
      palette,
      launcher,
      restorer
    });

    activateSql({
      app,
      shell,
      model,
      palette,
      launcher,
      restorer,
      settings,
      languages,
      extensions: editorExtensions,
      fileBrowser
    });

    const lineage = activateLineage({
      app,
      shell,
      model,
      palette,
      restorer,
      settings,
      languages
    });

    const openNode = (project: string, uniqueId: string): void => {
      const id = nodePageId(project, uniqueId);
      const existing = nodePages.find(widget => widget.id === id);
      if (existing) {
        shell.activateById(existing.id);
        return;
      }
      const widget = createNodePage({
        project,
        uniqueId,
        model,
        rendermime,
        languages,
        onOpenNode: openNode,
        onOpenFile: openFile
      });
      runs.addNodeToolbar(widget);
      lineage.addNodeToolbar(widget);
      metadata.addNodeToolbar(widget);
      void nodePages.add(widget);
      shell.add(widget, 'main');
      shell.activateById(widget.id);
    };

    const sidebar = createSidebar({
      model,
      onOpen: (project, node) => openNode(project, node.unique_id),
      onGroupByChange: groupBy => {
        if (settings) {
          void settings.set('groupBy', groupBy);
        } else {
          model.updateSettings({ groupBy });
        }
      },
      onRefresh: () => void commands.execute(CommandIDs.refresh),
      onOverview: () => void commands.execute(CommandIDs.openOverview),
      nodeActions: composeNodeActions(runs.nodeActions, lineage.nodeActions),
      searchBox: search.searchBox
    });
    schedules.addSidebarButton(sidebar);
    shell.add(sidebar, 'left', { rank: 650 });

    activateGit({ app, shell, model, palette, restorer });

    activateAudit({ app, shell, model, palette, launcher, restorer });

    commands.addCommand(CommandIDs.openSidebar, {
      label: 'Show the dbt Workbench Panel',
      icon: dbtIcon,
      execute: () => shell.activateById(SIDEBAR_ID)
    });

    commands.addCommand(CommandIDs.openNode, {
      label: args =>
        args.uniqueId ? `Open dbt Node ${args.uniqueId}` : 'Open dbt Node…',
      caption: 'Open the page of a dbt model, source, seed, snapshot…',
      icon: dbtIcon,
      execute: async args => {
        const project =
          (args.project as string | undefined) ?? model.currentProjectId;
        let uniqueId = args.uniqueId as string | undefined;
        if (!project) {
          return;
        }
        if (!uniqueId) {
          const answer = await InputDialog.getItem({
            title: 'Open dbt node',
            items: model.nodes.map(node => node.unique_id),
            editable: true
          });
          uniqueId = answer.button.accept ? (answer.value ?? '') : '';
        }
        if (uniqueId) {
          openNode(project, uniqueId);
        }
      }
    });

    commands.addCommand(CommandIDs.openOverview, {
      label: args => (args.isLauncher ? 'dbt Workbench' : 'Open dbt Overview'),
      caption: 'Projects, artifacts and snapshot history',
      icon: dbtIcon,
      execute: () => {
        const existing = overviews.find(widget => widget.id === OVERVIEW_ID);
        if (existing) {
          shell.activateById(existing.id);
          return;
        }
        const widget = createOverview(model);
        dashboard.addOverviewToolbar(widget);
        void overviews.add(widget);
        shell.add(widget, 'main');
        shell.activateById(widget.id);
      }
    });

    commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh dbt Projects',
      caption: 'Look for dbt projects again and reload their nodes',
      execute: () => model.rescan()
    });

    commands.addCommand(CommandIDs.reloadArtifacts, {
      label: 'Reload dbt Artifacts',
      caption: "Reload the current project's manifest, catalog and results now",
      isEnabled: () => model.currentProjectId !== null,
      execute: () => model.reloadArtifacts()
    });

    if (palette) {
      for (const command of [
        CommandIDs.openSidebar,
        CommandIDs.openNode,
        CommandIDs.openOverview,
        CommandIDs.refresh,
        CommandIDs.reloadArtifacts
      ]) {
        palette.addItem({ command, category: CATEGORY });
      }
    }

    launcher?.add({
      command: CommandIDs.openOverview,
      category: 'Other',
      args: { isLauncher: true }
    });

    if (restorer) {
      restorer.add(sidebar, SIDEBAR_ID);
      void restorer.restore(nodePages, {
        command: CommandIDs.openNode,
        args: widget => ({
          project: widget.content.project,
          uniqueId: widget.content.uniqueId
        }),
        name: widget => widget.id
      });
      void restorer.restore(overviews, {
        command: CommandIDs.openOverview,
        name: () => OVERVIEW_ID
      });
    }

    // `jupyter dbt-workbench demo` starts the server with open_on_start, which
    // the server passes through the page config: show the workbench at once.
    if (PageConfig.getOption('dbtWorkbenchOpenOnStart') === 'true') {
      void app.restored.then(() => {
        shell.activateById(SIDEBAR_ID);
        void commands.execute(CommandIDs.openOverview);
      });
    }
  }
};

export default plugin;
