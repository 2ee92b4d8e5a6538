import React from 'react';

import {
  FileGroup,
  GROUP_ORDER,
  GROUP_TITLES,
  groupFiles,
  splitPath,
  statusLetter
} from './files';
import type { IChangedFile } from './types';

/** Props of {@link FileList}. */
export interface IFileListProps {
  files: readonly IChangedFile[];
  busy: boolean;
  /** Why the role cannot stage or unstage; undefined when it can. */
  denied?: string;
  onStage: (paths: string[]) => void;
  onUnstage: (paths: string[]) => void;
  /** Open a file's diff; `staged` picks the index's version. */
  onOpen: (file: IChangedFile, staged: boolean) => void;
}

/** The changed files, grouped Conflicted / Staged / Changes / Untracked. */
export function FileList(props: IFileListProps): JSX.Element {
  const groups = groupFiles(props.files);
  return (
    <div className="jp-DbtWorkbench-gitFiles">
      {GROUP_ORDER.filter(group => groups[group].length > 0).map(group => (
        <FileGroupList
          key={group}
          {...props}
          group={group}
          groupFiles={groups[group]}
        />
      ))}
    </div>
  );
}

function FileGroupList(
  props: IFileListProps & { group: FileGroup; groupFiles: IChangedFile[] }
): JSX.Element {
  const { group, groupFiles: files, denied } = props;
  const busy = props.busy || denied !== undefined;
  const staged = group === 'staged';
  const paths = files.map(file => file.path);
  const toggleAll = (): void =>
    staged ? props.onUnstage(paths) : props.onStage(paths);
  return (
    <div className="jp-DbtWorkbench-gitGroup" data-group={group}>
      <div className="jp-DbtWorkbench-gitGroupHeader">
        <span className="jp-DbtWorkbench-gitGroupTitle">
          {GROUP_TITLES[group]} <span>({files.length})</span>
        </span>
        <button
          className="jp-DbtWorkbench-gitLink"
          disabled={busy}
          onClick={toggleAll}
          title={
            denied ??
            (staged
              ? 'Unstage every staged file'
              : `Stage every file listed under ${GROUP_TITLES[group]}`)
          }
        >
          {staged ? 'Unstage all' : 'Stage all'}
        </button>
      </div>
      <ul>
        {files.map(file => {
          const { name, folder } = splitPath(file.path);
          const letter = statusLetter(file, group);
          return (
            <li
              key={file.path}
              className="jp-DbtWorkbench-gitFile"
              data-path={file.path}
              data-in-project={file.in_project}
            >
              <input
                type="checkbox"
                checked={staged}
                disabled={busy}
                aria-label={
                  staged ? `Unstage ${file.path}` : `Stage ${file.path}`
                }
                title={denied ?? (staged ? 'Unstage' : 'Stage')}
                onChange={() =>
                  staged
                    ? props.onUnstage([file.path])
                    : props.onStage([file.path])
                }
              />
              <button
                className="jp-DbtWorkbench-gitFileName"
                title={
                  (file.old_path ? `${file.old_path} → ` : '') +
                  file.path +
                  (file.in_project ? '' : ' (outside the dbt project)')
                }
                onClick={() => props.onOpen(file, staged)}
              >
                <span>{name}</span>
                {folder ? (
                  <span className="jp-DbtWorkbench-gitFolder">{folder}</span>
                ) : null}
              </button>
              <span
                className="jp-DbtWorkbench-gitLetter"
                data-letter={letter.letter}
                title={letter.title}
              >
                {letter.letter}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
