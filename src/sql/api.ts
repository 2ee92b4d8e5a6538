/**
 * Calls of the SQL workspace REST API (docs/api.md, `sql/*`).
 */
import { ServerConnection } from '@jupyterlab/services';

import { downloadAPI, requestAPI } from '../request';
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

/** Fetch a query's export as a file. */
export function fetchExport(
  id: string,
  format: ExportFormat,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<{ blob: Blob; name: string }> {
  return downloadAPI(
    queryPath(id, 'export'),
    { format },
    `query-${id}.${format}`,
    settings
  );
}
