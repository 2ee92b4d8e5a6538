/**
 * What the view asks its `ILineageSource` beyond a plain load: a node's neighbours, the
 * edges that join newly shown nodes to the rest, the nodes a column trace reaches, and the
 * column lineage of models.
 */
import { ColumnState } from './columns';
import { LineageGraph, selectorOf } from './graph';
import { Direction, ILineage, ILineageNode, ILineageSource } from './types';

/** The most nodes one follow-up request may return. */
const MAX_FETCH = 20000;

/** The lineage one step around a node (both directions). */
export function neighbourhood(
  source: ILineageSource,
  uniqueId: string
): Promise<ILineage> {
  return source.lineage({ focus: uniqueId, depth: 1, maxNodes: MAX_FETCH });
}

/**
 * Add a node's parents (upstream) or children (downstream) from its neighbourhood to the
 * graph, one step further from the focus than the node; returns the ids added.
 */
export function mergeNeighbours(
  graph: LineageGraph,
  around: ILineage,
  node: ILineageNode,
  direction: Direction
): string[] {
  const uniqueId = node.unique_id;
  const wanted = new Set<string>();
  for (const [from, to] of around.edges) {
    if (direction === 'upstream' && to === uniqueId) {
      wanted.add(from);
    } else if (direction === 'downstream' && from === uniqueId) {
      wanted.add(to);
    }
  }
  const step = direction === 'upstream' ? -1 : 1;
  return graph.merge({
    ...around,
    nodes: around.nodes
      .filter(n => wanted.has(n.unique_id) && !graph.nodes.has(n.unique_id))
      .map(n => ({
        ...n,
        distance: node.distance === null ? null : node.distance + step
      }))
  });
}

/**
 * Fetch the edges between newly shown nodes and the nodes already shown: an expansion's
 * answer only holds the edges around the expanded node.
 */
export async function completeEdges(
  source: ILineageSource,
  graph: LineageGraph,
  added: string[]
): Promise<void> {
  if (added.length === 0) {
    return;
  }
  const selectors = added.map(
    id => `1+${selectorOf(graph.nodes.get(id) as ILineageNode)}+1`
  );
  const more = await source.lineage({
    select: [...new Set(selectors)].join(' '),
    maxNodes: MAX_FETCH
  });
  for (const [from, to] of more.edges) {
    graph.addEdge(from, to);
  }
}

/** Show the nodes a column trace reaches that were not shown, with their edges. */
export async function addTraceNodes(
  source: ILineageSource,
  graph: LineageGraph,
  reached: string[],
  columnNodes: { node: string; name: string }[]
): Promise<void> {
  const names = new Map(columnNodes.map(n => [n.node, n.name]));
  const selectors = reached.map(id =>
    id.startsWith('source.')
      ? `source:${id.split('.').slice(2).join('.')}`
      : (names.get(id) ?? id)
  );
  const found = await source.lineage({
    select: [...new Set(selectors)].join(' '),
    maxNodes: MAX_FETCH
  });
  const wanted = new Set(reached);
  const added = graph.merge({
    ...found,
    nodes: found.nodes
      .filter(n => wanted.has(n.unique_id) && !graph.nodes.has(n.unique_id))
      .map(n => ({ ...n, distance: null }))
  });
  await completeEdges(source, graph, added);
}

/**
 * Fetch the column lineage of the models and snapshots among these nodes that are not
 * loaded yet; a failure leaves that node without (leaving a trace's columns to show).
 */
export async function loadModelColumns(
  source: ILineageSource,
  graph: LineageGraph,
  columns: ColumnState,
  ids: string[]
): Promise<void> {
  await Promise.all(
    ids
      .filter(id => !columns.models.has(id) && isModelLike(graph, id))
      .map(id =>
        source.modelColumns(id).then(
          model => {
            columns.models.set(id, model);
          },
          () => undefined
        )
      )
  );
}

function isModelLike(graph: LineageGraph, id: string): boolean {
  const type = graph.nodes.get(id)?.resource_type;
  return type === 'model' || type === 'snapshot';
}
