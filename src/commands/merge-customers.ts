import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { nationalPhone, normalizeEmail, normalizePhone } from '../domain/contacts';
import { normalizeComplaintCode } from '../domain/codes';
import { AppError, type FieldError } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { withoutCardNumbers } from '../domain/payment-cards';
import { complaintSearchText } from '../domain/search-text';
import { trimText } from '../domain/text';
import type { Actor } from './actor';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';

type CustomerRow = { id: string; name: string; phone_e164: string | null; email: string | null; anonymised_at: unknown; merged_into: string | null };

/**
 * The other record, as staff name it: its id, a complaint of it (KN-…), its phone (any usual form) or its email. Null
 * when none is found.
 */
async function resolveCustomer(tx: Tx, ref: string): Promise<string | null> {
  const text = ref.trim();
  if (isUuid(text)) return text;
  if (/^kn-?\d{4}-?\d{1,6}$/i.test(text)) {
    const r = await tx.execute<{ customer_id: string }>(sql`select customer_id from complaints where code = ${normalizeComplaintCode(text)}`);
    return r.rows[0]?.customer_id ?? null;
  }
  if (text.includes('@')) {
    const email = normalizeEmail(text);
    const r = email ? await tx.execute<{ id: string }>(sql`select id from customers where email = ${email}`) : { rows: [] };
    return r.rows[0]?.id ?? null;
  }
  const phone = normalizePhone(text);
  const r = phone ? await tx.execute<{ id: string }>(sql`select id from customers where phone_e164 = ${phone}`) : { rows: [] };
  return r.rows[0]?.id ?? null;
}

/**
 * Gộp hồ sơ khách hàng — the same person recorded twice (by phone at the hotline, by email later) becomes one record:
 * the other record's complaints and data-subject requests move to this one, which takes the phone or email it lacked,
 * and every complaint of the person gets a `customer.merged` event, all in one transaction; the search follows. The
 * other record keeps its name for the access log that names it, but no contact, is found by no search and says where it
 * went. Refused, changing nothing: the same record, one not found (404), one erased (409 customer_anonymised) or
 * already merged (409 customer_merged), or two different phones or emails (409 contacts_conflict: a record keeps one
 * of each; correct one first).
 */
export async function mergeCustomers(opts: {
  database: Database;
  actor: Actor;
  intoId: string;
  /** The other record: its id, a complaint code of it, its phone or its email. */
  from: string;
  reason?: string;
}): Promise<{ fromId: string; moved: number }> {
  const reason = withoutCardNumbers(trimText(opts.reason ?? '')).slice(0, 2000);
  return inTransaction(opts.database, async (tx) => {
    const fromId = await resolveCustomer(tx, opts.from);
    if (!fromId) throw new AppError('validation_failed', { fields: [{ field: 'from', code: 'not_found' }] });
    if (fromId === opts.intoId) throw new AppError('validation_failed', { fields: [{ field: 'from', code: 'same_customer' }] });
    // Both locked, in the order of their ids (two merges of the same pair, either way round, never deadlock).
    const locked = await tx.execute<CustomerRow>(sql`
      select id, name, phone_e164, email, anonymised_at, merged_into from customers
      where id = any(${`{${[opts.intoId, fromId].join(',')}}`}::uuid[]) order by id for update`);
    const into = locked.rows.find((r) => r.id === opts.intoId);
    const from = locked.rows.find((r) => r.id === fromId);
    if (!into || !from) throw new AppError('customer_not_found');
    if (into.anonymised_at || from.anonymised_at) throw new AppError('customer_anonymised');
    if (into.merged_into || from.merged_into) throw new AppError('customer_merged');
    const conflicts: FieldError[] = [];
    if (into.phone_e164 && from.phone_e164 && into.phone_e164 !== from.phone_e164) conflicts.push({ field: 'phone', code: 'contacts_conflict' });
    if (into.email && from.email && into.email !== from.email) conflicts.push({ field: 'email', code: 'contacts_conflict' });
    if (conflicts.length) throw new AppError('contacts_conflict', { fields: conflicts });

    const phone = into.phone_e164 ?? from.phone_e164;
    const email = into.email ?? from.email;
    // The duplicate gives up its contacts first: each is unique across customers.
    await tx.execute(sql`
      update customers set phone_e164 = null, email = null, search_name = '', merged_into = ${into.id}, updated_at = now() where id = ${from.id}`);
    await tx.execute(sql`update customers set phone_e164 = ${phone}, email = ${email}, updated_at = now() where id = ${into.id}`);
    // Their complaints, locked in the order an erasure locks them (the customer, then the complaints by id).
    const complaints = await tx.execute<{
      id: string;
      code: string;
      subject: string;
      description: string;
      order_ref: string | null;
      customer_id: string;
      event_count: number;
      last_event_hash: string;
    }>(sql`
      select id, code, subject, description, order_ref, customer_id, event_count, last_event_hash
      from complaints where customer_id = any(${`{${[into.id, from.id].join(',')}}`}::uuid[]) order by id for update`);
    await tx.execute(sql`update complaints set customer_id = ${into.id} where customer_id = ${from.id}`);
    await tx.execute(sql`update data_requests set customer_id = ${into.id} where customer_id = ${from.id}`);
    const gained = {
      ...(phone && !into.phone_e164 ? { phone: nationalPhone(phone) } : {}),
      ...(email && !into.email ? { email } : {}),
    };
    let moved = 0;
    for (const c of complaints.rows) {
      const wasOther = c.customer_id === from.id;
      if (wasOther) moved += 1;
      await tx.execute(sql`update complaints set search_text = ${complaintSearchText({
        code: c.code,
        subject: c.subject,
        description: c.description,
        phoneE164: phone,
        phoneNational: phone ? nationalPhone(phone) : null,
        email,
        orderRef: c.order_ref,
      })} where id = ${c.id}`);
      await appendEvent(tx, { id: c.id, eventCount: Number(c.event_count), lastEventHash: c.last_event_hash }, opts.actor, 'customer.merged', {
        into: into.id,
        from: from.id,
        fromName: from.name,
        // This complaint came with the other record (else it was already this one's).
        moved: wasOther,
        ...(Object.keys(gained).length ? { gained } : {}),
        ...(reason ? { reason } : {}),
      });
    }
    return { fromId: from.id, moved };
  });
}
