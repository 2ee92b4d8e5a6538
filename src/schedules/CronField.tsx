/**
 * The cron expression of a schedule: presets or free text, the expression
 * in words, and the server's preview of the next runs in the schedule's zone
 * and the user's.
 */
import React, { useEffect, useState } from 'react';

import { useDebounced } from '../components/hooks';
import { Spinner } from '../components/Spinner';
import { errorMessage } from '../notify';
import { previewCron } from './api';
import {
  describeCron,
  ICronPreset,
  PRESET_KINDS,
  PresetKind,
  presetCron,
  presetFromCron,
  WEEKDAYS
} from './cron';
import { formatInZone, isTimeZone } from './time';
import type { ISchedulePreview } from './types';

/** How long typing must pause before the preview is asked for, in ms. */
const PREVIEW_DELAY_MS = 400;

/** Props of {@link CronField}. */
export interface ICronFieldProps {
  cron: string;
  timezone: string;
  userZone: string;
  onChange: (cron: string) => void;
  /** Told whether the server accepts the expression (null while unknown). */
  onValidity?: (valid: boolean | null) => void;
  /** The message the surrounding field already shows (not repeated here). */
  fieldError?: string | null;
}

function pad(number: number): string {
  return String(number).padStart(2, '0');
}

/** The preset controls, the expression box, its description and preview. */
export function CronField(props: ICronFieldProps): JSX.Element {
  const { cron, timezone, userZone, onChange, onValidity } = props;
  const [preset, setPreset] = useState<ICronPreset>(() => presetFromCron(cron));
  const [preview, setPreview] = useState<ISchedulePreview | null>(null);
  const [pending, setPending] = useState(false);
  const query = useDebounced(`${cron}\u0000${timezone}`, PREVIEW_DELAY_MS);

  useEffect(() => {
    const [expression, zone] = query.split('\u0000');
    if (!expression.trim() || !zone.trim()) {
      setPreview(null);
      onValidity?.(null);
      return;
    }
    let current = true;
    setPending(true);
    previewCron(expression, zone, 5)
      .then(answer => {
        if (current) {
          setPreview(answer);
          onValidity?.(answer.valid);
        }
      })
      .catch(error => {
        if (current) {
          setPreview({ valid: false, error: errorMessage(error), next: [] });
          onValidity?.(false);
        }
      })
      .finally(() => {
        if (current) {
          setPending(false);
        }
      });
    return () => {
      current = false;
    };
  }, [query]);

  const choose = (next: ICronPreset): void => {
    setPreset(next);
    const expression = presetCron(next);
    if (expression !== null) {
      onChange(expression);
    }
  };
  const time = `${pad(preset.hour)}:${pad(preset.minute)}`;
  const setTime = (text: string): void => {
    const match = /^(\d{1,2}):(\d{2})/.exec(text);
    if (match) {
      choose({ ...preset, hour: Number(match[1]), minute: Number(match[2]) });
    }
  };
  const kind = preset.kind;
  const words = describeCron(cron);
  const stale = query !== `${cron}\u0000${timezone}`;

  return (
    <div className="jp-DbtWorkbench-cron">
      <div className="jp-DbtWorkbench-cronPreset">
        <select
          className="jp-mod-styled jp-DbtWorkbench-cronKind"
          value={kind}
          aria-label="Repeat"
          onChange={event =>
            choose({ ...preset, kind: event.target.value as PresetKind })
          }
        >
          {PRESET_KINDS.map(item => (
            <option key={item.kind} value={item.kind}>
              {item.label}
            </option>
          ))}
        </select>
        {kind === 'weekly' ? (
          <select
            className="jp-mod-styled jp-DbtWorkbench-cronWeekday"
            value={preset.weekday}
            aria-label="Day of the week"
            onChange={event =>
              choose({ ...preset, weekday: Number(event.target.value) })
            }
          >
            {WEEKDAYS.map((day, index) => (
              <option key={day} value={index}>
                {day}
              </option>
            ))}
          </select>
        ) : null}
        {kind === 'monthly' ? (
          <input
            className="jp-mod-styled jp-DbtWorkbench-cronDay"
            type="number"
            min={1}
            max={31}
            value={preset.day}
            aria-label="Day of the month"
            onChange={event => {
              const day = Number(event.target.value);
              if (day >= 1 && day <= 31) {
                choose({ ...preset, day });
              }
            }}
          />
        ) : null}
        {kind === 'hourly' ? (
          <label className="jp-DbtWorkbench-cronMinute">
            at minute
            <input
              className="jp-mod-styled"
              type="number"
              min={0}
              max={59}
              value={preset.minute}
              onChange={event => {
                const minute = Number(event.target.value);
                if (minute >= 0 && minute <= 59) {
                  choose({ ...preset, minute });
                }
              }}
            />
          </label>
        ) : null}
        {kind !== 'hourly' && kind !== 'custom' ? (
          <input
            className="jp-mod-styled jp-DbtWorkbench-cronTime"
            type="time"
            value={time}
            aria-label="Time of day"
            onChange={event => setTime(event.target.value)}
          />
        ) : null}
      </div>
      <input
        className="jp-mod-styled jp-DbtWorkbench-cronExpression"
        value={cron}
        placeholder="minute hour day month weekday, e.g. 0 6 * * 1-5"
        spellCheck={false}
        aria-label="Cron expression"
        onChange={event => {
          setPreset({ ...preset, kind: 'custom' });
          onChange(event.target.value);
        }}
      />
      <div className="jp-DbtWorkbench-cronWords">
        {words ?? (cron.trim() ? `Cron: ${cron.trim()}` : '')}
        {isTimeZone(timezone) ? ` (${timezone})` : ''}
      </div>
      {pending || stale ? <Spinner label="Checking the expression…" /> : null}
      {preview &&
      !preview.valid &&
      !stale &&
      preview.error !== props.fieldError ? (
        <div className="jp-DbtWorkbench-cronError" role="alert">
          {preview.error ?? 'The server does not accept this expression.'}
        </div>
      ) : null}
      {preview?.valid && preview.next.length > 0 ? (
        <table className="jp-DbtWorkbench-table jp-DbtWorkbench-cronPreview">
          <thead>
            <tr>
              <th>Next runs ({timezone})</th>
              {userZone !== timezone ? <th>Your time ({userZone})</th> : null}
            </tr>
          </thead>
          <tbody>
            {preview.next.map(slot => (
              <tr key={slot.utc} data-utc={slot.utc}>
                <td>{formatInZone(slot.utc, timezone)}</td>
                {userZone !== timezone ? (
                  <td>{formatInZone(slot.utc, userZone)}</td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
