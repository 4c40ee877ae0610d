import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone } from './factories';
import { openDatabase, type Database } from '../src/db/open';
import { createComplaint } from '../src/commands/create-complaint';

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

  // Intakes on either side of midnight in Asia/Ho_Chi_Minh on New Year's Eve take the numbers of their own year.
  it('numbers intakes of New Year’s Eve and New Year’s Day arriving together consecutively, each in its own year', async () => {
    const eve = new Date('2030-12-31T16:59:59.500Z'); // 23:59:59 on 31/12/2030 in Việt Nam
    const newYear = new Date('2030-12-31T17:00:00.200Z'); // 00:00:00 on 01/01/2031
    const made = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i)); // in several batches
        return createComplaint({
          database: db(),
          actor: { kind: 'customer', id: null, channel: 'web' },
          channel: 'web',
          input: buildIntake({ customer: { name: `Khách giao thừa ${i}`, phone: randomPhone() } }) as never,
          requireConsent: true,
          now: i % 2 ? newYear : eve,
        });
      }),
    );
    const numbers = (year: number) =>
      made
        .filter((m) => m.code.startsWith(`KN-${year}-`))
        .map((m) => Number(m.code.slice(-6)))
        .sort((a, b) => a - b);
    expect(numbers(2030)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(numbers(2031)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  if (kind === 'postgres') {
    // Each process sends batches on the numbers it expects after its own last batch: the other's numbers
    // must make those batches fail whole and be written again, never leave a gap or give a number twice.
    it('numbers consecutively, without a failure, the intakes two Sen processes take on one database at once', async () => {
      const other = await openDatabase({ databaseUrl: db().url! });
      try {
        const intake = (database: Database, i: number) =>
          createComplaint({
            database,
            actor: { kind: 'customer', id: null, channel: 'web' },
            channel: 'web',
            input: buildIntake({ customer: { name: `Khách ${i}`, phone: i % 9 === 0 ? '0913 456 789' : randomPhone() } }) as never,
            requireConsent: true,
            idempotencyKey: `two-processes-${i}`,
            idempotencyScope: 'portal',
          });
        // Both learn the year's counter, then take intakes in bursts at the same time.
        const made = [await intake(db(), 1000), await intake(other, 1001)];
        for (let round = 0; round < 4; round += 1) {
          made.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => intake(i % 2 ? other : db(), round * 50 + i)))));
        }
        expect(made.every((m) => !m.replayed)).toBe(true);
        const seqs = made.map((m) => Number(m.code.slice(-6))).sort((a, b) => a - b);
        expect(new Set(seqs).size).toBe(made.length);
        expect(seqs[seqs.length - 1] - seqs[0]).toBe(made.length - 1);
        const stored = await db().pool.query<{ n: number; customers: number }>(
          `select count(*)::int as n, count(distinct customer_id) filter (where customer_id in (select id from customers where phone_e164 = '+84913456789'))::int as customers
           from complaints where id = any($1::uuid[])`,
          [made.map((m) => m.id)],
        );
        expect(stored.rows[0]).toEqual({ n: made.length, customers: 1 });
      } finally {
        await other.close();
      }
    });
  }
});
