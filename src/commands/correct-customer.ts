import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { nationalPhone } from '../domain/contacts';
import { correctCustomer as correctRecord, type Changes } from '../domain/corrections';
import { AppError, type FieldError } from '../domain/errors';
import { withoutCardNumbers } from '../domain/payment-cards';
import { complaintSearchText, foldText } from '../domain/search-text';
import { trimText } from '../domain/text';
import type { Actor } from './actor';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';

export interface CorrectCustomerOptions {
  database: Database;
  actor: Actor;
  customerId: string;
  name?: string;
  /** Any usual form; empty or null removes it (the customer keeps one contact at least). */
  phone?: string | null;
  email?: string | null;
  /** Why (the customer asked, a typo at the hotline): kept in the timeline with the change. */
  reason?: string;
}

/**
 * Sửa thông tin khách hàng — corrects a customer's name, phone or email, and records the change (old and new
 * values) as a `customer.corrected` event on every complaint of theirs, all in one transaction; their complaints'
 * search text follows. A phone or email that another customer has is refused (409 contact_taken) and nothing
 * changes: two customers are never merged this way (merge-customers.ts does that, on purpose). Returns what changed (nothing: no event).
 */
/** Mail that could not be delivered to the old address is sent again to the corrected one when this recent. */
export const RESEND_FAILED_DAYS = 30;

/**
 * Mail to a customer's old email follows the correction (all their complaints): what is still waiting goes to
 * the new address instead, and what could not be delivered to the old one in the last RESEND_FAILED_DAYS is
 * sent again there; with the email removed, what is still waiting is stopped (the address was wrong: it may be
 * a stranger's). Returns the counts, or null when no mail was waiting.
 */
async function followEmail(
  tx: Tx,
  customerId: string,
  old: string,
  next: string | null | undefined,
): Promise<{ redirected: number } | { stopped: number } | null> {
  const mine = sql`complaint_id in (select id from complaints where customer_id = ${customerId}) and to_address = ${old}`;
  if (!next) {
    const stopped = await tx.execute(sql`
      update outbound_messages set status = 'failed', last_error = 'Địa chỉ email đã được xoá khỏi hồ sơ khách hàng / email removed from the customer record'
      where ${mine} and status = 'queued'`);
    return stopped.rowCount ? { stopped: stopped.rowCount } : null;
  }
  const redirected = await tx.execute(sql`
    update outbound_messages set to_address = ${next}, status = 'queued', attempts = 0, last_error = null,
      next_attempt_at = least(next_attempt_at, now())
    where ${mine} and (status = 'queued' or (status = 'failed' and created_at > now() - make_interval(days => ${RESEND_FAILED_DAYS})))`);
  return redirected.rowCount ? { redirected: redirected.rowCount } : null;
}

export async function correctCustomer(opts: CorrectCustomerOptions): Promise<{ changes: Changes }> {
  const reason = withoutCardNumbers(trimText(opts.reason ?? ''));
  return inTransaction(opts.database, async (tx) => {
    const found = await tx.execute<{ name: string; phone_e164: string | null; email: string | null; anonymised_at: unknown }>(sql`
      select name, phone_e164, email, anonymised_at from customers where id = ${opts.customerId} for update`);
    const row = found.rows[0];
    if (!row) throw new AppError('customer_not_found');
    if (row.anonymised_at) throw new AppError('customer_anonymised');
    const { next, changes } = correctRecord({ name: row.name, phoneE164: row.phone_e164, email: row.email }, opts);
    if (!Object.keys(changes).length) return { changes };
    const taken: FieldError[] = [];
    if (changes.phone?.new) {
      const other = await tx.execute(sql`select 1 from customers where phone_e164 = ${changes.phone.new} and id <> ${opts.customerId}`);
      if (other.rows.length) taken.push({ field: 'phone', code: 'contact_taken' });
    }
    if (changes.email?.new) {
      const other = await tx.execute(sql`select 1 from customers where email = ${changes.email.new} and id <> ${opts.customerId}`);
      if (other.rows.length) taken.push({ field: 'email', code: 'contact_taken' });
    }
    if (taken.length) throw new AppError('contact_taken', { fields: taken });
    // Locked in the order an erasure locks them (the customer, then their complaints by id).
    const complaints = await tx.execute<{ id: string; code: string; subject: string; description: string; order_ref: string | null; event_count: number; last_event_hash: string }>(sql`
      select id, code, subject, description, order_ref, event_count, last_event_hash
      from complaints where customer_id = ${opts.customerId} order by id for update`);
    await tx.execute(sql`
      update customers set name = ${next.name}, phone_e164 = ${next.phoneE164}, email = ${next.email},
        search_name = ${foldText(next.name)}, updated_at = now()
      where id = ${opts.customerId}`);
    const mail = changes.email?.old ? await followEmail(tx, opts.customerId, changes.email.old, changes.email.new) : null;
    const payload = { changes, ...(reason ? { reason: reason.slice(0, 2000) } : {}), ...(mail ? { mail } : {}) };
    for (const c of complaints.rows) {
      const searchText = complaintSearchText({
        code: c.code,
        subject: c.subject,
        description: c.description,
        phoneE164: next.phoneE164,
        phoneNational: next.phoneE164 ? nationalPhone(next.phoneE164) : null,
        email: next.email,
        orderRef: c.order_ref,
      });
      await tx.execute(sql`update complaints set search_text = ${searchText} where id = ${c.id}`);
      await appendEvent(tx, { id: c.id, eventCount: Number(c.event_count), lastEventHash: c.last_event_hash }, opts.actor, 'customer.corrected', payload);
    }
    return { changes };
  });
}
