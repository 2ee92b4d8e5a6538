/**
 * Turning the server's match ranges into text pieces to render, and the
 * words that describe where a hit matched.
 */
import type { ISearchHit, SearchField } from './types';

/** A piece of text, marked when the query matched it. */
export interface ISegment {
  text: string;
  match: boolean;
}

/**
 * Split `text` into plain and matched pieces by `[start, end)` ranges.
 *
 * Ranges may come unsorted, overlapping or out of bounds (a snippet cut
 * differently than expected): they are clamped, sorted and merged, so each
 * character appears once and the pieces join back into `text`.
 */
export function highlightSegments(
  text: string,
  ranges: readonly (readonly number[])[]
): ISegment[] {
  const clamped = ranges
    .map(([start, end]) => [
      Math.max(0, Math.min(text.length, Math.floor(start))),
      Math.max(0, Math.min(text.length, Math.floor(end)))
    ])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: number[][] = [];
  for (const [start, end] of clamped) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) {
      last[1] = Math.max(last[1], end);
    } else {
      merged.push([start, end]);
    }
  }
  const segments: ISegment[] = [];
  let position = 0;
  for (const [start, end] of merged) {
    if (start > position) {
      segments.push({ text: text.slice(position, start), match: false });
    }
    segments.push({ text: text.slice(start, end), match: true });
    position = end;
  }
  if (position < text.length || segments.length === 0) {
    segments.push({ text: text.slice(position), match: false });
  }
  return segments;
}

/** How each field is named next to a snippet. */
export const FIELD_LABELS: Record<SearchField, string> = {
  name: 'name',
  alias: 'alias',
  tag: 'tag',
  column: 'column',
  owner: 'owner',
  description: 'description',
  column_description: 'column description',
  meta: 'meta',
  sql: 'SQL'
};

/**
 * The ranges to mark in a hit's name: the match's own when it matched the
 * whole name, none otherwise (the snippet line shows where it matched).
 */
export function nameHighlights(hit: ISearchHit): number[][] {
  const match = hit.match;
  return match && match.field === 'name' && match.snippet === hit.name
    ? match.highlights
    : [];
}
