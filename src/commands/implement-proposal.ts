import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findProposal, type ProposalRow } from '../db/queries/resolution';
import { isUuid } from '../domain/ids';
import { loadSlaContext } from '../db/queries/settings';
import { AppError, type FieldError } from '../domain/errors';
import { checkTransition } from '../domain/lifecycle';
import { startOfMinute } from '../domain/time';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { changeStatus } from './propose-resolution';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { referenceWithoutCardNumbers, withoutCardNumbers } from '../domain/payment-cards';

const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface ImplementProposalOptions {
  database: Database;
  actor: Actor;
  code: string;
  proposalId: string;
  /** The bank or accounting reference of a refund. */
  refundReference?: string;
  /** The carrier's reference of a replacement shipped. */
  shipmentReference?: string;
  /** When it was done (the refund paid, the item shipped). */
  doneAt: Date;
  note?: string;
  /** Nguyên nhân gốc: required unless the complaint already has one. */
  rootCauseId?: string;
  now?: Date;
}

/**
 * Thực hiện phương án — records that an accepted proposal was carried out (refund reference,
 * replacement shipped) and resolves the complaint. Resolving needs a root cause: the complaint's
 * own, or the one given here (which must exist in the taxonomy).
 */
export async function implementProposal(opts: ImplementProposalOptions): Promise<ProposalRow> {
  const now = opts.now ?? new Date();
  const fields: FieldError[] = [];
  if (Number.isNaN(opts.doneAt.getTime())) fields.push({ field: 'doneAt', code: 'invalid_value' });
  else if (opts.doneAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) fields.push({ field: 'doneAt', code: 'must_be_past' });
  if (fields.length) throw new AppError('validation_failed', { fields });
  if (!isUuid(opts.proposalId)) throw new AppError('proposal_not_found');
  const implementation = Object.fromEntries(
    Object.entries({ refundReference: opts.refundReference?.trim(), shipmentReference: opts.shipmentReference?.trim(), note: opts.note?.trim() })
      .filter(([, v]) => v)
      .map(([k, v]) => [k, k === 'note' ? withoutCardNumbers(v ?? '') : referenceWithoutCardNumbers(v ?? '')]),
  ) as Record<string, string>;
  const sla = await loadSlaContext(opts.database);
  const complaintId = await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const r = await tx.execute<{ id: string; status: string; kind: string; decided_at: string | null }>(sql`
      select id, status, kind, decided_at from proposals where id = ${opts.proposalId} and complaint_id = ${c.id} for update`);
    const p = r.rows[0];
    if (!p) throw new AppError('proposal_not_found');
    if (p.status !== 'accepted') throw new AppError('proposal_not_accepted');
    const checks: FieldError[] = [];
    // What proves it was done: the bank's reference of a refund, the carrier's of a replacement.
    if (p.kind === 'refund' && !implementation.refundReference) checks.push({ field: 'refundReference', code: 'required' });
    if (p.kind === 'exchange' && !implementation.shipmentReference) checks.push({ field: 'shipmentReference', code: 'required' });
    // Typed to the minute (a datetime-local field): the minute of the acceptance counts as after it.
    if (p.decided_at && opts.doneAt.getTime() < startOfMinute(new Date(p.decided_at))) checks.push({ field: 'doneAt', code: 'before_decision' });
    if (checks.length) throw new AppError('validation_failed', { fields: checks });
    const check = checkTransition(c.status, 'resolved', opts.actor.kind);
    if (!check.ok) throw new AppError(check.reason === 'reason_required' ? 'invalid_transition' : check.reason, { allowed: check.allowed });
    await tx.execute(sql`
      update proposals set status = 'implemented', implemented_at = ${opts.doneAt.toISOString()},
        implementation = ${JSON.stringify(implementation)}::jsonb
      where id = ${p.id}`);
    const head = await appendEvent(tx, c, opts.actor, 'proposal.implemented', { proposalId: p.id, doneAt: opts.doneAt.toISOString(), ...implementation }, now);
    // Checks the root cause (given or on file), sets resolved_at and schedules the survey.
    await changeStatus(tx, { head, complaint: c, to: 'resolved', actor: opts.actor, at: now, sla, cause: 'proposal_implemented', rootCauseId: opts.rootCauseId });
    return c.id;
  });
  const proposal = await findProposal(opts.database, complaintId, opts.proposalId);
  if (!proposal) throw new AppError('internal');
  return proposal;
}
