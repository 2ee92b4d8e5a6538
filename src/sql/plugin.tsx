/**
 * The SQL workspace part of the workbench: "SQL Workspace" tabs (commands,
 * launcher card, palette, layout restoration), the run/cancel shortcuts,
 * "Open in SQL Workspace" on .sql files, exports and the DataFrame notebook.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import {
  CodeMirrorEditorFactory,
  IEditorExtensionRegistry,
  IEditorLanguageRegistry
} from '@jupyterlab/codemirror';
import { PathExt } from '@jupyterlab/coreutils';
import type { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { UUID } from '@lumino/coreutils';

import { dbtIcon } from '../icons';
import { WorkbenchModel } from '../model/workbench';
import { showError } from '../notify';
import { CommandIDs } from '../tokens';
import { fetchCompletions, fetchExport } from './api';
import { saveBlob } from '../request';
import {
  dataFrameCell,
  dataFrameNotebook,
  LOAD_MAGICS_CELL,
  projectForPath
} from './notebook';
import { createSqlWidget, SqlPanel } from './panel';
import type { ExportFormat, ISqlCompletions } from './types';

/** The palette category of the SQL commands. */
const CATEGORY = 'dbt Workbench';

/** Defaults of the SQL settings (schema/plugin.json). */
const DEFAULT_ROW_LIMIT = 10000;
const DEFAULT_TIMEOUT = 60;

/** Wait after the last edit before saving a tab's text for restoration (ms). */
const SAVE_DELAY_MS = 1000;

/** Options of {@link activateSql}. */
export interface ISqlOptions {
  app: JupyterFrontEnd;
  shell: ILabShell;
  model: WorkbenchModel;
  palette: ICommandPalette | null;
  launcher: ILauncher | null;
  restorer: ILayoutRestorer | null;
  settings: ISettingRegistry.ISettings | null;
  languages: IEditorLanguageRegistry | null;
  extensions: IEditorExtensionRegistry | null;
  fileBrowser: IDefaultFileBrowser | null;
}

/** What the rest of the workbench can use. */
export interface ISqlHooks {
  tracker: WidgetTracker<MainAreaWidget<SqlPanel>>;
}

/** The arguments of the open-sql command. */
interface IOpenSqlArgs {
  project?: string;
  path?: string;
  sql?: string;
  /** Restoration: the tab's id and title. */
  id?: string;
  title?: string;
}

/** Register the SQL workspace commands, menus and launcher card. */
export function activateSql(options: ISqlOptions): ISqlHooks {
  const { app, shell, model, palette, launcher, restorer, settings } = options;
  const { commands } = app;

  const tracker = new WidgetTracker<MainAreaWidget<SqlPanel>>({
    namespace: 'dbt-workbench-sql'
  });
  const factory = new CodeMirrorEditorFactory({
    extensions: options.extensions ?? undefined,
    languages: options.languages ?? undefined
  });

  const numberSetting = (key: string, fallback: number): number => {
    const value = Number(settings?.get(key).composite);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };

  // Completion names per project, dropped when the project's artifacts
  // change (its snapshot version moves).
  const completionCache = new Map<
    string,
    { version: number | null; data: ISqlCompletions | null }
  >();
  const completions = (project: string | null): ISqlCompletions | null => {
    if (!project) {
      return null;
    }
    const version =
      model.projects.find(item => item.id === project)?.version ?? null;
    const cached = completionCache.get(project);
    if (cached && cached.version === version) {
      return cached.data;
    }
    const entry: { version: number | null; data: ISqlCompletions | null } = {
      version,
      data: cached?.data ?? null
    };
    completionCache.set(project, entry);
    fetchCompletions(project)
      .then(data => {
        entry.data = data;
      })
      .catch(error => {
        // Retry on the next request for this project.
        completionCache.delete(project);
        console.warn('dbt Workbench: cannot load SQL completions', error);
      });
    return entry.data;
  };

  const exportResult = async (
    panel: SqlPanel,
    format: ExportFormat
  ): Promise<void> => {
    const query = panel.model.session.query;
    if (!query || query.status !== 'success') {
      return;
    }
    try {
      const { blob, name } = await fetchExport(query.id, format);
      saveBlob(blob, name);
    } catch (error) {
      showError(error, `Cannot export the result as ${format.toUpperCase()}`);
    }
  };

  const openDataFrame = async (panel: SqlPanel): Promise<void> => {
    const project = model.projects.find(
      item => item.id === panel.model.project
    );
    const sql = panel.editor.runText().text;
    if (!sql.trim()) {
      return;
    }
    try {
      const { contents, kernelspecs } = app.serviceManager;
      await kernelspecs.ready;
      const specs = kernelspecs.specs;
      const spec = specs?.kernelspecs[specs.default] ?? null;
      const file = await contents.newUntitled({ path: '', type: 'notebook' });
      await contents.save(file.path, {
        type: 'notebook',
        format: 'json',
        content: dataFrameNotebook(
          [LOAD_MAGICS_CELL, dataFrameCell(sql, project?.path ?? null)],
          spec ? { name: spec.name, display_name: spec.display_name } : null
        )
      });
      await commands.execute('docmanager:open', {
        path: file.path,
        factory: 'Notebook'
      });
    } catch (error) {
      showError(error, 'Cannot create the DataFrame notebook');
    }
  };

  let opened = 0;
  const openSql = (
    args: IOpenSqlArgs,
    text: string
  ): MainAreaWidget<SqlPanel> => {
    const id = args.id ?? `dbt-workbench-sql-${UUID.uuid4()}`;
    const existing = tracker.find(widget => widget.id === id);
    if (existing) {
      shell.activateById(existing.id);
      return existing;
    }
    const project =
      args.project ??
      (args.path ? projectForPath(model.projects, args.path) : null) ??
      model.currentProjectId;
    opened += 1;
    const widget = createSqlWidget({
      id,
      factory,
      workbench: model,
      project,
      text,
      limit: numberSetting('sqlRowLimit', DEFAULT_ROW_LIMIT),
      timeout: numberSetting('sqlTimeout', DEFAULT_TIMEOUT),
      completions,
      onExport: (panel, format) => void exportResult(panel, format),
      onOpenDataFrame: panel => void openDataFrame(panel)
    });
    widget.title.label =
      args.title ??
      (args.path
        ? PathExt.basename(args.path)
        : opened === 1
          ? 'SQL Workspace'
          : `SQL Workspace ${opened}`);
    widget.title.caption = args.path
      ? `SQL Workspace: ${args.path}`
      : 'SQL Workspace: query the warehouse with ref() and source()';
    // A tab without a project follows the side panel until it gets one.
    if (project === null) {
      const adopt = (): void => {
        if (widget.content.model.project === null && model.currentProjectId) {
          widget.content.model.project = model.currentProjectId;
          model.changed.disconnect(adopt);
        }
      };
      model.changed.connect(adopt);
      widget.disposed.connect(() => model.changed.disconnect(adopt));
    }
    let saveTimer: number | undefined;
    const save = (): void => {
      window.clearTimeout(saveTimer);
      saveTimer = window.setTimeout(() => {
        if (!widget.isDisposed) {
          void tracker.save(widget);
        }
      }, SAVE_DELAY_MS);
    };
    widget.content.editor.textChanged.connect(save);
    widget.content.model.changed.connect(save);
    widget.disposed.connect(() => window.clearTimeout(saveTimer));
    void tracker.add(widget);
    shell.add(widget, 'main');
    shell.activateById(widget.id);
    return widget;
  };

  /** The text of a file through the Jupyter contents API. */
  const readFile = async (path: string): Promise<string> => {
    const file = await app.serviceManager.contents.get(path, {
      content: true,
      type: 'file',
      format: 'text'
    });
    return typeof file.content === 'string' ? file.content : '';
  };

  const current = (args: Record<string, unknown>): SqlPanel | null => {
    const id = args.id as string | undefined;
    const widget = id
      ? tracker.find(item => item.id === id)
      : tracker.currentWidget;
    return widget?.content ?? null;
  };

  commands.addCommand(CommandIDs.openSql, {
    label: args =>
      args.isLauncher
        ? 'SQL Workspace'
        : args.path
          ? 'Open in SQL Workspace'
          : 'Open a SQL Workspace',
    caption:
      'Query the warehouse with ref() and source(); page, sort, profile, export',
    icon: dbtIcon,
    execute: async args => {
      const open = args as IOpenSqlArgs;
      let text = open.sql ?? '';
      if (open.sql === undefined && open.path) {
        try {
          text = await readFile(open.path);
        } catch (error) {
          showError(error, `Cannot read ${open.path}`);
          return;
        }
      }
      return openSql(open, text);
    }
  });

  commands.addCommand(CommandIDs.runSql, {
    label: 'Run SQL',
    caption: 'Run the selection, or the whole buffer, of the SQL Workspace',
    // Stays enabled while a query runs (the run is then ignored) so the
    // shortcut never falls through and types a newline into the buffer.
    isEnabled: () => current({}) !== null,
    execute: args => current(args)?.run()
  });

  commands.addCommand(CommandIDs.cancelSql, {
    label: 'Cancel the Running SQL Query',
    isEnabled: () => current({})?.model.session.running === true,
    execute: args => current(args)?.cancel()
  });

  // The file browser's context menu on .sql files (dbt models included).
  if (!app.docRegistry.getFileTypesForPath('query.sql').length) {
    app.docRegistry.addFileType({
      name: 'sql',
      displayName: 'SQL',
      extensions: ['.sql'],
      mimeTypes: ['text/x-sql'],
      contentType: 'file',
      fileFormat: 'text'
    });
  }
  const sqlType = app.docRegistry.getFileTypesForPath('query.sql')[0]?.name;
  if (options.fileBrowser && sqlType) {
    const browser = options.fileBrowser;
    commands.addCommand(CommandIDs.openSqlFile, {
      label: 'Open in SQL Workspace',
      caption: "Open the file's SQL (with its ref()s) in a SQL Workspace tab",
      icon: dbtIcon,
      execute: async () => {
        for (const item of Array.from(browser.selectedItems())) {
          if (item.type !== 'directory' && item.path.endsWith('.sql')) {
            await commands.execute(CommandIDs.openSql, { path: item.path });
          }
        }
      }
    });
    app.contextMenu.addItem({
      command: CommandIDs.openSqlFile,
      selector: `.jp-DirListing-item[data-file-type="${sqlType}"]`,
      rank: 3
    });
  }

  if (palette) {
    for (const command of [
      CommandIDs.openSql,
      CommandIDs.runSql,
      CommandIDs.cancelSql
    ]) {
      palette.addItem({ command, category: CATEGORY });
    }
  }

  launcher?.add({
    command: CommandIDs.openSql,
    category: 'Other',
    args: { isLauncher: true }
  });

  if (restorer) {
    void restorer.restore(tracker, {
      command: CommandIDs.openSql,
      args: widget => ({
        id: widget.id,
        title: widget.title.label,
        project: widget.content.model.project ?? undefined,
        sql: widget.content.text
      }),
      name: widget => widget.id
    });
  }

  // A query starting or ending changes the cancel command's state.
  tracker.widgetAdded.connect((_, widget) => {
    widget.content.model.changed.connect(() =>
      commands.notifyCommandChanged(CommandIDs.cancelSql)
    );
  });

  return { tracker };
}
