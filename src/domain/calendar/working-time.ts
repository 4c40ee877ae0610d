// Working-time arithmetic for SLA clocks, always in Asia/Ho_Chi_Minh (UTC+7, computed as epoch ms
// + 7 h so the server's TZ never matters). Each year gets a lazily built index: per day a pattern of
// business-hour intervals and the cumulative working time before it, so adding or measuring time is
// a binary search over at most 366 entries instead of a walk through minutes or days.
import {
  DAY_MS,
  HOUR_MS,
  MAX_YEAR,
  MIN_YEAR,
  MINUTE_MS,
  VN_OFFSET_MS,
  dayNumberOf,
  isLeapYear,
  parseYmd,
  vnDayNumber,
  vnInstant,
  weekdayOf,
  yearOfDayNumber,
} from './civil';
import { CalendarError } from './errors';
import { CALENDAR_PROFILES, DEFAULT_PROFILE, yearSchedule, type CalendarProfile } from './holidays';
import { YEAR_OVERRIDES, type YearOverride } from './overrides';

/**
 * How "N working hours" is read: `business-hours` counts only business hours of working days
 * (48 h = 6 days of 8 h, Labour Code Art. 105); `calendar-hours-on-working-days` counts all 24 hours
 * of each working day (48 h = 2 working days).
 */
export type WorkingTimeMode = 'business-hours' | 'calendar-hours-on-working-days';
export const WORKING_TIME_MODES: readonly WorkingTimeMode[] = ['business-hours', 'calendar-hours-on-working-days'];

/** A half-open interval [start, end) in minutes after local midnight, e.g. [480, 720] = 08:00–12:00. */
export type Interval = readonly [startMinute: number, endMinute: number];

/** Settings of a working calendar, as an admin edits them. */
export interface WorkingCalendarConfig {
  readonly profile: CalendarProfile;
  /** Seven lists, index 0 = Sunday … 6 = Saturday; an empty list makes that weekday a weekly rest day. */
  readonly businessHours: ReadonlyArray<readonly Interval[]>;
  /** Adds Saturday morning (the standard day's hours before 12:00) when Saturday has no hours of its own. */
  readonly saturdayMorning?: boolean;
  /** The company's own days off (YYYY-MM-DD), e.g. a company anniversary or an extra Tết day. */
  readonly extraDaysOff: readonly string[];
  /** Days worked although the calendar would rest (YYYY-MM-DD); they get the standard day's hours. */
  readonly extraWorkingDays: readonly string[];
  /** Per-year PM decisions; default the ones shipped in `overrides.ts`. */
  readonly overrides?: Readonly<Record<number, YearOverride>>;
}

const MORNING: Interval = [8 * 60, 12 * 60];
const AFTERNOON: Interval = [13 * 60, 17 * 60];
/** Default week: Monday–Friday 08:00–12:00 and 13:00–17:00. */
export const DEFAULT_BUSINESS_HOURS: ReadonlyArray<readonly Interval[]> = [
  [],
  [MORNING, AFTERNOON],
  [MORNING, AFTERNOON],
  [MORNING, AFTERNOON],
  [MORNING, AFTERNOON],
  [MORNING, AFTERNOON],
  [],
];

const WEEKDAY_NAMES_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const NOON = 12 * 60;

/** One day's working intervals in ms after local midnight, with the working time before each. */
interface Pattern {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly before: readonly number[];
  readonly total: number;
}

/** The precomputed working time of one year. */
interface YearIndex {
  readonly firstDay: number;
  readonly length: number;
  /** Pattern id of each day; 0 means a day off. */
  readonly pattern: Uint8Array;
  /** Business-hours ms before each day (length + 1 entries, the last is the year's total). */
  readonly businessCum: Float64Array;
  /** Working days before each day, times 24 h, for `calendar-hours-on-working-days`. */
  readonly calendarCum: Float64Array;
  /** Number of working days before each day. */
  readonly dayCum: Int32Array;
}

const OFF = 0;
const STANDARD = 8;

function makePattern(intervals: readonly Interval[]): Pattern {
  const starts: number[] = [];
  const ends: number[] = [];
  const before: number[] = [];
  let total = 0;
  for (const [s, e] of intervals) {
    starts.push(s * MINUTE_MS);
    ends.push(e * MINUTE_MS);
    before.push(total);
    total += (e - s) * MINUTE_MS;
  }
  return { starts, ends, before, total };
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function configError(field: string, message: string): CalendarError {
  return new CalendarError('invalid-config', `${field}: ${message}`, field);
}

function normaliseDay(raw: unknown, weekday: number): Interval[] {
  const field = `businessHours[${weekday}] (${WEEKDAY_NAMES_EN[weekday]})`;
  if (!Array.isArray(raw)) throw configError(field, 'must be a list of [startMinute, endMinute] intervals');
  const list: Interval[] = raw.map((item: unknown, i: number): Interval => {
    const ok = Array.isArray(item) && item.length === 2 && item.every((m: unknown) => Number.isInteger(m));
    if (!ok) throw configError(`${field}[${i}]`, 'must be [startMinute, endMinute] with whole minutes');
    const [s, e] = item as [number, number];
    if (s < 0 || e > 24 * 60) throw configError(`${field}[${i}]`, 'minutes must lie within 0–1440 (00:00–24:00)');
    if (e <= s) throw configError(`${field}[${i}]`, `end ${hhmm(e)} is not after start ${hhmm(s)}`);
    return [s, e];
  });
  list.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < list.length; i += 1) {
    const prev = list[i - 1];
    const cur = list[i];
    if (cur[0] < prev[1]) {
      throw configError(field, `${hhmm(prev[0])}–${hhmm(prev[1])} overlaps ${hhmm(cur[0])}–${hhmm(cur[1])}`);
    }
  }
  return list;
}

function parseDays(raw: unknown, field: string): number[] {
  if (!Array.isArray(raw)) throw configError(field, 'must be a list of YYYY-MM-DD dates');
  return raw.map((d: unknown, i: number) => parseYmd(d as string, `${field}[${i}]`));
}

/** Lịch làm việc — a validated working-time calendar with its lazily built per-year indexes. */
export class WorkingCalendar {
  readonly config: Readonly<WorkingCalendarConfig>;
  /** Length of the standard working day in minutes (480 by default): what "1 working day" means in durations. */
  readonly minutesPerDay: number;
  /** Weekdays without business hours (0 = Sunday), the weekly rest days of Labour Code Art. 111. */
  readonly restDays: readonly number[];
  private readonly patterns: readonly Pattern[];
  private readonly extraOff: ReadonlyMap<number, number[]>;
  private readonly extraOn: ReadonlyMap<number, number[]>;
  private readonly overrides: Readonly<Record<number, YearOverride>>;
  private readonly years: Array<YearIndex | undefined> = new Array(MAX_YEAR - MIN_YEAR + 1);

  constructor(config: Partial<WorkingCalendarConfig> = {}) {
    const profile = config.profile ?? DEFAULT_PROFILE;
    if (!CALENDAR_PROFILES.includes(profile)) {
      throw configError('profile', `must be one of ${CALENDAR_PROFILES.join(', ')}, got "${String(profile)}"`);
    }
    const rawHours: unknown = config.businessHours ?? DEFAULT_BUSINESS_HOURS;
    if (!Array.isArray(rawHours) || rawHours.length !== 7) {
      throw configError('businessHours', 'must list 7 weekdays (index 0 = Sunday … 6 = Saturday)');
    }
    const configured = rawHours.map((day: unknown, wd: number) => normaliseDay(day, wd));
    const hours = [...configured];
    // The standard day gives make-up Saturdays and extra working days their hours.
    const standardWeekday = [1, 2, 3, 4, 5, 6, 0].find((wd) => hours[wd].length > 0);
    if (standardWeekday === undefined) throw configError('businessHours', 'at least one weekday needs business hours');
    const standard = hours[standardWeekday];
    if (config.saturdayMorning === true) {
      if (hours[6].length > 0) throw configError('saturdayMorning', 'Saturday already has its own business hours');
      const morning = standard.filter(([s]) => s < NOON).map(([s, e]): Interval => [s, Math.min(e, NOON)]);
      if (morning.length === 0) throw configError('saturdayMorning', 'the standard working day has no hours before 12:00');
      hours[6] = morning;
    }
    const off = parseDays(config.extraDaysOff ?? [], 'extraDaysOff');
    const on = parseDays(config.extraWorkingDays ?? [], 'extraWorkingDays');
    const offSet = new Set(off);
    const both = on.find((d) => offSet.has(d));
    if (both !== undefined) {
      const date = config.extraWorkingDays?.[on.indexOf(both)] ?? '';
      throw configError('extraWorkingDays', `${date} is listed both as an extra day off and as an extra working day`);
    }
    this.overrides = config.overrides ?? YEAR_OVERRIDES;
    this.patterns = [makePattern([]), ...hours.map(makePattern), makePattern(standard)];
    this.restDays = Object.freeze([0, 1, 2, 3, 4, 5, 6].filter((wd) => hours[wd].length === 0));
    this.minutesPerDay = this.patterns[STANDARD].total / MINUTE_MS;
    this.extraOff = groupByYear(off);
    this.extraOn = groupByYear(on);
    this.config = Object.freeze({
      profile,
      businessHours: Object.freeze(configured.map((h) => Object.freeze(h))),
      saturdayMorning: config.saturdayMorning === true,
      extraDaysOff: Object.freeze([...(config.extraDaysOff ?? [])]),
      extraWorkingDays: Object.freeze([...(config.extraWorkingDays ?? [])]),
      overrides: this.overrides,
    });
    // Check the override data now, so a bad decision file fails at start-up rather than mid-SLA.
    for (const year of Object.keys(this.overrides).map(Number)) {
      if (year >= MIN_YEAR && year <= MAX_YEAR) this.schedule(year);
    }
  }

  // Weekly rest days follow the business hours: with Saturday morning worked, only a holiday on
  // Sunday is a holiday "on the weekly rest day" that Art. 111(3) moves to the next working day.
  private schedule(year: number): ReturnType<typeof yearSchedule> {
    return yearSchedule(year, { profile: this.config.profile, restDays: this.restDays, overrides: this.overrides });
  }

  /** @internal The working-time index of a year, built on first use. */
  index(year: number): YearIndex {
    const slot = year - MIN_YEAR;
    const cached = this.years[slot];
    if (cached) return cached;
    if (slot < 0 || year > MAX_YEAR) {
      throw new CalendarError('out-of-range', `year ${year} is outside the supported range ${MIN_YEAR}–${MAX_YEAR}`, 'year');
    }
    const built = this.build(year);
    this.years[slot] = built;
    return built;
  }

  /** @internal The pattern table for a mode's day lookups. */
  pattern(id: number): Pattern {
    return this.patterns[id];
  }

  private build(year: number): YearIndex {
    const firstDay = dayNumberOf(year, 1, 1);
    const length = isLeapYear(year) ? 366 : 365;
    const pattern = new Uint8Array(length);
    for (let i = 0; i < length; i += 1) {
      const wd = weekdayOf(firstDay + i);
      pattern[i] = this.patterns[1 + wd].total > 0 ? 1 + wd : OFF;
    }
    const schedule = this.schedule(year);
    for (const d of schedule.daysOff) pattern[parseYmd(d.date) - firstDay] = OFF;
    for (const d of schedule.makeUpWorkingDays) pattern[parseYmd(d.date) - firstDay] = STANDARD;
    // The admin's own days come last so they win over the official schedule.
    for (const d of this.extraOff.get(year) ?? []) pattern[d - firstDay] = OFF;
    for (const d of this.extraOn.get(year) ?? []) pattern[d - firstDay] = STANDARD;
    const businessCum = new Float64Array(length + 1);
    const calendarCum = new Float64Array(length + 1);
    const dayCum = new Int32Array(length + 1);
    for (let i = 0; i < length; i += 1) {
      const working = pattern[i] !== OFF;
      businessCum[i + 1] = businessCum[i] + this.patterns[pattern[i]].total;
      calendarCum[i + 1] = calendarCum[i] + (working ? DAY_MS : 0);
      dayCum[i + 1] = dayCum[i] + (working ? 1 : 0);
    }
    return { firstDay, length, pattern, businessCum, calendarCum, dayCum };
  }
}

function groupByYear(days: readonly number[]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const d of days) {
    const y = yearOfDayNumber(d);
    const list = map.get(y);
    if (list) list.push(d);
    else map.set(y, [d]);
  }
  return map;
}

/** Builds and validates a working calendar; missing settings take the defaults. */
export function createWorkingCalendar(config: Partial<WorkingCalendarConfig> = {}): WorkingCalendar {
  return new WorkingCalendar(config);
}

let defaultInstance: WorkingCalendar | undefined;

/** The default calendar: public-sector profile (the official schedule), Mon–Fri 08:00–12:00 and 13:00–17:00. */
export function defaultCalendar(): WorkingCalendar {
  defaultInstance ??= new WorkingCalendar();
  return defaultInstance;
}

// ---- hot path helpers: plain numbers, no allocation besides the returned Date ----

function checkInstant(date: Date, field: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new CalendarError('invalid-argument', `${field} must be a valid Date`, field);
  return ms;
}

function checkMode(mode: WorkingTimeMode): boolean {
  if (mode === 'business-hours') return true;
  if (mode === 'calendar-hours-on-working-days') return false;
  throw new CalendarError('invalid-argument', `mode must be one of ${WORKING_TIME_MODES.join(', ')}`, 'mode');
}

function cumOf(idx: YearIndex, business: boolean): Float64Array {
  return business ? idx.businessCum : idx.calendarCum;
}

/** Working ms from the start of the instant's year up to the instant. */
function offsetInYear(cal: WorkingCalendar, idx: YearIndex, dayI: number, msOfDay: number, business: boolean): number {
  const id = idx.pattern[dayI];
  if (!business) return idx.calendarCum[dayI] + (id === OFF ? 0 : msOfDay);
  const p = cal.pattern(id);
  let worked = 0;
  for (let j = 0; j < p.starts.length; j += 1) {
    if (msOfDay <= p.starts[j]) break;
    if (msOfDay < p.ends[j]) {
      worked = p.before[j] + msOfDay - p.starts[j];
      break;
    }
    worked = p.before[j] + p.ends[j] - p.starts[j];
  }
  return idx.businessCum[dayI] + worked;
}

/** Smallest day i with cum[i + 1] >= target, i.e. the day on which the target amount is reached. */
function searchDay(cum: Float64Array | Int32Array, length: number, target: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid + 1] >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The earliest instant at which `target` working ms (0 < target ≤ year total) have elapsed in the year. */
function locate(cal: WorkingCalendar, idx: YearIndex, target: number, business: boolean): number {
  const cum = cumOf(idx, business);
  const dayI = searchDay(cum, idx.length, target);
  const rest = target - cum[dayI];
  if (!business) return vnInstant(idx.firstDay + dayI, rest);
  const p = cal.pattern(idx.pattern[dayI]);
  let j = 0;
  while (j < p.starts.length - 1 && rest > p.before[j] + p.ends[j] - p.starts[j]) j += 1;
  return vnInstant(idx.firstDay + dayI, p.starts[j] + rest - p.before[j]);
}

interface Position {
  readonly year: number;
  readonly idx: YearIndex;
  readonly dayI: number;
  readonly msOfDay: number;
}

function position(cal: WorkingCalendar, ms: number): Position {
  const day = vnDayNumber(ms);
  const year = yearOfDayNumber(day);
  const idx = cal.index(year);
  return { year, idx, dayI: day - idx.firstDay, msOfDay: ms + VN_OFFSET_MS - day * DAY_MS };
}

function nextYear(cal: WorkingCalendar, year: number): YearIndex {
  if (year >= MAX_YEAR) {
    throw new CalendarError('out-of-range', `the result would fall after ${MAX_YEAR}, outside the supported calendar`, 'year');
  }
  return cal.index(year + 1);
}

/** Adds working hours to an instant (Civil Code Art. 147: an hours period runs from the moment given). */
export function addWorkingHours(
  start: Date,
  hours: number,
  cal: WorkingCalendar = defaultCalendar(),
  mode: WorkingTimeMode = 'business-hours',
): Date {
  const ms = checkInstant(start, 'start');
  if (!Number.isFinite(hours) || hours < 0) {
    throw new CalendarError('invalid-argument', `hours must be a finite number ≥ 0, got ${String(hours)}`, 'hours');
  }
  const business = checkMode(mode);
  const amount = Math.round(hours * HOUR_MS);
  if (amount === 0) return new Date(ms);
  const pos = position(cal, ms);
  let { year, idx } = pos;
  let target = offsetInYear(cal, idx, pos.dayI, pos.msOfDay, business) + amount;
  let total = cumOf(idx, business)[idx.length];
  while (target > total) {
    target -= total;
    idx = nextYear(cal, year);
    year += 1;
    total = cumOf(idx, business)[idx.length];
  }
  return new Date(locate(cal, idx, target, business));
}

/**
 * Adds working days per Civil Code Art. 147–148: counting starts the next day, days off are skipped,
 * and the period ends at the end of business hours (17:00 +07 by default) of its last working day.
 */
export function addWorkingDays(start: Date, days: number, cal: WorkingCalendar = defaultCalendar()): Date {
  const ms = checkInstant(start, 'start');
  if (!Number.isInteger(days) || days < 0) {
    throw new CalendarError('invalid-argument', `days must be a whole number ≥ 0, got ${String(days)}`, 'days');
  }
  if (days === 0) return new Date(ms);
  const pos = position(cal, ms);
  let { year, idx } = pos;
  // Working days up to and including the start day do not count: the period begins the day after.
  let target = idx.dayCum[pos.dayI + 1] + days;
  while (target > idx.dayCum[idx.length]) {
    target -= idx.dayCum[idx.length];
    idx = nextYear(cal, year);
    year += 1;
  }
  const dayI = searchDay(idx.dayCum, idx.length, target);
  const p = cal.pattern(idx.pattern[dayI]);
  return new Date(vnInstant(idx.firstDay + dayI, p.ends[p.ends.length - 1]));
}

/** Working ms in [a, b), or 0 when b is not after a. */
function span(cal: WorkingCalendar, a: number, b: number, business: boolean): number {
  if (b <= a) return 0;
  const pa = position(cal, a);
  const pb = position(cal, b);
  const offA = offsetInYear(cal, pa.idx, pa.dayI, pa.msOfDay, business);
  const offB = offsetInYear(cal, pb.idx, pb.dayI, pb.msOfDay, business);
  if (pa.year === pb.year) return offB - offA;
  let sum = cumOf(pa.idx, business)[pa.idx.length] - offA + offB;
  for (let y = pa.year + 1; y < pb.year; y += 1) {
    const idx = cal.index(y);
    sum += cumOf(idx, business)[idx.length];
  }
  return sum;
}

/** A span during which an SLA clock stood still (e.g. while awaiting the customer). */
export interface Pause {
  readonly from: Date;
  readonly to: Date;
}

/** Milliseconds of working time from a to b, leaving out the paused intervals (overlaps counted once). */
export function workingTimeBetween(
  a: Date,
  b: Date,
  cal: WorkingCalendar = defaultCalendar(),
  mode: WorkingTimeMode = 'business-hours',
  pauses: readonly Pause[] = [],
): number {
  const from = checkInstant(a, 'a');
  const to = checkInstant(b, 'b');
  const business = checkMode(mode);
  const total = span(cal, from, to, business);
  if (total === 0 || pauses.length === 0) return total;
  const clipped = pauses
    .map((p): [number, number] => [
      Math.max(from, checkInstant(p.from, 'pauses.from')),
      Math.min(to, checkInstant(p.to, 'pauses.to')),
    ])
    .filter(([f, t]) => t > f)
    .sort((x, y) => x[0] - y[0]);
  let paused = 0;
  let curFrom = Number.NaN;
  let curTo = Number.NaN;
  for (const [f, t] of clipped) {
    if (f <= curTo) {
      curTo = Math.max(curTo, t);
      continue;
    }
    if (curTo > curFrom) paused += span(cal, curFrom, curTo, business);
    curFrom = f;
    curTo = t;
  }
  if (curTo > curFrom) paused += span(cal, curFrom, curTo, business);
  return total - paused;
}

/** Whether a YYYY-MM-DD date is a working day of the calendar. */
export function isWorkingDay(dateYmd: string, cal: WorkingCalendar = defaultCalendar()): boolean {
  const day = parseYmd(dateYmd);
  const idx = cal.index(yearOfDayNumber(day));
  return idx.pattern[day - idx.firstDay] !== OFF;
}

/** The hours of a working day in local minutes after midnight, or [] for a day off. */
export function workingHoursOf(dateYmd: string, cal: WorkingCalendar = defaultCalendar()): Interval[] {
  const day = parseYmd(dateYmd);
  const idx = cal.index(yearOfDayNumber(day));
  const p = cal.pattern(idx.pattern[day - idx.firstDay]);
  return p.starts.map((s, j): Interval => [s / MINUTE_MS, p.ends[j] / MINUTE_MS]);
}

/**
 * Formats a working duration as working days (of the calendar's standard day, or 24 h in
 * calendar-hours mode), hours and minutes, e.g. "2 ngày 3 giờ làm việc" / "2 working days 3 hours".
 */
export function formatWorkingDuration(
  ms: number,
  locale: 'vi' | 'en' = 'vi',
  cal: WorkingCalendar = defaultCalendar(),
  mode: WorkingTimeMode = 'business-hours',
): string {
  if (!Number.isFinite(ms)) throw new CalendarError('invalid-argument', 'duration must be a finite number of ms', 'ms');
  const dayMinutes = checkMode(mode) ? cal.minutesPerDay : 24 * 60;
  const sign = ms < 0 ? '-' : '';
  const totalMinutes = Math.round(Math.abs(ms) / MINUTE_MS);
  const days = Math.floor(totalMinutes / dayMinutes);
  const hours = Math.floor((totalMinutes - days * dayMinutes) / 60);
  const minutes = totalMinutes - days * dayMinutes - hours * 60;
  if (locale === 'vi') {
    const parts: string[] = [];
    if (days > 0) parts.push(`${days} ngày`);
    if (hours > 0) parts.push(`${hours} giờ`);
    if (minutes > 0) parts.push(`${minutes} phút`);
    if (parts.length === 0) parts.push('0 giờ');
    return `${sign}${parts.join(' ')} làm việc`;
  }
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  // "working" qualifies the largest unit only: "2 working days 3 hours", "3 working hours 5 minutes".
  if (days > 0) parts.push(unit(days, 'working day'));
  if (hours > 0) parts.push(unit(hours, days > 0 ? 'hour' : 'working hour'));
  if (minutes > 0) parts.push(unit(minutes, days > 0 || hours > 0 ? 'minute' : 'working minute'));
  if (parts.length === 0) parts.push('0 working hours');
  return `${sign}${parts.join(' ')}`;
}
