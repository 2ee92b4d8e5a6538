import React from 'react';

import { fetchSchemaHistory } from '../catalog/api';
import type { ISchemaChange, ISchemaColumn } from '../catalog/types';
import { useLoad } from '../catalog/useLoad';
import { formatTime } from '../format';
import { Spinner } from './Spinner';

function columnList(columns: readonly ISchemaColumn[]): string {
  return columns
    .map(column =>
      column.type ? `${column.name} ${column.type}` : column.name
    )
    .join(', ');
}

const EVENT_TEXT: Record<ISchemaChange['event'], string> = {
  appeared: 'Back in the catalog',
  changed: 'Columns changed',
  disappeared: 'Gone from the catalog'
};

/** One version that changed the node's columns. */
function Change(props: { change: ISchemaChange }): JSX.Element {
  const { change } = props;
  return (
    <li data-event={change.event} data-version={change.version}>
      <div>
        <strong>{EVENT_TEXT[change.event]}</strong>{' '}
        <span className="jp-DbtWorkbench-muted">
          {formatTime(change.at)} · snapshot {change.version}
        </span>
      </div>
      {change.added.length && change.event === 'changed' ? (
        <div data-kind="added">+ {columnList(change.added)}</div>
      ) : null}
      {change.removed.length && change.event === 'changed' ? (
        <div data-kind="removed">− {columnList(change.removed)}</div>
      ) : null}
      {change.type_changed.map(retyped => (
        <div key={retyped.name} data-kind="type_changed">
          ~ {retyped.name}: {retyped.before ?? '?'} → {retyped.after ?? '?'}
        </div>
      ))}
    </li>
  );
}

/**
 * How the node's columns changed across the artifact snapshots the
 * workbench kept: when it was first cataloged, then each change.
 */
export function SchemaHistory(props: {
  project: string;
  uniqueId: string;
  version: number | null;
}): JSX.Element {
  const loaded = useLoad(
    () => fetchSchemaHistory(props.project, props.uniqueId),
    `${props.project}|${props.uniqueId}|${props.version}`
  );
  if (loaded.state === 'loading') {
    return <Spinner label="Loading the schema history…" />;
  }
  if (loaded.state === 'error') {
    return (
      <p className="jp-DbtWorkbench-problem" role="alert">
        Cannot read the schema history: {loaded.message}
      </p>
    );
  }
  const history = loaded.value;
  if (history.catalogs === 0 || history.first_seen === null) {
    return (
      <p className="jp-DbtWorkbench-muted jp-DbtWorkbench-schemaHistory">
        {history.catalogs === 0
          ? 'No catalog among the kept snapshots: run `dbt docs generate` to record the columns the warehouse holds.'
          : `Not in any of the ${history.catalogs} kept catalogs: build it, then run \`dbt docs generate\`.`}
      </p>
    );
  }
  const first = history.first_seen;
  return (
    <div className="jp-DbtWorkbench-schemaHistory">
      <ul className="jp-DbtWorkbench-schemaChanges">
        {history.changes.map(change => (
          <Change key={change.version} change={change} />
        ))}
        <li data-event="first_seen" data-version={first.version}>
          <div>
            <strong>First cataloged</strong>{' '}
            <span className="jp-DbtWorkbench-muted">
              {formatTime(first.at)} · snapshot {first.version} ·{' '}
              {first.columns.length} columns
            </span>
          </div>
        </li>
      </ul>
      {history.changes.length === 0 ? (
        <p className="jp-DbtWorkbench-muted">
          No column was added, removed or retyped across the {history.catalogs}{' '}
          kept catalog version
          {history.catalogs === 1 ? '' : 's'}.
        </p>
      ) : null}
    </div>
  );
}
