/**
 * Payloads of the schedules REST API (docs/api.md, "Scheduler"), mirroring
 * jupyterlab_dbt_workbench/schedules/payloads.py and notify/payloads.py.
 */

/** What the server shows in place of a secret value. */
export const MASK = '********';

/** The events a notification channel can subscribe to. */
export const EVENTS = [
  'success',
  'failure',
  'warning',
  'cancel',
  'recovery'
] as const;

export type ScheduleEvent = (typeof EVENTS)[number];

export type ChannelKind = 'email' | 'slack' | 'webhook';

export type Backoff = 'fixed' | 'exponential';

export type CatchUpMode = 'skip' | 'once' | 'each';

export type Overlap = 'skip' | 'queue' | 'cancel_previous';

/**
 * One notification target. Secrets (the SMTP password, the webhook secret,
 * the Slack URL) come back as {@link MASK}; sending the mask back keeps the
 * stored value.
 */
export interface IChannelPayload {
  kind: ChannelKind;
  events: string[];
  has_secret?: boolean;
  /** email */
  host?: string;
  port?: number;
  starttls?: boolean;
  username?: string | null;
  password?: string | null;
  sender?: string;
  recipients?: string[];
  /** slack and webhook */
  url?: string;
  /** webhook: the HMAC key of the signature header */
  secret?: string | null;
}

/**
 * A channel in the body of POST/PUT schedules: `saved_index` is its position
 * when the editor loaded it (null for a new channel), which tells the server
 * whose masked secrets it keeps even after channels above it were removed.
 */
export interface IChannelInput extends IChannelPayload {
  saved_index?: number | null;
}

/**
 * The body of POST schedules/test-notification: a channel as typed, a saved
 * channel (`schedule_id` and its `index`), or both (the typed channel with
 * its masked secrets taken from the saved one).
 */
export interface ITestNotificationRequest {
  channel?: IChannelPayload;
  schedule_id?: string;
  index?: number;
}

export interface IRetryPolicy {
  /** 1 means no retry. */
  max_attempts: number;
  backoff: Backoff;
  /** Seconds before the first retry. */
  delay: number;
}

export interface ICatchUpPolicy {
  mode: CatchUpMode;
  max: number;
}

/** The body of POST schedules and PUT schedules/<id>. */
export interface IScheduleInput {
  name: string;
  project: string;
  /** dbt command lines without `dbt`, e.g. `build -s tag:daily`. */
  steps: string[];
  target: string | null;
  /** YAML or JSON text passed as `--vars`. */
  vars: string | null;
  env: Record<string, string>;
  cron: string;
  timezone: string;
  enabled: boolean;
  retry: IRetryPolicy;
  catch_up: ICatchUpPolicy;
  overlap: Overlap;
  /** Seconds per run, or none. */
  timeout: number | null;
  notifications: IChannelInput[];
}

/** A stored schedule, as the server shows it (secret env values masked). */
export interface ISchedule extends IScheduleInput {
  notifications: IChannelPayload[];
  id: string;
  created_at: string;
  updated_at: string;
  /** UTC ISO time of the next slot. */
  next_run_at: string | null;
  /** The same instant as ISO with the schedule's own offset. */
  next_run_local: string | null;
  last_run_at: string | null;
  last_status: ExecutionStatus | null;
  state: 'ok' | 'error';
  error: string | null;
}

export type ExecutionStatus =
  | 'queued'
  | 'running'
  | 'success'
  | 'warning'
  | 'failed'
  | 'cancelled'
  | 'skipped'
  | 'timeout'
  | 'interrupted';

export type ExecutionTrigger = 'cron' | 'catch_up' | 'manual' | 'retry';

export interface IScheduleExecution {
  id: string;
  schedule_id: string;
  /** The cron slot (UTC ISO); null for a run-now execution. */
  slot: string | null;
  trigger: ExecutionTrigger;
  status: ExecutionStatus;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  run_ids: string[];
  message: string | null;
}

export interface IDelivery {
  id: string;
  schedule_id: string | null;
  execution_id: string | null;
  kind: ChannelKind;
  /** Where it goes (host and recipients, or the URL's host). */
  target: string;
  event: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
}

/** One slot of a preview: the same instant in UTC and in the schedule's zone. */
export interface IPreviewSlot {
  utc: string;
  local: string;
}

/** The answer of POST schedules/preview. */
export interface ISchedulePreview {
  valid: boolean;
  error: string | null;
  next: IPreviewSlot[];
}
