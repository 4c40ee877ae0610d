import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { isUuid } from '../domain/ids';

/** Nguyên nhân gốc — one entry of the root-cause taxonomy. */
export interface RootCause {
  id: string;
  slug: string | null;
  name: string;
  nameEn: string | null;
  active: boolean;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function fromRow(r: { id: string; slug: string | null; name: string; name_en: string | null; active: boolean }): RootCause {
  return { id: r.id, slug: r.slug, name: r.name, nameEn: r.name_en, active: r.active };
}

/**
 * The active root cause `id`, read in the caller's transaction; a field error on `field` when it
 * does not exist or was retired (so a resolution never points at a cause nobody can pick any more).
 */
export async function activeRootCause(tx: Tx, id: string, field = 'rootCauseId'): Promise<RootCause> {
  if (!isUuid(id)) throw new AppError('validation_failed', { fields: [{ field, code: 'invalid_value' }] });
  const r = await tx.execute<{ id: string; slug: string | null; name: string; name_en: string | null; active: boolean }>(sql`
    select id, slug, name, name_en, active from root_causes where id = ${id}`);
  const row = r.rows[0];
  if (!row || !row.active) throw new AppError('validation_failed', { fields: [{ field, code: 'not_found' }] });
  return fromRow(row);
}

/** Thêm nguyên nhân gốc — adds a root cause to the taxonomy (admin). */
export async function createRootCause(opts: { database: Database; name: string; nameEn?: string; slug?: string }): Promise<RootCause> {
  const name = opts.name.trim();
  const slug = opts.slug?.trim() || null;
  if (!name) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'required' }] });
  if (slug && !SLUG.test(slug)) throw new AppError('validation_failed', { fields: [{ field: 'slug', code: 'invalid_value' }] });
  return inTransaction(opts.database, async (tx) => {
    if (slug) {
      const taken = await tx.execute(sql`select 1 from root_causes where slug = ${slug}`);
      if (taken.rows.length) throw new AppError('validation_failed', { fields: [{ field: 'slug', code: 'duplicate' }] });
    }
    const r = await tx.execute<{ id: string; slug: string | null; name: string; name_en: string | null; active: boolean }>(sql`
      insert into root_causes (slug, name, name_en) values (${slug}, ${name}, ${opts.nameEn?.trim() || null})
      returning id, slug, name, name_en, active`);
    return fromRow(r.rows[0]);
  });
}

/** Sửa nguyên nhân gốc — renames or (de)activates a root cause; complaints keep theirs. */
export async function updateRootCause(opts: { database: Database; id: string; name?: string; nameEn?: string; active?: boolean }): Promise<RootCause> {
  if (opts.name !== undefined && !opts.name.trim()) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'required' }] });
  return inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<{ id: string; slug: string | null; name: string; name_en: string | null; active: boolean }>(sql`
      update root_causes set name = coalesce(${opts.name?.trim() ?? null}, name),
        name_en = coalesce(${opts.nameEn === undefined ? null : opts.nameEn.trim()}, name_en),
        active = coalesce(${opts.active ?? null}, active)
      where id = ${opts.id} returning id, slug, name, name_en, active`);
    if (!r.rows[0]) throw new AppError('root_cause_not_found');
    return fromRow(r.rows[0]);
  });
}

/**
 * Ghi nhận nguyên nhân gốc — records the root cause of a complaint (before or after it is resolved),
 * with a timeline event naming the cause; setting the same cause again changes nothing.
 */
export async function setComplaintRootCause(opts: {
  database: Database;
  actor: Actor;
  code: string;
  rootCauseId: string;
  now?: Date;
}): Promise<{ changed: boolean; rootCause: RootCause }> {
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const cause = await activeRootCause(tx, opts.rootCauseId);
    const r = await tx.execute<{ root_cause_id: string | null }>(sql`select root_cause_id from complaints where id = ${c.id}`);
    const previousId = r.rows[0]?.root_cause_id ?? null;
    if (previousId === cause.id) return { changed: false, rootCause: cause };
    await tx.execute(sql`update complaints set root_cause_id = ${cause.id} where id = ${c.id}`);
    await appendEvent(
      tx,
      c,
      opts.actor,
      'root_cause.set',
      { rootCause: { id: cause.id, name: cause.name, nameEn: cause.nameEn }, previousId },
      opts.now ?? new Date(),
    );
    return { changed: true, rootCause: cause };
  });
}
