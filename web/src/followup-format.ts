// Display helpers of the reports and improvement pages. Numbers are written the Vietnamese way
// (1.234,5), dates dd/MM/yyyy, in Vietnam time whatever the browser's zone.

const integer = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });

/** 12345 → "12.345"; null → "—". */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : integer.format(n);
}

/** 4 → "4,0" (one decimal, as an average rating is read). */
export function formatOneDecimal(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : oneDecimal.format(n);
}

/** A fraction (0.855) as "85,5%"; null (nothing to divide) as "—". */
export function formatRate(r: number | null | undefined): string {
  return r === null || r === undefined || !Number.isFinite(r) ? '—' : percent.format(r);
}

/** YYYY-MM-DD → dd/MM/yyyy. */
export function formatYmd(ymd: string | null | undefined): string {
  if (!ymd || !/^\d{4}-\d{2}-\d{2}/.test(ymd)) return '—';
  return `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}/${ymd.slice(0, 4)}`;
}

const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Vietnam calendar date of an instant, YYYY-MM-DD. */
export function vietnamYmd(at: Date | string | number = Date.now()): string {
  return new Date(new Date(at).getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as its Vietnam date, dd/MM/yyyy. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? '—' : formatYmd(vietnamYmd(t));
}

/** A YYYY-MM-DD `days` after another. */
export function addDays(ymd: string, days: number): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A bucket's label: the day (dd/MM), the week's Monday (dd/MM) or the month (MM/yyyy). */
export function bucketLabel(ymd: string, groupBy: string): string {
  if (groupBy === 'month') return `${ymd.slice(5, 7)}/${ymd.slice(0, 4)}`;
  return `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}`;
}

export type PeriodPreset = 'thisMonth' | 'last30' | 'thisQuarter' | 'thisYear';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['thisMonth', 'last30', 'thisQuarter', 'thisYear'];

/** The dates of a preset period, up to today in Vietnam. */
export function presetPeriod(preset: PeriodPreset, today = vietnamYmd()): { from: string; to: string } {
  const year = today.slice(0, 4);
  const month = Number(today.slice(5, 7));
  switch (preset) {
    case 'thisMonth':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'thisQuarter': {
      const first = Math.floor((month - 1) / 3) * 3 + 1;
      return { from: `${year}-${String(first).padStart(2, '0')}-01`, to: today };
    }
    case 'thisYear':
      return { from: `${year}-01-01`, to: today };
  }
}

/** Which preset a period is, if any. */
export function presetOf(from: string, to: string, today = vietnamYmd()): PeriodPreset | null {
  return PERIOD_PRESETS.find((p) => {
    const x = presetPeriod(p, today);
    return x.from === from && x.to === to;
  }) ?? null;
}

type Interval = [string, string];

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + (m || 0);
};

/**
 * Minutes in a standard working day of the calendar (the first weekday from Monday with hours),
 * as the server counts a "ngày làm việc" of business hours; 480 (8 hours) when unknown.
 */
export function minutesPerWorkingDay(businessHours: Interval[][] | null | undefined): number {
  if (!Array.isArray(businessHours) || businessHours.length !== 7) return 480;
  for (const wd of [1, 2, 3, 4, 5, 6, 0]) {
    const day = businessHours[wd];
    if (Array.isArray(day) && day.length) {
      const total = day.reduce((sum, [s, e]) => sum + Math.max(0, minutesOf(e) - minutesOf(s)), 0);
      if (total > 0) return total;
    }
  }
  return 480;
}

/**
 * Working time as people say it: "2 ngày 3 giờ làm việc" / "2 working days 3 hours". A day is
 * `dayMinutes` of business hours, or 24 hours when working time is counted as whole working days.
 */
export function formatWorkingTime(ms: number | null | undefined, lang: 'vi' | 'en', dayMinutes = 480): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const totalMinutes = Math.round(Math.abs(ms) / 60_000);
  const perDay = dayMinutes > 0 ? dayMinutes : 480;
  const days = Math.floor(totalMinutes / perDay);
  const hours = Math.floor((totalMinutes - days * perDay) / 60);
  const minutes = totalMinutes - days * perDay - hours * 60;
  if (lang === 'vi') {
    const parts: string[] = [];
    if (days > 0) parts.push(`${integer.format(days)} ngày`);
    if (hours > 0) parts.push(`${hours} giờ`);
    // Minutes only matter for short spans.
    if (minutes > 0 && days === 0) parts.push(`${minutes} phút`);
    if (!parts.length) parts.push('0 giờ');
    return `${parts.join(' ')} làm việc`;
  }
  const unit = (n: number, word: string) => `${integer.format(n)} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (days > 0) parts.push(unit(days, 'working day'));
  if (hours > 0) parts.push(unit(hours, days > 0 ? 'hour' : 'working hour'));
  if (minutes > 0 && days === 0) parts.push(unit(minutes, hours > 0 ? 'minute' : 'working minute'));
  if (!parts.length) parts.push('0 working hours');
  return parts.join(' ');
}
