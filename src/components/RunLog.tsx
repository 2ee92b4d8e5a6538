import React, { useEffect, useMemo, useRef, useState } from 'react';

import {
  filterEvents,
  LOG_LEVELS,
  LogLevelFilter,
  stripAnsi
} from '../model/runs';
import type { IRunEvent } from '../tokens';
import { useDebounced } from './hooks';

/** The most lines drawn: the newest ones. */
const MAX_LINES = 2000;

/** The time of day of an event, `12:03:04`; '' when unknown. */
function clock(ts: string | null): string {
  if (!ts) {
    return '';
  }
  const date = new Date(ts);
  return isNaN(date.getTime()) ? '' : date.toLocaleTimeString();
}

/** Props of {@link RunLog}. */
export interface IRunLogProps {
  events: readonly IRunEvent[];
  /** Keep the newest line in view while the run goes on. */
  live: boolean;
}

/**
 * dbt's log for a run, with a minimum level and a text search; it follows
 * new lines while scrolled to the bottom.
 */
export function RunLog(props: IRunLogProps): JSX.Element {
  const [level, setLevel] = useState<LogLevelFilter>('info');
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 150);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  const matching = useMemo(
    () =>
      filterEvents(props.events, level, query).filter(
        event => event.message.trim() !== ''
      ),
    [props.events, level, query]
  );
  const shown =
    matching.length > MAX_LINES ? matching.slice(-MAX_LINES) : matching;

  useEffect(() => {
    const element = scroller.current;
    if (element && props.live && atBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [shown, props.live]);

  return (
    <div className="jp-DbtWorkbench-runLog">
      <div className="jp-DbtWorkbench-runLogControls">
        <label className="jp-DbtWorkbench-field">
          <span>Level</span>
          <select
            className="jp-DbtWorkbench-logLevel jp-mod-styled"
            value={level}
            onChange={event => setLevel(event.target.value as LogLevelFilter)}
          >
            <option value="all">All</option>
            {LOG_LEVELS.map(name => (
              <option key={name} value={name}>
                {name} and above
              </option>
            ))}
          </select>
        </label>
        <input
          className="jp-DbtWorkbench-logSearch jp-mod-styled"
          type="search"
          placeholder="Search the log"
          aria-label="Search the log"
          value={search}
          onChange={event => setSearch(event.target.value)}
        />
        <span className="jp-DbtWorkbench-muted">
          {matching.length === props.events.length
            ? `${props.events.length} lines`
            : `${matching.length} of ${props.events.length} lines`}
        </span>
      </div>
      {matching.length > MAX_LINES ? (
        <p className="jp-DbtWorkbench-muted">
          Showing the last {MAX_LINES} matching lines.
        </p>
      ) : null}
      <div
        className="jp-DbtWorkbench-runLogLines"
        ref={scroller}
        role="log"
        onScroll={event => {
          const element = event.currentTarget;
          atBottom.current =
            element.scrollHeight - element.scrollTop - element.clientHeight <
            24;
        }}
      >
        {shown.length === 0 ? (
          <div className="jp-DbtWorkbench-muted">
            {props.events.length === 0
              ? 'No log lines yet.'
              : 'No line matches the filter.'}
          </div>
        ) : (
          shown.map(event => (
            <div
              key={event.seq}
              className="jp-DbtWorkbench-logLine"
              data-level={event.level}
              data-seq={event.seq}
            >
              <span className="jp-DbtWorkbench-logTime">{clock(event.ts)}</span>
              <span className="jp-DbtWorkbench-logLevelTag">{event.level}</span>
              <span className="jp-DbtWorkbench-logMessage">
                {stripAnsi(event.message)}
              </span>
            </div>
          ))
        )}
      </div>
    </div>
  );
}
