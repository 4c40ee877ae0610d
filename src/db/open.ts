import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';
import { lockDataDir } from './lock';

export type Db = NodePgDatabase<typeof schema>;

/** An open database: one `pg` pool and Drizzle on top, whatever the engine behind it. */
export interface Database {
  kind: 'pglite' | 'postgres';
  pool: pg.Pool;
  /**
   * PostgreSQL only: the intake's own connections, in the driver's pipeline mode (a statement is sent
   * without waiting for the answer to the one before), so that a batch of intakes is sent in one go with
   * its values bound as parameters (commands/create-complaint.ts).
   */
  intakePool?: pg.Pool;
  db: Db;
  close(): Promise<void>;
  /** Embedded only: writes a crash-consistent copy of the database (PGlite's gzipped tar) to `file`; its size. */
  dumpTo?(file: string): Promise<number>;
}

export interface OpenOptions {
  /** PostgreSQL server URL; unset means embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  poolMax?: number;
  migrate?: boolean;
  /**
   * Embedded only: a copy of a data folder (a file written by `dumpTo`) a new database starts from
   * instead of an empty one. Tests start from a migrated copy: PGlite's initdb and the whole migration
   * history take seconds for each database they open.
   */
  initialData?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const migrationsFolder = path.resolve(here, '../../drizzle');

interface EmbeddedServer {
  url: string;
  stop: () => Promise<void>;
  dumpTo: (file: string) => Promise<number>;
}

async function startPgliteWorker(dataDir: string, initialData?: string): Promise<EmbeddedServer> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir, initialData } });
  const ready = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (msg: { type: string; host: string; port: number; message?: string }) => {
      if (msg.type === 'ready') resolve(msg);
      else reject(new Error(`PGlite failed to start: ${msg.message ?? 'unknown error'}`));
    });
  });
  const stop = async () => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      const onMessage = (msg: { type?: string }) => {
        if (msg?.type !== 'stopped') return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve();
      };
      worker.on('message', onMessage);
      worker.postMessage({ type: 'stop' });
    });
    await worker.terminate();
  };
  let dumps = 0;
  let exited = false;
  worker.once('exit', () => (exited = true));
  const dumpTo = (file: string) =>
    new Promise<number>((resolve, reject) => {
      if (exited) return reject(new Error('PGlite could not copy its data: its worker has stopped'));
      const id = ++dumps;
      const done = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      const onMessage = (msg: { type?: string; id?: number; bytes?: number; message?: string }) => {
        if (msg?.id !== id) return;
        done();
        if (msg.type === 'backup-done') resolve(msg.bytes ?? 0);
        else reject(new Error(`PGlite could not copy its data: ${msg.message ?? 'unknown error'}`));
      };
      // A worker that dies meanwhile would never answer: the backup fails instead of waiting for ever.
      const onExit = () => {
        done();
        reject(new Error('PGlite could not copy its data: its worker stopped'));
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.postMessage({ type: 'backup', id, file });
    });
  return { url: `postgres://postgres@${ready.host}:${ready.port}/postgres`, stop, dumpTo };
}

/** Opens PostgreSQL (when a URL is given) or embedded PGlite in a worker, and runs migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  let url = opts.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let dumpTo: ((file: string) => Promise<number>) | undefined;
  let unlock: (() => void) | undefined;
  if (!url) {
    const dataDir = opts.dataDir ?? './data';
    const inMemory = dataDir.startsWith('memory://');
    const pgDir = inMemory ? dataDir : path.resolve(dataDir, 'pg');
    if (opts.initialData && !inMemory) throw new Error('initialData starts an in-memory database only');
    if (!inMemory) unlock = lockDataDir(path.resolve(dataDir));
    try {
      const embedded = await startPgliteWorker(pgDir, opts.initialData);
      url = embedded.url;
      stopEmbedded = embedded.stop;
      dumpTo = embedded.dumpTo;
    } catch (err) {
      unlock?.();
      throw err;
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    // PGlite is one PostgreSQL session: messages of two connections would interleave in it, so the
    // embedded database gets exactly one connection and concurrency waits in the pool instead.
    max: stopEmbedded ? 1 : (opts.poolMax ?? 20),
    // Waiting for PGlite's connection means waiting for its one session (a long report, the upkeep's
    // VACUUM), not an outage (a dead worker refuses at once): wait longer there before answering 503.
    connectionTimeoutMillis: stopEmbedded ? 30_000 : 5000,
  });
  // An idle client losing its server must not crash the process; queries report the fault instead.
  pool.on('error', () => {});
  // Nor may one lost while checked out (held by the intake between batches, or between two queries of a
  // transaction): its next query fails, is reported as unavailable (503) and the client is discarded.
  pool.on('connect', (client) => client.on('error', () => {}));
  // Two connections: one the intake batches are sent down one after another, one that reads the customers
  // of the next batch meanwhile. Every lookup of the intake is by a key, so its statements get their generic
  // plan, made once per connection (commands/create-complaint.ts), maybe while the tables are still empty (a
  // new install: a sequential scan would then look cheapest, and stay the plan as they grow): sequential
  // scans are off there.
  const intakePool = stopEmbedded
    ? undefined
    : new pg.Pool({
        connectionString: url,
        max: 2,
        pipeline: true,
        connectionTimeoutMillis: 5000,
        options: '-c plan_cache_mode=force_generic_plan -c enable_seqscan=off',
      });
  intakePool?.on('error', () => {});
  intakePool?.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool, { schema });
  const database: Database = {
    kind: stopEmbedded ? 'pglite' : 'postgres',
    pool,
    ...(intakePool ? { intakePool } : {}),
    db,
    async close() {
      await Promise.all([pool.end(), intakePool?.end()]);
      await stopEmbedded?.();
      unlock?.();
    },
    ...(dumpTo ? { dumpTo } : {}),
  };
  if (opts.migrate !== false) {
    try {
      await migrateWithLock(pool);
    } catch (err) {
      await database.close();
      throw err;
    }
  }
  return database;
}

/** Applies the migration history once even when several Sen processes start together. */
async function migrateWithLock(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7362001)');
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock(7362001)');
    }
  } finally {
    client.release();
  }
}
