import {
  buildTree,
  EMPTY_LABELS,
  filterNodes,
  flattenTree,
  ITreeGroup,
  matchesFilter,
  TreeRow
} from '../model/tree';
import { node } from './fixtures';

const nodes = [
  node('orders', {
    original_file_path: 'models/marts/orders.sql',
    schema: 'marts',
    tags: ['finance', 'daily'],
    description: 'One row per **order**.'
  }),
  node('customers', {
    original_file_path: 'models/marts/customers.sql',
    schema: 'marts',
    tags: ['daily']
  }),
  node('stg_orders', {
    original_file_path: 'models/staging/stg_orders.sql',
    schema: 'staging'
  }),
  node('raw_payments', {
    resource_type: 'seed',
    original_file_path: 'seeds/raw_payments.csv',
    schema: null
  }),
  node('top_level', { original_file_path: 'top_level.sql', folder: '' })
];

/** A readable picture of rows: groups as `key/`, nodes as their name. */
function outline(rows: TreeRow[]): string[] {
  return rows.map(row =>
    row.type === 'group'
      ? `${'  '.repeat(row.depth)}${row.key}/`
      : `${'  '.repeat(row.depth)}${row.node.name}`
  );
}

const expandAll = (): boolean => true;

describe('matchesFilter', () => {
  it('matches name, description, tags and path, ignoring case', () => {
    const orders = nodes[0];
    expect(matchesFilter(orders, 'ORDERS')).toBe(true);
    expect(matchesFilter(orders, 'one row')).toBe(true);
    expect(matchesFilter(orders, 'Finance')).toBe(true);
    expect(matchesFilter(orders, 'models/marts')).toBe(true);
    expect(matchesFilter(orders, 'payments')).toBe(false);
  });

  it('requires every term', () => {
    expect(matchesFilter(nodes[0], 'daily finance')).toBe(true);
    expect(matchesFilter(nodes[1], 'daily finance')).toBe(false);
  });
});

describe('filterNodes', () => {
  it('keeps everything for a blank filter', () => {
    expect(filterNodes(nodes, '   ')).toHaveLength(nodes.length);
  });

  it('keeps the matching nodes in order', () => {
    expect(filterNodes(nodes, 'orders').map(n => n.name)).toEqual([
      'orders',
      'stg_orders'
    ]);
  });
});

describe('buildTree', () => {
  it('nests folders, folders before nodes, sorted by name', () => {
    const tree = buildTree(nodes, 'folder');
    expect(outline(flattenTree(tree, expandAll))).toEqual([
      `${EMPTY_LABELS.folder}/`,
      '  top_level',
      'models/',
      '  models/marts/',
      '    customers',
      '    orders',
      '  models/staging/',
      '    stg_orders',
      'seeds/',
      '  raw_payments'
    ]);
    expect(tree.count).toBe(nodes.length);
  });

  it('counts the leaves below each group', () => {
    const models = buildTree(nodes, 'folder').groups.find(
      g => g.key === 'models'
    ) as ITreeGroup;
    expect(models.count).toBe(3);
    expect(models.groups.map(g => [g.label, g.count])).toEqual([
      ['marts', 2],
      ['staging', 1]
    ]);
  });

  it('groups by schema with a group for nodes without one', () => {
    const keys = buildTree(nodes, 'schema').groups.map(g => g.key);
    expect(keys).toEqual([EMPTY_LABELS.schema, 'main', 'marts', 'staging']);
  });

  it('lists a node under each of its tags', () => {
    const tree = buildTree(nodes, 'tag');
    const byKey = Object.fromEntries(
      tree.groups.map(g => [g.key, g.nodes.map(n => n.name)])
    );
    expect(byKey).toEqual({
      [EMPTY_LABELS.tag]: ['raw_payments', 'stg_orders', 'top_level'],
      daily: ['customers', 'orders'],
      finance: ['orders']
    });
  });

  it('groups by resource type', () => {
    const tree = buildTree(nodes, 'resource_type');
    expect(tree.groups.map(g => [g.key, g.count])).toEqual([
      ['model', 4],
      ['seed', 1]
    ]);
  });
});

describe('flattenTree', () => {
  it('hides the children of collapsed groups', () => {
    const tree = buildTree(nodes, 'folder');
    const rows = flattenTree(tree, group => group.key !== 'models');
    expect(outline(rows)).toEqual([
      `${EMPTY_LABELS.folder}/`,
      '  top_level',
      'models/',
      'seeds/',
      '  raw_payments'
    ]);
    const models = rows.find(r => r.type === 'group' && r.key === 'models');
    expect(models).toMatchObject({ expanded: false });
  });

  it('gives a node listed under two tags two distinct row keys', () => {
    const rows = flattenTree(buildTree(nodes, 'tag'), expandAll);
    const orderRows = rows.filter(
      r => r.type === 'node' && r.node.name === 'orders'
    );
    expect(orderRows).toHaveLength(2);
    expect(new Set(orderRows.map(r => r.key)).size).toBe(2);
  });

  it('stays fast on 5,000 nodes', () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      node(`model_${i}`, {
        original_file_path: `models/area_${i % 40}/sub_${i % 7}/model_${i}.sql`,
        tags: [`t${i % 13}`]
      })
    );
    const start = Date.now();
    const rows = flattenTree(
      buildTree(filterNodes(many, 'model_1'), 'folder'),
      expandAll
    );
    expect(Date.now() - start).toBeLessThan(1000);
    expect(rows.filter(r => r.type === 'node')).toHaveLength(1111);
  });
});
