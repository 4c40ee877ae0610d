import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import { normalizeComplaintCode } from '../domain/codes';
import { orderViewers, presenceLifeMs, type PresenceActivity } from '../domain/presence';
import { inTransaction } from './transaction';

export interface Viewer {
  id: string;
  name: string;
  activity: PresenceActivity;
  /** Their last heartbeat. */
  seenAt: Date;
}

/**
 * Đang xem / đang trả lời — a staff member's heartbeat on a complaint they have open, and who else is on it.
 * Presence is not a change of the complaint: no timeline event, and nothing kept once it is stale (their own
 * rows older than an hour go at each heartbeat).
 */
export async function markPresence(opts: {
  database: Database;
  staffId: string;
  code: string;
  activity: PresenceActivity;
  heartbeatMs: number;
}): Promise<Viewer[]> {
  return inTransaction(opts.database, async (tx) => {
    const c = await tx.execute<{ id: string }>(sql`select id from complaints where code = ${normalizeComplaintCode(opts.code)}`);
    const complaintId = c.rows[0]?.id;
    if (!complaintId) throw new AppError('complaint_not_found');
    await tx.execute(sql`
      insert into complaint_viewers (complaint_id, staff_id, activity, seen_at) values (${complaintId}, ${opts.staffId}, ${opts.activity}, now())
      on conflict (complaint_id, staff_id) do update set activity = excluded.activity, seen_at = excluded.seen_at`);
    await tx.execute(sql`delete from complaint_viewers where staff_id = ${opts.staffId} and seen_at < now() - interval '1 hour'`);
    const others = await tx.execute<{ id: string; name: string; activity: PresenceActivity; seen_at: Date }>(sql`
      select s.id, s.name, v.activity, v.seen_at from complaint_viewers v join staff_users s on s.id = v.staff_id
      where v.complaint_id = ${complaintId} and v.staff_id <> ${opts.staffId} and s.active
        and v.seen_at > now() - ${presenceLifeMs(opts.heartbeatMs)}::int * interval '1 millisecond'`);
    return orderViewers(others.rows.map((r) => ({ id: r.id, name: r.name, activity: r.activity, seenAt: new Date(r.seen_at) })));
  });
}

/**
 * Who has each of these complaints open now (the queue's page: one statement for its rows), but `exceptStaffId`:
 * by complaint id, writers first.
 */
export async function viewersOf(
  database: Database,
  complaintIds: string[],
  opts: { heartbeatMs: number; exceptStaffId: string },
): Promise<Map<string, Viewer[]>> {
  const out = new Map<string, Viewer[]>();
  if (!complaintIds.length) return out;
  const r = await database.db.execute<{ complaint_id: string; id: string; name: string; activity: PresenceActivity; seen_at: Date }>(sql`
    select v.complaint_id, s.id, s.name, v.activity, v.seen_at from complaint_viewers v join staff_users s on s.id = v.staff_id
    where v.complaint_id = any(${`{${complaintIds.join(',')}}`}::uuid[]) and v.staff_id <> ${opts.exceptStaffId} and s.active
      and v.seen_at > now() - ${presenceLifeMs(opts.heartbeatMs)}::int * interval '1 millisecond'`);
  for (const row of r.rows) {
    const list = out.get(row.complaint_id) ?? [];
    list.push({ id: row.id, name: row.name, activity: row.activity, seenAt: new Date(row.seen_at) });
    out.set(row.complaint_id, list);
  }
  for (const [id, list] of out) out.set(id, orderViewers(list));
  return out;
}

/** Leaving the complaint (the page closed): colleagues stop seeing them at once rather than a minute later. */
export async function leavePresence(opts: { database: Database; staffId: string; code: string }): Promise<void> {
  await opts.database.db.execute(sql`
    delete from complaint_viewers where staff_id = ${opts.staffId}
      and complaint_id = (select id from complaints where code = ${normalizeComplaintCode(opts.code)})`);
}
