import React from 'react';

/** Why there is nothing to show. */
export type EmptyReason = 'no_projects' | 'artifacts_not_loaded' | 'error';

/** Props of {@link EmptyState}. */
export interface IEmptyStateProps {
  reason: EmptyReason;
  /** The server's own message, shown under the advice. */
  message?: string;
  /** The project that has no manifest (for `artifacts_not_loaded`). */
  projectName?: string;
}

/** What the user should do when the side panel has nothing to show. */
export function EmptyState(props: IEmptyStateProps): JSX.Element {
  return (
    <div className="jp-DbtWorkbench-empty" data-reason={props.reason}>
      {advice(props)}
      {props.message ? (
        <p className="jp-DbtWorkbench-emptyDetail">{props.message}</p>
      ) : null}
    </div>
  );
}

function advice(props: IEmptyStateProps): JSX.Element {
  switch (props.reason) {
    case 'no_projects':
      return (
        <>
          <h3>No dbt project found</h3>
          <p>
            Open JupyterLab in a folder that contains a dbt project (a folder
            with a <code>dbt_project.yml</code>), or try the demo:
          </p>
          <pre>jupyter dbt-workbench demo</pre>
          <p>Then press the refresh button above to look again.</p>
        </>
      );
    case 'artifacts_not_loaded':
      return (
        <>
          <h3>
            {props.projectName
              ? `${props.projectName} has no manifest yet`
              : 'This project has no manifest yet'}
          </h3>
          <p>
            Run <code>dbt parse</code> (or <code>dbt build</code>) in the
            project folder; the workbench picks up the new artifacts by itself.
          </p>
        </>
      );
    case 'error':
      return (
        <>
          <h3>The dbt Workbench API is not answering</h3>
          <p>
            Check that the server extension{' '}
            <code>jupyterlab_dbt_workbench</code> is installed and enabled, then
            refresh.
          </p>
        </>
      );
  }
}
