import React from 'react';

import type { IStaleSource } from '../catalog/types';
import { formatAge, formatTime } from '../format';
import { StatusBadge } from './StatusBadge';

/** Sources whose last freshness check warned or failed, or that are stale by now. */
export function StaleSourceList(props: {
  sources: readonly IStaleSource[];
  onOpen: (uniqueId: string) => void;
}): JSX.Element {
  if (props.sources.length === 0) {
    return (
      <p className="jp-DbtWorkbench-muted">
        Every checked source is within its thresholds.
      </p>
    );
  }
  return (
    <table className="jp-DbtWorkbench-table jp-DbtWorkbench-staleSources">
      <thead>
        <tr>
          <th>Source</th>
          <th>Status</th>
          <th>Newest row</th>
          <th>Age now</th>
          <th>Warn / error after</th>
        </tr>
      </thead>
      <tbody>
        {props.sources.map(source => (
          <tr key={source.unique_id} data-source={source.unique_id}>
            <td>
              <a
                href="#"
                data-unique-id={source.unique_id}
                onClick={event => {
                  event.preventDefault();
                  props.onOpen(source.unique_id);
                }}
              >
                {source.source_name ? `${source.source_name}.` : ''}
                {source.name}
              </a>
            </td>
            <td
              title={
                source.status_now !== source.status
                  ? `last check: ${source.status}; by now: ${source.status_now}`
                  : undefined
              }
            >
              <StatusBadge status={source.status_now} showLabel />
            </td>
            <td>{formatTime(source.max_loaded_at)}</td>
            <td>{formatAge(source.age_seconds)}</td>
            <td>
              {source.warn_after ?? '–'} / {source.error_after ?? '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
