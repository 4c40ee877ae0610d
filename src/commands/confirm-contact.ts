import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import type { Actor } from './actor';
import type { UnconfirmedContacts } from './create-complaint';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';

/**
 * Xác minh liên hệ — staff, having checked with the customer, add the phone or email given with a
 * complaint (and kept off the customer's record because anyone could have typed it) to the record:
 * from then on mail goes there and it opens the customer's complaints. It replaces the record's own
 * phone or email, if any; one that belongs to another customer is refused. One event on the complaint.
 */
export async function confirmContact(opts: { database: Database; actor: Actor; code: string; field: 'phone' | 'email' }): Promise<void> {
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const first = await tx.execute<{ payload: { unconfirmedContacts?: UnconfirmedContacts }; customer_id: string; phone_e164: string | null; email: string | null }>(sql`
      select e.payload, cu.id as customer_id, cu.phone_e164, cu.email
      from timeline_events e join complaints k on k.id = e.complaint_id join customers cu on cu.id = k.customer_id
      where e.complaint_id = ${c.id} and e.seq = 1 for update of cu`);
    const row = first.rows[0];
    const value = row?.payload.unconfirmedContacts?.[opts.field];
    if (!row || !value) throw new AppError('validation_failed', { fields: [{ field: 'field', code: 'not_found' }] });
    const previous = opts.field === 'phone' ? row.phone_e164 : row.email;
    if (previous === value) return;
    const column = opts.field === 'phone' ? sql`phone_e164` : sql`email`;
    const taken = await tx.execute(sql`select 1 from customers where ${column} = ${value} and id <> ${row.customer_id}`);
    // As when the record is corrected by hand: a conflict with another customer (409), not a typing mistake.
    if (taken.rows.length) throw new AppError('contact_taken', { fields: [{ field: 'field', code: 'contact_taken' }] });
    await tx.execute(sql`update customers set ${column} = ${value} where id = ${row.customer_id}`);
    await appendEvent(tx, c, opts.actor, 'customer.contact_confirmed', { field: opts.field, value, previous });
  });
}
