import React, { useEffect, useState } from 'react';

import { fetchArtifacts, fetchHealth, fetchSnapshots } from '../api';
import { errorMessage, showError } from '../notify';
import { WorkbenchModel } from '../model/workbench';
import type { IArtifactStatus, IHealth, ISnapshotVersion } from '../tokens';
import { EmptyState } from './EmptyState';
import { useSignal } from './hooks';
import { OverviewProject } from './OverviewProject';
import { Spinner } from './Spinner';

interface IProjectExtras {
  artifacts: IArtifactStatus | null;
  snapshots: ISnapshotVersion[] | null;
  /** Why the artifacts or snapshots could not be read. */
  problems: string[];
}

/** A call's answer, or null after reporting its failure. */
async function orReport<T>(
  call: Promise<T>,
  context: string,
  problems: string[]
): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    showError(error, context);
    problems.push(`${context}: ${errorMessage(error)}`);
    return null;
  }
}

/** A key that changes whenever a project's artifacts change. */
function versionsKey(model: WorkbenchModel): string {
  return model.projects.map(p => `${p.id}@${p.version}`).join('|');
}

/**
 * The overview page: server health and, per project, its metadata, counts,
 * artifact files and stored snapshot versions.
 */
export function OverviewView(props: { model: WorkbenchModel }): JSX.Element {
  const { model } = props;
  useSignal(model.changed);
  const [health, setHealth] = useState<IHealth | null>(null);
  const [extras, setExtras] = useState<Record<string, IProjectExtras>>({});
  const key = versionsKey(model);

  useEffect(() => {
    let cancelled = false;
    const load = async (): Promise<void> => {
      try {
        const answer = await fetchHealth();
        if (!cancelled) {
          setHealth(answer);
        }
      } catch (error) {
        showError(error, 'Reading the workbench health failed');
      }
      const entries = await Promise.all(
        model.projects.map(async project => {
          const problems: string[] = [];
          const [artifacts, snapshots] = await Promise.all([
            orReport(
              fetchArtifacts(project.id),
              `Reading the artifact status of ${project.name} failed`,
              problems
            ),
            orReport(
              fetchSnapshots(project.id).then(list => list.snapshots),
              `Reading the snapshot history of ${project.name} failed`,
              problems
            )
          ]);
          return [project.id, { artifacts, snapshots, problems }] as const;
        })
      );
      if (!cancelled) {
        setExtras(Object.fromEntries(entries));
      }
    };
    void load();
    return () => {
      cancelled = true;
    };
  }, [model, key]);

  return (
    <>
      <h1>dbt Workbench</h1>
      {health ? (
        <div className="jp-DbtWorkbench-health" data-status={health.status}>
          <span>
            Workbench {health.version} · dbt-core{' '}
            {health.dbt_version ?? 'not installed'} · root{' '}
            <code>{health.root}</code>
          </span>
          {health.problems.length ? (
            <ul className="jp-DbtWorkbench-healthProblems">
              {health.problems.map(problem => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          ) : null}
          {health.store.ok ? null : (
            <p className="jp-DbtWorkbench-problem">
              The snapshot store at <code>{health.store.path}</code> is not
              usable.
            </p>
          )}
        </div>
      ) : null}
      {model.state === 'loading' ? <Spinner /> : null}
      {model.state === 'no_projects' ? (
        <EmptyState reason="no_projects" message={model.message} />
      ) : null}
      {model.state === 'error' && model.projects.length === 0 ? (
        <EmptyState reason="error" message={model.message} />
      ) : null}
      {model.projects.map(project => (
        <OverviewProject
          key={project.id}
          project={project}
          artifacts={extras[project.id]?.artifacts ?? null}
          snapshots={extras[project.id]?.snapshots ?? null}
          problems={extras[project.id]?.problems ?? []}
        />
      ))}
    </>
  );
}
