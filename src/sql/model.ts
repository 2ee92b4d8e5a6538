/**
 * The state of one SQL workspace tab besides its text: project, limit,
 * the query session, the shown tab, the sort, the profile and compiled SQL.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { errorMessage } from '../notify';
import * as api from './api';
import { nextSort } from './grid';
import type { IGridSort } from './ResultGrid';
import { QuerySession } from './session';
import type { ICompiledSql, ISqlProfile, SqlCell } from './types';

export type ResultTab = 'results' | 'profile' | 'compiled' | 'history';

/** Options of {@link SqlTabModel}. */
export interface ISqlTabOptions {
  project: string | null;
  limit: number;
  timeout: number;
  session?: QuerySession;
}

/** One tab's state; `changed` fires on any change the views show. */
export class SqlTabModel {
  constructor(options: ISqlTabOptions) {
    this._project = options.project;
    this.limit = options.limit;
    this.timeout = options.timeout;
    this.session = options.session ?? new QuerySession();
    this.session.changed.connect(this._onSession, this);
  }

  readonly session: QuerySession;
  /** Row limit of the next run. */
  limit: number;
  /** Timeout of the next run (seconds). */
  timeout: number;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get project(): string | null {
    return this._project;
  }

  set project(value: string | null) {
    if (value !== this._project) {
      this._project = value;
      this._compiled = null;
      this._changed.emit();
    }
  }

  get tab(): ResultTab {
    return this._tab;
  }

  set tab(value: ResultTab) {
    if (value !== this._tab) {
      this._tab = value;
      this._changed.emit();
      if (value === 'profile') {
        void this.loadProfile();
      }
    }
  }

  get sort(): IGridSort {
    return this._sort;
  }

  /** Cycle a column's sort: ascending, descending, off. */
  toggleSort(column: string): void {
    this._sort = nextSort(this._sort, column);
    this._changed.emit();
  }

  /** The buffer line where the last run text started. */
  get runFirstLine(): number {
    return this._runFirstLine;
  }

  /** Bumped after each run so the history reloads. */
  get historyVersion(): number {
    return this._historyVersion;
  }

  get profile(): ISqlProfile | null {
    return this._profile;
  }

  get profileError(): string | null {
    return this._profileError;
  }

  get profileLoading(): boolean {
    return this._profileLoading;
  }

  /** The compiled SQL: the last query's, or an explicit compile's. */
  get compiled(): ICompiledSql | null {
    const query = this.session.query;
    if (query?.compiled_sql && query.method) {
      return { sql: query.compiled_sql, method: query.method, relations: [] };
    }
    return this._compiled;
  }

  get compileError(): string | null {
    return this._compileError;
  }

  /** Run `sql` (which starts at buffer line `firstLine`). */
  async run(sql: string, firstLine: number): Promise<void> {
    const project = this._project;
    if (!project || !sql.trim() || this.session.running) {
      return;
    }
    this._runFirstLine = firstLine;
    this._sort = { column: null, descending: false };
    this._profile = null;
    this._profileError = null;
    this._compiled = null;
    this._compileError = null;
    if (this._tab !== 'compiled') {
      this._tab = 'results';
    }
    await this.session.run({
      project,
      sql,
      limit: this.limit,
      timeout: this.timeout
    });
    this._historyVersion++;
    this._changed.emit();
    // The user may have switched to the profile while the query ran.
    if ((this._tab as ResultTab) === 'profile') {
      void this.loadProfile();
    }
  }

  /** Compile `sql` without running it (the Compiled tab's button). */
  async compile(sql: string): Promise<void> {
    const project = this._project;
    if (!project || !sql.trim()) {
      return;
    }
    this.session.reset();
    try {
      this._compiled = await api.compileSql(project, sql);
      this._compileError = null;
    } catch (error) {
      this._compiled = null;
      this._compileError = errorMessage(error);
    }
    this._tab = 'compiled';
    this._changed.emit();
  }

  /** Fetch the profile of the last successful result, once. */
  async loadProfile(): Promise<void> {
    const query = this.session.query;
    if (
      !query ||
      query.status !== 'success' ||
      this._profileLoading ||
      (this._profile && this._profileFor === query.id)
    ) {
      return;
    }
    this._profileLoading = true;
    this._profileFor = query.id;
    this._changed.emit();
    try {
      this._profile = await api.fetchQueryProfile(query.id);
      this._profileError = null;
    } catch (error) {
      this._profile = null;
      this._profileError = errorMessage(error);
    } finally {
      this._profileLoading = false;
      this._changed.emit();
    }
  }

  /** Read a page of the current result in the current sort. */
  fetchPage = async (offset: number, limit: number): Promise<SqlCell[][]> => {
    const query = this.session.query;
    if (!query) {
      return [];
    }
    const page = await api.fetchRows(query.id, {
      offset,
      limit,
      sort: this._sort.column,
      descending: this._sort.descending
    });
    return page.rows;
  };

  dispose(): void {
    this.session.dispose();
    Signal.clearData(this);
  }

  private _onSession(): void {
    this._changed.emit();
  }

  private _project: string | null;
  private _tab: ResultTab = 'results';
  private _sort: IGridSort = { column: null, descending: false };
  private _runFirstLine = 1;
  private _historyVersion = 0;
  private _profile: ISqlProfile | null = null;
  private _profileFor: string | null = null;
  private _profileError: string | null = null;
  private _profileLoading = false;
  private _compiled: ICompiledSql | null = null;
  private _compileError: string | null = null;
  private _changed = new Signal<this, void>(this);
}
