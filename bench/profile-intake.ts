// Profiles the app's main thread while the load worker posts portal intakes: `npx tsx bench/profile-intake.ts`.
// Prints the functions with the most self time, grouped by package, and writes intake.cpuprofile.
import { Worker } from 'node:worker_threads';
import { buildApp } from '../src/http/app';
import { loadConfig } from '../src/config';
import { loadTemplates } from './data';
import { profileMainThread } from './profile';
import { withThrowawayDatabase } from './throwaway-db';

await withThrowawayDatabase('sen_prof', async (database) => {
  const config = { ...loadConfig({ PORT: '0', RATE_LIMIT_PUBLIC_INTAKE: '100000000' }), host: '127.0.0.1' };
  const app = await buildApp({ database, config, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const templates = loadTemplates();
  const bodies = Array.from({ length: 20_000 }, (_, i) => {
    const t = templates[i % templates.length];
    return JSON.stringify({
      customer: { name: t.customer.name, phone: `09${String(10_000_000 + i).slice(-8)}`, ...(process.env.EMAIL ? { email: `kh.${i}@gmail.com` } : {}) },
      subject: t.subject,
      description: t.description,
      consent: true,
    });
});
const { result, cpuMs } = await profileMainThread('intake.cpuprofile', () =>
  new Promise<{ done: number; seconds: number }>((resolve, reject) => {
    const w = new Worker(new URL('./load-worker.mjs', import.meta.url), {
      workerData: { mode: 'intake', origin, concurrency: 32, durationMs: Number(process.env.SECONDS ?? 10) * 1000, warmup: 128, bodies },
    });
    w.once('message', (m: { done: number; seconds: number }) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  }),
);
console.log(`\n${result.done} intakes in ${result.seconds.toFixed(1)} s = ${(result.done / result.seconds).toFixed(0)}/s; process CPU ${(cpuMs / result.done).toFixed(3)} ms per intake (includes the load worker)`);
await app.close();
});
