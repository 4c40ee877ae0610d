import { sql } from 'drizzle-orm';
import { verify } from '@node-rs/argon2';
import type { Database } from '../db/open';
import { FailureLedger } from '../db/queries/failed-checks';
import { AppError, type FieldError } from '../domain/errors';
import { isUuid } from '../domain/ids';
import type { StaffRole } from '../domain/lifecycle';
import { accountChanges, leavesNoAdmin, passwordProblem } from '../domain/staff-accounts';
import { hashPassword, loginSubject, recordAccountEvent, sha256, type StaffUser } from './staff-accounts';
import { inTransaction, type Tx } from './transaction';
import { TERMINAL_STATUSES } from '../domain/lifecycle';
import { rolesWith } from '../policies';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import type { Language } from '../domain/vocabulary';

export interface StaffAccount extends StaffUser {
  active: boolean;
}

type AccountRow = {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  team_id: string | null;
  active: boolean;
  language: Language;
  mail_digest: boolean;
};
const toAccount = (r: AccountRow): StaffAccount => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  teamId: r.team_id,
  active: r.active,
  language: r.language,
  mailDigest: r.mail_digest,
});
const ACCOUNT_COLUMNS = sql`id, email, name, role, team_id, active, language, mail_digest`;

/** The account, locked for this transaction; 404 when there is none. */
async function lockAccount(tx: Tx, id: string): Promise<AccountRow> {
  if (!isUuid(id)) throw new AppError('not_found');
  const r = await tx.execute<AccountRow>(sql`select ${ACCOUNT_COLUMNS} from staff_users where id = ${id} for update`);
  if (!r.rows[0]) throw new AppError('not_found');
  return r.rows[0];
}

/** Ends every session of an account, but `keepSessionToken`'s. */
async function endSessions(tx: Tx, userId: string, keepSessionToken?: string): Promise<void> {
  await tx.execute(sql`delete from sessions where user_id = ${userId}
    ${keepSessionToken ? sql`and token_hash <> ${sha256(keepSessionToken)}` : sql``}`);
}

/**
 * Sửa tài khoản — an admin renames an account, changes its role or team, deactivates or reactivates it.
 * Deactivating ends its sessions and revokes its API tokens at once; the last active admin cannot lose its role
 * or be deactivated (the active admins are locked, so two admins demoting each other at once cannot both win).
 */
export async function updateStaffUser(opts: {
  database: Database;
  actorId: string;
  id: string;
  name?: string;
  role?: StaffRole;
  teamId?: string | null;
  active?: boolean;
  language?: Language;
}): Promise<StaffAccount & { handedBack?: number }> {
  if (opts.name !== undefined && !opts.name.trim()) {
    throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'required' }] });
  }
  return inTransaction(opts.database, async (tx) => {
    const admins = await tx.execute<{ id: string }>(sql`select id from staff_users where role = 'admin' and active order by id for update`);
    const before = await lockAccount(tx, opts.id);
    const after: AccountRow = {
      ...before,
      name: opts.name?.trim() ?? before.name,
      role: opts.role ?? before.role,
      team_id: opts.teamId === undefined ? before.team_id : opts.teamId,
      active: opts.active ?? before.active,
      language: opts.language ?? before.language,
    };
    const fields: FieldError[] = [];
    if (after.team_id && after.team_id !== before.team_id) {
      const team = await tx.execute(sql`select 1 from teams where id = ${after.team_id}`);
      if (!team.rows.length) fields.push({ field: 'teamId', code: 'not_found' });
    }
    // A department member sees only their team's consultations: without a team they would see nothing.
    if (after.role === 'department' && !after.team_id) fields.push({ field: 'teamId', code: 'required' });
    if (fields.length) throw new AppError('validation_failed', { fields });
    if (leavesNoAdmin(admins.rows.map((a) => a.id), before.id, { role: after.role, active: after.active })) throw new AppError('last_admin');

    const changes = accountChanges(
      { name: before.name, role: before.role, teamId: before.team_id, active: before.active, language: before.language },
      { name: after.name, role: after.role, teamId: after.team_id, active: after.active, language: after.language },
    );
    if (!Object.keys(changes).length) return toAccount(before);
    await tx.execute(sql`update staff_users set name = ${after.name}, role = ${after.role}, team_id = ${after.team_id}, active = ${after.active},
      language = ${after.language} where id = ${before.id}`);
    if (before.active && !after.active) {
      await endSessions(tx, before.id);
      await tx.execute(sql`update api_tokens set revoked_at = now() where user_id = ${before.id} and revoked_at is null`);
    }
    // Gone, or no longer one who works complaints: theirs go back to their team's queue, not left with no one to see them.
    const worked = before.active && WORKER_ROLES.includes(before.role);
    const works = after.active && WORKER_ROLES.includes(after.role);
    const handedBack = worked && !works ? await handBackComplaints(tx, before.id, before.team_id, opts.actorId) : 0;
    await recordAccountEvent(tx, before.id, opts.actorId, 'updated', { changes, ...(handedBack ? { handedBack } : {}) });
    return { ...toAccount(after), ...(handedBack ? { handedBack } : {}) };
  });
}

/**
 * Đặt lại mật khẩu — an admin (or `sen user password` on the server) gives an account a new password. Its sessions
 * end and its failed-login pause is lifted; the owner should change it after logging in.
 */
export async function resetStaffPassword(opts: {
  database: Database;
  actorId: string | null;
  id?: string;
  email?: string;
  password: string;
}): Promise<StaffAccount> {
  // Hashed before the transaction: argon2id takes a while, and the account's row stays locked meanwhile otherwise.
  const passwordHash = await hashPassword(opts.password);
  const account = await inTransaction(opts.database, async (tx) => {
    const row = opts.id
      ? await lockAccount(tx, opts.id)
      : (await tx.execute<AccountRow>(sql`select ${ACCOUNT_COLUMNS} from staff_users where email = ${opts.email?.trim().toLowerCase() ?? ''} for update`)).rows[0];
    if (!row) throw new AppError('not_found');
    const weak = passwordProblem(opts.password, row.email);
    if (weak) throw new AppError('validation_failed', { fields: [{ field: 'password', code: weak }] });
    await tx.execute(sql`update staff_users set password_hash = ${passwordHash} where id = ${row.id}`);
    await endSessions(tx, row.id);
    await recordAccountEvent(tx, row.id, opts.actorId, 'password_reset', {});
    return toAccount(row);
  });
  await new FailureLedger(opts.database).forget([loginSubject(account.email)]);
  return account;
}

/**
 * Đổi mật khẩu — a staff member changes their own password, giving the current one. Their other sessions end
 * (a password changed because it leaked should lock out whoever has it); this one stays.
 */
export async function changeOwnPassword(opts: {
  database: Database;
  userId: string;
  currentPassword: string;
  newPassword: string;
  keepSessionToken?: string;
  maxFailures?: number;
}): Promise<void> {
  const ledger = new FailureLedger(opts.database);
  const r = await opts.database.db.execute<{ email: string; password_hash: string }>(
    sql`select email, password_hash from staff_users where id = ${opts.userId} and active`,
  );
  const row = r.rows[0];
  if (!row) throw new AppError('unauthenticated');
  // Guessing the current password from a stolen session counts against the same pause as the login form.
  const subject = loginSubject(row.email);
  const wait = await ledger.blockedFor([{ subject, max: opts.maxFailures ?? 10 }]);
  if (wait) throw new AppError('login_attempts_exceeded', { retryAfterSeconds: wait });
  const fields: FieldError[] = [];
  const ok = await verify(row.password_hash, opts.currentPassword).catch(() => false);
  if (!ok) fields.push({ field: 'currentPassword', code: 'wrong_password' });
  const weak = passwordProblem(opts.newPassword, row.email);
  if (weak) fields.push({ field: 'newPassword', code: weak });
  if (!ok) await ledger.fail([subject]);
  if (fields.length) throw new AppError('validation_failed', { fields });
  const passwordHash = await hashPassword(opts.newPassword);
  await inTransaction(opts.database, async (tx) => {
    await tx.execute(sql`update staff_users set password_hash = ${passwordHash} where id = ${opts.userId}`);
    await endSessions(tx, opts.userId, opts.keepSessionToken);
    await recordAccountEvent(tx, opts.userId, opts.userId, 'password_changed', {});
  });
}

/**
 * Cài đặt của tôi — a staff member chooses the language the console opens in for them and Sen's mails to them are
 * written in, and whether news of their complaints left unread is mailed to them (thư tóm tắt). Recorded in their
 * account's trail when it changes.
 */
export async function setOwnSettings(opts: { database: Database; userId: string; language?: Language; mailDigest?: boolean }): Promise<StaffAccount> {
  return inTransaction(opts.database, async (tx) => {
    const before = await lockAccount(tx, opts.userId);
    const after = { ...before, language: opts.language ?? before.language, mail_digest: opts.mailDigest ?? before.mail_digest };
    const changes: Record<string, [unknown, unknown]> = {};
    if (after.language !== before.language) changes.language = [before.language, after.language];
    if (after.mail_digest !== before.mail_digest) changes.mailDigest = [before.mail_digest, after.mail_digest];
    if (!Object.keys(changes).length) return toAccount(before);
    await tx.execute(sql`update staff_users set language = ${after.language}, mail_digest = ${after.mail_digest} where id = ${before.id}`);
    await recordAccountEvent(tx, before.id, before.id, 'updated', { changes });
    return toAccount(after);
  });
}

/**
 * Thu hồi mã API — revokes a token at once. Its owner may revoke their own; an admin any (`anyOwner`).
 * Revoking one already revoked changes nothing.
 */
export async function revokeApiToken(opts: { database: Database; actorId: string; tokenId: string; anyOwner: boolean }): Promise<void> {
  if (!isUuid(opts.tokenId)) throw new AppError('not_found');
  await inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<{ user_id: string; name: string; revoked_at: Date | null }>(
      sql`select user_id, name, revoked_at from api_tokens where id = ${opts.tokenId} for update`,
    );
    const token = r.rows[0];
    if (!token || (!opts.anyOwner && token.user_id !== opts.actorId)) throw new AppError('not_found');
    if (token.revoked_at) return;
    await tx.execute(sql`update api_tokens set revoked_at = now() where id = ${opts.tokenId}`);
    await recordAccountEvent(tx, token.user_id, opts.actorId, 'token_revoked', { tokenId: opts.tokenId, name: token.name });
  });
}

/** Who works complaints (may move them through their lifecycle): the roles a complaint may be left with. */
const WORKER_ROLES: readonly string[] = rolesWith('complaint.transition');

/**
 * Trả về hàng đợi nhóm — a staff member deactivated, or moved to a role that does not work complaints, hands back every
 * complaint they hold that is not over: unassigned, kept in its team (given the member's team when it had none), each with
 * its `assignment.changed` event (reason `staff_left`) in this transaction. How many.
 */
async function handBackComplaints(tx: Tx, staffId: string, staffTeamId: string | null, actorId: string): Promise<number> {
  const held = await tx.execute<{ code: string }>(sql`
    select c.code from complaints c join customers cu on cu.id = c.customer_id
    where c.assignee_id = ${staffId} and c.status <> all(${`{${TERMINAL_STATUSES.join(',')}}`}::text[]) and cu.anonymised_at is null
    order by c.code`);
  const actor = { kind: 'admin' as const, id: actorId, channel: 'console' as const };
  let n = 0;
  for (const { code } of held.rows) {
    const c = await lockComplaint(tx, code);
    if (c.assigneeId !== staffId) continue;
    n += 1;
    const teamId = c.teamId ?? staffTeamId;
    await tx.execute(sql`update complaints set assignee_id = null, team_id = ${teamId} where id = ${c.id}`);
    await appendEvent(tx, c, actor, 'assignment.changed', {
      assigneeId: null,
      teamId,
      previousAssigneeId: staffId,
      previousTeamId: c.teamId,
      reason: 'staff_left',
    });
  }
  return n;
}
