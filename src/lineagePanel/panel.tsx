/**
 * The Lineage main-area panel: a toolbar over the lineage view, with the
 * column drawer on the right in column mode.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';
import React from 'react';

import type {
  Direction,
  IColumnSelection,
  IEdgeDetail,
  ILineageQuery,
  Lens
} from '../lineage/types';
import { LineageView } from '../lineage/view';
import { errorMessage } from '../notify';
import { ColumnDrawer } from './ColumnDrawer';
import { lineageIcon } from './icons';
import {
  ILineageToolbarActions,
  ILineageToolbarState,
  LineageToolbar
} from './LineageToolbar';
import {
  exportFileName,
  ILineageTarget,
  initialQuery,
  SELECTION_MAX_NODES,
  lineagePanelId,
  panelLabel,
  shortName
} from './model';
import { RestLineageSource } from './source';

/** Options of {@link createLineagePanel}. */
export interface ILineagePanelOptions {
  target: ILineageTarget;
  source: RestLineageSource;
  /** The project's dbt name, for exported file names. */
  projectName: string;
  /** Steps up and down from a focused node. */
  depth: number;
  lens: Lens;
  languages: IEditorLanguageRegistry | null;
  /** A node was double-clicked. */
  onOpenNode: (uniqueId: string) => void;
  /** A node was right-clicked. */
  onContextMenu: (
    panel: LineagePanel,
    uniqueId: string,
    event: MouseEvent
  ) => void;
  /** Something failed that the toolbar does not show. */
  onError: (error: unknown, context: string) => void;
}

/** Everything the panel shows beside the graph. */
export interface ILineagePanelState extends ILineageToolbarState {
  column: IColumnSelection | null;
  edge: IEdgeDetail | null;
}

/** Save a blob as a download named `name`. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser reads the URL when the click is handled; revoke afterwards.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The content of a lineage panel: owns the {@link LineageView} and the
 * state the toolbar and the drawer show.
 */
export class LineagePanel extends Panel {
  constructor(private readonly _options: ILineagePanelOptions) {
    super();
    this.addClass('jp-DbtWorkbench-lineage');
    this._target = { ..._options.target };
    this.node.dataset.project = _options.target.project;

    // The toolbar lives in the content, not in the main-area toolbar: that
    // one has a fixed height and folds what does not fit into a "..." menu,
    // while the selector boxes must stay in sight and may wrap.
    const toolbar = ReactWidget.create(
      <UseSignal signal={this._changed}>
        {() => <LineageToolbar state={this._state} actions={this._actions} />}
      </UseSignal>
    );
    toolbar.addClass('jp-DbtWorkbench-lineageToolbarItem');
    this.addWidget(toolbar);

    const body = new Panel();
    body.addClass('jp-DbtWorkbench-lineageBody');
    this.addWidget(body);
    this._canvas = new Widget();
    this._canvas.addClass('jp-DbtWorkbench-lineageHost');
    body.addWidget(this._canvas);

    const source = _options.source;
    this._drawer = ReactWidget.create(
      <UseSignal signal={this._changed}>
        {() => (
          <ColumnDrawer
            column={this._state.column}
            trace={this._currentTrace()}
            edge={this._state.edge}
            incomplete={source.models.filter(model => model.status !== 'ok')}
            nameOf={this.nameOf}
            onSelectEdge={edge => this._update({ edge })}
            languages={_options.languages}
          />
        )}
      </UseSignal>
    );
    this._drawer.addClass('jp-DbtWorkbench-lineageDrawerHost');
    this._drawer.hide();
    body.addWidget(this._drawer);

    source.modelLoaded.connect(this._emitChanged, this);
    source.traceLoaded.connect(this._emitChanged, this);

    // The view keeps its state in attributes of its host: mirror them.
    this._observer = new MutationObserver(this._onViewChange);
    this._observer.observe(this._canvas.node, {
      attributes: true,
      attributeFilter: ['data-node-count', 'data-loading']
    });
  }

  /** The project and what the panel was opened on (or last applied). */
  get target(): ILineageTarget {
    return this._target;
  }

  /** Where the view gets its data; it remembers what it fetched. */
  get source(): RestLineageSource {
    return this._options.source;
  }

  /** The lineage view, once the panel was first shown. */
  get view(): LineageView | null {
    return this._view;
  }

  /** Emitted when the user applies a new selection (restore arguments change). */
  get targetChanged(): ISignal<this, ILineageTarget> {
    return this._targetChanged;
  }

  /** A node's name, from what the view was sent. */
  nameOf = (uniqueId: string): string =>
    this._options.source.node(uniqueId)?.name ?? shortName(uniqueId);

  /**
   * Show a dbt selection. A selector the server rejects leaves the graph as
   * it was and shows why under the toolbar.
   */
  async apply(select: string, exclude: string): Promise<boolean> {
    const query: ILineageQuery = {
      select: select.trim() || undefined,
      exclude: exclude.trim() || undefined,
      maxNodes: SELECTION_MAX_NODES
    };
    if (!query.select && this._target.uniqueId) {
      // An empty box means the node's own neighbourhood again.
      query.focus = this._target.uniqueId;
      query.depth = this._options.depth;
    }
    const shown = await this._show(query);
    if (shown && query.select) {
      this._target = {
        project: this._target.project,
        select: query.select,
        exclude: query.exclude
      };
      this._targetChanged.emit(this._target);
    }
    return shown;
  }

  /**
   * Show one more level of a node's parents or children. The view reports
   * its own failures (onError), so this never rejects.
   */
  async expand(uniqueId: string, direction: Direction): Promise<void> {
    await this._view?.expand(uniqueId, direction);
  }

  /** Trace a column up and down, switching column mode on first. */
  async traceColumn(uniqueId: string, column: string): Promise<void> {
    if (!this._state.columnMode) {
      await this.setColumnMode(true);
    }
    this._update({ edge: null });
    // The view reports the traced column (onColumnSelect) once it is known.
    await this._view?.traceColumn(uniqueId, column);
  }

  /** Turn column mode and its drawer on or off. */
  async setColumnMode(on: boolean): Promise<void> {
    this._update({ columnMode: on, column: null, edge: null });
    this._drawer.setHidden(!on);
    await this._view?.setColumnMode(on);
  }

  /** Download the view as an SVG or PNG file. */
  async exportAs(format: 'svg' | 'png'): Promise<void> {
    const view = this._view;
    if (!view) {
      return;
    }
    const name = exportFileName(
      this._options.projectName,
      this._state.select,
      format
    );
    try {
      const blob =
        format === 'svg'
          ? new Blob([view.exportSVG()], { type: 'image/svg+xml' })
          : await view.exportPNG();
      downloadBlob(blob, name);
    } catch (error) {
      this._options.onError(error, `Cannot export ${name}`);
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._observer.disconnect();
    this._view?.dispose();
    Signal.clearData(this);
    super.dispose();
  }

  /**
   * Create the view when the panel is first in the document: the view reads
   * the theme's colours from its host, which it cannot do while detached.
   */
  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this._view) {
      return;
    }
    const options = this._options;
    this._view = new LineageView(this._canvas.node, options.source, {
      onOpen: uniqueId => options.onOpenNode(uniqueId),
      onSelect: () => this._emitChanged(),
      onContextMenu: (uniqueId, event) =>
        options.onContextMenu(this, uniqueId, event),
      onColumnSelect: column => this._update({ column }),
      onEdgeSelect: edge => this._update({ edge }),
      onError: error => options.onError(error, 'Lineage')
    });
    this._view.setLens(this._state.lens);
    void this._show(initialQuery(this._target, options.depth));
  }

  /** Load a query once the server accepted it; false when it did not. */
  private async _show(query: ILineageQuery): Promise<boolean> {
    const view = this._view;
    if (!view) {
      return false;
    }
    const request = ++this._request;
    this._pending = true;
    this._update({ loading: true });
    let total: number | null = null;
    let select: string;
    try {
      const answer = await this._options.source.preload(query);
      total = answer.total;
      select = answer.select;
    } catch (error) {
      this._options.source.clearPreload();
      if (request === this._request) {
        this._pending = false;
        this._update({ loading: view.loading, error: errorMessage(error) });
      }
      return false;
    }
    if (request !== this._request) {
      // A newer query was preloaded meanwhile; this one is not shown.
      return false;
    }
    // The view reports its own failures (onError) and keeps its graph then.
    try {
      await view.load(query);
    } finally {
      this._options.source.clearPreload();
      this._pending = false;
    }
    this._update({
      loading: false,
      error: null,
      select,
      exclude: query.exclude ?? '',
      total,
      shown: view.nodeCount,
      matches: null
    });
    return true;
  }

  private _currentTrace() {
    const column = this._state.column;
    return column
      ? (this._options.source.trace(column.node, column.column) ?? null)
      : null;
  }

  private _onViewChange = (): void => {
    this._update({
      shown: this._view?.nodeCount ?? 0,
      loading: this._pending || (this._view?.loading ?? false)
    });
  };

  private _update(change: Partial<ILineagePanelState>): void {
    this._state = { ...this._state, ...change };
    this._emitChanged();
  }

  private _emitChanged(): void {
    this._changed.emit();
  }

  private _actions: ILineageToolbarActions = {
    apply: (select, exclude) => void this.apply(select, exclude),
    setLens: lens => {
      this._view?.setLens(lens);
      this._update({ lens });
    },
    setGroupBy: key => {
      this._view?.setGroupBy(key);
      this._update({ groupBy: key });
    },
    search: text => {
      const query = text.trim();
      const matches = query && this._view ? this._view.search(query) : [];
      this._update({ matches: query ? matches.length : null });
    },
    clearSearch: () => {
      this._view?.search('');
      this._update({ matches: null });
    },
    setColumnMode: on => void this.setColumnMode(on),
    fit: () => this._view?.fit(),
    zoom: factor => this._view?.zoomBy(factor),
    exportAs: format => void this.exportAs(format)
  };

  private _target: ILineageTarget;
  private _canvas: Widget;
  private _drawer: ReactWidget;
  private _view: LineageView | null = null;
  private _observer: MutationObserver;
  private _request = 0;
  private _pending = false;
  private _state: ILineagePanelState = {
    select: '',
    exclude: '',
    error: null,
    loading: true,
    lens: this._options.lens,
    groupBy: null,
    columnMode: false,
    matches: null,
    shown: 0,
    total: null,
    column: null,
    edge: null
  };
  private _changed = new Signal<this, void>(this);
  private _targetChanged = new Signal<this, ILineageTarget>(this);
}

/** A main-area lineage panel. */
export function createLineagePanel(
  options: ILineagePanelOptions
): MainAreaWidget<LineagePanel> {
  const content = new LineagePanel(options);
  const widget = new MainAreaWidget({ content });
  widget.toolbar.hide();
  widget.id = lineagePanelId(options.target);
  widget.addClass('jp-DbtWorkbench-lineageWidget');
  widget.title.label = panelLabel(options.target);
  widget.title.caption = `dbt lineage of ${
    options.target.uniqueId ?? options.target.select ?? options.projectName
  } (${options.projectName})`;
  widget.title.icon = lineageIcon;
  widget.title.closable = true;
  return widget;
}
