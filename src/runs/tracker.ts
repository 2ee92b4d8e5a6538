/**
 * The runs the browser knows about: it starts runs, follows the active ones
 * (for the status bar and the end notifications) and shares one live
 * session per run between the views that show it.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { isActive } from '../model/runs';
import type { IRunPage, IRunSummary, RunSubmission } from '../tokens';
import {
  cancelRun,
  fetchRuns,
  IRunQuery,
  rerunRun,
  retryRun,
  submitRun
} from './api';
import { IRunSessionOptions, RunSession } from './session';

/** The REST calls the tracker makes (tests pass fakes). */
export interface IRunsTrackerApi {
  submitRun(body: RunSubmission): Promise<IRunSummary>;
  fetchRuns(query: IRunQuery): Promise<IRunPage>;
  cancelRun(id: string): Promise<IRunSummary>;
  retryRun(id: string): Promise<IRunSummary>;
  rerunRun(id: string): Promise<IRunSummary>;
}

/** Options of {@link RunsTracker}. */
export interface IRunsTrackerOptions {
  /** Called once for each followed run that ends. */
  onEnded?: (run: IRunSummary) => void;
  api?: IRunsTrackerApi;
  session?: IRunSessionOptions;
  /**
   * Seconds between two looks for runs started elsewhere (a notebook,
   * another tab); 0 disables the poll.
   */
  discoverEvery?: number;
}

const DEFAULT_API: IRunsTrackerApi = {
  submitRun,
  fetchRuns,
  cancelRun,
  retryRun,
  rerunRun
};

/** How many of the newest runs the discovery poll reads. */
const DISCOVER_LIMIT = 20;

/**
 * Starts runs and follows the active ones until they end. Views borrow a
 * run's live session with {@link acquire} and give it back with
 * {@link release}; a session lives while a view or the tracker needs it.
 */
export class RunsTracker implements IDisposable {
  constructor(options: IRunsTrackerOptions = {}) {
    this._options = options;
    this._api = options.api ?? DEFAULT_API;
    const every = options.discoverEvery ?? 10;
    if (every > 0) {
      this._poll = new Poll({
        auto: true,
        factory: () => this._discover(),
        frequency: { interval: every * 1000, backoff: true, max: 300 * 1000 },
        name: 'dbt-workbench:runs',
        standby: 'when-hidden'
      });
    }
  }

  /** Emitted when the active runs or their progress change. */
  get activeChanged(): ISignal<this, void> {
    return this._activeChanged;
  }

  /** Emitted when a run starts or ends: the history has changed. */
  get historyChanged(): ISignal<this, void> {
    return this._historyChanged;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** The queued and running runs, oldest first. */
  get active(): IRunSummary[] {
    return [...this._active.values()].sort((a, b) =>
      a.created_at.localeCompare(b.created_at)
    );
  }

  /** Start a run and follow it; returns the server's summary. */
  async submit(body: RunSubmission): Promise<IRunSummary> {
    return this._started(await this._api.submitRun(body));
  }

  /** Cancel a run; the session sees it end. */
  async cancel(id: string): Promise<IRunSummary> {
    const summary = await this._api.cancelRun(id);
    await this._sessions.get(id)?.session.refresh();
    return summary;
  }

  /** Start `dbt retry` of a failed run, as a new run. */
  async retry(id: string): Promise<IRunSummary> {
    return this._started(await this._api.retryRun(id));
  }

  /** Start the same request again, as a new run. */
  async rerun(id: string): Promise<IRunSummary> {
    return this._started(await this._api.rerunRun(id));
  }

  /** Borrow the live session of a run (started on first use). */
  acquire(id: string): RunSession {
    let entry = this._sessions.get(id);
    if (!entry) {
      const session = new RunSession(id, this._options.session);
      entry = { session, users: 0 };
      this._sessions.set(id, entry);
      session.changed.connect(this._onSessionChanged, this);
      session.ended.connect(this._onSessionEnded, this);
      void session.start();
    }
    entry.users++;
    return entry.session;
  }

  /** Give back a session; it is closed when nobody needs it anymore. */
  release(session: RunSession): void {
    const entry = this._sessions.get(session.id);
    if (!entry || entry.session !== session) {
      return;
    }
    entry.users--;
    if (entry.users <= 0) {
      this._sessions.delete(session.id);
      session.dispose();
    }
  }

  /** Look for runs started elsewhere now. */
  async refresh(): Promise<void> {
    await this._discover();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._poll?.dispose();
    for (const { session } of this._sessions.values()) {
      session.dispose();
    }
    this._sessions.clear();
    this._following.clear();
    Signal.clearData(this);
  }

  private _started(summary: IRunSummary): IRunSummary {
    this._follow(summary);
    this._historyChanged.emit();
    return summary;
  }

  /** Follow an active run until it ends (once per run). */
  private _follow(summary: IRunSummary): void {
    if (
      this._disposed ||
      !isActive(summary.status) ||
      this._ended.has(summary.id)
    ) {
      return;
    }
    this._active.set(summary.id, summary);
    this._activeChanged.emit();
    if (this._following.has(summary.id)) {
      return;
    }
    this._following.add(summary.id);
    this.acquire(summary.id);
  }

  private _onSessionChanged(session: RunSession): void {
    const summary = session.summary;
    if (summary && this._active.has(session.id) && isActive(summary.status)) {
      this._active.set(session.id, summary);
      this._activeChanged.emit();
    }
  }

  private _onSessionEnded(session: RunSession, summary: IRunSummary): void {
    this._active.delete(session.id);
    this._activeChanged.emit();
    this._historyChanged.emit();
    this._ended.add(session.id);
    if (this._following.delete(session.id)) {
      this._options.onEnded?.(summary);
      this.release(session);
    }
  }

  private async _discover(): Promise<void> {
    const page = await this._api.fetchRuns({ limit: DISCOVER_LIMIT });
    if (this._disposed) {
      return;
    }
    for (const run of page.items) {
      if (isActive(run.status)) {
        this._follow(run);
      }
    }
  }

  private readonly _options: IRunsTrackerOptions;
  private readonly _api: IRunsTrackerApi;
  private _poll: Poll | null = null;
  private _activeChanged = new Signal<this, void>(this);
  private _historyChanged = new Signal<this, void>(this);
  private _disposed = false;
  private _active = new Map<string, IRunSummary>();
  private _sessions = new Map<string, { session: RunSession; users: number }>();
  /** Runs the tracker holds a session for, until they end. */
  private _following = new Set<string>();
  /** Runs already reported as ended. */
  private _ended = new Set<string>();
}
