import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { CALENDAR_KEY, forgetSlaContext, loadSlaContextIn } from '../db/queries/settings';
import { parseCalendarSettings, type CalendarSettings } from '../domain/settings';
import type { Actor } from './actor';
import { recomputeOpenDeadlines } from './recompute-deadlines';
import { inTransaction } from './transaction';

/** Sửa lịch làm việc — saves the working calendar and recomputes open deadlines in the same transaction. */
export async function updateCalendarSettings(opts: {
  database: Database;
  actor: Actor;
  input: unknown;
}): Promise<{ settings: CalendarSettings; recomputed: number }> {
  const settings = parseCalendarSettings(opts.input);
  const result = await inTransaction(opts.database, async (tx) => {
    // One settings change at a time: the second waits and recomputes on top of the first.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('sen:settings'))`);
    await tx.execute(sql`
      insert into settings (key, value, updated_at, updated_by) values (${CALENDAR_KEY}, ${JSON.stringify(settings)}::jsonb, now(), ${opts.actor.id})
      on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`);
    const sla = await loadSlaContextIn(tx);
    return { settings, recomputed: await recomputeOpenDeadlines(tx, sla, opts.actor, 'calendar') };
  });
  forgetSlaContext(opts.database);
  return result;
}
