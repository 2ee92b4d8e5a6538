import type {
  INodeResult,
  IRunDetail,
  IRunEvent,
  IRunSummary
} from '../tokens';
import type { ISocketLike } from '../runs/socket';

/** A run summary with sensible defaults, overridden by `fields`. */
export function runSummary(fields: Partial<IRunSummary> = {}): IRunSummary {
  return {
    id: 'r1',
    project: 'demo',
    command: 'build',
    cli: 'build -s stg_orders+',
    argv: ['dbt', 'build', '-s', 'stg_orders+'],
    user: 'ada',
    status: 'running',
    created_at: '2025-01-01T10:00:00Z',
    started_at: '2025-01-01T10:00:01Z',
    finished_at: null,
    duration: null,
    returncode: null,
    exit_signal: null,
    retry_of: null,
    rerun_of: null,
    progress: { done: 0, total: null },
    counts: {},
    message: null,
    ...fields
  };
}

/** A run detail: a summary with nodes, artifacts and request. */
export function runDetail(
  fields: Partial<IRunDetail> = {},
  nodes: INodeResult[] = []
): IRunDetail {
  return {
    ...runSummary(fields),
    request: { project: 'demo', command: 'build', select: ['stg_orders+'] },
    nodes,
    artifacts: [],
    log_path: null,
    ...fields
  };
}

/** One log event, overridden by `fields`. */
export function runEvent(
  seq: number,
  fields: Partial<IRunEvent> = {}
): IRunEvent {
  return {
    seq,
    ts: `2025-01-01T10:00:${String(seq).padStart(2, '0')}Z`,
    level: 'info',
    name: 'Formatting',
    message: '',
    unique_id: null,
    node_status: null,
    index: null,
    total: null,
    ...fields
  };
}

/** A node result as the server reads it from run_results. */
export function nodeResult(
  uniqueId: string,
  fields: Partial<INodeResult> = {}
): INodeResult {
  return {
    unique_id: uniqueId,
    name: uniqueId.split('.').pop() ?? uniqueId,
    resource_type: uniqueId.split('.')[0],
    status: 'success',
    started_at: null,
    finished_at: null,
    execution_time: 0.5,
    message: 'OK',
    rows_affected: null,
    failures: null,
    ...fields
  };
}

const MODEL = 'model.copper_kettle.stg_orders';
const TEST = 'test.copper_kettle.assert_completed_orders_are_fully_paid';
const UNIT =
  'unit_test.copper_kettle.int_customer_order_sequence.test_customer_orders_are_numbered_in_time';

/** Ids of the nodes in {@link dbtBuildLog}. */
export const LOG_NODES = { MODEL, TEST, UNIT };

/**
 * Events shaped like a real `dbt build --log-format json` of the demo
 * (names, statuses and messages as dbt 1.11 writes them): a model, a unit
 * test whose result carries no node status, and a test that warns.
 */
export function dbtBuildLog(): IRunEvent[] {
  return [
    runEvent(1, {
      name: 'MainReportVersion',
      message: 'Running with dbt=1.11.16'
    }),
    runEvent(2, {
      name: 'LogStartLine',
      unique_id: MODEL,
      node_status: 'started',
      index: 1,
      total: 3,
      message: '1 of 3 START sql view model main_staging.stg_orders ....'
    }),
    runEvent(3, {
      name: 'LogModelResult',
      unique_id: MODEL,
      node_status: 'success',
      index: 1,
      total: 3,
      message: '1 of 3 OK created sql view model main_staging.stg_orders ....'
    }),
    runEvent(4, {
      name: 'LogStartLine',
      unique_id: UNIT,
      node_status: 'started',
      index: 2,
      total: 3,
      message: '2 of 3 START unit_test int_customer_order_sequence::test'
    }),
    runEvent(5, {
      name: 'LogStartLine',
      unique_id: TEST,
      node_status: 'started',
      index: 3,
      total: 3,
      message: '3 of 3 START test assert_completed_orders_are_fully_paid ..'
    }),
    runEvent(6, {
      name: 'LogTestResult',
      unique_id: UNIT,
      node_status: null,
      index: 2,
      message: '2 of 3 PASS int_customer_order_sequence::test ....'
    }),
    runEvent(7, {
      name: 'LogTestResult',
      level: 'warn',
      unique_id: TEST,
      node_status: 'warn',
      index: 3,
      message: '3 of 3 WARN 6 assert_completed_orders_are_fully_paid ....'
    }),
    runEvent(8, {
      name: 'RunResultWarningMessage',
      level: 'warn',
      unique_id: TEST,
      message: 'Got 6 results, configured to warn if != 0'
    }),
    runEvent(9, {
      name: 'StatsLine',
      message: 'Done. PASS=2 WARN=1 ERROR=0 SKIP=0 NO-OP=0 TOTAL=3'
    })
  ];
}

/** A socket the test drives: open it, send messages, drop it. */
export class FakeSocket implements ISocketLike {
  constructor(readonly url: string) {}
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;

  open(): void {
    this.onopen?.({});
  }

  send(message: unknown): void {
    this.onmessage?.({
      data: typeof message === 'string' ? message : JSON.stringify(message)
    });
  }

  /** The server or the network closes the connection. */
  drop(): void {
    this.onerror?.({});
    this.onclose?.({});
  }

  close(): void {
    this.closed = true;
  }
}
