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
import { Camera } from './camera';
import { ColumnState } from './columns';
import { sceneToPNG, sceneToSVG } from './export';
import { IDisplayGraph, LineageGraph } from './graph';
import { Grouping } from './grouping';
import { Interaction } from './interaction';
import {
  addTraceNodes,
  completeEdges,
  loadModelColumns,
  mergeNeighbours,
  neighbourhood
} from './loader';
import { Minimap } from './minimap';
import { Overlay } from './overlay';
import { IPaintState } from './painter';
import { ITheme, readTheme, watchTheme } from './palette';
import { layoutInput, positionsOf } from './placement';
import { hasColumns, Positions, Scene } from './scene';
import { Selection } from './selection';
import { ensureStyle } from './style';
import { Surface } from './surface';
import {
  Direction,
  GroupKey,
  ILineageQuery,
  ILineageSource,
  ILineageViewOptions,
  Lens
} from './types';
import { LayoutRunner } from './worker';

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class LineageView {
  private readonly _surface: Surface;
  private readonly _camera: Camera;
  private readonly _minimap: Minimap;
  private readonly _overlay: Overlay;
  private readonly _selection: Selection;
  private readonly _interaction: Interaction;
  private readonly _graph = new LineageGraph();
  private readonly _columns = new ColumnState();
  private readonly _runner = new LayoutRunner();
  private _positions: Positions = new Map();
  private _scene: Scene | null = null;
  private _lens: Lens = 'resource_type';
  private readonly _grouping = new Grouping();
  private _columnMode = false;
  private _theme: ITheme;
  private _busy = 0;
  private _loadSeq = 0;
  private _paintStart: number | null = null;
  private _disposed = false;
  private readonly _resizeObserver: ResizeObserver | null = null;
  private readonly _themeObserver: MutationObserver | null;

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

    this._surface = new Surface(() => this._paint());
    this._camera = new Camera(() => this._surface.schedule());
    this._minimap = new Minimap((wx, wy) => this._camera.centreOn(wx, wy));
    this._overlay = new Overlay(_host);
    this._selection = new Selection(_host, _options, () =>
      this._surface.schedule()
    );
    const overlay = this._overlay;
    _host.append(
      this._surface.canvas,
      overlay.legend,
      this._minimap.element,
      overlay.loadingBar,
      overlay.message,
      overlay.tooltip
    );
    this._theme = readTheme(_host);

    this._interaction = new Interaction(
      _host,
      this._surface.canvas,
      this._camera,
      overlay,
      this._selection,
      _options,
      {
        scene: () => this._scene,
        rank: id => this._positions.get(id)?.rank,
        focus: () => this._graph.focus,
        clickColumn: (id, column) => this._clickColumn(id, column),
        expand: (id, direction) => {
          void this.expand(id, direction);
        },
        toggleColumns: id => {
          void this.toggleColumns(id);
        },
        toggleGroup: key => this.toggleGroup(key),
        fit: () => this.fit(),
        repaint: () => this._surface.schedule()
      }
    );

    if (typeof ResizeObserver !== 'undefined') {
      this._resizeObserver = new ResizeObserver(() => this.resize());
      this._resizeObserver.observe(_host);
    }
    this._themeObserver = watchTheme(() => {
      this._theme = readTheme(this._host);
      this._rebuildScene();
    });
    this.resize();
    this._renderLegend();
  }

  /** The selected node's unique id. */
  get selected(): string | null {
    return this._selection.node;
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
      this._positions = new Map();
      this._selection.forgetPaths();
      this._clearColumnSelection();
      const selected = this._selection.node;
      if (selected !== null && !this._graph.nodes.has(selected)) {
        this._selection.setNode(null, false);
      }
      this._grouping.collapseAll(this._graph);
      this._overlay.showLoadMessage(lineage);
      if (!(await this._relayout()) || seq !== this._loadSeq) {
        return;
      }
      this._camera.fitFocus(this._scene, this._graph.focus);
      this._paintStart = start;
      this._surface.schedule();
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
      const around = await neighbourhood(this._source, uniqueId);
      if (seq !== this._loadSeq || this._disposed) {
        return;
      }
      const added = mergeNeighbours(this._graph, around, node, direction);
      await completeEdges(this._source, this._graph, added);
      if (seq !== this._loadSeq) {
        return;
      }
      this._selection.forgetPaths();
      if (await this._relayout()) {
        this._camera.bringIntoView(this._scene, [uniqueId, ...added]);
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
    this._grouping.setKey(key);
    this._grouping.collapseAll(this._graph);
    this._positions = new Map();
    void this._relayout().then(done => done && this.fit());
  }

  /** Expand a collapsed group, or collapse an expanded one. */
  toggleGroup(key: string): void {
    this._grouping.toggle(key);
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
    this._selection.setNode(uniqueId, false);
  }

  /** Turn column mode on (columns of the selected or focus node shown) or off. */
  async setColumnMode(on: boolean): Promise<void> {
    if (on === this._columnMode) {
      return;
    }
    this._columnMode = on;
    this._renderLegend();
    if (!on) {
      this._clearColumnSelection();
      await this._relayout();
      return;
    }
    const first = [this._selection.node, this._graph.focus].find(
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
      this._selection.dropEdge();
      if (!this._columnMode) {
        this._columnMode = true;
        this._renderLegend();
      }
      const reached = this._columns.traceNodes();
      const missing = reached.filter(id => !this._graph.nodes.has(id));
      if (missing.length > 0) {
        await addTraceNodes(this._source, this._graph, reached, trace.nodes);
        this._selection.forgetPaths();
      }
      this._options.onColumnSelect?.({
        node: trace.node,
        column: trace.column
      });
      const shown = reached.filter(id => this._graph.nodes.has(id));
      await this._showColumns(shown);
      this._camera.bringIntoView(this._scene, shown);
    } catch (error) {
      this._fail(error, `Could not trace ${column}`);
    } finally {
      this._setBusy(-1);
    }
  }

  /** Fit the whole graph in the view. */
  fit(): void {
    this._camera.fit(this._scene);
  }

  /** Zoom around the centre of the view. */
  zoomBy(factor: number): void {
    this._camera.zoomBy(factor);
  }

  /** The whole graph as an SVG document (colours resolved). */
  exportSVG(): string {
    const scene = this._scene ?? this._emptyScene();
    return sceneToSVG(scene, readTheme(this._host), this._selection.node);
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
    const camera = this._camera;
    const firstSize = camera.width === 0 || camera.height === 0;
    if (!camera.resize(width, height, ratio)) {
      return;
    }
    this._surface.setSize(width, height, ratio);
    if (firstSize && this._scene !== null) {
      camera.fitFocus(this._scene, this._graph.focus);
    }
    this._surface.schedule();
  }

  /** Stop observing and take the view's elements out of the host. */
  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._runner.dispose();
    this._resizeObserver?.disconnect();
    this._themeObserver?.disconnect();
    this._interaction.dispose();
    this._surface.dispose();
    this._minimap.dispose();
    this._overlay.remove();
    this._host.classList.remove('dbt-lineage');
  }

  // Data ------------------------------------------------------------------------------------

  /** Load the column lineage of nodes (failures leave the trace's columns) and show them. */
  private async _showColumns(ids: string[]): Promise<void> {
    const seq = this._loadSeq;
    this._setBusy(1);
    try {
      await loadModelColumns(this._source, this._graph, this._columns, ids);
      if (seq !== this._loadSeq || this._disposed) {
        return;
      }
      for (const id of ids) {
        this._columns.expanded.add(id);
        const node = this._graph.nodes.get(id);
        if (node) {
          this._grouping.open(node);
        }
      }
      await this._relayout();
    } finally {
      this._setBusy(-1);
    }
  }

  /** Drop the traced column and the selected column edge, telling the listeners. */
  private _clearColumnSelection(): void {
    const hadColumn = this._columns.selection !== null;
    this._columns.clear();
    const hadEdge = this._selection.dropEdge();
    if (hadColumn) {
      this._options.onColumnSelect?.(null);
    }
    if (hadEdge) {
      this._options.onEdgeSelect?.(null);
    }
  }

  private _isColumnNode(id: string): boolean {
    const node = this._graph.nodes.get(id);
    return node !== undefined && hasColumns(node);
  }

  // Layout ----------------------------------------------------------------------------------

  /**
   * Lay out what is shown, keeping the boxes already placed where they are. Resolves false
   * when a newer layout made this one stale.
   */
  private async _relayout(): Promise<boolean> {
    const display = this._grouping.display(this._graph);
    const input = layoutInput(display, this._columns, this._positions);
    this._setBusy(1);
    try {
      const result = await this._runner.run(input);
      if (result === null || this._disposed) {
        return false;
      }
      this._positions = positionsOf(display, result);
      this._rebuildScene(display);
      this._host.setAttribute('data-node-count', String(this._graph.size));
      this._host.dispatchEvent(
        new CustomEvent('dbt-lineage-change', {
          detail: { nodes: this._graph.size, edges: this._graph.edgeCount }
        })
      );
      if (this._graph.size > 0 && this._overlay.messageKind === 'empty') {
        this._overlay.hideMessage();
      }
      return true;
    } catch (error) {
      this._fail(error, 'Could not lay out the graph');
      return false;
    } finally {
      this._setBusy(-1);
    }
  }

  private _rebuildScene(display?: IDisplayGraph): void {
    this._scene = new Scene(
      display ?? this._grouping.display(this._graph),
      this._positions,
      this._graph,
      this._columns,
      this._lens,
      this._columnMode
    );
    this._selection.rematchEdge(this._scene);
    this._minimap.update(this._scene, this._theme, this._camera.ratio);
    this._renderLegend();
    this._surface.schedule();
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

  private _reveal(id: string): void {
    const node = this._graph.nodes.get(id);
    if (node === undefined) {
      return;
    }
    const centre = (): void => {
      const box = this._scene?.byId.get(id);
      if (box) {
        this._camera.centreBox(box);
      }
    };
    this._selection.setNode(id, false);
    if (this._grouping.open(node)) {
      void this._relayout().then(done => done && centre());
    } else {
      centre();
    }
  }

  // Painting --------------------------------------------------------------------------------

  private _paint(): void {
    if (this._disposed) {
      return;
    }
    const scene = this._scene;
    const camera = this._camera;
    if (
      this._surface.drawable &&
      scene !== null &&
      camera.width > 0 &&
      camera.height > 0
    ) {
      // A node inside a collapsed group has no box: nothing to highlight then.
      const selection = this._selection;
      const wanted = this._interaction.hovered ?? selection.node;
      const focus = wanted !== null && scene.byId.has(wanted) ? wanted : null;
      const state: IPaintState = {
        scale: camera.scale,
        tx: camera.tx,
        ty: camera.ty,
        width: camera.width,
        height: camera.height,
        ratio: camera.ratio,
        theme: this._theme,
        selected: selection.node,
        related: focus !== null ? selection.related(this._graph, focus) : null,
        selectedEdge: selection.edge,
        selectedColumn: this._columns.selection,
        isTraced: (node, column) => this._columns.isTraced(node, column)
      };
      this._surface.paint(scene, state, focus, this._interaction.zooming);
      this._minimap.draw(...camera.visible(), this._theme);
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

  // Selection -------------------------------------------------------------------------------

  /** A click on a column traces it, or stops tracing it when it is the traced one. */
  private _clickColumn(id: string, column: string): void {
    const selection = this._columns.selection;
    if (
      selection !== null &&
      selection.node === id &&
      selection.column === column
    ) {
      this._columns.trace = null;
      this._columns.selection = null;
      this._selection.setEdge(null);
      this._options.onColumnSelect?.(null);
      this._rebuildScene();
    } else {
      this._selection.setNode(id, true);
      void this.traceColumn(id, column);
    }
  }

  // Overlays --------------------------------------------------------------------------------

  private _renderLegend(): void {
    this._overlay.renderLegend(
      this._graph,
      this._lens,
      this._columnMode,
      this._theme
    );
  }

  private _fail(error: unknown, context: string): void {
    if (this._disposed) {
      return;
    }
    const err = asError(error);
    this._overlay.showMessage(`${context}: ${err.message}`, 'error');
    this._options.onError?.(err);
  }

  private _setBusy(delta: number): void {
    this._busy += delta;
    this._overlay.setBusy(this._busy > 0);
  }
}
