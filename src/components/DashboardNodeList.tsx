import React from 'react';

import type { ICapped } from '../catalog/types';
import type { INodeRef } from '../tokens';
import { MoreCount } from './MoreCount';
import { NodeLink } from './NodeLink';

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
        {list.items.map(ref => (
          <li key={ref.unique_id}>
            <NodeLink node={ref} onOpen={props.onOpen} />
          </li>
        ))}
      </ul>
      <MoreCount shown={list.items.length} total={list.total} />
    </>
  );
}
