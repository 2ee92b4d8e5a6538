/**
 * The lineage view's data source in JupyterLab: the workbench REST API.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type {
  IColumnGraph,
  ILineage,
  ILineageNode,
  ILineageQuery,
  ILineageSource,
  IModelColumnLineage
} from '../lineage/types';
import {
  encodeQuery,
  QueryParams,
  requestAPI,
  WorkbenchAPIError
} from '../request';

/** The request function the source calls; `requestAPI` outside tests. */
export type RequestFunction = <T>(
  endPoint: string,
  init: RequestInit,
  params: QueryParams
) => Promise<T>;

/** The query parameters of `GET lineage` for a view query. */
export function lineageParams(
  project: string,
  query: ILineageQuery
): QueryParams {
  const blank = (text: string | undefined): string | undefined =>
    text && text.trim() ? text.trim() : undefined;
  return {
    project,
    select: blank(query.select),
    exclude: blank(query.exclude),
    focus: blank(query.focus),
    depth: query.depth,
    max_nodes: query.maxNodes
  };
}

/**
 * Reword an API failure for the place it is shown (the toolbar, the
 * drawer): the server's sentence already says what is wrong; this adds what
 * was being asked when that is not obvious from it.
 */
export function lineageError(
  error: unknown,
  query: ILineageQuery
): WorkbenchAPIError {
  if (!(error instanceof WorkbenchAPIError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new WorkbenchAPIError(message, 0, 'unexpected_error');
  }
  let message = error.message;
  if (error.is('bad_selector')) {
    const parts = [query.select, query.exclude && `--exclude ${query.exclude}`];
    const selection = parts.filter(Boolean).join(' ');
    message = selection
      ? `The selector "${selection}" does not work: ${error.message}`
      : error.message;
  } else if (error.is('no_compiled_code')) {
    message = `${error.message} Column lineage needs compiled SQL: run dbt compile or dbt build.`;
  }
  return new WorkbenchAPIError(message, error.status, error.reason);
}

/**
 * {@link ILineageSource} over the REST API of one project.
 *
 * It also remembers what it fetched: the nodes (for menus and labels), the
 * column lineage of models and traced columns (for the drawer), so nothing
 * is asked of the server twice.
 */
export class RestLineageSource implements ILineageSource {
  constructor(
    readonly project: string,
    private readonly _request: RequestFunction = requestAPI
  ) {}

  /** Emitted with each model's column lineage as it arrives. */
  get modelLoaded(): ISignal<this, IModelColumnLineage> {
    return this._modelLoaded;
  }

  /** Emitted with each column trace as it arrives. */
  get traceLoaded(): ISignal<this, IColumnGraph> {
    return this._traceLoaded;
  }

  /** A node of any lineage fetched so far. */
  node(uniqueId: string): ILineageNode | undefined {
    return this._nodes.get(uniqueId);
  }

  /**
   * Fetch a selection ahead of the view: the panel checks the answer before
   * it lets the view replace its graph (a bad selector must leave the last
   * good graph on screen), and the view's own request for the same query
   * then gets this answer instead of asking again.
   */
  preload(query: ILineageQuery): Promise<ILineage> {
    const promise = this._fetchLineage(query);
    this._preloaded = { key: queryKey(query), promise };
    return promise;
  }

  /** Drop a preloaded answer the view did not ask for: it would go stale. */
  clearPreload(): void {
    this._preloaded = null;
  }

  /** The column lineage of a model fetched so far, if any. */
  model(uniqueId: string): IModelColumnLineage | undefined {
    return this._models.get(uniqueId);
  }

  /** Every model whose column lineage was fetched, in fetch order. */
  get models(): IModelColumnLineage[] {
    return [...this._models.values()];
  }

  /** The trace of a column fetched so far, if any. */
  trace(uniqueId: string, column: string): IColumnGraph | undefined {
    return this._traces.get(traceKey(uniqueId, column));
  }

  lineage(query: ILineageQuery): Promise<ILineage> {
    const preloaded = this._preloaded;
    if (preloaded && preloaded.key === queryKey(query)) {
      this._preloaded = null;
      return preloaded.promise;
    }
    return this._fetchLineage(query);
  }

  async modelColumns(uniqueId: string): Promise<IModelColumnLineage> {
    let model: IModelColumnLineage;
    try {
      model = await this._request<IModelColumnLineage>(
        `lineage/columns/${encodeURIComponent(uniqueId)}`,
        {},
        { project: this.project }
      );
    } catch (error) {
      throw lineageError(error, { focus: uniqueId });
    }
    this._models.set(uniqueId, model);
    this._modelLoaded.emit(model);
    return model;
  }

  async columnTrace(uniqueId: string, column: string): Promise<IColumnGraph> {
    let graph: IColumnGraph;
    try {
      graph = await this._request<IColumnGraph>(
        'lineage/column',
        {},
        {
          project: this.project,
          node: uniqueId,
          column,
          direction: 'both'
        }
      );
    } catch (error) {
      throw lineageError(error, { focus: uniqueId });
    }
    // The view names the column as the server resolved it (unique id).
    this._traces.set(traceKey(uniqueId, column), graph);
    this._traces.set(traceKey(graph.node, graph.column), graph);
    this._traceLoaded.emit(graph);
    return graph;
  }

  private async _fetchLineage(query: ILineageQuery): Promise<ILineage> {
    let lineage: ILineage;
    try {
      lineage = await this._request<ILineage>(
        'lineage',
        {},
        lineageParams(this.project, query)
      );
    } catch (error) {
      throw lineageError(error, query);
    }
    for (const node of lineage.nodes) {
      this._nodes.set(node.unique_id, node);
    }
    return lineage;
  }

  private _preloaded: { key: string; promise: Promise<ILineage> } | null = null;
  private _nodes = new Map<string, ILineageNode>();
  private _models = new Map<string, IModelColumnLineage>();
  private _traces = new Map<string, IColumnGraph>();
  private _modelLoaded = new Signal<this, IModelColumnLineage>(this);
  private _traceLoaded = new Signal<this, IColumnGraph>(this);
}

function queryKey(query: ILineageQuery): string {
  return encodeQuery(lineageParams('', query));
}

function traceKey(uniqueId: string, column: string): string {
  return `${uniqueId}\u0000${column}`;
}
