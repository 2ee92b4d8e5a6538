import { RunSession, IRunSessionApi } from '../runs/session';
import { RunsTracker, IRunsTrackerApi } from '../runs/tracker';
import type { IEventPage, IRunDetail, IRunSummary } from '../tokens';
import {
  dbtBuildLog,
  FakeSocket,
  LOG_NODES,
  nodeResult,
  runDetail,
  runSummary
} from './runFixtures';

// jsdom has no fetch; building the sockets' server settings reads it (the
// fake API and sockets make no request).
Object.assign(globalThis, {
  fetch: jest.fn(),
  Headers: class {},
  Request: class {}
});

/** Let pending promise callbacks run (fake timers do not). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

/** A fake server: the run's detail and log, changed by the test. */
class FakeServer implements IRunSessionApi {
  detail: IRunDetail = runDetail();
  log = dbtBuildLog();
  runReads = 0;
  eventReads: number[] = [];
  failRuns = false;

  async fetchRun(id: string): Promise<IRunDetail> {
    this.runReads++;
    if (this.failRuns) {
      throw new Error(`run ${id} not found`);
    }
    return { ...this.detail, id };
  }

  async fetchEvents(
    _id: string,
    after: number,
    limit: number
  ): Promise<IEventPage> {
    this.eventReads.push(after);
    const items = this.log.filter(e => e.seq > after).slice(0, limit);
    return {
      items,
      next: items.length ? items[items.length - 1].seq : after
    };
  }
}

function startSession(server: FakeServer, sockets: FakeSocket[] = []) {
  const session = new RunSession('r1', {
    api: server,
    createSocket: url => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    socket: { initialDelay: 1000, maxFailures: 3 },
    pollInterval: 2000,
    throttle: 10
  });
  const ended: IRunSummary[] = [];
  session.ended.connect((_, run) => ended.push(run));
  return { session, sockets, ended };
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('RunSession', () => {
  it('follows a running run through its socket until it ends', async () => {
    const server = new FakeServer();
    const { session, sockets, ended } = startSession(server);
    await session.start();
    expect(session.connection).toBe('live');
    expect(sockets).toHaveLength(1);
    const socket = sockets[0];
    socket.open();

    const log = dbtBuildLog();
    for (const event of log.slice(0, 3)) {
      socket.send({ type: 'event', event });
    }
    socket.send({
      type: 'run',
      run: runSummary({ progress: { done: 1, total: 3 } })
    });
    expect(session.summary?.progress).toEqual({ done: 1, total: 3 });
    expect(session.nodes.nodes.get(LOG_NODES.MODEL)?.status).toBe('success');
    expect(session.events.map(e => e.seq)).toEqual([1, 2, 3]);

    // A reconnection replays the backlog: nothing is doubled.
    for (const event of log) {
      socket.send({ type: 'event', event });
    }
    expect(session.events).toHaveLength(log.length);

    let changes = 0;
    session.changed.connect(() => changes++);
    server.detail = runDetail(
      { status: 'success', artifacts: ['manifest.json'] },
      [nodeResult(LOG_NODES.MODEL, { rows_affected: 42 })]
    );
    socket.send({ type: 'end', run: runSummary({ status: 'success' }) });
    await settle();
    expect(ended).toHaveLength(1);
    expect(ended[0].status).toBe('success');
    expect(session.connection).toBe('done');
    expect(session.detail?.artifacts).toEqual(['manifest.json']);
    expect(session.nodes.nodes.get(LOG_NODES.MODEL)?.rows_affected).toBe(42);
    expect(changes).toBeGreaterThan(0);
    session.dispose();
  });

  it('polls the REST API while the socket is down', async () => {
    const server = new FakeServer();
    server.log = dbtBuildLog().slice(0, 3);
    const { session, sockets, ended } = startSession(server);
    await session.start();
    sockets[0].drop();
    expect(session.connection).toBe('polling');

    const reads = server.runReads;
    jest.advanceTimersByTime(2000);
    await settle();
    expect(server.runReads).toBe(reads + 1);
    expect(session.events.map(e => e.seq)).toEqual([1, 2, 3]);

    // The next poll asks only for what came after.
    server.log = dbtBuildLog();
    server.detail = runDetail({ status: 'failed', message: '1 node failed' });
    jest.advanceTimersByTime(2000);
    await settle();
    expect(server.eventReads).toEqual([0, 3]);
    expect(session.events).toHaveLength(dbtBuildLog().length);
    expect(ended.map(run => run.status)).toEqual(['failed']);
    expect(session.connection).toBe('done');
    session.dispose();
  });

  it('stops polling when the socket comes back', async () => {
    const server = new FakeServer();
    const { session, sockets } = startSession(server);
    await session.start();
    sockets[0].drop();
    expect(session.connection).toBe('polling');
    jest.advanceTimersByTime(1000);
    sockets[1].open();
    expect(session.connection).toBe('live');
    await settle();
    const reads = server.runReads;
    jest.advanceTimersByTime(10000);
    await settle();
    expect(server.runReads).toBe(reads);
    session.dispose();
  });

  it('reads a finished run once, without a socket', async () => {
    const server = new FakeServer();
    server.detail = runDetail({ status: 'success' });
    const { session, sockets, ended } = startSession(server);
    await session.start();
    expect(sockets).toHaveLength(0);
    expect(session.events).toHaveLength(dbtBuildLog().length);
    expect(session.connection).toBe('done');
    expect(ended).toHaveLength(1);
  });

  it('says why when the run cannot be read', async () => {
    const server = new FakeServer();
    server.failRuns = true;
    const { session } = startSession(server);
    await session.start();
    expect(session.connection).toBe('error');
    expect(session.error).toContain('run r1 not found');
  });
});

/** A fake runs API: runs it started, with statuses the test sets. */
class FakeRuns implements IRunsTrackerApi {
  listed: IRunSummary[] = [];
  submitted: unknown[] = [];

  async submitRun(body: unknown): Promise<IRunSummary> {
    this.submitted.push(body);
    return runSummary({ id: `r${this.submitted.length}`, status: 'queued' });
  }

  async fetchRuns() {
    return {
      total: this.listed.length,
      offset: 0,
      limit: 20,
      items: this.listed
    };
  }

  async cancelRun(id: string): Promise<IRunSummary> {
    return runSummary({ id, status: 'cancelled' });
  }

  async retryRun(id: string): Promise<IRunSummary> {
    return runSummary({ id: `${id}-retry`, status: 'queued', retry_of: id });
  }

  async rerunRun(id: string): Promise<IRunSummary> {
    return runSummary({ id: `${id}-rerun`, status: 'queued', rerun_of: id });
  }
}

describe('RunsTracker', () => {
  function startTracker() {
    const runs = new FakeRuns();
    const server = new FakeServer();
    const sockets: FakeSocket[] = [];
    const ended: IRunSummary[] = [];
    const tracker = new RunsTracker({
      api: runs,
      discoverEvery: 0,
      onEnded: run => ended.push(run),
      session: {
        api: server,
        createSocket: url => {
          const socket = new FakeSocket(url);
          sockets.push(socket);
          return socket;
        },
        throttle: 0
      }
    });
    return { tracker, runs, server, sockets, ended };
  }

  it('follows a submitted run and reports its end once', async () => {
    const { tracker, runs, server, sockets, ended } = startTracker();
    let history = 0;
    tracker.historyChanged.connect(() => history++);
    const run = await tracker.submit({
      project: 'demo',
      command: 'run',
      select: ['stg_orders']
    });
    expect(runs.submitted).toEqual([
      { project: 'demo', command: 'run', select: ['stg_orders'] }
    ]);
    expect(tracker.active.map(r => r.id)).toEqual([run.id]);
    expect(history).toBe(1);

    await settle();
    sockets[0].open();
    sockets[0].send({
      type: 'run',
      run: runSummary({ id: run.id, progress: { done: 2, total: 5 } })
    });
    jest.advanceTimersByTime(0);
    expect(tracker.active[0].progress).toEqual({ done: 2, total: 5 });

    server.detail = runDetail({ status: 'success' });
    sockets[0].send({
      type: 'end',
      run: runSummary({ id: run.id, status: 'success' })
    });
    await settle();
    expect(ended.map(r => r.status)).toEqual(['success']);
    expect(tracker.active).toEqual([]);
    expect(history).toBe(2);

    // A stale listing that still says running does not bring it back.
    runs.listed = [runSummary({ id: run.id, status: 'running' })];
    await tracker.refresh();
    expect(tracker.active).toEqual([]);
    expect(ended).toHaveLength(1);
    tracker.dispose();
  });

  it('discovers runs started elsewhere', async () => {
    const { tracker, runs } = startTracker();
    runs.listed = [
      runSummary({ id: 'nb', status: 'running' }),
      runSummary({ id: 'old', status: 'success' })
    ];
    await tracker.refresh();
    expect(tracker.active.map(r => r.id)).toEqual(['nb']);
    tracker.dispose();
  });

  it('shares one session per run between views', () => {
    const { tracker } = startTracker();
    const a = tracker.acquire('x');
    const b = tracker.acquire('x');
    expect(a).toBe(b);
    tracker.release(a);
    expect(a.isDisposed).toBe(false);
    tracker.release(b);
    expect(a.isDisposed).toBe(true);
    tracker.dispose();
  });
});
