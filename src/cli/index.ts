import 'dotenv/config';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, s3Location } from '../config';
import { openDatabase, type Database } from '../db/open';
import { addStaffUser, MIN_PASSWORD_LENGTH } from '../commands/staff-accounts';
import { verifyAudit } from '../commands/verify-audit';
import { resetStaffPassword } from '../commands/manage-staff';
import { listStaff } from '../db/queries/directory';
import { AppError, errorMessage, fieldErrorMessage } from '../domain/errors';
import { CalendarUsageError, calendarCommand } from './calendar';
import { readFile } from 'node:fs/promises';
import { formatVerifyReport, verifyDossierZip } from '../documents/dossier-zip';
import { maintainDatabase } from '../db/maintenance';
import { createBackup, listBackups, restoreBackup } from '../db/backup';
import { parseErasureLedger, readErasureLedger, recordErasures } from '../files/erasure-ledger';
import { DataDirLockedError } from '../db/lock';

/** Exit code for bad arguments, as documented. */
const USAGE_ERROR = 2;

const HELP = `sen — Sen complaint handling

  sen user add --email E --name N --role agent|supervisor|admin|auditor --password P [--language vi|en]
  sen user password --email E --password P   (a new password; its sessions end, a login pause is lifted)
  sen user list
  sen audit verify
  sen migrate
  sen db maintain                   (embedded database: vacuum and analyse the tables that need it)
  sen backup                        (embedded database, Sen stopped: a backup into DATA_DIR/backups now)
  sen backup list
  sen restore <backup folder> [--data-dir D] [--erasures F]
                                    (into an empty data folder, default DATA_DIR; F: another erasure ledger)
  sen calendar holidays <year>
  sen calendar add --from <ISO time> (--working-days N | --working-hours N) [--mode business-hours|calendar-hours-on-working-days]
  sen dossier verify <dossier.zip>   (exit 0 intact, 1 missing/extra/altered files)
  sen files to-s3                   (S3_URL set: copies the evidence files kept in DATA_DIR/files into the bucket)

Environment: DATABASE_URL (PostgreSQL) or DATA_DIR (embedded database, default ./data).`;

class UsageError extends Error {}

async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const USER_HELP = `sen user add --email E --name N --role R --password P [--language vi|en]

  Adds a staff account (Thêm tài khoản nhân viên).
  --email     their login, unique (lower-cased)
  --name      the name colleagues and the timeline show
  --role      agent | supervisor | admin | auditor | department (a department also needs a team: use the console)
  --password  at least ${MIN_PASSWORD_LENGTH} characters, not the email; stored as an argon2id hash
  --language  vi (default) or en: the console opens in it for them, and Sen's mails to them are in it
  Prints the account as JSON.

sen user password --email E --password P

  Gives an account a new password (Đặt lại mật khẩu), e.g. when the last admin forgot theirs: its sessions end,
  and a pause after too many wrong passwords is lifted. Recorded in the account's audit trail.

sen user list

  Every account: email, role, active or not, name (tab-separated).

Exit 0 done, 2 bad arguments (each named), 1 another failure.
  Environment: DATABASE_URL (PostgreSQL) or DATA_DIR (embedded database, default ./data).`;

async function userCommand(args: string[]): Promise<number> {
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    console.log(USER_HELP);
    return 0;
  }
  const command = args[0];
  if (command !== 'add' && command !== 'password' && command !== 'list') throw new UsageError(`Unknown: sen user ${command ?? ''}\n\n${USER_HELP}`);
  const { values } = parseArgs({
    args: args.slice(1),
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, language: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(USER_HELP);
    return 0;
  }
  if (command === 'list') {
    const accounts = await withDatabase((database) => listStaff(database, { includeInactive: true }));
    for (const a of accounts) console.log(`${a.email}\t${a.role}\t${a.active ? 'active' : 'inactive'}\t${a.name}`);
    return 0;
  }
  const needed = command === 'add' ? (['email', 'name', 'role', 'password'] as const) : (['email', 'password'] as const);
  for (const k of needed) if (!values[k]) throw new UsageError(`--${k} is required`);
  if (command === 'password') {
    const account = await withDatabase((database) => resetStaffPassword({ database, actorId: null, email: values.email!, password: values.password! }));
    console.log(`password reset for ${account.email}${account.active ? '' : ' (the account is deactivated: an admin can reactivate it)'}`);
    return 0;
  }
  const user = await withDatabase((database) =>
    addStaffUser({ database, email: values.email!, name: values.name!, role: values.role!, password: values.password!, language: values.language }),
  );
  console.log(JSON.stringify(user));
  return 0;
}

async function auditCommand(args: string[]): Promise<number> {
  if (args[0] !== 'verify') throw new UsageError(`Unknown: sen audit ${args[0] ?? ''}`);
  const report = await withDatabase((database) => verifyAudit(database));
  for (const p of report.problems) console.log(p.seq === null ? `${p.code}\t-\t${p.problem}` : `${p.code}\tevent ${p.seq}\t${p.problem}`);
  console.log(
    `${report.complaintsChecked} complaints, ${report.eventsChecked} events checked: ` +
      (report.problems.length ? `${report.problems.length} problem(s) found` : 'timeline intact'),
  );
  return report.problems.length ? 1 : 0;
}

/** `sen dossier verify <zip>`: every entry of an escalation dossier checked against its manifest. */
async function dossierCommand(args: string[]): Promise<number> {
  if (args[0] !== 'verify' || args.length !== 2) throw new UsageError('Usage: sen dossier verify <dossier.zip>');
  let bytes: Buffer;
  try {
    bytes = await readFile(args[1]);
  } catch (err) {
    throw new UsageError(`Cannot read ${args[1]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const report = verifyDossierZip(bytes);
  console.log(formatVerifyReport(report, args[1]));
  return report.intact ? 0 : 1;
}

/** `sen db maintain`: what the `db.maintenance` job does, now (e.g. after an import). */
async function dbCommand(args: string[]): Promise<number> {
  if (args[0] !== 'maintain' || args.length !== 1) throw new UsageError('Usage: sen db maintain');
  const report = await withDatabase((database) => maintainDatabase(database, { nightHour: loadConfig().backup.hour }));
  if (report.skipped) console.log('PostgreSQL server: its autovacuum looks after the tables; nothing to do');
  if (report.full) console.log('nightly pass: every table');
  for (const s of report.steps) console.log(`${s.vacuum ? 'vacuum' : 'analyze'}${s.vacuum && s.analyze ? ' + analyze' : ''}\t${s.table}\t${s.ms} ms`);
  if (!report.skipped && !report.steps.length) console.log('no table needs it');
  return 0;
}

/** `sen backup [list]`: a backup of the embedded database and the evidence files now, or the ones kept. */
async function backupCommand(args: string[]): Promise<number> {
  const config = loadConfig();
  if (args[0] === 'list' && args.length === 1) {
    for (const b of await listBackups(config.dataDir)) {
      console.log(`${b.dir}\t${b.manifest.createdAt}\tdatabase ${b.manifest.database.bytes} bytes\t${b.manifest.files.count} files`);
    }
    return 0;
  }
  if (args.length) throw new UsageError('Usage: sen backup [list]');
  if (config.databaseUrl) {
    console.error(`${errorMessage('backup_not_embedded', 'vi')}\n${errorMessage('backup_not_embedded', 'en')}`);
    return USAGE_ERROR;
  }
  let made;
  try {
    made = await withDatabase((database) => createBackup(database, { dataDir: config.dataDir, keep: config.backup.keep, filesElsewhere: config.s3 ? s3Location(config.s3) : undefined }));
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    console.error(`${err.message}\nSen đang chạy: hãy sao lưu từ trang Quản trị › Sao lưu dữ liệu (hoặc POST /api/v1/admin/backups).\nSen is running: back up from Admin › Backups (or POST /api/v1/admin/backups).`);
    return 1;
  }
  console.log(`${made.dir}\tdatabase ${made.manifest.database.bytes} bytes\t${made.manifest.files.count} evidence files`);
  return 0;
}

/**
 * `sen restore <backup> [--data-dir D] [--erasures F]`: a data folder made of a backup, after checking it. The
 * backup's erasure ledger comes with it; `--erasures` adds another (the old data folder's `erasures.jsonl`, for a
 * backup copied away before later erasures). Whoever they name is erased again when Sen starts.
 */
async function restoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, erasures: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('Usage: sen restore <backup folder> [--data-dir D] [--erasures erasures.jsonl]');
  // Read first: a ledger that cannot be read stops the restore before anything is written.
  const extra = values.erasures ? parseErasureLedger(await readFile(values.erasures, 'utf8')) : [];
  const target = values['data-dir'] ?? loadConfig().dataDir;
  const manifest = await restoreBackup(positionals[0], target);
  await recordErasures(target, extra);
  const ledger = await readErasureLedger(target);
  console.log(
    `restored the backup of ${manifest.createdAt} into ${target} (${manifest.files.count} evidence files); start Sen with DATA_DIR=${target}` +
      (ledger.length ? `; it erases again, before serving, whoever of the ${new Set(ledger.map((e) => e.customerId)).size} customer(s) in its erasure ledger the backup still holds` : ''),
  );
  return 0;
}

/**
 * `sen files to-s3`: after S3_URL is set, copies the evidence files kept on disk (DATA_DIR/files) into the bucket, each
 * checked against its hash; files already there are left. Sen reads a file missing from the bucket from the disk meanwhile.
 * Exit 1 when a file on disk no longer has the hash it is named by (listed; it is not copied).
 */
async function filesCommand(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] !== 'to-s3') throw new UsageError('Usage: sen files to-s3');
  const config = loadConfig();
  if (!config.s3) {
    console.error('S3_URL chưa được đặt: không có kho tệp S3 để chép vào / S3_URL is not set: there is no S3 bucket to copy into');
    return USAGE_ERROR;
  }
  const s3 = config.s3;
  const r = await withDatabase(async (database) => {
    const { S3FileStore } = await import('../files/s3-store');
    const store = new S3FileStore(s3, database, path.resolve(config.dataDir, 'files'));
    try {
      return await store.copyFromDisk((n) => n % 1000 === 0 && console.log(`${n} files…`));
    } finally {
      await store.close();
    }
  });
  console.log(`${r.copied} file(s) copied into ${s3Location(s3)}, ${r.present} already there`);
  for (const sha of r.damaged) console.error(`altered or unreadable on disk, not copied: ${sha}`);
  return r.damaged.length ? 1 : 0;
}

/** Runs `sen …` and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'user':
        return await userCommand(rest);
      case 'audit':
        return await auditCommand(rest);
      case 'migrate':
        await withDatabase(async () => undefined);
        console.log('migrations applied');
        return 0;
      case 'calendar':
        return calendarCommand(rest, (line) => console.log(line));
      case 'dossier':
        return await dossierCommand(rest);
      case 'db':
        return await dbCommand(rest);
      case 'backup':
        return await backupCommand(rest);
      case 'restore':
        return await restoreCommand(rest);
      case 'files':
        return await filesCommand(rest);
      case undefined:
      case 'help':
      case '--help':
        console.log(HELP);
        return cmd ? 0 : USAGE_ERROR;
      default:
        throw new UsageError(`Unknown command: ${cmd}`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof CalendarUsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${err.message}\n\n${HELP}`);
      return USAGE_ERROR;
    }
    if (err instanceof AppError && err.details.fields) {
      for (const f of err.details.fields) console.error(`${f.field}: ${fieldErrorMessage(f.code, 'vi')} / ${fieldErrorMessage(f.code, 'en')}`);
      return USAGE_ERROR;
    }
    if (err instanceof AppError) {
      console.error(`${errorMessage(err.code, 'vi')} / ${errorMessage(err.code, 'en')}`);
      return 1;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

if (process.argv[1] && /cli[\\/]index\.ts$/.test(process.argv[1])) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
