/**
 * @jest-environment node
 */
// Node's own fetch, Request and Headers build the real requests; only the
// network answer is mocked.
import { ServerConnection } from '@jupyterlab/services';

import { fetchAudit, fetchAuditExport, filterParams } from '../audit/api';
import { detailsSummary, pageLabel } from '../audit/format';
import { WorkbenchAPIError } from '../request';

type FetchMock = jest.Mock<Promise<Response>, [RequestInfo, RequestInit?]>;

function answering(
  status: number,
  body: string,
  headers: Record<string, string> = {}
): { settings: ServerConnection.ISettings; fetch: FetchMock } {
  const fetch: FetchMock = jest.fn(
    async (_input: RequestInfo, _init?: RequestInit) =>
      ({
        ok: status < 400,
        status,
        statusText: '',
        headers: new Headers(headers),
        text: async () => body,
        json: async () => JSON.parse(body),
        blob: async () => new Blob([body])
      }) as Response
  );
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/a%40b/',
    fetch: fetch as unknown as typeof globalThis.fetch
  });
  return { settings, fetch };
}

function requestedUrl(fetch: FetchMock): URL {
  const input = fetch.mock.calls[0][0];
  const url = new URL(typeof input === 'string' ? input : input.url);
  // JupyterLab adds a numeric cache-busting parameter to GET requests.
  for (const key of [...url.searchParams.keys()]) {
    if (/^\d+$/.test(key)) {
      url.searchParams.delete(key);
    }
  }
  return url;
}

describe('filterParams', () => {
  it('sends only the filters that were filled in, trimmed', () => {
    expect(
      filterParams({ project: 'shop', q: '  nightly ', action: '', user: ' ' })
    ).toEqual({ project: 'shop', q: 'nightly' });
  });
});

describe('fetchAudit', () => {
  it('asks for one page with the filters', async () => {
    const page = { entries: [], total: 0, offset: 50, limit: 50 };
    const { settings, fetch } = answering(200, JSON.stringify(page));
    await expect(
      fetchAudit({ action: 'git', user: 'ann' }, 50, 50, settings)
    ).resolves.toEqual(page);
    const url = requestedUrl(fetch);
    expect(url.pathname).toBe('/a%40b/dbt-workbench/api/audit');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      action: 'git',
      user: 'ann',
      offset: '50',
      limit: '50'
    });
  });
});

describe('fetchAuditExport', () => {
  it('downloads the file under the name the server suggests', async () => {
    const { settings, fetch } = answering(200, 'id,at\r\n', {
      'Content-Disposition': 'attachment; filename="audit-20260101-120000.csv"'
    });
    const { blob, name } = await fetchAuditExport(
      { project: 'shop' },
      'csv',
      settings
    );
    expect(name).toBe('audit-20260101-120000.csv');
    expect(await blob.text()).toBe('id,at\r\n');
    const url = requestedUrl(fetch);
    expect(url.pathname).toBe('/a%40b/dbt-workbench/api/audit/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      project: 'shop',
      format: 'csv'
    });
  });

  it("turns a refusal into the server's own message", async () => {
    const { settings } = answering(
      400,
      JSON.stringify({
        message: "'format' must be csv or json.",
        reason: 'bad_parameter'
      })
    );
    const failure = fetchAuditExport({}, 'json', settings);
    await expect(failure).rejects.toBeInstanceOf(WorkbenchAPIError);
    await expect(failure).rejects.toMatchObject({
      status: 400,
      reason: 'bad_parameter',
      message: "'format' must be csv or json."
    });
  });
});

describe('detailsSummary', () => {
  it('lists the details as short key: value pairs', () => {
    expect(
      detailsSummary({ command: 'build', select: ['orders+', 'tag:x'] })
    ).toBe('command: build, select: orders+ tag:x');
  });

  it('shortens long details with an ellipsis', () => {
    const text = detailsSummary({ note: 'x'.repeat(200) }, 20);
    expect(text).toHaveLength(20);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('pageLabel', () => {
  it('says which entries are shown', () => {
    expect(pageLabel(50, 50, 230)).toBe('51–100 of 230');
    expect(pageLabel(0, 0, 0)).toBe('No entries');
  });
});
