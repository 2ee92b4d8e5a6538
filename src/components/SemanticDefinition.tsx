import React from 'react';

import type { ISemanticInfo } from '../tokens';

/** How a metric, semantic model or saved query is defined. */
export function SemanticDefinition(props: {
  semantic: ISemanticInfo;
}): JSX.Element {
  const { semantic } = props;
  const entries = Object.entries(semantic.definition);
  return (
    <div className="jp-DbtWorkbench-semantic">
      <dl className="jp-DbtWorkbench-facts">
        {semantic.label ? (
          <>
            <dt>Label</dt>
            <dd>{semantic.label}</dd>
          </>
        ) : null}
        {semantic.type ? (
          <>
            <dt>Type</dt>
            <dd>{semantic.type}</dd>
          </>
        ) : null}
      </dl>
      {entries.length ? (
        <pre className="jp-DbtWorkbench-definition">
          {JSON.stringify(semantic.definition, null, 2)}
        </pre>
      ) : (
        <p className="jp-DbtWorkbench-muted">
          The manifest gives no definition.
        </p>
      )}
    </div>
  );
}
