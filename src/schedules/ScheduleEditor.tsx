/**
 * The form creating or changing a schedule: steps, cron and zone with a
 * live preview, run options, policies and notification channels.
 */
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { useSignal } from '../components/hooks';
import { WorkbenchModel } from '../model/workbench';
import { errorMessage } from '../notify';
import { createSchedule, updateSchedule } from './api';
import { ChannelEditor } from './ChannelEditor';
import { CronField } from './CronField';
import { EnvEditor, Field, StepsEditor, TimezonePicker } from './fields';
import {
  emptyChannel,
  fieldOfError,
  FormErrors,
  IScheduleForm,
  payloadFromForm,
  validateForm
} from './form';
import { isTimeZone, timeZones } from './time';
import type {
  Backoff,
  CatchUpMode,
  ChannelKind,
  ISchedule,
  Overlap
} from './types';

/** Props of {@link ScheduleEditor}. */
export interface IScheduleEditorProps {
  model: WorkbenchModel;
  /** The schedule being changed; null for a new one. */
  scheduleId: string | null;
  initial: IScheduleForm;
  userZone: string;
  onSaved: (schedule: ISchedule) => void;
  onCancel: () => void;
}

const OVERLAPS: { value: Overlap; label: string }[] = [
  { value: 'skip', label: 'Skip the new run' },
  { value: 'queue', label: 'Queue it after the running one' },
  { value: 'cancel_previous', label: 'Cancel the running one' }
];

const CATCH_UPS: { value: CatchUpMode; label: string }[] = [
  { value: 'skip', label: 'Skip missed runs' },
  { value: 'once', label: 'Run once for all missed runs' },
  { value: 'each', label: 'Run each missed run, up to' }
];

/** The error key of form fields whose key differs from the payload's. */
const ERROR_KEYS: Record<string, string> = {
  maxAttempts: 'retry',
  backoff: 'retry',
  delay: 'retry',
  catchUp: 'catch_up',
  catchUpMax: 'catch_up'
};

/**
 * Why the typed zone cannot be right, as soon as no zone starts with it (so
 * that typing "Europe/Be" on the way to "Europe/Berlin" is not an error).
 */
function zoneProblem(
  typed: string,
  zones: readonly string[]
): string | undefined {
  const text = typed.trim().toLowerCase();
  if (!text) {
    return 'Pick a time zone, e.g. Europe/Berlin or UTC.';
  }
  if (isTimeZone(typed) || zones.some(z => z.toLowerCase().startsWith(text))) {
    return undefined;
  }
  return `Unknown time zone "${typed.trim()}": pick one from the list, e.g. Europe/Berlin.`;
}

/** The schedule editor. */
export function ScheduleEditor(props: IScheduleEditorProps): JSX.Element {
  const { model, userZone } = props;
  useSignal(model.changed);
  const [form, setForm] = useState<IScheduleForm>(props.initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [topError, setTopError] = useState<string | null>(null);
  // Bumped by each refused save: the first field at fault is then brought
  // into view, since Save sits at the bottom of a long form.
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const root = formRef.current;
    if (refusals === 0 || !root) {
      return;
    }
    const target =
      root.querySelector<HTMLElement>('[data-invalid="true"]') ??
      root.querySelector<HTMLElement>('.jp-DbtWorkbench-schedTopError');
    target?.scrollIntoView({ block: 'center' });
    target?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [refusals]);
  const [saving, setSaving] = useState(false);
  const [cronValid, setCronValid] = useState<boolean | null>(null);
  const zones = useMemo(() => timeZones(), []);

  const set = (change: Partial<IScheduleForm>): void => {
    setForm(old => ({ ...old, ...change }));
    setTopError(null);
    // A field's message goes once the user touches that field.
    setErrors(old => {
      const next = { ...old };
      for (const key of Object.keys(change)) {
        delete next[ERROR_KEYS[key] ?? key];
      }
      if ('notifications' in change) {
        for (const key of Object.keys(next)) {
          if (key.startsWith('notifications')) {
            delete next[key];
          }
        }
      }
      return next;
    });
  };

  const projects = model.projects;
  // A new schedule opened before the project list arrived: default to the
  // side panel's project once it is known.
  const defaultProject = model.currentProjectId ?? projects[0]?.id ?? '';
  useEffect(() => {
    if (form.project === '' && defaultProject !== '') {
      setForm(old =>
        old.project === '' ? { ...old, project: defaultProject } : old
      );
    }
  }, [defaultProject]);
  const missingProject =
    form.project !== '' && !projects.some(p => p.id === form.project);

  const save = async (): Promise<void> => {
    const found = validateForm(form);
    if (!isTimeZone(form.timezone) && !found.timezone) {
      found.timezone = `${form.timezone} is not a time zone this browser knows; pick one from the list.`;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setTopError('Some fields need attention.');
      setRefusals(count => count + 1);
      return;
    }
    setTopError(null);
    setSaving(true);
    try {
      const payload = payloadFromForm(form);
      const saved = props.scheduleId
        ? await updateSchedule(props.scheduleId, payload)
        : await createSchedule(payload);
      props.onSaved(saved);
    } catch (error) {
      const message = errorMessage(error);
      const field = fieldOfError(message);
      setTopError(message);
      if (field) {
        setErrors({ [field]: message });
      }
      setRefusals(count => count + 1);
    } finally {
      setSaving(false);
    }
  };

  const addChannel = (kind: ChannelKind): void =>
    set({ notifications: [...form.notifications, emptyChannel(kind)] });

  return (
    <form
      className="jp-DbtWorkbench-schedEditor"
      ref={formRef}
      data-schedule-id={props.scheduleId ?? ''}
      onSubmit={event => {
        event.preventDefault();
        void save();
      }}
    >
      <h1>
        {props.scheduleId ? `Edit ${props.initial.name}` : 'New schedule'}
      </h1>
      {topError ? (
        <div className="jp-DbtWorkbench-schedTopError" role="alert">
          {topError}
        </div>
      ) : null}

      <section className="jp-DbtWorkbench-schedSection">
        <h2>What runs</h2>
        <Field label="Name" field="name" error={errors.name}>
          <input
            className="jp-mod-styled jp-DbtWorkbench-schedName"
            value={form.name}
            placeholder="Nightly build"
            onChange={event => set({ name: event.target.value })}
          />
        </Field>
        <Field label="Project" field="project" error={errors.project}>
          <select
            className="jp-mod-styled jp-DbtWorkbench-schedProject"
            value={form.project}
            onChange={event => set({ project: event.target.value })}
          >
            {form.project === '' ? <option value="">Choose…</option> : null}
            {missingProject ? (
              <option value={form.project}>{form.project} (not found)</option>
            ) : null}
            {projects.map(project => (
              <option key={project.id} value={project.id}>
                {project.name}
                {project.id !== project.name ? ` (${project.id})` : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Steps"
          field="steps"
          error={errors.steps}
          hint="Run one after another; a failed step stops the execution."
        >
          <StepsEditor steps={form.steps} onChange={steps => set({ steps })} />
        </Field>
        <Field label="Enabled" field="enabled">
          <label className="jp-DbtWorkbench-schedCheck">
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={event => set({ enabled: event.target.checked })}
            />
            Run on schedule (untick to pause)
          </label>
        </Field>
      </section>

      <section className="jp-DbtWorkbench-schedSection">
        <h2>When</h2>
        <Field label="Repeat" field="cron" error={errors.cron}>
          <CronField
            cron={form.cron}
            timezone={form.timezone}
            userZone={userZone}
            onChange={cron => set({ cron })}
            onValidity={setCronValid}
            fieldError={errors.cron}
          />
        </Field>
        <Field
          label="Time zone"
          field="timezone"
          error={errors.timezone ?? zoneProblem(form.timezone, zones)}
          hint={
            form.timezone === userZone
              ? 'Your time zone.'
              : `Your time zone is ${userZone}.`
          }
        >
          <TimezonePicker
            value={form.timezone}
            zones={zones}
            onChange={timezone => set({ timezone })}
          />
        </Field>
      </section>

      <section className="jp-DbtWorkbench-schedSection">
        <h2>Run options</h2>
        <Field
          label="Target"
          field="target"
          error={errors.target}
          hint="The profile target; empty for the profile's default."
        >
          <input
            className="jp-mod-styled jp-DbtWorkbench-schedTarget"
            value={form.target}
            placeholder="dev"
            spellCheck={false}
            onChange={event => set({ target: event.target.value })}
          />
        </Field>
        <Field
          label="Vars"
          field="vars"
          error={errors.vars}
          hint="YAML or JSON, passed as --vars."
        >
          <textarea
            className="jp-mod-styled jp-DbtWorkbench-schedVars"
            value={form.vars}
            rows={3}
            placeholder="{run_date: '2024-01-01'}"
            spellCheck={false}
            onChange={event => set({ vars: event.target.value })}
          />
        </Field>
        <Field
          label="Environment"
          field="env"
          error={errors.env}
          hint="Values of names with PASSWORD, SECRET, TOKEN, KEY… are hidden once saved."
        >
          <EnvEditor rows={form.env} onChange={env => set({ env })} />
        </Field>
      </section>

      <section className="jp-DbtWorkbench-schedSection">
        <h2>Policies</h2>
        <Field label="Retry" field="retry" error={errors.retry}>
          <div className="jp-DbtWorkbench-schedInline">
            <label>
              Attempts
              <input
                className="jp-mod-styled jp-DbtWorkbench-schedAttempts"
                type="number"
                min={1}
                value={form.maxAttempts}
                onChange={event => set({ maxAttempts: event.target.value })}
              />
            </label>
            <select
              className="jp-mod-styled"
              value={form.backoff}
              aria-label="Backoff"
              onChange={event =>
                set({ backoff: event.target.value as Backoff })
              }
            >
              <option value="fixed">fixed delay</option>
              <option value="exponential">exponential backoff</option>
            </select>
            <label>
              first delay (s)
              <input
                className="jp-mod-styled"
                type="number"
                min={0}
                value={form.delay}
                onChange={event => set({ delay: event.target.value })}
              />
            </label>
          </div>
        </Field>
        <Field
          label="Catch-up"
          field="catch_up"
          error={errors.catch_up}
          hint="What to do with runs missed while the server was down."
        >
          <div className="jp-DbtWorkbench-schedInline">
            <select
              className="jp-mod-styled"
              value={form.catchUp}
              aria-label="Catch-up"
              onChange={event =>
                set({ catchUp: event.target.value as CatchUpMode })
              }
            >
              {CATCH_UPS.map(item => (
                <option key={item.value} value={item.value}>
                  {item.label}
                </option>
              ))}
            </select>
            {form.catchUp === 'each' ? (
              <input
                className="jp-mod-styled"
                type="number"
                min={1}
                value={form.catchUpMax}
                aria-label="Most missed runs to run"
                onChange={event => set({ catchUpMax: event.target.value })}
              />
            ) : null}
          </div>
        </Field>
        <Field
          label="Overlap"
          field="overlap"
          error={errors.overlap}
          hint="When a run is due while the previous one still runs."
        >
          <select
            className="jp-mod-styled"
            value={form.overlap}
            onChange={event => set({ overlap: event.target.value as Overlap })}
          >
            {OVERLAPS.map(item => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Timeout (s)"
          field="timeout"
          error={errors.timeout}
          hint="Each dbt run is cancelled after this long; empty for none."
        >
          <input
            className="jp-mod-styled jp-DbtWorkbench-schedTimeout"
            type="number"
            min={1}
            value={form.timeout}
            placeholder="none"
            onChange={event => set({ timeout: event.target.value })}
          />
        </Field>
      </section>

      <section className="jp-DbtWorkbench-schedSection">
        <h2>Notifications</h2>
        {errors.notifications ? (
          <div className="jp-DbtWorkbench-schedFieldError" role="alert">
            {errors.notifications}
          </div>
        ) : null}
        {form.notifications.map((channel, index) => (
          <ChannelEditor
            key={index}
            index={index}
            scheduleId={props.scheduleId}
            channel={channel}
            error={errors[`notifications.${index}`]}
            onChange={changed =>
              set({
                notifications: form.notifications.map((old, i) =>
                  i === index ? changed : old
                )
              })
            }
            onRemove={() =>
              set({
                notifications: form.notifications.filter((_, i) => i !== index)
              })
            }
          />
        ))}
        <div className="jp-DbtWorkbench-schedInline">
          <span className="jp-DbtWorkbench-muted">Add:</span>
          {(['email', 'slack', 'webhook'] as ChannelKind[]).map(kind => (
            <button
              key={kind}
              type="button"
              className="jp-mod-styled jp-DbtWorkbench-schedAdd"
              data-kind={kind}
              onClick={() => addChannel(kind)}
            >
              {kind === 'email'
                ? 'Email'
                : kind === 'slack'
                  ? 'Slack'
                  : 'Webhook'}
            </button>
          ))}
        </div>
      </section>

      <div className="jp-DbtWorkbench-schedButtons">
        <button
          type="submit"
          className="jp-mod-styled jp-mod-accept jp-DbtWorkbench-schedSave"
          disabled={saving}
          title={
            cronValid === false
              ? 'The cron expression is not valid yet'
              : 'Save the schedule'
          }
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="jp-mod-styled jp-mod-reject"
          disabled={saving}
          onClick={props.onCancel}
        >
          Cancel
        </button>
        {saving ? <span className="jp-DbtWorkbench-schedSpinner" /> : null}
        {topError && !saving ? (
          <span className="jp-DbtWorkbench-schedFieldError">{topError}</span>
        ) : null}
      </div>
    </form>
  );
}
