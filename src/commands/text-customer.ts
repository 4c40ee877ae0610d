import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext } from '../db/queries/settings';
import { AppError } from '../domain/errors';
import { withoutCardNumbers } from '../domain/payment-cards';
import { smsText, SMS_MAX_LENGTH } from '../domain/sms';
import { trimText } from '../domain/text';
import type { Actor } from './actor';
import { saveClocks } from './clock-store';
import { lockComplaint } from './load';
import { acknowledgeOnContact, contactClocks } from './log-contact';
import { refuseIfContactedSince } from './reply-to-customer';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';

export interface TextCustomerOptions {
  database: Database;
  actor: Actor;
  code: string;
  text: string;
  /** Whether an SMS gateway is set up (config.sms). */
  smsEnabled: boolean;
  /** The last event the writer had seen: a colleague's contact with the customer after it stops the text (domain/presence.ts). */
  afterEvent?: number;
  now?: Date;
}

/**
 * Nhắn tin SMS cho khách — an agent texts the customer on their phone (one who gave no email, or is easier reached so): the
 * text, folded to plain letters as SMS carries it (domain/sms.ts), is queued for the gateway in the same transaction as its
 * `sms.sent` event (shown on the customer's status page too). It is a contact as a reply is: it stops the acknowledgement
 * clock and answers the customer's last message. Refused, nothing changed: no gateway (409 sms_not_configured), no phone
 * on file (409 customer_has_no_phone), an empty text or one over two SMS parts (422, field `text`).
 */
export async function textCustomer(opts: TextCustomerOptions): Promise<void> {
  if (!opts.smsEnabled) throw new AppError('sms_not_configured');
  const text = smsText(withoutCardNumbers(trimText(opts.text)));
  if (!text) throw new AppError('validation_failed', { fields: [{ field: 'text', code: 'required' }] });
  if (text.length > SMS_MAX_LENGTH) throw new AppError('validation_failed', { fields: [{ field: 'text', code: 'too_long' }] });
  const sla = await loadSlaContext(opts.database);
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const phone = (await tx.execute<{ phone: string | null }>(sql`
      select cu.phone_e164 as phone from complaints c join customers cu on cu.id = c.customer_id where c.id = ${c.id}`)).rows[0]?.phone;
    if (!phone) throw new AppError('customer_has_no_phone');
    if (opts.afterEvent !== undefined) await refuseIfContactedSince(tx, c.id, opts.afterEvent, opts.actor.id);
    const at = opts.now ?? new Date();
    // One text per event: the event's number makes the key.
    await tx.execute(sql`
      insert into sms_messages (complaint_id, to_phone, text, kind, dedupe_key)
      values (${c.id}, ${phone}, ${text}, 'reply', ${`sms:${c.id}:${c.eventCount + 1}`}) on conflict (dedupe_key) do nothing`);
    const { clocks, changed } = contactClocks(c, at, sla);
    const head = await appendEvent(tx, c, opts.actor, 'sms.sent', { to: phone, text, ...(changed.length ? { clocks: changed } : {}) }, at);
    await acknowledgeOnContact(tx, c, head, opts.actor, at);
    await saveClocks(tx, c.id, clocks, sla);
  });
}
