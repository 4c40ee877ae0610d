import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { s3Location, type Config } from '../config';
import type { Database } from '../db/open';
import { logSafeMessage } from '../db/errors';
import { pollMailbox } from '../channels/email/imap-poller';
import { openFileStore } from '../files/open';
import { deliverQueuedMail } from './deliver-mail';
import { runRoutingSweep } from './routing-sweep';
import { deliverQueuedSms, queueSmsReceipts } from './sms';
import { runSlaSweep } from './sla-sweep';
import { runReminderSweep } from './reminders-sweep';
import { runNoticeDigest } from './notice-digest';
import { runFollowupSweep } from './followup-sweep';
import { runInvestigationSweep } from './investigation-sweep';
import { maintainDatabase } from '../db/maintenance';
import { eraseExpiredCustomers } from './retention';
import { purgeIdempotentReplays } from '../commands/request-claim';
import { purgeFailedChecks } from '../db/queries/failed-checks';
import { runDataRequestSweep } from './data-requests-sweep';
import { backupDue, createBackup, lastBackupFailure, listBackups, noticeBackupFailure } from '../db/backup';

export interface JobRunner {
  stop(): Promise<void>;
}

/**
 * Runs Sen's background jobs on timers. Their state lives in PostgreSQL (clock rows, the mail
 * outbox), claimed with SKIP LOCKED, so any number of processes may run them, a restart loses
 * nothing, and what came due while Sen was down is done once when it is back. A tick that fails
 * (database down) is logged and simply tried again at the next one. With IMAP_URL set, a job polls
 * that mailbox; a lease in `imap_state` lets one process at a time read it. On the embedded database
 * two more: one vacuums and analyses the tables that need it (PGlite has no autovacuum), one makes
 * the nightly backup.
 */
export function startJobs(database: Database, config: Config, log: (msg: string) => void = console.error): JobRunner {
  const mailDomain = new URL(config.baseUrl).hostname;
  const stopping = new AbortController();
  const imapOwner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const jobs = [
    {
      name: 'sla.sweep',
      every: config.jobs.slaSweepMs,
      run: () => runSlaSweep({ database, baseUrl: config.baseUrl, mailDomain }),
    },
    {
      name: 'investigation.sweep',
      every: config.jobs.slaSweepMs,
      run: () => runInvestigationSweep({ database, mail: { baseUrl: config.baseUrl, companyName: config.companyName } }),
    },
    {
      name: 'followup.sweep',
      every: config.jobs.slaSweepMs,
      run: () => runFollowupSweep({ database, baseUrl: config.baseUrl, mailDomain, companyName: config.companyName }),
    },
    {
      name: 'mail.deliver',
      every: config.jobs.mailMs,
      run: () =>
        deliverQueuedMail(database, {
          mailUrl: config.mailUrl,
          from: config.mailFrom,
          replyTo: config.mailReplyTo,
          outboxDir: path.join(config.dataDir, 'outbox'),
          files: openFileStore(config, database),
        }),
    },
    ...(config.sms
      ? [
          {
            name: 'sms.receipts',
            every: config.jobs.mailMs,
            run: () => queueSmsReceipts({ database, baseUrl: config.baseUrl, companyName: config.companyName }),
          },
          { name: 'sms.deliver', every: config.jobs.mailMs, run: () => deliverQueuedSms(database, config.sms!) },
        ]
      : []),
    {
      name: 'routing.sweep',
      every: config.jobs.routingMs,
      run: () => runRoutingSweep({ database }),
    },
    {
      name: 'reminders.sweep',
      every: config.jobs.slaSweepMs,
      run: () => runReminderSweep({ database, baseUrl: config.baseUrl, mailDomain }),
    },
    {
      name: 'notices.digest',
      every: config.jobs.slaSweepMs,
      run: () => runNoticeDigest({ database, baseUrl: config.baseUrl, mailDomain }),
    },
    {
      name: 'personal_data.requests',
      every: config.jobs.slaSweepMs,
      run: () => runDataRequestSweep(database),
    },
    {
      name: 'personal_data.retention',
      every: config.retention.intervalMs,
      run: async () => {
        const { erased } = await eraseExpiredCustomers({
          database,
          files: openFileStore(config, database),
          outboxDir: path.join(config.dataDir, 'outbox'),
          ledgerDir: config.dataDir,
          months: config.retention.months,
          log,
        });
        if (erased) log(`personal_data.retention: the data of ${erased} customer(s) past the retention period erased`);
        await purgeIdempotentReplays(database);
        await purgeFailedChecks(database);
      },
    },
    // PGlite has no autovacuum: Sen vacuums and analyses its tables itself (PostgreSQL does its own).
    ...(database.kind === 'pglite'
      ? [
          {
            name: 'db.maintenance',
            every: config.jobs.maintenanceMs,
            run: async () => {
              const { full, steps } = await maintainDatabase(database, { nightHour: config.backup.hour });
              if (full) log(`db.maintenance: nightly vacuum + analyze of ${steps.length} tables in ${steps.reduce((ms, s) => ms + s.ms, 0)} ms`);
              else for (const s of steps) log(`db.maintenance: ${s.vacuum ? 'vacuum' : 'analyze'}${s.vacuum && s.analyze ? ' + analyze' : ''} ${s.table} in ${s.ms} ms`);
            },
          },
        ]
      : []),
    // A backup of the embedded database and the evidence files every night (checked every 10 minutes,
    // so one missed while Sen was stopped is made when it is back).
    ...(database.kind === 'pglite' && config.backup.enabled
      ? [
          {
            name: 'db.backup',
            every: 600_000,
            run: async () => {
              const now = new Date();
              if (!backupDue(await listBackups(config.dataDir), now, config.backup.hour)) return;
              const started = performance.now();
              const made = await createBackup(database, { dataDir: config.dataDir, keep: config.backup.keep, filesElsewhere: config.s3 ? s3Location(config.s3) : undefined }).catch(async (err: unknown) => {
                const failure = lastBackupFailure();
                if (failure) await noticeBackupFailure(database, failure);
                throw err;
              });
              const mb = (made.manifest.database.bytes / 1e6).toFixed(1);
              log(`db.backup: ${made.dir} (database ${mb} MB, ${made.manifest.files.count} evidence files) in ${Math.round(performance.now() - started)} ms`);
              if (made.pruneFailed) log(`db.backup: an old backup could not be deleted: ${made.pruneFailed}`);
              if (made.ledgerFailed) log(`db.backup: the erasure ledger could not be copied into the new backup again: ${made.ledgerFailed}`);
            },
          },
        ]
      : []),
    ...(config.imap.url
      ? [
          {
            name: 'imap.poll',
            every: config.imap.intervalMs,
            run: () =>
              pollMailbox({
                database,
                files: openFileStore(config, database),
                imapUrl: config.imap.url!,
                receipt: { baseUrl: config.baseUrl, companyName: config.companyName },
                owner: imapOwner,
                moveTo: config.imap.moveTo,
                maxBytes: config.smtp.maxBytes,
                log,
                signal: stopping.signal,
              }),
          },
        ]
      : []),
  ];
  let stopped = false;
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    let busy = false;
    const tick = () => {
      if (busy || stopped) return;
      busy = true;
      const p = job
        .run()
        .catch((err: unknown) => log(`job ${job.name} failed, will retry: ${logSafeMessage(err)}`))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    };
    setImmediate(tick);
    return setInterval(tick, job.every);
  });
  return {
    async stop() {
      stopped = true;
      stopping.abort();
      for (const t of timers) clearInterval(t);
      await Promise.all(running);
    },
  };
}
