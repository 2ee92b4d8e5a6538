import React from 'react';

import { cellText } from './grid';
import type { IColumnProfile, IHistogram, ISqlProfile } from './types';

/** Top values shown per column. */
const TOP_SHOWN = 5;

/** The histogram's drawing box (viewBox units). */
const CHART_WIDTH = 200;
const CHART_HEIGHT = 48;

const percent = (fraction: number): string =>
  `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 2 : 1)}%`;

const count = (value: number): string => value.toLocaleString();

/** A value for the facts list ('' stays visible as an em dash). */
function fact(value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  if (typeof value === 'number') {
    return cellText(value);
  }
  return String(value);
}

/** The histogram bars of a numeric column. */
export function Histogram(props: { histogram: IHistogram }): JSX.Element {
  const { edges, counts } = props.histogram;
  const max = Math.max(1, ...counts);
  const width = CHART_WIDTH / Math.max(1, counts.length);
  return (
    <svg
      className="jp-DbtWorkbench-sqlHistogram"
      viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Histogram from ${fact(edges[0])} to ${fact(edges[edges.length - 1])}`}
    >
      {counts.map((value, index) => {
        const height = (value / max) * (CHART_HEIGHT - 2);
        return (
          <rect
            key={index}
            className="jp-DbtWorkbench-sqlHistogramBar"
            x={index * width + 0.5}
            y={CHART_HEIGHT - height}
            width={Math.max(0.5, width - 1)}
            height={height}
          >
            <title>
              {`${fact(edges[index])} – ${fact(edges[index + 1])}: ${count(value)}`}
            </title>
          </rect>
        );
      })}
    </svg>
  );
}

/** The most frequent values as horizontal bars. */
function TopValues(props: {
  column: IColumnProfile;
  rowCount: number;
}): JSX.Element | null {
  const top = props.column.top.slice(0, TOP_SHOWN);
  if (top.length === 0) {
    return null;
  }
  const max = Math.max(1, ...top.map(item => item.count));
  return (
    <table className="jp-DbtWorkbench-sqlTopValues">
      <tbody>
        {top.map((item, index) => (
          <tr key={index}>
            <td
              className="jp-DbtWorkbench-sqlTopValue"
              title={fact(item.value)}
            >
              {item.value === null ? 'NULL' : fact(item.value)}
            </td>
            <td className="jp-DbtWorkbench-sqlTopBar">
              <div
                className="jp-DbtWorkbench-sqlTopBarFill"
                style={{ width: `${(item.count / max) * 100}%` }}
              />
            </td>
            <td className="jp-DbtWorkbench-sqlTopCount">
              {count(item.count)}
              {props.rowCount > 0
                ? ` (${percent(item.count / props.rowCount)})`
                : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One column's card. */
function ColumnCard(props: {
  column: IColumnProfile;
  rowCount: number;
}): JSX.Element {
  const { column } = props;
  return (
    <section
      className="jp-DbtWorkbench-sqlProfileColumn"
      data-column={column.name}
    >
      <header>
        <span className="jp-DbtWorkbench-sqlProfileName">{column.name}</span>
        <span className="jp-DbtWorkbench-sqlHeaderType">{column.type}</span>
      </header>
      <dl className="jp-DbtWorkbench-sqlProfileFacts">
        <dt>Nulls</dt>
        <dd>
          {count(column.nulls)} ({percent(column.null_fraction)})
        </dd>
        <dt>Distinct</dt>
        <dd>{count(column.distinct)}</dd>
        <dt>Min</dt>
        <dd title={fact(column.min)}>{fact(column.min)}</dd>
        <dt>Max</dt>
        <dd title={fact(column.max)}>{fact(column.max)}</dd>
        {column.mean !== null && (
          <>
            <dt>Mean</dt>
            <dd title={String(column.mean)}>
              {fact(+column.mean.toPrecision(6))}
            </dd>
          </>
        )}
      </dl>
      {column.histogram && column.histogram.counts.length > 0 && (
        <Histogram histogram={column.histogram} />
      )}
      <TopValues column={column} rowCount={props.rowCount} />
    </section>
  );
}

/** A result's (or a table's) profile: a card per column. */
export function ProfileView(props: { profile: ISqlProfile }): JSX.Element {
  const { profile } = props;
  return (
    <div className="jp-DbtWorkbench-sqlProfile">
      <p className="jp-DbtWorkbench-sqlProfileSummary">
        {profile.source === 'relation' ? `${profile.name}: ` : ''}
        {count(profile.row_count)} rows, {profile.columns.length} columns
      </p>
      <div className="jp-DbtWorkbench-sqlProfileColumns">
        {profile.columns.map(column => (
          <ColumnCard
            key={column.name}
            column={column}
            rowCount={profile.row_count}
          />
        ))}
      </div>
    </div>
  );
}
