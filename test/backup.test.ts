import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBackup, lastBackupFailure, listBackups, noticeBackupFailure, restoreBackup } from '../src/db/backup';
import { openDatabase } from '../src/db/open';
import { verifyAudit } from '../src/commands/verify-audit';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { LocalFileStore } from '../src/files/store';
import { anonymiseCustomer } from '../src/commands/anonymise-customer';
import { reapplyErasures } from '../src/jobs/reapply-erasures';
import { ANONYMISED_NAME, REDACTED } from '../src/domain/personal-data';
import { AppError } from '../src/domain/errors';
import { startJobs } from '../src/jobs/runner';
import { describeEachDatabase, openTestPglite, type TestDatabase } from './db';
import { buildTestApp, seedComplaint, staffWithToken, testConfig } from './factories';

const agent = { kind: 'agent' as const, id: null, channel: 'console' as const };
const scratch = mkdtempSync(path.join(tmpdir(), 'sen-backup-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(scratch, `d${++n}`);

/** Runs Sen's jobs on `dataDir` until one logs a line starting with `prefix` (20 s at most); the lines logged. */
async function jobsUntil(database: TestDatabase, dataDir: string, prefix: string): Promise<string[]> {
  const lines: string[] = [];
  const jobs = startJobs(database, testConfig({ dataDir }), (line) => lines.push(line));
  try {
    const deadline = Date.now() + 20_000;
    while (!lines.some((l) => l.startsWith(prefix)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await jobs.stop();
  }
  return lines;
}

describeEachDatabase('backups of the embedded database', (db, kind) => {
  const dataDir = freshDir();
  let codes: string[] = [];
  let evidence: { sha256: string; bytes: Buffer };
  beforeAll(async () => {
    const made = await Promise.all(Array.from({ length: 5 }, () => seedComplaint(db())));
    codes = made.map((c) => c.code).sort();
    await transitionComplaint({ database: db(), actor: agent, code: codes[0], to: 'acknowledged' });
    const bytes = Buffer.from(`%PDF-1.4 hoá đơn số ${Date.now()}\n`);
    evidence = { sha256: (await LocalFileStore.inDataDir(dataDir).put(bytes)).sha256, bytes };
  });

  it('is listed and made now by an admin through the API, and by no one else', async () => {
    const apiDir = freshDir();
    const app = await buildTestApp(db(), { dataDir: apiDir });
    try {
      const admin = (await staffWithToken(db(), 'admin')).headers;
      for (const role of ['agent', 'supervisor'] as const) {
        const h = (await staffWithToken(db(), role)).headers;
        expect((await app.inject({ method: 'POST', url: '/api/v1/admin/backups', headers: h })).statusCode).toBe(403);
        expect((await app.inject({ url: '/api/v1/admin/backups', headers: h })).statusCode).toBe(403);
      }
      if (kind === 'postgres') {
        const made = await app.inject({ method: 'POST', url: '/api/v1/admin/backups', headers: { ...admin, 'accept-language': 'vi' } });
        expect(made.statusCode).toBe(409);
        expect(made.json().error.code).toBe('backup_not_embedded');
        expect(made.json().error.message).toContain('pg_dump');
        expect((await app.inject({ url: '/api/v1/admin/backups', headers: admin })).json()).toMatchObject({ embedded: false, backups: [] });
        expect(existsSync(path.join(apiDir, 'backups'))).toBe(false);
        return;
      }
      // None yet: overdue. A failed attempt (here the folder cannot be made) is shown until one succeeds.
      expect((await app.inject({ url: '/api/v1/admin/backups', headers: admin })).json()).toMatchObject({ embedded: true, overdue: true, lastFailure: null, backups: [] });
      mkdirSync(apiDir, { recursive: true });
      writeFileSync(path.join(apiDir, 'backups'), 'not a folder');
      const failed = await app.inject({ method: 'POST', url: '/api/v1/admin/backups', headers: admin });
      expect(failed.statusCode).toBe(500);
      const afterFailure = (await app.inject({ url: '/api/v1/admin/backups', headers: admin })).json() as { overdue: boolean; lastFailure: { message: string } | null };
      expect(afterFailure.overdue).toBe(true);
      expect(afterFailure.lastFailure?.message).toMatch(/EEXIST|ENOTDIR/);
      rmSync(path.join(apiDir, 'backups'));

      const made = await app.inject({ method: 'POST', url: '/api/v1/admin/backups', headers: admin });
      expect(made.statusCode, made.body).toBe(201);
      const body = made.json() as { name: string; databaseBytes: number; files: number };
      expect(body.name).toMatch(/^sen-backup-\d{8}-\d{6}$/);
      const list = (await app.inject({ url: '/api/v1/admin/backups', headers: admin })).json() as { backups: { name: string }[] };
      expect(list).toMatchObject({ embedded: true, overdue: false, lastFailure: null, schedule: { hour: 2, keep: 7, enabled: true } });
      expect(list.backups.map((b) => b.name)).toEqual([body.name]);
    } finally {
      await app.close();
    }
  });

  if (kind === 'postgres') {
    it("is refused on PostgreSQL, pointing to the server's own tools", async () => {
      const err = await createBackup(db(), { dataDir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('backup_not_embedded');
      expect(existsSync(path.join(dataDir, 'backups'))).toBe(false);
    });
    return;
  }

  it('makes one backup at a time', async () => {
    const dir = freshDir();
    const [a, b] = await Promise.allSettled([createBackup(db(), { dataDir: dir }), createBackup(db(), { dataDir: dir })]);
    expect(a.status).toBe('fulfilled');
    expect(b.status === 'rejected' && (b.reason as AppError).code).toBe('backup_in_progress');
    expect(await listBackups(dir)).toHaveLength(1);
  });

  it('makes a folder with the database, the evidence files and a manifest, and restores it into a working data folder', async () => {
    const backup = await createBackup(db(), { dataDir, now: new Date('2026-11-27T05:03:09Z') });
    expect(backup.name).toBe('sen-backup-20261127-120309');
    expect(backup.manifest.files).toEqual({ count: 1, bytes: evidence.bytes.length });
    expect(backup.manifest.database.bytes).toBeGreaterThan(10_000);
    expect((await listBackups(dataDir)).map((b) => b.name)).toEqual([backup.name]);

    const target = freshDir();
    await restoreBackup(backup.dir, target);
    const restored = await openDatabase({ dataDir: target });
    try {
      const r = await restored.pool.query<{ code: string; status: string }>('select code, status from complaints order by code');
      expect(r.rows.map((x) => x.code)).toEqual(codes);
      expect(r.rows.find((x) => x.code === codes[0])?.status).toBe('acknowledged');
      const audit = await verifyAudit(restored);
      expect(audit.problems).toEqual([]);
      expect(audit.eventsChecked).toBeGreaterThanOrEqual(6);
    } finally {
      await restored.close();
    }
    expect((await LocalFileStore.inDataDir(target).get(evidence.sha256)).equals(evidence.bytes)).toBe(true);
    await expect(restoreBackup(backup.dir, target)).rejects.toThrow(/already holds a database/);
  });

  it('taken while complaints come in, holds every one stored before it, whole, with gap-free codes', async () => {
    const before = await Promise.all(Array.from({ length: 20 }, () => seedComplaint(db())));
    // 60 more, one after another on 4 lines: the backup starts once 12 are stored, while the others go on.
    const stored: string[] = [];
    const during = Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 15; i++) stored.push((await seedComplaint(db())).code);
      }),
    );
    while (stored.length < 12) await new Promise((r) => setTimeout(r, 5));
    const storedBefore = [...stored];
    const backup = await createBackup(db(), { dataDir, now: new Date('2026-11-27T06:00:00Z') });
    await during;
    const target = freshDir();
    await restoreBackup(backup.dir, target);
    const restored = await openDatabase({ dataDir: target });
    try {
      const r = await restored.pool.query<{ code: string }>('select code from complaints order by code');
      const got = r.rows.map((x) => x.code);
      for (const code of [...before.map((c) => c.code), ...storedBefore]) expect(got).toContain(code);
      // Taken while intakes were being written: some of the 60 are in it, not all of them.
      expect(got.length).toBeGreaterThan(codes.length + before.length + storedBefore.length - 1);
      expect(got.length).toBeLessThan(codes.length + before.length + 60);
      const seqs = got.map((c) => Number(c.slice(-6)));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
      expect((await verifyAudit(restored)).problems).toEqual([]);
    } finally {
      await restored.close();
    }
  });

  it('brings back no one erased after it was made: the erasure ledger goes with every backup, and Sen erases them again when it starts', async () => {
    const dir = freshDir();
    const files = LocalFileStore.inDataDir(dir);
    // Lan's complaint is still open when the backup is made; it is withdrawn and her data erased afterwards.
    const lan = await seedComplaint(db(), { input: { customer: { name: 'Phan Thị Lan', phone: '0987 111 222' }, subject: 'Tủ lạnh không lạnh', description: 'Tủ lạnh mua ở cửa hàng Quận 3 không lạnh sau hai ngày.' } });
    const lanId = (await db().pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [lan.code])).rows[0].customer_id;
    const backup = await createBackup(db(), { dataDir: dir, now: new Date('2026-11-27T19:00:00Z') });
    await transitionComplaint({ database: db(), actor: agent, code: lan.code, to: 'withdrawn', reason: 'Khách đã được đổi hàng' });
    const erased = await anonymiseCustomer({ database: db(), files, actor: agent, customerId: lanId, reason: 'request', note: 'YC-000042', ledgerDir: dir });
    expect(erased.already).toBe(false);
    // The data folder's ledger and the backup's name her (her id, when, why; nothing about her).
    for (const where of [dir, backup.dir]) {
      const text = readFileSync(path.join(where, 'erasures.jsonl'), 'utf8');
      expect(text).toContain(lanId);
      expect(text).not.toContain('Lan');
      expect(text).not.toContain('0987');
    }
    // A backup made later carries the ledger on.
    const later = await createBackup(db(), { dataDir: dir, now: new Date('2026-11-28T19:00:00Z') });
    expect(readFileSync(path.join(later.dir, 'erasures.jsonl'), 'utf8')).toContain(lanId);

    const target = freshDir();
    await restoreBackup(backup.dir, target);
    const restored = await openDatabase({ dataDir: target });
    try {
      const customer = () => restored.pool.query<{ name: string; phone_e164: string | null; anonymised_at: Date | null }>('select name, phone_e164, anonymised_at from customers where id = $1', [lanId]);
      const complaint = () => restored.pool.query<{ status: string; subject: string; description: string }>('select status, subject, description from complaints where code = $1', [lan.code]);
      // The restored database is from before her erasure: her data is in it again…
      expect((await customer()).rows[0]).toMatchObject({ name: 'Phan Thị Lan', phone_e164: '+84987111222', anonymised_at: null });
      // …until Sen starts on it, with her complaint still open there.
      const lines: string[] = [];
      const first = await reapplyErasures({ database: restored, files: LocalFileStore.inDataDir(target), dataDir: target, log: (l) => lines.push(l) });
      expect(first.erasedAgain).toEqual([lanId]);
      expect(lines.join('\n')).toContain('1 customer(s) erased again');
      expect((await customer()).rows[0]).toMatchObject({ name: ANONYMISED_NAME, phone_e164: null });
      expect((await customer()).rows[0].anonymised_at).not.toBeNull();
      expect((await complaint()).rows[0]).toEqual({ status: 'received', subject: REDACTED, description: REDACTED });
      const events = await restored.pool.query<{ type: string; actor_type: string; payload: { reason: string; note: string } }>(
        `select e.type, e.actor_type, e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = $1 and e.type = 'personal_data.anonymised'`,
        [lan.code],
      );
      expect(events.rows).toHaveLength(1);
      expect(events.rows[0]).toMatchObject({ actor_type: 'system', payload: { reason: 'request' } });
      expect(events.rows[0].payload.note).toContain('erased again after a restore');
      expect((await verifyAudit(restored)).problems).toEqual([]);
      // Once is enough: the next start finds nothing to do.
      expect((await reapplyErasures({ database: restored, files: LocalFileStore.inDataDir(target), dataDir: target })).erasedAgain).toEqual([]);
    } finally {
      await restored.close();
    }
  });

  it('refuses an altered backup, or a folder that already holds a database, and writes nothing', async () => {
    const backup = await createBackup(db(), { dataDir, now: new Date('2026-11-28T05:00:00Z') });
    const target = freshDir();
    const dbFile = path.join(backup.dir, 'database.tar.gz');
    const original = readFileSync(dbFile);
    const altered = Buffer.from(original);
    altered[altered.length >> 1] ^= 0xff;
    writeFileSync(dbFile, altered);
    await expect(restoreBackup(backup.dir, target)).rejects.toThrow(/SHA-256 differs/);
    expect(existsSync(target)).toBe(false);
    writeFileSync(dbFile, original);

    const [stored] = readdirSync(path.join(backup.dir, 'files'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const storedPath = path.join(stored.parentPath, stored.name);
    rmSync(storedPath);
    writeFileSync(storedPath, 'tampered');
    await expect(restoreBackup(backup.dir, target)).rejects.toThrow(/was altered/);
    expect(existsSync(target)).toBe(false);
  });

  it('keeps the newest backups only, and leaves alone what it did not make', async () => {
    mkdirSync(path.join(dataDir, 'backups', 'sen-backup-old-copy'), { recursive: true });
    writeFileSync(path.join(dataDir, 'backups', 'notes.txt'), 'copied to the NAS on Fridays');
    for (const day of [1, 2, 3]) await createBackup(db(), { dataDir, now: new Date(`2026-12-0${day}T05:00:00Z`), keep: 2 });
    expect((await listBackups(dataDir)).map((b) => b.name)).toEqual(['sen-backup-20261203-120000', 'sen-backup-20261202-120000']);
    expect(readdirSync(path.join(dataDir, 'backups')).sort()).toEqual(['notes.txt', 'sen-backup-20261202-120000', 'sen-backup-20261203-120000', 'sen-backup-old-copy']);
  });

  it('leaves the target as it was when unpacking fails after the checks, and refuses a folder with anything in it', async () => {
    const backup = (await listBackups(dataDir))[0];
    const forged = path.join(scratch, 'forged-backup');
    cpSync(backup.dir, forged, { recursive: true });
    const junk = Buffer.from('not a tar at all, but the manifest says so');
    writeFileSync(path.join(forged, 'database.tar.gz'), junk);
    const manifest = JSON.parse(readFileSync(path.join(forged, 'manifest.json'), 'utf8'));
    manifest.database.sha256 = createHash('sha256').update(junk).digest('hex');
    writeFileSync(path.join(forged, 'manifest.json'), JSON.stringify(manifest));
    const parent = freshDir();
    mkdirSync(parent);
    const target = path.join(parent, 'data');
    await expect(restoreBackup(forged, target)).rejects.toThrow();
    expect(readdirSync(parent)).toEqual([]);

    mkdirSync(target);
    writeFileSync(path.join(target, 'readme.txt'), 'x');
    await expect(restoreBackup(backup.dir, target)).rejects.toThrow(/is not empty/);
    expect(readdirSync(target)).toEqual(['readme.txt']);
  });

  it('fails, rather than waits for ever, when the embedded database has stopped', async () => {
    const stopped = await openTestPglite();
    await stopped.close();
    await expect(stopped.dumpTo!(path.join(scratch, 'never.tar.gz'))).rejects.toThrow(/stopped/);
  });

  it('when the nightly backup fails, tells the admins in the app, once a day, with the reason', async () => {
    const jobsDir = freshDir();
    mkdirSync(jobsDir, { recursive: true });
    writeFileSync(path.join(jobsDir, 'backups'), 'a file where the folder should be');
    const admin = await staffWithToken(db(), 'admin');
    const agent = await staffWithToken(db(), 'agent');
    const app = await buildTestApp(db(), { dataDir: jobsDir });
    await jobsUntil(db(), jobsDir, 'job db.backup failed');
    type Notices = { items: { kind: string; payload: { message?: string } }[] };
    const mine = (await app.inject({ url: '/api/v1/notifications', headers: admin.headers })).json() as Notices;
    const failed = mine.items.filter((n) => n.kind === 'backup.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].payload.message).toMatch(/EEXIST|ENOTDIR/);
    const theirs = (await app.inject({ url: '/api/v1/notifications', headers: agent.headers })).json() as Notices;
    expect(theirs.items.filter((n) => n.kind === 'backup.failed')).toEqual([]);
    // The same day's next failure adds no second notice.
    await createBackup(db(), { dataDir: jobsDir }).catch(() => undefined);
    const again = await noticeBackupFailure(db(), lastBackupFailure()!);
    expect(again).toBe(0);
    await app.close();
  });

  it('is made by the job when Sen starts its jobs and none is a day old', async () => {
    const jobsDir = freshDir();
    const lines = await jobsUntil(db(), jobsDir, 'db.backup');
    expect(lines).toContainEqual(expect.stringMatching(/^db\.backup: .*sen-backup-\d{8}-\d{6} \(database [\d.]+ MB, 0 evidence files\) in \d+ ms$/));
    expect(await listBackups(jobsDir)).toHaveLength(1);
  });
});
