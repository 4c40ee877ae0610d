import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, staffWithToken } from './factories';
import { runDataRequestSweep } from '../src/jobs/data-requests-sweep';

describeEachDatabase('personal-data breaches (72-hour notice)', (db) => {
  let app: FastifyInstance;
  let admin: Awaited<ReturnType<typeof staffWithToken>>;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [admin, agent, auditor] = await Promise.all([staffWithToken(db(), 'admin'), staffWithToken(db(), 'agent'), staffWithToken(db(), 'auditor')]);
  });
  afterAll(async () => {
    await app.close();
  });
  const post = (url: string, payload: Record<string, unknown>, headers = admin.headers) => app.inject({ method: 'POST', url, payload, headers });
  const notices = async (id: string) =>
    (await db().db.execute<{ kind: string; staff_id: string }>(sql`select kind, staff_id from notifications where payload->>'breachId' = ${id} order by kind`)).rows;

  it('records a breach with its notice due 72 hours after discovery, tells every admin, and records the notice once', async () => {
    const res = await post('/api/v1/data-breaches', {
      discoveredAt: '2026-11-20T08:30:00+07:00',
      description: 'Máy tính của nhân viên bị mất, có bảng tính khách hàng',
      dataKinds: 'Họ tên, số điện thoại',
      affectedCount: 120,
      measures: 'Khoá tài khoản, đổi mật khẩu',
    });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b).toMatchObject({ ref: expect.stringMatching(/^SC-\d{6}$/), discoveredAt: '2026-11-20T01:30:00.000Z', noticeDueAt: '2026-11-23T01:30:00.000Z', notifiedAt: null, status: 'open', affectedCount: 120 });
    await runDataRequestSweep(db(), new Date('2026-11-21T00:00:00Z'));
    expect((await notices(b.id)).filter((n) => n.staff_id === admin.user.id).map((n) => n.kind)).toEqual(['data_breach.recorded']);
    expect((await notices(b.id)).some((n) => n.staff_id === agent.user.id)).toBe(false);
    // Past the 72 hours without a notice: told again, once.
    await runDataRequestSweep(db(), new Date('2026-11-23T02:00:00Z'));
    await runDataRequestSweep(db(), new Date('2026-11-23T03:00:00Z'));
    expect((await notices(b.id)).filter((n) => n.staff_id === admin.user.id).map((n) => n.kind)).toEqual(['data_breach.notice_overdue', 'data_breach.recorded']);

    expect((await post(`/api/v1/data-breaches/${b.id}/notice`, { notifiedAt: '2026-11-19T10:00:00+07:00', noticeRef: 'trước khi phát hiện' })).json().error.fields).toEqual([
      expect.objectContaining({ field: 'notifiedAt', code: 'invalid_date' }),
    ]);
    const noticed = await post(`/api/v1/data-breaches/${b.id}/notice`, { notifiedAt: '2026-11-22T10:00:00+07:00', noticeRef: 'Mẫu 03, công văn số 12/CSKH' });
    expect(noticed.json()).toMatchObject({ notifiedAt: '2026-11-22T03:00:00.000Z', noticeRef: 'Mẫu 03, công văn số 12/CSKH', noticeOverdue: false });
    expect((await post(`/api/v1/data-breaches/${b.id}/notice`, { noticeRef: 'lần 2' })).json().error.code).toBe('data_breach_notified');
    const closed = await post(`/api/v1/data-breaches/${b.id}/close`, { note: 'Đã thông báo cho khách hàng bị ảnh hưởng' });
    expect(closed.json()).toMatchObject({ status: 'closed', outcomeNote: 'Đã thông báo cho khách hàng bị ảnh hưởng' });
    expect((await post(`/api/v1/data-breaches/${b.id}/close`, { note: 'x' })).json().error.code).toBe('data_breach_closed');
    const list = await app.inject({ url: '/api/v1/data-breaches', headers: auditor.headers });
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(b.id);
  });

  it('refuses bad input field by field and stores nothing; only admins record, auditors read', async () => {
    const count = async () => Number((await db().db.execute<{ n: number }>(sql`select count(*)::int as n from data_breaches`)).rows[0].n);
    const before = await count();
    const bad = await post('/api/v1/data-breaches', { description: ' ', discoveredAt: '2099-01-01', affectedCount: -3 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['affectedCount', 'description', 'discoveredAt']);
    expect((await post('/api/v1/data-breaches', { description: 'x' }, agent.headers)).statusCode).toBe(403);
    expect((await post('/api/v1/data-breaches', { description: 'x' }, auditor.headers)).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/data-breaches', headers: agent.headers })).statusCode).toBe(403);
    expect(await count()).toBe(before);
    const late = (await post('/api/v1/data-breaches', { description: 'Lộ email khách hàng', discoveredAt: '2026-10-01T09:00:00+07:00' })).json();
    expect(late.noticeOverdue).toBe(true);
    expect((await post(`/api/v1/data-breaches/${late.id}/notice`, { noticeRef: ' ' })).json().error.fields).toEqual([expect.objectContaining({ field: 'noticeRef', code: 'required' })]);
  });
});
