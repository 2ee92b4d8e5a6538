import React from 'react';

import type { ISqlError } from './types';

/** What each kind of failure is called. */
const TITLES: Record<ISqlError['kind'], string> = {
  syntax: 'Syntax error',
  unknown_relation: 'Unknown relation',
  write_refused: 'Write refused',
  timeout: 'Timed out',
  busy: 'Warehouse busy',
  warehouse: 'Query failed',
  compile: 'Compilation failed'
};

/** Props of {@link ErrorView}. */
export interface IErrorViewProps {
  error: ISqlError;
  /** The buffer line of the error (the run text may start below line 1). */
  bufferLine: number | null;
  onShowLine: () => void;
  /** Replace the unknown name with a suggestion. */
  onSuggestion: (name: string) => void;
  /** Run the same query again (offered when waiting may help). */
  onRetry: () => void;
}

/** A query's failure: what happened, where, and what to do. */
export function ErrorView(props: IErrorViewProps): JSX.Element {
  const { error, bufferLine } = props;
  return (
    <div
      className="jp-DbtWorkbench-sqlError"
      role="alert"
      data-kind={error.kind}
    >
      <div className="jp-DbtWorkbench-sqlErrorTitle">{TITLES[error.kind]}</div>
      <pre className="jp-DbtWorkbench-sqlErrorMessage">{error.message}</pre>
      {bufferLine !== null && (
        <button className="jp-DbtWorkbench-sqlLink" onClick={props.onShowLine}>
          Line {bufferLine}
          {error.column !== null ? `, column ${error.column}` : ''}
        </button>
      )}
      {error.suggestions.length > 0 && (
        <div className="jp-DbtWorkbench-sqlSuggestions">
          <span>Did you mean:</span>
          {error.suggestions.map(name => (
            <button
              key={name}
              className="jp-DbtWorkbench-sqlSuggestion"
              title={`Replace the unknown name with ${name}`}
              onClick={() => props.onSuggestion(name)}
            >
              {name}
            </button>
          ))}
        </div>
      )}
      {error.kind === 'write_refused' && (
        <p className="jp-DbtWorkbench-sqlNote">
          The SQL workspace only reads the warehouse: builds belong to dbt runs.
          To allow writes, start the server with{' '}
          <code>--DbtWorkbench.allow_sql_writes=True</code>.
        </p>
      )}
      {(error.kind === 'busy' || error.kind === 'timeout') && (
        <button className="jp-DbtWorkbench-sqlButton" onClick={props.onRetry}>
          Run again
        </button>
      )}
    </div>
  );
}
