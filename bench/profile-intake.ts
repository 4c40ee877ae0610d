// Profiles the app's main thread while the load worker posts portal intakes: `npx tsx bench/profile-intake.ts`.
// Prints the functions with the most self time, grouped by package, and writes intake.cpuprofile.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../src/db/open';
import { buildApp } from '../src/http/app';
import { loadConfig } from '../src/config';
import { loadTemplates } from './data';

const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `sen_prof_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(pgUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.toString(), poolMax: 20 });
const config = { ...loadConfig({ PORT: '0', RATE_LIMIT_PUBLIC_INTAKE: '100000000' }), host: '127.0.0.1' };
const app = await buildApp({ database, config, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const templates = loadTemplates();
const bodies = Array.from({ length: 20_000 }, (_, i) => {
  const t = templates[i % templates.length];
  return JSON.stringify({
    customer: { name: t.customer.name, phone: `09${String(10_000_000 + i).slice(-8)}` },
    subject: t.subject,
    description: t.description,
    consent: true,
  });
});
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const cpu0 = process.cpuUsage();
const result = await new Promise<{ done: number; seconds: number }>((resolve, reject) => {
  const w = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    workerData: { mode: 'intake', origin, concurrency: 32, durationMs: Number(process.env.SECONDS ?? 10) * 1000, warmup: 128, bodies },
  });
  w.once('message', (m: { done: number; seconds: number }) => {
    resolve(m);
    void w.terminate();
  });
  w.once('error', reject);
});
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post('Profiler.stop');
writeFileSync('intake.cpuprofile', JSON.stringify(profile));
console.log(`${result.done} intakes in ${result.seconds.toFixed(1)} s = ${(result.done / result.seconds).toFixed(0)}/s; process CPU ${((cpu.user + cpu.system) / 1000 / result.done).toFixed(3)} ms per intake (includes the load worker)`);
const self = new Map<string, number>();
const byPkg = new Map<string, number>();
const total = profile.samples!.length;
const counts = new Map<number, number>();
for (const id of profile.samples!) counts.set(id, (counts.get(id) ?? 0) + 1);
for (const n of profile.nodes) {
  const c = counts.get(n.id) ?? 0;
  if (!c) continue;
  const f = n.callFrame;
  const file = f.url.replace(/^file:\/\//, '').replace(process.cwd(), '.');
  const key = `${f.functionName || '(anon)'} ${file}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + c);
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (file.startsWith('./src') ? 'sen' : file || f.functionName);
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + c);
}
const top = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`).join('\n');
console.log('\nby package:\n' + top(byPkg, 25));
console.log('\nby function (self):\n' + top(self, 40));
await app.close();
await database.close();
await admin.query(`drop database ${name} with (force)`);
await admin.end();
