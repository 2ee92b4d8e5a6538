import {
  formatInZone,
  formatRelative,
  isTimeZone,
  secondsBetween,
  timeZones,
  twoZoneTime
} from '../schedules/time';

// 06:00 in Berlin (CEST, UTC+2) on Tuesday 3 June 2025.
const BERLIN_SIX = '2025-06-03T04:00:00+00:00';

describe('formatInZone', () => {
  it('shows the wall-clock time of the zone asked for', () => {
    const berlin = formatInZone(BERLIN_SIX, 'Europe/Berlin', 'en-GB');
    expect(berlin).toContain('06:00');
    expect(berlin).toContain('3 Jun 2025');
    expect(berlin).toContain('CEST');
    const newYork = formatInZone(BERLIN_SIX, 'America/New_York', 'en-GB');
    expect(newYork).toContain('00:00');
    expect(newYork).toContain('3 Jun 2025');
    // Tokyo is already on the next day.
    const tokyo = formatInZone(BERLIN_SIX, 'Asia/Tokyo', 'en-GB');
    expect(tokyo).toContain('13:00');
    expect(tokyo).toContain('3 Jun 2025');
    const lateUtc = formatInZone('2025-06-03T20:00:00Z', 'Asia/Tokyo', 'en-GB');
    expect(lateUtc).toContain('05:00');
    expect(lateUtc).toContain('4 Jun 2025');
  });

  it('follows daylight saving time', () => {
    const winter = formatInZone(
      '2025-01-14T05:00:00Z',
      'Europe/Berlin',
      'en-GB'
    );
    expect(winter).toContain('06:00');
    expect(winter).toContain('CET');
  });

  it('passes empty and invalid input through', () => {
    expect(formatInZone(null, 'UTC')).toBe('');
    expect(formatInZone('soon', 'UTC')).toBe('soon');
  });
});

describe('twoZoneTime', () => {
  it("shows the user's zone and the schedule's zone", () => {
    const time = twoZoneTime(
      BERLIN_SIX,
      'Europe/Berlin',
      'America/New_York',
      'en-GB'
    );
    expect(time.user).toContain('00:00');
    expect(time.schedule).toContain('06:00');
  });

  it('shows one time when both zones are the same', () => {
    const time = twoZoneTime(BERLIN_SIX, 'UTC', 'UTC', 'en-GB');
    expect(time.user).toContain('04:00');
    expect(time.schedule).toBeNull();
  });

  it('has nothing to show without a next run', () => {
    expect(twoZoneTime(null, 'Europe/Berlin', 'UTC')).toEqual({
      user: '',
      schedule: null
    });
  });
});

describe('formatRelative', () => {
  const now = new Date('2025-06-03T04:00:00Z');

  it.each([
    ['2025-06-03T04:00:30Z', 'in 30 s'],
    ['2025-06-03T04:05:00Z', 'in 5 min'],
    ['2025-06-03T07:00:00Z', 'in 3 h'],
    ['2025-06-06T04:00:00Z', 'in 3 days'],
    ['2025-06-03T03:50:00Z', '10 min ago']
  ])('%s is "%s"', (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });

  it('is empty for no time', () => {
    expect(formatRelative(null, now)).toBe('');
    expect(formatRelative('never', now)).toBe('');
  });
});

describe('time zones', () => {
  it('lists IANA zones with UTC, sorted', () => {
    const zones = timeZones();
    expect(zones).toContain('Europe/Berlin');
    expect(zones).toContain('America/New_York');
    expect(zones).toContain('UTC');
    expect([...zones].sort()).toEqual(zones);
  });

  it('tells zones from typos', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Berlni')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('measures durations', () => {
    expect(secondsBetween('2025-06-03T04:00:00Z', '2025-06-03T04:01:30Z')).toBe(
      90
    );
    expect(secondsBetween('2025-06-03T04:00:00Z', null)).toBeNull();
  });
});
