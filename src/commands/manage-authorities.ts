import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AUTHORITY_KINDS, findAuthority, type AuthorityRow } from '../db/queries/resolution';
import { isUuid } from '../domain/ids';
import { AppError, type FieldError } from '../domain/errors';
import { normalizeEmail } from '../domain/contacts';
import { inTransaction, type Tx } from './transaction';

export interface AuthorityInput {
  kind: string;
  name: string;
  province?: string | null;
  address?: string | null;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
  active?: boolean;
}

type Clean = Partial<Omit<AuthorityInput, 'active'>> & { active?: boolean };

/** Checks and trims what an admin typed; empty optional text becomes null. */
function check(input: Partial<AuthorityInput>, creating: boolean): Clean {
  const fields: FieldError[] = [];
  const out: Clean = {};
  if (input.kind !== undefined || creating) {
    if (!input.kind || !(AUTHORITY_KINDS as readonly string[]).includes(input.kind)) fields.push({ field: 'kind', code: input.kind ? 'invalid_value' : 'required' });
    else out.kind = input.kind;
  }
  if (input.name !== undefined || creating) {
    const name = input.name?.trim() ?? '';
    if (!name) fields.push({ field: 'name', code: 'required' });
    else out.name = name;
  }
  for (const k of ['province', 'address', 'phone'] as const) {
    if (input[k] !== undefined) out[k] = input[k]?.trim() || null;
  }
  if (input.email !== undefined) {
    const raw = input.email?.trim() || null;
    const email = raw ? normalizeEmail(raw) : null;
    if (raw && !email) fields.push({ field: 'email', code: 'email_invalid' });
    out.email = email;
  }
  if (input.website !== undefined) {
    const w = input.website?.trim() || null;
    if (w && !/^https?:\/\/[^\s/]+/i.test(w)) fields.push({ field: 'website', code: 'invalid_value' });
    out.website = w;
  }
  if (input.active !== undefined) out.active = input.active;
  if (fields.length) throw new AppError('validation_failed', { fields });
  return out;
}

/** The same name twice (ignoring case) would make the directory ambiguous. */
async function assertUniqueName(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const r = await tx.execute(sql`
    select 1 from authorities where lower(name) = lower(${name}) ${exceptId ? sql`and id <> ${exceptId}` : sql``} limit 1`);
  if (r.rows.length) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'duplicate' }] });
}

/** Thêm cơ quan — adds an authority to the directory (admin). */
export async function createAuthority(opts: { database: Database; input: AuthorityInput }): Promise<AuthorityRow> {
  const v = check(opts.input, true);
  const id = await inTransaction(opts.database, async (tx) => {
    await assertUniqueName(tx, v.name!);
    const r = await tx.execute<{ id: string }>(sql`
      insert into authorities (kind, name, province, address, email, phone, website, active)
      values (${v.kind!}, ${v.name!}, ${v.province ?? null}, ${v.address ?? null}, ${v.email ?? null}, ${v.phone ?? null},
              ${v.website ?? null}, ${v.active ?? true})
      returning id`);
    return r.rows[0].id;
  });
  return (await findAuthority(opts.database.db, id))!;
}

/**
 * Sửa cơ quan — changes an entry of the directory (admin). Entries are never deleted, since
 * escalations refer to them; `active: false` takes one out of the list agents pick from.
 */
export async function updateAuthority(opts: { database: Database; id: string; patch: Partial<AuthorityInput> }): Promise<AuthorityRow> {
  if (!isUuid(opts.id)) throw new AppError('authority_not_found');
  const v = check(opts.patch, false);
  await inTransaction(opts.database, async (tx) => {
    const r = await tx.execute(sql`select 1 from authorities where id = ${opts.id} for update`);
    if (!r.rows.length) throw new AppError('authority_not_found');
    if (v.name) await assertUniqueName(tx, v.name, opts.id);
    const sets = Object.entries({
      kind: v.kind,
      name: v.name,
      province: v.province,
      address: v.address,
      email: v.email,
      phone: v.phone,
      website: v.website,
      active: v.active,
    })
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
    if (sets.length) await tx.execute(sql`update authorities set ${sql.join(sets, sql`, `)} where id = ${opts.id}`);
  });
  return (await findAuthority(opts.database.db, opts.id))!;
}
