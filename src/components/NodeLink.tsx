import React from 'react';

import { resourceIcon } from '../icons';
import type { INodeRef } from '../tokens';

/** A node's icon and name, linking to its page. */
export function NodeLink(props: {
  node: Pick<INodeRef, 'unique_id' | 'name' | 'resource_type'>;
  onOpen: (uniqueId: string) => void;
}): JSX.Element {
  const { node } = props;
  const Icon = resourceIcon(node.resource_type);
  return (
    <>
      <Icon.react tag="span" className="jp-DbtWorkbench-nodeIcon" />
      <a
        href="#"
        data-unique-id={node.unique_id}
        title={node.unique_id}
        onClick={event => {
          event.preventDefault();
          props.onOpen(node.unique_id);
        }}
      >
        {node.name}
      </a>
    </>
  );
}
