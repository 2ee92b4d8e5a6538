/**
 * The dbt Git side panel and its main-area pages (diffs, commits).
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { LabIcon, ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import React from 'react';

import { CommitView } from './CommitView';
import { DiffPanel } from './DiffView';
import { GitView, IGitActions } from './GitView';
import { GitModel } from './model';
import type { ICommitDetail, IFileDiff } from './types';

/** The id of the dbt Git side panel. */
export const GIT_PANEL_ID = 'dbt-workbench-git';

/**
 * A branch whose tip is the workbench's orange petal, so it is told apart
 * from jupyterlab-git's diamond in the side bar.
 */
export const gitIcon = new LabIcon({
  name: 'dbt-workbench:git',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M6 2a3 3 0 0 1 1 5.8v8.4a3 3 0 1 1-2 0V7.8A3 3 0 0 1 6 2zm0 2a1 1 0 1 0 0 2 1 1 0 0 0 0-2zm0 14a1 1 0 1 0 0 2 1 1 0 0 0 0-2zm1-3.5c0-3 2-4.5 5-4.5h2v2h-2c-2 0-3 1-3 2.5z"/>' +
    '<path class="jp-icon-warn0" fill="#E65100" d="M18 5.5c2.6-.4 4 1 3.6 3.6-.3 1.8-1.9 3.2-3.6 4.4-1.7-1.2-3.3-2.6-3.6-4.4-.4-2.6 1-4 3.6-3.6z"/>' +
    '</svg>'
});

/** The side panel; the model polls only while it is shown. */
export class GitPanel extends ReactWidget {
  constructor(
    readonly model: GitModel,
    private readonly _actions: IGitActions
  ) {
    super();
    this.id = GIT_PANEL_ID;
    this.addClass('jp-DbtWorkbench-gitPanel');
    this.title.icon = gitIcon;
    this.title.caption = 'dbt Git';
  }

  render(): JSX.Element {
    return <GitView model={this.model} actions={this._actions} />;
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.visible = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.model.visible = false;
  }
}

/** The id of the page of a working tree or staged diff. */
export function diffPageId(
  project: string,
  path: string,
  version: string
): string {
  return `dbt-workbench-git-diff:${project}:${version}:${path}`;
}

/** The id of a commit's page. */
export function commitPageId(project: string, sha: string): string {
  return `dbt-workbench-git-commit:${project}:${sha}`;
}

/** A diff as a main-area page. */
export function createDiffPage(options: {
  id: string;
  path: string;
  label: string;
  load: () => Promise<IFileDiff>;
  reloadable: boolean;
}): MainAreaWidget {
  const content = ReactWidget.create(
    <DiffPanel load={options.load} reloadable={options.reloadable} />
  );
  content.addClass('jp-DbtWorkbench-gitDiff');
  const widget = new MainAreaWidget({ content });
  widget.id = options.id;
  widget.title.label = options.label;
  widget.title.caption = options.path;
  widget.title.icon = gitIcon;
  widget.title.closable = true;
  return widget;
}

/** A commit's detail as a main-area page. */
export function createCommitPage(options: {
  id: string;
  short: string;
  load: () => Promise<ICommitDetail>;
  onOpenDiff: (detail: ICommitDetail, file: IFileDiff) => void;
}): MainAreaWidget {
  const content = ReactWidget.create(
    <CommitView load={options.load} onOpenDiff={options.onOpenDiff} />
  );
  content.addClass('jp-DbtWorkbench-gitCommit');
  const widget = new MainAreaWidget({ content });
  widget.id = options.id;
  widget.title.label = `Commit ${options.short}`;
  widget.title.icon = gitIcon;
  widget.title.closable = true;
  return widget;
}
