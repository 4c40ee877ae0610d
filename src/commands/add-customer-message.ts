import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findComplaintForContact } from '../db/queries/complaints';
import { loadSlaContext } from '../db/queries/settings';
import { AppError } from '../domain/errors';
import { takesCustomerMessages } from '../domain/lifecycle';
import { applyClockActions, saveClocks } from './clock-store';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { fulfilInformationRequestsByEmail } from './answer-information-request';
import { withoutCardNumbers } from '../domain/payment-cards';
import { trimText } from '../domain/text';

/**
 * Tin nhắn của khách hàng — a message the customer sends from the status page. It starts the
 * next-response clock; a complaint awaiting the customer goes back to investigation and its
 * resolution clock runs again. The same text sent twice in a row (a double click, a retry) is kept once.
 */
export async function addCustomerMessage(opts: {
  database: Database;
  code: string;
  contact: string;
  message: string;
  now?: Date;
}): Promise<{ stored: boolean }> {
  const message = withoutCardNumbers(trimText(opts.message));
  if (!message) throw new AppError('validation_failed', { fields: [{ field: 'message', code: 'required' }] });
  const found = await findComplaintForContact(opts.database, opts.code, opts.contact);
  // The same answer whether the code or the contact is wrong: a stranger learns nothing.
  if (!found) throw new AppError('complaint_not_found');
  const sla = await loadSlaContext(opts.database);
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, found.code);
    // A complaint that is over takes no more messages: the customer is told to reopen it or file a new one.
    if (!takesCustomerMessages(c.status)) throw new AppError('complaint_closed');
    const at = opts.now ?? new Date();
    // A resend of the customer's last message within ten minutes is the same message.
    const last = await tx.execute<{ body: string | null; created_at: string }>(sql`
      select payload->>'body' as body, created_at from timeline_events
      where complaint_id = ${c.id} and type = 'message.received' order by seq desc limit 1`);
    const prev = last.rows[0];
    if (prev && prev.body === message && at.getTime() - new Date(prev.created_at).getTime() < 10 * 60_000) return { stored: false };
    const actor = { kind: 'customer' as const, id: found.customer.id, channel: 'portal' as const };
    const actions = [{ op: 'start' as const, kind: 'next_response' as const }];
    const { clocks, changed } = applyClockActions(c.clocks, actions, at, sla);
    let head = await appendEvent(tx, c, actor, 'message.received', { body: message, clocks: changed }, at);
    // A message while the customer was asked for information is their answer to it.
    head = await fulfilInformationRequestsByEmail(tx, head, { actor, answer: message, attachments: [], at });
    if (c.status === 'awaiting_customer') {
      const resumed = applyClockActions(clocks, [{ op: 'resume', kind: 'resolution' }], at, sla);
      Object.assign(clocks, resumed.clocks);
      await tx.execute(sql`update complaints set status = 'investigating' where id = ${c.id}`);
      head = await appendEvent(tx, head, actor, 'status.changed', { from: 'awaiting_customer', to: 'investigating', cause: 'customer_message', clocks: resumed.changed }, at);
    }
    await saveClocks(tx, c.id, clocks, sla);
    return { stored: true };
  });
}
