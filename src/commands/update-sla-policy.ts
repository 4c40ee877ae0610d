import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { SLA_POLICY_KEY, forgetSlaContext, loadSlaContextIn } from '../db/queries/settings';
import { parseSlaPolicy } from '../domain/settings';
import type { SlaPolicy } from '../domain/sla';
import type { Actor } from './actor';
import { recomputeOpenDeadlines } from './recompute-deadlines';
import { inTransaction } from './transaction';

/** Sửa chính sách SLA — saves the SLA policy (targets, reading of working hours, pauses, reminders) and recomputes open deadlines in the same transaction. */
export async function updateSlaPolicy(opts: {
  database: Database;
  actor: Actor;
  input: unknown;
}): Promise<{ policy: SlaPolicy; recomputed: number }> {
  const policy = parseSlaPolicy(opts.input);
  const result = await inTransaction(opts.database, async (tx) => {
    // One settings change at a time: the second waits and recomputes on top of the first.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('sen:settings'))`);
    await tx.execute(sql`
      insert into settings (key, value, updated_at, updated_by) values (${SLA_POLICY_KEY}, ${JSON.stringify(policy)}::jsonb, now(), ${opts.actor.id})
      on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`);
    const sla = await loadSlaContextIn(tx);
    return { policy, recomputed: await recomputeOpenDeadlines(tx, sla, opts.actor, 'sla_policy') };
  });
  forgetSlaContext(opts.database);
  return result;
}
