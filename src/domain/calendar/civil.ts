import { CalendarError } from './errors';

/** First and last Gregorian years the calendar supports. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Asia/Ho_Chi_Minh is UTC+7 all year (no DST since 1975), so plain arithmetic replaces a tz database. */
export const VN_OFFSET_MS = 7 * HOUR_MS;

/** A Gregorian calendar date. */
export interface Ymd {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The Gregorian date of a day number (days since 1970-01-01). */
export function ymdOfDayNumber(dayNumber: number): Ymd {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The Gregorian year of a day number, without building a date object (hot path). */
export function yearOfDayNumber(dayNumber: number): number {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  // Day-of-year ≥ 306 means January or February, which belong to the next civil year here.
  return yoe + era * 400 + (doy >= 306 ? 1 : 0);
}

/** Weekday of a day number, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Formats a day number as `YYYY-MM-DD`. */
export function formatDayNumber(dayNumber: number): string {
  const { year, month, day } = ymdOfDayNumber(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

const YMD_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `YYYY-MM-DD` date in 1900–2199 into a day number, or throws a CalendarError. */
export function parseYmd(text: string, field = 'date'): number {
  const match = typeof text === 'string' ? YMD_RE.exec(text) : null;
  if (!match) {
    throw new CalendarError('invalid-date', `${field}: "${String(text)}" is not a date in the form YYYY-MM-DD`, field);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new CalendarError('invalid-date', `${field}: "${text}" is not a real calendar date`, field);
  }
  assertYearInRange(year, field);
  return dayNumberOf(year, month, day);
}

/** Throws unless the year is one the calendar supports (1900–2199). */
export function assertYearInRange(year: number, field = 'year'): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new CalendarError(
      'out-of-range',
      `${field}: year ${String(year)} is outside the supported range ${MIN_YEAR}–${MAX_YEAR}`,
      field,
    );
  }
}

/** The local (UTC+7) day number of an instant. */
export function vnDayNumber(epochMs: number): number {
  return Math.floor((epochMs + VN_OFFSET_MS) / DAY_MS);
}

/** The instant at a local (UTC+7) day number and millisecond of that day. */
export function vnInstant(dayNumber: number, msOfDay: number): number {
  return dayNumber * DAY_MS + msOfDay - VN_OFFSET_MS;
}
