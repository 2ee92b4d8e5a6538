import React from 'react';

/** The class of one line of a unified diff. */
function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) {
    return 'jp-DbtWorkbench-diffFile';
  }
  if (line.startsWith('@@')) {
    return 'jp-DbtWorkbench-diffHunk';
  }
  if (line.startsWith('+')) {
    return 'jp-DbtWorkbench-diffAdded';
  }
  if (line.startsWith('-')) {
    return 'jp-DbtWorkbench-diffRemoved';
  }
  return 'jp-DbtWorkbench-diffContext';
}

/** A unified diff, one coloured line per row. */
export function DiffView(props: { diff: string }): JSX.Element {
  const lines = props.diff.replace(/\n$/, '').split('\n');
  if (!props.diff) {
    return (
      <p className="jp-DbtWorkbench-diffEmpty">
        Nothing would change: the file already says this.
      </p>
    );
  }
  return (
    <pre className="jp-DbtWorkbench-diff" aria-label="Changes to the file">
      {lines.map((line, index) => (
        <div key={index} className={lineClass(line)}>
          {line || ' '}
        </div>
      ))}
    </pre>
  );
}
