import { sql } from 'drizzle-orm';
import { AppError } from '../domain/errors';
import { normalizeComplaintCode } from '../domain/codes';
import { clocksFromJson, type Clocks } from '../domain/clocks';
import type { Status } from '../domain/lifecycle';
import type { Tx } from './transaction';

export interface LockedComplaint {
  id: string;
  code: string;
  status: Status;
  assigneeId: string | null;
  teamId: string | null;
  categoryId: string | null;
  priority: string;
  acknowledgedAt: Date | null;
  acknowledgementDueAt: Date;
  resolutionDueAt: Date;
  clocks: Clocks;
  receivedAt: Date;
  eventCount: number;
  lastEventHash: string;
}

/** Loads a complaint by code (typed in any case) and locks its row for the rest of the transaction. */
export async function lockComplaint(tx: Tx, code: string): Promise<LockedComplaint> {
  const r = await tx.execute<Record<string, unknown>>(sql`
    select id, code, status, assignee_id, team_id, category_id, priority, acknowledged_at,
           acknowledgement_due_at, resolution_due_at, clocks, received_at, event_count, last_event_hash, customer_id
    from complaints where code = ${normalizeComplaintCode(code)} for update`);
  const row = r.rows[0];
  if (!row) throw new AppError('complaint_not_found');
  // An erased customer's complaints stay as they are: nothing new about them is recorded. Read in a statement
  // of its own, after the lock: one that waited for an erasure's lock would still see the customer as before.
  const erased = await tx.execute(sql`select 1 from customers where id = ${row.customer_id as string} and anonymised_at is not null`);
  if (erased.rows.length) throw new AppError('customer_anonymised');
  return lockedFromRow(row);
}

/** Reads a locked complaint from a row of `complaints` (as the SLA sweep and recomputation select them). */
export function lockedFromRow(row: Record<string, unknown>): LockedComplaint {
  return {
    id: row.id as string,
    code: row.code as string,
    status: row.status as Status,
    assigneeId: row.assignee_id as string | null,
    teamId: row.team_id as string | null,
    categoryId: row.category_id as string | null,
    priority: row.priority as string,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at as string) : null,
    acknowledgementDueAt: new Date(row.acknowledgement_due_at as string),
    resolutionDueAt: new Date(row.resolution_due_at as string),
    clocks: clocksFromJson(row.clocks),
    receivedAt: new Date(row.received_at as string),
    eventCount: row.event_count as number,
    lastEventHash: row.last_event_hash as string,
  };
}
