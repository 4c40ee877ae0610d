import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { TEST_DATA_DIR, buildTestApp, randomPhone, staffWithToken } from './factories';
import { deliverQueuedSms, queueSmsReceipts, type SmsGateway } from '../src/jobs/sms';
import { anonymiseCustomer } from '../src/commands/anonymise-customer';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { LocalFileStore } from '../src/files/store';

interface Received {
  auth: string | undefined;
  body: { to: string; text: string; sender?: string; reference: string };
}

/** Tin nhắn SMS: customers who gave a phone and no email get their receipt by SMS, through a gateway over HTTP. */
describeEachDatabase('SMS receipts', (db) => {
  let app: FastifyInstance;
  let gatewayServer: Server;
  let gateway: SmsGateway;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  const received: Received[] = [];
  /** What the gateway answers next: a status and a body. */
  let answer: { status: number; body: string } = { status: 200, body: '{"id":"gw-1"}' };

  beforeAll(async () => {
    agent = await staffWithToken(db(), 'agent');
    gatewayServer = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(raw) });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((r) => gatewayServer.listen(0, '127.0.0.1', r));
    gateway = { url: `http://127.0.0.1:${(gatewayServer.address() as { port: number }).port}/send`, token: 'bi-mat', sender: 'DIENMAYSEN' };
    app = await buildTestApp(db(), { companyName: 'Điện máy Sen', sms: gateway });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((r) => gatewayServer.close(() => r()));
  });

  const file = async (customer: { name: string; phone: string; email?: string }) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: { customer, subject: 'Quạt kêu to', description: 'Kêu từ hôm qua.', consent: true } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().code as string;
  };
  const texts = async (code: string) =>
    (
      await db().db.execute<{ to_phone: string; text: string; status: string; attempts: number; last_error: string | null; provider_ref: string | null }>(sql`
        select s.to_phone, s.text, s.status, s.attempts, s.last_error, s.provider_ref from sms_messages s join complaints c on c.id = s.complaint_id where c.code = ${code}`)
    ).rows;
  const queue = () => queueSmsReceipts({ database: db(), baseUrl: 'https://sen.example.vn', companyName: 'Điện máy Sen' });

  it('texts the receipt once to a customer without email, none to one with; the gateway gets it with the token; staff see it', async () => {
    const phone = randomPhone();
    const code = await file({ name: 'Lò Văn Sáu', phone });
    const withEmail = await file({ name: 'Hà Thị Thư', phone: randomPhone(), email: `thu.${Date.now()}@example.com` });
    // Two processes' jobs at once: one text.
    await Promise.all([queue(), queue()]);
    await queue();
    const [sms] = await texts(code);
    expect(await texts(code)).toHaveLength(1);
    expect(await texts(withEmail)).toEqual([]);
    expect(sms.to_phone).toBe(`+84${phone.replace(/^0/, '').replace(/\s/g, '')}`);
    expect(sms.text).toMatch(new RegExp(`^Dien may Sen: Da tiep nhan khieu nai ${code} luc \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}\\. Chung toi se lien he Quy khach truoc \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}\\. Tra cuu: https://sen\\.example\\.vn/tra-cuu\\?code=${code}$`));

    answer = { status: 200, body: '{"id":"gw-777"}' };
    const before = received.length;
    expect((await deliverQueuedSms(db(), gateway)).sent).toBeGreaterThan(0);
    const got = received.slice(before).find((r) => r.body.text.includes(code));
    expect(got).toMatchObject({ auth: 'Bearer bi-mat', body: { to: sms.to_phone, text: sms.text, sender: 'DIENMAYSEN' } });
    expect((await texts(code))[0]).toMatchObject({ status: 'sent', provider_ref: 'gw-777', last_error: null });
    // Sent once: the next run sends nothing more.
    const after = received.length;
    await deliverQueuedSms(db(), gateway);
    expect(received.length).toBe(after);

    const shown = (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json();
    expect(shown.timeline.find((e: { type: string }) => e.type === 'sms.outbound')).toMatchObject({ channel: 'sms', payload: { to: sms.to_phone, text: sms.text, status: 'sent' } });
  });

  it('a busy or absent gateway is tried again with back-off; a refusal is final, with its reason', async () => {
    const busy = await file({ name: 'Mạc Văn Chờ', phone: randomPhone() });
    await queue();
    answer = { status: 503, body: 'quá tải' };
    const first = await deliverQueuedSms(db(), gateway);
    expect(first.failed).toBeGreaterThan(0);
    expect((await texts(busy))[0]).toMatchObject({ status: 'queued', attempts: 1, last_error: '503 quá tải' });
    // Not before its back-off.
    answer = { status: 200, body: 'OK' };
    const early = received.length;
    await deliverQueuedSms(db(), gateway);
    expect(received.length).toBe(early);
    // No gateway answering at all: tried again too.
    await deliverQueuedSms(db(), { ...gateway, url: 'http://127.0.0.1:1/send' }, new Date(Date.now() + 90_000));
    expect((await texts(busy))[0]).toMatchObject({ status: 'queued', attempts: 2 });
    await deliverQueuedSms(db(), gateway, new Date(Date.now() + 10 * 60_000));
    expect((await texts(busy))[0]).toMatchObject({ status: 'sent', attempts: 3, provider_ref: null });

    const wrong = await file({ name: 'Số Sai', phone: randomPhone() });
    await queue();
    answer = { status: 400, body: '{"error":"invalid number"}' };
    await deliverQueuedSms(db(), gateway);
    expect((await texts(wrong))[0]).toMatchObject({ status: 'failed', attempts: 1, last_error: '400 {"error":"invalid number"}' });
    answer = { status: 200, body: '{}' };
    const later = received.length;
    await deliverQueuedSms(db(), gateway, new Date(Date.now() + 86_400_000));
    expect(received.filter((r, i) => i >= later && r.body.text.includes(wrong))).toEqual([]);
  });

  it('an erased customer’s text waiting to go is blanked and never sent', async () => {
    const code = await file({ name: 'Xóa Thị Quên', phone: randomPhone() });
    await queue();
    const { rows: [c] } = await db().pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [code]);
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-sms-erase-'));
    const actor = { kind: 'agent' as const, id: agent.user.id, channel: 'console' as const };
    await transitionComplaint({ database: db(), actor, code, to: 'withdrawn', reason: 'Khách rút khiếu nại' });
    await anonymiseCustomer({ database: db(), files: LocalFileStore.inDataDir(TEST_DATA_DIR), actor, customerId: c.customer_id, reason: 'request', ledgerDir: dir });
    const [sms] = await texts(code);
    expect(sms).toMatchObject({ to_phone: '', status: 'failed', last_error: 'personal data erased' });
    expect(sms.text).not.toContain(code);
    const before = received.length;
    answer = { status: 200, body: '{}' };
    await deliverQueuedSms(db(), gateway, new Date(Date.now() + 86_400_000));
    expect(received.slice(before).some((r) => r.body.text.includes(code))).toBe(false);
    // Nor queued again.
    await queue();
    expect(await texts(code)).toHaveLength(1);
  });

  it('an agent texts the customer from the complaint: queued and on the timeline as a contact, on the status page, sent once', async () => {
    const phone = randomPhone();
    const code = await file({ name: 'Vàng A Páo', phone });
    const send = (payload: object, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/sms`, payload, headers: { ...agent.headers, 'accept-language': 'vi', ...headers } });
    // Refused, nothing changed: nothing to send, or more than two SMS parts once folded.
    const empty = await send({ text: '   ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.fields).toEqual([{ field: 'text', code: 'required', message: 'Trường này là bắt buộc.' }]);
    const long = await send({ text: 'Đổi máy '.repeat(40) });
    expect(long.statusCode).toBe(422);
    expect(long.json().error.fields[0]).toMatchObject({ field: 'text', code: 'too_long' });
    const shownBefore = (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json();
    expect(shownBefore).toMatchObject({ status: 'received', smsAvailable: true });
    const textsBefore = (await texts(code)).length;

    const headers = { 'idempotency-key': `sms-${code}` };
    const [a, b] = await Promise.all([send({ text: 'Chào anh Páo, máy mới sẽ giao thứ Sáu – cảm ơn anh!' }, headers), send({ text: 'Chào anh Páo, máy mới sẽ giao thứ Sáu – cảm ơn anh!' }, headers)]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const shown = a.json();
    // A contact as a reply is: the complaint is acknowledged.
    expect(shown.status).toBe('acknowledged');
    const events = shown.timeline.filter((e: { type: string }) => e.type === 'sms.sent');
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({ to: `+84${phone.replace(/^0/, '').replace(/\s/g, '')}`, text: 'Chao anh Pao, may moi se giao thu Sau - cam on anh!' });
    const queued = (await texts(code)).filter((t) => t.text.startsWith('Chao anh Pao'));
    expect(queued).toHaveLength(1);
    expect((await texts(code)).length).toBe(textsBefore + 1);
    // The customer's status page shows it.
    const portal = await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(phone)}` });
    expect(portal.json().timeline.find((e: { type: string }) => e.type === 'sms.sent')).toEqual({ type: 'sms.sent', at: events[0].at, body: events[0].payload.text });
    // Sent through the gateway.
    answer = { status: 200, body: '{"id":"gw-9"}' };
    const before = received.length;
    await deliverQueuedSms(db(), gateway);
    expect(received.slice(before).map((r) => r.body.text)).toContain('Chao anh Pao, may moi se giao thu Sau - cam on anh!');

    // A customer who gave only an email cannot be texted; a Sen without a gateway texts no one.
    const byEmail = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      payload: { customer: { name: 'Chỉ Email', email: `chi.email.${Date.now()}@example.com` }, subject: 'Không có số', description: 'Chỉ có email.', consent: true },
    });
    expect(byEmail.statusCode, byEmail.body).toBe(201);
    const noPhone = await app.inject({ method: 'POST', url: `/api/v1/complaints/${byEmail.json().code}/sms`, payload: { text: 'Xin chào' }, headers: agent.headers });
    expect(noPhone.statusCode).toBe(409);
    expect(noPhone.json().error.code).toBe('customer_has_no_phone');
    const plain = await buildTestApp(db());
    try {
      const off = await plain.inject({ method: 'POST', url: `/api/v1/complaints/${code}/sms`, payload: { text: 'Xin chào' }, headers: agent.headers });
      expect(off.statusCode).toBe(409);
      expect(off.json().error.code).toBe('sms_not_configured');
      expect((await plain.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json().smsAvailable).toBe(false);
    } finally {
      await plain.close();
    }
  });
});
