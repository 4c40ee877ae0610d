import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, resolveThroughProposal, seedComplaint, staffWithToken } from './factories';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { runDataRequestSweep } from '../src/jobs/data-requests-sweep';
import { findComplaint } from '../src/db/queries/complaints';

describeEachDatabase('data-subject requests (Decree 356/2025)', (db) => {
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

  const register = (payload: Record<string, unknown>, headers = admin.headers) =>
    app.inject({ method: 'POST', url: '/api/v1/data-requests', payload, headers });
  const act = (id: string, step: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/data-requests/${id}/${step}`, payload, headers: admin.headers });
  const count = async () => Number((await db().db.execute<{ n: number }>(sql`select count(*)::int as n from data_requests`)).rows[0].n);

  it('registers a request with its two deadlines, linked to the customer its contact belongs to', async () => {
    const phone = randomPhone();
    const { code } = await seedComplaint(db(), { input: { customer: { name: 'Lê Thị Thu', phone } } });
    const customerId = (await findComplaint(db(), code))!.customer.id;
    const res = await register({
      requesterName: 'Lê Thị Thu',
      contact: phone.replace(/^0/, '+84 '),
      kind: 'access',
      channel: 'email',
      details: 'Xin bản sao dữ liệu',
      receivedAt: '2026-11-27T10:00:00+07:00',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      ref: expect.stringMatching(/^YC-\d{6}$/),
      kind: 'access',
      customer: { id: customerId, name: 'Lê Thị Thu' },
      receivedAt: '2026-11-27T03:00:00.000Z',
      replyDueAt: '2026-12-01T10:00:00.000Z',
      dueAt: '2026-12-14T10:00:00.000Z',
      status: 'open',
      repliedAt: null,
    });
    // The list names the requesters: reading it is in the linked customer's access log.
    expect((await app.inject({ url: '/api/v1/data-requests', headers: auditor.headers })).statusCode).toBe(200);
    const log = (await app.inject({ url: `/api/v1/customers/${customerId}/access-log`, headers: admin.headers })).json().items as { action: string; staff: { id: string } }[];
    expect(log[0]).toMatchObject({ action: 'data_requests.view', staff: { id: auditor.user.id } });
    const unknown = await register({ requesterName: 'Người lạ', contact: 'la.nguoi@example.com', kind: 'objection', channel: 'web' });
    expect(unknown.json().customer).toBeNull();
  });

  it('refuses bad input field by field and stores nothing; only admins register, auditors read', async () => {
    const before = await count();
    const bad = await register({ requesterName: ' ', contact: '123', kind: 'everything', channel: 'fax', receivedAt: '2099-01-01' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`).sort()).toEqual([
      'channel:invalid_value',
      'contact:phone_invalid',
      'kind:invalid_value',
      'receivedAt:invalid_date',
      'requesterName:required',
    ]);
    const en = await app.inject({ method: 'POST', url: '/api/v1/data-requests', payload: { requesterName: 'A', contact: 'a@', kind: 'access', channel: 'web' }, headers: { ...admin.headers, 'accept-language': 'en' } });
    expect(en.json().error.fields).toEqual([{ field: 'contact', code: 'email_invalid', message: 'Not a valid email address.' }]);
    expect((await register({ requesterName: 'A', contact: 'a@example.com', kind: 'access', channel: 'web' }, agent.headers)).statusCode).toBe(403);
    expect((await register({ requesterName: 'A', contact: 'a@example.com', kind: 'access', channel: 'web' }, auditor.headers)).statusCode).toBe(403);
    expect(await count()).toBe(before);
    expect((await app.inject({ url: '/api/v1/data-requests', headers: auditor.headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/data-requests', headers: agent.headers })).statusCode).toBe(403);
  });

  it('records the reply, extends once by at most 15 days, and closes a deletion only once the data is erased', async () => {
    const phone = randomPhone();
    const { code } = await seedComplaint(db(), { input: { customer: { name: 'Đỗ Văn Xoá', phone } } });
    const customerId = (await findComplaint(db(), code))!.customer.id;
    // Received now: its deadline is still ahead, so it may be extended.
    const made = (await register({ requesterName: 'Đỗ Văn Xoá', contact: phone, kind: 'deletion', channel: 'office' })).json();
    const replied = await act(made.id, 'reply', { note: 'Đã xác nhận danh tính, đang xử lý.' });
    expect(replied.json()).toMatchObject({ repliedAt: expect.any(String), replyNote: 'Đã xác nhận danh tính, đang xử lý.' });
    expect((await act(made.id, 'reply', { note: 'Lần nữa' })).json().error.code).toBe('data_request_replied');
    expect((await act(made.id, 'extend', { days: 16, reason: 'x' })).json().error.fields).toEqual([expect.objectContaining({ field: 'days', code: 'out_of_range' })]);
    const extended = await act(made.id, 'extend', { days: 10, reason: 'Cần đối tác vận chuyển xoá dữ liệu.' });
    expect(extended.statusCode, extended.body).toBe(200);
    // Ten more days from the first deadline, ending on a working day at the close of business.
    const moved = (Date.parse(extended.json().dueAt) - Date.parse(made.dueAt)) / 86_400_000;
    expect(moved).toBeGreaterThanOrEqual(10);
    expect(moved).toBeLessThan(20);
    expect(extended.json()).toMatchObject({ extendedUntil: extended.json().dueAt, extensionReason: 'Cần đối tác vận chuyển xoá dữ liệu.' });
    expect(new Date(extended.json().dueAt).toISOString().slice(11, 16)).toBe('10:00');
    expect((await act(made.id, 'extend', { days: 2, reason: 'Thêm' })).json().error.code).toBe('data_request_extended');
    // A request whose deadline has passed cannot be extended any more.
    const late = (await register({ requesterName: 'Trễ', contact: 'tre@example.com', kind: 'access', channel: 'web', receivedAt: '2026-09-01T09:00:00+07:00' })).json();
    expect((await act(late.id, 'extend', { days: 5, reason: 'Muộn' })).json().error.code).toBe('data_request_past_due');

    const early = await act(made.id, 'close', { outcome: 'done', note: 'Đã xoá' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('customer_not_anonymised');
    const rootCauseId = (await db().db.execute<{ id: string }>(sql`select id from root_causes where slug = 'other'`)).rows[0].id;
    await resolveThroughProposal(db(), code, { rootCauseId });
    await transitionComplaint({ database: db(), actor: { kind: 'agent', id: null, channel: 'console' }, code, to: 'closed' });
    const erased = await app.inject({ method: 'POST', url: `/api/v1/customers/${customerId}/anonymise`, payload: { reason: 'request', note: made.ref }, headers: admin.headers });
    expect(erased.statusCode, erased.body).toBe(200);
    const closed = await act(made.id, 'close', { outcome: 'done', note: 'Đã ẩn danh toàn bộ dữ liệu.' });
    expect(closed.statusCode, closed.body).toBe(200);
    // The record that the request was dealt with stays; who asked does not.
    expect(closed.json()).toMatchObject({ status: 'done', requesterName: '[đã ẩn danh]', contact: '[đã ẩn danh]', ref: made.ref, closedAt: expect.any(String) });
    expect((await act(made.id, 'reply', { note: 'Thêm' })).json().error.code).toBe('data_request_closed');
    const open = (await app.inject({ url: '/api/v1/data-requests', headers: admin.headers })).json().items.map((r: { id: string }) => r.id);
    const closedList = (await app.inject({ url: '/api/v1/data-requests?status=closed', headers: admin.headers })).json().items.map((r: { id: string }) => r.id);
    expect(open).not.toContain(made.id);
    expect(closedList).toContain(made.id);
  });

  it('tells every admin once when a request misses its reply or its completion deadline', async () => {
    const made = (await register({ requesterName: 'Trễ Hạn', contact: 'tre.han@example.com', kind: 'correction', channel: 'post', receivedAt: '2026-10-01T09:00:00+07:00' })).json();
    expect(made.overdue).toEqual({ reply: true, completion: true });
    const mine = async () =>
      (await db().db.execute<{ kind: string; staff_id: string }>(sql`select kind, staff_id from notifications where payload->>'requestId' = ${made.id} order by kind`)).rows;
    await runDataRequestSweep(db());
    const first = await mine();
    expect(first.filter((n) => n.staff_id === admin.user.id).map((n) => n.kind)).toEqual(['data_request.overdue', 'data_request.reply_overdue']);
    expect(first.some((n) => n.staff_id === agent.user.id)).toBe(false);
    await runDataRequestSweep(db());
    expect((await mine()).length).toBe(first.length);
    // Replied: no new notice about the reply; the list says the reply was late.
    const replied = (await act(made.id, 'reply', { note: 'Đã gửi thư' })).json();
    expect(replied.overdue.reply).toBe(true);
  });
});
