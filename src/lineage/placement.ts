/**
 * Where a display graph's boxes go: the layout input (box sizes from the columns shown, the
 * boxes already placed pinned where they are) and the positions read back from a layout.
 */
import { ColumnState } from './columns';
import { IDisplayGraph } from './graph';
import { ILayoutInput, ILayoutResult } from './layout';
import { boxHeight, NODE_GAP, NODE_W, Positions, RANK_GAP } from './scene';

/** The layout input for a display graph; boxes in `placed` keep their position and rank. */
export function layoutInput(
  display: IDisplayGraph,
  columns: ColumnState,
  placed: Positions
): ILayoutInput {
  const index = new Map<string, number>();
  const input: ILayoutInput = {
    widths: [],
    heights: [],
    edges: [],
    fixedX: [],
    fixedY: [],
    fixedRank: [],
    rankGap: RANK_GAP,
    nodeGap: NODE_GAP
  };
  display.items.forEach((item, i) => {
    index.set(item.id, i);
    const shown =
      item.node !== null && columns.expanded.has(item.id)
        ? columns.columnsOf(item.id)
        : null;
    input.widths.push(NODE_W);
    input.heights.push(boxHeight(item.kind, shown));
    const at = placed.get(item.id);
    input.fixedX.push(at ? at.x : null);
    input.fixedY.push(at ? at.y : null);
    input.fixedRank.push(at ? at.rank : null);
  });
  for (const edge of display.edges) {
    input.edges.push(
      index.get(edge.from) as number,
      index.get(edge.to) as number
    );
  }
  return input;
}

/** The positions a layout gave the display graph's boxes, by id. */
export function positionsOf(
  display: IDisplayGraph,
  result: ILayoutResult
): Positions {
  const positions: Positions = new Map();
  display.items.forEach((item, i) => {
    positions.set(item.id, {
      x: result.x[i],
      y: result.y[i],
      rank: result.rank[i]
    });
  });
  return positions;
}
