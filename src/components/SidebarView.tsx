import React, { useCallback, useMemo, useState } from 'react';

import { WorkbenchModel } from '../model/workbench';
import { buildTree, filterNodes, flattenTree, ITreeGroup } from '../model/tree';
import type { GroupBy, INodeSummary } from '../tokens';
import { EmptyState } from './EmptyState';
import { FilterBox } from './FilterBox';
import { GroupByPicker } from './GroupByPicker';
import { useDebounced, useSignal } from './hooks';
import { NodeTree } from './NodeTree';
import { ProblemBanner } from './ProblemBanner';
import { ProjectPicker } from './ProjectPicker';
import { Spinner } from './Spinner';

/** Projects up to this size open with every group expanded. */
const EXPAND_ALL_UP_TO = 300;

/** Props of {@link SidebarView}. */
export interface ISidebarViewProps {
  model: WorkbenchModel;
  onOpen: (project: string, node: INodeSummary) => void;
  onGroupByChange: (groupBy: GroupBy) => void;
  /** Extra controls on each node row, for the current project. */
  nodeActions?: (project: string, node: INodeSummary) => React.ReactNode;
  /**
   * The search box over the whole project (columns and SQL included), above
   * the controls; the filter box below only narrows the tree.
   */
  searchBox?: (project: string | null, version: string) => React.ReactNode;
}

/** The side panel's body: pickers, filter and tree, or an empty state. */
export function SidebarView(props: ISidebarViewProps): JSX.Element {
  const { model } = props;
  useSignal(model.changed);
  const [filter, setFilter] = useState('');
  const query = useDebounced(filter, 200);
  // Users' expand/collapse choices, keyed by grouping and group key, on
  // top of the defaults below.
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(
    new Map()
  );
  const groupBy = model.settings.groupBy;
  const nodes = model.nodes;
  const project = model.currentProject;

  const matching = useMemo(() => filterNodes(nodes, query), [nodes, query]);
  const tree = useMemo(() => buildTree(matching, groupBy), [matching, groupBy]);
  const filtering = query.trim() !== '';
  const rows = useMemo(
    () =>
      flattenTree(tree, (group: ITreeGroup, depth: number) => {
        const choice = toggled.get(`${groupBy}:${group.key}`);
        if (choice !== undefined) {
          return choice;
        }
        return filtering || nodes.length <= EXPAND_ALL_UP_TO || depth === 0;
      }),
    [tree, toggled, groupBy, filtering, nodes.length]
  );

  const onToggle = useCallback(
    (key: string, expanded: boolean) => {
      setToggled(old => new Map(old).set(`${groupBy}:${key}`, expanded));
    },
    [groupBy]
  );
  const onOpen = useCallback(
    (node: INodeSummary) => {
      if (model.currentProjectId !== null) {
        props.onOpen(model.currentProjectId, node);
      }
    },
    [model, props.onOpen]
  );
  const { nodeActions } = props;
  const renderActions = useMemo(() => {
    const project = model.currentProjectId;
    return nodeActions && project !== null
      ? (node: INodeSummary) => nodeActions(project, node)
      : undefined;
  }, [model.currentProjectId, nodeActions]);

  return (
    <div className="jp-DbtWorkbench-sidebarBody">
      {model.loading && model.state !== 'loading' ? (
        <div className="jp-DbtWorkbench-progress" role="progressbar" />
      ) : null}
      {model.projects.length > 0 ? (
        <div className="jp-DbtWorkbench-controls">
          {props.searchBox?.(
            model.currentProjectId,
            `${project?.version ?? ''}`
          )}
          <ProjectPicker
            projects={model.projects}
            value={model.currentProjectId}
            onChange={id => {
              model.currentProjectId = id;
            }}
          />
          <GroupByPicker value={groupBy} onChange={props.onGroupByChange} />
          <FilterBox value={filter} onChange={setFilter} />
        </div>
      ) : null}
      {project?.error ? <ProblemBanner problem={project.error} /> : null}
      {body()}
    </div>
  );

  function body(): JSX.Element {
    switch (model.state) {
      case 'loading':
        return <Spinner label="Looking for dbt projects…" />;
      case 'no_projects':
        return <EmptyState reason="no_projects" message={model.message} />;
      case 'not_loaded':
        return (
          <EmptyState
            reason="artifacts_not_loaded"
            projectName={project?.name}
            message={model.message}
          />
        );
      case 'error':
        return <EmptyState reason="error" message={model.message} />;
      case 'ready':
        if (rows.length === 0) {
          return (
            <div className="jp-DbtWorkbench-noMatch">
              {filtering ? 'No node matches the filter.' : 'No nodes.'}
            </div>
          );
        }
        return (
          <>
            <div className="jp-DbtWorkbench-summary">
              {filtering
                ? `${matching.length} of ${nodes.length} nodes`
                : `${nodes.length} nodes`}
            </div>
            <NodeTree
              rows={rows}
              resetKey={`${model.currentProjectId}\u0000${groupBy}\u0000${query}`}
              onToggle={onToggle}
              onOpen={onOpen}
              renderActions={renderActions}
            />
          </>
        );
    }
  }
}
