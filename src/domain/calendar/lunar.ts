// Vietnamese lunar calendar (âm lịch) after Hồ Ngọc Đức's method: new moons and solar terms from
// Jean Meeus, "Astronomical Algorithms" (1998), evaluated at local midnight in UTC+7. The time
// zone matters: the Chinese calendar (UTC+8) puts Tết a day later in e.g. 2007 and 2030.
// Independent TypeScript implementation; the `amlich` package is used only as a test oracle.
import { assertYearInRange, dayNumberOf, daysInMonth, ymdOfDayNumber, type Ymd } from './civil';
import { CalendarError } from './errors';

/** Vietnam's standard time offset in hours, used by default for every lunar computation. */
export const VIETNAM_TZ = 7;

/** A date of the Vietnamese lunar calendar; `leap` marks a leap month (tháng nhuận). */
export interface LunarDate {
  readonly day: number;
  readonly month: number;
  readonly year: number;
  readonly leap: boolean;
}

const DEG = Math.PI / 180;
/** Julian day number of 1970-01-01, to move between day numbers and JDN. */
const JDN_EPOCH = 2_440_588;
/** JD of the new moon of 1900-01-01 13:52 UT, Meeus' k = 0. */
const NEW_MOON_0 = 2_415_021.076998695;
const SYNODIC_MONTH = 29.530588853;

function jdnOf(year: number, month: number, day: number): number {
  return dayNumberOf(year, month, day) + JDN_EPOCH;
}

/** Julian date (UT) of the k-th new moon after 1900-01-01 (Meeus, ch. 49, shortened series). */
function newMoon(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  let jd = 2_415_020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
  const m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  let c1 = (0.1734 - 0.000393 * t) * Math.sin(m * DEG) + 0.0021 * Math.sin(2 * DEG * m);
  c1 = c1 - 0.4068 * Math.sin(mpr * DEG) + 0.0161 * Math.sin(DEG * 2 * mpr);
  c1 = c1 - 0.0004 * Math.sin(DEG * 3 * mpr);
  c1 = c1 + 0.0104 * Math.sin(DEG * 2 * f) - 0.0051 * Math.sin(DEG * (m + mpr));
  c1 = c1 - 0.0074 * Math.sin(DEG * (m - mpr)) + 0.0004 * Math.sin(DEG * (2 * f + m));
  c1 = c1 - 0.0004 * Math.sin(DEG * (2 * f - m)) - 0.0006 * Math.sin(DEG * (2 * f + mpr));
  c1 = c1 + 0.001 * Math.sin(DEG * (2 * f - mpr)) + 0.0005 * Math.sin(DEG * (2 * mpr + m));
  const deltaT =
    t < -11
      ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
      : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd + c1 - deltaT;
}

/** The sun's apparent longitude in radians, in [0, 2π), at Julian date `jd` (Meeus, ch. 25). */
function sunLongitude(jd: number): number {
  const t = (jd - 2_451_545.0) / 36_525;
  const t2 = t * t;
  const m = 357.5291 + 35_999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const l0 = 280.46645 + 36_000.76983 * t + 0.0003032 * t2;
  let dl = (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(DEG * m);
  dl = dl + (0.019993 - 0.000101 * t) * Math.sin(DEG * 2 * m) + 0.00029 * Math.sin(DEG * 3 * m);
  const l = (l0 + dl) * DEG;
  return l - 2 * Math.PI * Math.floor(l / (2 * Math.PI));
}

/** Which of the 12 major solar terms (0–11) the sun is in at local midnight starting day `jdn`. */
function sunSector(jdn: number, tz: number): number {
  return Math.floor((sunLongitude(jdn - 0.5 - tz / 24) / Math.PI) * 6);
}

/** The JDN of the local day on which the k-th new moon falls. */
function newMoonDay(k: number, tz: number): number {
  return Math.floor(newMoon(k) + 0.5 + tz / 24);
}

/** The JDN on which lunar month 11 (the month holding the winter solstice) of `year` starts. */
function month11Start(year: number, tz: number): number {
  const k = Math.floor((jdnOf(year, 12, 31) - 2_415_021) / SYNODIC_MONTH);
  const nm = newMoonDay(k, tz);
  // A new moon after the sun reached 270° (sector 9) starts month 12, so month 11 began one lunation earlier.
  return sunSector(nm, tz) >= 9 ? newMoonDay(k - 1, tz) : nm;
}

/** Months after month 11 (starting at `a11`) until the first month with no major solar term: the leap month. */
function leapMonthOffset(a11: number, tz: number): number {
  const k = Math.floor((a11 - NEW_MOON_0) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i, tz), tz);
  let last: number;
  do {
    last = arc;
    i += 1;
    arc = sunSector(newMoonDay(k + i, tz), tz);
  } while (arc !== last && i < 14);
  return i - 1;
}

function assertSolarDate(day: number, month: number, year: number): void {
  assertYearInRange(year);
  const valid =
    Number.isInteger(month) && month >= 1 && month <= 12 && Number.isInteger(day) && day >= 1 && day <= daysInMonth(year, month);
  if (!valid) {
    throw new CalendarError('invalid-date', `${day}/${month}/${year} is not a real calendar date`, 'date');
  }
}

/** Converts a Gregorian date (1900–2199) to the Vietnamese lunar date. */
export function solarToLunar(day: number, month: number, year: number, tz: number = VIETNAM_TZ): LunarDate {
  assertSolarDate(day, month, year);
  return lunarOfJdn(jdnOf(year, month, day), year, tz);
}

function lunarOfJdn(jdn: number, year: number, tz: number): LunarDate {
  const k = Math.floor((jdn - NEW_MOON_0) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1, tz);
  // The original steps back one lunation only; on 7/5/2054 and 9/4/2062 the estimate of k is one
  // too high and it reports lunar day 0. Stepping back until the month has begun gives day 30.
  for (let back = k; monthStart > jdn; back -= 1) monthStart = newMoonDay(back, tz);
  let a11 = month11Start(year, tz);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = year;
    a11 = month11Start(year - 1, tz);
  } else {
    lunarYear = year + 1;
    b11 = month11Start(year + 1, tz);
  }
  const lunarDay = jdn - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let lunarMonth = diff + 11;
  let leap = false;
  // 13 lunations between two month-11 starts: the year has a leap month.
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, tz);
    if (diff >= leapDiff) {
      lunarMonth = diff + 10;
      leap = diff === leapDiff;
    }
  }
  if (lunarMonth > 12) lunarMonth -= 12;
  if (lunarMonth >= 11 && diff < 4) lunarYear -= 1;
  return { day: lunarDay, month: lunarMonth, year: lunarYear, leap };
}

/** The JDN of the first day of a lunar month, or null when the year has no such (leap) month. */
function lunarMonthStart(month: number, year: number, leap: boolean, tz: number): number | null {
  const a11 = month < 11 ? month11Start(year - 1, tz) : month11Start(year, tz);
  const b11 = month < 11 ? month11Start(year, tz) : month11Start(year + 1, tz);
  const k = Math.floor(0.5 + (a11 - NEW_MOON_0) / SYNODIC_MONTH);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, tz);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return null;
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    return null;
  }
  return newMoonDay(k + off, tz);
}

/** Converts a Vietnamese lunar date (lunar year 1900–2199) to the Gregorian date; throws if it does not exist. */
export function lunarToSolar(day: number, month: number, year: number, leap = false, tz: number = VIETNAM_TZ): Ymd {
  assertYearInRange(year, 'lunarYear');
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > 30) {
    throw new CalendarError('invalid-lunar-date', `${day}/${month}/${year} is not a lunar date`, 'lunarDate');
  }
  const start = lunarMonthStart(month, year, leap, tz);
  if (start === null) {
    throw new CalendarError('invalid-lunar-date', `lunar year ${year} has no leap month ${month}`, 'lunarDate');
  }
  // A 29-day month has no day 30: refuse instead of silently rolling into the next month.
  if (day === 30) {
    const next = lunarOfJdn(start + 29, ymdOfDayNumber(start + 29 - JDN_EPOCH).year, tz);
    if (next.day !== 30) {
      throw new CalendarError('invalid-lunar-date', `lunar month ${month}/${year} has only 29 days`, 'lunarDate');
    }
  }
  return ymdOfDayNumber(start + day - 1 - JDN_EPOCH);
}
