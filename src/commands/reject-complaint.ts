import type { Database } from '../db/open';
import { loadSlaContext } from '../db/queries/settings';
import { AppError } from '../domain/errors';
import { checkTransition } from '../domain/lifecycle';
import { complaintRejectedMail } from '../mail/complaint-rejected';
import type { Actor } from './actor';
import { mailedStatusUrlOf } from './create-complaint';
import { lockComplaint } from './load';
import { changeStatus, customerOf, queueCustomerMail, withdrawOpenProposals, type CustomerMailSettings } from './propose-resolution';
import { cancelOpenInformationRequests } from './request-information';
import { inTransaction } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

export interface RejectComplaintOptions {
  database: Database;
  /** A supervisor or an admin: the lifecycle says who may refuse a complaint. */
  actor: Actor;
  code: string;
  /** Why the complaint is not admissible; told to the customer (mail and status page). */
  reason: string;
  now?: Date;
  mail?: CustomerMailSettings;
}

/**
 * Không thụ lý — refuses a complaint as not admissible. The reason is told to the customer: it is
 * emailed to them (queued with the change) and shown on their status page; every clock stops and
 * any proposal still open is withdrawn.
 */
export async function rejectComplaint(opts: RejectComplaintOptions): Promise<void> {
  const reason = withoutCardNumbers(opts.reason.trim());
  const sla = await loadSlaContext(opts.database);
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const check = checkTransition(c.status, 'rejected', opts.actor.kind, reason);
    if (!check.ok) {
      if (check.reason === 'reason_required') throw new AppError('validation_failed', { fields: [{ field: 'reason', code: 'reason_required' }] });
      throw new AppError(check.reason, { allowed: check.allowed });
    }
    const at = opts.now ?? new Date();
    let head = await withdrawOpenProposals(tx, c, opts.actor, at, 'complaint_rejected');
    head = await cancelOpenInformationRequests(tx, head, opts.actor, at, 'complaint_rejected');
    await changeStatus(tx, { head, complaint: c, to: 'rejected', actor: opts.actor, at, sla, reason });
    if (!opts.mail) return;
    const customer = await customerOf(tx, c.id);
    if (!customer.email) return;
    const message = complaintRejectedMail({
      to: customer.email,
      customerName: customer.name,
      code: c.code,
      subject: customer.subject,
      reason,
      statusUrl: mailedStatusUrlOf(opts.mail.baseUrl, c.code, customer.email, at, sla, customer.language),
      companyName: opts.mail.companyName,
      locale: customer.language,
    });
    await queueCustomerMail(tx, c.id, message, `complaint-rejected:${c.id}`, opts.mail.baseUrl);
  });
}
