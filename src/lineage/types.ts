/**
 * The lineage renderer's data types. The payload interfaces mirror the server's TypedDicts
 * (jupyterlab_dbt_workbench/graph/payloads.py and lineage/payloads.py) field for field.
 *
 * This folder is framework-free (plain TypeScript, DOM and canvas) because the same code is
 * bundled into the notebook widget's ES module.
 */

/** One node of a model-level lineage (`GET lineage`). */
export interface ILineageNode {
  unique_id: string;
  name: string;
  resource_type: string;
  folder: string;
  schema: string | null;
  package: string;
  tags: string[];
  materialized: string | null;
  status: string | null;
  test_status: string | null;
  /** Steps from the focus: negative upstream, positive downstream, null without focus. */
  distance: number | null;
  /** Direct parents / children in the whole project, of the kinds shown. */
  parent_count: number;
  child_count: number;
}

export interface ILineageGroup {
  key: string;
  label: string;
  count: number;
  nodes: string[];
}

/** `GET lineage`: a selection as a graph. */
export interface ILineage {
  project: string;
  select: string;
  exclude: string | null;
  focus: string | null;
  group_by: string | null;
  nodes: ILineageNode[];
  edges: [string, string][];
  groups: ILineageGroup[];
  group_edges: { from: string; to: string; count: number }[];
  total: number;
  truncated: boolean;
}

/** How a column's value comes from its source (value edges). */
export type EdgeKind = 'passthrough' | 'rename' | 'transformation';
/** How a column decides which rows a model has (dependency edges). */
export type DependencyKind = 'filter' | 'join' | 'group';
/** Column lineage coverage of one model. */
export type ColumnStatus = 'ok' | 'partial' | 'failed' | 'not_analysed';

export interface IColumnSource {
  source: string;
  source_column: string;
  kind: EdgeKind;
  expression: string | null;
}

export interface IModelColumn {
  name: string;
  traced: boolean;
  sources: IColumnSource[];
}

export interface IColumnDependency {
  source: string;
  source_column: string;
  kind: DependencyKind;
}

/** `GET lineage/columns/<unique_id>`: every column edge of one model. */
export interface IModelColumnLineage {
  project: string;
  unique_id: string;
  name: string;
  resource_type: string;
  status: ColumnStatus;
  reason: string | null;
  dialect: string | null;
  columns: IModelColumn[];
  dependencies: IColumnDependency[];
  unresolved: string[];
}

/** One (node, column) of a column graph; `distance` 0 is the column asked about. */
export interface IColumnNode {
  id: string;
  node: string;
  column: string;
  name: string;
  resource_type: string;
  distance: number;
}

export interface IColumnGraphEdge {
  source: string;
  source_column: string;
  target: string;
  target_column: string;
  kind: EdgeKind;
  expression: string | null;
  distance: number;
}

/** `GET lineage/column`: the lineage of one column, upstream and/or downstream. */
export interface IColumnGraph {
  project: string;
  node: string;
  column: string;
  direction: 'upstream' | 'downstream' | 'both';
  depth: number | null;
  nodes: IColumnNode[];
  edges: IColumnGraphEdge[];
}

export type Lens =
  'resource_type' | 'materialized' | 'status' | 'test_status' | 'tag';
export type GroupKey =
  'folder' | 'schema' | 'package' | 'tag' | 'resource_type';
export type Direction = 'upstream' | 'downstream';

export interface ILineageQuery {
  select?: string;
  exclude?: string;
  focus?: string;
  depth?: number;
  maxNodes?: number;
}

/** Where the view gets its data: REST in JupyterLab, kernel messages in the widget. */
export interface ILineageSource {
  lineage(query: ILineageQuery): Promise<ILineage>;
  modelColumns(uniqueId: string): Promise<IModelColumnLineage>;
  /** The column's lineage in both directions. */
  columnTrace(uniqueId: string, column: string): Promise<IColumnGraph>;
}

export interface IColumnSelection {
  node: string;
  column: string;
}

/**
 * A column edge the user clicked. For a filter/join/group dependency the target is the
 * whole model, so `target_column` is empty.
 */
export interface IEdgeDetail {
  source: string;
  source_column: string;
  target: string;
  target_column: string;
  kind: string;
  expression: string | null;
}

export interface ILineageViewOptions {
  /** Double-click on a node (or Enter on the selected one). */
  onOpen?(uniqueId: string): void;
  /** Click / keyboard selection. */
  onSelect?(uniqueId: string | null): void;
  onContextMenu?(uniqueId: string, event: MouseEvent): void;
  onColumnSelect?(selection: IColumnSelection | null): void;
  /** Click on a column edge (for the expression drawer). */
  onEdgeSelect?(edge: IEdgeDetail | null): void;
  onError?(error: Error): void;
}
