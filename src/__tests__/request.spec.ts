/**
 * @jest-environment node
 */
// Node's own fetch, Request and Headers (jsdom has none) build the real
// requests; only the network answer is mocked.
import { ServerConnection } from '@jupyterlab/services';

import {
  encodeQuery,
  NETWORK_ERROR_REASON,
  requestAPI,
  WorkbenchAPIError
} from '../request';

type FetchMock = jest.Mock<Promise<Response>, [RequestInfo, RequestInit?]>;

/** Server settings whose fetch is a mock answering with `respond`. */
function settingsWith(respond: () => Promise<Response>): {
  settings: ServerConnection.ISettings;
  fetch: FetchMock;
} {
  const fetch: FetchMock = jest.fn((_input: RequestInfo, _init?: RequestInit) =>
    respond()
  );
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/a%40b/',
    fetch: fetch as unknown as typeof globalThis.fetch
  });
  return { settings, fetch };
}

function jsonResponse(status: number, body: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    text: () => Promise.resolve(JSON.stringify(body))
  } as Response;
}

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

/** The URL fetched, without the cache-busting timestamp JupyterLab adds. */
function requestedUrl(fetch: FetchMock): string {
  const request = fetch.mock.calls[0][0] as Request;
  return request.url.replace(/&\d+$/, '');
}

describe('encodeQuery', () => {
  it('repeats array values and skips missing ones', () => {
    expect(
      encodeQuery({
        resource_type: ['model', 'seed'],
        q: 'orders & more',
        tag: undefined,
        limit: 5000,
        package: null
      })
    ).toBe(
      '?resource_type=model&resource_type=seed&q=orders+%26+more&limit=5000'
    );
  });

  it('is empty without parameters', () => {
    expect(encodeQuery()).toBe('');
    expect(encodeQuery({ tag: [] })).toBe('');
  });
});

describe('requestAPI', () => {
  it('calls the namespaced route under the base URL and decodes JSON', async () => {
    const { settings, fetch } = settingsWith(() =>
      Promise.resolve(jsonResponse(200, { projects: [], root: '/srv' }))
    );
    const answer = await requestAPI<{ root: string }>(
      'nodes/model.shop.orders',
      {},
      { project: 'a b', tag: ['x', 'y'] },
      settings
    );
    expect(answer.root).toBe('/srv');
    expect(requestedUrl(fetch)).toBe(
      'http://localhost:8888/a%40b/dbt-workbench/api/nodes/model.shop.orders?project=a+b&tag=x&tag=y'
    );
  });

  it('turns a {message, reason} failure into a WorkbenchAPIError', async () => {
    const { settings } = settingsWith(() =>
      Promise.resolve(
        jsonResponse(409, {
          message: 'Project shop has no manifest yet: run dbt parse.',
          reason: 'artifacts_not_loaded'
        })
      )
    );
    const error = await failure(requestAPI('nodes', {}, {}, settings));
    expect(error.status).toBe(409);
    expect(error.reason).toBe('artifacts_not_loaded');
    expect(error.message).toBe(
      'Project shop has no manifest yet: run dbt parse.'
    );
    expect(error.is('artifacts_not_loaded', 409)).toBe(true);
    expect(error.is('artifacts_not_loaded', 404)).toBe(false);
  });

  it('keeps the status when the failure body is not JSON', async () => {
    const { settings } = settingsWith(() =>
      Promise.resolve({
        ok: false,
        status: 502,
        statusText: 'Bad Gateway',
        text: () => Promise.resolve('<html>proxy error</html>')
      } as Response)
    );
    const error = await failure(requestAPI('projects', {}, {}, settings));
    expect(error.status).toBe(502);
    expect(error.reason).toBe('http_error');
    expect(error.message).toContain('502 Bad Gateway');
  });

  it('reports an unreachable server as a network error', async () => {
    const { settings } = settingsWith(() =>
      Promise.reject(new TypeError('Failed to fetch'))
    );
    const error = await failure(requestAPI('health', {}, {}, settings));
    expect(error.status).toBe(0);
    expect(error.reason).toBe(NETWORK_ERROR_REASON);
    expect(error.message).toContain('Failed to fetch');
  });
});
