import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, resolveThroughProposal, seedComplaint, staffWithToken } from './factories';
import { createComplaint } from '../src/commands/create-complaint';

describeEachDatabase('staff complaint API', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let supervisor: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
    supervisor = await staffWithToken(db(), 'supervisor');
  });
  afterAll(async () => app?.close());

  const create = async (overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: { ...buildIntake({ customer: { name: 'Trần Văn Minh', phone: randomPhone() } }), consent: undefined, channel: 'hotline', ...overrides },
      headers: { ...agent.headers, ...headers },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const transition = (code: string, to: string, reason?: string, headers: Record<string, string> = agent.headers) =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/transitions`, payload: { to, reason }, headers });

  it('records a complaint taken on the hotline with the channel and the agent on its first event', async () => {
    const c = await create();
    expect(c.channel).toBe('hotline');
    expect(c.status).toBe('received');
    expect(c.timeline).toHaveLength(1);
    expect(c.timeline[0]).toMatchObject({ type: 'complaint.created', channel: 'hotline', actor: { type: 'agent', id: agent.user.id } });
    expect(c.allowedTransitions).toContain('acknowledged');
  });

  it('walks the lifecycle and writes one timeline event per change', async () => {
    const c = await create();
    for (const to of ['acknowledged', 'investigating']) {
      const res = await transition(c.code, to);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe(to);
      expect(res.json().plainTransitions).not.toContain('awaiting_customer');
    }
    // Moves that stand for something recorded with them are refused as plain status changes, and say which action makes them.
    for (const [to, code] of [['awaiting_customer', 'information_request_required'], ['proposed', 'proposal_required']] as const) {
      const refused = await transition(c.code, to);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({ code, allowed: expect.not.arrayContaining([to]) });
    }
    const proposal = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/proposals`, headers: agent.headers, payload: { kind: 'repair', description: 'Sửa miễn phí' } });
    expect(proposal.statusCode, proposal.body).toBe(201);
    const proposalId = proposal.json().id as string;
    const unresolved = await transition(c.code, 'resolved');
    expect(unresolved.statusCode).toBe(409);
    expect(unresolved.json().error.code).toBe('implementation_required');
    // Taking the offer back to negotiate again withdraws it: the customer can no longer accept it.
    const back = await transition(c.code, 'investigating');
    expect(back.statusCode, back.body).toBe(200);
    const resolution = (await app.inject({ url: `/api/v1/complaints/${c.code}/resolution`, headers: agent.headers })).json();
    expect(resolution.proposals.map((p: { status: string }) => p.status)).toEqual(['withdrawn']);
    const late = await app.inject({
      method: 'POST',
      url: `/api/v1/portal/complaints/${c.code}/proposals/${proposalId}/decision`,
      payload: { contact: c.customer.phone, decision: 'accept' },
    });
    expect(late.statusCode).toBe(409);
    const rootCauseId = (await db().db.execute<{ id: string }>(sql`select id from root_causes where slug = 'delivery'`)).rows[0].id;
    await resolveThroughProposal(db(), c.code, { rootCauseId });
    expect((await transition(c.code, 'closed')).statusCode).toBe(200);
    const shown = (await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: agent.headers })).json();
    expect(shown.timeline.filter((e: { type: string }) => e.type === 'status.changed' || e.type === 'complaint.created').map((e: { type: string; payload: { to?: string } }) => e.payload.to ?? e.type)).toEqual([
      'complaint.created', 'acknowledged', 'investigating', 'proposed', 'investigating', 'proposed', 'resolved', 'closed',
    ]);
    expect(shown.timeline.map((e: { type: string }) => e.type)).toContain('proposal.withdrawn');
    expect(shown.acknowledgedAt).not.toBeNull();
    expect(shown.dueAt).toBeNull();
  });

  it('sends escalation and reopening to their own actions instead of a bare status change', async () => {
    const c = await create();
    for (const to of ['acknowledged', 'investigating']) expect((await transition(c.code, to)).statusCode).toBe(200);
    const esc = await transition(c.code, 'escalated', 'Khách yêu cầu', supervisor.headers);
    expect(esc.statusCode).toBe(409);
    expect(esc.json().error.code).toBe('escalation_required');
    const rootCauseId = (await db().db.execute<{ id: string }>(sql`select id from root_causes where slug = 'other'`)).rows[0].id;
    await resolveThroughProposal(db(), c.code, { rootCauseId });
    expect((await transition(c.code, 'reopened', 'Chưa hết lỗi')).statusCode).toBe(403);
    const reopened = await transition(c.code, 'reopened', 'Khách báo lỗi tái diễn', supervisor.headers);
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'investigating', reopenCount: 1 });
  });

  it('refuses an unknown category field by field and stores nothing, while intakes sent with it are stored', async () => {
    const key = `unknown-category-${Date.now()}`;
    const send = (categoryId: string | undefined, idempotencyKey?: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        payload: { ...buildIntake({ customer: { name: 'Hồ Văn Tâm', phone: randomPhone() } }), consent: undefined, channel: 'hotline', ...(categoryId ? { categoryId } : {}) },
        headers: { ...agent.headers, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      });
    const before = Number((await db().db.execute<{ n: string }>(sql`select count(*) as n from complaints`)).rows[0].n);
    // Written in one batch: the first call starts a batch at once, the next two (same tick) wait for it and go together.
    const direct = (categoryId?: string) =>
      createComplaint({
        database: db(),
        actor: { kind: 'agent', id: agent.user.id, channel: 'console' },
        channel: 'hotline',
        input: { ...buildIntake({ customer: { name: 'Hồ Văn Tâm', phone: randomPhone() } }), ...(categoryId ? { categoryId } : {}) } as never,
        requireConsent: false,
      });
    const batch = await Promise.allSettled([direct(), direct('00000000-0000-4000-8000-00000000abcd'), direct()]);
    expect(batch.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((batch[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'categoryId', code: 'not_found' }] } });
    expect(Number((await db().db.execute<{ n: string }>(sql`select count(*) as n from complaints`)).rows[0].n)).toBe(before + 2);
    const bad = await send('00000000-0000-4000-8000-00000000abcd', key);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields).toEqual([expect.objectContaining({ field: 'categoryId', code: 'not_found' })]);
    // Nothing was kept of the refused one: its key is free, and the corrected request is stored.
    const category = (await db().db.execute<{ id: string }>(sql`select id from categories limit 1`)).rows[0].id;
    const fixed = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: { ...buildIntake({ customer: { name: 'Hồ Văn Tâm', phone: randomPhone() } }), consent: undefined, channel: 'hotline', categoryId: category },
      headers: { ...agent.headers, 'idempotency-key': key },
    });
    expect(fixed.statusCode, fixed.body).toBe(201);
  });

  it('finds a phrase only where its words stand together, ignoring diacritics', async () => {
    const marker = `P${Date.now().toString(36)}`;
    const together = await create({ subject: `${marker} Hàng giao thiếu`, description: 'Shipper Lê Tấn Bảo giao thiếu một hộp.' });
    await create({ subject: `${marker} Bảo hành chậm`, description: 'Bảo hành lâu; anh Lê ở chi nhánh Tân Bình hẹn mãi.' });
    const found = await app.inject({ url: `/api/v1/complaints?q=${encodeURIComponent('le tan bao')}&limit=100`, headers: agent.headers });
    expect(found.statusCode).toBe(200);
    const codes = (found.json().items as { code: string; subject: string }[]).filter((c) => c.subject.startsWith(marker)).map((c) => c.code);
    expect(codes).toEqual([together.code]);
  });

  it('refuses an invalid transition with 409 and the allowed ones, changing nothing', async () => {
    const c = await create();
    const res = await transition(c.code, 'resolved');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('invalid_transition');
    expect(res.json().error.allowed).toEqual(expect.arrayContaining(['acknowledged', 'withdrawn', 'merged']));
    const after = (await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: agent.headers })).json();
    expect(after.status).toBe('received');
    expect(after.timeline).toHaveLength(1);
  });

  it('names the moves allowed to the caller in the message of a refused one, in their language', async () => {
    const c = await create();
    const vi = (await transition(c.code, 'resolved')).json().error;
    expect(vi.message).toBe(
      'Không thể chuyển khiếu nại sang trạng thái này. Từ trạng thái hiện tại, bạn có thể chuyển sang: “Đã xác nhận tiếp nhận”, “Gộp vào khiếu nại khác”, “Khách hàng rút khiếu nại”.',
    );
    const en = (await transition(c.code, 'resolved', undefined, { ...agent.headers, 'accept-language': 'en' })).json().error;
    expect(en.message).toBe('The complaint cannot move to this status. From its current status, you may move it to: “Acknowledged”, “Merged”, “Withdrawn”.');
    // A supervisor may also refuse it as not admissible: the list is the caller's own.
    const lead = (await transition(c.code, 'closed', undefined, { ...supervisor.headers, 'accept-language': 'en' })).json().error;
    expect(lead.message).toContain('“Not admissible”');
    const over = await create();
    expect((await transition(over.code, 'withdrawn', 'Khách tự giải quyết được')).statusCode).toBe(200);
    const none = (await transition(over.code, 'investigating', undefined, { ...agent.headers, 'accept-language': 'en' })).json().error;
    expect(none).toMatchObject({ code: 'invalid_transition', allowed: [] });
    expect(none.message).toBe('The complaint cannot move to this status. From its current status, you may not move it to any other status.');
  });

  it('takes a code typed in lower case on every write, as on reads', async () => {
    const c = await create();
    const lower = c.code.toLowerCase();
    const note = await app.inject({ method: 'POST', url: `/api/v1/complaints/${lower}/notes`, payload: { body: 'Gọi lại chiều nay' }, headers: agent.headers });
    expect(note.statusCode, note.body).toBe(201);
    const moved = await transition(` ${lower}`.trim(), 'acknowledged');
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ code: c.code, status: 'acknowledged' });
    const shown = (await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: agent.headers })).json();
    expect(shown.timeline.map((e: { type: string }) => e.type)).toEqual(['complaint.created', 'note.added', 'status.changed']);
  });

  it('refuses a query parameter the complaint page does not take', async () => {
    const c = await create();
    const res = await app.inject({ url: `/api/v1/complaints/${c.code}?include=internal`, headers: agent.headers });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields).toEqual([expect.objectContaining({ field: 'include', code: 'unknown_field' })]);
  });

  it('refuses a page of 0 on a list instead of answering one of 1', async () => {
    await create();
    for (const url of ['/api/v1/complaints?limit=0', `/api/v1/customers/${supervisor.user.id}/access-log?limit=0`]) {
      const res = await app.inject({ url, headers: (await staffWithToken(db(), 'admin')).headers });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().error.fields, url).toEqual([expect.objectContaining({ field: 'limit', code: 'invalid_value' })]);
    }
    expect((await app.inject({ url: '/api/v1/complaints?limit=1', headers: agent.headers })).json().items).toHaveLength(1);
  });

  it('leaves rejection to supervisors and requires a reason, which the customer sees', async () => {
    const c = await create({ customer: { name: 'Khách', phone: '0987 111 222', email: `tuchoi.${Date.now()}@khach.vn` } });
    expect((await transition(c.code, 'rejected', 'Không thuộc phạm vi')).statusCode).toBe(403);
    const noReason = await transition(c.code, 'rejected', undefined, supervisor.headers);
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error.fields[0]).toMatchObject({ field: 'reason', code: 'reason_required' });
    expect((await transition(c.code, 'rejected', 'Không thuộc phạm vi', supervisor.headers)).statusCode).toBe(200);
    const pub = await app.inject({ url: `/api/v1/portal/complaints/${c.code}?contact=0987111222` });
    expect(pub.json().status).toBe('rejected');
    expect(pub.json().timeline.at(-1)).toMatchObject({ status: 'rejected', reason: 'Không thuộc phạm vi' });
    // The reason also reaches the customer by mail (after the receipt).
    const mails = await db().db.execute<{ text: string }>(sql`
      select m.text from outbound_messages m join complaints x on x.id = m.complaint_id where x.code = ${c.code} order by m.created_at`);
    expect(mails.rows.some((m) => m.text.includes('Không thuộc phạm vi'))).toBe(true);
  });

  it('keeps internal notes and staff out of the customer view, and stores customer text as text', async () => {
    const phone = randomPhone();
    const c = await create({ customer: { name: '<b>Minh</b>', phone } });
    const note = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/notes`, payload: { body: 'Khách hàng khó tính <script>x</script>' }, headers: agent.headers });
    expect(note.statusCode).toBe(201);
    expect(note.json().timeline.at(-1)).toMatchObject({ type: 'note.added', payload: { body: 'Khách hàng khó tính <script>x</script>' } });
    await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/assign`, payload: { assigneeId: agent.user.id }, headers: agent.headers });
    const pub = await app.inject({ url: `/api/v1/portal/complaints/${c.code}?contact=${phone}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).not.toContain('khó tính');
    expect(pub.body).not.toContain(agent.user.id);
    expect(pub.body).not.toContain(agent.user.name);
    expect(pub.json().timeline.map((e: { type: string }) => e.type)).toEqual(['complaint.created']);
  });

  it('changes category and priority with events', async () => {
    const c = await create();
    const cats = (await app.inject({ url: '/api/v1/categories', headers: agent.headers })).json().items;
    const delivery = cats.find((x: { slug: string }) => x.slug === 'delivery');
    const res = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${c.code}`, payload: { categoryId: delivery.id, priority: 'urgent' }, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ priority: 'urgent', category: { id: delivery.id, name: 'Giao hàng chậm' } });
    expect(res.json().timeline.map((e: { type: string }) => e.type)).toEqual(['complaint.created', 'category.changed', 'priority.changed']);
  });

  it('renames and deactivates a category: its complaints keep it under the new name, and no complaint is put in it until it is active again', async () => {
    const admin = await staffWithToken(db(), 'admin');
    const made = await app.inject({ method: 'POST', url: '/api/v1/categories', payload: { name: 'Khuyến mãi', nameEn: 'Promotions' }, headers: admin.headers });
    const id = made.json().id as string;
    const before = await create({ categoryId: id });
    const renamed = await app.inject({ method: 'PATCH', url: `/api/v1/categories/${id}`, payload: { name: 'Khuyến mãi & quà tặng', active: false }, headers: admin.headers });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Khuyến mãi & quà tặng', nameEn: 'Promotions', active: false });
    const listed = (await app.inject({ url: '/api/v1/categories', headers: agent.headers })).json().items.find((c: { id: string }) => c.id === id);
    expect(listed).toMatchObject({ name: 'Khuyến mãi & quà tặng', active: false });
    const kept = (await app.inject({ url: `/api/v1/complaints/${before.code}`, headers: agent.headers })).json();
    expect(kept.category).toMatchObject({ id, name: 'Khuyến mãi & quà tặng' });
    // A change that leaves its category alone is still allowed.
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${before.code}`, payload: { categoryId: id, priority: 'high' }, headers: agent.headers })).statusCode).toBe(200);

    const count = async () => Number((await db().db.execute<{ n: number }>(sql`select count(*)::int as n from complaints`)).rows[0].n);
    const n = await count();
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: { ...buildIntake({ customer: { name: 'Đỗ Thị Mai', phone: randomPhone() } }), consent: undefined, channel: 'hotline', categoryId: id },
      headers: { ...agent.headers, 'accept-language': 'en' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.fields).toEqual([{ field: 'categoryId', code: 'inactive', message: 'No longer in use: choose another.' }]);
    expect(await count()).toBe(n);
    const other = await create();
    const moved = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${other.code}`, payload: { categoryId: id }, headers: agent.headers });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().error.fields).toEqual([expect.objectContaining({ field: 'categoryId', code: 'inactive', message: 'Đã ngừng sử dụng: hãy chọn mục khác.' })]);
    expect((await app.inject({ url: `/api/v1/complaints/${other.code}`, headers: agent.headers })).json().category).toBeNull();

    await app.inject({ method: 'PATCH', url: `/api/v1/categories/${id}`, payload: { active: true }, headers: admin.headers });
    expect((await create({ categoryId: id })).category).toMatchObject({ id });
  });

  it('records the customer’s province given by the agent, and corrects it with an event; an unknown one changes nothing', async () => {
    const phone = randomPhone();
    const c = await create({ customer: { name: 'Y Bhăm Êban', phone, province: 'dak lak' } });
    const shown = (await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: agent.headers })).json();
    expect(shown.customer.province).toBe('Đắk Lắk');
    const bad = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${c.code}`, payload: { customerProvince: 'Buôn Ma Thuột' }, headers: agent.headers });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields).toEqual([expect.objectContaining({ field: 'customerProvince', code: 'province_unknown' })]);
    const res = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${c.code}`, payload: { customerProvince: 'Gia Lai' }, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().customer.province).toBe('Gia Lai');
    const changes = res.json().timeline.filter((e: { type: string }) => e.type === 'customer_province.changed');
    expect(changes.map((e: { payload: unknown }) => e.payload)).toEqual([{ from: 'Đắk Lắk', to: 'Gia Lai' }]);
    // The caller lookup offers the province of the customer's latest complaint, to prefill the next one.
    const lookup = async () => (await app.inject({ url: `/api/v1/customers/lookup?phone=${phone}`, headers: agent.headers })).json().customer.province;
    expect(await lookup()).toBe('Gia Lai');
    const cleared = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${c.code}`, payload: { customerProvince: null }, headers: agent.headers });
    expect(cleared.json().customer.province).toBeNull();
    expect(await lookup()).toBeNull();
  });

  it('finds the caller by number in any format with their open complaints', async () => {
    const phone = randomPhone();
    const c = await create({ customer: { name: 'Bùi Thị Ngọc', phone } });
    const res = await app.inject({ url: `/api/v1/customers/lookup?phone=${encodeURIComponent(`+84 ${phone.slice(1)}`)}`, headers: agent.headers });
    expect(res.json().customer).toMatchObject({ name: 'Bùi Thị Ngọc', phone });
    expect(res.json().openComplaints.map((x: { code: string }) => x.code)).toEqual([c.code]);
    const none = await app.inject({ url: '/api/v1/customers/lookup?phone=0911000111', headers: agent.headers });
    expect(none.json()).toEqual({ customer: null, openComplaints: [] });
    // What cannot be a phone number or an email is pointed out, not answered as an unknown customer.
    const typo = await app.inject({ url: '/api/v1/customers/lookup?phone=abc', headers: agent.headers });
    expect(typo.statusCode).toBe(422);
    expect(typo.json().error.fields).toEqual([expect.objectContaining({ field: 'phone', code: 'phone_invalid' })]);
    const badEmail = await app.inject({ url: '/api/v1/customers/lookup?email=khach-at-example', headers: agent.headers });
    expect(badEmail.json().error.fields).toEqual([expect.objectContaining({ field: 'email', code: 'email_invalid' })]);
  });

  it('does not create a second complaint for a retried staff create', async () => {
    const key = `staff-${Math.random()}`;
    const body = { ...buildIntake({ customer: { name: 'Lặp', phone: randomPhone() } }), consent: undefined, channel: 'office' };
    const a = await app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body, headers: { ...agent.headers, 'idempotency-key': key } });
    const b = await app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body, headers: { ...agent.headers, 'idempotency-key': key } });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json().code).toBe(a.json().code);
  });

  describe('queue and search', () => {
    const codes: Record<string, string> = {};
    beforeAll(async () => {
      const mk = async (name: string, over: Record<string, unknown>) => {
        const c = await create({ customer: { name, phone: randomPhone(), email: `${name.length}.${Math.random().toString(36).slice(2)}@example.com` }, ...over });
        codes[name] = c.code;
      };
      await mk('Nguyễn Thị Hương', { subject: 'Đồng hồ bị nứt mặt kính', orderRef: 'DH-88123', priority: 'high' });
      await mk('Lê Văn Đức', { subject: 'Giao hàng trễ 10 ngày', description: 'Tủ lạnh chưa giao', orderRef: 'DH-90211', channel: 'office' });
      await mk('Phạm Quốc Bảo', { subject: 'Hoàn tiền chậm', description: 'Chưa nhận được tiền hoàn', channel: 'email' });
      await mk('Võ Thanh Tâm', { subject: 'Tài khoản bị khoá', description: 'Không đăng nhập được vào thegioiso.vn từ hôm qua' });
    });
    const list = (query: string) => app.inject({ url: `/api/v1/complaints?${query}`, headers: agent.headers });
    const found = async (q: string) => (await list(`q=${encodeURIComponent(q)}&limit=200`)).json().items.map((i: { code: string }) => i.code);

    it('finds without diacritics and case, by code, order number, name, phone in any format and email', async () => {
      expect(await found('dong ho')).toContain(codes['Nguyễn Thị Hương']);
      expect(await found('ĐỒNG HỒ BỊ NỨT')).toContain(codes['Nguyễn Thị Hương']);
      expect(await found('le van duc')).toContain(codes['Lê Văn Đức']);
      expect(await found('dh-90211')).toEqual([codes['Lê Văn Đức']]);
      // An order number stored with a dash is found typed without one, or with another separator.
      for (const typed of ['DH90211', 'dh 90211', 'DH/90211', 'dh_90211']) expect(await found(typed)).toEqual([codes['Lê Văn Đức']]);
      expect(await found(codes['Phạm Quốc Bảo'].toLowerCase())).toEqual([codes['Phạm Quốc Bảo']]);
      expect(await found('chua nhan duoc tien')).toContain(codes['Phạm Quốc Bảo']);
      expect(await found('giao hang tre')).not.toContain(codes['Phạm Quốc Bảo']);
      const c = (await app.inject({ url: `/api/v1/complaints/${codes['Lê Văn Đức']}`, headers: agent.headers })).json();
      const phone = c.customer.phone as string;
      expect(await found(`+84 ${phone.slice(1, 4)} ${phone.slice(4)}`)).toEqual([codes['Lê Văn Đức']]);
      expect(await found(phone)).toEqual([codes['Lê Văn Đức']]);
      expect(await found(c.customer.email.toUpperCase())).toEqual([codes['Lê Văn Đức']]);
      expect(await found('100% khong co')).toEqual([]);
      // A phrase is found with its words as written: the same letters run together are another word.
      expect(await found('dang nhap duoc')).toEqual([codes['Võ Thanh Tâm']]);
      expect(await found('thegioiso')).toEqual([codes['Võ Thanh Tâm']]);
      expect(await found('the gioi so')).toEqual([]);
      expect(await found('nhap duocvao')).toEqual([]);
      // A word is not found across the space between two others ("khong co ng…" holds no "cong").
      expect(await found('uocvao')).toEqual([]);
      const short = await list('q=t');
      expect(short.statusCode).toBe(422);
      expect(short.json().error.fields[0]).toMatchObject({ field: 'q', code: 'too_short' });
    });

    it('finds by the words in any order when no complaint holds them as a phrase, and says so', async () => {
      const marker = `w${Date.now().toString(36)}`;
      const tv = await create({ subject: `Tivi Samsung bị sọc màn hình ${marker}`, description: 'Mua tại chi nhánh Thủ Đức.' });
      const search = async (q: string, extra = '') => {
        const r = await list(`q=${encodeURIComponent(q)}${extra}`);
        expect(r.statusCode, r.body).toBe(200);
        return r.json() as { items: { code: string }[]; nextCursor: string | null; matchedByWords: boolean };
      };
      // As a phrase: found, and said to be.
      const phrase = await search('tivi samsung');
      expect(phrase.items.map((i) => i.code)).toContain(tv.code);
      expect(phrase.matchedByWords).toBe(false);
      // The words turned round, apart, without diacritics: no phrase, so each word.
      for (const q of ['samsung tivi', 'Màn hình SAMSUNG', `man tivi ${marker}`, 'thu duc soc']) {
        const words = await search(q);
        expect(words.items.map((i) => i.code), q).toContain(tv.code);
        expect(words.matchedByWords, q).toBe(true);
      }
      // Every word, each from the start of a word of the text: "sung" starts none, "tu lanh" is not in it.
      expect((await search('sung tivi')).items.map((i) => i.code)).not.toContain(tv.code);
      expect((await search('samsung tu lanh')).items.map((i) => i.code)).not.toContain(tv.code);
      // A customer's name is not split into words: "tam vo" is not "Võ Thanh Tâm".
      expect((await search('tam vo')).items.map((i) => i.code)).not.toContain(codes['Võ Thanh Tâm']);
      // The next pages of a search by words stay one.
      const more = await Promise.all([1, 2].map(() => create({ subject: `Sọc màn hình tivi ${marker}` })));
      const seen: string[] = [];
      let cursor = '';
      for (let i = 0; i < 5; i += 1) {
        const page = await search(`${marker} tivi soc`, `&limit=1${cursor}`);
        expect(page.matchedByWords).toBe(true);
        seen.push(...page.items.map((c) => c.code));
        if (!page.nextCursor) break;
        cursor = `&cursor=${page.nextCursor}`;
      }
      expect(seen.sort()).toEqual([tv.code, ...more.map((c) => c.code)].sort());
    });

    it('finds a customer by any word of the name from its start, in order, two letters included', async () => {
      const tam = codes['Võ Thanh Tâm'];
      // The given name alone, family and given name without the middle one, the last two words.
      for (const q of ['tam', 'Tâm', 'vo tam', 'thanh tam', 'VÕ THANH TÂM', 'vo th']) expect(await found(q), q).toContain(tam);
      // Words are matched from their start and in the order given.
      for (const q of ['am', 'anh tam', 'tam vo', 'tam thanh']) expect(await found(q), q).not.toContain(tam);
      // Two letters are a family or given name ("Lê", "Võ"): names only, not the complaint's text.
      expect(await found('le')).toContain(codes['Lê Văn Đức']);
      expect(await found('Võ')).toContain(tam);
      expect(await found('le')).not.toContain(tam);
      const tv = await list('q=tv');
      expect(tv.statusCode).toBe(200);
      // Her complaint's subject "Tài khoản bị khoá" holds "kh", but two letters do not search the text.
      expect(await found('kh')).not.toContain(tam);
      expect(await found('quoc bao')).toContain(codes['Phạm Quốc Bảo']);
      expect(await found('uoc bao')).not.toContain(codes['Phạm Quốc Bảo']);
    });

    it('filters by channel, priority and status, sorted by nearest deadline', async () => {
      const office = (await list('channel=office&limit=200')).json().items;
      expect(office.map((i: { code: string }) => i.code)).toContain(codes['Lê Văn Đức']);
      expect(office.every((i: { channel: string }) => i.channel === 'office')).toBe(true);
      const high = (await list('priority=high&limit=200')).json().items;
      expect(high.every((i: { priority: string }) => i.priority === 'high')).toBe(true);
      const all = (await list('status=received,acknowledged&limit=200')).json().items as { dueAt: string | null; status: string }[];
      expect(all.every((i) => ['received', 'acknowledged'].includes(i.status))).toBe(true);
      const dues = all.map((i) => Date.parse(i.dueAt!));
      expect(dues).toEqual([...dues].sort((a, b) => a - b));
      const bad = await list('status=nonsense');
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.fields[0].field).toBe('status');
    });

    it('pages with a keyset cursor without gaps or repeats', async () => {
      const everything = (await list('limit=200')).json().items.map((i: { code: string }) => i.code);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { code: string }[]; nextCursor: string | null } = (await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
        seen.push(...page.items.map((i) => i.code));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(everything);
      expect((await list('cursor=garbage')).statusCode).toBe(422);
    });

    it('sorts newest first on request, paging without gaps, and filters overdue from on-time', async () => {
      const newest = (await list('sort=newest&limit=200')).json().items as { code: string; receivedAt: string }[];
      const times = newest.map((i) => Date.parse(i.receivedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { code: string }[]; nextCursor: string | null } = (await list(`sort=newest&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
        seen.push(...page.items.map((i) => i.code));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(newest.map((i) => i.code));
      expect((await list('sort=oldest')).statusCode).toBe(422);
      // Nothing received today is overdue; a complaint received months ago is.
      const old = await seedComplaint(db(), { now: new Date('2026-01-05T02:00:00Z') });
      const overdue = (await list('sla=overdue&limit=200')).json().items.map((i: { code: string }) => i.code);
      expect(overdue).toContain(old.code);
      expect(overdue).not.toContain(codes['Lê Văn Đức']);
      const onTime = (await list('sla=on_time&limit=200')).json().items.map((i: { code: string }) => i.code);
      expect(onTime).toContain(codes['Lê Văn Đức']);
      expect(onTime).not.toContain(old.code);
    });

    it('filters by assignee and by deadline', async () => {
      await app.inject({ method: 'POST', url: `/api/v1/complaints/${codes['Phạm Quốc Bảo']}/assign`, payload: { assigneeId: agent.user.id }, headers: agent.headers });
      const mine = (await list('assigneeId=me&limit=200')).json().items as { code: string; assignee: { id: string } }[];
      expect(mine.map((i) => i.code)).toContain(codes['Phạm Quốc Bảo']);
      expect(mine.every((i) => i.assignee.id === agent.user.id)).toBe(true);
      const none = (await list('assigneeId=none&limit=200')).json().items.map((i: { code: string }) => i.code);
      expect(none).not.toContain(codes['Phạm Quốc Bảo']);
      expect((await list('dueBefore=2000-01-01T00:00:00Z')).json().items).toEqual([]);
    });

    it('filters by team, category, channel and priority, and keeps only deadlines before a moment', async () => {
      const admin = await staffWithToken(db(), 'admin');
      const team = (await app.inject({ method: 'POST', url: '/api/v1/teams', payload: { name: `Kho vận ${Date.now()}` }, headers: admin.headers })).json();
      const cats = (await app.inject({ url: '/api/v1/categories', headers: agent.headers })).json().items as { id: string; slug: string }[];
      const delivery = cats.find((c) => c.slug === 'delivery')!;
      const other = cats.find((c) => c.slug !== 'delivery')!;
      const inTeam = await create({ categoryId: delivery.id, priority: 'urgent' });
      const outside = await create({ categoryId: other.id, channel: 'office' });
      await app.inject({ method: 'POST', url: `/api/v1/complaints/${inTeam.code}/assign`, payload: { assigneeId: null, teamId: team.id }, headers: supervisor.headers });
      type Item = { code: string; team: { id: string } | null; category: { id: string } | null; channel: string; priority: string; dueAt: string | null };
      const items = async (query: string) => (await list(`${query}&limit=200`)).json().items as Item[];

      const byTeam = await items(`teamId=${team.id}`);
      expect(byTeam.map((i) => i.code)).toEqual([inTeam.code]);
      const byCategory = await items(`categoryId=${delivery.id}`);
      expect(byCategory.map((i) => i.code)).toContain(inTeam.code);
      expect(byCategory.map((i) => i.code)).not.toContain(outside.code);
      expect(byCategory.every((i) => i.category?.id === delivery.id)).toBe(true);
      const byChannel = await items('channel=office');
      expect(byChannel.map((i) => i.code)).toContain(outside.code);
      expect(byChannel.every((i) => i.channel === 'office')).toBe(true);
      const urgent = await items('priority=urgent');
      expect(urgent.map((i) => i.code)).toContain(inTeam.code);
      expect(urgent.every((i) => i.priority === 'urgent')).toBe(true);
      expect(await items(`teamId=${team.id}&categoryId=${other.id}`)).toEqual([]);

      // Deadlines: one received long ago is due long before today's.
      const early = await seedComplaint(db(), { now: new Date('2026-03-02T02:00:00Z') });
      const all = await items('sort=due');
      const earlyDue = all.find((i) => i.code === early.code)!.dueAt!;
      const cut = new Date(Date.parse(earlyDue) + 1000).toISOString();
      const before = await items(`dueBefore=${encodeURIComponent(cut)}`);
      expect(before.map((i) => i.code)).toContain(early.code);
      expect(before.map((i) => i.code)).not.toContain(inTeam.code);
      expect(before.every((i) => i.dueAt !== null && i.dueAt < cut)).toBe(true);
      expect(before.length).toBeLessThan(all.length);
      const bad = await list('dueBefore=31/12/2026');
      expect(bad.statusCode).toBe(422);
    });
  });
});
