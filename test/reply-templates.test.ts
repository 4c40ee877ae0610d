import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, staffWithToken } from './factories';

/** Mẫu trả lời: supervisors keep the team's wording per language; agents list those in use to insert into a reply. */
describeEachDatabase('reply templates', (db) => {
  let app: FastifyInstance;
  let supervisor: Awaited<ReturnType<typeof staffWithToken>>;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    supervisor = await staffWithToken(db(), 'supervisor');
    agent = await staffWithToken(db(), 'agent');
    auditor = await staffWithToken(db(), 'auditor');
    await db().db.execute(sql`delete from reply_templates`);
  });
  afterAll(async () => {
    await app.close();
  });

  const list = async (headers: Record<string, string>, query = '') => app.inject({ url: `/api/v1/reply-templates${query}`, headers });
  const create = (payload: object, headers = supervisor.headers) => app.inject({ method: 'POST', url: '/api/v1/reply-templates', headers, payload });
  const count = async () => Number((await db().db.execute<{ n: number }>(sql`select count(*)::int as n from reply_templates`)).rows[0].n);

  it('a supervisor adds, rewords and retires templates; agents see those in use, by language, in Vietnamese order', async () => {
    const warehouse = await create({ name: ' Đã chuyển bộ phận kho ', body: 'Kính gửi {{customerName}},\r\nKhiếu nại {{code}} đã được chuyển bộ phận kho.\r\n' });
    expect(warehouse.statusCode, warehouse.body).toBe(201);
    expect(warehouse.json()).toMatchObject({ name: 'Đã chuyển bộ phận kho', language: 'vi', body: 'Kính gửi {{customerName}},\nKhiếu nại {{code}} đã được chuyển bộ phận kho.', active: true });
    expect((await create({ name: 'Ảnh sản phẩm', body: 'Xin gửi ảnh sản phẩm.' })).statusCode).toBe(201);
    expect((await create({ name: 'Apology', language: 'en', body: 'We are sorry, {{customerName}}.' })).statusCode).toBe(201);
    const old = await create({ name: 'Bảo hành cũ', body: 'Theo chính sách cũ.' });

    const retired = await app.inject({ method: 'PATCH', url: `/api/v1/reply-templates/${old.json().id}`, headers: supervisor.headers, payload: { active: false } });
    expect(retired.json()).toMatchObject({ active: false, name: 'Bảo hành cũ' });
    const reworded = await app.inject({
      method: 'PATCH',
      url: `/api/v1/reply-templates/${warehouse.json().id}`,
      headers: supervisor.headers,
      payload: { body: 'Khiếu nại {{code}} đã được chuyển bộ phận kho; hạn giải quyết {{resolutionDueAt}}.' },
    });
    expect(reworded.json()).toMatchObject({ name: 'Đã chuyển bộ phận kho', body: 'Khiếu nại {{code}} đã được chuyển bộ phận kho; hạn giải quyết {{resolutionDueAt}}.' });

    const names = (items: { name: string }[]) => items.map((t) => t.name);
    // "Ảnh" sorts with A, before "Đ" (after D): Vietnamese order, not code points.
    expect(names((await list(agent.headers, '?language=vi')).json().items)).toEqual(['Ảnh sản phẩm', 'Đã chuyển bộ phận kho']);
    expect(names((await list(agent.headers, '?language=en')).json().items)).toEqual(['Apology']);
    expect(names((await list(auditor.headers)).json().items)).toEqual(['Ảnh sản phẩm', 'Apology', 'Đã chuyển bộ phận kho']);
    // All of them, the retired ones last, only for those who manage them.
    expect(names((await list(supervisor.headers, '?all=true')).json().items)).toEqual(['Ảnh sản phẩm', 'Apology', 'Đã chuyển bộ phận kho', 'Bảo hành cũ']);
    expect((await list(agent.headers, '?all=true')).statusCode).toBe(403);
  });

  it('bad input is a field error in the reader’s language and stores nothing; agents cannot change them', async () => {
    const before = await count();
    const cases: [object, string[]][] = [
      [{ name: '', body: '   ' }, ['name', 'body']],
      [{ name: 'x'.repeat(121), body: 'ok' }, ['name']],
      [{ name: 'Sai mẫu', body: 'Kính gửi {{hoTen}}' }, ['body']],
      [{ name: 'Sai ngôn ngữ', body: 'ok', language: 'fr' }, ['language']],
      [{ name: 'Thừa', body: 'ok', extra: 1 }, ['extra']],
    ];
    for (const [payload, fields] of cases) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().error.fields.map((f: { field: string }) => f.field)).toEqual(fields);
    }
    const english = await app.inject({ method: 'POST', url: '/api/v1/reply-templates', headers: { ...supervisor.headers, 'accept-language': 'en' }, payload: { name: '', body: 'ok' } });
    expect(english.json().error.fields).toEqual([expect.objectContaining({ field: 'name', message: 'This field is required.' })]);
    expect((await create({ name: 'Của nhân viên', body: 'ok' }, agent.headers)).statusCode).toBe(403);
    expect(await count()).toBe(before);
    const missing = await app.inject({ method: 'PATCH', url: '/api/v1/reply-templates/00000000-0000-4000-8000-000000000000', headers: supervisor.headers, payload: { active: false } });
    expect(missing.statusCode).toBe(404);
    const blank = (await list(supervisor.headers, '?all=true')).json().items[0];
    const emptied = await app.inject({ method: 'PATCH', url: `/api/v1/reply-templates/${blank.id}`, headers: supervisor.headers, payload: { body: '' } });
    expect(emptied.statusCode).toBe(422);
    expect((await list(supervisor.headers, '?all=true')).json().items[0].body).toBe(blank.body);
  });
});
