import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, staffWithToken } from './factories';

/** Bộ lọc đã lưu — each member's own named queue filters: saved, listed, deleted; nobody else's to see or touch. */
describeEachDatabase('saved queue views', (db) => {
  let app: FastifyInstance;
  let mai: Awaited<ReturnType<typeof staffWithToken>>;
  let nam: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [mai, nam] = await Promise.all([staffWithToken(db(), 'agent'), staffWithToken(db(), 'supervisor')]);
  });
  afterAll(async () => app?.close());

  const save = (who: typeof mai, payload: object, extra: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/views', payload, headers: { ...who.headers, 'accept-language': 'vi', ...extra } });
  const list = async (who: typeof mai) => ((await app.inject({ url: '/api/v1/views', headers: who.headers })).json() as { items: { id: string; name: string; query: string }[] }).items;

  it('saves a member’s filters under a name, lists them by name, and deletes one; another member sees and touches none', async () => {
    const a = await save(mai, { name: ' Việc của tôi quá hạn ', query: '?sla=overdue&assigneeId=me&q=' });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ name: 'Việc của tôi quá hạn', query: 'assigneeId=me&sla=overdue' });
    expect((await save(mai, { name: 'Đồng hồ qua email', query: 'channel=email&q=dong+ho' })).statusCode).toBe(201);
    expect((await list(mai)).map((v) => v.name)).toEqual(['Đồng hồ qua email', 'Việc của tôi quá hạn']);
    expect(await list(nam)).toEqual([]);
    const id = a.json().id as string;
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/views/${id}`, headers: nam.headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/views/${id}`, headers: mai.headers })).statusCode).toBe(204);
    expect((await list(mai)).map((v) => v.name)).toEqual(['Đồng hồ qua email']);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/views/${id}`, headers: mai.headers })).statusCode).toBe(404);
    // The same name is another member's to use too.
    expect((await save(nam, { name: 'Đồng hồ qua email', query: 'q=dong+ho' })).statusCode).toBe(201);
  });

  it('refuses a taken name, a filter it does not know, none at all, and a twenty-first, field by field, storing nothing', async () => {
    const field = async (payload: object) => {
      const r = await save(mai, payload);
      expect(r.statusCode, r.body).toBe(422);
      return r.json().error.fields.map((f: { field: string; code: string; message: string }) => [f.field, f.code, f.message]);
    };
    await save(mai, { name: 'Chờ khách', query: 'status=awaiting_customer' });
    expect(await field({ name: 'Chờ khách', query: 'status=awaiting_customer&channel=web' })).toEqual([['name', 'view_name_taken', 'Bạn đã có một bộ lọc mang tên này.']]);
    expect((await field({ name: 'Lạ', query: 'limit=500' }))[0].slice(0, 2)).toEqual(['query', 'invalid_value']);
    expect((await field({ name: 'Không lọc', query: '' }))[0].slice(0, 2)).toEqual(['query', 'required']);
    expect((await field({ name: 'Thừa', query: 'sla=overdue', extra: 1 })).length).toBeGreaterThan(0);
    const have = (await list(mai)).length;
    for (let i = have; i < 20; i += 1) expect((await save(mai, { name: `Bộ lọc ${i}`, query: `q=tu+khoa+${i}` })).statusCode).toBe(201);
    expect(await field({ name: 'Thứ hai mươi mốt', query: 'sla=overdue' })).toEqual([['name', 'too_many_views', 'Bạn đã lưu 20 bộ lọc: hãy xoá bớt một bộ lọc trước.']]);
    expect((await list(mai)).length).toBe(20);
  });

  it('saves once for a create sent again with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': `view-${Date.now()}` };
    const first = await save(nam, { name: 'Khẩn cấp', query: 'priority=urgent' }, headers);
    const again = await save(nam, { name: 'Khẩn cấp', query: 'priority=urgent' }, headers);
    expect(first.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    const rows = await db().db.execute(sql`select 1 from saved_views where staff_id = ${nam.user.id} and name = 'Khẩn cấp'`);
    expect(rows.rows).toHaveLength(1);
  });
});
