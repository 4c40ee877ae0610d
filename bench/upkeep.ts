// How long the embedded database's upkeep pauses it: seeds N complaints on PGlite (default 100,000), edits
// a share of them the way a working day does, and times `maintainDatabase` (the daily pass, then a run with
// only the tables due), then a backup and its restore. `npm run bench:upkeep -- [N]`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/open';
import { maintainDatabase, tableActivity } from '../src/db/maintenance';
import { createBackup, restoreBackup } from '../src/db/backup';
import { seed } from './seed';

const n = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(path.join(tmpdir(), 'sen-upkeep-'));
const database = await openDatabase({ dataDir: dir });
try {
  await seed(database, { n, log: () => undefined });
  const t = async (label: string, sql: string) => {
    const t0 = performance.now();
    await database.pool.query(sql);
    console.log(`${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  };
  const now = new Date();
  const first = await maintainDatabase(database, { now });
  console.log(`first run (nightly pass, ${first.steps.length} tables, freshly seeded): ${first.steps.reduce((a, s) => a + s.ms, 0)} ms; slowest ${[...first.steps].sort((a, b) => b.ms - a.ms).slice(0, 3).map((s) => `${s.table} ${s.ms} ms`).join(', ')}`);
  await t(`edit 30 % of the complaints (${Math.round(n * 0.3).toLocaleString('en')} rows)`, `update complaints set updated_at = updated_at + interval '1 second' where random() < 0.3`);
  await t('queue page before upkeep', `select id from complaints where status in ('received','acknowledged','investigating') order by sort_due, id limit 50`);
  const dead = (await tableActivity(database)).find((x) => x.table === 'complaints')!.deadRows;
  const due = await maintainDatabase(database, { now: new Date(now.getTime() + 60_000) });
  console.log(`run with ${dead.toLocaleString('en')} dead complaint rows: ${due.steps.map((s) => `${s.table} ${s.vacuum ? 'vacuum' : ''}${s.analyze ? ' analyze' : ''} ${s.ms} ms`).join('; ') || 'nothing due'}`);
  const daily = await maintainDatabase(database, { now: new Date(now.getTime() + 25 * 3_600_000) });
  console.log(`next nightly pass (nothing dead): ${daily.steps.reduce((a, s) => a + s.ms, 0)} ms`);
  // How long the database stops answering during a backup: a small query every 50 ms, its longest wait.
  let worst = 0;
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const q0 = performance.now();
      await database.pool.query('select 1');
      worst = Math.max(worst, performance.now() - q0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const b0 = performance.now();
  const backup = await createBackup(database, { dataDir: dir });
  const b1 = performance.now();
  probing = false;
  await probe;
  console.log(`backup: ${(backup.manifest.database.bytes / 1e6).toFixed(1)} MB gzipped in ${(b1 - b0).toFixed(0)} ms; the longest a query waited meanwhile: ${worst.toFixed(0)} ms`);
  await restoreBackup(backup.dir, path.join(dir, 'restored'));
  console.log(`restore (checks, unpacks): ${(performance.now() - b1).toFixed(0)} ms`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
