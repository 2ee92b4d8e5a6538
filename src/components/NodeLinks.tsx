import React from 'react';

import { resourceIcon } from '../icons';
import type { INodeRef } from '../tokens';
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
        props.nodes.map(ref => {
          const Icon = resourceIcon(ref.resource_type);
          return (
            <li key={ref.unique_id}>
              <Icon.react tag="span" className="jp-DbtWorkbench-nodeIcon" />
              <a
                href="#"
                data-unique-id={ref.unique_id}
                title={ref.unique_id}
                onClick={event => {
                  event.preventDefault();
                  props.onOpen(ref.unique_id);
                }}
              >
                {ref.name}
              </a>
              <span className="jp-DbtWorkbench-muted">{ref.resource_type}</span>
              <StatusBadge status={ref.status} />
            </li>
          );
        })
      )}
    </ul>
  );
}
