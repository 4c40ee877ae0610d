import { isUuid } from '../domain/ids';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findCustomerByContact } from '../db/queries/directory';
import { findDataRequest, type DataRequestRow } from '../db/queries/personal-data';
import { defaultCalendar } from '../domain/calendar';
import { normalizeEmail, normalizePhone } from '../domain/contacts';
import { AppError, type FieldError } from '../domain/errors';
import {
  DATA_REQUEST_CHANNELS,
  DATA_REQUEST_KINDS,
  DATA_REQUEST_MAX_EXTENSION_DAYS,
  REDACTED,
  dataRequestDeadlines,
  daysPeriodEnd,
} from '../domain/personal-data';
import type { Actor } from './actor';
import { inTransaction, type Tx } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

/**
 * The law's days off (weekends and public holidays), not the company's own: a day the company closes
 * does not give it longer than the Decree does.
 */
const LEGAL_CALENDAR = defaultCalendar();

export interface DataRequestInput {
  requesterName: string;
  contact: string;
  kind: string;
  channel: string;
  details?: string;
  /** When it reached the company (a letter received yesterday); now when absent. Never in the future. */
  receivedAt?: Date;
}

const text = (v: string | undefined, field: string, max: number, fields: FieldError[], required = true): string => {
  const t = withoutCardNumbers(v?.trim() ?? '');
  if (!t && required) fields.push({ field, code: 'required' });
  else if (t.length > max) fields.push({ field, code: 'too_long' });
  return t;
};

/**
 * Tiếp nhận yêu cầu về dữ liệu cá nhân — registers a data subject's request with its deadlines (first reply
 * within 2 working days, done within 15 days), linked to the customer their phone or email belongs to.
 */
export async function registerDataRequest(opts: { database: Database; actor: Actor; input: DataRequestInput; now?: Date }): Promise<DataRequestRow> {
  const { input } = opts;
  const now = opts.now ?? new Date();
  const fields: FieldError[] = [];
  const requesterName = text(input.requesterName, 'requesterName', 200, fields);
  const rawContact = text(input.contact, 'contact', 254, fields);
  const email = rawContact.includes('@') ? normalizeEmail(rawContact) : null;
  const phone = rawContact && !rawContact.includes('@') ? normalizePhone(rawContact) : null;
  if (rawContact && !email && !phone) fields.push({ field: 'contact', code: rawContact.includes('@') ? 'email_invalid' : 'phone_invalid' });
  if (!(DATA_REQUEST_KINDS as readonly string[]).includes(input.kind)) fields.push({ field: 'kind', code: input.kind ? 'invalid_value' : 'required' });
  if (!(DATA_REQUEST_CHANNELS as readonly string[]).includes(input.channel)) fields.push({ field: 'channel', code: input.channel ? 'invalid_value' : 'required' });
  const details = text(input.details, 'details', 4000, fields, false);
  const receivedAt = input.receivedAt ?? now;
  if (Number.isNaN(receivedAt.getTime()) || receivedAt.getTime() > now.getTime() + 60_000) fields.push({ field: 'receivedAt', code: 'invalid_date' });
  if (fields.length) throw new AppError('validation_failed', { fields });
  const customer = await findCustomerByContact(opts.database, email ? { email } : { phone: phone! });
  const { replyDueAt, dueAt } = dataRequestDeadlines(receivedAt, LEGAL_CALENDAR);
  const id = await inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<{ id: string }>(sql`
      insert into data_requests (kind, channel, requester_name, contact, details, customer_id, received_at, reply_due_at, due_at, created_by)
      values (${input.kind}, ${input.channel}, ${requesterName}, ${email ?? phone}, ${details}, ${customer?.id ?? null},
              ${receivedAt.toISOString()}, ${replyDueAt.toISOString()}, ${dueAt.toISOString()}, ${opts.actor.id})
      returning id`);
    return r.rows[0].id;
  });
  return (await findDataRequest(opts.database, id))!;
}

/** Locks an open request for a change, or says why it cannot change. */
type LockedRequest = {
  id: string;
  status: string;
  due_at: string | Date;
  extended_until: string | Date | null;
  replied_at: string | Date | null;
  kind: string;
  customer_id: string | null;
};

async function lockOpen(tx: Tx, id: string): Promise<LockedRequest> {
  const r = await tx.execute<LockedRequest>(sql`
    select id, status, due_at, extended_until, replied_at, kind, customer_id from data_requests where id = ${id} for update`);
  const row = r.rows[0];
  if (!row) throw new AppError('data_request_not_found');
  if (row.status !== 'open') throw new AppError('data_request_closed');
  return row;
}

const checkId = (id: string) => {
  if (!isUuid(id)) throw new AppError('data_request_not_found');
};

/** Phản hồi — records the first reply to the requester (the 2-working-day deadline), once. */
export async function replyToDataRequest(opts: { database: Database; actor: Actor; id: string; note: string; now?: Date }): Promise<DataRequestRow> {
  checkId(opts.id);
  const fields: FieldError[] = [];
  const note = text(opts.note, 'note', 2000, fields);
  if (fields.length) throw new AppError('validation_failed', { fields });
  const at = opts.now ?? new Date();
  await inTransaction(opts.database, async (tx) => {
    const row = await lockOpen(tx, opts.id);
    if (row.replied_at) throw new AppError('data_request_replied');
    await tx.execute(sql`
      update data_requests set replied_at = ${at.toISOString()}, reply_note = ${note}, handled_by = ${opts.actor.id}
      where id = ${opts.id}`);
  });
  return (await findDataRequest(opts.database, opts.id))!;
}

/** Gia hạn — moves the completion deadline once, by at most 15 days, with the reason the requester is told. */
export async function extendDataRequest(opts: { database: Database; actor: Actor; id: string; days: number; reason: string; now?: Date }): Promise<DataRequestRow> {
  checkId(opts.id);
  const fields: FieldError[] = [];
  if (!Number.isInteger(opts.days)) fields.push({ field: 'days', code: 'must_be_integer' });
  else if (opts.days < 1 || opts.days > DATA_REQUEST_MAX_EXTENSION_DAYS) fields.push({ field: 'days', code: 'out_of_range' });
  const reason = text(opts.reason, 'reason', 2000, fields);
  if (fields.length) throw new AppError('validation_failed', { fields });
  const now = opts.now ?? new Date();
  await inTransaction(opts.database, async (tx) => {
    const row = await lockOpen(tx, opts.id);
    if (row.extended_until) throw new AppError('data_request_extended');
    if (now > new Date(row.due_at)) throw new AppError('data_request_past_due');
    const until = daysPeriodEnd(new Date(row.due_at), opts.days, LEGAL_CALENDAR);
    await tx.execute(sql`
      update data_requests set extended_until = ${until.toISOString()}, extension_reason = ${reason}, handled_by = ${opts.actor.id}
      where id = ${opts.id}`);
  });
  return (await findDataRequest(opts.database, opts.id))!;
}

/**
 * Đóng yêu cầu — done or refused, with what was done or why not. A deletion request is done only once the
 * customer's data has been erased (on their page), so "done" always means it.
 */
export async function closeDataRequest(opts: { database: Database; actor: Actor; id: string; outcome: string; note: string; now?: Date }): Promise<DataRequestRow> {
  checkId(opts.id);
  const fields: FieldError[] = [];
  if (opts.outcome !== 'done' && opts.outcome !== 'refused') fields.push({ field: 'outcome', code: opts.outcome ? 'invalid_value' : 'required' });
  const note = text(opts.note, 'note', 2000, fields);
  if (fields.length) throw new AppError('validation_failed', { fields });
  const at = opts.now ?? new Date();
  await inTransaction(opts.database, async (tx) => {
    const row = await lockOpen(tx, opts.id);
    const erased = row.customer_id
      ? // for share: waits for an erasure under way, and then reads its outcome.
        !!(await tx.execute<{ anonymised_at: string | null }>(sql`select anonymised_at from customers where id = ${row.customer_id} for share`)).rows[0]?.anonymised_at
      : false;
    if (row.kind === 'deletion' && opts.outcome === 'done' && row.customer_id && !erased) throw new AppError('customer_not_anonymised');
    await tx.execute(sql`
      update data_requests set status = ${opts.outcome}, outcome_note = ${note}, closed_at = ${at.toISOString()},
        replied_at = coalesce(replied_at, ${at.toISOString()}), handled_by = ${opts.actor.id}
      where id = ${opts.id}`);
    // Kept until now to tell them it is done; of an erased customer only the record that it was dealt with stays.
    if (erased) {
      await tx.execute(sql`
        update data_requests set requester_name = ${REDACTED}, contact = ${REDACTED}, details = ${REDACTED},
          extension_reason = case when extension_reason is null then null else ${REDACTED} end,
          reply_note = case when reply_note is null then null else ${REDACTED} end
        where id = ${opts.id}`);
    }
  });
  return (await findDataRequest(opts.database, opts.id))!;
}
