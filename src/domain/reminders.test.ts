import { describe, expect, it } from 'vitest';
import { addWorkingDays, createWorkingCalendar, defaultCalendar, isWorkingDay } from './calendar';
import { checkReminder, MAX_REMINDER_NOTE, reminderPresets } from './reminders';
import { formatVietnamDateTime, toVietnamIso } from './time';

const at = (iso: string) => new Date(iso);
const presets = (now: Date, cal = defaultCalendar()) => Object.fromEntries(reminderPresets(now, cal).map((p) => [p.key, formatVietnamDateTime(p.at)]));
const vnYmd = (d: Date) => toVietnamIso(d).slice(0, 10);

describe('reminder quick choices on the working calendar', () => {
  it('before the 30/4–1/5 holidays, the next working morning is Monday 04/05, two days on is Tuesday', () => {
    expect(presets(at('2026-04-29T10:02:00+07:00'))).toEqual({
      in_1_hour: '29/04/2026 11:05',
      next_working_morning: '04/05/2026 08:00',
      in_2_working_days: '05/05/2026 08:00',
      next_week: '04/05/2026 08:00',
    });
  });

  it('on a Friday evening the next morning is Monday; next week is the Monday after a weekend already passed', () => {
    expect(presets(at('2026-11-27T18:30:00+07:00'))).toMatchObject({
      in_1_hour: '27/11/2026 19:30',
      next_working_morning: '30/11/2026 08:00',
      in_2_working_days: '01/12/2026 08:00',
      next_week: '30/11/2026 08:00',
    });
    // On a Monday, "next week" is a week on, not today.
    expect(presets(at('2026-11-30T09:00:00+07:00')).next_week).toBe('07/12/2026 08:00');
  });

  it('follows the company’s own hours: a calendar opening at 07:30', () => {
    const hours = [[], [[450, 720], [780, 1050]], [[450, 720], [780, 1050]], [[450, 720], [780, 1050]], [[450, 720], [780, 1050]], [[450, 720], [780, 1050]], []] as const;
    const cal = createWorkingCalendar({ businessHours: hours as never });
    expect(presets(at('2026-11-25T16:00:00+07:00'), cal).next_working_morning).toBe('26/11/2026 07:30');
  });

  it('agrees with the working-day arithmetic on every hour of two years (Tết, swaps, make-up Saturdays)', () => {
    const cal = defaultCalendar();
    for (let t = at('2026-01-01T00:17:00+07:00').getTime(); t < at('2028-01-01T00:00:00+07:00').getTime(); t += 3_600_000 * 7 + 60_000) {
      const now = new Date(t);
      const p = Object.fromEntries(reminderPresets(now, cal).map((x) => [x.key, x.at]));
      // addWorkingDays ends a period at the close of its last working day: the same day, opened.
      expect(vnYmd(p.next_working_morning), toVietnamIso(now)).toBe(vnYmd(addWorkingDays(now, 1, cal)));
      expect(vnYmd(p.in_2_working_days), toVietnamIso(now)).toBe(vnYmd(addWorkingDays(now, 2, cal)));
      for (const key of ['next_working_morning', 'in_2_working_days', 'next_week']) expect(toVietnamIso(p[key]).slice(11, 16)).toBe('08:00');
      expect(isWorkingDay(vnYmd(p.next_week), cal)).toBe(true);
      expect(p.next_week.getTime() - now.getTime()).toBeGreaterThan(0);
      expect(p.next_week.getTime() - now.getTime()).toBeLessThan(30 * 86_400_000);
      expect(p.in_1_hour.getTime() - now.getTime()).toBeGreaterThanOrEqual(3_600_000);
      expect(p.in_1_hour.getTime() - now.getTime()).toBeLessThan(3_900_000);
    }
  });
});

describe('checking a reminder', () => {
  const now = at('2026-11-25T09:00:00+07:00');
  it('keeps a future time and the note trimmed, its card numbers masked', () => {
    expect(checkReminder({ at: at('2026-11-26T08:00:00+07:00'), note: '  Gọi lại   khách\n thẻ 4111 1111 1111 1111 ' }, now)).toEqual({
      at: at('2026-11-26T08:00:00+07:00'),
      note: 'Gọi lại khách thẻ **** **** **** 1111',
    });
    expect(checkReminder({ at: at('2026-11-26T08:00:00+07:00') }, now)).toMatchObject({ note: '' });
  });
  it('refuses a time now or past, one more than two years on, an unreadable one, and a note too long', () => {
    expect(checkReminder({ at: now }, now)).toEqual([{ field: 'at', code: 'must_be_future' }]);
    expect(checkReminder({ at: at('2029-01-01T00:00:00+07:00') }, now)).toEqual([{ field: 'at', code: 'too_far_ahead' }]);
    expect(checkReminder({ at: new Date(Number.NaN) }, now)).toEqual([{ field: 'at', code: 'invalid_value' }]);
    expect(checkReminder({ at: at('2026-11-26T08:00:00+07:00'), note: 'x'.repeat(MAX_REMINDER_NOTE + 1) }, now)).toEqual([{ field: 'note', code: 'too_long' }]);
  });
});
