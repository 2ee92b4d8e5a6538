/**
 * Typed calls to the `runs` routes of the REST API (docs/runs.md).
 */
import { requestAPI } from '../request';
import type {
  IEventPage,
  IRunDetail,
  IRunPage,
  IRunSummary,
  RunStatus,
  RunSubmission
} from '../tokens';

/** The filters and page of the run history. */
export interface IRunQuery {
  project?: string | null;
  status?: RunStatus | null;
  command?: string | null;
  offset?: number;
  limit?: number;
}

/** The route of one run (and of its sub-resources). */
export function runRoute(id: string, ...parts: string[]): string {
  return ['runs', encodeURIComponent(id), ...parts].join('/');
}

/** POST `runs`: start (or queue) a run. */
export function submitRun(body: RunSubmission): Promise<IRunSummary> {
  return requestAPI<IRunSummary>('runs', {
    method: 'POST',
    body: JSON.stringify(body)
  });
}

/** GET `runs`: the history, newest first. */
export function fetchRuns(query: IRunQuery = {}): Promise<IRunPage> {
  return requestAPI<IRunPage>(
    'runs',
    {},
    {
      project: query.project,
      status: query.status,
      command: query.command,
      offset: query.offset,
      limit: query.limit
    }
  );
}

/** GET `runs/<id>`. */
export function fetchRun(id: string): Promise<IRunDetail> {
  return requestAPI<IRunDetail>(runRoute(id));
}

/** GET `runs/<id>/events` after a sequence number. */
export function fetchEvents(
  id: string,
  after = 0,
  limit = 1000
): Promise<IEventPage> {
  return requestAPI<IEventPage>(runRoute(id, 'events'), {}, { after, limit });
}

/** POST `runs/<id>/cancel`. */
export function cancelRun(id: string): Promise<IRunSummary> {
  return requestAPI<IRunSummary>(runRoute(id, 'cancel'), { method: 'POST' });
}

/** POST `runs/<id>/retry`: `dbt retry` of a failed run, as a new run. */
export function retryRun(id: string): Promise<IRunSummary> {
  return requestAPI<IRunSummary>(runRoute(id, 'retry'), { method: 'POST' });
}

/** POST `runs/<id>/rerun`: the same request again, as a new run. */
export function rerunRun(id: string): Promise<IRunSummary> {
  return requestAPI<IRunSummary>(runRoute(id, 'rerun'), { method: 'POST' });
}
