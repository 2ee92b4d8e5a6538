import React from 'react';

import type { ICapped } from '../catalog/types';
import { resourceIcon } from '../icons';
import type { INodeRef } from '../tokens';

/** A capped list of nodes linking to their pages, saying how many are left out. */
export function DashboardNodeList(props: {
  list: ICapped<INodeRef>;
  empty: string;
  onOpen: (uniqueId: string) => void;
}): JSX.Element {
  const { list } = props;
  if (list.total === 0) {
    return <p className="jp-DbtWorkbench-muted">{props.empty}</p>;
  }
  return (
    <>
      <ul className="jp-DbtWorkbench-links jp-DbtWorkbench-dashboardList">
        {list.items.map(ref => {
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
            </li>
          );
        })}
      </ul>
      {list.total > list.items.length ? (
        <p className="jp-DbtWorkbench-muted">
          and {list.total - list.items.length} more
        </p>
      ) : null}
    </>
  );
}
