import 'dotenv/config';
import path from 'node:path';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { ensureFirstAdmin } from '../bootstrap';
import { buildApp } from './app';
import { startJobs } from '../jobs/runner';
import { createSmtpListener } from '../channels/email/smtp-listener';
import { openFileStore } from '../files/open';
import type { S3FileStore } from '../files/s3-store';
import { reapplyErasures } from '../jobs/reapply-erasures';
import { closeMailParsers } from '../channels/email/parse-pool';

/** Starts Sen: opens the database (embedded PGlite unless DATABASE_URL), migrates, and listens. */
async function main() {
  const config = loadConfig();
  if (!config.serveHttp && !config.jobs.enabled && config.smtp.port === null) {
    throw new Error('PORT=off, JOBS=0 và SMTP_PORT=off: không còn gì để chạy / nothing left to run: set PORT, JOBS=1 or SMTP_PORT');
  }
  const started = Date.now();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await ensureFirstAdmin(database, config, (line) => console.log(line));
  if (config.s3) {
    const files = openFileStore(config, database) as S3FileStore;
    const problem = await files.checkBucket();
    console.log(
      problem
        ? `Tệp bằng chứng: KHÔNG truy cập được ${files.location} (${problem}); tải lên sẽ lỗi cho đến khi sửa S3_URL / Evidence files: cannot reach ${files.location} (${problem}); uploads fail until S3_URL is fixed`
        : `Tệp bằng chứng lưu tại / evidence files kept in ${files.location}`,
    );
  }
  // Before anyone is served: customers erased after the backup this database was restored from are erased again.
  await reapplyErasures({
    database,
    files: openFileStore(config, database),
    dataDir: config.dataDir,
    outboxDir: path.join(config.dataDir, 'outbox'),
    log: (line) => console.log(line),
  });
  const app = config.serveHttp ? await buildApp({ database, config, logger: process.env.LOG !== '0' }) : null;
  const jobs = config.jobs.enabled ? startJobs(database, config) : null;
  const smtp = config.smtp.port
    ? createSmtpListener({
        database,
        files: openFileStore(config, database),
        intakeAddresses: config.smtp.intakeAddresses,
        maxBytes: config.smtp.maxBytes,
        maxClients: config.smtp.maxClients,
        receipt: { baseUrl: config.baseUrl, companyName: config.companyName },
        hostname: new URL(config.baseUrl).hostname,
        log: process.env.LOG === '0' ? undefined : (m) => console.log(m),
      })
    : null;
  let smtpListening = false;
  if (smtp && config.smtp.port) {
    const port = config.smtp.port;
    const listening = await new Promise<boolean>((resolve, reject) => {
      smtp.server.once('error', (err: NodeJS.ErrnoException) => {
        // The default port taken (another Sen, a dev mail catcher): Sen runs on without its listener and says so.
        if (err.code === 'EADDRINUSE' && !config.smtp.portChosen) resolve(false);
        else reject(new Error(`SMTP_PORT ${port}: ${err.message}`));
      });
      smtp.listen(port, config.smtp.host, () => resolve(true));
    });
    smtpListening = listening;
    console.log(
      listening
        ? `SMTP: nhận thư khiếu nại / accepting complaint mail on port ${port} for ${config.smtp.intakeAddresses.join(', ')}`
        : `SMTP: cổng ${port} đang bận, không nhận thư qua SMTP / port ${port} is in use: no SMTP listener (set SMTP_PORT, or SMTP_PORT=off)`,
    );
  }
  const stop = async () => {
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await jobs?.stop();
    await app?.close();
    await closeMailParsers();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
  if (!app) {
    // A worker beside API processes on the same PostgreSQL: it says what it runs.
    const parts = [jobs ? 'jobs' : null, jobs && config.imap.url ? 'IMAP' : null, smtpListening ? 'SMTP' : null].filter(Boolean);
    if (!parts.length) {
      // JOBS=0 and the SMTP port taken: a worker with nothing to do would only look alive.
      await database.close();
      throw new Error(`PORT=off, JOBS=0 và cổng SMTP ${config.smtp.port} đang bận: không còn gì để chạy / nothing left to run`);
    }
    console.log(
      `Sen chạy không phục vụ HTTP (PORT=off) / Sen runs without HTTP (PORT=off): ${parts.join(', ')}; ${where}; started in ${Date.now() - started} ms`,
    );
    if (database.kind === 'pglite') {
      console.log('Cảnh báo: cơ sở dữ liệu nhúng chỉ mở được bởi một tiến trình, không tiến trình nào phục vụ giao diện / Warning: the embedded database opens in one process only, so nothing serves the console');
    }
    return;
  }
  await app.listen({ port: config.port, host: config.host });
  console.log(`Sen đang chạy / Sen is running at ${config.baseUrl} (${where}; started in ${Date.now() - started} ms)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
