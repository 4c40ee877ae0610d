import type * as S3 from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import pg from 'pg';
import type { Database } from '../db/open';
import { s3Location, type S3Settings } from '../config';
import { LocalFileStore, type FileStore, type StagedFile } from './store';


/**
 * Evidence files in an S3-compatible object store (AWS S3, MinIO, Ceph, a cloud provider's), content-addressed as on disk:
 * object `<prefix>ab/<sha256>`, uploaded with its SHA-256 so that the store itself refuses bytes damaged on the way
 * (`x-amz-checksum-sha256`), and checked against its name again whenever it is read.
 *
 * Deleting an erased customer's file must never remove bytes an upload of the same bytes is about to refer to. On disk the
 * file is moved aside and its time read (LocalFileStore.removeUnlessTouched); an object store has no such move, so every
 * put first records a hold on the hash, and a deletion takes the hash for the time of its check and DELETE (Holds): a put
 * that came first is seen (stored after the deletion's cut-off: kept), one that comes during the deletion waits for it and
 * then finds no object and uploads its own. The caller's reference to the bytes must commit within the cut-off (a minute,
 * RECENT_FILE_MS), as on disk.
 *
 * Files are staged (a mailbox's large message read for card numbers before it is kept) in `diskDir` on local disk. Files
 * stored there before S3_URL was set are still read from there, and deleted there for an erasure; `npx sen files to-s3`
 * copies them into the bucket.
 */
export class S3FileStore implements FileStore {
  /** The SDK, loaded with the first request (~0.1 s of start-up saved where S3_URL is unset or no file is touched). */
  private sdk?: Promise<{ mod: typeof S3; client: S3.S3Client }>;
  /** DATA_DIR/files: where files are staged, and where those stored before S3_URL was set are still read and deleted. */
  private readonly disk: LocalFileStore;
  private readonly holds: Holds;

  constructor(
    private readonly settings: S3Settings,
    private readonly database: Database,
    diskDir: string,
  ) {
    this.disk = new LocalFileStore(diskDir);
    this.holds = database.kind === 'postgres' ? new DatabaseHolds(database) : new ProcessHolds();
  }

  private api(): Promise<{ mod: typeof S3; client: S3.S3Client }> {
    this.sdk ??= import('@aws-sdk/client-s3').then((mod) => {
      // The SDK warns, when a client is made, that its releases after January 2027 will need Node 22; Sen pins the version it
      // was tested with (package-lock.json), so the warning says nothing an operator can act on.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const client = new mod.S3Client({
        endpoint: this.settings.endpoint,
        region: this.settings.region,
        forcePathStyle: this.settings.pathStyle,
        credentials: { accessKeyId: this.settings.accessKeyId, secretAccessKey: this.settings.secretAccessKey },
        // Checksums only where an operation needs one: many S3-compatible stores refuse the SDK's default trailing CRC32
        // (aws-chunked bodies); every upload carries its SHA-256 instead.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
      });
      return { mod, client };
    });
    return this.sdk;
  }

  /** Whether the bucket answers with these keys: null if so, else what went wrong (said when Sen starts). */
  async checkBucket(): Promise<string | null> {
    try {
      const { mod, client } = await this.api();
      await client.send(new mod.HeadBucketCommand({ Bucket: this.settings.bucket }));
      return null;
    } catch (err) {
      const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      return `${e.name ?? 'Error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}${e.message && e.message !== e.name ? `: ${e.message}` : ''}`;
    }
  }

  /** Where the files are, for messages (no credentials). */
  get location(): string {
    return s3Location(this.settings);
  }

  private key(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return `${this.settings.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }

  private async exists(sha256: string): Promise<boolean> {
    try {
      const { mod, client } = await this.api();
      await client.send(new mod.HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async upload(sha256: string, body: Buffer | Readable, size: number): Promise<void> {
    const { mod, client } = await this.api();
    await client.send(
      new mod.PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: this.key(sha256),
        Body: body,
        ContentLength: size,
        ContentType: 'application/octet-stream',
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }),
    );
  }

  /** Holds the hash, then uploads the bytes unless the bucket has them already (the same bytes are stored once). */
  private async keep(sha256: string, body: () => Buffer | Readable, size: number): Promise<void> {
    await this.holds.hold(sha256);
    if (!(await this.exists(sha256))) await this.upload(sha256, body(), size);
  }

  async put(bytes: Uint8Array, sha256 = createHash('sha256').update(bytes).digest('hex')): Promise<{ sha256: string; size: number }> {
    await this.keep(sha256, () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.byteLength);
    return { sha256, size: bytes.byteLength };
  }

  async putStream(source: Readable): Promise<{ sha256: string; size: number }> {
    return (await this.stage(source)).keep();
  }

  async stage(source: Readable): Promise<StagedFile> {
    // Staged on local disk; its own keep() (a move into the local store) is never called.
    const local = await this.disk.stage(source);
    const keep = async () => {
      try {
        await this.keep(local.sha256, () => createReadStream(local.path), local.size);
      } finally {
        await local.discard();
      }
      return { sha256: local.sha256, size: local.size };
    };
    return { path: local.path, sha256: local.sha256, size: local.size, keep, discard: local.discard };
  }

  async get(sha256: string): Promise<Buffer> {
    let body: Uint8Array;
    try {
      const { mod, client } = await this.api();
      const r = await client.send(new mod.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256) }));
      if (!r.Body) throw new Error(`file ${sha256}: the object store sent no body`);
      body = await r.Body.transformToByteArray();
    } catch (err) {
      // Stored on disk before S3_URL was set: read there (ENOENT if it is not there either).
      if (isNotFound(err)) return this.disk.get(sha256);
      throw err;
    }
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error(`file ${sha256} was altered in ${this.location}`);
    return bytes;
  }

  async removeUnlessTouched(sha256: string, since: number, stillUnused: () => Promise<boolean>): Promise<'removed' | 'kept' | 'absent'> {
    return this.holds.deleting(sha256, since, async () => {
      if (!(await stillUnused())) return 'kept';
      // Not in the bucket: maybe stored on disk before S3_URL was set, deleted there the disk's way.
      if (!(await this.exists(sha256))) return this.disk.removeUnlessTouched(sha256, since, stillUnused);
      const { mod, client } = await this.api();
      await client.send(new mod.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256) }));
      return 'removed';
    });
  }

  /** Nothing is ever moved aside in an object store (a deletion is one DELETE, done or not); on disk it may have been. */
  async recoverInterruptedDeletions(olderThanMs?: number, now?: number): Promise<number> {
    return this.disk.recoverInterruptedDeletions(olderThanMs, now);
  }

  async remove(sha256: string): Promise<boolean> {
    const had = await this.exists(sha256);
    if (had) {
      const { mod, client } = await this.api();
      await client.send(new mod.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256) }));
    }
    return (await this.disk.remove(sha256)) || had;
  }

  /**
   * Copies into the bucket every file stored on disk (DATA_DIR/files) that it does not hold yet, checking each against its
   * hash on the way (`npx sen files to-s3`, after S3_URL is set). The disk's copies stay until the operator removes them.
   */
  async copyFromDisk(progress?: (done: number) => void): Promise<{ copied: number; present: number; damaged: string[] }> {
    let copied = 0;
    let present = 0;
    const damaged: string[] = [];
    for await (const sha256 of this.disk.list()) {
      if (await this.exists(sha256)) present += 1;
      else {
        const bytes = await this.disk.get(sha256).catch(() => null);
        if (!bytes) {
          damaged.push(sha256);
          continue;
        }
        await this.put(bytes, sha256);
        copied += 1;
      }
      progress?.(copied + present);
    }
    return { copied, present, damaged };
  }

  /** Ends the client's sockets and the holds' connections (tests; a process ending does not need it). */
  async close(): Promise<void> {
    if (this.sdk) (await this.sdk).client.destroy();
    await this.holds.close();
  }
}

type Outcome = 'removed' | 'kept' | 'absent';

/** Puts and deletions of the same bytes meeting: a put says it is storing them; a deletion decides with the hash taken. */
interface Holds {
  /** These bytes are being stored now (waits while a deletion of them is deciding). */
  hold(sha256: string): Promise<void>;
  /** Runs `decide` with the hash taken, unless the bytes were stored after `since` (ms): then 'kept'. */
  deleting(sha256: string, since: number, decide: () => Promise<Outcome>): Promise<Outcome>;
  close(): Promise<void>;
}

/**
 * On a PostgreSQL server, where several Sen processes share the bucket: `file_holds`, through connections of its own
 * (a put is often made inside a caller's transaction, which holds one of the main pool's). A put's hold is one committed
 * statement; a deletion locks the hold row (made if there is none) until it has decided, so a put waits on it.
 */
class DatabaseHolds implements Holds {
  private readonly pool: pg.Pool;

  constructor(database: Database) {
    this.pool = new pg.Pool({ ...database.pool.options, max: 3, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    this.pool.on('error', () => {});
  }

  async hold(sha256: string): Promise<void> {
    await this.pool.query(`insert into file_holds (sha256, held_at) values ($1, now()) on conflict (sha256) do update set held_at = now()`, [sha256]);
  }

  async deleting(sha256: string, since: number, decide: () => Promise<Outcome>): Promise<Outcome> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query(`insert into file_holds (sha256, held_at) values ($1, '-infinity') on conflict (sha256) do nothing`, [sha256]);
      const held = await client.query<{ recent: boolean }>(`select held_at > $2 as recent from file_holds where sha256 = $1 for update`, [sha256, new Date(since).toISOString()]);
      const outcome = held.rows[0]?.recent ? 'kept' : await decide();
      if (outcome !== 'kept') await client.query('delete from file_holds where sha256 = $1', [sha256]);
      await client.query('commit');
      return outcome;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * On the embedded database, whose data folder one process holds (db/lock.ts), puts and deletions all happen in this
 * process: the holds are kept in memory (PGlite's one connection may be held by the very transaction a put is made in).
 */
class ProcessHolds implements Holds {
  private readonly storedAt = new Map<string, number>();
  private readonly deciding = new Map<string, Promise<void>>();

  private async quiet(sha256: string): Promise<void> {
    for (let d = this.deciding.get(sha256); d; d = this.deciding.get(sha256)) await d;
  }

  async hold(sha256: string): Promise<void> {
    await this.quiet(sha256);
    this.storedAt.set(sha256, Date.now());
    // Holds older than any cut-off a deletion uses are forgotten now and then.
    if (this.storedAt.size > 10_000) {
      const old = Date.now() - 3_600_000;
      for (const [k, at] of this.storedAt) if (at < old) this.storedAt.delete(k);
    }
  }

  async deleting(sha256: string, since: number, decide: () => Promise<Outcome>): Promise<Outcome> {
    await this.quiet(sha256);
    if ((this.storedAt.get(sha256) ?? -Infinity) > since) return 'kept';
    // Taken before deciding starts: a put made from within the decision waits too.
    let done = () => {};
    this.deciding.set(sha256, new Promise<void>((resolve) => (done = resolve)));
    try {
      const outcome = await decide();
      if (outcome !== 'kept') this.storedAt.delete(sha256);
      return outcome;
    } finally {
      this.deciding.delete(sha256);
      done();
    }
  }

  async close(): Promise<void> {}
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
