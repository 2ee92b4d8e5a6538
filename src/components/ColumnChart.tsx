import React from 'react';

import {
  chartStatus,
  columnBars,
  IChartPoint,
  niceMax
} from '../catalog/chart';

/** The drawing box of the chart, in viewBox units; the SVG stretches to fit. */
const WIDTH = 400;
const HEIGHT = 100;

/** Props of {@link ColumnChart}. */
export interface IColumnChartProps {
  /** Oldest first. */
  points: readonly IChartPoint[];
  /** What the chart shows, for screen readers. */
  label: string;
  formatValue: (value: number) => string;
  /** Labels under the first and last bar (e.g. their dates). */
  firstLabel?: string;
  lastLabel?: string;
}

/**
 * A small column chart drawn as SVG: one bar per point, colored by its
 * status, with the axis maximum written above it.
 */
export function ColumnChart(props: IColumnChartProps): JSX.Element {
  const { points } = props;
  const max = niceMax(Math.max(0, ...points.map(point => point.value)));
  const bars = columnBars(
    points.map(point => point.value),
    WIDTH,
    HEIGHT,
    max
  );
  return (
    <figure className="jp-DbtWorkbench-chart" aria-label={props.label}>
      <div className="jp-DbtWorkbench-chartAxis">{props.formatValue(max)}</div>
      <svg
        className="jp-DbtWorkbench-chartPlot"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={props.label}
      >
        <line
          className="jp-DbtWorkbench-chartGrid"
          x1={0}
          x2={WIDTH}
          y1={HEIGHT / 2}
          y2={HEIGHT / 2}
        />
        {bars.map((bar, index) => (
          <rect
            key={points[index].key}
            className="jp-DbtWorkbench-chartBar"
            data-status={chartStatus(points[index].status)}
            x={bar.x}
            y={bar.y}
            width={bar.width}
            height={bar.height}
          >
            <title>{points[index].title}</title>
          </rect>
        ))}
      </svg>
      <figcaption className="jp-DbtWorkbench-chartFooter">
        <span>{props.firstLabel ?? ''}</span>
        <span>{props.lastLabel ?? ''}</span>
      </figcaption>
    </figure>
  );
}
