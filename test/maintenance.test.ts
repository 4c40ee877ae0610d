import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_WIDE, maintainDatabase, tableActivity } from '../src/db/maintenance';
import { startJobs } from '../src/jobs/runner';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from './db';
import { seedComplaint, testConfig } from './factories';

const agent = { kind: 'agent' as const, id: null, channel: 'console' as const };

interface TableStats {
  n_dead_tup: string;
  last_vacuum: Date | null;
  last_analyze: Date | null;
  stats_columns: string;
}

async function complaintsStats(database: TestDatabase): Promise<TableStats> {
  const r = await database.pool.query<TableStats>(
    `select n_dead_tup, last_vacuum, last_analyze,
            (select count(*) from pg_stats where schemaname = 'public' and tablename = 'complaints') as stats_columns
     from pg_stat_user_tables where schemaname = 'public' and relname = 'complaints'`,
  );
  return r.rows[0];
}

async function frozenXid(database: TestDatabase): Promise<string> {
  const r = await database.pool.query<{ x: string }>('select datfrozenxid::text as x from pg_database where datname = current_database()');
  return r.rows[0].x;
}

/** Activity counters reach the statistics views when a session is idle, up to a second later. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the complaints' activity counters stop moving (two reads 1.2 s apart agree): a session's last
 * counters may reach the views after a VACUUM reset them, and would make the table look due again.
 */
async function settledActivity(database: TestDatabase): Promise<void> {
  const read = async () => JSON.stringify((await tableActivity(database)).find((t) => t.table === 'complaints'));
  let last = await read();
  for (let i = 0; i < 10; i += 1) {
    await new Promise((r) => setTimeout(r, 1200));
    const now = await read();
    if (now === last) return;
    last = now;
  }
}

/** 60 complaints, each acknowledged: 60 updated rows, so 60 dead row versions in `complaints`. */
async function complaintsWithDeadRows(database: TestDatabase): Promise<void> {
  const created = await Promise.all(Array.from({ length: 60 }, () => seedComplaint(database)));
  for (const c of created) await transitionComplaint({ database, actor: agent, code: c.code, to: 'acknowledged' });
}

describeEachDatabase('upkeep of the database (vacuum, statistics)', (db, kind) => {
  beforeAll(async () => complaintsWithDeadRows(db()));

  if (kind === 'pglite') {
    it('vacuums and analyses every table at first, then the tables autovacuum would, and every table again the next night', async () => {
      const before = await until(() => tableActivity(db()), (ts) => (ts.find((t) => t.table === 'complaints')?.deadRows ?? 0) >= 60);
      expect(before.find((t) => t.table === 'complaints')!.deadRows).toBeGreaterThanOrEqual(60);
      await settledActivity(db());
      const stats0 = await complaintsStats(db());
      expect(stats0.last_vacuum).toBeNull();
      expect(Number(stats0.stats_columns)).toBe(0);

      const frozenBefore = await frozenXid(db());
      const now = new Date('2026-11-27T03:00:00Z'); // 10:00 in Vietnam
      const first = await maintainDatabase(db(), { now });
      expect(first.full).toBe(true);
      expect(first.steps.map((s) => s.table)).toEqual(expect.arrayContaining(['complaints', 'customers', 'timeline_events', 'settings', DATABASE_WIDE]));
      // The whole database was vacuumed, catalogs too: its oldest unfrozen transaction moved on
      // (vacuuming Sen's tables alone leaves it where initdb put it).
      expect(Number(await frozenXid(db()))).toBeGreaterThan(Number(frozenBefore));
      const stats1 = await until(() => complaintsStats(db()), (s) => Number(s.n_dead_tup) === 0);
      expect(Number(stats1.n_dead_tup)).toBe(0);
      expect(stats1.last_vacuum).toBeInstanceOf(Date);
      expect(stats1.last_analyze).toBeInstanceOf(Date);
      // The planner now knows the columns' values (it had only guesses).
      expect(Number(stats1.stats_columns)).toBeGreaterThan(10);

      expect(await maintainDatabase(db(), { now: new Date(now.getTime() + 60_000) })).toEqual({ full: false, steps: [] });

      // 120 more edits (the threshold is now 50 + 20 % of 60 rows): complaints alone is due.
      await db().pool.query(`update complaints set priority = 'high' where status = 'acknowledged'`);
      await db().pool.query(`update complaints set priority = 'normal' where status = 'acknowledged'`);
      await until(() => tableActivity(db()), (ts) => (ts.find((t) => t.table === 'complaints')?.deadRows ?? 0) >= 120);
      const third = await maintainDatabase(db(), { now: new Date(now.getTime() + 120_000) });
      expect(third.full).toBe(false);
      expect(third.steps).toEqual([expect.objectContaining({ table: 'complaints', vacuum: true, analyze: true })]);

      const nextDay = await maintainDatabase(db(), { now: new Date(now.getTime() + 24 * 3_600_000) });
      expect(nextDay.full).toBe(true);
      expect(nextDay.steps.length).toBe(first.steps.length);
    });
  } else {
    it("leaves the tables to the server's autovacuum", async () => {
      const report = await maintainDatabase(db());
      expect(report).toEqual({ skipped: 'autovacuum', full: false, steps: [] });
      const stats = await complaintsStats(db());
      expect(stats.last_vacuum).toBeNull();
      expect(stats.last_analyze).toBeNull();
    });
  }
});

describeEachDatabase('the upkeep job', (_db, kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await complaintsWithDeadRows(database);
    await until(() => tableActivity(database), (ts) => (ts.find((t) => t.table === 'complaints')?.deadRows ?? 0) >= 60);
  });
  afterAll(async () => database?.close());

  it(kind === 'pglite' ? 'runs on the embedded database when Sen starts its jobs' : 'is not started on PostgreSQL', async () => {
    const lines: string[] = [];
    const jobs = startJobs(database, testConfig({ backup: { enabled: false, hour: 2, keep: 7 } }), (line) => lines.push(line));
    try {
      if (kind === 'pglite') {
        const stats = await until(() => complaintsStats(database), (s) => s.last_vacuum !== null);
        expect(stats.last_vacuum).toBeInstanceOf(Date);
        await until(async () => lines.filter((l) => l.startsWith('db.maintenance')).length, (n) => n > 0);
        expect(lines).toContainEqual(expect.stringMatching(/^db\.maintenance: nightly vacuum \+ analyze of \d+ tables in \d+ ms$/));
      } else {
        await new Promise((r) => setTimeout(r, 1500));
        expect((await complaintsStats(database)).last_vacuum).toBeNull();
        expect(lines.filter((l) => l.startsWith('db.maintenance'))).toEqual([]);
      }
    } finally {
      await jobs.stop();
    }
  });
});
