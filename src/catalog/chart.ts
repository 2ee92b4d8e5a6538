/**
 * The arithmetic of the small SVG charts: axis maxima, bar geometry and the
 * status class a bar is colored by. Plain functions, tested on their own.
 */

/** The color class of a bar: run, node and test statuses reduced to four. */
export type ChartStatus = 'pass' | 'warn' | 'error' | 'other';

/** One bar of a chart. */
export interface IChartPoint {
  key: string;
  value: number;
  label: string;
  status: string | null;
  /** The tooltip. */
  title: string;
}

/** A bar's place in the drawing, in viewBox units. */
export interface IBarGeometry {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The smallest "nice" number (1, 2 or 5 times a power of ten) at or above
 * `value`, so an axis ends on a round figure; 1 for zero, negative or
 * non-finite values.
 */
export function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    return 1;
  }
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) {
    // Rounded: 0.1 * 3 is 0.30000000000000004 in floating point.
    const candidate = Number((step * power).toPrecision(12));
    if (candidate >= value) {
      return candidate;
    }
  }
  return 10 * power;
}

/**
 * Vertical bars for `values` side by side in a `width` x `height` box, each
 * as tall as its share of `max`; `gap` is the space between bars, as a
 * fraction of a slot (0..1). A non-zero value keeps at least one unit of
 * height so that it stays visible.
 */
export function columnBars(
  values: readonly number[],
  width: number,
  height: number,
  max: number,
  gap = 0.2
): IBarGeometry[] {
  if (values.length === 0) {
    return [];
  }
  const slot = width / values.length;
  const barWidth = Math.max(slot * (1 - gap), 1);
  const scale = max > 0 ? height / max : 0;
  return values.map((value, index) => {
    const clamped = Math.min(Math.max(value, 0), max);
    const barHeight = clamped > 0 ? Math.max(clamped * scale, 1) : 0;
    return {
      x: index * slot + (slot - barWidth) / 2,
      y: height - barHeight,
      width: barWidth,
      height: barHeight
    };
  });
}

/** The length of a horizontal bar for `value` on an axis of `length` up to `max`. */
export function barLength(value: number, max: number, length: number): number {
  if (max <= 0 || value <= 0) {
    return 0;
  }
  return (Math.min(value, max) / max) * length;
}

/** The color class of a run, node or test status. */
export function chartStatus(status: string | null | undefined): ChartStatus {
  switch ((status ?? '').toLowerCase()) {
    case 'success':
    case 'pass':
      return 'pass';
    case 'warn':
    case 'cancelled':
    case 'interrupted':
      return 'warn';
    case 'error':
    case 'fail':
    case 'failed':
    case 'runtime error':
      return 'error';
    default:
      return 'other';
  }
}

/** `part` of `whole` as a whole percentage; 0 when there is nothing to count. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((100 * part) / whole) : 0;
}
