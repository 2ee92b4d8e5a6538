import React from 'react';

import { ProjectPicker } from '../components/ProjectPicker';
import { useSignal } from '../components/hooks';
import { permissionTitle } from '../permissions';
import { BranchBar } from './BranchBar';
import { CommitBox } from './CommitBox';
import { FileList } from './FileList';
import { HistoryList } from './HistoryList';
import { ImpactSection } from './ImpactSection';
import { GitModel } from './model';
import type { IChangedFile } from './types';

/** What the panel asks the rest of the workbench to do. */
export interface IGitActions {
  openDiff: (project: string, file: IChangedFile, staged: boolean) => void;
  openCommit: (project: string, sha: string) => void;
  openNode: (project: string, uniqueId: string) => void;
  buildModified: () => void;
}

/** The dbt Git side panel. */
export function GitView(props: {
  model: GitModel;
  actions: IGitActions;
}): JSX.Element {
  const { model, actions } = props;
  useSignal(model.changed);
  useSignal(model.workbench.changed);
  const workbench = model.workbench;
  return (
    <div className="jp-DbtWorkbench-git">
      <header className="jp-DbtWorkbench-gitHeader">
        <h2>dbt Git</h2>
        {workbench.projects.length > 1 ? (
          <ProjectPicker
            projects={workbench.projects}
            value={workbench.currentProjectId}
            onChange={id => (workbench.currentProjectId = id)}
          />
        ) : null}
      </header>
      <Body model={model} actions={actions} />
    </div>
  );
}

function Body(props: { model: GitModel; actions: IGitActions }): JSX.Element {
  const { model, actions } = props;
  const project = model.project;
  const status = model.status;
  switch (model.state) {
    case 'loading':
      return (
        <p className="jp-DbtWorkbench-gitEmpty">Reading the repository…</p>
      );
    case 'no_project':
      return (
        <p className="jp-DbtWorkbench-gitEmpty">
          No dbt project: open JupyterLab in a folder that holds one.
        </p>
      );
    case 'not_repository':
      return (
        <div
          className="jp-DbtWorkbench-gitEmptyState"
          data-state="not-repository"
        >
          <h3>Not a Git repository</h3>
          <p>{model.message}</p>
          <p>
            Create one in a terminal in the project folder with{' '}
            <code>git init</code>, then refresh this panel.
          </p>
          <button
            className="jp-Button jp-mod-styled jp-mod-reject"
            onClick={() => void model.refresh()}
          >
            Refresh
          </button>
        </div>
      );
    case 'error':
      if (!status) {
        return (
          <div className="jp-DbtWorkbench-gitEmptyState" role="alert">
            <p>{model.message}</p>
            <button
              className="jp-Button jp-mod-styled jp-mod-reject"
              onClick={() => void model.refresh()}
            >
              Retry
            </button>
          </div>
        );
      }
      break;
  }
  if (!status || !project) {
    return <p className="jp-DbtWorkbench-gitEmpty">Reading the repository…</p>;
  }
  const busy = model.activity !== null;
  const denied = permissionTitle(model.workbench.permissions, 'git_write');
  const staged = status.files.filter(f => f.staged && !f.conflicted).length;
  return (
    <div className="jp-DbtWorkbench-gitBody">
      <div className="jp-DbtWorkbench-gitRepo" title={status.repository.root}>
        {status.repository.root}
      </div>
      <BranchBar model={model} />
      <details
        open
        className="jp-DbtWorkbench-gitSection"
        data-section="changes"
      >
        <summary>Changes ({status.files.length})</summary>
        {status.clean ? (
          <p className="jp-DbtWorkbench-gitEmpty" data-state="clean">
            Nothing to commit: the working tree is clean.
          </p>
        ) : (
          <FileList
            files={status.files}
            busy={busy}
            denied={denied}
            onStage={paths => void model.stage(paths)}
            onUnstage={paths => void model.unstage(paths)}
            onOpen={(file, inIndex) => actions.openDiff(project, file, inIndex)}
          />
        )}
        <CommitBox
          stagedCount={staged}
          busy={busy}
          denied={denied}
          onCommit={message => model.commit(message)}
        />
      </details>
      <details
        open
        className="jp-DbtWorkbench-gitSection"
        data-section="impact"
      >
        <summary>dbt impact</summary>
        <ImpactSection
          model={model}
          onOpenNode={uniqueId => actions.openNode(project, uniqueId)}
          onBuild={actions.buildModified}
        />
      </details>
      <details
        open
        className="jp-DbtWorkbench-gitSection"
        data-section="history"
      >
        <summary>History</summary>
        <HistoryList
          commits={model.commits}
          total={model.commitTotal}
          onOpen={sha => actions.openCommit(project, sha)}
          onMore={() => void model.loadMoreCommits()}
        />
      </details>
    </div>
  );
}
