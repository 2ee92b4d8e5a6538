import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import type { IColumnInfo, ITestSummary } from '../tokens';
import { constraintText } from './ContractFacts';
import { Markdown } from './Markdown';
import { StatusBadge } from './StatusBadge';

/** A test as a small badge: its test name colored by its latest status. */
export function TestBadge(props: { test: ITestSummary }): JSX.Element {
  const { test } = props;
  const label = test.test_name ?? test.name;
  const title = [
    test.name,
    test.status ? `status: ${test.status}` : 'not run yet',
    test.message ?? ''
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span
      className="jp-DbtWorkbench-testBadge"
      data-test={test.unique_id}
      title={title}
    >
      <StatusBadge status={test.status} title={title} />
      {label}
    </span>
  );
}

/**
 * The columns of a node with their types (the catalog's, else the declared
 * one), descriptions, tests with their latest status, and constraints.
 */
export function ColumnsTable(props: {
  columns: readonly IColumnInfo[];
  rendermime: IRenderMimeRegistry;
}): JSX.Element {
  const constrained = props.columns.some(
    column => column.constraints.length > 0
  );
  if (props.columns.length === 0) {
    return (
      <p className="jp-DbtWorkbench-muted">
        No columns are documented or cataloged (run{' '}
        <code>dbt docs generate</code> to read them from the warehouse).
      </p>
    );
  }
  return (
    <table className="jp-DbtWorkbench-columns jp-DbtWorkbench-table">
      <thead>
        <tr>
          <th>Column</th>
          <th>Type</th>
          <th>Description</th>
          <th>Tests</th>
          {constrained ? <th>Constraints</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.columns.map(column => (
          <tr key={column.name} data-column={column.name}>
            <td className="jp-DbtWorkbench-columnName">{column.name}</td>
            <td
              className="jp-DbtWorkbench-columnType"
              title={
                column.declared_type &&
                column.declared_type !== column.data_type
                  ? `declared: ${column.declared_type}`
                  : undefined
              }
            >
              {column.data_type ?? column.declared_type ?? ''}
            </td>
            <td>
              {column.description ? (
                <Markdown
                  source={column.description}
                  rendermime={props.rendermime}
                />
              ) : null}
            </td>
            <td>
              {column.tests.map(test => (
                <TestBadge key={test.unique_id} test={test} />
              ))}
            </td>
            {constrained ? (
              <td className="jp-DbtWorkbench-columnConstraints">
                {column.constraints.map((constraint, index) => (
                  <span
                    key={index}
                    className="jp-DbtWorkbench-constraint"
                    data-constraint={constraint.type}
                  >
                    {constraintText(constraint)}
                  </span>
                ))}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
