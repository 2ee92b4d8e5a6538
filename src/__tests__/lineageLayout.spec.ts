import { ILayoutInput, ILayoutResult, layoutGraph } from '../lineage/layout';
import { LayoutRunner, workerSource } from '../lineage/worker';
import { generated } from './lineageFixtures';

const W = 200;

function input(
  n: number,
  edges: [number, number][],
  heights: number[] = new Array(n).fill(40),
  fixed: (ILayoutResult | null)[] = []
): ILayoutInput {
  return {
    widths: new Array(n).fill(W),
    heights,
    edges: edges.flat(),
    fixedX: Array.from({ length: n }, (_, i) => fixed[i]?.x[i] ?? null),
    fixedY: Array.from({ length: n }, (_, i) => fixed[i]?.y[i] ?? null),
    fixedRank: Array.from({ length: n }, (_, i) => fixed[i]?.rank[i] ?? null),
    rankGap: 80,
    nodeGap: 16
  };
}

/** Indices of nodes that overlap another node of the same rank. */
function overlaps(
  layout: ILayoutResult,
  heights: number[]
): [number, number][] {
  const found: [number, number][] = [];
  const byRank = new Map<number, number[]>();
  layout.rank.forEach((r, i) => byRank.set(r, [...(byRank.get(r) ?? []), i]));
  for (const nodes of byRank.values()) {
    nodes.sort((a, b) => layout.y[a] - layout.y[b]);
    for (let j = 1; j < nodes.length; j++) {
      const a = nodes[j - 1];
      if (layout.y[a] + heights[a] > layout.y[nodes[j]]) {
        found.push([a, nodes[j]]);
      }
    }
  }
  return found;
}

function graph(n: number): { edges: [number, number][] } {
  const { names, edges } = generated(n);
  const index = new Map(names.map((name, i) => [name, i]));
  return {
    edges: edges.map(([a, b]) => [
      index.get(a) as number,
      index.get(b) as number
    ])
  };
}

describe('layoutGraph', () => {
  it('puts every parent in a rank left of its child, in columns left to right', () => {
    const { edges } = graph(300);
    const layout = layoutGraph(input(300, edges));
    for (const [a, b] of edges) {
      expect(layout.rank[a]).toBeLessThan(layout.rank[b]);
      expect(layout.x[a] + W).toBeLessThan(layout.x[b]);
    }
    // Sources sit next to their first child, not all in the first column.
    const { edges: chain } = {
      edges: [
        [0, 1],
        [1, 2],
        [2, 3],
        [4, 3]
      ] as [number, number][]
    };
    const tight = layoutGraph(input(5, chain));
    expect(tight.rank[4]).toBe(2);
  });

  it('never overlaps two nodes of one rank, whatever their heights', () => {
    const { edges } = graph(400);
    const heights = Array.from({ length: 400 }, (_, i) => 40 + (i % 5) * 30);
    expect(overlaps(layoutGraph(input(400, edges, heights)), heights)).toEqual(
      []
    );
  });

  it('survives cycles (collapsed groups can make them)', () => {
    const layout = layoutGraph(
      input(3, [
        [0, 1],
        [1, 2],
        [2, 0]
      ])
    );
    expect(new Set(layout.rank).size).toBe(3);
  });

  it('keeps placed nodes where they are when an expansion adds nodes', () => {
    // 0 -> 1 -> 2 shown; expanding adds parent 3 of 0, child 4 of 2 and a sibling 5 of 1.
    const before = layoutGraph(
      input(3, [
        [0, 1],
        [1, 2]
      ])
    );
    const edges: [number, number][] = [
      [0, 1],
      [1, 2],
      [3, 0],
      [2, 4],
      [0, 5]
    ];
    const fixed = [before, before, before];
    const after = layoutGraph(input(6, edges, new Array(6).fill(40), fixed));
    for (let i = 0; i < 3; i++) {
      expect([after.x[i], after.y[i], after.rank[i]]).toEqual([
        before.x[i],
        before.y[i],
        before.rank[i]
      ]);
    }
    expect(after.rank[3]).toBe(before.rank[0] - 1);
    expect(after.x[3]).toBeLessThan(after.x[0]);
    expect(after.rank[4]).toBe(before.rank[2] + 1);
    expect(after.x[4]).toBeGreaterThan(after.x[2]);
    expect(after.rank[5]).toBe(before.rank[1]);
    expect(overlaps(after, new Array(6).fill(40))).toEqual([]);
    // The new child is placed near its parent, not far away.
    expect(Math.abs(after.y[4] - after.y[2])).toBeLessThan(200);
  });

  it('keeps a large graph in place when nodes are added, and places them without overlap', () => {
    const { edges } = graph(600);
    const shown = edges.filter(([a, b]) => a < 500 && b < 500);
    const before = layoutGraph(input(500, shown));
    const fixed = Array.from({ length: 600 }, (_, i) =>
      i < 500 ? before : null
    );
    const after = layoutGraph(
      input(600, edges, new Array(600).fill(40), fixed)
    );
    for (let i = 0; i < 500; i++) {
      expect(after.x[i]).toBe(before.x[i]);
      expect(after.y[i]).toBe(before.y[i]);
    }
    expect(overlaps(after, new Array(600).fill(40))).toEqual([]);
  });

  it('pushes down only what is below a node that grew', () => {
    const before = layoutGraph(
      input(4, [
        [0, 1],
        [0, 2],
        [0, 3]
      ])
    );
    const order = [1, 2, 3].sort((a, b) => before.y[a] - before.y[b]);
    const heights = [40, 40, 40, 40];
    heights[order[1]] = 300;
    const after = layoutGraph(
      input(
        4,
        [
          [0, 1],
          [0, 2],
          [0, 3]
        ],
        heights,
        [before, before, before, before]
      )
    );
    expect(after.y[order[0]]).toBe(before.y[order[0]]);
    expect(after.y[order[1]]).toBe(before.y[order[1]]);
    expect(after.y[order[2]]).toBeGreaterThanOrEqual(before.y[order[1]] + 300);
    expect(after.y[0]).toBe(before.y[0]);
  });

  it('is self-contained: its source text runs on its own (as in the worker)', () => {
    const rebuilt = new Function(
      `return (${layoutGraph.toString()});`
    )() as typeof layoutGraph;
    const { edges } = graph(200);
    expect(rebuilt(input(200, edges))).toEqual(layoutGraph(input(200, edges)));
  });

  it('lays out 5,000 nodes and about 10,000 edges into a valid layout', () => {
    const { edges } = graph(5000);
    expect(edges.length).toBeGreaterThan(8000);
    const heights = new Array(5000).fill(44);
    const layout = layoutGraph(input(5000, edges, heights));
    expect(layout.x).toHaveLength(5000);
    expect(
      layout.x.every(Number.isFinite) && layout.y.every(Number.isFinite)
    ).toBe(true);
    for (const [a, b] of edges) {
      expect(layout.rank[a]).toBeLessThan(layout.rank[b]);
    }
    expect(overlaps(layout, heights)).toEqual([]);
  });
});

describe('LayoutRunner', () => {
  it('falls back to the main thread where there are no workers', async () => {
    const runner = new LayoutRunner();
    expect(runner.usesWorker).toBe(false);
    const layout = await runner.run(
      input(3, [
        [0, 1],
        [1, 2]
      ])
    );
    expect(layout?.rank).toEqual([0, 1, 2]);
  });

  it('drops a stale result when a newer layout was asked for', async () => {
    const runner = new LayoutRunner();
    const first = runner.run(input(2, [[0, 1]]));
    const second = runner.run(
      input(3, [
        [0, 1],
        [1, 2]
      ])
    );
    expect(await first).toBeNull();
    expect((await second)?.rank).toEqual([0, 1, 2]);
  });

  it("answers messages with the request's id in the worker program", () => {
    const posted: unknown[] = [];
    const self: {
      onmessage?: (event: { data: unknown }) => void;
      postMessage(m: unknown): void;
    } = {
      postMessage: m => posted.push(m)
    };
    new Function('self', workerSource())(self);
    self.onmessage?.({ data: { id: 7, input: input(2, [[0, 1]]) } });
    expect(posted).toEqual([
      { id: 7, result: { x: [0, 280], y: [-20, -20], rank: [0, 1] } }
    ]);
  });
});
