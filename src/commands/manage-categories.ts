import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import { inTransaction, type Tx } from './transaction';

/**
 * A category a complaint is put in must exist and be in use: a deactivated one stays on the complaints
 * that have it, and no new complaint gets it (field error categoryId not_found / inactive).
 */
export async function requireUsableCategory(db: Pick<Tx, 'execute'>, id: string): Promise<void> {
  const r = await db.execute<{ active: boolean }>(sql`select active from categories where id::text = ${id}`);
  const row = r.rows[0];
  if (!row || !row.active) throw new AppError('validation_failed', { fields: [{ field: 'categoryId', code: row ? 'inactive' : 'not_found' }] });
}

/** Thêm danh mục — adds a category to the taxonomy. */
export async function createCategory(opts: { database: Database; name: string; nameEn?: string }) {
  const name = opts.name.trim();
  if (!name) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'required' }] });
  return inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<{ id: string }>(sql`insert into categories (name, name_en) values (${name}, ${opts.nameEn?.trim() || null}) returning id`);
    return { id: r.rows[0].id, name, nameEn: opts.nameEn?.trim() || null, active: true };
  });
}

/** Sửa danh mục — renames or (de)activates a category; complaints keep their category. */
export async function updateCategory(opts: { database: Database; id: string; name?: string; nameEn?: string; active?: boolean }) {
  if (opts.name !== undefined && !opts.name.trim()) {
    throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'required' }] });
  }
  return inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<{ id: string; name: string; name_en: string | null; active: boolean }>(sql`
      update categories set name = coalesce(${opts.name?.trim() ?? null}, name),
        name_en = coalesce(${opts.nameEn?.trim() ?? null}, name_en), active = coalesce(${opts.active ?? null}, active)
      where id = ${opts.id} returning id, name, name_en, active`);
    const row = r.rows[0];
    if (!row) throw new AppError('not_found');
    return { id: row.id, name: row.name, nameEn: row.name_en, active: row.active };
  });
}
