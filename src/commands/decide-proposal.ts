import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findProposal, type ProposalRow } from '../db/queries/resolution';
import { isUuid } from '../domain/ids';
import { loadSlaContext } from '../db/queries/settings';
import { AppError } from '../domain/errors';
import { checkTransition } from '../domain/lifecycle';
import { startOfMinute } from '../domain/time';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { changeStatus } from './propose-resolution';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

/** How the customer gave their answer: on the status page, or to staff by phone, at the office, by email. */
export const DECISION_CHANNELS = ['portal', 'hotline', 'office', 'email'] as const;
export type DecisionChannel = (typeof DECISION_CHANNELS)[number];

/** A decision time this far ahead of the server's clock is a typo, not clock skew. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface DecideProposalOptions {
  database: Database;
  /** The customer on the portal, or the staff member recording what the customer said. */
  actor: Actor;
  code: string;
  proposalId: string;
  decision: 'accept' | 'reject';
  channel: DecisionChannel;
  /** When the customer gave the answer (staff recording a call); now by default. */
  at?: Date;
  note?: string;
  now?: Date;
}

/**
 * Ý kiến của khách hàng — the customer accepts or rejects an offered proposal, with the channel and
 * time of the answer. Accepting leads to its implementation; rejecting returns the complaint to
 * `investigating` so negotiation continues. Only an offered proposal can be answered, once: a second
 * answer (a double click, a retry) is refused with 409 and stores nothing.
 */
export async function decideProposal(opts: DecideProposalOptions): Promise<ProposalRow> {
  const now = opts.now ?? new Date();
  const at = opts.at ?? now;
  const note = withoutCardNumbers(opts.note?.trim() ?? '') || null;
  if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', { fields: [{ field: 'at', code: 'invalid_value' }] });
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw new AppError('validation_failed', { fields: [{ field: 'at', code: 'must_be_past' }] });
  if (!isUuid(opts.proposalId)) throw new AppError('proposal_not_found');
  const customer = opts.actor.kind === 'customer';
  const sla = await loadSlaContext(opts.database);
  const complaintId = await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const r = await tx.execute<{ id: string; status: string; offered_at: string | null; earliest: string }>(sql`
      select p.id, p.status, p.offered_at,
        greatest(c.received_at, (select max(o.decided_at) from proposals o where o.complaint_id = c.id and o.id <> p.id)) as earliest
      from proposals p join complaints c on c.id = p.complaint_id
      where p.id = ${opts.proposalId} and p.complaint_id = ${c.id} for update of p`);
    const p = r.rows[0];
    // A proposal still with a supervisor does not exist for the customer.
    if (!p || (customer && !p.offered_at)) throw new AppError('proposal_not_found');
    if (p.status !== 'offered' || c.status !== 'proposed') throw new AppError('proposal_not_offered');
    // The time is what the customer said when; an offer made by phone may be recorded after the answer,
    // but the answer cannot come before the complaint itself or before the customer's previous answer.
    if (at.getTime() < startOfMinute(new Date(p.earliest))) {
      throw new AppError('validation_failed', { fields: [{ field: 'at', code: 'before_previous_step' }] });
    }
    const payload = { proposalId: p.id, channel: opts.channel, at: at.toISOString(), ...(note ? { note } : {}) };
    if (opts.decision === 'accept') {
      await tx.execute(sql`
        update proposals set status = 'accepted', decided_at = ${at.toISOString()}, decision_channel = ${opts.channel}, decision_note = ${note}
        where id = ${p.id}`);
      await appendEvent(tx, c, opts.actor, 'proposal.accepted', payload, now);
      return c.id;
    }
    const check = checkTransition(c.status, 'investigating', opts.actor.kind);
    if (!check.ok) throw new AppError(check.reason === 'reason_required' ? 'invalid_transition' : check.reason, { allowed: check.allowed });
    await tx.execute(sql`
      update proposals set status = 'rejected', decided_at = ${at.toISOString()}, decision_channel = ${opts.channel}, decision_note = ${note}
      where id = ${p.id}`);
    const head = await appendEvent(tx, c, opts.actor, 'proposal.rejected', payload, now);
    await changeStatus(tx, { head, complaint: c, to: 'investigating', actor: opts.actor, at: now, sla, cause: 'proposal_rejected' });
    return c.id;
  });
  const proposal = await findProposal(opts.database, complaintId, opts.proposalId);
  if (!proposal) throw new AppError('internal');
  return proposal;
}
