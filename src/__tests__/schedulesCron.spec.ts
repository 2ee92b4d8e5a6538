import {
  describeCron,
  ordinal,
  presetCron,
  presetFromCron
} from '../schedules/cron';

describe('describeCron', () => {
  it.each([
    ['* * * * *', 'Every minute'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['0 * * * *', 'Every hour'],
    ['30 * * * *', 'Every hour at minute 30'],
    ['0 */2 * * *', 'Every 2 hours'],
    ['0 6 * * *', 'Every day at 06:00'],
    ['30 18 * * *', 'Every day at 18:30'],
    ['0 6,18 * * *', 'Every day at 06:00 and 18:00'],
    ['0 6 * * 1-5', 'Every weekday at 06:00'],
    ['0 6 * * MON-FRI', 'Every weekday at 06:00'],
    ['0 9 * * 0,6', 'Every Saturday and Sunday at 09:00'],
    ['0 7 * * 1', 'Every Monday at 07:00'],
    ['0 7 * * 7', 'Every Sunday at 07:00'],
    ['0 7 * * 1,3,5', 'Every Monday, Wednesday and Friday at 07:00'],
    ['0 2 1 * *', 'On the 1st of every month at 02:00'],
    ['0 2 1,15 * *', 'On the 1st and 15th of every month at 02:00'],
    ['0 0 1 1 *', 'Every year on 1 January at 00:00'],
    ['*/10 * * * 1-5', 'Every 10 minutes, on weekdays'],
    ['0 * * * 6', 'Every hour, on Saturdays'],
    ['0 9-17 * * 1-5', 'Every hour from 09:00 to 17:00, on weekdays'],
    ['30 8-20 * * *', 'Every hour from 08:30 to 20:30'],
    ['0 9-11 * * *', 'Every day at 09:00, 10:00 and 11:00'],
    ['@daily', 'Every day at 00:00'],
    ['@hourly', 'Every hour'],
    ['@weekly', 'Every Sunday at 00:00'],
    ['0 6 * * * 0', 'Every day at 06:00']
  ])('%s reads "%s"', (expression, words) => {
    expect(describeCron(expression)).toBe(words);
  });

  it.each([
    ['not a cron'],
    [''],
    ['0 6 * *'],
    ['61 6 * * *'],
    ['0 6 L * *'],
    ['0 6 * * 1#2'],
    ['0 6 1 * 1'],
    ['0 6 * * * 30'],
    ['*/5 9 * * *']
  ])('falls back to the expression for %j', expression => {
    expect(describeCron(expression)).toBeNull();
  });
});

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [31, '31st']
  ])('%d is %s', (number, text) => {
    expect(ordinal(number)).toBe(text);
  });
});

describe('cron presets', () => {
  const base = { minute: 15, hour: 6, weekday: 3, day: 10 };

  it('writes each preset as an expression', () => {
    expect(presetCron({ ...base, kind: 'hourly' })).toBe('15 * * * *');
    expect(presetCron({ ...base, kind: 'daily' })).toBe('15 6 * * *');
    expect(presetCron({ ...base, kind: 'weekdays' })).toBe('15 6 * * 1-5');
    expect(presetCron({ ...base, kind: 'weekly' })).toBe('15 6 * * 3');
    expect(presetCron({ ...base, kind: 'monthly' })).toBe('15 6 10 * *');
    expect(presetCron({ ...base, kind: 'custom' })).toBeNull();
  });

  it('recognizes the expression of every preset', () => {
    for (const kind of [
      'hourly',
      'daily',
      'weekdays',
      'weekly',
      'monthly'
    ] as const) {
      const expression = presetCron({ ...base, kind }) as string;
      const preset = presetFromCron(expression);
      expect(preset.kind).toBe(kind);
      expect(presetCron(preset)).toBe(expression);
    }
  });

  it('calls anything else custom', () => {
    expect(presetFromCron('*/5 * * * *').kind).toBe('custom');
    expect(presetFromCron('0 6 * 1 *').kind).toBe('custom');
    expect(presetFromCron('0 6,18 * * *').kind).toBe('custom');
    expect(presetFromCron('@daily').kind).toBe('custom');
  });
});
