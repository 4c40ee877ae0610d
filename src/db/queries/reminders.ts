import { sql } from 'drizzle-orm';
import { normalizeComplaintCode } from '../../domain/codes';
import { AppError } from '../../domain/errors';
import type { Database } from '../open';

/** A staff member's reminder as they read it: on which complaint, when, and their line to themselves. */
export interface Reminder {
  id: string;
  code: string;
  subject: string;
  status: string;
  at: string;
  note: string;
  createdAt: string;
  /** When Sen told them; null while it waits. */
  firedAt: string | null;
  /** Hẹn gọi lại: the call back they promised the customer with a contact they logged (kept by the next contact). */
  callBack: boolean;
}

const iso = (v: unknown): string => new Date(v as string).toISOString();

export function toReminder(r: Record<string, unknown>): Reminder {
  return {
    id: r.id as string,
    code: r.code as string,
    subject: r.subject as string,
    status: r.status as string,
    at: iso(r.remind_at),
    note: r.note as string,
    createdAt: iso(r.created_at),
    firedAt: r.fired_at == null ? null : iso(r.fired_at),
    callBack: r.call_back === true,
  };
}

/** How long a reminder that went off stays on the member's list ("đã nhắc"), after which only its notification remains. */
const RECENT_DAYS = 7;

/**
 * A member's reminders: those waiting, soonest first, and those told in the last week, latest first; on one
 * complaint when its `code` is given (404 when there is none). Nobody else's.
 */
export async function listReminders(
  database: Database,
  staffId: string,
  opts: { code?: string } = {},
): Promise<{ items: Reminder[]; recent: Reminder[] }> {
  let one = sql``;
  if (opts.code !== undefined) {
    const c = await database.db.execute<{ id: string }>(sql`select id from complaints where code = ${normalizeComplaintCode(opts.code)}`);
    if (!c.rows[0]) throw new AppError('complaint_not_found');
    one = sql`and r.complaint_id = ${c.rows[0].id}`;
  }
  const r = await database.db.execute<Record<string, unknown>>(sql`
    select r.id, c.code, c.subject, c.status, r.remind_at, r.note, r.created_at, r.fired_at, r.call_back
    from reminders r join complaints c on c.id = r.complaint_id
    where r.staff_id = ${staffId} ${one}
      and (r.fired_at is null or r.fired_at > now() - ${RECENT_DAYS}::int * interval '1 day')
    order by r.remind_at, r.id limit 200`);
  const all = r.rows.map(toReminder);
  return { items: all.filter((x) => !x.firedAt), recent: all.filter((x) => x.firedAt).reverse().slice(0, 20) };
}

/**
 * The soonest reminder `staffId` is waiting for on each of these complaints (the queue's page: one statement for its
 * rows), by complaint id.
 */
export async function nextRemindersOf(database: Database, staffId: string, complaintIds: string[]): Promise<Map<string, Date>> {
  if (!complaintIds.length) return new Map();
  const r = await database.db.execute<{ complaint_id: string; at: Date | string }>(sql`
    select complaint_id, min(remind_at) as at from reminders
    where staff_id = ${staffId} and fired_at is null and complaint_id = any(${`{${complaintIds.join(',')}}`}::uuid[])
    group by complaint_id`);
  return new Map(r.rows.map((row) => [row.complaint_id, new Date(row.at)]));
}

/** How many reminders `staffId` has waiting (MAX_PENDING_REMINDERS is the most). */
export async function pendingReminderCount(database: Database, staffId: string): Promise<number> {
  const n = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from reminders where staff_id = ${staffId} and fired_at is null`);
  return n.rows[0]?.n ?? 0;
}

/** A call back promised on a complaint and not yet kept: when, and who promised it. */
export interface PromisedCallBack {
  at: string;
  staffId: string;
  staffName: string;
}

/**
 * The call backs promised on a complaint and not yet kept (a contact logged since removes them), soonest first:
 * its page shows them to everyone who handles it, not only to whoever promised.
 */
export async function callBacksOf(database: Database, complaintId: string): Promise<PromisedCallBack[]> {
  const r = await database.db.execute<{ remind_at: string | Date; staff_id: string; name: string }>(sql`
    select r.remind_at, r.staff_id, s.name from reminders r join staff_users s on s.id = r.staff_id
    where r.complaint_id = ${complaintId} and r.call_back order by r.remind_at limit 5`);
  return r.rows.map((row) => ({ at: iso(row.remind_at), staffId: row.staff_id, staffName: row.name }));
}
