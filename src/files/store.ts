import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bytes written to the store's temporary folder, not yet kept (FileStore.stage). */
export interface StagedFile {
  /** The temporary file, to be read before keep() or discard(). */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** Kept under its hash (once: the same bytes stored already are not written twice). */
  keep(): Promise<{ sha256: string; size: number }>;
  discard(): Promise<void>;
}

/**
 * Where evidence files are kept, content-addressed by SHA-256: on local disk (LocalFileStore, the default) or in an
 * S3-compatible object store (S3FileStore, `S3_URL`). Every file is named by its hash and checked against it when read.
 */
export interface FileStore {
  /** Stores bytes (once: the same bytes stored already are not written again) and returns their hash. */
  put(bytes: Uint8Array, sha256?: string): Promise<{ sha256: string; size: number }>;
  /** Stores what a stream carries without holding it in memory. */
  putStream(source: Readable): Promise<{ sha256: string; size: number }>;
  /** Writes a stream to a temporary local file to be looked at (`path`) before it is kept or discarded. */
  stage(source: Readable): Promise<StagedFile>;
  /** A stored file's bytes, checked against their hash. */
  get(sha256: string): Promise<Buffer>;
  /**
   * Deletes a stored file unless it was stored again after `since` (ms) or `stillUnused` says a reference to it has
   * appeared — never the bytes an upload of the same bytes is about to refer to.
   */
  removeUnlessTouched(sha256: string, since: number, stillUnused: () => Promise<boolean>): Promise<'removed' | 'kept' | 'absent'>;
  /** Puts back files a deletion stopped half way left missing; how many. */
  recoverInterruptedDeletions(olderThanMs?: number, now?: number): Promise<number>;
  /** Deletes a stored file for good; true if there was one. */
  remove(sha256: string): Promise<boolean>;
}

/**
 * Evidence files on local disk, content-addressed by SHA-256 under `<dataDir>/files/ab/<hash>`:
 * the same bytes are stored once, and a file's name is its integrity check.
 *
 * One level of 256 folders, as git keeps its objects: ten million files are ~40,000 per folder, which
 * ext4 and XFS index. Until 27/11/2026 files went to `ab/cd/<hash>`: 65,536 folders, each an inode and
 * a block, so that nearly every file of a young store made a folder too (an SMTP mail with an attachment
 * made two; creating inodes was a fifth of the machine's CPU in the SMTP benchmark). Files stored that
 * way stay where they are and are read and recognised there.
 */
export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  static inDataDir(dataDir: string): LocalFileStore {
    return new LocalFileStore(path.resolve(dataDir, 'files'));
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Where a store written before 27/11/2026 kept the file (see the class comment). */
  private legacyPathOf(sha256: string): string {
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Whether these bytes are stored already, in either layout; if so the file's time is set to now, which
   * tells a deletion under way (an erased customer's copy) that a new reference to it is coming (removeUnlessTouched).
   */
  private async has(sha256: string): Promise<boolean> {
    for (const file of [this.pathOf(sha256), this.legacyPathOf(sha256)]) {
      try {
        const now = new Date();
        await fs.utimes(file, now, now);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        // There but its time cannot be set (another user's file): not taken as stored, so that put() writes a copy
        // of its own rather than lean on a file a deletion under way could not see was wanted again.
        return false;
      }
    }
    return false;
  }

  /** Directories made by this store: each is made once, not once per file. */
  private readonly madeDirs = new Set<string>();

  /**
   * Stores bytes and returns their hash; written to a temporary name first and flushed to disk before
   * the rename, so a crash leaves no half file; the folder is flushed after it, so the name survives a
   * crash too (the database lists the file only after this returns). `sha256` may be given when the
   * caller has just computed it from these very bytes (the mail parser does), to spare hashing them twice.
   */
  async put(bytes: Uint8Array, sha256 = createHash('sha256').update(bytes).digest('hex')): Promise<{ sha256: string; size: number }> {
    if (await this.has(sha256)) return { sha256, size: bytes.byteLength };
    const target = this.pathOf(sha256);
    const dir = path.dirname(target);
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const makeDir = async () => {
      await fs.mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    };
    if (!this.madeDirs.has(dir)) await makeDir();
    try {
      await fs.writeFile(tmp, bytes, { flush: true });
    } catch (err) {
      // The folder went away since it was made (removed by hand): made again, once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await makeDir();
      await fs.writeFile(tmp, bytes, { flush: true });
    }
    await fs.rename(tmp, target);
    await syncDirectory(dir);
    return { sha256, size: bytes.byteLength };
  }

  /**
   * Stores what a stream carries without holding it in memory (a large message from a mailbox):
   * written to a temporary file while it is hashed, flushed, then moved to the name its hash gives.
   */
  async putStream(source: Readable): Promise<{ sha256: string; size: number }> {
    return (await this.stage(source)).keep();
  }

  /**
   * Writes what a stream carries to a temporary file of the store (flushed, hashed, never held in memory) and
   * lets the caller look at it (`path`) before it is kept under its hash or discarded: a large mail is read
   * there for payment card numbers before its bytes may be kept as they are.
   */
  async stage(source: Readable): Promise<StagedFile> {
    // Made each time (cheap, and it may have been removed by hand since).
    const tmpDir = path.join(this.root, 'tmp');
    await fs.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomBytes(8).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        source,
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(tmp),
      );
      // Flushed to disk before it gets its name, as put() does.
      const written = await fs.open(tmp, 'r+');
      try {
        await written.sync();
      } finally {
        await written.close();
      }
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const discard = () => fs.rm(tmp, { force: true });
    const keep = async () => {
      if (await this.has(sha256)) {
        await discard();
        return { sha256, size };
      }
      const target = this.pathOf(sha256);
      const dir = path.dirname(target);
      if (!this.madeDirs.has(dir)) {
        await fs.mkdir(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      await fs.rename(tmp, target);
      await syncDirectory(dir);
      return { sha256, size };
    };
    return { path: tmp, sha256, size, keep, discard };
  }

  /** Reads a stored file and checks it still has the hash it is named by. */
  async get(sha256: string): Promise<Buffer> {
    const bytes = await fs.readFile(this.pathOf(sha256)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return fs.readFile(this.legacyPathOf(sha256));
      throw err;
    });
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error(`file ${sha256} was altered on disk`);
    return bytes;
  }

  /** Where a file being deleted waits while the deletion decides (removeUnlessTouched), named `<sha256>.<random>`. */
  private get asideDir(): string {
    return path.join(this.root, 'deleting');
  }

  /**
   * Deletes a stored file (in either layout) unless it was written or stored again (has) after `since` (ms), or
   * `stillUnused` says a reference to it has appeared. Safe against a put() of the same bytes at the same time:
   * the file is first moved aside (into `deleting/`), so that a put() from then on finds nothing and writes its own
   * copy, while one that came just before has set the file's time, which is read after the move; a file kept is
   * moved back. A file left aside by a crash in between is put back by recoverInterruptedDeletions().
   */
  async removeUnlessTouched(sha256: string, since: number, stillUnused: () => Promise<boolean>): Promise<'removed' | 'kept' | 'absent'> {
    let outcome: 'removed' | 'kept' | 'absent' = 'absent';
    for (const file of [this.pathOf(sha256), this.legacyPathOf(sha256)]) {
      const aside = path.join(this.asideDir, `${sha256}.${randomBytes(6).toString('hex')}`);
      try {
        await fs.rename(file, aside);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && (await exists(file))) {
          // The file is there, the folder for files aside is not yet: made once, and the move tried again.
          await fs.mkdir(this.asideDir, { recursive: true });
          await fs.rename(file, aside);
        } else if (code === 'ENOENT') continue;
        else throw err;
      }
      // The move is flushed before the file can be unlinked: after a crash it is either in its place or aside.
      await syncDirectory(this.asideDir);
      try {
        const touched = (await fs.stat(aside)).mtimeMs > since;
        if (touched || !(await stillUnused())) {
          await fs.rename(aside, file);
          outcome = 'kept';
          continue;
        }
        await fs.unlink(aside);
        await syncDirectory(path.dirname(file));
        if (outcome === 'absent') outcome = 'removed';
      } catch (err) {
        await fs.rename(aside, file).catch(() => undefined);
        throw err;
      }
    }
    return outcome;
  }

  /**
   * Puts back every file that a deletion moved aside more than `olderThanMs` ago and never finished (the process
   * stopped between the move and the decision): until then the file was missing for whoever read it. One whose bytes
   * were stored again meanwhile is dropped (the same bytes are in place). Whether it should go after all is decided
   * again by the next deletion round, from the queue it is still on. Returns how many were put back.
   */
  async recoverInterruptedDeletions(olderThanMs = 10_000, now = Date.now()): Promise<number> {
    const names = await fs.readdir(this.asideDir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
    let restored = 0;
    for (const name of names) {
      const sha256 = name.split('.')[0];
      if (!/^[0-9a-f]{64}\.[0-9a-f]+$/.test(name)) continue;
      const aside = path.join(this.asideDir, name);
      // ctime: when it was moved aside (a move keeps the file's mtime). One younger may be a deletion under way.
      const st = await fs.stat(aside).catch(() => null);
      if (!st || now - st.ctimeMs < olderThanMs) continue;
      if ((await exists(this.pathOf(sha256))) || (await exists(this.legacyPathOf(sha256)))) {
        await fs.unlink(aside).catch(() => undefined);
        continue;
      }
      const target = this.pathOf(sha256);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(aside, target);
      await syncDirectory(path.dirname(target));
      restored += 1;
    }
    return restored;
  }

  /** The hashes of every file stored (either layout), folder by folder. */
  async *list(): AsyncGenerator<string> {
    const dirs = await fs.readdir(this.root).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
    for (const dir of dirs.filter((d) => /^[0-9a-f]{2}$/.test(d)).sort()) {
      for (const entry of await fs.readdir(path.join(this.root, dir), { withFileTypes: true })) {
        if (entry.isFile() && /^[0-9a-f]{64}$/.test(entry.name)) yield entry.name;
        else if (entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name)) {
          for (const old of await fs.readdir(path.join(this.root, dir, entry.name))) if (/^[0-9a-f]{64}$/.test(old)) yield old;
        }
      }
    }
  }

  /** Deletes a stored file (in either layout) for good; true if there was one. Backups keep their copy until pruned. */
  async remove(sha256: string): Promise<boolean> {
    let removed = false;
    for (const file of [this.pathOf(sha256), this.legacyPathOf(sha256)]) {
      try {
        await fs.unlink(file);
        removed = true;
        await syncDirectory(path.dirname(file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return removed;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Flushes a folder's entries to disk: a file renamed into it is then there after a crash. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // A file system that cannot flush a folder (some network ones) keeps names its own way.
    if (!['EINVAL', 'EISDIR', 'ENOTSUP'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close();
  }
}
