import type pg from 'pg';
import type { Database, Db } from '../db/open';
import { isRetryable, toAppError } from '../db/errors';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Runs `run` again on serialization failures (up to 5 times); maps outages to a retryable error. */
async function retrying<T>(run: () => Promise<T>): Promise<T> {
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

/**
 * The same on a bare pooled connection, for the hot path (intake) that sends its own fixed,
 * named statements: prepared once per connection instead of parsed on every call. `begin` may add
 * settings for the transaction, sent in the same round trip (e.g. `set local …`).
 */
export async function inClientTransaction<T>(
  database: Database,
  fn: (client: pg.PoolClient) => Promise<T>,
  begin = 'begin',
): Promise<T> {
  return retrying(async () => {
    const client = await database.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  });
}
