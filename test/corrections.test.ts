import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, resolveThroughProposal, staffWithToken } from './factories';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { verifyAudit } from '../src/commands/verify-audit';
import { deliverQueuedMail } from '../src/jobs/deliver-mail';
import { REDACTED } from '../src/domain/personal-data';

const agentActor = { kind: 'agent' as const, id: null, channel: 'console' as const };
const NOBODY = '00000000-0000-4000-8000-000000000000';

describeEachDatabase('corrections of a customer and of a complaint', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let admin: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;

  beforeAll(async () => {
    app = await buildTestApp(db());
    [agent, admin, auditor] = await Promise.all([staffWithToken(db(), 'agent'), staffWithToken(db(), 'admin'), staffWithToken(db(), 'auditor')]);
  });
  afterAll(async () => {
    await app.close();
  });

  const tag = () => `x${randomBytes(4).toString('hex')}`;
  /** A complaint filed on the portal; every text carries its own word so that searches tell them apart. */
  async function file(words: { name: string; subject: string; description: string; orderRef?: string }, contact = { phone: randomPhone(), email: `${tag()}@example.com` }) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      payload: { customer: { name: words.name, ...contact }, subject: words.subject, description: words.description, orderRef: words.orderRef, consent: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().code as string;
    const shown = (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json() as { customer: { id: string } };
    return { code, customerId: shown.customer.id, ...contact };
  }
  const patchCustomer = (id: string, payload: object, headers = agent.headers) =>
    app.inject({ method: 'PATCH', url: `/api/v1/customers/${id}`, payload, headers });
  const patchComplaint = (code: string, payload: object, headers = agent.headers) =>
    app.inject({ method: 'PATCH', url: `/api/v1/complaints/${code}`, payload, headers });
  const detail = async (code: string) => (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json();
  const found = async (q: string) =>
    ((await app.inject({ url: `/api/v1/complaints?q=${encodeURIComponent(q)}&limit=100`, headers: agent.headers })).json().items as { code: string }[]).map((i) => i.code);
  const events = async (code: string, type: string) =>
    (
      await db().db.execute<{ payload: Record<string, unknown> }>(sql`
        select e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} and e.type = ${type} order by e.seq`)
    ).rows.map((r) => r.payload);

  describe('requires authentication', () => {
    it('answers 401 without credentials, and 403 to an auditor, on both corrections', async () => {
      const c = await file({ name: 'Lê Văn Khách', subject: 'Hỏng máy', description: 'Máy hỏng.' });
      expect((await app.inject({ method: 'PATCH', url: `/api/v1/customers/${c.customerId}`, payload: { name: 'X' } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${c.code}`, payload: { subject: 'X' } })).statusCode).toBe(401);
      const byAuditor = await patchCustomer(c.customerId, { name: 'Lê Văn Kiểm' }, auditor.headers);
      expect(byAuditor.statusCode).toBe(403);
      expect(byAuditor.json().error.code).toBe('forbidden');
      expect((await patchComplaint(c.code, { subject: 'Sửa' }, auditor.headers)).statusCode).toBe(403);
      expect((await detail(c.code)).customer.name).toBe('Lê Văn Khách');
    });
  });

  it("corrects a customer's name, phone and email, with the old and new values on every complaint of theirs", async () => {
    const [oldWord, newWord] = [tag(), tag()];
    const first = await file({ name: `Nguyễn Văn Ann ${oldWord}`, subject: 'Tủ lạnh kêu to', description: 'Kêu suốt đêm.' });
    const second = await file({ name: `Nguyễn Văn Ann ${oldWord}`, subject: 'Máy giặt rò nước', description: 'Rò nước.' }, { phone: first.phone, email: first.email });
    expect(second.customerId).toBe(first.customerId);
    const phone = randomPhone();
    const email = `${tag()}@example.com`;
    const res = await patchCustomer(first.customerId, { name: `  Nguyễn Văn An ${newWord} `, phone, email: email.toUpperCase(), reason: 'Khách báo sai chính tả' });
    expect(res.statusCode, res.body).toBe(200);
    const e164 = `+84${phone.slice(1)}`;
    expect(res.json().customer).toMatchObject({ id: first.customerId, name: `Nguyễn Văn An ${newWord}`, phone, phoneE164: e164, email });
    expect(res.json().complaints.map((c: { code: string }) => c.code).sort()).toEqual([first.code, second.code].sort());
    // Showing the corrected record is in the customer's access log.
    const log = (await app.inject({ url: `/api/v1/customers/${first.customerId}/access-log`, headers: admin.headers })).json();
    expect(log.items[0]).toMatchObject({ action: 'customer.view', staff: { id: agent.user.id } });
    for (const code of [first.code, second.code]) {
      expect(await events(code, 'customer.corrected')).toEqual([
        {
          changes: {
            name: { old: `Nguyễn Văn Ann ${oldWord}`, new: `Nguyễn Văn An ${newWord}` },
            phone: { old: `+84${first.phone.slice(1)}`, new: e164 },
            email: { old: first.email, new: email },
          },
          reason: 'Khách báo sai chính tả',
          // The two receipts, not yet sent to the old address, go to the new one.
          mail: { redirected: 2 },
        },
      ]);
      const shown = await detail(code);
      expect(shown.customer).toMatchObject({ name: `Nguyễn Văn An ${newWord}`, phone, email });
      expect(shown.timeline.at(-1)).toMatchObject({ type: 'customer.corrected', actor: { type: 'agent' } });
    }
    // Staff corrections stay off the customer's own status page.
    const portal = await app.inject({ url: `/api/v1/portal/complaints/${first.code}?contact=${encodeURIComponent(email)}` });
    expect(portal.statusCode, portal.body).toBe(200);
    expect(portal.json().timeline.map((e: { type: string }) => e.type)).not.toContain('customer.corrected');
    // The old contact no longer opens it.
    expect((await app.inject({ url: `/api/v1/portal/complaints/${first.code}?contact=${encodeURIComponent(first.email)}` })).statusCode).toBe(404);
    // Found by the new name and contacts, no longer by the old ones.
    expect((await found(`nguyen van an ${newWord}`)).sort()).toEqual([first.code, second.code].sort());
    expect(await found(`nguyen van ann ${oldWord}`)).toEqual([]);
    expect((await found(phone)).sort()).toEqual([first.code, second.code].sort());
    expect(await found(first.phone)).toEqual([]);
    expect((await app.inject({ url: `/api/v1/customers/lookup?phone=${phone}`, headers: agent.headers })).json().customer.id).toBe(first.customerId);
    // The chain still verifies.
    const report = await verifyAudit(db());
    expect(report.problems.filter((p) => [first.code, second.code].includes(p.code))).toEqual([]);
    // The same values again change nothing and write nothing.
    expect((await patchCustomer(first.customerId, { name: `Nguyễn Văn An ${newWord}`, phone })).statusCode).toBe(200);
    expect(await events(first.code, 'customer.corrected')).toHaveLength(1);
  });

  it('mail waiting for a mistyped email follows the correction over SMTP; removing the email stops it', async () => {
    // A real SMTP conversation: the mail server refuses the mistyped mailboxes (550), accepts the rest.
    const delivered: { to: string; body: string }[] = [];
    const wrong = new Set<string>();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, done) {
        done(wrong.has(address.address) ? Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }) : undefined);
      },
      onData(stream, session, done) {
        let body = '';
        stream.on('data', (c: Buffer) => (body += c.toString()));
        stream.on('end', () => {
          for (const r of session.envelope.rcptTo) delivered.push({ to: r.address, body });
          done();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const transport = { mailUrl: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`, from: 'Sen <no-reply@sen.test>', outboxDir: '/nonexistent' };
    const mails = async (code: string) =>
      (
        await db().db.execute<{ to_address: string; status: string }>(sql`
          select m.to_address, m.status from outbound_messages m join complaints c on c.id = m.complaint_id where c.code = ${code} order by m.created_at`)
      ).rows.map((r) => [r.to_address, r.status]);
    // Every queued mail of this database is tried, each day for nine days: enough for the back-off to give up.
    const deliverForDays = async (days: number) => {
      for (let d = 0; d <= days; d += 1) await deliverQueuedMail(db(), transport, new Date(Date.now() + d * 86_400_000));
    };
    try {
      // Typed wrong at intake: the receipt is refused until the queue gives up on it.
      const typo = `${tag()}@gmial.com`;
      wrong.add(typo);
      const first = await file({ name: 'Đỗ Thị Gõ Nhầm', subject: 'Máy lọc nước rò', description: 'Rò nước.' }, { phone: randomPhone(), email: typo });
      await deliverForDays(9);
      expect(await mails(first.code)).toEqual([[typo, 'failed']]);
      // A second complaint of theirs, its receipt still waiting; an old failure, past the resend window.
      const second = await file({ name: 'Đỗ Thị Gõ Nhầm', subject: 'Lõi lọc hết hạn', description: 'Lõi lọc.' }, { phone: first.phone, email: typo });
      expect(second.customerId).toBe(first.customerId);
      // Another customer's waiting mail is not touched.
      const other = await file({ name: 'Người Khác', subject: 'Khác', description: 'Khác.' });
      const right = `${tag()}@gmail.com`;
      const res = await patchCustomer(first.customerId, { email: right, reason: 'Khách gọi lại báo email gõ nhầm' });
      expect(res.statusCode, res.body).toBe(200);
      expect((await events(second.code, 'customer.corrected'))[0]).toMatchObject({ mail: { redirected: 2 } });
      await deliverQueuedMail(db(), transport, new Date(Date.now() + 10 * 86_400_000));
      expect(await mails(first.code)).toEqual([[right, 'sent']]);
      expect(await mails(second.code)).toEqual([[right, 'sent']]);
      expect(await mails(other.code)).toEqual([[other.email, 'sent']]);
      const toRight = delivered.filter((m) => m.to === right);
      expect(toRight).toHaveLength(2);
      expect(toRight.some((m) => m.body.includes(first.code))).toBe(true);
      expect(toRight.some((m) => m.body.includes(second.code))).toBe(true);
      expect(delivered.some((m) => m.to === typo)).toBe(false);

      // A failure older than the resend window stays as it was.
      const stale = `${tag()}@gmial.com`;
      wrong.add(stale);
      const old = await file({ name: 'Trịnh Văn Cũ', subject: 'Bảo hành', description: 'Bảo hành.' }, { phone: randomPhone(), email: stale });
      await deliverForDays(9);
      await db().db.execute(sql`update outbound_messages set created_at = now() - interval '40 days' where to_address = ${stale}`);
      expect((await patchCustomer(old.customerId, { email: `${tag()}@gmail.com` })).statusCode).toBe(200);
      expect(await mails(old.code)).toEqual([[stale, 'failed']]);
      expect((await events(old.code, 'customer.corrected'))[0]).not.toHaveProperty('mail');

      // The email was someone else's: removed, the mail waiting for it is stopped and never sent.
      const stranger = `${tag()}@example.com`;
      const third = await file({ name: 'Hồ Văn Lạ', subject: 'Giao nhầm', description: 'Giao nhầm.' }, { phone: randomPhone(), email: stranger });
      const removed = await patchCustomer(third.customerId, { email: null, reason: 'Email của người khác' });
      expect(removed.statusCode, removed.body).toBe(200);
      expect((await events(third.code, 'customer.corrected'))[0]).toMatchObject({ mail: { stopped: 1 } });
      await deliverForDays(1);
      expect(await mails(third.code)).toEqual([[stranger, 'failed']]);
      expect(delivered.some((m) => m.to === stranger)).toBe(false);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('refuses with 409 a phone or email of another customer, and changes nothing', async () => {
    const mine = await file({ name: 'Trần Thị Một', subject: 'Hàng lỗi', description: 'Lỗi.' });
    const theirs = await file({ name: 'Trần Thị Hai', subject: 'Hàng thiếu', description: 'Thiếu.' });
    for (const payload of [
      { name: 'Trần Thị Mốt', phone: theirs.phone },
      { name: 'Trần Thị Mốt', email: theirs.email.toUpperCase() },
      { phone: `+84 ${theirs.phone.slice(1)}`, email: theirs.email },
    ]) {
      const res = await patchCustomer(mine.customerId, payload);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('contact_taken');
      expect(res.json().error.fields.map((f: { field: string; code: string }) => f.code)).toEqual(Object.keys(payload).filter((k) => k !== 'name').map(() => 'contact_taken'));
    }
    expect((await detail(mine.code)).customer).toMatchObject({ name: 'Trần Thị Một', phone: mine.phone, email: mine.email });
    expect((await detail(theirs.code)).customer).toMatchObject({ name: 'Trần Thị Hai', phone: theirs.phone, email: theirs.email });
    expect(await events(mine.code, 'customer.corrected')).toEqual([]);
    expect(await events(theirs.code, 'customer.corrected')).toEqual([]);
  });

  it('answers 422 with field-level errors, and 404 for no such customer', async () => {
    const c = await file({ name: 'Phạm Văn Lỗi', subject: 'Hỏng', description: 'Hỏng.' });
    const fields = async (payload: object) => {
      const res = await patchCustomer(c.customerId, payload);
      expect(res.statusCode, res.body).toBe(422);
      return (res.json().error.fields as { field: string; code: string }[]).map((f) => `${f.field}:${f.code}`);
    };
    expect(await fields({})).toEqual(['name:required']);
    expect(await fields({ name: ' \u200b ' })).toEqual(['name:required']);
    expect(await fields({ name: 'a'.repeat(201) })).toEqual(['name:too_long']);
    expect(await fields({ phone: '1900 1234' })).toEqual(['phone:phone_invalid']);
    expect(await fields({ email: 'not-an-email' })).toEqual(['email:email_invalid']);
    expect(await fields({ phone: null, email: '' })).toEqual(['phone:contact_required']);
    expect(await fields({ nickname: 'Lỗi' })).toEqual(['nickname:unknown_field']);
    expect(await fields({ name: 'Phạm\u0000' })).toEqual(['name:invalid_characters']);
    expect((await detail(c.code)).customer).toMatchObject({ name: 'Phạm Văn Lỗi', phone: c.phone, email: c.email });
    // One contact may go as long as the other stays.
    const dropped = await patchCustomer(c.customerId, { email: null });
    expect(dropped.statusCode, dropped.body).toBe(200);
    expect(dropped.json().customer).toMatchObject({ phone: c.phone, email: null });
    expect((await patchCustomer(NOBODY, { name: 'Ai đó' })).statusCode).toBe(404);
    const complaint = async (payload: object) => {
      const res = await patchComplaint(c.code, payload);
      expect(res.statusCode, res.body).toBe(422);
      return (res.json().error.fields as { field: string; code: string }[]).map((f) => `${f.field}:${f.code}`);
    };
    expect(await complaint({ subject: '   ', description: '' })).toEqual(['subject:required', 'description:required']);
    expect(await complaint({ subject: 'a'.repeat(301) })).toEqual(['subject:too_long']);
    expect(await complaint({ orderRef: 'a'.repeat(101) })).toEqual(['orderRef:too_long']);
    expect((await detail(c.code)).subject).toBe('Hỏng');
  });

  it("corrects a complaint's subject, description and order number: old and new in its timeline, and search follows", async () => {
    const [oldWord, newWord, oldOrder] = [tag(), tag(), tag()];
    const c = await file({ name: 'Đỗ Thị Sửa', subject: `Đồng hồ ${oldWord}`, description: `Mặt kính nứt ${oldWord}.`, orderRef: `DH-${oldOrder}` });
    expect(await found(oldWord)).toEqual([c.code]);
    const res = await patchComplaint(c.code, {
      subject: ` Đồng hồ ${newWord} `,
      description: `Mặt kính nứt ${newWord}; thẻ 4111 1111 1111 1111.`,
      orderRef: 'DH-2026-0042',
      priority: 'high',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ subject: `Đồng hồ ${newWord}`, orderRef: 'DH-2026-0042', priority: 'high' });
    expect(body.description).not.toContain('4111 1111 1111 1111');
    expect(await events(c.code, 'complaint.corrected')).toEqual([
      {
        changes: {
          subject: { old: `Đồng hồ ${oldWord}`, new: `Đồng hồ ${newWord}` },
          description: { old: `Mặt kính nứt ${oldWord}.`, new: body.description },
          orderRef: { old: `DH-${oldOrder}`, new: 'DH-2026-0042' },
        },
      },
    ]);
    expect(body.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['complaint.corrected', 'priority.changed']));
    expect(await found(newWord)).toEqual([c.code]);
    expect(await found(oldWord)).toEqual([]);
    expect(await found(oldOrder)).toEqual([]);
    expect(await found('DH-2026-0042')).toContain(c.code);
    // The customer sees the corrected subject, not the correction.
    const portal = (await app.inject({ url: `/api/v1/portal/complaints/${c.code}?contact=${encodeURIComponent(c.email)}` })).json();
    expect(portal.subject).toBe(`Đồng hồ ${newWord}`);
    expect(portal.timeline.map((e: { type: string }) => e.type)).not.toContain('complaint.corrected');
    // An order number sent empty is removed; the same texts again write nothing.
    expect((await patchComplaint(c.code, { orderRef: '', subject: `Đồng hồ ${newWord}` })).json().orderRef).toBeNull();
    expect((await events(c.code, 'complaint.corrected')).at(-1)).toEqual({ changes: { orderRef: { old: 'DH-2026-0042', new: null } } });
    expect(await events(c.code, 'complaint.corrected')).toHaveLength(2);
  });

  it("erasing the customer scrubs the corrections' old and new values, and the chain still verifies", async () => {
    const [oldWord, newWord, subjectWord] = [tag(), tag(), tag()];
    const c = await file({ name: `Vũ Thị Cũ ${oldWord}`, subject: `Bếp ${subjectWord}`, description: 'Bếp hỏng.', orderRef: `DH-${oldWord}` });
    const email = `${newWord}@example.com`;
    expect((await patchCustomer(c.customerId, { name: `Vũ Thị Mới ${newWord}`, email, reason: `Khách ${newWord} yêu cầu` })).statusCode).toBe(200);
    // A one-word lower-case subject: what an erasure keeps under `from`/`to`, so corrections never write those keys.
    expect((await patchComplaint(c.code, { subject: 'bep', orderRef: `DH-${newWord}` })).statusCode).toBe(200);
    const rootCauseId = (await db().db.execute<{ id: string }>(sql`select id from root_causes where slug = 'other'`)).rows[0].id;
    await resolveThroughProposal(db(), c.code, { rootCauseId });
    await transitionComplaint({ database: db(), actor: agentActor, code: c.code, to: 'closed' });
    const erased = await app.inject({ method: 'POST', url: `/api/v1/customers/${c.customerId}/anonymise`, payload: { reason: 'request' }, headers: admin.headers });
    expect(erased.statusCode, erased.body).toBe(200);
    const corrections = [...(await events(c.code, 'customer.corrected')), ...(await events(c.code, 'complaint.corrected'))];
    expect(corrections).toHaveLength(2);
    const text = JSON.stringify(corrections);
    for (const needle of [oldWord, newWord, subjectWord, c.email, c.phone.slice(1), '"bep"']) expect(text).not.toContain(needle);
    expect(corrections[0]).toMatchObject({ changes: { name: { old: REDACTED, new: REDACTED }, email: { old: REDACTED, new: REDACTED } }, reason: REDACTED });
    expect(corrections[1]).toMatchObject({ changes: { subject: { old: REDACTED, new: REDACTED }, orderRef: { old: REDACTED, new: REDACTED } } });
    const report = await verifyAudit(db());
    expect(report.problems.filter((p) => p.code === c.code)).toEqual([]);
    // An erased customer is not corrected any more.
    const after = await patchCustomer(c.customerId, { name: 'Ai đó' });
    expect(after.statusCode).toBe(409);
    expect(after.json().error.code).toBe('customer_anonymised');
  });
});
