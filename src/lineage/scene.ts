/**
 * The geometry of what is drawn: boxes, edge anchors, column rows, and hit-testing through
 * a spatial grid. Shared by the canvas painter and the SVG export.
 */
import { ColumnState, ICoverageMark, IColumnEdge } from './columns';
import { IDisplayGraph, LineageGraph } from './graph';
import { lensColour, lensValue } from './palette';
import { ILineageNode, Lens } from './types';

export const NODE_W = 220;
export const HEADER_H = 44;
export const ROW_H = 20;
export const GROUP_H = 52;
export const HANDLE_R = 8;
export const RANK_GAP = 90;
export const NODE_GAP = 16;

/** Resource types whose columns can be shown. */
const WITH_COLUMNS = new Set(['model', 'snapshot', 'seed', 'source']);

export interface IBox {
  id: string;
  kind: 'node' | 'group';
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  sub: string;
  colour: string;
  node: ILineageNode | null;
  /** Member count of a collapsed group. */
  count: number;
  /** Column names when the node shows its columns. */
  columns: string[] | null;
  hiddenUp: boolean;
  hiddenDown: boolean;
  coverage: ICoverageMark | null;
  /** Whether the node has a column toggle (column mode, a node with columns). */
  toggle: boolean;
}

export interface ISceneEdge {
  from: IBox;
  to: IBox;
  count: number;
}

/** A column edge with its end points. */
export interface ISceneColumnEdge extends IColumnEdge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export type Hit =
  | { type: 'handle'; box: IBox; direction: 'upstream' | 'downstream' }
  | { type: 'toggle'; box: IBox }
  | { type: 'column'; box: IBox; column: string }
  | { type: 'box'; box: IBox }
  | { type: 'edge'; edge: ISceneColumnEdge };

/** The height of a box showing these columns (null: no columns shown). */
export function boxHeight(
  kind: 'node' | 'group',
  columns: string[] | null
): number {
  if (kind === 'group') {
    return GROUP_H;
  }
  return columns === null ? HEADER_H : HEADER_H + columns.length * ROW_H + 6;
}

/** Whether a node can show columns. */
export function hasColumns(node: ILineageNode): boolean {
  return WITH_COLUMNS.has(node.resource_type);
}

/** A box's sub-title: kind and materialization. */
function subtitle(node: ILineageNode): string {
  return node.materialized && node.resource_type === 'model'
    ? `${node.resource_type} · ${node.materialized}`
    : node.resource_type.replace(/_/g, ' ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const CELL = 256;

/** Boxes bucketed by grid cell, for culling and hit-testing without scanning all. */
export class SpatialGrid {
  private readonly _cells = new Map<number, IBox[]>();
  private readonly _boxes: IBox[];
  private _stamp = 0;
  private readonly _seen = new Map<IBox, number>();
  private _cx0 = 0;
  private _cy0 = 0;
  private _cx1 = -1;
  private _cy1 = -1;

  constructor(boxes: IBox[]) {
    this._boxes = boxes;
    if (boxes.length > 0) {
      this._cx0 = this._cy0 = Infinity;
      this._cx1 = this._cy1 = -Infinity;
    }
    for (const box of boxes) {
      this._cx0 = Math.min(this._cx0, Math.floor(box.x / CELL));
      this._cy0 = Math.min(this._cy0, Math.floor(box.y / CELL));
      this._cx1 = Math.max(this._cx1, Math.floor((box.x + box.w) / CELL));
      this._cy1 = Math.max(this._cy1, Math.floor((box.y + box.h) / CELL));
    }
    for (const box of boxes) {
      this._forCells(box.x, box.y, box.x + box.w, box.y + box.h, key => {
        const cell = this._cells.get(key);
        if (cell === undefined) {
          this._cells.set(key, [box]);
        } else {
          cell.push(box);
        }
      });
    }
  }

  /** The boxes that may intersect a world rectangle. */
  query(x0: number, y0: number, x1: number, y1: number): IBox[] {
    const cx0 = Math.max(this._cx0, Math.floor(x0 / CELL));
    const cy0 = Math.max(this._cy0, Math.floor(y0 / CELL));
    const cx1 = Math.min(this._cx1, Math.floor(x1 / CELL));
    const cy1 = Math.min(this._cy1, Math.floor(y1 / CELL));
    if (cx1 < cx0 || cy1 < cy0) {
      return [];
    }
    // Zoomed out, scanning the boxes is cheaper than visiting every cell.
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > this._boxes.length) {
      return this._boxes.filter(
        b => b.x <= x1 && b.x + b.w >= x0 && b.y <= y1 && b.y + b.h >= y0
      );
    }
    const stamp = ++this._stamp;
    const found: IBox[] = [];
    this._forCells(x0, y0, x1, y1, key => {
      for (const box of this._cells.get(key) ?? []) {
        if (this._seen.get(box) !== stamp) {
          this._seen.set(box, stamp);
          found.push(box);
        }
      }
    });
    return found;
  }

  private _forCells(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    visit: (key: number) => void
  ): void {
    const cx0 = Math.max(this._cx0, Math.floor(x0 / CELL));
    const cy0 = Math.max(this._cy0, Math.floor(y0 / CELL));
    const cx1 = Math.min(this._cx1, Math.floor(x1 / CELL));
    const cy1 = Math.min(this._cy1, Math.floor(y1 / CELL));
    const span = this._cy1 - this._cy0 + 1;
    for (let cx = cx0; cx <= cx1; cx++) {
      for (let cy = cy0; cy <= cy1; cy++) {
        visit((cx - this._cx0) * span + (cy - this._cy0));
      }
    }
  }
}

/** Where the boxes are: item id -> top-left corner and rank. */
export type Positions = Map<string, { x: number; y: number; rank: number }>;

export class Scene {
  readonly boxes: IBox[] = [];
  readonly byId = new Map<string, IBox>();
  readonly edges: ISceneEdge[] = [];
  readonly columnEdges: ISceneColumnEdge[] = [];
  readonly grid: SpatialGrid;
  readonly bounds = { x0: 0, y0: 0, x1: 0, y1: 0 };

  constructor(
    display: IDisplayGraph,
    positions: Positions,
    graph: LineageGraph,
    columns: ColumnState,
    lens: Lens,
    columnMode: boolean
  ) {
    for (const item of display.items) {
      const at = positions.get(item.id);
      if (at === undefined) {
        continue;
      }
      const node = item.node;
      const shown =
        node !== null && columns.expanded.has(node.unique_id)
          ? columns.columnsOf(node.unique_id)
          : null;
      const box: IBox = {
        id: item.id,
        kind: item.kind,
        x: at.x,
        y: at.y,
        w: NODE_W,
        h: boxHeight(item.kind, shown),
        label: node ? node.name : (item.group?.label ?? item.id),
        sub: node
          ? subtitle(node)
          : plural(item.group?.members.length ?? 0, 'node'),
        colour: node ? lensColour(lens, lensValue(node, lens)) : '',
        node,
        count: item.group?.members.length ?? 0,
        columns: shown,
        hiddenUp: node ? graph.hasHidden(node.unique_id, 'upstream') : false,
        hiddenDown: node
          ? graph.hasHidden(node.unique_id, 'downstream')
          : false,
        coverage: node ? columns.coverage(node.unique_id) : null,
        toggle: columnMode && node !== null && hasColumns(node)
      };
      this.boxes.push(box);
      this.byId.set(box.id, box);
    }
    for (const edge of display.edges) {
      const from = this.byId.get(edge.from);
      const to = this.byId.get(edge.to);
      if (from && to) {
        this.edges.push({ from, to, count: edge.count });
      }
    }
    for (const edge of columns.traceEdges()) {
      const from = this.byId.get(edge.source);
      const to = this.byId.get(edge.target);
      if (from && to) {
        const [x1, y1] = anchor(from, edge.source_column, 'out');
        const [x2, y2] = anchor(to, edge.target_column, 'in');
        this.columnEdges.push({ ...edge, x1, y1, x2, y2 });
      }
    }
    if (this.boxes.length > 0) {
      const b = this.bounds;
      b.x0 = b.y0 = Infinity;
      b.x1 = b.y1 = -Infinity;
      for (const box of this.boxes) {
        b.x0 = Math.min(b.x0, box.x);
        b.y0 = Math.min(b.y0, box.y);
        b.x1 = Math.max(b.x1, box.x + box.w);
        b.y1 = Math.max(b.y1, box.y + box.h);
      }
    }
    this.grid = new SpatialGrid(this.boxes);
  }

  /** What is under a world point; `slack` widens targets at small zoom (world units). */
  hit(wx: number, wy: number, slack: number, handles: boolean): Hit | null {
    const near = this.grid.query(
      wx - HANDLE_R - slack,
      wy - HANDLE_R - slack,
      wx + HANDLE_R + slack,
      wy + HANDLE_R + slack
    );
    if (handles) {
      for (const box of near) {
        const cy = box.y + Math.min(box.h, HEADER_H) / 2;
        const r = HANDLE_R + slack;
        if (box.hiddenUp && (wx - box.x) ** 2 + (wy - cy) ** 2 <= r * r) {
          return { type: 'handle', box, direction: 'upstream' };
        }
        if (
          box.hiddenDown &&
          (wx - box.x - box.w) ** 2 + (wy - cy) ** 2 <= r * r
        ) {
          return { type: 'handle', box, direction: 'downstream' };
        }
      }
    }
    for (const box of near) {
      if (
        wx < box.x ||
        wx > box.x + box.w ||
        wy < box.y ||
        wy > box.y + box.h
      ) {
        continue;
      }
      if (box.toggle && wx >= box.x + box.w - 26 && wy <= box.y + 24) {
        return { type: 'toggle', box };
      }
      if (box.columns !== null && wy >= box.y + HEADER_H) {
        const row = Math.floor((wy - box.y - HEADER_H) / ROW_H);
        if (row >= 0 && row < box.columns.length) {
          return { type: 'column', box, column: box.columns[row] };
        }
      }
      return { type: 'box', box };
    }
    let best: ISceneColumnEdge | null = null;
    let bestDistance = 5 + slack;
    for (const edge of this.columnEdges) {
      const d = distanceToCurve(edge, wx, wy);
      if (d < bestDistance) {
        bestDistance = d;
        best = edge;
      }
    }
    return best ? { type: 'edge', edge: best } : null;
  }
}

/** The point where an edge leaves (`out`, right side) or enters (`in`, left side) a box. */
export function anchor(
  box: IBox,
  column: string,
  side: 'in' | 'out'
): [number, number] {
  const x = side === 'out' ? box.x + box.w : box.x;
  if (box.columns !== null && column !== '') {
    const lower = column.toLowerCase();
    const row = box.columns.findIndex(c => c.toLowerCase() === lower);
    if (row >= 0) {
      return [x, box.y + HEADER_H + row * ROW_H + ROW_H / 2];
    }
  }
  return [x, box.y + Math.min(box.h, HEADER_H) / 2];
}

/** The control points of the curve between two anchors (shared by canvas and SVG). */
export function curve(
  x1: number,
  y1: number,
  x2: number,
  y2: number
): [number, number, number, number] {
  const dx = Math.max(40, Math.abs(x2 - x1) / 2);
  return [x1 + dx, y1, x2 - dx, y2];
}

function distanceToCurve(e: ISceneColumnEdge, px: number, py: number): number {
  const [c1x, c1y, c2x, c2y] = curve(e.x1, e.y1, e.x2, e.y2);
  let best = Infinity;
  for (let i = 0; i <= 24; i++) {
    const t = i / 24;
    const u = 1 - t;
    const x =
      u * u * u * e.x1 +
      3 * u * u * t * c1x +
      3 * u * t * t * c2x +
      t * t * t * e.x2;
    const y =
      u * u * u * e.y1 +
      3 * u * u * t * c1y +
      3 * u * t * t * c2y +
      t * t * t * e.y2;
    best = Math.min(best, Math.hypot(x - px, y - py));
  }
  return best;
}
