import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { toAppError } from '../db/errors';

/** Đánh dấu đã đọc — marks one (or every) notification of a staff member as read; others' stay untouched. */
export async function markNotificationsRead(opts: { database: Database; staffId: string; id?: number }): Promise<number> {
  try {
    const r = await opts.database.db.execute(sql`
      update notifications set read_at = now()
      where staff_id = ${opts.staffId} and read_at is null ${opts.id !== undefined ? sql`and id = ${opts.id}` : sql``}`);
    return r.rowCount ?? 0;
  } catch (err) {
    throw toAppError(err);
  }
}
