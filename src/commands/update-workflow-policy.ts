import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { WORKFLOW_KEY, forgetSlaContext } from '../db/queries/settings';
import { parseWorkflowPolicy, type WorkflowPolicy } from '../domain/workflow';
import type { Actor } from './actor';
import { inTransaction } from './transaction';

/** Sửa quy trình — saves the workflow policy (approval threshold, answer times, survey delay, auto-close, reopen window). */
export async function updateWorkflowPolicy(opts: { database: Database; actor: Actor; input: unknown }): Promise<{ policy: WorkflowPolicy }> {
  const policy = parseWorkflowPolicy(opts.input);
  await inTransaction(opts.database, (tx) =>
    tx.execute(sql`
      insert into settings (key, value, updated_at, updated_by) values (${WORKFLOW_KEY}, ${JSON.stringify(policy)}::jsonb, now(), ${opts.actor.id})
      on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`),
  );
  forgetSlaContext(opts.database);
  return { policy };
}
