import React, { useEffect, useState } from 'react';

import { formatDuration, formatTime } from '../format';
import { errorMessage } from '../notify';
import { fetchHistory } from './api';
import type { ISqlHistoryEntry } from './types';

/** Wait after the last keystroke before searching (ms). */
const SEARCH_DELAY_MS = 250;

/** Props of {@link HistoryList}. */
export interface IHistoryListProps {
  project: string | null;
  /** Changes after each run, so the list reloads. */
  version: number;
  onOpen: (entry: ISqlHistoryEntry) => void;
}

/** The project's past queries, newest first, searchable; click to load one. */
export function HistoryList(props: IHistoryListProps): JSX.Element {
  const { project, version } = props;
  const [query, setQuery] = useState('');
  const [entries, setEntries] = useState<ISqlHistoryEntry[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      fetchHistory(project, query)
        .then(history => {
          if (!cancelled) {
            setEntries(history.entries);
            setTotal(history.total);
            setError(null);
          }
        })
        .catch(reason => {
          if (!cancelled) {
            setError(errorMessage(reason));
          }
        });
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [project, query, version]);

  return (
    <div className="jp-DbtWorkbench-sqlHistory">
      <input
        type="search"
        className="jp-mod-styled jp-DbtWorkbench-sqlHistorySearch"
        placeholder="Search past queries"
        aria-label="Search past queries"
        value={query}
        onChange={event => setQuery(event.target.value)}
      />
      {error && <p className="jp-DbtWorkbench-sqlNote">{error}</p>}
      {!error && entries.length === 0 && (
        <p className="jp-DbtWorkbench-sqlNote">
          {query ? 'No past query matches.' : 'No query has run yet.'}
        </p>
      )}
      <ul className="jp-DbtWorkbench-sqlHistoryList">
        {entries.map(entry => (
          <li key={entry.id}>
            <button
              className="jp-DbtWorkbench-sqlHistoryEntry"
              data-status={entry.status}
              title="Load this query into the editor"
              onClick={() => props.onOpen(entry)}
            >
              <span className="jp-DbtWorkbench-sqlHistoryMeta">
                <span data-status={entry.status}>{entry.status}</span>
                <span>{formatTime(entry.started_at)}</span>
                {entry.row_count !== null && (
                  <span>{entry.row_count.toLocaleString()} rows</span>
                )}
                {entry.duration !== null && (
                  <span>{formatDuration(entry.duration)}</span>
                )}
                {entry.target && <span>target {entry.target}</span>}
              </span>
              <code className="jp-DbtWorkbench-sqlHistoryText">
                {entry.sql}
              </code>
              {entry.error && (
                <span className="jp-DbtWorkbench-sqlHistoryError">
                  {entry.error}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {total > entries.length && (
        <p className="jp-DbtWorkbench-sqlNote">
          {entries.length} of {total.toLocaleString()} shown: refine the search.
        </p>
      )}
    </div>
  );
}
