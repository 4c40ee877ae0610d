import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, staffWithToken } from './factories';
import { deliverQueuedMail } from '../src/jobs/deliver-mail';

/** An agent writes to the customer from the complaint: mailed, on the timeline and the status page, a contact. */
describeEachDatabase('replies to the customer', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [agent, auditor] = await Promise.all([staffWithToken(db(), 'agent'), staffWithToken(db(), 'auditor')]);
  });
  afterAll(async () => {
    await app.close();
  });

  const file = async (customer: { name: string; phone: string; email?: string }) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      payload: { customer, subject: 'Máy lọc không khí kêu to', description: 'Kêu từ ngày thứ hai.', consent: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().code as string;
  };
  const send = (code: string, payload: object, headers: Record<string, string> = agent.headers) =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/replies`, payload, headers });
  const detail = async (code: string) => (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json();
  const mailsTo = async (to: string) =>
    (
      await db().db.execute<{ subject: string; text: string; html: string }>(sql`
        select subject, text, html from outbound_messages where to_address = ${to} order by created_at`)
    ).rows;

  it('stops a reply once when a colleague contacted the customer after what the writer had seen, saying who and when', async () => {
    const email = `va.cham.${Date.now()}@example.com`;
    const code = await file({ name: 'Đoàn Văn Chạm', phone: randomPhone(), email });
    const colleague = await staffWithToken(db(), 'agent');
    await db().db.execute(sql`update staff_users set name = 'Lê Thị Mai' where id = ${colleague.user.id}`);
    const seen = (d: { timeline: { seq: number | null }[] }) => Math.max(...d.timeline.map((e) => e.seq ?? 0));
    const opened = seen(await detail(code));
    // Mai answers first, while this agent is still writing.
    expect((await send(code, { body: 'Chào anh, bên em đã nhận.' }, colleague.headers)).statusCode).toBe(201);
    const mailsBefore = (await mailsTo(email)).length;
    const late = await send(code, { body: 'Chào anh, bên em xin phản hồi…', afterEvent: opened }, { ...agent.headers, 'accept-language': 'vi' });
    expect(late.statusCode, late.body).toBe(409);
    const error = late.json().error;
    expect(error.code).toBe('reply_collision');
    expect(error.contact).toMatchObject({ type: 'reply.sent', by: 'Lê Thị Mai' });
    const at = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date(error.contact.at))
      .replace(',', '');
    expect(error.message).toBe(`Trong lúc bạn soạn, khách hàng đã được liên hệ. Lê Thị Mai đã trả lời khách qua email lúc ${at}. Hãy đọc lại trước khi gửi thư của bạn.`);
    expect((await mailsTo(email)).length).toBe(mailsBefore);
    // Read (the page reloads the timeline), sent again: it goes.
    const read = seen(await detail(code));
    const again = await send(code, { body: 'Chào anh, bổ sung thêm…', afterEvent: read });
    expect(again.statusCode, again.body).toBe(201);
    // One's own reply since is no collision; a call Mai logs is, said in English to an English reader.
    const mine = seen(again.json());
    expect((await send(code, { body: 'Thêm một ý.', afterEvent: read })).statusCode).toBe(201);
    const call = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/contacts`, payload: { method: 'call', summary: 'Đã gọi khách.' }, headers: colleague.headers });
    expect(call.statusCode, call.body).toBe(201);
    const english = await send(code, { body: 'Hello.', afterEvent: mine }, { ...agent.headers, 'accept-language': 'en' });
    expect(english.statusCode).toBe(409);
    expect(english.json().error.message).toMatch(/^The customer was contacted while you were writing\. Lê Thị Mai logged a contact with the customer at \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\. Read it before you send yours\.$/);
    // An API client that says nothing of what it saw is not stopped.
    expect((await send(code, { body: 'Tin nhắn từ hệ thống khác.' })).statusCode).toBe(201);
  });

  it('mails the customer, records it on the timeline and their status page, and counts as the first contact', async () => {
    const email = `lan.${Date.now()}@example.com`;
    const code = await file({ name: 'Trần Thị Lan', phone: randomPhone(), email });
    const body = 'Chào chị Lan,\nChúng tôi sẽ đổi máy mới trong tuần này. <b>Xin lỗi</b> vì sự bất tiện.';
    const res = await send(code, { body: `  ${body}  ` });
    expect(res.statusCode, res.body).toBe(201);
    const shown = res.json();
    // The reply is the contact that stops the 48-working-hour clock; the complaint is acknowledged.
    expect(shown.status).toBe('acknowledged');
    expect(shown.clocks.find((c: { kind: string }) => c.kind === 'acknowledgement').state).toBe('met');
    const event = shown.timeline.find((e: { type: string }) => e.type === 'reply.sent');
    expect(event).toMatchObject({ actor: { type: 'agent', id: agent.user.id }, payload: { to: email, body } });
    expect(shown.timeline.find((e: { type: string }) => e.type === 'status.changed').payload).toMatchObject({ to: 'acknowledged', cause: 'contact' });
    // Queued to the customer beside the receipt, with the code in the subject, the agent's words, escaped in HTML.
    const [receipt, mail] = await mailsTo(email);
    expect(receipt.subject).toContain(code);
    expect(mail.subject).toBe(`[${code}] Phản hồi về khiếu nại: Máy lọc không khí kêu to`);
    expect(mail.text).toContain('Kính gửi Trần Thị Lan,');
    expect(mail.text).toContain(body);
    expect(mail.text).toContain(agent.user.name);
    expect(mail.html).toContain('&lt;b&gt;Xin lỗi&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Xin');
    // Sent: the outbox file carries it to the customer's address.
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-replies-'));
    await deliverQueuedMail(db(), { from: 'Sen <no-reply@sen.test>', outboxDir: dir });
    const sent = await Promise.all((await readdir(dir)).map(async (f) => simpleParser(await readFile(path.join(dir, f)))));
    const out = sent.find((m) => m.subject?.startsWith(`[${code}] Phản hồi`));
    expect(out?.to && 'text' in out.to ? out.to.text : null).toBe(email);
    expect(out?.text).toContain('Chúng tôi sẽ đổi máy mới trong tuần này.');
    // The customer sees the message on the status page; no staff name.
    const portal = await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(email)}` });
    const seen = portal.json().timeline.find((e: { type: string }) => e.type === 'reply.sent');
    expect(seen).toEqual({ type: 'reply.sent', at: event.at, body });
    // A later message of the customer starts the next-response clock; the next reply answers it.
    const asked = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${code}/messages`, payload: { contact: email, message: 'Khi nào giao máy?' } });
    expect(asked.statusCode, asked.body).toBe(201);
    expect((await detail(code)).clocks.find((c: { kind: string }) => c.kind === 'next_response').state).toBe('running');
    expect((await send(code, { body: 'Thứ sáu này ạ.' })).statusCode).toBe(201);
    expect((await detail(code)).clocks.find((c: { kind: string }) => c.kind === 'next_response').state).toBe('met');
  });

  it('a retry with the same Idempotency-Key sends nothing more; the same key with other words is refused', async () => {
    const email = `minh.${Date.now()}@example.com`;
    const code = await file({ name: 'Lê Văn Minh', phone: randomPhone(), email });
    const headers = { ...agent.headers, 'idempotency-key': `reply-${code}` };
    const [a, b] = await Promise.all([send(code, { body: 'Đã nhận.' }, headers), send(code, { body: 'Đã nhận.' }, headers)]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']]).toContain('true');
    expect((await detail(code)).timeline.filter((e: { type: string }) => e.type === 'reply.sent')).toHaveLength(1);
    expect(await mailsTo(email)).toHaveLength(2); // the receipt and one reply
    const other = await send(code, { body: 'Khác.' }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('refuses bad input and a customer without email, changing nothing; 401 and 403 as for every staff write', async () => {
    const code = await file({ name: 'Phạm Văn Gọi', phone: randomPhone() });
    const events = async () => (await detail(code)).timeline.length;
    const before = await events();
    const noEmail = await send(code, { body: 'Xin chào.' });
    expect(noEmail.statusCode).toBe(409);
    expect(noEmail.json().error.code).toBe('customer_has_no_email');
    expect(noEmail.json().error.message).toContain('Khách hàng chưa có email');
    for (const payload of [{ body: '   ' }, { body: '' }, {}, { body: 'x', cc: 'a@b.vn' }, { body: 'x'.repeat(10_001) }]) {
      const res = await send(code, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().error.fields.length).toBeGreaterThan(0);
    }
    expect((await detail(code)).status).toBe('received');
    expect(await events()).toBe(before);
    expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/replies`, payload: { body: 'x' } })).statusCode).toBe(401);
    expect((await send(code, { body: 'x' }, auditor.headers)).statusCode).toBe(403);
    expect((await send('KN-2026-999999', { body: 'x' })).statusCode).toBe(404);
  });
});
