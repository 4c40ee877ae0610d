import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { normalizePhone, normalizeEmail } from '../domain/contacts';
import { AppError } from '../domain/errors';
import type { CallCenterEvent } from '../domain/schemas';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';

/**
 * Sự kiện tổng đài — a call-centre system's `call.started` / `call.ended`: kept on one row per call
 * (a repeated event changes nothing more); an ended call already attached to a complaint adds its
 * duration and recording to that complaint's timeline.
 */
export async function recordCallEvent(opts: { database: Database; event: CallCenterEvent }): Promise<{ callId: string }> {
  const e = opts.event;
  const caller = normalizePhone(e.caller);
  if (!caller) throw new AppError('validation_failed', { fields: [{ field: 'caller', code: 'phone_invalid' }] });
  const agentEmail = e.agent?.includes('@') ? normalizeEmail(e.agent) : null;
  return inTransaction(opts.database, async (tx) => {
    const agent = agentEmail
      ? (await tx.execute<{ id: string }>(sql`select id from staff_users where email = ${agentEmail}`)).rows[0]?.id ?? null
      : null;
    const r = await tx.execute<{ id: string; complaint_id: string | null }>(sql`
      insert into calls (provider_call_id, caller_e164, agent_id, agent_ref, started_at, ended_at, duration_seconds, recording_url)
      values (${e.callId}, ${caller}, ${agent}, ${e.agent ?? null}, ${e.startedAt ?? null}, ${e.endedAt ?? null},
              ${e.durationSeconds ?? null}, ${e.recordingUrl ?? null})
      on conflict (provider_call_id) where provider_call_id is not null do update set
        agent_id = coalesce(calls.agent_id, excluded.agent_id),
        agent_ref = coalesce(excluded.agent_ref, calls.agent_ref),
        started_at = coalesce(calls.started_at, excluded.started_at),
        ended_at = coalesce(excluded.ended_at, calls.ended_at),
        duration_seconds = coalesce(excluded.duration_seconds, calls.duration_seconds),
        -- Not back on a call whose customer's data was erased (the provider may send the same event again): one
        -- attached to their complaint, or one never attached whose number the erasure cleared (never null otherwise).
        recording_url = case when calls.caller_e164 is null
                               or exists (select 1 from complaints c join customers cu on cu.id = c.customer_id
                                          where c.id = calls.complaint_id and cu.anonymised_at is not null)
                             then null else coalesce(excluded.recording_url, calls.recording_url) end
      returning id, complaint_id`);
    const row = r.rows[0];
    if (e.event === 'call.ended' && row.complaint_id) {
      const code = (await tx.execute<{ code: string }>(sql`select code from complaints where id = ${row.complaint_id}`)).rows[0].code;
      // An erased customer's complaint records nothing new; the provider is told all is well, or it would retry for ever.
      const c = await lockComplaint(tx, code).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'customer_anonymised') return null;
        throw err;
      });
      if (!c) return { callId: row.id };
      const seen = await tx.execute(sql`
        select 1 from timeline_events where complaint_id = ${c.id} and type = 'call.ended' and payload->>'callId' = ${row.id}`);
      if (!seen.rowCount) {
        await appendEvent(tx, c, { kind: 'system', id: null, channel: 'hotline' }, 'call.ended', {
          callId: row.id,
          durationSeconds: e.durationSeconds ?? null,
          recordingUrl: e.recordingUrl ?? null,
        });
      }
    }
    return { callId: row.id };
  });
}
