/**
 * The logic of the runs UI, free of widgets so it can be tested alone:
 * statuses and their colours, progress math, the reduction of dbt's log
 * events into per-node state, the timeline layout, log filtering and the
 * node selections of the run actions.
 */
import type {
  INodeResult,
  IRunEvent,
  IRunProgress,
  IRunSummary,
  RunStatus
} from '../tokens';
import { normalizeStatus } from './status';

/** Statuses of a run that has not ended yet. */
const ACTIVE: ReadonlySet<RunStatus> = new Set(['queued', 'running']);

/** Whether a run is still queued or running. */
export function isActive(status: RunStatus): boolean {
  return ACTIVE.has(status);
}

/** How a run's status reads at a glance; also names its CSS modifier. */
export type RunTone = 'active' | 'success' | 'warning' | 'error' | 'neutral';

/** The tone of a run status. */
export function runTone(status: RunStatus): RunTone {
  switch (status) {
    case 'queued':
    case 'running':
      return 'active';
    case 'success':
      return 'success';
    case 'failed':
    case 'error':
      return 'error';
    case 'cancelled':
    case 'interrupted':
      return 'warning';
    default:
      return 'neutral';
  }
}

/** The JupyterLab colour variable of each tone (light and dark themes). */
const TONE_COLOR: Record<RunTone, string> = {
  active: 'var(--jp-brand-color1)',
  success: 'var(--jp-success-color1)',
  warning: 'var(--jp-warn-color1)',
  error: 'var(--jp-error-color1)',
  neutral: 'var(--jp-layout-color4)'
};

/** The colour of a run status, as a CSS value. */
export function runStatusColor(status: RunStatus): string {
  return TONE_COLOR[runTone(status)];
}

/**
 * The state of one node within a run, as the UI shows it:
 * `pending` (selected, not started), `running`, then a result.
 */
export type NodeTone =
  'pending' | 'running' | 'pass' | 'warn' | 'error' | 'skipped';

/** dbt's statuses of a node that has started but not finished. */
const RUNNING_NODE_STATUSES = new Set(['started', 'compiling', 'executing']);

/** The tone of a node status from the log or from run_results. */
export function nodeTone(status: string | null | undefined): NodeTone {
  const value = (status ?? '').trim().toLowerCase();
  if (RUNNING_NODE_STATUSES.has(value) || value === 'running') {
    return 'running';
  }
  if (value === 'no-op') {
    // An exposure in a build: nothing to do, and nothing went wrong.
    return 'pass';
  }
  const display = normalizeStatus(value);
  return display === 'none' ? 'pending' : display;
}

const NODE_TONE_COLOR: Record<NodeTone, string> = {
  pending: 'var(--jp-layout-color3)',
  running: 'var(--jp-brand-color1)',
  pass: 'var(--jp-success-color1)',
  warn: 'var(--jp-warn-color1)',
  error: 'var(--jp-error-color1)',
  skipped: 'var(--jp-layout-color4)'
};

/** The colour of a node status, as a CSS value. */
export function nodeStatusColor(status: string | null | undefined): string {
  return NODE_TONE_COLOR[nodeTone(status)];
}

/** The finished fraction of a run, 0 to 1; null while the total is unknown. */
export function progressFraction(progress: IRunProgress): number | null {
  if (progress.total === null || progress.total <= 0) {
    return null;
  }
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

/** The bar segments of a run's progress: finished nodes by tone. */
export interface IProgressSegment {
  tone: Exclude<NodeTone, 'pending' | 'running'>;
  count: number;
  /** Percentage of the whole bar, 0 to 100. */
  percent: number;
}

/**
 * Split the progress bar by result: passing, warning, failing and skipped
 * nodes, in that order, each as a share of the run's total (or of the
 * finished nodes while the total is unknown).
 */
export function progressSegments(
  counts: Record<string, number>,
  progress: IRunProgress
): IProgressSegment[] {
  const byTone = new Map<IProgressSegment['tone'], number>();
  let finished = 0;
  for (const [status, count] of Object.entries(counts)) {
    const tone = nodeTone(status);
    if (tone === 'pending' || tone === 'running' || count <= 0) {
      continue;
    }
    byTone.set(tone, (byTone.get(tone) ?? 0) + count);
    finished += count;
  }
  const whole = Math.max(progress.total ?? 0, progress.done, finished, 1);
  const order: IProgressSegment['tone'][] = [
    'pass',
    'warn',
    'error',
    'skipped'
  ];
  return order
    .filter(tone => byTone.has(tone))
    .map(tone => {
      const count = byTone.get(tone) ?? 0;
      return { tone, count, percent: (count / whole) * 100 };
    });
}

/** `done/total`, or just `done` while the total is unknown. */
export function progressText(progress: IRunProgress): string {
  return progress.total === null
    ? String(progress.done)
    : `${progress.done}/${progress.total}`;
}

/** The short line a status bar shows for a run, e.g. `dbt build 12/94`. */
export function progressLabel(run: IRunSummary): string {
  const name = `dbt ${run.command}`;
  if (run.status === 'queued') {
    return `${name} (queued)`;
  }
  if (
    run.status === 'running' &&
    run.progress.total === null &&
    run.progress.done === 0
  ) {
    return `${name} (starting)`;
  }
  return `${name} ${progressText(run.progress)}`;
}

/** Node counts as a sentence, most severe first, e.g. `1 error · 12 success`. */
export function countsText(counts: Record<string, number>): string {
  const rank = (status: string): number =>
    ['error', 'warn', 'skipped', 'pass', 'running', 'pending'].indexOf(
      nodeTone(status)
    );
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([status, count]) => `${count} ${status}`)
    .join(' · ');
}

/** Which of the run page's actions apply to a run in its current status. */
export interface IRunActions {
  cancel: boolean;
  retry: boolean;
  rerun: boolean;
}

/**
 * Cancel while it is queued or running; retry (dbt retry: only what failed)
 * after a failure or error; rerun (the same request again) once it ended.
 */
export function runActions(status: RunStatus): IRunActions {
  const active = isActive(status);
  return {
    cancel: active,
    retry: status === 'failed' || status === 'error',
    rerun: !active
  };
}

/** One node's live state within a run. */
export interface INodeRunState {
  unique_id: string;
  /** The raw status: dbt's node status, `started`..., or null before it starts. */
  status: string | null;
  started_at: string | null;
  finished_at: string | null;
  message: string | null;
  /** The node's position in dbt's run order (`index of total`). */
  index: number | null;
  execution_time: number | null;
  rows_affected: number | null;
  failures: number | null;
  name: string | null;
  resource_type: string | null;
}

/** Everything the log has told so far about a run's nodes. */
export interface IRunNodesState {
  /** Nodes by unique id, in the order they first appeared. */
  nodes: ReadonlyMap<string, INodeRunState>;
  /** The number of nodes dbt said it would run, when it said so. */
  total: number | null;
  /** The highest event sequence number applied: replays are skipped. */
  lastSeq: number;
}

/** The state before any event. */
export const EMPTY_NODES_STATE: IRunNodesState = {
  nodes: new Map(),
  total: null,
  lastSeq: 0
};

/** dbt's result words in a node result line (`3 of 9 PASS ...`). */
const RESULT_WORD =
  /^\s*\d+\s+of\s+\d+\s+(OK|PASS|WARN|FAIL|ERROR|SKIP|NO-OP)\b/i;

/** A terminal escape sequence (dbt colours some messages). */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** A message without terminal colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The status word of a node result line, for results that carry none. */
function statusFromMessage(message: string): string | null {
  const match = RESULT_WORD.exec(stripAnsi(message));
  if (!match) {
    return null;
  }
  const word = match[1].toLowerCase();
  return word === 'ok' ? 'success' : word === 'skip' ? 'skipped' : word;
}

function newNode(uniqueId: string): INodeRunState {
  return {
    unique_id: uniqueId,
    status: null,
    started_at: null,
    finished_at: null,
    message: null,
    index: null,
    execution_time: null,
    rows_affected: null,
    failures: null,
    name: null,
    resource_type: null
  };
}

/**
 * Apply one log event to the per-node state; returns the same object when
 * the event changes nothing (already applied, or not about a node).
 *
 * A node starts with its first running status (`LogStartLine`) and ends with
 * its result event (`Log...Result`), whose line only repeats the status;
 * the warnings and errors dbt prints about a node become its message.
 */
export function reduceEvent(
  state: IRunNodesState,
  event: IRunEvent
): IRunNodesState {
  if (event.seq <= state.lastSeq) {
    return state;
  }
  const total =
    event.total !== null && event.total > (state.total ?? 0)
      ? event.total
      : state.total;
  const id = event.unique_id;
  if (!id) {
    return { ...state, total, lastSeq: event.seq };
  }
  const old = state.nodes.get(id) ?? newNode(id);
  const node = { ...old };
  const isResult = event.name.endsWith('Result');
  const raw = event.node_status;
  if (isResult) {
    node.status =
      raw && !RUNNING_NODE_STATUSES.has(raw)
        ? raw
        : (statusFromMessage(event.message) ?? node.status);
    node.finished_at = event.ts ?? node.finished_at;
  } else if (raw && RUNNING_NODE_STATUSES.has(raw)) {
    if (nodeTone(node.status) === 'pending') {
      node.status = raw;
    }
    node.started_at = node.started_at ?? event.ts;
  } else if (event.level === 'warn' || event.level === 'error') {
    const text = stripAnsi(event.message).trim();
    if (text) {
      node.message = text;
    }
  }
  if (event.index !== null && node.index === null) {
    node.index = event.index;
  }
  const nodes = new Map(state.nodes);
  nodes.set(id, node);
  return { nodes, total, lastSeq: event.seq };
}

/** Apply many events in order. */
export function reduceEvents(
  state: IRunNodesState,
  events: Iterable<IRunEvent>
): IRunNodesState {
  let next = state;
  for (const event of events) {
    next = reduceEvent(next, event);
  }
  return next;
}

/**
 * Lay the server's per-node results (read from run_results when the run
 * ended) over the state from the log: they are authoritative for statuses,
 * timings and messages, while the log keeps the nodes results lack.
 */
export function mergeNodeResults(
  state: IRunNodesState,
  results: readonly INodeResult[]
): IRunNodesState {
  if (results.length === 0) {
    return state;
  }
  const nodes = new Map(state.nodes);
  for (const result of results) {
    const old = nodes.get(result.unique_id) ?? newNode(result.unique_id);
    nodes.set(result.unique_id, {
      ...old,
      name: result.name,
      resource_type: result.resource_type,
      status: result.status ?? old.status,
      started_at: result.started_at ?? old.started_at,
      finished_at: result.finished_at ?? old.finished_at,
      message: result.message ? stripAnsi(result.message) : old.message,
      execution_time: result.execution_time,
      rows_affected: result.rows_affected,
      failures: result.failures
    });
  }
  return { ...state, nodes };
}

/** A node's display name: its result's name, else the unique id's last part. */
export function nodeName(node: INodeRunState): string {
  if (node.name) {
    return node.name;
  }
  const parts = node.unique_id.split('.');
  // Tests' ids end with a hash: `test.pkg.not_null_x_id.5f1c...`.
  if (parts[0] === 'test' && parts.length > 3) {
    return parts[parts.length - 2];
  }
  return parts[parts.length - 1];
}

/** A node's resource type: its result's, else the unique id's first part. */
export function nodeResourceType(node: INodeRunState): string {
  return node.resource_type ?? node.unique_id.split('.')[0];
}

/** The nodes in dbt's order (`index`), unindexed ones last. */
export function orderedNodes(state: IRunNodesState): INodeRunState[] {
  const nodes = [...state.nodes.values()];
  const position = new Map(nodes.map((node, i) => [node.unique_id, i]));
  return nodes.sort((a, b) => {
    const ai = a.index ?? Number.MAX_SAFE_INTEGER;
    const bi = b.index ?? Number.MAX_SAFE_INTEGER;
    return (
      ai - bi ||
      (position.get(a.unique_id) ?? 0) - (position.get(b.unique_id) ?? 0)
    );
  });
}

/** One row of the timeline. */
export interface ITimelineBar {
  node: INodeRunState;
  /** Offset from the run's start, percent of the span. */
  left: number;
  /** Percent of the span; at least a sliver so instant nodes show. */
  width: number;
  /** Seconds from start to finish (or to now while it runs). */
  seconds: number;
}

/** The timeline: one bar per started node, and the span it covers. */
export interface ITimeline {
  bars: ITimelineBar[];
  /** Seconds from the first start to the last finish. */
  span: number;
}

/** The thinnest bar, in percent, so a 10 ms test still shows. */
const MIN_BAR_PERCENT = 0.5;

/** An ISO time without a zone: dbt writes some of its UTC times that way. */
const NO_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Milliseconds since the epoch of an ISO timestamp; times without a zone
 * are UTC (as dbt means them), not the browser's local time. Null when
 * missing or invalid.
 */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) {
    return null;
  }
  const time = Date.parse(NO_ZONE.test(iso) ? `${iso}Z` : iso);
  return Number.isNaN(time) ? null : time;
}

/** Seconds from one ISO timestamp to another; null if either is missing. */
export function secondsBetween(
  start: string | null | undefined,
  end: string | null | undefined
): number | null {
  const from = parseTime(start);
  const to = parseTime(end);
  return from === null || to === null || to < from ? null : (to - from) / 1000;
}

/**
 * Bars for the nodes that started, placed by their start and finish times
 * on a common scale; nodes still running extend to `now` (ms since epoch).
 */
export function timeline(
  nodes: readonly INodeRunState[],
  now: number
): ITimeline {
  const spans: Array<{ node: INodeRunState; start: number; end: number }> = [];
  for (const node of nodes) {
    const start = parseTime(node.started_at);
    if (start === null) {
      continue;
    }
    const finished = parseTime(node.finished_at);
    const end =
      finished ??
      (nodeTone(node.status) === 'running' ? Math.max(now, start) : start);
    spans.push({ node, start, end: Math.max(start, end) });
  }
  if (spans.length === 0) {
    return { bars: [], span: 0 };
  }
  const first = Math.min(...spans.map(s => s.start));
  const last = Math.max(...spans.map(s => s.end));
  const whole = Math.max(last - first, 1);
  const bars = spans
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map(({ node, start, end }) => {
      const left = ((start - first) / whole) * 100;
      const width = Math.max(((end - start) / whole) * 100, MIN_BAR_PERCENT);
      return {
        node,
        left: Math.min(left, 100 - MIN_BAR_PERCENT),
        width: Math.min(width, 100 - Math.min(left, 100 - MIN_BAR_PERCENT)),
        seconds: (end - start) / 1000
      };
    });
  return { bars, span: (last - first) / 1000 };
}

/** The log levels the filter offers, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A log level filter: everything, or a level and above. */
export type LogLevelFilter = 'all' | (typeof LOG_LEVELS)[number];

function levelRank(level: string): number {
  const rank = (LOG_LEVELS as readonly string[]).indexOf(level.toLowerCase());
  // dbt's unknown levels (and `warning`) read as warnings.
  return rank >= 0 ? rank : level.toLowerCase().startsWith('warn') ? 2 : 1;
}

/**
 * The log lines at or above a level that contain every search term
 * (case-insensitive) in their message, event name or node id.
 */
export function filterEvents(
  events: readonly IRunEvent[],
  level: LogLevelFilter,
  query: string
): IRunEvent[] {
  const minimum = level === 'all' ? -1 : levelRank(level);
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  return events.filter(event => {
    if (levelRank(event.level) < minimum) {
      return false;
    }
    if (terms.length === 0) {
      return true;
    }
    const text =
      `${event.message}\n${event.name}\n${event.unique_id ?? ''}`.toLowerCase();
    return terms.every(term => text.includes(term));
  });
}

/** Add events to a log kept in sequence order, skipping ones already there. */
export function appendEvents(
  log: readonly IRunEvent[],
  events: readonly IRunEvent[]
): IRunEvent[] {
  const last = log.length ? log[log.length - 1].seq : 0;
  const fresh = events.filter(event => event.seq > last);
  if (
    fresh.length === events.length &&
    fresh.every((e, i) => i === 0 || e.seq > fresh[i - 1].seq)
  ) {
    return log.concat(fresh);
  }
  const bySeq = new Map(log.map(event => [event.seq, event]));
  for (const event of events) {
    bySeq.set(event.seq, event);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** What a node action selects: the node, or it with its parents or children. */
export type SelectScope = 'node' | 'upstream' | 'downstream';

/** The dbt selector of one node: its name, with a method for sources and exposures. */
export function nodeSelector(node: {
  unique_id: string;
  name: string;
  resource_type: string;
}): string {
  const parts = node.unique_id.split('.');
  switch (node.resource_type) {
    case 'source':
      // source.<package>.<source name>.<table>
      return parts.length >= 4
        ? `source:${parts[2]}.${parts.slice(3).join('.')}`
        : `source:${node.name}`;
    case 'exposure':
      return `exposure:${node.name}`;
    case 'metric':
      return `metric:${node.name}`;
    case 'semantic_model':
      return `semantic_model:${node.name}`;
    case 'saved_query':
      return `saved_query:${node.name}`;
    default:
      return node.name;
  }
}

/** A selector widened by graph operators: `+x` (with parents), `x+` (children). */
export function scopedSelector(selector: string, scope: SelectScope): string {
  switch (scope) {
    case 'upstream':
      return `+${selector}`;
    case 'downstream':
      return `${selector}+`;
    default:
      return selector;
  }
}

/**
 * The dbt commands that do something for a resource type, most useful
 * first: models run, seeds seed, snapshots snapshot; most can be built and
 * tested; a test can only be tested.
 */
export function nodeCommands(resourceType: string): string[] {
  switch (resourceType) {
    case 'model':
      return ['run', 'build', 'test'];
    case 'seed':
      return ['seed', 'build', 'test'];
    case 'snapshot':
      return ['snapshot', 'build', 'test'];
    case 'source':
    case 'exposure':
      return ['build', 'test'];
    case 'test':
    case 'unit_test':
      return ['test'];
    case 'analysis':
      return ['compile'];
    default:
      return [];
  }
}

/** The label of a node action, e.g. `Build + downstream`. */
export function actionLabel(command: string, scope: SelectScope): string {
  const verb = command.charAt(0).toUpperCase() + command.slice(1);
  return scope === 'node' ? verb : `${verb} + ${scope}`;
}

/** The dbt command line a request amounts to, for display. */
export function commandLine(
  command: string,
  select: readonly string[]
): string {
  return select.length ? `${command} -s ${select.join(' ')}` : command;
}

/**
 * Read a command line typed by the user: without a leading `dbt`, trimmed;
 * null when nothing is left.
 */
export function normalizeCli(text: string): string | null {
  const cli = text
    .trim()
    .replace(/^dbt(\s+|$)/, '')
    .trim();
  return cli ? cli : null;
}

/** The notification shown when a run ends. */
export interface IEndNotice {
  type: 'success' | 'warning' | 'error' | 'info';
  message: string;
}

/**
 * What to tell the user when a run ends: the command, how it ended, its
 * node counts and duration; a success with warnings is a warning.
 */
export function endNotice(run: IRunSummary): IEndNotice {
  const counts = countsText(run.counts);
  const duration =
    run.duration === null ? '' : ` in ${Math.round(run.duration * 10) / 10} s`;
  const what = `dbt ${run.cli || run.command}`;
  const details = [counts, run.status === 'success' ? '' : (run.message ?? '')]
    .filter(Boolean)
    .join('. ');
  const tail = details ? `: ${details}` : '';
  switch (run.status) {
    case 'success': {
      const warned = Object.entries(run.counts).some(
        ([status, count]) => count > 0 && nodeTone(status) === 'warn'
      );
      return {
        type: warned ? 'warning' : 'success',
        message: `${what} succeeded${duration}${tail}`
      };
    }
    case 'failed':
      return { type: 'error', message: `${what} failed${duration}${tail}` };
    case 'error':
      return { type: 'error', message: `${what} could not run${tail}` };
    case 'cancelled':
      return { type: 'warning', message: `${what} was cancelled${tail}` };
    case 'interrupted':
      return { type: 'warning', message: `${what} was interrupted${tail}` };
    default:
      return { type: 'info', message: `${what} is ${run.status}` };
  }
}

/** Counts of the finished nodes in the log state, by raw status. */
export function nodeCounts(state: IRunNodesState): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of state.nodes.values()) {
    const tone = nodeTone(node.status);
    if (node.status && tone !== 'pending' && tone !== 'running') {
      counts[node.status] = (counts[node.status] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * The freshest progress and counts: the server's summary, unless the log
 * already shows more finished nodes (summaries may lag behind events).
 */
export function liveProgress(
  summary: IRunSummary,
  state: IRunNodesState
): { progress: IRunProgress; counts: Record<string, number> } {
  const fromLog = nodeCounts(state);
  const logDone = Object.values(fromLog).reduce((a, b) => a + b, 0);
  const total = summary.progress.total ?? state.total;
  if (logDone > summary.progress.done) {
    return { progress: { done: logDone, total }, counts: fromLog };
  }
  return {
    progress: { done: summary.progress.done, total },
    counts: summary.counts
  };
}
