/**
 * A SQL workspace tab: the editor above, the results below, a toolbar with
 * Run, Cancel, the project, the row limit, exports and "Open as DataFrame".
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { IEditorFactoryService } from '@jupyterlab/codeeditor';
import {
  downloadIcon,
  HTMLSelect,
  lockIcon,
  notebookIcon,
  ReactWidget,
  runIcon,
  stopIcon,
  Toolbar,
  ToolbarButtonComponent,
  UseSignal
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { BoxLayout, SplitPanel, Widget } from '@lumino/widgets';
import React from 'react';

import { dbtIcon } from '../icons';
import { WorkbenchModel } from '../model/workbench';
import { can, deniedText } from '../permissions';
import { SqlEditor } from './editor';
import { SqlTabModel } from './model';
import { ResultsView } from './ResultsView';
import { unknownName } from './session';
import type { ExportFormat, ISqlCompletions, ISqlHistoryEntry } from './types';

/** Options of {@link SqlPanel}. */
export interface ISqlPanelOptions {
  id: string;
  factory: IEditorFactoryService;
  workbench: WorkbenchModel;
  project: string | null;
  text: string;
  limit: number;
  timeout: number;
  /** The completion names of a project (cached by the caller). */
  completions: (project: string | null) => ISqlCompletions | null;
  onExport: (panel: SqlPanel, format: ExportFormat) => void;
  onOpenDataFrame: (panel: SqlPanel) => void;
}

/** The content of a SQL workspace tab. */
export class SqlPanel extends Widget {
  constructor(options: ISqlPanelOptions) {
    super();
    this.addClass('jp-DbtWorkbench-sqlPanel');
    this.model = new SqlTabModel({
      project: options.project,
      limit: options.limit,
      timeout: options.timeout
    });
    this.editor = new SqlEditor({
      factory: options.factory,
      text: options.text,
      completions: () => options.completions(this.model.project)
    });
    const results = ReactWidget.create(
      <UseSignal signal={this.model.changed}>
        {() => (
          <ResultsView
            model={this.model}
            factory={options.factory}
            onShowLine={(line, column) => this.showLine(line, column)}
            onSuggestion={name => this.applySuggestion(name)}
            onOpenHistory={entry => this.openHistory(entry)}
            onCompile={() =>
              void this.model.compile(this.editor.runText().text)
            }
            onRetry={() => void this.run()}
          />
        )}
      </UseSignal>
    );
    results.addClass('jp-DbtWorkbench-sqlResultsHost');
    this._split.addWidget(this.editor);
    this._split.addWidget(results);
    this._split.setRelativeSizes([2, 3]);
    const layout = new BoxLayout();
    layout.addWidget(this._split);
    this.layout = layout;
    this.model.changed.connect(this._afterChange, this);
    // Ask for the project's names now, so that they have arrived by the
    // time the first ref(' is typed.
    this._completions = options.completions;
    this._completions(this.model.project);
  }

  readonly model: SqlTabModel;
  readonly editor: SqlEditor;

  /** The buffer's text. */
  get text(): string {
    return this.editor.text;
  }

  /** Run the selection, or the whole buffer. */
  async run(): Promise<void> {
    const { text, firstLine } = this.editor.runText();
    this.editor.markErrorLine(null);
    await this.model.run(text, firstLine);
    const error = this.model.session.error;
    if (error?.line) {
      this.editor.markErrorLine(
        this.model.runFirstLine + error.line - 1,
        error.column
      );
    }
  }

  cancel(): Promise<void> {
    return this.model.session.cancel();
  }

  /** Put the cursor on a buffer line and mark it. */
  showLine(line: number, column: number | null): void {
    this.editor.markErrorLine(line, column);
    this.editor.focus();
  }

  /** Replace the unknown name of the last error with `name`. */
  applySuggestion(name: string): void {
    const error = this.model.session.error;
    const unknown = error ? unknownName(error) : null;
    if (unknown) {
      this.editor.replaceName(unknown, name);
    }
    this.editor.focus();
  }

  /** Load a past query into the editor (it does not run). */
  openHistory(entry: ISqlHistoryEntry): void {
    this.editor.text = entry.sql;
    if (entry.project !== this.model.project) {
      this.model.project = entry.project;
    }
    this.model.session.reset();
    this.editor.focus();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.model.dispose();
    super.dispose();
  }

  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    this.editor.focus();
  }

  private _afterChange(): void {
    this._completions(this.model.project);
    const error = this.model.session.error;
    this.toggleClass('jp-mod-running', this.model.session.running);
    this.toggleClass('jp-mod-error', error !== null);
  }

  private _completions: ISqlPanelOptions['completions'];
  private _split = new SplitPanel({ orientation: 'vertical', spacing: 4 });
}

/** A toolbar item re-rendered whenever the tab's state changes. */
function item(panel: SqlPanel, render: () => JSX.Element): ReactWidget {
  return ReactWidget.create(
    <UseSignal signal={panel.model.changed}>{render}</UseSignal>
  );
}

/**
 * The project of a SQL tab: a picker when the server has several projects,
 * the project's name otherwise.
 */
function ProjectField(props: {
  panel: SqlPanel;
  workbench: WorkbenchModel;
}): JSX.Element {
  const { model } = props.panel;
  const projects = props.workbench.projects;
  const current = projects.find(project => project.id === model.project);
  if (projects.length < 2) {
    return (
      <span className="jp-DbtWorkbench-sqlField">
        <span>Project</span>
        <span
          className="jp-DbtWorkbench-sqlProjectName"
          title={current ? `${current.name} (${current.path})` : undefined}
        >
          {current?.name ?? model.project ?? 'none'}
        </span>
      </span>
    );
  }
  const options = projects.map(project => ({
    value: project.id,
    label: project.name
  }));
  if (!current) {
    options.unshift({
      value: model.project ?? '',
      label: model.project ?? 'Choose a project'
    });
  }
  return (
    <label className="jp-DbtWorkbench-sqlField">
      <span>Project</span>
      <HTMLSelect
        className="jp-DbtWorkbench-sqlProject"
        aria-label="Project"
        value={model.project ?? ''}
        disabled={model.session.running}
        options={options}
        onChange={event => (model.project = event.target.value)}
      />
    </label>
  );
}

/** The row-limit input of a SQL tab. */
function LimitField(props: { panel: SqlPanel }): JSX.Element {
  const { model } = props.panel;
  return (
    <label className="jp-DbtWorkbench-sqlField">
      <span>Limit</span>
      <input
        type="number"
        className="jp-mod-styled"
        min={1}
        defaultValue={model.limit}
        aria-label="Row limit"
        onChange={event => {
          const value = Math.floor(Number(event.target.value));
          if (value >= 1) {
            model.limit = value;
          }
        }}
      />
    </label>
  );
}

/** Fill a SQL tab's toolbar: run, cancel, project, limit, exports, DataFrame. */
function addToolbarItems(
  widget: MainAreaWidget<SqlPanel>,
  options: ISqlPanelOptions
): void {
  const panel = widget.content;
  const { model } = panel;
  const hasResult = () => model.session.query?.status === 'success';
  const items: [string, Widget][] = [
    [
      'run',
      item(panel, () => (
        <ToolbarButtonComponent
          className="jp-DbtWorkbench-sqlRun"
          icon={runIcon}
          label="Run"
          tooltip="Run the selection, or the whole buffer (Shift+Enter)"
          enabled={!model.session.running && model.project !== null}
          onClick={() => void panel.run()}
        />
      ))
    ],
    [
      'cancel',
      item(panel, () => (
        <ToolbarButtonComponent
          className="jp-DbtWorkbench-sqlCancel"
          icon={stopIcon}
          label="Cancel"
          tooltip="Stop the running query"
          enabled={model.session.running}
          onClick={() => void panel.cancel()}
        />
      ))
    ],
    [
      'project',
      ReactWidget.create(
        <UseSignal signal={options.workbench.changed}>
          {() => <ProjectField panel={panel} workbench={options.workbench} />}
        </UseSignal>
      )
    ],
    ['limit', ReactWidget.create(<LimitField panel={panel} />)],
    [
      'read-only',
      ReactWidget.create(
        // A status rather than an action: the server refuses writes anyway,
        // this says so before a query is sent.
        <UseSignal signal={options.workbench.permissionsChanged}>
          {() =>
            can(options.workbench.permissions, 'sql_write') ? null : (
              <ToolbarButtonComponent
                className="jp-DbtWorkbench-sqlReadOnly"
                icon={lockIcon}
                label="Read-only"
                enabled={false}
                disabledTooltip={`${deniedText(
                  options.workbench.permissions,
                  'sql_write'
                )}: queries that change the warehouse are refused.`}
              />
            )
          }
        </UseSignal>
      )
    ],
    ['spacer', Toolbar.createSpacerItem()],
    [
      'export-csv',
      item(panel, () => (
        <ToolbarButtonComponent
          icon={downloadIcon}
          label="CSV"
          tooltip="Download the whole result as CSV"
          enabled={hasResult()}
          onClick={() => options.onExport(panel, 'csv')}
        />
      ))
    ],
    [
      'export-parquet',
      item(panel, () => (
        <ToolbarButtonComponent
          icon={downloadIcon}
          label="Parquet"
          tooltip="Download the whole result as Parquet"
          enabled={hasResult()}
          onClick={() => options.onExport(panel, 'parquet')}
        />
      ))
    ],
    [
      'dataframe',
      item(panel, () => (
        <ToolbarButtonComponent
          icon={notebookIcon}
          label="DataFrame"
          tooltip="Open the query as a pandas DataFrame in a new notebook"
          enabled={model.project !== null}
          onClick={() => options.onOpenDataFrame(panel)}
        />
      ))
    ]
  ];
  for (const [name, widgetItem] of items) {
    widget.toolbar.addItem(name, widgetItem);
  }
}

/** A SQL workspace tab as a main-area widget. */
export function createSqlWidget(
  options: ISqlPanelOptions
): MainAreaWidget<SqlPanel> {
  const content = new SqlPanel(options);
  const widget = new MainAreaWidget({ content });
  widget.id = options.id;
  content.id = `${options.id}-content`;
  widget.title.icon = dbtIcon;
  widget.title.closable = true;
  widget.addClass('jp-DbtWorkbench-sqlWidget');
  addToolbarItems(widget, options);
  return widget;
}
