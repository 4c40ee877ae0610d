import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assignComplaint } from '../src/commands/assign-complaint';
import { registerEntries } from '../src/db/queries/reports';
import { nationalPhone, normalizePhone } from '../src/domain/contacts';
import { parsePeriod, vietnamToday } from '../src/domain/reports';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, resolveThroughProposal, seedComplaint, staffWithToken } from './factories';

/**
 * Sổ theo dõi khiếu nại — every complaint received in a period, one row each in code order, as CSV or XLSX, in Vietnamese or
 * English: customer and contacts, subject, category, priority, status, who holds it, both deadlines and when each was met, the
 * rating. It names customers, so each download is in the access log for each of them. Supervisors, admins, auditors.
 */
describeEachDatabase('the complaint register', (db) => {
  let app: FastifyInstance;
  let lead: Awaited<ReturnType<typeof staffWithToken>>;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  const today = vietnamToday(new Date());
  const codes: string[] = [];
  const customerIds: string[] = [];
  const phone = randomPhone();
  beforeAll(async () => {
    app = await buildTestApp(db());
    [lead, agent] = await Promise.all([staffWithToken(db(), 'supervisor'), staffWithToken(db(), 'agent')]);
    const first = await seedComplaint(db(), { input: { subject: 'Máy lọc nước rò rỉ', orderRef: 'DH-7781', customer: { name: 'Đinh Thị Mai', phone } } });
    await assignComplaint({ database: db(), actor: { kind: 'supervisor', id: lead.user.id, channel: 'console' }, code: first.code, assigneeId: agent.user.id });
    const cause = (await db().db.execute<{ id: string }>(sql`select id from root_causes where active order by name limit 1`)).rows[0].id;
    await resolveThroughProposal(db(), first.code, { rootCauseId: cause });
    await db().db.execute(sql`update surveys set sent_at = now(), answered_at = now(), rating = 5 where complaint_id = ${first.id}`);
    const second = await seedComplaint(db(), { channel: 'hotline', input: { subject: 'Giao hàng trễ 5 ngày', customer: { name: 'Ông Lý Văn Tư', email: 'ly.tu@khach.vn' } } });
    for (const c of [first, second]) {
      codes.push(c.code);
      customerIds.push((await db().db.execute<{ customer_id: string }>(sql`select customer_id from complaints where id = ${c.id}`)).rows[0].customer_id);
    }
  });
  afterAll(async () => app?.close());

  const csvLines = (body: string) => body.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);

  it('lists each complaint of the period in code order, with its customer, status, holder, deadlines and rating', async () => {
    const r = await app.inject({ url: `/api/v1/reports/register.csv?from=${today}&to=${today}`, headers: lead.headers });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-disposition']).toContain(`bao-cao-register-${today}-${today}.csv`);
    const lines = csvLines(r.body);
    expect(lines[0]).toBe(
      'Mã khiếu nại,Tiếp nhận lúc,Kênh,Khách hàng,Điện thoại,Email,Tiêu đề,Mã đơn hàng,Danh mục,Mức ưu tiên,Trạng thái,Người phụ trách,Nhóm xử lý,Hạn phản hồi,Phản hồi lúc,Hạn giải quyết,Giải quyết lúc,Giải quyết đúng hạn,Đánh giá (1–5)',
    );
    const ours = lines.slice(1).filter((l) => codes.some((c) => l.startsWith(`${c},`)));
    expect(ours.map((l) => l.split(',')[0])).toEqual(codes);
    const [a, b] = ours.map((l) => l.split(','));
    expect(a[1]).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    // The phone as Vietnamese customers write it (0…), not E.164.
    expect(a.slice(2, 8)).toEqual(['Web', 'Đinh Thị Mai', nationalPhone(normalizePhone(phone)!), '', 'Máy lọc nước rò rỉ', 'DH-7781']);
    expect(a[4]).toMatch(/^0\d{9}$/);
    expect(a[10]).toBe('Đã giải quyết');
    expect(a[11]).toBe(agent.user.name);
    expect(a[17]).toBe('Có');
    expect(a[18]).toBe('5');
    expect(b.slice(2, 7)).toEqual(['Tổng đài', 'Ông Lý Văn Tư', '', 'ly.tu@khach.vn', 'Giao hàng trễ 5 ngày']);
    expect(b[10]).toBe('Đã tiếp nhận');
    expect(b[17]).toBe('');
    // Written to the access log, once for each customer named, as this supervisor.
    const logged = await db().db.execute<{ customer_id: string }>(
      sql`select customer_id from personal_data_access where staff_id = ${lead.user.id} and action = 'register.export'`,
    );
    expect(logged.rows.map((x) => x.customer_id)).toEqual(expect.arrayContaining(customerIds));
  });

  it('in English, as XLSX; for supervisors, admins and auditors only; a period of another year lists none of them', async () => {
    const en = await app.inject({ url: `/api/v1/reports/register.csv?from=${today}&to=${today}&lang=en`, headers: lead.headers });
    const lines = csvLines(en.body);
    expect(lines[0]).toMatch(/^Complaint code,Received at,Channel,Customer,Phone,Email,Subject,/);
    expect(lines.find((l) => l.startsWith(`${codes[1]},`))).toContain(',Hotline,');
    const xlsx = await app.inject({ url: `/api/v1/reports/register.xlsx?from=${today}&to=${today}`, headers: (await staffWithToken(db(), 'auditor')).headers });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await app.inject({ url: `/api/v1/reports/register.csv?from=${today}&to=${today}`, headers: agent.headers })).statusCode).toBe(403);
    const old = await app.inject({ url: '/api/v1/reports/register.csv?from=2025-01-01&to=2025-01-31', headers: lead.headers });
    expect(csvLines(old.body).some((l) => codes.some((c) => l.startsWith(c)))).toBe(false);
  });

  it('reads one more than asked, so that a register cut short is never taken for a whole one', async () => {
    const period = parsePeriod({ from: today, to: today }, new Date());
    const { entries } = await registerEntries(db(), period, 'vi', 1);
    expect(entries).toHaveLength(2);
  });
});
