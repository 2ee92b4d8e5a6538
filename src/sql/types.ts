/**
 * Payloads of the SQL workspace REST API (`sql/*` routes), mirroring
 * jupyterlab_dbt_workbench/sql/payloads.py.
 */

/** A result column and its warehouse type. */
export interface ISqlColumn {
  name: string;
  type: string;
}

/** `interrupted`: the process running the query died before it ended. */
export type SqlQueryStatus =
  'running' | 'success' | 'error' | 'cancelled' | 'timeout' | 'interrupted';

export type SqlErrorKind =
  | 'syntax'
  | 'unknown_relation'
  | 'write_refused'
  | 'timeout'
  | 'busy'
  | 'warehouse'
  | 'compile';

/** Why a query failed; `line`/`column` are 1-based in the submitted SQL. */
export interface ISqlError {
  kind: SqlErrorKind;
  message: string;
  line: number | null;
  column: number | null;
  suggestions: string[];
}

/** One query: `POST sql/queries`, `GET sql/queries/<id>`. */
export interface ISqlQuery {
  id: string;
  project: string;
  sql: string;
  compiled_sql: string | null;
  method: 'manifest' | 'dbt' | null;
  target: string | null;
  status: SqlQueryStatus;
  started_at: string;
  finished_at: string | null;
  duration: number | null;
  row_count: number | null;
  truncated: boolean;
  limit: number;
  columns: ISqlColumn[];
  error: ISqlError | null;
  user: string | null;
}

/** A JSON-safe cell: dates as ISO strings, decimals as numbers, blobs as hex. */
export type SqlCell = string | number | boolean | null;

/** `GET sql/queries/<id>/rows`. */
export interface IRowPage {
  query: string;
  offset: number;
  limit: number;
  total: number;
  columns: ISqlColumn[];
  rows: SqlCell[][];
  sort: string | null;
  descending: boolean;
}

export interface ITopValue {
  value: SqlCell;
  count: number;
}

export interface IHistogram {
  edges: number[];
  counts: number[];
}

export interface IColumnProfile {
  name: string;
  type: string;
  nulls: number;
  null_fraction: number;
  distinct: number;
  min: SqlCell;
  max: SqlCell;
  mean: number | null;
  top: ITopValue[];
  histogram: IHistogram | null;
}

/** `GET sql/queries/<id>/profile`, `GET sql/profile`. */
export interface ISqlProfile {
  source: 'query' | 'relation';
  name: string;
  row_count: number;
  columns: IColumnProfile[];
}

export interface ISqlHistoryEntry {
  id: string;
  project: string;
  sql: string;
  target: string | null;
  started_at: string;
  duration: number | null;
  row_count: number | null;
  status: SqlQueryStatus;
  error: string | null;
  user: string | null;
}

/** `GET sql/history`. */
export interface ISqlHistory {
  entries: ISqlHistoryEntry[];
  total: number;
}

export interface ICompletionModel {
  name: string;
  unique_id: string;
  resource_type: string;
  relation: string;
  package: string;
  columns: ISqlColumn[];
}

export interface ICompletionSource {
  source_name: string;
  name: string;
  unique_id: string;
  relation: string;
  columns: ISqlColumn[];
}

/** `GET sql/completions`. */
export interface ISqlCompletions {
  project: string;
  models: ICompletionModel[];
  sources: ICompletionSource[];
  keywords: string[];
}

/** `POST sql/compile`. */
export interface ICompiledSql {
  sql: string;
  method: 'manifest' | 'dbt';
  relations: { unique_id: string; name: string; relation: string }[];
}

/** `GET sql/settings`. */
export interface ISqlServerSettings {
  allow_writes: boolean;
  max_rows: number;
  default_limit: number;
  timeout: number;
}

export type ExportFormat = 'csv' | 'parquet';
