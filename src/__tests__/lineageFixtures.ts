/**
 * Lineage payloads for the renderer's tests, shaped like the server's (see
 * jupyterlab_dbt_workbench/graph/payloads.py).
 */
import {
  IColumnGraph,
  ILineage,
  ILineageNode,
  ILineageSource,
  IModelColumnLineage
} from '../lineage/types';

/** A model-like node; `extra` overrides any field. */
export function node(
  name: string,
  extra: Partial<ILineageNode> = {}
): ILineageNode {
  return {
    unique_id: `model.shop.${name}`,
    name,
    resource_type: 'model',
    folder: 'models/staging',
    schema: 'main',
    package: 'shop',
    tags: [],
    materialized: 'view',
    status: 'success',
    test_status: null,
    distance: null,
    parent_count: 0,
    child_count: 0,
    ...extra
  };
}

export function id(name: string): string {
  return `model.shop.${name}`;
}

/** A payload of these nodes and edges (edges by name), counts derived from `all`. */
export function lineage(
  names: string[],
  edges: [string, string][],
  all: [string, string][] = edges,
  focus: string | null = null,
  extra: Record<string, Partial<ILineageNode>> = {}
): ILineage {
  const shown = new Set(names);
  return {
    project: 'shop',
    select: '*',
    exclude: null,
    focus: focus === null ? null : id(focus),
    group_by: null,
    nodes: names.map(n =>
      node(n, {
        parent_count: all.filter(([, b]) => b === n).length,
        child_count: all.filter(([a]) => a === n).length,
        ...(extra[n] ?? {})
      })
    ),
    edges: edges
      .filter(([a, b]) => shown.has(a) && shown.has(b))
      .map(([a, b]) => [id(a), id(b)]),
    groups: [],
    group_edges: [],
    total: names.length,
    truncated: false
  };
}

/**
 * A generated project: `n` nodes in layers (sources on the left), each with one to three
 * parents in earlier layers, about two edges per node. Deterministic.
 */
export function generated(
  n: number,
  layers = 12
): { names: string[]; edges: [string, string][] } {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const names: string[] = [];
  const layerOf: number[] = [];
  const byLayer: string[][] = Array.from({ length: layers }, () => []);
  for (let i = 0; i < n; i++) {
    const layer = Math.min(layers - 1, Math.floor((i / n) * layers));
    const name = `m${i}`;
    names.push(name);
    layerOf.push(layer);
    byLayer[layer].push(name);
  }
  const edges: [string, string][] = [];
  names.forEach((name, i) => {
    if (layerOf[i] === 0) {
      return;
    }
    const parents = 1 + Math.floor(random() * 3);
    const seen = new Set<string>();
    for (let p = 0; p < parents; p++) {
      const layer = Math.floor(random() * layerOf[i]);
      const pool = byLayer[layer];
      const parent = pool[Math.floor(random() * pool.length)];
      if (!seen.has(parent)) {
        seen.add(parent);
        edges.push([parent, name]);
      }
    }
  });
  return { names, edges };
}

/**
 * A fake data source over a whole project graph: `focus` + `depth` answers the
 * neighbourhood, `select` understands `1+name+1` and plain names, like the server.
 */
export class FakeSource implements ILineageSource {
  calls: string[] = [];
  columns = new Map<string, IModelColumnLineage>();
  traces = new Map<string, IColumnGraph>();

  constructor(
    readonly names: string[],
    readonly edges: [string, string][]
  ) {}

  async lineage(query: {
    select?: string;
    focus?: string;
    depth?: number;
  }): Promise<ILineage> {
    this.calls.push(JSON.stringify(query));
    const picked = new Set<string>();
    const around = (name: string, up: number, down: number): void => {
      picked.add(name);
      let frontier = [name];
      for (let d = 0; d < up; d++) {
        frontier = this.edges
          .filter(([, b]) => frontier.includes(b))
          .map(([a]) => a);
        frontier.forEach(f => picked.add(f));
      }
      frontier = [name];
      for (let d = 0; d < down; d++) {
        frontier = this.edges
          .filter(([a]) => frontier.includes(a))
          .map(([, b]) => b);
        frontier.forEach(f => picked.add(f));
      }
    };
    let focus: string | null = null;
    if (query.select === undefined && query.focus !== undefined) {
      focus = query.focus.replace('model.shop.', '');
      around(focus, query.depth ?? 1, query.depth ?? 1);
    } else {
      for (const part of (query.select ?? '').split(' ')) {
        const match = /^(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/.exec(part);
        if (match && part !== '*') {
          around(
            match[2],
            match[1] ? Number(match[1]) : 0,
            match[3] ? Number(match[3]) : 0
          );
        } else if (part === '*') {
          this.names.forEach(n => picked.add(n));
        }
      }
    }
    if (![...picked].every(n => this.names.includes(n))) {
      throw new Error(`unknown node in ${JSON.stringify(query)}`);
    }
    return lineage([...picked], this.edges, this.edges, focus);
  }

  async modelColumns(uniqueId: string): Promise<IModelColumnLineage> {
    const found = this.columns.get(uniqueId);
    if (found === undefined) {
      throw new Error(`no columns for ${uniqueId}`);
    }
    return found;
  }

  async columnTrace(uniqueId: string, column: string): Promise<IColumnGraph> {
    const found = this.traces.get(`${uniqueId}.${column}`);
    if (found === undefined) {
      throw new Error(`column ${column} not found`);
    }
    return found;
  }
}

/** The column lineage of a model whose columns come from one parent. */
export function modelColumns(
  name: string,
  columns: [
    string,
    string,
    string,
    'passthrough' | 'rename' | 'transformation'
  ][],
  dependencies: [string, string, 'filter' | 'join' | 'group'][] = [],
  status: IModelColumnLineage['status'] = 'ok',
  reason: string | null = null
): IModelColumnLineage {
  return {
    project: 'shop',
    unique_id: id(name),
    name,
    resource_type: 'model',
    status,
    reason,
    dialect: 'duckdb',
    columns: columns.map(([column, source, sourceColumn, kind]) => ({
      name: column,
      traced: true,
      sources: [
        {
          source: id(source),
          source_column: sourceColumn,
          kind,
          expression: kind === 'transformation' ? `SUM(${sourceColumn})` : null
        }
      ]
    })),
    dependencies: dependencies.map(([source, sourceColumn, kind]) => ({
      source: id(source),
      source_column: sourceColumn,
      kind
    })),
    unresolved: []
  };
}
