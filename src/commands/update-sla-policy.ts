import type { Database } from '../db/open';
import { SLA_POLICY_KEY } from '../db/queries/settings';
import { parseSlaPolicy } from '../domain/settings';
import type { SlaPolicy } from '../domain/sla';
import type { Actor } from './actor';
import { storeSettingAndRecompute } from './settings-store';

/** Sửa chính sách SLA — saves the SLA policy (targets, reading of working hours, pauses, reminders) and recomputes open deadlines in the same transaction. */
export async function updateSlaPolicy(opts: {
  database: Database;
  actor: Actor;
  input: unknown;
}): Promise<{ policy: SlaPolicy; recomputed: number }> {
  const policy = parseSlaPolicy(opts.input);
  return { policy, recomputed: await storeSettingAndRecompute(opts, SLA_POLICY_KEY, policy, 'sla_policy') };
}
