/**
 * Payloads of the entity-page extras and the project health dashboard
 * (docs/catalog.md), mirroring jupyterlab_dbt_workbench/catalog/payloads.py.
 */
import type { INodeRef } from '../tokens';

/** One result of a node in a run kept by the workbench. */
export interface INodeRunPoint {
  run_id: string;
  command: string;
  cli: string;
  run_status: string;
  created_at: string;
  status: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** Seconds. */
  execution_time: number | null;
  rows_affected: number | null;
  failures: number | null;
  message: string | null;
}

/** GET `nodes/<unique_id>/history`: newest first. */
export interface INodeRunHistory {
  project: string;
  unique_id: string;
  total: number;
  limit: number;
  items: INodeRunPoint[];
}

export interface ISchemaColumn {
  name: string;
  type: string | null;
}

export interface ISchemaChange {
  version: number;
  at: string;
  event: 'appeared' | 'changed' | 'disappeared';
  added: ISchemaColumn[];
  removed: ISchemaColumn[];
  type_changed: { name: string; before: string | null; after: string | null }[];
}

/** GET `nodes/<unique_id>/schema-history`: changes newest first. */
export interface ISchemaHistory {
  project: string;
  unique_id: string;
  /** Snapshot versions kept, and how many distinct catalogs among them. */
  versions: number;
  catalogs: number;
  first_seen: { version: number; at: string; columns: ISchemaColumn[] } | null;
  changes: ISchemaChange[];
}

/** A finished run kept by the workbench. */
export interface IStoreRun {
  id: string;
  command: string;
  cli: string;
  status: string;
  created_at: string;
  finished_at: string | null;
  duration: number | null;
  counts: Record<string, number>;
}

export interface ITestProblem {
  unique_id: string;
  name: string;
  status: string;
  severity: string | null;
  failures: number | null;
  message: string | null;
  column_name: string | null;
  executed_at: string | null;
  attached_to: INodeRef[];
}

export interface IStaleSource {
  unique_id: string;
  name: string;
  source_name: string | null;
  /** The status of the last check, and what a check would say now. */
  status: string;
  status_now: string;
  max_loaded_at: string | null;
  age_seconds: number | null;
  warn_after: string | null;
  error_after: string | null;
}

export interface ISlowModel {
  unique_id: string;
  name: string;
  average: number;
  longest: number;
  latest: number;
  runs: number;
}

export interface ICoverage {
  resource_type: string;
  nodes: number;
  described: number;
  tested: number;
  columns: number;
  columns_described: number;
  columns_tested: number;
}

/** A list cut at a cap, with the full count. */
export interface ICapped<T> {
  total: number;
  items: T[];
}

/** GET `dashboard`. */
export interface IProjectHealth {
  project: string;
  name: string | null;
  adapter_type: string | null;
  generated_at: string | null;
  counts: Record<string, number>;
  last_run: IStoreRun | null;
  active_runs: number;
  last_invocation: {
    command: string | null;
    invocation_id: string | null;
    generated_at: string | null;
    elapsed_time: number | null;
    counts: Record<string, number>;
  } | null;
  tests: {
    total: number;
    not_run: number;
    passed: number;
    warn: number;
    fail: number;
    error: number;
    skipped: number;
  };
  failing_tests: ICapped<ITestProblem>;
  warning_tests: ICapped<ITestProblem>;
  freshness: {
    sources: number;
    checked: number;
    passed: number;
    warn: number;
    error: number;
  };
  stale_sources: IStaleSource[];
  slowest_models: ISlowModel[];
  /** Where the slowest models come from: the kept runs or run_results.json. */
  slowest_source: 'runs' | 'run_results' | 'none';
  coverage: ICoverage[];
  models_without_tests: ICapped<INodeRef>;
  models_without_descriptions: ICapped<INodeRef>;
  /** Finished runs, oldest first. */
  run_durations: IStoreRun[];
}
