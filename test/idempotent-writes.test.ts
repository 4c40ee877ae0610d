import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, seedComplaint, staffWithToken } from './factories';
import { purgeIdempotentReplays } from '../src/commands/request-claim';
import { anonymiseCustomer } from '../src/commands/anonymise-customer';
import { LocalFileStore } from '../src/files/store';
import { TEST_DATA_DIR } from './factories';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;

describeEachDatabase('Idempotency-Key on every staff create', (db) => {
  let app: FastifyInstance;
  let admin: Staff;
  let supervisor: Staff;
  let agent: Staff;
  let code: string;
  let n = 0;
  const key = () => `k-${Date.now()}-${++n}`;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [admin, supervisor, agent] = await Promise.all([staffWithToken(db(), 'admin'), staffWithToken(db(), 'supervisor'), staffWithToken(db(), 'agent')]);
    code = (await seedComplaint(db())).code;
  });
  afterAll(async () => app?.close());

  const count = async (query: string) => (await db().pool.query<{ n: number }>(query)).rows[0].n;
  const post = (url: string, payload: unknown, who: Staff, k?: string) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers: { ...who.headers, ...(k ? { 'idempotency-key': k } : {}) } });

  const creates = () => [
    { what: 'an internal note', url: `/api/v1/complaints/${code}/notes`, body: { body: 'Đã gọi kho kiểm tra' }, who: agent, rows: `select count(*)::int as n from timeline_events where type = 'note.added'` },
    { what: 'a contact log', url: `/api/v1/complaints/${code}/contacts`, body: { method: 'call', summary: 'Gọi khách xác nhận.' }, who: agent, rows: `select count(*)::int as n from timeline_events where type = 'contact.logged'` },
    { what: 'a category', url: '/api/v1/categories', body: { name: 'Giao hàng chậm' }, who: admin, rows: 'select count(*)::int as n from categories' },
    { what: 'a team', url: '/api/v1/teams', body: { name: 'Phòng Kho vận' }, who: admin, rows: 'select count(*)::int as n from teams' },
    { what: 'a staff account', url: '/api/v1/users', body: { email: `lan-${n}@sen.test`, name: 'Nguyễn Thị Lan', role: 'agent', password: 'mat-khau-dai-123' }, who: admin, rows: 'select count(*)::int as n from staff_users' },
    { what: 'an authority', url: '/api/v1/authorities', body: { kind: 'mediation', name: 'Trung tâm hòa giải Quận 1' }, who: admin, rows: 'select count(*)::int as n from authorities' },
    { what: 'a root cause', url: '/api/v1/root-causes', body: { name: 'Lỗi đóng gói' }, who: admin, rows: 'select count(*)::int as n from root_causes' },
    { what: 'a corrective action', url: '/api/v1/corrective-actions', body: { title: 'Đào tạo lại nhân viên đóng gói' }, who: supervisor, rows: 'select count(*)::int as n from corrective_actions' },
    { what: 'a data request', url: '/api/v1/data-requests', body: { requesterName: 'Lê Thu', contact: randomPhone(), kind: 'access', channel: 'web' }, who: admin, rows: 'select count(*)::int as n from data_requests' },
    {
      what: 'a data breach',
      url: '/api/v1/data-breaches',
      body: { discoveredAt: '2026-11-20T08:30:00+07:00', description: 'Mất máy tính', dataKinds: 'Họ tên', affectedCount: 3, measures: 'Đổi mật khẩu' },
      who: admin,
      rows: 'select count(*)::int as n from data_breaches',
    },
  ];

  it('stores each create once when it is sent again with the same key, and answers the retry with the first answer', async () => {
    for (const c of creates()) {
      const k = key();
      const before = await count(c.rows);
      const first = await post(c.url, c.body, c.who, k);
      expect(first.statusCode, `${c.what}: ${first.body}`).toBeLessThan(300);
      expect(first.headers['idempotent-replayed'], c.what).toBeUndefined();
      const again = await post(c.url, c.body, c.who, k);
      expect(again.statusCode, `${c.what}: ${again.body}`).toBe(first.statusCode);
      expect(again.json(), c.what).toEqual(first.json());
      expect(again.headers['idempotent-replayed'], c.what).toBe('true');
      expect(await count(c.rows), c.what).toBe(before + 1);
      // Without a key, the same request is a second record (or, where names are unique, refused): keys are what dedupe.
    }
  });

  it('stores one record when ten requests with the same key arrive at once, and gives all ten the same answer', async () => {
    for (const c of creates().filter((x) => ['an internal note', 'a category', 'a corrective action'].includes(x.what))) {
      const k = key();
      const before = await count(c.rows);
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(c.url, c.body, c.who, k)));
      expect(answers.map((a) => a.statusCode), c.what).toEqual(Array(10).fill(answers[0].statusCode));
      expect(answers[0].statusCode, answers[0].body).toBeLessThan(300);
      expect(new Set(answers.map((a) => a.body)).size, c.what).toBe(1);
      expect(answers.filter((a) => a.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
      expect(await count(c.rows), c.what).toBe(before + 1);
    }
  });

  it('refuses the key with another request (422) and changes nothing', async () => {
    const k = key();
    const before = await count('select count(*)::int as n from categories');
    expect((await post('/api/v1/categories', { name: 'Bảo hành' }, admin, k)).statusCode).toBe(201);
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/categories',
      payload: { name: 'Đổi trả' },
      headers: { ...admin.headers, 'idempotency-key': k, 'accept-language': 'en' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error).toMatchObject({ code: 'idempotency_key_reused', message: 'This Idempotency-Key was already used for a different request.' });
    // The same fields in another order are the same request.
    const reordered = await app.inject({ method: 'POST', url: '/api/v1/categories', payload: '{"nameEn":"Warranty","name":"Bảo hành 2"}', headers: { ...admin.headers, 'content-type': 'application/json', 'idempotency-key': `${k}-order` } });
    expect(reordered.statusCode).toBe(201);
    const again = await app.inject({ method: 'POST', url: '/api/v1/categories', payload: '{"name":"Bảo hành 2","nameEn":"Warranty"}', headers: { ...admin.headers, 'content-type': 'application/json', 'idempotency-key': `${k}-order` } });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(reordered.json());
    // The same key on another route is another request too.
    expect((await post('/api/v1/teams', { name: 'Bảo hành' }, admin, k)).json().error.code).toBe('idempotency_key_reused');
    expect(await count('select count(*)::int as n from categories')).toBe(before + 2);
    expect(await count(`select count(*)::int as n from teams where name = 'Bảo hành'`)).toBe(0);
  });

  it('keeps no failed answer: the corrected request with the same key is carried out', async () => {
    const k = key();
    const bad = await post('/api/v1/categories', { name: '   ' }, admin, k);
    expect(bad.statusCode).toBe(422);
    const good = await post('/api/v1/categories', { name: 'Hóa đơn' }, admin, k);
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json()).toMatchObject({ name: 'Hóa đơn' });
  });

  it('keeps keys per staff member: two people using the same key each get their own note', async () => {
    const k = key();
    const other = await staffWithToken(db(), 'agent');
    const before = await count(`select count(*)::int as n from timeline_events where type = 'note.added'`);
    await post(`/api/v1/complaints/${code}/notes`, { body: 'Ghi chú A' }, agent, k);
    const second = await post(`/api/v1/complaints/${code}/notes`, { body: 'Ghi chú A' }, other, k);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await count(`select count(*)::int as n from timeline_events where type = 'note.added'`)).toBe(before + 2);
  });

  it('makes one API token for a retried request and never keeps or shows the token again (409)', async () => {
    const k = key();
    const before = await count('select count(*)::int as n from api_tokens');
    const first = await post('/api/v1/auth/tokens', { name: 'Tích hợp CRM' }, admin, k);
    expect(first.statusCode).toBe(201);
    const again = await post('/api/v1/auth/tokens', { name: 'Tích hợp CRM' }, admin, k);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('idempotency_key_used');
    expect(await count('select count(*)::int as n from api_tokens')).toBe(before + 1);
    const kept = await db().pool.query<{ response_body: string | null }>('select response_body from idempotency_keys where key = $1', [k]);
    expect(kept.rows).toEqual([{ response_body: null }]);
    expect(JSON.stringify(await db().pool.query('select * from idempotency_keys'))).not.toContain(first.json().token);
  });

  it('documents the header on the staff creates in /openapi.json', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const [path, method] of [
      ['/api/v1/categories', 'post'],
      ['/api/v1/complaints/{code}/notes', 'post'],
      ['/api/v1/data-breaches', 'post'],
      ['/api/v1/complaints', 'post'],
    ]) {
      const params = (spec.paths[path][method].parameters ?? []) as { in: string; name: string }[];
      expect(params.some((p) => p.in === 'header' && p.name === 'idempotency-key'), `${method} ${path}`).toBe(true);
    }
  });

  it('forgets kept answers after a day, and erases one that shows a customer when their data is erased', async () => {
    const k = key();
    await post('/api/v1/categories', { name: 'Giá cả' }, admin, k);
    await db().pool.query(`update idempotency_keys set created_at = now() - interval '25 hours' where key = $1`, [k]);
    expect(await purgeIdempotentReplays(db())).toBeGreaterThanOrEqual(1);
    expect(await count(`select count(*)::int as n from idempotency_keys where key = '${k}'`)).toBe(0);

    const phone = randomPhone();
    const mine = await seedComplaint(db(), { input: { customer: { name: 'Phạm Thị Hoa', phone } } });
    const k2 = key();
    const note = await post(`/api/v1/complaints/${mine.code}/notes`, { body: 'Khách hẹn gọi lại' }, agent, k2);
    expect(note.statusCode).toBeLessThan(300);
    const other = key();
    await post(`/api/v1/complaints/${code}/notes`, { body: 'Ghi chú khác' }, agent, other);
    await db().pool.query(`update complaints set status = 'closed' where code = $1`, [mine.code]);
    const customerId = (await db().pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [mine.code])).rows[0].customer_id;
    await anonymiseCustomer({ database: db(), files: LocalFileStore.inDataDir(TEST_DATA_DIR), actor: { kind: 'admin', id: admin.user.id, channel: 'api' }, customerId, reason: 'request' });
    expect(await count(`select count(*)::int as n from idempotency_keys where key = '${k2}'`)).toBe(0);
    expect(await count(`select count(*)::int as n from idempotency_keys where key = '${other}'`)).toBe(1);
  });
});
