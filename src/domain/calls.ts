import type { FieldError } from './errors';

/** How far ahead of Sen's clock a call may start or end: the agent's PC or the call centre may drift. */
export const CALL_CLOCK_SKEW_MS = 5 * 60_000;
/**
 * How long after a call it may still be logged. The call's start is when the complaint was received
 * (its code's year, its deadlines), so it must be a time that really passed, and recently.
 */
export const CALL_MAX_AGE_MS = 7 * 24 * 3600_000;

/** Field problems of a logged call's times, judged at `now`: none when it is a call that can have happened. */
export function checkCallTimes(startedAt: Date, endedAt: Date | null, now: Date): FieldError[] {
  const fields: FieldError[] = [];
  const latest = now.getTime() + CALL_CLOCK_SKEW_MS;
  if (startedAt.getTime() > latest) fields.push({ field: 'startedAt', code: 'in_future' });
  else if (startedAt.getTime() < now.getTime() - CALL_MAX_AGE_MS) fields.push({ field: 'startedAt', code: 'too_old' });
  if (endedAt) {
    if (endedAt < startedAt) fields.push({ field: 'endedAt', code: 'invalid_value' });
    else if (endedAt.getTime() > latest) fields.push({ field: 'endedAt', code: 'in_future' });
  }
  return fields;
}
