/**
 * Calls of the SQL workspace REST API (docs/api.md, `sql/*`).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  API_NAMESPACE,
  encodeQuery,
  requestAPI,
  WorkbenchAPIError
} from '../request';
import type {
  ExportFormat,
  ICompiledSql,
  IRowPage,
  ISqlCompletions,
  ISqlHistory,
  ISqlProfile,
  ISqlQuery,
  ISqlServerSettings
} from './types';

/** What a new query asks for. */
export interface IQueryRequest {
  project: string;
  sql: string;
  limit?: number;
  timeout?: number;
  target?: string | null;
}

/** How rows are read: a window and an optional sort. */
export interface IRowRequest {
  offset: number;
  limit: number;
  sort?: string | null;
  descending?: boolean;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body)
});

const queryPath = (id: string, ...rest: string[]): string =>
  ['sql/queries', encodeURIComponent(id), ...rest].join('/');

/** Start a query; the server answers at once with status `running`. */
export function submitQuery(request: IQueryRequest): Promise<ISqlQuery> {
  return requestAPI<ISqlQuery>('sql/queries', json(request));
}

export function fetchQuery(id: string): Promise<ISqlQuery> {
  return requestAPI<ISqlQuery>(queryPath(id));
}

export function cancelQuery(id: string): Promise<ISqlQuery> {
  return requestAPI<ISqlQuery>(queryPath(id, 'cancel'), json({}));
}

export function fetchRows(id: string, request: IRowRequest): Promise<IRowPage> {
  return requestAPI<IRowPage>(
    queryPath(id, 'rows'),
    {},
    {
      offset: request.offset,
      limit: request.limit,
      sort: request.sort ?? null,
      descending: request.sort ? Boolean(request.descending) : null
    }
  );
}

export function fetchQueryProfile(id: string): Promise<ISqlProfile> {
  return requestAPI<ISqlProfile>(queryPath(id, 'profile'));
}

/** The profile of a model, seed, snapshot or source table, in the warehouse. */
export function fetchRelationProfile(
  project: string,
  uniqueId: string
): Promise<ISqlProfile> {
  return requestAPI<ISqlProfile>(
    'sql/profile',
    {},
    {
      project,
      unique_id: uniqueId
    }
  );
}

export function compileSql(
  project: string,
  sql: string,
  target?: string | null
): Promise<ICompiledSql> {
  return requestAPI<ICompiledSql>(
    'sql/compile',
    json({ project, sql, target: target ?? null })
  );
}

export function fetchHistory(
  project: string | null,
  q: string,
  offset = 0,
  limit = 50
): Promise<ISqlHistory> {
  return requestAPI<ISqlHistory>(
    'sql/history',
    {},
    {
      project,
      q: q || null,
      offset,
      limit
    }
  );
}

export function fetchCompletions(project: string): Promise<ISqlCompletions> {
  return requestAPI<ISqlCompletions>('sql/completions', {}, { project });
}

export function fetchSqlSettings(): Promise<ISqlServerSettings> {
  return requestAPI<ISqlServerSettings>('sql/settings');
}

/** The file name a download answer suggests, or `fallback`. */
export function attachmentName(
  disposition: string | null,
  fallback: string
): string {
  if (!disposition) {
    return fallback;
  }
  const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed encoded name: the plain one below may still be there.
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/**
 * Fetch a query's export as a file. It goes through
 * `ServerConnection.makeRequest` so the token and XSRF handling are the
 * page's own, which a plain link could not give.
 */
export async function fetchExport(
  id: string,
  format: ExportFormat,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<{ blob: Blob; name: string }> {
  const url =
    URLExt.join(settings.baseUrl, API_NAMESPACE, queryPath(id, 'export')) +
    encodeQuery({ format });
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, {}, settings);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WorkbenchAPIError(
      `Cannot reach the Jupyter server (${detail}).`,
      0,
      'network_error'
    );
  }
  if (!response.ok) {
    let message = `The export failed: ${response.status}.`;
    let reason = 'http_error';
    try {
      const body = (await response.json()) as {
        message?: string;
        reason?: string;
      };
      message = body.message || message;
      reason = body.reason || reason;
    } catch {
      // Not JSON: keep the generic sentence.
    }
    throw new WorkbenchAPIError(message, response.status, reason);
  }
  return {
    blob: await response.blob(),
    name: attachmentName(
      response.headers.get('Content-Disposition'),
      `query-${id}.${format}`
    )
  };
}

/** Hand a blob to the browser as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started from the click; give the browser a moment.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
