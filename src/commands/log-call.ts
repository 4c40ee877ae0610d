import type { Database } from '../db/open';
import { normalizePhone } from '../domain/contacts';
import { checkCallTimes } from '../domain/calls';
import { callBackError, MAX_PENDING_REMINDERS } from '../domain/reminders';
import { pendingReminderCount } from '../db/queries/reminders';
import { normalizeComplaintCode } from '../domain/codes';
import { AppError, type FieldError } from '../domain/errors';
import type { CallInput } from '../domain/schemas';
import type { Actor } from './actor';
import { createComplaint, type ReceiptSettings } from './create-complaint';
import { logContact } from './log-contact';

/**
 * Ghi nhận cuộc gọi — an agent's record of a hotline call, from the fast call form: it is added to an
 * existing complaint or opens a new one, and counts as the human contact that acknowledges it.
 */
export async function logCall(opts: {
  database: Database;
  actor: Actor;
  input: CallInput;
  receipt: ReceiptSettings;
  idempotencyKey?: string;
  now?: Date;
}): Promise<{ code: string; created: boolean }> {
  const { input } = opts;
  const fields: FieldError[] = [];
  const caller = normalizePhone(input.caller);
  if (!caller) fields.push({ field: 'caller', code: 'phone_invalid' });
  const startedAt = new Date(input.startedAt);
  const endedAt = input.endedAt ? new Date(input.endedAt) : null;
  // The call's start becomes the complaint's time of receipt: its code's year and its deadlines.
  fields.push(...checkCallTimes(startedAt, endedAt, opts.now ?? new Date()));
  if (!input.complaintCode === !input.complaint) fields.push({ field: 'complaintCode', code: 'required' });
  // Checked before a new complaint is opened: a wrong time changes nothing.
  const callBackAt = input.callBackAt !== undefined ? new Date(input.callBackAt) : undefined;
  const callBack = callBackAt ? callBackError(callBackAt, opts.now ?? new Date()) : null;
  if (callBack) fields.push(callBack);
  // A new complaint is opened before its call is logged with the promise: a list already full refuses it first.
  if (callBackAt && !callBack && input.complaint && opts.actor.id && (await pendingReminderCount(opts.database, opts.actor.id)) >= MAX_PENDING_REMINDERS) {
    fields.push({ field: 'callBackAt', code: 'too_many_reminders' });
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
  let code = input.complaintCode ? normalizeComplaintCode(input.complaintCode) : '';
  let created = false;
  if (input.complaint) {
    const c = input.complaint;
    const r = await createComplaint({
      database: opts.database,
      actor: { ...opts.actor, channel: 'hotline' },
      channel: 'hotline',
      input: {
        customer: { name: c.customerName, phone: input.caller, ...(c.email ? { email: c.email } : {}), ...(c.province ? { province: c.province } : {}) },
        subject: c.subject,
        description: c.description,
        orderRef: c.orderRef,
        categoryId: c.categoryId,
        priority: c.priority,
        vulnerableGroup: c.vulnerableGroup ?? null,
        language: c.language ?? null,
        consent: c.consent === true,
      },
      requireConsent: false,
      idempotencyKey: opts.idempotencyKey,
      idempotencyScope: `call:${opts.actor.id}`,
      receipt: opts.receipt,
      // Received when the call began; a start a little ahead of Sen's clock (allowed for drift) is now.
      now: new Date(Math.min(startedAt.getTime(), (opts.now ?? new Date()).getTime())),
    });
    code = r.code;
    created = !r.replayed;
    // A replayed request already logged its call.
    if (r.replayed) return { code, created: false };
  }
  await logContact({
    database: opts.database,
    actor: { ...opts.actor, channel: 'hotline' },
    code,
    method: 'call',
    summary: input.notes,
    now: endedAt ?? startedAt,
    call: { callId: input.callId, callerE164: caller, startedAt, endedAt },
    ...(callBackAt ? { callBackAt } : {}),
    // A new complaint's key already made the request idempotent; attaching to an existing one needs its own.
    idempotency: opts.idempotencyKey && !input.complaint ? { scope: `call-attach:${opts.actor.id}`, key: opts.idempotencyKey } : undefined,
  });
  return { code, created };
}
