/**
 * Evidence files in an S3-compatible object store (S3_URL; files/s3-store.ts), against a real S3 API server over a socket
 * (s3rver, test/s3-server.ts): stored once under their hash, checked when read, staged on disk before being kept, and
 * deleted for an erasure only when no upload of the same bytes is about to refer to them — the hold in the database, locked
 * by the deletion, is what makes that so. Then the whole app on it: an agent's upload, its download, and its erasure.
 */
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3Url } from '../src/config';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { purgeFiles } from '../src/commands/anonymise-customer';
import { openFileStore } from '../src/files/open';
import { S3FileStore } from '../src/files/s3-store';
import { LocalFileStore } from '../src/files/store';
import { describeEachDatabase } from './db';
import { PNG, buildTestApp, multipart, randomPhone, seedComplaint, staffWithToken } from './factories';
import { startS3Server } from './s3-server';

const scratch = mkdtempSync(path.join(tmpdir(), 'sen-s3-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('S3_URL', () => {
  it('gives the endpoint, bucket, prefix, region and keys (percent-encoded), path-style unless asked', () => {
    expect(parseS3Url('https://AKIA123:abc%2Fdef%2Bg@s3.ap-southeast-1.amazonaws.com/cong-ty-kn/sen/evidence?region=ap-southeast-1')).toEqual({
      endpoint: 'https://s3.ap-southeast-1.amazonaws.com',
      region: 'ap-southeast-1',
      bucket: 'cong-ty-kn',
      prefix: 'sen/evidence/',
      accessKeyId: 'AKIA123',
      secretAccessKey: 'abc/def+g',
      pathStyle: true,
    });
    expect(parseS3Url('http://minio:minio123@10.0.0.5:9000/sen?style=virtual')).toMatchObject({ endpoint: 'http://10.0.0.5:9000', region: 'us-east-1', prefix: '', pathStyle: false });
  });

  it('refuses, saying how it should look, a URL without keys or bucket, of another scheme or style', () => {
    for (const bad of ['s3://a:b@host/bucket', 'https://host/bucket', 'https://a:b@host/', 'https://a:b@host/Bucket_1', 'https://a:b@host/sen?style=dns', 'khong phai url']) {
      expect(() => parseS3Url(bad), bad).toThrow(/^S3_URL .+: https:\/\/ACCESS_KEY:SECRET_KEY@host\/bucket/);
    }
  });
});

describeEachDatabase('evidence files in an S3-compatible store', (db) => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let store: S3FileStore;
  let raw: S3Client;
  beforeAll(async () => {
    s3 = await startS3Server({ prefix: 'sen/' });
    store = new S3FileStore(s3.settings, db(), path.join(scratch, randomUUID()));
    raw = new S3Client({
      endpoint: s3.settings.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });
  afterAll(async () => {
    await store?.close();
    raw?.destroy();
    await s3?.close();
  });

  const key = (sha256: string) => `sen/${sha256.slice(0, 2)}/${sha256}`;
  const inBucket = async (sha256: string) =>
    raw.send(new HeadObjectCommand({ Bucket: s3.settings.bucket, Key: key(sha256) })).then(
      () => true,
      (err: { $metadata?: { httpStatusCode?: number } }) => (err.$metadata?.httpStatusCode === 404 ? false : Promise.reject(err)),
    );
  /** The hold a put left (on PostgreSQL, in `file_holds`; the embedded database's one process keeps them in memory). */
  const holdOf = async (sha256: string) =>
    db().kind === 'postgres' ? ((await db().pool.query<{ held_at: Date }>('select held_at from file_holds where sha256 = $1', [sha256])).rows[0]?.held_at ?? null) : 'memory';
  /** A deletion's cut-off under which everything stored so far counts as stored a while ago. */
  const afterNow = () => Date.now() + 1000;
  const aMinuteAgo = () => Date.now() - 60_000;

  it('stores bytes under their SHA-256 in the bucket, once, and reads them back', async () => {
    const bytes = Buffer.from(`%PDF-1.4 hóa đơn ${randomUUID()}`);
    const a = await store.put(bytes);
    expect(a).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(await inBucket(a.sha256)).toBe(true);
    expect(await store.put(bytes)).toEqual(a);
    expect((await store.get(a.sha256)).equals(bytes)).toBe(true);
    expect(await holdOf(a.sha256)).not.toBeNull();
  });

  it('says at start whether the bucket answers', async () => {
    expect(await store.checkBucket()).toBeNull();
    const wrong = new S3FileStore({ ...s3.settings, bucket: 'khong-co-kho' }, db(), path.join(scratch, randomUUID()));
    try {
      expect(await wrong.checkBucket()).toMatch(/404/);
    } finally {
      await wrong.close();
    }
  });

  it('stages a stream on disk to be read before it is kept in the bucket or discarded', async () => {
    const bytes = Buffer.concat([Buffer.from('From: khach@vidu.vn\r\n\r\n'), randomBytes(2 * 1024 * 1024)]);
    const staged = await store.stage(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
    expect(readFileSync(staged.path).equals(bytes)).toBe(true);
    expect(await inBucket(staged.sha256)).toBe(false);
    expect(await staged.keep()).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(existsSync(staged.path)).toBe(false);
    expect((await store.get(sha(bytes))).equals(bytes)).toBe(true);
    const dropped = await store.stage(Readable.from([Buffer.from(`thư rác ${randomUUID()}`)]));
    await dropped.discard();
    expect(existsSync(dropped.path)).toBe(false);
    expect(await inBucket(dropped.sha256)).toBe(false);
  });

  it('notices an object altered in the bucket, and says a missing one is missing', async () => {
    const { sha256 } = await store.put(Buffer.from(`ảnh sản phẩm ${randomUUID()}`));
    await raw.send(new PutObjectCommand({ Bucket: s3.settings.bucket, Key: key(sha256), Body: Buffer.from('tampered') }));
    await expect(store.get(sha256)).rejects.toThrow('altered');
    await expect(store.get('0'.repeat(64))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('deletes a file stored a while ago that nothing refers to; keeps one stored since, or referred to since', async () => {
    const old = await store.put(Buffer.from(`cũ ${randomUUID()}`));
    expect(await store.removeUnlessTouched(old.sha256, afterNow(), async () => true)).toBe('removed');
    expect(await inBucket(old.sha256)).toBe(false);
    if (db().kind === 'postgres') expect(await holdOf(old.sha256)).toBeNull();
    expect(await store.removeUnlessTouched(old.sha256, afterNow(), async () => true)).toBe('absent');

    const fresh = await store.put(Buffer.from(`mới ${randomUUID()}`));
    expect(await store.removeUnlessTouched(fresh.sha256, aMinuteAgo(), async () => true)).toBe('kept');
    const wanted = await store.put(Buffer.from(`còn dùng ${randomUUID()}`));
    expect(await store.removeUnlessTouched(wanted.sha256, afterNow(), async () => false)).toBe('kept');
    expect(await inBucket(fresh.sha256)).toBe(true);
    expect(await inBucket(wanted.sha256)).toBe(true);
  });

  it('an upload of the same bytes during a deletion is never lost: it waits for the deletion, then stores its own copy', async () => {
    const bytes = Buffer.from(`hoá đơn của hai khách ${randomUUID()}`);
    const { sha256 } = await store.put(bytes);
    let upload: Promise<unknown> | undefined;
    const outcome = await store.removeUnlessTouched(sha256, afterNow(), async () => {
      // Another customer sends the same photo while the deletion is deciding.
      upload = store.put(bytes);
      await new Promise((r) => setTimeout(r, 300));
      return true;
    });
    expect(outcome).toBe('removed');
    await upload;
    expect(await inBucket(sha256)).toBe(true);
    expect((await store.get(sha256)).equals(bytes)).toBe(true);
    expect(await holdOf(sha256)).not.toBeNull();
  });

  it('reads and deletes files kept on disk before S3_URL was set, and copies them into the bucket (sen files to-s3)', async () => {
    const diskDir = path.join(scratch, randomUUID());
    const disk = new LocalFileStore(diskDir);
    const both = new S3FileStore(s3.settings, db(), diskDir);
    try {
      const erased = Buffer.from(`biên bản của khách đã xoá ${randomUUID()}`);
      const kept = Buffer.from(`hoá đơn cũ ${randomUUID()}`);
      const there = Buffer.from(`đã có trong kho ${randomUUID()}`);
      for (const b of [erased, kept, there]) await disk.put(b);
      await both.put(there);
      expect((await both.get(sha(kept))).equals(kept)).toBe(true);
      expect(await inBucket(sha(kept))).toBe(false);
      // An erasure finds the disk's copy when the bucket has none.
      expect(await both.removeUnlessTouched(sha(erased), afterNow(), async () => true)).toBe('removed');
      expect(existsSync(disk.pathOf(sha(erased)))).toBe(false);
      await expect(both.get(sha(erased))).rejects.toMatchObject({ code: 'ENOENT' });
      // One altered on disk is named, not copied.
      const damaged = Buffer.from(`sẽ bị sửa ${randomUUID()}`);
      await disk.put(damaged);
      writeFileSync(disk.pathOf(sha(damaged)), 'tampered');
      expect(await both.copyFromDisk()).toEqual({ copied: 1, present: 1, damaged: [sha(damaged)] });
      expect(await inBucket(sha(kept))).toBe(true);
      expect(await inBucket(sha(damaged))).toBe(false);
      expect(await both.copyFromDisk()).toMatchObject({ copied: 0, present: 2 });
    } finally {
      await both.close();
    }
  });

  describe('the app with S3_URL', () => {
    let app: FastifyInstance;
    let agent: Awaited<ReturnType<typeof staffWithToken>>;
    let admin: Awaited<ReturnType<typeof staffWithToken>>;
    const dataDir = path.join(scratch, randomUUID());
    beforeAll(async () => {
      app = await buildTestApp(db(), { dataDir, s3: s3.settings });
      [agent, admin] = await Promise.all([staffWithToken(db(), 'agent'), staffWithToken(db(), 'admin')]);
    });
    afterAll(async () => app?.close());

    it('keeps an agent’s upload in the bucket (not in DATA_DIR), serves it, and deletes it when the customer is erased', async () => {
      const c = await seedComplaint(db(), { input: { customer: { name: 'Khách Lưu Trữ', phone: randomPhone() } } });
      const content = Buffer.concat([PNG, Buffer.from(randomUUID())]);
      const body = multipart({}, [{ filename: 'hoa-don.png', type: 'image/png', content }]);
      const up = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/attachments`, payload: body.payload, headers: { ...agent.headers, ...body.headers } });
      expect(up.statusCode, up.body).toBe(201);
      expect(await inBucket(sha(content))).toBe(true);
      expect(existsSync(path.join(dataDir, 'files', sha(content).slice(0, 2), sha(content)))).toBe(false);
      const detail = (await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: agent.headers })).json() as { attachments: { id: string; sha256: string }[] };
      expect(detail.attachments.map((a) => a.sha256)).toContain(sha(content));
      const down = await app.inject({ url: `/api/v1/complaints/${c.code}/attachments/${sha(content)}`, headers: agent.headers });
      expect(down.statusCode).toBe(200);
      expect(down.rawPayload.equals(content)).toBe(true);

      await transitionComplaint({ database: db(), actor: { kind: 'agent', id: null, channel: 'console' }, code: c.code, to: 'withdrawn', reason: 'Khách rút' });
      const customerId = (await db().pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [c.code])).rows[0].customer_id;
      const erased = await app.inject({ method: 'POST', url: `/api/v1/customers/${customerId}/anonymise`, payload: { reason: 'request' }, headers: admin.headers });
      expect(erased.statusCode, erased.body).toBe(200);
      // Uploaded a moment ago: an upload of the same bytes may be about to refer to it, so it waits for the next round.
      expect(await inBucket(sha(content))).toBe(true);
      expect((await db().pool.query('select 1 from file_deletions where sha256 = $1', [sha(content)])).rows).toHaveLength(1);
      await purgeFiles(db(), openFileStore({ dataDir, s3: s3.settings }, db()), [sha(content)], new Date(Date.now() + 2 * 60_000));
      expect(await inBucket(sha(content))).toBe(false);
      expect((await db().pool.query('select 1 from file_deletions where sha256 = $1', [sha(content)])).rows).toHaveLength(0);
    });

    it('a backup of the embedded database says the evidence files are in the bucket, which it does not hold', async () => {
      if (db().kind !== 'pglite') return;
      const made = await app.inject({ method: 'POST', url: '/api/v1/admin/backups', headers: admin.headers });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({ files: 0, filesElsewhere: 's3://sen-evidence/sen/' });
      const manifest = JSON.parse(readFileSync(path.join(dataDir, 'backups', made.json().name, 'manifest.json'), 'utf8'));
      expect(manifest.filesElsewhere).toBe('s3://sen-evidence/sen/');
    });
  });
});
