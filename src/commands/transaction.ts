import type { Database, Db } from '../db/open';
import { isRetryable, toAppError } from '../db/errors';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Runs `run` again on serialization failures (up to 5 times); maps outages to a retryable error. */
export async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt < 5 && isRetryable(err)) continue;
      throw toAppError(err);
    }
  }
}

/** Runs `fn` in one transaction, retrying on serialization failures; maps outages to a retryable error. */
export async function inTransaction<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return retrying(() => database.db.transaction(fn));
}
