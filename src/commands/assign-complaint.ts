import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError, type FieldError } from '../domain/errors';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';

export interface AssignComplaintOptions {
  database: Database;
  actor: Actor;
  code: string;
  /** undefined leaves the value as it is; null clears it. */
  assigneeId?: string | null;
  teamId?: string | null;
}

/**
 * Refuses (422, field by field) an assignee who is not an active staff member who handles complaints, or a team that
 * does not exist.
 */
export async function checkAssignTargets(tx: Tx | Database['db'], opts: Pick<AssignComplaintOptions, 'assigneeId' | 'teamId'>): Promise<void> {
  const fields: FieldError[] = [];
  if (opts.assigneeId) {
    const r = await tx.execute(sql`select 1 from staff_users where id = ${opts.assigneeId} and active and role <> 'auditor'`);
    if (!r.rowCount) fields.push({ field: 'assigneeId', code: 'not_found' });
  }
  if (opts.teamId) {
    const r = await tx.execute(sql`select 1 from teams where id = ${opts.teamId}`);
    if (!r.rowCount) fields.push({ field: 'teamId', code: 'not_found' });
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
}

/** Phân công — gives a complaint to a staff member and/or a team. False when it already had them (no event). */
export async function assignComplaint(opts: AssignComplaintOptions): Promise<boolean> {
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    await checkAssignTargets(tx, opts);
    const assigneeId = opts.assigneeId === undefined ? c.assigneeId : opts.assigneeId;
    const teamId = opts.teamId === undefined ? c.teamId : opts.teamId;
    if (assigneeId === c.assigneeId && teamId === c.teamId) return false;
    await tx.execute(sql`update complaints set assignee_id = ${assigneeId}, team_id = ${teamId} where id = ${c.id}`);
    await appendEvent(tx, c, opts.actor, 'assignment.changed', {
      assigneeId,
      teamId,
      previousAssigneeId: c.assigneeId,
      previousTeamId: c.teamId,
    });
    return true;
  });
}
