import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone } from './factories';

describeEachDatabase('complaint codes under concurrency', (db, kind) => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = await buildTestApp(db());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => app?.close());

  const n = kind === 'postgres' ? 200 : 60;
  it(`gives ${n} concurrent HTTP intakes ${n} distinct, consecutive codes and no failure`, async () => {
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${base}/api/v1/portal/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `conc-${i}-${Math.random()}` },
          // A few customers repeat, so first-time customer creation races too.
          body: JSON.stringify(buildIntake({ customer: { name: `Khách ${i}`, phone: i % 10 === 0 ? '0912 345 678' : randomPhone() } })),
        }),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const codes = (await Promise.all(responses.map((r) => r.json()))).map((b: { code: string }) => b.code);
    expect(new Set(codes).size).toBe(n);
    const seqs = codes.map((c) => Number(c.slice(-6))).sort((a, b) => a - b);
    expect(seqs[seqs.length - 1] - seqs[0]).toBe(n - 1);
    const r = await db().pool.query<{ n: number }>(`select count(*)::int as n from customers where phone_e164 = '+84912345678'`);
    expect(r.rows[0].n).toBe(1);
  });
});
