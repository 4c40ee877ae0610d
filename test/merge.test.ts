import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, resolveThroughProposal, staffWithToken } from './factories';
import { verifyAudit } from '../src/commands/verify-audit';
import { receiveEmail } from '../src/commands/receive-email';
import { parseInboundMail } from '../src/channels/email/parse';
import { LocalFileStore } from '../src/files/store';
import { TEST_DATA_DIR } from './factories';

describeEachDatabase('merging a duplicate complaint, and withdrawing one', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
  });
  afterAll(async () => app?.close());

  const file = async (customer: { name: string; phone?: string; email?: string }, subject = 'Máy giặt rung mạnh khi vắt') => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: agent.headers,
      payload: { ...buildIntake({ customer }), subject, consent: undefined, channel: 'hotline' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { code: string }).code;
  };
  const move = (code: string, body: Record<string, unknown>, lang = 'vi') =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/transitions`, headers: { ...agent.headers, 'accept-language': lang }, payload: body });
  const statusOf = async (code: string) =>
    (await db().db.execute<{ status: string; n: string }>(sql`select status, event_count as n from complaints where code = ${code}`)).rows[0];
  const eventsOf = async (code: string) =>
    (
      await db().db.execute<{ type: string; payload: Record<string, unknown> }>(sql`
        select e.type, e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`)
    ).rows;
  const mailsTo = async (address: string) =>
    (await db().db.execute<{ subject: string; text: string }>(sql`select subject, text from outbound_messages where to_address = ${address} order by created_at`)).rows;
  const publicView = async (code: string, contact: string) =>
    (await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(contact)}` })).json() as {
      status: string;
      timeline: { type: string; status?: string; mergedInto?: string; from?: string; reason?: string }[];
    };

  it('needs the complaint it goes into: missing, unknown, itself or already over are field errors that change nothing', async () => {
    const phone = randomPhone();
    const code = await file({ name: 'Đinh Văn Lực', phone });
    const over = await file({ name: 'Đinh Văn Lực', phone });
    expect((await move(over, { to: 'withdrawn', reason: 'Khách gọi lại báo đã ổn' })).statusCode).toBe(200);
    const before = await statusOf(code);
    const cases: [Record<string, unknown>, string][] = [
      [{ to: 'merged', reason: 'Trùng' }, 'required'],
      [{ to: 'merged', mergedInto: 'KN-2020-999999' }, 'not_found'],
      [{ to: 'merged', mergedInto: code.toLowerCase() }, 'same_complaint'],
      [{ to: 'merged', mergedInto: over }, 'target_closed'],
    ];
    for (const [body, fieldCode] of cases) {
      const res = await move(code, body);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.fields).toEqual([expect.objectContaining({ field: 'mergedInto', code: fieldCode, message: expect.any(String) })]);
    }
    expect((await move(code, { to: 'merged', mergedInto: over }, 'en')).json().error.fields[0].message).toBe(
      'That complaint is over: merge into one that is still being handled.',
    );
    expect(await statusOf(code)).toEqual(before);
  });

  it('merges into the same customer’s complaint: both timelines say so, the customer is mailed and follows the other one', async () => {
    const email = `hop.${Math.random().toString(36).slice(2)}@example.com`;
    const phone = randomPhone();
    const keep = await file({ name: 'Hồ Thị Hợp', phone, email });
    const dup = await file({ name: 'Hồ Thị Hợp', phone, email }, 'Máy giặt kêu to (gọi lần 2)');
    // The code may be typed in lower case; a reason is optional for a merge.
    const res = await move(dup, { to: 'merged', mergedInto: keep.toLowerCase() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('merged');

    const merged = (await eventsOf(dup)).at(-1)!;
    expect(merged).toMatchObject({ type: 'status.changed', payload: { to: 'merged', mergedInto: keep, sameCustomer: true } });
    expect((await eventsOf(keep)).at(-1)).toMatchObject({ type: 'complaint.merged_in', payload: { from: dup, sameCustomer: true } });
    expect((await verifyAudit(db())).problems).toEqual([]);

    const mail = (await mailsTo(email)).find((m) => m.subject.startsWith(`[${dup}]`) && m.subject.includes('gộp'));
    expect(mail?.subject).toContain(`gộp vào ${keep}`);
    expect(mail?.text).toContain(`/tra-cuu?code=${keep}`);

    const dupView = await publicView(dup, phone);
    expect(dupView.status).toBe('merged');
    expect(dupView.timeline.at(-1)).toMatchObject({ type: 'status.changed', status: 'merged', mergedInto: keep });
    expect((await publicView(keep, email)).timeline.at(-1)).toMatchObject({ type: 'complaint.merged_in', from: dup });
  });

  it('a reply by email to the merged complaint goes onto the one it was merged into, not into a new complaint', async () => {
    const email = `tra.loi.${Math.random().toString(36).slice(2)}@example.com`;
    const keep = await file({ name: 'Mai Văn Trả', phone: randomPhone(), email });
    const dup = await file({ name: 'Mai Văn Trả', phone: randomPhone(), email }, 'Máy giặt rung (gọi lần 2)');
    expect((await move(dup, { to: 'merged', mergedInto: keep })).statusCode).toBe(200);
    const raw = Buffer.from(
      [
        `From: Mai Van Tra <${email}>`,
        'To: khieunai@sen.test',
        `Subject: Re: [${dup}] Máy giặt rung (gọi lần 2)`,
        `Message-ID: <${Math.random().toString(36).slice(2)}@khach.vn>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Tôi gửi thêm số serial: SN-12345.',
        '',
      ].join('\r\n'),
    );
    const before = (await db().db.execute<{ n: string }>(sql`select count(*) as n from complaints`)).rows[0].n;
    const outcome = await receiveEmail({
      database: db(),
      files: LocalFileStore.inDataDir(TEST_DATA_DIR),
      raw,
      mail: await parseInboundMail(raw),
      envelopeFrom: email,
      receipt: { baseUrl: 'http://sen.test', companyName: 'Công ty Sen' },
    });
    expect(outcome).toEqual({ outcome: 'threaded', code: keep });
    expect((await eventsOf(keep)).at(-1)).toMatchObject({ type: 'message.received', payload: { body: expect.stringContaining('SN-12345') } });
    expect((await statusOf(dup)).status).toBe('merged');
    expect((await db().db.execute<{ n: string }>(sql`select count(*) as n from complaints`)).rows[0].n).toBe(before);
  });

  it('merges into another customer’s complaint without telling either customer about the other', async () => {
    const email = `khac.${Math.random().toString(36).slice(2)}@example.com`;
    const otherPhone = randomPhone();
    const keep = await file({ name: 'Vũ Văn Chồng', phone: otherPhone });
    const dup = await file({ name: 'Vũ Thị Vợ', email }, 'Cùng đơn hàng của chồng tôi');
    expect((await move(dup, { to: 'merged', mergedInto: keep, reason: 'Cùng một đơn hàng' })).statusCode).toBe(200);
    expect((await eventsOf(dup)).at(-1)?.payload).toMatchObject({ mergedInto: keep, sameCustomer: false });

    const mail = (await mailsTo(email)).find((m) => m.subject.startsWith(`[${dup}]`) && m.subject.includes('gộp'));
    expect(mail).toBeDefined();
    expect(`${mail!.subject}\n${mail!.text}`).not.toContain(keep);
    const dupView = await publicView(dup, email);
    expect(dupView.timeline.at(-1)).toMatchObject({ status: 'merged' });
    expect(dupView.timeline.at(-1)?.mergedInto).toBeUndefined();
    expect((await publicView(keep, otherPhone)).timeline.map((e) => e.type)).not.toContain('complaint.merged_in');
  });

  it('confirms a withdrawal to the customer by email, with the reason they see on the status page', async () => {
    const email = `rut.${Math.random().toString(36).slice(2)}@example.com`;
    const code = await file({ name: 'Lâm Văn Rút', email });
    expect((await move(code, { to: 'withdrawn', reason: 'Khách đã nhận được máy thay thế từ cửa hàng' })).statusCode).toBe(200);
    const mail = (await mailsTo(email)).find((m) => m.subject.startsWith(`[${code}] Xác nhận rút khiếu nại`));
    expect(mail?.text).toContain('Khách đã nhận được máy thay thế từ cửa hàng');
    expect((await publicView(code, email)).timeline.at(-1)).toMatchObject({ status: 'withdrawn', reason: 'Khách đã nhận được máy thay thế từ cửa hàng' });
  });
});

describeEachDatabase('the customer withdraws their complaint on the status page', (db) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(db());
  });
  afterAll(async () => app?.close());

  const file = async (email: string, phone = randomPhone()) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      headers: { 'idempotency-key': `w-${Math.random()}` },
      payload: buildIntake({ customer: { name: 'Cao Thị Rút', phone, email } }),
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { code: string }).code;
  };
  const withdraw = (code: string, body: Record<string, unknown>, lang = 'vi') =>
    app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${code}/withdraw`, headers: { 'accept-language': lang }, payload: body });
  const row = async (code: string) =>
    (await db().db.execute<{ status: string; event_count: number }>(sql`select status, event_count from complaints where code = ${code}`)).rows[0];
  const confirmations = async (email: string, code: string) =>
    (await db().db.execute<{ n: string }>(sql`select count(*) as n from outbound_messages where to_address = ${email} and subject like ${`[${code}] Xác nhận rút khiếu nại%`}`)).rows[0].n;

  it('withdraws with a reason: the status, the reason and the cancelled promises show at once, the email confirms, a repeat changes nothing', async () => {
    const email = `rut.portal.${Math.random().toString(36).slice(2)}@example.com`;
    const code = await file(email);
    const before = await row(code);
    // A reason is needed; an unknown contact learns nothing.
    for (const reason of ['', '   \u200b ']) {
      const res = await withdraw(code, { contact: email, reason });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.fields[0]).toMatchObject({ field: 'reason' });
    }
    expect((await withdraw(code, { contact: 'ai.do@example.com', reason: 'Thử' })).statusCode).toBe(404);
    expect(await row(code)).toEqual(before);

    const res = await withdraw(code, { contact: email.toUpperCase(), reason: 'Cửa hàng đã đổi máy mới cho tôi' });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json() as { status: string; canWithdraw: boolean; promises: { state: string }[]; timeline: { type: string; status?: string; reason?: string }[] };
    expect(view).toMatchObject({ status: 'withdrawn', canWithdraw: false });
    expect(view.promises.map((p) => p.state)).toEqual(['cancelled', 'cancelled']);
    expect(view.timeline.at(-1)).toMatchObject({ type: 'status.changed', status: 'withdrawn', reason: 'Cửa hàng đã đổi máy mới cho tôi' });
    const event = (
      await db().db.execute<{ actor_type: string; channel: string }>(sql`
        select e.actor_type, e.channel from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq desc limit 1`)
    ).rows[0];
    expect(event).toEqual({ actor_type: 'customer', channel: 'portal' });
    expect(await confirmations(email, code)).toBe('1');

    const after = await row(code);
    const again = await withdraw(code, { contact: email, reason: 'Bấm lần nữa' });
    expect(again.statusCode).toBe(200);
    expect(await row(code)).toEqual(after);
    expect(await confirmations(email, code)).toBe('1');
  });

  it('two withdrawals at once make one', async () => {
    const email = `rut.cung.${Math.random().toString(36).slice(2)}@example.com`;
    const code = await file(email);
    const events = (await row(code)).event_count;
    const both = await Promise.all([withdraw(code, { contact: email, reason: 'Đã xong' }), withdraw(code, { contact: email, reason: 'Đã xong' })]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await row(code)).toEqual({ status: 'withdrawn', event_count: events + 1 });
    expect(await confirmations(email, code)).toBe('1');
  });

  it('cannot withdraw a resolved complaint: 409, said in the customer’s language', async () => {
    const email = `rut.muon.${Math.random().toString(36).slice(2)}@example.com`;
    const code = await file(email);
    const rootCauseId = (await db().db.execute<{ id: string }>(sql`select id from root_causes where slug = 'other'`)).rows[0].id;
    await resolveThroughProposal(db(), code, { rootCauseId });
    const res = await withdraw(code, { contact: email, reason: 'Muộn rồi' }, 'en');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'withdrawal_not_possible', message: expect.stringContaining('cannot be withdrawn on the status page') });
    const view = (await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(email)}` })).json() as { canWithdraw: boolean };
    expect(view.canWithdraw).toBe(false);
  });
});
