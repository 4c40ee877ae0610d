// HTTP load generator of the benchmark, in its own thread so that building requests and parsing
// responses does not run on the app's event loop. Plain JavaScript so that it loads in a worker under tsx.
//
// workerData:
//   { mode: 'intake', origin, concurrency, durationMs?, count?, warmup, bodies: string[] }
//   { mode: 'requests', origin, concurrency, requests: [{ path, headers }] }
// Posts back { latencies: number[] (ms, in completion order), statuses: {code: count}, errors: string[], kinds?: number[] }.
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { leanConnection } from './lean-http.mjs';

const { mode, origin, concurrency } = workerData;
const url = new URL(origin);
// One keep-alive connection per virtual user, through a lean client (lean-http.mjs: Node's own http client
// cost ~0.1 ms of CPU per request, taken from the app and the database it measures).
const connections = Array.from({ length: concurrency }, () => leanConnection(url.hostname, Number(url.port)));

const statuses = {};
const errors = [];
const note = (r, expected) => {
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  if (r.status !== expected && errors.length < 5) errors.push(`${r.status}: ${r.text.slice(0, 300)}`);
};

async function intake() {
  const { bodies, durationMs, count, warmup } = workerData;
  let next = 0;
  const post = (c, i) =>
    c.send(
      'POST',
      '/api/v1/portal/complaints',
      { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      bodies[i % bodies.length],
    );
  // Warm-up: opens the keep-alive connections and the pool, lets the JIT settle; not counted.
  await Promise.all(
    connections.map(async (c) => {
      while (next < warmup) await post(c, next++);
    }),
  );
  if (workerData.reportWarm) parentPort.postMessage({ warm: true });
  const latencies = [];
  let done = 0;
  const t0 = performance.now();
  const deadline = durationMs ? t0 + durationMs : Infinity;
  const limit = count ?? Infinity;
  let started = 0;
  await Promise.all(
    connections.map(async (c) => {
      while (started < limit && performance.now() < deadline) {
        started += 1;
        const r = await post(c, next++);
        note(r, 201);
        latencies.push(r.ms);
        done += 1;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { latencies, statuses, errors, seconds, done };
}

async function requests() {
  const list = workerData.requests;
  const latencies = new Array(list.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    connections.map(async (c) => {
      while (next < list.length) {
        const i = next++;
        const r = await c.send('GET', list[i].path, list[i].headers ?? {});
        note(r, 200);
        latencies[i] = r.ms;
      }
    }),
  );
  return { latencies, statuses, errors, seconds: (performance.now() - t0) / 1000, done: list.length };
}

const result = await (mode === 'intake' ? intake() : requests());
for (const c of connections) c.close();
parentPort.postMessage(result);
