// Public holidays of the Labour Code 2019 (Art. 112) with Art. 111(3) compensatory days, for
// 1900–2199: by rule, or from the Prime Minister's decision where `overrides.ts` has one.
import { assertYearInRange, dayNumberOf, formatDayNumber, parseYmd, weekdayOf, ymdOfDayNumber } from './civil';
import { CalendarError } from './errors';
import { lunarToSolar, solarToLunar } from './lunar';
import { YEAR_OVERRIDES, type HolidayKey, type YearOverride } from './overrides';

/**
 * Whose schedule to follow: `public-sector` takes the government's swapped days and make-up
 * Saturdays; `company` takes the statutory days as placed by the PM (the chosen Tết days, the day
 * beside 2/9) and compensatory days, but not the swaps, which bind only the public sector.
 */
export type CalendarProfile = 'public-sector' | 'company';
export const CALENDAR_PROFILES: readonly CalendarProfile[] = ['public-sector', 'company'];
/** The official schedule is the default: it is what DESIGN.md and the research note test against. */
export const DEFAULT_PROFILE: CalendarProfile = 'public-sector';

/** `holiday`: Art. 112 day; `compensatory`: Art. 111(3) nghỉ bù; `swap`: hoán đổi (public sector). */
export type DayOffKind = 'holiday' | 'compensatory' | 'swap';

/** A day off besides the weekly rest days, with its Vietnamese name. */
export interface DayOff {
  readonly date: string;
  readonly name: string;
  /** The same in English, for the English interface. */
  readonly nameEn: string;
  readonly kind: DayOffKind;
}

/** Ngày làm bù — a rest day worked to make up for a swapped day off. */
export interface MakeUpWorkingDay {
  readonly date: string;
  readonly name: string;
  readonly nameEn: string;
  /** The weekday given off in exchange. */
  readonly replaces: string;
}

export interface HolidayOptions {
  readonly profile?: CalendarProfile;
  /** Weekly rest days for Art. 111(3), 0 = Sunday … 6 = Saturday; default Saturday and Sunday. */
  readonly restDays?: readonly number[];
  /** Per-year decisions; default the ones shipped in `overrides.ts`. */
  readonly overrides?: Readonly<Record<number, YearOverride>>;
}

/** Everything the calendar knows about one year's days off. */
export interface YearSchedule {
  readonly year: number;
  readonly profile: CalendarProfile;
  /** True when no decision is on file and the days were computed by rule (may still change). */
  readonly provisional: boolean;
  readonly source: string;
  /** Sorted by date; holidays falling on a rest day are listed too, next to their compensatory day. */
  readonly daysOff: readonly DayOff[];
  readonly makeUpWorkingDays: readonly MakeUpWorkingDay[];
}

const HOLIDAY_NAMES: Readonly<Record<HolidayKey, string>> = {
  'new-year': 'Tết Dương lịch',
  tet: 'Tết Nguyên đán',
  'hung-kings': 'Giỗ Tổ Hùng Vương',
  victory: 'Ngày Chiến thắng',
  labour: 'Ngày Quốc tế Lao động',
  'national-day': 'Quốc khánh',
};

const WEEKDAY_NAMES_VI = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];
const DEFAULT_REST_DAYS: readonly number[] = [0, 6];
const RULE_SOURCE = 'Bộ luật Lao động 2019, Điều 112 và Điều 111(3) (tính theo quy tắc, chưa có quyết định của Thủ tướng)';

interface Holiday {
  readonly day: number;
  readonly key: HolidayKey;
}

function dmy(day: number): string {
  const { year, month, day: d } = ymdOfDayNumber(day);
  return `${String(d).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

const HOLIDAY_NAMES_EN: Readonly<Record<HolidayKey, string>> = {
  'new-year': 'New Year’s Day',
  tet: 'Lunar New Year (Tết)',
  'hung-kings': 'Hùng Kings’ Commemoration',
  victory: 'Reunification Day',
  labour: 'International Labour Day',
  'national-day': 'National Day',
};
const WEEKDAY_NAMES_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function holidayNameEn(h: Holiday): string {
  const base = HOLIDAY_NAMES_EN[h.key];
  if (h.key === 'tet') {
    const { year, month, day } = ymdOfDayNumber(h.day);
    const lunar = solarToLunar(day, month, year);
    return `${base} (${lunar.month === 1 ? `day ${lunar.day} of the 1st lunar month` : `${lunar.day} of the 12th lunar month`})`;
  }
  if (h.key === 'hung-kings') return `${base} (10th day of the 3rd lunar month)`;
  if (h.key === 'national-day') {
    const { month, day } = ymdOfDayNumber(h.day);
    return month === 9 && day === 2 ? base : `${base} (adjacent day)`;
  }
  return base;
}

function holidayName(h: Holiday): string {
  const base = HOLIDAY_NAMES[h.key];
  if (h.key === 'tet') {
    const { year, month, day } = ymdOfDayNumber(h.day);
    const lunar = solarToLunar(day, month, year);
    const label = lunar.month === 1 ? `mùng ${lunar.day}` : `${lunar.day} tháng Chạp`;
    return `${base} (${label})`;
  }
  if (h.key === 'hung-kings') return `${base} (10/3 âm lịch)`;
  if (h.key === 'national-day') {
    const { month, day } = ymdOfDayNumber(h.day);
    return month === 9 && day === 2 ? base : `${base} (ngày liền kề)`;
  }
  return base;
}

/** Art. 111(3): each holiday on a rest day (or on another holiday) moves to the next free working day. */
function compensatoryDays(holidays: readonly Holiday[], rest: ReadonlySet<number>): Array<{ day: number; of: Holiday }> {
  const sorted = [...holidays].sort((a, b) => a.day - b.day);
  const taken = new Set(sorted.map((h) => h.day));
  const seen = new Set<number>();
  const result: Array<{ day: number; of: Holiday }> = [];
  for (const h of sorted) {
    // Two holidays on one date (Giỗ Tổ fell on 30/4 in 1947) must still give two days off.
    const clash = seen.has(h.day);
    seen.add(h.day);
    if (!clash && !rest.has(weekdayOf(h.day))) continue;
    let day = h.day + 1;
    while (rest.has(weekdayOf(day)) || taken.has(day)) day += 1;
    taken.add(day);
    result.push({ day, of: h });
  }
  return result;
}

/** Length of the run of consecutive non-working days that contains `day`. */
function blockLength(day: number, off: ReadonlySet<number>, rest: ReadonlySet<number>): number {
  const free = (d: number): boolean => off.has(d) || rest.has(weekdayOf(d));
  let from = day;
  let to = day;
  while (free(from - 1)) from -= 1;
  while (free(to + 1)) to += 1;
  return to - from + 1;
}

function blockFor(holidays: readonly Holiday[], rest: ReadonlySet<number>, day: number): number {
  const off = new Set(holidays.map((h) => h.day));
  for (const c of compensatoryDays(holidays, rest)) off.add(c.day);
  return blockLength(day, off, rest);
}

/** The statutory holidays of a year placed by the default rules (no PM decision). */
function ruleHolidays(year: number, rest: ReadonlySet<number>): Holiday[] {
  const day = (m: number, d: number): number => dayNumberOf(year, m, d);
  const tet = lunarToSolar(1, 1, year);
  const tetDay = dayNumberOf(tet.year, tet.month, tet.day);
  const hung = lunarToSolar(10, 3, year);
  const base: Holiday[] = [
    { day: day(1, 1), key: 'new-year' },
    // Default Tết rule: the last day of the old lunar year, then mùng 1 to mùng 4.
    ...[-1, 0, 1, 2, 3].map((o): Holiday => ({ day: tetDay + o, key: 'tet' })),
    { day: dayNumberOf(hung.year, hung.month, hung.day), key: 'hung-kings' },
    { day: day(4, 30), key: 'victory' },
    { day: day(5, 1), key: 'labour' },
    { day: day(9, 2), key: 'national-day' },
  ];
  // The second Quốc khánh day is 1/9 or 3/9, whichever gives the longer run of days off
  // (counting weekends and compensatory days); on a tie 1/9, as the PM chose in 2022, 2023 and 2026.
  const before = [...base, { day: day(9, 1), key: 'national-day' } as const];
  const after = [...base, { day: day(9, 3), key: 'national-day' } as const];
  const national = day(9, 2);
  return blockFor(after, rest, national) > blockFor(before, rest, national) ? after : before;
}

function overrideHolidays(o: YearOverride): Holiday[] {
  return o.holidays.map((h) => ({ day: parseYmd(h.date, 'overrides.holidays'), key: h.key }));
}

function overrideCompensatory(o: YearOverride, holidays: readonly Holiday[]): Array<{ day: number; of: Holiday }> {
  return o.compensatory.map((c) => {
    const forDay = parseYmd(c.for, 'overrides.compensatory');
    const of = holidays.find((h) => h.day === forDay);
    if (!of) {
      throw new CalendarError('invalid-config', `override ${o.year}: compensatory day ${c.date} is for ${c.for}, which is not a holiday`, 'overrides');
    }
    return { day: parseYmd(c.date, 'overrides.compensatory'), of };
  });
}

function restSet(restDays: readonly number[] | undefined): ReadonlySet<number> {
  const list = restDays ?? DEFAULT_REST_DAYS;
  const valid = list.every((d) => Number.isInteger(d) && d >= 0 && d <= 6);
  if (!valid || new Set(list).size >= 7) {
    throw new CalendarError('invalid-config', 'restDays must be weekdays 0–6 (0 = Sunday), leaving at least one working day', 'restDays');
  }
  return new Set(list);
}

function checkProfile(profile: CalendarProfile): void {
  if (CALENDAR_PROFILES.includes(profile)) return;
  throw new CalendarError('invalid-config', `profile must be one of ${CALENDAR_PROFILES.join(', ')}`, 'profile');
}

function buildSchedule(year: number, profile: CalendarProfile, rest: ReadonlySet<number>, override: YearOverride | undefined): YearSchedule {
  const holidays = override ? overrideHolidays(override) : ruleHolidays(year, rest);
  const compensatory = override ? overrideCompensatory(override, holidays) : compensatoryDays(holidays, rest);
  const daysOff: Array<DayOff & { day: number }> = [
    ...holidays.map((h) => ({ day: h.day, date: formatDayNumber(h.day), name: holidayName(h), nameEn: holidayNameEn(h), kind: 'holiday' as const })),
    ...compensatory.map((c) => ({
      day: c.day,
      date: formatDayNumber(c.day),
      name: `Nghỉ bù ${holidayName(c.of)}, trùng ${WEEKDAY_NAMES_VI[weekdayOf(c.of.day)]} ${dmy(c.of.day)}`,
      nameEn: `Day off in lieu of ${holidayNameEn(c.of)}, which fell on ${WEEKDAY_NAMES_EN[weekdayOf(c.of.day)]} ${dmy(c.of.day)}`,
      kind: 'compensatory' as const,
    })),
  ];
  const makeUp: MakeUpWorkingDay[] = [];
  if (override && profile === 'public-sector') {
    for (const s of override.swaps) {
      const off = parseYmd(s.dayOff, 'overrides.swaps');
      const worked = parseYmd(s.workedOn, 'overrides.swaps');
      daysOff.push({
        day: off,
        date: s.dayOff,
        name: `Nghỉ hoán đổi (làm bù ${WEEKDAY_NAMES_VI[weekdayOf(worked)]} ${dmy(worked)})`,
        nameEn: `Swapped day off (worked on ${WEEKDAY_NAMES_EN[weekdayOf(worked)]} ${dmy(worked)})`,
        kind: 'swap',
      });
      makeUp.push({ date: s.workedOn, name: `Làm bù cho ngày ${dmy(off)}`, nameEn: `Working day making up for ${dmy(off)}`, replaces: s.dayOff });
    }
  }
  daysOff.sort((a, b) => a.day - b.day);
  makeUp.sort((a, b) => (a.date < b.date ? -1 : 1));
  return Object.freeze({
    year,
    profile,
    provisional: !override,
    source: override ? override.source : RULE_SOURCE,
    daysOff: Object.freeze(daysOff.map(({ date, name, nameEn, kind }) => Object.freeze({ date, name, nameEn, kind }))),
    makeUpWorkingDays: Object.freeze(makeUp.map((m) => Object.freeze(m))),
  });
}

// Schedules are pure functions of their inputs, so they are memoised (lunar maths is the slow part).
const cache = new WeakMap<object, Map<string, YearSchedule>>();

/** The days off and make-up working days of a year for a profile, flagged provisional when computed by rule. */
export function yearSchedule(year: number, options: HolidayOptions = {}): YearSchedule {
  assertYearInRange(year);
  const profile = options.profile ?? DEFAULT_PROFILE;
  checkProfile(profile);
  const rest = restSet(options.restDays);
  const overrides = options.overrides ?? YEAR_OVERRIDES;
  const key = `${year}|${profile}|${[...rest].sort().join(',')}`;
  let perOverrides = cache.get(overrides);
  if (!perOverrides) {
    perOverrides = new Map();
    cache.set(overrides, perOverrides);
  }
  const hit = perOverrides.get(key);
  if (hit) return hit;
  const schedule = buildSchedule(year, profile, rest, overrides[year]);
  perOverrides.set(key, schedule);
  return schedule;
}

/** The year's holidays, compensatory days and (public sector) swapped days off, sorted by date. */
export function holidaysOfYear(year: number, options: HolidayOptions = {}): DayOff[] {
  return [...yearSchedule(year, options).daysOff];
}

/** The year's make-up working days (Saturdays worked for a swap); empty for the company profile. */
export function makeUpWorkingDays(year: number, options: HolidayOptions = {}): MakeUpWorkingDay[] {
  return [...yearSchedule(year, options).makeUpWorkingDays];
}

/** Whether the year's schedule is computed by rule because no PM decision is on file. */
export function isProvisionalYear(year: number, options: HolidayOptions = {}): boolean {
  assertYearInRange(year);
  return !(options.overrides ?? YEAR_OVERRIDES)[year];
}

/** For `sen calendar holidays <year>`: sorted YYYY-MM-DD days off that fall on otherwise working days. */
export function holidayDatesOfYear(year: number, options: HolidayOptions = {}): string[] {
  const rest = restSet(options.restDays);
  const dates = yearSchedule(year, options)
    .daysOff.filter((d) => !rest.has(weekdayOf(parseYmd(d.date))))
    .map((d) => d.date);
  return [...new Set(dates)];
}
