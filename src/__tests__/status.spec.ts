import {
  nodeBadge,
  normalizeStatus,
  statusRank,
  worstStatus
} from '../model/status';

describe('normalizeStatus', () => {
  it.each([
    ['success', 'pass'],
    ['pass', 'pass'],
    ['warn', 'warn'],
    ['fail', 'error'],
    ['error', 'error'],
    ['runtime error', 'error'],
    ['Skipped', 'skipped'],
    [null, 'none'],
    ['no-op', 'none']
  ])('maps %p to %p', (raw, expected) => {
    expect(normalizeStatus(raw)).toBe(expected);
  });
});

describe('statusRank', () => {
  it('orders error above warn above skipped above pass above none', () => {
    const ordered = (['none', 'pass', 'skipped', 'warn', 'error'] as const).map(
      statusRank
    );
    expect([...ordered].sort((a, b) => a - b)).toEqual(ordered);
    expect(new Set(ordered).size).toBe(5);
  });
});

describe('worstStatus', () => {
  it('picks the most severe status', () => {
    expect(worstStatus(['success', 'warn', null, 'pass'])).toBe('warn');
    expect(worstStatus(['warn', 'fail'])).toBe('error');
    expect(worstStatus([])).toBe('none');
  });
});

describe('nodeBadge', () => {
  it('shows a failing test on a model whose run succeeded', () => {
    const badge = nodeBadge({ status: 'success', test_status: 'fail' });
    expect(badge.status).toBe('error');
    expect(badge.title).toBe('Last run: success · Tests: fail');
  });

  it('shows the run status when tests pass', () => {
    expect(nodeBadge({ status: 'warn', test_status: 'pass' }).status).toBe(
      'warn'
    );
  });

  it('says when a node never ran', () => {
    expect(nodeBadge({ status: null, test_status: null })).toEqual({
      status: 'none',
      title: 'No run results yet'
    });
  });
});
