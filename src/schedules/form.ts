/**
 * The editor's form state and its conversion to and from the REST payloads.
 *
 * Secrets come back from the server masked. The form keeps a masked value
 * as "unchanged" (the input shows it empty with a placeholder) and sends the
 * mask back, which tells the server to keep what it stored; typing a new
 * value replaces it.
 */
import {
  Backoff,
  CatchUpMode,
  ChannelKind,
  IChannelPayload,
  ISchedule,
  IScheduleInput,
  ITestNotificationRequest,
  MASK,
  Overlap
} from './types';

/** One environment variable row. */
export interface IEnvRow {
  name: string;
  /** '' while `masked`: the stored value is kept. */
  value: string;
  /** The server has a secret value for this name that the user has not replaced. */
  masked: boolean;
  /** The name the masked value was stored under. */
  storedName: string | null;
}

/** One notification channel as the editor shows it. */
export interface IChannelForm {
  kind: ChannelKind;
  events: string[];
  host: string;
  port: string;
  starttls: boolean;
  username: string;
  /** A secret: '' while `maskedPassword` keeps the stored one. */
  password: string;
  maskedPassword: boolean;
  sender: string;
  /** One address per line or comma-separated. */
  recipients: string;
  url: string;
  maskedUrl: boolean;
  secret: string;
  maskedSecret: boolean;
  /**
   * The channel's position in the saved schedule when the editor loaded it;
   * null for a channel added since. Masked secrets belong to that channel.
   */
  savedIndex: number | null;
}

/** The whole editor. Numbers the user types stay text until saved. */
export interface IScheduleForm {
  name: string;
  project: string;
  steps: string[];
  target: string;
  vars: string;
  env: IEnvRow[];
  cron: string;
  timezone: string;
  enabled: boolean;
  maxAttempts: string;
  backoff: Backoff;
  delay: string;
  catchUp: CatchUpMode;
  catchUpMax: string;
  overlap: Overlap;
  /** Seconds; '' for no timeout. */
  timeout: string;
  notifications: IChannelForm[];
}

/** A new schedule's form. */
export function emptyForm(project: string, timezone: string): IScheduleForm {
  return {
    name: '',
    project,
    steps: ['build'],
    target: '',
    vars: '',
    env: [],
    cron: '0 6 * * *',
    timezone,
    enabled: true,
    maxAttempts: '1',
    backoff: 'exponential',
    delay: '60',
    catchUp: 'once',
    catchUpMax: '3',
    overlap: 'skip',
    timeout: '',
    notifications: []
  };
}

/** A new channel of a kind, subscribed to failures and recoveries. */
export function emptyChannel(kind: ChannelKind): IChannelForm {
  return {
    kind,
    events: ['failure', 'recovery'],
    host: '',
    port: '587',
    starttls: true,
    username: '',
    password: '',
    maskedPassword: false,
    sender: '',
    recipients: '',
    url: '',
    maskedUrl: false,
    secret: '',
    maskedSecret: false,
    savedIndex: null
  };
}

function isMasked(value: string | null | undefined): boolean {
  return value === MASK;
}

function channelForm(
  channel: IChannelPayload,
  savedIndex: number
): IChannelForm {
  const form = emptyChannel(channel.kind);
  return {
    ...form,
    events: [...channel.events],
    host: channel.host ?? '',
    port: channel.port !== undefined ? String(channel.port) : form.port,
    starttls: channel.starttls ?? form.starttls,
    username: channel.username ?? '',
    password: isMasked(channel.password) ? '' : (channel.password ?? ''),
    maskedPassword: isMasked(channel.password),
    sender: channel.sender ?? '',
    recipients: (channel.recipients ?? []).join(', '),
    url: isMasked(channel.url) ? '' : (channel.url ?? ''),
    maskedUrl: isMasked(channel.url),
    secret: isMasked(channel.secret) ? '' : (channel.secret ?? ''),
    maskedSecret: isMasked(channel.secret),
    savedIndex
  };
}

/** The form of a stored schedule. */
export function formFromSchedule(schedule: ISchedule): IScheduleForm {
  return {
    name: schedule.name,
    project: schedule.project,
    steps: schedule.steps.length ? [...schedule.steps] : [''],
    target: schedule.target ?? '',
    vars: schedule.vars ?? '',
    env: Object.entries(schedule.env).map(([name, value]) =>
      isMasked(value)
        ? { name, value: '', masked: true, storedName: name }
        : { name, value, masked: false, storedName: null }
    ),
    cron: schedule.cron,
    timezone: schedule.timezone,
    enabled: schedule.enabled,
    maxAttempts: String(schedule.retry.max_attempts),
    backoff: schedule.retry.backoff,
    delay: String(schedule.retry.delay),
    catchUp: schedule.catch_up.mode,
    catchUpMax: String(schedule.catch_up.max),
    overlap: schedule.overlap,
    timeout: schedule.timeout === null ? '' : String(schedule.timeout),
    notifications: schedule.notifications.map((channel, index) =>
      channelForm(channel, index)
    )
  };
}

/** A secret field: the mask keeps the stored value, '' means none. */
function secret(value: string, masked: boolean): string | null {
  if (masked) {
    return MASK;
  }
  return value === '' ? null : value;
}

function recipients(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map(address => address.trim())
    .filter(address => address !== '');
}

/** The payload of one channel. */
export function channelPayload(form: IChannelForm): IChannelPayload {
  const events = [...form.events];
  switch (form.kind) {
    case 'email':
      return {
        kind: 'email',
        events,
        host: form.host.trim(),
        port: Number(form.port),
        starttls: form.starttls,
        username: form.username.trim() || null,
        password: secret(form.password, form.maskedPassword),
        sender: form.sender.trim(),
        recipients: recipients(form.recipients)
      };
    case 'slack':
      return {
        kind: 'slack',
        events,
        url: form.maskedUrl ? MASK : form.url.trim()
      };
    case 'webhook':
      return {
        kind: 'webhook',
        events,
        url: form.maskedUrl ? MASK : form.url.trim(),
        secret: secret(form.secret, form.maskedSecret)
      };
  }
}

/** Problems the form can see before asking the server, by field. */
export type FormErrors = Partial<Record<string, string>>;

function wholeNumber(text: string, min: number): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    return null;
  }
  const number = Number(trimmed);
  return number >= min ? number : null;
}

/**
 * Check what the server would reject for sure, with a message per field
 * (`name`, `project`, `steps`, `env`, `cron`, `timezone`, `retry`,
 * `catch_up`, `timeout`, `notifications.<i>`).
 */
export function validateForm(form: IScheduleForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.name.trim()) {
    errors.name = 'Give the schedule a name.';
  }
  if (!form.project) {
    errors.project = 'Choose the dbt project to run.';
  }
  if (!form.steps.some(step => step.trim() !== '')) {
    errors.steps = 'Add at least one dbt command, e.g. build.';
  }
  if (!form.cron.trim()) {
    errors.cron = 'Enter a cron expression or pick a preset.';
  }
  if (!form.timezone.trim()) {
    errors.timezone = 'Choose a time zone.';
  }
  const names = new Set<string>();
  for (const row of form.env) {
    const name = row.name.trim();
    if (!name) {
      if (row.value || row.masked) {
        errors.env = 'Every environment variable needs a name.';
      }
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      errors.env = `${name} is not a valid environment variable name.`;
    } else if (names.has(name)) {
      errors.env = `${name} is set twice.`;
    } else if (row.masked && name !== row.storedName) {
      errors.env = `Enter the value of ${name} again: a hidden value cannot move to a new name.`;
    }
    names.add(name);
  }
  if (wholeNumber(form.maxAttempts, 1) === null) {
    errors.retry = 'Attempts must be a whole number, 1 or more (1 = no retry).';
  } else if (wholeNumber(form.delay, 0) === null) {
    errors.retry = 'The retry delay must be a whole number of seconds.';
  }
  if (form.catchUp === 'each' && wholeNumber(form.catchUpMax, 1) === null) {
    errors.catch_up = 'The catch-up maximum must be a whole number, 1 or more.';
  }
  if (form.timeout.trim() !== '' && wholeNumber(form.timeout, 1) === null) {
    errors.timeout = 'The timeout must be a whole number of seconds, or empty.';
  }
  form.notifications.forEach((channel, index) => {
    const problem = channelProblem(channel);
    if (problem) {
      errors[`notifications.${index}`] = problem;
    }
  });
  return errors;
}

/** What a channel lacks before it can be saved or tested; null if nothing. */
export function channelProblem(channel: IChannelForm): string | null {
  if (channel.events.length === 0) {
    return 'Tick at least one event.';
  }
  if (channel.kind === 'email') {
    if (!channel.host.trim()) {
      return 'Enter the SMTP host.';
    }
    if (wholeNumber(channel.port, 1) === null) {
      return 'Enter the SMTP port, e.g. 587.';
    }
    if (!channel.sender.trim()) {
      return 'Enter the sender address.';
    }
    if (recipients(channel.recipients).length === 0) {
      return 'Enter at least one recipient.';
    }
    return null;
  }
  if (!channel.maskedUrl && !/^https?:\/\//.test(channel.url.trim())) {
    return 'Enter the http(s) URL to post to.';
  }
  return null;
}

/** Whether the channel still relies on a secret the server keeps hidden. */
function hasMaskedSecret(channel: IChannelForm): boolean {
  return channel.kind === 'email'
    ? channel.maskedPassword
    : channel.maskedUrl || (channel.kind === 'webhook' && channel.maskedSecret);
}

/**
 * Why "Send test" cannot use a channel as it is; null when it can. A test
 * goes to the channel as typed; its hidden secrets are filled in by the
 * server from the saved channel it was loaded from (`scheduleId` is the
 * schedule being edited, null for a new one).
 */
export function testBlocker(
  channel: IChannelForm,
  scheduleId: string | null
): string | null {
  const problem = channelProblem(channel);
  if (problem) {
    return problem;
  }
  if (
    hasMaskedSecret(channel) &&
    (!scheduleId || channel.savedIndex === null)
  ) {
    return 'Type the hidden secret again to send a test.';
  }
  return null;
}

/**
 * The body of a "Send test" for the channel as typed; when it keeps hidden
 * secrets, it names the saved channel they come from.
 */
export function testRequest(
  channel: IChannelForm,
  scheduleId: string | null
): ITestNotificationRequest {
  const request: ITestNotificationRequest = {
    channel: channelPayload(channel)
  };
  if (hasMaskedSecret(channel) && scheduleId && channel.savedIndex !== null) {
    request.schedule_id = scheduleId;
    request.index = channel.savedIndex;
  }
  return request;
}

/** The body to send; call after {@link validateForm} found nothing. */
export function payloadFromForm(form: IScheduleForm): IScheduleInput {
  const env: Record<string, string> = {};
  for (const row of form.env) {
    const name = row.name.trim();
    if (name) {
      env[name] = row.masked ? MASK : row.value;
    }
  }
  const timeout = form.timeout.trim();
  return {
    name: form.name.trim(),
    project: form.project,
    steps: form.steps.map(step => step.trim()).filter(step => step !== ''),
    target: form.target.trim() || null,
    vars: form.vars.trim() || null,
    env,
    cron: form.cron.trim(),
    timezone: form.timezone.trim(),
    enabled: form.enabled,
    retry: {
      max_attempts: Number(form.maxAttempts),
      backoff: form.backoff,
      delay: Number(form.delay)
    },
    catch_up: {
      mode: form.catchUp,
      max: Number(form.catchUpMax) || 1
    },
    overlap: form.overlap,
    timeout: timeout === '' ? null : Number(timeout),
    notifications: form.notifications.map(channel => ({
      ...channelPayload(channel),
      saved_index: channel.savedIndex
    }))
  };
}

/** The payload fields an error message can name in backticks. */
const PAYLOAD_FIELDS = new Set([
  'name',
  'project',
  'steps',
  'target',
  'vars',
  'env',
  'cron',
  'timezone',
  'enabled',
  'retry',
  'catch_up',
  'overlap',
  'timeout',
  'notifications'
]);

/**
 * The form field a server error is about (the server names it in
 * backticks, or speaks of "Step N" / "Notification N"); null to show the
 * error at the top only.
 */
export function fieldOfError(message: string): string | null {
  const channel = /^Notification (\d+):/.exec(message);
  if (channel) {
    return `notifications.${Number(channel[1]) - 1}`;
  }
  if (/^Step \d+/.test(message)) {
    return 'steps';
  }
  const named = /`([a-z_]+)`/.exec(message);
  if (named && PAYLOAD_FIELDS.has(named[1])) {
    return named[1];
  }
  const text = message.toLowerCase();
  if (/cron (expression|preset)/.test(text)) {
    return 'cron';
  }
  if (/timezone|time zone/.test(text)) {
    return 'timezone';
  }
  if (/\bproject\b/.test(text)) {
    return 'project';
  }
  return null;
}
