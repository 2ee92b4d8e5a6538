import { IEditorFactoryService } from '@jupyterlab/codeeditor';
import React, { useEffect, useState } from 'react';

import { formatDuration } from '../format';
import { CompiledView } from './CompiledView';
import { ErrorView } from './ErrorView';
import { HistoryList } from './HistoryList';
import { ResultTab, SqlTabModel } from './model';
import { ProfileView } from './ProfileView';
import { ResultGrid } from './ResultGrid';
import type { ISqlHistoryEntry, ISqlQuery } from './types';

const TABS: { id: ResultTab; label: string }[] = [
  { id: 'results', label: 'Results' },
  { id: 'profile', label: 'Profile' },
  { id: 'compiled', label: 'Compiled SQL' },
  { id: 'history', label: 'History' }
];

/** Props of {@link ResultsView}. */
export interface IResultsViewProps {
  model: SqlTabModel;
  factory: IEditorFactoryService;
  onShowLine: (line: number, column: number | null) => void;
  onSuggestion: (name: string) => void;
  onOpenHistory: (entry: ISqlHistoryEntry) => void;
  onCompile: () => void;
  onRetry: () => void;
}

/** Seconds since `start`, refreshed while `running`. */
function useElapsed(start: number | null, running: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [running]);
  return start === null ? 0 : Math.max(0, (now - start) / 1000);
}

/** The line under the toolbar: progress, then rows, duration and notes. */
function StatusLine(props: { model: SqlTabModel }): JSX.Element | null {
  const { session } = props.model;
  const query = session.query;
  const running = session.running;
  const elapsed = useElapsed(session.startedAt, running);
  if (running) {
    return (
      <div
        className="jp-DbtWorkbench-sqlStatus"
        data-status="running"
        role="status"
      >
        <div className="jp-DbtWorkbench-sqlSpinner" />
        <span>Running… {elapsed.toFixed(1)} s</span>
      </div>
    );
  }
  if (!query) {
    return null;
  }
  return (
    <div
      className="jp-DbtWorkbench-sqlStatus"
      data-status={query.status}
      role="status"
    >
      <span>{statusText(query)}</span>
      {query.method === 'dbt' && (
        <span
          className="jp-DbtWorkbench-sqlBadge"
          title="The query uses macros: dbt compiled it"
        >
          compiled by dbt
        </span>
      )}
    </div>
  );
}

/** The status line's sentence for a finished query. */
export function statusText(query: ISqlQuery): string {
  const took =
    query.duration !== null ? ` in ${formatDuration(query.duration)}` : '';
  switch (query.status) {
    case 'success': {
      const rows = query.row_count ?? 0;
      const count = `${rows.toLocaleString()} row${rows === 1 ? '' : 's'}`;
      const truncated = query.truncated
        ? ` (stopped at the limit of ${query.limit.toLocaleString()} rows)`
        : '';
      return `${count}${took}${truncated}`;
    }
    case 'cancelled':
      return `Cancelled${took}`;
    case 'timeout':
      return `Timed out${took}`;
    case 'error':
      return `Failed${took}`;
    case 'interrupted':
      return 'Interrupted: the server stopped while it ran';
    default:
      return 'Running…';
  }
}

function ResultsTab(props: IResultsViewProps): JSX.Element {
  const { model } = props;
  const { session } = model;
  const query = session.query;
  const error = session.error;
  if (error) {
    const line =
      error.line !== null ? model.runFirstLine + error.line - 1 : null;
    return (
      <ErrorView
        error={error}
        bufferLine={line}
        onShowLine={() => line !== null && props.onShowLine(line, error.column)}
        onSuggestion={props.onSuggestion}
        onRetry={props.onRetry}
      />
    );
  }
  if (!query) {
    return (
      <p className="jp-DbtWorkbench-sqlNote">
        Write a query with <code>{"{{ ref('model') }}"}</code> or{' '}
        <code>{"{{ source('name', 'table') }}"}</code> and run it with
        Shift+Enter (the selection, or the whole buffer).
      </p>
    );
  }
  if (query.status === 'running') {
    return (
      <p className="jp-DbtWorkbench-sqlNote">Waiting for the first rows…</p>
    );
  }
  if (query.status !== 'success') {
    return <p className="jp-DbtWorkbench-sqlNote">{statusText(query)}.</p>;
  }
  if ((query.row_count ?? 0) === 0) {
    return (
      <p className="jp-DbtWorkbench-sqlNote">
        The query returned no rows
        {query.columns.length > 0
          ? ` (columns: ${query.columns.map(column => column.name).join(', ')})`
          : ''}
        .
      </p>
    );
  }
  return (
    <ResultGrid
      resultKey={query.id}
      total={query.row_count ?? 0}
      columns={query.columns}
      sort={model.sort}
      onSort={column => model.toggleSort(column)}
      fetchPage={model.fetchPage}
    />
  );
}

function ProfileTab(props: { model: SqlTabModel }): JSX.Element {
  const { model } = props;
  const query = model.session.query;
  if (!query || query.status !== 'success') {
    return (
      <p className="jp-DbtWorkbench-sqlNote">
        Run a query to profile its result.
      </p>
    );
  }
  if (model.profileError) {
    return <p className="jp-DbtWorkbench-sqlNote">{model.profileError}</p>;
  }
  if (!model.profile) {
    return <p className="jp-DbtWorkbench-sqlNote">Profiling the result…</p>;
  }
  return <ProfileView profile={model.profile} />;
}

function CompiledTab(props: IResultsViewProps): JSX.Element {
  const { model } = props;
  const compiled = model.compiled;
  return (
    <div className="jp-DbtWorkbench-sqlCompiledTab">
      <div className="jp-DbtWorkbench-sqlCompiledBar">
        <button className="jp-DbtWorkbench-sqlButton" onClick={props.onCompile}>
          Compile the editor's SQL
        </button>
        {compiled && (
          <span className="jp-DbtWorkbench-sqlNote">
            {compiled.method === 'dbt'
              ? 'Compiled by dbt (the query uses macros).'
              : 'Rendered from the manifest.'}
          </span>
        )}
      </div>
      {model.compileError && (
        <pre className="jp-DbtWorkbench-sqlErrorMessage">
          {model.compileError}
        </pre>
      )}
      {compiled ? (
        <CompiledView factory={props.factory} sql={compiled.sql} />
      ) : (
        !model.compileError && (
          <p className="jp-DbtWorkbench-sqlNote">
            Run or compile a query to see the SQL the warehouse receives.
          </p>
        )
      )}
    </div>
  );
}

/** The lower half of a SQL tab: status, then results, profile, compiled SQL, history. */
export function ResultsView(props: IResultsViewProps): JSX.Element {
  const { model } = props;
  const tab = model.tab;
  return (
    <div className="jp-DbtWorkbench-sqlResults">
      <div className="jp-DbtWorkbench-sqlTabs" role="tablist">
        {TABS.map(item => (
          <button
            key={item.id}
            role="tab"
            aria-selected={tab === item.id}
            className="jp-DbtWorkbench-sqlTab"
            onClick={() => (model.tab = item.id)}
          >
            {item.label}
          </button>
        ))}
        <StatusLine model={model} />
      </div>
      <div
        className="jp-DbtWorkbench-sqlTabBody"
        role="tabpanel"
        data-tab={tab}
      >
        {tab === 'results' && <ResultsTab {...props} />}
        {tab === 'profile' && <ProfileTab model={model} />}
        {tab === 'compiled' && <CompiledTab {...props} />}
        {tab === 'history' && (
          <HistoryList
            project={model.project}
            version={model.historyVersion}
            onOpen={props.onOpenHistory}
          />
        )}
      </div>
    </div>
  );
}
