/**
 * `LineageView`: the interactive lineage graph in any host element (a JupyterLab panel or a
 * notebook widget's output), drawn on one canvas.
 *
 * The view fills its host (give the host a size) and follows its size with a
 * ResizeObserver. It reports through DOM events on the host: `dbt-lineage-paint`
 * (`{ nodes, ms }`, once per `load`, when its first frame is painted) and
 * `dbt-lineage-change` (`{ nodes, edges }`, whenever the shown graph changes), and keeps
 * `data-node-count`, `data-selected` and `data-loading` attributes on the host.
 */
import { ColumnState, EDGE_LEGEND, edgeDash } from './columns';
import { canvasContext, sceneToPNG, sceneToSVG } from './export';
import {
  groupItemId,
  groupOf,
  IDisplayGraph,
  LineageGraph,
  selectorOf
} from './graph';
import { ILayoutInput } from './layout';
import { Minimap } from './minimap';
import { IPaintState, paintScene, TEXT_SCALE } from './painter';
import {
  ITheme,
  LENS_TITLES,
  lensColour,
  lensLabel,
  lensValue,
  readTheme
} from './palette';
import {
  boxHeight,
  hasColumns,
  Hit,
  IBox,
  ISceneColumnEdge,
  NODE_GAP,
  NODE_W,
  Positions,
  RANK_GAP,
  Scene
} from './scene';
import { ensureStyle } from './style';
import {
  Direction,
  GroupKey,
  ILineage,
  ILineageNode,
  ILineageQuery,
  ILineageSource,
  ILineageViewOptions,
  Lens
} from './types';
import { LayoutRunner } from './worker';

/** A focused view with more nodes than this opens centred on the focus, not fitted. */
const FIT_ALL_LIMIT = 60;
const MIN_SCALE = 0.02;
const MAX_SCALE = 4;
const MAX_FETCH = 20000;
/** Above this many boxes + edges, frames are drawn from a cached bitmap while panning. */
const CACHE_ABOVE = 1500;
/** The cached bitmap covers the view plus this fraction of it on each side. */
const CACHE_MARGIN = 0.25;
/** After the last wheel event, the view is redrawn sharp after this many ms. */
const ZOOM_SETTLE_MS = 150;

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class LineageView {
  private readonly _canvas: HTMLCanvasElement;
  private readonly _ctx: CanvasRenderingContext2D | null;
  private readonly _minimap: Minimap;
  private readonly _legend: HTMLDivElement;
  private readonly _loadingBar: HTMLDivElement;
  private readonly _message: HTMLDivElement;
  private readonly _tooltip: HTMLDivElement;
  private readonly _graph = new LineageGraph();
  private readonly _columns = new ColumnState();
  private readonly _runner = new LayoutRunner();
  private _positions: Positions = new Map();
  private _scene: Scene | null = null;
  private _lens: Lens = 'resource_type';
  private _groupBy: GroupKey | null = null;
  private readonly _collapsed = new Set<string>();
  private _columnMode = false;
  private _selected: string | null = null;
  private _hovered: string | null = null;
  private _selectedEdge: ISceneColumnEdge | null = null;
  private readonly _related = new Map<string, Set<string>>();
  private _scale = 1;
  private _tx = 0;
  private _ty = 0;
  private _width = 0;
  private _height = 0;
  private _ratio = 1;
  private _theme: ITheme;
  private _busy = 0;
  private _loadSeq = 0;
  private _frame: number | null = null;
  private _paintStart: number | null = null;
  private _drag: {
    x: number;
    y: number;
    tx: number;
    ty: number;
    moved: boolean;
    id: number;
  } | null = null;
  private _disposed = false;
  private _sceneSerial = 0;
  private _layer: {
    canvas: HTMLCanvasElement;
    key: string;
    scale: number;
    tx: number;
    ty: number;
  } | null = null;
  private _zoomTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly _resizeObserver: ResizeObserver | null = null;
  private readonly _themeObserver: MutationObserver | null = null;

  constructor(
    private readonly _host: HTMLElement,
    private readonly _source: ILineageSource,
    private readonly _options: ILineageViewOptions = {}
  ) {
    ensureStyle(_host.ownerDocument);
    _host.classList.add('dbt-lineage');
    if (!_host.hasAttribute('tabindex')) {
      _host.tabIndex = 0;
    }
    _host.setAttribute('role', 'application');
    _host.setAttribute('aria-label', 'Lineage graph');
    _host.setAttribute('data-node-count', '0');

    this._canvas = document.createElement('canvas');
    this._canvas.className = 'dbt-lineage-canvas';
    this._ctx = canvasContext(this._canvas);
    this._minimap = new Minimap((wx, wy) => this._centreOn(wx, wy));
    this._legend = this._div('dbt-lineage-legend');
    this._loadingBar = this._div('dbt-lineage-loading');
    this._loadingBar.setAttribute('role', 'progressbar');
    this._message = this._div('dbt-lineage-message');
    this._message.hidden = true;
    this._message.setAttribute('role', 'status');
    this._tooltip = this._div('dbt-lineage-tooltip');
    this._tooltip.hidden = true;
    _host.append(
      this._canvas,
      this._legend,
      this._minimap.element,
      this._loadingBar,
      this._message,
      this._tooltip
    );
    this._theme = readTheme(_host);

    this._canvas.addEventListener('pointerdown', this._onPointerDown);
    this._canvas.addEventListener('pointermove', this._onPointerMove);
    this._canvas.addEventListener('pointerup', this._onPointerUp);
    this._canvas.addEventListener('pointerleave', this._onPointerLeave);
    this._canvas.addEventListener('dblclick', this._onDoubleClick);
    this._canvas.addEventListener('contextmenu', this._onContextMenu);
    this._canvas.addEventListener('wheel', this._onWheel, { passive: false });
    _host.addEventListener('keydown', this._onKeyDown);

    if (typeof ResizeObserver !== 'undefined') {
      this._resizeObserver = new ResizeObserver(() => this.resize());
      this._resizeObserver.observe(_host);
    }
    // JupyterLab switches themes by changing attributes on <body>.
    if (typeof MutationObserver !== 'undefined' && document.body) {
      this._themeObserver = new MutationObserver(() => {
        this._theme = readTheme(this._host);
        this._rebuildScene();
      });
      this._themeObserver.observe(document.body, {
        attributes: true,
        attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light', 'class']
      });
    }
    this.resize();
    this._renderLegend();
  }

  /** The selected node's unique id. */
  get selected(): string | null {
    return this._selected;
  }

  /** How many lineage nodes are shown (members of collapsed groups included). */
  get nodeCount(): number {
    return this._graph.size;
  }

  /** Whether a fetch or a layout is under way. */
  get loading(): boolean {
    return this._busy > 0;
  }

  /** Replace the graph with a query's lineage; fit it (or centre the focus when large). */
  async load(query: ILineageQuery): Promise<void> {
    const start = now();
    const seq = ++this._loadSeq;
    this._setBusy(1);
    try {
      const lineage = await this._source.lineage(query);
      if (seq !== this._loadSeq || this._disposed) {
        return;
      }
      this._graph.replace(lineage);
      const hadColumn = this._columns.selection !== null;
      const hadEdge = this._selectedEdge !== null;
      this._columns.clear();
      this._positions = new Map();
      this._related.clear();
      this._selectedEdge = null;
      if (hadColumn) {
        this._options.onColumnSelect?.(null);
      }
      if (hadEdge) {
        this._options.onEdgeSelect?.(null);
      }
      if (this._selected !== null && !this._graph.nodes.has(this._selected)) {
        this._setSelected(null, false);
      }
      this._collapseAll();
      this._showLoadMessage(lineage);
      if (!(await this._relayout()) || seq !== this._loadSeq) {
        return;
      }
      this._fitFocus();
      this._paintStart = start;
      this._schedule();
      // Column mode outlives a load: show the new focus's columns as turning it on would.
      const focus = this._graph.focus;
      if (this._columnMode && focus !== null && this._isColumnNode(focus)) {
        await this._showColumns([focus]);
      }
    } catch (error) {
      if (seq === this._loadSeq) {
        this._fail(error, 'Could not load the lineage');
      }
    } finally {
      this._setBusy(-1);
    }
  }

  /** Show a node's parents (upstream) or children (downstream) too; nothing moves. */
  async expand(uniqueId: string, direction: Direction): Promise<void> {
    const node = this._graph.nodes.get(uniqueId);
    if (node === undefined) {
      return;
    }
    const seq = this._loadSeq;
    this._setBusy(1);
    try {
      const around = await this._source.lineage({
        focus: uniqueId,
        depth: 1,
        maxNodes: MAX_FETCH
      });
      if (seq !== this._loadSeq || this._disposed) {
        return;
      }
      const wanted = new Set<string>();
      for (const [from, to] of around.edges) {
        if (direction === 'upstream' && to === uniqueId) {
          wanted.add(from);
        } else if (direction === 'downstream' && from === uniqueId) {
          wanted.add(to);
        }
      }
      const step = direction === 'upstream' ? -1 : 1;
      const added = this._graph.merge({
        ...around,
        nodes: around.nodes
          .filter(
            n => wanted.has(n.unique_id) && !this._graph.nodes.has(n.unique_id)
          )
          .map(n => ({
            ...n,
            distance: node.distance === null ? null : node.distance + step
          }))
      });
      await this._completeEdges(added);
      if (seq !== this._loadSeq) {
        return;
      }
      this._related.clear();
      if (await this._relayout()) {
        this._bringIntoView([uniqueId, ...added]);
      }
    } catch (error) {
      this._fail(error, `Could not expand ${node.name}`);
    } finally {
      this._setBusy(-1);
    }
  }

  /** Colour the nodes by another attribute. */
  setLens(lens: Lens): void {
    this._lens = lens;
    this._rebuildScene();
    this._renderLegend();
  }

  /** Group nodes into collapsed boxes by an attribute (null: no grouping). */
  setGroupBy(key: GroupKey | null): void {
    this._groupBy = key;
    this._collapseAll();
    this._positions = new Map();
    void this._relayout().then(done => done && this.fit());
  }

  /** Expand a collapsed group, or collapse an expanded one. */
  toggleGroup(key: string): void {
    if (this._collapsed.has(key)) {
      this._collapsed.delete(key);
    } else {
      this._collapsed.add(key);
    }
    void this._relayout();
  }

  /**
   * The shown nodes matching the text (exact names first); selects and centres the first,
   * opening its group when it is collapsed.
   */
  search(text: string): string[] {
    const found = this._graph.search(text);
    if (found.length > 0) {
      this._reveal(found[0]);
    }
    return found;
  }

  /** Select a node (null: none) without calling `onSelect`. */
  select(uniqueId: string | null): void {
    this._setSelected(uniqueId, false);
  }

  /** Turn column mode on (columns of the selected or focus node shown) or off. */
  async setColumnMode(on: boolean): Promise<void> {
    if (on === this._columnMode) {
      return;
    }
    this._columnMode = on;
    this._renderLegend();
    if (!on) {
      const hadColumn = this._columns.selection !== null;
      const hadEdge = this._selectedEdge !== null;
      this._columns.clear();
      this._selectedEdge = null;
      if (hadColumn) {
        this._options.onColumnSelect?.(null);
      }
      if (hadEdge) {
        this._options.onEdgeSelect?.(null);
      }
      await this._relayout();
      return;
    }
    const first = [this._selected, this._graph.focus].find(
      id => id !== null && this._isColumnNode(id)
    );
    if (first) {
      await this._showColumns([first]);
    } else {
      this._rebuildScene();
    }
  }

  /** Show or hide one node's columns (turns column mode on). */
  async toggleColumns(uniqueId: string): Promise<void> {
    if (!this._columnMode) {
      this._columnMode = true;
      this._renderLegend();
    }
    if (this._columns.expanded.has(uniqueId)) {
      this._columns.expanded.delete(uniqueId);
      await this._relayout();
    } else {
      await this._showColumns([uniqueId]);
    }
  }

  /** Trace a column up and down: its nodes are shown with their columns, edges by kind. */
  async traceColumn(uniqueId: string, column: string): Promise<void> {
    const seq = this._loadSeq;
    this._setBusy(1);
    try {
      const trace = await this._source.columnTrace(uniqueId, column);
      if (seq !== this._loadSeq || this._disposed) {
        return;
      }
      this._columns.trace = trace;
      this._columns.selection = { node: trace.node, column: trace.column };
      this._selectedEdge = null;
      if (!this._columnMode) {
        this._columnMode = true;
        this._renderLegend();
      }
      const reached = this._columns.traceNodes();
      const missing = reached.filter(id => !this._graph.nodes.has(id));
      if (missing.length > 0) {
        await this._addTraceNodes(reached, trace.nodes);
      }
      this._options.onColumnSelect?.({
        node: trace.node,
        column: trace.column
      });
      const shown = reached.filter(id => this._graph.nodes.has(id));
      await this._showColumns(shown);
      this._bringIntoView(shown);
    } catch (error) {
      this._fail(error, `Could not trace ${column}`);
    } finally {
      this._setBusy(-1);
    }
  }

  /** Fit the whole graph in the view. */
  fit(): void {
    const scene = this._scene;
    if (scene === null || scene.boxes.length === 0) {
      return;
    }
    const b = scene.bounds;
    this._fitRect(b.x0, b.y0, b.x1, b.y1, 1.2);
  }

  /** Zoom around the centre of the view. */
  zoomBy(factor: number): void {
    this._zoomAt(factor, this._width / 2, this._height / 2);
  }

  /** The whole graph as an SVG document (colours resolved). */
  exportSVG(): string {
    const scene = this._scene ?? this._emptyScene();
    return sceneToSVG(scene, readTheme(this._host), this._selected);
  }

  /** The whole graph as a PNG image (at most 8,000 pixels a side). */
  exportPNG(): Promise<Blob> {
    const scene = this._scene ?? this._emptyScene();
    return sceneToPNG(scene, readTheme(this._host));
  }

  /** Follow the host's size (called by the ResizeObserver; call it if there is none). */
  resize(): void {
    const width = this._host.clientWidth;
    const height = this._host.clientHeight;
    const ratio =
      typeof devicePixelRatio === 'number' ? devicePixelRatio || 1 : 1;
    if (
      width === this._width &&
      height === this._height &&
      ratio === this._ratio
    ) {
      return;
    }
    const firstSize = this._width === 0 || this._height === 0;
    this._width = width;
    this._height = height;
    this._ratio = ratio;
    this._canvas.width = Math.max(1, Math.round(width * ratio));
    this._canvas.height = Math.max(1, Math.round(height * ratio));
    if (firstSize && this._scene !== null) {
      this._fitFocus();
    }
    this._schedule();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._runner.dispose();
    this._resizeObserver?.disconnect();
    this._themeObserver?.disconnect();
    if (this._zoomTimer !== null) {
      clearTimeout(this._zoomTimer);
    }
    if (this._frame !== null && typeof cancelAnimationFrame === 'function') {
      cancelAnimationFrame(this._frame);
    }
    this._host.removeEventListener('keydown', this._onKeyDown);
    this._minimap.dispose();
    for (const element of [
      this._canvas,
      this._legend,
      this._loadingBar,
      this._message,
      this._tooltip
    ]) {
      element.remove();
    }
    this._host.classList.remove('dbt-lineage');
  }

  // Data ------------------------------------------------------------------------------------

  /**
   * Fetch the edges between newly shown nodes and the nodes already shown: an expansion's
   * answer only holds the edges around the expanded node.
   */
  private async _completeEdges(added: string[]): Promise<void> {
    if (added.length === 0) {
      return;
    }
    const selectors = added.map(
      id => `1+${selectorOf(this._graph.nodes.get(id) as ILineageNode)}+1`
    );
    const more = await this._source.lineage({
      select: [...new Set(selectors)].join(' '),
      maxNodes: MAX_FETCH
    });
    for (const [from, to] of more.edges) {
      this._graph.addEdge(from, to);
    }
  }

  /** Show the nodes a column trace reaches that were not shown, with their edges. */
  private async _addTraceNodes(
    reached: string[],
    columnNodes: { node: string; name: string }[]
  ): Promise<void> {
    const names = new Map(columnNodes.map(n => [n.node, n.name]));
    const selectors = reached.map(id =>
      id.startsWith('source.')
        ? `source:${id.split('.').slice(2).join('.')}`
        : (names.get(id) ?? id)
    );
    const found = await this._source.lineage({
      select: [...new Set(selectors)].join(' '),
      maxNodes: MAX_FETCH
    });
    const wanted = new Set(reached);
    const added = this._graph.merge({
      ...found,
      nodes: found.nodes
        .filter(
          n => wanted.has(n.unique_id) && !this._graph.nodes.has(n.unique_id)
        )
        .map(n => ({ ...n, distance: null }))
    });
    await this._completeEdges(added);
    this._related.clear();
  }

  /** Load the column lineage of nodes (failures leave the trace's columns) and show them. */
  private async _showColumns(ids: string[]): Promise<void> {
    const seq = this._loadSeq;
    this._setBusy(1);
    try {
      await Promise.all(
        ids
          .filter(id => !this._columns.models.has(id) && this._isModelLike(id))
          .map(id =>
            this._source.modelColumns(id).then(
              model => {
                this._columns.models.set(id, model);
              },
              () => undefined
            )
          )
      );
      if (seq !== this._loadSeq || this._disposed) {
        return;
      }
      for (const id of ids) {
        this._columns.expanded.add(id);
        const node = this._graph.nodes.get(id);
        if (node && this._groupBy !== null) {
          this._collapsed.delete(groupOf(node, this._groupBy));
        }
      }
      await this._relayout();
    } finally {
      this._setBusy(-1);
    }
  }

  private _isModelLike(id: string): boolean {
    const type = this._graph.nodes.get(id)?.resource_type;
    return type === 'model' || type === 'snapshot';
  }

  private _isColumnNode(id: string): boolean {
    const node = this._graph.nodes.get(id);
    return node !== undefined && hasColumns(node);
  }

  private _collapseAll(): void {
    this._collapsed.clear();
    if (this._groupBy !== null) {
      for (const key of this._graph.groups(this._groupBy).keys()) {
        this._collapsed.add(key);
      }
    }
  }

  // Layout ----------------------------------------------------------------------------------

  /**
   * Lay out what is shown, keeping the boxes already placed where they are. Resolves false
   * when a newer layout made this one stale.
   */
  private async _relayout(): Promise<boolean> {
    const display = this._graph.display(this._groupBy, this._collapsed);
    const input = this._layoutInput(display);
    this._setBusy(1);
    try {
      const result = await this._runner.run(input);
      if (result === null || this._disposed) {
        return false;
      }
      const positions: Positions = new Map();
      display.items.forEach((item, i) => {
        positions.set(item.id, {
          x: result.x[i],
          y: result.y[i],
          rank: result.rank[i]
        });
      });
      this._positions = positions;
      this._rebuildScene(display);
      this._host.setAttribute('data-node-count', String(this._graph.size));
      this._host.dispatchEvent(
        new CustomEvent('dbt-lineage-change', {
          detail: { nodes: this._graph.size, edges: this._graph.edgeCount }
        })
      );
      if (this._graph.size > 0 && this._message.dataset.kind === 'empty') {
        this._hideMessage();
      }
      return true;
    } catch (error) {
      this._fail(error, 'Could not lay out the graph');
      return false;
    } finally {
      this._setBusy(-1);
    }
  }

  private _layoutInput(display: IDisplayGraph): ILayoutInput {
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
      const columns =
        item.node !== null && this._columns.expanded.has(item.id)
          ? this._columns.columnsOf(item.id)
          : null;
      input.widths.push(NODE_W);
      input.heights.push(boxHeight(item.kind, columns));
      const at = this._positions.get(item.id);
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

  private _rebuildScene(display?: IDisplayGraph): void {
    this._sceneSerial++;
    this._scene = new Scene(
      display ?? this._graph.display(this._groupBy, this._collapsed),
      this._positions,
      this._graph,
      this._columns,
      this._lens,
      this._columnMode
    );
    if (this._selectedEdge !== null) {
      const old = this._selectedEdge;
      this._selectedEdge =
        this._scene.columnEdges.find(
          e =>
            e.source === old.source &&
            e.source_column === old.source_column &&
            e.target === old.target &&
            e.target_column === old.target_column
        ) ?? null;
    }
    this._minimap.update(this._scene, this._theme, this._ratio);
    this._renderLegend();
    this._schedule();
  }

  private _emptyScene(): Scene {
    return new Scene(
      { items: [], edges: [] },
      new Map(),
      this._graph,
      this._columns,
      this._lens,
      false
    );
  }

  // Camera ----------------------------------------------------------------------------------

  private _fitRect(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    maxScale: number
  ): void {
    if (this._width === 0 || this._height === 0) {
      return;
    }
    const margin = 40;
    const scale = Math.max(
      MIN_SCALE,
      Math.min(
        maxScale,
        (this._width - 2 * margin) / Math.max(1, x1 - x0),
        (this._height - 2 * margin) / Math.max(1, y1 - y0)
      )
    );
    this._scale = scale;
    this._tx = this._width / 2 - ((x0 + x1) / 2) * scale;
    this._ty = this._height / 2 - ((y0 + y1) / 2) * scale;
    this._schedule();
  }

  /** Fit small graphs; centre a large one on its focus and the focus's neighbours. */
  private _fitFocus(): void {
    const scene = this._scene;
    const focus = this._graph.focus;
    if (scene === null) {
      return;
    }
    const box = focus !== null ? scene.byId.get(focus) : undefined;
    if (box === undefined || scene.boxes.length <= FIT_ALL_LIMIT) {
      this.fit();
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
    this._fitRect(x0, y0, x1, y1, 1.2);
    if (this._scale < 0.5) {
      this._zoomAt(0.5 / this._scale, this._width / 2, this._height / 2);
    }
  }

  private _zoomAt(factor: number, sx: number, sy: number): void {
    const scale = Math.min(
      MAX_SCALE,
      Math.max(MIN_SCALE, this._scale * factor)
    );
    const applied = scale / this._scale;
    this._tx = sx - (sx - this._tx) * applied;
    this._ty = sy - (sy - this._ty) * applied;
    this._scale = scale;
    this._schedule();
  }

  private _centreOn(wx: number, wy: number): void {
    this._tx = this._width / 2 - wx * this._scale;
    this._ty = this._height / 2 - wy * this._scale;
    this._schedule();
  }

  /** Pan just enough to bring a box into view. */
  private _ensureVisible(box: IBox): void {
    const margin = 30;
    const sx0 = box.x * this._scale + this._tx;
    const sy0 = box.y * this._scale + this._ty;
    const sx1 = (box.x + box.w) * this._scale + this._tx;
    const sy1 = (box.y + box.h) * this._scale + this._ty;
    if (sx0 < margin) {
      this._tx += margin - sx0;
    } else if (sx1 > this._width - margin) {
      this._tx -= sx1 - (this._width - margin);
    }
    if (sy0 < margin) {
      this._ty += margin - sy0;
    } else if (sy1 > this._height - margin) {
      this._ty -= sy1 - (this._height - margin);
    }
    this._schedule();
  }

  /** Pan (never zoom) so that these boxes are in view, as far as they fit. */
  private _bringIntoView(ids: string[]): void {
    const scene = this._scene;
    if (scene === null || this._width === 0) {
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
      const a = lo * this._scale;
      const b = hi * this._scale;
      if (b - a > size - 2 * margin) {
        return size / 2 - (a + b) / 2;
      }
      return a < margin
        ? margin - a
        : b > size - margin
          ? size - margin - b
          : 0;
    };
    this._tx += shift(
      x0 + this._tx / this._scale,
      x1 + this._tx / this._scale,
      this._width
    );
    this._ty += shift(
      y0 + this._ty / this._scale,
      y1 + this._ty / this._scale,
      this._height
    );
    this._schedule();
  }

  private _reveal(id: string): void {
    const node = this._graph.nodes.get(id);
    if (node === undefined) {
      return;
    }
    const group = this._groupBy !== null ? groupOf(node, this._groupBy) : null;
    const centre = (): void => {
      const box = this._scene?.byId.get(id);
      if (box) {
        if (this._scale < TEXT_SCALE * 2) {
          this._scale = 1;
        }
        this._centreOn(box.x + box.w / 2, box.y + box.h / 2);
      }
    };
    this._setSelected(id, false);
    if (group !== null && this._collapsed.has(group)) {
      this._collapsed.delete(group);
      void this._relayout().then(done => done && centre());
    } else {
      centre();
    }
  }

  // Painting --------------------------------------------------------------------------------

  private _schedule(): void {
    if (this._frame !== null || this._disposed) {
      return;
    }
    const paint = (): void => {
      this._frame = null;
      this._paint();
    };
    if (typeof requestAnimationFrame === 'function') {
      this._frame = requestAnimationFrame(paint);
    } else {
      this._frame = setTimeout(paint, 16) as unknown as number;
    }
  }

  private _paint(): void {
    if (this._disposed) {
      return;
    }
    const scene = this._scene;
    if (
      this._ctx !== null &&
      scene !== null &&
      this._width > 0 &&
      this._height > 0
    ) {
      // A node inside a collapsed group has no box: nothing to highlight then.
      const wanted = this._hovered ?? this._selected;
      const focus = wanted !== null && scene.byId.has(wanted) ? wanted : null;
      const state: IPaintState = {
        scale: this._scale,
        tx: this._tx,
        ty: this._ty,
        width: this._width,
        height: this._height,
        ratio: this._ratio,
        theme: this._theme,
        selected: this._selected,
        related: focus !== null ? this._relatedTo(focus) : null,
        selectedEdge: this._selectedEdge,
        selectedColumn: this._columns.selection,
        isTraced: (node, column) => this._columns.isTraced(node, column)
      };
      if (scene.boxes.length + scene.edges.length > CACHE_ABOVE) {
        this._paintCached(this._ctx, scene, state, focus);
      } else {
        this._layer = null;
        paintScene(this._ctx, scene, state);
      }
      this._minimap.draw(
        -this._tx / this._scale,
        -this._ty / this._scale,
        (this._width - this._tx) / this._scale,
        (this._height - this._ty) / this._scale,
        this._theme
      );
    }
    if (this._paintStart !== null) {
      const ms = now() - this._paintStart;
      this._paintStart = null;
      this._host.dispatchEvent(
        new CustomEvent('dbt-lineage-paint', {
          detail: { nodes: this._graph.size, ms: Math.round(ms * 10) / 10 }
        })
      );
    }
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
    focus: string | null
  ): void {
    const edge = this._selectedEdge;
    const column = this._columns.selection;
    const key = [
      this._sceneSerial,
      this._selected,
      focus,
      edge
        ? `${edge.source}.${edge.source_column}>${edge.target}.${edge.target_column}`
        : '',
      column ? `${column.node}.${column.column}` : '',
      this._width,
      this._height,
      this._ratio,
      this._theme.background
    ].join('|');
    const mx = this._width * CACHE_MARGIN;
    const my = this._height * CACHE_MARGIN;
    let layer = this._layer;
    const reusable = layer !== null && layer.key === key;
    const covers =
      reusable &&
      layer !== null &&
      layer.scale === state.scale &&
      Math.abs(state.tx - layer.tx) <= mx &&
      Math.abs(state.ty - layer.ty) <= my;
    const zooming = reusable && this._zoomTimer !== null;
    if (!covers && !zooming) {
      const canvas = layer?.canvas ?? document.createElement('canvas');
      const width = this._width + 2 * mx;
      const height = this._height + 2 * my;
      canvas.width = Math.round(width * this._ratio);
      canvas.height = Math.round(height * this._ratio);
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
      layer = { canvas, key, scale: state.scale, tx: state.tx, ty: state.ty };
      this._layer = layer;
    }
    const cached = layer as NonNullable<typeof layer>;
    const k = state.scale / cached.scale;
    const ratio = this._ratio;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = this._theme.background;
    ctx.fillRect(0, 0, this._width * ratio, this._height * ratio);
    // A layer pixel at world w sits at w * scale + tx + margin; on screen at w * scale + tx.
    ctx.drawImage(
      cached.canvas,
      (state.tx - (cached.tx + mx) * k) * ratio,
      (state.ty - (cached.ty + my) * k) * ratio,
      cached.canvas.width * k,
      cached.canvas.height * k
    );
  }

  /** The node and everything up and downstream of it (memoized per shown graph). */
  private _relatedTo(id: string): Set<string> {
    let found = this._related.get(id);
    if (found === undefined) {
      found = new Set([
        id,
        ...this._graph.upstream(id),
        ...this._graph.downstream(id)
      ]);
      this._related.set(id, found);
    }
    return found;
  }

  // Interaction -----------------------------------------------------------------------------

  private _hitAt(clientX: number, clientY: number): Hit | null {
    if (this._scene === null) {
      return null;
    }
    const rect = this._canvas.getBoundingClientRect();
    const wx = (clientX - rect.left - this._tx) / this._scale;
    const wy = (clientY - rect.top - this._ty) / this._scale;
    return this._scene.hit(wx, wy, 3 / this._scale, this._scale >= TEXT_SCALE);
  }

  private readonly _onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) {
      return;
    }
    this._host.focus({ preventScroll: true });
    this._drag = {
      x: event.clientX,
      y: event.clientY,
      tx: this._tx,
      ty: this._ty,
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
        this._tooltip.hidden = true;
      }
      if (drag.moved) {
        this._tx = drag.tx + dx;
        this._ty = drag.ty + dy;
        this._schedule();
      }
      return;
    }
    const hit = this._hitAt(event.clientX, event.clientY);
    const hovered =
      hit !== null && 'box' in hit && hit.box.node ? hit.box.id : null;
    if (hovered !== this._hovered) {
      this._hovered = hovered;
      this._schedule();
    }
    this._canvas.style.cursor =
      hit === null
        ? 'grab'
        : hit.type === 'box' && hit.box.kind === 'node'
          ? 'default'
          : 'pointer';
    this._showTooltip(hit, event);
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
      this._schedule();
    }
    this._tooltip.hidden = true;
  };

  private _click(hit: Hit | null): void {
    if (hit === null) {
      this._setSelected(null, true);
      this._selectEdge(null);
      return;
    }
    switch (hit.type) {
      case 'handle':
        void this.expand(hit.box.id, hit.direction);
        return;
      case 'toggle':
        void this.toggleColumns(hit.box.id);
        return;
      case 'column': {
        const selection = this._columns.selection;
        if (
          selection !== null &&
          selection.node === hit.box.id &&
          selection.column === hit.column
        ) {
          this._columns.trace = null;
          this._columns.selection = null;
          this._selectEdge(null);
          this._options.onColumnSelect?.(null);
          this._rebuildScene();
        } else {
          this._setSelected(hit.box.id, true);
          void this.traceColumn(hit.box.id, hit.column);
        }
        return;
      }
      case 'edge':
        this._selectEdge(hit.edge);
        return;
      case 'box':
        if (hit.box.kind === 'group') {
          this.toggleGroup(hit.box.id.slice(groupItemId('').length));
        } else {
          this._setSelected(hit.box.id, true);
        }
        return;
    }
  }

  private _selectEdge(edge: ISceneColumnEdge | null): void {
    if (edge === this._selectedEdge) {
      return;
    }
    this._selectedEdge = edge;
    this._options.onEdgeSelect?.(
      edge === null
        ? null
        : {
            source: edge.source,
            source_column: edge.source_column,
            target: edge.target,
            target_column: edge.target_column,
            kind: edge.kind,
            expression: edge.expression
          }
    );
    this._schedule();
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
      this._setSelected(hit.box.id, true);
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
      this._schedule();
    }, ZOOM_SETTLE_MS);
    this._zoomAt(
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
      case 'Enter':
        if (this._selected !== null) {
          this._options.onOpen?.(this._selected);
        }
        break;
      case '+':
      case '=':
        this.zoomBy(1.25);
        break;
      case '-':
        this.zoomBy(0.8);
        break;
      case '0':
        this.fit();
        break;
      case 'Escape':
        this._setSelected(null, true);
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
    const scene = this._scene;
    if (scene === null) {
      return;
    }
    const current =
      this._selected !== null ? scene.byId.get(this._selected) : undefined;
    if (current === undefined) {
      const start =
        (this._graph.focus !== null
          ? scene.byId.get(this._graph.focus)
          : undefined) ?? scene.boxes.find(b => b.node !== null);
      if (start) {
        this._setSelected(start.id, true);
        this._ensureVisible(start);
      }
      return;
    }
    let candidates: IBox[];
    if (key === 'ArrowLeft') {
      candidates = scene.edges.filter(e => e.to === current).map(e => e.from);
    } else if (key === 'ArrowRight') {
      candidates = scene.edges.filter(e => e.from === current).map(e => e.to);
    } else {
      const rank = this._positions.get(current.id)?.rank;
      candidates = scene.boxes.filter(
        b =>
          b !== current &&
          this._positions.get(b.id)?.rank === rank &&
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
      this._setSelected(best.id, true);
      this._ensureVisible(best);
    }
  }

  private _setSelected(id: string | null, user: boolean): void {
    if (id === this._selected) {
      return;
    }
    this._selected = id;
    if (id === null) {
      this._host.removeAttribute('data-selected');
    } else {
      this._host.setAttribute('data-selected', id);
    }
    if (user) {
      this._options.onSelect?.(id);
    }
    this._schedule();
  }

  // Overlays --------------------------------------------------------------------------------

  private _showTooltip(hit: Hit | null, event: MouseEvent): void {
    const tip = this._tooltip;
    let lines: string[] = [];
    if (hit !== null && hit.type === 'edge') {
      const e = hit.edge;
      lines = [
        `${e.source_column} → ${e.target_column || '(rows of the model)'}`,
        `kind: ${e.kind}`,
        ...(e.expression ? [e.expression] : [])
      ];
    } else if (hit !== null && hit.type === 'handle') {
      lines = [hit.direction === 'upstream' ? 'Show parents' : 'Show children'];
    } else if (hit !== null && hit.type === 'toggle') {
      lines = [hit.box.columns ? 'Hide columns' : 'Show columns'];
    } else if (hit !== null && hit.type === 'box' && hit.box.kind === 'group') {
      lines = [`${hit.box.label}`, `${hit.box.count} nodes: click to expand`];
    } else if (hit !== null && (hit.type === 'box' || hit.type === 'column')) {
      const node = hit.box.node as ILineageNode;
      lines = [
        node.name,
        node.unique_id,
        [node.resource_type, node.materialized].filter(Boolean).join(' · '),
        ...(node.status ? [`latest run: ${node.status}`] : []),
        ...(node.test_status ? [`tests: ${node.test_status}`] : []),
        ...(hit.box.coverage
          ? [
              `column lineage ${hit.box.coverage.status.replace('_', ' ')}: ${hit.box.coverage.reason}`
            ]
          : []),
        ...(hit.type === 'column'
          ? [`column ${hit.column}: click to trace`]
          : [])
      ];
    }
    if (lines.length === 0 || this._drag !== null) {
      tip.hidden = true;
      return;
    }
    tip.textContent = '';
    const title = document.createElement('strong');
    title.textContent = lines[0];
    tip.append(title, ...lines.slice(1).map(line => `\n${line}`));
    tip.hidden = false;
    const rect = this._host.getBoundingClientRect();
    const x = event.clientX - rect.left + 14;
    const y = event.clientY - rect.top + 14;
    tip.style.left = `${Math.min(x, Math.max(0, this._width - tip.offsetWidth - 4))}px`;
    tip.style.top = `${Math.min(y, Math.max(0, this._height - tip.offsetHeight - 4))}px`;
  }

  private _renderLegend(): void {
    const legend = this._legend;
    legend.textContent = '';
    const counts = new Map<string | null, number>();
    for (const node of this._graph.nodes.values()) {
      const value = lensValue(node, this._lens);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const title = document.createElement('span');
    title.className = 'dbt-lineage-legend-title';
    title.textContent = LENS_TITLES[this._lens];
    legend.append(title);
    const values = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    for (const [value, count] of values) {
      legend.append(
        this._legendItem(
          this._swatch(lensColour(this._lens, value)),
          `${lensLabel(this._lens, value)} (${count})`
        )
      );
    }
    if (this._columnMode) {
      legend.append(document.createElement('br'));
      const columnsTitle = document.createElement('span');
      columnsTitle.className = 'dbt-lineage-legend-title';
      columnsTitle.textContent = 'Column edges';
      legend.append(columnsTitle);
      for (const [kind, label] of EDGE_LEGEND) {
        legend.append(this._legendItem(this._lineSample(kind), label));
      }
    }
    legend.hidden = this._graph.size === 0;
  }

  private _legendItem(sample: Element, label: string): HTMLElement {
    const item = document.createElement('span');
    item.className = 'dbt-lineage-legend-item';
    item.append(sample, label);
    return item;
  }

  private _swatch(colour: string): HTMLElement {
    const swatch = document.createElement('span');
    swatch.className = 'dbt-lineage-swatch';
    swatch.style.background = colour;
    return swatch;
  }

  private _lineSample(kind: string): Element {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '28');
    svg.setAttribute('height', '8');
    svg.setAttribute('data-kind', kind);
    const line = document.createElementNS(ns, 'line');
    line.setAttribute('x1', '1');
    line.setAttribute('y1', '4');
    line.setAttribute('x2', '27');
    line.setAttribute('y2', '4');
    line.setAttribute('stroke', this._theme.accent);
    line.setAttribute(
      'stroke-width',
      kind === 'transformation' ? '2.2' : '1.6'
    );
    const dash = edgeDash(kind);
    if (dash.length > 0) {
      line.setAttribute('stroke-dasharray', dash.join(' '));
    }
    svg.append(line);
    return svg;
  }

  private _showLoadMessage(lineage: ILineage): void {
    if (lineage.nodes.length === 0) {
      this._showMessage('No nodes match this selection.', 'empty');
    } else if (lineage.truncated) {
      this._showMessage(
        `Showing the ${lineage.nodes.length} nodes nearest the focus of ${lineage.total}.`,
        'info'
      );
    } else {
      this._hideMessage();
    }
  }

  private _showMessage(text: string, kind: 'error' | 'info' | 'empty'): void {
    const message = this._message;
    message.textContent = text;
    message.dataset.kind = kind;
    message.classList.toggle('dbt-is-error', kind === 'error');
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.title = 'Dismiss';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => this._hideMessage());
    message.append(close);
    message.hidden = false;
  }

  private _hideMessage(): void {
    this._message.hidden = true;
    this._message.textContent = '';
    delete this._message.dataset.kind;
  }

  private _fail(error: unknown, context: string): void {
    if (this._disposed) {
      return;
    }
    const err = asError(error);
    this._showMessage(`${context}: ${err.message}`, 'error');
    this._options.onError?.(err);
  }

  private _setBusy(delta: number): void {
    this._busy += delta;
    const busy = this._busy > 0;
    this._loadingBar.classList.toggle('dbt-is-active', busy);
    if (busy) {
      this._host.setAttribute('data-loading', 'true');
    } else {
      this._host.removeAttribute('data-loading');
    }
  }

  private _div(className: string): HTMLDivElement {
    const div = document.createElement('div');
    div.className = className;
    return div;
  }
}
