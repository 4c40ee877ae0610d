import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { SMTPServer } from 'smtp-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { TEST_DATA_DIR, buildTestApp, staffWithToken } from './factories';
import { createSmtpListener } from '../src/channels/email/smtp-listener';
import { LocalFileStore } from '../src/files/store';
import { offThreadParses } from '../src/channels/email/parse-pool';
import { findComplaint } from '../src/db/queries/complaints';
import { openDatabase, type Database } from '../src/db/open';
import { verifyAudit } from '../src/commands/verify-audit';
import { deliverQueuedMail } from '../src/jobs/deliver-mail';
import { parseInboundMail } from '../src/channels/email/parse';
import { loadConfig } from '../src/config';
import { updateSlaPolicy } from '../src/commands/update-sla-policy';
import { forgetSlaContext } from '../src/db/queries/settings';
import { DEFAULT_SLA } from '../src/domain/sla';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const INTAKE = ['khieunai@sen.test', 'cskh@sen.test'];

async function listen(database: Database, maxBytes = 2 * 1024 * 1024, maxClients?: number): Promise<{ server: SMTPServer; port: number }> {
  const server = createSmtpListener({
    database,
    files: LocalFileStore.inDataDir(TEST_DATA_DIR),
    intakeAddresses: INTAKE,
    maxBytes,
    maxClients,
    receipt: { baseUrl: 'http://sen.test', companyName: 'Công ty Sen' },
    hostname: 'sen.test',
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.server.address() as { port: number }).port };
}

/** Sends over a real SMTP conversation; resolves with the server's final answer or its refusal. */
async function send(port: number, mail: SendMailOptions): Promise<{ ok: boolean; response: string; code?: number }> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, tls: { rejectUnauthorized: false } });
  try {
    const info = await t.sendMail(mail);
    return { ok: true, response: info.response };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message: string };
    return { ok: false, response: e.response ?? e.message, code: e.responseCode };
  } finally {
    t.close();
  }
}

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', 'mail', name));

describeEachDatabase('email intake over SMTP', (db) => {
  let server: SMTPServer;
  let port = 0;
  beforeAll(async () => {
    ({ server, port } = await listen(db()));
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const complaintsFrom = async (email: string) =>
    (await db().db.execute<{ code: string; channel: string }>(sql`
      select c.code, c.channel from complaints c join customers cu on cu.id = c.customer_id where cu.email = ${email} order by c.code`)).rows;
  const typesOf = async (code: string) =>
    (await db().db.execute<{ type: string }>(sql`
      select e.type from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`)).rows.map((r) => r.type);

  it('a new mail becomes a complaint with its attachment as evidence, answered 250 with the code, and a receipt is queued', async () => {
    const from = `lan.${Date.now()}@khach.vn`;
    const r = await send(port, {
      from: { name: 'Trần Thị Lan', address: from },
      to: 'khieunai@sen.test',
      subject: 'Khiếu nại: máy lọc nước rò rỉ',
      text: 'Máy lọc nước mua ngày 02/11 bị rò rỉ nước ở đáy. Tôi gửi kèm hoá đơn.',
      attachments: [{ filename: 'hóa đơn.pdf', content: PDF, contentType: 'application/pdf' }],
    });
    expect(r.ok, r.response).toBe(true);
    const [c] = await complaintsFrom(from);
    expect(r.response).toContain(c.code);
    const row = (await findComplaint(db(), c.code))!;
    expect(row.channel).toBe('email');
    expect(row.customer.name).toBe('Trần Thị Lan');
    expect(row.subject).toBe('Khiếu nại: máy lọc nước rò rỉ');
    const files = await db().db.execute<{ filename: string; content_type: string }>(sql`select filename, content_type from attachments where complaint_id = ${row.id}`);
    expect(files.rows).toEqual([{ filename: 'hóa đơn.pdf', content_type: 'application/pdf' }]);
    const receipt = await db().db.execute<{ to_address: string; subject: string }>(sql`select to_address, subject from outbound_messages where complaint_id = ${row.id}`);
    expect(receipt.rows).toEqual([{ to_address: from, subject: expect.stringContaining(`[${c.code}]`) }]);
  });

  it('a fault while listing the attachments stores nothing (451, no complaint, no number used); the retry stores it whole, in one chain', async () => {
    // A fault inside the write, after the complaint row: the attachments table refuses this file.
    await db().db.execute(sql.raw(`
      create or replace function sen_test_refuse_file() returns trigger language plpgsql as $$
      begin if new.filename = 'biên bản lỗi.pdf' then raise exception 'disk full (test)'; end if; return new; end $$`));
    await db().db.execute(sql.raw(`create trigger sen_test_refuse_file before insert on attachments for each row execute function sen_test_refuse_file()`));
    const from = `hoa.${Date.now()}@khach.vn`;
    const mail = {
      from: { name: 'Phan Thị Hoa', address: from },
      to: 'khieunai@sen.test',
      subject: 'Khiếu nại: nồi cơm điện chập điện',
      text: 'Nồi cơm điện chập điện sau 1 tuần. Biên bản đính kèm.',
      messageId: `<loi-ghi-${Date.now()}@khach.vn>`,
      attachments: [{ filename: 'biên bản lỗi.pdf', content: PDF, contentType: 'application/pdf' }],
    };
    const lastCode = async () => (await db().db.execute<{ code: string }>(sql`select max(code) as code from complaints`)).rows[0].code;
    const before = await lastCode();
    let r;
    try {
      r = await send(port, mail);
    } finally {
      await db().db.execute(sql.raw(`drop trigger sen_test_refuse_file on attachments`));
    }
    expect(r.code, r.response).toBe(451);
    expect(await complaintsFrom(from)).toEqual([]);
    expect(await lastCode()).toBe(before);

    const retry = await send(port, mail);
    expect(retry.ok, retry.response).toBe(true);
    const [c] = await complaintsFrom(from);
    // The number the failed try did not keep is the one this complaint has: no gap.
    expect(Number(c.code.slice(-6))).toBe((before ? Number(before.slice(-6)) : 0) + 1);
    expect(await typesOf(c.code)).toEqual(['complaint.created', 'attachments.added']);
    const row = (await findComplaint(db(), c.code))!;
    const files = await db().db.execute<{ filename: string; event_id: number }>(sql`select filename, event_id from attachments where complaint_id = ${row.id}`);
    expect(files.rows).toEqual([{ filename: 'biên bản lỗi.pdf', event_id: 2 }]);
    const mails = await db().db.execute<{ direction: string }>(sql`select direction from mail_messages where complaint_id = ${row.id} order by direction`);
    expect(mails.rows.map((m) => m.direction)).toEqual(['in', 'out']);
    expect((await verifyAudit(db())).problems.filter((p) => p.code === c.code)).toEqual([]);
  });

  it('a file that cannot be written stores nothing (451, no complaint); the retry stores the mail and its files', async () => {
    // The evidence folder is a file: every write fails, the attachment's and the message's, whichever fails first.
    const blocked = path.join(TEST_DATA_DIR, `not-a-folder-${Date.now()}`);
    writeFileSync(blocked, 'x');
    const broken = createSmtpListener({
      database: db(),
      files: new LocalFileStore(blocked),
      intakeAddresses: INTAKE,
      maxBytes: 2 * 1024 * 1024,
      receipt: { baseUrl: 'http://sen.test', companyName: 'Công ty Sen' },
      hostname: 'sen.test',
    });
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const from = `khoa.${Date.now()}@khach.vn`;
    const content = Buffer.concat([PDF, Buffer.from(from)]);
    const mail = {
      from: { name: 'Lý Văn Khoa', address: from },
      to: 'khieunai@sen.test',
      subject: 'Khiếu nại: tủ lạnh không lạnh',
      text: 'Tủ lạnh mua tuần trước không lạnh. Hoá đơn đính kèm.',
      messageId: `<ghi-tep-${Date.now()}@khach.vn>`,
      attachments: [{ filename: 'hoá đơn tủ lạnh.pdf', content, contentType: 'application/pdf' }],
    };
    try {
      const r = await send((broken.server.address() as { port: number }).port, mail);
      expect(r.code, r.response).toBe(451);
    } finally {
      await new Promise<void>((r) => broken.close(() => r()));
    }
    expect(await complaintsFrom(from)).toEqual([]);
    const retry = await send(port, mail);
    expect(retry.ok, retry.response).toBe(true);
    const [c] = await complaintsFrom(from);
    const row = (await findComplaint(db(), c.code))!;
    const stored = await db().db.execute<{ sha256: string }>(sql`select sha256 from attachments where complaint_id = ${row.id}`);
    expect(stored.rows).toHaveLength(1);
    expect((await LocalFileStore.inDataDir(TEST_DATA_DIR).get(stored.rows[0].sha256)).equals(content)).toBe(true);
  });

  it('a supplier’s reply to Sen’s consultation mail answers that consultation; a later reply to it is set aside, never a complaint', async () => {
    const customer = `thu.${Date.now()}@khach.vn`;
    await send(port, { from: customer, to: 'khieunai@sen.test', subject: 'Tủ lạnh giao sai mẫu', text: 'Tôi đặt mẫu 300 lít, nhận mẫu 250 lít.' });
    const [c] = await complaintsFrom(customer);
    const app = await buildTestApp(db());
    const agent = await staffWithToken(db(), 'agent');
    const supplier = `kho.${Date.now()}@ncc.example`;
    const asked = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${c.code}/consultations`,
      headers: agent.headers,
      payload: { kind: 'external', partyName: 'Kho Điện Máy Miền Nam', partyEmail: supplier, question: 'Phiếu xuất kho đơn này ghi mẫu nào?' },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const id = (asked.json() as { consultation: { id: string } }).consultation.id;
    await app.close();
    const sent = (await db().db.execute<{ message_id: string }>(sql`select message_id from outbound_messages where to_address = ${supplier}`)).rows[0].message_id;
    const reply = {
      from: { name: 'Kho Điện Máy', address: supplier },
      to: 'khieunai@sen.test',
      subject: `Re: [${c.code}] Đề nghị phối hợp xác minh`,
      text: 'Phiếu xuất kho PX-5521 ghi mẫu 250 lít: kho đã xuất nhầm.',
      inReplyTo: sent,
      references: [sent],
      messageId: `<px-5521.${Date.now()}@ncc.example>`,
      attachments: [{ filename: 'phiếu xuất kho.pdf', content: PDF, contentType: 'application/pdf' }],
    };
    const r = await send(port, reply);
    expect(r.ok, r.response).toBe(true);
    expect(r.response).toContain(c.code);
    const k = await db().db.execute<{ status: string; answer: string }>(sql`select status, answer from consultations where id = ${id}`);
    expect(k.rows[0]).toEqual({ status: 'answered', answer: 'Phiếu xuất kho PX-5521 ghi mẫu 250 lít: kho đã xuất nhầm.' });
    const files = await db().db.execute<{ filename: string }>(sql`select filename from attachments where consultation_id = ${id}`);
    expect(files.rows).toEqual([{ filename: 'phiếu xuất kho.pdf' }]);
    // Not the customer's word: no customer message, and the supplier is no customer.
    const types = await typesOf(c.code);
    expect(types).toContain('consultation.answered');
    expect(types).not.toContain('message.received');
    expect(await complaintsFrom(supplier)).toEqual([]);
    // Delivered again: recognised, nothing more.
    expect((await send(port, reply)).ok).toBe(true);
    expect(await typesOf(c.code)).toEqual(types);
    // A further reply on the answered consultation — quoting Sen's mail and the supplier's own answer, as mail
    // clients do — waits in the not-a-complaint log for an agent; it is not the customer's word.
    const later = await send(port, {
      ...reply,
      messageId: `<px-5521-b.${Date.now()}@ncc.example>`,
      inReplyTo: reply.messageId,
      references: [sent, reply.messageId],
      text: 'Bổ sung: kho sẽ đổi hàng trong tuần.',
      attachments: [],
    });
    expect(later.ok, later.response).toBe(true);
    const aside = await db().db.execute<{ kind: string; reason: string }>(sql`select kind, reason from inbound_rejects where from_address = ${supplier}`);
    expect(aside.rows).toEqual([{ kind: 'third_party', reason: expect.stringContaining(c.code) }]);
    expect(await complaintsFrom(supplier)).toEqual([]);
    expect(await typesOf(c.code)).toEqual(types);
  });

  it('the receipt leaves in the customer’s thread (In-Reply-To, References), replies go to the intake address, and it can never loop back in', async () => {
    const from = `quang.${Date.now()}@khach.vn`;
    const customerId = `don-hang-77.${Date.now()}@khach.vn`;
    await send(port, { from, to: 'khieunai@sen.test', subject: 'Máy giặt kêu to', text: 'Máy giặt kêu to khi vắt.', messageId: `<${customerId}>` });
    const [c] = await complaintsFrom(from);
    const receipt = (await db().db.execute<{ id: string }>(sql`
      select o.id from outbound_messages o join complaints c on c.id = o.complaint_id where c.code = ${c.code} and o.to_address = ${from}`)).rows[0];
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-outbox-'));
    await deliverQueuedMail(db(), { from: 'Sen <no-reply@sen.test>', replyTo: 'khieunai@sen.test', outboxDir: dir });
    const eml = await readFile(path.join(dir, `${receipt.id}.eml`));
    const sent = await parseInboundMail(eml);
    expect(sent.inReplyTo).toEqual([customerId]);
    expect(sent.references).toEqual([customerId]);
    expect(sent.headers.get('reply-to')).toBe('khieunai@sen.test');
    expect(sent.headers.get('auto-submitted')).toBe('auto-generated');
    // Should it come back (a customer's server bouncing it to the intake address), it is set aside, never answered.
    const back = await new Promise<{ ok: boolean; response: string }>((resolve) => {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      t.sendMail({ envelope: { from, to: ['khieunai@sen.test'] }, raw: eml }).then(
        (info) => resolve({ ok: true, response: info.response }),
        (err: Error) => resolve({ ok: false, response: err.message }),
      ).finally(() => t.close());
    });
    expect(back.ok, back.response).toBe(true);
    const aside = await db().db.execute<{ kind: string }>(sql`select kind from inbound_rejects where message_id = ${sent.messageId}`);
    expect(aside.rows).toEqual([{ kind: 'auto_reply' }]);
    expect((await typesOf(c.code)).filter((t) => t === 'message.received')).toEqual([]);
  });

  it('the SMTP listener is on port 2525 unless SMTP_PORT says otherwise or off', () => {
    expect(loadConfig({}).smtp).toMatchObject({ port: 2525, portChosen: false });
    expect(loadConfig({ SMTP_PORT: '2526' }).smtp).toMatchObject({ port: 2526, portChosen: true });
    expect(loadConfig({ SMTP_PORT: 'off' }).smtp.port).toBeNull();
    expect(loadConfig({ SMTP_PORT: '0' }).smtp.port).toBeNull();
  });

  it('Reply-To defaults to the first intake address only when Sen surely reads it', () => {
    const base = { BASE_URL: 'https://khieunai.congty.vn', INTAKE_ADDRESSES: '@congty.vn, cskh@congty.vn' };
    const imap = 'imaps://cskh%40congty.vn:x@mail.congty.vn/INBOX';
    expect(loadConfig({ ...base, SMTP_PORT: '2525' }).mailReplyTo).toBe('cskh@congty.vn');
    expect(loadConfig({ ...base, IMAP_URL: imap }).mailReplyTo).toBe('cskh@congty.vn');
    // A polled mailbox without INTAKE_ADDRESSES: its address is not known, so replies keep going to MAIL_FROM.
    expect(loadConfig({ BASE_URL: base.BASE_URL, IMAP_URL: imap, MAIL_FROM: 'cskh@congty.vn' }).mailReplyTo).toBeUndefined();
    // The listener on its default port only (nobody chose it): no Reply-To either.
    expect(loadConfig({ BASE_URL: base.BASE_URL }).mailReplyTo).toBeUndefined();
    expect(loadConfig({ BASE_URL: base.BASE_URL, SMTP_PORT: 'off', INTAKE_ADDRESSES: 'cskh@congty.vn' }).mailReplyTo).toBe('cskh@congty.vn');
    expect(loadConfig({ ...base, SMTP_PORT: '2525', MAIL_REPLY_TO: 'hotro@congty.vn' }).mailReplyTo).toBe('hotro@congty.vn');
  });

  it('a mail over 1 MB (parsed in a worker thread) keeps its scan whole, byte for byte', async () => {
    const from = `scan.${Date.now()}@khach.vn`;
    const scan = Buffer.concat([PDF, randomBytes(1200 * 1024)]);
    const parsedBefore = offThreadParses();
    const r = await send(port, {
      from: { name: 'Đỗ Minh Khoa', address: from },
      to: 'khieunai@sen.test',
      subject: 'Khiếu nại kèm bản scan hợp đồng',
      text: 'Bản scan hợp đồng bảo hành đính kèm.',
      attachments: [{ filename: 'hợp đồng bảo hành.pdf', content: scan, contentType: 'application/pdf' }],
    });
    expect(r.ok, r.response).toBe(true);
    expect(offThreadParses()).toBe(parsedBefore + 1);
    const [c] = await complaintsFrom(from);
    const row = (await findComplaint(db(), c.code))!;
    const files = await db().db.execute<{ filename: string; sha256: string; size: number }>(sql`select filename, sha256, size from attachments where complaint_id = ${row.id}`);
    expect(files.rows).toEqual([{ filename: 'hợp đồng bảo hành.pdf', sha256: createHash('sha256').update(scan).digest('hex'), size: scan.length }]);
    expect((await LocalFileStore.inDataDir(TEST_DATA_DIR).get(files.rows[0].sha256)).equals(scan)).toBe(true);
  });

  it('a reply threads onto its complaint by In-Reply-To to Sen’s receipt, and by the code in the subject', async () => {
    const from = `minh.${Date.now()}@khach.vn`;
    await send(port, { from, to: 'khieunai@sen.test', subject: 'Giao hàng trễ', text: 'Đơn DH-1 giao trễ 5 ngày.' });
    const [c] = await complaintsFrom(from);
    const receiptId = (await db().db.execute<{ message_id: string }>(sql`
      select m.message_id from mail_messages m join complaints c on c.id = m.complaint_id where c.code = ${c.code} and m.direction = 'out'`)).rows[0].message_id;
    const reply = await send(port, {
      from,
      to: 'khieunai@sen.test',
      subject: 'Re: Xác nhận',
      text: 'Tôi bổ sung mã vận đơn VD-99.',
      inReplyTo: `<${receiptId}>`,
      references: [`<${receiptId}>`],
    });
    expect(reply.ok).toBe(true);
    const byCode = await send(port, { from, to: 'cskh@sen.test', subject: `Re: [${c.code}] Giao hàng trễ`, text: 'Đã 7 ngày rồi.' });
    expect(byCode.response).toContain(c.code);
    expect(await complaintsFrom(from)).toHaveLength(1);
    expect((await typesOf(c.code)).filter((t) => t === 'message.received')).toHaveLength(2);
    // The code alone from someone else is not enough to write into this complaint.
    const stranger = `la.${Date.now()}@nguoila.vn`;
    await send(port, { from: stranger, to: 'khieunai@sen.test', subject: `[${c.code}] tôi cũng bị`, text: 'Tôi cũng bị giao trễ.' });
    expect((await typesOf(c.code)).filter((t) => t === 'message.received')).toHaveLength(2);
    expect(await complaintsFrom(stranger)).toHaveLength(1);
  });

  it('the same message delivered twice, or to two intake addresses, is stored once; a reused Message-ID with another body is kept', async () => {
    const from = `hai.${Date.now()}@khach.vn`;
    const mail = { from, subject: 'Hoàn tiền chậm', text: 'Chưa nhận được tiền hoàn.', messageId: `<dup.${Date.now()}@khach.vn>` };
    expect((await send(port, { ...mail, to: 'khieunai@sen.test', cc: 'cskh@sen.test' })).ok).toBe(true);
    expect((await send(port, { ...mail, to: 'cskh@sen.test' })).ok).toBe(true);
    expect(await complaintsFrom(from)).toHaveLength(1);
    expect((await send(port, { ...mail, to: 'khieunai@sen.test', text: 'Một nội dung khác hẳn.' })).ok).toBe(true);
    expect(await complaintsFrom(from)).toHaveLength(2);
  });

  it('a mail without a Message-ID is still stored once; a sender Sen cannot answer is set aside, not refused for ever', async () => {
    const from = `khong-id.${Date.now()}@khach.vn`;
    const raw = Buffer.from(
      `From: Khách <${from}>\r\nTo: khieunai@sen.test\r\nSubject: =?UTF-8?B?${Buffer.from('Máy sấy tóc hỏng').toString('base64')}?=\r\n` +
        'Date: Thu, 26 Nov 2026 09:00:00 +0700\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMáy sấy tóc hỏng sau 1 tuần.\r\n',
    );
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await t.sendMail({ envelope: { from, to: ['khieunai@sen.test'] }, raw });
    await t.sendMail({ envelope: { from, to: ['khieunai@sen.test'] }, raw });
    const odd = await t.sendMail({
      envelope: { from: 'root@localhost', to: ['khieunai@sen.test'] },
      raw: Buffer.from('From: root@localhost\r\nTo: khieunai@sen.test\r\nSubject: cron\r\n\r\nhello\r\n'),
    });
    t.close();
    expect(await complaintsFrom(from)).toHaveLength(1);
    const rows = await db().db.execute(sql`
      select 1 from mail_messages m join complaints c on c.id = m.complaint_id join customers cu on cu.id = c.customer_id
      where cu.email = ${from} and m.direction = 'in'`);
    expect(rows.rows).toHaveLength(1);
    expect(odd.response).toMatch(/^250/);
    const aside = await db().db.execute<{ kind: string }>(sql`select kind from inbound_rejects where from_address = 'root@localhost'`);
    expect(aside.rows.map((r) => r.kind)).toEqual(['invalid_sender']);
  });

  it('refuses a recipient outside the intake addresses with 550 and a mail over the size limit with 552', async () => {
    const wrong = await send(port, { from: 'a@khach.vn', to: 'giamdoc@sen.test', subject: 'x', text: 'y' });
    expect(wrong.ok).toBe(false);
    expect(wrong.code).toBe(550);
    const big = await send(port, { from: 'a@khach.vn', to: 'khieunai@sen.test', subject: 'to', text: 'x'.repeat(3 * 1024 * 1024) });
    expect(big.ok).toBe(false);
    expect(big.code).toBe(552);
  });

  it('bounces, auto-replies and list mail never become complaints and are never answered, but are kept', async () => {
    const before = Number((await db().db.execute<{ n: string }>(sql`select count(*) as n from outbound_messages`)).rows[0].n);
    const known = (await db().db.execute<{ id: string }>(sql`select id from inbound_rejects`)).rows.map((r) => r.id);
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    for (const [file, envelopeFrom] of [
      ['dsn-bounce.eml', ''],
      ['outlook-auto-reply.eml', 'nhanvien@doitac.vn'],
      ['vacation-precedence-bulk.eml', 'sep@doitac.vn'],
      ['mailing-list.eml', 'list@tin.vn'],
    ] as const) {
      await t.sendMail({ envelope: { from: envelopeFrom, to: ['khieunai@sen.test'] }, raw: fixture(file) });
    }
    t.close();
    const rejects = await db().db.execute<{ id: string; kind: string }>(sql`
      select id, kind from inbound_rejects where kind in ('bounce', 'auto_reply', 'bulk') order by received_at`);
    const added = rejects.rows.filter((r) => !known.includes(r.id));
    expect(added.map((r) => r.kind).sort()).toEqual(['auto_reply', 'bounce', 'bulk', 'bulk']);
    const after = Number((await db().db.execute<{ n: string }>(sql`select count(*) as n from outbound_messages`)).rows[0].n);
    expect(after).toBe(before);
  });

  it('decodes Vietnamese senders’ charsets: windows-1258 body and RFC 2047 subjects', async () => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    for (const file of ['windows-1258-qp.eml', 'subject-b-encoded.eml']) {
      await t.sendMail({ envelope: { from: 'khach@vidu.vn', to: ['khieunai@sen.test'] }, raw: fixture(file) });
    }
    t.close();
    const rows = await db().db.execute<{ subject: string; description: string }>(sql`
      select c.subject, c.description from complaints c where c.channel = 'email' order by c.code desc limit 2`);
    const text = rows.rows.map((r) => `${r.subject}\n${r.description}`).join('\n');
    expect(text).toContain('Khiếu nại');
    expect(text.normalize('NFC')).toBe(text);
  });
});

describe('email intake when the database is down', () => {
  let database: Database;
  let server: SMTPServer;
  let port = 0;
  beforeAll(async () => {
    database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/sen', migrate: false });
    ({ server, port } = await listen(database));
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await database.close();
  });

  it('answers 451 so the sending server keeps the mail and retries', async () => {
    const r = await send(port, { from: 'a@khach.vn', to: 'khieunai@sen.test', subject: 'Khiếu nại', text: 'Nội dung' });
    expect(r.ok).toBe(false);
    expect(r.code).toBe(451);
  });
});

describe('email intake under a flood', () => {
  let database: Database;
  let server: SMTPServer;
  let port = 0;
  beforeAll(async () => {
    // The size check comes before any database work, so none is needed here.
    database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/sen', migrate: false });
    ({ server, port } = await listen(database, 1024 * 1024));
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await database.close();
  });

  it('a sender that resets the connection in the middle of a message does not bring Sen down', async () => {
    const { connect } = await import('node:net');
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const s = connect(port, '127.0.0.1');
    await new Promise((r) => s.once('data', r));
    for (const line of ['EHLO x.vn', 'MAIL FROM:<a@khach.vn>', 'RCPT TO:<khieunai@sen.test>', 'DATA']) {
      s.write(`${line}\r\n`);
      await wait(30);
    }
    s.write('Subject: dang do\r\n\r\nmột nửa thư');
    await wait(30);
    s.resetAndDestroy();
    await wait(200);
    // Still listening: the next sender is greeted.
    const next = connect(port, '127.0.0.1');
    const greeting = await new Promise<string>((r) => next.once('data', (d) => r(d.toString())));
    next.destroy();
    expect(greeting).toMatch(/^220 /);
  });

  it('more senders at once than SMTP_MAX_CLIENTS: the extra one is told 421 (try again), and is served once another leaves', async () => {
    const { connect } = await import('node:net');
    const limited = await listen(database, 1024 * 1024, 3);
    const greet = async () => {
      const s = connect(limited.port, '127.0.0.1');
      const greeting = await new Promise<string>((r) => s.once('data', (d) => r(d.toString())));
      return { s, greeting };
    };
    try {
      const first = await Promise.all([greet(), greet(), greet()]);
      for (const c of first) expect(c.greeting).toMatch(/^220 /);
      const extra = await greet();
      expect(extra.greeting).toMatch(/^421 /);
      extra.s.destroy();
      first[0].s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const later = await greet();
      expect(later.greeting).toMatch(/^220 /);
      for (const c of [...first, later]) c.s.destroy();
    } finally {
      await new Promise<void>((r) => limited.server.close(() => r()));
    }
  });

  it('a message far over the size limit is answered 552 without being held in memory', async () => {
    // The sender is another process, so that only the listener's memory is measured here.
    const MB = 160;
    const base = process.memoryUsage().arrayBuffers;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    const { execFile } = await import('node:child_process');
    const code = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [path.join(import.meta.dirname, 'fixtures', 'smtp-flood.mjs'), String(port), String(MB)], (err, stdout) =>
        err ? reject(err) : resolve(stdout.trim()),
      ),
    );
    clearInterval(timer);
    expect(code).toBe('552');
    // Kept whole, the message alone would be 160 MB here; read and dropped, what is left is garbage
    // that V8 collects as it goes.
    expect((peak - base) / 1024 / 1024).toBeLessThan(MB / 2);
  });
});

describeEachDatabase('not-a-complaint log', (db) => {
  it('lists set-aside mail and turns one into a complaint by hand, once', async () => {
    const { server, port } = await listen(db());
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await t.sendMail({ envelope: { from: 'nhanvien@doitac.vn', to: ['khieunai@sen.test'] }, raw: fixture('outlook-auto-reply.eml') });
    t.close();
    await new Promise<void>((r) => server.close(() => r()));
    const app = await buildTestApp(db());
    const agent = await staffWithToken(db(), 'agent');
    const list = await app.inject({ method: 'GET', url: '/api/v1/inbound-rejects', headers: agent.headers });
    const items = (list.json() as { items: { id: string; kind: string; convertedCode: string | null }[] }).items;
    expect(items.map((i) => i.kind)).toContain('auto_reply');
    const target = items.find((i) => i.kind === 'auto_reply')!;
    expect((await app.inject({ method: 'GET', url: '/api/v1/inbound-rejects' })).statusCode).toBe(401);
    const first = await app.inject({ method: 'POST', url: `/api/v1/inbound-rejects/${target.id}/convert`, headers: agent.headers });
    expect(first.statusCode, first.body).toBe(201);
    const again = await app.inject({ method: 'POST', url: `/api/v1/inbound-rejects/${target.id}/convert`, headers: agent.headers });
    expect((again.json() as { code: string }).code).toBe((first.json() as { code: string }).code);
    const row = (await findComplaint(db(), (first.json() as { code: string }).code))!;
    expect(row.channel).toBe('email');
    // Written whole, once: the complaint, the event saying where it came from, the mail's record; its chain holds.
    const types = await db().db.execute<{ type: string; actor_id: string | null }>(sql`select type, actor_id from timeline_events where complaint_id = ${row.id} order by seq`);
    expect(types.rows).toEqual([
      { type: 'complaint.created', actor_id: agent.user.id },
      { type: 'email.converted', actor_id: agent.user.id },
    ]);
    const recorded = await db().db.execute<{ direction: string }>(sql`select direction from mail_messages where complaint_id = ${row.id}`);
    expect(recorded.rows).toEqual([{ direction: 'in' }]);
    expect((await verifyAudit(db())).problems.filter((p) => p.code === row.code)).toEqual([]);
    const relisted = (await app.inject({ method: 'GET', url: '/api/v1/inbound-rejects', headers: agent.headers })).json() as { items: { id: string; convertedCode: string | null }[] };
    expect(relisted.items.find((i) => i.id === target.id)?.convertedCode).toBe(row.code);
    // That one was Vietnamese; a set-aside mail written in English becomes a complaint in English, as email intake would.
    expect(row.language).toBe('vi');
    const { server: again2, port: port2 } = await listen(db());
    const t2 = nodemailer.createTransport({ host: '127.0.0.1', port: port2, secure: false, ignoreTLS: true });
    await t2.sendMail({
      from: 'ops@partner.example',
      to: 'khieunai@sen.test',
      subject: 'Automatic reply: delivery problem',
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'Hello, the parcel for your customer was returned to our warehouse because the address was wrong. Please check the order and tell us where to send it.',
    });
    t2.close();
    await new Promise<void>((r) => again2.close(() => r()));
    const english = ((await app.inject({ method: 'GET', url: '/api/v1/inbound-rejects', headers: agent.headers })).json() as { items: { id: string; convertedCode: string | null }[] }).items.find(
      (i) => i.convertedCode === null,
    )!;
    const converted = await app.inject({ method: 'POST', url: `/api/v1/inbound-rejects/${english.id}/convert`, headers: agent.headers });
    expect(converted.statusCode, converted.body).toBe(201);
    expect((await findComplaint(db(), (converted.json() as { code: string }).code))!.language).toBe('en');
    await app.close();
  });
});

describeEachDatabase('receipt mail', (db) => {
  it('goes to a portal customer who gave an email, in the admin’s wording when edited, and shows in the timeline', async () => {
    const app = await buildTestApp(db());
    const admin = await staffWithToken(db(), 'admin');
    const file = async (email: string) => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/portal/complaints',
        payload: { customer: { name: 'Đỗ Thị Mai', email }, subject: 'Áo bị phai màu', description: 'Áo mới giặt lần đầu đã phai màu.', consent: true },
      });
      expect(r.statusCode, r.body).toBe(201);
      return (r.json() as { code: string }).code;
    };
    const first = await file(`mai.${Date.now()}@khach.vn`);
    const mail = async (code: string) =>
      (await db().db.execute<{ subject: string; text: string; html: string }>(sql`
        select m.subject, m.text, m.html from outbound_messages m join complaints c on c.id = m.complaint_id where c.code = ${code}`)).rows;
    const [receipt] = await mail(first);
    expect(receipt.subject).toBe(`[${first}] Xác nhận tiếp nhận khiếu nại: Áo bị phai màu`);
    expect(receipt.text).toContain('trong 48 giờ làm việc');
    expect(receipt.text).toContain('trong 20 ngày làm việc');
    // The promises as the SLA policy in force words them, not Sen's defaults.
    const policyAdmin = { kind: 'admin' as const, id: null, channel: 'console' as const };
    await updateSlaPolicy({ database: db(), actor: policyAdmin, input: { ...DEFAULT_SLA, acknowledgementWorkingHours: 24, resolutionWorkingDays: 15 } });
    try {
      forgetSlaContext(db());
      const [quicker] = await mail(await file(`mai.nhanh.${Date.now()}@khach.vn`));
      expect(quicker.text).toContain('(trong 24 giờ làm việc)');
      expect(quicker.text).toContain('(trong 15 ngày làm việc)');
      expect(quicker.text).not.toContain('48 giờ');
    } finally {
      await updateSlaPolicy({ database: db(), actor: policyAdmin, input: DEFAULT_SLA });
      forgetSlaContext(db());
    }
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/mail-templates',
      headers: admin.headers,
      payload: { receipt: { vi: { subject: 'Đã nhận khiếu nại', text: 'Xin chào {{khachHang}}' } } },
    });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field).sort()).toEqual(['receipt.vi.subject', 'receipt.vi.text']);
    const ok = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/mail-templates',
      headers: admin.headers,
      payload: { receipt: { vi: { subject: '[{{code}}] {{companyName}} đã nhận khiếu nại', text: 'Chào {{customerName}} <b>,\nHạn giải quyết: {{resolutionDueAt}}\n{{statusUrl}}' } } },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const second = await file(`mai2.${Date.now()}@khach.vn`);
    const [edited] = await mail(second);
    expect(edited.subject).toBe(`[${second}] Sen đã nhận khiếu nại`);
    expect(edited.text).toMatch(/^Chào Đỗ Thị Mai <b>,\nHạn giải quyết: \d\d\/\d\d\/\d{4} \d\d:\d\d\n/);
    expect(edited.html).toContain('Đỗ Thị Mai &lt;b&gt;');
    const staff = await staffWithToken(db(), 'agent');
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/complaints/${second}`, headers: staff.headers })).json() as { timeline: { type: string; payload: { status: string } }[] };
    expect(detail.timeline.find((e) => e.type === 'email.outbound')?.payload.status).toBe('queued');
    await app.inject({ method: 'PUT', url: '/api/v1/admin/mail-templates', headers: admin.headers, payload: {} });
    await app.close();
  });
});
