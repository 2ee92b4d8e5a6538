/**
 * The state of the dbt Git panel: the repository of the workbench's current
 * project, its branches, history and dbt impact, and the actions on it.
 */
import { Notification } from '@jupyterlab/apputils';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { WorkbenchModel } from '../model/workbench';
import { errorMessage } from '../notify';
import { WorkbenchAPIError } from '../request';
import type { IRunSummary } from '../tokens';
import * as api from './api';
import type {
  IBranchList,
  IChangeReport,
  ICommitInfo,
  IGitStatus
} from './types';

/** What the panel can show. */
export type GitState =
  'loading' | 'ready' | 'no_project' | 'not_repository' | 'error';

/** Which change the dbt impact section describes. */
export type ImpactScope = 'worktree' | 'branch';

/** How often the panel re-reads the repository while it is visible. */
const POLL_MS = 10000;

/** How many commits the history shows per page. */
export const LOG_PAGE = 30;

const SYNC_LABELS: Record<api.SyncAction, [string, string]> = {
  fetch: ['Fetching', 'Fetched'],
  pull: ['Pulling', 'Pulled'],
  push: ['Pushing', 'Pushed']
};

/** A signature of what the working tree looks like to `git status`. */
function statusKey(status: IGitStatus): string {
  return JSON.stringify([
    status.repository.head,
    status.repository.branch,
    status.files.map(f => [f.path, f.index, f.worktree])
  ]);
}

/**
 * The repository model behind the dbt Git panel.
 *
 * It follows the workbench's current project and re-reads the repository
 * every ten seconds while `visible` is true, on {@link refresh} and after
 * each action. The dbt impact report is re-read when the status changes, on
 * a forced refresh and when its scope changes.
 */
export class GitModel implements IDisposable {
  constructor(workbench: WorkbenchModel) {
    this._workbench = workbench;
    this._project = workbench.currentProjectId;
    workbench.changed.connect(this._onWorkbenchChanged, this);
    this._poll = new Poll({
      auto: true,
      factory: () => this._load(false),
      frequency: { interval: POLL_MS, backoff: true, max: 5 * POLL_MS },
      name: 'dbt-workbench:git',
      standby: () => !this._visible || 'when-hidden'
    });
  }

  /** Emitted whenever anything the panel shows changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  get project(): string | null {
    return this._project;
  }

  get workbench(): WorkbenchModel {
    return this._workbench;
  }

  get state(): GitState {
    return this._state;
  }

  /** The sentence explaining a `not_repository` or `error` state. */
  get message(): string {
    return this._message;
  }

  get status(): IGitStatus | null {
    return this._status;
  }

  get branches(): IBranchList | null {
    return this._branches;
  }

  get commits(): readonly ICommitInfo[] {
    return this._commits;
  }

  /** Commits reachable from HEAD, when the server knows. */
  get commitTotal(): number | null {
    return this._commitTotal;
  }

  /** The action in progress, e.g. `Pushing…`; null when idle. */
  get activity(): string | null {
    return this._activity;
  }

  /** Why the last branch switch was refused (the files it would lose). */
  get checkoutError(): string | null {
    return this._checkoutError;
  }

  get impactScope(): ImpactScope {
    return this._scope;
  }

  /** The ref the impact is measured against; null for the working tree. */
  get impactBase(): string | null {
    return this._scope === 'branch'
      ? (this._status?.repository.default_branch ?? null)
      : null;
  }

  get changes(): IChangeReport | null {
    return this._changes;
  }

  get changesError(): string | null {
    return this._changesError;
  }

  get changesLoading(): boolean {
    return this._changesLoading;
  }

  /** Whether the panel is shown: the poll sleeps while it is not. */
  set visible(value: boolean) {
    this._visible = value;
    if (value) {
      void this.refresh();
    }
  }

  /** Re-read everything now, the impact report included. */
  async refresh(): Promise<void> {
    await this._load(true);
  }

  set impactScope(scope: ImpactScope) {
    if (scope === this._scope) {
      return;
    }
    this._scope = scope;
    this._changes = null;
    this._changesError = null;
    this._changed.emit();
    void this._loadChanges(true);
  }

  /** Stage files (working tree changes and untracked files). */
  async stage(paths: string[]): Promise<void> {
    await this._act('Staging…', 'Cannot stage', async project => {
      this._applyStatus(await api.stage(project, paths));
    });
  }

  /** Take files out of the index, keeping their working tree edits. */
  async unstage(paths: string[]): Promise<void> {
    await this._act('Unstaging…', 'Cannot unstage', async project => {
      this._applyStatus(await api.unstage(project, paths));
    });
  }

  /** Commit what is staged; true when the commit was made. */
  async commit(message: string): Promise<boolean> {
    return this._act('Committing…', 'Cannot commit', async project => {
      const made = await api.commit(project, message);
      Notification.success(`Committed ${made.short}: ${made.summary}`, {
        autoClose: 5000
      });
    });
  }

  /** Switch branch; a refusal is kept in {@link checkoutError} too. */
  async checkout(branch: string): Promise<boolean> {
    this._checkoutError = null;
    return this._act(
      `Switching to ${branch}…`,
      `Cannot switch to ${branch}`,
      async project => {
        this._applyStatus(await api.checkout(project, branch));
        Notification.success(`Switched to ${branch}.`, { autoClose: 4000 });
      },
      error => {
        if (
          error instanceof WorkbenchAPIError &&
          (error.status === 409 || error.reason.includes('local_changes'))
        ) {
          this._checkoutError = error.message;
        }
      }
    );
  }

  /** Create a branch from HEAD, switching to it when asked. */
  async createBranch(name: string, switchTo: boolean): Promise<boolean> {
    this._checkoutError = null;
    return this._act(
      `Creating ${name}…`,
      `Cannot create the branch ${name}`,
      async project => {
        this._branches = await api.createBranch(project, name, switchTo);
        Notification.success(
          switchTo
            ? `Created and switched to ${name}.`
            : `Created the branch ${name}.`,
          { autoClose: 4000 }
        );
      }
    );
  }

  /** Fetch, pull or push, with a notification of the outcome. */
  async sync(action: api.SyncAction): Promise<boolean> {
    const [doing, done] = SYNC_LABELS[action];
    const notice = Notification.emit(`${doing}…`, 'in-progress', {
      autoClose: false
    });
    let failed: unknown = null;
    const ok = await this._act(
      `${doing}…`,
      null,
      async project => {
        const result = await api.sync(project, action);
        this._applyStatus(result.status);
        Notification.update({
          id: notice,
          message: result.message || `${done}.`,
          type: 'success',
          autoClose: 5000
        });
      },
      error => {
        failed = error;
      }
    );
    if (!ok) {
      Notification.update({
        id: notice,
        message: api.syncFailure(action, failed),
        type: 'error',
        autoClose: false
      });
    }
    return ok;
  }

  /** Start `dbt build -s state:modified+` against the impact's base. */
  async buildModified(): Promise<IRunSummary | null> {
    let run: IRunSummary | null = null;
    // No base: the server compares the working tree with HEAD's manifest.
    const base = this.impactBase;
    await this._act(
      'Preparing the baseline manifest…',
      'Cannot build the modified nodes',
      async project => {
        run = await api.buildModified(project, base);
      }
    );
    return run;
  }

  /** Read one more page of history. */
  async loadMoreCommits(): Promise<void> {
    const project = this._project;
    if (!project) {
      return;
    }
    try {
      const page = await api.fetchLog(project, LOG_PAGE, this._commits.length);
      if (project === this._project) {
        this._commits = [...this._commits, ...page.commits];
        this._commitTotal = page.total;
        this._changed.emit();
      }
    } catch (error) {
      Notification.error(`Cannot read the history: ${errorMessage(error)}`, {
        autoClose: 10000
      });
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    this._workbench.changed.disconnect(this._onWorkbenchChanged, this);
    Signal.clearData(this);
  }

  private _onWorkbenchChanged(): void {
    const project = this._workbench.currentProjectId;
    if (project === this._project) {
      return;
    }
    this._project = project;
    this._status = null;
    this._statusKey = null;
    this._branches = null;
    this._commits = [];
    this._commitTotal = null;
    this._changes = null;
    this._changesError = null;
    this._checkoutError = null;
    this._state = 'loading';
    this._changed.emit();
    void this.refresh();
  }

  /**
   * Run an action on the current project: shows `label` while it runs,
   * reports a failure under `context` (unless null), then re-reads the
   * repository. Resolves to whether the action succeeded.
   */
  private async _act(
    label: string,
    context: string | null,
    work: (project: string) => Promise<void>,
    onError?: (error: unknown) => void
  ): Promise<boolean> {
    const project = this._project;
    if (!project || this._activity !== null) {
      return false;
    }
    this._activity = label;
    this._changed.emit();
    let ok = true;
    try {
      await work(project);
    } catch (error) {
      ok = false;
      onError?.(error);
      if (context !== null) {
        Notification.error(`${context}: ${errorMessage(error)}`, {
          autoClose: false
        });
      }
    } finally {
      this._activity = null;
      this._changed.emit();
    }
    await this._load(true);
    return ok;
  }

  private async _load(force: boolean): Promise<void> {
    const project = this._project;
    if (!project) {
      this._state =
        this._workbench.state === 'loading' ? 'loading' : 'no_project';
      this._changed.emit();
      return;
    }
    const sequence = ++this._sequence;
    let status: IGitStatus;
    try {
      status = await api.fetchStatus(project);
    } catch (error) {
      if (sequence !== this._sequence || project !== this._project) {
        return;
      }
      const notRepository =
        error instanceof WorkbenchAPIError && error.is('not_a_repository');
      this._state = notRepository ? 'not_repository' : 'error';
      this._message = errorMessage(error);
      this._status = null;
      this._statusKey = null;
      this._changed.emit();
      if (!notRepository) {
        // Rejecting makes the poll back off while the server fails.
        throw error;
      }
      return;
    }
    if (sequence !== this._sequence || project !== this._project) {
      return;
    }
    const headMoved = this._status?.repository.head !== status.repository.head;
    const statusMoved = this._applyStatus(status);
    this._state = 'ready';
    this._message = '';
    this._changed.emit();
    await Promise.all([
      this._loadBranches(project),
      headMoved || force || this._commits.length === 0
        ? this._loadLog(project)
        : Promise.resolve(),
      this._loadChanges(force || statusMoved)
    ]);
  }

  /** Take a new status; true when it differs from the one shown. */
  private _applyStatus(status: IGitStatus): boolean {
    const key = statusKey(status);
    const moved = key !== this._statusKey;
    this._status = status;
    this._statusKey = key;
    this._changed.emit();
    return moved;
  }

  private async _loadBranches(project: string): Promise<void> {
    try {
      const branches = await api.fetchBranches(project);
      if (project === this._project) {
        this._branches = branches;
        this._changed.emit();
      }
    } catch {
      // The branch picker keeps its last list; the status shows the branch.
    }
  }

  private async _loadLog(project: string): Promise<void> {
    try {
      const log = await api.fetchLog(project, LOG_PAGE);
      if (project === this._project) {
        this._commits = log.commits;
        this._commitTotal = log.total;
        this._changed.emit();
      }
    } catch {
      if (project === this._project) {
        // A repository without any commit has no history to show.
        this._commits = [];
        this._commitTotal = null;
        this._changed.emit();
      }
    }
  }

  private async _loadChanges(force: boolean): Promise<void> {
    const project = this._project;
    if (!project || !this._status || (!force && this._changes !== null)) {
      return;
    }
    if (this._scope === 'branch' && this.impactBase === null) {
      this._changes = null;
      this._changesError =
        'This repository has no default branch (no origin/HEAD, main or master) to compare with.';
      this._changed.emit();
      return;
    }
    const base = this.impactBase;
    const scope = this._scope;
    const sequence = ++this._changesSequence;
    this._changesLoading = true;
    this._changed.emit();
    try {
      const report = await api.fetchChanges(project, base);
      if (this._stillWanted(sequence, project, scope)) {
        this._changes = report;
        this._changesError = null;
      }
    } catch (error) {
      if (this._stillWanted(sequence, project, scope)) {
        this._changes = null;
        this._changesError = errorMessage(error);
      }
    } finally {
      if (sequence === this._changesSequence) {
        this._changesLoading = false;
        this._changed.emit();
      }
    }
  }

  private _stillWanted(
    sequence: number,
    project: string,
    scope: ImpactScope
  ): boolean {
    return (
      sequence === this._changesSequence &&
      project === this._project &&
      scope === this._scope
    );
  }

  private _changed = new Signal<this, void>(this);
  private _isDisposed = false;
  private _workbench: WorkbenchModel;
  private _poll: Poll;
  private _visible = false;
  private _project: string | null;
  private _state: GitState = 'loading';
  private _message = '';
  private _sequence = 0;
  private _status: IGitStatus | null = null;
  private _statusKey: string | null = null;
  private _branches: IBranchList | null = null;
  private _commits: ICommitInfo[] = [];
  private _commitTotal: number | null = null;
  private _activity: string | null = null;
  private _checkoutError: string | null = null;
  private _scope: ImpactScope = 'worktree';
  private _changes: IChangeReport | null = null;
  private _changesError: string | null = null;
  private _changesLoading = false;
  private _changesSequence = 0;
}
