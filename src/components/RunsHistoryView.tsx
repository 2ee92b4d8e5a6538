import React, { useCallback, useEffect, useRef, useState } from 'react';

import { formatDuration, formatTime } from '../format';
import { countsText, isActive, progressText } from '../model/runs';
import { WorkbenchModel } from '../model/workbench';
import { errorMessage } from '../notify';
import { can, permissionTitle } from '../permissions';
import { fetchRuns, IRunQuery } from '../runs/api';
import type { RunsTracker } from '../runs/tracker';
import type { IRunPage, IRunSummary, RunStatus } from '../tokens';
import { useSignal } from './hooks';
import { RunStatusPill } from './RunStatusPill';
import { Spinner } from './Spinner';

/** Runs per page of the history. */
const PAGE = 50;

/** Seconds between two refreshes while a listed run is active, else idle. */
const ACTIVE_REFRESH_S = 3;
const IDLE_REFRESH_S = 30;

const STATUSES: RunStatus[] = [
  'queued',
  'running',
  'success',
  'failed',
  'error',
  'cancelled',
  'interrupted'
];

/** The commands offered by the filter (the ones the server runs). */
const RUN_COMMANDS = [
  'build',
  'run',
  'test',
  'seed',
  'snapshot',
  'compile',
  'docs generate',
  'source freshness',
  'ls',
  'parse',
  'clean',
  'retry',
  'show',
  'debug',
  'deps'
];

/** Props of {@link RunsHistoryView}. */
export interface IRunsHistoryViewProps {
  model: WorkbenchModel;
  tracker: RunsTracker;
  onOpenRun: (id: string) => void;
  /** Ask for a dbt command line and run it. */
  onNewRun: () => void;
}

type Load =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; page: IRunPage };

/**
 * The run history, newest first, filtered by project, status and command;
 * refreshed when runs start or end and every few seconds while one is active.
 */
export function RunsHistoryView(props: IRunsHistoryViewProps): JSX.Element {
  const { model, tracker } = props;
  useSignal(model.changed);
  const [project, setProject] = useState('');
  const [status, setStatus] = useState('');
  const [command, setCommand] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const request = useRef(0);

  const query: IRunQuery = {
    project: project || null,
    status: (status || null) as RunStatus | null,
    command: command || null,
    offset: 0,
    limit
  };
  const key = JSON.stringify(query);

  const reload = useCallback(async (): Promise<void> => {
    const ticket = ++request.current;
    setRefreshing(true);
    try {
      const page = await fetchRuns(JSON.parse(key) as IRunQuery);
      if (ticket === request.current) {
        setLoad({ state: 'ready', page });
      }
    } catch (error) {
      if (ticket === request.current) {
        setLoad(old =>
          old.state === 'ready'
            ? old
            : { state: 'error', message: errorMessage(error) }
        );
      }
    } finally {
      if (ticket === request.current) {
        setRefreshing(false);
      }
    }
  }, [key]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    const onChange = (): void => void reload();
    tracker.historyChanged.connect(onChange);
    return () => {
      tracker.historyChanged.disconnect(onChange);
    };
  }, [tracker, reload]);

  const anyActive =
    load.state === 'ready' && load.page.items.some(run => isActive(run.status));
  useEffect(() => {
    const seconds = anyActive ? ACTIVE_REFRESH_S : IDLE_REFRESH_S;
    const timer = setInterval(() => {
      if (!document.hidden) {
        void reload();
      }
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [anyActive, reload]);

  return (
    <div className="jp-DbtWorkbench-runsBody">
      <div className="jp-DbtWorkbench-runsHeader">
        <h1>dbt runs</h1>
        <button
          className="jp-Button jp-mod-styled jp-mod-accept jp-DbtWorkbench-newRun"
          onClick={props.onNewRun}
          disabled={!can(props.model.permissions, 'run_dbt')}
          title={permissionTitle(props.model.permissions, 'run_dbt')}
        >
          New run…
        </button>
        <button
          className="jp-Button jp-mod-styled jp-DbtWorkbench-refreshRuns"
          onClick={() => void reload()}
          disabled={refreshing}
        >
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <div className="jp-DbtWorkbench-runsFilters">
        <label className="jp-DbtWorkbench-field">
          <span>Project</span>
          <select
            className="jp-DbtWorkbench-runsProject jp-mod-styled"
            value={project}
            onChange={event => setProject(event.target.value)}
          >
            <option value="">All projects</option>
            {model.projects.map(item => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
        <label className="jp-DbtWorkbench-field">
          <span>Status</span>
          <select
            className="jp-DbtWorkbench-runsStatus jp-mod-styled"
            value={status}
            onChange={event => setStatus(event.target.value)}
          >
            <option value="">Any status</option>
            {STATUSES.map(item => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </label>
        <label className="jp-DbtWorkbench-field">
          <span>Command</span>
          <select
            className="jp-DbtWorkbench-runsCommand jp-mod-styled"
            value={command}
            onChange={event => setCommand(event.target.value)}
          >
            <option value="">Any command</option>
            {RUN_COMMANDS.map(item => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </label>
      </div>
      {refreshing && load.state === 'ready' ? (
        <div className="jp-DbtWorkbench-progress" role="progressbar" />
      ) : null}
      {body()}
    </div>
  );

  function body(): JSX.Element {
    switch (load.state) {
      case 'loading':
        return <Spinner label="Loading the run history…" />;
      case 'error':
        return (
          <div className="jp-DbtWorkbench-error" role="alert">
            <h3>Cannot list the runs</h3>
            <p>{load.message}</p>
          </div>
        );
      case 'ready':
        return (
          <RunsTable
            page={load.page}
            projectLabel={id =>
              model.projects.find(p => p.id === id)?.name ?? id
            }
            onOpenRun={props.onOpenRun}
            onMore={() => setLimit(old => old + PAGE)}
          />
        );
    }
  }
}

function RunsTable(props: {
  page: IRunPage;
  projectLabel: (id: string) => string;
  onOpenRun: (id: string) => void;
  onMore: () => void;
}): JSX.Element {
  const { page } = props;
  if (page.items.length === 0) {
    return (
      <p className="jp-DbtWorkbench-empty">
        No run matches. Start one from the dbt side panel (Run, Build, Test on a
        node) or with “New run…”.
      </p>
    );
  }
  return (
    <>
      <table className="jp-DbtWorkbench-table jp-DbtWorkbench-runsTable">
        <thead>
          <tr>
            <th>Status</th>
            <th>Command</th>
            <th>Project</th>
            <th>User</th>
            <th>Created</th>
            <th>Duration</th>
            <th>Progress</th>
            <th>Results</th>
          </tr>
        </thead>
        <tbody>
          {page.items.map(run => (
            <RunRow
              key={run.id}
              run={run}
              project={props.projectLabel(run.project)}
              onOpenRun={props.onOpenRun}
            />
          ))}
        </tbody>
      </table>
      <div className="jp-DbtWorkbench-muted jp-DbtWorkbench-runsCount">
        {page.items.length} of {page.total} runs
        {page.items.length < page.total ? (
          <button
            className="jp-Button jp-mod-styled jp-DbtWorkbench-moreRuns"
            onClick={props.onMore}
          >
            Show more
          </button>
        ) : null}
      </div>
    </>
  );
}

function RunRow(props: {
  run: IRunSummary;
  project: string;
  onOpenRun: (id: string) => void;
}): JSX.Element {
  const { run } = props;
  return (
    <tr data-run-id={run.id} data-run-status={run.status}>
      <td>
        <RunStatusPill status={run.status} />
      </td>
      <td>
        <a
          href="#"
          className="jp-DbtWorkbench-fileLink jp-DbtWorkbench-runLink"
          title={run.message ?? run.id}
          onClick={event => {
            event.preventDefault();
            props.onOpenRun(run.id);
          }}
        >
          dbt {run.cli || run.command}
        </a>
      </td>
      <td>{props.project}</td>
      <td>{run.user ?? ''}</td>
      <td>{formatTime(run.created_at)}</td>
      <td>{formatDuration(run.duration)}</td>
      <td>{progressText(run.progress)}</td>
      <td className="jp-DbtWorkbench-muted">{countsText(run.counts)}</td>
    </tr>
  );
}
