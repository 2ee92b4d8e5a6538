/**
 * The websocket of one run: backlog replay, live events, heartbeats and the
 * final `end` message, with reconnection after drops.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { API_NAMESPACE } from '../request';
import type { RunSocketMessage } from '../tokens';

/** The part of the browser's WebSocket the client uses (tests fake it). */
export interface ISocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

/** Opens a socket to a URL. */
export type SocketFactory = (url: string) => ISocketLike;

/**
 * - `connecting`: the first connection is being opened;
 * - `open`: messages flow;
 * - `retrying`: the connection dropped, a reconnection is scheduled;
 * - `failed`: too many attempts failed; the owner should poll instead;
 * - `ended`: the server sent `end`: the run is over;
 * - `disposed`: closed by its owner.
 */
export type RunSocketState =
  'connecting' | 'open' | 'retrying' | 'failed' | 'ended' | 'disposed';

/** Options of {@link RunSocket}. */
export interface IRunSocketOptions {
  runId: string;
  onMessage: (message: RunSocketMessage) => void;
  onStateChange?: (state: RunSocketState) => void;
  settings?: ServerConnection.ISettings;
  /** How to open a socket; the server connection's WebSocket by default. */
  createSocket?: SocketFactory;
  /** The first reconnection delay in ms, doubled after each failure. */
  initialDelay?: number;
  /** The longest reconnection delay in ms. */
  maxDelay?: number;
  /** Consecutive failed connections before giving up (state `failed`). */
  maxFailures?: number;
  /**
   * Silence in ms after which an open socket is presumed dead and replaced;
   * the server sends a heartbeat about every 15 s.
   */
  staleAfter?: number;
}

/**
 * The websocket URL of a run, built like JupyterLab builds its kernel
 * sockets: under `wsUrl`, with the token as a query parameter only when the
 * settings ask for it (cross-origin servers; same-origin pages send cookies).
 */
export function runSocketUrl(
  runId: string,
  settings: ServerConnection.ISettings
): string {
  const url = URLExt.join(
    settings.wsUrl,
    API_NAMESPACE,
    'runs',
    encodeURIComponent(runId),
    'ws'
  );
  return settings.appendToken && settings.token
    ? `${url}?token=${encodeURIComponent(settings.token)}`
    : url;
}

/** Parse one socket message; null for anything that is not a known message. */
export function parseRunMessage(data: unknown): RunSocketMessage | null {
  if (typeof data !== 'string') {
    return null;
  }
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (!message || typeof message !== 'object') {
    return null;
  }
  const value = message as Record<string, unknown>;
  switch (value.type) {
    case 'event':
      return value.event && typeof value.event === 'object'
        ? (value as unknown as RunSocketMessage)
        : null;
    case 'run':
    case 'end':
      return value.run && typeof value.run === 'object'
        ? (value as unknown as RunSocketMessage)
        : null;
    case 'heartbeat':
      return value as unknown as RunSocketMessage;
    default:
      return null;
  }
}

/**
 * A run's websocket that reconnects with exponential backoff until the run
 * ends. The server replays the whole backlog on each connection, so the
 * owner must ignore events it already has (by `seq`).
 */
export class RunSocket {
  constructor(options: IRunSocketOptions) {
    this._options = options;
    const settings = options.settings ?? ServerConnection.makeSettings();
    this._url = runSocketUrl(options.runId, settings);
    this._create =
      options.createSocket ??
      ((url: string) => new settings.WebSocket(url) as unknown as ISocketLike);
    this._delay = options.initialDelay ?? 1000;
    this._connect();
  }

  get state(): RunSocketState {
    return this._state;
  }

  /** The URL the socket connects to. */
  get url(): string {
    return this._url;
  }

  /** Close for good; no more callbacks. */
  dispose(): void {
    if (this._state === 'disposed') {
      return;
    }
    this._close();
    this._setState('disposed');
  }

  private _connect(): void {
    let socket: ISocketLike;
    try {
      socket = this._create(this._url);
    } catch (error) {
      console.warn('dbt Workbench: cannot open the run socket', error);
      this._scheduleRetry();
      return;
    }
    this._socket = socket;
    this._received = false;
    socket.onopen = () => {
      if (this._socket === socket) {
        this._setState('open');
        this._watch();
      }
    };
    socket.onmessage = event => {
      if (this._socket === socket) {
        this._handle(event.data);
      }
    };
    socket.onclose = () => {
      if (this._socket === socket) {
        this._socket = null;
        this._clearWatch();
        this._scheduleRetry();
      }
    };
    socket.onerror = () => {
      // A `close` always follows an error; retrying happens there.
    };
  }

  private _handle(data: unknown): void {
    const message = parseRunMessage(data);
    if (!message) {
      return;
    }
    if (!this._received) {
      // A connection that delivers messages resets the backoff.
      this._received = true;
      this._failures = 0;
      this._delay = this._options.initialDelay ?? 1000;
    }
    this._watch();
    this._options.onMessage(message);
    if (message.type === 'end' && this._state !== 'disposed') {
      this._close();
      this._setState('ended');
    }
  }

  private _scheduleRetry(): void {
    if (this._state === 'ended' || this._state === 'disposed') {
      return;
    }
    if (!this._received) {
      this._failures++;
    }
    if (this._failures >= (this._options.maxFailures ?? 6)) {
      this._setState('failed');
      return;
    }
    this._setState('retrying');
    const delay = this._delay;
    this._delay = Math.min(delay * 2, this._options.maxDelay ?? 30000);
    this._retryTimer = setTimeout(() => {
      this._retryTimer = null;
      if (this._state === 'retrying') {
        this._connect();
      }
    }, delay);
  }

  /** (Re)arm the watchdog that replaces a socket gone silent. */
  private _watch(): void {
    this._clearWatch();
    this._staleTimer = setTimeout(() => {
      this._staleTimer = null;
      const socket = this._socket;
      if (socket) {
        this._socket = null;
        socket.close();
        this._scheduleRetry();
      }
    }, this._options.staleAfter ?? 45000);
  }

  private _clearWatch(): void {
    if (this._staleTimer !== null) {
      clearTimeout(this._staleTimer);
      this._staleTimer = null;
    }
  }

  private _close(): void {
    this._clearWatch();
    if (this._retryTimer !== null) {
      clearTimeout(this._retryTimer);
      this._retryTimer = null;
    }
    const socket = this._socket;
    this._socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close();
    }
  }

  private _setState(state: RunSocketState): void {
    if (state !== this._state) {
      this._state = state;
      this._options.onStateChange?.(state);
    }
  }

  private readonly _options: IRunSocketOptions;
  private readonly _url: string;
  private readonly _create: SocketFactory;
  private _socket: ISocketLike | null = null;
  private _state: RunSocketState = 'connecting';
  private _delay: number;
  private _failures = 0;
  private _received = false;
  private _retryTimer: ReturnType<typeof setTimeout> | null = null;
  private _staleTimer: ReturnType<typeof setTimeout> | null = null;
}
