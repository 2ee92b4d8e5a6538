/**
 * @jest-environment node
 */
// Node's own fetch, Request and Headers (jsdom has none) build the real
// requests; only the network answer is mocked.
import { ServerConnection } from '@jupyterlab/services';

import { WorkbenchAPIError } from '../request';
import {
  capQuery,
  MAX_QUERY_LENGTH,
  readableSearchError,
  search
} from '../search/api';

type FetchMock = jest.Mock<Promise<Response>, [RequestInfo, RequestInit?]>;

/** Server settings whose fetch answers every request with `body`. */
function answering(
  status: number,
  body: unknown
): { settings: ServerConnection.ISettings; fetch: FetchMock } {
  const fetch: FetchMock = jest.fn(
    async (_input: RequestInfo, _init?: RequestInit) =>
      ({
        ok: status < 400,
        status,
        statusText: '',
        text: async () => JSON.stringify(body)
      }) as Response
  );
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/a%40b/',
    fetch: fetch as unknown as typeof globalThis.fetch
  });
  return { settings, fetch };
}

describe('capQuery', () => {
  it('leaves a query of up to 1,000 characters alone', () => {
    const text = 'x'.repeat(MAX_QUERY_LENGTH);
    expect(capQuery(text)).toBe(text);
    expect(capQuery('orders')).toBe('orders');
  });

  it('cuts a 1 MB paste to 1,000 characters', () => {
    expect(capQuery('a'.repeat(1024 * 1024))).toHaveLength(MAX_QUERY_LENGTH);
  });

  it('counts characters as the server does and never splits one', () => {
    // 1,000 emoji are 2,000 UTF-16 units but 1,000 characters.
    const emoji = '🦆'.repeat(MAX_QUERY_LENGTH);
    expect(capQuery(emoji)).toBe(emoji);
    const capped = capQuery('🦆'.repeat(MAX_QUERY_LENGTH + 1));
    expect(Array.from(capped)).toHaveLength(MAX_QUERY_LENGTH);
    expect(capped.endsWith('🦆')).toBe(true);
  });
});

describe('search', () => {
  it('asks GET search with the capped query and the filters', async () => {
    const { settings, fetch } = answering(200, { total: 0, items: [] });
    const result = await search(
      {
        project: 'demo',
        query: 'q'.repeat(5000),
        filters: { resource_type: ['source'], tag: ['a&b'] }
      },
      settings
    );
    expect(result.total).toBe(0);
    const url = new URL((fetch.mock.calls[0][0] as Request).url);
    expect(url.pathname).toBe('/a%40b/dbt-workbench/api/search');
    expect(url.searchParams.get('q')).toHaveLength(MAX_QUERY_LENGTH);
    expect(url.searchParams.getAll('type')).toEqual(['source']);
    expect(url.searchParams.getAll('tag')).toEqual(['a&b']);
    expect(url.searchParams.get('project')).toBe('demo');
  });

  it('says what to do when the project has no manifest', async () => {
    const { settings } = answering(409, {
      message: "Project 'demo' has no manifest.json yet.",
      reason: 'artifacts_not_loaded'
    });
    const error = await search({ project: 'demo', query: 'x' }, settings).then(
      () => null,
      (e: unknown) => e as WorkbenchAPIError
    );
    expect(error).toBeInstanceOf(WorkbenchAPIError);
    expect(error?.status).toBe(409);
    expect(error?.reason).toBe('artifacts_not_loaded');
    expect(error?.message).toMatch(/no manifest\.json yet\. Run dbt parse/);
  });

  it('keeps messages that already say what to do', () => {
    const error = new WorkbenchAPIError(
      "'limit' must be between 1 and 200, not 0.",
      400,
      'bad_parameter'
    );
    expect(readableSearchError(error)).toBe(error);
    expect(readableSearchError(new TypeError('boom')).message).toBe(
      'The search failed: boom'
    );
  });
});
