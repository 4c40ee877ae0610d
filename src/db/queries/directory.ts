import { sql } from 'drizzle-orm';
import type { Database } from '../open';
import { toAppError } from '../errors';
import { normalizeEmail, normalizePhone } from '../../domain/contacts';

async function rows(database: Database, q: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  try {
    return (await database.db.execute<Record<string, unknown>>(q)).rows;
  } catch (err) {
    throw toAppError(err);
  }
}

export interface CustomerRecord {
  id: string;
  name: string;
  phoneE164: string | null;
  email: string | null;
  /** The province given with their latest complaint that had one (null when none did). */
  province: string | null;
}

/** Finds a customer by a phone in any format or an email. */
export async function findCustomerByContact(
  database: Database,
  by: { phone?: string; email?: string },
): Promise<CustomerRecord | null> {
  const phone = by.phone ? normalizePhone(by.phone) : null;
  const email = by.email ? normalizeEmail(by.email) : null;
  if (!phone && !email) return null;
  const r = await rows(
    database,
    sql`select cu.id, cu.name, cu.phone_e164, cu.email,
          (select c.customer_province from complaints c where c.customer_id = cu.id and c.customer_province is not null
           order by c.received_at desc limit 1) as province
        from customers cu where ${phone ? sql`cu.phone_e164 = ${phone}` : sql`cu.email = ${email}`}`,
  );
  const c = r[0];
  return c
    ? {
        id: c.id as string,
        name: c.name as string,
        phoneE164: c.phone_e164 as string | null,
        email: c.email as string | null,
        province: (c.province as string | null) ?? null,
      }
    : null;
}

export async function listCategories(database: Database) {
  const r = await rows(database, sql`select id, slug, name, name_en, active from categories order by name`);
  return r.map((c) => ({
    id: c.id as string,
    slug: c.slug as string | null,
    name: c.name as string,
    nameEn: c.name_en as string | null,
    active: c.active as boolean,
  }));
}

/** Active staff by name, of the given roles and/or team when asked. */
export async function listStaff(database: Database, filter: { roles?: readonly string[]; teamId?: string } = {}) {
  const where = [sql`active`];
  if (filter.roles?.length) where.push(sql`role in (${sql.join(filter.roles.map((r) => sql`${r}`), sql`, `)})`);
  if (filter.teamId) where.push(sql`team_id = ${filter.teamId}`);
  const r = await rows(database, sql`select id, name, email, role, team_id from staff_users where ${sql.join(where, sql` and `)} order by name`);
  return r.map((u) => ({
    id: u.id as string,
    name: u.name as string,
    email: u.email as string,
    role: u.role as string,
    teamId: u.team_id as string | null,
  }));
}

export async function listTeams(database: Database) {
  const r = await rows(database, sql`select id, name from teams order by name`);
  return r.map((t) => ({ id: t.id as string, name: t.name as string }));
}
