import { ReactWidget } from '@jupyterlab/ui-components';
import React, { useEffect, useState } from 'react';

import { Spinner } from '../components/Spinner';
import { errorMessage } from '../notify';
import { fetchSuggestions } from './api';
import { IQualitySuggestions, ITestSuggestion } from './types';

type RowState = 'idle' | 'busy' | 'added';

interface ISuggestionsProps {
  project: string;
  node: string;
  canAdd: boolean;
  disabledMessage: string | null;
  /** Preview, confirm and save one suggestion; resolves true once saved. */
  onAdd: (suggestion: ITestSuggestion) => Promise<boolean>;
}

/** A one-line summary of a test's arguments. */
function argumentsText(suggestion: ITestSuggestion): string {
  const args = suggestion.arguments;
  if (suggestion.test === 'accepted_values') {
    return (args.values as unknown[]).map(String).join(', ');
  }
  if (suggestion.test === 'relationships') {
    return `to ${String(args.to)}, field ${String(args.field)}`;
  }
  return '';
}

function SuggestionsList(props: ISuggestionsProps): JSX.Element {
  const [result, setResult] = useState<IQualitySuggestions | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<Record<number, RowState>>({});

  useEffect(() => {
    let live = true;
    fetchSuggestions(props.project, props.node)
      .then(found => live && setResult(found))
      .catch(failure => live && setError(errorMessage(failure)));
    return () => {
      live = false;
    };
  }, [props.project, props.node]);

  if (error) {
    return (
      <div className="jp-DbtWorkbench-suggestionsError" role="alert">
        {error}
      </div>
    );
  }
  if (!result) {
    return <Spinner label="Profiling the columns in the warehouse…" />;
  }
  const add = async (index: number, suggestion: ITestSuggestion) => {
    setRows(current => ({ ...current, [index]: 'busy' }));
    const saved = await props.onAdd(suggestion);
    setRows(current => ({ ...current, [index]: saved ? 'added' : 'idle' }));
  };
  return (
    <div className="jp-DbtWorkbench-suggestions">
      <p>
        {result.rows.toLocaleString()} rows in <code>{result.relation}</code>,{' '}
        {result.columns.length} columns profiled in{' '}
        {Math.round(result.elapsed_ms)} ms.
      </p>
      {!props.canAdd && props.disabledMessage && (
        <p className="jp-DbtWorkbench-metadataHint">{props.disabledMessage}</p>
      )}
      {result.suggestions.length === 0 ? (
        <p>
          No new test to suggest: the columns have the tests their data passes.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Column</th>
              <th>Test</th>
              <th>Evidence</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {result.suggestions.map((suggestion, index) => {
              const state = rows[index] ?? 'idle';
              const args = argumentsText(suggestion);
              return (
                <tr
                  key={index}
                  data-column={suggestion.column}
                  data-test={suggestion.test}
                >
                  <td>
                    <code>{suggestion.column}</code>
                  </td>
                  <td>
                    {suggestion.test}
                    {args && (
                      <div className="jp-DbtWorkbench-suggestionArgs">
                        {args}
                      </div>
                    )}
                  </td>
                  <td>{suggestion.evidence}</td>
                  <td>
                    {props.canAdd && (
                      <button
                        className="jp-mod-styled jp-mod-accept"
                        disabled={state !== 'idle'}
                        onClick={() => void add(index, suggestion)}
                      >
                        {state === 'added'
                          ? 'Added'
                          : state === 'busy'
                            ? 'Adding…'
                            : 'Add'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The suggestions as a dialog body. */
export class SuggestionsBody extends ReactWidget {
  constructor(private readonly _props: ISuggestionsProps) {
    super();
    this.addClass('jp-DbtWorkbench-suggestionsDialog');
  }

  protected render(): JSX.Element {
    return <SuggestionsList {...this._props} />;
  }
}
