/**
 * @jest-environment node
 */
// Node has fetch, which building server settings needs (jsdom has none).
import { ServerConnection } from '@jupyterlab/services';

import {
  parseRunMessage,
  RunSocket,
  RunSocketState,
  runSocketUrl
} from '../runs/socket';
import type { RunSocketMessage } from '../tokens';
import { FakeSocket, runEvent, runSummary } from './runFixtures';

function harness(
  options: Partial<ConstructorParameters<typeof RunSocket>[0]> = {}
) {
  const sockets: FakeSocket[] = [];
  const messages: RunSocketMessage[] = [];
  const states: RunSocketState[] = [];
  const socket = new RunSocket({
    runId: 'r1',
    settings: ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/a%40b/',
      wsUrl: 'ws://localhost:8888/a%40b/'
    }),
    createSocket: url => {
      const fake = new FakeSocket(url);
      sockets.push(fake);
      return fake;
    },
    onMessage: message => messages.push(message),
    onStateChange: state => states.push(state),
    initialDelay: 1000,
    maxDelay: 4000,
    maxFailures: 4,
    staleAfter: 45000,
    ...options
  });
  const last = (): FakeSocket => sockets[sockets.length - 1];
  return { socket, sockets, messages, states, last };
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('runSocketUrl', () => {
  const base = {
    baseUrl: 'http://localhost:8888/a%40b/',
    wsUrl: 'ws://localhost:8888/a%40b/'
  };

  it('joins the run route under the websocket URL', () => {
    const settings = ServerConnection.makeSettings({
      ...base,
      token: '',
      appendToken: false
    });
    expect(runSocketUrl('r 1', settings)).toBe(
      'ws://localhost:8888/a%40b/dbt-workbench/api/runs/r%201/ws'
    );
  });

  it('adds the token only when the settings ask for it', () => {
    const withToken = ServerConnection.makeSettings({
      ...base,
      token: 's3cr&t',
      appendToken: true
    });
    expect(runSocketUrl('r1', withToken)).toBe(
      'ws://localhost:8888/a%40b/dbt-workbench/api/runs/r1/ws?token=s3cr%26t'
    );
    const cookies = ServerConnection.makeSettings({
      ...base,
      token: 's3cr&t',
      appendToken: false
    });
    expect(runSocketUrl('r1', cookies)).not.toContain('token');
  });
});

describe('parseRunMessage', () => {
  it('accepts the four message types and rejects anything else', () => {
    const event = { type: 'event', event: runEvent(1) };
    expect(parseRunMessage(JSON.stringify(event))).toEqual(event);
    expect(parseRunMessage('{"type":"heartbeat","ts":"x"}')).toEqual({
      type: 'heartbeat',
      ts: 'x'
    });
    expect(parseRunMessage('not json')).toBeNull();
    expect(parseRunMessage('{"type":"event"}')).toBeNull();
    expect(parseRunMessage('{"type":"other"}')).toBeNull();
    expect(parseRunMessage(new ArrayBuffer(2))).toBeNull();
  });
});

describe('RunSocket', () => {
  it('delivers messages in order and stops after end', () => {
    const { messages, states, last, sockets } = harness();
    const socket = last();
    socket.open();
    socket.send({ type: 'event', event: runEvent(1) });
    socket.send('garbage');
    socket.send({ type: 'run', run: runSummary() });
    socket.send({ type: 'heartbeat', ts: '2025-01-01T10:00:00Z' });
    socket.send({ type: 'end', run: runSummary({ status: 'success' }) });
    expect(messages.map(m => m.type)).toEqual([
      'event',
      'run',
      'heartbeat',
      'end'
    ]);
    expect(states).toEqual(['open', 'ended']);
    expect(socket.closed).toBe(true);
    // The server closes after `end`: no reconnection follows.
    socket.drop();
    jest.advanceTimersByTime(60000);
    expect(sockets).toHaveLength(1);
  });

  it('reconnects with a doubling delay, then gives up', () => {
    const { sockets, states, last } = harness();
    last().drop();
    expect(states).toEqual(['retrying']);
    jest.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);

    last().drop();
    jest.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);

    last().drop();
    jest.advanceTimersByTime(4000);
    expect(sockets).toHaveLength(4);
    last().drop();
    expect(states[states.length - 1]).toBe('failed');
    jest.advanceTimersByTime(120000);
    expect(sockets).toHaveLength(4);
  });

  it('resets the backoff once a connection delivers messages', () => {
    const { sockets, last } = harness();
    last().drop();
    jest.advanceTimersByTime(1000);
    last().drop();
    jest.advanceTimersByTime(2000);
    expect(sockets).toHaveLength(3);
    last().open();
    last().send({ type: 'heartbeat', ts: 'now' });
    last().drop();
    jest.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(4);
  });

  it('replaces a socket that went silent', () => {
    const { sockets, last } = harness();
    const first = last();
    first.open();
    first.send({ type: 'heartbeat', ts: 'now' });
    jest.advanceTimersByTime(44000);
    expect(first.closed).toBe(false);
    jest.advanceTimersByTime(1000);
    expect(first.closed).toBe(true);
    jest.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
  });

  it('goes quiet when disposed', () => {
    const { socket, messages, sockets, last } = harness();
    const first = last();
    first.open();
    socket.dispose();
    expect(first.closed).toBe(true);
    expect(socket.state).toBe('disposed');
    first.send({ type: 'event', event: runEvent(1) });
    first.drop();
    jest.advanceTimersByTime(60000);
    expect(messages).toHaveLength(0);
    expect(sockets).toHaveLength(1);
  });
});
