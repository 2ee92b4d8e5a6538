import React, { useEffect, useMemo, useRef, useState } from 'react';

import {
  cellText,
  columnWidths,
  decimalScale,
  isNumericType,
  PageFetcher,
  RowCache,
  rowWindow,
  scrollHeight
} from './grid';
import type { ISqlColumn } from './types';

/** Every row has this height (px): the virtualization depends on it. */
export const ROW_HEIGHT = 24;

/** The height of the two-line header (name, type). */
const HEADER_HEIGHT = 40;

/** The width of the row-number gutter. */
const GUTTER_WIDTH = 64;

/** The first rows measured for the column widths. */
const SAMPLE_ROWS = 100;

/** The sort shown by the grid; `column` null is the query's own order. */
export interface IGridSort {
  column: string | null;
  descending: boolean;
}

/** Props of {@link ResultGrid}. */
export interface IResultGridProps {
  /** Identifies the result: a new key drops every cached page. */
  resultKey: string;
  total: number;
  columns: ISqlColumn[];
  sort: IGridSort;
  onSort: (column: string) => void;
  /** Read rows in the current sort order. */
  fetchPage: PageFetcher;
}

/**
 * A virtualized, server-paged table: only the rows in view are in the DOM,
 * pages of rows are fetched as they scroll into view, and clicking a header
 * sorts on the server.
 */
export function ResultGrid(props: IResultGridProps): JSX.Element {
  const { total, columns, sort } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const [, setVersion] = useState(0);
  const fetchPage = useRef(props.fetchPage);
  fetchPage.current = props.fetchPage;

  const cacheKey = `${props.resultKey}\u0000${sort.column}\u0000${sort.descending}`;
  const cache = useMemo(
    () =>
      new RowCache(
        (offset, limit) => fetchPage.current(offset, limit),
        () => setVersion(version => version + 1)
      ),
    [cacheKey]
  );
  useEffect(() => () => cache.dispose(), [cache]);

  // A new result or sort starts at the top.
  useEffect(() => {
    if (scroller.current) {
      scroller.current.scrollTop = 0;
    }
    setScrollTop(0);
  }, [cacheKey]);

  useEffect(() => {
    const element = scroller.current;
    if (!element) {
      return;
    }
    const measure = () => setViewport(element.clientHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Widths come from the first rows of the result, once they have loaded,
  // and then stay put: scrolling or sorting never makes columns jump.
  const measured = useRef<{ key: string; widths: number[]; done: boolean }>();
  if (measured.current?.key !== props.resultKey || !measured.current.done) {
    const wanted = Math.min(total, SAMPLE_ROWS);
    const sample = cache.loaded(0, wanted);
    measured.current = {
      key: props.resultKey,
      widths: columnWidths(columns, sample),
      done: sample.length === wanted
    };
  }
  const widths = measured.current.widths;
  const template = `${GUTTER_WIDTH}px ${widths.map(width => `${width}px`).join(' ')}`;
  const totalWidth =
    GUTTER_WIDTH + widths.reduce((sum, width) => sum + width, 0);
  const numeric = useMemo(
    () => columns.map(column => isNumericType(column.type)),
    [columns]
  );
  const scales = useMemo(
    () => columns.map(column => decimalScale(column.type)),
    [columns]
  );

  const bodyHeight = Math.max(0, viewport - HEADER_HEIGHT);
  const window = rowWindow(scrollTop, bodyHeight, total, ROW_HEIGHT);
  cache.prefetch(window.first, window.count);

  const rows: JSX.Element[] = [];
  for (let index = window.first; index < window.first + window.count; index++) {
    const row = cache.row(index);
    rows.push(
      <div
        key={index}
        className="jp-DbtWorkbench-sqlRow"
        role="row"
        data-row={index}
        aria-rowindex={index + 2}
        style={{ gridTemplateColumns: template, height: ROW_HEIGHT }}
      >
        <div className="jp-DbtWorkbench-sqlRowNumber" role="rowheader">
          {index + 1}
        </div>
        {columns.map((column, position) => {
          const value = row?.[position];
          return (
            <div
              key={position}
              role="gridcell"
              className={
                'jp-DbtWorkbench-sqlCell' +
                (numeric[position] ? ' jp-mod-numeric' : '') +
                (row && value === null ? ' jp-mod-null' : '')
              }
              title={row ? cellText(value, scales[position]) : undefined}
            >
              {row
                ? value === null
                  ? 'NULL'
                  : cellText(value, scales[position])
                : ''}
            </div>
          );
        })}
      </div>
    );
  }

  return (
    <div
      ref={scroller}
      className="jp-DbtWorkbench-sqlGrid"
      role="grid"
      aria-rowcount={total + 1}
      aria-colcount={columns.length}
      data-total={total}
      data-first-row={window.first}
      onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div
        className="jp-DbtWorkbench-sqlHeader"
        role="row"
        style={{
          gridTemplateColumns: template,
          height: HEADER_HEIGHT,
          width: totalWidth
        }}
      >
        <div className="jp-DbtWorkbench-sqlRowNumber" />
        {columns.map(column => {
          const sorted = sort.column === column.name;
          return (
            <div
              key={column.name}
              role="columnheader"
              className="jp-DbtWorkbench-sqlHeaderCell"
              aria-sort={
                sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'
              }
              title={`${column.name} (${column.type}): click to sort`}
              onClick={() => props.onSort(column.name)}
            >
              <span className="jp-DbtWorkbench-sqlHeaderName">
                {column.name}
                {sorted ? (sort.descending ? ' ▼' : ' ▲') : ''}
              </span>
              <span className="jp-DbtWorkbench-sqlHeaderType">
                {column.type}
              </span>
            </div>
          );
        })}
      </div>
      <div
        className="jp-DbtWorkbench-sqlSpacer"
        style={{
          height: scrollHeight(total, ROW_HEIGHT),
          width: totalWidth
        }}
      >
        <div
          className="jp-DbtWorkbench-sqlRows"
          style={{
            transform: `translateY(${window.top}px)`,
            width: totalWidth
          }}
        >
          {rows}
        </div>
      </div>
    </div>
  );
}
