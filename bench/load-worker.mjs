// HTTP load generator of the benchmark, in its own thread so that building requests and parsing
// responses does not run on the app's event loop. Plain JavaScript so that it loads in a worker under tsx.
//
// workerData:
//   { mode: 'intake', origin, concurrency, durationMs?, count?, warmup, bodies: string[] }
//   { mode: 'requests', origin, concurrency, requests: [{ path, headers }] }
// Posts back { latencies: number[] (ms, in completion order), statuses: {code: count}, errors: string[], kinds?: number[] }.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const { mode, origin, concurrency } = workerData;
const url = new URL(origin);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });

function send(method, path, headers, body) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, agent, headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, text: Buffer.concat(chunks).toString() }));
        res.on('error', (err) => resolve({ status: 0, ms: performance.now() - t0, text: String(err) }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, ms: performance.now() - t0, text: String(err) }));
    // A stuck server shows up as status 0 ("timeout") instead of hanging the benchmark.
    req.setTimeout(60_000, () => req.destroy(new Error('timeout after 60 s')));
    if (body) req.end(body);
    else req.end();
  });
}

const statuses = {};
const errors = [];
const note = (r, expected) => {
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  if (r.status !== expected && errors.length < 5) errors.push(`${r.status}: ${r.text.slice(0, 300)}`);
};

async function intake() {
  const { bodies, durationMs, count, warmup } = workerData;
  let next = 0;
  const post = (i) =>
    send(
      'POST',
      '/api/v1/portal/complaints',
      { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      bodies[i % bodies.length],
    );
  // Warm-up: opens the keep-alive connections and the pool, lets the JIT settle; not counted.
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < warmup) await post(next++);
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
    Array.from({ length: concurrency }, async () => {
      while (started < limit && performance.now() < deadline) {
        started += 1;
        const r = await post(next++);
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
    Array.from({ length: concurrency }, async () => {
      while (next < list.length) {
        const i = next++;
        const r = await send('GET', list[i].path, list[i].headers ?? {});
        note(r, 200);
        latencies[i] = r.ms;
      }
    }),
  );
  return { latencies, statuses, errors, seconds: (performance.now() - t0) / 1000, done: list.length };
}

const result = await (mode === 'intake' ? intake() : requests());
agent.destroy();
parentPort.postMessage(result);
