/**
 * The minimap: the whole graph in a small canvas with the viewport outlined; click or drag
 * on it to move the view.
 */
import { canvasContext } from './export';
import { ITheme } from './palette';
import { Scene } from './scene';

const WIDTH = 180;
const HEIGHT = 120;
const PAD = 6;

export class Minimap {
  readonly element: HTMLCanvasElement;
  private readonly _ctx: CanvasRenderingContext2D | null;
  private _base: HTMLCanvasElement | null = null;
  private _scene: Scene | null = null;
  private _scale = 1;
  private _ox = 0;
  private _oy = 0;
  private _ratio = 1;

  /** `moveTo` receives the world point the user wants at the centre of the view. */
  constructor(private readonly _moveTo: (wx: number, wy: number) => void) {
    this.element = document.createElement('canvas');
    this.element.className = 'dbt-lineage-minimap';
    this.element.setAttribute(
      'aria-label',
      'Minimap: click or drag to move the view'
    );
    this._ctx = canvasContext(this.element);
    this.element.addEventListener('pointerdown', this._onPointer);
    this.element.addEventListener('pointermove', this._onPointer);
  }

  /** Redraw the graph's overview (after a layout or a lens change). */
  update(scene: Scene, theme: ITheme, ratio: number): void {
    this._scene = scene;
    this._ratio = ratio;
    this.element.width = WIDTH * ratio;
    this.element.height = HEIGHT * ratio;
    const b = scene.bounds;
    const w = Math.max(1, b.x1 - b.x0);
    const h = Math.max(1, b.y1 - b.y0);
    this._scale = Math.min((WIDTH - 2 * PAD) / w, (HEIGHT - 2 * PAD) / h);
    this._ox =
      PAD + (WIDTH - 2 * PAD - w * this._scale) / 2 - b.x0 * this._scale;
    this._oy =
      PAD + (HEIGHT - 2 * PAD - h * this._scale) / 2 - b.y0 * this._scale;
    if (this._ctx === null) {
      return;
    }
    const base = this._base ?? document.createElement('canvas');
    this._base = base;
    base.width = this.element.width;
    base.height = this.element.height;
    const ctx = base.getContext('2d') as CanvasRenderingContext2D;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = theme.surface;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    for (const box of scene.boxes) {
      ctx.fillStyle = box.kind === 'group' ? theme.mutedText : box.colour;
      ctx.fillRect(
        this._ox + box.x * this._scale,
        this._oy + box.y * this._scale,
        Math.max(1, box.w * this._scale),
        Math.max(1, box.h * this._scale)
      );
    }
  }

  /** Draw the overview and the viewport (a world rectangle). */
  draw(x0: number, y0: number, x1: number, y1: number, theme: ITheme): void {
    const ctx = this._ctx;
    if (ctx === null || this._base === null) {
      return;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this._base, 0, 0);
    ctx.setTransform(this._ratio, 0, 0, this._ratio, 0, 0);
    ctx.strokeStyle = theme.accent;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(
      this._ox + x0 * this._scale,
      this._oy + y0 * this._scale,
      (x1 - x0) * this._scale,
      (y1 - y0) * this._scale
    );
  }

  dispose(): void {
    this.element.removeEventListener('pointerdown', this._onPointer);
    this.element.removeEventListener('pointermove', this._onPointer);
    this.element.remove();
  }

  private readonly _onPointer = (event: PointerEvent): void => {
    if (
      this._scene === null ||
      (event.type === 'pointermove' && event.buttons !== 1)
    ) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (event.type === 'pointerdown') {
      this.element.setPointerCapture?.(event.pointerId);
    }
    const rect = this.element.getBoundingClientRect();
    const mx = event.clientX - rect.left;
    const my = event.clientY - rect.top;
    this._moveTo((mx - this._ox) / this._scale, (my - this._oy) / this._scale);
  };
}
