// SMTP ingest benchmark: Sen's own SMTP listener on a database, driven by 8 parallel SMTP sessions,
// each mail carrying a 200 KB PDF. `npx tsx bench/smtp.ts` runs it alone on a throw-away PostgreSQL
// database; bench/run.ts calls benchSmtpIngest for its PostgreSQL section.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from '../src/db/open';
import { createSmtpListener } from '../src/channels/email/smtp-listener';
import { FileStore } from '../src/files/store';

export interface SmtpBenchResult {
  perSec: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  seconds: number;
  errors: string[];
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
    files: new FileStore(path.join(dir, 'files')),
    intakeAddresses: ['khieunai@bench.vn'],
    maxBytes: 10 * 1024 * 1024,
    receipt: { baseUrl: 'http://bench.vn', companyName: 'Bench', locale: 'vi' },
    hostname: 'bench.vn',
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  try {
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
    return { perSec: r.ok / r.seconds, ok: r.ok, failed: r.failed, p50: pct(r.latencies, 0.5), p99: pct(r.latencies, 0.99), seconds: r.seconds, errors: r.errors };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { withThrowawayDatabase } = await import('./throwaway-db');
  const { readFileSync } = await import('node:fs');
  // Busy CPU time of the whole machine (app, SMTP worker, PostgreSQL, kernel), in ms: less noisy than the rate.
  const machineBusy = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (f.reduce((a, b) => a + b, 0) - f[3] - f[4] - (f[7] ?? 0)) * 10;
  };
  await withThrowawayDatabase('sen_bench_smtp', async (database) => {
    const busy0 = machineBusy();
    const cpu0 = process.cpuUsage();
    const r = await benchSmtpIngest(database, { seconds: Number(process.env.SECONDS ?? 10) });
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `CPU per mail: this process ${((cpu.user + cpu.system) / 1000 / r.ok).toFixed(2)} ms (app and SMTP client), machine ${((machineBusy() - busy0) / r.ok).toFixed(2)} ms (steal excluded)`,
    );
    console.log(
      `SMTP ingest (PostgreSQL, 8 connections, 200 KB PDF each): ${r.perSec.toFixed(1)} mails/s (${r.ok} in ${r.seconds.toFixed(1)} s, ${r.failed} failed), ` +
        `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; goal ≥ 200 mails/s ${r.perSec >= 200 ? '✓' : '✗'}`,
    );
    if (r.errors.length) console.log('errors:', r.errors);
  });
}
