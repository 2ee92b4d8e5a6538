/**
 * How audit entries read in the table (plain functions, tested without a DOM).
 */
import type { IAuditEntry } from './types';

/** The actions the filter offers; any dotted prefix works too. */
export const ACTION_CHOICES: readonly { value: string; label: string }[] = [
  { value: '', label: 'All actions' },
  { value: 'git', label: 'Git' },
  { value: 'run', label: 'Runs' },
  { value: 'schedule', label: 'Schedules' },
  { value: 'metadata', label: 'Metadata' },
  { value: 'sql', label: 'SQL writes' }
];

/** A one-line summary of an entry's details: `key: value` pairs, shortened. */
export function detailsSummary(
  details: Record<string, unknown>,
  max = 80
): string {
  const parts = Object.entries(details).map(
    ([key, value]) => `${key}: ${shortValue(value)}`
  );
  const text = parts.join(', ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function shortValue(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map(item => shortValue(item)).join(' ');
  }
  if (value !== null && typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/** The entry's time in the user's locale, with the UTC value as a fallback. */
export function entryTime(entry: IAuditEntry): string {
  const moment = new Date(entry.at);
  return Number.isNaN(moment.getTime()) ? entry.at : moment.toLocaleString();
}

/** "1–50 of 230" for a page. */
export function pageLabel(
  offset: number,
  count: number,
  total: number
): string {
  if (total === 0) {
    return 'No entries';
  }
  return `${offset + 1}–${offset + count} of ${total}`;
}
