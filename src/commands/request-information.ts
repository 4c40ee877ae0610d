import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import { addWorkingDays } from '../domain/calendar';
import { clockActionsForTransition, type ClockAction } from '../domain/clocks';
import { AppError, type FieldError } from '../domain/errors';
import { allowedTransitions, checkTransition, type Status } from '../domain/lifecycle';
import { informationRequestMail } from '../mail/information-request';
import { queueMail } from '../mail/outbox';
import type { Actor } from './actor';
import { resumeInvestigation } from './answer-information-request';
import { applyClockActions, saveClocks } from './clock-store';
import { mailedStatusUrlOf } from './create-complaint';
import { lockComplaint } from './load';
import { appendEvent, type ComplaintHead } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

/** What an agent can ask the customer for (the checklist); `other` carries the agent's own words. */
export const INFO_REQUEST_ITEM_KINDS = ['invoice', 'photos', 'correspondence', 'order_id', 'other'] as const;
export type InfoRequestItemKind = (typeof INFO_REQUEST_ITEM_KINDS)[number];
export interface InfoRequestItem {
  kind: InfoRequestItemKind;
  text?: string;
}

import { customerOf, type CustomerMailSettings } from './propose-resolution';
export type { CustomerMailSettings };

export interface RequestInformationOptions {
  database: Database;
  actor: Actor;
  code: string;
  items: InfoRequestItem[];
  message: string;
  /** Working days the customer gets; the workflow policy's default when absent. */
  dueDays?: number;
  /** Sent by the form once per request: a double click or a retry returns the first request. */
  clientKey?: string;
  mail: CustomerMailSettings;
  now?: Date;
}

/** A repeat of the same request this soon (no client key) is a double submit, not a second request. */
const REPEAT_WINDOW_MS = 10 * 60_000;

/** The moves that take a complaint from `from` to awaiting the customer, or null when none leads there. */
function pathToAwaiting(from: Status): Status[] | null {
  switch (from) {
    case 'received':
      return ['acknowledged', 'investigating', 'awaiting_customer'];
    case 'acknowledged':
    case 'reopened':
      return ['investigating', 'awaiting_customer'];
    case 'investigating':
      return ['awaiting_customer'];
    case 'awaiting_customer':
      return [];
    default:
      return null;
  }
}

function checkItems(items: InfoRequestItem[], message: string, dueDays: number | undefined): InfoRequestItem[] {
  const fields: FieldError[] = [];
  if (!items.length) fields.push({ field: 'items', code: 'required' });
  if (items.length > 10) fields.push({ field: 'items', code: 'too_many' });
  const seen = new Set<string>();
  const clean: InfoRequestItem[] = [];
  items.forEach((item, i) => {
    if (!(INFO_REQUEST_ITEM_KINDS as readonly string[]).includes(item.kind)) {
      fields.push({ field: `items[${i}].kind`, code: 'invalid_value' });
      return;
    }
    const text = item.text === undefined ? undefined : withoutCardNumbers(item.text.trim());
    if (item.kind === 'other' && !text) fields.push({ field: `items[${i}].text`, code: 'required' });
    if (text && text.length > 500) fields.push({ field: `items[${i}].text`, code: 'too_long' });
    const key = `${item.kind}:${text ?? ''}`;
    if (seen.has(key)) fields.push({ field: `items[${i}]`, code: 'duplicate' });
    seen.add(key);
    clean.push(text ? { kind: item.kind, text } : { kind: item.kind });
  });
  if (message.length > 5000) fields.push({ field: 'message', code: 'too_long' });
  if (dueDays !== undefined && (!Number.isInteger(dueDays) || dueDays < 1 || dueDays > 60)) fields.push({ field: 'dueDays', code: 'out_of_range' });
  if (fields.length) throw new AppError('validation_failed', { fields });
  return clean;
}

/**
 * Yêu cầu bổ sung thông tin — asks the customer for documents or facts by a date counted in working
 * days. The complaint moves to `awaiting_customer` (its resolution clock pauses, per the policy) and
 * the customer gets an email listing what is needed, all in one transaction. One request is open at
 * a time; the same request sent twice (client key, or the same content within minutes) is stored once.
 */
export async function requestInformation(opts: RequestInformationOptions): Promise<{ id: string; dueAt: Date; replayed: boolean }> {
  const message = withoutCardNumbers(opts.message.trim());
  const items = checkItems(opts.items, message, opts.dueDays);
  const clientKey = opts.clientKey?.trim() || undefined;
  const sla = await loadSlaContext(opts.database);
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const at = opts.now ?? new Date();
    if (clientKey) {
      const earlier = await tx.execute<{ id: string }>(sql`
        select payload->>'requestId' as id from timeline_events
        where complaint_id = ${c.id} and type = 'info_request.created' and payload->>'clientKey' = ${clientKey} limit 1`);
      const id = earlier.rows[0]?.id;
      if (id) return { ...(await dueOf(tx, id)), replayed: true };
    }
    const open = (
      await tx.execute<{ id: string; items: unknown; message: string; created_at: string; due_at: string }>(sql`
        select id, items, message, created_at, due_at from info_requests where complaint_id = ${c.id} and status = 'open'
        order by created_at desc limit 1`)
    ).rows[0];
    if (open) {
      const same = JSON.stringify(open.items) === JSON.stringify(items) && open.message === message;
      if (same && at.getTime() - new Date(open.created_at).getTime() < REPEAT_WINDOW_MS) {
        return { id: open.id, dueAt: new Date(open.due_at), replayed: true };
      }
      throw new AppError('info_request_open');
    }
    const steps = pathToAwaiting(c.status);
    if (!steps) throw new AppError('invalid_transition', { allowed: allowedTransitions(c.status, opts.actor.kind) });
    let from = c.status;
    for (const to of steps) {
      const check = checkTransition(from, to, opts.actor.kind);
      if (!check.ok) throw new AppError(check.reason === 'reason_required' ? 'invalid_transition' : check.reason, { allowed: check.allowed });
      from = to;
    }

    const days = opts.dueDays ?? sla.workflow.infoRequestDays;
    const dueAt = addWorkingDays(at, days, sla.cal);
    // A request already inside the reminder window needs no separate reminder: the request is it.
    const reminderDays = sla.workflow.infoRequestReminderDays;
    const noReminder = reminderDays > 0 && addWorkingDays(at, reminderDays, sla.cal) >= dueAt;
    const inserted = await tx.execute<{ id: string }>(sql`
      insert into info_requests (complaint_id, items, message, due_at, status, requested_by, created_at, reminded_at)
      values (${c.id}, ${JSON.stringify(items)}::jsonb, ${message}, ${dueAt.toISOString()}, 'open', ${staffId(opts.actor)},
              ${at.toISOString()}, ${noReminder ? at.toISOString() : null})
      returning id`);
    const id = inserted.rows[0].id;

    // Writing to the customer answers their last message, like any staff contact.
    const first = applyClockActions(c.clocks, [{ op: 'stop', kind: 'next_response' }], at, sla);
    let clocks = first.clocks;
    let head: ComplaintHead = await appendEvent(
      tx,
      c,
      opts.actor,
      'info_request.created',
      {
        requestId: id,
        items,
        message,
        dueAt: dueAt.toISOString(),
        dueDays: days,
        ...(clientKey ? { clientKey } : {}),
        ...(first.changed.length ? { clocks: first.changed } : {}),
      },
      at,
    );
    from = c.status;
    for (const to of steps) {
      const actions: ClockAction[] = clockActionsForTransition(from, to, sla.policy);
      const step = applyClockActions(clocks, actions, at, sla);
      clocks = step.clocks;
      head = await appendEvent(
        tx,
        head,
        opts.actor,
        'status.changed',
        { from, to, cause: 'information_request', ...(step.changed.length ? { clocks: step.changed } : {}) },
        at,
      );
      from = to;
    }
    if (steps.length) {
      await tx.execute(sql`update complaints set status = 'awaiting_customer', acknowledged_at = coalesce(acknowledged_at, ${at.toISOString()})
        where id = ${c.id}`);
    }
    await saveClocks(tx, c.id, clocks, sla);
    await mailCustomer(tx, { complaintId: c.id, code: c.code, requestId: id, items, message, dueAt, settings: opts.mail, sla, reminder: false, at });
    return { id, dueAt, replayed: false };
  });
}

async function dueOf(tx: Tx, id: string): Promise<{ id: string; dueAt: Date }> {
  const r = await tx.execute<{ due_at: string }>(sql`select due_at from info_requests where id = ${id}`);
  return { id, dueAt: new Date(r.rows[0].due_at) };
}

function staffId(actor: Actor): string | null {
  return actor.kind !== 'customer' && actor.kind !== 'system' ? actor.id : null;
}

/**
 * Queues the request (or its reminder) to the customer's email, when they gave one, and records its
 * Message-ID so that a reply threads back onto the complaint. Returns whether a mail was queued.
 */
export async function mailCustomer(
  tx: Tx,
  m: {
    complaintId: string;
    code: string;
    requestId: string;
    items: InfoRequestItem[] | { kind: string; text?: string }[];
    message: string;
    dueAt: Date;
    settings: CustomerMailSettings;
    sla: SlaContext;
    reminder: boolean;
    /** When the mail is written: its status link is valid `linkValidityDays` from then. */
    at: Date;
  },
): Promise<boolean> {
  const who = await customerOf(tx, m.complaintId);
  if (!who?.email) return false;
  const locale = who.language;
  const mail = informationRequestMail({
    to: who.email,
    customerName: who.name,
    code: m.code,
    subject: who.subject,
    items: m.items,
    message: m.message,
    dueAt: m.dueAt,
    statusUrl: mailedStatusUrlOf(m.settings.baseUrl, m.code, who.email, m.at, m.sla, who.language),
    companyName: m.settings.companyName,
    locale,
    reminder: m.reminder,
  });
  const dedupeKey = `info-request:${m.requestId}:${m.reminder ? 'reminder' : 'request'}`;
  // queueMail records its Message-ID: replies quoting it (In-Reply-To) thread back here.
  await queueMail(tx, mail, { dedupeKey, complaintId: m.complaintId, domain: new URL(m.settings.baseUrl).hostname });
  return true;
}

/**
 * Cancels every open information request of a complaint that stops being worked on with the customer
 * (closed, rejected, withdrawn, merged, escalated, resolved), in the caller's transaction: the customer
 * can no longer answer it, and it neither expires nor reminds anyone later. One event per request.
 */
export async function cancelOpenInformationRequests(tx: Tx, head: ComplaintHead, actor: Actor, at: Date, cause: string): Promise<ComplaintHead> {
  const r = await tx.execute<{ id: string }>(sql`
    update info_requests set status = 'cancelled' where complaint_id = ${head.id} and status = 'open' returning id`);
  let h = head;
  for (const row of r.rows) h = await appendEvent(tx, h, actor, 'info_request.cancelled', { requestId: row.id, cause }, at);
  return h;
}

export interface CancelInformationRequestOptions {
  database: Database;
  actor: Actor;
  code: string;
  requestId: string;
  reason?: string;
  now?: Date;
}

/**
 * Huỷ yêu cầu bổ sung — withdraws an open request (asked by mistake, or the facts came another way);
 * a complaint waiting only on it goes back to investigation and its resolution clock runs again.
 */
export async function cancelInformationRequest(opts: CancelInformationRequestOptions): Promise<void> {
  const sla = await loadSlaContext(opts.database);
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const at = opts.now ?? new Date();
    const r = await tx.execute<{ status: string }>(sql`
      select status from info_requests where id = ${opts.requestId} and complaint_id = ${c.id} for update`);
    const row = r.rows[0];
    if (!row) throw new AppError('info_request_not_found');
    if (row.status !== 'open') throw new AppError('info_request_closed');
    await tx.execute(sql`update info_requests set status = 'cancelled' where id = ${opts.requestId}`);
    const reason = opts.reason === undefined ? undefined : withoutCardNumbers(opts.reason.trim());
    let head: ComplaintHead = await appendEvent(tx, c, opts.actor, 'info_request.cancelled', { requestId: opts.requestId, ...(reason ? { reason } : {}) }, at);
    const resumed = await resumeInvestigation(tx, head, c, c.clocks, opts.actor, 'information_request_cancelled', at, sla);
    head = resumed.head;
    await saveClocks(tx, c.id, resumed.clocks, sla);
  });
}
