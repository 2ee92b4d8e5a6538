import React from 'react';

import { formatAge, formatDuration, formatTime } from '../format';
import type {
  IExposureInfo,
  IFreshnessCriteria,
  IFreshnessSummary,
  IRunResultSummary
} from '../tokens';
import { StatusBadge } from './StatusBadge';

/** A definition list of label/value pairs, skipping empty values. */
function Facts(props: {
  className: string;
  rows: Array<[string, React.ReactNode]>;
}): JSX.Element {
  return (
    <dl className={`jp-DbtWorkbench-facts ${props.className}`}>
      {props.rows
        .filter(
          ([, value]) => value !== null && value !== '' && value !== undefined
        )
        .map(([label, value]) => (
          <React.Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </React.Fragment>
        ))}
    </dl>
  );
}

/** The node's latest run result. */
export function LastRun(props: { run: IRunResultSummary }): JSX.Element {
  const { run } = props;
  return (
    <Facts
      className="jp-DbtWorkbench-lastRun"
      rows={[
        ['Status', <StatusBadge status={run.status} showLabel />],
        ['Completed', formatTime(run.completed_at)],
        ['Duration', formatDuration(run.execution_time)],
        ['Failures', run.failures ?? null],
        ['Message', run.message]
      ]}
    />
  );
}

/** A source's freshness check result and thresholds. */
export function Freshness(props: {
  freshness: IFreshnessSummary | null;
  loadedAtField: string | null;
  /** The thresholds the YAML sets, shown when no check has run yet. */
  criteria?: IFreshnessCriteria | null;
}): JSX.Element {
  const { freshness, criteria } = props;
  if (!freshness) {
    return (
      <div className="jp-DbtWorkbench-freshness">
        <p className="jp-DbtWorkbench-muted">
          {criteria
            ? 'No freshness result yet: run '
            : 'No freshness rules: set warn_after or error_after (and loaded_at_field) on this source, then run '}
          <code>dbt source freshness</code>.
        </p>
        {criteria ? (
          <Facts
            className="jp-DbtWorkbench-freshnessRules"
            rows={[
              ['Warn after', criteria.warn_after],
              ['Error after', criteria.error_after],
              ['Filter', criteria.filter],
              ['Loaded at field', props.loadedAtField]
            ]}
          />
        ) : null}
      </div>
    );
  }
  return (
    <Facts
      className="jp-DbtWorkbench-freshness"
      rows={[
        ['Status', <StatusBadge status={freshness.status} showLabel />],
        ['Newest row', formatTime(freshness.max_loaded_at)],
        ['Age', formatAge(freshness.age_seconds)],
        ['Checked', formatTime(freshness.snapshotted_at)],
        ['Warn after', freshness.warn_after],
        ['Error after', freshness.error_after],
        ['Loaded at field', props.loadedAtField]
      ]}
    />
  );
}

/** An exposure's type, maturity and link. */
export function Exposure(props: { exposure: IExposureInfo }): JSX.Element {
  const { exposure } = props;
  return (
    <Facts
      className="jp-DbtWorkbench-exposure"
      rows={[
        ['Type', exposure.type],
        ['Maturity', exposure.maturity],
        [
          'URL',
          exposure.url && /^https?:\/\//i.test(exposure.url) ? (
            <a href={exposure.url} target="_blank" rel="noopener noreferrer">
              {exposure.url}
            </a>
          ) : (
            exposure.url
          )
        ]
      ]}
    />
  );
}
