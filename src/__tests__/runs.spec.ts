import {
  actionLabel,
  appendEvents,
  countsText,
  EMPTY_NODES_STATE,
  endNotice,
  filterEvents,
  isActive,
  liveProgress,
  mergeNodeResults,
  nodeCommands,
  nodeName,
  nodeSelector,
  nodeStatusColor,
  nodeTone,
  normalizeCli,
  orderedNodes,
  parseTime,
  progressFraction,
  progressLabel,
  progressSegments,
  reduceEvent,
  reduceEvents,
  runActions,
  runStatusColor,
  runTone,
  scopedSelector,
  secondsBetween,
  stripAnsi,
  timeline
} from '../model/runs';
import type { RunStatus } from '../tokens';
import {
  dbtBuildLog,
  LOG_NODES,
  nodeResult,
  runEvent,
  runSummary
} from './runFixtures';

const ALL_STATUSES: RunStatus[] = [
  'queued',
  'running',
  'success',
  'failed',
  'error',
  'cancelled',
  'interrupted'
];

describe('run statuses', () => {
  it('calls only queued and running runs active', () => {
    expect(ALL_STATUSES.filter(isActive)).toEqual(['queued', 'running']);
  });

  it.each([
    ['success', 'success', '--jp-success-color1'],
    ['failed', 'error', '--jp-error-color1'],
    ['error', 'error', '--jp-error-color1'],
    ['cancelled', 'warning', '--jp-warn-color1'],
    ['interrupted', 'warning', '--jp-warn-color1'],
    ['running', 'active', '--jp-brand-color1'],
    ['queued', 'active', '--jp-brand-color1']
  ] as const)('shows %s as %s in %s', (status, tone, variable) => {
    expect(runTone(status)).toBe(tone);
    expect(runStatusColor(status)).toBe(`var(${variable})`);
  });

  it.each([
    ['started', 'running'],
    ['executing', 'running'],
    ['success', 'pass'],
    ['pass', 'pass'],
    ['no-op', 'pass'],
    ['warn', 'warn'],
    ['fail', 'error'],
    ['runtime error', 'error'],
    ['ERROR', 'error'],
    ['skipped', 'skipped'],
    [null, 'pending']
  ])('reads node status %p as %p', (status, tone) => {
    expect(nodeTone(status)).toBe(tone);
  });

  it('colours failing nodes red and passing ones green', () => {
    expect(nodeStatusColor('fail')).toBe('var(--jp-error-color1)');
    expect(nodeStatusColor('success')).toBe('var(--jp-success-color1)');
  });

  it.each([
    ['queued', { cancel: true, retry: false, rerun: false }],
    ['running', { cancel: true, retry: false, rerun: false }],
    ['success', { cancel: false, retry: false, rerun: true }],
    ['failed', { cancel: false, retry: true, rerun: true }],
    ['error', { cancel: false, retry: true, rerun: true }],
    ['cancelled', { cancel: false, retry: false, rerun: true }],
    ['interrupted', { cancel: false, retry: false, rerun: true }]
  ] as const)('enables the right buttons for a %s run', (status, actions) => {
    expect(runActions(status)).toEqual(actions);
  });
});

describe('progress', () => {
  it('is the finished share of the total, clamped, unknown without a total', () => {
    expect(progressFraction({ done: 12, total: 94 })).toBeCloseTo(12 / 94);
    expect(progressFraction({ done: 5, total: 4 })).toBe(1);
    expect(progressFraction({ done: 3, total: null })).toBeNull();
    expect(progressFraction({ done: 0, total: 0 })).toBeNull();
  });

  it('splits the bar into pass, warn, error and skipped segments of the total', () => {
    const segments = progressSegments(
      { success: 10, pass: 5, warn: 1, error: 1, fail: 1, skipped: 2 },
      { done: 20, total: 40 }
    );
    expect(segments).toEqual([
      { tone: 'pass', count: 15, percent: 37.5 },
      { tone: 'warn', count: 1, percent: 2.5 },
      { tone: 'error', count: 2, percent: 5 },
      { tone: 'skipped', count: 2, percent: 5 }
    ]);
  });

  it('fills the bar with what finished while the total is unknown', () => {
    const segments = progressSegments(
      { success: 3, error: 1 },
      { done: 4, total: null }
    );
    expect(segments.reduce((sum, s) => sum + s.percent, 0)).toBe(100);
  });

  it('labels the status bar with the command and done/total', () => {
    expect(
      progressLabel(runSummary({ progress: { done: 12, total: 94 } }))
    ).toBe('dbt build 12/94');
    expect(progressLabel(runSummary({ status: 'queued' }))).toBe(
      'dbt build (queued)'
    );
    expect(progressLabel(runSummary({ command: 'seed' }))).toBe(
      'dbt seed (starting)'
    );
    expect(
      progressLabel(runSummary({ progress: { done: 3, total: null } }))
    ).toBe('dbt build 3');
  });

  it('lists counts most severe first', () => {
    expect(countsText({ success: 12, error: 1, warn: 2, skipped: 0 })).toBe(
      '1 error · 2 warn · 12 success'
    );
  });

  it('prefers the log when it is ahead of the summary', () => {
    const state = reduceEvents(EMPTY_NODES_STATE, dbtBuildLog());
    const behind = runSummary({ progress: { done: 1, total: 3 } });
    expect(liveProgress(behind, state)).toEqual({
      progress: { done: 3, total: 3 },
      counts: { success: 1, pass: 1, warn: 1 }
    });
    const ahead = runSummary({
      progress: { done: 3, total: 3 },
      counts: { success: 2, warn: 1 }
    });
    expect(liveProgress(ahead, state).counts).toEqual({ success: 2, warn: 1 });
  });
});

describe('reducing log events into node states', () => {
  it('follows each node from start to result', () => {
    const events = dbtBuildLog();
    const started = reduceEvents(EMPTY_NODES_STATE, events.slice(0, 2));
    const model = started.nodes.get(LOG_NODES.MODEL)!;
    expect(nodeTone(model.status)).toBe('running');
    expect(model.started_at).toBe(events[1].ts);
    expect(model.finished_at).toBeNull();
    expect(started.total).toBe(3);

    const done = reduceEvents(started, events.slice(2));
    const finished = done.nodes.get(LOG_NODES.MODEL)!;
    expect(finished.status).toBe('success');
    expect(finished.started_at).toBe(events[1].ts);
    expect(finished.finished_at).toBe(events[2].ts);
    expect(finished.index).toBe(1);
    // The result line only repeats the status: it is not a message.
    expect(finished.message).toBeNull();
    expect(done.lastSeq).toBe(9);
  });

  it('reads the status from the message when a result carries none', () => {
    const state = reduceEvents(EMPTY_NODES_STATE, dbtBuildLog());
    expect(state.nodes.get(LOG_NODES.UNIT)!.status).toBe('pass');
  });

  it("keeps dbt's warning about a node as its message", () => {
    const state = reduceEvents(EMPTY_NODES_STATE, dbtBuildLog());
    const test = state.nodes.get(LOG_NODES.TEST)!;
    expect(test.status).toBe('warn');
    expect(test.message).toBe('Got 6 results, configured to warn if != 0');
  });

  it('ignores events replayed after a reconnection', () => {
    const events = dbtBuildLog();
    const state = reduceEvents(EMPTY_NODES_STATE, events);
    expect(reduceEvent(state, events[1])).toBe(state);
    expect(reduceEvents(state, events)).toBe(state);
  });

  it('does not turn a finished node back to running', () => {
    const events = dbtBuildLog();
    const state = reduceEvents(EMPTY_NODES_STATE, events.slice(0, 3));
    const late = runEvent(20, {
      name: 'NodeExecuting',
      unique_id: LOG_NODES.MODEL,
      node_status: 'executing'
    });
    expect(reduceEvent(state, late).nodes.get(LOG_NODES.MODEL)!.status).toBe(
      'success'
    );
  });

  it('lets run_results override the log, keeping nodes only the log knows', () => {
    const state = reduceEvents(EMPTY_NODES_STATE, dbtBuildLog());
    const merged = mergeNodeResults(state, [
      nodeResult(LOG_NODES.MODEL, {
        status: 'error',
        message: '\u001b[31mDatabase Error\u001b[0m in stg_orders',
        rows_affected: 7
      })
    ]);
    const model = merged.nodes.get(LOG_NODES.MODEL)!;
    expect(model.status).toBe('error');
    expect(model.message).toBe('Database Error in stg_orders');
    expect(model.rows_affected).toBe(7);
    expect(merged.nodes.get(LOG_NODES.TEST)!.status).toBe('warn');
  });

  it("orders nodes by dbt's index, unindexed last", () => {
    const state = reduceEvents(EMPTY_NODES_STATE, [
      runEvent(1, { unique_id: 'model.p.b', node_status: 'started', index: 2 }),
      runEvent(2, { unique_id: 'model.p.c', level: 'warn', message: 'x' }),
      runEvent(3, { unique_id: 'model.p.a', node_status: 'started', index: 1 })
    ]);
    expect(orderedNodes(state).map(node => node.unique_id)).toEqual([
      'model.p.a',
      'model.p.b',
      'model.p.c'
    ]);
  });

  it('names tests without their hash', () => {
    const state = reduceEvents(EMPTY_NODES_STATE, [
      runEvent(1, {
        unique_id: 'test.p.not_null_orders_id.5f1c0a',
        node_status: 'started'
      })
    ]);
    expect(nodeName(orderedNodes(state)[0])).toBe('not_null_orders_id');
  });
});

describe('timeline', () => {
  const node = (
    id: string,
    started: string | null,
    finished: string | null,
    status = 'success'
  ) => ({
    ...nodeResult(id, { status, started_at: started, finished_at: finished }),
    index: null
  });

  it('places bars by start and finish on a common scale', () => {
    const { bars, span } = timeline(
      [
        node('model.p.a', '2025-01-01T10:00:00Z', '2025-01-01T10:00:02Z'),
        node('model.p.b', '2025-01-01T10:00:02Z', '2025-01-01T10:00:04Z'),
        node('model.p.c', null, null, 'skipped')
      ],
      Date.parse('2025-01-01T10:10:00Z')
    );
    expect(span).toBe(4);
    expect(bars.map(bar => [bar.node.unique_id, bar.left, bar.width])).toEqual([
      ['model.p.a', 0, 50],
      ['model.p.b', 50, 50]
    ]);
  });

  it('stretches running nodes to now and keeps instant ones visible', () => {
    const now = Date.parse('2025-01-01T10:00:10Z');
    const { bars } = timeline(
      [
        node('model.p.a', '2025-01-01T10:00:00Z', '2025-01-01T10:00:00Z'),
        node('model.p.b', '2025-01-01T10:00:05Z', null, 'executing')
      ],
      now
    );
    const [instant, running] = bars;
    expect(instant.width).toBeGreaterThan(0);
    expect(running.left).toBe(50);
    expect(running.width).toBe(50);
    expect(running.seconds).toBe(5);
  });
});

describe('timestamps', () => {
  it("reads dbt's zoneless times as UTC", () => {
    expect(parseTime('2026-11-22T06:11:09.055887')).toBe(
      Date.parse('2026-11-22T06:11:09.055Z')
    );
    expect(parseTime('2026-11-22T06:11:09+00:00')).toBe(
      Date.parse('2026-11-22T06:11:09Z')
    );
    expect(parseTime('soon')).toBeNull();
    expect(parseTime(null)).toBeNull();
  });

  it('measures a node between a zoneless start and a UTC finish', () => {
    expect(
      secondsBetween('2026-11-22T06:11:09.055', '2026-11-22T06:11:09.355Z')
    ).toBeCloseTo(0.3);
    expect(secondsBetween('2026-11-22T06:11:09Z', null)).toBeNull();
  });
});

describe('log filtering', () => {
  const events = [
    runEvent(1, { level: 'debug', message: 'Acquiring connection' }),
    runEvent(2, { level: 'info', message: '1 of 2 OK created stg_orders' }),
    runEvent(3, {
      level: 'warn',
      message: 'Got 6 results',
      unique_id: 'test.p.paid'
    }),
    runEvent(4, { level: 'error', message: 'Database Error in fct_orders' })
  ];

  it('keeps lines at or above the level', () => {
    expect(filterEvents(events, 'all', '').map(e => e.seq)).toEqual([
      1, 2, 3, 4
    ]);
    expect(filterEvents(events, 'info', '').map(e => e.seq)).toEqual([2, 3, 4]);
    expect(filterEvents(events, 'warn', '').map(e => e.seq)).toEqual([3, 4]);
    expect(filterEvents(events, 'error', '').map(e => e.seq)).toEqual([4]);
  });

  it('searches every term, case-insensitively, in message and node id', () => {
    expect(filterEvents(events, 'all', 'ORDERS').map(e => e.seq)).toEqual([
      2, 4
    ]);
    expect(filterEvents(events, 'all', 'error fct').map(e => e.seq)).toEqual([
      4
    ]);
    expect(filterEvents(events, 'all', 'test.p.paid').map(e => e.seq)).toEqual([
      3
    ]);
  });

  it('appends new events once, in sequence order', () => {
    const log = appendEvents([], events.slice(0, 2));
    expect(appendEvents(log, events.slice(1)).map(e => e.seq)).toEqual([
      1, 2, 3, 4
    ]);
    expect(appendEvents(log, [events[3], events[2]]).map(e => e.seq)).toEqual([
      1, 2, 3, 4
    ]);
  });

  it('strips terminal colours', () => {
    expect(stripAnsi('\u001b[33mCompleted with 1 warning:\u001b[0m')).toBe(
      'Completed with 1 warning:'
    );
  });
});

describe('node actions', () => {
  it('selects models by name and sources by source:name.table', () => {
    expect(
      nodeSelector({
        unique_id: 'model.p.stg_orders',
        name: 'stg_orders',
        resource_type: 'model'
      })
    ).toBe('stg_orders');
    expect(
      nodeSelector({
        unique_id: 'source.p.raw.orders',
        name: 'orders',
        resource_type: 'source'
      })
    ).toBe('source:raw.orders');
    expect(
      nodeSelector({
        unique_id: 'exposure.p.weekly',
        name: 'weekly',
        resource_type: 'exposure'
      })
    ).toBe('exposure:weekly');
  });

  it('widens a selection upstream with +x and downstream with x+', () => {
    expect(scopedSelector('stg_orders', 'node')).toBe('stg_orders');
    expect(scopedSelector('stg_orders', 'upstream')).toBe('+stg_orders');
    expect(scopedSelector('stg_orders', 'downstream')).toBe('stg_orders+');
    expect(actionLabel('build', 'downstream')).toBe('Build + downstream');
    expect(actionLabel('run', 'node')).toBe('Run');
  });

  it('offers the commands that do something for each type', () => {
    expect(nodeCommands('model')).toEqual(['run', 'build', 'test']);
    expect(nodeCommands('seed')).toEqual(['seed', 'build', 'test']);
    expect(nodeCommands('test')).toEqual(['test']);
    expect(nodeCommands('source')).not.toContain('run');
    expect(nodeCommands('macro')).toEqual([]);
  });

  it('reads a typed command line without a leading dbt', () => {
    expect(normalizeCli('  dbt build -s orders+ ')).toBe('build -s orders+');
    expect(normalizeCli('test')).toBe('test');
    expect(normalizeCli('dbt')).toBeNull();
    expect(normalizeCli('   ')).toBeNull();
  });
});

describe('end notifications', () => {
  it('reports a clean success as a success', () => {
    const notice = endNotice(
      runSummary({
        status: 'success',
        duration: 9.87,
        counts: { success: 3 },
        cli: 'run -s stg_orders'
      })
    );
    expect(notice).toEqual({
      type: 'success',
      message: 'dbt run -s stg_orders succeeded in 9.9 s: 3 success'
    });
  });

  it('reports a success with warnings as a warning', () => {
    expect(
      endNotice(runSummary({ status: 'success', counts: { pass: 3, warn: 1 } }))
        .type
    ).toBe('warning');
  });

  it('tells why a run failed or could not run', () => {
    const failed = endNotice(
      runSummary({
        status: 'failed',
        duration: 4,
        counts: { error: 1, success: 2 },
        message: '1 node failed'
      })
    );
    expect(failed.type).toBe('error');
    expect(failed.message).toContain('failed in 4 s');
    expect(failed.message).toContain('1 error · 2 success');
    expect(failed.message).toContain('1 node failed');
    const error = endNotice(
      runSummary({ status: 'error', message: "Could not find selector 'x'" })
    );
    expect(error).toEqual({
      type: 'error',
      message:
        "dbt build -s stg_orders+ could not run: Could not find selector 'x'"
    });
    expect(endNotice(runSummary({ status: 'cancelled' })).type).toBe('warning');
  });
});
