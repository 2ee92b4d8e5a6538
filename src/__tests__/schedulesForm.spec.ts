import {
  channelPayload,
  channelProblem,
  emptyChannel,
  emptyForm,
  fieldOfError,
  formFromSchedule,
  payloadFromForm,
  testBlocker,
  testRequest,
  validateForm
} from '../schedules/form';
import { ISchedule, MASK } from '../schedules/types';

/** A stored schedule as GET schedules/<id> returns it (secrets masked). */
function stored(): ISchedule {
  return {
    id: 's1',
    name: 'Nightly',
    project: 'demo',
    steps: ['source freshness', 'build -s tag:daily'],
    target: 'prod',
    vars: '{day: 1}',
    env: { DBT_ENV: 'prod', DB_PASSWORD: MASK },
    cron: '0 6 * * *',
    timezone: 'Europe/Berlin',
    enabled: true,
    retry: { max_attempts: 3, backoff: 'exponential', delay: 30 },
    catch_up: { mode: 'each', max: 4 },
    overlap: 'queue',
    timeout: 900,
    notifications: [
      {
        kind: 'email',
        events: ['failure', 'recovery'],
        host: 'smtp.example.com',
        port: 587,
        starttls: true,
        username: 'bot',
        password: MASK,
        sender: 'dbt@example.com',
        recipients: ['a@example.com', 'b@example.com'],
        has_secret: true
      },
      {
        kind: 'webhook',
        events: ['success'],
        url: 'https://example.com/hook',
        secret: MASK,
        has_secret: true
      },
      { kind: 'slack', events: ['failure'], url: MASK, has_secret: true }
    ],
    created_at: '2025-06-01T00:00:00Z',
    updated_at: '2025-06-01T00:00:00Z',
    next_run_at: '2025-06-03T04:00:00Z',
    next_run_local: '2025-06-03T06:00:00+02:00',
    last_run_at: null,
    last_status: null,
    state: 'ok',
    error: null
  };
}

describe('schedule form and payload', () => {
  it('sends an untouched schedule back as it came, masks included', () => {
    const schedule = stored();
    const payload = payloadFromForm(formFromSchedule(schedule));
    expect(payload).toEqual({
      name: 'Nightly',
      project: 'demo',
      steps: ['source freshness', 'build -s tag:daily'],
      target: 'prod',
      vars: '{day: 1}',
      env: { DBT_ENV: 'prod', DB_PASSWORD: MASK },
      cron: '0 6 * * *',
      timezone: 'Europe/Berlin',
      enabled: true,
      retry: { max_attempts: 3, backoff: 'exponential', delay: 30 },
      catch_up: { mode: 'each', max: 4 },
      overlap: 'queue',
      timeout: 900,
      notifications: [
        {
          kind: 'email',
          events: ['failure', 'recovery'],
          host: 'smtp.example.com',
          port: 587,
          starttls: true,
          username: 'bot',
          password: MASK,
          sender: 'dbt@example.com',
          recipients: ['a@example.com', 'b@example.com'],
          saved_index: 0
        },
        {
          kind: 'webhook',
          events: ['success'],
          url: 'https://example.com/hook',
          secret: MASK,
          saved_index: 1
        },
        { kind: 'slack', events: ['failure'], url: MASK, saved_index: 2 }
      ]
    });
  });

  it('shows masked env values as hidden, not as the mask text', () => {
    const form = formFromSchedule(stored());
    expect(form.env).toEqual([
      { name: 'DBT_ENV', value: 'prod', masked: false, storedName: null },
      {
        name: 'DB_PASSWORD',
        value: '',
        masked: true,
        storedName: 'DB_PASSWORD'
      }
    ]);
    expect(form.notifications[0].password).toBe('');
    expect(form.notifications[0].maskedPassword).toBe(true);
  });

  it('sends a retyped secret instead of the mask', () => {
    const form = formFromSchedule(stored());
    form.env[1] = { ...form.env[1], value: 'hunter2', masked: false };
    form.notifications[1] = {
      ...form.notifications[1],
      secret: 'new-key',
      maskedSecret: false
    };
    const payload = payloadFromForm(form);
    expect(payload.env.DB_PASSWORD).toBe('hunter2');
    expect(payload.notifications[1].secret).toBe('new-key');
    expect(payload.notifications[0].password).toBe(MASK);
  });

  it('refuses to move a hidden value to a new name', () => {
    const form = formFromSchedule(stored());
    form.env[1] = { ...form.env[1], name: 'DB_PASS' };
    expect(validateForm(form).env).toMatch(/Enter the value of DB_PASS again/);
  });

  it('turns empty optional fields into nulls and drops empty rows', () => {
    const form = emptyForm('demo', 'UTC');
    form.name = '  Hourly parse ';
    form.steps = ['parse', '  ', ' ls -s tag:daily '];
    form.env = [
      { name: ' ', value: '', masked: false, storedName: null },
      { name: 'DBT_ENV', value: 'ci', masked: false, storedName: null }
    ];
    expect(validateForm(form)).toEqual({});
    const payload = payloadFromForm(form);
    expect(payload.name).toBe('Hourly parse');
    expect(payload.steps).toEqual(['parse', 'ls -s tag:daily']);
    expect(payload.target).toBeNull();
    expect(payload.vars).toBeNull();
    expect(payload.timeout).toBeNull();
    expect(payload.env).toEqual({ DBT_ENV: 'ci' });
    expect(payload.timezone).toBe('UTC');
  });

  it('names the fields a user must fix', () => {
    const form = emptyForm('', 'UTC');
    form.steps = [''];
    form.maxAttempts = '0';
    form.timeout = '1.5';
    form.env = [{ name: '1BAD', value: 'x', masked: false, storedName: null }];
    form.notifications = [emptyChannel('webhook')];
    const errors = validateForm(form);
    expect(Object.keys(errors).sort()).toEqual([
      'env',
      'name',
      'notifications.0',
      'project',
      'retry',
      'steps',
      'timeout'
    ]);
  });
});

describe('notification channels', () => {
  it('splits recipients and reads the port as a number', () => {
    const channel = {
      ...emptyChannel('email'),
      host: 'smtp.example.com',
      port: '25',
      sender: 'dbt@example.com',
      recipients: 'a@example.com,\nb@example.com; c@example.com'
    };
    expect(channelProblem(channel)).toBeNull();
    const payload = channelPayload(channel);
    expect(payload.port).toBe(25);
    expect(payload.recipients).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com'
    ]);
    expect(payload.password).toBeNull();
    expect(payload.username).toBeNull();
  });

  it('asks for what a channel lacks', () => {
    expect(channelProblem(emptyChannel('email'))).toMatch(/SMTP host/);
    expect(channelProblem(emptyChannel('slack'))).toMatch(/URL/);
    expect(
      channelProblem({
        ...emptyChannel('slack'),
        url: 'https://hooks.example.com/x',
        events: []
      })
    ).toMatch(/event/);
  });
});

describe('Send test', () => {
  it('tests a saved channel with its hidden secret, even after edits', () => {
    const [email, webhook, slack] = formFromSchedule(stored()).notifications;
    for (const channel of [email, webhook, slack]) {
      expect(testBlocker(channel, 's1')).toBeNull();
    }
    const edited = { ...webhook, url: 'https://example.com/other' };
    expect(testRequest(edited, 's1')).toEqual({
      channel: {
        kind: 'webhook',
        events: ['success'],
        url: 'https://example.com/other',
        secret: MASK
      },
      schedule_id: 's1',
      index: 1
    });
    expect(testRequest(slack, 's1')).toMatchObject({
      channel: { url: MASK },
      schedule_id: 's1',
      index: 2
    });
  });

  it('sends a channel without hidden secrets as typed', () => {
    const email = formFromSchedule(stored()).notifications[0];
    const retyped = { ...email, password: 'x', maskedPassword: false };
    expect(testRequest(retyped, 's1')).toEqual({
      channel: channelPayload(retyped)
    });
    const fresh = { ...emptyChannel('slack'), url: 'https://hooks.example' };
    expect(testBlocker(fresh, null)).toBeNull();
    expect(testRequest(fresh, null)).toEqual({
      channel: channelPayload(fresh)
    });
  });

  it('refuses a hidden secret with no saved channel behind it', () => {
    const webhook = formFromSchedule(stored()).notifications[1];
    expect(testBlocker(webhook, null)).toMatch(/hidden secret/);
    expect(testBlocker({ ...webhook, savedIndex: null }, 's1')).toMatch(
      /hidden secret/
    );
    expect(testBlocker({ ...webhook, events: [] }, 's1')).toMatch(/event/);
  });

  it('keeps the saved position of channels when one above is removed', () => {
    const form = formFromSchedule(stored());
    form.notifications = [
      form.notifications[2],
      emptyChannel('webhook'),
      form.notifications[1]
    ];
    form.notifications[1].url = 'https://example.com/new';
    const payload = payloadFromForm(form);
    expect(payload.notifications.map(c => c.saved_index)).toEqual([2, null, 1]);
    expect(testRequest(form.notifications[0], 's1').index).toBe(2);
  });
});

describe('fieldOfError', () => {
  it.each([
    ["Invalid cron expression '61 * * * *': bad minute.", 'cron'],
    ["Unknown timezone 'Mars/Olympus': give an IANA name", 'timezone'],
    ['Step 2 (`bild`): Unknown dbt command', 'steps'],
    ['Notification 2: Enter the SMTP host.', 'notifications.1'],
    ['`retry` must be an object {max_attempts, backoff, delay}.', 'retry'],
    ['`env` DB_PASSWORD is masked but no value is stored for it', 'env'],
    ['Unknown project nope.', 'project'],
    ['The database is locked.', null]
  ])('%s is about %s', (message, field) => {
    expect(fieldOfError(message)).toBe(field);
  });
});
