import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { migrationsFolder, openDatabase, type Database } from '../src/db/open';

export const DATABASE_KINDS = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** The PostgreSQL server tests create their throw-away databases on. */
export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** URL of this database (PostgreSQL only), for tests that start a second process on it. */
  url?: string;
}

/**
 * What a migrated database depends on: the migration history and the PGlite release. A copy made from
 * another history is never used, so a new or changed migration is always run and tested.
 */
const schemaKey = (() => {
  const h = createHash('sha256');
  const pgliteJson = new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  h.update(String(JSON.parse(readFileSync(pgliteJson, 'utf8')).version));
  for (const file of readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(migrationsFolder, file);
    if (file.endsWith('.sql') || file.endsWith('.json')) h.update(file).update(readFileSync(full));
  }
  return h.digest('hex').slice(0, 16);
})();

/**
 * A migrated, empty PGlite data folder as a file, made once per migration history and kept in the
 * temporary folder: each test database starts from it instead of PGlite's initdb and every migration
 * (measured: 5–10 s per database, against about 1 s). Two processes making it at once each write their
 * own file and rename it into place; either copy is the same.
 */
let pgliteTemplate: Promise<string> | undefined;
function migratedPglite(): Promise<string> {
  pgliteTemplate ??= (async () => {
    const file = path.join(os.tmpdir(), `sen-test-pglite-${schemaKey}.tgz`);
    if (existsSync(file)) return file;
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      await database.dumpTo?.(partial);
    } finally {
      await database.close();
    }
    renameSync(partial, file);
    return file;
  })().catch((err: unknown) => {
    pgliteTemplate = undefined;
    throw err;
  });
  return pgliteTemplate;
}

/** A new in-memory PGlite, migrated (from the migrated copy; the migrator then finds nothing to do). */
export async function openTestPglite(opts: { poolMax?: number } = {}): Promise<Database> {
  return openDatabase({ dataDir: 'memory://', poolMax: opts.poolMax, initialData: await migratedPglite() });
}

/**
 * A migrated, empty database on the PostgreSQL server, made once per migration history (under an
 * advisory lock, as several test processes start together): test databases are created as copies of it.
 */
let postgresTemplate: Promise<string> | undefined;
function migratedPostgres(admin: pg.Client): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `sen_template_${schemaKey}`;
    await admin.query('select pg_advisory_lock(7362002)');
    try {
      const found = await admin.query('select 1 from pg_database where datname = $1 and datistemplate', [name]);
      if (found.rowCount) return name;
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      const url = new URL(TEST_PG_URL);
      url.pathname = `/${name}`;
      const database = await openDatabase({ databaseUrl: url.toString() });
      await database.close();
      // Marked a template only once migrated: a process stopped half-way leaves one the next run remakes.
      await admin.query(`alter database ${name} is_template true`);
      return name;
    } finally {
      await admin.query('select pg_advisory_unlock(7362002)');
    }
  })().catch((err: unknown) => {
    postgresTemplate = undefined;
    throw err;
  });
  return postgresTemplate;
}

/** A fresh, migrated database: in-memory PGlite in a worker, or a new database on the PostgreSQL server. */
export async function openTestDatabase(kind: DatabaseKind, opts: { poolMax?: number } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') return openTestPglite(opts);
  const name = `sen_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    const template = await migratedPostgres(admin);
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
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
