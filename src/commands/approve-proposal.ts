import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findProposal, type ProposalKind, type ProposalRow } from '../db/queries/resolution';
import { isUuid } from '../domain/ids';
import { loadSlaContext } from '../db/queries/settings';
import { AppError } from '../domain/errors';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { offerProposal, staffId, type CustomerMailSettings } from './propose-resolution';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

export interface ApproveProposalOptions {
  database: Database;
  /** A supervisor or an admin (the route asks for 'proposal.approve'). */
  actor: Actor;
  code: string;
  proposalId: string;
  decision: 'approve' | 'reject';
  /** Why it goes back to the agent; required when rejecting. */
  note?: string;
  now?: Date;
  mail?: CustomerMailSettings;
}

/**
 * Phê duyệt phương án — a supervisor approves a proposal above the approval threshold, which offers
 * it to the customer, or sends it back to the agent with a note (it is withdrawn; the agent may
 * propose again). Only a proposal still awaiting approval can be decided.
 */
export async function approveProposal(opts: ApproveProposalOptions): Promise<ProposalRow> {
  const note = withoutCardNumbers(opts.note?.trim() ?? '') || null;
  if (opts.decision === 'reject' && !note) throw new AppError('validation_failed', { fields: [{ field: 'note', code: 'reason_required' }] });
  if (!isUuid(opts.proposalId)) throw new AppError('proposal_not_found');
  const sla = await loadSlaContext(opts.database);
  const complaintId = await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const r = await tx.execute<{ id: string; kind: ProposalKind; description: string; amount_vnd: string | number | null; status: string }>(sql`
      select id, kind, description, amount_vnd, status from proposals where id = ${opts.proposalId} and complaint_id = ${c.id} for update`);
    const p = r.rows[0];
    if (!p) throw new AppError('proposal_not_found');
    if (p.status !== 'pending_approval') throw new AppError('proposal_not_pending');
    const at = opts.now ?? new Date();
    if (opts.decision === 'reject') {
      await tx.execute(sql`
        update proposals set status = 'withdrawn', approved_by = ${staffId(opts.actor)}, approved_at = ${at.toISOString()}, decision_note = ${note}
        where id = ${p.id}`);
      await appendEvent(tx, c, opts.actor, 'proposal.approval_rejected', { proposalId: p.id, note }, at);
      return c.id;
    }
    await tx.execute(sql`update proposals set approved_by = ${staffId(opts.actor)}, approved_at = ${at.toISOString()} where id = ${p.id}`);
    const head = await appendEvent(tx, c, opts.actor, 'proposal.approved', { proposalId: p.id, ...(note ? { note } : {}) }, at);
    const amountVnd = p.amount_vnd == null ? null : Number(p.amount_vnd);
    await offerProposal(tx, { head, complaint: c, proposal: { id: p.id, kind: p.kind, description: p.description, amountVnd }, actor: opts.actor, at, sla, mail: opts.mail });
    return c.id;
  });
  const proposal = await findProposal(opts.database, complaintId, opts.proposalId);
  if (!proposal) throw new AppError('internal');
  return proposal;
}
