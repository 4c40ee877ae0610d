import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import { checkTransition } from '../domain/lifecycle';
import { AppError } from '../domain/errors';
import type { CONTACT_METHODS } from '../domain/schemas';
import type { Actor } from './actor';
import { applyClockActions, saveClocks } from './clock-store';
import { lockComplaint, type LockedComplaint } from './load';
import { appendEvent, type ComplaintHead } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';
import type { FieldError } from '../domain/errors';
import { callBackError } from '../domain/reminders';
import { claimReminderRoom } from './manage-reminders';

export interface LogContactOptions {
  database: Database;
  actor: Actor;
  code: string;
  method: (typeof CONTACT_METHODS)[number];
  summary: string;
  now?: Date;
  /** A client's key for this contact: the same key again changes nothing (a retried or double-clicked form). */
  idempotency?: { scope: string; key: string };
  /** The hotline call this contact was, recorded with it. */
  call?: { callId?: string; callerE164: string | null; startedAt: Date; endedAt: Date | null };
  /** Hẹn gọi lại: the call back the agent promised the customer (a reminder of theirs, in the contact's event). */
  callBackAt?: Date;
}

/**
 * Ghi nhận liên hệ — records that staff reached the customer (a call, an email, a meeting). It is the
 * human contact the policy asks for: it stops the acknowledgement clock and answers the customer's
 * last message; a complaint still `received` becomes `acknowledged`.
 */
/** What a contact with the customer stops: the acknowledgement clock, and the next-response clock of their last message. */
export function contactClocks(c: LockedComplaint, at: Date, sla: SlaContext) {
  return applyClockActions(
    c.clocks,
    [
      { op: 'stop', kind: 'acknowledgement' },
      { op: 'stop', kind: 'next_response' },
    ],
    at,
    sla,
  );
}

/** A complaint still `received` becomes `acknowledged` by a contact (its event after the contact's). */
export async function acknowledgeOnContact(tx: Tx, c: LockedComplaint, head: ComplaintHead, actor: Actor, at: Date): Promise<ComplaintHead> {
  if (c.status !== 'received' || !checkTransition('received', 'acknowledged', actor.kind).ok) return head;
  await tx.execute(sql`update complaints set status = 'acknowledged', acknowledged_at = coalesce(acknowledged_at, ${at.toISOString()}) where id = ${c.id}`);
  return appendEvent(tx, head, actor, 'status.changed', { from: 'received', to: 'acknowledged', cause: 'contact' }, at);
}

export async function logContact(opts: LogContactOptions): Promise<void> {
  const summary = withoutCardNumbers(opts.summary.trim());
  const fields: FieldError[] = [];
  if (!summary) fields.push({ field: 'summary', code: 'required' });
  const callBack = opts.callBackAt ? callBackError(opts.callBackAt, new Date()) : null;
  if (callBack) fields.push(callBack);
  if (fields.length) throw new AppError('validation_failed', { fields });
  const sla = await loadSlaContext(opts.database);
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    if (opts.idempotency) {
      const claimed = await tx.execute(sql`
        insert into idempotency_keys (scope, key, request_hash, complaint_id) values (${opts.idempotency.scope}, ${opts.idempotency.key}, 'contact', ${c.id})
        on conflict do nothing`);
      if (!claimed.rowCount) return;
    }
    const at = opts.now ?? new Date();
    // The customer was reached: a call back promised earlier, by anyone, is kept by this contact.
    await tx.execute(sql`delete from reminders where complaint_id = ${c.id} and call_back`);
    if (opts.callBackAt) {
      // A promise is a person's: Sen itself (an office intake, the call centre) never makes one.
      if (!opts.actor.id) throw new Error('a call back is promised by a staff member');
      await promiseCallBack(tx, c.id, opts.actor.id, opts.callBackAt);
    }
    const { clocks, changed } = contactClocks(c, at, sla);
    let head = await appendEvent(tx, c, opts.actor, 'contact.logged', {
      method: opts.method,
      summary,
      ...(opts.call
        ? { call: { caller: opts.call.callerE164, startedAt: opts.call.startedAt.toISOString(), endedAt: opts.call.endedAt?.toISOString() ?? null } }
        : {}),
      ...(opts.callBackAt ? { callBackAt: opts.callBackAt.toISOString() } : {}),
      ...(changed.length ? { clocks: changed } : {}),
    }, at);
    head = await acknowledgeOnContact(tx, c, head, opts.actor, at);
    await saveClocks(tx, c.id, clocks, sla);
    if (opts.call) {
      const k = opts.call;
      const duration = k.endedAt ? Math.max(0, Math.round((k.endedAt.getTime() - k.startedAt.getTime()) / 1000)) : null;
      const updated = k.callId
        ? await tx.execute<{ id: string; ended_at: string | null; duration_seconds: number | null; recording_url: string | null }>(sql`
            update calls set complaint_id = ${c.id}, notes = ${summary}, agent_id = coalesce(agent_id, ${opts.actor.id})
            -- Not a call whose number an erasure cleared: it was an erased customer's, never to be attached again.
            where id = ${k.callId} and (complaint_id is null or complaint_id = ${c.id}) and caller_e164 is not null
            returning id, ended_at, duration_seconds, recording_url`)
        : { rowCount: 0, rows: [] };
      const reported = updated.rows[0];
      // The call-centre often reports the end of the call before the agent saves the form: bring it in now.
      if (reported && (reported.ended_at || reported.recording_url)) {
        head = await appendEvent(tx, head, { kind: 'system', id: null, channel: 'hotline' }, 'call.ended', {
          callId: reported.id,
          durationSeconds: reported.duration_seconds ?? null,
          recordingUrl: reported.recording_url ?? null,
        }, at);
      }
      if (!updated.rowCount) {
        await tx.execute(sql`
          insert into calls (complaint_id, caller_e164, agent_id, started_at, ended_at, duration_seconds, notes)
          values (${c.id}, ${k.callerE164}, ${opts.actor.id}, ${k.startedAt.toISOString()}, ${k.endedAt?.toISOString() ?? null}, ${duration}, ${summary})`);
      }
    }
  });
}

/**
 * The agent's reminder to call the customer back (`call_back`), counted with their other reminders: one more than
 * MAX_PENDING_REMINDERS waiting is refused, and the contact with it.
 */
async function promiseCallBack(tx: Tx, complaintId: string, staffId: string, at: Date): Promise<void> {
  await claimReminderRoom(tx, staffId, 'callBackAt');
  await tx.execute(sql`insert into reminders (staff_id, complaint_id, remind_at, call_back) values (${staffId}, ${complaintId}, ${at.toISOString()}, true)`);
}
