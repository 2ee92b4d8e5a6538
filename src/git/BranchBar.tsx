import { InputDialog } from '@jupyterlab/apputils';
import { addIcon, refreshIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { permissionTitle } from '../permissions';
import type { SyncAction } from './api';
import { GitModel } from './model';

/** Why fetch, pull and push are disabled when there is no remote. */
const NO_REMOTE =
  'This repository has no remote: add one with `git remote add origin <url>`.';

/** Branch picker, ahead/behind and the remote buttons. */
export function BranchBar(props: { model: GitModel }): JSX.Element | null {
  const { model } = props;
  const status = model.status;
  if (!status) {
    return null;
  }
  const repo = status.repository;
  const denied = permissionTitle(model.workbench.permissions, 'git_write');
  const busy = model.activity !== null || denied !== undefined;
  const local = (model.branches?.branches ?? []).filter(b => !b.remote);
  const hasRemote = repo.remotes.length > 0;
  const current = repo.detached ? '' : (repo.branch ?? '');

  const createBranch = async (): Promise<void> => {
    const answer = await InputDialog.getText({
      title: 'Create a branch',
      label: `New branch from ${repo.branch ?? repo.head?.slice(0, 7) ?? 'HEAD'}, switched to at once`,
      placeholder: 'feature/my-change'
    });
    const name = answer.button.accept ? (answer.value ?? '').trim() : '';
    if (name) {
      await model.createBranch(name, true);
    }
  };

  const syncButton = (action: SyncAction, label: string, title: string) => (
    <button
      className="jp-Button jp-mod-styled jp-mod-reject jp-DbtWorkbench-gitSync"
      data-action={action}
      disabled={busy || !hasRemote}
      title={denied ?? (hasRemote ? title : NO_REMOTE)}
      onClick={() => void model.sync(action)}
    >
      {label}
    </button>
  );

  const pushTitle = repo.upstream
    ? `Push ${repo.branch} to ${repo.upstream}`
    : `Push ${repo.branch ?? 'HEAD'} and set its upstream`;

  return (
    <div className="jp-DbtWorkbench-gitBranchBar">
      <div className="jp-DbtWorkbench-gitBranchRow">
        <select
          className="jp-mod-styled jp-DbtWorkbench-gitBranchPicker"
          aria-label="Branch"
          title={denied ?? 'Switch branch'}
          value={current}
          disabled={busy}
          onChange={event => void model.checkout(event.target.value)}
        >
          {repo.detached || !repo.branch ? (
            <option value="">
              {repo.head
                ? `(detached at ${repo.head.slice(0, 7)})`
                : '(no commit yet)'}
            </option>
          ) : null}
          {local.length === 0 && repo.branch ? (
            <option value={repo.branch}>{repo.branch}</option>
          ) : null}
          {local.map(branch => (
            <option key={branch.name} value={branch.name}>
              {branch.name}
            </option>
          ))}
        </select>
        <button
          className="jp-DbtWorkbench-gitIconButton"
          title={denied ?? 'Create a branch'}
          aria-label="Create a branch"
          disabled={busy}
          onClick={() => void createBranch()}
        >
          <addIcon.react tag="span" />
        </button>
        <button
          className="jp-DbtWorkbench-gitIconButton"
          title="Refresh"
          aria-label="Refresh"
          onClick={() => void model.refresh()}
        >
          <refreshIcon.react tag="span" />
        </button>
      </div>
      {model.checkoutError ? (
        <div className="jp-DbtWorkbench-gitAlert" role="alert">
          {model.checkoutError}
        </div>
      ) : null}
      <div className="jp-DbtWorkbench-gitSyncRow">
        <span
          className="jp-DbtWorkbench-gitUpstream"
          title={
            repo.upstream
              ? `${repo.ahead} commit(s) to push, ${repo.behind} to pull (${repo.upstream})`
              : 'This branch has no upstream yet'
          }
        >
          {repo.upstream ? (
            <>
              <span data-ahead={repo.ahead}>↑{repo.ahead}</span>{' '}
              <span data-behind={repo.behind}>↓{repo.behind}</span>
            </>
          ) : hasRemote ? (
            'no upstream'
          ) : (
            'no remote'
          )}
        </span>
        {syncButton('fetch', 'Fetch', 'Fetch from the remote')}
        {syncButton('pull', 'Pull', `Pull ${repo.upstream ?? ''}`.trim())}
        {syncButton('push', 'Push', pushTitle)}
      </div>
      {model.activity ? (
        <div className="jp-DbtWorkbench-gitProgress" role="status">
          <div className="jp-DbtWorkbench-gitProgressBar" />
          <span>{model.activity}</span>
        </div>
      ) : null}
      {repo.merging ? (
        <div className="jp-DbtWorkbench-gitAlert" role="alert">
          A merge is in progress: resolve the conflicted files, stage them and
          commit.
        </div>
      ) : null}
    </div>
  );
}
