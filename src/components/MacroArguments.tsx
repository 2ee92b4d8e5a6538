import React from 'react';

import type { IMacroArgument } from '../tokens';

/** The documented arguments of a macro. */
export function MacroArguments(props: {
  arguments: readonly IMacroArgument[];
}): JSX.Element {
  if (props.arguments.length === 0) {
    return (
      <p className="jp-DbtWorkbench-muted">
        No documented arguments (describe them under <code>arguments:</code> in
        the macro's YAML).
      </p>
    );
  }
  return (
    <table className="jp-DbtWorkbench-table jp-DbtWorkbench-macroArguments">
      <thead>
        <tr>
          <th>Argument</th>
          <th>Type</th>
          <th>Description</th>
        </tr>
      </thead>
      <tbody>
        {props.arguments.map(argument => (
          <tr key={argument.name}>
            <td>
              <code>{argument.name}</code>
            </td>
            <td>{argument.type ?? ''}</td>
            <td>{argument.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
