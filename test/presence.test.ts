import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken, type StaffUser } from '../src/commands/staff-accounts';
import { describeEachDatabase } from './db';
import { buildTestApp, createStaff, seedComplaint, staffWithToken } from './factories';

/**
 * Ai đang xem — who else has a complaint open, and who is writing to its customer, so that two agents do not
 * answer the same customer unknowingly. Heartbeats only: no timeline event, stale ones forgotten.
 */
describeEachDatabase('presence on a complaint', (db) => {
  let app: FastifyInstance;
  const staff: Record<'nam' | 'mai' | 'bao', { user: StaffUser; headers: Record<string, string> }> = {} as never;
  beforeAll(async () => {
    app = await buildTestApp(db(), { presenceHeartbeatMs: 4000 });
    for (const [key, role, name] of [['nam', 'agent', 'Trần Văn Nam'], ['mai', 'agent', 'Lê Thị Mai'], ['bao', 'supervisor', 'Phạm Quốc Bảo']] as const) {
      const user = await createStaff(db(), role, name);
      staff[key] = { user, headers: { authorization: `Bearer ${await createApiToken(db(), user.id, 't')}` } };
    }
  });
  afterAll(async () => app?.close());

  const beat = async (who: keyof typeof staff, code: string, activity: 'viewing' | 'replying') => {
    const r = await app.inject({ method: 'PUT', url: `/api/v1/complaints/${code}/presence`, payload: { activity }, headers: staff[who].headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { viewers: { id: string; name: string; activity: string; seenAt: string }[]; pollAfterMs: number };
  };
  const seen = async (who: keyof typeof staff, code: string, activity: 'viewing' | 'replying' = 'viewing') =>
    (await beat(who, code, activity)).viewers.map((v) => [v.name, v.activity]);

  it('tells each who else has the complaint open, writers first, without writing to its timeline', async () => {
    const c = await seedComplaint(db());
    const before = (await db().db.execute<{ event_count: number }>(sql`select event_count from complaints where id = ${c.id}`)).rows[0].event_count;
    const first = await beat('nam', c.code, 'viewing');
    expect(first).toEqual({ viewers: [], pollAfterMs: 4000 });
    expect(await seen('mai', c.code, 'replying')).toEqual([['Trần Văn Nam', 'viewing']]);
    expect(await seen('nam', c.code)).toEqual([['Lê Thị Mai', 'replying']]);
    expect(await seen('bao', c.code)).toEqual([
      ['Lê Thị Mai', 'replying'],
      ['Trần Văn Nam', 'viewing'],
    ]);
    // Mai stops writing: said with her next heartbeat.
    await beat('mai', c.code, 'viewing');
    expect(await seen('nam', c.code)).toEqual([
      ['Lê Thị Mai', 'viewing'],
      ['Phạm Quốc Bảo', 'viewing'],
    ]);
    // Another complaint is another room.
    const other = await seedComplaint(db());
    expect(await seen('mai', other.code)).toEqual([]);
    // Mai closes the page: gone at once; Bảo's browser went away without a word: gone once three beats are missed.
    const left = await app.inject({ method: 'DELETE', url: `/api/v1/complaints/${c.code}/presence`, headers: staff.mai.headers });
    expect(left.statusCode).toBe(204);
    await db().db.execute(sql`update complaint_viewers set seen_at = now() - interval '13 seconds' where staff_id = ${staff.bao.user.id}`);
    expect(await seen('nam', c.code)).toEqual([]);
    expect((await db().db.execute<{ event_count: number }>(sql`select event_count from complaints where id = ${c.id}`)).rows[0].event_count).toBe(before);
  });

  it('shows in the queue who else has each complaint open, writers first, never oneself', async () => {
    const c = await seedComplaint(db());
    const quiet = await seedComplaint(db());
    await beat('mai', c.code, 'viewing');
    await beat('bao', c.code, 'replying');
    await beat('nam', c.code, 'viewing');
    const rows = async (who: keyof typeof staff) => {
      const r = await app.inject({ url: '/api/v1/complaints?limit=200', headers: staff[who].headers });
      expect(r.statusCode, r.body).toBe(200);
      const items = r.json().items as { code: string; viewers: { name: string; activity: string }[] }[];
      const of = (code: string) => items.find((i) => i.code === code)!.viewers.map((v) => [v.name, v.activity]);
      return { c: of(c.code), quiet: of(quiet.code) };
    };
    expect(await rows('nam')).toEqual({ c: [['Phạm Quốc Bảo', 'replying'], ['Lê Thị Mai', 'viewing']], quiet: [] });
    expect((await rows('mai')).c).toEqual([['Phạm Quốc Bảo', 'replying'], ['Trần Văn Nam', 'viewing']]);
    // Gone stale: not shown.
    await db().db.execute(sql`update complaint_viewers set seen_at = now() - interval '13 seconds' where complaint_id = ${c.id} and staff_id = ${staff.bao.user.id}`);
    expect((await rows('nam')).c).toEqual([['Lê Thị Mai', 'viewing']]);
  });

  it('forgets a member who left, and one’s own stale heartbeats', async () => {
    const c = await seedComplaint(db());
    const old = await seedComplaint(db());
    await beat('mai', old.code, 'viewing');
    await db().db.execute(sql`update complaint_viewers set seen_at = now() - interval '2 hours' where staff_id = ${staff.mai.user.id}`);
    await beat('mai', c.code, 'viewing');
    const mine = await db().db.execute<{ complaint_id: string }>(sql`select complaint_id from complaint_viewers where staff_id = ${staff.mai.user.id}`);
    expect(mine.rows.map((r) => r.complaint_id)).toEqual([c.id]);
    await db().db.execute(sql`update staff_users set active = false where id = ${staff.mai.user.id}`);
    try {
      expect(await seen('nam', c.code)).toEqual([]);
    } finally {
      await db().db.execute(sql`update staff_users set active = true where id = ${staff.mai.user.id}`);
    }
  });

  it('refuses an unknown complaint, another activity, and those who do not work on complaints', async () => {
    const c = await seedComplaint(db());
    const put = (payload: unknown, headers: Record<string, string>, code = c.code) =>
      app.inject({ method: 'PUT', url: `/api/v1/complaints/${code}/presence`, payload: payload as object, headers });
    expect((await put({ activity: 'viewing' }, staff.nam.headers, 'KN-2020-999999')).statusCode).toBe(404);
    const bad = await put({ activity: 'typing' }, staff.nam.headers);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields[0].field).toBe('activity');
    const auditor = await staffWithToken(db(), 'auditor');
    expect((await put({ activity: 'viewing' }, auditor.headers)).statusCode).toBe(403);
    expect((await put({ activity: 'viewing' }, {})).statusCode).toBe(401);
    expect((await db().db.execute(sql`select 1 from complaint_viewers where complaint_id = ${c.id}`)).rows).toEqual([]);
  });
});
