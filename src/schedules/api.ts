/**
 * Typed calls to the `schedules` routes of the REST API.
 */
import { requestAPI } from '../request';
import type {
  IDelivery,
  ISchedule,
  IScheduleExecution,
  IScheduleInput,
  ISchedulePreview,
  ITestNotificationRequest
} from './types';

/** The route of one schedule (and of its sub-resources). */
export function scheduleRoute(id: string, ...parts: string[]): string {
  return ['schedules', encodeURIComponent(id), ...parts].join('/');
}

function post<T>(route: string, body: unknown): Promise<T> {
  return requestAPI<T>(route, { method: 'POST', body: JSON.stringify(body) });
}

/** GET `schedules`: every schedule, or one project's. */
export async function fetchSchedules(
  project?: string | null
): Promise<ISchedule[]> {
  const answer = await requestAPI<{ schedules: ISchedule[] }>(
    'schedules',
    {},
    { project }
  );
  return answer.schedules;
}

/** GET `schedules/<id>`. */
export function fetchSchedule(id: string): Promise<ISchedule> {
  return requestAPI<ISchedule>(scheduleRoute(id));
}

/** POST `schedules`: create a schedule. */
export function createSchedule(input: IScheduleInput): Promise<ISchedule> {
  return post<ISchedule>('schedules', input);
}

/**
 * PUT `schedules/<id>`: change a schedule; fields left out keep their value
 * and masked secrets keep the stored one.
 */
export function updateSchedule(
  id: string,
  input: Partial<IScheduleInput>
): Promise<ISchedule> {
  return requestAPI<ISchedule>(scheduleRoute(id), {
    method: 'PUT',
    body: JSON.stringify(input)
  });
}

/** DELETE `schedules/<id>`. */
export async function deleteSchedule(id: string): Promise<void> {
  await requestAPI<unknown>(scheduleRoute(id), { method: 'DELETE' });
}

/** POST `schedules/<id>/run`: start an execution now. */
export function runScheduleNow(id: string): Promise<IScheduleExecution> {
  return post<IScheduleExecution>(scheduleRoute(id, 'run'), {});
}

/** GET `schedules/<id>/executions`, newest first. */
export async function fetchExecutions(
  id: string,
  limit = 20
): Promise<IScheduleExecution[]> {
  const answer = await requestAPI<{ executions: IScheduleExecution[] }>(
    scheduleRoute(id, 'executions'),
    {},
    { limit }
  );
  return answer.executions;
}

/** GET `schedules/<id>/deliveries`, newest first. */
export async function fetchDeliveries(id: string): Promise<IDelivery[]> {
  const answer = await requestAPI<{ deliveries: IDelivery[] }>(
    scheduleRoute(id, 'deliveries')
  );
  return answer.deliveries;
}

/** POST `schedules/preview`: validate a cron expression and list next slots. */
export function previewCron(
  cron: string,
  timezone: string,
  count = 5
): Promise<ISchedulePreview> {
  return post<ISchedulePreview>('schedules/preview', {
    cron,
    timezone,
    count
  });
}

/** POST `schedules/test-notification`: send one test message now. */
export function sendTestNotification(
  request: ITestNotificationRequest
): Promise<IDelivery> {
  return post<IDelivery>('schedules/test-notification', request);
}
