import React from 'react';

import { formatDuration } from '../format';
import {
  INodeRunState,
  nodeName,
  nodeResourceType,
  nodeTone,
  secondsBetween
} from '../model/runs';

/** The most rows drawn; a longer run shows its first ones. */
const MAX_ROWS = 2000;

/** Seconds a node took: dbt's execution time, else from its timestamps. */
function nodeSeconds(node: INodeRunState): number | null {
  if (node.execution_time !== null) {
    return node.execution_time;
  }
  return secondsBetween(node.started_at, node.finished_at);
}

/** Props of {@link RunNodesTable}. */
export interface IRunNodesTableProps {
  nodes: readonly INodeRunState[];
  onOpenNode: (uniqueId: string) => void;
}

/** The run's nodes in dbt's order with their status, time and message. */
export function RunNodesTable(props: IRunNodesTableProps): JSX.Element {
  if (props.nodes.length === 0) {
    return <p className="jp-DbtWorkbench-muted">No node has started yet.</p>;
  }
  return (
    <>
      <table className="jp-DbtWorkbench-table jp-DbtWorkbench-runNodes">
        <thead>
          <tr>
            <th>#</th>
            <th>Node</th>
            <th>Type</th>
            <th>Status</th>
            <th>Time</th>
            <th>Rows / failures</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {props.nodes.slice(0, MAX_ROWS).map(node => (
            <tr
              key={node.unique_id}
              data-unique-id={node.unique_id}
              data-status={node.status ?? 'pending'}
              data-tone={nodeTone(node.status)}
            >
              <td className="jp-DbtWorkbench-muted">{node.index ?? ''}</td>
              <td>
                <a
                  href="#"
                  className="jp-DbtWorkbench-fileLink"
                  title={node.unique_id}
                  onClick={event => {
                    event.preventDefault();
                    props.onOpenNode(node.unique_id);
                  }}
                >
                  {nodeName(node)}
                </a>
              </td>
              <td>{nodeResourceType(node)}</td>
              <td>
                <span
                  className="jp-DbtWorkbench-runNodeStatus"
                  data-tone={nodeTone(node.status)}
                >
                  {node.status ?? 'pending'}
                </span>
              </td>
              <td>{formatDuration(nodeSeconds(node))}</td>
              <td>{node.rows_affected ?? node.failures ?? ''}</td>
              <td className="jp-DbtWorkbench-runNodeMessage">
                {node.message ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.nodes.length > MAX_ROWS ? (
        <p className="jp-DbtWorkbench-muted">
          Showing the first {MAX_ROWS} of {props.nodes.length} nodes.
        </p>
      ) : null}
    </>
  );
}
