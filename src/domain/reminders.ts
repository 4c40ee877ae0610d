import { MINUTE_MS, formatDayNumber, vnDayNumber, vnInstant, weekdayOf } from './calendar/civil';
import { workingHoursOf, type WorkingCalendar } from './calendar';
import { withoutCardNumbers } from './payment-cards';
import { futureInstantError } from './time';
import type { FieldError } from './errors';

/*
 * Nhắc tôi — a staff member's own reminder on a complaint ("gọi lại cho khách sáng thứ Hai", "xem lại khi kho trả
 * lời"): at the time they chose, Sen tells them in the app and by mail. It is theirs alone, and it changes nothing
 * of the complaint (no timeline event), as a note on their desk would not.
 */

/** How many reminders one member keeps waiting: a to-do list, not a second queue. */
export const MAX_PENDING_REMINDERS = 100;
/** A reminder's note: a line to oneself, not a second internal note. */
export const MAX_REMINDER_NOTE = 500;

/** The quick choices beside "a time I pick", in the order shown. */
export const REMINDER_PRESETS = ['in_1_hour', 'next_working_morning', 'in_2_working_days', 'next_week'] as const;
export type ReminderPreset = (typeof REMINDER_PRESETS)[number];

const FIVE_MINUTES = 5 * MINUTE_MS;
/** Days looked at for the next working day: Tết and its bridges are at most ~10 days off in a row. */
const MAX_DAYS_AHEAD = 60;

/** The start of business on the first working day after `day` (a local day number) that satisfies `ok`. */
function morningAfter(day: number, cal: WorkingCalendar, ok: (d: number) => boolean = () => true): number | null {
  for (let d = day + 1; d <= day + MAX_DAYS_AHEAD; d += 1) {
    const hours = workingHoursOf(formatDayNumber(d), cal);
    if (hours.length && ok(d)) return vnInstant(d, hours[0][0] * MINUTE_MS);
  }
  return null;
}

/**
 * The quick choices' times from `now` on the company's working calendar: in an hour (on the next five minutes),
 * the next working day's opening ("sáng ngày làm việc tới": after a Friday, Monday; after 30/4, the first day back),
 * the opening two working days on, and the first working morning of next week (Monday, or later when it is a
 * day off). A choice the calendar cannot place (past its last year) is left out.
 */
export function reminderPresets(now: Date, cal: WorkingCalendar): { key: ReminderPreset; at: Date }[] {
  const today = vnDayNumber(now.getTime());
  const inAnHour = Math.ceil((now.getTime() + 60 * MINUTE_MS) / FIVE_MINUTES) * FIVE_MINUTES;
  const safe = (f: () => number | null): number | null => {
    try {
      return f();
    } catch {
      return null;
    }
  };
  const next = safe(() => morningAfter(today, cal));
  const second = next === null ? null : safe(() => morningAfter(vnDayNumber(next), cal));
  // Sunday is 0: the next Monday is 1–7 days on.
  const monday = today + ((8 - weekdayOf(today)) % 7 || 7);
  const week = safe(() => morningAfter(monday - 1, cal));
  const times: [ReminderPreset, number | null][] = [
    ['in_1_hour', inAnHour],
    ['next_working_morning', next],
    ['in_2_working_days', second],
    ['next_week', week],
  ];
  return times.filter((t): t is [ReminderPreset, number] => t[1] !== null).map(([key, at]) => ({ key, at: new Date(at) }));
}

/** A reminder as kept: its time checked (after now, at most two years on), its note trimmed and card numbers masked. */
export function checkReminder(input: { at: Date; note?: string }, now: Date): { at: Date; note: string } | FieldError[] {
  const fields: FieldError[] = [];
  const wrong = futureInstantError(input.at, now);
  if (wrong) fields.push({ field: 'at', code: wrong });
  const note = withoutCardNumbers((input.note ?? '').replace(/\s+/g, ' ').trim());
  if (note.length > MAX_REMINDER_NOTE) fields.push({ field: 'note', code: 'too_long' });
  return fields.length ? fields : { at: input.at, note };
}

/**
 * Hẹn gọi lại — the time an agent promised to call the customer back, given with the contact they log: after now
 * and within the same two years as any reminder. Null when it is one Sen can keep.
 */
export function callBackError(at: Date, now: Date): FieldError | null {
  const wrong = futureInstantError(at, now);
  return wrong ? { field: 'callBackAt', code: wrong } : null;
}
