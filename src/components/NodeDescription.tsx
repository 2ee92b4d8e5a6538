import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { Markdown } from './Markdown';

/** The name of a docs block from its unique id (`doc.<package>.<name>`). */
function blockName(uniqueId: string): string {
  return uniqueId.split('.').slice(2).join('.') || uniqueId;
}

/**
 * A description rendered as Markdown, with the docs blocks it uses and,
 * when the server resolved `{{ doc() }}` calls, the text as written.
 */
export function NodeDescription(props: {
  description: string;
  raw: string;
  docBlocks: readonly string[];
  rendermime: IRenderMimeRegistry;
}): JSX.Element {
  if (!props.description.trim()) {
    return (
      <p className="jp-DbtWorkbench-description jp-DbtWorkbench-muted">
        No description: add a <code>description</code> to this node in its YAML
        file.
      </p>
    );
  }
  return (
    <>
      <Markdown
        className="jp-DbtWorkbench-description"
        source={props.description}
        rendermime={props.rendermime}
      />
      {props.docBlocks.length ? (
        <p className="jp-DbtWorkbench-docBlocks jp-DbtWorkbench-muted">
          Docs blocks:{' '}
          {props.docBlocks.map(block => (
            <code key={block} title={block}>
              {blockName(block)}
            </code>
          ))}
        </p>
      ) : null}
      {props.raw && props.raw !== props.description ? (
        <details className="jp-DbtWorkbench-rawDescription">
          <summary>As written</summary>
          <pre>{props.raw}</pre>
        </details>
      ) : null}
    </>
  );
}
