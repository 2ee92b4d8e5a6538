/**
 * The arithmetic of the virtualized result grid and its page cache. Only
 * the rows in view are rendered and only the pages around them are held, so
 * a 10-million-row result costs the browser a few hundred rows.
 */
import type { SqlCell } from './types';

/** Rows per `GET rows` request. */
export const PAGE_SIZE = 200;

/**
 * The tallest scroll area used. Browsers cap element heights (about 17
 * million px in Firefox, 33 million in Chrome); beyond this the scroll
 * position maps to rows proportionally instead of one pixel per pixel.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000;

/** Rows rendered above and below the visible ones, for smooth scrolling. */
const OVERSCAN = 4;

/** The height of the scroll area for `total` rows. */
export function scrollHeight(
  total: number,
  rowHeight: number,
  maxHeight = MAX_SCROLL_HEIGHT
): number {
  return Math.min(total * rowHeight, maxHeight);
}

/** The rows to render and where the first one goes. */
export interface IRowWindow {
  /** Index of the first rendered row. */
  first: number;
  /** How many rows to render. */
  count: number;
  /** The top of the first rendered row, in the scroll area (px). */
  top: number;
}

/**
 * The rows visible at `scrollTop` in a viewport `viewport` px high.
 *
 * Unscaled, row i sits at i × rowHeight. Scaled (the area is capped), the
 * scroll fraction picks the first row, and rows are drawn from the top of
 * the viewport, so the last row is reached exactly at the bottom.
 */
export function rowWindow(
  scrollTop: number,
  viewport: number,
  total: number,
  rowHeight: number,
  maxHeight = MAX_SCROLL_HEIGHT
): IRowWindow {
  if (total <= 0 || viewport <= 0) {
    return { first: 0, count: 0, top: 0 };
  }
  const inView = Math.ceil(viewport / rowHeight) + 1;
  const height = scrollHeight(total, rowHeight, maxHeight);
  if (height === total * rowHeight) {
    const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
    const last = Math.min(total, first + inView + 2 * OVERSCAN);
    return { first, count: last - first, top: first * rowHeight };
  }
  const maxScroll = Math.max(1, height - viewport);
  const fraction = Math.min(1, Math.max(0, scrollTop / maxScroll));
  const fullRows = Math.floor(viewport / rowHeight);
  const first = Math.round(fraction * Math.max(0, total - fullRows));
  const count = Math.min(total - first, inView);
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  return { first, count, top };
}

/** The scroll position that brings row `index` to the top. */
export function scrollTopForRow(
  index: number,
  viewport: number,
  total: number,
  rowHeight: number,
  maxHeight = MAX_SCROLL_HEIGHT
): number {
  const height = scrollHeight(total, rowHeight, maxHeight);
  if (height === total * rowHeight) {
    return index * rowHeight;
  }
  const fullRows = Math.floor(viewport / rowHeight);
  const span = Math.max(1, total - fullRows);
  return (Math.min(index, span) / span) * Math.max(1, height - viewport);
}

/** Fetch one page of rows (offset is a multiple of the page size). */
export type PageFetcher = (
  offset: number,
  limit: number
) => Promise<SqlCell[][]>;

/**
 * The pages of one result in one sort order. `row(i)` answers from memory
 * or starts loading the page holding row i; `changed` is called when a page
 * lands. At most `maxPages` pages are kept (least recently used go first).
 */
export class RowCache {
  constructor(
    private readonly _fetch: PageFetcher,
    private readonly _changed: () => void,
    private readonly _maxPages = 40,
    private readonly _pageSize = PAGE_SIZE
  ) {}

  /** The last failure, until a page loads again. */
  get error(): unknown {
    return this._error;
  }

  /** Row `index`, or undefined while its page loads. */
  row(index: number): SqlCell[] | undefined {
    const page = Math.floor(index / this._pageSize);
    const rows = this._pages.get(page);
    if (rows) {
      // Re-insert: Map iteration order is the recency order.
      this._pages.delete(page);
      this._pages.set(page, rows);
      return rows[index - page * this._pageSize];
    }
    this._load(page);
    return undefined;
  }

  /** Load the pages of rows [first, first + count) ahead of rendering them. */
  prefetch(first: number, count: number): void {
    if (count <= 0) {
      return;
    }
    const from = Math.floor(first / this._pageSize);
    const to = Math.floor((first + count - 1) / this._pageSize);
    for (let page = from; page <= to; page++) {
      if (!this._pages.has(page)) {
        this._load(page);
      }
    }
  }

  /**
   * The rows from `first` that are already loaded, up to `count` and up to
   * the first row still missing; loads nothing.
   */
  loaded(first: number, count: number): SqlCell[][] {
    const rows: SqlCell[][] = [];
    for (let index = first; index < first + count; index++) {
      const page = this._pages.get(Math.floor(index / this._pageSize));
      const row = page?.[index % this._pageSize];
      if (!row) {
        break;
      }
      rows.push(row);
    }
    return rows;
  }

  /** How many pages are held (for tests and diagnostics). */
  get size(): number {
    return this._pages.size;
  }

  /** Stop delivering pages (the result or the sort changed). */
  dispose(): void {
    this._disposed = true;
    this._pages.clear();
  }

  private _load(page: number): void {
    if (this._pending.has(page) || this._disposed) {
      return;
    }
    this._pending.add(page);
    this._fetch(page * this._pageSize, this._pageSize)
      .then(rows => {
        if (this._disposed) {
          return;
        }
        this._error = null;
        this._pages.set(page, rows);
        while (this._pages.size > this._maxPages) {
          const oldest = this._pages.keys().next().value as number;
          this._pages.delete(oldest);
        }
        this._changed();
      })
      .catch(error => {
        if (!this._disposed) {
          this._error = error;
          this._changed();
        }
      })
      .finally(() => this._pending.delete(page));
  }

  private _pages = new Map<number, SqlCell[][]>();
  private _pending = new Set<number>();
  private _error: unknown = null;
  private _disposed = false;
}

/** The next sort state when a header is clicked: asc → desc → off. */
export function nextSort(
  current: { column: string | null; descending: boolean },
  column: string
): { column: string | null; descending: boolean } {
  if (current.column !== column) {
    return { column, descending: false };
  }
  if (!current.descending) {
    return { column, descending: true };
  }
  return { column: null, descending: false };
}

/**
 * A cell as text for the grid (null shown apart from the string 'NULL').
 * `scale` is the digits after the point of a DECIMAL column: 296 shows as
 * 296.00 there, as the warehouse holds it.
 */
export function cellText(
  value: SqlCell | undefined,
  scale: number | null = null
): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    if (scale !== null) {
      return value.toFixed(scale);
    }
    return Number.isInteger(value)
      ? String(value)
      : String(+value.toPrecision(12));
  }
  return String(value);
}

/** The digits after the point of a DECIMAL(p, s) type; null for others. */
export function decimalScale(type: string): number | null {
  const match = /^(?:decimal|numeric)\s*\(\s*\d+\s*,\s*(\d+)\s*\)/i.exec(type);
  return match ? Math.min(20, Number(match[1])) : null;
}

/**
 * Characters a value of `type` takes whatever it holds: dates, times and
 * identifiers have fixed-width text, so their column fits before any row loads.
 */
function typeChars(type: string): number {
  if (/^timestamp/i.test(type)) {
    return /(tz|time zone)/i.test(type) ? 25 : 19;
  }
  if (/^date$/i.test(type)) {
    return 10;
  }
  if (/^time\b/i.test(type)) {
    return 8;
  }
  if (/^uuid$/i.test(type)) {
    return 36;
  }
  return 0;
}

/** A column's width in px from its name, type and a few sample values. */
export function columnWidth(
  name: string,
  type: string,
  samples: string[] = []
): number {
  const longest = Math.max(
    name.length + 2,
    type.length,
    typeChars(type),
    ...samples.map(sample => sample.length)
  );
  return Math.min(320, Math.max(72, Math.round(longest * 7.5 + 20)));
}

/** The width of every column, measured on the first rows of the result. */
export function columnWidths(
  columns: readonly { name: string; type: string }[],
  rows: readonly SqlCell[][]
): number[] {
  return columns.map((column, position) => {
    const scale = decimalScale(column.type);
    return columnWidth(
      column.name,
      column.type,
      rows.map(row =>
        row[position] === null ? 'NULL' : cellText(row[position], scale)
      )
    );
  });
}

/** Whether a column type is numeric (right-aligned in the grid). */
export function isNumericType(type: string): boolean {
  return /^(u?(tiny|small|big|huge)?int(eger)?\d*|decimal|numeric|double|float\d*|real|number)\b/i.test(
    type
  );
}
