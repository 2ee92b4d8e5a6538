import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { IRunPageActions, RunPageView } from '../components/RunPageView';
import { RunsHistoryView } from '../components/RunsHistoryView';
import { dbtIcon } from '../icons';
import { WorkbenchModel } from '../model/workbench';
import type { RunSession } from '../runs/session';
import type { RunsTracker } from '../runs/tracker';
import { RUNS_ID } from '../tokens';

/** The main-area id of a run's page; one page per run. */
export function runPageId(id: string): string {
  return `dbt-workbench-run:${id}`;
}

/** Options of {@link createRunsPanel}. */
export interface IRunsPanelOptions {
  model: WorkbenchModel;
  tracker: RunsTracker;
  onOpenRun: (id: string) => void;
  onNewRun: () => void;
}

/** The run history page. */
export function createRunsPanel(options: IRunsPanelOptions): MainAreaWidget {
  const content = ReactWidget.create(
    <RunsHistoryView
      model={options.model}
      tracker={options.tracker}
      onOpenRun={options.onOpenRun}
      onNewRun={options.onNewRun}
    />
  );
  content.addClass('jp-DbtWorkbench-runs');
  const widget = new MainAreaWidget({ content });
  widget.id = RUNS_ID;
  widget.title.label = 'dbt Runs';
  widget.title.icon = dbtIcon;
  widget.title.closable = true;
  return widget;
}

/** Options of {@link createRunPage}. */
export interface IRunPageOptions {
  runId: string;
  tracker: RunsTracker;
  actions: IRunPageActions;
  onOpenNode: (project: string, uniqueId: string) => void;
  onOpenRun: (id: string) => void;
  projectLabel?: (project: string) => string;
  runDenied?: () => string | undefined;
}

/** The content of a run page: borrows the run's live session while open. */
export class RunPage extends ReactWidget {
  constructor(private readonly _options: IRunPageOptions) {
    super();
    this.addClass('jp-DbtWorkbench-runPage');
    this.node.dataset.runId = _options.runId;
    this._session = _options.tracker.acquire(_options.runId);
  }

  get runId(): string {
    return this._options.runId;
  }

  get session(): RunSession {
    return this._session;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._options.tracker.release(this._session);
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <RunPageView
        session={this._session}
        actions={this._options.actions}
        onOpenNode={this._options.onOpenNode}
        onOpenRun={this._options.onOpenRun}
        projectLabel={this._options.projectLabel}
        runDenied={this._options.runDenied}
      />
    );
  }

  private readonly _session: RunSession;
}

/** A main-area page for one run, titled with its command and status. */
export function createRunPage(
  options: IRunPageOptions
): MainAreaWidget<RunPage> {
  const content = new RunPage(options);
  const widget = new MainAreaWidget({ content });
  widget.id = runPageId(options.runId);
  widget.addClass('jp-DbtWorkbench-runPageWidget');
  widget.title.label = 'dbt run';
  widget.title.caption = `dbt run ${options.runId}`;
  widget.title.icon = dbtIcon;
  widget.title.closable = true;
  const retitle = (): void => {
    const summary = content.session.summary;
    if (!summary) {
      return;
    }
    widget.title.label = `dbt ${summary.command}`;
    widget.title.caption = `dbt ${summary.cli || summary.command}: ${summary.status}\n${summary.id}`;
  };
  content.session.changed.connect(retitle);
  retitle();
  return widget;
}
