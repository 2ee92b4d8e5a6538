/**
 * Column mode: which models show their columns, the column lineage loaded for them, and the
 * traced column's edges to draw.
 */
import {
  ColumnStatus,
  IColumnGraph,
  IColumnSelection,
  IEdgeDetail,
  IModelColumnLineage
} from './types';

/** A column edge to draw: target_column '' means the whole model (a dependency). */
export interface IColumnEdge extends IEdgeDetail {
  /** Dash pattern in pixels at zoom 1 ([] is solid). */
  dash: number[];
}

/** The line pattern of each kind of column edge, for the canvas, the SVG and the legend. */
export const EDGE_DASHES: Record<string, number[]> = {
  passthrough: [],
  rename: [],
  transformation: [],
  filter: [2, 3],
  join: [7, 4],
  group: [9, 3, 2, 3]
};

/** The kinds shown in the column legend, with their labels. */
export const EDGE_LEGEND: [string, string][] = [
  ['transformation', 'value (copied or computed)'],
  ['filter', 'filter (WHERE / HAVING)'],
  ['join', 'join (ON)'],
  ['group', 'group (GROUP BY)']
];

/** The dash pattern of an edge kind (unknown kinds are solid). */
export function edgeDash(kind: string): number[] {
  return EDGE_DASHES[kind] ?? [];
}

/** Column lineage coverage worth marking on a node. */
export interface ICoverageMark {
  status: Exclude<ColumnStatus, 'ok'>;
  reason: string;
}

export class ColumnState {
  /** Column lineage of the models loaded so far. */
  readonly models = new Map<string, IModelColumnLineage>();
  /** Nodes shown with their columns. */
  readonly expanded = new Set<string>();
  /** The traced column and its lineage. */
  trace: IColumnGraph | null = null;
  selection: IColumnSelection | null = null;

  /** The column names shown for a node: its own lineage's, else those the trace reached. */
  columnsOf(uniqueId: string): string[] {
    const model = this.models.get(uniqueId);
    if (model !== undefined && model.columns.length > 0) {
      return model.columns.map(c => c.name);
    }
    const found: string[] = [];
    for (const node of this.trace?.nodes ?? []) {
      if (node.node === uniqueId && !found.includes(node.column)) {
        found.push(node.column);
      }
    }
    return found;
  }

  /** The coverage mark of a loaded model whose column lineage is not complete. */
  coverage(uniqueId: string): ICoverageMark | null {
    const model = this.models.get(uniqueId);
    if (model === undefined || model.status === 'ok') {
      return null;
    }
    return {
      status: model.status,
      reason: model.reason ?? statusText(model.status)
    };
  }

  /** Whether a column is part of the current trace. */
  isTraced(uniqueId: string, column: string): boolean {
    return (this.trace?.nodes ?? []).some(
      n =>
        n.node === uniqueId && n.column.toLowerCase() === column.toLowerCase()
    );
  }

  /** The nodes the trace reaches. */
  traceNodes(): string[] {
    return [...new Set((this.trace?.nodes ?? []).map(n => n.node))];
  }

  /**
   * The edges to draw for the trace: its value edges, plus the filter/join/group
   * dependencies of loaded models on a traced column (they decide which rows the model has).
   */
  traceEdges(): IColumnEdge[] {
    const trace = this.trace;
    if (trace === null) {
      return [];
    }
    const edges: IColumnEdge[] = trace.edges.map(e => ({
      source: e.source,
      source_column: e.source_column,
      target: e.target,
      target_column: e.target_column,
      kind: e.kind,
      expression: e.expression,
      dash: edgeDash(e.kind)
    }));
    for (const model of this.models.values()) {
      for (const dependency of model.dependencies) {
        if (this.isTraced(dependency.source, dependency.source_column)) {
          edges.push({
            source: dependency.source,
            source_column: dependency.source_column,
            target: model.unique_id,
            target_column: '',
            kind: dependency.kind,
            expression: null,
            dash: edgeDash(dependency.kind)
          });
        }
      }
    }
    return edges;
  }

  clear(): void {
    this.expanded.clear();
    this.trace = null;
    this.selection = null;
  }
}

/** A readable explanation of a coverage status when the server gave no reason. */
export function statusText(status: ColumnStatus): string {
  switch (status) {
    case 'ok':
      return 'Every column traced.';
    case 'partial':
      return 'Some columns could not be traced.';
    case 'failed':
      return 'The SQL could not be analysed.';
    case 'not_analysed':
      return 'Column lineage was not analysed.';
  }
}
