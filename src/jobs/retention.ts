import type { Database } from '../db/open';
import { customersPastRetention } from '../db/queries/personal-data';
import { retentionCutoff } from '../domain/personal-data';
import type { FileStore } from '../files/store';
import { SYSTEM_ACTOR } from '../commands/actor';
import { anonymiseCustomer } from '../commands/anonymise-customer';

export interface RetentionOptions {
  database: Database;
  files: FileStore;
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
export async function eraseExpiredCustomers(opts: RetentionOptions): Promise<{ erased: number }> {
  const now = opts.now ?? new Date();
  const cutoff = retentionCutoff(now, opts.months);
  if (!cutoff) return { erased: 0 };
  const ids = await customersPastRetention(opts.database, cutoff, opts.batch ?? 200);
  let erased = 0;
  for (const customerId of ids) {
    const r = await anonymiseCustomer({ database: opts.database, files: opts.files, actor: SYSTEM_ACTOR, customerId, reason: 'retention', now });
    if (!r.already) erased += 1;
  }
  return { erased };
}
