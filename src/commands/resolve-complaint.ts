import { sql } from 'drizzle-orm';
import { AppError } from '../domain/errors';
import type { Status } from '../domain/lifecycle';
import type { WorkflowPolicy } from '../domain/workflow';
import type { Actor } from './actor';
import type { LockedComplaint } from './load';
import { activeRootCause } from './manage-root-causes';
import { scheduleSurvey, withdrawUnsentSurveys } from './schedule-survey';
import type { Tx } from './transaction';

/**
 * What step 5 adds to a status change, inside the transition's transaction and row lock, before the
 * status is written:
 * - to `resolved` (giải quyết xong): a root cause is required — given now, or recorded earlier; a
 *   customer accepting a proposal is not asked for one (staff record it). Sets resolved_at and
 *   schedules this resolution's satisfaction survey (one per resolution, also after a reopen);
 * - to `closed`: sets closed_at;
 * - to `reopened`: counts the reopening and withdraws the unsent survey of the resolution reopened.
 * Returns the fields to add to the `status.changed` event (the root cause, the survey's schedule).
 */
export async function recordFollowupOfTransition(
  tx: Tx,
  c: Pick<LockedComplaint, 'id'>,
  to: Status,
  opts: { actor: Actor; rootCauseId?: string; at: Date; workflow: WorkflowPolicy },
): Promise<Record<string, unknown>> {
  const extra: Record<string, unknown> = {};
  const r = await tx.execute<{ root_cause_id: string | null; reopen_count: number }>(sql`
    select root_cause_id, reopen_count from complaints where id = ${c.id}`);
  const current = r.rows[0];
  let rootCauseId = current?.root_cause_id ?? null;
  if (opts.rootCauseId && opts.rootCauseId !== rootCauseId) {
    const cause = await activeRootCause(tx, opts.rootCauseId);
    await tx.execute(sql`update complaints set root_cause_id = ${cause.id} where id = ${c.id}`);
    extra.rootCause = { id: cause.id, name: cause.name, nameEn: cause.nameEn };
    rootCauseId = cause.id;
  }
  if (to === 'resolved') {
    if (!rootCauseId && opts.actor.kind !== 'customer') {
      throw new AppError('validation_failed', { fields: [{ field: 'rootCauseId', code: 'required' }] });
    }
    // The n-th resolution of a complaint reopened n−1 times: its survey's number.
    const resolutionNo = Number(current?.reopen_count ?? 0) + 1;
    await tx.execute(sql`update complaints set resolved_at = ${opts.at.toISOString()}, closed_at = null where id = ${c.id}`);
    const survey = await scheduleSurvey(tx, { complaintId: c.id, resolutionNo, resolvedAt: opts.at, workflow: opts.workflow });
    extra.survey = { resolutionNo, sendAfter: survey.sendAfter.toISOString() };
  }
  if (to === 'closed') await tx.execute(sql`update complaints set closed_at = ${opts.at.toISOString()} where id = ${c.id}`);
  if (to === 'reopened') {
    // Reopened by hand through the lifecycle (the reopen action does the same and moves on to investigating).
    const n = await tx.execute<{ reopen_count: number }>(sql`
      update complaints set reopen_count = reopen_count + 1, closed_at = null where id = ${c.id} returning reopen_count`);
    await withdrawUnsentSurveys(tx, c.id);
    extra.reopenCount = Number(n.rows[0]?.reopen_count ?? 0);
  }
  return extra;
}
