import React, { useEffect, useState } from 'react';

import { formatTime } from '../format';
import { errorMessage } from '../notify';
import type { ICommitDetail, IFileDiff } from './types';

/** Props of {@link CommitView}. */
export interface ICommitViewProps {
  load: () => Promise<ICommitDetail>;
  onOpenDiff: (detail: ICommitDetail, file: IFileDiff) => void;
}

/** A main-area page: one commit, its message and its changed files. */
export function CommitView(props: ICommitViewProps): JSX.Element {
  const [detail, setDetail] = useState<ICommitDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    props.load().then(
      value => live && setDetail(value),
      reason => live && setError(errorMessage(reason))
    );
    return () => {
      live = false;
    };
  }, [props.load]);
  if (error) {
    return (
      <div className="jp-DbtWorkbench-gitCommitPage" role="alert">
        <p>{error}</p>
      </div>
    );
  }
  if (!detail) {
    return (
      <div className="jp-DbtWorkbench-gitCommitPage">
        <p className="jp-DbtWorkbench-gitEmpty">Reading the commit…</p>
      </div>
    );
  }
  const { commit, files } = detail;
  return (
    <div className="jp-DbtWorkbench-gitCommitPage" data-sha={commit.sha}>
      <h2>{commit.summary}</h2>
      <dl className="jp-DbtWorkbench-gitCommitFacts">
        <dt>Commit</dt>
        <dd>
          <code>{commit.sha}</code>
        </dd>
        <dt>Author</dt>
        <dd>
          {commit.author} &lt;{commit.email}&gt;
        </dd>
        <dt>Date</dt>
        <dd>{formatTime(commit.date)}</dd>
        {commit.parents.length > 0 ? (
          <>
            <dt>{commit.parents.length > 1 ? 'Parents' : 'Parent'}</dt>
            <dd>
              {commit.parents.map(parent => (
                <code key={parent}>{parent.slice(0, 7)} </code>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      {commit.message.trim() !== commit.summary.trim() ? (
        <pre className="jp-DbtWorkbench-gitMessage">{commit.message}</pre>
      ) : null}
      <h3>{files.length} changed file(s)</h3>
      <ul className="jp-DbtWorkbench-gitCommitFiles">
        {files.map(file => (
          <li key={file.path} data-path={file.path}>
            <button
              className="jp-DbtWorkbench-gitRow"
              onClick={() => props.onOpenDiff(detail, file)}
            >
              <span
                className="jp-DbtWorkbench-gitLetter"
                data-letter={file.change[0].toUpperCase()}
                title={file.change}
              >
                {file.change[0].toUpperCase()}
              </span>
              <span className="jp-DbtWorkbench-gitCommitPath">
                {file.old_path ? `${file.old_path} → ${file.path}` : file.path}
              </span>
              <span className="jp-DbtWorkbench-gitDiffCounts">
                <span data-kind="added">+{file.additions}</span>{' '}
                <span data-kind="removed">−{file.deletions}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
