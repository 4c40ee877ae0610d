import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import { checkTransition, type Status } from '../domain/lifecycle';
import { clockActionsForTransition } from '../domain/clocks';
import { loadSlaContext } from '../db/queries/settings';
import { applyClockActions, saveClocks } from './clock-store';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { recordFollowupOfTransition } from './resolve-complaint';

export interface TransitionComplaintOptions {
  database: Database;
  actor: Actor;
  code: string;
  to: Status;
  reason?: string;
  /** Nguyên nhân gốc: required to resolve unless the complaint already has one. */
  rootCauseId?: string;
  now?: Date;
}

/** Chuyển trạng thái — moves a complaint along the lifecycle, refusing any move the lifecycle forbids. */
export async function transitionComplaint(opts: TransitionComplaintOptions): Promise<{ from: Status; to: Status }> {
  const sla = await loadSlaContext(opts.database);
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const check = checkTransition(c.status, opts.to, opts.actor.kind, opts.reason);
    if (!check.ok) {
      if (check.reason === 'reason_required') {
        throw new AppError('validation_failed', { fields: [{ field: 'reason', code: 'reason_required' }] });
      }
      throw new AppError(check.reason, { allowed: check.allowed });
    }
    const at = opts.now ?? new Date();
    // Step 5: root cause, resolved/closed times and the survey, in this transaction.
    const followup = await recordFollowupOfTransition(tx, c, opts.to, { actor: opts.actor, rootCauseId: opts.rootCauseId, at, workflow: sla.workflow });
    // Acknowledging is the first human contact: it stops the acknowledgement clock.
    const acknowledgedAt = c.acknowledgedAt ?? (opts.to === 'acknowledged' ? at : null);
    await tx.execute(sql`update complaints set status = ${opts.to}, acknowledged_at = ${acknowledgedAt?.toISOString() ?? null}
      where id = ${c.id}`);
    const { clocks, changed } = applyClockActions(c.clocks, clockActionsForTransition(c.status, opts.to, sla.policy), at, sla);
    await saveClocks(tx, c.id, clocks, sla);
    const reason = opts.reason?.trim();
    await appendEvent(
      tx,
      c,
      opts.actor,
      'status.changed',
      { from: c.status, to: opts.to, ...(reason ? { reason } : {}), ...(changed.length ? { clocks: changed } : {}), ...followup },
      at,
    );
    return { from: c.status, to: opts.to };
  });
}
