/**
 * Card numbers typed by customers or staff are masked before anything is stored (domain/payment-cards.ts):
 * on the portal, in a mail, in a message, a note, a logged call, a survey comment. Checked in every table
 * and in the mail Sen sends back, on both databases.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseInboundMail } from '../src/channels/email/parse';
import { receiveEmail } from '../src/commands/receive-email';
import { LocalFileStore } from '../src/files/store';
import { describeEachDatabase, type TestDatabase } from './db';
import { PNG, TEST_DATA_DIR, buildTestApp, multipart, randomPhone, staffWithToken, testConfig } from './factories';

const CARD = '4111 1111 1111 1111';
const NAPAS = '9704 3612 3456 7895'; // a Vietnamese bank's card (NAPAS), check digit right
const ACCOUNT = '0071001234567'; // a bank account given for the refund: kept
const config = testConfig();

/** Every text of every row of the tables a complaint's data goes to, as one string per row. */
async function everyRow(database: TestDatabase): Promise<string[]> {
  const tables = ['complaints', 'timeline_events', 'outbound_messages', 'calls', 'mail_messages', 'customers'];
  const out: string[] = [];
  for (const t of tables) {
    const r = await database.pool.query(`select row_to_json(x)::text as j from ${t} x`);
    out.push(...r.rows.map((row: { j: string }) => `${t}: ${row.j}`));
  }
  return out;
}
const digitsOf = (card: string) => card.replace(/ /g, '');

describeEachDatabase('card numbers in what customers and staff type', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
  });
  afterAll(async () => app?.close());

  it('are masked to their last four digits everywhere they would be kept; a bank account for the refund is not', async () => {
    const phone = randomPhone();
    const email = `the.${randomUUID().slice(0, 8)}@example.com`;
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        customer: { name: 'Lâm Thị Thẻ', phone, email },
        subject: `Bị trừ tiền hai lần thẻ ${CARD}`,
        description: `Tôi thanh toán đơn DH-1234 bằng thẻ ${CARD} (hết hạn 12/28) nhưng bị trừ tiền hai lần. Xin hoàn vào tài khoản ${ACCOUNT}.`,
        consent: true,
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const code = (filed.json() as { code: string }).code;
    const message = await app.inject({
      method: 'POST',
      url: `/api/v1/portal/complaints/${code}/messages`,
      payload: { contact: phone, message: `Tôi gửi thêm số thẻ ATM ${NAPAS} để đối chiếu.` },
    });
    expect(message.statusCode, message.body).toBe(201);
    const note = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/notes`, headers: agent.headers, payload: { body: `Khách đọc số thẻ ${digitsOf(CARD)} qua điện thoại` } });
    expect(note.statusCode, note.body).toBeLessThan(300);
    const raw = Buffer.from(
      [`From: "Khach" <${email}>`, 'To: khieunai@localhost', `Subject: Re: [${code}] the ${digitsOf(NAPAS)}`, `Message-ID: <${randomUUID()}@example.com>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `Số thẻ của tôi là ${NAPAS}.`, ''].join('\r\n'),
    );
    const reply = await receiveEmail({ database: db(), files: LocalFileStore.inDataDir(TEST_DATA_DIR), raw, mail: await parseInboundMail(raw), envelopeFrom: email, receipt: { baseUrl: config.baseUrl, companyName: config.companyName } });
    expect(reply.outcome).toBe('threaded');

    const rows = (await everyRow(db())).filter((r) => r.includes(code) || r.includes('Lâm Thị Thẻ') || r.includes('1111') || r.includes('7895'));
    const all = rows.join('\n');
    for (const card of [CARD, NAPAS]) {
      expect(all).not.toContain(card);
      expect(all).not.toContain(digitsOf(card));
      expect(all).not.toContain(digitsOf(card).slice(0, 12));
    }
    // What stands in their place, in the complaint, its timeline and the receipt mailed to the customer.
    const complaint = (await db().pool.query('select subject, description from complaints where code = $1', [code])).rows[0];
    expect(complaint.subject).toBe('Bị trừ tiền hai lần thẻ **** **** **** 1111');
    expect(complaint.description).toContain('bằng thẻ **** **** **** 1111 (hết hạn 12/28)');
    expect(complaint.description).toContain(`tài khoản ${ACCOUNT}.`);
    const bodies = (await db().pool.query(
      `select e.type, e.payload->>'body' as body from timeline_events e join complaints c on c.id = e.complaint_id where c.code = $1 and e.payload ? 'body' order by e.seq`,
      [code],
    )).rows as { type: string; body: string }[];
    expect(bodies.map((b) => b.body)).toEqual([
      'Tôi gửi thêm số thẻ ATM **** **** **** 7895 để đối chiếu.',
      'Khách đọc số thẻ ************1111 qua điện thoại',
      'Số thẻ của tôi là **** **** **** 7895.',
    ]);
    // The copy of the mail kept as evidence: masked too, as any mail client would read it.
    const kept = (await db().pool.query<{ raw_sha256: string }>(
      `select m.raw_sha256 from mail_messages m join complaints c on c.id = m.complaint_id where c.code = $1 and m.direction = 'in'`, [code])).rows;
    expect(kept).toHaveLength(1);
    const copy = await simpleParser(await LocalFileStore.inDataDir(TEST_DATA_DIR).get(kept[0].raw_sha256));
    expect(copy.text).toContain('Số thẻ của tôi là **** **** **** 7895.');
    expect(copy.subject).toBe(`Re: [${code}] the ************7895`);
    expect(`${copy.text}${copy.subject}`).not.toContain(digitsOf(NAPAS).slice(0, 12));
    const receipt = (await db().pool.query('select subject, text from outbound_messages where to_address = $1', [email])).rows[0];
    expect(`${receipt.subject}\n${receipt.text}`).toContain('**** **** **** 1111');
  });

  it('a logged call’s notes and a new complaint by mail are masked too', async () => {
    const call = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers: { ...agent.headers, 'idempotency-key': randomUUID() },
      payload: {
        caller: randomPhone(),
        startedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        notes: `Khách đọc số thẻ ${CARD} để kiểm tra giao dịch`,
        complaint: { customerName: 'Khách Gọi', subject: 'Giao dịch thẻ lỗi', description: `Thẻ ${CARD} bị từ chối nhưng vẫn trừ tiền.`, consent: true },
      },
    });
    expect(call.statusCode, call.body).toBeLessThan(300);
    const from = `moi.${randomUUID().slice(0, 8)}@example.com`;
    const raw = Buffer.from(
      [`From: "Moi" <${from}>`, 'To: khieunai@localhost', `Subject: Thẻ ${digitsOf(CARD)} bị khóa`, `Message-ID: <${randomUUID()}@example.com>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `Thẻ ${CARD} của tôi bị khóa sau khi mua hàng.`, ''].join('\r\n'),
    );
    const created = await receiveEmail({ database: db(), files: LocalFileStore.inDataDir(TEST_DATA_DIR), raw, mail: await parseInboundMail(raw), envelopeFrom: from, receipt: { baseUrl: config.baseUrl, companyName: config.companyName } });
    expect(created.outcome).toBe('created');
    const all = (await everyRow(db())).join('\n');
    expect(all).not.toContain(digitsOf(CARD));
    expect(all).not.toContain(CARD);
    expect(all).toContain('Thẻ ************1111 bị khóa');
    expect(all).toContain('Khách đọc số thẻ **** **** **** 1111 để kiểm tra giao dịch');
  });

  it('what staff type that leaves the company or records money is masked: proposals, requests, consultations, reasons, file names', async () => {
    const phone = randomPhone();
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      headers: { 'idempotency-key': randomUUID() },
      payload: { customer: { name: 'Khách Hoàn Tiền', phone }, subject: 'Hoàn tiền', description: 'Xin hoàn tiền.', orderRef: `the ${digitsOf(NAPAS)}`, consent: true },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const code = (filed.json() as { code: string }).code;
    const post = async (url: string, payload: object | Buffer, headers: Record<string, string> = {}) => {
      const r = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}${url}`, headers: { ...agent.headers, ...headers }, payload });
      expect(r.statusCode, `${url}: ${r.body}`).toBeLessThan(300);
      return r;
    };
    const upload = multipart({}, [{ filename: `the ${digitsOf(CARD)}.png`, type: 'image/png', content: PNG }]);
    await post('/attachments', upload.payload, upload.headers);
    await post('/transitions', { to: 'acknowledged' });
    await post('/transitions', { to: 'investigating', reason: `Khách báo thẻ ${CARD} 123 bị trừ tiền` });
    await post('/information-requests', { items: [{ kind: 'other', text: `Sao kê thẻ ${NAPAS}` }], message: `Anh/chị gửi sao kê của thẻ ${CARD}.` });
    await post('/consultations', { kind: 'external', partyName: 'Ngân hàng A', partyEmail: 'tra-soat@nganhang.vn', question: `Tra soát giao dịch thẻ ${digitsOf(CARD)} 12/27 ngày 20/11.` });
    await post('/proposals', { kind: 'refund', amountVnd: 1_850_000, description: `Hoàn 1.850.000 đ về thẻ ${CARD}, hoặc tài khoản ${ACCOUNT}.` });

    const tables = ['complaints', 'timeline_events', 'outbound_messages', 'attachments', 'info_requests', 'consultations', 'proposals'];
    const rows: string[] = [];
    for (const t of tables) {
      const r = await db().pool.query(`select row_to_json(x)::text as j from ${t} x`);
      rows.push(...r.rows.map((row: { j: string }) => `${t}: ${row.j}`));
    }
    const all = rows.join('\n');
    for (const card of [CARD, NAPAS]) {
      expect(all).not.toContain(card);
      expect(all).not.toContain(digitsOf(card));
    }
    expect(all).toContain('Hoàn 1.850.000 đ về thẻ **** **** **** 1111, hoặc tài khoản 0071001234567.');
    expect(all).toContain('Tra soát giao dịch thẻ ************1111 12/27 ngày 20/11.');
    expect(all).toContain('Khách báo thẻ **** **** **** 1111 123 bị trừ tiền');
    expect(all).toContain('the ____________1111.png'); // '*' is not allowed in a file name on Windows: '_'
    expect(all).toContain('the ************7895');
  });
});
