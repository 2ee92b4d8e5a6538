import { ColumnState, edgeDash } from '../lineage/columns';
import { groupItemId, LineageGraph, selectorOf } from '../lineage/graph';
import { id, lineage, modelColumns, node } from './lineageFixtures';

const PROJECT: [string, string][] = [
  ['raw_orders', 'stg_orders'],
  ['raw_payments', 'stg_payments'],
  ['stg_orders', 'orders'],
  ['stg_payments', 'orders'],
  ['orders', 'revenue'],
  ['orders', 'customers']
];

describe('LineageGraph', () => {
  it('merges an expansion: keeps what is shown, adds the new nodes and their edges', () => {
    const graph = new LineageGraph();
    graph.replace(
      lineage(['stg_orders', 'orders'], PROJECT, PROJECT, 'orders', {
        orders: { distance: 0 },
        stg_orders: { distance: -1 }
      })
    );
    const added = graph.merge(
      lineage(
        ['stg_payments', 'orders', 'raw_payments'],
        PROJECT,
        PROJECT,
        'stg_payments',
        {
          orders: { distance: 1 }
        }
      )
    );
    expect(added.sort()).toEqual([id('raw_payments'), id('stg_payments')]);
    expect(graph.size).toBe(4);
    expect([...graph.parents(id('orders'))].sort()).toEqual([
      id('stg_orders'),
      id('stg_payments')
    ]);
    // The distance stays the one from the view's own focus.
    expect(graph.nodes.get(id('orders'))?.distance).toBe(0);
    expect(graph.focus).toBe(id('orders'));
  });

  it('knows which nodes still have hidden parents or children (for the edge handles)', () => {
    const graph = new LineageGraph();
    graph.replace(lineage(['stg_orders', 'orders'], PROJECT));
    expect(graph.hasHidden(id('orders'), 'upstream')).toBe(true); // stg_payments missing
    expect(graph.hasHidden(id('orders'), 'downstream')).toBe(true);
    expect(graph.hasHidden(id('stg_orders'), 'downstream')).toBe(false);
    graph.merge(lineage(['stg_payments', 'orders'], PROJECT));
    expect(graph.hasHidden(id('orders'), 'upstream')).toBe(false);
  });

  it('gives the upstream and downstream paths of a node', () => {
    const graph = new LineageGraph();
    graph.replace(
      lineage(
        [
          'raw_orders',
          'stg_orders',
          'raw_payments',
          'stg_payments',
          'orders',
          'revenue',
          'customers'
        ],
        PROJECT
      )
    );
    expect([...graph.upstream(id('orders'))].sort()).toEqual(
      ['raw_orders', 'raw_payments', 'stg_orders', 'stg_payments'].map(id)
    );
    expect([...graph.downstream(id('stg_orders'))].sort()).toEqual(
      ['customers', 'orders', 'revenue'].map(id)
    );
    expect(graph.downstream(id('revenue')).size).toBe(0);
  });

  it('collapses groups into one box with a count and aggregates their edges', () => {
    const graph = new LineageGraph();
    const folders: Record<string, string> = {
      raw_orders: 'seeds',
      raw_payments: 'seeds',
      stg_orders: 'models/staging',
      stg_payments: 'models/staging',
      orders: 'models/marts',
      revenue: 'models/marts',
      customers: 'models/marts'
    };
    graph.replace(
      lineage(
        Object.keys(folders),
        PROJECT,
        PROJECT,
        null,
        Object.fromEntries(
          Object.entries(folders).map(([n, folder]) => [n, { folder }])
        )
      )
    );
    const display = graph.display(
      'folder',
      new Set(['seeds', 'models/staging'])
    );
    const groups = display.items.filter(i => i.kind === 'group');
    expect(
      groups.map(g => [g.group?.key, g.group?.members.length]).sort()
    ).toEqual([
      ['models/staging', 2],
      ['seeds', 2]
    ]);
    expect(
      display.items
        .filter(i => i.kind === 'node')
        .map(i => i.id)
        .sort()
    ).toEqual(['customers', 'orders', 'revenue'].map(id));
    const edge = (from: string, to: string) =>
      display.edges.find(e => e.from === from && e.to === to)?.count;
    expect(edge(groupItemId('seeds'), groupItemId('models/staging'))).toBe(2);
    expect(edge(groupItemId('models/staging'), id('orders'))).toBe(2);
    expect(edge(id('orders'), id('revenue'))).toBe(1);
    expect(display.edges).toHaveLength(4);
  });

  it('groups by tag (first tag), schema, package and resource type', () => {
    const graph = new LineageGraph();
    graph.replace({
      ...lineage(['a', 'b', 'c'], []),
      nodes: [
        node('a', { tags: ['finance', 'daily'], schema: null }),
        node('b', {
          tags: [],
          resource_type: 'seed',
          unique_id: 'seed.shop.b'
        }),
        node('c', { tags: ['finance'], package: 'other' })
      ]
    });
    expect([...graph.groups('tag').entries()].sort()).toEqual([
      ['(untagged)', ['seed.shop.b']],
      ['finance', [id('a'), id('c')]]
    ]);
    expect(graph.groups('schema').get('(none)')).toEqual([id('a')]);
    expect(graph.groups('package').get('other')).toEqual([id('c')]);
    expect(graph.groups('resource_type').get('seed')).toEqual(['seed.shop.b']);
  });

  it('searches names and ids without case, exact name first', () => {
    const graph = new LineageGraph();
    graph.replace(
      lineage(
        ['stg_orders', 'orders', 'orders_daily', 'fct_ORDERS', 'revenue'],
        PROJECT
      )
    );
    expect(graph.search('Orders')).toEqual(
      ['orders', 'orders_daily', 'fct_ORDERS', 'stg_orders'].map(id)
    );
    expect(graph.search('model.shop.rev')).toEqual([id('revenue')]);
    expect(graph.search('  ')).toEqual([]);
  });

  it('builds selectors that dbt understands for sources and exposures', () => {
    expect(
      selectorOf(
        node('orders', {
          resource_type: 'source',
          unique_id: 'source.shop.raw.orders'
        })
      )
    ).toBe('source:raw.orders');
    expect(
      selectorOf(
        node('dash', {
          resource_type: 'exposure',
          unique_id: 'exposure.shop.dash'
        })
      )
    ).toBe('exposure:dash');
    expect(selectorOf(node('orders'))).toBe('orders');
  });
});

describe('ColumnState', () => {
  it('styles traced edges by kind: value solid, filter/join/group dashed or dotted', () => {
    const columns = new ColumnState();
    columns.models.set(
      id('orders'),
      modelColumns(
        'orders',
        [
          ['order_id', 'stg_orders', 'order_id', 'passthrough'],
          ['total', 'stg_payments', 'amount', 'transformation']
        ],
        [
          ['stg_payments', 'order_id', 'join'],
          ['stg_orders', 'status', 'filter']
        ]
      )
    );
    columns.trace = {
      project: 'shop',
      node: id('orders'),
      column: 'total',
      direction: 'both',
      depth: null,
      nodes: [
        {
          id: 'a',
          node: id('orders'),
          column: 'total',
          name: 'orders',
          resource_type: 'model',
          distance: 0
        },
        {
          id: 'b',
          node: id('stg_payments'),
          column: 'amount',
          name: 'stg_payments',
          resource_type: 'model',
          distance: 1
        },
        {
          id: 'c',
          node: id('stg_payments'),
          column: 'order_id',
          name: 'stg_payments',
          resource_type: 'model',
          distance: 1
        }
      ],
      edges: [
        {
          source: id('stg_payments'),
          source_column: 'amount',
          target: id('orders'),
          target_column: 'total',
          kind: 'transformation',
          expression: 'SUM(amount)',
          distance: 1
        }
      ]
    };
    const edges = columns.traceEdges();
    expect(
      edges.map(e => [e.kind, e.dash.length > 0, e.target_column])
    ).toEqual([
      ['transformation', false, 'total'],
      ['join', true, '']
    ]);
    expect(edges[0].expression).toBe('SUM(amount)');
    // The filter on stg_orders.status is not on a traced column: not drawn.
    expect(edges.some(e => e.kind === 'filter')).toBe(false);
    expect(edgeDash('passthrough')).toEqual([]);
    expect(edgeDash('filter')).not.toEqual(edgeDash('join'));
    expect(columns.isTraced(id('stg_payments'), 'AMOUNT')).toBe(true);
    expect(columns.columnsOf(id('stg_payments'))).toEqual([
      'amount',
      'order_id'
    ]);
    expect(columns.columnsOf(id('orders'))).toEqual(['order_id', 'total']);
  });

  it('marks models whose column lineage is partial or failed, with the reason', () => {
    const columns = new ColumnState();
    columns.models.set(id('ok'), modelColumns('ok', []));
    columns.models.set(
      id('bad'),
      modelColumns(
        'bad',
        [],
        [],
        'partial',
        "Table 'raw.x' is not a ref() or source()."
      )
    );
    columns.models.set(
      id('py'),
      modelColumns('py', [], [], 'not_analysed', null)
    );
    expect(columns.coverage(id('ok'))).toBeNull();
    expect(columns.coverage(id('bad'))).toEqual({
      status: 'partial',
      reason: "Table 'raw.x' is not a ref() or source()."
    });
    expect(columns.coverage(id('py'))?.reason).toMatch(/not analysed/);
  });
});
