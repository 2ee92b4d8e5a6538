/**
 * The notebook widget's ES module (anywidget): the lineage renderer in a cell.
 *
 * Bundled by esbuild into jupyterlab_dbt_workbench/notebook/static/lineage.js
 * and loaded by `LineageWidget` (notebook/widgets.py). Only small traits are
 * synced; the graph and column lineage are fetched on demand with custom
 * messages that the kernel answers from the dbt artifacts.
 */
import type {
  GroupKey,
  IColumnGraph,
  IColumnSelection,
  ILineage,
  ILineageQuery,
  ILineageSource,
  IModelColumnLineage,
  Lens
} from '../lineage/types';
import { LineageView } from '../lineage/view';

/** The part of anywidget's model this module uses. */
export interface IWidgetModel {
  get(name: string): any;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: (...args: any[]) => void): void;
  off(event: string, callback: (...args: any[]) => void): void;
  send(content: unknown): void;
}

/** A query as the widget loads it: `upstream`/`downstream` say what `depth` cannot. */
export interface IWidgetQuery extends ILineageQuery {
  upstream?: number;
  downstream?: number;
}

interface IResponse {
  type: 'response';
  id: string;
  ok: boolean;
  data?: unknown;
  error?: string;
}

interface IPending {
  resolve(data: unknown): void;
  reject(error: Error): void;
}

let sources = 0;

/**
 * The view's data source over the widget's comm: each call sends a request
 * message and resolves with the kernel's response of the same id.
 */
export class KernelSource implements ILineageSource {
  constructor(model: IWidgetModel) {
    this._model = model;
    // Every view of the same model hears every response: ids are per source.
    this._prefix = `${++sources}-${Date.now().toString(36)}`;
    model.on('msg:custom', this._onMessage);
  }

  lineage(query: ILineageQuery): Promise<ILineage> {
    return this._request('lineage', query) as Promise<ILineage>;
  }

  modelColumns(uniqueId: string): Promise<IModelColumnLineage> {
    return this._request('modelColumns', {
      uniqueId
    }) as Promise<IModelColumnLineage>;
  }

  columnTrace(uniqueId: string, column: string): Promise<IColumnGraph> {
    return this._request('columnTrace', {
      uniqueId,
      column
    }) as Promise<IColumnGraph>;
  }

  /** Stop listening; calls still waiting fail. */
  dispose(): void {
    this._model.off('msg:custom', this._onMessage);
    for (const pending of this._pending.values()) {
      pending.reject(new Error('The lineage widget was closed.'));
    }
    this._pending.clear();
  }

  private _request(method: string, params: object): Promise<unknown> {
    const id = `${this._prefix}-${++this._count}`;
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      this._model.send({ type: 'request', id, method, params });
    });
  }

  private _onMessage = (message: IResponse): void => {
    if (!message || message.type !== 'response') {
      return;
    }
    const pending = this._pending.get(message.id);
    if (!pending) {
      return;
    }
    this._pending.delete(message.id);
    if (message.ok) {
      pending.resolve(message.data);
    } else {
      pending.reject(
        new Error(message.error || 'The kernel could not answer.')
      );
    }
  };

  private _model: IWidgetModel;
  private _prefix: string;
  private _count = 0;
  private _pending = new Map<string, IPending>();
}

/**
 * The query the widget's traits describe. The view hands the query it loads to
 * the source as it is, so `upstream`/`downstream` reach the kernel with it;
 * the view's own queries (expanding a node) carry only `depth`.
 */
export function queryOf(model: IWidgetModel): IWidgetQuery {
  const focus: string | null = model.get('focus');
  const select: string | null = model.get('select');
  const exclude: string | null = model.get('exclude');
  const query: IWidgetQuery = {};
  if (focus) {
    query.focus = focus;
  }
  if (exclude) {
    query.exclude = exclude;
  }
  if (select) {
    query.select = select;
    return query;
  }
  const upstream: number = model.get('upstream');
  const downstream: number = model.get('downstream');
  query.depth = Math.max(upstream, downstream);
  query.upstream = upstream;
  query.downstream = downstream;
  return query;
}

/** Draw the widget in `el`; returns what undoes it. */
function render({
  model,
  el
}: {
  model: IWidgetModel;
  el: HTMLElement;
}): () => void {
  const host = document.createElement('div');
  host.dataset.dbtLineageWidget = '';
  host.style.width = '100%';
  host.style.height = model.get('height');
  el.append(host);

  const source = new KernelSource(model);
  // The view shows failures itself (a message over the graph).
  const view = new LineageView(host, source, {
    onSelect: uniqueId => {
      model.set('selected', uniqueId);
      model.save_changes();
    },
    onColumnSelect: (selection: IColumnSelection | null) => {
      model.set(
        'selected_column',
        selection ? { node: selection.node, column: selection.column } : null
      );
      model.save_changes();
    }
  });

  const showColumns = (): Promise<void> =>
    view.setColumnMode(Boolean(model.get('column_mode')));
  const load = async (): Promise<void> => {
    // The view keeps column mode across loads and shows the focus's columns.
    await view.load(queryOf(model));
    const selected: string | null = model.get('selected');
    if (selected) {
      view.select(selected);
    }
  };

  const listeners: [string, () => void][] = [
    ['change:focus', load],
    ['change:select', load],
    ['change:exclude', load],
    ['change:upstream', load],
    ['change:downstream', load],
    ['change:column_mode', showColumns],
    ['change:lens', () => view.setLens(model.get('lens') as Lens)],
    [
      'change:group_by',
      () => view.setGroupBy(model.get('group_by') as GroupKey | null)
    ],
    ['change:selected', () => view.select(model.get('selected'))],
    ['change:height', () => (host.style.height = model.get('height'))]
  ];
  for (const [event, listener] of listeners) {
    model.on(event, listener);
  }

  view.setLens(model.get('lens') as Lens);
  view.setGroupBy(model.get('group_by') as GroupKey | null);
  void showColumns().then(load);

  return () => {
    for (const [event, listener] of listeners) {
      model.off(event, listener);
    }
    view.dispose();
    source.dispose();
    host.remove();
  };
}

export default { render };
