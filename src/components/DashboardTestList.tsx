import React from 'react';

import type { ICapped, ITestProblem } from '../catalog/types';
import { formatTime } from '../format';
import { MoreCount } from './MoreCount';
import { StatusBadge } from './StatusBadge';

/** Failing or warning tests with their failure counts and the nodes they test. */
export function DashboardTestList(props: {
  list: ICapped<ITestProblem>;
  kind: 'failing' | 'warning';
  onOpen: (uniqueId: string) => void;
}): JSX.Element {
  const { list } = props;
  if (list.total === 0) {
    return (
      <p className="jp-DbtWorkbench-muted">
        {props.kind === 'failing'
          ? 'No test failed in the latest results.'
          : 'No test warned in the latest results.'}
      </p>
    );
  }
  const open = (uniqueId: string) => (event: React.MouseEvent) => {
    event.preventDefault();
    props.onOpen(uniqueId);
  };
  return (
    <>
      <table
        className="jp-DbtWorkbench-table jp-DbtWorkbench-testProblems"
        data-kind={props.kind}
      >
        <thead>
          <tr>
            <th>Test</th>
            <th>On</th>
            <th>Failing rows</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map(test => (
            <tr
              key={test.unique_id}
              data-test={test.unique_id}
              title={[test.message, formatTime(test.executed_at)]
                .filter(Boolean)
                .join('\n')}
            >
              <td>
                <StatusBadge status={test.status} />{' '}
                <a
                  href="#"
                  data-unique-id={test.unique_id}
                  onClick={open(test.unique_id)}
                >
                  {test.name}
                </a>
              </td>
              <td>
                {test.attached_to.map(ref => (
                  <a
                    key={ref.unique_id}
                    href="#"
                    className="jp-DbtWorkbench-testTarget"
                    data-unique-id={ref.unique_id}
                    onClick={open(ref.unique_id)}
                  >
                    {ref.name}
                    {test.column_name ? `.${test.column_name}` : ''}
                  </a>
                ))}
              </td>
              <td>{test.failures ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <MoreCount shown={list.items.length} total={list.total} />
    </>
  );
}
