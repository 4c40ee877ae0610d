import type { Database } from '../db/open';
import { CALENDAR_KEY } from '../db/queries/settings';
import { parseCalendarSettings, type CalendarSettings } from '../domain/settings';
import type { Actor } from './actor';
import { storeSettingAndRecompute } from './settings-store';

/** Sửa lịch làm việc — saves the working calendar and recomputes open deadlines in the same transaction. */
export async function updateCalendarSettings(opts: {
  database: Database;
  actor: Actor;
  input: unknown;
}): Promise<{ settings: CalendarSettings; recomputed: number }> {
  const settings = parseCalendarSettings(opts.input);
  return { settings, recomputed: await storeSettingAndRecompute(opts, CALENDAR_KEY, settings, 'calendar') };
}
