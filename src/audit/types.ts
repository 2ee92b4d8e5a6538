/**
 * The audit log's payloads, mirroring jupyterlab_dbt_workbench/audit/payloads.py.
 */

/** One write made through the workbench. */
export interface IAuditEntry {
  id: number;
  /** UTC ISO time. */
  at: string;
  user: string | null;
  /** Dotted: `git.commit`, `run.submit`, `schedule.update`… */
  action: string;
  /** The action's first part: `git`, `run`, `schedule`… */
  area: string;
  project: string | null;
  /** What it acted on: a run id, a schedule name, a file, a branch. */
  target: string | null;
  details: Record<string, unknown>;
  outcome: 'ok' | 'error';
}

/** `GET audit`: one page, newest first. */
export interface IAuditPage {
  entries: IAuditEntry[];
  total: number;
  offset: number;
  limit: number;
}

/** The filters of the log (blank values are not sent). */
export interface IAuditFilters {
  project?: string;
  q?: string;
  action?: string;
  user?: string;
}

/** The download formats of `GET audit/export`. */
export type AuditExportFormat = 'csv' | 'json';
