import React from 'react';

import { formatTime } from '../format';
import type { ICommitInfo } from './types';

/** Props of {@link HistoryList}. */
export interface IHistoryListProps {
  commits: readonly ICommitInfo[];
  total: number | null;
  onOpen: (sha: string) => void;
  onMore: () => void;
}

/** The newest commits of HEAD; a click opens the commit's detail. */
export function HistoryList(props: IHistoryListProps): JSX.Element {
  const { commits, total } = props;
  if (commits.length === 0) {
    return <p className="jp-DbtWorkbench-gitEmpty">No commit yet.</p>;
  }
  const more = total === null ? false : commits.length < total;
  return (
    <>
      <ul className="jp-DbtWorkbench-gitHistory">
        {commits.map(commit => (
          <li key={commit.sha} data-sha={commit.sha}>
            <button
              className="jp-DbtWorkbench-gitRow"
              title={`${commit.message}\n${commit.author} <${commit.email}>`}
              onClick={() => props.onOpen(commit.sha)}
            >
              <span className="jp-DbtWorkbench-gitSummary">
                {commit.summary}
              </span>
              <span className="jp-DbtWorkbench-gitMeta">
                <code>{commit.short}</code> {commit.author} ·{' '}
                {formatTime(commit.date)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {more ? (
        <button className="jp-DbtWorkbench-gitLink" onClick={props.onMore}>
          Show older commits ({(total ?? 0) - commits.length} more)
        </button>
      ) : null}
    </>
  );
}
