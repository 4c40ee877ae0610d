import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { AppError } from '../domain/errors';
import { appendLines } from '../files/append-lines';
import { lastNightlySlot, nightlyDue, toVietnamIso } from '../domain/time';
import type { Database } from './open';

/**
 * Backups of the embedded database. A backup is a folder `DATA_DIR/backups/sen-backup-<yyyyMMdd-HHmmss>`
 * (Vietnam time) holding `database.tar.gz` (PGlite's own copy of its data folder, taken between two
 * queries: crash-consistent), `files/` (the evidence files, hard links where the disk allows: they
 * never change, their name is their SHA-256) and `manifest.json` (sizes and the database copy's
 * SHA-256). It is built under a `.partial` name and renamed when complete, so a folder with a manifest
 * is a whole backup. Copy the folder off the machine; `sen restore` checks it and makes a data folder of it.
 * A PostgreSQL server is backed up with its own tools (pg_dump, base backups), and DATA_DIR/files beside it.
 */

export const BACKUP_FORMAT = 'sen-backup/1';
/** The erasure ledger's file name, in a data folder and in each backup (files/erasure-ledger.ts). */
export const ERASURE_LEDGER = 'erasures.jsonl';
const PREFIX = 'sen-backup-';
/** Only folders named as Sen names them count (listed, pruned): nothing else in the folder is touched. */
const NAME = /^sen-backup-\d{8}-\d{6}$/;
const PARTIAL = /^sen-backup-\d{8}-\d{6}\.partial$/;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: { file: 'database.tar.gz'; bytes: number; sha256: string };
  files: { count: number; bytes: number };
  /**
   * Set when evidence files are kept in an S3-compatible bucket (S3_URL): where (s3://bucket/prefix). The backup then holds
   * only those still on disk; the bucket is backed up by its own means (versioning, replication).
   */
  filesElsewhere?: string;
}

export interface Backup {
  name: string;
  dir: string;
  manifest: BackupManifest;
  /** Set when the backup was made but an old one could not be deleted. */
  pruneFailed?: string;
  /** Set when the backup was made but the erasure ledger could not be copied into it again once whole. */
  ledgerFailed?: string;
}

/** The folder name of a backup made at `at`: its Vietnam date and time, so names sort by age. */
export function backupName(at: Date): string {
  const vn = toVietnamIso(at);
  return `${PREFIX}${vn.slice(0, 10).replace(/-/g, '')}-${vn.slice(11, 19).replace(/:/g, '')}`;
}

/** The backups to delete so that the `keep` newest stay (names sort by age); other names are left alone. */
export function backupsToPrune(names: readonly string[], keep: number): string[] {
  return names.filter((n) => NAME.test(n)).sort().reverse().slice(Math.max(1, keep));
}

/** Whether the nightly backup is due now (the job's rule). */
export function backupDue(backups: readonly Backup[], now: Date, hour: number): boolean {
  return nightlyDue(newestBackupAt(backups, now), now, hour);
}

/** Whether it is overdue: still none since a nightly slot half an hour past (the job looks every 10 minutes). */
export function backupOverdue(backups: readonly Backup[], now: Date, hour: number): boolean {
  const newest = newestBackupAt(backups, now);
  return !newest || newest.getTime() < lastNightlySlot(new Date(now.getTime() - 30 * 60_000), hour).getTime();
}

/**
 * When the newest backup was made, for the schedule: one dated after `now` (made while the clock was
 * wrong) does not count, or it would put off every backup until that date.
 */
export function newestBackupAt(backups: readonly Backup[], now: Date): Date | null {
  const times = backups.map((b) => new Date(b.manifest.createdAt).getTime()).filter((t) => t <= now.getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}

export const backupsDir = (dataDir: string) => path.join(dataDir, 'backups');

/** The complete backups in DATA_DIR/backups, newest first. */
export async function listBackups(dataDir: string): Promise<Backup[]> {
  const dir = backupsDir(dataDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: Backup[] = [];
  for (const name of names.filter((n) => NAME.test(n)).sort().reverse()) {
    const manifest = await readManifest(path.join(dir, name)).catch(() => null);
    if (manifest) found.push({ name, dir: path.join(dir, name), manifest });
  }
  return found;
}

let underWay = false;
let lastFailure: { at: string; message: string } | null = null;

/** The last backup of this process that failed (disk full, folder not writable…), until one succeeds. */
export function lastBackupFailure(): { at: string; message: string } | null {
  return lastFailure;
}

/**
 * Makes a backup of the embedded database and the evidence files now, then deletes the oldest so that
 * `keep` remain. Refused on PostgreSQL (its own tools back it up).
 */
export async function createBackup(database: Database, opts: BackupOptions): Promise<Backup> {
  if (!database.dumpTo) throw new AppError('backup_not_embedded');
  // One at a time in this process (the nightly job, an admin's "back up now"); another process cannot
  // hold the same data folder.
  if (underWay) throw new AppError('backup_in_progress');
  underWay = true;
  try {
    const made = await makeBackup(database.dumpTo, opts);
    lastFailure = null;
    return made;
  } catch (err) {
    // One made the same second is not a failure; anything else is kept to be shown and notified.
    if (!(err instanceof AppError && err.code === 'backup_in_progress')) {
      lastFailure = { at: (opts.now ?? new Date()).toISOString(), message: err instanceof Error ? err.message : String(err) };
    }
    throw err;
  } finally {
    underWay = false;
  }
}

interface BackupOptions {
  dataDir: string;
  now?: Date;
  keep?: number;
  /** The S3-compatible bucket evidence files are kept in, if they are (s3://bucket/prefix): said in the manifest. */
  filesElsewhere?: string;
}

async function makeBackup(dumpTo: (file: string) => Promise<number>, opts: BackupOptions): Promise<Backup> {
  const now = opts.now ?? new Date();
  const root = backupsDir(opts.dataDir);
  await mkdir(root, { recursive: true });
  // Leftovers of a backup cut short (the process stopped) are not backups.
  for (const n of await readdir(root)) if (PARTIAL.test(n)) await rm(path.join(root, n), { recursive: true, force: true });
  const name = backupName(now);
  const final = path.join(root, name);
  const partial = `${final}.partial`;
  if (await exists(final)) throw new AppError('backup_in_progress');
  await mkdir(partial);
  let manifest: BackupManifest;
  try {
    const dbFile = path.join(partial, 'database.tar.gz');
    const bytes = await dumpTo(dbFile);
    const files = await linkTree(path.join(opts.dataDir, 'files'), path.join(partial, 'files'));
    await copyLedger(opts.dataDir, partial);
    manifest = {
      format: BACKUP_FORMAT,
      createdAt: now.toISOString(),
      database: { file: 'database.tar.gz', bytes, sha256: await sha256File(dbFile) },
      files,
      ...(opts.filesElsewhere ? { filesElsewhere: opts.filesElsewhere } : {}),
    };
    await writeFile(path.join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
    // On disk before it is called whole: the copy (flushed by the worker), the manifest, the folder's entries.
    await fsyncPath(partial);
    await rename(partial, final);
    await fsyncPath(root);
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
  // An erasure recorded while the backup was made went to the data folder's ledger and, once it was whole,
  // to the ledgers of the backups then listed: the lines it lacks are added now, so it is in this one either way
  // (added, not copied over: a line appended to it meanwhile stays).
  let ledgerFailed: string | undefined;
  try {
    await copyLedger(opts.dataDir, final, { merge: true });
  } catch (err) {
    ledgerFailed = err instanceof Error ? err.message : String(err);
  }
  // The new backup is whole: failing to delete an old one does not undo it, it is only reported.
  let pruneFailed: string | undefined;
  try {
    for (const old of backupsToPrune(await readdir(root), opts.keep ?? 7)) await rm(path.join(root, old), { recursive: true, force: true });
  } catch (err) {
    pruneFailed = err instanceof Error ? err.message : String(err);
  }
  return { name, dir: final, manifest, ...(pruneFailed ? { pruneFailed } : {}), ...(ledgerFailed ? { ledgerFailed } : {}) };
}

/**
 * Copies the erasure ledger of `fromDir` (if it has one) into `toDir`, flushed to disk; with `merge`, appends
 * only the lines `toDir`'s ledger does not have.
 */
async function copyLedger(fromDir: string, toDir: string, opts: { merge?: boolean } = {}): Promise<void> {
  const read = (dir: string) =>
    readFile(path.join(dir, ERASURE_LEDGER), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
  const text = await read(fromDir);
  if (!text) return;
  if (!opts.merge) return writeFile(path.join(toDir, ERASURE_LEDGER), text, { flush: true });
  const have = new Set((await read(toDir)).split('\n'));
  const missing = text.split('\n').filter((line) => line && !have.has(line));
  await appendLines(path.join(toDir, ERASURE_LEDGER), missing);
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes `dataDir` (absent or an empty folder) of a backup: checks the database copy's SHA-256 and each
 * evidence file against its name, then unpacks the database and copies the files into a folder beside
 * it, renamed to `dataDir` only when all is there. A failed check or step leaves `dataDir` as it was.
 */
export async function restoreBackup(backupDir: string, dataDir: string): Promise<BackupManifest> {
  const manifest = await readManifest(backupDir);
  const dbFile = path.join(backupDir, manifest.database.file);
  if ((await sha256File(dbFile)) !== manifest.database.sha256) throw new Error(`${dbFile} is not the copy the backup made (SHA-256 differs)`);
  const files = await listTree(path.join(backupDir, 'files'));
  for (const f of files) {
    const digest = await sha256File(f);
    if (digest !== path.basename(f)) throw new Error(`${f} was altered (its SHA-256 is ${digest})`);
  }
  if (files.length !== manifest.files.count) throw new Error(`the backup lists ${manifest.files.count} evidence files, ${files.length} are there`);
  const target = path.resolve(dataDir);
  const existing = await readdir(target).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  if (existing?.length) {
    throw new Error(`${dataDir} is not empty${existing.includes('pg') ? ' (it already holds a database)' : ''}; restore into an empty folder`);
  }
  const staging = `${target}.restoring-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    const db = await PGlite.create({ dataDir: path.join(staging, 'pg'), loadDataDir: new Blob([await readFile(dbFile)]) });
    await db.close();
    const from = path.join(backupDir, 'files');
    for (const f of files) {
      const to = path.join(staging, 'files', path.relative(from, f));
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(f, to);
    }
    // Who was erased, also after the backup was made: erased again when Sen starts on the restored folder.
    await copyLedger(backupDir, staging);
    if (existing) await rmdir(target);
    await rename(staging, target);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return manifest;
}

async function readManifest(dir: string): Promise<BackupManifest> {
  const m = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (m?.format !== BACKUP_FORMAT || typeof m.database?.sha256 !== 'string') throw new Error(`${dir} is not a Sen backup (${BACKUP_FORMAT})`);
  return m;
}

/** Hard-links (or, across disks, copies) every file under `from` to the same place under `to`. */
async function linkTree(from: string, to: string): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  for (const f of await listTree(from)) {
    const dest = path.join(to, path.relative(from, f));
    await mkdir(path.dirname(dest), { recursive: true });
    await link(f, dest).catch(() => copyFile(f, dest));
    count += 1;
    bytes += (await stat(f)).size;
  }
  return { count, bytes };
}

/** The stored files under `dir`: named by their SHA-256 (temporary files of writes under way are not). */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && /^[0-9a-f]{64}$/.test(e.name)).map((e) => path.join(e.parentPath, e.name)).sort();
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Tells every active admin, in the app, that a backup failed and why: one notice per admin per
 * Vietnam day (the job tries again every 10 minutes), which opens the backups page.
 */
export async function noticeBackupFailure(database: Database, failure: { at: string; message: string }): Promise<number> {
  const day = toVietnamIso(new Date(failure.at)).slice(0, 10);
  const r = await database.pool.query(
    `insert into notifications (staff_id, kind, payload, dedupe_key)
     select id, 'backup.failed', $1::jsonb, $2 from staff_users where active and role = 'admin'
     on conflict (staff_id, dedupe_key) do nothing`,
    [JSON.stringify({ at: failure.at, message: failure.message }), `backup.failed:${day}`],
  );
  return r.rowCount ?? 0;
}
