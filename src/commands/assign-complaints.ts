import type { Database } from '../db/open';
import { normalizeComplaintCode } from '../domain/codes';
import { AppError, type ErrorCode } from '../domain/errors';
import type { Actor } from './actor';
import { assignComplaint, checkAssignTargets } from './assign-complaint';

export type BulkAssignResult =
  | { code: string; outcome: 'assigned' | 'unchanged' }
  /** Refused for this complaint alone (not found, its customer's data erased…); the others went on. */
  | { code: string; outcome: 'failed'; error: ErrorCode };

/**
 * Phân công hàng loạt — gives the complaints ticked in the queue to one staff member and/or team. The assignee and team
 * are checked first (a field error changes nothing); then each complaint is assigned as one would be by itself (its
 * own transaction and `assignment.changed` event), so that one that cannot be (a wrong code, an erased customer) is
 * reported without holding back the others. Running it again changes nothing more: a retry after a fault is safe.
 */
export async function assignComplaints(opts: {
  database: Database;
  actor: Actor;
  codes: string[];
  assigneeId?: string | null;
  teamId?: string | null;
}): Promise<BulkAssignResult[]> {
  if (opts.assigneeId === undefined && opts.teamId === undefined) {
    throw new AppError('validation_failed', { fields: [{ field: 'assigneeId', code: 'required' }] });
  }
  await checkAssignTargets(opts.database.db, opts);
  const results: BulkAssignResult[] = [];
  // One at a time, in the order given (the queue's); a code given twice (any spelling) is done once.
  for (const code of [...new Set(opts.codes.map(normalizeComplaintCode))]) {
    try {
      const changed = await assignComplaint({ database: opts.database, actor: opts.actor, code, assigneeId: opts.assigneeId, teamId: opts.teamId });
      results.push({ code, outcome: changed ? 'assigned' : 'unchanged' });
    } catch (err) {
      // A fault (the database gone) ends the run with a retryable answer; a refusal is this complaint's alone.
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      results.push({ code, outcome: 'failed', error: err.code });
    }
  }
  return results;
}
