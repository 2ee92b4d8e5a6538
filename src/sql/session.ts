/**
 * One query's life in a SQL panel: submit, wait until it ends, cancel.
 *
 * The server holds a request open until the query ends (`wait`), so the
 * answer comes as soon as it does, with no polling interval: a quick query
 * is answered by its submission itself, a longer one by a long poll.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { requestAPI, WorkbenchAPIError } from '../request';
import * as api from './api';
import type { IQueryRequest } from './api';
import type { ISqlError, ISqlQuery, SqlErrorKind } from './types';

/**
 * How long the submission waits for the query to end (s). Short, because
 * the query's id (which a cancel needs) only comes with the answer.
 */
export const SUBMIT_WAIT_S = 0.2;

/** How long one poll of a running query waits for it to end (s). */
export const POLL_WAIT_S = 10;

/**
 * The pause between two polls that found the query still running (ms), in
 * case something between here and the server answers without waiting.
 */
export const REPOLL_MS = 50;

/** The calls a session makes (replaced in tests); `wait` is in seconds. */
export interface ISessionApi {
  submitQuery(request: IQueryRequest, wait: number): Promise<ISqlQuery>;
  fetchQuery(id: string, wait: number): Promise<ISqlQuery>;
  cancelQuery(id: string): Promise<ISqlQuery>;
}

/** The REST calls, waiting on the server for the query to end. */
export const waitingApi: ISessionApi = {
  submitQuery: (request, wait) =>
    requestAPI<ISqlQuery>(
      'sql/queries',
      { method: 'POST', body: JSON.stringify(request) },
      { wait }
    ),
  fetchQuery: (id, wait) =>
    requestAPI<ISqlQuery>(
      `sql/queries/${encodeURIComponent(id)}`,
      {},
      { wait }
    ),
  cancelQuery: api.cancelQuery
};

/** The error kind of a refused submission, by the server's reason code. */
const KIND_BY_REASON: Record<string, SqlErrorKind> = {
  unknown_relation: 'unknown_relation',
  write_refused: 'write_refused',
  sql_syntax_error: 'syntax',
  syntax_error: 'syntax',
  warehouse_busy: 'busy',
  timeout: 'timeout'
};

/**
 * A query error from a refused request (the server may refuse before
 * running: a bad ref, a write). Suggestions are read from the message's
 * "did you mean a, b?" when the body has no structured field.
 */
export function errorFromException(error: unknown): ISqlError {
  const message = error instanceof Error ? error.message : String(error);
  const reason = error instanceof WorkbenchAPIError ? error.reason : '';
  let kind: SqlErrorKind = KIND_BY_REASON[reason] ?? 'compile';
  if (reason === '' || reason === 'http_error') {
    kind = 'warehouse';
  }
  const position = /line (\d+)(?:,? col(?:umn)? (\d+))?/i.exec(message);
  return {
    kind,
    message,
    line: position ? Number(position[1]) : null,
    column: position?.[2] ? Number(position[2]) : null,
    suggestions: suggestionsFromMessage(message)
  };
}

/** The names of a "did you mean a, b?" sentence. */
export function suggestionsFromMessage(message: string): string[] {
  const match = /did you mean (.+?)\?/i.exec(message);
  if (!match) {
    return [];
  }
  return match[1]
    .split(/,\s*|\s+or\s+/)
    .map(name => name.trim().replace(/^['"`]|['"`]$/g, ''))
    .filter(name => /^[\w.-]+$/.test(name));
}

/**
 * The query a panel shows. `run` resolves with the final state (success,
 * error, cancelled, timeout or interrupted); `changed` fires when the
 * query starts, at every answer and when it ends.
 */
export class QuerySession {
  constructor(
    private readonly _api: ISessionApi = waitingApi,
    private readonly _repollMs = REPOLL_MS
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The current (or last) query; null before the first run. */
  get query(): ISqlQuery | null {
    return this._query;
  }

  /** A refusal before the query existed (bad request, unreachable server). */
  get submitError(): ISqlError | null {
    return this._submitError;
  }

  /** The error to show: the query's own, or the refusal. */
  get error(): ISqlError | null {
    return this._query?.error ?? this._submitError;
  }

  get running(): boolean {
    return this._submitting || this._query?.status === 'running';
  }

  /** When the current run started (ms since the epoch), for the timer. */
  get startedAt(): number | null {
    return this._startedAt;
  }

  /** Submit `request` and wait until it ends. */
  async run(request: IQueryRequest): Promise<ISqlQuery | null> {
    const serial = ++this._serial;
    this._submitting = true;
    this._cancelRequested = false;
    this._submitError = null;
    this._query = null;
    this._startedAt = Date.now();
    this._changed.emit();
    try {
      this._query = await this._api.submitQuery(request, SUBMIT_WAIT_S);
    } catch (error) {
      this._submitError = errorFromException(error);
      return null;
    } finally {
      if (serial === this._serial) {
        this._submitting = false;
        this._changed.emit();
      }
    }
    if (serial === this._serial && this._cancelRequested) {
      // Cancel was pressed before the query had an id to cancel.
      void this.cancel();
    }
    let polls = 0;
    while (serial === this._serial && this._query.status === 'running') {
      if (polls++ > 0) {
        await new Promise(resolve => setTimeout(resolve, this._repollMs));
      }
      if (serial !== this._serial || this._disposed) {
        break;
      }
      let answer: ISqlQuery;
      try {
        answer = await this._api.fetchQuery(this._query.id, POLL_WAIT_S);
      } catch (error) {
        if (serial !== this._serial) {
          break;
        }
        this._submitError = errorFromException(error);
        answer = { ...this._query, status: 'error' };
      }
      if (serial !== this._serial) {
        break;
      }
      // A cancel may have answered while this poll was waiting.
      if (this._query.status === 'running') {
        this._query = answer;
        this._changed.emit();
      }
    }
    return this._query;
  }

  /**
   * Ask the server to stop the running query; pressed while it is being
   * submitted, the cancel follows as soon as the query has an id.
   */
  async cancel(): Promise<void> {
    const query = this._query;
    if (this._submitting) {
      this._cancelRequested = true;
      return;
    }
    if (!query || query.status !== 'running') {
      return;
    }
    try {
      const cancelled = await this._api.cancelQuery(query.id);
      if (this._query?.id === cancelled.id) {
        this._query = cancelled;
        this._changed.emit();
      }
    } catch (error) {
      this._submitError = errorFromException(error);
      this._changed.emit();
    }
  }

  /** Show a past query (from the history) without running it. */
  reset(): void {
    this._serial++;
    this._query = null;
    this._submitError = null;
    this._submitting = false;
    this._startedAt = null;
    this._changed.emit();
  }

  dispose(): void {
    this._disposed = true;
    this._serial++;
    Signal.clearData(this);
  }

  private _query: ISqlQuery | null = null;
  private _submitError: ISqlError | null = null;
  private _submitting = false;
  private _cancelRequested = false;
  private _startedAt: number | null = null;
  private _serial = 0;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

/** The name an unknown-relation message complains about (its first quoted word). */
export function unknownName(error: ISqlError): string | null {
  if (error.kind !== 'unknown_relation') {
    return null;
  }
  const match = /'([^']+)'/.exec(error.message);
  return match ? match[1] : null;
}
