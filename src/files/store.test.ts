import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFileStore } from './store';

describe('content-addressed file store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-files-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const store = LocalFileStore.inDataDir(dir);

  it('stores bytes under their SHA-256 once and reads them back', async () => {
    const bytes = Buffer.from('%PDF-1.4 hóa đơn');
    const a = await store.put(bytes);
    const b = await store.put(bytes);
    expect(a).toEqual(b);
    expect(a.sha256).toBe('4e5742b7ea4572995732b806479c2d1c618275a9b46d42a46501051988eff293');
    // One level of folders by the first two hex digits: no second folder made per file.
    expect(store.pathOf(a.sha256)).toBe(path.join(dir, 'files', a.sha256.slice(0, 2), a.sha256));
    expect((await store.get(a.sha256)).equals(bytes)).toBe(true);
    expect(fs.readdirSync(path.dirname(store.pathOf(a.sha256)))).toEqual([a.sha256]);
  });

  it('stores a stream under the same name as its bytes, leaving no temporary file; a failing stream stores nothing', async () => {
    const bytes = Buffer.concat([Buffer.from('From: khach@vidu.vn\r\n\r\n'), Buffer.alloc(3 * 1024 * 1024, 0x61)]);
    const chunks = function* () {
      for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
    };
    const streamed = await store.putStream(Readable.from(chunks()));
    expect(streamed).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
    expect((await store.get(streamed.sha256)).equals(bytes)).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'files', 'tmp'))).toEqual([]);
    const broken = async function* () {
      yield Buffer.from('một phần');
      throw new Error('connection lost');
    };
    await expect(store.putStream(Readable.from(broken()))).rejects.toThrow('connection lost');
    expect(fs.readdirSync(path.join(dir, 'files', 'tmp'))).toEqual([]);
  });

  it('reads, recognises and checks files kept in the two-level layout of stores written before 27/11/2026', async () => {
    const bytes = Buffer.from('biên bản làm việc — lưu theo cách cũ');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const legacy = path.join(dir, 'files', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    fs.mkdirSync(path.dirname(legacy), { recursive: true });
    fs.writeFileSync(legacy, bytes);
    expect((await store.get(sha256)).equals(bytes)).toBe(true);
    // Storing the same bytes again (as bytes or as a stream) finds them there: no second copy.
    expect(await store.put(bytes)).toEqual({ sha256, size: bytes.length });
    expect(await store.putStream(Readable.from([bytes]))).toEqual({ sha256, size: bytes.length });
    expect(fs.existsSync(store.pathOf(sha256))).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'files', 'tmp'))).toEqual([]);
    fs.writeFileSync(legacy, 'tampered');
    await expect(store.get(sha256)).rejects.toThrow('altered');
    // A file in neither place is missing, as before.
    await expect(store.get('0'.repeat(64))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('notices a file altered on disk', async () => {
    const { sha256 } = await store.put(Buffer.from('ảnh sản phẩm'));
    fs.writeFileSync(store.pathOf(sha256), 'tampered');
    await expect(store.get(sha256)).rejects.toThrow('altered');
  });
});
