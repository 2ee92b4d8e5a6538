/**
 * The schedules the panel lists, kept fresh by a poll (next and last run
 * times move on their own) and updated at once after the user's changes.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { errorMessage } from '../notify';
import { fetchSchedules } from './api';
import type { ExecutionStatus, ISchedule } from './types';

/** Seconds between two reads of the list while the panel is visible. */
const POLL_SECONDS = 10;

/** The colour family of an execution status, as the run pills use them. */
export type ExecutionTone =
  'active' | 'success' | 'warning' | 'error' | 'neutral';

/** The tone of an execution status (the runs area's pill colours). */
export function executionTone(status: ExecutionStatus | null): ExecutionTone {
  switch (status) {
    case 'queued':
    case 'running':
      return 'active';
    case 'success':
      return 'success';
    case 'warning':
    case 'cancelled':
    case 'interrupted':
      return 'warning';
    case 'failed':
    case 'timeout':
      return 'error';
    default:
      return 'neutral';
  }
}

/** Every schedule of the server, sorted by name. */
export class SchedulesModel implements IDisposable {
  constructor() {
    this._poll = new Poll({
      auto: true,
      factory: () => this.refresh(),
      frequency: { interval: POLL_SECONDS * 1000, backoff: true, max: 60000 },
      name: 'dbt-workbench:schedules',
      standby: 'when-hidden'
    });
  }

  /** Emitted whenever the list, the loading flag or the error changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get schedules(): readonly ISchedule[] {
    return this._schedules;
  }

  /** Whether the list has been read at least once. */
  get loaded(): boolean {
    return this._loaded;
  }

  get loading(): boolean {
    return this._loading;
  }

  /** The last read's failure, cleared by the next success. */
  get error(): string | null {
    return this._error;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Read the list again. */
  async refresh(): Promise<void> {
    this._loading = true;
    this._changed.emit();
    try {
      this._schedules = sortByName(await fetchSchedules());
      this._error = null;
      this._loaded = true;
    } catch (error) {
      this._error = errorMessage(error);
    } finally {
      this._loading = false;
      this._changed.emit();
    }
  }

  /** Put a schedule the server just returned into the list. */
  upsert(schedule: ISchedule): void {
    this._schedules = sortByName([
      ...this._schedules.filter(item => item.id !== schedule.id),
      schedule
    ]);
    this._changed.emit();
  }

  /** Drop a deleted schedule from the list. */
  remove(id: string): void {
    this._schedules = this._schedules.filter(item => item.id !== id);
    this._changed.emit();
  }

  dispose(): void {
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _changed = new Signal<this, void>(this);
  private _poll: Poll;
  private _schedules: ISchedule[] = [];
  private _loaded = false;
  private _loading = false;
  private _error: string | null = null;
}

function sortByName(schedules: ISchedule[]): ISchedule[] {
  return [...schedules].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)
  );
}
