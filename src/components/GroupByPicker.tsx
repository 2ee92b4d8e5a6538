import React from 'react';

import { GROUP_BY_OPTIONS, GroupBy } from '../tokens';

/** Choose how the tree groups nodes. */
export function GroupByPicker(props: {
  value: GroupBy;
  onChange: (groupBy: GroupBy) => void;
}): JSX.Element {
  return (
    <label className="jp-DbtWorkbench-field">
      <span>Group by</span>
      <select
        className="jp-DbtWorkbench-groupBy jp-mod-styled"
        value={props.value}
        onChange={event => props.onChange(event.target.value as GroupBy)}
      >
        {GROUP_BY_OPTIONS.map(option => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
