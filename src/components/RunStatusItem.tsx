import React from 'react';

import { progressFraction, progressLabel, runStatusColor } from '../model/runs';
import type { RunsTracker } from '../runs/tracker';
import { useSignal } from './hooks';

/** Props of {@link RunStatusItem}. */
export interface IRunStatusItemProps {
  tracker: RunsTracker;
  onOpenRun: (id: string) => void;
}

/**
 * The status-bar item: the oldest active run's progress (`dbt build 12/94`)
 * with a small bar, and how many more are active; nothing when idle.
 */
export function RunStatusItem(props: IRunStatusItemProps): JSX.Element | null {
  useSignal(props.tracker.activeChanged);
  const active = props.tracker.active;
  if (active.length === 0) {
    return null;
  }
  const run = active.find(item => item.status === 'running') ?? active[0];
  const fraction = progressFraction(run.progress);
  const others = active.length - 1;
  return (
    <button
      className="jp-DbtWorkbench-runStatusItem"
      data-run-id={run.id}
      title={`${active.length} active dbt run${active.length > 1 ? 's' : ''}: click to open`}
      onClick={() => props.onOpenRun(run.id)}
    >
      <span className="jp-DbtWorkbench-runStatusLabel">
        {progressLabel(run)}
      </span>
      <span
        className="jp-DbtWorkbench-runStatusBar"
        data-indeterminate={fraction === null ? 'true' : undefined}
      >
        <span
          style={{
            width: `${(fraction ?? 0) * 100}%`,
            background: runStatusColor(run.status)
          }}
        />
      </span>
      {others > 0 ? (
        <span className="jp-DbtWorkbench-muted">+{others}</span>
      ) : null}
    </button>
  );
}
