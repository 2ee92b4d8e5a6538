import React from 'react';

/** "and N more" under a capped list, or nothing when it shows everything. */
export function MoreCount(props: {
  shown: number;
  total: number;
}): JSX.Element | null {
  const rest = props.total - props.shown;
  return rest > 0 ? (
    <p className="jp-DbtWorkbench-muted">and {rest} more</p>
  ) : null;
}
