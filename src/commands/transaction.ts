import type { Database, Db } from '../db/open';
import { isRetryable, toAppError } from '../db/errors';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Runs `fn` in one transaction, retrying on serialization failures; maps outages to a retryable error. */
export async function inTransaction<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction(fn);
    } catch (err) {
      if (attempt < 5 && isRetryable(err)) continue;
      throw toAppError(err);
    }
  }
}
