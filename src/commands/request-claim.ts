import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import type { Tx } from './transaction';

/**
 * An Idempotency-Key that a staff write holds while it runs. The first transaction the write commits
 * also inserts the key, so the change and the key land together or not at all: a retry, or a twin
 * that arrives at the same moment, finds the key taken (PostgreSQL makes the twin wait for the
 * first to commit) and gets the first answer instead of making a second record.
 */
export interface RequestClaim {
  scope: string;
  key: string;
  requestHash: string;
  /** 'open' until a transaction carries the key, 'claiming' while one does, 'claimed' once it committed. */
  state: 'open' | 'claiming' | 'claimed';
}

/** Thrown inside the transaction when the key was already taken: nothing of this request is kept. */
export class KeyTaken extends Error {
  constructor() {
    super('idempotency key already taken');
  }
}

/** How long a staff write's first answer is kept for a retry with the same key (then the key is forgotten). */
export const REPLAY_HOURS = 24;

const current = new AsyncLocalStorage<RequestClaim>();

/** Runs a request's work holding `claim`: the first transaction it commits carries the key. */
export function holdingClaim<T>(claim: RequestClaim, run: () => Promise<T>): Promise<T> {
  return current.run(claim, run);
}

/** The claim a transaction starting now must carry, if any (and marks it as being carried). */
export function takeClaim(): RequestClaim | undefined {
  const claim = current.getStore();
  if (!claim || claim.state !== 'open') return undefined;
  claim.state = 'claiming';
  return claim;
}

/** Inserts the claimed key in `tx`; throws KeyTaken when another request holds it. */
export async function insertClaim(tx: Tx, claim: RequestClaim): Promise<void> {
  const r = await tx.execute(sql`
    insert into idempotency_keys (scope, key, request_hash) values (${claim.scope}, ${claim.key}, ${claim.requestHash})
    on conflict do nothing returning 1 as ok`);
  if (!r.rows.length) throw new KeyTaken();
}

/** Forgets staff writes' keys and kept answers older than REPLAY_HOURS (an answer may hold a customer's data). */
export async function purgeIdempotentReplays(database: Database, now = new Date()): Promise<number> {
  const r = await database.db.execute(sql`
    delete from idempotency_keys where scope like 'http:%' and created_at < ${new Date(now.getTime() - REPLAY_HOURS * 3_600_000)}`);
  return r.rowCount ?? 0;
}
