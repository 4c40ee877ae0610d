import { sql } from 'drizzle-orm';
import type { SlaContext } from '../db/queries/settings';
import { clockActionsForTransition } from '../domain/clocks';
import { AppError } from '../domain/errors';
import { checkTransition } from '../domain/lifecycle';
import type { Actor } from './actor';
import { applyClockActions, saveClocks } from './clock-store';
import type { LockedComplaint } from './load';
import { appendEvent, type ComplaintHead } from './timeline';
import type { Tx } from './transaction';

/** Why a resolved complaint closed without a staff member closing it. */
export type CloseCause = 'survey_answered' | 'auto_close';

/**
 * Đóng khiếu nại — closes a resolved complaint inside the caller's transaction and row lock: status,
 * closed_at, the clocks (all already stopped at resolution), and a `status.changed` event saying why.
 * Sen itself closes it (the lifecycle lets the system close a resolved complaint) when the customer
 * answers the survey or when the follow-up period passes unanswered.
 */
export async function closeResolvedComplaint(
  tx: Tx,
  head: ComplaintHead,
  c: Pick<LockedComplaint, 'id' | 'status' | 'clocks'>,
  actor: Actor,
  cause: CloseCause,
  at: Date,
  sla: SlaContext,
): Promise<ComplaintHead> {
  const check = checkTransition(c.status, 'closed', actor.kind);
  if (!check.ok) throw new AppError(check.reason === 'reason_required' ? 'invalid_transition' : check.reason, { allowed: check.allowed });
  await tx.execute(sql`update complaints set status = 'closed', closed_at = ${at.toISOString()} where id = ${c.id}`);
  const { clocks, changed } = applyClockActions(c.clocks, clockActionsForTransition(c.status, 'closed', sla.policy), at, sla);
  await saveClocks(tx, c.id, clocks, sla);
  return appendEvent(tx, head, actor, 'status.changed', { from: c.status, to: 'closed', cause, ...(changed.length ? { clocks: changed } : {}) }, at);
}
