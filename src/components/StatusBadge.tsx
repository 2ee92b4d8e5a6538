import React from 'react';

import { normalizeStatus } from '../model/status';

/** Props of {@link StatusBadge}. */
export interface IStatusBadgeProps {
  /** A raw dbt status (run, test or freshness); null for "never ran". */
  status: string | null;
  /** The tooltip; the raw status by default. */
  title?: string;
  /** Show the raw status as text next to the dot. */
  showLabel?: boolean;
}

/**
 * A colored dot (and optional label) for a dbt status; `data-status` holds
 * the normalized status (pass, warn, error, skipped or none).
 */
export function StatusBadge(props: IStatusBadgeProps): JSX.Element {
  const status = normalizeStatus(props.status);
  const title = props.title ?? props.status ?? 'No result yet';
  return (
    <span
      className="jp-DbtWorkbench-status"
      data-status={status}
      title={title}
      aria-label={title}
    >
      {props.showLabel ? (props.status ?? 'not run') : null}
    </span>
  );
}
