/**
 * The on-screen canvas: frames scheduled one at a time, and for large scenes a cached
 * bitmap that panning and zooming move instead of redrawing every box.
 */
import { canvasContext } from './export';
import { IPaintState, paintScene } from './painter';
import { Scene } from './scene';

/** Above this many boxes + edges, frames are drawn from a cached bitmap while panning. */
const CACHE_ABOVE = 1500;
/** The cached bitmap covers the view plus this fraction of it on each side. */
const CACHE_MARGIN = 0.25;

interface ILayer {
  canvas: HTMLCanvasElement;
  scene: Scene;
  key: string;
  scale: number;
  tx: number;
  ty: number;
}

export class Surface {
  readonly canvas: HTMLCanvasElement;
  private readonly _ctx: CanvasRenderingContext2D | null;
  private _frame: number | null = null;
  private _layer: ILayer | null = null;
  private _disposed = false;

  /** `draw` paints a frame; it is called once per `schedule`d animation frame. */
  constructor(private readonly _draw: () => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'dbt-lineage-canvas';
    this._ctx = canvasContext(this.canvas);
  }

  /** Whether the canvas has a 2D context to paint with. */
  get drawable(): boolean {
    return this._ctx !== null;
  }

  /** Size the canvas's bitmap for a view size and device pixel ratio. */
  setSize(width: number, height: number, ratio: number): void {
    this.canvas.width = Math.max(1, Math.round(width * ratio));
    this.canvas.height = Math.max(1, Math.round(height * ratio));
  }

  /** Ask for a frame (one at most is pending). */
  schedule(): void {
    if (this._frame !== null || this._disposed) {
      return;
    }
    const paint = (): void => {
      this._frame = null;
      this._draw();
    };
    if (typeof requestAnimationFrame === 'function') {
      this._frame = requestAnimationFrame(paint);
    } else {
      this._frame = setTimeout(paint, 16) as unknown as number;
    }
  }

  /**
   * Paint a scene. `focus` is the highlighted node; `zooming` says the wheel is turning, so
   * a cached bitmap of the same content may be scaled instead of redrawn.
   */
  paint(
    scene: Scene,
    state: IPaintState,
    focus: string | null,
    zooming: boolean
  ): void {
    const ctx = this._ctx;
    if (ctx === null) {
      return;
    }
    if (scene.boxes.length + scene.edges.length > CACHE_ABOVE) {
      this._paintCached(ctx, scene, state, focus, zooming);
    } else {
      this._layer = null;
      paintScene(ctx, scene, state);
    }
  }

  /** Cancel the pending frame and take the canvas out of the page. */
  dispose(): void {
    this._disposed = true;
    if (this._frame !== null && typeof cancelAnimationFrame === 'function') {
      cancelAnimationFrame(this._frame);
    }
    this.canvas.remove();
  }

  /**
   * Large graphs: draw into a bitmap a bit larger than the view, then only move it while
   * panning (and scale it while the wheel turns); redraw when it no longer covers the view,
   * when the content changes, or once zooming settles.
   */
  private _paintCached(
    ctx: CanvasRenderingContext2D,
    scene: Scene,
    state: IPaintState,
    focus: string | null,
    zooming: boolean
  ): void {
    const edge = state.selectedEdge;
    const column = state.selectedColumn;
    const key = [
      state.selected,
      focus,
      edge
        ? `${edge.source}.${edge.source_column}>${edge.target}.${edge.target_column}`
        : '',
      column ? `${column.node}.${column.column}` : '',
      state.width,
      state.height,
      state.ratio,
      state.theme.background
    ].join('|');
    const mx = state.width * CACHE_MARGIN;
    const my = state.height * CACHE_MARGIN;
    let layer = this._layer;
    const reusable =
      layer !== null && layer.scene === scene && layer.key === key;
    const covers =
      reusable &&
      layer !== null &&
      layer.scale === state.scale &&
      Math.abs(state.tx - layer.tx) <= mx &&
      Math.abs(state.ty - layer.ty) <= my;
    if (!covers && !(reusable && zooming)) {
      const canvas = layer?.canvas ?? document.createElement('canvas');
      const width = state.width + 2 * mx;
      const height = state.height + 2 * my;
      canvas.width = Math.round(width * state.ratio);
      canvas.height = Math.round(height * state.ratio);
      const layerCtx = canvasContext(canvas);
      if (layerCtx === null) {
        paintScene(ctx, scene, state);
        return;
      }
      paintScene(layerCtx, scene, {
        ...state,
        tx: state.tx + mx,
        ty: state.ty + my,
        width,
        height
      });
      layer = {
        canvas,
        scene,
        key,
        scale: state.scale,
        tx: state.tx,
        ty: state.ty
      };
      this._layer = layer;
    }
    const cached = layer as ILayer;
    const k = state.scale / cached.scale;
    const ratio = state.ratio;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = state.theme.background;
    ctx.fillRect(0, 0, state.width * ratio, state.height * ratio);
    // A layer pixel at world w sits at w * scale + tx + margin; on screen at w * scale + tx.
    ctx.drawImage(
      cached.canvas,
      (state.tx - (cached.tx + mx) * k) * ratio,
      (state.ty - (cached.ty + my) * k) * ratio,
      cached.canvas.width * k,
      cached.canvas.height * k
    );
  }
}
