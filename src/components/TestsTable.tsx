import React from 'react';

import { formatTime } from '../format';
import type { ITestSummary } from '../tokens';
import { StatusBadge } from './StatusBadge';

/** Every test attached to a node with its latest result. */
export function TestsTable(props: {
  tests: readonly ITestSummary[];
}): JSX.Element {
  return (
    <div className="jp-DbtWorkbench-tests">
      {props.tests.length === 0 ? (
        <p className="jp-DbtWorkbench-muted">No tests.</p>
      ) : (
        <table className="jp-DbtWorkbench-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Test</th>
              <th>Column</th>
              <th>Severity</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {props.tests.map(test => (
              <tr key={test.unique_id} data-test={test.unique_id}>
                <td>
                  <StatusBadge status={test.status} showLabel />
                </td>
                <td title={test.unique_id}>{test.name}</td>
                <td>{test.column_name ?? ''}</td>
                <td>{test.severity ?? ''}</td>
                <td title={formatTime(test.executed_at)}>
                  {test.message ?? ''}
                  {test.failures ? ` (${test.failures} failing rows)` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
