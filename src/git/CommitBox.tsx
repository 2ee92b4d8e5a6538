import React, { useState } from 'react';

/** Props of {@link CommitBox}. */
export interface ICommitBoxProps {
  stagedCount: number;
  busy: boolean;
  /** Why the role cannot commit; undefined when it can. */
  denied?: string;
  /** Resolves to whether the commit was made (the box then empties). */
  onCommit: (message: string) => Promise<boolean>;
}

/** The commit message and button; Ctrl/Cmd+Enter in the box commits. */
export function CommitBox(props: ICommitBoxProps): JSX.Element {
  const [message, setMessage] = useState('');
  const ready =
    message.trim() !== '' &&
    props.stagedCount > 0 &&
    !props.busy &&
    props.denied === undefined;
  const submit = async (): Promise<void> => {
    if (ready && (await props.onCommit(message.trim()))) {
      setMessage('');
    }
  };
  const why =
    props.denied ??
    (props.stagedCount === 0
      ? 'Stage the files to commit first'
      : message.trim() === ''
        ? 'Write a commit message first'
        : `Commit ${props.stagedCount} staged file(s) (Ctrl/Cmd+Enter)`);
  return (
    <div className="jp-DbtWorkbench-gitCommitBox">
      <textarea
        className="jp-mod-styled"
        aria-label="Commit message"
        placeholder="Commit message (required)"
        rows={3}
        value={message}
        onChange={event => setMessage(event.target.value)}
        onKeyDown={event => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            // Only this box's own shortcut: never a global one.
            event.preventDefault();
            event.stopPropagation();
            void submit();
          }
        }}
      />
      <button
        className="jp-Button jp-mod-styled jp-mod-accept"
        disabled={!ready}
        title={why}
        onClick={() => void submit()}
      >
        Commit
        {props.stagedCount > 0 ? ` ${props.stagedCount} file(s)` : ''}
      </button>
    </div>
  );
}
