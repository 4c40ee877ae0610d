import type { Database } from '../db/open';
import { customersPastRetention } from '../db/queries/personal-data';
import { retentionCutoff } from '../domain/personal-data';
import { toVietnamIso } from '../domain/time';
import type { FileStore } from '../files/store';
import { SYSTEM_ACTOR } from '../commands/actor';
import { anonymiseCustomer, purgeFiles, queuedFileDeletions } from '../commands/anonymise-customer';
import { completeErasureLedger } from './reapply-erasures';

export interface RetentionOptions {
  database: Database;
  files: FileStore;
  /** DATA_DIR/outbox, where unsent-by-server mail is kept as .eml files. */
  outboxDir?: string;
  /** DATA_DIR, whose erasure ledger records each erasure (files/erasure-ledger.ts). */
  ledgerDir?: string;
  /** Reports a customer whose erasure failed (the others are erased; it is tried again next round). */
  log?: (msg: string) => void;
  /** How long after a customer's last complaint closed their data is kept (PERSONAL_DATA_RETENTION_MONTHS); 0 = for ever. */
  months: number;
  now?: Date;
  /** Customers erased per round at most, so that one round never holds the database for long. */
  batch?: number;
}

/**
 * The end of the retention period (Law 91/2025 Art. 14): erases the personal data of every customer whose
 * last complaint closed more than `months` ago and who has none being handled, as Sen itself. Safe to run
 * in several processes at once: a customer erased meanwhile is skipped.
 */
export async function eraseExpiredCustomers(opts: RetentionOptions): Promise<{ erased: number; failed: number }> {
  const now = opts.now ?? new Date();
  // A deletion stopped half way (the process ended between moving a file aside and deciding) left the file missing:
  // put back first; the queue below decides again whether it goes.
  const restored = await opts.files.recoverInterruptedDeletions(10_000, now.getTime());
  if (restored) opts.log?.(`personal_data.retention: ${restored} file(s) left aside by an interrupted deletion put back`);
  // Files of erased customers whose deletion failed (a disk error) or was put off (written a moment before) are tried again.
  await purgeFiles(opts.database, opts.files, await queuedFileDeletions(opts.database));
  await noticeFileDeletionFailures(opts.database, now);
  // Erasures whose ledger line could not be written when they were made are added now, from the database.
  if (opts.ledgerDir) {
    await completeErasureLedger(opts.database, opts.ledgerDir).then(
      (n) => n && opts.log?.(`personal_data.retention: ${n} erasure(s) added to the erasure ledger`),
      (err: unknown) => opts.log?.(`personal_data.retention: the erasure ledger could not be completed, will retry: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
  const cutoff = retentionCutoff(now, opts.months);
  if (!cutoff) return { erased: 0, failed: 0 };
  const ids = await customersPastRetention(opts.database, cutoff, opts.batch ?? 200);
  let erased = 0;
  let failed = 0;
  for (const customerId of ids) {
    try {
      const r = await anonymiseCustomer({ database: opts.database, files: opts.files, outboxDir: opts.outboxDir, ledgerDir: opts.ledgerDir, actor: SYSTEM_ACTOR, customerId, reason: 'retention', now });
      if (!r.already) erased += 1;
      if (r.ledger.error) opts.log?.(`personal_data.retention: customer ${customerId} erased; the erasure ledger could not be written (added next round): ${r.ledger.error}`);
      if (r.ledger.backupsFailed.length) opts.log?.(`personal_data.retention: customer ${customerId} erased; not in the ledger of backups ${r.ledger.backupsFailed.join(', ')}`);
    } catch (err) {
      failed += 1;
      opts.log?.(`personal_data.retention: customer ${customerId} could not be erased, will retry: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { erased, failed };
}

/** Tries after which a file the disk keeps refusing to delete is told to the admins (the job runs hourly). */
export const DELETE_TRIES_BEFORE_NOTICE = 3;

/**
 * Tells every active admin, in the app, that files of erased customers could not be deleted after several
 * tries, with the last error: personal data the company must not keep is still on the disk. One notice per
 * admin per Vietnam day while it lasts.
 */
export async function noticeFileDeletionFailures(database: Database, now: Date): Promise<number> {
  const r = await database.pool.query<{ n: number; error: string | null }>(
    `select count(*)::int as n, (array_agg(last_error order by attempts desc))[1] as error
     from file_deletions where attempts >= $1`,
    [DELETE_TRIES_BEFORE_NOTICE],
  );
  const { n, error } = r.rows[0];
  if (!n) return 0;
  const day = toVietnamIso(now).slice(0, 10);
  const sent = await database.pool.query(
    `insert into notifications (staff_id, kind, payload, dedupe_key)
     select id, 'files.delete_failed', $1::jsonb, $2 from staff_users where active and role = 'admin'
     on conflict (staff_id, dedupe_key) do nothing`,
    [JSON.stringify({ count: n, message: error ?? '' }), `files.delete_failed:${day}`],
  );
  return sent.rowCount ?? 0;
}
