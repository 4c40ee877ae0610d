// What an admin edits about time: the working calendar (week, profile, own days) and the SLA policy.
// Pure: parses and checks what the API or the web form sends, and lays a year out day by day for
// the admin page. The arithmetic itself stays in ./calendar.
import {
  CALENDAR_PROFILES,
  MAX_YEAR,
  MIN_YEAR,
  WORKING_TIME_MODES,
  createWorkingCalendar,
  isProvisionalYear,
  isWorkingDay,
  workingHoursOf,
  yearSchedule,
  type CalendarProfile,
  type DayOffKind,
  type Interval,
  type WorkingCalendarConfig,
  type WorkingTimeMode,
} from './calendar';
import { AppError, type FieldError, type FieldErrorCode } from './errors';
import type { SlaPolicy } from './sla';

export type { CalendarProfile, WorkingTimeMode } from './calendar';
export type { SlaPolicy } from './sla';

/** A business-hours interval in local time, e.g. ["08:00", "12:00"]; "24:00" may end a day. */
export type TimeRange = [start: string, end: string];

/** A company's own dated exception to the official calendar. */
export interface DatedNote {
  /** YYYY-MM-DD */
  date: string;
  note: string;
}

/** Lịch làm việc — the working calendar as an admin sees and edits it. */
export interface CalendarSettings {
  profile: CalendarProfile;
  /** Seven lists, index 0 = Sunday … 6 = Saturday; an empty list makes the weekday a weekly rest day. */
  businessHours: TimeRange[][];
  /** Saturday morning worked (the standard day's hours before 12:00) while Saturday has no hours of its own. */
  saturdayMorning: boolean;
  extraDaysOff: DatedNote[];
  extraWorkingDays: DatedNote[];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const weekday = (): TimeRange[] => [
  ['08:00', '12:00'],
  ['13:00', '17:00'],
];

/** Public-sector schedule, Monday–Friday 08:00–12:00 and 13:00–17:00, no Saturday morning, no own days (frozen). */
export const DEFAULT_CALENDAR_SETTINGS: CalendarSettings = deepFreeze({
  profile: 'public-sector',
  businessHours: [[], weekday(), weekday(), weekday(), weekday(), weekday(), []],
  saturdayMorning: false,
  extraDaysOff: [],
  extraWorkingDays: [],
});

/** Bounds the parsers enforce, exported so the web form can set the same min/max. */
export const SETTINGS_LIMITS = Object.freeze({
  maxIntervalsPerDay: 6,
  maxDatedNotes: 500,
  maxNoteLength: 200,
  maxWorkingHours: 2000,
  maxWorkingDays: 365,
  /** Law on Protection of Consumers' Rights 2023, Art. 57(2): negotiation within 7 working days at most. */
  maxNegotiationWorkingDays: 7,
  maxReminderFractions: 5,
});

type Plain = Record<string, unknown>;

function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects field problems, so a request is refused once with every problem listed. */
class Problems {
  readonly list: FieldError[] = [];
  add(field: string, code: FieldErrorCode): void {
    if (!this.list.some((f) => f.field === field)) this.list.push({ field, code });
  }
  /** Refuses fields the shape does not know; returns the object, or null (reported) when it is not one. */
  object(value: unknown, field: string, known: readonly string[]): Plain | null {
    if (!isPlainObject(value)) {
      this.add(field, value === undefined ? 'required' : 'wrong_type');
      return null;
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.add(field === '(body)' ? key : `${field}.${key}`, 'unknown_field');
    }
    return value;
  }
  /** Throws the validation error when anything was found. */
  throwIfAny(): void {
    if (this.list.length) throw new AppError('validation_failed', { fields: this.list });
  }
}

const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes after midnight of "HH:MM" (00:00–24:00), or null. */
function minutesOf(text: unknown): number | null {
  const m = typeof text === 'string' ? TIME_RE.exec(text) : null;
  if (!m) return null;
  return m[3] ? 24 * 60 : Number(m[1]) * 60 + Number(m[2]);
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Checks a YYYY-MM-DD date: the code of its problem, or null when it is a real date in MIN_YEAR..MAX_YEAR. */
function dateProblem(text: unknown): FieldErrorCode | null {
  if (typeof text !== 'string') return text === undefined ? 'required' : 'wrong_type';
  const m = DATE_RE.exec(text);
  if (!m) return 'invalid_date';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'invalid_date';
  if (year < MIN_YEAR || year > MAX_YEAR) return 'out_of_range';
  return null;
}

const SETTINGS_FIELDS = ['profile', 'businessHours', 'saturdayMorning', 'extraDaysOff', 'extraWorkingDays'] as const;

function parseDay(raw: unknown, field: string, p: Problems): TimeRange[] | null {
  if (!Array.isArray(raw)) {
    p.add(field, raw === undefined ? 'required' : 'wrong_type');
    return null;
  }
  if (raw.length > SETTINGS_LIMITS.maxIntervalsPerDay) p.add(field, 'too_many');
  const valid: Array<{ i: number; s: number; e: number }> = [];
  raw.forEach((item: unknown, i: number) => {
    const at = `${field}[${i}]`;
    if (!Array.isArray(item) || item.length !== 2) {
      p.add(at, 'wrong_type');
      return;
    }
    const s = minutesOf(item[0]);
    const e = minutesOf(item[1]);
    // 24:00 may only end a day.
    if (s === null || s === 24 * 60) p.add(`${at}[0]`, 'invalid_time');
    if (e === null) p.add(`${at}[1]`, 'invalid_time');
    if (s === null || s === 24 * 60 || e === null) return;
    if (e <= s) {
      p.add(at, 'end_before_start');
      return;
    }
    valid.push({ i, s, e });
  });
  const sorted = [...valid].sort((a, b) => a.s - b.s || a.e - b.e);
  let reach = -1;
  for (const cur of sorted) {
    // Intervals are half-open, so 08:00–12:00 and 12:00–13:00 touch without overlapping.
    if (cur.s < reach) p.add(`${field}[${cur.i}]`, 'overlap');
    reach = Math.max(reach, cur.e);
  }
  return sorted.map(({ s, e }): TimeRange => [hhmm(s), hhmm(e)]);
}

function parseDatedNotes(raw: unknown, field: string, p: Problems): DatedNote[] {
  if (!Array.isArray(raw)) {
    p.add(field, raw === undefined ? 'required' : 'wrong_type');
    return [];
  }
  if (raw.length > SETTINGS_LIMITS.maxDatedNotes) p.add(field, 'too_many');
  const out: DatedNote[] = [];
  const seen = new Set<string>();
  raw.forEach((item: unknown, i: number) => {
    const at = `${field}[${i}]`;
    const obj = p.object(item, at, ['date', 'note']);
    if (!obj) return;
    const problem = dateProblem(obj.date);
    if (problem) p.add(`${at}.date`, problem);
    let note = '';
    if (obj.note !== undefined) {
      if (typeof obj.note !== 'string') p.add(`${at}.note`, 'wrong_type');
      else if (obj.note.trim().length > SETTINGS_LIMITS.maxNoteLength) p.add(`${at}.note`, 'too_long');
      else note = obj.note.trim();
    }
    if (problem) return;
    const date = obj.date as string;
    if (seen.has(date)) p.add(`${at}.date`, 'duplicate');
    seen.add(date);
    out.push({ date, note });
  });
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Checks and normalises working-calendar settings (intervals and dates sorted, notes trimmed);
 * throws a validation error naming every problem by its path, e.g. `businessHours[1][0]`.
 */
export function parseCalendarSettings(input: unknown): CalendarSettings {
  const p = new Problems();
  const obj = p.object(input, '(body)', SETTINGS_FIELDS);
  if (!obj) throw new AppError('validation_failed', { fields: p.list });

  const profile = obj.profile;
  if (typeof profile !== 'string') p.add('profile', profile === undefined ? 'required' : 'wrong_type');
  else if (!CALENDAR_PROFILES.includes(profile as CalendarProfile)) p.add('profile', 'invalid_value');

  let businessHours: TimeRange[][] = [];
  const rawHours = obj.businessHours;
  if (!Array.isArray(rawHours)) p.add('businessHours', rawHours === undefined ? 'required' : 'wrong_type');
  else {
    if (rawHours.length !== 7) p.add('businessHours', 'seven_weekdays');
    const days = rawHours.map((day: unknown, wd: number) => parseDay(day, `businessHours[${wd}]`, p));
    if (days.every((d): d is TimeRange[] => d !== null)) businessHours = days;
    if (rawHours.length === 7 && days.every((d) => d !== null && d.length === 0)) p.add('businessHours', 'no_working_hours');
  }

  const saturdayMorning = obj.saturdayMorning;
  if (typeof saturdayMorning !== 'boolean') {
    p.add('saturdayMorning', saturdayMorning === undefined ? 'required' : 'wrong_type');
  } else if (saturdayMorning && businessHours.length === 7) {
    // Same rule as the calendar: Saturday morning borrows the standard day's hours before noon.
    if (businessHours[6].length > 0) p.add('saturdayMorning', 'saturday_has_hours');
    const standard = [1, 2, 3, 4, 5, 0].map((wd) => businessHours[wd]).find((d) => d.length > 0);
    if (standard && !standard.some(([s]) => s < '12:00')) p.add('saturdayMorning', 'no_morning_hours');
  }

  const extraDaysOff = parseDatedNotes(obj.extraDaysOff, 'extraDaysOff', p);
  const extraWorkingDays = parseDatedNotes(obj.extraWorkingDays, 'extraWorkingDays', p);
  const offDates = new Set(extraDaysOff.map((d) => d.date));
  const workDates = new Set(extraWorkingDays.map((d) => d.date));
  // Report the clash on both entries, so the admin sees it next to each.
  const markBoth = (raw: unknown, field: string, other: Set<string>) => {
    if (!Array.isArray(raw)) return;
    raw.forEach((item: unknown, i: number) => {
      if (isPlainObject(item) && typeof item.date === 'string' && other.has(item.date)) p.add(`${field}[${i}].date`, 'off_and_working');
    });
  };
  markBoth(obj.extraDaysOff, 'extraDaysOff', workDates);
  markBoth(obj.extraWorkingDays, 'extraWorkingDays', offDates);

  p.throwIfAny();
  return {
    profile: profile as CalendarProfile,
    businessHours,
    saturdayMorning: saturdayMorning as boolean,
    extraDaysOff,
    extraWorkingDays,
  };
}

/** The calendar module's configuration (minutes after midnight, plain date lists) of valid settings. */
export function toWorkingCalendarConfig(s: CalendarSettings): WorkingCalendarConfig {
  return {
    profile: s.profile,
    businessHours: s.businessHours.map((day) =>
      day.map(([start, end]): Interval => [minutesOf(start) ?? Number.NaN, minutesOf(end) ?? Number.NaN]),
    ),
    saturdayMorning: s.saturdayMorning,
    extraDaysOff: s.extraDaysOff.map((d) => d.date),
    extraWorkingDays: s.extraWorkingDays.map((d) => d.date),
  };
}

const SLA_FIELDS = [
  'acknowledgementWorkingHours',
  'nextResponseWorkingHours',
  'resolutionWorkingDays',
  'negotiationWorkingDays',
  'workingTimeMode',
  'pauseWhileAwaitingCustomer',
  'reminderFractions',
  'reassignOnBreach',
] as const;

function positiveNumber(value: unknown, field: string, max: number, whole: boolean, p: Problems): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    p.add(field, value === undefined ? 'required' : 'wrong_type');
    return Number.NaN;
  }
  if (value <= 0) p.add(field, 'must_be_positive');
  else if (whole && !Number.isInteger(value)) p.add(field, 'must_be_integer');
  else if (value > max) p.add(field, 'out_of_range');
  return value;
}

function booleanField(value: unknown, field: string, p: Problems): boolean {
  if (typeof value !== 'boolean') p.add(field, value === undefined ? 'required' : 'wrong_type');
  return value === true;
}

/**
 * Checks an SLA policy: hours positive (fractions allowed), days positive whole numbers, reminder
 * fractions distinct and strictly between 0 and 1 (returned sorted); every problem listed by field.
 */
export function parseSlaPolicy(input: unknown): SlaPolicy {
  const p = new Problems();
  const obj = p.object(input, '(body)', SLA_FIELDS);
  if (!obj) throw new AppError('validation_failed', { fields: p.list });
  const L = SETTINGS_LIMITS;
  const acknowledgementWorkingHours = positiveNumber(obj.acknowledgementWorkingHours, 'acknowledgementWorkingHours', L.maxWorkingHours, false, p);
  const nextResponseWorkingHours = positiveNumber(obj.nextResponseWorkingHours, 'nextResponseWorkingHours', L.maxWorkingHours, false, p);
  const resolutionWorkingDays = positiveNumber(obj.resolutionWorkingDays, 'resolutionWorkingDays', L.maxWorkingDays, true, p);
  const negotiationWorkingDays = positiveNumber(obj.negotiationWorkingDays, 'negotiationWorkingDays', L.maxNegotiationWorkingDays, true, p);

  const mode = obj.workingTimeMode;
  if (typeof mode !== 'string') p.add('workingTimeMode', mode === undefined ? 'required' : 'wrong_type');
  else if (!WORKING_TIME_MODES.includes(mode as WorkingTimeMode)) p.add('workingTimeMode', 'invalid_value');

  const pauseWhileAwaitingCustomer = booleanField(obj.pauseWhileAwaitingCustomer, 'pauseWhileAwaitingCustomer', p);
  const reassignOnBreach = booleanField(obj.reassignOnBreach, 'reassignOnBreach', p);

  const fractions: number[] = [];
  const raw = obj.reminderFractions;
  if (!Array.isArray(raw)) p.add('reminderFractions', raw === undefined ? 'required' : 'wrong_type');
  else {
    if (raw.length > L.maxReminderFractions) p.add('reminderFractions', 'too_many');
    raw.forEach((f: unknown, i: number) => {
      const at = `reminderFractions[${i}]`;
      if (typeof f !== 'number' || !Number.isFinite(f)) p.add(at, 'wrong_type');
      else if (f <= 0 || f >= 1) p.add(at, 'out_of_range');
      else if (fractions.includes(f)) p.add(at, 'duplicate');
      else fractions.push(f);
    });
  }

  p.throwIfAny();
  return {
    acknowledgementWorkingHours,
    nextResponseWorkingHours,
    resolutionWorkingDays,
    negotiationWorkingDays,
    workingTimeMode: mode as WorkingTimeMode,
    pauseWhileAwaitingCustomer,
    reminderFractions: fractions.sort((a, b) => a - b),
    reassignOnBreach,
  };
}

/** How a day of the year view is shown; the company's own days win over the official schedule. */
export type CalendarDayKind =
  | 'working'
  | 'weekend'
  | 'holiday'
  | 'compensatory'
  | 'swap'
  | 'make-up'
  | 'company-off'
  | 'company-working';

export const CALENDAR_DAY_KINDS: readonly CalendarDayKind[] = [
  'working',
  'weekend',
  'holiday',
  'compensatory',
  'swap',
  'make-up',
  'company-off',
  'company-working',
];

export interface CalendarDayView {
  /** YYYY-MM-DD */
  date: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  working: boolean;
  /** Business hours of the day, [] on a day off. */
  hours: TimeRange[];
  kind: CalendarDayKind;
  /** Vietnamese name of the holiday, compensatory, swapped or make-up day, or the admin's note. */
  name?: string;
  /** The official day's name in English (an admin's note has only `name`). */
  nameEn?: string;
}

export interface CalendarMonthView {
  /** 1–12 */
  month: number;
  days: CalendarDayView[];
}

/** A year laid out for the admin page. */
export interface CalendarYearView {
  year: number;
  /** No Prime Minister decision on file: the days off are computed by rule and may change. */
  provisional: boolean;
  profile: CalendarProfile;
  months: CalendarMonthView[];
}

const OFF_KIND_ORDER: readonly DayOffKind[] = ['holiday', 'compensatory', 'swap'];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Every day of a year with its kind, hours and name, as the given settings make it; throws on a bad year. */
export function calendarYearView(year: number, settings: CalendarSettings): CalendarYearView {
  if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new AppError('validation_failed', { fields: [{ field: 'year', code: 'out_of_range' }] });
  }
  const cal = createWorkingCalendar(toWorkingCalendarConfig(settings));
  // The same rest days as the calendar uses, so Art. 111(3) compensatory days match its arithmetic.
  const schedule = yearSchedule(year, { profile: settings.profile, restDays: cal.restDays });
  const official = new Map<string, { kind: DayOffKind; names: string[]; namesEn: string[] }>();
  for (const d of schedule.daysOff) {
    const hit = official.get(d.date);
    if (!hit) official.set(d.date, { kind: d.kind, names: [d.name], namesEn: [d.nameEn] });
    else {
      hit.names.push(d.name);
      hit.namesEn.push(d.nameEn);
      if (OFF_KIND_ORDER.indexOf(d.kind) < OFF_KIND_ORDER.indexOf(hit.kind)) hit.kind = d.kind;
    }
  }
  const makeUp = new Map(schedule.makeUpWorkingDays.map((d) => [d.date, d.name]));
  const makeUpEn = new Map(schedule.makeUpWorkingDays.map((d) => [d.date, d.nameEn]));
  const companyOff = new Map(settings.extraDaysOff.map((d) => [d.date, d.note]));
  const companyWorking = new Map(settings.extraWorkingDays.map((d) => [d.date, d.note]));

  const months: CalendarMonthView[] = [];
  for (let month = 1; month <= 12; month += 1) {
    const days: CalendarDayView[] = [];
    for (let day = 1; day <= daysInMonth(year, month); day += 1) {
      const date = `${year}-${pad2(month)}-${pad2(day)}`;
      const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
      const working = isWorkingDay(date, cal);
      const hours = workingHoursOf(date, cal).map(([s, e]): TimeRange => [hhmm(s), hhmm(e)]);
      const off = official.get(date);
      const officialName = off ? off.names.join('; ') : makeUp.get(date);
      const officialNameEn = off ? off.namesEn.join('; ') : makeUpEn.get(date);
      let kind: CalendarDayKind;
      let name = officialName;
      let nameEn = officialNameEn;
      if (companyOff.has(date)) {
        kind = 'company-off';
        name = companyOff.get(date) || officialName;
        if (companyOff.get(date)) nameEn = undefined;
      } else if (companyWorking.has(date)) {
        kind = 'company-working';
        name = companyWorking.get(date) || officialName;
        if (companyWorking.get(date)) nameEn = undefined;
      } else if (makeUp.has(date)) kind = 'make-up';
      else if (off) kind = off.kind;
      else kind = working ? 'working' : 'weekend';
      days.push({ date, weekday, working, hours, kind, ...(name ? { name } : {}), ...(name && nameEn ? { nameEn } : {}) });
    }
    months.push({ month, days });
  }
  return { year, provisional: isProvisionalYear(year), profile: settings.profile, months };
}
