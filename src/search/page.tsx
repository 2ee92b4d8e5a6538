import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import React from 'react';

import { dbtIcon } from '../icons';
import { WorkbenchModel } from '../model/workbench';
import { SearchPageView } from './SearchPageView';

/** The id of the search page (there is one, reused by every search). */
export const SEARCH_PAGE_ID = 'dbt-workbench-search';

/**
 * What the search page was asked to show: a query and a project. The view
 * owns the text box and filters; a new request replaces its text.
 */
export class SearchRequest {
  private _query = '';
  private _project: string | null = null;
  private _serial = 0;
  private _changed = new Signal<this, void>(this);

  /** The query last asked for. */
  get query(): string {
    return this._query;
  }

  /** The project asked for; null follows the side panel's project. */
  get project(): string | null {
    return this._project;
  }

  /** Counts requests, so asking for the same query twice still applies it. */
  get serial(): number {
    return this._serial;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Ask for `query` (and `project`, when given) and tell the view. */
  set(query: string, project: string | null): void {
    this._query = query;
    this._project = project;
    this._serial += 1;
    this._changed.emit();
  }

  /** Remember what the user typed, for layout restoration. */
  remember(query: string): void {
    this._query = query;
  }
}

/** Options of {@link createSearchPage}. */
export interface ISearchPageOptions {
  model: WorkbenchModel;
  request: SearchRequest;
  onOpen: (project: string, uniqueId: string) => void;
}

/** The search page's body; focuses its query box when activated. */
class SearchPageBody extends ReactWidget {
  constructor(private _options: ISearchPageOptions) {
    super();
    this.addClass('jp-DbtWorkbench-searchPage');
  }

  protected render(): JSX.Element {
    return <SearchPageView {...this._options} />;
  }

  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    this.node.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
  }
}

/** The full search page as a main-area widget. */
export function createSearchPage(options: ISearchPageOptions): MainAreaWidget {
  const widget = new MainAreaWidget({ content: new SearchPageBody(options) });
  widget.id = SEARCH_PAGE_ID;
  widget.title.label = 'dbt Search';
  widget.title.icon = dbtIcon;
  widget.title.closable = true;
  return widget;
}
