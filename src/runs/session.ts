/**
 * The live state of one run, fed by its websocket, or by polling the REST
 * API while the socket is down.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import {
  appendEvents,
  EMPTY_NODES_STATE,
  IRunNodesState,
  isActive,
  mergeNodeResults,
  reduceEvents
} from '../model/runs';
import type {
  IEventPage,
  IRunDetail,
  IRunEvent,
  IRunSummary,
  RunSocketMessage
} from '../tokens';
import { fetchEvents, fetchRun } from './api';
import { RunSocket, RunSocketState, SocketFactory } from './socket';

/** The REST calls a session makes (tests pass fakes). */
export interface IRunSessionApi {
  fetchRun(id: string): Promise<IRunDetail>;
  fetchEvents(id: string, after: number, limit: number): Promise<IEventPage>;
}

/** Options of {@link RunSession}. */
export interface IRunSessionOptions {
  api?: IRunSessionApi;
  createSocket?: SocketFactory;
  /** Socket options passed on (backoff, give-up threshold). */
  socket?: { initialDelay?: number; maxDelay?: number; maxFailures?: number };
  /** Milliseconds between two polls while the socket is down. */
  pollInterval?: number;
  /** Milliseconds to gather changes before emitting `changed`. */
  throttle?: number;
}

/**
 * How the session follows the run:
 * - `loading`: reading the run;
 * - `live`: through the websocket;
 * - `polling`: the socket is down, the REST API is polled;
 * - `done`: the run has ended and everything is loaded;
 * - `error`: the run could not be read.
 */
export type RunConnection = 'loading' | 'live' | 'polling' | 'done' | 'error';

/** Events per page when reading a log through the REST API. */
const EVENT_PAGE = 1000;

/** The most log pages read at once (a very long log shows its start). */
const MAX_EVENT_PAGES = 50;

const DEFAULT_API: IRunSessionApi = { fetchRun, fetchEvents };

/**
 * One run's summary, per-node state and log, kept current until it ends.
 * Call {@link start} once; `ended` fires once when the run is over and its
 * final results are loaded.
 */
export class RunSession implements IDisposable {
  constructor(
    readonly id: string,
    options: IRunSessionOptions = {}
  ) {
    this._options = options;
    this._api = options.api ?? DEFAULT_API;
  }

  /** Emitted (at most every few tens of ms) when anything shown changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted once, when the run has ended and its results are loaded. */
  get ended(): ISignal<this, IRunSummary> {
    return this._ended;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  get summary(): IRunSummary | null {
    return this._summary;
  }

  /** The full record, from the last REST read (nodes, artifacts, request). */
  get detail(): IRunDetail | null {
    return this._detail;
  }

  get events(): readonly IRunEvent[] {
    return this._events;
  }

  get nodes(): IRunNodesState {
    return this._nodes;
  }

  get connection(): RunConnection {
    return this._connection;
  }

  /** Why the run could not be read, when `connection` is `error`. */
  get error(): string {
    return this._error;
  }

  /** Read the run, then follow it live if it has not ended. */
  async start(): Promise<void> {
    if (this._started) {
      return;
    }
    this._started = true;
    let detail: IRunDetail;
    try {
      detail = await this._api.fetchRun(this.id);
    } catch (error) {
      // Not through notify.ts: the session stays free of widget imports.
      this._error = error instanceof Error ? error.message : String(error);
      this._setConnection('error');
      return;
    }
    if (this._disposed) {
      return;
    }
    this._applyDetail(detail);
    if (isActive(detail.status)) {
      this._openSocket();
    } else {
      await this._loadMissingEvents();
      this._finish(detail);
    }
  }

  /** Read the run again now (after an action such as cancel). */
  async refresh(): Promise<void> {
    try {
      const detail = await this._api.fetchRun(this.id);
      if (this._disposed) {
        return;
      }
      this._applyDetail(detail);
      if (!isActive(detail.status)) {
        await this._loadMissingEvents();
        this._finish(detail);
      }
    } catch (error) {
      console.warn(`dbt Workbench: cannot read run ${this.id}`, error);
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._socket?.dispose();
    this._socket = null;
    this._stopPolling();
    if (this._notifyTimer !== null) {
      clearTimeout(this._notifyTimer);
    }
    Signal.clearData(this);
  }

  /** Handle one websocket message (public for the socket callback). */
  handleMessage(message: RunSocketMessage): void {
    switch (message.type) {
      case 'event':
        this._addEvents([message.event]);
        break;
      case 'run':
        this._summary = message.run;
        this._notify();
        break;
      case 'end':
        this._summary = message.run;
        this._notify();
        void this._complete();
        break;
      case 'heartbeat':
        break;
    }
  }

  private _openSocket(): void {
    this._setConnection('live');
    this._socket = new RunSocket({
      runId: this.id,
      createSocket: this._options.createSocket,
      ...this._options.socket,
      onMessage: message => this.handleMessage(message),
      onStateChange: state => this._onSocketState(state)
    });
  }

  private _onSocketState(state: RunSocketState): void {
    if (this._connection === 'done' || this._disposed) {
      return;
    }
    if (state === 'open') {
      this._stopPolling();
      this._setConnection('live');
    } else if (state === 'retrying' || state === 'failed') {
      this._setConnection('polling');
      this._startPolling();
    }
  }

  private _startPolling(): void {
    if (this._pollTimer !== null || this._polling) {
      return;
    }
    this._pollTimer = setTimeout(() => {
      this._pollTimer = null;
      void this._pollOnce();
    }, this._options.pollInterval ?? 2000);
  }

  private async _pollOnce(): Promise<void> {
    if (this._disposed || this._connection !== 'polling') {
      return;
    }
    this._polling = true;
    try {
      const detail = await this._api.fetchRun(this.id);
      if (this._disposed) {
        return;
      }
      this._applyDetail(detail);
      await this._loadMissingEvents();
      if (!isActive(detail.status)) {
        this._finish(detail);
        return;
      }
    } catch (error) {
      console.warn(`dbt Workbench: cannot poll run ${this.id}`, error);
    } finally {
      this._polling = false;
    }
    if (this._connection === 'polling') {
      this._startPolling();
    }
  }

  private _stopPolling(): void {
    if (this._pollTimer !== null) {
      clearTimeout(this._pollTimer);
      this._pollTimer = null;
    }
  }

  /** After `end`: read the final results (run_results, artifacts). */
  private async _complete(): Promise<void> {
    this._socket?.dispose();
    this._socket = null;
    this._stopPolling();
    let detail: IRunDetail | null = null;
    try {
      detail = await this._api.fetchRun(this.id);
      if (this._disposed) {
        return;
      }
      this._applyDetail(detail);
      await this._loadMissingEvents();
    } catch (error) {
      console.warn(`dbt Workbench: cannot read run ${this.id}`, error);
    }
    const summary = detail ?? this._summary;
    if (summary) {
      this._finish(summary);
    }
  }

  private _finish(summary: IRunSummary): void {
    if (this._connection === 'done' || this._disposed) {
      return;
    }
    this._socket?.dispose();
    this._socket = null;
    this._stopPolling();
    this._setConnection('done');
    this._flush();
    this._ended.emit(summary);
  }

  /** Read the log from the REST API after the last event held. */
  private async _loadMissingEvents(): Promise<void> {
    for (let page = 0; page < MAX_EVENT_PAGES; page++) {
      const after = this._events.length
        ? this._events[this._events.length - 1].seq
        : 0;
      const answer = await this._api.fetchEvents(this.id, after, EVENT_PAGE);
      if (this._disposed) {
        return;
      }
      this._addEvents(answer.items);
      if (answer.items.length < EVENT_PAGE) {
        return;
      }
    }
  }

  private _applyDetail(detail: IRunDetail): void {
    this._detail = detail;
    this._summary = detail;
    this._nodes = mergeNodeResults(this._nodes, detail.nodes);
    this._notify();
  }

  private _addEvents(events: readonly IRunEvent[]): void {
    if (events.length === 0) {
      return;
    }
    const merged = appendEvents(this._events, events);
    if (merged.length === this._events.length) {
      return;
    }
    this._events = merged;
    this._nodes = reduceEvents(this._nodes, events);
    // Results read from run_results stay authoritative over replayed logs.
    if (this._detail && !isActive(this._detail.status)) {
      this._nodes = mergeNodeResults(this._nodes, this._detail.nodes);
    }
    this._notify();
  }

  private _setConnection(connection: RunConnection): void {
    if (connection !== this._connection) {
      this._connection = connection;
      this._notify();
    }
  }

  /** Emit `changed` soon, once for a burst of events. */
  private _notify(): void {
    if (this._notifyTimer !== null || this._disposed) {
      return;
    }
    this._notifyTimer = setTimeout(
      () => this._flush(),
      this._options.throttle ?? 50
    );
  }

  private _flush(): void {
    if (this._notifyTimer !== null) {
      clearTimeout(this._notifyTimer);
      this._notifyTimer = null;
    }
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private readonly _options: IRunSessionOptions;
  private readonly _api: IRunSessionApi;
  private _changed = new Signal<this, void>(this);
  private _ended = new Signal<this, IRunSummary>(this);
  private _disposed = false;
  private _started = false;
  private _summary: IRunSummary | null = null;
  private _detail: IRunDetail | null = null;
  private _events: readonly IRunEvent[] = [];
  private _nodes: IRunNodesState = EMPTY_NODES_STATE;
  private _connection: RunConnection = 'loading';
  private _error = '';
  private _socket: RunSocket | null = null;
  private _pollTimer: ReturnType<typeof setTimeout> | null = null;
  private _polling = false;
  private _notifyTimer: ReturnType<typeof setTimeout> | null = null;
}
