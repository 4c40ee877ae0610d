import type { Database, Db } from '../db/open';
import { isRetryable, toAppError } from '../db/errors';
import { insertClaim, KeyTaken, takeClaim } from './request-claim';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Runs `run` again on serialization failures (up to 5 times); maps outages to a retryable error. */
export async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (err instanceof KeyTaken) throw err;
      if (attempt < 5 && isRetryable(err)) continue;
      throw toAppError(err);
    }
  }
}

/**
 * Runs `fn` in one transaction, retrying on serialization failures; maps outages to a retryable error.
 * The first transaction of a staff write made with an Idempotency-Key also stores the key (request-claim.ts).
 */
export async function inTransaction<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const claim = takeClaim();
  if (!claim) return retrying(() => database.db.transaction(fn));
  try {
    const result = await retrying(() =>
      database.db.transaction(async (tx) => {
        await insertClaim(tx, claim);
        return fn(tx);
      }),
    );
    claim.state = 'claimed';
    return result;
  } catch (err) {
    claim.state = 'open';
    throw err;
  }
}
