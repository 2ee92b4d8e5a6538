import React from 'react';

import { resourceIcon } from '../icons';
import type { INodeDetail } from '../tokens';
import { StatusBadge } from './StatusBadge';
import { nodeBadge } from '../model/status';

/** Props of {@link NodeHeader}. */
export interface INodeHeaderProps {
  node: INodeDetail;
  /** Open the node's file in JupyterLab. */
  onOpenFile: () => void;
}

/** The node's name, kind, relation, tags, owner, status and file. */
export function NodeHeader(props: INodeHeaderProps): JSX.Element {
  const { node } = props;
  const Icon = resourceIcon(node.resource_type);
  const badge = nodeBadge(node);
  const relation =
    node.relation_name ??
    [node.database, node.schema, node.alias ?? node.name]
      .filter(Boolean)
      .join('.');
  const facts: Array<[string, React.ReactNode]> = [
    ['Type', node.resource_type],
    ['Materialized', node.materialized],
    ['Relation', relation],
    ['Owner', node.owner],
    ['Access', node.access],
    ['Package', node.package_name],
    [
      'File',
      <a
        href="#"
        className="jp-DbtWorkbench-fileLink"
        onClick={event => {
          event.preventDefault();
          props.onOpenFile();
        }}
      >
        {node.original_file_path}
      </a>
    ]
  ];
  return (
    <header className="jp-DbtWorkbench-nodeHeader">
      <h1>
        <Icon.react tag="span" className="jp-DbtWorkbench-titleIcon" />
        <span className="jp-DbtWorkbench-nodeName">{node.name}</span>
        <StatusBadge status={badge.status} title={badge.title} />
        <span className="jp-DbtWorkbench-muted">{badge.title}</span>
      </h1>
      <dl className="jp-DbtWorkbench-facts">
        {facts
          .filter(([, value]) => value !== null && value !== '')
          .map(([label, value]) => (
            <React.Fragment key={label}>
              <dt>{label}</dt>
              <dd data-fact={label.toLowerCase()}>{value}</dd>
            </React.Fragment>
          ))}
      </dl>
      {node.tags.length ? (
        <div className="jp-DbtWorkbench-tags">
          {node.tags.map(tag => (
            <span key={tag} className="jp-DbtWorkbench-tag">
              {tag}
            </span>
          ))}
        </div>
      ) : null}
    </header>
  );
}
