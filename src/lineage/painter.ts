/**
 * Draws a scene on a 2D canvas context: culled to the viewport, with less detail when
 * zoomed out (no text below a readable size), so thousands of nodes stay smooth.
 */
import { coverageColour, ITheme } from './palette';
import {
  curve,
  HANDLE_R,
  HEADER_H,
  IBox,
  ISceneColumnEdge,
  ROW_H,
  Scene
} from './scene';

/** Below this zoom, text is not drawn (it would be unreadable anyway). */
export const TEXT_SCALE = 0.3;
/** Below this zoom, boxes are plain rectangles. */
const DETAIL_SCALE = 0.15;
/** Edges per stroked path. */
const EDGE_BATCH = 16;

export interface IPaintState {
  /** World -> screen: screen = world * scale + (tx, ty), in CSS pixels. */
  scale: number;
  tx: number;
  ty: number;
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  ratio: number;
  theme: ITheme;
  selected: string | null;
  /** The nodes on the highlighted paths (hover or selection), null when none. */
  related: Set<string> | null;
  selectedEdge: ISceneColumnEdge | null;
  selectedColumn: { node: string; column: string } | null;
  isTraced(node: string, column: string): boolean;
}

const fitted = new WeakMap<IBox, string>();

/** Paint the scene's visible part. */
export function paintScene(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  state: IPaintState
): void {
  const { scale, tx, ty, ratio, theme } = state;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, state.width, state.height);
  ctx.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * tx, ratio * ty);

  const x0 = -tx / scale;
  const y0 = -ty / scale;
  const x1 = (state.width - tx) / scale;
  const y1 = (state.height - ty) / scale;
  const px = 1 / scale;
  const related = state.related;

  // Edges, batched into paths of a few hundred: one path of thousands of overlapping
  // curves is far slower to rasterize (its scanlines cross every edge at once).
  const plain: Path2D[] = [];
  const strong: Path2D[] = [];
  let plainCount = 0;
  let strongCount = 0;
  const countLabels: [number, number, number][] = [];
  for (const edge of scene.edges) {
    const ax = edge.from.x + edge.from.w;
    const ay = edge.from.y + Math.min(edge.from.h, HEADER_H) / 2;
    const bx = edge.to.x;
    const by = edge.to.y + Math.min(edge.to.h, HEADER_H) / 2;
    const pad = 60;
    if (
      Math.max(ax, bx) + pad < x0 ||
      Math.min(ax, bx) - pad > x1 ||
      Math.max(ay, by) < y0 ||
      Math.min(ay, by) > y1
    ) {
      continue;
    }
    const onPath =
      related !== null && related.has(edge.from.id) && related.has(edge.to.id);
    let path: Path2D;
    if (onPath) {
      if (strongCount++ % EDGE_BATCH === 0) {
        strong.push(new Path2D());
      }
      path = strong[strong.length - 1];
    } else {
      if (plainCount++ % EDGE_BATCH === 0) {
        plain.push(new Path2D());
      }
      path = plain[plain.length - 1];
    }
    path.moveTo(ax, ay);
    if (scale < DETAIL_SCALE) {
      path.lineTo(bx, by);
    } else {
      const [c1x, c1y, c2x, c2y] = curve(ax, ay, bx, by);
      path.bezierCurveTo(c1x, c1y, c2x, c2y, bx, by);
    }
    if (edge.count > 1) {
      countLabels.push([(ax + bx) / 2, (ay + by) / 2, edge.count]);
    }
  }
  ctx.lineWidth = 1.2 * px;
  ctx.strokeStyle = theme.edge;
  ctx.globalAlpha = related !== null ? 0.35 : 0.9;
  plain.forEach(path => ctx.stroke(path));
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 2 * px;
  strong.forEach(path => ctx.stroke(path));

  // Column edges (few): one stroke each for its dash pattern.
  for (const edge of scene.columnEdges) {
    const [c1x, c1y, c2x, c2y] = curve(edge.x1, edge.y1, edge.x2, edge.y2);
    ctx.beginPath();
    ctx.moveTo(edge.x1, edge.y1);
    ctx.bezierCurveTo(c1x, c1y, c2x, c2y, edge.x2, edge.y2);
    const selected = edge === state.selectedEdge;
    ctx.setLineDash(edge.dash.map(d => d * 1.5 * px));
    ctx.lineWidth =
      (selected ? 3.5 : edge.kind === 'transformation' ? 2.2 : 1.6) * px;
    ctx.strokeStyle = selected ? theme.text : theme.accent;
    ctx.stroke();
  }
  ctx.setLineDash([]);

  const visible = scene.grid.query(x0, y0, x1, y1);
  const text = scale >= TEXT_SCALE;
  const detail = scale >= DETAIL_SCALE;
  for (const box of visible) {
    ctx.globalAlpha = related !== null && !related.has(box.id) ? 0.3 : 1;
    if (!detail) {
      ctx.fillStyle = box.kind === 'group' ? theme.mutedText : box.colour;
      ctx.fillRect(box.x, box.y, box.w, box.h);
      continue;
    }
    paintBox(ctx, box, state, text);
  }
  ctx.globalAlpha = 1;

  if (text && countLabels.length > 0) {
    ctx.font = `bold 11px ${theme.font}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const [x, y, count] of countLabels) {
      const label = String(count);
      const w = ctx.measureText(label).width + 10;
      ctx.fillStyle = theme.surface;
      ctx.strokeStyle = theme.edge;
      ctx.lineWidth = px;
      roundRect(ctx, x - w / 2, y - 9, w, 18, 9);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = theme.mutedText;
      ctx.fillText(label, x, y + 0.5);
    }
  }
  ctx.textAlign = 'left';
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

function paintBox(
  ctx: CanvasRenderingContext2D,
  box: IBox,
  state: IPaintState,
  text: boolean
): void {
  const { theme, scale } = state;
  const px = 1 / scale;
  const selected = box.id === state.selected;
  if (box.kind === 'group') {
    // A stack of cards says "several nodes in here".
    ctx.fillStyle = theme.surface;
    ctx.strokeStyle = theme.border;
    ctx.lineWidth = px;
    for (const offset of [6, 3]) {
      roundRect(ctx, box.x + offset, box.y - offset, box.w, box.h, 6);
      ctx.fill();
      ctx.stroke();
    }
  }
  // Rounded corners and text only when they can be seen: software canvases are slow.
  const radius = text ? 6 : 0;
  ctx.fillStyle = theme.surface;
  roundRect(ctx, box.x, box.y, box.w, box.h, radius);
  ctx.fill();
  if (box.kind === 'node') {
    const alpha = ctx.globalAlpha;
    ctx.globalAlpha = alpha * 0.14;
    ctx.fillStyle = box.colour;
    roundRect(ctx, box.x, box.y, box.w, HEADER_H, radius);
    ctx.fill();
    ctx.globalAlpha = alpha;
    ctx.fillRect(box.x + 1, box.y + 3, 5, box.h - 6);
  }
  ctx.lineWidth = (selected ? 2.5 : 1) * px;
  ctx.strokeStyle = selected
    ? theme.accent
    : box.kind === 'group'
      ? theme.mutedText
      : theme.border;
  if (box.kind === 'group') {
    ctx.setLineDash([4 * px, 3 * px]);
  }
  roundRect(ctx, box.x, box.y, box.w, box.h, radius);
  ctx.stroke();
  ctx.setLineDash([]);

  if (text) {
    const right = box.w - (box.toggle ? 30 : 12) - (box.coverage ? 20 : 0);
    ctx.textBaseline = 'alphabetic';
    ctx.fillStyle = theme.text;
    ctx.font = `600 13px ${state.theme.font}`;
    ctx.fillText(fit(ctx, box, right - 14), box.x + 14, box.y + 19);
    ctx.fillStyle = theme.mutedText;
    ctx.font = `11px ${state.theme.font}`;
    ctx.fillText(box.sub, box.x + 14, box.y + 35);
    if (box.toggle) {
      paintToggle(ctx, box, state);
    }
    if (box.coverage) {
      const cx = box.x + box.w - (box.toggle ? 38 : 16);
      const cy = box.y + 14;
      ctx.fillStyle = coverageColour(theme, box.coverage.status);
      ctx.beginPath();
      ctx.arc(cx, cy, 7, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#ffffff';
      ctx.font = `bold 10px ${state.theme.font}`;
      ctx.textAlign = 'center';
      ctx.fillText(box.coverage.status === 'partial' ? '!' : '×', cx, cy + 3.5);
      ctx.textAlign = 'left';
    }
    if (box.columns !== null && box.node !== null) {
      paintColumns(ctx, box, state);
    }
  }
  if (scale >= TEXT_SCALE) {
    for (const [on, hx] of [
      [box.hiddenUp, box.x],
      [box.hiddenDown, box.x + box.w]
    ] as [boolean, number][]) {
      if (on) {
        const hy = box.y + Math.min(box.h, HEADER_H) / 2;
        ctx.beginPath();
        ctx.arc(hx, hy, HANDLE_R, 0, Math.PI * 2);
        ctx.fillStyle = theme.surface;
        ctx.fill();
        ctx.lineWidth = 1.5 * px;
        ctx.strokeStyle = theme.accent;
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(hx - 4, hy);
        ctx.lineTo(hx + 4, hy);
        ctx.moveTo(hx, hy - 4);
        ctx.lineTo(hx, hy + 4);
        ctx.stroke();
      }
    }
  }
}

function paintToggle(
  ctx: CanvasRenderingContext2D,
  box: IBox,
  state: IPaintState
): void {
  const x = box.x + box.w - 22;
  const y = box.y + 7;
  const on = box.columns !== null;
  ctx.fillStyle = on ? state.theme.accent : state.theme.surface;
  ctx.strokeStyle = state.theme.accent;
  ctx.lineWidth = 1 / state.scale;
  roundRect(ctx, x, y, 16, 14, 3);
  ctx.fill();
  ctx.stroke();
  ctx.strokeStyle = on ? state.theme.surface : state.theme.accent;
  ctx.beginPath();
  for (const dy of [4, 7, 10]) {
    ctx.moveTo(x + 4, y + dy);
    ctx.lineTo(x + 12, y + dy);
  }
  ctx.stroke();
}

function paintColumns(
  ctx: CanvasRenderingContext2D,
  box: IBox,
  state: IPaintState
): void {
  const { theme } = state;
  const node = (box.node as { unique_id: string }).unique_id;
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1 / state.scale;
  ctx.beginPath();
  ctx.moveTo(box.x + 6, box.y + HEADER_H);
  ctx.lineTo(box.x + box.w, box.y + HEADER_H);
  ctx.stroke();
  ctx.font = `12px ${theme.font}`;
  ctx.textBaseline = 'middle';
  (box.columns as string[]).forEach((column, i) => {
    const top = box.y + HEADER_H + i * ROW_H;
    const picked =
      state.selectedColumn !== null &&
      state.selectedColumn.node === node &&
      state.selectedColumn.column.toLowerCase() === column.toLowerCase();
    if (state.isTraced(node, column)) {
      ctx.save();
      ctx.globalAlpha *= picked ? 0.3 : 0.14;
      ctx.fillStyle = theme.accent;
      ctx.fillRect(box.x + 6, top + 1, box.w - 7, ROW_H - 2);
      ctx.restore();
    }
    ctx.fillStyle = picked ? theme.accent : theme.text;
    ctx.fillText(column, box.x + 14, top + ROW_H / 2);
  });
  ctx.textBaseline = 'alphabetic';
}

function fit(ctx: CanvasRenderingContext2D, box: IBox, width: number): string {
  const known = fitted.get(box);
  if (known !== undefined) {
    return known;
  }
  let label = box.label;
  if (ctx.measureText(label).width > width) {
    let lo = 0;
    let hi = label.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(label.slice(0, mid) + '…').width <= width) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    label = label.slice(0, lo) + '…';
  }
  fitted.set(box, label);
  return label;
}

function roundRect(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number
): void {
  ctx.beginPath();
  if (r === 0) {
    ctx.rect(x, y, w, h);
    return;
  }
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}
