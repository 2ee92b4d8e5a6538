import React, { useEffect, useState } from 'react';

/** How long a load may take before the spinner appears, in ms. */
const SHOW_AFTER_MS = 300;

/**
 * A spinner with a label that appears only when loading takes more than a
 * moment, so fast answers do not flash it.
 */
export function Spinner(props: { label?: string }): JSX.Element | null {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setVisible(true), SHOW_AFTER_MS);
    return () => clearTimeout(timer);
  }, []);
  if (!visible) {
    return null;
  }
  return (
    <div className="jp-DbtWorkbench-loading" role="status">
      <div className="jp-DbtWorkbench-spinner" />
      <span>{props.label ?? 'Loading…'}</span>
    </div>
  );
}
