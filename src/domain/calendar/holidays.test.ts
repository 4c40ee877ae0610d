import { describe, it, expect } from 'vitest';
import amlich from 'amlich';
import {
  holidayDatesOfYear,
  holidaysOfYear,
  isProvisionalYear,
  makeUpWorkingDays,
  yearSchedule,
} from './holidays';
import { createWorkingCalendar, isWorkingDay } from './working-time';
import { dayNumberOf, formatDayNumber } from './civil';
import { CalendarError } from './errors';

const RULE_ONLY = { overrides: {} };

function iso(year: number, month: number, day: number): string {
  return formatDayNumber(dayNumberOf(year, month, day));
}

function oracle(lunarDay: number, lunarMonth: number, lunarYear: number): string {
  const [d, m, y] = amlich.convertLunar2Solar(lunarDay, lunarMonth, lunarYear, 0, 7);
  return iso(y, m, d);
}

function shift(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return formatDayNumber(dayNumberOf(y, m, d) + days);
}

// research-law-calendar.md §4, "Announced schedules" (public sector, Mon–Fri week).
const OFFICIAL_2025 = [
  '2025-01-01',
  '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31',
  '2025-04-07',
  '2025-04-30', '2025-05-01', '2025-05-02',
  '2025-09-01', '2025-09-02',
];
const OFFICIAL_2026 = [
  '2026-01-01', '2026-01-02',
  '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
  '2026-04-27',
  '2026-04-30', '2026-05-01',
  '2026-08-31', '2026-09-01', '2026-09-02',
];
const MAKE_UP_SATURDAYS = ['2025-04-26', '2026-01-10', '2026-08-22'];
const SWAPPED_DAYS_OFF = ['2025-05-02', '2026-01-02', '2026-08-31'];

describe('official days off 2025 and 2026 (public-sector profile, the default)', () => {
  const publicSector = createWorkingCalendar();

  it.each([...OFFICIAL_2025, ...OFFICIAL_2026])('%s is a day off', (date) => {
    expect(isWorkingDay(date, publicSector)).toBe(false);
    expect(holidayDatesOfYear(Number(date.slice(0, 4)))).toContain(date);
  });

  it.each(MAKE_UP_SATURDAYS)('Saturday %s is a make-up working day', (date) => {
    expect(isWorkingDay(date, publicSector)).toBe(true);
    expect(makeUpWorkingDays(Number(date.slice(0, 4))).map((d) => d.date)).toContain(date);
  });

  it('lists exactly the official days off for the CLI, sorted, without weekends', () => {
    expect(holidayDatesOfYear(2025)).toEqual(OFFICIAL_2025);
    expect(holidayDatesOfYear(2026)).toEqual(OFFICIAL_2026);
  });

  it('names the days in Vietnamese and tells holidays, compensatory days and swaps apart', () => {
    const days = holidaysOfYear(2026);
    expect(days.find((d) => d.date === '2026-02-17')).toEqual({ date: '2026-02-17', name: 'Tết Nguyên đán (mùng 1)', nameEn: 'Lunar New Year (Tết) (day 1 of the 1st lunar month)', kind: 'holiday' });
    expect(days.find((d) => d.date === '2026-02-16')?.name).toBe('Tết Nguyên đán (29 tháng Chạp)');
    expect(days.find((d) => d.date === '2026-04-26')).toMatchObject({ kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' });
    expect(days.find((d) => d.date === '2026-04-27')).toMatchObject({ kind: 'compensatory', nameEn: 'Day off in lieu of Hùng Kings’ Commemoration (10th day of the 3rd lunar month), which fell on Sunday 26/04/2026' });
    expect(days.find((d) => d.date === '2026-04-27')?.name).toContain('Chủ nhật 26/04/2026');
    expect(days.find((d) => d.date === '2026-01-02')).toMatchObject({ kind: 'swap', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)', nameEn: 'Swapped day off (worked on Saturday 10/01/2026)' });
    expect(days.find((d) => d.date === '2026-09-01')?.name).toBe('Quốc khánh (ngày liền kề)');
    expect(makeUpWorkingDays(2025)).toEqual([{ date: '2025-04-26', name: 'Làm bù cho ngày 02/05/2025', nameEn: 'Working day making up for 02/05/2025', replaces: '2025-05-02' }]);
  });

  it('flags only years without a PM decision as provisional', () => {
    expect(yearSchedule(2025).provisional).toBe(false);
    expect(yearSchedule(2026).provisional).toBe(false);
    expect(yearSchedule(2027).provisional).toBe(true);
    expect(isProvisionalYear(2026)).toBe(false);
    expect(isProvisionalYear(2024)).toBe(true);
  });
});

describe('company profile: statutory and compensatory days, no public-sector swaps', () => {
  const company = createWorkingCalendar({ profile: 'company' });

  it('keeps the PM-placed Tết days and the 2/9 neighbour but not the swapped days', () => {
    const swapped = new Set(SWAPPED_DAYS_OFF);
    expect(holidayDatesOfYear(2025, { profile: 'company' })).toEqual(OFFICIAL_2025.filter((d) => !swapped.has(d)));
    expect(holidayDatesOfYear(2026, { profile: 'company' })).toEqual(OFFICIAL_2026.filter((d) => !swapped.has(d)));
    expect(makeUpWorkingDays(2026, { profile: 'company' })).toEqual([]);
  });

  it.each(SWAPPED_DAYS_OFF)('%s is worked under the company profile', (date) => {
    expect(isWorkingDay(date, company)).toBe(true);
  });

  it.each(MAKE_UP_SATURDAYS)('Saturday %s stays a rest day under the company profile', (date) => {
    expect(isWorkingDay(date, company)).toBe(false);
  });

  it('has the 11 statutory days off of Art. 112 in 2026 (26/4 Sunday moved to 27/4)', () => {
    expect(holidayDatesOfYear(2026, { profile: 'company' })).toHaveLength(11);
  });
});

describe('holidays by rule (years without a decision), against the amlich oracle', () => {
  const YEARS = Array.from({ length: 300 }, (_, i) => 1900 + i);

  it('puts Tết on the last day of the old lunar year plus mùng 1–4, every year 1900–2199', () => {
    for (const year of YEARS) {
      const tet = oracle(1, 1, year);
      const expected = [-1, 0, 1, 2, 3].map((o) => shift(tet, o));
      const got = holidaysOfYear(year, RULE_ONLY).filter((d) => d.kind === 'holiday' && d.name.startsWith('Tết Nguyên đán'));
      expect(got.map((d) => d.date), `Tết ${year}`).toEqual(expected);
      expect(got[1].name).toBe('Tết Nguyên đán (mùng 1)');
      expect(got[0].name).toMatch(/^Tết Nguyên đán \((29|30) tháng Chạp\)$/);
    }
  });

  it('puts Giỗ Tổ Hùng Vương on 10/3 âm lịch, every year 1900–2199', () => {
    for (const year of YEARS) {
      const got = holidaysOfYear(year, RULE_ONLY).filter((d) => d.kind === 'holiday' && d.name.startsWith('Giỗ Tổ'));
      expect(got.map((d) => d.date), `Giỗ Tổ ${year}`).toEqual([oracle(10, 3, year)]);
    }
  });

  it('gives 11 statutory days and moves every weekend holiday to a weekday (Art. 111(3)), every year', () => {
    for (const year of YEARS) {
      const days = holidaysOfYear(year, RULE_ONLY);
      expect(days.filter((d) => d.kind === 'holiday')).toHaveLength(11);
      // Each statutory day yields exactly one weekday off: itself or its compensatory day.
      expect(holidayDatesOfYear(year, RULE_ONLY), `year ${year}`).toHaveLength(11);
    }
  });

  it('agrees with the official Tết and Giỗ Tổ dates in the shipped years', () => {
    const days2025 = holidaysOfYear(2025).map((d) => d.date);
    expect(days2025).toContain(oracle(1, 1, 2025));
    expect(days2025).toContain(oracle(10, 3, 2025));
    const days2026 = holidaysOfYear(2026).map((d) => d.date);
    expect(days2026).toContain(oracle(1, 1, 2026));
    expect(days2026).toContain(oracle(10, 3, 2026));
  });

  it('computes 2027 as the research note expects (1/5 Saturday → Monday 3/5; Tết weekend compensated)', () => {
    const dates = holidayDatesOfYear(2027);
    expect(dates).toContain('2027-05-03');
    expect(dates).toContain('2027-04-16');
    expect(dates).toContain('2027-02-05');
    expect(dates).not.toContain('2027-02-06');
    expect(dates.filter((d) => d.startsWith('2027-02'))).toHaveLength(5);
  });

  // PM decisions of 2021–2026 for the second Quốc khánh day, as weekdays off around 2/9.
  it.each([
    [2021, ['2021-09-02', '2021-09-03']],
    [2022, ['2022-09-01', '2022-09-02']],
    [2023, ['2023-09-01', '2023-09-04']],
    [2024, ['2024-09-02', '2024-09-03']],
    [2025, ['2025-09-01', '2025-09-02']],
    [2026, ['2026-09-01', '2026-09-02']],
  ])('chooses the 2/9 neighbour of %i as the PM did', (year, expected) => {
    const sept = holidayDatesOfYear(year, RULE_ONLY).filter((d) => d.startsWith(`${year}-09`));
    expect(sept).toEqual(expected);
  });

  it('gives a compensatory day when two holidays coincide (Giỗ Tổ on 30/4/1947)', () => {
    const days = holidaysOfYear(1947, RULE_ONLY);
    expect(days.filter((d) => d.date === '1947-04-30')).toHaveLength(2);
    expect(holidayDatesOfYear(1947, RULE_ONLY)).toHaveLength(11);
  });

  it('shows why the override matters: by rule 2025 Tết would be 28/1–1/2 with Monday 3/2 compensatory', () => {
    const rule = holidayDatesOfYear(2025, RULE_ONLY).filter((d) => d.startsWith('2025-01') || d.startsWith('2025-02'));
    expect(rule).toEqual(['2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-03']);
  });

  it('only compensates weekly rest days: with Saturday worked, a Saturday holiday is not moved', () => {
    // 1/5/2027 is a Saturday.
    expect(holidayDatesOfYear(2027, { restDays: [0] })).toContain('2027-05-01');
    expect(holidayDatesOfYear(2027, { restDays: [0] })).not.toContain('2027-05-03');
  });

  it('refuses bad input', () => {
    expect(() => holidaysOfYear(1899)).toThrow(CalendarError);
    expect(() => holidaysOfYear(2200)).toThrow(/1900–2199/);
    expect(() => holidaysOfYear(2026.5)).toThrow(CalendarError);
    expect(() => holidaysOfYear(2026, { restDays: [0, 1, 2, 3, 4, 5, 6] })).toThrow(/restDays/);
    expect(() => holidaysOfYear(2026, { profile: 'government' as 'company' })).toThrow(/profile/);
    const badOverride = {
      2030: { year: 2030, source: 'test', holidays: [], compensatory: [{ date: '2030-05-02', for: '2030-05-01' }], swaps: [] },
    };
    expect(() => holidaysOfYear(2030, { overrides: badOverride })).toThrow(/not a holiday/);
  });
});
