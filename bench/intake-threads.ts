// Where an intake's CPU goes: drives portal intakes for SECONDS (8) from the load worker, without a profiler,
// and prints the CPU per intake of this process's threads (main, V8's platform threads, the load worker; each
// with THREADS=1) and of all PostgreSQL processes, from /proc. On a throw-away database, or on DB_URL (e.g. one
// kept by `npm run bench -- --keep`); EMAIL=1 gives every intake an email, so a receipt is written too;
// CONCURRENCY sets the load's sockets (32); PRE_SQL runs once before the load (e.g. `drop index …` to price an index).
// `npm run bench:intake-threads`
import { Worker } from 'node:worker_threads';
import { readFileSync, readdirSync } from 'node:fs';
import { buildApp } from '../src/http/app';
import { loadConfig } from '../src/config';
import { loadTemplates } from './data';
import { machineBusyMs } from './profile';
import { withThrowawayDatabase } from './throwaway-db';
import { openDatabase, type Database } from '../src/db/open';

const tick = 10; // ms per clock tick
function threads(): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const s = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      m.set(`${t} ${name}`, (Number(f[11]) + Number(f[12])) * tick);
    } catch { /* gone */ }
  }
  return m;
}
function postgres(): number {
  let sum = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const s = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (!s.includes('(postgres)')) continue;
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      sum += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * tick;
    } catch { /* gone */ }
  }
  return sum;
}

const onDatabase = async <T>(work: (d: Database) => Promise<T>): Promise<T> => {
  if (!process.env.DB_URL) return withThrowawayDatabase('sen_thr', work);
  const d = await openDatabase({ databaseUrl: process.env.DB_URL, poolMax: 20 });
  try { return await work(d); } finally { await d.close(); }
};
await onDatabase(async (database) => {
  if (process.env.PRE_SQL) await database.pool.query(process.env.PRE_SQL);
  const config = { ...loadConfig({ PORT: '0', RATE_LIMIT_PUBLIC_INTAKE: '100000000' }), host: '127.0.0.1' };
  const app = await buildApp({ database, config, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const templates = loadTemplates();
  const run = Date.now().toString(36);
  const bodies = Array.from({ length: 40_000 }, (_, i) => {
    const t = templates[i % templates.length];
    return JSON.stringify({
      customer: { name: t.customer.name, phone: `09${String(10_000_000 + Math.floor(Math.random() * 90_000_000)).slice(-8)}`, ...(process.env.EMAIL ? { email: `kh.${i}.${run}@gmail.com` } : {}) },
      subject: t.subject,
      description: t.description,
      consent: true,
    });
  });
  let t0 = threads(), p0 = postgres(), m0 = machineBusyMs();
  const w = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    workerData: { mode: 'intake', origin, concurrency: Number(process.env.CONCURRENCY ?? 32), durationMs: Number(process.env.SECONDS ?? 8) * 1000, warmup: 200, bodies, reportWarm: true },
  });
  w.on('message', (m: { warm?: boolean }) => { if (m.warm) { t0 = threads(); p0 = postgres(); m0 = machineBusyMs(); } });
  const r = await new Promise<{ done: number; seconds: number }>((resolve, reject) => {
    w.on('message', (m: { done?: number; seconds: number }) => { if (m.done !== undefined) resolve(m as { done: number; seconds: number }); });
    w.once('error', reject);
  });
  const t1 = threads(), p1 = postgres(), m1 = machineBusyMs();
  void w.terminate();
  const per = (ms: number) => (ms / r.done).toFixed(3);
  const groups = new Map<string, number>();
  for (const [k, v] of t1) {
    const d = v - (t0.get(k) ?? 0);
    if (process.env.THREADS && d > 0) console.log(`    thread ${k} ${per(d)} ms`);
    // Linux names every thread of a Node process "node": only the main thread (tid = pid) is told apart.
    const g = k.startsWith(`${process.pid} `) ? 'app main thread' : 'other threads (load worker, V8 GC and compiler, libuv)';
    groups.set(g, (groups.get(g) ?? 0) + d);
  }
  console.log(`${r.done} intakes in ${r.seconds.toFixed(1)} s = ${(r.done / r.seconds).toFixed(0)}/s; CPU per intake:`);
  for (const [g, v] of [...groups].sort((a, b) => b[1] - a[1])) if (v > 0) console.log(`  ${g}: ${per(v)} ms`);
  console.log(`  PostgreSQL (every process of the server): ${per(p1 - p0)} ms`);
  console.log(`  whole machine busy: ${per(m1 - m0)} ms`);
  await app.close();
});
