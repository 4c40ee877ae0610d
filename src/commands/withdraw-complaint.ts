import type { Database } from '../db/open';
import { findComplaintForContact } from '../db/queries/complaints';
import { AppError } from '../domain/errors';
import { allowedTransitions } from '../domain/lifecycle';
import { trimText } from '../domain/text';
import type { CustomerMailSettings } from './propose-resolution';
import { transitionComplaint } from './transition-complaint';

/**
 * Rút khiếu nại — the customer withdraws their own complaint from the status page, proving the contact
 * it was filed with, and says why (kept in the timeline, shown back to them; staff read it). The
 * withdrawal is confirmed by email. Asking again once it is withdrawn changes nothing (a double click,
 * a retry); a complaint already over, or in the hands of an authority, cannot be withdrawn here.
 */
export async function withdrawComplaintAsCustomer(opts: {
  database: Database;
  code: string;
  contact: string;
  reason: string;
  mail?: CustomerMailSettings;
  now?: Date;
}): Promise<{ code: string; withdrawn: boolean }> {
  const reason = trimText(opts.reason);
  if (!reason) throw new AppError('validation_failed', { fields: [{ field: 'reason', code: 'required' }] });
  const found = await findComplaintForContact(opts.database, opts.code, opts.contact);
  // The same answer whether the code or the contact is wrong: a stranger learns nothing.
  if (!found) throw new AppError('complaint_not_found');
  if (found.status === 'withdrawn') return { code: found.code, withdrawn: false };
  if (!allowedTransitions(found.status, 'customer').includes('withdrawn')) throw new AppError('withdrawal_not_possible');
  try {
    await transitionComplaint({
      database: opts.database,
      actor: { kind: 'customer', id: found.customer.id, channel: 'portal' },
      code: found.code,
      to: 'withdrawn',
      reason,
      mail: opts.mail,
      now: opts.now,
    });
  } catch (err) {
    // Moved meanwhile (staff resolved it, or the same request ran twice at once): say where it stands now.
    if (!(err instanceof AppError) || err.code !== 'invalid_transition') throw err;
    const now = await findComplaintForContact(opts.database, opts.code, opts.contact);
    if (now?.status === 'withdrawn') return { code: found.code, withdrawn: false };
    throw new AppError('withdrawal_not_possible');
  }
  return { code: found.code, withdrawn: true };
}
