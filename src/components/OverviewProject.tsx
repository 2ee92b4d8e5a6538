import React from 'react';

import { formatBytes, formatTime } from '../format';
import type {
  IArtifactStatus,
  IProjectSummary,
  ISnapshotVersion
} from '../tokens';
import { ProblemBanner } from './ProblemBanner';

/** Props of {@link OverviewProject}. */
export interface IOverviewProjectProps {
  project: IProjectSummary;
  artifacts: IArtifactStatus | null;
  snapshots: readonly ISnapshotVersion[] | null;
  /** Failures reading the artifacts or snapshots, as sentences. */
  problems: readonly string[];
}

/** One project's card on the overview: metadata, counts, artifacts, history. */
export function OverviewProject(props: IOverviewProjectProps): JSX.Element {
  const { project, artifacts, snapshots, problems } = props;
  const counts = Object.entries(project.counts).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  return (
    <section
      className="jp-DbtWorkbench-overviewProject"
      data-project={project.id}
    >
      <h2>
        {project.name}{' '}
        {project.path !== project.name ? (
          <span className="jp-DbtWorkbench-muted">{project.path}</span>
        ) : null}
      </h2>
      {project.error ? <ProblemBanner problem={project.error} /> : null}
      {problems.map(problem => (
        <p key={problem} className="jp-DbtWorkbench-problem" role="alert">
          {problem}
        </p>
      ))}
      <dl className="jp-DbtWorkbench-facts">
        <dt>dbt version</dt>
        <dd>{project.dbt_version ?? 'unknown'}</dd>
        <dt>Adapter</dt>
        <dd>{project.adapter_type ?? 'unknown'}</dd>
        <dt>Profile</dt>
        <dd>{project.profile ?? ''}</dd>
        <dt>Generated at</dt>
        <dd>{formatTime(project.generated_at) || 'never'}</dd>
        <dt>Snapshot version</dt>
        <dd>{project.version ?? 'none'}</dd>
      </dl>
      {!project.loaded ? (
        <p className="jp-DbtWorkbench-muted">
          No manifest loaded: run <code>dbt parse</code> or{' '}
          <code>dbt build</code> in this project.
        </p>
      ) : null}
      {counts.length ? (
        <table className="jp-DbtWorkbench-table jp-DbtWorkbench-counts">
          <thead>
            <tr>
              {counts.map(([type]) => (
                <th key={type}>{type}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {counts.map(([type, count]) => (
                <td key={type} data-resource-type={type}>
                  {count}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      ) : null}
      <h3>Artifacts</h3>
      {artifacts ? (
        <table className="jp-DbtWorkbench-table jp-DbtWorkbench-artifacts">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Path</th>
              <th>Schema</th>
              <th>dbt</th>
              <th>Generated</th>
              <th>Size</th>
            </tr>
          </thead>
          <tbody>
            {artifacts.artifacts.map(artifact => (
              <tr key={artifact.kind} data-artifact={artifact.kind}>
                <td>{artifact.kind}</td>
                <td>
                  {artifact.present
                    ? artifact.path
                    : `${artifact.path} (missing)`}
                </td>
                <td>{artifact.schema_version ?? ''}</td>
                <td>{artifact.dbt_version ?? ''}</td>
                <td>{formatTime(artifact.generated_at)}</td>
                <td>{formatBytes(artifact.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="jp-DbtWorkbench-muted">Artifact status unavailable.</p>
      )}
      <h3>Snapshot history</h3>
      {snapshots === null ? (
        <p className="jp-DbtWorkbench-muted">Snapshot history unavailable.</p>
      ) : snapshots.length ? (
        <table className="jp-DbtWorkbench-table jp-DbtWorkbench-snapshots">
          <thead>
            <tr>
              <th>Version</th>
              <th>Stored</th>
              <th>dbt</th>
              <th>Generated</th>
              <th>Artifacts</th>
            </tr>
          </thead>
          <tbody>
            {snapshots.map(snapshot => (
              <tr key={snapshot.version} data-version={snapshot.version}>
                <td>{snapshot.version}</td>
                <td>{formatTime(snapshot.created_at)}</td>
                <td>{snapshot.dbt_version ?? ''}</td>
                <td>{formatTime(snapshot.generated_at)}</td>
                <td>{snapshot.kinds.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="jp-DbtWorkbench-muted">No snapshots stored yet.</p>
      )}
    </section>
  );
}
