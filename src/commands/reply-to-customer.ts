import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext } from '../db/queries/settings';
import { AppError } from '../domain/errors';
import { withoutCardNumbers } from '../domain/payment-cards';
import { trimText } from '../domain/text';
import { checkMailAttachments, type MailAttachment } from '../domain/uploads';
import { staffReplyMail } from '../mail/staff-reply';
import type { Actor } from './actor';
import { saveClocks } from './clock-store';
import { acknowledgeOnContact, contactClocks } from './log-contact';
import { mailedStatusUrlOf } from './create-complaint';
import { lockComplaint } from './load';
import { customerOf, queueCustomerMail, type CustomerMailSettings } from './propose-resolution';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { CUSTOMER_CONTACT_EVENTS, type CustomerContactEvent } from '../domain/presence';

export interface ReplyToCustomerOptions {
  database: Database;
  actor: Actor;
  code: string;
  body: string;
  /** Files of the complaint to send with the mail, by their SHA-256 (as the complaint's file links name them). */
  attachments?: readonly string[];
  mail: CustomerMailSettings;
  /** The last event the writer had seen: a colleague's contact with the customer after it stops the reply (domain/presence.ts). */
  afterEvent?: number;
  now?: Date;
}

/**
 * Two agents answering the same customer at once (ai đang xem shows it; this stops it): the latest contact with the
 * customer by someone else after the event the writer had seen refuses the reply, saying who and when.
 */
export async function refuseIfContactedSince(tx: Tx, complaintId: string, afterEvent: number, writerId: string | null): Promise<void> {
  const types = `{${CUSTOMER_CONTACT_EVENTS.join(',')}}`;
  const r = await tx.execute<{ type: CustomerContactEvent; by: string | null; created_at: Date }>(sql`
    select e.type, s.name as by, e.created_at from timeline_events e left join staff_users s on s.id::text = e.actor_id and e.actor_type <> 'customer'
    where e.complaint_id = ${complaintId} and e.seq > ${afterEvent} and e.type = any(${types}::text[])
      and e.actor_id is distinct from ${writerId}
    order by e.seq desc limit 1`);
  const hit = r.rows[0];
  if (hit) throw new AppError('reply_collision', { contact: { type: hit.type, by: hit.by, at: new Date(hit.created_at).toISOString() } });
}

/**
 * The complaint's files an agent picked to send, by hash, in the order picked: each must be one of this complaint's
 * files (the first one stored, when the same bytes were stored twice), at most 10 and 15 MB in all.
 */
async function pickedFiles(tx: Tx, complaintId: string, picked: readonly string[]): Promise<MailAttachment[]> {
  if (!picked.length) return [];
  const rows = (
    await tx.execute<{ sha256: string; filename: string; content_type: string; size: number }>(sql`
      select distinct on (sha256) sha256, filename, content_type, size from attachments
      where complaint_id = ${complaintId} and sha256 = any(${`{${[...new Set(picked)].filter((h) => /^[0-9a-f]{64}$/.test(h)).join(',')}}`}::text[])
      order by sha256, created_at, id`)
  ).rows;
  const found = new Map(rows.map((r) => [r.sha256, { filename: r.filename, contentType: r.content_type, size: Number(r.size), sha256: r.sha256 }]));
  const problems = checkMailAttachments(picked, found);
  if (problems.length) throw new AppError('validation_failed', { fields: problems });
  return picked.map((sha) => found.get(sha)!);
}

/**
 * Trả lời khách hàng — an agent writes to the customer from the complaint: the mail is queued to the customer's
 * email in the same transaction as its `reply.sent` event (shown on the customer's status page too). It is the
 * contact the policy asks for, as a logged one is: it stops the acknowledgement clock and answers the customer's
 * last message, and a complaint still `received` becomes `acknowledged`. No email on file: 409, nothing changes.
 * Files of the complaint may go with it (a receipt of the refund, the supplier's answer): listed in the mail and its
 * event, and read from the file store when the mail is sent (jobs/deliver-mail.ts).
 * A retry with the same Idempotency-Key is answered by the HTTP layer (http/idempotency.ts) and sends nothing more.
 */
export async function replyToCustomer(opts: ReplyToCustomerOptions): Promise<void> {
  const body = withoutCardNumbers(trimText(opts.body));
  if (!body) throw new AppError('validation_failed', { fields: [{ field: 'body', code: 'required' }] });
  const sla = await loadSlaContext(opts.database);
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const customer = await customerOf(tx, c.id);
    if (!customer.email) throw new AppError('customer_has_no_email');
    if (opts.afterEvent !== undefined) await refuseIfContactedSince(tx, c.id, opts.afterEvent, opts.actor.id);
    const files = await pickedFiles(tx, c.id, opts.attachments ?? []);
    const staff = opts.actor.id
      ? (await tx.execute<{ name: string }>(sql`select name from staff_users where id = ${opts.actor.id}`)).rows[0]?.name ?? null
      : null;
    const at = opts.now ?? new Date();
    const message = staffReplyMail({
      to: customer.email,
      customerName: customer.name,
      code: c.code,
      subject: customer.subject,
      body,
      staffName: staff,
      files: files.map((f) => f.filename),
      statusUrl: mailedStatusUrlOf(opts.mail.baseUrl, c.code, customer.email, at, sla, customer.language),
      companyName: opts.mail.companyName,
      locale: customer.language,
    });
    // One mail per event: the event's number makes the key.
    await queueCustomerMail(tx, c.id, message, `reply:${c.id}:${c.eventCount + 1}`, opts.mail.baseUrl, files);
    const { clocks, changed } = contactClocks(c, at, sla);
    const head = await appendEvent(
      tx,
      c,
      opts.actor,
      'reply.sent',
      { to: customer.email, body, ...(files.length ? { attachments: files } : {}), ...(changed.length ? { clocks: changed } : {}) },
      at,
    );
    await acknowledgeOnContact(tx, c, head, opts.actor, at);
    await saveClocks(tx, c.id, clocks, sla);
  });
}
