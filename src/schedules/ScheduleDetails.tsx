/**
 * One schedule's history: its executions (each linking to its dbt runs)
 * and its notification deliveries.
 */
import React, { useEffect, useState } from 'react';

import { Spinner } from '../components/Spinner';
import { formatDuration, formatTime } from '../format';
import { errorMessage } from '../notify';
import { fetchDeliveries, fetchExecutions } from './api';
import { executionTone } from './model';
import { secondsBetween } from './time';
import type { IDelivery, ISchedule, IScheduleExecution } from './types';

/** How often the history is read while an execution is running, in ms. */
const ACTIVE_POLL_MS = 3000;
/** ... and otherwise. */
const IDLE_POLL_MS = 15000;

const TRIGGER_LABELS: Record<string, string> = {
  cron: 'schedule',
  catch_up: 'catch-up',
  manual: 'run now',
  retry: 'retry'
};

/** Props of {@link ScheduleDetails}. */
export interface IScheduleDetailsProps {
  schedule: ISchedule;
  /** Changes when the panel knows something happened (run now). */
  refreshKey: number;
  onOpenRun: (id: string) => void;
}

/** A status as the runs area's pill. */
export function ExecutionPill(props: {
  status: string | null;
}): JSX.Element | null {
  if (!props.status) {
    return null;
  }
  return (
    <span
      className="jp-DbtWorkbench-runStatus"
      data-run-status={props.status}
      data-tone={executionTone(
        props.status as Parameters<typeof executionTone>[0]
      )}
    >
      {props.status}
    </span>
  );
}

/** The executions and deliveries of one schedule, polled while shown. */
export function ScheduleDetails(props: IScheduleDetailsProps): JSX.Element {
  const { schedule, refreshKey, onOpenRun } = props;
  const [executions, setExecutions] = useState<IScheduleExecution[] | null>(
    null
  );
  const [deliveries, setDeliveries] = useState<IDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      let active = false;
      try {
        const [runs, sent] = await Promise.all([
          fetchExecutions(schedule.id, 20),
          fetchDeliveries(schedule.id)
        ]);
        if (!current) {
          return;
        }
        setExecutions(runs);
        setDeliveries(sent);
        setError(null);
        active = runs.some(
          run => run.status === 'queued' || run.status === 'running'
        );
      } catch (reason) {
        if (current) {
          setError(errorMessage(reason));
        }
      }
      if (current) {
        timer = setTimeout(
          () => void load(),
          active ? ACTIVE_POLL_MS : IDLE_POLL_MS
        );
      }
    };
    void load();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [schedule.id, refreshKey]);

  return (
    <div
      className="jp-DbtWorkbench-schedDetails"
      data-schedule-id={schedule.id}
    >
      <h2>Executions of {schedule.name}</h2>
      {error ? <div className="jp-DbtWorkbench-problem">{error}</div> : null}
      {executions === null && !error ? <Spinner /> : null}
      {executions?.length === 0 ? (
        <div className="jp-DbtWorkbench-muted">
          No execution yet. Use Run now to start one.
        </div>
      ) : null}
      {executions && executions.length > 0 ? (
        <table className="jp-DbtWorkbench-table jp-DbtWorkbench-schedExecutions">
          <thead>
            <tr>
              <th>Status</th>
              <th>Trigger</th>
              <th>Slot</th>
              <th>Attempt</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Runs</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {executions.map(execution => (
              <tr
                key={execution.id}
                data-execution-id={execution.id}
                data-status={execution.status}
                data-trigger={execution.trigger}
              >
                <td>
                  <ExecutionPill status={execution.status} />
                </td>
                <td>
                  {TRIGGER_LABELS[execution.trigger] ?? execution.trigger}
                </td>
                <td>{execution.slot ? formatTime(execution.slot) : '—'}</td>
                <td>{execution.attempt}</td>
                <td>{formatTime(execution.started_at)}</td>
                <td>
                  {formatDuration(
                    secondsBetween(execution.started_at, execution.finished_at)
                  )}
                </td>
                <td>
                  {execution.run_ids.map((id, index) => (
                    <a
                      key={id}
                      className="jp-DbtWorkbench-schedRunLink"
                      data-run-id={id}
                      title={`Open run ${id}`}
                      onClick={() => onOpenRun(id)}
                    >
                      {execution.run_ids.length > 1
                        ? `step ${index + 1}`
                        : 'open run'}
                    </a>
                  ))}
                </td>
                <td className="jp-DbtWorkbench-schedMessage">
                  {execution.message ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>Notifications sent</h2>
      {deliveries?.length === 0 ? (
        <div className="jp-DbtWorkbench-muted">
          {schedule.notifications.length === 0
            ? 'This schedule has no notification channel.'
            : 'Nothing sent yet.'}
        </div>
      ) : null}
      {deliveries && deliveries.length > 0 ? (
        <table className="jp-DbtWorkbench-table jp-DbtWorkbench-schedDeliveries">
          <thead>
            <tr>
              <th>Status</th>
              <th>Channel</th>
              <th>Event</th>
              <th>Attempts</th>
              <th>Created</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map(delivery => (
              <tr
                key={delivery.id}
                data-delivery-id={delivery.id}
                data-status={delivery.status}
              >
                <td>
                  <span
                    className="jp-DbtWorkbench-runStatus"
                    data-tone={
                      delivery.status === 'sent'
                        ? 'success'
                        : delivery.status === 'failed'
                          ? 'error'
                          : 'active'
                    }
                  >
                    {delivery.status}
                  </span>
                </td>
                <td>
                  {delivery.kind}
                  {delivery.target ? (
                    <span className="jp-DbtWorkbench-muted">
                      {' '}
                      {delivery.target}
                    </span>
                  ) : null}
                </td>
                <td>{delivery.event}</td>
                <td>
                  {delivery.attempts}
                  {delivery.next_attempt_at && delivery.status !== 'sent' ? (
                    <span className="jp-DbtWorkbench-muted">
                      {' '}
                      (next {formatTime(delivery.next_attempt_at)})
                    </span>
                  ) : null}
                </td>
                <td>{formatTime(delivery.created_at)}</td>
                <td className="jp-DbtWorkbench-schedMessage">
                  {delivery.last_error ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
