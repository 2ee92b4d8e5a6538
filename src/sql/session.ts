/**
 * One query's life in a SQL panel: submit, poll until it ends, cancel.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { WorkbenchAPIError } from '../request';
import * as api from './api';
import type { IQueryRequest } from './api';
import type { ISqlError, ISqlQuery, SqlErrorKind } from './types';

/** How often a running query is polled (ms). */
export const POLL_MS = 250;

/** The calls a session makes (replaced in tests). */
export interface ISessionApi {
  submitQuery(request: IQueryRequest): Promise<ISqlQuery>;
  fetchQuery(id: string): Promise<ISqlQuery>;
  cancelQuery(id: string): Promise<ISqlQuery>;
}

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
 * error, cancelled or timeout); `changed` fires at every poll so the view
 * can show the elapsed time and the final status.
 */
export class QuerySession {
  constructor(
    private readonly _api: ISessionApi = api,
    private readonly _pollMs = POLL_MS
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

  /** Submit `request` and poll it until it ends. */
  async run(request: IQueryRequest): Promise<ISqlQuery | null> {
    const serial = ++this._serial;
    this._submitting = true;
    this._submitError = null;
    this._query = null;
    this._startedAt = Date.now();
    this._changed.emit();
    try {
      this._query = await this._api.submitQuery(request);
    } catch (error) {
      this._submitError = errorFromException(error);
      return null;
    } finally {
      if (serial === this._serial) {
        this._submitting = false;
        this._changed.emit();
      }
    }
    while (serial === this._serial && this._query.status === 'running') {
      await new Promise(resolve => setTimeout(resolve, this._pollMs));
      if (serial !== this._serial || this._disposed) {
        break;
      }
      try {
        this._query = await this._api.fetchQuery(this._query.id);
      } catch (error) {
        this._submitError = errorFromException(error);
        this._query = { ...this._query, status: 'error' };
      }
      this._changed.emit();
    }
    return this._query;
  }

  /** Ask the server to stop the running query. */
  async cancel(): Promise<void> {
    const query = this._query;
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
