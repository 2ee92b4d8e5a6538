import React from 'react';

import { barLength, niceMax } from '../catalog/chart';

/** The length of the longest bar, in viewBox units. */
const LENGTH = 200;

/** One row of a {@link BarList}. */
export interface IBarListItem {
  key: string;
  label: string;
  value: number;
  title: string;
}

/**
 * Horizontal bars with their labels and values, longest first as given;
 * clicking a label calls `onOpen` with the row's key.
 */
export function BarList(props: {
  items: readonly IBarListItem[];
  formatValue: (value: number) => string;
  onOpen: (key: string) => void;
}): JSX.Element {
  const max = niceMax(Math.max(0, ...props.items.map(item => item.value)));
  return (
    <table className="jp-DbtWorkbench-barList">
      <tbody>
        {props.items.map(item => (
          <tr key={item.key} data-key={item.key} title={item.title}>
            <td className="jp-DbtWorkbench-barListLabel">
              <a
                href="#"
                data-unique-id={item.key}
                onClick={event => {
                  event.preventDefault();
                  props.onOpen(item.key);
                }}
              >
                {item.label}
              </a>
            </td>
            <td className="jp-DbtWorkbench-barListBar">
              <svg
                viewBox={`0 0 ${LENGTH} 10`}
                preserveAspectRatio="none"
                aria-hidden="true"
              >
                <rect
                  className="jp-DbtWorkbench-chartBar"
                  data-status="other"
                  x={0}
                  y={1}
                  height={8}
                  width={barLength(item.value, max, LENGTH)}
                />
              </svg>
            </td>
            <td className="jp-DbtWorkbench-barListValue">
              {props.formatValue(item.value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
