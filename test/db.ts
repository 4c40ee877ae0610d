import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Database } from '../src/db/open';

export const DATABASE_KINDS = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** The PostgreSQL server tests create their throw-away databases on. */
export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** URL of this database (PostgreSQL only), for tests that start a second process on it. */
  url?: string;
}

/** A fresh, migrated database: in-memory PGlite in a worker, or a new database on the PostgreSQL server. */
export async function openTestDatabase(kind: DatabaseKind, opts: { poolMax?: number } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') return openDatabase({ dataDir: 'memory://', poolMax: opts.poolMax });
  const name = `sen_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolMax: opts.poolMax });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Runs the same suite on embedded PGlite and on the PostgreSQL server. */
export function describeEachDatabase(title: string, body: (db: () => TestDatabase, kind: DatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) {
    describe(`${title} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(kind);
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('database not open');
        return database;
      }, kind);
    });
  }
}
