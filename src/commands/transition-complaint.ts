import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError, type ErrorCode } from '../domain/errors';
import { checkTransition, plainTransitions, resolutionRunning, TERMINAL_STATUSES, transitionAction, type Status, type TransitionAction } from '../domain/lifecycle';
import { clockActionsForTransition } from '../domain/clocks';
import { loadSlaContext } from '../db/queries/settings';
import { applyClockActions, saveClocks } from './clock-store';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { recordFollowupOfTransition } from './resolve-complaint';
import { withdrawOpenProposals } from './propose-resolution';
import { cancelOpenInformationRequests } from './request-information';
import { withoutCardNumbers } from '../domain/payment-cards';
import { normalizeComplaintCode } from '../domain/codes';
import { complaintEndedMail } from '../mail/complaint-ended';
import type { SlaContext } from '../db/queries/settings';
import { mailedStatusUrlOf } from './create-complaint';
import type { LockedComplaint } from './load';
import { customerOf, queueCustomerMail, type CustomerMailSettings } from './propose-resolution';
import type { Tx } from './transaction';

export interface TransitionComplaintOptions {
  database: Database;
  actor: Actor;
  code: string;
  to: Status;
  reason?: string;
  /** For a merge: the code of the complaint this one duplicates, which carries on. */
  mergedInto?: string;
  now?: Date;
  /** Tell the customer by email (a withdrawal confirmed, a merge and where to follow it). */
  mail?: CustomerMailSettings;
}

/** The refusal of a plain status change that only its own action makes. */
const ACTION_REQUIRED: Record<TransitionAction, ErrorCode> = {
  information_request: 'information_request_required',
  proposal: 'proposal_required',
  implementation: 'implementation_required',
  escalation: 'escalation_required',
  rejection: 'rejection_required',
  reopen: 'reopen_required',
};

/**
 * Chuyển trạng thái — moves a complaint along the lifecycle, refusing any move the lifecycle forbids
 * and any move that only its own action makes (a proposal, an information request, an implementation…).
 * Leaving `proposed` withdraws the proposal still open, so the customer can no longer accept it.
 */
export async function transitionComplaint(opts: TransitionComplaintOptions): Promise<{ from: Status; to: Status }> {
  const sla = await loadSlaContext(opts.database);
  if (opts.to === 'merged' && !opts.mergedInto?.trim()) {
    throw new AppError('validation_failed', { fields: [{ field: 'mergedInto', code: 'required' }] });
  }
  return inTransaction(opts.database, async (tx) => {
    // A merge locks both complaints, always in code order, so that two merges of the same pair cannot deadlock.
    const target = opts.to === 'merged' ? normalizeComplaintCode(opts.mergedInto!) : null;
    const source = normalizeComplaintCode(opts.code);
    const first = target && target < source ? await lockMergeTarget(tx, target) : null;
    const c = await lockComplaint(tx, opts.code);
    const into = target === null ? null : first ?? (target === source ? null : await lockMergeTarget(tx, target));
    if (target !== null && (into === null || into.id === c.id)) {
      throw new AppError('validation_failed', { fields: [{ field: 'mergedInto', code: 'same_complaint' }] });
    }
    // The customer is told where their complaint went on only when that complaint is theirs too.
    const sameCustomer =
      into !== null &&
      (await tx.execute(sql`select 1 from complaints a join complaints b on a.customer_id = b.customer_id where a.id = ${c.id} and b.id = ${into.id}`))
        .rows.length > 0;
    const check = checkTransition(c.status, opts.to, opts.actor.kind, opts.reason);
    const action = transitionAction(c.status, opts.to);
    if (action && (check.ok || check.reason === 'reason_required')) {
      throw new AppError(ACTION_REQUIRED[action], { allowed: plainTransitions(c.status, opts.actor.kind) });
    }
    if (!check.ok) {
      if (check.reason === 'reason_required') {
        throw new AppError('validation_failed', { fields: [{ field: 'reason', code: 'reason_required' }] });
      }
      throw new AppError(check.reason, { allowed: check.allowed });
    }
    const at = opts.now ?? new Date();
    // Step 5: the closing time, in this transaction.
    const followup = await recordFollowupOfTransition(tx, c, opts.to, { actor: opts.actor, at, workflow: sla.workflow });
    // Acknowledging is the first human contact: it stops the acknowledgement clock.
    const acknowledgedAt = c.acknowledgedAt ?? (opts.to === 'acknowledged' ? at : null);
    await tx.execute(sql`update complaints set status = ${opts.to}, acknowledged_at = ${acknowledgedAt?.toISOString() ?? null}
      where id = ${c.id}`);
    const { clocks, changed } = applyClockActions(c.clocks, clockActionsForTransition(c.status, opts.to, sla.policy), at, sla);
    await saveClocks(tx, c.id, clocks, sla);
    const reason = opts.reason === undefined ? undefined : withoutCardNumbers(opts.reason.trim()) || undefined;
    let head = c.status === 'proposed' || TERMINAL_STATUSES.includes(opts.to) ? await withdrawOpenProposals(tx, c, opts.actor, at, `status_${opts.to}`) : c;
    if (!resolutionRunning(opts.to)) head = await cancelOpenInformationRequests(tx, head, opts.actor, at, `status_${opts.to}`);
    await appendEvent(
      tx,
      head,
      opts.actor,
      'status.changed',
      {
        from: c.status,
        to: opts.to,
        ...(reason ? { reason } : {}),
        ...(into ? { mergedInto: into.code, sameCustomer } : {}),
        ...(changed.length ? { clocks: changed } : {}),
        ...followup,
      },
      at,
    );
    // The complaint that carries on says what was merged into it.
    if (into) await appendEvent(tx, into, opts.actor, 'complaint.merged_in', { from: c.code, sameCustomer, ...(reason ? { reason } : {}) }, at);
    if (opts.mail && (opts.to === 'merged' || opts.to === 'withdrawn')) {
      await mailCustomerOfEnding(tx, { complaint: c, to: opts.to, reason, into, sameCustomer, at, sla, mail: opts.mail });
    }
    return { from: c.status, to: opts.to };
  });
}

/** The complaint a merge goes into, locked: it must exist and still be open to carry the duplicate on. */
async function lockMergeTarget(tx: Tx, code: string): Promise<LockedComplaint> {
  let target: LockedComplaint;
  try {
    target = await lockComplaint(tx, code);
  } catch (err) {
    if (err instanceof AppError && err.code === 'complaint_not_found') {
      throw new AppError('validation_failed', { fields: [{ field: 'mergedInto', code: 'not_found' }] });
    }
    throw err;
  }
  if (TERMINAL_STATUSES.includes(target.status)) {
    throw new AppError('validation_failed', { fields: [{ field: 'mergedInto', code: 'target_closed' }] });
  }
  return target;
}

/**
 * Tells the customer (when they gave an email) that their complaint was withdrawn as they asked, or
 * merged — and then, when the complaint that carries on is also theirs, where to follow it.
 */
async function mailCustomerOfEnding(
  tx: Tx,
  o: {
    complaint: LockedComplaint;
    to: 'merged' | 'withdrawn';
    reason?: string;
    into: LockedComplaint | null;
    sameCustomer: boolean;
    at: Date;
    sla: SlaContext;
    mail: CustomerMailSettings;
  },
): Promise<void> {
  const customer = await customerOf(tx, o.complaint.id);
  if (!customer.email) return;
  const sameCustomer = o.into !== null && o.sameCustomer;
  const message = complaintEndedMail({
    to: customer.email,
    customerName: customer.name,
    code: o.complaint.code,
    subject: customer.subject,
    ending: o.to,
    reason: o.reason ?? null,
    mergedInto: sameCustomer ? o.into!.code : null,
    statusUrl: mailedStatusUrlOf(o.mail.baseUrl, sameCustomer ? o.into!.code : o.complaint.code, customer.email, o.at, o.sla, customer.language),
    companyName: o.mail.companyName,
    locale: customer.language,
  });
  await queueCustomerMail(tx, o.complaint.id, message, `complaint-${o.to}:${o.complaint.id}`, o.mail.baseUrl);
}
