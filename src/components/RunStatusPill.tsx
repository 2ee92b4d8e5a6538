import React from 'react';

import { runTone } from '../model/runs';
import type { RunStatus } from '../tokens';

/**
 * A run's status as a coloured pill; `data-run-status` holds the status and
 * `data-tone` its colour family (active, success, warning, error).
 */
export function RunStatusPill(props: { status: RunStatus }): JSX.Element {
  return (
    <span
      className="jp-DbtWorkbench-runStatus"
      data-run-status={props.status}
      data-tone={runTone(props.status)}
    >
      {props.status}
    </span>
  );
}
