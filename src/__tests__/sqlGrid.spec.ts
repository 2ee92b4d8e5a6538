import {
  cellText,
  columnWidths,
  decimalScale,
  isNumericType,
  MAX_SCROLL_HEIGHT,
  nextSort,
  RowCache,
  rowWindow,
  scrollHeight,
  scrollTopForRow
} from '../sql/grid';

const ROW = 24;

describe('virtualized grid window', () => {
  it('renders only the rows in view (plus a small overscan)', () => {
    const window = rowWindow(0, 480, 1000, ROW);
    expect(window.first).toBe(0);
    expect(window.count).toBeLessThan(40);
    expect(window.count).toBeGreaterThanOrEqual(20);
    const scrolled = rowWindow(240 * ROW, 480, 1000, ROW);
    expect(scrolled.first).toBeLessThanOrEqual(240);
    expect(scrolled.first + scrolled.count).toBeGreaterThan(260);
    expect(scrolled.top).toBe(scrolled.first * ROW);
  });

  it('never renders past the last row', () => {
    const window = rowWindow(5 * ROW, 480, 10, ROW);
    expect(window.first + window.count).toBe(10);
  });

  it('caps the scroll height of 10 million rows and still reaches both ends', () => {
    const total = 10_000_000;
    const height = scrollHeight(total, ROW);
    expect(height).toBe(MAX_SCROLL_HEIGHT);
    const viewport = 480;
    const top = rowWindow(0, viewport, total, ROW);
    expect(top.first).toBe(0);
    const bottom = rowWindow(height - viewport, viewport, total, ROW);
    expect(bottom.first + bottom.count).toBe(total);
    const middle = rowWindow((height - viewport) / 2, viewport, total, ROW);
    expect(Math.abs(middle.first - total / 2)).toBeLessThan(100);
    expect(middle.count).toBeLessThan(30);
  });

  it('maps a row back to its scroll position', () => {
    expect(scrollTopForRow(100, 480, 1000, ROW)).toBe(100 * ROW);
    const total = 10_000_000;
    const top = scrollTopForRow(total / 2, 480, total, ROW);
    expect(rowWindow(top, 480, total, ROW).first).toBeCloseTo(total / 2, -2);
  });
});

describe('row cache', () => {
  const flush = () => new Promise(resolve => setTimeout(resolve, 0));

  it('fetches a page once, on demand, and answers from memory after', async () => {
    const calls: number[] = [];
    let changes = 0;
    const cache = new RowCache(
      async (offset, limit) => {
        calls.push(offset);
        return Array.from({ length: limit }, (_, i) => [offset + i]);
      },
      () => changes++,
      10,
      200
    );
    expect(cache.row(250)).toBeUndefined();
    expect(cache.row(251)).toBeUndefined();
    await flush();
    expect(calls).toEqual([200]);
    expect(changes).toBe(1);
    expect(cache.row(250)).toEqual([250]);
    cache.prefetch(390, 20);
    await flush();
    expect(calls).toEqual([200, 400]);
  });

  it('keeps at most maxPages pages, dropping the least recently used', async () => {
    const calls: number[] = [];
    const cache = new RowCache(
      async offset => {
        calls.push(offset);
        return [[offset]];
      },
      () => undefined,
      2,
      1
    );
    cache.row(0);
    cache.row(1);
    await flush();
    cache.row(0); // page 0 is now the most recent
    cache.row(2);
    await flush();
    expect(cache.size).toBe(2);
    expect(cache.row(0)).toEqual([0]);
    expect(cache.row(1)).toBeUndefined(); // evicted: fetched again
    await flush();
    expect(calls).toEqual([0, 1, 2, 1]);
  });

  it('reports a failed page and ignores pages after dispose', async () => {
    let changes = 0;
    const failing = new RowCache(
      async () => {
        throw new Error('gone');
      },
      () => changes++
    );
    failing.row(0);
    await flush();
    expect((failing.error as Error).message).toBe('gone');
    const cache = new RowCache(
      async () => [[1]],
      () => changes++
    );
    cache.row(0);
    cache.dispose();
    await flush();
    expect(changes).toBe(1);
    expect(cache.size).toBe(0);
  });
});

describe('grid helpers', () => {
  it('cycles a header sort through ascending, descending and off', () => {
    let sort = { column: null as string | null, descending: false };
    sort = nextSort(sort, 'amount');
    expect(sort).toEqual({ column: 'amount', descending: false });
    sort = nextSort(sort, 'amount');
    expect(sort).toEqual({ column: 'amount', descending: true });
    sort = nextSort(sort, 'amount');
    expect(sort).toEqual({ column: null, descending: false });
    expect(nextSort({ column: 'a', descending: true }, 'b')).toEqual({
      column: 'b',
      descending: false
    });
  });

  it('formats cells and recognizes numeric types', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(42)).toBe('42');
    expect(cellText(true)).toBe('true');
    expect(isNumericType('BIGINT')).toBe(true);
    expect(isNumericType('DECIMAL(18,2)')).toBe(true);
    expect(isNumericType('DOUBLE')).toBe(true);
    expect(isNumericType('INTERVAL')).toBe(false);
    expect(isNumericType('VARCHAR')).toBe(false);
  });

  it('shows decimals with the digits of their type', () => {
    expect(decimalScale('DECIMAL(38,2)')).toBe(2);
    expect(decimalScale('numeric(10, 0)')).toBe(0);
    expect(decimalScale('DOUBLE')).toBeNull();
    expect(cellText(296, decimalScale('DECIMAL(38,2)'))).toBe('296.00');
    expect(cellText(1374.3, 2)).toBe('1374.30');
    expect(cellText(1374.3)).toBe('1374.3');
  });

  it('sizes columns to their first values, and timestamps before any row', () => {
    const columns = [
      { name: 'label', type: 'VARCHAR' },
      { name: 'at', type: 'TIMESTAMP' },
      { name: 'n', type: 'INTEGER' }
    ];
    const [label, at, n] = columnWidths(columns, []);
    // A timestamp column fits '2025-01-01T08:00:00' without any sample.
    expect(at).toBeGreaterThanOrEqual(19 * 7.5);
    const [wideLabel, , sameN] = columnWidths(columns, [
      ['row 9999 of the result', '2025-01-01T08:00:00', 1]
    ]);
    expect(wideLabel).toBeGreaterThan(label);
    expect(wideLabel).toBeGreaterThanOrEqual(
      'row 9999 of the result'.length * 7.5
    );
    expect(sameN).toBe(n);
    // A very long value is cut at the cap instead of widening the grid.
    const [capped] = columnWidths(columns, [['x'.repeat(500), null, null]]);
    expect(capped).toBe(320);
  });
});

describe('loaded rows', () => {
  it('answers the rows already loaded without fetching', async () => {
    const calls: number[] = [];
    const cache = new RowCache(
      async (offset, limit) => {
        calls.push(offset);
        return Array.from({ length: limit }, (_, i) => [offset + i]);
      },
      () => undefined,
      10,
      5
    );
    expect(cache.loaded(0, 3)).toEqual([]);
    expect(calls).toEqual([]);
    cache.row(0);
    await new Promise(resolve => setTimeout(resolve, 0));
    // The first page holds rows 0-4: row 5 is not loaded, so it stops there.
    expect(cache.loaded(0, 8)).toEqual([[0], [1], [2], [3], [4]]);
    expect(calls).toEqual([0]);
  });
});
