/**
 * Small form parts of the schedule editor: a labelled field with its error,
 * the time-zone picker, the steps list and the environment rows.
 */
import React from 'react';

import type { IEnvRow } from './form';

/** A label, its control, a hint and the field's error. */
export function Field(props: {
  label: string;
  field: string;
  error?: string | null;
  hint?: React.ReactNode;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <div
      className="jp-DbtWorkbench-schedField"
      data-field={props.field}
      data-invalid={props.error ? 'true' : undefined}
    >
      <label className="jp-DbtWorkbench-schedLabel">{props.label}</label>
      <div className="jp-DbtWorkbench-schedControl">
        {props.children}
        {props.hint ? (
          <div className="jp-DbtWorkbench-schedHint">{props.hint}</div>
        ) : null}
        {props.error ? (
          <div className="jp-DbtWorkbench-schedFieldError" role="alert">
            {props.error}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** A text input searching the browser's IANA zones (a datalist). */
export function TimezonePicker(props: {
  value: string;
  zones: readonly string[];
  onChange: (zone: string) => void;
}): JSX.Element {
  return (
    <>
      <input
        className="jp-mod-styled jp-DbtWorkbench-schedTimezone"
        list="jp-DbtWorkbench-timezones"
        value={props.value}
        placeholder="Search a zone, e.g. Berlin"
        spellCheck={false}
        onChange={event => props.onChange(event.target.value)}
      />
      <datalist id="jp-DbtWorkbench-timezones">
        {props.zones.map(zone => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </>
  );
}

/** Move item `index` of a list by `delta` places. */
function moved<T>(items: readonly T[], index: number, delta: number): T[] {
  const copy = [...items];
  const target = index + delta;
  if (target < 0 || target >= copy.length) {
    return copy;
  }
  [copy[index], copy[target]] = [copy[target], copy[index]];
  return copy;
}

/** The dbt command lines run one after another. */
export function StepsEditor(props: {
  steps: string[];
  onChange: (steps: string[]) => void;
}): JSX.Element {
  const { steps, onChange } = props;
  const set = (index: number, text: string): void =>
    onChange(steps.map((step, i) => (i === index ? text : step)));
  return (
    <div className="jp-DbtWorkbench-schedSteps">
      {steps.map((step, index) => (
        <div
          className="jp-DbtWorkbench-schedStep"
          key={index}
          data-index={index}
        >
          <span className="jp-DbtWorkbench-schedStepNumber">{index + 1}.</span>
          <span className="jp-DbtWorkbench-schedDbt">dbt</span>
          <input
            className="jp-mod-styled jp-DbtWorkbench-schedStepInput"
            value={step}
            placeholder="build -s tag:daily"
            spellCheck={false}
            aria-label={`Step ${index + 1}`}
            onChange={event => set(index, event.target.value)}
          />
          <button
            type="button"
            className="jp-DbtWorkbench-schedIconButton"
            title="Move up"
            disabled={index === 0}
            onClick={() => onChange(moved(steps, index, -1))}
          >
            ↑
          </button>
          <button
            type="button"
            className="jp-DbtWorkbench-schedIconButton"
            title="Move down"
            disabled={index === steps.length - 1}
            onClick={() => onChange(moved(steps, index, 1))}
          >
            ↓
          </button>
          <button
            type="button"
            className="jp-DbtWorkbench-schedIconButton"
            title="Remove this step"
            disabled={steps.length === 1}
            onClick={() => onChange(steps.filter((_, i) => i !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        className="jp-mod-styled jp-DbtWorkbench-schedAdd"
        onClick={() => onChange([...steps, ''])}
      >
        Add step
      </button>
    </div>
  );
}

/** Environment variables; hidden values stay hidden and kept until retyped. */
export function EnvEditor(props: {
  rows: IEnvRow[];
  onChange: (rows: IEnvRow[]) => void;
}): JSX.Element {
  const { rows, onChange } = props;
  const set = (index: number, row: Partial<IEnvRow>): void =>
    onChange(rows.map((old, i) => (i === index ? { ...old, ...row } : old)));
  return (
    <div className="jp-DbtWorkbench-schedEnv">
      {rows.map((row, index) => (
        <div
          className="jp-DbtWorkbench-schedEnvRow"
          key={index}
          data-masked={row.masked ? 'true' : undefined}
        >
          <input
            className="jp-mod-styled jp-DbtWorkbench-schedEnvName"
            value={row.name}
            placeholder="NAME"
            spellCheck={false}
            aria-label="Variable name"
            onChange={event => set(index, { name: event.target.value })}
          />
          <input
            className="jp-mod-styled jp-DbtWorkbench-schedEnvValue"
            type={row.masked ? 'password' : 'text'}
            value={row.value}
            placeholder={row.masked ? '•••••••• (hidden, kept)' : 'value'}
            spellCheck={false}
            aria-label={`Value of ${row.name || 'the variable'}`}
            onChange={event =>
              set(index, { value: event.target.value, masked: false })
            }
          />
          <button
            type="button"
            className="jp-DbtWorkbench-schedIconButton"
            title="Remove this variable"
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        className="jp-mod-styled jp-DbtWorkbench-schedAdd"
        onClick={() =>
          onChange([
            ...rows,
            { name: '', value: '', masked: false, storedName: null }
          ])
        }
      >
        Add variable
      </button>
    </div>
  );
}
