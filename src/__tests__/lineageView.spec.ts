import { ColumnState } from '../lineage/columns';
import { sceneToSVG } from '../lineage/export';
import { LineageGraph } from '../lineage/graph';
import { layoutGraph } from '../lineage/layout';
import { readTheme } from '../lineage/palette';
import { boxHeight, NODE_W, Positions, Scene } from '../lineage/scene';
import { LineageView } from '../lineage/view';
import { FakeSource, id, lineage, modelColumns } from './lineageFixtures';

const PROJECT: [string, string][] = [
  ['raw_orders', 'stg_orders'],
  ['raw_payments', 'stg_payments'],
  ['stg_orders', 'orders'],
  ['stg_payments', 'orders'],
  ['orders', 'revenue'],
  ['orders', 'customers']
];
const NAMES = [
  'raw_orders',
  'raw_payments',
  'stg_orders',
  'stg_payments',
  'orders',
  'revenue',
  'customers'
];

function parseSVG(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}

/** Box positions in an exported SVG, by node id. */
function positions(svg: string): Map<string, string> {
  const doc = parseSVG(svg);
  const found = new Map<string, string>();
  for (const g of Array.from(doc.querySelectorAll('g[data-id]'))) {
    const rect = g.querySelector('rect') as Element;
    found.set(
      g.getAttribute('data-id') as string,
      `${rect.getAttribute('x')},${rect.getAttribute('y')}`
    );
  }
  return found;
}

function sceneOf(graph: LineageGraph, columns = new ColumnState()): Scene {
  const display = graph.display(null, new Set());
  const index = new Map(display.items.map((item, i) => [item.id, i]));
  const layout = layoutGraph({
    widths: display.items.map(() => NODE_W),
    heights: display.items.map(i =>
      boxHeight(
        i.kind,
        columns.expanded.has(i.id) ? columns.columnsOf(i.id) : null
      )
    ),
    edges: display.edges.flatMap(e => [
      index.get(e.from) as number,
      index.get(e.to) as number
    ]),
    fixedX: display.items.map(() => null),
    fixedY: display.items.map(() => null),
    fixedRank: display.items.map(() => null),
    rankGap: 90,
    nodeGap: 16
  });
  const at: Positions = new Map(
    display.items.map((item, i) => [
      item.id,
      { x: layout.x[i], y: layout.y[i], rank: layout.rank[i] }
    ])
  );
  return new Scene(display, at, graph, columns, 'resource_type', true);
}

describe('SVG export', () => {
  it('is well-formed XML with every node label, escaped, and concrete colours', () => {
    const graph = new LineageGraph();
    graph.replace(
      lineage([...NAMES, 'a<b>&"c"'], [...PROJECT, ['orders', 'a<b>&"c"']])
    );
    const svg = sceneToSVG(sceneOf(graph), readTheme(document.body));
    const doc = parseSVG(svg);
    const texts = Array.from(doc.querySelectorAll('text')).map(
      t => t.textContent
    );
    for (const name of [...NAMES, 'a<b>&"c"']) {
      expect(texts).toContain(name);
    }
    expect(doc.querySelectorAll('path[data-from]')).toHaveLength(
      PROJECT.length + 1
    );
    expect(svg).not.toContain('var(');
  });

  it('draws column edges with the dash of their kind', () => {
    const graph = new LineageGraph();
    graph.replace(lineage(NAMES, PROJECT));
    const columns = new ColumnState();
    columns.models.set(
      id('orders'),
      modelColumns(
        'orders',
        [['order_id', 'stg_orders', 'order_id', 'passthrough']],
        [['stg_payments', 'order_id', 'join']]
      )
    );
    columns.trace = {
      project: 'shop',
      node: id('orders'),
      column: 'order_id',
      direction: 'both',
      depth: null,
      nodes: [
        {
          id: 'x',
          node: id('orders'),
          column: 'order_id',
          name: 'orders',
          resource_type: 'model',
          distance: 0
        },
        {
          id: 'y',
          node: id('stg_orders'),
          column: 'order_id',
          name: 'stg_orders',
          resource_type: 'model',
          distance: 1
        },
        {
          id: 'z',
          node: id('stg_payments'),
          column: 'order_id',
          name: 'stg_payments',
          resource_type: 'model',
          distance: 1
        }
      ],
      edges: [
        {
          source: id('stg_orders'),
          source_column: 'order_id',
          target: id('orders'),
          target_column: 'order_id',
          kind: 'passthrough',
          expression: null,
          distance: 1
        }
      ]
    };
    columns.expanded.add(id('orders'));
    const doc = parseSVG(
      sceneToSVG(sceneOf(graph, columns), readTheme(document.body))
    );
    const value = doc.querySelector('path[data-kind="passthrough"]') as Element;
    const join = doc.querySelector('path[data-kind="join"]') as Element;
    expect(value.hasAttribute('stroke-dasharray')).toBe(false);
    expect(join.getAttribute('stroke-dasharray')).toBeTruthy();
    // The expanded model lists its columns.
    expect(
      Array.from(doc.querySelectorAll(`g[data-id="${id('orders')}"] text`)).map(
        t => t.textContent
      )
    ).toContain('order_id');
  });
});

describe('LineageView', () => {
  let host: HTMLElement;
  beforeEach(() => {
    host = document.createElement('div');
    document.body.appendChild(host);
  });
  afterEach(() => host.remove());

  function changed(): Promise<CustomEvent> {
    return new Promise(resolve =>
      host.addEventListener(
        'dbt-lineage-change',
        e => resolve(e as CustomEvent),
        { once: true }
      )
    );
  }

  it('loads a focus, paints, and expands without moving what is shown', async () => {
    const source = new FakeSource(NAMES, PROJECT);
    const view = new LineageView(host, source);
    const painted = new Promise<CustomEvent>(resolve =>
      host.addEventListener(
        'dbt-lineage-paint',
        e => resolve(e as CustomEvent),
        { once: true }
      )
    );
    await view.load({ focus: id('stg_orders') });
    expect((await painted).detail.nodes).toBe(3);
    expect(host.getAttribute('data-node-count')).toBe('3');
    const before = positions(view.exportSVG());
    expect([...before.keys()].sort()).toEqual(
      ['orders', 'raw_orders', 'stg_orders'].map(id)
    );

    await view.expand(id('orders'), 'upstream');
    expect(view.nodeCount).toBe(4);
    const after = positions(view.exportSVG());
    for (const [key, at] of before) {
      expect(after.get(key)).toBe(at);
    }
    // stg_payments' edge to orders came with the expansion.
    const svg = parseSVG(view.exportSVG());
    expect(
      svg.querySelector(
        `path[data-from="${id('stg_payments')}"][data-to="${id('orders')}"]`
      )
    ).not.toBeNull();
    view.dispose();
  });

  it('completes edges between new nodes and nodes already shown', async () => {
    // revenue and customers both read orders; customers also reads revenue.
    const edges: [string, string][] = [...PROJECT, ['revenue', 'customers']];
    const source = new FakeSource(NAMES, edges);
    const view = new LineageView(host, source);
    await view.load({ select: 'customers' });
    await view.expand(id('customers'), 'upstream');
    const svg = parseSVG(view.exportSVG());
    expect(
      svg.querySelector(
        `path[data-from="${id('orders')}"][data-to="${id('revenue')}"]`
      )
    ).not.toBeNull();
    view.dispose();
  });

  it('selects, searches and reports selection on the host', async () => {
    const selected: (string | null)[] = [];
    const view = new LineageView(host, new FakeSource(NAMES, PROJECT), {
      onSelect: uid => selected.push(uid)
    });
    await view.load({ select: '*' });
    expect(view.search('ORDERS')).toEqual(
      ['orders', 'raw_orders', 'stg_orders'].map(id)
    );
    expect(view.selected).toBe(id('orders'));
    expect(host.getAttribute('data-selected')).toBe(id('orders'));
    view.select(null);
    expect(host.hasAttribute('data-selected')).toBe(false);
    // Programmatic selection does not echo back through onSelect.
    expect(selected).toEqual([]);
    host.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })
    );
    expect(selected).toHaveLength(1);
    view.dispose();
  });

  it('groups into boxes and expands a group again', async () => {
    const view = new LineageView(host, new FakeSource(NAMES, PROJECT));
    await view.load({ select: '*' });
    const grouped = changed();
    view.setGroupBy('resource_type');
    await grouped;
    expect(positions(view.exportSVG()).size).toBe(1); // one box: 7 models
    const opened = changed();
    view.toggleGroup('model');
    await opened;
    expect(positions(view.exportSVG()).size).toBe(7);
    view.dispose();
  });

  it('traces a column: shows the reached nodes with their columns', async () => {
    const source = new FakeSource(NAMES, PROJECT);
    source.columns.set(
      id('orders'),
      modelColumns('orders', [
        ['order_id', 'stg_orders', 'order_id', 'passthrough']
      ])
    );
    source.traces.set(`${id('orders')}.order_id`, {
      project: 'shop',
      node: id('orders'),
      column: 'order_id',
      direction: 'both',
      depth: null,
      nodes: [
        {
          id: 'a',
          node: id('orders'),
          column: 'order_id',
          name: 'orders',
          resource_type: 'model',
          distance: 0
        },
        {
          id: 'b',
          node: id('stg_orders'),
          column: 'order_id',
          name: 'stg_orders',
          resource_type: 'model',
          distance: 1
        },
        {
          id: 'c',
          node: id('raw_orders'),
          column: 'id',
          name: 'raw_orders',
          resource_type: 'model',
          distance: 2
        }
      ],
      edges: [
        {
          source: id('stg_orders'),
          source_column: 'order_id',
          target: id('orders'),
          target_column: 'order_id',
          kind: 'passthrough',
          expression: null,
          distance: 1
        },
        {
          source: id('raw_orders'),
          source_column: 'id',
          target: id('stg_orders'),
          target_column: 'order_id',
          kind: 'rename',
          expression: null,
          distance: 2
        }
      ]
    });
    const picked: unknown[] = [];
    const view = new LineageView(host, source, {
      onColumnSelect: s => picked.push(s)
    });
    await view.load({ select: 'orders' });
    await view.traceColumn(id('orders'), 'order_id');
    // raw_orders and stg_orders were not shown: the trace brought them in.
    expect(view.nodeCount).toBe(3);
    expect(picked).toEqual([{ node: id('orders'), column: 'order_id' }]);
    const doc = parseSVG(view.exportSVG());
    expect(doc.querySelectorAll('path[data-kind]')).toHaveLength(2);
    const texts = Array.from(doc.querySelectorAll('text')).map(
      t => t.textContent
    );
    expect(texts).toContain('id'); // raw_orders shows the traced column
    view.dispose();
  });

  it('keeps column mode across a load and shows the new focus columns', async () => {
    const source = new FakeSource(NAMES, PROJECT);
    source.columns.set(
      id('orders'),
      modelColumns('orders', [
        ['order_id', 'stg_orders', 'order_id', 'passthrough']
      ])
    );
    const view = new LineageView(host, source);
    await view.load({ focus: id('stg_orders') });
    await view.setColumnMode(true);
    await view.load({ focus: id('orders') });
    const texts = Array.from(
      parseSVG(view.exportSVG()).querySelectorAll('text')
    ).map(t => t.textContent);
    expect(texts).toContain('order_id');
    view.dispose();
  });

  it('reports errors and says so in the host instead of staying blank', async () => {
    const errors: Error[] = [];
    const source = new FakeSource(NAMES, PROJECT);
    source.lineage = () => Promise.reject(new Error('Selector error: nope'));
    const view = new LineageView(host, source, {
      onError: e => errors.push(e)
    });
    await view.load({ select: 'nope' });
    expect(errors.map(e => e.message)).toEqual(['Selector error: nope']);
    expect(host.textContent).toContain('Selector error: nope');
    expect(view.loading).toBe(false);
    view.dispose();
  });
});
