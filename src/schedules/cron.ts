/**
 * Cron expressions in words, and the editor's presets.
 *
 * The describer knows the common shapes (every N minutes, daily at, on
 * weekdays, monthly on a day...) and returns null for anything else: the UI
 * then shows the expression itself. The server (croniter) stays the judge of
 * what is valid; nothing here rejects an expression.
 */

const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday'
];

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
];

const DAY_ABBREVIATIONS = DAY_NAMES.map(name => name.slice(0, 3));
const MONTH_ABBREVIATIONS = MONTH_NAMES.map(name => name.slice(0, 3));

/** croniter's named expressions, as five fields. */
const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *'
};

/** More explicit times than this read worse than the expression. */
const MAX_TIMES = 6;

/** One value of a field: a number or a name (`mon`, `jan`). */
function value(
  text: string,
  min: number,
  max: number,
  names: string[] | null,
  offset: number
): number | null {
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    return number >= min && number <= max ? number : null;
  }
  const index = names
    ? names.findIndex(name => name.toLowerCase() === text.toLowerCase())
    : -1;
  return index >= 0 ? index + offset : null;
}

/**
 * The values of a field made of numbers, names and ranges (`1-5`,
 * `mon,thu`); null for `*`, steps or anything else.
 */
function values(
  field: string,
  min: number,
  max: number,
  names: string[] | null = null,
  offset = 0
): number[] | null {
  const found = new Set<number>();
  for (const part of field.split(',')) {
    const range = part.split('-');
    if (range.length > 2) {
      return null;
    }
    const start = value(range[0], min, max, names, offset);
    const end =
      range.length === 2 ? value(range[1], min, max, names, offset) : start;
    if (start === null || end === null || end < start) {
      return null;
    }
    for (let item = start; item <= end; item++) {
      found.add(item);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** N of a `*\/N` field; null otherwise. */
function step(field: string): number | null {
  const match = /^\*\/(\d+)$/.exec(field);
  return match && Number(match[1]) > 0 ? Number(match[1]) : null;
}

function pad(number: number): string {
  return String(number).padStart(2, '0');
}

/** `1st`, `2nd`, `3rd`, `11th`, `22nd`... */
export function ordinal(number: number): string {
  const tens = number % 100;
  if (tens >= 11 && tens <= 13) {
    return `${number}th`;
  }
  const suffix = ['th', 'st', 'nd', 'rd'][number % 10] ?? 'th';
  return `${number}${suffix}`;
}

/** `a`, `a and b`, `a, b and c`. */
function join(items: string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The days a schedule runs on, as a sentence start and as a suffix. */
interface IDays {
  every: string;
  on: string;
}

function describeDays(
  dayOfMonth: string,
  month: string,
  dayOfWeek: string
): IDays | null {
  if (dayOfMonth === '*' && month === '*' && dayOfWeek === '*') {
    return { every: 'Every day', on: '' };
  }
  if (dayOfMonth === '*' && month === '*') {
    const days = values(dayOfWeek, 0, 7, DAY_ABBREVIATIONS);
    if (!days) {
      return null;
    }
    // 0 and 7 both mean Sunday.
    const unique = [...new Set(days.map(day => day % 7))].sort((a, b) => a - b);
    const key = unique.join(',');
    if (key === '1,2,3,4,5') {
      return { every: 'Every weekday', on: 'on weekdays' };
    }
    if (key === '0,6') {
      return { every: 'Every Saturday and Sunday', on: 'on weekends' };
    }
    // Monday first, as people list days.
    const ordered = [
      ...unique.filter(day => day > 0),
      ...unique.filter(d => !d)
    ];
    const names = ordered.map(day => DAY_NAMES[day]);
    return {
      every: `Every ${join(names)}`,
      on: `on ${join(names.map(name => `${name}s`))}`
    };
  }
  if (dayOfWeek !== '*') {
    return null;
  }
  const days = values(dayOfMonth, 1, 31);
  if (!days) {
    return null;
  }
  const dayText = join(days.map(ordinal));
  if (month === '*') {
    const text = `on the ${dayText} of every month`;
    return { every: `On the ${dayText} of every month`, on: text };
  }
  const months = values(month, 1, 12, MONTH_ABBREVIATIONS, 1);
  if (!months) {
    return null;
  }
  const monthText = join(months.map(number => MONTH_NAMES[number - 1]));
  const text =
    days.length === 1 && months.length === 1
      ? `${days[0]} ${monthText}`
      : `the ${dayText} of ${monthText}`;
  return { every: `Every year on ${text}`, on: `on ${text}` };
}

/** The times of day: explicit `HH:MM` times or a recurring phrase. */
type Times = { at: string[] } | { every: string };

function describeTimes(minute: string, hour: string): Times | null {
  const minuteStep = step(minute);
  if (minute === '*' && hour === '*') {
    return { every: 'every minute' };
  }
  if (minuteStep !== null && hour === '*') {
    return {
      every: minuteStep === 1 ? 'every minute' : `every ${minuteStep} minutes`
    };
  }
  const minutes = values(minute, 0, 59);
  if (!minutes) {
    return null;
  }
  const past =
    minutes.length === 1 && minutes[0] === 0
      ? ''
      : ` at minute ${join(minutes.map(String))}`;
  if (hour === '*') {
    return { every: `every hour${past}` };
  }
  const hourStep = step(hour);
  if (hourStep !== null) {
    return {
      every:
        hourStep === 1 ? `every hour${past}` : `every ${hourStep} hours${past}`
    };
  }
  const hours = values(hour, 0, 23);
  if (!hours) {
    return null;
  }
  const contiguous =
    hours.length > 2 && hours[hours.length - 1] - hours[0] === hours.length - 1;
  if (hours.length * minutes.length > MAX_TIMES && contiguous) {
    const from = `${pad(hours[0])}:${pad(minutes[0])}`;
    const to = `${pad(hours[hours.length - 1])}:${pad(minutes[minutes.length - 1])}`;
    const at =
      minutes.length > 1 ? ` at minute ${join(minutes.map(String))}` : '';
    return { every: `every hour${at} from ${from} to ${to}` };
  }
  if (hours.length * minutes.length > MAX_TIMES) {
    return null;
  }
  const at: string[] = [];
  for (const h of hours) {
    for (const m of minutes) {
      at.push(`${pad(h)}:${pad(m)}`);
    }
  }
  return { at };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A cron expression (5 fields, 6 with croniter's trailing seconds, or a
 * macro like `@daily`) in words, e.g. `0 6 * * 1-5` → "Every weekday at
 * 06:00"; null when the shape is not one this knows.
 */
export function describeCron(expression: string): string | null {
  const text = expression.trim();
  const expanded = MACROS[text.toLowerCase()] ?? text;
  const fields = expanded.split(/\s+/).filter(field => field !== '');
  if (fields.length !== 5 && fields.length !== 6) {
    return null;
  }
  if (fields.length === 6 && !/^0+$/.test(fields[5])) {
    return null;
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const days = describeDays(dayOfMonth, month, dayOfWeek);
  const times = describeTimes(minute, hour);
  if (!days || !times) {
    return null;
  }
  if ('at' in times) {
    return `${days.every} at ${join(times.at)}`;
  }
  return days.on
    ? `${capitalize(times.every)}, ${days.on}`
    : capitalize(times.every);
}

/** The editor's preset shapes; `custom` is free text. */
export type PresetKind =
  'hourly' | 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'custom';

/** The preset picker's labels, in menu order. */
export const PRESET_KINDS: ReadonlyArray<{ kind: PresetKind; label: string }> =
  [
    { kind: 'hourly', label: 'Every hour' },
    { kind: 'daily', label: 'Every day at…' },
    { kind: 'weekdays', label: 'Weekdays at…' },
    { kind: 'weekly', label: 'Every week on…' },
    { kind: 'monthly', label: 'Every month on day…' },
    { kind: 'custom', label: 'Custom expression' }
  ];

/** A preset and its parameters (the ones its kind does not use are kept). */
export interface ICronPreset {
  kind: PresetKind;
  minute: number;
  hour: number;
  /** 0 = Sunday. */
  weekday: number;
  /** 1-31. */
  day: number;
}

/** The names of the week days, Sunday first (index = cron number). */
export const WEEKDAYS: readonly string[] = DAY_NAMES;

/** The expression of a preset; null for `custom`. */
export function presetCron(preset: ICronPreset): string | null {
  const { minute, hour, weekday, day } = preset;
  switch (preset.kind) {
    case 'hourly':
      return `${minute} * * * *`;
    case 'daily':
      return `${minute} ${hour} * * *`;
    case 'weekdays':
      return `${minute} ${hour} * * 1-5`;
    case 'weekly':
      return `${minute} ${hour} * * ${weekday}`;
    case 'monthly':
      return `${minute} ${hour} ${day} * *`;
    case 'custom':
      return null;
  }
}

/**
 * The preset an expression matches exactly (so the editor can show its
 * controls), or `custom` with default parameters.
 */
export function presetFromCron(expression: string): ICronPreset {
  const fallback: ICronPreset = {
    kind: 'custom',
    minute: 0,
    hour: 6,
    weekday: 1,
    day: 1
  };
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return fallback;
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const number = (field: string, max: number): number | null =>
    /^\d+$/.test(field) && Number(field) <= max ? Number(field) : null;
  const m = number(minute, 59);
  if (m === null || month !== '*') {
    return fallback;
  }
  const found = { ...fallback, minute: m };
  if (hour === '*' && dayOfMonth === '*' && dayOfWeek === '*') {
    return { ...found, kind: 'hourly' };
  }
  const h = number(hour, 23);
  if (h === null) {
    return fallback;
  }
  found.hour = h;
  if (dayOfMonth === '*' && dayOfWeek === '*') {
    return { ...found, kind: 'daily' };
  }
  if (dayOfMonth === '*' && dayOfWeek === '1-5') {
    return { ...found, kind: 'weekdays' };
  }
  const weekday = number(dayOfWeek, 6);
  if (dayOfMonth === '*' && weekday !== null) {
    return { ...found, kind: 'weekly', weekday };
  }
  const day = number(dayOfMonth, 31);
  if (dayOfWeek === '*' && day !== null && day >= 1) {
    return { ...found, kind: 'monthly', day };
  }
  return fallback;
}
