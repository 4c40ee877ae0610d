import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { normalizeEmail } from '../domain/contacts';
import { AppError, type FieldError } from '../domain/errors';
import { STAFF_ROLES, type StaffRole } from '../domain/lifecycle';
import { LANGUAGES, type Language } from '../domain/vocabulary';
import { inTransaction } from './transaction';
import { toAppError } from '../db/errors';
import { isUuid } from '../domain/ids';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../domain/staff-accounts';
import { checkSubject, FailureLedger } from '../db/queries/failed-checks';
import type { Tx } from './transaction';

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  teamId: string | null;
  /** The console's language for them and their mails' (SLA alerts). */
  language: Language;
  /** Thư tóm tắt: whether news of their complaints left unread is mailed to them. */
  mailDigest: boolean;
}

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, so not importable under isolatedModules)
const SESSION_DAYS = 7;
export { MIN_PASSWORD_LENGTH };

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}


// Verifying against a real hash when the email is unknown keeps the answer time the same.
const dummyHash = hashPassword('sen-dummy-password-for-timing');

/** Thêm nhân viên — creates a staff account. */
export async function addStaffUser(opts: {
  database: Database;
  email: string;
  name: string;
  role: string;
  password: string;
  teamId?: string | null;
  /** vi (the default) or en: the console's language for them and their mails'. */
  language?: string;
  /** The admin adding the account; none from the command line or at first start. */
  actorId?: string | null;
}): Promise<StaffUser> {
  const fields: FieldError[] = [];
  const email = normalizeEmail(opts.email);
  if (!email) fields.push({ field: 'email', code: 'email_invalid' });
  if (!opts.name.trim()) fields.push({ field: 'name', code: 'required' });
  if (!(STAFF_ROLES as readonly string[]).includes(opts.role)) fields.push({ field: 'role', code: 'invalid_value' });
  const language = (opts.language ?? 'vi') as Language;
  if (!LANGUAGES.includes(language)) fields.push({ field: 'language', code: 'invalid_value' });
  const weak = passwordProblem(opts.password, email ?? opts.email);
  if (weak) fields.push({ field: 'password', code: weak });
  // A department member sees only their team's consultations: without a team they would see nothing.
  if (opts.role === 'department' && !opts.teamId) fields.push({ field: 'teamId', code: 'required' });
  if (opts.teamId) {
    const team = isUuid(opts.teamId) ? await query(opts.database, sql`select 1 from teams where id = ${opts.teamId}`) : null;
    if (!team?.rows.length) fields.push({ field: 'teamId', code: 'not_found' });
  }
  if (fields.length || !email) throw new AppError('validation_failed', { fields });
  const passwordHash = await hashPassword(opts.password);
  return inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<{ id: string }>(sql`
      insert into staff_users (email, name, role, password_hash, team_id, language)
      values (${email}, ${opts.name.trim()}, ${opts.role}, ${passwordHash}, ${opts.teamId ?? null}, ${language})
      on conflict (email) do nothing returning id`);
    if (!r.rowCount) throw new AppError('validation_failed', { fields: [{ field: 'email', code: 'email_taken' }] });
    const user = { id: r.rows[0].id, email, name: opts.name.trim(), role: opts.role as StaffRole, teamId: opts.teamId ?? null, language, mailDigest: true };
    await recordAccountEvent(tx, user.id, opts.actorId ?? null, 'created', { email, name: user.name, role: user.role, teamId: user.teamId, language });
    return user;
  });
}

export async function countStaffUsers(database: Database): Promise<number> {
  const r = await database.pool.query<{ n: string }>('select count(*) as n from staff_users');
  return Number(r.rows[0].n);
}

const USER_COLUMNS = sql`u.id, u.email, u.name, u.role, u.team_id, u.language, u.mail_digest`;
type UserRow = { id: string; email: string; name: string; role: StaffRole; team_id: string | null; language: Language; mail_digest: boolean };
const toUser = (r: UserRow): StaffUser => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  teamId: r.team_id,
  language: r.language,
  mailDigest: r.mail_digest,
});

/** Nhật ký tài khoản — one line of a staff account's audit trail, in the caller's transaction. */
export async function recordAccountEvent(
  tx: Pick<Tx, 'execute'>,
  userId: string,
  actorId: string | null,
  kind: 'created' | 'updated' | 'password_reset' | 'password_changed' | 'token_created' | 'token_revoked',
  payload: Record<string, unknown>,
): Promise<void> {
  await tx.execute(sql`insert into staff_account_events (user_id, actor_id, kind, payload)
    values (${userId}, ${actorId}, ${kind}, ${JSON.stringify(payload)}::jsonb)`);
}

/** The failed-login counter of one account (by its normalised email, known or not: the answer must not tell). */
export function loginSubject(email: string): string {
  return checkSubject('login', normalizeEmail(email) ?? email.trim().toLowerCase());
}

/**
 * Đăng nhập — checks a password and opens a session; the raw token goes to the cookie only. Wrong passwords are counted per account in the database (every Sen process together); past
 * `maxFailures` in an hour the account cannot log in for the rest of that hour, even with the right password,
 * so that guessing from many addresses gets nowhere. An admin's password reset lifts it.
 */
export async function logIn(opts: {
  database: Database;
  email: string;
  password: string;
  maxFailures?: number;
}): Promise<{ user: StaffUser; sessionToken: string; csrfToken: string }> {
  const email = normalizeEmail(opts.email) ?? '';
  const ledger = new FailureLedger(opts.database);
  const subject = loginSubject(opts.email);
  const wait = await ledger.blockedFor([{ subject, max: opts.maxFailures ?? 10 }]).catch((err: unknown) => {
    throw toAppError(err);
  });
  if (wait) throw new AppError('login_attempts_exceeded', { retryAfterSeconds: wait });
  const r = await query(opts.database, sql`select ${USER_COLUMNS}, u.password_hash from staff_users u where u.email = ${email} and u.active`);
  const row = r.rows[0] as (UserRow & { password_hash: string }) | undefined;
  const ok = await verify(row?.password_hash ?? (await dummyHash), opts.password).catch(() => false);
  if (!row || !ok) {
    await ledger.fail([subject]).catch((err: unknown) => {
      throw toAppError(err);
    });
    throw new AppError('invalid_credentials');
  }
  await ledger.forget([subject]).catch((err: unknown) => {
    throw toAppError(err);
  });
  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expires = new Date(Date.now() + SESSION_DAYS * 86400_000);
  await query(opts.database, sql`insert into sessions (token_hash, user_id, csrf_token, expires_at)
    values (${sha256(sessionToken)}, ${row.id}, ${csrfToken}, ${expires.toISOString()})`);
  return { user: toUser(row), sessionToken, csrfToken };
}

export async function logOut(database: Database, sessionToken: string): Promise<void> {
  await query(database, sql`delete from sessions where token_hash = ${sha256(sessionToken)}`);
}

/** The user and CSRF token of a live session, or null. */
export async function findSession(
  database: Database,
  sessionToken: string,
): Promise<{ user: StaffUser; csrfToken: string } | null> {
  const r = await query(database, sql`select ${USER_COLUMNS}, s.csrf_token from sessions s
    join staff_users u on u.id = s.user_id
    where s.token_hash = ${sha256(sessionToken)} and s.expires_at > now() and u.active`);
  const row = r.rows[0] as (UserRow & { csrf_token: string }) | undefined;
  return row ? { user: toUser(row), csrfToken: row.csrf_token } : null;
}

/** Creates an API token for integrations; only its hash is stored. */
export async function createApiToken(database: Database, userId: string, name: string): Promise<string> {
  const token = `sen_${randomBytes(32).toString('base64url')}`;
  await inTransaction(database, async (tx) => {
    const r = await tx.execute<{ id: string }>(
      sql`insert into api_tokens (user_id, name, token_hash) values (${userId}, ${name}, ${sha256(token)}) returning id`,
    );
    await recordAccountEvent(tx, userId, userId, 'token_created', { tokenId: r.rows[0].id, name });
  });
  return token;
}

export async function findApiToken(database: Database, token: string): Promise<StaffUser | null> {
  const r = await query(database, sql`select ${USER_COLUMNS}, t.id as token_id, t.last_used_at from api_tokens t
    join staff_users u on u.id = t.user_id
    where t.token_hash = ${sha256(token)} and t.revoked_at is null and u.active`);
  const row = r.rows[0] as (UserRow & { token_id: string; last_used_at: Date | null }) | undefined;
  if (!row) return null;
  // Recording use at most once a minute keeps every API read from becoming a write on one hot row.
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await query(database, sql`update api_tokens set last_used_at = now() where id = ${row.token_id}`);
  }
  return toUser(row);
}

async function query(database: Database, q: ReturnType<typeof sql>) {
  try {
    return await database.db.execute(q);
  } catch (err) {
    throw toAppError(err);
  }
}
