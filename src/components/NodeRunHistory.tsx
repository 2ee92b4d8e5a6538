import React from 'react';

import { fetchNodeHistory } from '../catalog/api';
import type { IChartPoint } from '../catalog/chart';
import type { INodeRunPoint } from '../catalog/types';
import { useLoad } from '../catalog/useLoad';
import { formatDuration, formatTime } from '../format';
import { ColumnChart } from './ColumnChart';
import { Spinner } from './Spinner';
import { StatusBadge } from './StatusBadge';

/** How many of the newest results the table lists under the chart. */
const TABLE_ROWS = 10;

function chartPoints(items: readonly INodeRunPoint[]): IChartPoint[] {
  return [...items]
    .reverse()
    .filter(item => item.execution_time !== null)
    .map(item => ({
      key: item.run_id,
      value: item.execution_time ?? 0,
      label: item.created_at,
      status: item.status,
      title: `${formatTime(item.created_at)} · dbt ${item.cli} · ${
        item.status ?? 'no result'
      } · ${formatDuration(item.execution_time)}`
    }));
}

/**
 * The node's results in the runs the workbench kept: durations over time as
 * a chart, then the newest results.
 */
export function NodeRunHistory(props: {
  project: string;
  uniqueId: string;
  /** Changes when the project's artifacts change (a run ended). */
  version: number | null;
  onOpenRun?: (runId: string) => void;
}): JSX.Element {
  const loaded = useLoad(
    () => fetchNodeHistory(props.project, props.uniqueId),
    `${props.project}|${props.uniqueId}|${props.version}`
  );
  if (loaded.state === 'loading') {
    return <Spinner label="Loading the run history…" />;
  }
  if (loaded.state === 'error') {
    return (
      <p className="jp-DbtWorkbench-problem" role="alert">
        Cannot read the run history: {loaded.message}
      </p>
    );
  }
  const history = loaded.value;
  if (history.items.length === 0) {
    return (
      <div className="jp-DbtWorkbench-runHistory" data-runs="0">
        <p className="jp-DbtWorkbench-muted">
          No run of this node through the workbench yet: runs started from the
          side panel, the run commands or <code>%dbt</code> are kept here (runs
          from a terminal only update the last result above).
        </p>
      </div>
    );
  }
  const points = chartPoints(history.items);
  return (
    <div className="jp-DbtWorkbench-runHistory" data-runs={history.total}>
      {points.length > 1 ? (
        <ColumnChart
          points={points}
          label={`Duration of the last ${points.length} runs`}
          formatValue={formatDuration}
          firstLabel={formatTime(points[0].label)}
          lastLabel={formatTime(points[points.length - 1].label)}
        />
      ) : null}
      <table className="jp-DbtWorkbench-table">
        <thead>
          <tr>
            <th>Status</th>
            <th>When</th>
            <th>Command</th>
            <th>Duration</th>
            <th>Rows</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {history.items.slice(0, TABLE_ROWS).map(item => (
            <tr key={item.run_id} data-run={item.run_id}>
              <td>
                <StatusBadge status={item.status} showLabel />
              </td>
              <td>{formatTime(item.created_at)}</td>
              <td>
                {props.onOpenRun ? (
                  <a
                    href="#"
                    onClick={event => {
                      event.preventDefault();
                      props.onOpenRun?.(item.run_id);
                    }}
                  >
                    dbt {item.cli}
                  </a>
                ) : (
                  `dbt ${item.cli}`
                )}
              </td>
              <td>{formatDuration(item.execution_time)}</td>
              <td>{item.rows_affected ?? ''}</td>
              <td>
                {item.message ?? ''}
                {item.failures ? ` (${item.failures} failing rows)` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.total > TABLE_ROWS ? (
        <p className="jp-DbtWorkbench-muted">
          {history.total} results kept; the chart shows the newest{' '}
          {points.length}.
        </p>
      ) : null}
    </div>
  );
}
