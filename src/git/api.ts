/**
 * Typed calls to the `git/*` routes of the REST API (docs/git.md).
 */
import { requestAPI, WorkbenchAPIError } from '../request';
import type { IRunSummary } from '../tokens';
import type {
  IBranchList,
  IChangeReport,
  ICommitDetail,
  ICommitInfo,
  ICommitLog,
  IFileDiff,
  IGitStatus,
  ISyncResult
} from './types';

/** The remote operations, each its own route. */
export type SyncAction = 'fetch' | 'pull' | 'push';

function post<T>(route: string, body: Record<string, unknown>): Promise<T> {
  return requestAPI<T>(route, { method: 'POST', body: JSON.stringify(body) });
}

/** GET `git/status`. */
export function fetchStatus(project: string): Promise<IGitStatus> {
  return requestAPI<IGitStatus>('git/status', {}, { project });
}

/** GET `git/diff`: a changed file's diff, staged or in the working tree. */
export function fetchDiff(
  project: string,
  path: string,
  staged: boolean
): Promise<IFileDiff> {
  return requestAPI<IFileDiff>('git/diff', {}, { project, path, staged });
}

/** POST `git/stage`. */
export function stage(project: string, paths: string[]): Promise<IGitStatus> {
  return post<IGitStatus>('git/stage', { project, paths });
}

/** POST `git/unstage`. */
export function unstage(project: string, paths: string[]): Promise<IGitStatus> {
  return post<IGitStatus>('git/unstage', { project, paths });
}

/** POST `git/commit`: commit what is staged. */
export function commit(project: string, message: string): Promise<ICommitInfo> {
  return post<ICommitInfo>('git/commit', { project, message });
}

/** GET `git/branches`. */
export function fetchBranches(project: string): Promise<IBranchList> {
  return requestAPI<IBranchList>('git/branches', {}, { project });
}

/** POST `git/branches`: create a branch, and switch to it when asked. */
export function createBranch(
  project: string,
  name: string,
  checkout: boolean
): Promise<IBranchList> {
  return post<IBranchList>('git/branches', { project, name, checkout });
}

/** POST `git/checkout`: switch branch. */
export function checkout(project: string, branch: string): Promise<IGitStatus> {
  return post<IGitStatus>('git/checkout', { project, branch });
}

/** POST `git/fetch`, `git/pull` or `git/push`. */
export function sync(
  project: string,
  action: SyncAction
): Promise<ISyncResult> {
  return post<ISyncResult>(`git/${action}`, { project });
}

/** GET `git/log`: the newest commits of HEAD. */
export function fetchLog(
  project: string,
  limit: number,
  offset = 0
): Promise<ICommitLog> {
  return requestAPI<ICommitLog>('git/log', {}, { project, limit, offset });
}

/** GET `git/commits/<sha>`: a commit and its file diffs. */
export function fetchCommit(
  project: string,
  sha: string
): Promise<ICommitDetail> {
  return requestAPI<ICommitDetail>(
    `git/commits/${encodeURIComponent(sha)}`,
    {},
    { project }
  );
}

/**
 * GET `git/changes`: the nodes a change modifies and what lies downstream;
 * `base` null for the working tree against HEAD.
 */
export function fetchChanges(
  project: string,
  base: string | null
): Promise<IChangeReport> {
  return requestAPI<IChangeReport>('git/changes', {}, { project, base });
}

/** POST `git/build-modified`: `dbt build -s state:modified+` deferred. */
export function buildModified(
  project: string,
  base: string | null
): Promise<IRunSummary> {
  return post<IRunSummary>(
    'git/build-modified',
    base === null ? { project } : { project, base }
  );
}

/** The notification text of a failed fetch, pull or push. */
export function syncFailure(action: SyncAction, error: unknown): string {
  const what = action[0].toUpperCase() + action.slice(1);
  if (error instanceof WorkbenchAPIError) {
    if (error.reason === 'push_rejected') {
      return `Push rejected: ${error.message}`;
    }
    if (error.reason === 'merge_conflict') {
      return `Pull stopped on a conflict: ${error.message}`;
    }
  }
  return `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
}
