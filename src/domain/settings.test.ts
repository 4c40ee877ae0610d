import { describe, expect, it } from 'vitest';
import { addWorkingDays, createWorkingCalendar } from './calendar';
import { AppError, type FieldError } from './errors';
import { DEFAULT_SLA } from './sla';
import {
  DEFAULT_CALENDAR_SETTINGS,
  calendarYearView,
  parseCalendarSettings,
  parseSlaPolicy,
  toWorkingCalendarConfig,
  type CalendarDayView,
  type CalendarSettings,
  type CalendarYearView,
} from './settings';

/** The field errors a parser throws, or fails the test when it does not throw a validation error. */
function fieldsOf(run: () => unknown): FieldError[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation_failed');
    return (err as AppError).details.fields ?? [];
  }
  throw new Error('expected a validation error');
}

function settings(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(DEFAULT_CALENDAR_SETTINGS), ...patch };
}

function withDay(wd: number, day: unknown): unknown[] {
  const hours: unknown[] = structuredClone(DEFAULT_CALENDAR_SETTINGS.businessHours);
  hours[wd] = day;
  return hours;
}

function dayOf(view: CalendarYearView, date: string): CalendarDayView {
  const day = view.months[Number(date.slice(5, 7)) - 1].days.find((d) => d.date === date);
  if (!day) throw new Error(`no ${date} in the view`);
  return day;
}

describe('parseCalendarSettings', () => {
  it('accepts the defaults and round-trips valid settings', () => {
    expect(parseCalendarSettings(structuredClone(DEFAULT_CALENDAR_SETTINGS))).toEqual(DEFAULT_CALENDAR_SETTINGS);
    const custom: CalendarSettings = {
      profile: 'company',
      businessHours: [[], [['07:30', '11:30'], ['12:30', '16:30']], [['08:00', '17:00']], [['08:00', '12:00'], ['12:00', '13:00']], [['00:00', '24:00']], [['08:00', '12:00']], [['08:00', '12:00']]],
      saturdayMorning: false,
      extraDaysOff: [{ date: '2026-03-08', note: 'Ngày thành lập công ty' }],
      extraWorkingDays: [{ date: '2026-03-14', note: '' }],
    };
    const parsed = parseCalendarSettings(structuredClone(custom));
    expect(parsed).toEqual(custom);
    expect(parseCalendarSettings(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
  });

  it('normalises: intervals and dates sorted, notes trimmed, a missing note empty', () => {
    const parsed = parseCalendarSettings(
      settings({
        businessHours: withDay(1, [['13:00', '17:00'], ['08:00', '12:00']]),
        extraDaysOff: [{ date: '2026-12-31', note: '  Tất niên ' }, { date: '2026-03-08' }],
      }),
    );
    expect(parsed.businessHours[1]).toEqual([['08:00', '12:00'], ['13:00', '17:00']]);
    expect(parsed.extraDaysOff).toEqual([{ date: '2026-03-08', note: '' }, { date: '2026-12-31', note: 'Tất niên' }]);
  });

  it('refuses a body that is not an object', () => {
    expect(fieldsOf(() => parseCalendarSettings(null))).toEqual([{ field: '(body)', code: 'wrong_type' }]);
    expect(fieldsOf(() => parseCalendarSettings([]))).toEqual([{ field: '(body)', code: 'wrong_type' }]);
  });

  it('refuses an unknown profile and missing fields', () => {
    expect(fieldsOf(() => parseCalendarSettings(settings({ profile: 'bank' })))).toEqual([{ field: 'profile', code: 'invalid_value' }]);
    expect(fieldsOf(() => parseCalendarSettings({}))).toEqual([
      { field: 'profile', code: 'required' },
      { field: 'businessHours', code: 'required' },
      { field: 'saturdayMorning', code: 'required' },
      { field: 'extraDaysOff', code: 'required' },
      { field: 'extraWorkingDays', code: 'required' },
    ]);
  });

  it('refuses unknown fields, at the top and inside entries', () => {
    const fields = fieldsOf(() =>
      parseCalendarSettings(settings({ timezone: 'UTC', extraDaysOff: [{ date: '2026-03-08', note: '', kind: 'x' }] })),
    );
    expect(fields).toEqual([
      { field: 'timezone', code: 'unknown_field' },
      { field: 'extraDaysOff[0].kind', code: 'unknown_field' },
    ]);
  });

  it('refuses a week that is not 7 days, or has no working hours at all', () => {
    expect(fieldsOf(() => parseCalendarSettings(settings({ businessHours: [[], [], []] })))).toEqual([
      { field: 'businessHours', code: 'seven_weekdays' },
    ]);
    expect(fieldsOf(() => parseCalendarSettings(settings({ businessHours: [[], [], [], [], [], [], []] })))).toEqual([
      { field: 'businessHours', code: 'no_working_hours' },
    ]);
    expect(fieldsOf(() => parseCalendarSettings(settings({ businessHours: 'Mon-Fri' })))).toEqual([
      { field: 'businessHours', code: 'wrong_type' },
    ]);
  });

  it('refuses malformed times, naming the start or the end', () => {
    const fields = fieldsOf(() =>
      parseCalendarSettings(
        settings({
          businessHours: withDay(2, [['8:00', '12:00'], ['13:00', '17:60'], ['24:00', '24:00'], ['13:00'], 'all day']),
        }),
      ),
    );
    expect(fields).toEqual([
      { field: 'businessHours[2][0][0]', code: 'invalid_time' },
      { field: 'businessHours[2][1][1]', code: 'invalid_time' },
      { field: 'businessHours[2][2][0]', code: 'invalid_time' },
      { field: 'businessHours[2][3]', code: 'wrong_type' },
      { field: 'businessHours[2][4]', code: 'wrong_type' },
    ]);
  });

  it('refuses an interval that ends before or at its start', () => {
    const fields = fieldsOf(() =>
      parseCalendarSettings(settings({ businessHours: withDay(1, [['12:00', '08:00'], ['13:00', '13:00']]) })),
    );
    expect(fields).toEqual([
      { field: 'businessHours[1][0]', code: 'end_before_start' },
      { field: 'businessHours[1][1]', code: 'end_before_start' },
    ]);
  });

  it('refuses overlapping intervals in a day, naming the later one; touching intervals are fine', () => {
    const fields = fieldsOf(() =>
      parseCalendarSettings(settings({ businessHours: withDay(3, [['13:00', '17:00'], ['08:00', '13:30'], ['16:00', '18:00']]) })),
    );
    expect(fields).toEqual([
      { field: 'businessHours[3][0]', code: 'overlap' },
      { field: 'businessHours[3][2]', code: 'overlap' },
    ]);
    expect(() => parseCalendarSettings(settings({ businessHours: withDay(3, [['08:00', '12:00'], ['12:00', '13:00']]) }))).not.toThrow();
  });

  it('refuses malformed, impossible and out-of-range dates', () => {
    const fields = fieldsOf(() =>
      parseCalendarSettings(
        settings({
          extraDaysOff: [
            { date: '2026-03-08', note: '' },
            { date: '8/3/2026', note: '' },
            { date: '2026-02-30', note: '' },
            { date: '2025-02-29', note: '' },
            { date: '1899-12-31', note: '' },
            { date: 20260308, note: '' },
            { note: 'no date' },
          ],
          extraWorkingDays: [{ date: '2200-01-01', note: '' }, { date: '2024-02-29', note: 'leap day is real' }],
        }),
      ),
    );
    expect(fields).toEqual([
      { field: 'extraDaysOff[1].date', code: 'invalid_date' },
      { field: 'extraDaysOff[2].date', code: 'invalid_date' },
      { field: 'extraDaysOff[3].date', code: 'invalid_date' },
      { field: 'extraDaysOff[4].date', code: 'out_of_range' },
      { field: 'extraDaysOff[5].date', code: 'wrong_type' },
      { field: 'extraDaysOff[6].date', code: 'required' },
      { field: 'extraWorkingDays[0].date', code: 'out_of_range' },
    ]);
  });

  it('refuses a date listed twice, or both off and working (on both entries)', () => {
    const fields = fieldsOf(() =>
      parseCalendarSettings(
        settings({
          extraDaysOff: [{ date: '2026-03-08', note: '' }, { date: '2026-12-31', note: '' }, { date: '2026-03-08', note: 'again' }],
          extraWorkingDays: [{ date: '2026-06-06', note: '' }, { date: '2026-12-31', note: '' }],
        }),
      ),
    );
    expect(fields).toEqual([
      { field: 'extraDaysOff[2].date', code: 'duplicate' },
      { field: 'extraDaysOff[1].date', code: 'off_and_working' },
      { field: 'extraWorkingDays[1].date', code: 'off_and_working' },
    ]);
  });

  it('refuses a note that is too long or not text', () => {
    const fields = fieldsOf(() =>
      parseCalendarSettings(settings({ extraDaysOff: [{ date: '2026-03-08', note: 'x'.repeat(201) }, { date: '2026-03-09', note: 5 }] })),
    );
    expect(fields).toEqual([
      { field: 'extraDaysOff[0].note', code: 'too_long' },
      { field: 'extraDaysOff[1].note', code: 'wrong_type' },
    ]);
  });

  it('checks Saturday morning against Saturday hours and the standard day', () => {
    expect(fieldsOf(() => parseCalendarSettings(settings({ saturdayMorning: true, businessHours: withDay(6, [['08:00', '12:00']]) })))).toEqual([
      { field: 'saturdayMorning', code: 'saturday_has_hours' },
    ]);
    const afternoons = [[], ...Array.from({ length: 5 }, () => [['13:00', '17:00']]), []];
    expect(fieldsOf(() => parseCalendarSettings(settings({ saturdayMorning: true, businessHours: afternoons })))).toEqual([
      { field: 'saturdayMorning', code: 'no_morning_hours' },
    ]);
    expect(fieldsOf(() => parseCalendarSettings(settings({ saturdayMorning: 'yes' })))).toEqual([
      { field: 'saturdayMorning', code: 'wrong_type' },
    ]);
  });

  it('lists every problem at once', () => {
    const fields = fieldsOf(() =>
      parseCalendarSettings({
        profile: 'x',
        businessHours: withDay(1, [['09:00', '08:00']]),
        saturdayMorning: false,
        extraDaysOff: [{ date: '2026-02-30', note: '' }],
        extraWorkingDays: [],
        extra: 1,
      }),
    );
    expect(fields.map((f) => f.field)).toEqual(['extra', 'profile', 'businessHours[1][0]', 'extraDaysOff[0].date']);
  });
});

describe('toWorkingCalendarConfig', () => {
  it('gives the calendar minutes and plain date lists, which it accepts', () => {
    const s = parseCalendarSettings(
      settings({
        businessHours: withDay(5, [['08:00', '12:00'], ['13:30', '24:00']]),
        extraDaysOff: [{ date: '2026-03-09', note: 'Company day' }],
        extraWorkingDays: [{ date: '2026-03-14', note: '' }],
      }),
    );
    const config = toWorkingCalendarConfig(s);
    expect(config.businessHours[1]).toEqual([[480, 720], [780, 1020]]);
    expect(config.businessHours[5]).toEqual([[480, 720], [810, 1440]]);
    expect(config.extraDaysOff).toEqual(['2026-03-09']);
    expect(config.extraWorkingDays).toEqual(['2026-03-14']);
    expect(config.profile).toBe('public-sector');
    expect(() => createWorkingCalendar(config)).not.toThrow();
    // Friday 6 March 2026 + 1 working day skips the company day off (Mon 9) → Tue 10 March, 17:00 +07.
    const due = addWorkingDays(new Date('2026-03-06T09:00:00+07:00'), 1, createWorkingCalendar(config));
    expect(due.toISOString()).toBe('2026-03-10T10:00:00.000Z');
  });
});

describe('parseSlaPolicy', () => {
  it('accepts the default policy and returns fractions sorted', () => {
    expect(parseSlaPolicy(structuredClone(DEFAULT_SLA))).toEqual(DEFAULT_SLA);
    const p = parseSlaPolicy({ ...DEFAULT_SLA, acknowledgementWorkingHours: 1.5, reminderFractions: [0.9, 0.25, 0.5] });
    expect(p.acknowledgementWorkingHours).toBe(1.5);
    expect(p.reminderFractions).toEqual([0.25, 0.5, 0.9]);
    expect(parseSlaPolicy({ ...DEFAULT_SLA, reminderFractions: [], workingTimeMode: 'calendar-hours-on-working-days' }).reminderFractions).toEqual([]);
  });

  it('refuses non-positive, non-numeric, fractional-day and too large targets', () => {
    const fields = fieldsOf(() =>
      parseSlaPolicy({
        ...DEFAULT_SLA,
        acknowledgementWorkingHours: 0,
        nextResponseWorkingHours: '16',
        resolutionWorkingDays: 2.5,
        negotiationWorkingDays: -1,
      }),
    );
    expect(fields).toEqual([
      { field: 'acknowledgementWorkingHours', code: 'must_be_positive' },
      { field: 'nextResponseWorkingHours', code: 'wrong_type' },
      { field: 'resolutionWorkingDays', code: 'must_be_integer' },
      { field: 'negotiationWorkingDays', code: 'must_be_positive' },
    ]);
    const big = fieldsOf(() =>
      parseSlaPolicy({ ...DEFAULT_SLA, acknowledgementWorkingHours: 2001, nextResponseWorkingHours: Number.POSITIVE_INFINITY, resolutionWorkingDays: 366, negotiationWorkingDays: 8 }),
    );
    expect(big).toEqual([
      { field: 'acknowledgementWorkingHours', code: 'out_of_range' },
      { field: 'nextResponseWorkingHours', code: 'wrong_type' },
      { field: 'resolutionWorkingDays', code: 'out_of_range' },
      { field: 'negotiationWorkingDays', code: 'out_of_range' },
    ]);
  });

  it('refuses an unknown mode, non-boolean flags, unknown and missing fields', () => {
    const fields = fieldsOf(() =>
      parseSlaPolicy({ ...DEFAULT_SLA, workingTimeMode: '24/7', pauseWhileAwaitingCustomer: 'true', reassignOnBreach: undefined, escalateTo: 'boss' }),
    );
    expect(fields).toEqual([
      { field: 'escalateTo', code: 'unknown_field' },
      { field: 'workingTimeMode', code: 'invalid_value' },
      { field: 'pauseWhileAwaitingCustomer', code: 'wrong_type' },
      { field: 'reassignOnBreach', code: 'required' },
    ]);
    expect(fieldsOf(() => parseSlaPolicy('policy'))).toEqual([{ field: '(body)', code: 'wrong_type' }]);
  });

  it('refuses bad reminder fractions field by field', () => {
    const fields = fieldsOf(() => parseSlaPolicy({ ...DEFAULT_SLA, reminderFractions: [0.5, 0, 1, 0.5, '0.8', 1.2] }));
    expect(fields).toEqual([
      { field: 'reminderFractions', code: 'too_many' },
      { field: 'reminderFractions[1]', code: 'out_of_range' },
      { field: 'reminderFractions[2]', code: 'out_of_range' },
      { field: 'reminderFractions[3]', code: 'duplicate' },
      { field: 'reminderFractions[4]', code: 'wrong_type' },
      { field: 'reminderFractions[5]', code: 'out_of_range' },
    ]);
    expect(fieldsOf(() => parseSlaPolicy({ ...DEFAULT_SLA, reminderFractions: 0.5 }))).toEqual([
      { field: 'reminderFractions', code: 'wrong_type' },
    ]);
  });
});

describe('calendarYearView', () => {
  const view2026 = calendarYearView(2026, DEFAULT_CALENDAR_SETTINGS);

  it('lays out every day of the year in 12 months', () => {
    expect(view2026.year).toBe(2026);
    expect(view2026.profile).toBe('public-sector');
    expect(view2026.months.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(view2026.months.reduce((n, m) => n + m.days.length, 0)).toBe(365);
    expect(view2026.months[1].days).toHaveLength(28);
    expect(calendarYearView(2028, DEFAULT_CALENDAR_SETTINGS).months[1].days).toHaveLength(29);
    expect(dayOf(view2026, '2026-01-05')).toEqual({
      date: '2026-01-05',
      weekday: 1,
      working: true,
      hours: [['08:00', '12:00'], ['13:00', '17:00']],
      kind: 'working',
    });
    expect(dayOf(view2026, '2026-03-08')).toMatchObject({ weekday: 0, working: false, hours: [], kind: 'weekend' });
  });

  it('shows Tết Bính Ngọ 2026 off from 16 to 20 February, with its names', () => {
    for (const date of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) {
      expect(dayOf(view2026, date)).toMatchObject({ working: false, hours: [], kind: 'holiday' });
      expect(dayOf(view2026, date).name).toMatch(/^Tết Nguyên đán/);
    }
    expect(dayOf(view2026, '2026-02-17').name).toBe('Tết Nguyên đán (mùng 1)');
    expect(dayOf(view2026, '2026-02-13')).toMatchObject({ working: true, kind: 'working' });
    expect(dayOf(view2026, '2026-02-23')).toMatchObject({ working: true, kind: 'working' });
  });

  it('shows the 2026 swaps, make-up Saturdays and the compensatory day for Giỗ Tổ', () => {
    expect(dayOf(view2026, '2026-01-02')).toMatchObject({ working: false, kind: 'swap' });
    expect(dayOf(view2026, '2026-01-10')).toMatchObject({ weekday: 6, working: true, kind: 'make-up', hours: [['08:00', '12:00'], ['13:00', '17:00']] });
    expect(dayOf(view2026, '2026-08-22')).toMatchObject({ weekday: 6, working: true, kind: 'make-up' });
    expect(dayOf(view2026, '2026-08-31')).toMatchObject({ working: false, kind: 'swap' });
    expect(dayOf(view2026, '2026-04-26')).toMatchObject({ weekday: 0, working: false, kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' });
    expect(dayOf(view2026, '2026-04-27')).toMatchObject({ working: false, kind: 'compensatory' });
    expect(dayOf(view2026, '2026-09-01')).toMatchObject({ working: false, kind: 'holiday' });
    expect(dayOf(view2026, '2026-09-02')).toMatchObject({ working: false, kind: 'holiday', name: 'Quốc khánh' });
  });

  it('has no swaps or make-up days for the company profile', () => {
    const view = calendarYearView(2026, { ...DEFAULT_CALENDAR_SETTINGS, profile: 'company' });
    expect(view.profile).toBe('company');
    expect(dayOf(view, '2026-01-02')).toMatchObject({ working: true, kind: 'working' });
    expect(dayOf(view, '2026-01-10')).toMatchObject({ working: false, kind: 'weekend' });
    expect(dayOf(view, '2026-02-17')).toMatchObject({ working: false, kind: 'holiday' });
  });

  it('flags 2027 and later as provisional, 2025 and 2026 not', () => {
    expect(calendarYearView(2025, DEFAULT_CALENDAR_SETTINGS).provisional).toBe(false);
    expect(view2026.provisional).toBe(false);
    const view2027 = calendarYearView(2027, DEFAULT_CALENDAR_SETTINGS);
    expect(view2027.provisional).toBe(true);
    expect(calendarYearView(2030, DEFAULT_CALENDAR_SETTINGS).provisional).toBe(true);
    // Computed by rule: 1 May 2027 is a Saturday, so Monday 3 May is the compensatory day.
    expect(dayOf(view2027, '2027-05-01')).toMatchObject({ kind: 'holiday' });
    expect(dayOf(view2027, '2027-05-03')).toMatchObject({ kind: 'compensatory', working: false });
  });

  it("shows the company's own days off and working days, with their notes, over the official ones", () => {
    const view = calendarYearView(2026, {
      ...DEFAULT_CALENDAR_SETTINGS,
      extraDaysOff: [
        { date: '2026-03-09', note: 'Ngày thành lập công ty' },
        { date: '2026-02-23', note: '' },
      ],
      extraWorkingDays: [
        { date: '2026-03-14', note: 'Kiểm kê' },
        { date: '2026-02-20', note: '' },
      ],
    });
    expect(dayOf(view, '2026-03-09')).toMatchObject({ working: false, hours: [], kind: 'company-off', name: 'Ngày thành lập công ty' });
    expect(dayOf(view, '2026-02-23')).toMatchObject({ working: false, kind: 'company-off' });
    expect(dayOf(view, '2026-02-23').name).toBeUndefined();
    expect(dayOf(view, '2026-03-14')).toMatchObject({ weekday: 6, working: true, kind: 'company-working', name: 'Kiểm kê' });
    // A worked Tết day keeps the holiday's name, so the admin sees what was given up.
    expect(dayOf(view, '2026-02-20')).toMatchObject({ working: true, kind: 'company-working', name: 'Tết Nguyên đán (mùng 4)' });
  });

  it('follows Saturday mornings and custom hours', () => {
    const view = calendarYearView(2026, { ...DEFAULT_CALENDAR_SETTINGS, saturdayMorning: true });
    expect(dayOf(view, '2026-03-07')).toMatchObject({ weekday: 6, working: true, hours: [['08:00', '12:00']], kind: 'working' });
    expect(dayOf(view, '2026-03-08')).toMatchObject({ kind: 'weekend' });
  });

  it('refuses a year outside the supported range or not a whole number', () => {
    for (const year of [1899, 2200, 2026.5, Number.NaN]) {
      expect(fieldsOf(() => calendarYearView(year, DEFAULT_CALENDAR_SETTINGS))).toEqual([{ field: 'year', code: 'out_of_range' }]);
    }
    expect(calendarYearView(1900, DEFAULT_CALENDAR_SETTINGS).year).toBe(1900);
    expect(calendarYearView(2199, DEFAULT_CALENDAR_SETTINGS).year).toBe(2199);
  });
});
