/**
 * @jest-environment node
 */
// The real request helper builds the URLs (Node's own fetch, Request and
// Headers); only the network answer is mocked.
import { ServerConnection } from '@jupyterlab/services';

import type { ILineage } from '../lineage/types';
import { RestLineageSource } from '../lineagePanel/source';
import { QueryParams, requestAPI, WorkbenchAPIError } from '../request';

type FetchMock = jest.Mock<Promise<Response>, [RequestInfo, RequestInit?]>;

function jsonResponse(status: number, body: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    text: () => Promise.resolve(JSON.stringify(body))
  } as Response;
}

/** A source for project `demo` whose server answers `status` and `body`. */
function sourceAnswering(
  status: number,
  body: unknown
): { source: RestLineageSource; fetch: FetchMock } {
  const fetch: FetchMock = jest.fn((_input: RequestInfo, _init?: RequestInit) =>
    Promise.resolve(jsonResponse(status, body))
  );
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/lab%20base/',
    fetch: fetch as unknown as typeof globalThis.fetch
  });
  const source = new RestLineageSource(
    'demo',
    <T>(endPoint: string, init: RequestInit, params: QueryParams) =>
      requestAPI<T>(endPoint, init, params, settings)
  );
  return { source, fetch };
}

/** The URLs fetched, without the cache-busting timestamp JupyterLab adds. */
function urls(fetch: FetchMock): string[] {
  return fetch.mock.calls.map(call =>
    (call[0] as Request).url.replace(/&\d+$/, '')
  );
}

const BASE = 'http://localhost:8888/lab%20base/dbt-workbench/api';

const LINEAGE: ILineage = {
  project: 'demo',
  select: '2+fct_orders+2',
  exclude: null,
  focus: 'model.shop.fct_orders',
  group_by: null,
  nodes: [
    {
      unique_id: 'model.shop.fct_orders',
      name: 'fct_orders',
      resource_type: 'model',
      folder: 'models/marts',
      schema: 'marts',
      package: 'shop',
      tags: [],
      materialized: 'table',
      status: 'success',
      test_status: 'pass',
      distance: 0,
      parent_count: 2,
      child_count: 1
    }
  ],
  edges: [],
  groups: [],
  group_edges: [],
  total: 1,
  truncated: false
};

/** The error a call rejects with; fails the test if it resolves. */
async function failure(call: Promise<unknown>): Promise<WorkbenchAPIError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(WorkbenchAPIError);
    return error as WorkbenchAPIError;
  }
  throw new Error('the call did not fail');
}

describe('RestLineageSource requests', () => {
  it('asks for a focus with its depth and node cap, leaving blanks out', async () => {
    const { source, fetch } = sourceAnswering(200, LINEAGE);
    await source.lineage({
      focus: 'model.shop.fct_orders',
      select: '  ',
      depth: 2,
      maxNodes: 300
    });
    expect(urls(fetch)).toEqual([
      `${BASE}/lineage?project=demo&focus=model.shop.fct_orders&depth=2&max_nodes=300`
    ]);
  });

  it('sends a trimmed selector and exclude', async () => {
    const { source, fetch } = sourceAnswering(200, LINEAGE);
    await source.lineage({ select: ' +tag:finance+ ', exclude: 'stg_*' });
    expect(urls(fetch)).toEqual([
      `${BASE}/lineage?project=demo&select=%2Btag%3Afinance%2B&exclude=stg_*`
    ]);
  });

  it('asks for a model columns and a column trace in both directions', async () => {
    const { source, fetch } = sourceAnswering(200, {
      columns: [],
      edges: [],
      nodes: []
    });
    await source.modelColumns('model.shop.fct orders');
    await source.columnTrace('model.shop.fct_orders', 'order id');
    expect(urls(fetch)).toEqual([
      `${BASE}/lineage/columns/model.shop.fct%20orders?project=demo`,
      `${BASE}/lineage/column?project=demo&node=model.shop.fct_orders&column=order+id&direction=both`
    ]);
  });

  it('remembers the nodes it was sent, for menus and labels', async () => {
    const { source } = sourceAnswering(200, LINEAGE);
    expect(source.node('model.shop.fct_orders')).toBeUndefined();
    await source.lineage({ focus: 'fct_orders' });
    expect(source.node('model.shop.fct_orders')?.name).toBe('fct_orders');
  });

  it('gives the view the preloaded answer instead of asking again', async () => {
    const { source, fetch } = sourceAnswering(200, LINEAGE);
    const preloaded = await source.preload({ select: 'fct_orders+' });
    const loaded = await source.lineage({ select: 'fct_orders+' });
    expect(loaded).toBe(preloaded);
    expect(fetch).toHaveBeenCalledTimes(1);
    // Only once: a later load of the same query is fresh.
    await source.lineage({ select: 'fct_orders+' });
    await source.lineage({ select: 'other' });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('keeps the traces and model columns it fetched for the drawer', async () => {
    const { source } = sourceAnswering(200, {
      unique_id: 'model.shop.fct_orders',
      status: 'partial',
      reason: 'UNPIVOT is not traced',
      columns: [],
      edges: [{ source: 'a', target: 'b' }],
      nodes: []
    });
    const traced = jest.fn();
    source.traceLoaded.connect(traced);
    await source.modelColumns('model.shop.fct_orders');
    await source.columnTrace('model.shop.fct_orders', 'order_id');
    expect(source.models.map(model => model.reason)).toEqual([
      'UNPIVOT is not traced'
    ]);
    expect(
      source.trace('model.shop.fct_orders', 'order_id')?.edges
    ).toHaveLength(1);
    expect(source.trace('model.shop.fct_orders', 'other')).toBeUndefined();
    expect(traced).toHaveBeenCalledTimes(1);
  });
});

describe('RestLineageSource errors', () => {
  it('names the selector the server rejected', async () => {
    const { source } = sourceAnswering(400, {
      message: "Unknown selector method 'foo' in 'foo:bar'.",
      reason: 'bad_selector'
    });
    const error = await failure(
      source.lineage({ select: 'foo:bar', exclude: 'tag:x' })
    );
    expect(error.status).toBe(400);
    expect(error.reason).toBe('bad_selector');
    expect(error.message).toBe(
      'The selector "foo:bar --exclude tag:x" does not work: ' +
        "Unknown selector method 'foo' in 'foo:bar'."
    );
  });

  it("passes an unknown node's 404 sentence through", async () => {
    const message = "No node named 'nope' in project 'demo'.";
    const { source } = sourceAnswering(404, {
      message,
      reason: 'node_not_found'
    });
    const error = await failure(source.lineage({ focus: 'nope' }));
    expect(error.status).toBe(404);
    expect(error.is('node_not_found')).toBe(true);
    expect(error.message).toBe(message);
  });

  it('says how to get compiled SQL when column lineage has none', async () => {
    const { source } = sourceAnswering(409, {
      message: 'No model of project demo has compiled SQL.',
      reason: 'no_compiled_code'
    });
    const error = await failure(source.modelColumns('model.shop.fct_orders'));
    expect(error.message).toContain('run dbt compile or dbt build');
    expect(source.models).toHaveLength(0);
  });

  it('reports a server that cannot be reached', async () => {
    const fetch = jest.fn(() =>
      Promise.reject(new TypeError('Failed to fetch'))
    );
    const settings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch: fetch as unknown as typeof globalThis.fetch
    });
    const source = new RestLineageSource(
      'demo',
      <T>(endPoint: string, init: RequestInit, params: QueryParams) =>
        requestAPI<T>(endPoint, init, params, settings)
    );
    const error = await failure(source.columnTrace('model.shop.x', 'id'));
    expect(error.status).toBe(0);
    expect(error.message).toContain('Cannot reach the Jupyter server');
  });
});
