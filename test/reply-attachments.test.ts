import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { PNG, TEST_DATA_DIR, buildTestApp, multipart, randomPhone, staffWithToken } from './factories';
import { deliverQueuedMail, type MailTransportConfig } from '../src/jobs/deliver-mail';
import { LocalFileStore } from '../src/files/store';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Trả lời kèm tệp: an agent sends the complaint's files with a reply; they leave with the mail, over a real SMTP conversation. */
describeEachDatabase('replies with the complaint files attached', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let server: SMTPServer;
  let transport: MailTransportConfig;
  const received: ParsedMail[] = [];
  const files = LocalFileStore.inDataDir(TEST_DATA_DIR);

  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      size: 30 * 1024 * 1024,
      onData(stream, _session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void simpleParser(Buffer.concat(chunks)).then((m) => {
            received.push(m);
            done();
          }, done);
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.server.address() as { port: number }).port;
    transport = { mailUrl: `smtp://127.0.0.1:${port}`, from: 'Sen <no-reply@sen.test>', outboxDir: '/nonexistent', files };
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const file = async (email: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      payload: { customer: { name: 'Võ Thị Hạnh', phone: randomPhone(), email }, subject: 'Hoàn tiền đơn hàng lỗi', description: 'Chờ hoàn tiền.', consent: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().code as string;
  };
  const upload = async (code: string, list: { filename: string; type: string; content: Buffer }[]) => {
    const body = multipart({}, list);
    const res = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/attachments`, payload: body.payload, headers: { ...agent.headers, ...body.headers } });
    expect(res.statusCode, res.body).toBe(201);
  };
  const reply = (code: string, payload: object, lang = 'vi') =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/replies`, payload, headers: { ...agent.headers, 'accept-language': lang } });
  const replyEvents = async (code: string) =>
    (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json().timeline.filter((e: { type: string }) => e.type === 'reply.sent');
  const queued = async (code: string) =>
    (
      await db().db.execute<{ status: string; attachments: unknown; last_error: string | null }>(sql`
        select m.status, m.attachments, m.last_error from outbound_messages m join complaints c on c.id = m.complaint_id
        where c.code = ${code} and m.subject like '%Phản hồi%' order by m.created_at`)
    ).rows;
  const pdf = (words: string) => Buffer.from(`%PDF-1.4\n% ${words}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);

  it('mails the picked files with the reply, names them in the mail, the timeline and the status page', async () => {
    const email = `hanh.${Date.now()}@example.com`;
    const code = await file(email);
    const receipt = pdf(`Phiếu hoàn tiền ${code}`);
    await upload(code, [
      { filename: 'Phiếu hoàn tiền.pdf', type: 'application/pdf', content: receipt },
      { filename: 'ảnh kiện hàng.png', type: 'image/png', content: PNG },
    ]);
    const res = await reply(code, { body: 'Chúng tôi đã hoàn tiền, phiếu gửi kèm.', attachments: [sha(receipt), sha(PNG)] });
    expect(res.statusCode, res.body).toBe(201);
    const [event] = await replyEvents(code);
    expect(event.payload.attachments).toEqual([
      { filename: 'Phiếu hoàn tiền.pdf', contentType: 'application/pdf', size: receipt.length, sha256: sha(receipt) },
      { filename: 'ảnh kiện hàng.png', contentType: 'image/png', size: PNG.length, sha256: sha(PNG) },
    ]);
    // The customer's status page names them (they have the files in their mailbox).
    const portal = await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(email)}` });
    expect(portal.json().timeline.find((e: { type: string }) => e.type === 'reply.sent').files).toEqual(['Phiếu hoàn tiền.pdf', 'ảnh kiện hàng.png']);

    await deliverQueuedMail(db(), transport);
    const mail = received.find((m) => m.subject?.startsWith(`[${code}] Phản hồi`));
    expect(mail, 'the reply reached the mail server').toBeDefined();
    expect(mail!.text).toContain('Tài liệu đính kèm thư này:\n- Phiếu hoàn tiền.pdf\n- ảnh kiện hàng.png');
    // The bytes that left are the bytes stored, under their names and types, in the order picked.
    expect(mail!.attachments.map((a) => [a.filename, a.contentType, sha(a.content)])).toEqual([
      ['Phiếu hoàn tiền.pdf', 'application/pdf', sha(receipt)],
      ['ảnh kiện hàng.png', 'image/png', sha(PNG)],
    ]);
    expect((await queued(code))[0].status).toBe('sent');
  });

  it('a reply without files carries none', async () => {
    const code = await file(`khong.tep.${Date.now()}@example.com`);
    await upload(code, [{ filename: 'noi-bo.pdf', type: 'application/pdf', content: pdf(`nội bộ ${code}`) }]);
    expect((await reply(code, { body: 'Đã nhận.' })).statusCode).toBe(201);
    expect((await replyEvents(code))[0].payload).not.toHaveProperty('attachments');
    await deliverQueuedMail(db(), transport);
    const mail = received.find((m) => m.subject?.startsWith(`[${code}] Phản hồi`));
    expect(mail?.attachments).toEqual([]);
    expect(mail?.text).not.toContain('đính kèm');
  });

  it('refuses a file of another complaint, one picked twice, too many and too large, field by field, changing nothing', async () => {
    const email = `sai.${Date.now()}@example.com`;
    const code = await file(email);
    const other = await file(`khac.${Date.now()}@example.com`);
    const mine = pdf(`của khiếu nại ${code}`);
    const theirs = pdf(`của khiếu nại ${other}`);
    await upload(code, [{ filename: 'cua-toi.pdf', type: 'application/pdf', content: mine }]);
    await upload(other, [{ filename: 'cua-nguoi-khac.pdf', type: 'application/pdf', content: theirs }]);

    const foreign = await reply(code, { body: 'Gửi kèm.', attachments: [sha(mine), sha(theirs)] });
    expect(foreign.statusCode, foreign.body).toBe(422);
    expect(foreign.json().error.fields).toEqual([{ field: 'attachments[1]', code: 'not_found', message: 'Không tồn tại.' }]);
    const twice = await reply(code, { body: 'Gửi kèm.', attachments: [sha(mine), sha(mine)] }, 'en');
    expect(twice.statusCode).toBe(422);
    expect(twice.json().error.fields).toEqual([{ field: 'attachments[1]', code: 'duplicate', message: 'This value is listed twice.' }]);
    const notAHash = await reply(code, { body: 'Gửi kèm.', attachments: ['../../etc/passwd'] });
    expect(notAHash.statusCode).toBe(422);
    expect(notAHash.json().error.fields[0].field).toMatch(/^attachments/);
    const eleven = await reply(code, { body: 'Gửi kèm.', attachments: Array.from({ length: 11 }, (_, i) => sha(Buffer.from(String(i)))) });
    expect(eleven.statusCode).toBe(422);
    // Two large scans stored earlier (the upload allows 10 MB each): together past what a mail may carry.
    const [a, b] = [sha(Buffer.from(`lớn 1 ${code}`)), sha(Buffer.from(`lớn 2 ${code}`))];
    await db().db.execute(sql`
      insert into attachments (complaint_id, filename, content_type, size, sha256)
      select id, f.name, 'application/pdf', 8 * 1024 * 1024, f.sha from complaints, (values ('scan-1.pdf', ${a}), ('scan-2.pdf', ${b})) f(name, sha)
      where code = ${code}`);
    const large = await reply(code, { body: 'Gửi kèm.', attachments: [a, b] });
    expect(large.statusCode).toBe(422);
    expect(large.json().error.fields).toEqual([
      { field: 'attachments', code: 'attachments_too_large', message: 'Các tệp đính kèm quá lớn để gửi qua email (tối đa 15 MB cho cả thư).' },
    ]);
    // Nothing was sent or recorded; the complaint still waits for its first contact.
    expect(await queued(code)).toEqual([]);
    expect(await replyEvents(code)).toEqual([]);
    const shown = (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json();
    expect(shown.status).toBe('received');
    // One of them alone goes.
    expect((await reply(code, { body: 'Gửi kèm bản quét.', attachments: [sha(mine)] })).statusCode).toBe(201);
  });

  it('a file the store cannot give keeps the mail queued, to be sent whole once it can; the outbox file carries the files too', async () => {
    const email = `cho.${Date.now()}@example.com`;
    const code = await file(email);
    const doc = pdf(`biên bản ${code}`);
    await upload(code, [{ filename: 'Biên bản.pdf', type: 'application/pdf', content: doc }]);
    expect((await reply(code, { body: 'Biên bản gửi kèm.', attachments: [sha(doc)] })).statusCode).toBe(201);
    // The disk holding the files is away (unmounted, being restored): the mail is not sent without its file.
    const stored = files.pathOf(sha(doc));
    await rename(stored, `${stored}.away`);
    try {
      const first = await deliverQueuedMail(db(), transport);
      expect(first.failed).toBeGreaterThan(0);
      const [waiting] = await queued(code);
      expect(waiting.status).toBe('queued');
      expect(waiting.last_error).toBeTruthy();
      expect(received.some((m) => m.subject?.startsWith(`[${code}] Phản hồi`))).toBe(false);
    } finally {
      await rename(`${stored}.away`, stored);
    }
    const later = await deliverQueuedMail(db(), transport, new Date(Date.now() + 120_000));
    expect(later.sent).toBeGreaterThan(0);
    const mail = received.find((m) => m.subject?.startsWith(`[${code}] Phản hồi`));
    expect(mail?.attachments.map((x) => [x.filename, sha(x.content)])).toEqual([['Biên bản.pdf', sha(doc)]]);

    // Without a mail server, the .eml written to the outbox folder has the file as well.
    const second = await file(`outbox.${Date.now()}@example.com`);
    await upload(second, [{ filename: 'Biên bản.pdf', type: 'application/pdf', content: doc }]);
    expect((await reply(second, { body: 'Gửi kèm.', attachments: [sha(doc)] })).statusCode).toBe(201);
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-reply-files-'));
    await deliverQueuedMail(db(), { from: 'Sen <no-reply@sen.test>', outboxDir: dir, files });
    const written = await Promise.all((await readdir(dir)).map(async (f) => simpleParser(await readFile(path.join(dir, f)))));
    const eml = written.find((m) => m.subject?.startsWith(`[${second}] Phản hồi`));
    expect(eml?.attachments.map((x) => [x.filename, sha(x.content)])).toEqual([['Biên bản.pdf', sha(doc)]]);
  });
});
