import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { forgetSlaContext, loadSlaContextIn, saveSetting, type SettingKey } from '../db/queries/settings';
import type { Actor } from './actor';
import { recomputeOpenDeadlines } from './recompute-deadlines';
import { inTransaction } from './transaction';

// How an admin's change of a setting is stored: one upsert (saveSetting), then the cached context
// of this process is forgotten once the transaction has committed.

/** Saves a setting no deadline depends on (mail wording, workflow policy). */
export async function storeSetting(opts: { database: Database; actor: Actor }, key: SettingKey, value: unknown): Promise<void> {
  await inTransaction(opts.database, (tx) => saveSetting(tx, key, value, opts.actor.id));
  forgetSlaContext(opts.database);
}

/**
 * Saves a setting deadlines are computed from (working calendar, SLA policy) and recomputes the open
 * deadlines in the same transaction; returns how many changed.
 */
export async function storeSettingAndRecompute(
  opts: { database: Database; actor: Actor },
  key: SettingKey,
  value: unknown,
  reason: string,
): Promise<number> {
  const recomputed = await inTransaction(opts.database, async (tx) => {
    // One settings change at a time: the second waits and recomputes on top of the first.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('sen:settings'))`);
    await saveSetting(tx, key, value, opts.actor.id);
    const sla = await loadSlaContextIn(tx);
    return recomputeOpenDeadlines(tx, sla, opts.actor, reason);
  });
  forgetSlaContext(opts.database);
  return recomputed;
}
