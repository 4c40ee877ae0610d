import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, seedComplaint, staffWithToken } from './factories';

/** Khiếu nại khác của khách hàng — a complaint's page lists the customer's other complaints, open ones first, five at most. */
describeEachDatabase("the customer's other complaints", (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
  });
  afterAll(async () => app?.close());

  type Others = { items: { code: string; status: string; subject: string; receivedAt: string }[]; total: number };
  const othersOf = async (code: string) => ((await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json() as { customerComplaints: Others }).customerComplaints;

  it('lists the others of the same customer (however their phone was written), open first then newest, five of the seven', async () => {
    const phone = randomPhone();
    const international = `+84 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
    const made: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const c = await seedComplaint(db(), {
        input: { subject: `Lần ${i + 1}: máy lọc nước`, customer: { name: 'Vương Thị Ngọc', phone: i % 2 ? phone : international } },
        now: new Date(Date.UTC(2026, 9, 1 + i)),
      });
      made.push(c.code);
    }
    // Two of the older ones are over.
    await db().db.execute(sql`update complaints set status = 'closed' where code in (${made[5]}, ${made[6]})`);
    // Another customer's complaint is none of hers.
    await seedComplaint(db(), { input: { customer: { name: 'Vương Thị Ngọc', phone: randomPhone() } } });

    const others = await othersOf(made[0]);
    expect(others.total).toBe(7);
    expect(others.items.map((o) => o.code)).toEqual([made[7], made[4], made[3], made[2], made[1]]);
    const last = await othersOf(made[7]);
    expect(last.items.map((o) => [o.code, o.status])).toEqual([
      [made[4], 'received'],
      [made[3], 'received'],
      [made[2], 'received'],
      [made[1], 'received'],
      [made[0], 'received'],
    ]);
    const lone = await seedComplaint(db());
    expect(await othersOf(lone.code)).toEqual({ items: [], total: 0 });
  });
});
