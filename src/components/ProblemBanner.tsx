import React from 'react';

import { formatTime } from '../format';
import type { IArtifactProblem } from '../tokens';

/**
 * A warning that the project's last artifact load failed; what is shown
 * below it is the last state that loaded.
 */
export function ProblemBanner(props: {
  problem: IArtifactProblem;
}): JSX.Element {
  const { problem } = props;
  return (
    <div
      className="jp-DbtWorkbench-problem"
      role="alert"
      data-reason={problem.reason}
    >
      <strong>Could not load {problem.artifact}</strong>
      <span>{problem.message}</span>
      <span className="jp-DbtWorkbench-muted">
        {formatTime(problem.at)} · showing the last good state
      </span>
    </div>
  );
}
