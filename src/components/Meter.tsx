import React from 'react';

import { percent } from '../catalog/chart';

/** A labelled share drawn as a thin SVG bar: `part` of `whole`. */
export function Meter(props: {
  label: string;
  part: number;
  whole: number;
}): JSX.Element {
  const share = percent(props.part, props.whole);
  return (
    <div
      className="jp-DbtWorkbench-meter"
      data-label={props.label}
      data-percent={share}
    >
      <div className="jp-DbtWorkbench-meterText">
        <span>{props.label}</span>
        <span>
          {props.whole > 0
            ? `${props.part} / ${props.whole} (${share}%)`
            : 'none'}
        </span>
      </div>
      <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
        <rect className="jp-DbtWorkbench-meterTrack" width={100} height={6} />
        <rect className="jp-DbtWorkbench-meterFill" width={share} height={6} />
      </svg>
    </div>
  );
}
