/**
 * The erasure ledger (files/erasure-ledger.ts) and its use when Sen starts (jobs/reapply-erasures.ts), on both
 * databases. The embedded database's own backup-and-restore round trip is in backup.test.ts; here a database
 * "restored from before an erasure" is one whose customer is not erased while the data folder's ledger names them,
 * which is what a PostgreSQL server brought back from a dump made before the erasure looks like to Sen.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymiseCustomer } from '../src/commands/anonymise-customer';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { verifyAudit } from '../src/commands/verify-audit';
import { BACKUP_FORMAT } from '../src/db/backup';
import { openDatabase } from '../src/db/open';
import { ANONYMISED_NAME, REDACTED } from '../src/domain/personal-data';
import { parseErasureLedger, readErasureLedger, recordErasures } from '../src/files/erasure-ledger';
import { LocalFileStore } from '../src/files/store';
import { reapplyErasures } from '../src/jobs/reapply-erasures';
import { eraseExpiredCustomers } from '../src/jobs/retention';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from './db';
import { buildIntake, randomPhone, seedComplaint } from './factories';
import { createComplaint } from '../src/commands/create-complaint';

const agent = { kind: 'agent' as const, id: null, channel: 'console' as const };
const scratch = mkdtempSync(path.join(tmpdir(), 'sen-ledger-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(scratch, `d${++n}`);

/** A folder that lists as a complete backup (a manifest), to see the ledger written into it. */
function fakeBackup(dataDir: string, name: string): string {
  const dir = path.join(dataDir, 'backups', name);
  mkdirSync(dir, { recursive: true });
  const manifest = { format: BACKUP_FORMAT, createdAt: '2026-11-27T19:00:00.000Z', database: { file: 'database.tar.gz', bytes: 1, sha256: '0'.repeat(64) }, files: { count: 0, bytes: 0 } };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('the erasure ledger', () => {
  it('reads whole lines and skips one cut short, or anything that is not an entry', () => {
    const id = '0193a3c2-7b1e-7c00-8000-000000000001';
    const text = [
      JSON.stringify({ customerId: id, at: '2026-11-27T03:00:00.000Z', reason: 'retention' }),
      '',
      JSON.stringify({ customerId: 'not-an-id', at: '2026-11-27T03:00:00.000Z', reason: 'request' }),
      JSON.stringify({ customerId: id, at: 'yesterday', reason: 'request' }),
      JSON.stringify({ customerId: id, at: '2026-11-28T03:00:00.000Z', reason: 'whatever' }),
      '{"customerId":"0193a3c2-7b1e-7c00-8000-0000000',
    ].join('\n');
    expect(parseErasureLedger(text)).toEqual([
      { customerId: id, at: '2026-11-27T03:00:00.000Z', reason: 'retention' },
      { customerId: id, at: '2026-11-28T03:00:00.000Z', reason: 'request' },
    ]);
  });

  it('appends to the data folder and to every complete backup in it, and makes the folder if need be', async () => {
    const dir = freshDir();
    const a = fakeBackup(dir, 'sen-backup-20261127-020000');
    mkdirSync(path.join(dir, 'backups', 'sen-backup-20261128-020000.partial'), { recursive: true });
    const entry = { customerId: '0193a3c2-7b1e-7c00-8000-000000000002', at: '2026-11-28T03:00:00.000Z', reason: 'request' as const };
    expect(await recordErasures(dir, [entry])).toEqual({ backupsFailed: [] });
    expect(await recordErasures(dir, [{ ...entry, at: '2026-11-29T03:00:00.000Z' }])).toEqual({ backupsFailed: [] });
    expect((await readErasureLedger(dir)).map((e) => e.at)).toEqual(['2026-11-28T03:00:00.000Z', '2026-11-29T03:00:00.000Z']);
    expect((await readErasureLedger(a)).map((e) => e.at)).toEqual(['2026-11-28T03:00:00.000Z', '2026-11-29T03:00:00.000Z']);
    expect(existsSync(path.join(dir, 'backups', 'sen-backup-20261128-020000.partial', 'erasures.jsonl'))).toBe(false);
    expect(await readErasureLedger(freshDir())).toEqual([]);
  });
});

describe('the erasure ledger after a crash', () => {
  it('keeps a line cut short apart from the lines written after it', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const torn = '{"customerId":"0193a3c2-7b1e-7c00-8000-0000000';
    writeFileSync(path.join(dir, 'erasures.jsonl'), `${JSON.stringify({ customerId: '0193a3c2-7b1e-7c00-8000-000000000003', at: '2026-11-27T03:00:00.000Z', reason: 'request' })}\n${torn}`);
    const entry = { customerId: '0193a3c2-7b1e-7c00-8000-000000000004', at: '2026-11-28T03:00:00.000Z', reason: 'retention' as const };
    await recordErasures(dir, [entry]);
    expect((await readErasureLedger(dir)).map((e) => e.customerId)).toEqual(['0193a3c2-7b1e-7c00-8000-000000000003', entry.customerId]);
    expect(readFileSync(path.join(dir, 'erasures.jsonl'), 'utf8').split('\n')).toContain(torn);
  });
});

describeEachDatabase('erasures survive a restore', (db) => {
  async function withdrawnCustomer(database: TestDatabase, name: string) {
    const phone = randomPhone();
    const c = await seedComplaint(database, { input: { customer: { name, phone }, subject: 'Máy lọc nước rò rỉ', description: `Máy lọc nước của ${name} rò rỉ ở van.` } });
    const id = (await database.pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [c.code])).rows[0].customer_id;
    return { code: c.code, id, phone };
  }

  it('an erasure is written, once, to the ledger of the data folder and of its backups', async () => {
    const dir = freshDir();
    const backup = fakeBackup(dir, 'sen-backup-20261127-020000');
    const { code, id } = await withdrawnCustomer(db(), 'Lý Thị Hoa');
    await transitionComplaint({ database: db(), actor: agent, code, to: 'withdrawn', reason: 'Khách tự xử lý được' });
    await anonymiseCustomer({ database: db(), files: LocalFileStore.inDataDir(dir), actor: agent, customerId: id, reason: 'retention', ledgerDir: dir });
    for (const where of [dir, backup]) {
      expect((await readErasureLedger(where)).filter((e) => e.customerId === id).map((e) => e.reason)).toEqual(['retention']);
      expect(readFileSync(path.join(where, 'erasures.jsonl'), 'utf8')).not.toContain('Hoa');
    }
    // Erasing again is refused as done already, and adds no line.
    expect((await anonymiseCustomer({ database: db(), files: LocalFileStore.inDataDir(dir), actor: agent, customerId: id, reason: 'request', ledgerDir: dir })).already).toBe(true);
    expect((await readErasureLedger(dir)).filter((e) => e.customerId === id)).toHaveLength(1);
  });

  it('when Sen starts, a customer the ledger names and the database does not show erased is erased again, even with a complaint open there', async () => {
    const dir = freshDir();
    const { code, id, phone } = await withdrawnCustomer(db(), 'Mai Văn Sơn');
    // The database as restored from before the erasure: his complaint open, his data all there.
    await recordErasures(dir, [{ customerId: id, at: '2026-11-28T03:00:00.000Z', reason: 'request' }]);
    const bystander = await withdrawnCustomer(db(), 'Đinh Thị Yến');
    const lines: string[] = [];
    const r = await reapplyErasures({ database: db(), files: LocalFileStore.inDataDir(dir), dataDir: dir, log: (l) => lines.push(l) });
    expect(r.erasedAgain).toEqual([id]);
    expect(lines).toEqual(['personal_data: 1 customer(s) erased again: the database was restored from a backup made before their erasure']);
    const customer = (await db().pool.query('select name, phone_e164, anonymised_at from customers where id = $1', [id])).rows[0];
    expect(customer).toMatchObject({ name: ANONYMISED_NAME, phone_e164: null });
    expect(customer.anonymised_at).not.toBeNull();
    expect((await db().pool.query('select status, subject, description, search_text from complaints where code = $1', [code])).rows[0]).toMatchObject({
      status: 'received',
      subject: REDACTED,
      description: REDACTED,
    });
    expect((await db().pool.query('select count(*)::int as n from customers where phone_e164 = $1', [`+84${phone.slice(1)}`])).rows[0].n).toBe(0);
    // No one else is touched, and the chains still verify.
    expect((await db().pool.query('select name, anonymised_at from customers where id = $1', [bystander.id])).rows[0]).toEqual({ name: 'Đinh Thị Yến', anonymised_at: null });
    expect((await verifyAudit(db())).problems).toEqual([]);
    // The next start has nothing to do, and the ledger does not grow.
    const before = readFileSync(path.join(dir, 'erasures.jsonl'), 'utf8');
    expect((await reapplyErasures({ database: db(), files: LocalFileStore.inDataDir(dir), dataDir: dir })).erasedAgain).toEqual([]);
    expect(readFileSync(path.join(dir, 'erasures.jsonl'), 'utf8').split(id).length).toBe(before.split(id).length);
  });

  it('completes the ledger with customers the database shows erased and it does not name, once', async () => {
    const dir = freshDir();
    const backup = fakeBackup(dir, 'sen-backup-20261127-020000');
    const { code, id } = await withdrawnCustomer(db(), 'Cao Minh Trí');
    await transitionComplaint({ database: db(), actor: agent, code, to: 'withdrawn', reason: 'Trùng khiếu nại khác' });
    // Erased without its line (the process stopped between the erasure and the ledger; an install older than it).
    await anonymiseCustomer({ database: db(), files: LocalFileStore.inDataDir(dir), actor: agent, customerId: id, reason: 'retention' });
    expect(existsSync(path.join(dir, 'erasures.jsonl'))).toBe(false);
    const r = await reapplyErasures({ database: db(), files: LocalFileStore.inDataDir(dir), dataDir: dir });
    expect(r.erasedAgain).toEqual([]);
    expect(r.recorded).toBeGreaterThanOrEqual(1);
    for (const where of [dir, backup]) expect((await readErasureLedger(where)).filter((e) => e.customerId === id).map((e) => e.reason)).toEqual(['retention']);
    expect((await reapplyErasures({ database: db(), files: LocalFileStore.inDataDir(dir), dataDir: dir })).recorded).toBe(0);
  });

  it('a ledger the disk refuses does not undo or fail the erasure; the retention job adds its line later, however old', async () => {
    const dir = freshDir();
    const outbox = path.join(dir, 'outbox');
    const { code } = (await createComplaint({
      database: db(),
      actor: { kind: 'customer', id: null, channel: 'web' },
      channel: 'web',
      input: buildIntake({ customer: { name: 'Tạ Thị Nga', phone: randomPhone(), email: `nga.${n}.${Date.now()}@example.vn` } }) as never,
      requireConsent: true,
      receipt: { baseUrl: 'http://sen.test', companyName: 'Sen' },
    })) as { code: string };
    const id = (await db().pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [code])).rows[0].customer_id;
    await transitionComplaint({ database: db(), actor: agent, code, to: 'withdrawn', reason: 'Khách rút đơn' });
    const queued = (await db().pool.query<{ id: string }>('select o.id from outbound_messages o join complaints c on c.id = o.complaint_id where c.code = $1', [code])).rows;
    expect(queued.length).toBeGreaterThan(0);
    mkdirSync(outbox, { recursive: true });
    for (const o of queued) writeFileSync(path.join(outbox, `${o.id}.eml`), 'Subject: x\r\n\r\nTạ Thị Nga');
    // The ledger's place is taken by a folder: appending to it fails.
    mkdirSync(path.join(dir, 'erasures.jsonl'), { recursive: true });
    const r = await anonymiseCustomer({ database: db(), files: LocalFileStore.inDataDir(dir), outboxDir: outbox, actor: agent, customerId: id, reason: 'request', ledgerDir: dir });
    expect(r.already).toBe(false);
    expect(r.ledger).toMatchObject({ written: false, error: expect.any(String) });
    expect((await db().pool.query('select anonymised_at from customers where id = $1', [id])).rows[0].anonymised_at).not.toBeNull();
    for (const o of queued) expect(existsSync(path.join(outbox, `${o.id}.eml`))).toBe(false);
    // The disk mended; later erasures (days later) are written meanwhile: the missing one is still found.
    rmSync(path.join(dir, 'erasures.jsonl'), { recursive: true });
    await recordErasures(dir, [{ customerId: '00000000-0000-4000-8000-000000000001', at: new Date(Date.now() + 5 * 86_400_000).toISOString(), reason: 'request' }]);
    const lines: string[] = [];
    await eraseExpiredCustomers({ database: db(), files: LocalFileStore.inDataDir(dir), ledgerDir: dir, months: 0, log: (l) => lines.push(l) });
    expect((await readErasureLedger(dir)).filter((e) => e.customerId === id).map((e) => e.reason)).toEqual(['request']);
    expect(lines.some((l) => /erasure\(s\) added to the erasure ledger/.test(l))).toBe(true);
  });
});

describe('Sen started on a restored database', () => {
  /** Starts `src/http/server.ts` as `npm start` does and resolves with its output once it serves (60 s at most). */
  function startSen(env: Record<string, string>): Promise<{ output: string; stop: () => Promise<void> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/http/server.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', BASE_URL: 'http://sen.test', LOG: '0', JOBS: '0', SMTP_PORT: 'off', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`Sen did not start:\n${output}`));
      }, 60_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes('Sen is running')) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          const exited = new Promise<void>((done) => child.once('exit', () => done()));
          resolve({ output, stop: () => (child.kill('SIGTERM'), exited) });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Sen exited (${code}):\n${output}`));
      });
    });
  }

  for (const kind of ['pglite', 'postgres'] as const) {
    it(`erases again, before it serves, whoever its ledger names and the database holds (${kind})`, async () => {
      const dir = freshDir();
      const server = kind === 'postgres' ? await openTestDatabase('postgres') : null;
      const opened = server ?? (await openDatabase({ dataDir: dir }));
      let id: string;
      try {
        const c = await seedComplaint(opened, { input: { customer: { name: 'Hồ Thị Thu', phone: randomPhone() } } });
        id = (await opened.pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [c.code])).rows[0].customer_id;
      } finally {
        if (!server) await opened.close();
      }
      await recordErasures(dir, [{ customerId: id, at: '2026-11-28T03:00:00.000Z', reason: 'request' }]);
      const sen = await startSen(server ? { DATABASE_URL: server.url!, DATA_DIR: dir } : { DATABASE_URL: '', DATA_DIR: dir });
      await sen.stop();
      expect(sen.output.indexOf('1 customer(s) erased again')).toBeGreaterThanOrEqual(0);
      expect(sen.output.indexOf('1 customer(s) erased again')).toBeLessThan(sen.output.indexOf('Sen is running'));
      const after = server ?? (await openDatabase({ dataDir: dir }));
      try {
        expect((await after.pool.query('select name from customers where id = $1', [id])).rows[0]).toEqual({ name: ANONYMISED_NAME });
      } finally {
        await after.close();
      }
    }, 120_000);
  }
});
