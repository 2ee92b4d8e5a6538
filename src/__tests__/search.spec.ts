import { searchParams } from '../search/api';
import {
  facetValues,
  filterCount,
  filterParams,
  isSelected,
  SearchFilters,
  toggleFilter
} from '../search/facets';
import { highlightSegments, nameHighlights } from '../search/highlight';
import { CLOSED_LIST, IListState, listReducer } from '../search/navigation';
import type { ISearchHit, ISearchResult } from '../search/types';

/** The segments as a string with matched pieces in [brackets]. */
function marked(text: string, ranges: number[][]): string {
  return highlightSegments(text, ranges)
    .map(segment => (segment.match ? `[${segment.text}]` : segment.text))
    .join('');
}

function hit(overrides: Partial<ISearchHit> = {}): ISearchHit {
  return {
    unique_id: 'model.shop.stg_orders',
    name: 'stg_orders',
    resource_type: 'model',
    package_name: 'shop',
    schema: 'staging',
    materialized: 'view',
    tags: [],
    owner: null,
    description: '',
    score: 100,
    match: null,
    columns: [],
    ...overrides
  };
}

describe('highlightSegments', () => {
  it('marks the matched ranges and keeps the rest', () => {
    expect(
      marked('stg_web_events', [
        [4, 7],
        [8, 14]
      ])
    ).toBe('stg_[web]_[events]');
  });

  it('sorts, merges overlapping and adjacent ranges', () => {
    expect(
      marked('order_total', [
        [6, 11],
        [0, 3],
        [2, 5],
        [5, 6]
      ])
    ).toBe('[order_total]');
    expect(
      marked('abcdef', [
        [3, 4],
        [1, 2]
      ])
    ).toBe('a[b]c[d]ef');
  });

  it('clamps ranges outside the text and drops empty ones', () => {
    expect(
      marked('orders', [
        [-3, 2],
        [4, 99],
        [3, 3]
      ])
    ).toBe('[or]de[rs]');
    expect(marked('orders', [[10, 12]])).toBe('orders');
  });

  it('gives back the whole text, even when it is empty', () => {
    const text = '…_history.last_ordered_at, coalesce(x, 0) as…';
    const segments = highlightSegments(text, [[27, 35]]);
    expect(segments.map(s => s.text).join('')).toBe(text);
    expect(segments.filter(s => s.match).map(s => s.text)).toEqual([
      'coalesce'
    ]);
    expect(highlightSegments('', [[0, 1]])).toEqual([
      { text: '', match: false }
    ]);
  });
});

describe('nameHighlights', () => {
  it('marks the name when the match is the whole name', () => {
    const match = {
      field: 'name' as const,
      column: null,
      snippet: 'stg_orders',
      highlights: [[4, 10]]
    };
    expect(nameHighlights(hit({ match }))).toEqual([[4, 10]]);
  });

  it('leaves the name plain for column and SQL hits', () => {
    const match = {
      field: 'column' as const,
      column: 'order_total',
      snippet: 'order_total',
      highlights: [[0, 5]]
    };
    expect(nameHighlights(hit({ match }))).toEqual([]);
    expect(nameHighlights(hit())).toEqual([]);
  });
});

describe('listReducer', () => {
  const run = (
    state: IListState,
    ...actions: Parameters<typeof listReducer>[1][]
  ) => actions.reduce(listReducer, state);

  it('opens on typing with the best result active', () => {
    expect(run(CLOSED_LIST, { type: 'input' })).toEqual({
      open: true,
      active: 0
    });
  });

  it('moves down and up, wrapping around', () => {
    const open = run(CLOSED_LIST, { type: 'input' });
    const down = { type: 'move', delta: 1, count: 3 } as const;
    const up = { type: 'move', delta: -1, count: 3 } as const;
    expect(run(open, down).active).toBe(1);
    expect(run(open, down, down).active).toBe(2);
    expect(run(open, down, down, down).active).toBe(0);
    expect(run(open, up).active).toBe(2);
  });

  it('opens a closed list on ↓ at the first option, on ↑ at the last', () => {
    const closed = run(
      CLOSED_LIST,
      { type: 'input' },
      { type: 'move', delta: 1, count: 4 },
      { type: 'close' }
    );
    expect(closed.open).toBe(false);
    expect(run(closed, { type: 'move', delta: 1, count: 4 })).toEqual({
      open: true,
      active: 0
    });
    expect(run(closed, { type: 'move', delta: -1, count: 4 })).toEqual({
      open: true,
      active: 3
    });
  });

  it('keeps the active option within new results', () => {
    const moved = run(
      CLOSED_LIST,
      { type: 'input' },
      { type: 'move', delta: 1, count: 9 },
      { type: 'move', delta: 1, count: 9 }
    );
    expect(moved.active).toBe(2);
    expect(run(moved, { type: 'options', count: 9 }).active).toBe(2);
    expect(run(moved, { type: 'options', count: 2 }).active).toBe(1);
    expect(run(moved, { type: 'options', count: 0 }).active).toBe(-1);
  });

  it('follows the pointer, ignoring indexes outside the list', () => {
    const open = run(CLOSED_LIST, { type: 'input' });
    expect(run(open, { type: 'activate', index: 3, count: 5 }).active).toBe(3);
    expect(run(open, { type: 'activate', index: 5, count: 5 }).active).toBe(0);
  });

  it('does nothing to move through when there is nothing', () => {
    expect(run(CLOSED_LIST, { type: 'move', delta: 1, count: 0 })).toEqual({
      open: true,
      active: -1
    });
  });
});

describe('facet filters', () => {
  it('toggles a value on and off again', () => {
    const on = toggleFilter({}, 'resource_type', 'source');
    expect(on).toEqual({ resource_type: ['source'] });
    expect(isSelected(on, 'resource_type', 'source')).toBe(true);
    expect(toggleFilter(on, 'resource_type', 'source')).toEqual({});
  });

  it('keeps the other values and facets, without changing the input', () => {
    const start: SearchFilters = { resource_type: ['model'], tag: ['pii'] };
    const next = toggleFilter(start, 'resource_type', 'seed');
    expect(next).toEqual({ resource_type: ['model', 'seed'], tag: ['pii'] });
    expect(start).toEqual({ resource_type: ['model'], tag: ['pii'] });
    expect(filterCount(next)).toBe(3);
  });

  it('sends each toggled value as a repeated URL parameter', () => {
    let filters: SearchFilters = {};
    filters = toggleFilter(filters, 'resource_type', 'model');
    filters = toggleFilter(filters, 'resource_type', 'source');
    filters = toggleFilter(filters, 'materialized', 'table');
    filters = toggleFilter(filters, 'owner', 'Ines Moreau');
    expect(filterParams(filters)).toEqual({
      type: ['model', 'source'],
      owner: ['Ines Moreau'],
      materialized: ['table']
    });
    const params = searchParams({
      project: 'demo',
      query: 'orders',
      filters,
      offset: 25,
      limit: 25
    });
    expect(params).toEqual({
      project: 'demo',
      q: 'orders',
      type: ['model', 'source'],
      owner: ['Ines Moreau'],
      materialized: ['table'],
      offset: 25,
      limit: 25
    });
  });

  it('offers a toggled value the server did not count, at zero', () => {
    const result = {
      facets: { tag: [{ value: 'finance', count: 4 }] }
    } as unknown as ISearchResult;
    expect(facetValues(result, { tag: ['finance', 'gone'] }, 'tag')).toEqual([
      { value: 'finance', count: 4 },
      { value: 'gone', count: 0 }
    ]);
    expect(facetValues(null, {}, 'owner')).toEqual([]);
  });
});
