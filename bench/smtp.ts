// SMTP ingest benchmark: Sen's own SMTP listener on a database, driven by 8 parallel SMTP sessions,
// each mail carrying a 200 KB PDF. `npx tsx bench/smtp.ts` runs it alone on a throw-away PostgreSQL
// database; bench/run.ts calls benchSmtpIngest for its PostgreSQL section.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../src/db/open';
import { createSmtpListener } from '../src/channels/email/smtp-listener';
import { LocalFileStore } from '../src/files/store';
import { parseMail } from '../src/channels/email/parse-pool';
import { machineBusyMs } from './profile';

export interface SmtpBenchResult {
  perSec: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  seconds: number;
  errors: string[];
  /** CPU per stored mail while the load ran: this process (app and SMTP client), and the whole machine (steal excluded). */
  cpuMs: number;
  machineMs: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : Number.NaN;
};

/** Mails per second through the SMTP listener into the database, answered 250 after commit. */
export async function benchSmtpIngest(database: Database, opts: { seconds?: number; connections?: number; pdfBytes?: number } = {}): Promise<SmtpBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sen-bench-smtp-'));
  const server = createSmtpListener({
    database,
    files: new LocalFileStore(path.join(dir, 'files')),
    intakeAddresses: ['khieunai@bench.vn'],
    maxBytes: 10 * 1024 * 1024,
    receipt: { baseUrl: 'http://bench.vn', companyName: 'Bench' },
    hostname: 'bench.vn',
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await drive(server, opts);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the SMTP load worker against a listening server: 8 sessions (by default) for `seconds`. */
async function drive(server: SMTPServer, opts: { seconds?: number; connections?: number; pdfBytes?: number }): Promise<SmtpBenchResult> {
  const port = (server.server.address() as { port: number }).port;
  // The CPU window is the load's own: setting up and removing the throw-away files are outside it.
  const cpu0 = process.cpuUsage();
  const busy0 = machineBusyMs();
  const r = await new Promise<{ latencies: number[]; ok: number; failed: number; errors: string[]; seconds: number }>((resolve, reject) => {
    const w = new Worker(new URL('./smtp-worker.mjs', import.meta.url), {
      workerData: { port, connections: opts.connections ?? 8, durationMs: (opts.seconds ?? 10) * 1000, to: 'khieunai@bench.vn', pdfBytes: opts.pdfBytes ?? 200 * 1024 },
    });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
  const cpu = process.cpuUsage(cpu0);
  const per = (ms: number) => ms / Math.max(1, r.ok);
  return {
    perSec: r.ok / r.seconds,
    ok: r.ok,
    failed: r.failed,
    p50: pct(r.latencies, 0.5),
    p99: pct(r.latencies, 0.99),
    seconds: r.seconds,
    errors: r.errors,
    cpuMs: per((cpu.user + cpu.system) / 1000),
    machineMs: per(machineBusyMs() - busy0),
  };
}

/**
 * The same load against a bare smtp-server doing part of Sen's work on each message: only receiving it,
 * + parsing it, + storing it and its attachments durably. What each stage costs, and the rate the
 * listener could reach if the rest cost nothing (`npx tsx bench/smtp.ts --stages`).
 */
export async function benchSmtpStages(seconds: number): Promise<{ stage: string; result: SmtpBenchResult; cpuMs: number }[]> {
  const out = [];
  for (const stage of ['receive', 'receive + parse', 'receive + parse + store files']) {
    const dir = mkdtempSync(path.join(tmpdir(), 'sen-bench-smtp-'));
    const files = new LocalFileStore(path.join(dir, 'files'));
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          void (async () => {
            if (stage !== 'receive') {
              const mail = await parseMail(raw);
              if (stage.endsWith('files')) await Promise.all([files.put(raw, mail.rawSha256), ...mail.attachments.map((a) => files.put(a.content, a.sha256))]);
            }
            callback(null, 'ok');
          })().catch((err: Error) => callback(err));
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const result = await drive(server, { seconds });
      out.push({ stage, result, cpuMs: result.cpuMs });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { withThrowawayDatabase } = await import('./throwaway-db');
  if (process.argv.includes('--stages')) {
    for (const { stage, result: r, cpuMs } of await benchSmtpStages(Number(process.env.SECONDS ?? 8))) {
      console.log(`${stage.padEnd(30)} ${r.perSec.toFixed(1).padStart(6)} mails/s, p50 ${r.p50.toFixed(1)} ms, this process ${cpuMs.toFixed(2)} ms CPU per mail (with the SMTP client)`);
    }
  }
  await withThrowawayDatabase('sen_bench_smtp', async (database) => {
    const r = await benchSmtpIngest(database, { seconds: Number(process.env.SECONDS ?? 10) });
    console.log(`CPU per mail: this process ${r.cpuMs.toFixed(2)} ms (app and SMTP client), machine ${r.machineMs.toFixed(2)} ms (steal excluded)`);
    console.log(
      `SMTP ingest (PostgreSQL, 8 connections, 200 KB PDF each): ${r.perSec.toFixed(1)} mails/s (${r.ok} in ${r.seconds.toFixed(1)} s, ${r.failed} failed), ` +
        `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; goal ≥ 200 mails/s ${r.perSec >= 200 ? '✓' : '✗'}`,
    );
    if (r.errors.length) console.log('errors:', r.errors);
  });
}
