import type { Database } from '../db/open';
import { findComplaintForContact } from '../db/queries/complaints';
import { loadSlaContext } from '../db/queries/settings';
import { AppError } from '../domain/errors';
import type { VerifiedStatusLink } from '../domain/schemas';
import { checkStatusLink } from '../domain/signed-links';


/**
 * Mở liên kết tra cứu — checks the status-page link of a mail to the customer and answers with the
 * code and contact it proves, which the status page then uses as if the customer had typed them.
 * Altered, for another complaint than `code`, or no longer matching the complaint's customer: 403
 * status_link_invalid; too old: 410 status_link_expired. Neither says anything about the complaint.
 */
export async function verifyStatusLink(opts: { database: Database; token: string; code?: string; now?: Date }): Promise<VerifiedStatusLink> {
  const { linkSecret } = await loadSlaContext(opts.database);
  const now = opts.now ?? new Date();
  const check = checkStatusLink(linkSecret, opts.token, Math.floor(now.getTime() / 1000), opts.code);
  if (!check.ok) throw new AppError(check.reason === 'expired' ? 'status_link_expired' : 'status_link_invalid');
  // The customer's email may have changed since the mail went: the old address proves nothing now.
  const found = await findComplaintForContact(opts.database, check.claims.code, check.claims.contact);
  if (!found) throw new AppError('status_link_invalid');
  return { code: found.code, contact: check.claims.contact };
}
