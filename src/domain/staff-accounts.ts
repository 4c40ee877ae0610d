/** Rules of staff accounts, without I/O: passwords and keeping Sen administrable. */
import type { FieldErrorCode } from './errors';
import type { StaffRole } from './lifecycle';

export const MIN_PASSWORD_LENGTH = 10;

/** What is wrong with a new password, or null: long enough, and not the account's own email. */
export function passwordProblem(password: string, email: string): FieldErrorCode | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return 'same_as_email';
  return null;
}

/**
 * Whether a change to one account would leave Sen without an active admin: `admins` are the ids of the
 * active admins now, `change` the account's role and activity after the change.
 */
export function leavesNoAdmin(admins: readonly string[], userId: string, change: { role: StaffRole; active: boolean }): boolean {
  const after = admins.filter((id) => id !== userId);
  if (change.role === 'admin' && change.active) after.push(userId);
  return after.length === 0;
}

/** What changed between two versions of an account, for its audit trail: `{ field: [before, after] }`. */
export function accountChanges<T extends Record<string, unknown>>(before: T, after: T): Partial<Record<keyof T, [unknown, unknown]>> {
  const out: Partial<Record<keyof T, [unknown, unknown]>> = {};
  for (const k of Object.keys(after) as (keyof T)[]) if (before[k] !== after[k]) out[k] = [before[k], after[k]];
  return out;
}
