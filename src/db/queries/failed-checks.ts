import { createHash } from 'node:crypto';
import type { Database } from '../open';

/** The window failures are counted in, from a subject's first failure: an hour. */
export const FAILED_CHECK_WINDOW_MS = 3_600_000;

/** A subject as stored: hashed, so the table holds no phone, email or address in clear. */
export function checkSubject(kind: 'contact' | 'address' | 'login', value: string): string {
  return `${kind[0]}:${createHash('sha256').update(`${kind}\u0000${value}`).digest('hex').slice(0, 40)}`;
}

/**
 * Failures counted in a fixed window that starts at a subject's first failure, in the database, so that
 * every Sen process on it counts together (two processes would otherwise each allow the limit).
 */
export class FailureLedger {
  constructor(
    private readonly database: Database,
    private readonly now: () => number = Date.now,
    private readonly windowMs = FAILED_CHECK_WINDOW_MS,
  ) {}

  /** Seconds until the first of `subjects` that reached its limit may try again; 0 when none did. */
  async blockedFor(subjects: { subject: string; max: number }[]): Promise<number> {
    const now = this.now();
    const r = await this.database.pool.query<{ subject: string; failures: number; first_at: Date }>(
      'select subject, failures, first_at from failed_checks where subject = any($1::text[]) and first_at > $2',
      [subjects.map((s) => s.subject), new Date(now - this.windowMs)],
    );
    let wait = 0;
    for (const row of r.rows) {
      const max = subjects.find((s) => s.subject === row.subject)!.max;
      if (row.failures >= max) wait = Math.max(wait, Math.ceil((row.first_at.getTime() + this.windowMs - now) / 1000));
    }
    return wait;
  }

  /** Forgets the failures of `subjects` (a successful login, a password reset). */
  async forget(subjects: string[]): Promise<void> {
    await this.database.pool.query('delete from failed_checks where subject = any($1::text[])', [subjects]);
  }

  /** Counts one failure for each subject (a new window for one whose window is over). */
  async fail(subjects: string[]): Promise<void> {
    const now = new Date(this.now());
    await this.database.pool.query(
      `insert into failed_checks as f (subject, first_at, failures) select s, $2, 1 from unnest($1::text[]) s
       on conflict (subject) do update set
         failures = case when f.first_at > $3 then f.failures + 1 else 1 end,
         first_at = case when f.first_at > $3 then f.first_at else excluded.first_at end`,
      [subjects, now, new Date(now.getTime() - this.windowMs)],
    );
  }
}

/** Forgets failures whose hour is over (run by the hourly retention job). */
export async function purgeFailedChecks(database: Database, now = new Date()): Promise<number> {
  const r = await database.pool.query('delete from failed_checks where first_at <= $1', [new Date(now.getTime() - FAILED_CHECK_WINDOW_MS)]);
  return r.rowCount ?? 0;
}
