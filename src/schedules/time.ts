/**
 * Times of schedules in two zones: the schedule's own (its cron is read in
 * that zone) and the user's (the browser's).
 */

/** Zones offered when the browser cannot list its own. */
const FALLBACK_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney'
];

/** The user's IANA zone, as the browser knows it; `UTC` if it does not. */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Every IANA zone the browser knows, sorted, with UTC and the user's zone
 * always in it (some browsers leave UTC out of their list).
 */
export function timeZones(): string[] {
  // `supportedValuesOf` is ES2022; the project's type library predates it.
  const intl = Intl as unknown as {
    supportedValuesOf?: (key: string) => string[];
  };
  const listed = intl.supportedValuesOf?.('timeZone') ?? FALLBACK_ZONES;
  return [...new Set([...listed, 'UTC', userTimeZone()])].sort();
}

/** Whether `zone` is a zone the browser can format times in. */
export function isTimeZone(zone: string): boolean {
  if (!zone) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * An instant as wall-clock time in a zone, with the zone's short name,
 * e.g. `Tue 3 Jun 2025, 06:00 CEST`; '' for null, the input when invalid.
 */
export function formatInZone(
  iso: string | null | undefined,
  zone: string,
  locale?: string
): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (isNaN(date.getTime())) {
    return iso;
  }
  try {
    return new Intl.DateTimeFormat(locale, {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short'
    }).format(date);
  } catch {
    // An unknown zone: the user's own clock is better than nothing.
    return date.toLocaleString(locale);
  }
}

/** An instant in the user's zone, and in the schedule's when it differs. */
export interface ITwoZoneTime {
  user: string;
  /** null when the schedule runs in the user's own zone. */
  schedule: string | null;
}

/** Format an instant for a schedule in `scheduleZone` seen from `userZone`. */
export function twoZoneTime(
  iso: string | null | undefined,
  scheduleZone: string,
  userZone: string = userTimeZone(),
  locale?: string
): ITwoZoneTime {
  return {
    user: formatInZone(iso, userZone, locale),
    schedule:
      iso && scheduleZone !== userZone
        ? formatInZone(iso, scheduleZone, locale)
        : null
  };
}

/**
 * How far an instant is from `now`, e.g. `in 5 min`, `in 3 h`, `2 days ago`;
 * '' for null or invalid input.
 */
export function formatRelative(
  iso: string | null | undefined,
  now: Date = new Date()
): string {
  if (!iso) {
    return '';
  }
  const time = new Date(iso).getTime();
  if (isNaN(time)) {
    return '';
  }
  const seconds = Math.round((time - now.getTime()) / 1000);
  const size = Math.abs(seconds);
  let amount: string;
  if (size < 60) {
    amount = `${size} s`;
  } else if (size < 3600) {
    amount = `${Math.round(size / 60)} min`;
  } else if (size < 48 * 3600) {
    amount = `${Math.round(size / 3600)} h`;
  } else {
    amount = `${Math.round(size / 86400)} days`;
  }
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** Seconds between two instants, or null while the second is missing. */
export function secondsBetween(
  start: string | null,
  end: string | null
): number | null {
  if (!start || !end) {
    return null;
  }
  const seconds = (new Date(end).getTime() - new Date(start).getTime()) / 1000;
  return isNaN(seconds) ? null : Math.max(0, seconds);
}
