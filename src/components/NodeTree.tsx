import { caretDownIcon, caretRightIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useRef, useState } from 'react';

import { resourceIcon } from '../icons';
import { nodeBadge } from '../model/status';
import type { TreeRow } from '../model/tree';
import type { INodeSummary } from '../tokens';
import { StatusBadge } from './StatusBadge';

/** The height of one row in px; style/base.css sets the same. */
export const ROW_HEIGHT = 24;

/** Above this many visible rows only the rows on screen are rendered. */
export const VIRTUALIZE_ABOVE = 300;

/** Rows rendered above and below the visible window. */
const OVERSCAN = 20;

/** Props of {@link NodeTree}. */
export interface INodeTreeProps {
  rows: readonly TreeRow[];
  /** Scroll back to the top whenever this changes (new filter, grouping). */
  resetKey: string;
  onToggle: (groupKey: string, expanded: boolean) => void;
  onOpen: (node: INodeSummary) => void;
  /** Extra controls at the end of a node's row (e.g. run buttons). */
  renderActions?: (node: INodeSummary) => React.ReactNode;
}

/**
 * The collapsible node tree, flattened into fixed-height rows. Long lists
 * are windowed so a 5,000-node project scrolls as fast as a small one.
 */
export function NodeTree(props: INodeTreeProps): JSX.Element {
  const { rows } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);

  useEffect(() => {
    const element = scroller.current;
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() =>
      setViewport(element.clientHeight || 800)
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (scroller.current) {
      scroller.current.scrollTop = 0;
    }
    setScrollTop(0);
  }, [props.resetKey]);

  const windowed = rows.length > VIRTUALIZE_ABOVE;
  let first = 0;
  let last = rows.length;
  if (windowed) {
    first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
    last = Math.min(
      rows.length,
      Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN
    );
  }

  return (
    <div
      className="jp-DbtWorkbench-tree"
      role="tree"
      ref={scroller}
      onScroll={
        windowed
          ? event => setScrollTop(event.currentTarget.scrollTop)
          : undefined
      }
    >
      <div style={{ height: first * ROW_HEIGHT }} />
      {rows
        .slice(first, last)
        .map(row =>
          row.type === 'group' ? (
            <GroupRow key={row.key} row={row} onToggle={props.onToggle} />
          ) : (
            <NodeRow
              key={row.key}
              row={row}
              onOpen={props.onOpen}
              renderActions={props.renderActions}
            />
          )
        )}
      <div style={{ height: (rows.length - last) * ROW_HEIGHT }} />
    </div>
  );
}

function indent(depth: number): React.CSSProperties {
  return { paddingLeft: 4 + depth * 14 };
}

function activateOnKey(action: () => void) {
  return (event: React.KeyboardEvent): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      action();
    }
  };
}

function GroupRow(props: {
  row: Extract<TreeRow, { type: 'group' }>;
  onToggle: (groupKey: string, expanded: boolean) => void;
}): JSX.Element {
  const { row } = props;
  const toggle = (): void => props.onToggle(row.key, !row.expanded);
  const Caret = row.expanded ? caretDownIcon : caretRightIcon;
  return (
    <div
      className="jp-DbtWorkbench-treeGroup"
      data-group={row.key}
      role="treeitem"
      aria-expanded={row.expanded}
      tabIndex={0}
      style={indent(row.depth)}
      onClick={toggle}
      onKeyDown={activateOnKey(toggle)}
    >
      <Caret.react tag="span" className="jp-DbtWorkbench-caret" />
      <span className="jp-DbtWorkbench-treeLabel">{row.group.label}</span>
      <span className="jp-DbtWorkbench-count">{row.group.count}</span>
    </div>
  );
}

function NodeRow(props: {
  row: Extract<TreeRow, { type: 'node' }>;
  onOpen: (node: INodeSummary) => void;
  renderActions?: (node: INodeSummary) => React.ReactNode;
}): JSX.Element {
  const { node } = props.row;
  const open = (): void => props.onOpen(node);
  const badge = nodeBadge(node);
  const Icon = resourceIcon(node.resource_type);
  return (
    <div
      className="jp-DbtWorkbench-treeNode"
      data-unique-id={node.unique_id}
      data-resource-type={node.resource_type}
      role="treeitem"
      tabIndex={0}
      title={`${node.unique_id}\n${node.original_file_path}`}
      style={indent(props.row.depth + 1)}
      onClick={open}
      onKeyDown={activateOnKey(open)}
    >
      <Icon.react tag="span" className="jp-DbtWorkbench-nodeIcon" />
      <span className="jp-DbtWorkbench-treeLabel">{node.name}</span>
      {props.renderActions?.(node)}
      <StatusBadge status={badge.status} title={badge.title} />
    </div>
  );
}
