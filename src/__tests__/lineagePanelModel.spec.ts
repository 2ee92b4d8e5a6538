import {
  copySelector,
  countSummary,
  exportFileName,
  fileActionLabel,
  groupKey,
  initialQuery,
  lineagePanelId,
  panelLabel
} from '../lineagePanel/model';

const ORDERS = {
  unique_id: 'model.shop.fct_orders',
  name: 'fct_orders',
  resource_type: 'model'
};
const RAW = {
  unique_id: 'source.shop.raw.orders',
  name: 'orders',
  resource_type: 'source'
};

describe('copySelector', () => {
  it('copies a model by name, with + for each direction', () => {
    expect(copySelector(ORDERS, 'node')).toBe('fct_orders');
    expect(copySelector(ORDERS, 'upstream')).toBe('+fct_orders');
    expect(copySelector(ORDERS, 'downstream')).toBe('fct_orders+');
    expect(copySelector(ORDERS, 'both')).toBe('+fct_orders+');
  });

  it('copies a source with its method so dbt finds it', () => {
    expect(copySelector(RAW, 'both')).toBe('+source:raw.orders+');
  });
});

describe('exportFileName', () => {
  it('names the file after the project and the selection', () => {
    expect(exportFileName('copper_kettle', '1+fct_orders+1', 'svg')).toBe(
      'copper_kettle-lineage-1_fct_orders_1.svg'
    );
    expect(exportFileName('copper_kettle', '+tag:finance', 'png')).toBe(
      'copper_kettle-lineage-tag_finance.png'
    );
  });

  it('never yields an empty or path-like name', () => {
    expect(exportFileName('', '', 'svg')).toBe('dbt-lineage.svg');
    expect(exportFileName('../etc', '/', 'png')).toBe('etc-lineage.png');
    const long = exportFileName('p', 'x'.repeat(500), 'svg');
    expect(long.length).toBeLessThan(100);
  });
});

describe('panels', () => {
  it('focuses a node at the configured depth, or shows a selection', () => {
    expect(
      initialQuery({ project: 'demo', uniqueId: ORDERS.unique_id }, 2)
    ).toEqual({ focus: ORDERS.unique_id, depth: 2 });
    expect(
      initialQuery({ project: 'demo', select: 'tag:x', exclude: '' }, 2)
    ).toEqual({ select: 'tag:x', exclude: undefined, maxNodes: 20000 });
  });

  it('gives each project and target its own panel', () => {
    const ids = new Set([
      lineagePanelId({ project: 'a', uniqueId: ORDERS.unique_id }),
      lineagePanelId({ project: 'b', uniqueId: ORDERS.unique_id }),
      lineagePanelId({ project: 'a', select: 'fct_orders' }),
      lineagePanelId({ project: 'a', select: 'fct_orders', exclude: 'x' })
    ]);
    expect(ids.size).toBe(4);
    expect(panelLabel({ project: 'a', uniqueId: ORDERS.unique_id })).toBe(
      'Lineage: fct_orders'
    );
  });

  it('reads picker values, refusing unknown ones', () => {
    expect(groupKey('schema')).toBe('schema');
    expect(groupKey('')).toBeNull();
    expect(groupKey('color')).toBeNull();
  });

  it('labels file actions by what the file holds', () => {
    expect(fileActionLabel('model')).toBe('Open SQL File');
    expect(fileActionLabel('seed')).toBe('Open Seed File');
    expect(fileActionLabel('source')).toBe('Open Definition File');
  });

  it('says how much of the selection is shown', () => {
    expect(countSummary(1, 1)).toBe('1 node');
    expect(countSummary(12, 12)).toBe('12 nodes');
    expect(countSummary(500, 2000)).toBe('500 of 2000 nodes');
  });
});
