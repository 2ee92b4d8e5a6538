import { IDisposable } from '@lumino/disposable';
import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  fetchAllNodes,
  fetchProjects,
  reloadArtifacts,
  rescanProjects
} from '../api';
import { clearShownErrors, errorMessage, showError } from '../notify';
import {
  FALLBACK_PERMISSIONS,
  fetchPermissions,
  IPermissions
} from '../permissions';
import { WorkbenchAPIError } from '../request';
import type {
  GroupBy,
  INodeSummary,
  IProjectList,
  IProjectSummary
} from '../tokens';

/**
 * What the side panel can show:
 * - `loading`: nothing fetched yet;
 * - `ready`: the current project's nodes;
 * - `no_projects`: the server found no dbt project;
 * - `not_loaded`: the current project has no usable manifest yet;
 * - `error`: the last request failed and there is nothing older to show.
 */
export type WorkbenchState =
  'loading' | 'ready' | 'no_projects' | 'not_loaded' | 'error';

/** The user settings the model follows. */
export interface IWorkbenchSettings {
  groupBy: GroupBy;
  /** Seconds between two checks of the project list. */
  refreshInterval: number;
  showTests: boolean;
}

/** The settings used until the settings registry answers. */
export const DEFAULT_SETTINGS: IWorkbenchSettings = {
  groupBy: 'folder',
  refreshInterval: 10,
  showTests: false
};

/** The longest wait between two polls after repeated failures. */
const MAX_BACKOFF_MS = 5 * 60 * 1000;

/**
 * The state shared by the workbench's views: the projects the server found,
 * the selected project and its node list.
 *
 * A poll re-reads the project list; when the selected project's snapshot
 * `version` changes (dbt wrote new artifacts and the server reloaded them)
 * the node list is fetched again.
 */
export class WorkbenchModel implements IDisposable {
  constructor(settings: IWorkbenchSettings = DEFAULT_SETTINGS) {
    this._settings = { ...settings };
    this._poll = new Poll({
      auto: true,
      factory: () => this._tick(),
      frequency: this._frequency(),
      name: 'dbt-workbench:projects',
      standby: 'when-hidden'
    });
    void fetchPermissions().then(permissions => {
      if (this._isDisposed) {
        return;
      }
      this._permissions = permissions;
      this._permissionsChanged.emit(permissions);
      this._changed.emit();
    });
  }

  /** Emitted whenever anything the views show changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted after each successful read of the project list. */
  get projectsChanged(): ISignal<this, readonly IProjectSummary[]> {
    return this._projectsChanged;
  }

  /**
   * What the user's role allows, read once from the server. Until the
   * answer arrives (or when the server predates roles) it is
   * {@link FALLBACK_PERMISSIONS}.
   */
  get permissions(): IPermissions {
    return this._permissions;
  }

  /** Emitted once the permissions have been read. */
  get permissionsChanged(): ISignal<this, IPermissions> {
    return this._permissionsChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  get state(): WorkbenchState {
    return this._state;
  }

  /** The sentence explaining a non-`ready` state. */
  get message(): string {
    return this._message;
  }

  /** Whether a request the views wait for is in flight. */
  get loading(): boolean {
    return this._pending > 0;
  }

  get projects(): readonly IProjectSummary[] {
    return this._projects;
  }

  /** The server root, absolute (empty until the first answer). */
  get root(): string {
    return this._root;
  }

  get currentProjectId(): string | null {
    return this._currentId;
  }

  /** Select a project and fetch its nodes. */
  set currentProjectId(id: string | null) {
    if (id === this._currentId) {
      return;
    }
    this._currentId = id;
    this._nodes = [];
    this._loadedKey = null;
    this._state = 'loading';
    this._changed.emit();
    void this._syncNodes();
  }

  get currentProject(): IProjectSummary | null {
    return this._projects.find(p => p.id === this._currentId) ?? null;
  }

  /** The current project's nodes (tests only when `showTests`). */
  get nodes(): readonly INodeSummary[] {
    return this._nodes;
  }

  get settings(): Readonly<IWorkbenchSettings> {
    return this._settings;
  }

  /** Apply new settings: re-schedule the poll, re-fetch nodes if needed. */
  updateSettings(settings: Partial<IWorkbenchSettings>): void {
    const old = this._settings;
    this._settings = { ...old, ...settings };
    this._poll.frequency = this._frequency();
    if (old.showTests !== this._settings.showTests) {
      this._loadedKey = null;
      void this._syncNodes();
    }
    this._changed.emit();
  }

  /** Read the project list now (and the nodes if they changed). */
  async refresh(): Promise<void> {
    await this._poll.refresh();
    await this._poll.tick;
  }

  /** Ask the server to look for projects again, then reload everything. */
  async rescan(): Promise<void> {
    await this._track(async () => {
      try {
        this._applyProjects(await rescanProjects());
      } catch (error) {
        this._fail(error);
        return;
      }
      this._loadedKey = null;
      await this._syncNodes();
    });
  }

  /** Ask the server to reload the current project's artifacts now. */
  async reloadArtifacts(): Promise<void> {
    const project = this._currentId;
    if (project === null) {
      return;
    }
    await this._track(async () => {
      try {
        await reloadArtifacts(project);
      } catch (error) {
        showError(error, 'Reloading the dbt artifacts failed');
      }
    });
    this._loadedKey = null;
    await this.refresh();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _frequency(): IPoll.Frequency {
    const interval = Math.max(2, this._settings.refreshInterval) * 1000;
    return { interval, backoff: true, max: Math.max(interval, MAX_BACKOFF_MS) };
  }

  private async _tick(): Promise<void> {
    let list: IProjectList;
    try {
      list = await fetchProjects();
    } catch (error) {
      if (this._fail(error)) {
        return;
      }
      // Rejecting makes the poll back off while the server is unreachable.
      throw error;
    }
    this._applyProjects(list);
    await this._syncNodes();
  }

  /**
   * Record a failure. Returns true when it is an expected state (no
   * projects) rather than an error worth backing off for.
   */
  private _fail(error: unknown): boolean {
    if (error instanceof WorkbenchAPIError && error.is('no_projects', 404)) {
      this._applyProjects({ projects: [], root: this._root });
      this._state = 'no_projects';
      this._message = error.message;
      this._changed.emit();
      return true;
    }
    showError(error);
    if (this._state === 'loading') {
      this._state = 'error';
      this._message = errorMessage(error);
      this._changed.emit();
    }
    return false;
  }

  private _applyProjects(list: IProjectList): void {
    clearShownErrors();
    this._projects = list.projects;
    this._root = list.root;
    if (this._projects.length === 0) {
      this._currentId = null;
      this._nodes = [];
      this._loadedKey = null;
      this._state = 'no_projects';
      this._message = '';
    } else if (!this._projects.some(p => p.id === this._currentId)) {
      this._currentId = this._projects[0].id;
      this._nodes = [];
      this._loadedKey = null;
      this._state = 'loading';
    }
    this._projectsChanged.emit(this._projects);
    this._changed.emit();
  }

  /** Fetch the current project's nodes unless the loaded ones are current. */
  private async _syncNodes(): Promise<void> {
    const project = this.currentProject;
    if (!project) {
      return;
    }
    if (!project.loaded) {
      this._nodes = [];
      this._loadedKey = null;
      this._setNotLoaded();
      return;
    }
    const key = `${project.id}\u0000${project.version}\u0000${this._settings.showTests}`;
    if (key === this._loadedKey || key === this._loadingKey) {
      return;
    }
    this._loadingKey = key;
    await this._track(async () => {
      try {
        const nodes = await fetchAllNodes(project.id, this._settings.showTests);
        if (this._loadingKey !== key) {
          return; // A newer request superseded this one.
        }
        this._nodes = nodes;
        this._loadedKey = key;
        this._state = 'ready';
        this._message = '';
      } catch (error) {
        if (this._loadingKey !== key) {
          return;
        }
        if (
          error instanceof WorkbenchAPIError &&
          error.is('artifacts_not_loaded')
        ) {
          this._nodes = [];
          this._setNotLoaded(error.message);
        } else {
          this._fail(error);
        }
      } finally {
        if (this._loadingKey === key) {
          this._loadingKey = null;
        }
      }
    });
  }

  private _setNotLoaded(message = ''): void {
    this._state = 'not_loaded';
    this._message = message;
    this._changed.emit();
  }

  private async _track(work: () => Promise<void>): Promise<void> {
    this._pending++;
    this._changed.emit();
    try {
      await work();
    } finally {
      this._pending--;
      this._changed.emit();
    }
  }

  private _changed = new Signal<this, void>(this);
  private _projectsChanged = new Signal<this, readonly IProjectSummary[]>(this);
  private _permissionsChanged = new Signal<this, IPermissions>(this);
  private _permissions: IPermissions = FALLBACK_PERMISSIONS;
  private _isDisposed = false;
  private _settings: IWorkbenchSettings;
  private _poll: Poll;
  private _state: WorkbenchState = 'loading';
  private _message = '';
  private _pending = 0;
  private _projects: readonly IProjectSummary[] = [];
  private _root = '';
  private _currentId: string | null = null;
  private _nodes: readonly INodeSummary[] = [];
  private _loadedKey: string | null = null;
  private _loadingKey: string | null = null;
}
