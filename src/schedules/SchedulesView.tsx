/**
 * The Schedules panel: every schedule with its cron in words, next run in
 * the user's and the schedule's zone, last status and actions, and the
 * selected schedule's history below.
 */
import React, { useState } from 'react';

import { useSignal } from '../components/hooks';
import { Spinner } from '../components/Spinner';
import { WorkbenchModel } from '../model/workbench';
import { permissionTitle } from '../permissions';
import { describeCron } from './cron';
import { SchedulesModel } from './model';
import { ExecutionPill, ScheduleDetails } from './ScheduleDetails';
import { formatRelative, twoZoneTime } from './time';
import type { ISchedule } from './types';

/** What the panel's buttons do (the plugin confirms, calls and notifies). */
export interface IScheduleActions {
  create: () => void;
  edit: (schedule: ISchedule) => void;
  setEnabled: (schedule: ISchedule, enabled: boolean) => Promise<void>;
  runNow: (schedule: ISchedule) => Promise<void>;
  remove: (schedule: ISchedule) => Promise<void>;
  openRun: (id: string) => void;
}

/** Props of {@link SchedulesView}. */
export interface ISchedulesViewProps {
  schedules: SchedulesModel;
  workbench: WorkbenchModel;
  userZone: string;
  actions: IScheduleActions;
}

/** One schedule's row. */
function ScheduleRow(props: {
  schedule: ISchedule;
  projectName: string;
  userZone: string;
  selected: boolean;
  busy: string | null;
  /** Why the role cannot change schedules; undefined when it can. */
  denied: string | undefined;
  onSelect: () => void;
  onAction: (action: string, run: () => Promise<void> | void) => void;
  actions: IScheduleActions;
}): JSX.Element {
  const { schedule, actions, onAction, busy, denied } = props;
  const locked = busy !== null || denied !== undefined;
  const next = twoZoneTime(
    schedule.next_run_at,
    schedule.timezone,
    props.userZone
  );
  const words = describeCron(schedule.cron);
  return (
    <tr
      className="jp-DbtWorkbench-schedRow"
      data-schedule-id={schedule.id}
      data-enabled={schedule.enabled ? 'true' : 'false'}
      data-state={schedule.state}
      aria-selected={props.selected}
      onClick={props.onSelect}
    >
      <td>
        <div className="jp-DbtWorkbench-schedRowName">{schedule.name}</div>
        {schedule.error ? (
          <div className="jp-DbtWorkbench-schedRowError" role="alert">
            {schedule.error}
          </div>
        ) : null}
      </td>
      <td>{props.projectName}</td>
      <td>
        {schedule.steps.map((step, index) => (
          <code key={index} className="jp-DbtWorkbench-schedStepCode">
            dbt {step}
          </code>
        ))}
      </td>
      <td className="jp-DbtWorkbench-schedCron">
        <div>{words ?? schedule.cron}</div>
        <div className="jp-DbtWorkbench-muted">
          {words ? <code>{schedule.cron}</code> : null} {schedule.timezone}
        </div>
      </td>
      <td className="jp-DbtWorkbench-schedNext">
        {!schedule.enabled ? (
          <span className="jp-DbtWorkbench-muted">paused</span>
        ) : schedule.next_run_at ? (
          <>
            <div className="jp-DbtWorkbench-schedNextUser">
              {next.user}{' '}
              <span className="jp-DbtWorkbench-muted">
                ({formatRelative(schedule.next_run_at)})
              </span>
            </div>
            {next.schedule ? (
              <div className="jp-DbtWorkbench-schedNextLocal jp-DbtWorkbench-muted">
                {next.schedule} in {schedule.timezone}
              </div>
            ) : null}
          </>
        ) : (
          <span className="jp-DbtWorkbench-muted">—</span>
        )}
      </td>
      <td className="jp-DbtWorkbench-schedLast">
        <ExecutionPill status={schedule.last_status} />
        {schedule.last_run_at ? (
          <div className="jp-DbtWorkbench-muted">
            {formatRelative(schedule.last_run_at)}
          </div>
        ) : schedule.last_status ? null : (
          <span className="jp-DbtWorkbench-muted">never</span>
        )}
      </td>
      <td onClick={event => event.stopPropagation()}>
        <label
          className="jp-DbtWorkbench-schedToggle"
          title={
            denied ?? (schedule.enabled ? 'Pause this schedule' : 'Resume it')
          }
        >
          <input
            type="checkbox"
            checked={schedule.enabled}
            disabled={locked}
            aria-label={`${schedule.name} enabled`}
            onChange={event => {
              const enabled = event.target.checked;
              onAction('toggle', () => actions.setEnabled(schedule, enabled));
            }}
          />
          <span>{schedule.enabled ? 'On' : 'Paused'}</span>
        </label>
      </td>
      <td
        className="jp-DbtWorkbench-schedActions"
        onClick={event => event.stopPropagation()}
      >
        <button
          type="button"
          className="jp-mod-styled jp-DbtWorkbench-schedAction"
          data-action="run"
          disabled={locked || schedule.state === 'error'}
          title={denied ?? 'Start an execution now, whatever the schedule'}
          onClick={() => onAction('run', () => actions.runNow(schedule))}
        >
          {busy === 'run' ? 'Starting…' : 'Run now'}
        </button>
        <button
          type="button"
          className="jp-mod-styled jp-DbtWorkbench-schedAction"
          data-action="edit"
          disabled={locked}
          title={denied}
          onClick={() => actions.edit(schedule)}
        >
          Edit
        </button>
        <button
          type="button"
          className="jp-mod-styled jp-DbtWorkbench-schedAction"
          data-action="delete"
          disabled={locked}
          title={denied}
          onClick={() => onAction('delete', () => actions.remove(schedule))}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

/** The list, its toolbar and the selected schedule's history. */
export function SchedulesView(props: ISchedulesViewProps): JSX.Element {
  const { schedules, workbench, actions, userZone } = props;
  useSignal(schedules.changed);
  useSignal(workbench.changed);
  const denied = permissionTitle(workbench.permissions, 'edit_schedules');
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState<Record<string, string>>({});
  const [refreshKey, setRefreshKey] = useState(0);

  const list = schedules.schedules;
  const current =
    list.find(schedule => schedule.id === selected) ??
    (list.length === 1 ? list[0] : null);
  const projectName = (id: string): string =>
    workbench.projects.find(project => project.id === id)?.name ?? id;

  const onAction = (
    schedule: ISchedule,
    action: string,
    run: () => Promise<void> | void
  ): void => {
    setBusy(old => ({ ...old, [schedule.id]: action }));
    void Promise.resolve(run()).finally(() => {
      setBusy(old => {
        const next = { ...old };
        delete next[schedule.id];
        return next;
      });
      if (action === 'run') {
        setSelected(schedule.id);
        setRefreshKey(key => key + 1);
      }
    });
  };

  return (
    <div className="jp-DbtWorkbench-schedPanel">
      <div className="jp-DbtWorkbench-schedHeader">
        <h1>Schedules</h1>
        <button
          type="button"
          className="jp-mod-styled jp-mod-accept jp-DbtWorkbench-schedNew"
          disabled={denied !== undefined}
          title={denied}
          onClick={actions.create}
        >
          New schedule
        </button>
        <button
          type="button"
          className="jp-mod-styled jp-DbtWorkbench-schedRefresh"
          disabled={schedules.loading}
          onClick={() => void schedules.refresh()}
        >
          Refresh
        </button>
        {schedules.loading && schedules.loaded ? (
          <span className="jp-DbtWorkbench-schedSpinner" role="progressbar" />
        ) : null}
        <span className="jp-DbtWorkbench-muted jp-DbtWorkbench-schedZone">
          Times in your zone, {userZone}
        </span>
      </div>
      {schedules.error ? (
        <div className="jp-DbtWorkbench-problem" role="alert">
          {schedules.error}
        </div>
      ) : null}
      {!schedules.loaded && !schedules.error ? (
        <Spinner label="Loading schedules…" />
      ) : null}
      {schedules.loaded && list.length === 0 ? (
        <div className="jp-DbtWorkbench-empty">
          <h3>No schedules yet</h3>
          <p>
            A schedule runs dbt commands (say, <code>source freshness</code>{' '}
            then <code>build</code>) on a cron in a time zone, with retries and
            notifications.
          </p>
          <button
            type="button"
            className="jp-mod-styled jp-mod-accept jp-DbtWorkbench-schedEmptyNew"
            disabled={denied !== undefined}
            title={denied}
            onClick={actions.create}
          >
            Create your first schedule
          </button>
        </div>
      ) : null}
      {list.length > 0 ? (
        <table className="jp-DbtWorkbench-table jp-DbtWorkbench-schedList">
          <thead>
            <tr>
              <th>Name</th>
              <th>Project</th>
              <th>Steps</th>
              <th>Schedule</th>
              <th>Next run</th>
              <th>Last</th>
              <th>Enabled</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map(schedule => (
              <ScheduleRow
                key={schedule.id}
                schedule={schedule}
                projectName={projectName(schedule.project)}
                userZone={userZone}
                selected={current?.id === schedule.id}
                busy={busy[schedule.id] ?? null}
                denied={denied}
                onSelect={() => setSelected(schedule.id)}
                onAction={(action, run) => onAction(schedule, action, run)}
                actions={actions}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {current ? (
        <ScheduleDetails
          schedule={current}
          refreshKey={refreshKey}
          onOpenRun={actions.openRun}
        />
      ) : null}
    </div>
  );
}
