import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './db';
import { openDatabase } from '../src/db/open';
import { seedComplaint } from './factories';

const run = promisify(execFile);

async function sen(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run('node', ['bin/sen.js', ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('sen CLI', () => {
  it('lists the 2026 public holidays as a JSON array', async () => {
    const r = await sen(['calendar', 'holidays', '2026']);
    expect(r.code).toBe(0);
    const days = JSON.parse(r.stdout) as string[];
    expect(days).toContain('2026-02-17');
    expect(days).toContain('2026-04-27');
    expect(days).not.toContain('2026-01-03');
  });

  it('adds working days and hours, printing the deadline in +07:00', async () => {
    const [days, hours, calendarHours] = await Promise.all([
      sen(['calendar', 'add', '--from', '2026-11-25T09:00:00+07:00', '--working-days', '20']),
      sen(['calendar', 'add', '--from', '2026-11-25T09:00:00+07:00', '--working-hours', '48']),
      sen(['calendar', 'add', '--from', '2026-11-25T09:00:00+07:00', '--working-hours', '48', '--mode', 'calendar-hours-on-working-days']),
    ]);
    expect(days.stdout.trim()).toBe('2026-12-23T17:00:00+07:00');
    expect(hours.stdout.trim()).toBe('2026-12-03T09:00:00+07:00');
    expect(calendarHours.stdout.trim()).toBe('2026-11-27T09:00:00+07:00');
  });

  it('exits with 2 and a clear message on bad arguments', async () => {
    const cases = [
      ['calendar', 'holidays', '1800'],
      ['calendar', 'add', '--from', 'yesterday', '--working-days', '2'],
      ['calendar', 'add', '--from', '2026-01-01T00:00:00Z'],
      ['calendar', 'add', '--from', '2026-01-01T00:00:00Z', '--working-days', '-3'],
      ['calendar', 'add', '--from', '2026-01-01T00:00:00Z', '--working-hours', '4', '--mode', 'nonsense'],
      ['frobnicate'],
    ];
    const results = await Promise.all(cases.map((args) => sen(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i].join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0].length).toBeGreaterThan(10);
    });
  });

  it('explains `sen user add` on --help (exit 0) and names each bad argument', async () => {
    for (const args of [['user', 'add', '--help'], ['user', '--help'], ['user', 'add', '-h']]) {
      const r = await sen(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('sen user add --email E --name N --role R --password P');
      expect(r.stdout).toContain('at least 10 characters');
    }
    const missing = await sen(['user', 'add', '--email', 'x@sen.test']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('--name is required');
  });

  describe('first start of the server on an empty data folder', () => {
    const start = (env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-first-'));
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/http/server.ts'], {
          env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', BASE_URL: 'http://sen.test', LOG: '0', JOBS: '0', SMTP_PORT: 'off', ...env },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Sen is running')) child.kill('SIGTERM');
        });
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, out }));
      });

    it('creates the admin and prints where to log in', async () => {
      const r = await start({ ADMIN_EMAIL: 'Quan.Tri@CongTy.vn', ADMIN_PASSWORD: 'mat-khau-quan-tri' });
      expect(r.out).toContain('Admin account created: quan.tri@congty.vn');
      expect(r.out).toContain('Log in at: http://sen.test/staff/login');
      expect(r.out).not.toContain('mat-khau-quan-tri');
    });

    it('refuses a bad ADMIN_EMAIL or ADMIN_PASSWORD, naming the setting and what is wrong, and exits 1', async () => {
      const r = await start({ ADMIN_EMAIL: 'khong-phai-email', ADMIN_PASSWORD: 'ngan' });
      expect(r.code).toBe(1);
      expect(r.out).toContain('The first admin account could not be created');
      expect(r.out).toMatch(/ADMIN_EMAIL: .+ \/ .+/);
      expect(r.out).toContain('ADMIN_PASSWORD: Quá ngắn. / Too short. (≥ 10)');
      expect(r.out).not.toContain('Sen is running');
    });
  });

  describe('with a database', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openTestDatabase('postgres');
    });
    afterAll(async () => db?.close());

    it('adds a staff user with an argon2id hash and refuses a bad role', async () => {
      const ok = await sen(['user', 'add', '--email', 'Lan@Sen.test', '--name', 'Nguyễn Lan', '--role', 'supervisor', '--password', 'mat-khau-rat-dai'], { DATABASE_URL: db.url! });
      expect(ok.code, ok.stderr).toBe(0);
      const r = await db.pool.query('select email, role, password_hash from staff_users');
      expect(r.rows[0]).toMatchObject({ email: 'lan@sen.test', role: 'supervisor' });
      expect(r.rows[0].password_hash).toMatch(/^\$argon2id\$/);
      const bad = await sen(['user', 'add', '--email', 'x@sen.test', '--name', 'X', '--role', 'king', '--password', 'mat-khau-rat-dai'], { DATABASE_URL: db.url! });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('role');
    });

    it('resets a forgotten password from the server (sessions end, the login pause is lifted) and lists the accounts', async () => {
      const env = { DATABASE_URL: db.url! };
      const added = await sen(['user', 'add', '--email', 'quan.tri@sen.test', '--name', 'Quản Trị', '--role', 'admin', '--password', 'mat-khau-cu-dai'], env);
      expect(added.code, added.stderr).toBe(0);
      const { id } = JSON.parse(added.stdout) as { id: string };
      const oldHash = (await db.pool.query('select password_hash from staff_users where id = $1', [id])).rows[0].password_hash as string;
      await db.pool.query(`insert into sessions (token_hash, user_id, csrf_token, expires_at) values ('h', $1, 'c', now() + interval '1 day')`, [id]);
      const { loginSubject } = await import('../src/commands/staff-accounts');
      await db.pool.query(`insert into failed_checks (subject, first_at, failures) values ($1, now(), 99)`, [loginSubject('quan.tri@sen.test')]);

      const short = await sen(['user', 'password', '--email', 'quan.tri@sen.test', '--password', 'ngan'], env);
      expect(short.code).toBe(2);
      expect(short.stderr).toContain('password: Quá ngắn. / Too short.');
      const unknown = await sen(['user', 'password', '--email', 'ai.do@sen.test', '--password', 'mat-khau-moi-dai'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('Not found.');

      const reset = await sen(['user', 'password', '--email', 'Quan.Tri@sen.test', '--password', 'mat-khau-moi-dai'], env);
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toContain('password reset for quan.tri@sen.test');
      const newHash = (await db.pool.query('select password_hash from staff_users where id = $1', [id])).rows[0].password_hash as string;
      expect(newHash).not.toBe(oldHash);
      expect(newHash).toMatch(/^\$argon2id\$/);
      const { verify } = await import('@node-rs/argon2');
      expect(await verify(newHash, 'mat-khau-moi-dai')).toBe(true);
      expect((await db.pool.query('select 1 from sessions where user_id = $1', [id])).rowCount).toBe(0);
      expect((await db.pool.query('select 1 from failed_checks where subject = $1', [loginSubject('quan.tri@sen.test')])).rowCount).toBe(0);
      const trail = await db.pool.query('select kind, actor_id from staff_account_events where user_id = $1 order by id', [id]);
      expect(trail.rows).toEqual([{ kind: 'created', actor_id: null }, { kind: 'password_reset', actor_id: null }]);

      const list = await sen(['user', 'list'], env);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('quan.tri@sen.test\tadmin\tactive\tQuản Trị');
    });

    it('audit verify exits 0 on an intact timeline and 1 naming the complaint after tampering', async () => {
      const { code, id } = await seedComplaint(db);
      const clean = await sen(['audit', 'verify'], { DATABASE_URL: db.url! });
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain('timeline intact');
      await db.pool.query(`update timeline_events set actor_type = 'admin' where complaint_id = $1`, [id]);
      const tampered = await sen(['audit', 'verify'], { DATABASE_URL: db.url! });
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toContain(`${code}\tevent 1\thash_mismatch`);
      const last = await seedComplaint(db);
      await seedComplaint(db);
      await db.pool.query('delete from timeline_events where complaint_id = $1', [last.id]);
      await db.pool.query('delete from idempotency_keys where complaint_id = $1', [last.id]);
      await db.pool.query('delete from complaints where id = $1', [last.id]);
      const deleted = await sen(['audit', 'verify'], { DATABASE_URL: db.url! });
      expect(deleted.code).toBe(1);
      expect(deleted.stdout).toContain(`${last.code}\t-\tmissing_complaint`);
    });
  });

  it('db maintain vacuums and analyses an embedded data folder\'s tables that need it; PostgreSQL is left to its autovacuum', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-cli-'));
    const embedded = await openDatabase({ dataDir: dir });
    try {
      const created = await Promise.all(Array.from({ length: 60 }, () => seedComplaint(embedded)));
      await embedded.pool.query(`update complaints set priority = 'high' where id = any($1::uuid[])`, [created.map((c) => c.id)]);
    } finally {
      await embedded.close();
    }
    const first = await sen(['db', 'maintain'], { DATA_DIR: dir, DATABASE_URL: '' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^vacuum \+ analyze\tcomplaints\t\d+ ms$/m);
    const second = await sen(['db', 'maintain'], { DATA_DIR: dir, DATABASE_URL: '' });
    expect(second.stdout).not.toContain('complaints');
    fs.rmSync(dir, { recursive: true, force: true });

    const server = await openTestDatabase('postgres');
    try {
      const r = await sen(['db', 'maintain'], { DATABASE_URL: server.url! });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('autovacuum');
    } finally {
      await server.close();
    }
  });

  it('backs up a stopped embedded data folder, lists and restores it; on PostgreSQL it points to pg_dump', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-cli-'));
    const embedded = await openDatabase({ dataDir: dir });
    let code: string;
    let customerId: string;
    try {
      code = (await seedComplaint(embedded)).code;
      customerId = (await embedded.pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [code])).rows[0].customer_id;
      // While Sen holds the folder, the command says where to back up instead.
      const busy = await sen(['backup'], { DATA_DIR: dir, DATABASE_URL: '' });
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('Sao lưu dữ liệu');
    } finally {
      await embedded.close();
    }
    const made = await sen(['backup'], { DATA_DIR: dir, DATABASE_URL: '' });
    expect(made.code, made.stderr).toBe(0);
    const backupDir = made.stdout.split('\t')[0];
    expect(path.dirname(backupDir)).toBe(path.join(dir, 'backups'));
    const list = await sen(['backup', 'list'], { DATA_DIR: dir, DATABASE_URL: '' });
    expect(list.stdout).toContain(backupDir);

    const target = path.join(dir, 'restored');
    const restored = await sen(['restore', backupDir, '--data-dir', target], { DATABASE_URL: '' });
    expect(restored.code, restored.stderr).toBe(0);
    const again = await openDatabase({ dataDir: target });
    try {
      expect((await again.pool.query('select code from complaints')).rows).toEqual([{ code }]);
    } finally {
      await again.close();
    }
    const twice = await sen(['restore', backupDir, '--data-dir', target], { DATABASE_URL: '' });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already holds a database');
    // Another erasure ledger (the old data folder's, for a backup copied away before an erasure) comes along;
    // one that cannot be read stops the restore before anything is written.
    const missing = await sen(['restore', backupDir, '--data-dir', path.join(dir, 'r2'), '--erasures', path.join(dir, 'nope.jsonl')], { DATABASE_URL: '' });
    expect(missing.code).not.toBe(0);
    expect(fs.existsSync(path.join(dir, 'r2'))).toBe(false);
    const ledger = path.join(dir, 'old-erasures.jsonl');
    fs.writeFileSync(ledger, `${JSON.stringify({ customerId: customerId!, at: '2026-11-28T03:00:00.000Z', reason: 'request' })}\n`);
    const withLedger = await sen(['restore', backupDir, '--data-dir', path.join(dir, 'r2'), '--erasures', ledger], { DATABASE_URL: '' });
    expect(withLedger.code, withLedger.stderr).toBe(0);
    expect(withLedger.stdout).toContain('erases again, before serving, whoever of the 1 customer(s)');
    expect(fs.readFileSync(path.join(dir, 'r2', 'erasures.jsonl'), 'utf8')).toContain(customerId!);
    fs.rmSync(dir, { recursive: true, force: true });

    const server = await sen(['backup'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    expect(server.code).toBe(2);
    expect(server.stderr).toContain('pg_dump');
  });

  it('migrates an embedded data folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-cli-'));
    const r = await sen(['migrate'], { DATA_DIR: dir, DATABASE_URL: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'pg'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
