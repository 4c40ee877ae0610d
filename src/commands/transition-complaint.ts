import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import { checkTransition, type Status } from '../domain/lifecycle';
import { nearestDue } from '../domain/sla';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';

export interface TransitionComplaintOptions {
  database: Database;
  actor: Actor;
  code: string;
  to: Status;
  reason?: string;
  now?: Date;
}

/** Chuyển trạng thái — moves a complaint along the lifecycle, refusing any move the lifecycle forbids. */
export async function transitionComplaint(opts: TransitionComplaintOptions): Promise<{ from: Status; to: Status }> {
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
    // Acknowledging is the first human contact: it stops the acknowledgement clock.
    const acknowledgedAt = c.acknowledgedAt ?? (opts.to === 'acknowledged' ? at : null);
    const sortDue = nearestDue({ ...c, status: opts.to });
    await tx.execute(sql`update complaints set status = ${opts.to}, acknowledged_at = ${acknowledgedAt?.toISOString() ?? null},
      sort_due = ${sortDue} where id = ${c.id}`);
    const reason = opts.reason?.trim();
    await appendEvent(tx, c, opts.actor, 'status.changed', { from: c.status, to: opts.to, ...(reason ? { reason } : {}) }, at);
    return { from: c.status, to: opts.to };
  });
}
