import React from 'react';

import type { INodeRef } from '../tokens';
import { NodeLink } from './NodeLink';
import { StatusBadge } from './StatusBadge';

/** Props of {@link NodeLinks}. */
export interface INodeLinksProps {
  direction: 'upstream' | 'downstream';
  nodes: readonly INodeRef[];
  onOpen: (uniqueId: string) => void;
}

/** The direct parents or children of a node, as links to their pages. */
export function NodeLinks(props: INodeLinksProps): JSX.Element {
  return (
    <ul className={`jp-DbtWorkbench-${props.direction} jp-DbtWorkbench-links`}>
      {props.nodes.length === 0 ? (
        <li className="jp-DbtWorkbench-muted">None</li>
      ) : (
        props.nodes.map(ref => (
          <li key={ref.unique_id}>
            <NodeLink node={ref} onOpen={props.onOpen} />
            <span className="jp-DbtWorkbench-muted">{ref.resource_type}</span>
            <StatusBadge status={ref.status} />
          </li>
        ))
      )}
    </ul>
  );
}
