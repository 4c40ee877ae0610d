/** Instants shown in Vietnam time (UTC+7, no daylight saving), whatever the process's TZ. */
const OFFSET_MS = 7 * 3600_000;

/** ISO 8601 with the +07:00 offset, e.g. 2026-12-23T17:00:00+07:00. */
export function toVietnamIso(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, '+07:00');
}

/** dd/MM/yyyy HH:mm in Vietnam time, as Vietnamese customers read dates. */
export function formatVietnamDateTime(at: Date): string {
  const v = new Date(at.getTime() + OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}`;
}

/** Parses an ISO instant; a time without an offset is read as Vietnam time. Null if unreadable. */
export function parseInstant(input: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0', zone] = m;
  const base = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
  const check = new Date(base);
  if (check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return null;
  if (!zone) return new Date(base - OFFSET_MS);
  if (zone === 'Z') return new Date(base);
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return new Date(base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000);
}

/** 00:00 in Vietnam of the day an instant falls on. */
export function startOfVietnamDay(at: Date): Date {
  const v = at.getTime() + OFFSET_MS;
  return new Date(v - (((v % 86_400_000) + 86_400_000) % 86_400_000) - OFFSET_MS);
}

/** The start of the minute an instant falls in, in ms: times typed by hand (datetime-local) have minutes, not seconds. */
export function startOfMinute(at: Date): number {
  return Math.floor(at.getTime() / 60_000) * 60_000;
}

/**
 * The latest `hour`:00 in Vietnam at or before `now`: the slot of a nightly task (backup, upkeep).
 */
export function lastNightlySlot(now: Date, hour: number): Date {
  const day = startOfVietnamDay(now).getTime();
  const slot = day + hour * 3_600_000;
  return new Date(slot > now.getTime() ? slot - 86_400_000 : slot);
}

/**
 * Whether a nightly task is due: never done, or not done since its last slot. One missed while the
 * process was stopped is due as soon as it is back; one recorded after `now` (the clock was wrong
 * then) is taken as unknown, or it would put the task off until that date.
 */
export function nightlyDue(lastDone: Date | null, now: Date, hour: number): boolean {
  return !lastDone || lastDone.getTime() > now.getTime() || lastDone.getTime() < lastNightlySlot(now, hour).getTime();
}

/** How far ahead a time set by hand (a due date, a reminder) may be: a year typed wrong (2062, 9999) is no plan. */
export const MAX_AHEAD_MS = 2 * 366 * 86_400_000;

/**
 * Whether an instant set by hand may be used: null when it is after `now` and within MAX_AHEAD_MS, else the
 * field error's code (must_be_future, too_far_ahead, invalid_value).
 */
export function futureInstantError(at: Date, now: Date): 'invalid_value' | 'must_be_future' | 'too_far_ahead' | null {
  if (Number.isNaN(at.getTime())) return 'invalid_value';
  if (at.getTime() <= now.getTime()) return 'must_be_future';
  if (at.getTime() > now.getTime() + MAX_AHEAD_MS) return 'too_far_ahead';
  return null;
}
