import React from 'react';

import {
  countsText,
  nodeStatusColor,
  progressFraction,
  progressSegments,
  progressText
} from '../model/runs';
import type { IRunProgress } from '../tokens';

/** Props of {@link RunProgressBar}. */
export interface IRunProgressBarProps {
  progress: IRunProgress;
  counts: Record<string, number>;
  /** Whether the run is still going: an unknown total then animates. */
  active: boolean;
}

/**
 * The run's progress: finished nodes as coloured segments (pass, warn,
 * error, skipped) over the total, with `done/total` and the counts.
 */
export function RunProgressBar(props: IRunProgressBarProps): JSX.Element {
  const { progress, counts, active } = props;
  const fraction = progressFraction(progress);
  const segments = progressSegments(counts, progress);
  const summary = countsText(counts);
  return (
    <div className="jp-DbtWorkbench-runProgress">
      <div
        className="jp-DbtWorkbench-runProgressTrack"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={progress.total ?? undefined}
        aria-valuenow={progress.done}
        aria-valuetext={`${progressText(progress)} nodes finished`}
        data-indeterminate={active && fraction === null ? 'true' : undefined}
      >
        {segments.map(segment => (
          <div
            key={segment.tone}
            className="jp-DbtWorkbench-runProgressSegment"
            data-tone={segment.tone}
            style={{
              width: `${segment.percent}%`,
              background: nodeStatusColor(segment.tone)
            }}
            title={`${segment.count} ${segment.tone}`}
          />
        ))}
      </div>
      <div className="jp-DbtWorkbench-runProgressText">
        <span className="jp-DbtWorkbench-runProgressCount">
          {progress.total === null
            ? `${progress.done} nodes finished`
            : `${progress.done} of ${progress.total} nodes`}
        </span>
        {summary ? (
          <span className="jp-DbtWorkbench-muted">{summary}</span>
        ) : null}
      </div>
    </div>
  );
}
