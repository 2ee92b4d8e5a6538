/**
 * Payload types of the dbt Workbench REST API (docs/api.md) and the ids
 * shared by the frontend plugins.
 */

/** The id of the main plugin; also names its settings. */
export const PLUGIN_ID = 'jupyterlab-dbt-workbench:plugin';

/** The id of the left side panel. */
export const SIDEBAR_ID = 'dbt-workbench-sidebar';

/** The id of the overview main-area widget. */
export const OVERVIEW_ID = 'dbt-workbench-overview';

/** The id of the project health dashboard main-area widget. */
export const DASHBOARD_ID = 'dbt-workbench-dashboard';

/** The id of the runs history main-area widget. */
export const RUNS_ID = 'dbt-workbench-runs';

/** The command ids contributed by the extension. */
export namespace CommandIDs {
  export const openSidebar = 'dbt-workbench:open-sidebar';
  export const openNode = 'dbt-workbench:open-node';
  export const openOverview = 'dbt-workbench:open-overview';
  export const refresh = 'dbt-workbench:refresh';
  export const reloadArtifacts = 'dbt-workbench:reload-artifacts';
  export const run = 'dbt-workbench:run';
  export const runCli = 'dbt-workbench:run-cli';
  export const runNode = 'dbt-workbench:run-node';
  export const openRuns = 'dbt-workbench:open-runs';
  export const openRun = 'dbt-workbench:open-run';
  export const openLineage = 'dbt-workbench:open-lineage';
  export const lineageExpand = 'dbt-workbench:lineage-expand';
  export const lineageTraceColumn = 'dbt-workbench:lineage-trace-column';
  export const lineageExport = 'dbt-workbench:lineage-export';
  export const copySelector = 'dbt-workbench:copy-selector';
  export const openNodeFile = 'dbt-workbench:open-node-file';
  export const editMetadata = 'dbt-workbench:edit-metadata';
  export const suggestTests = 'dbt-workbench:suggest-tests';
  export const openDashboard = 'dbt-workbench:open-dashboard';
  export const search = 'dbt-workbench:search';
  export const openSql = 'dbt-workbench:open-sql';
  export const openSqlFile = 'dbt-workbench:open-sql-file';
  export const runSql = 'dbt-workbench:run-sql';
  export const cancelSql = 'dbt-workbench:cancel-sql';
  export const openSchedules = 'dbt-workbench:open-schedules';
  export const newSchedule = 'dbt-workbench:new-schedule';
  export const gitOpen = 'dbt-workbench:git-open';
  export const gitRefresh = 'dbt-workbench:git-refresh';
  export const gitOpenDiff = 'dbt-workbench:git-open-diff';
  export const gitOpenCommit = 'dbt-workbench:git-open-commit';
  export const gitFetch = 'dbt-workbench:git-fetch';
  export const gitPull = 'dbt-workbench:git-pull';
  export const gitPush = 'dbt-workbench:git-push';
  export const gitBuildModified = 'dbt-workbench:git-build-modified';
  export const openAudit = 'dbt-workbench:open-audit';
}

/** How the side panel groups nodes. */
export type GroupBy = 'folder' | 'schema' | 'tag' | 'resource_type';

/** The grouping modes, in the order the picker shows them. */
export const GROUP_BY_OPTIONS: ReadonlyArray<{
  value: GroupBy;
  label: string;
}> = [
  { value: 'folder', label: 'Folder' },
  { value: 'schema', label: 'Schema' },
  { value: 'tag', label: 'Tag' },
  { value: 'resource_type', label: 'Resource type' }
];

/** The JSON body of every API failure. */
export interface IErrorBody {
  message: string;
  reason: string;
}

export interface IHealth {
  status: 'ok' | 'degraded';
  version: string;
  dbt_version: string | null;
  root: string;
  projects: number;
  store: { path: string; schema_version: number; ok: boolean };
  problems: string[];
}

export interface IArtifactProblem {
  artifact: string;
  message: string;
  reason: string;
  at: string;
}

export interface IProjectSummary {
  id: string;
  name: string;
  path: string;
  profile: string | null;
  target_path: string;
  loaded: boolean;
  version: number | null;
  dbt_version: string | null;
  adapter_type: string | null;
  generated_at: string | null;
  counts: Record<string, number>;
  error: IArtifactProblem | null;
}

export interface IProjectList {
  projects: IProjectSummary[];
  root: string;
}

export type TestStatus = 'pass' | 'warn' | 'fail' | 'error' | 'skipped';

export interface INodeSummary {
  unique_id: string;
  name: string;
  resource_type: string;
  package_name: string;
  original_file_path: string;
  folder: string;
  database: string | null;
  schema: string | null;
  materialized: string | null;
  tags: string[];
  description: string;
  status: string | null;
  test_status: TestStatus | null;
}

export interface INodePage {
  total: number;
  offset: number;
  limit: number;
  items: INodeSummary[];
}

export interface ITestSummary {
  unique_id: string;
  name: string;
  test_type: 'generic' | 'singular' | 'unit';
  test_name: string | null;
  column_name: string | null;
  severity: string | null;
  status: string | null;
  message: string | null;
  failures: number | null;
  executed_at: string | null;
}

/** A model contract constraint, on a column or on the model. */
export interface IConstraintInfo {
  type: string;
  name: string | null;
  expression: string | null;
  columns: string[];
  to: string | null;
  to_columns: string[];
}

export interface IColumnInfo {
  name: string;
  description: string;
  data_type: string | null;
  declared_type: string | null;
  index: number | null;
  tags: string[];
  meta: Record<string, unknown>;
  tests: ITestSummary[];
  /** The description as the manifest holds it, before docs blocks are resolved. */
  description_raw: string;
  /** Docs blocks the description uses (unique ids, `doc.<package>.<name>`). */
  doc_blocks: string[];
  constraints: IConstraintInfo[];
}

export interface IRunResultSummary {
  status: string;
  message: string | null;
  execution_time: number | null;
  completed_at: string | null;
  failures: number | null;
  invocation_id: string | null;
}

export interface IFreshnessSummary {
  status: string;
  max_loaded_at: string | null;
  snapshotted_at: string | null;
  age_seconds: number | null;
  warn_after: string | null;
  error_after: string | null;
}

export interface INodeRef {
  unique_id: string;
  name: string;
  resource_type: string;
  status: string | null;
}

export interface IExposureInfo {
  type: string | null;
  url: string | null;
  maturity: string | null;
}

export interface ICatalogInfo {
  type: string | null;
  owner: string | null;
  stats: Record<string, unknown>;
  /** Row count and size when the adapter reports them. */
  rows: number | null;
  bytes: number | null;
}

export interface IContractInfo {
  enforced: boolean;
  alias_types: boolean;
}

/** A source's freshness rules from its YAML. */
export interface IFreshnessCriteria {
  warn_after: string | null;
  error_after: string | null;
  filter: string | null;
}

export interface IMacroArgument {
  name: string;
  type: string | null;
  description: string;
}

/** What defines a metric, semantic model or saved query. */
export interface ISemanticInfo {
  label: string | null;
  type: string | null;
  definition: Record<string, unknown>;
}

export interface INodeDetail extends INodeSummary {
  fqn: string[];
  alias: string | null;
  relation_name: string | null;
  patch_path: string | null;
  language: string | null;
  access: string | null;
  owner: string | null;
  meta: Record<string, unknown>;
  config: Record<string, unknown>;
  columns: IColumnInfo[];
  tests: ITestSummary[];
  depends_on: INodeRef[];
  referenced_by: INodeRef[];
  raw_code: string | null;
  compiled_code: string | null;
  last_run: IRunResultSummary | null;
  freshness: IFreshnessSummary | null;
  source_name: string | null;
  loaded_at_field: string | null;
  exposure: IExposureInfo | null;
  catalog: ICatalogInfo | null;
  description_raw: string;
  doc_blocks: string[];
  contract: IContractInfo | null;
  /** Model-level constraints (column constraints are on the columns). */
  constraints: IConstraintInfo[];
  freshness_criteria: IFreshnessCriteria | null;
  macro: { arguments: IMacroArgument[] } | null;
  semantic: ISemanticInfo | null;
}

export interface IArtifactInfo {
  kind: 'manifest' | 'catalog' | 'run_results' | 'sources';
  path: string;
  present: boolean;
  schema_version: number | null;
  dbt_version: string | null;
  generated_at: string | null;
  invocation_id: string | null;
  size: number | null;
  sha256: string | null;
}

export interface IArtifactStatus {
  project: string;
  version: number | null;
  loaded_at: string | null;
  artifacts: IArtifactInfo[];
  error: IArtifactProblem | null;
}

export interface ISnapshotVersion {
  version: number;
  created_at: string;
  dbt_version: string | null;
  generated_at: string | null;
  kinds: string[];
  sha256: Record<string, string>;
}

export interface ISnapshotList {
  project: string;
  limit: number;
  snapshots: ISnapshotVersion[];
}

/** The arguments of the open-node command. */
export interface IOpenNodeArgs {
  project: string;
  uniqueId: string;
}

/** The life cycle of a dbt run (docs/runs.md). */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'success'
  | 'failed'
  | 'error'
  | 'cancelled'
  | 'interrupted';

export interface IRunProgress {
  done: number;
  total: number | null;
}

export interface IRunSummary {
  id: string;
  project: string;
  command: string;
  /** The command line as typed, e.g. `build -s orders+`. */
  cli: string;
  argv: string[];
  user: string | null;
  status: RunStatus;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Seconds. */
  duration: number | null;
  returncode: number | null;
  exit_signal: string | null;
  retry_of: string | null;
  rerun_of: string | null;
  progress: IRunProgress;
  /** Node statuses so far: success, pass, warn, error, fail, skipped. */
  counts: Record<string, number>;
  /** Why it failed, errored or was interrupted, or its queue position. */
  message: string | null;
}

/** One node's result within a run. */
export interface INodeResult {
  unique_id: string;
  name: string;
  resource_type: string;
  status: string | null;
  started_at: string | null;
  finished_at: string | null;
  execution_time: number | null;
  message: string | null;
  rows_affected: number | null;
  failures: number | null;
}

/** The options of a run, as POST `runs` takes them. */
export interface IRunRequest {
  project: string | null;
  command: string;
  select: string[];
  exclude: string[];
  selector: string | null;
  target: string | null;
  vars: string | null;
  full_refresh: boolean;
  fail_fast: boolean;
  threads: number | null;
  defer: boolean;
  state: string | null;
  args: string[];
}

export interface IRunDetail extends IRunSummary {
  request: Partial<IRunRequest> & { user?: string | null };
  nodes: INodeResult[];
  /** The files the run produced. */
  artifacts: string[];
  log_path: string | null;
}

/** One line of dbt's structured log. */
export interface IRunEvent {
  seq: number;
  ts: string | null;
  level: string;
  name: string;
  message: string;
  unique_id: string | null;
  node_status: string | null;
  index: number | null;
  total: number | null;
}

export interface IRunPage {
  total: number;
  offset: number;
  limit: number;
  items: IRunSummary[];
}

export interface IEventPage {
  items: IRunEvent[];
  /** The `after` value that asks for the following events. */
  next: number;
}

/** The body of POST `runs`: structured options, or a dbt command line. */
export type RunSubmission =
  | ({ project: string | null; command: string } & Partial<IRunRequest>)
  | { project: string | null; cli: string };

/** A message of a run's websocket. */
export type RunSocketMessage =
  | { type: 'event'; event: IRunEvent }
  | { type: 'run'; run: IRunSummary }
  | { type: 'heartbeat'; ts: string | number }
  | { type: 'end'; run: IRunSummary };

/** The arguments of the run command. */
export interface IRunArgs {
  project?: string;
  command: string;
  select?: string[];
  exclude?: string[];
  /** Open the run's page once it starts (default true). */
  open?: boolean;
}
