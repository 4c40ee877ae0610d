/**
 * Deleting an erased customer's files from the file store (commands/anonymise-customer.ts purgeFiles): queued
 * in the erasure's transaction, tried at once, tried again by the retention job when it failed or was put off,
 * and never deleting bytes that another customer's upload, under way or done, refers to.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { LocalFileStore, type FileStore } from '../src/files/store';
import { eraseExpiredCustomers } from '../src/jobs/retention';
import { describeEachDatabase } from './db';
import { PNG, multipart, buildTestApp, randomPhone, seedComplaint, staffWithToken } from './factories';

const scratch = mkdtempSync(path.join(tmpdir(), 'sen-deletions-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** As if written ten minutes ago. */
const age = (file: string) => {
  const then = new Date(Date.now() - 10 * 60_000);
  utimesSync(file, then, then);
};

/**
 * A deletion that stops between moving the file aside and deciding, as when the process ends there: it waits for
 * ever on the question. (Its own later failure, once the file is put back under it, is what a stopped process
 * would never see.)
 */
const stopHalfWay = (files: FileStore, sha256: string) => {
  files.removeUnlessTouched(sha256, Date.now() - 60_000, () => new Promise<boolean>(() => undefined)).catch(() => undefined);
};

describeEachDatabase('deleting an erased customer’s files', (db) => {
  const dataDir = path.join(scratch, randomUUID());
  const files = LocalFileStore.inDataDir(dataDir);
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let admin: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db(), { dataDir });
    agent = await staffWithToken(db(), 'agent');
    admin = await staffWithToken(db(), 'admin');
  });
  afterAll(async () => app?.close());

  /** A new customer's complaint with these files uploaded by an agent; returns its code and customer. */
  async function complaintWith(contents: Buffer[]) {
    const c = await seedComplaint(db(), { input: { customer: { name: 'Khách Thử', phone: randomPhone() } } });
    for (const [i, content] of contents.entries()) {
      const body = multipart({}, [{ filename: `anh-${i}.png`, type: 'image/png', content }]);
      const up = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/attachments`, payload: body.payload, headers: { ...agent.headers, ...body.headers } });
      expect(up.statusCode, up.body).toBe(201);
    }
    const customerId = (await db().pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [c.code])).rows[0].customer_id;
    return { code: c.code, customerId };
  }
  const erase = async (c: { code: string; customerId: string }) => {
    await transitionComplaint({ database: db(), actor: { kind: 'agent', id: null, channel: 'console' }, code: c.code, to: 'withdrawn', reason: 'Khách rút' });
    return app.inject({ method: 'POST', url: `/api/v1/customers/${c.customerId}/anonymise`, payload: { reason: 'request' }, headers: admin.headers });
  };
  const queued = async (b: Buffer) =>
    (await db().pool.query<{ attempts: number; last_error: string | null }>('select attempts, last_error from file_deletions where sha256 = $1', [sha(b)])).rows[0] ?? null;
  /** The disk refuses to delete these bytes: a folder stands where their file was (unlink fails), as old as the file was. */
  const refuseDeletion = (b: Buffer) => {
    const file = files.pathOf(sha(b));
    rmSync(file);
    mkdirSync(file);
    writeFileSync(path.join(file, 'x'), 'x');
    age(file);
    return file;
  };
  /** The disk fixed: the file is back, as it was. */
  const mend = (b: Buffer) => {
    const file = files.pathOf(sha(b));
    rmSync(file, { recursive: true });
    writeFileSync(file, b);
    age(file);
  };

  it('a file that cannot be deleted at the erasure stays queued, and the retention job deletes it once it can', async () => {
    const mine = Buffer.concat([PNG, Buffer.from(randomUUID())]);
    const c = await complaintWith([mine]);
    const file = refuseDeletion(mine);
    const res = await erase(c);
    // The erasure is done and said so; the file waits in the queue with why.
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().filesDeleted).toBe(0);
    expect(await queued(mine)).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/EISDIR|EPERM|directory/i) });
    // The disk is fixed; the next round deletes it and empties the queue.
    mend(mine);
    await eraseExpiredCustomers({ database: db(), files, months: 0 });
    expect(existsSync(file)).toBe(false);
    expect(await queued(mine)).toBeNull();
  });

  it('keeps bytes another customer’s upload has just stored until it refers to them, and deletes them later if it never does', async () => {
    const shared = Buffer.concat([PNG, Buffer.from(`chung ${randomUUID()}`)]);
    const lonely = Buffer.concat([PNG, Buffer.from(`riêng ${randomUUID()}`)]);
    const c = await complaintWith([shared, lonely]);
    for (const b of [shared, lonely]) age(files.pathOf(sha(b)));
    // Two uploads of the same bytes under way elsewhere: stored, their rows not written yet.
    await files.put(shared);
    await files.put(lonely);
    expect((await erase(c)).statusCode).toBe(200);
    for (const b of [shared, lonely]) {
      expect(existsSync(files.pathOf(sha(b)))).toBe(true);
      expect(await queued(b)).toMatchObject({ attempts: 0 });
    }
    // One upload completes: another customer's complaint refers to the shared bytes, which are kept for good.
    await complaintWith([shared]);
    // The other never does; a minute on, nothing refers to those bytes.
    age(files.pathOf(sha(lonely)));
    await eraseExpiredCustomers({ database: db(), files, months: 0 });
    expect((await files.get(sha(shared))).equals(shared)).toBe(true);
    expect(existsSync(files.pathOf(sha(lonely)))).toBe(false);
    expect(await queued(shared)).toBeNull();
    expect(await queued(lonely)).toBeNull();
  });

  it('tells the admins, once a day, when the disk keeps refusing to delete an erased customer’s file', async () => {
    const mine = Buffer.concat([PNG, Buffer.from(randomUUID())]);
    const c = await complaintWith([mine]);
    const file = refuseDeletion(mine);
    expect((await erase(c)).statusCode).toBe(200);
    const notices = async (h: Record<string, string>) =>
      ((await app.inject({ url: '/api/v1/notifications', headers: h })).json() as { items: { kind: string; payload: { count: number; message: string } }[] }).items.filter(
        (n) => n.kind === 'files.delete_failed',
      );
    // The erasure's try and the job's next one: not yet (a passing fault is tried again first).
    await eraseExpiredCustomers({ database: db(), files, months: 0 });
    expect(await notices(admin.headers)).toEqual([]);
    // The third failure is told to every admin, with how many files and why; not to the agents.
    await eraseExpiredCustomers({ database: db(), files, months: 0 });
    const told = await notices(admin.headers);
    expect(told).toHaveLength(1);
    expect(told[0].payload.count).toBeGreaterThanOrEqual(1);
    expect(told[0].payload.message).toMatch(/EISDIR|EPERM|directory/i);
    expect(await notices(agent.headers)).toEqual([]);
    // Every hour it fails again: still one notice that day.
    await eraseExpiredCustomers({ database: db(), files, months: 0 });
    expect(await notices(admin.headers)).toHaveLength(1);
    // Fixed: deleted at the next round, and no more notices.
    mend(mine);
    await eraseExpiredCustomers({ database: db(), files, months: 0 });
    expect(existsSync(file)).toBe(false);
    expect(await queued(mine)).toBeNull();
    // The next days' rounds tell nothing more.
    for (const days of [1, 2]) await eraseExpiredCustomers({ database: db(), files, months: 0, now: new Date(Date.now() + days * 86_400_000) });
    expect(await notices(admin.headers)).toHaveLength(1);
  });

  it('puts back, at the next round, a file that a deletion stopped half way left aside; an erased customer’s is then deleted', async () => {
    const evidence = Buffer.concat([PNG, Buffer.from(`bằng chứng ${randomUUID()}`)]);
    const kept = await complaintWith([evidence]);
    const erasedOnes = Buffer.concat([PNG, Buffer.from(`đã xoá ${randomUUID()}`)]);
    const gone = await complaintWith([erasedOnes]);
    // Erased a moment after the upload: the file is kept for now and queued (a minute's grace).
    expect((await erase(gone)).statusCode).toBe(200);
    expect(await queued(erasedOnes)).toMatchObject({ attempts: 0 });
    // Two deletions stop between moving the file aside and deciding (the process ended): the files are missing.
    for (const b of [evidence, erasedOnes]) {
      age(files.pathOf(sha(b)));
      stopHalfWay(files, sha(b));
    }
    await expect.poll(() => existsSync(files.pathOf(sha(evidence))) || existsSync(files.pathOf(sha(erasedOnes)))).toBe(false);
    const url = `/api/v1/complaints/${kept.code}/attachments/${sha(evidence)}`;
    expect((await app.inject({ url, headers: agent.headers })).statusCode).not.toBe(200);
    // The next round (a while after): the complaint's evidence is back, byte for byte; the erased customer's is deleted.
    await eraseExpiredCustomers({ database: db(), files, months: 0, now: new Date(Date.now() + 60_000) });
    const back = await app.inject({ url, headers: agent.headers });
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(evidence)).toBe(true);
    expect(existsSync(files.pathOf(sha(erasedOnes)))).toBe(false);
    expect(await queued(erasedOnes)).toBeNull();
  });

  it('deletes at once, with the erasure, files written more than a minute before', async () => {
    const mine = Buffer.concat([PNG, Buffer.from(randomUUID())]);
    const c = await complaintWith([mine]);
    age(files.pathOf(sha(mine)));
    const res = await erase(c);
    expect(res.json().filesDeleted).toBe(1);
    expect(existsSync(files.pathOf(sha(mine)))).toBe(false);
    expect(await queued(mine)).toBeNull();
  });
});

describe('deleting a stored file while the same bytes are being stored again', () => {
  const files = LocalFileStore.inDataDir(path.join(scratch, 'race'));
  const since = () => Date.now() - 60_000;

  it('an upload that stores the bytes while the deletion is deciding finds them gone and writes its own copy, which stays', async () => {
    const bytes = Buffer.from(`giữa chừng ${randomUUID()}`);
    await files.put(bytes);
    age(files.pathOf(sha(bytes)));
    // The upload comes between the deletion's last look and its unlink (here: while it asks the database).
    const outcome = await files.removeUnlessTouched(sha(bytes), since(), async () => {
      await files.put(bytes);
      return true;
    });
    expect(outcome).toBe('removed');
    expect((await files.get(sha(bytes))).equals(bytes)).toBe(true);
  });

  it('a file stored again just before, or referred to meanwhile, is put back; an old unwanted one is deleted', async () => {
    const touched = Buffer.from(`vừa lưu lại ${randomUUID()}`);
    await files.put(touched);
    age(files.pathOf(sha(touched)));
    await files.put(touched); // another upload of the same bytes: sets the file's time
    expect(await files.removeUnlessTouched(sha(touched), since(), async () => true)).toBe('kept');
    expect((await files.get(sha(touched))).equals(touched)).toBe(true);

    const wanted = Buffer.from(`có người dùng ${randomUUID()}`);
    await files.put(wanted);
    age(files.pathOf(sha(wanted)));
    expect(await files.removeUnlessTouched(sha(wanted), since(), async () => false)).toBe('kept');
    expect((await files.get(sha(wanted))).equals(wanted)).toBe(true);

    const old = Buffer.from(`cũ ${randomUUID()}`);
    await files.put(old);
    age(files.pathOf(sha(old)));
    expect(await files.removeUnlessTouched(sha(old), since(), async () => true)).toBe('removed');
    expect(existsSync(files.pathOf(sha(old)))).toBe(false);
    expect(await files.removeUnlessTouched(sha(old), since(), async () => true)).toBe('absent');
  });

  it('a file left aside by a deletion that never finished is put back, once it is clearly not one under way', async () => {
    const bytes = Buffer.from(`bỏ dở ${randomUUID()}`);
    await files.put(bytes);
    age(files.pathOf(sha(bytes)));
    stopHalfWay(files, sha(bytes));
    await expect.poll(() => existsSync(files.pathOf(sha(bytes)))).toBe(false);
    await expect(files.get(sha(bytes))).rejects.toThrow();
    // Moved aside a moment ago: it may be a deletion still deciding, left alone.
    expect(await files.recoverInterruptedDeletions()).toBe(0);
    expect(existsSync(files.pathOf(sha(bytes)))).toBe(false);
    // Later, it is put back.
    expect(await files.recoverInterruptedDeletions(10_000, Date.now() + 60_000)).toBe(1);
    expect((await files.get(sha(bytes))).equals(bytes)).toBe(true);
    expect(await files.recoverInterruptedDeletions(0)).toBe(0);
  });

  it('a file left aside whose bytes were stored again meanwhile is dropped: the stored copy stays', async () => {
    const bytes = Buffer.from(`lưu lại ${randomUUID()}`);
    await files.put(bytes);
    age(files.pathOf(sha(bytes)));
    stopHalfWay(files, sha(bytes));
    await expect.poll(() => existsSync(files.pathOf(sha(bytes)))).toBe(false);
    await files.put(bytes);
    expect(await files.recoverInterruptedDeletions(0)).toBe(0);
    expect((await files.get(sha(bytes))).equals(bytes)).toBe(true);
    expect(readdirSync(path.join(scratch, 'race', 'files', 'deleting')).filter((n) => n.startsWith(sha(bytes)))).toEqual([]);
  });
});
