import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addWorkingDays,
  addWorkingHours,
  createWorkingCalendar,
  defaultCalendar,
  formatWorkingDuration,
  isWorkingDay,
  workingHoursOf,
  workingTimeBetween,
  type WorkingCalendar,
  type WorkingTimeMode,
} from './working-time';
import { CalendarError } from './errors';
import { benchCalendar } from './bench';

const H = 3_600_000;
const VN = 7 * H;

/** An instant written in Vietnam's local time. */
function at(local: string): Date {
  return new Date(`${local}+07:00`);
}

/** The instant as local Vietnam time, independent of the process TZ. */
function local(d: Date): string {
  return new Date(d.getTime() + VN).toISOString().slice(0, 16);
}

function localDate(ms: number): string {
  return new Date(ms + VN).toISOString().slice(0, 10);
}

function minuteOfDay(ms: number): number {
  const t = new Date(ms + VN);
  return t.getUTCHours() * 60 + t.getUTCMinutes() + t.getUTCSeconds() / 60 + t.getUTCMilliseconds() / 60_000;
}

const calendars: Record<string, WorkingCalendar> = {
  default: defaultCalendar(),
  company: createWorkingCalendar({ profile: 'company' }),
  saturdayMorning: createWorkingCalendar({ profile: 'company', saturdayMorning: true }),
  shifts: createWorkingCalendar({
    businessHours: [[], [[0, 90], [420, 690], [750, 1440]], [[480, 1020]], [], [[480, 720]], [[600, 601]], [[540, 600]]],
    extraDaysOff: ['2026-03-03', '2027-01-04'],
    extraWorkingDays: ['2026-02-17', '2026-03-01'],
  }),
};
const calendarArb = fc.constantFrom(...Object.keys(calendars));
const modeArb = fc.constantFrom<WorkingTimeMode>('business-hours', 'calendar-hours-on-working-days');
const instantArb = fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2060, 0, 1) }).map((ms) => new Date(ms));
const hoursArb = fc.oneof(fc.integer({ min: 0, max: 400 }), fc.double({ min: 0, max: 3000, noNaN: true }));

describe('deadline table of the research note (adding N working days in 2026, public sector)', () => {
  it.each([
    ['2026-02-13', 7, '2026-03-03'],
    ['2026-02-13', 20, '2026-03-20'],
    ['2026-04-24', 7, '2026-05-08'],
    ['2026-08-28', 7, '2026-09-11'],
  ])('%s + %i working days ends on %s at 17:00', (from, days, expected) => {
    expect(local(addWorkingDays(at(`${from}T10:00`), days))).toBe(`${expected}T17:00`);
  });

  it('the company profile works the swapped 31/8/2026, so 28/8 + 7 ends a day earlier', () => {
    expect(local(addWorkingDays(at('2026-08-28T10:00'), 7, calendars.company))).toBe('2026-09-10T17:00');
  });
});

describe('addWorkingDays (Civil Code Art. 147–148)', () => {
  it('starts counting the next day, whatever the hour of receipt', () => {
    expect(local(addWorkingDays(at('2026-03-02T00:00'), 1))).toBe('2026-03-03T17:00');
    expect(local(addWorkingDays(at('2026-03-02T23:59'), 1))).toBe('2026-03-03T17:00');
    expect(local(addWorkingDays(at('2026-03-06T09:00'), 1))).toBe('2026-03-09T17:00');
  });

  it('skips holidays and lands after the weekend, including across a year end', () => {
    expect(local(addWorkingDays(at('2025-12-31T16:00'), 1))).toBe('2026-01-05T17:00');
    expect(local(addWorkingDays(at('2025-12-31T16:00'), 2))).toBe('2026-01-06T17:00');
  });

  it('counts the make-up Saturday 26/4/2025 for the public sector only', () => {
    expect(local(addWorkingDays(at('2025-04-25T10:00'), 1))).toBe('2025-04-26T17:00');
    expect(local(addWorkingDays(at('2025-04-25T10:00'), 1, calendars.company))).toBe('2025-04-28T17:00');
  });

  it('ends a Saturday-morning calendar at 12:00 on a Saturday', () => {
    expect(local(addWorkingDays(at('2026-03-06T09:00'), 1, calendars.saturdayMorning))).toBe('2026-03-07T12:00');
  });

  it('returns the start itself for 0 days and refuses negative or fractional days', () => {
    expect(addWorkingDays(at('2026-03-07T09:00'), 0).getTime()).toBe(at('2026-03-07T09:00').getTime());
    expect(() => addWorkingDays(at('2026-03-07T09:00'), -1)).toThrow(CalendarError);
    expect(() => addWorkingDays(at('2026-03-07T09:00'), 1.5)).toThrow(/whole number/);
    expect(() => addWorkingDays(new Date(Number.NaN), 1)).toThrow(/valid Date/);
  });

  it('refuses results past 2199 and starts before 1900', () => {
    expect(() => addWorkingDays(at('2199-12-28T09:00'), 10)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
    expect(() => addWorkingHours(at('1899-12-28T09:00'), 1)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
  });

  it('matches a day-by-day count on random starts and calendars', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 60 }), calendarArb, (start, days, name) => {
        const cal = calendars[name];
        const end = addWorkingDays(start, days, cal);
        // A day that closes at 24:00 ends at the next midnight, so look at the last millisecond.
        const endDate = localDate(end.getTime() - 1);
        expect(isWorkingDay(endDate, cal)).toBe(true);
        const hours = workingHoursOf(endDate, cal);
        expect(end.getTime()).toBe(at(`${endDate}T00:00`).getTime() + hours[hours.length - 1][1] * 60_000);
        let counted = 0;
        for (let ms = start.getTime() + 86_400_000; localDate(ms) <= endDate; ms += 86_400_000) {
          if (isWorkingDay(localDate(ms), cal)) counted += 1;
        }
        expect(counted).toBe(days);
      }),
      { numRuns: 300 },
    );
  });
});

describe('addWorkingHours', () => {
  it('reads "48 giờ làm việc" as 6 working days of 8 business hours by default', () => {
    expect(local(addWorkingHours(at('2026-02-13T10:00'), 48))).toBe('2026-03-02T10:00');
  });

  it('reads 48 h as two full working days in calendar-hours-on-working-days mode', () => {
    expect(local(addWorkingHours(at('2026-02-13T10:00'), 48, undefined, 'calendar-hours-on-working-days'))).toBe('2026-02-24T10:00');
  });

  it('starts at the next opening when received outside business hours and skips lunch', () => {
    expect(local(addWorkingHours(at('2026-03-07T22:00'), 1))).toBe('2026-03-09T09:00');
    expect(local(addWorkingHours(at('2026-03-09T11:30'), 1))).toBe('2026-03-09T13:30');
    expect(local(addWorkingHours(at('2026-03-09T06:00'), 0.25))).toBe('2026-03-09T08:15');
  });

  it('ends at the close of a day rather than the next opening when the hours run out exactly', () => {
    expect(local(addWorkingHours(at('2026-12-31T16:00'), 1))).toBe('2026-12-31T17:00');
    expect(local(addWorkingHours(at('2026-12-31T16:00'), 2))).toBe('2027-01-04T09:00');
    expect(local(addWorkingHours(at('2026-03-09T08:00'), 4))).toBe('2026-03-09T12:00');
  });

  it('counts the make-up Saturday and skips the swapped day for the public sector', () => {
    expect(local(addWorkingHours(at('2025-04-25T16:00'), 2))).toBe('2025-04-26T09:00');
    expect(local(addWorkingHours(at('2025-04-29T16:00'), 2))).toBe('2025-05-05T09:00');
    expect(local(addWorkingHours(at('2025-04-29T16:00'), 2, calendars.company))).toBe('2025-05-02T09:00');
  });

  it('honours extra days off and extra working days', () => {
    const cal = createWorkingCalendar({ extraDaysOff: ['2026-03-09'], extraWorkingDays: ['2026-03-07'] });
    expect(isWorkingDay('2026-03-09', cal)).toBe(false);
    expect(isWorkingDay('2026-03-07', cal)).toBe(true);
    expect(local(addWorkingHours(at('2026-03-06T16:00'), 9, cal))).toBe('2026-03-07T17:00');
    expect(local(addWorkingHours(at('2026-03-06T16:00'), 10, cal))).toBe('2026-03-10T09:00');
  });

  it('gives the same result whatever the process time zone (all computation at UTC+7)', () => {
    expect(addWorkingHours(at('2026-03-09T16:30'), 1).toISOString()).toBe('2026-03-10T01:30:00.000Z');
  });

  it('refuses negative, infinite or NaN hours and unknown modes', () => {
    expect(() => addWorkingHours(at('2026-03-09T08:00'), -1)).toThrow(CalendarError);
    expect(() => addWorkingHours(at('2026-03-09T08:00'), Number.POSITIVE_INFINITY)).toThrow(CalendarError);
    expect(() => addWorkingHours(at('2026-03-09T08:00'), Number.NaN)).toThrow(CalendarError);
    expect(() => addWorkingHours(at('2026-03-09T08:00'), 1, undefined, 'wall-clock' as WorkingTimeMode)).toThrow(/mode/);
  });

  it('adding then measuring gives back the amount (property)', () => {
    fc.assert(
      fc.property(instantArb, hoursArb, calendarArb, modeArb, (start, hours, name, mode) => {
        const cal = calendars[name];
        const end = addWorkingHours(start, hours, cal, mode);
        expect(end.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(workingTimeBetween(start, end, cal, mode)).toBe(Math.round(hours * H));
      }),
      { numRuns: 1000 },
    );
  });

  it('is monotonic in the start and in the amount (property)', () => {
    fc.assert(
      fc.property(instantArb, instantArb, hoursArb, hoursArb, calendarArb, modeArb, (a, b, h1, h2, name, mode) => {
        const cal = calendars[name];
        const [s1, s2] = a <= b ? [a, b] : [b, a];
        expect(addWorkingHours(s1, h1, cal, mode).getTime()).toBeLessThanOrEqual(addWorkingHours(s2, h1, cal, mode).getTime());
        const [lo, hi] = h1 <= h2 ? [h1, h2] : [h2, h1];
        expect(addWorkingHours(s1, lo, cal, mode).getTime()).toBeLessThanOrEqual(addWorkingHours(s1, hi, cal, mode).getTime());
        const [d1, d2] = [Math.floor(lo % 50), Math.floor(hi % 50)].sort((m, n) => m - n);
        expect(addWorkingDays(s1, d1, cal).getTime()).toBeLessThanOrEqual(addWorkingDays(s2, d1, cal).getTime());
        expect(addWorkingDays(s1, d1, cal).getTime()).toBeLessThanOrEqual(addWorkingDays(s1, d2, cal).getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('never ends on a day off or outside business hours (property)', () => {
    fc.assert(
      fc.property(instantArb, hoursArb.filter((h) => Math.round(h * H) > 0), calendarArb, modeArb, (start, hours, name, mode) => {
        const cal = calendars[name];
        const end = addWorkingHours(start, hours, cal, mode).getTime();
        if (mode === 'calendar-hours-on-working-days') {
          // The last counted millisecond lies on a working day.
          expect(isWorkingDay(localDate(end - 1), cal)).toBe(true);
          return;
        }
        // An end at local midnight is the end (24:00) of the day before, when its hours run until midnight.
        const atMidnight = minuteOfDay(end) === 0;
        const date = localDate(atMidnight ? end - 1 : end);
        expect(isWorkingDay(date, cal)).toBe(true);
        const minute = atMidnight ? 1440 : minuteOfDay(end);
        expect(workingHoursOf(date, cal).some(([s, e]) => minute > s && minute <= e)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with a naive day-by-day walk (property)', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 200 * 60 }), calendarArb, (start, minutes, name) => {
        const cal = calendars[name];
        let left = minutes;
        let dayStart = Math.floor((start.getTime() + VN) / 86_400_000) * 86_400_000 - VN;
        let expected = Number.NaN;
        while (Number.isNaN(expected)) {
          for (const [s, e] of workingHoursOf(localDate(dayStart), cal)) {
            const from = Math.max(dayStart + s * 60_000, start.getTime());
            const to = dayStart + e * 60_000;
            if (to <= from) continue;
            if (to - from >= left * 60_000) {
              expected = from + left * 60_000;
              break;
            }
            left -= (to - from) / 60_000;
          }
          dayStart += 86_400_000;
        }
        expect(addWorkingHours(start, minutes / 60, cal).getTime()).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('workingTimeBetween', () => {
  it('measures business time and is 0 for an empty or reversed range', () => {
    expect(workingTimeBetween(at('2026-03-09T07:00'), at('2026-03-10T09:00'))).toBe(9 * H);
    expect(workingTimeBetween(at('2026-03-10T09:00'), at('2026-03-09T07:00'))).toBe(0);
    expect(workingTimeBetween(at('2026-03-07T09:00'), at('2026-03-08T17:00'))).toBe(0);
    expect(workingTimeBetween(at('2026-03-09T07:00'), at('2026-03-10T09:00'), undefined, 'calendar-hours-on-working-days')).toBe((17 + 9) * H);
  });

  it('spans several years', () => {
    const year2026 = workingTimeBetween(at('2026-01-01T00:00'), at('2027-01-01T00:00'));
    // 2026 has 261 weekdays; minus 13 official weekdays off, plus 2 make-up Saturdays.
    expect(year2026).toBe((261 - 13 + 2) * 8 * H);
    const three = workingTimeBetween(at('2025-01-01T00:00'), at('2028-01-01T00:00'));
    expect(three).toBe(
      workingTimeBetween(at('2025-01-01T00:00'), at('2026-01-01T00:00')) + year2026 + workingTimeBetween(at('2027-01-01T00:00'), at('2028-01-01T00:00')),
    );
  });

  it('leaves out paused intervals, counting overlaps once and clipping to the range', () => {
    const a = at('2026-03-09T08:00');
    const b = at('2026-03-13T17:00');
    expect(workingTimeBetween(a, b)).toBe(40 * H);
    const pauses = [
      { from: at('2026-03-10T08:00'), to: at('2026-03-11T08:00') },
      { from: at('2026-03-10T16:00'), to: at('2026-03-11T12:00') },
      { from: at('2026-03-01T00:00'), to: at('2026-03-09T09:00') },
      { from: at('2026-03-13T16:00'), to: at('2026-03-20T00:00') },
      { from: at('2026-03-12T10:00'), to: at('2026-03-12T09:00') },
    ];
    expect(workingTimeBetween(a, b, undefined, 'business-hours', pauses)).toBe((40 - 12 - 1 - 1) * H);
    expect(workingTimeBetween(a, b, undefined, 'business-hours', [{ from: a, to: b }])).toBe(0);
  });

  it('is additive over consecutive ranges and pauses never make it negative (property)', () => {
    fc.assert(
      fc.property(fc.array(instantArb, { minLength: 5, maxLength: 5 }), calendarArb, modeArb, (instants, name, mode) => {
        const cal = calendars[name];
        const [a, b, c, p, q] = instants;
        const [x, y, z] = [a, b, c].sort((m, n) => m.getTime() - n.getTime());
        expect(workingTimeBetween(x, z, cal, mode)).toBe(workingTimeBetween(x, y, cal, mode) + workingTimeBetween(y, z, cal, mode));
        const paused = workingTimeBetween(x, z, cal, mode, [{ from: p, to: q }]);
        expect(paused).toBeGreaterThanOrEqual(0);
        expect(paused).toBeLessThanOrEqual(workingTimeBetween(x, z, cal, mode));
      }),
      { numRuns: 300 },
    );
  });
});

describe('configuration', () => {
  it('defaults to the public-sector profile, Mon–Fri 08:00–12:00 and 13:00–17:00', () => {
    const cal = defaultCalendar();
    expect(cal.config.profile).toBe('public-sector');
    expect(cal.minutesPerDay).toBe(480);
    expect(cal.restDays).toEqual([0, 6]);
    expect(workingHoursOf('2026-03-09', cal)).toEqual([[480, 720], [780, 1020]]);
    expect(workingHoursOf('2026-03-07', cal)).toEqual([]);
    expect(defaultCalendar()).toBe(cal);
  });

  it('adds Saturday morning when asked', () => {
    expect(workingHoursOf('2026-03-07', calendars.saturdayMorning)).toEqual([[480, 720]]);
    expect(calendars.saturdayMorning.restDays).toEqual([0]);
    // The config round-trips: it can build the same calendar again.
    expect(() => createWorkingCalendar(calendars.saturdayMorning.config)).not.toThrow();
  });

  const WEEK = [[], [[480, 720]], [[480, 720]], [[480, 720]], [[480, 720]], [[480, 720]], []] as const;
  const withMonday = (monday: ReadonlyArray<readonly [number, number]>) => [WEEK[0], monday, ...WEEK.slice(2)];

  it.each([
    ['overlapping intervals', { businessHours: withMonday([[480, 720], [700, 900]]) }, /08:00–12:00 overlaps 11:40–15:00/],
    ['end before start', { businessHours: withMonday([[720, 480]]) }, /end 08:00 is not after start 12:00/],
    ['empty interval', { businessHours: withMonday([[480, 480]]) }, /not after start/],
    ['minutes beyond the day', { businessHours: withMonday([[480, 1500]]) }, /0–1440/],
    ['fractional minutes', { businessHours: withMonday([[480.5, 720]]) }, /whole minutes/],
    ['six weekdays', { businessHours: WEEK.slice(1) }, /7 weekdays/],
    ['no working hours at all', { businessHours: [[], [], [], [], [], [], []] }, /at least one weekday/],
    ['Saturday morning on top of Saturday hours', { businessHours: [...WEEK.slice(0, 6), [[480, 600]]], saturdayMorning: true }, /Saturday already/],
    ['malformed day off', { extraDaysOff: ['2026-3-9'] }, /extraDaysOff\[0\].*YYYY-MM-DD/],
    ['impossible date', { extraWorkingDays: ['2026-02-30'] }, /not a real calendar date/],
    ['year before 1900', { extraDaysOff: ['1899-12-31'] }, /outside the supported range 1900–2199/],
    ['year after 2199', { extraWorkingDays: ['2200-01-01'] }, /outside the supported range/],
    ['a day both off and worked', { extraDaysOff: ['2026-03-09'], extraWorkingDays: ['2026-03-09'] }, /both/],
    ['unknown profile', { profile: 'government' }, /profile/],
  ])('refuses %s with a CalendarError', (_label, config, message) => {
    const build = (): WorkingCalendar => createWorkingCalendar(config as Parameters<typeof createWorkingCalendar>[0]);
    expect(build).toThrow(CalendarError);
    expect(build).toThrow(message);
  });

  it('isWorkingDay refuses malformed and out-of-range dates', () => {
    expect(() => isWorkingDay('09/03/2026')).toThrow(expect.objectContaining({ code: 'invalid-date' }));
    expect(() => isWorkingDay('2200-01-01')).toThrow(expect.objectContaining({ code: 'out-of-range' }));
  });
});

describe('formatWorkingDuration', () => {
  it('speaks in working days of the calendar, then hours and minutes', () => {
    expect(formatWorkingDuration(19 * H, 'vi')).toBe('2 ngày 3 giờ làm việc');
    expect(formatWorkingDuration(19 * H, 'en')).toBe('2 working days 3 hours');
    expect(formatWorkingDuration(8 * H + 60_000, 'en')).toBe('1 working day 1 minute');
    expect(formatWorkingDuration(3.5 * H, 'en')).toBe('3 working hours 30 minutes');
    expect(formatWorkingDuration(0, 'vi')).toBe('0 giờ làm việc');
    expect(formatWorkingDuration(0, 'en')).toBe('0 working hours');
    expect(formatWorkingDuration(-2 * H, 'vi')).toBe('-2 giờ làm việc');
    expect(formatWorkingDuration(48 * H, 'vi', defaultCalendar(), 'calendar-hours-on-working-days')).toBe('2 ngày làm việc');
    expect(formatWorkingDuration(10 * H, 'en', calendars.saturdayMorning)).toBe('1 working day 2 hours');
  });
});

describe('benchCalendar', () => {
  it('returns a positive rate', () => {
    expect(benchCalendar(1000)).toBeGreaterThan(0);
  });
});
