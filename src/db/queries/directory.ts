import { sql } from 'drizzle-orm';
import type { Database } from '../open';
import { toAppError } from '../errors';
import { normalizeEmail, normalizePhone } from '../../domain/contacts';
import type { Language } from '../../domain/vocabulary';

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

/** Staff by name (active ones only unless asked; active first), of the given roles and/or team when asked. */
export async function listStaff(database: Database, filter: { roles?: readonly string[]; teamId?: string; includeInactive?: boolean } = {}) {
  const where = [filter.includeInactive ? sql`true` : sql`active`];
  if (filter.roles?.length) where.push(sql`role in (${sql.join(filter.roles.map((r) => sql`${r}`), sql`, `)})`);
  if (filter.teamId) where.push(sql`team_id = ${filter.teamId}`);
  const r = await rows(
    database,
    sql`select id, name, email, role, team_id, active, language, created_at from staff_users where ${sql.join(where, sql` and `)} order by active desc, name`,
  );
  return r.map((u) => ({
    id: u.id as string,
    name: u.name as string,
    email: u.email as string,
    role: u.role as string,
    teamId: u.team_id as string | null,
    active: u.active as boolean,
    language: u.language as Language,
    createdAt: new Date(u.created_at as string | Date).toISOString(),
  }));
}

export async function listTeams(database: Database) {
  const r = await rows(database, sql`select id, name from teams order by name`);
  return r.map((t) => ({ id: t.id as string, name: t.name as string }));
}

/** A staff account's audit trail, newest first, with who did each change. */
export async function listAccountEvents(database: Database, userId: string) {
  const r = await rows(
    database,
    sql`select e.id, e.kind, e.payload, e.at, e.actor_id, a.name as actor_name from staff_account_events e
        left join staff_users a on a.id = e.actor_id where e.user_id = ${userId} order by e.id desc limit 500`,
  );
  return r.map((e) => ({
    id: Number(e.id),
    kind: e.kind as string,
    payload: e.payload as Record<string, unknown>,
    at: new Date(e.at as string | Date).toISOString(),
    actor: e.actor_id ? { id: e.actor_id as string, name: e.actor_name as string } : null,
  }));
}

/** A staff member's API tokens (never the token itself: only its hash is stored). */
export async function listApiTokens(database: Database, userId: string) {
  const r = await rows(
    database,
    sql`select id, name, created_at, last_used_at, revoked_at from api_tokens where user_id = ${userId} order by created_at desc`,
  );
  return r.map((t) => ({
    id: t.id as string,
    name: t.name as string,
    createdAt: new Date(t.created_at as string | Date).toISOString(),
    lastUsedAt: t.last_used_at ? new Date(t.last_used_at as string | Date).toISOString() : null,
    revokedAt: t.revoked_at ? new Date(t.revoked_at as string | Date).toISOString() : null,
  }));
}
