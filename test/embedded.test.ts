import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open';
import { openTestPglite } from './db';
import { DataDirLockedError } from '../src/db/lock';
import { seedComplaint } from './factories';

// Opening a new data folder runs initdb inside PGlite: seconds on an idle machine, more under load.
describe('embedded database in DATA_DIR', { timeout: 240_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-data-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second opener of the same folder with a clear message, and keeps data across restarts', async () => {
    const first = await openDatabase({ dataDir: dir });
    const { code } = await seedComplaint(first);
    const err = await openDatabase({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toMatch(/đang được tiến trình \d+ sử dụng/);
    expect((err as Error).message).toContain('in use by process');
    await first.close();

    const again = await openDatabase({ dataDir: dir });
    const r = await again.pool.query('select code from complaints');
    expect(r.rows.map((x) => x.code)).toEqual([code]);
    const migrations = await again.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(migrations.rows[0].n).toBe(fs.readdirSync('drizzle').filter((f) => f.endsWith('.sql')).length);
    await again.close();
  });

  it('takes over a lock left by a process that died', async () => {
    fs.writeFileSync(path.join(dir, 'sen.lock'), '999999');
    const db = await openDatabase({ dataDir: dir });
    expect(fs.readFileSync(path.join(dir, 'sen.lock'), 'utf8')).toBe(String(process.pid));
    await db.close();
    expect(fs.existsSync(path.join(dir, 'sen.lock'))).toBe(false);
  });

  it('keeps the event loop free while PGlite works in its worker', async () => {
    const db = await openTestPglite();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = Date.now();
    await db.pool.query('select count(*) from generate_series(1, 1000000)');
    const elapsed = Date.now() - started;
    clearInterval(timer);
    await db.close();
    // A query on the main thread would give zero ticks; in the worker the timer keeps firing.
    expect(elapsed).toBeGreaterThan(100);
    expect(ticks).toBeGreaterThan(elapsed / 50);
  });

  it('lets a request wait for a long statement (a report, the upkeep\'s VACUUM) instead of answering 503 after 5 s', async () => {
    const db = await openTestPglite();
    try {
      const started = Date.now();
      const long = db.pool.query('select pg_sleep(5.5)');
      await new Promise((r) => setTimeout(r, 100));
      // Waits for PGlite's one connection, held by the long statement.
      const r = await db.pool.query<{ n: number }>('select 1 as n');
      expect(r.rows[0].n).toBe(1);
      expect(Date.now() - started).toBeGreaterThan(5000);
      await long;
    } finally {
      await db.close();
    }
  });
});
