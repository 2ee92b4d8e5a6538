/**
 * Payloads of the Git REST routes (`git/*`), mirroring
 * jupyterlab_dbt_workbench/repository/payloads.py.
 */

export type FileChange = 'added' | 'modified' | 'deleted' | 'renamed';

export interface IRemoteInfo {
  name: string;
  /** The configured URL with any `user:password@` removed. */
  url: string;
}

export interface IRepositoryInfo {
  /** Absolute path of the working tree. */
  root: string;
  /** The project folder relative to the repository root ('' when the same). */
  project_path: string;
  branch: string | null;
  detached: boolean;
  head: string | null;
  upstream: string | null;
  ahead: number;
  behind: number;
  default_branch: string | null;
  remotes: IRemoteInfo[];
  merging: boolean;
}

export interface IChangedFile {
  /** Repository-relative, posix separators. */
  path: string;
  old_path: string | null;
  /** git's X letter (index) of `git status --porcelain`. */
  index: string;
  /** git's Y letter (working tree). */
  worktree: string;
  staged: boolean;
  unstaged: boolean;
  untracked: boolean;
  conflicted: boolean;
  in_project: boolean;
}

export interface IGitStatus {
  repository: IRepositoryInfo;
  files: IChangedFile[];
  clean: boolean;
}

export interface IFileDiff {
  path: string;
  old_path: string | null;
  change: FileChange;
  binary: boolean;
  /** Whole contents before; null when binary or larger than 1 MB. */
  old_text: string | null;
  new_text: string | null;
  /** The unified patch. */
  patch: string;
  additions: number;
  deletions: number;
}

export interface ICommitInfo {
  sha: string;
  short: string;
  summary: string;
  message: string;
  author: string;
  email: string;
  /** ISO 8601 with the author's UTC offset. */
  date: string;
  parents: string[];
}

export interface IBranchInfo {
  name: string;
  remote: boolean;
  head: string;
  upstream: string | null;
  ahead: number;
  behind: number;
  current: boolean;
}

export interface IBranchList {
  current: string | null;
  detached: boolean;
  branches: IBranchInfo[];
}

/** The answer of fetch, pull and push. */
export interface ISyncResult {
  ok: boolean;
  message: string;
  status: IGitStatus;
}

export interface ICommitLog {
  commits: ICommitInfo[];
  /** Commits reachable from HEAD; null when unknown. */
  total: number | null;
}

export interface ICommitDetail {
  commit: ICommitInfo;
  files: IFileDiff[];
}

/** A changed file and the dbt nodes it defines. */
export interface IChangeFile {
  path: string;
  change: string;
  nodes: string[];
  reason: string | null;
}

export interface IModifiedNode {
  unique_id: string;
  name: string;
  resource_type: string;
  file: string;
  reasons: string[];
}

export interface IDownstreamNode {
  unique_id: string;
  name: string;
  resource_type: string;
  distance: number;
}

export interface IChangedColumns {
  unique_id: string;
  name: string;
  status: 'ok' | 'unavailable';
  reason: string | null;
  added: string[];
  removed: string[];
  changed: { name: string; before: string; after: string }[];
  downstream: { unique_id: string; name: string; column: string }[];
}

/** What a change does to the DAG (`GET git/changes`). */
export interface IChangeReport {
  base: string | null;
  base_sha: string | null;
  head_sha: string | null;
  files: IChangeFile[];
  modified: IModifiedNode[];
  downstream: IDownstreamNode[];
  exposures: { unique_id: string; name: string }[];
  columns: IChangedColumns[];
}
