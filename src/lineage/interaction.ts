/**
 * Pointer, wheel and keyboard input on the lineage canvas: panning, zooming, hovering,
 * clicks on boxes, handles, columns and edges, and moving the selection with the arrows.
 */
import { Camera } from './camera';
import { groupItemId } from './graph';
import { Overlay } from './overlay';
import { TEXT_SCALE } from './painter';
import { Hit, IBox, Scene } from './scene';
import { Selection } from './selection';
import { Direction, ILineageViewOptions } from './types';

/** After the last wheel event, the view is redrawn sharp after this many ms. */
const ZOOM_SETTLE_MS = 150;

/** What input acts on: the view's state and actions that pointer and keys reach. */
export interface IInteractionTarget {
  scene(): Scene | null;
  /** The layout rank of a shown box. */
  rank(id: string): number | undefined;
  /** The node the shown graph is centred on. */
  focus(): string | null;
  /** Trace a column, or stop tracing it when it is the selected one. */
  clickColumn(id: string, column: string): void;
  expand(id: string, direction: Direction): void;
  toggleColumns(id: string): void;
  toggleGroup(key: string): void;
  fit(): void;
  repaint(): void;
}

export class Interaction {
  private _hovered: string | null = null;
  private _drag: {
    x: number;
    y: number;
    tx: number;
    ty: number;
    moved: boolean;
    id: number;
  } | null = null;
  private _zoomTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly _host: HTMLElement,
    private readonly _canvas: HTMLCanvasElement,
    private readonly _camera: Camera,
    private readonly _overlay: Overlay,
    private readonly _selection: Selection,
    private readonly _options: ILineageViewOptions,
    private readonly _target: IInteractionTarget
  ) {
    _canvas.addEventListener('pointerdown', this._onPointerDown);
    _canvas.addEventListener('pointermove', this._onPointerMove);
    _canvas.addEventListener('pointerup', this._onPointerUp);
    _canvas.addEventListener('pointerleave', this._onPointerLeave);
    _canvas.addEventListener('dblclick', this._onDoubleClick);
    _canvas.addEventListener('contextmenu', this._onContextMenu);
    _canvas.addEventListener('wheel', this._onWheel, { passive: false });
    _host.addEventListener('keydown', this._onKeyDown);
  }

  /** The node under the pointer, if any. */
  get hovered(): string | null {
    return this._hovered;
  }

  /** Whether the wheel turned in the last moments (zooming has not settled). */
  get zooming(): boolean {
    return this._zoomTimer !== null;
  }

  /** Stop listening to the host's keys and forget a pending zoom redraw. */
  dispose(): void {
    if (this._zoomTimer !== null) {
      clearTimeout(this._zoomTimer);
    }
    this._host.removeEventListener('keydown', this._onKeyDown);
  }

  private _hitAt(clientX: number, clientY: number): Hit | null {
    const scene = this._target.scene();
    if (scene === null) {
      return null;
    }
    const rect = this._canvas.getBoundingClientRect();
    const camera = this._camera;
    const [wx, wy] = camera.toWorld(clientX - rect.left, clientY - rect.top);
    return scene.hit(wx, wy, 3 / camera.scale, camera.scale >= TEXT_SCALE);
  }

  private readonly _onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) {
      return;
    }
    this._host.focus({ preventScroll: true });
    this._drag = {
      x: event.clientX,
      y: event.clientY,
      tx: this._camera.tx,
      ty: this._camera.ty,
      moved: false,
      id: event.pointerId
    };
    this._canvas.setPointerCapture?.(event.pointerId);
  };

  private readonly _onPointerMove = (event: PointerEvent): void => {
    const drag = this._drag;
    if (drag !== null) {
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 3) {
        drag.moved = true;
        this._canvas.style.cursor = 'grabbing';
        this._overlay.hideTooltip();
      }
      if (drag.moved) {
        this._camera.tx = drag.tx + dx;
        this._camera.ty = drag.ty + dy;
        this._target.repaint();
      }
      return;
    }
    const hit = this._hitAt(event.clientX, event.clientY);
    const hovered =
      hit !== null && 'box' in hit && hit.box.node ? hit.box.id : null;
    if (hovered !== this._hovered) {
      this._hovered = hovered;
      this._target.repaint();
    }
    this._canvas.style.cursor =
      hit === null
        ? 'grab'
        : hit.type === 'box' && hit.box.kind === 'node'
          ? 'default'
          : 'pointer';
    this._overlay.showTooltip(
      hit,
      event,
      this._camera.width,
      this._camera.height
    );
  };

  private readonly _onPointerUp = (event: PointerEvent): void => {
    const drag = this._drag;
    this._drag = null;
    this._canvas.style.cursor = '';
    if (drag === null || drag.moved) {
      return;
    }
    this._click(this._hitAt(event.clientX, event.clientY));
  };

  private readonly _onPointerLeave = (): void => {
    if (this._hovered !== null) {
      this._hovered = null;
      this._target.repaint();
    }
    this._overlay.hideTooltip();
  };

  private _click(hit: Hit | null): void {
    const target = this._target;
    if (hit === null) {
      this._selection.setNode(null, true);
      this._selection.setEdge(null);
      return;
    }
    switch (hit.type) {
      case 'handle':
        target.expand(hit.box.id, hit.direction);
        return;
      case 'toggle':
        target.toggleColumns(hit.box.id);
        return;
      case 'column':
        target.clickColumn(hit.box.id, hit.column);
        return;
      case 'edge':
        this._selection.setEdge(hit.edge);
        return;
      case 'box':
        if (hit.box.kind === 'group') {
          target.toggleGroup(hit.box.id.slice(groupItemId('').length));
        } else {
          this._selection.setNode(hit.box.id, true);
        }
        return;
    }
  }

  private readonly _onDoubleClick = (event: MouseEvent): void => {
    const hit = this._hitAt(event.clientX, event.clientY);
    if (hit !== null && hit.type === 'box' && hit.box.node !== null) {
      this._options.onOpen?.(hit.box.id);
    }
  };

  private readonly _onContextMenu = (event: MouseEvent): void => {
    const hit = this._hitAt(event.clientX, event.clientY);
    if (hit !== null && 'box' in hit && hit.box.node !== null) {
      event.preventDefault();
      this._selection.setNode(hit.box.id, true);
      this._options.onContextMenu?.(hit.box.id, event);
    }
  };

  private readonly _onWheel = (event: WheelEvent): void => {
    event.preventDefault();
    const rect = this._canvas.getBoundingClientRect();
    const lines = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
    const delta = Math.max(-300, Math.min(300, event.deltaY * lines));
    if (this._zoomTimer !== null) {
      clearTimeout(this._zoomTimer);
    }
    this._zoomTimer = setTimeout(() => {
      this._zoomTimer = null;
      this._target.repaint();
    }, ZOOM_SETTLE_MS);
    this._camera.zoomAt(
      Math.exp(-delta * 0.0015),
      event.clientX - rect.left,
      event.clientY - rect.top
    );
  };

  private readonly _onKeyDown = (event: KeyboardEvent): void => {
    if (
      event.target !== this._host ||
      event.altKey ||
      event.ctrlKey ||
      event.metaKey
    ) {
      return;
    }
    let handled = true;
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowRight':
      case 'ArrowUp':
      case 'ArrowDown':
        this._move(event.key);
        break;
      case 'Enter': {
        const selected = this._selection.node;
        if (selected !== null) {
          this._options.onOpen?.(selected);
        }
        break;
      }
      case '+':
      case '=':
        this._camera.zoomBy(1.25);
        break;
      case '-':
        this._camera.zoomBy(0.8);
        break;
      case '0':
        this._target.fit();
        break;
      case 'Escape':
        this._selection.setNode(null, true);
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  /** Move the selection to a neighbour: parents left, children right, same rank up/down. */
  private _move(key: string): void {
    const target = this._target;
    const scene = target.scene();
    if (scene === null) {
      return;
    }
    const selected = this._selection.node;
    const current = selected !== null ? scene.byId.get(selected) : undefined;
    if (current === undefined) {
      const focus = target.focus();
      const start =
        (focus !== null ? scene.byId.get(focus) : undefined) ??
        scene.boxes.find(b => b.node !== null);
      if (start) {
        this._selection.setNode(start.id, true);
        this._camera.ensureVisible(start);
      }
      return;
    }
    let candidates: IBox[];
    if (key === 'ArrowLeft') {
      candidates = scene.edges.filter(e => e.to === current).map(e => e.from);
    } else if (key === 'ArrowRight') {
      candidates = scene.edges.filter(e => e.from === current).map(e => e.to);
    } else {
      const rank = target.rank(current.id);
      candidates = scene.boxes.filter(
        b =>
          b !== current &&
          target.rank(b.id) === rank &&
          (key === 'ArrowUp' ? b.y < current.y : b.y > current.y)
      );
    }
    let best: IBox | null = null;
    for (const box of candidates) {
      if (
        box.node !== null &&
        (best === null ||
          Math.abs(box.y - current.y) < Math.abs(best.y - current.y))
      ) {
        best = box;
      }
    }
    if (best !== null) {
      this._selection.setNode(best.id, true);
      this._camera.ensureVisible(best);
    }
  }
}
