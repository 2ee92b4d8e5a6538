/**
 * The camera: how the graph's world coordinates map onto the view (scale and translation),
 * the view's size, and the moves that fit, zoom, centre and pan it.
 */
import { TEXT_SCALE } from './painter';
import { IBox, Scene } from './scene';

/** A focused view with more nodes than this opens centred on the focus, not fitted. */
const FIT_ALL_LIMIT = 60;
const MIN_SCALE = 0.02;
const MAX_SCALE = 4;

export class Camera {
  /** Screen pixels per world unit. */
  scale = 1;
  /** Screen position of the world origin. */
  tx = 0;
  ty = 0;
  /** The view's size in CSS pixels, and the device pixel ratio. */
  width = 0;
  height = 0;
  ratio = 1;

  /** `changed` is called after every move, to repaint. */
  constructor(private readonly _changed: () => void) {}

  /** Take a new view size; false when nothing changed. */
  resize(width: number, height: number, ratio: number): boolean {
    if (
      width === this.width &&
      height === this.height &&
      ratio === this.ratio
    ) {
      return false;
    }
    this.width = width;
    this.height = height;
    this.ratio = ratio;
    return true;
  }

  /** The world point under a point of the view. */
  toWorld(sx: number, sy: number): [number, number] {
    return [(sx - this.tx) / this.scale, (sy - this.ty) / this.scale];
  }

  /** The part of the world in view: x0, y0, x1, y1. */
  visible(): [number, number, number, number] {
    return [
      -this.tx / this.scale,
      -this.ty / this.scale,
      (this.width - this.tx) / this.scale,
      (this.height - this.ty) / this.scale
    ];
  }

  /** Fit the whole scene in the view. */
  fit(scene: Scene | null): void {
    if (scene === null || scene.boxes.length === 0) {
      return;
    }
    const b = scene.bounds;
    this.fitRect(b.x0, b.y0, b.x1, b.y1, 1.2);
  }

  /** Fit a world rectangle in the view, zoomed in at most to `maxScale`. */
  fitRect(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    maxScale: number
  ): void {
    if (this.width === 0 || this.height === 0) {
      return;
    }
    const margin = 40;
    const scale = Math.max(
      MIN_SCALE,
      Math.min(
        maxScale,
        (this.width - 2 * margin) / Math.max(1, x1 - x0),
        (this.height - 2 * margin) / Math.max(1, y1 - y0)
      )
    );
    this.scale = scale;
    this.tx = this.width / 2 - ((x0 + x1) / 2) * scale;
    this.ty = this.height / 2 - ((y0 + y1) / 2) * scale;
    this._changed();
  }

  /** Fit small scenes; centre a large one on its focus and the focus's neighbours. */
  fitFocus(scene: Scene | null, focus: string | null): void {
    if (scene === null) {
      return;
    }
    const box = focus !== null ? scene.byId.get(focus) : undefined;
    if (box === undefined || scene.boxes.length <= FIT_ALL_LIMIT) {
      this.fit(scene);
      return;
    }
    let x0 = box.x;
    let y0 = box.y;
    let x1 = box.x + box.w;
    let y1 = box.y + box.h;
    for (const edge of scene.edges) {
      const other =
        edge.from === box ? edge.to : edge.to === box ? edge.from : null;
      if (other !== null) {
        x0 = Math.min(x0, other.x);
        y0 = Math.min(y0, other.y);
        x1 = Math.max(x1, other.x + other.w);
        y1 = Math.max(y1, other.y + other.h);
      }
    }
    this.fitRect(x0, y0, x1, y1, 1.2);
    if (this.scale < 0.5) {
      this.zoomAt(0.5 / this.scale, this.width / 2, this.height / 2);
    }
  }

  /** Zoom around the centre of the view. */
  zoomBy(factor: number): void {
    this.zoomAt(factor, this.width / 2, this.height / 2);
  }

  /** Zoom around a point of the view, which stays put. */
  zoomAt(factor: number, sx: number, sy: number): void {
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    const applied = scale / this.scale;
    this.tx = sx - (sx - this.tx) * applied;
    this.ty = sy - (sy - this.ty) * applied;
    this.scale = scale;
    this._changed();
  }

  /** Put a world point at the centre of the view. */
  centreOn(wx: number, wy: number): void {
    this.tx = this.width / 2 - wx * this.scale;
    this.ty = this.height / 2 - wy * this.scale;
    this._changed();
  }

  /** Centre a box, first zooming to 1:1 when its text would be too small to draw. */
  centreBox(box: IBox): void {
    if (this.scale < TEXT_SCALE * 2) {
      this.scale = 1;
    }
    this.centreOn(box.x + box.w / 2, box.y + box.h / 2);
  }

  /** Pan just enough to bring a box into view. */
  ensureVisible(box: IBox): void {
    const margin = 30;
    const sx0 = box.x * this.scale + this.tx;
    const sy0 = box.y * this.scale + this.ty;
    const sx1 = (box.x + box.w) * this.scale + this.tx;
    const sy1 = (box.y + box.h) * this.scale + this.ty;
    if (sx0 < margin) {
      this.tx += margin - sx0;
    } else if (sx1 > this.width - margin) {
      this.tx -= sx1 - (this.width - margin);
    }
    if (sy0 < margin) {
      this.ty += margin - sy0;
    } else if (sy1 > this.height - margin) {
      this.ty -= sy1 - (this.height - margin);
    }
    this._changed();
  }

  /** Pan (never zoom) so that these boxes are in view, as far as they fit. */
  bringIntoView(scene: Scene | null, ids: string[]): void {
    if (scene === null || this.width === 0) {
      return;
    }
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const id of ids) {
      const box = scene.byId.get(id);
      if (box) {
        x0 = Math.min(x0, box.x);
        y0 = Math.min(y0, box.y);
        x1 = Math.max(x1, box.x + box.w);
        y1 = Math.max(y1, box.y + box.h);
      }
    }
    if (x0 === Infinity) {
      return;
    }
    const margin = 30;
    const shift = (lo: number, hi: number, size: number): number => {
      const a = lo * this.scale;
      const b = hi * this.scale;
      if (b - a > size - 2 * margin) {
        return size / 2 - (a + b) / 2;
      }
      return a < margin
        ? margin - a
        : b > size - margin
          ? size - margin - b
          : 0;
    };
    this.tx += shift(
      x0 + this.tx / this.scale,
      x1 + this.tx / this.scale,
      this.width
    );
    this.ty += shift(
      y0 + this.ty / this.scale,
      y1 + this.ty / this.scale,
      this.height
    );
    this._changed();
  }
}
