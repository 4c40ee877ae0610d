import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, staffWithToken } from './factories';

/** Consumers in a vulnerable group (Law on Protection of Consumers' Rights 2023, Art. 8) are handled first. */
describeEachDatabase('vulnerable consumers (Art. 8)', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
  });
  afterAll(async () => {
    await app.close();
  });

  const portal = (extra: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      headers,
      payload: { customer: { name: 'Bà Nguyễn Thị Lành', phone: randomPhone() }, subject: 'Máy trợ thính hỏng', description: 'Không nghe được.', consent: true, ...extra },
    });
  const staff = (extra: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: agent.headers,
      payload: { ...buildIntake({ customer: { name: 'Ông Trần Văn Già', phone: randomPhone() } }), consent: undefined, channel: 'hotline', ...extra },
    });
  const detail = async (code: string) => (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json();
  const patch = (code: string, payload: object) => app.inject({ method: 'PATCH', url: `/api/v1/complaints/${code}`, headers: agent.headers, payload });
  const events = async (code: string) =>
    (
      await db().db.execute<{ type: string; payload: Record<string, unknown> }>(sql`
        select e.type, e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`)
    ).rows;

  it('a customer who says so on the portal gets a high-priority complaint, marked in the queue and the record', async () => {
    const res = await portal({ vulnerableGroup: 'elderly' });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().code as string;
    const shown = await detail(code);
    expect(shown).toMatchObject({ priority: 'high', vulnerableGroup: 'elderly' });
    expect((await events(code))[0]).toMatchObject({ type: 'complaint.created', payload: { vulnerableGroup: 'elderly' } });
    const queue = (await app.inject({ url: `/api/v1/complaints?q=${code}`, headers: agent.headers })).json().items;
    expect(queue).toEqual([expect.objectContaining({ code, priority: 'high', vulnerableGroup: 'elderly' })]);
    // Without a group, or sent as null: as before.
    for (const extra of [{}, { vulnerableGroup: null }]) {
      const other = await portal(extra);
      expect(await detail(other.json().code)).toMatchObject({ priority: 'normal', vulnerableGroup: null });
    }
  });

  it('staff intake: at least high, an urgent one stays urgent; an unknown group is a field error that stores nothing', async () => {
    const low = await staff({ priority: 'low', vulnerableGroup: 'child' });
    expect(low.statusCode, low.body).toBe(201);
    expect(await detail(low.json().code)).toMatchObject({ priority: 'high', vulnerableGroup: 'child' });
    const urgent = await staff({ priority: 'urgent', vulnerableGroup: 'disabled' });
    expect(await detail(urgent.json().code)).toMatchObject({ priority: 'urgent', vulnerableGroup: 'disabled' });
    const before = (await db().db.execute<{ n: string }>(sql`select count(*) as n from complaints`)).rows[0].n;
    for (const bad of [await staff({ vulnerableGroup: 'vip' }), await portal({ vulnerableGroup: 'rich' })]) {
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toContain('vulnerableGroup');
    }
    expect((await db().db.execute<{ n: string }>(sql`select count(*) as n from complaints`)).rows[0].n).toBe(before);
  });

  it('the same Idempotency-Key with another group is another request: refused', async () => {
    const key = `vul-${Math.random().toString(36).slice(2)}`;
    const phone = randomPhone();
    const body = { customer: { name: 'Chị Lý Thị Bầu', phone }, subject: 'Sữa hỏng', description: 'Hộp sữa phồng.', consent: true };
    const send = (group: string | null) =>
      app.inject({ method: 'POST', url: '/api/v1/portal/complaints', headers: { 'idempotency-key': key }, payload: { ...body, vulnerableGroup: group } });
    expect((await send('pregnant_or_infant')).statusCode).toBe(201);
    expect((await send('pregnant_or_infant')).statusCode).toBe(200);
    const other = await send(null);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('staff set or clear the group: recorded in the timeline, the priority raised with its reason, never lowered by itself', async () => {
    const code = (await staff({})).json().code as string;
    expect(await detail(code)).toMatchObject({ priority: 'normal', vulnerableGroup: null });
    const set = await patch(code, { vulnerableGroup: 'seriously_ill' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ priority: 'high', vulnerableGroup: 'seriously_ill' });
    expect((await events(code)).slice(-2)).toEqual([
      { type: 'vulnerability.changed', payload: { from: null, to: 'seriously_ill' } },
      { type: 'priority.changed', payload: { from: 'normal', to: 'high', reason: 'vulnerable' } },
    ]);
    // Lower than high while the group stands: kept at high, nothing written.
    const count = (await events(code)).length;
    expect((await patch(code, { priority: 'low' })).json()).toMatchObject({ priority: 'high' });
    expect((await events(code)).length).toBe(count);
    // Cleared (the agent learned otherwise): recorded; the priority is the agent's to lower.
    expect((await patch(code, { vulnerableGroup: null })).json()).toMatchObject({ priority: 'high', vulnerableGroup: null });
    expect((await events(code)).at(-1)).toEqual({ type: 'vulnerability.changed', payload: { from: 'seriously_ill', to: null } });
    expect((await patch(code, { priority: 'normal' })).json()).toMatchObject({ priority: 'normal' });
    const bad = await patch(code, { vulnerableGroup: 'vip' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields[0].field).toBe('vulnerableGroup');
    // The customer's status page does not list the staff's classification.
    const phone = (await detail(code)).customer.phone as string;
    const view = (await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(phone)}` })).json();
    expect(view.timeline.map((e: { type: string }) => e.type)).not.toContain('vulnerability.changed');
  });
});
