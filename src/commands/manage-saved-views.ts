import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { toSavedView, type SavedView } from '../db/queries/saved-views';
import { AppError } from '../domain/errors';
import { checkSavedView, MAX_SAVED_VIEWS } from '../domain/saved-views';
import { inTransaction } from './transaction';

/**
 * Lưu bộ lọc — a staff member names the queue's filters as they are. A name already theirs is refused (the field
 * says so), and so is one more than MAX_SAVED_VIEWS; views are nobody else's to see or change.
 */
export async function saveView(opts: { database: Database; staffId: string; input: { name: string; query: string } }): Promise<SavedView> {
  const v = checkSavedView(opts.input);
  return inTransaction(opts.database, async (tx) => {
    // Their row locked: two saves at once cannot both pass the count.
    await tx.execute(sql`select 1 from staff_users where id = ${opts.staffId} for update`);
    const n = await tx.execute<{ n: number }>(sql`select count(*)::int as n from saved_views where staff_id = ${opts.staffId}`);
    if ((n.rows[0]?.n ?? 0) >= MAX_SAVED_VIEWS) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'too_many_views' }] });
    const r = await tx.execute<Record<string, unknown>>(sql`
      insert into saved_views (staff_id, name, query) values (${opts.staffId}, ${v.name}, ${v.query})
      on conflict (staff_id, name) do nothing returning id, name, query, created_at`);
    if (!r.rows[0]) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'view_name_taken' }] });
    return toSavedView(r.rows[0]);
  });
}

/** Xoá bộ lọc — one of one's own views; another's, or none, is 404. */
export async function deleteView(opts: { database: Database; staffId: string; id: string }): Promise<void> {
  const r = await opts.database.db.execute(
    sql`delete from saved_views where id::text = ${opts.id} and staff_id = ${opts.staffId} returning id`,
  );
  if (!r.rows.length) throw new AppError('not_found');
}
