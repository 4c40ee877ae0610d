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

export interface TransitionComplaintOptions {
  database: Database;
  actor: Actor;
  code: string;
  to: Status;
  reason?: string;
  now?: Date;
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
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
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
    const reason = opts.reason === undefined ? undefined : withoutCardNumbers(opts.reason.trim());
    let head = c.status === 'proposed' || TERMINAL_STATUSES.includes(opts.to) ? await withdrawOpenProposals(tx, c, opts.actor, at, `status_${opts.to}`) : c;
    if (!resolutionRunning(opts.to)) head = await cancelOpenInformationRequests(tx, head, opts.actor, at, `status_${opts.to}`);
    await appendEvent(
      tx,
      head,
      opts.actor,
      'status.changed',
      { from: c.status, to: opts.to, ...(reason ? { reason } : {}), ...(changed.length ? { clocks: changed } : {}), ...followup },
      at,
    );
    return { from: c.status, to: opts.to };
  });
}
