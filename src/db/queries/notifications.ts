import { sql } from 'drizzle-orm';
import type { Database } from '../open';
import { toAppError } from '../errors';

export interface NotificationRow {
  id: number;
  kind: string;
  complaintCode: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

/** A staff member's notifications, newest first, and how many are unread. */
export async function listNotifications(
  database: Database,
  staffId: string,
  opts: { unreadOnly: boolean; limit: number },
): Promise<{ items: NotificationRow[]; unread: number }> {
  try {
    const items = await database.db.execute<Record<string, unknown>>(sql`
      select n.id, n.kind, c.code, n.payload, n.created_at, n.read_at from notifications n
      left join complaints c on c.id = n.complaint_id
      where n.staff_id = ${staffId} ${opts.unreadOnly ? sql`and n.read_at is null` : sql``}
      order by n.id desc limit ${opts.limit}`);
    const count = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from notifications where staff_id = ${staffId} and read_at is null`,
    );
    return {
      items: items.rows.map((r) => ({
        id: Number(r.id),
        kind: r.kind as string,
        complaintCode: (r.code as string | null) ?? null,
        payload: r.payload as Record<string, unknown>,
        createdAt: new Date(r.created_at as string).toISOString(),
        readAt: r.read_at ? new Date(r.read_at as string).toISOString() : null,
      })),
      unread: count.rows[0].n,
    };
  } catch (err) {
    throw toAppError(err);
  }
}
