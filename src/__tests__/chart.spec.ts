import {
  barLength,
  chartStatus,
  columnBars,
  niceMax,
  percent
} from '../catalog/chart';

describe('niceMax', () => {
  it.each([
    [0.42, 0.5],
    [0.3, 0.5],
    [1, 1],
    [1.2, 2],
    [3, 5],
    [7.5, 10],
    [42, 50],
    [180, 200],
    [0, 1],
    [-3, 1],
    [Infinity, 1]
  ])('rounds %p up to %p', (value, expected) => {
    expect(niceMax(value)).toBe(expected);
  });
});

describe('columnBars', () => {
  it('scales heights to the maximum and stands bars on the baseline', () => {
    const bars = columnBars([5, 10, 0], 300, 100, 10, 0);
    expect(bars.map(bar => bar.height)).toEqual([50, 100, 0]);
    expect(bars.map(bar => bar.y)).toEqual([50, 0, 100]);
    expect(bars.map(bar => bar.x)).toEqual([0, 100, 200]);
    expect(bars.every(bar => bar.width === 100)).toBe(true);
  });

  it('keeps a tiny value visible and clamps values above the maximum', () => {
    const [tiny, huge] = columnBars([0.001, 50], 100, 100, 10);
    expect(tiny.height).toBe(1);
    expect(huge.height).toBe(100);
  });

  it('leaves the gap around each bar', () => {
    const [bar] = columnBars([1], 100, 10, 1, 0.2);
    expect(bar.width).toBe(80);
    expect(bar.x).toBe(10);
  });

  it('draws nothing for no values', () => {
    expect(columnBars([], 100, 100, 1)).toEqual([]);
  });
});

describe('barLength', () => {
  it('is proportional and bounded', () => {
    expect(barLength(5, 10, 200)).toBe(100);
    expect(barLength(20, 10, 200)).toBe(200);
    expect(barLength(3, 0, 200)).toBe(0);
    expect(barLength(-1, 10, 200)).toBe(0);
  });
});

describe('chartStatus', () => {
  it.each([
    ['success', 'pass'],
    ['pass', 'pass'],
    ['warn', 'warn'],
    ['cancelled', 'warn'],
    ['failed', 'error'],
    ['runtime error', 'error'],
    ['fail', 'error'],
    [null, 'other'],
    ['skipped', 'other']
  ])('maps %p to %p', (status, expected) => {
    expect(chartStatus(status)).toBe(expected);
  });
});

describe('percent', () => {
  it('rounds and survives an empty whole', () => {
    expect(percent(17, 20)).toBe(85);
    expect(percent(1, 3)).toBe(33);
    expect(percent(0, 0)).toBe(0);
  });
});
