import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import React from 'react';

import { SqlBlock } from '../components/SqlBlock';
import type {
  IColumnGraph,
  IColumnSelection,
  IEdgeDetail,
  IModelColumnLineage
} from '../lineage/types';

/** Props of {@link ColumnDrawer}. */
export interface IColumnDrawerProps {
  /** The column the user traced or clicked, if any. */
  column: IColumnSelection | null;
  /** That column's trace, once fetched. */
  trace: IColumnGraph | null;
  /** The column edge the user clicked, if any. */
  edge: IEdgeDetail | null;
  /** Models whose column lineage is not complete (status other than ok). */
  incomplete: IModelColumnLineage[];
  /** A node's display name. */
  nameOf: (uniqueId: string) => string;
  /** Show one edge of the trace as the transformation. */
  onSelectEdge: (edge: IEdgeDetail) => void;
  languages: IEditorLanguageRegistry | null;
}

/** What a status of column lineage means, for a person. */
const STATUS_LABEL: Record<string, string> = {
  partial: 'Partial',
  failed: 'Failed',
  not_analysed: 'Not analysed'
};

/** Whether two edges are the same transformation. */
function sameEdge(a: IEdgeDetail | null, b: IEdgeDetail): boolean {
  return (
    a !== null &&
    a.source === b.source &&
    a.source_column === b.source_column &&
    a.target === b.target &&
    a.target_column === b.target_column
  );
}

/**
 * The right-hand drawer of column mode: the transformation of the selected
 * column edge (source column, target column, kind and SQL expression), the
 * edges of the traced column, and the models whose column lineage is
 * partial or failed, with the reason.
 */
export function ColumnDrawer(props: IColumnDrawerProps): JSX.Element {
  const { column, trace, edge, incomplete, nameOf } = props;
  // A filter/join/group dependency targets the whole model: no column.
  const columnLabel = (node: string, name: string): string =>
    name ? `${nameOf(node)}.${name}` : `${nameOf(node)} (rows)`;

  return (
    <aside
      className="jp-DbtWorkbench-lineageDrawer"
      aria-label="Column lineage"
    >
      <h3 className="jp-DbtWorkbench-lineageDrawerTitle">Column lineage</h3>

      {edge ? (
        <section
          className="jp-DbtWorkbench-lineageEdge"
          data-kind={edge.kind}
          aria-label="Transformation"
        >
          <h4>Transformation</h4>
          <div className="jp-DbtWorkbench-lineageEdgeColumns">
            <code>{columnLabel(edge.source, edge.source_column)}</code>
            <span aria-hidden="true"> → </span>
            <code>{columnLabel(edge.target, edge.target_column)}</code>
          </div>
          <div className="jp-DbtWorkbench-lineageKind">{edge.kind}</div>
          {edge.expression ? (
            <SqlBlock
              kind="compiled"
              code={edge.expression}
              language="sql"
              languages={props.languages}
            />
          ) : (
            <p className="jp-DbtWorkbench-lineageHint">
              The column is read as it is, with no expression.
            </p>
          )}
        </section>
      ) : null}

      {column ? (
        <section
          className="jp-DbtWorkbench-lineageTrace"
          data-column={`${column.node}.${column.column}`}
          data-edge-count={trace ? trace.edges.length : undefined}
          aria-label="Traced column"
        >
          <h4>{columnLabel(column.node, column.column)}</h4>
          {trace === null ? (
            <p className="jp-DbtWorkbench-lineageHint">Tracing…</p>
          ) : trace.edges.length === 0 ? (
            <p className="jp-DbtWorkbench-lineageHint">
              No other column feeds or reads this one.
            </p>
          ) : (
            <ul className="jp-DbtWorkbench-lineageTraceEdges">
              {trace.edges.map(item => (
                <li
                  key={`${item.source}.${item.source_column}>${item.target}.${item.target_column}`}
                >
                  <button
                    className="jp-DbtWorkbench-lineageTraceEdge"
                    data-kind={item.kind}
                    aria-pressed={sameEdge(edge, item)}
                    onClick={() => props.onSelectEdge(item)}
                  >
                    <span>{columnLabel(item.source, item.source_column)}</span>
                    <span aria-hidden="true"> → </span>
                    <span>{columnLabel(item.target, item.target_column)}</span>
                    <span className="jp-DbtWorkbench-lineageKind">
                      {item.kind}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {!edge && !column ? (
        <p className="jp-DbtWorkbench-lineageHint">
          Open a model&apos;s columns and click one to trace it up and down;
          click an edge between columns to see its expression.
        </p>
      ) : null}

      {incomplete.length > 0 ? (
        <section
          className="jp-DbtWorkbench-lineageIncomplete"
          aria-label="Incomplete column lineage"
        >
          <h4>Incomplete column lineage</h4>
          <ul>
            {incomplete.map(model => (
              <li key={model.unique_id} data-unique-id={model.unique_id}>
                <strong>{model.name}</strong>{' '}
                <span
                  className="jp-DbtWorkbench-lineageStatus"
                  data-status={model.status}
                >
                  {STATUS_LABEL[model.status] ?? model.status}
                </span>
                {model.reason ? <div>{model.reason}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </aside>
  );
}
