import React, { useState } from 'react';

import { fetchDashboard } from '../catalog/api';
import type { IChartPoint } from '../catalog/chart';
import type { IProjectHealth } from '../catalog/types';
import { useLoad } from '../catalog/useLoad';
import { formatDuration, formatTime } from '../format';
import { WorkbenchModel } from '../model/workbench';
import { BarList } from './BarList';
import { ColumnChart } from './ColumnChart';
import { DashboardCard } from './DashboardCard';
import { DashboardNodeList } from './DashboardNodeList';
import { DashboardTestList } from './DashboardTestList';
import { EmptyState } from './EmptyState';
import { useSignal } from './hooks';
import { Meter } from './Meter';
import { Spinner } from './Spinner';
import { StaleSourceList } from './StaleSourceList';
import { StatusBadge } from './StatusBadge';

/** The kinds counted on the first card, in this order. */
const COUNTED = [
  ['model', 'Models'],
  ['source', 'Sources'],
  ['seed', 'Seeds'],
  ['snapshot', 'Snapshots'],
  ['test', 'Data tests'],
  ['unit_test', 'Unit tests'],
  ['exposure', 'Exposures'],
  ['metric', 'Metrics']
] as const;

/** Props of {@link DashboardView}. */
export interface IDashboardViewProps {
  model: WorkbenchModel;
  onOpenNode: (project: string, uniqueId: string) => void;
  onOpenRun: (runId: string) => void;
}

/** The last run: the workbench's own, else what run_results.json says. */
function LastRunCard(props: {
  health: IProjectHealth;
  onOpenRun: (runId: string) => void;
}): JSX.Element {
  const { last_run: run, last_invocation: invocation } = props.health;
  if (run) {
    return (
      <DashboardCard
        title="Last run"
        name="last-run"
        status={run.status}
        figure={<StatusBadge status={run.status} showLabel />}
      >
        <p>
          <a
            href="#"
            onClick={event => {
              event.preventDefault();
              props.onOpenRun(run.id);
            }}
          >
            dbt {run.cli}
          </a>
        </p>
        <p className="jp-DbtWorkbench-muted">
          {formatTime(run.finished_at ?? run.created_at)} ·{' '}
          {formatDuration(run.duration)}
        </p>
        {props.health.active_runs ? (
          <p>{props.health.active_runs} running or queued now</p>
        ) : null}
      </DashboardCard>
    );
  }
  if (invocation) {
    const bad =
      (invocation.counts.error ?? 0) + (invocation.counts.fail ?? 0) > 0;
    return (
      <DashboardCard
        title="Last run"
        name="last-run"
        status={bad ? 'error' : 'success'}
        figure={<StatusBadge status={bad ? 'error' : 'success'} showLabel />}
      >
        <p>dbt {invocation.command ?? 'run'} (run_results.json)</p>
        <p className="jp-DbtWorkbench-muted">
          {formatTime(invocation.generated_at)} ·{' '}
          {formatDuration(invocation.elapsed_time)}
        </p>
        <p className="jp-DbtWorkbench-muted">
          {Object.entries(invocation.counts)
            .map(([status, count]) => `${count} ${status}`)
            .join(', ')}
        </p>
      </DashboardCard>
    );
  }
  return (
    <DashboardCard title="Last run" name="last-run">
      <p className="jp-DbtWorkbench-muted">
        No run yet: build the project to see its results here.
      </p>
    </DashboardCard>
  );
}

/** The dashboard of one project's answer. */
function Dashboard(props: {
  health: IProjectHealth;
  onOpen: (uniqueId: string) => void;
  onOpenRun: (runId: string) => void;
}): JSX.Element {
  const { health, onOpen } = props;
  const { tests, freshness } = health;
  const notPassing = tests.fail + tests.error;
  const durations: IChartPoint[] = health.run_durations.map(run => ({
    key: run.id,
    value: run.duration ?? 0,
    label: run.created_at,
    status: run.status,
    title: `dbt ${run.cli} · ${run.status} · ${formatTime(run.created_at)} · ${formatDuration(run.duration)}`
  }));
  return (
    <div className="jp-DbtWorkbench-dashboardGrid">
      <DashboardCard title="Nodes" name="counts">
        <dl className="jp-DbtWorkbench-counts">
          {COUNTED.filter(([kind]) => health.counts[kind]).map(
            ([kind, label]) => (
              <div key={kind} data-kind={kind}>
                <dt>{label}</dt>
                <dd>{health.counts[kind]}</dd>
              </div>
            )
          )}
        </dl>
      </DashboardCard>
      <LastRunCard health={health} onOpenRun={props.onOpenRun} />
      <DashboardCard
        title="Tests"
        name="tests"
        status={notPassing ? 'error' : tests.warn ? 'warn' : 'pass'}
        figure={`${tests.passed} / ${tests.total - tests.not_run} passed`}
      >
        <dl className="jp-DbtWorkbench-counts">
          <div data-kind="fail">
            <dt>Failing</dt>
            <dd>{notPassing}</dd>
          </div>
          <div data-kind="warn">
            <dt>Warning</dt>
            <dd>{tests.warn}</dd>
          </div>
          <div data-kind="skipped">
            <dt>Skipped</dt>
            <dd>{tests.skipped}</dd>
          </div>
          <div data-kind="not_run">
            <dt>Not run</dt>
            <dd>{tests.not_run}</dd>
          </div>
        </dl>
      </DashboardCard>
      <DashboardCard
        title="Source freshness"
        name="freshness"
        status={freshness.error ? 'error' : freshness.warn ? 'warn' : undefined}
        figure={
          freshness.checked
            ? `${freshness.passed} / ${freshness.checked} fresh`
            : 'not checked'
        }
      >
        <p className="jp-DbtWorkbench-muted">
          {freshness.checked
            ? `${freshness.warn} warn, ${freshness.error} error, ${freshness.sources - freshness.checked} of ${freshness.sources} sources unchecked`
            : 'Run `dbt source freshness` to check the sources.'}
        </p>
      </DashboardCard>

      <DashboardCard title="Failing tests" name="failing-tests" wide>
        <DashboardTestList
          list={health.failing_tests}
          kind="failing"
          onOpen={onOpen}
        />
      </DashboardCard>
      <DashboardCard title="Warning tests" name="warning-tests" wide>
        <DashboardTestList
          list={health.warning_tests}
          kind="warning"
          onOpen={onOpen}
        />
      </DashboardCard>
      <DashboardCard title="Stale sources" name="stale-sources" wide>
        <StaleSourceList sources={health.stale_sources} onOpen={onOpen} />
      </DashboardCard>

      <DashboardCard title="Run durations" name="run-durations" wide>
        {durations.length ? (
          <ColumnChart
            points={durations}
            label={`Duration of the last ${durations.length} runs`}
            formatValue={formatDuration}
            firstLabel={formatTime(durations[0].label)}
            lastLabel={formatTime(durations[durations.length - 1].label)}
          />
        ) : (
          <p className="jp-DbtWorkbench-muted">
            No finished run through the workbench yet: runs started from the
            side panel, the run commands or <code>%dbt</code> are charted here.
          </p>
        )}
      </DashboardCard>
      <DashboardCard title="Slowest models" name="slowest-models" wide>
        {health.slowest_models.length ? (
          <>
            <BarList
              items={health.slowest_models.map(slow => ({
                key: slow.unique_id,
                label: slow.name,
                value: slow.average,
                title: `average ${formatDuration(slow.average)} over ${slow.runs} run(s), longest ${formatDuration(slow.longest)}, latest ${formatDuration(slow.latest)}`
              }))}
              formatValue={formatDuration}
              onOpen={onOpen}
            />
            <p className="jp-DbtWorkbench-muted">
              {health.slowest_source === 'runs'
                ? 'Average build time over the recent runs of the workbench.'
                : 'From the latest run_results.json (no run through the workbench yet).'}
            </p>
          </>
        ) : (
          <p className="jp-DbtWorkbench-muted">No model has been built yet.</p>
        )}
      </DashboardCard>

      <DashboardCard title="Coverage" name="coverage" wide>
        {health.coverage
          .filter(row => row.nodes > 0)
          .map(row => (
            <div
              key={row.resource_type}
              className="jp-DbtWorkbench-coverage"
              data-kind={row.resource_type}
            >
              <h3>{row.resource_type}s</h3>
              <Meter label="described" part={row.described} whole={row.nodes} />
              <Meter label="tested" part={row.tested} whole={row.nodes} />
              <Meter
                label="columns described"
                part={row.columns_described}
                whole={row.columns}
              />
              <Meter
                label="columns tested"
                part={row.columns_tested}
                whole={row.columns}
              />
            </div>
          ))}
      </DashboardCard>
      <DashboardCard
        title={`Models without tests (${health.models_without_tests.total})`}
        name="models-without-tests"
      >
        <DashboardNodeList
          list={health.models_without_tests}
          empty="Every model has at least one test."
          onOpen={onOpen}
        />
      </DashboardCard>
      <DashboardCard
        title={`Models without a description (${health.models_without_descriptions.total})`}
        name="models-without-descriptions"
      >
        <DashboardNodeList
          list={health.models_without_descriptions}
          empty="Every model has a description."
          onOpen={onOpen}
        />
      </DashboardCard>
    </div>
  );
}

/**
 * The project health dashboard: counts, the last run, tests, freshness,
 * run durations, the slowest models and coverage of one project. It loads
 * again whenever the project's artifacts change.
 */
export function DashboardView(props: IDashboardViewProps): JSX.Element {
  const { model } = props;
  useSignal(model.changed);
  const [chosen, setChosen] = useState<string | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const project =
    chosen && model.projects.some(p => p.id === chosen)
      ? chosen
      : model.currentProjectId;
  const summary = model.projects.find(p => p.id === project) ?? null;
  const loaded = useLoad(
    () =>
      project
        ? fetchDashboard(project)
        : Promise.reject(new Error('No project')),
    `${project}|${summary?.version}|${refreshes}`
  );

  if (!project) {
    if (model.state === 'loading') {
      return <Spinner />;
    }
    return (
      <EmptyState
        reason={model.state === 'error' ? 'error' : 'no_projects'}
        message={model.message}
      />
    );
  }
  return (
    <>
      <header className="jp-DbtWorkbench-dashboardHeader">
        <h1>Project health</h1>
        {model.projects.length > 1 ? (
          <select
            aria-label="Project"
            value={project}
            onChange={event => setChosen(event.target.value)}
          >
            {model.projects.map(p => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="jp-DbtWorkbench-dashboardProject">
            {summary?.name ?? project}
          </span>
        )}
        {loaded.state === 'ready' ? (
          <span className="jp-DbtWorkbench-muted">
            {loaded.value.adapter_type ?? ''} · artifacts of{' '}
            {formatTime(loaded.value.generated_at)}
          </span>
        ) : null}
        <button
          className="jp-mod-styled jp-DbtWorkbench-dashboardRefresh"
          onClick={() => setRefreshes(count => count + 1)}
        >
          Refresh
        </button>
      </header>
      {loaded.state === 'loading' ? (
        <Spinner label="Reading the project's health…" />
      ) : null}
      {loaded.state === 'error' ? (
        <div className="jp-DbtWorkbench-error" role="alert">
          <h3>Cannot show the health of {summary?.name ?? project}</h3>
          <p>{loaded.message}</p>
        </div>
      ) : null}
      {loaded.state === 'ready' ? (
        <Dashboard
          health={loaded.value}
          onOpen={uniqueId => props.onOpenNode(project, uniqueId)}
          onOpenRun={props.onOpenRun}
        />
      ) : null}
    </>
  );
}
