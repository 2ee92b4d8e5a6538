import React, { useEffect, useMemo, useState } from 'react';

import { formatDuration, formatTime } from '../format';
import {
  isActive,
  liveProgress,
  orderedNodes,
  parseTime,
  runActions,
  runTone
} from '../model/runs';
import { showError } from '../notify';
import type { RunSession } from '../runs/session';
import type { IRunSummary } from '../tokens';
import { useSignal } from './hooks';
import { RunLog } from './RunLog';
import { RunNodesTable } from './RunNodesTable';
import { RunProgressBar } from './RunProgressBar';
import { RunStatusPill } from './RunStatusPill';
import { RunTimeline } from './RunTimeline';
import { Spinner } from './Spinner';

/** The actions of the run page; each returns the run it started or changed. */
export interface IRunPageActions {
  cancel: (id: string) => Promise<IRunSummary>;
  retry: (id: string) => Promise<IRunSummary>;
  rerun: (id: string) => Promise<IRunSummary>;
}

/** Props of {@link RunPageView}. */
export interface IRunPageViewProps {
  session: RunSession;
  actions: IRunPageActions;
  onOpenNode: (project: string, uniqueId: string) => void;
  onOpenRun: (id: string) => void;
  /** The name to show for a project id. */
  projectLabel?: (project: string) => string;
  /** Why the user may not cancel, retry or rerun runs; undefined when they may. */
  runDenied?: () => string | undefined;
}

type Tab = 'nodes' | 'timeline' | 'log' | 'artifacts';

const TABS: ReadonlyArray<{ id: Tab; label: string }> = [
  { id: 'nodes', label: 'Nodes' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'log', label: 'Log' },
  { id: 'artifacts', label: 'Artifacts' }
];

/** The current time, ticking every second while `active`. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) {
      setNow(Date.now());
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * One run: its status, command and timings, a per-node progress bar, the
 * nodes, a timeline, the live log and the artifacts, with cancel, retry
 * and rerun.
 */
export function RunPageView(props: IRunPageViewProps): JSX.Element {
  const { session } = props;
  useSignal(session.changed);
  const [tab, setTab] = useState<Tab>('nodes');
  const [busy, setBusy] = useState<string | null>(null);
  const summary = session.summary;
  const active = summary !== null && isActive(summary.status);
  const now = useNow(active);
  const nodes = useMemo(() => orderedNodes(session.nodes), [session.nodes]);

  if (!summary) {
    if (session.connection === 'error') {
      return (
        <div className="jp-DbtWorkbench-error" role="alert">
          <h3>Cannot show run {session.id}</h3>
          <p>{session.error}</p>
        </div>
      );
    }
    return <Spinner label={`Loading run ${session.id}…`} />;
  }

  const detail = session.detail;
  const project = summary.project;
  const allowed = runActions(summary.status);
  const denied = props.runDenied?.();
  const { progress, counts } = liveProgress(summary, session.nodes);
  const started = parseTime(summary.started_at);
  // While it runs, the clock ticks here; the server's duration lags.
  const elapsed =
    active && started !== null
      ? Math.max(0, (now - started) / 1000)
      : summary.duration;

  const act = async (
    name: keyof IRunPageActions,
    opensNewRun: boolean
  ): Promise<void> => {
    setBusy(name);
    try {
      const run = await props.actions[name](summary.id);
      if (opensNewRun) {
        props.onOpenRun(run.id);
      } else {
        await session.refresh();
      }
    } catch (error) {
      showError(error, `Cannot ${name} the run`);
    } finally {
      setBusy(null);
    }
  };

  const facts: Array<[string, React.ReactNode]> = [
    ['Project', props.projectLabel?.(summary.project) ?? summary.project],
    ['Started by', summary.user],
    ['Created', formatTime(summary.created_at)],
    ['Started', formatTime(summary.started_at)],
    ['Finished', formatTime(summary.finished_at)],
    ['Duration', formatDuration(elapsed)],
    [
      'Exit',
      summary.exit_signal
        ? `signal ${summary.exit_signal}`
        : summary.returncode !== null
          ? `code ${summary.returncode}`
          : null
    ],
    ['Retry of', runLink(summary.retry_of)],
    ['Rerun of', runLink(summary.rerun_of)]
  ];

  return (
    <div className="jp-DbtWorkbench-runPageBody" data-run-id={summary.id}>
      <header className="jp-DbtWorkbench-runHeader">
        <h1>
          <RunStatusPill status={summary.status} />
          <code className="jp-DbtWorkbench-runCli">
            dbt {summary.cli || summary.command}
          </code>
          {active ? (
            <span
              className="jp-DbtWorkbench-runConnection jp-DbtWorkbench-muted"
              data-connection={session.connection}
            >
              {session.connection === 'polling' ? 'polling' : 'live'}
            </span>
          ) : null}
        </h1>
        <div className="jp-DbtWorkbench-runActions">
          <button
            className="jp-Button jp-mod-styled jp-mod-warn jp-DbtWorkbench-runAction"
            data-action="cancel"
            disabled={!allowed.cancel || busy !== null || denied !== undefined}
            title={
              denied ?? 'Stop the run (dbt gets an interrupt, then a terminate)'
            }
            onClick={() => void act('cancel', false)}
          >
            {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
          <button
            className="jp-Button jp-mod-styled jp-DbtWorkbench-runAction"
            data-action="retry"
            disabled={!allowed.retry || busy !== null || denied !== undefined}
            title={
              denied ??
              'Run dbt retry: only the nodes that failed or were skipped'
            }
            onClick={() => void act('retry', true)}
          >
            {busy === 'retry' ? 'Starting…' : 'Retry failed'}
          </button>
          <button
            className="jp-Button jp-mod-styled jp-DbtWorkbench-runAction"
            data-action="rerun"
            disabled={!allowed.rerun || busy !== null || denied !== undefined}
            title={denied ?? 'Run the same command again'}
            onClick={() => void act('rerun', true)}
          >
            {busy === 'rerun' ? 'Starting…' : 'Rerun'}
          </button>
        </div>
        {summary.message ? (
          <div
            className="jp-DbtWorkbench-runMessage"
            data-tone={runTone(summary.status)}
          >
            {summary.message}
          </div>
        ) : null}
        <dl className="jp-DbtWorkbench-facts">
          {facts
            .filter(([, value]) => value !== null && value !== '')
            .map(([label, value]) => (
              <React.Fragment key={label}>
                <dt>{label}</dt>
                <dd data-fact={label.toLowerCase()}>{value}</dd>
              </React.Fragment>
            ))}
        </dl>
      </header>
      <RunProgressBar progress={progress} counts={counts} active={active} />
      <div className="jp-DbtWorkbench-tabs" role="tablist">
        {TABS.map(item => (
          <button
            key={item.id}
            role="tab"
            className="jp-DbtWorkbench-tab"
            data-tab={item.id}
            aria-selected={tab === item.id}
            onClick={() => setTab(item.id)}
          >
            {item.label}
            {item.id === 'nodes' && nodes.length ? ` (${nodes.length})` : ''}
            {item.id === 'log' && session.events.length
              ? ` (${session.events.length})`
              : ''}
          </button>
        ))}
      </div>
      <div className="jp-DbtWorkbench-tabPanel" role="tabpanel" data-tab={tab}>
        {tabContent()}
      </div>
    </div>
  );

  function tabContent(): JSX.Element {
    const openNode = (uniqueId: string): void =>
      props.onOpenNode(project, uniqueId);
    switch (tab) {
      case 'nodes':
        return <RunNodesTable nodes={nodes} onOpenNode={openNode} />;
      case 'timeline':
        return <RunTimeline nodes={nodes} now={now} onOpenNode={openNode} />;
      case 'log':
        return <RunLog events={session.events} live={active} />;
      case 'artifacts':
        return <Artifacts files={detail?.artifacts ?? []} active={active} />;
    }
  }

  function runLink(id: string | null): React.ReactNode {
    if (!id) {
      return null;
    }
    return (
      <a
        href="#"
        className="jp-DbtWorkbench-fileLink"
        onClick={event => {
          event.preventDefault();
          props.onOpenRun(id);
        }}
      >
        {id}
      </a>
    );
  }
}

function Artifacts(props: {
  files: readonly string[];
  active: boolean;
}): JSX.Element {
  if (props.files.length === 0) {
    return (
      <p className="jp-DbtWorkbench-muted">
        {props.active
          ? 'The artifacts are listed when the run ends.'
          : 'This run produced no artifacts.'}
      </p>
    );
  }
  return (
    <ul className="jp-DbtWorkbench-runArtifacts">
      {props.files.map(file => (
        <li key={file} data-artifact={file}>
          <code>{file}</code>
        </li>
      ))}
    </ul>
  );
}
