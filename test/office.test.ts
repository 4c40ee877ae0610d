import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, multipart, randomPhone, staffWithToken, TEST_DATA_DIR } from './factories';
import { LocalFileStore } from '../src/files/store';
import { createComplaint } from '../src/commands/create-complaint';

const run = promisify(execFile);
/** A small but valid PDF and PNG (the scans of an office visit). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describeEachDatabase('office walk-in: scanned documents, receipt, uploads', (db) => {
  let app: FastifyInstance;
  let clerk: Awaited<ReturnType<typeof staffWithToken>>;
  let code = '';
  const phone = randomPhone();
  beforeAll(async () => {
    app = await buildTestApp(db());
    clerk = await staffWithToken(db(), 'agent');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: clerk.headers,
      payload: {
        ...buildIntake({ customer: { name: 'Nguyễn Thị Hương Ánh', phone } }),
        consent: undefined,
        channel: 'office',
        subject: 'Bảo hành tủ lạnh bị từ chối',
        description: 'Khách mang hoá đơn và phiếu bảo hành đến văn phòng; tủ lạnh không đông đá sau 2 tháng.',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    code = (res.json() as { code: string; status: string }).code;
    // Served in person: that meeting acknowledges the complaint.
    expect((res.json() as { status: string }).status).toBe('acknowledged');
  });
  afterAll(async () => app?.close());

  const upload = (files: Parameters<typeof multipart>[1], headers: Record<string, string> = clerk.headers, url = `/api/v1/complaints/${code}/attachments`, fields = {}) => {
    const body = multipart(fields, files);
    return app.inject({ method: 'POST', url, payload: body.payload, headers: { ...headers, ...body.headers } });
  };
  const evidenceCount = async () =>
    Number((await db().db.execute<{ n: string }>(sql`select count(*) as n from attachments a join complaints c on c.id = a.complaint_id where c.code = ${code}`)).rows[0].n);

  it('a walk-in whose request failed after the intake committed is acknowledged by the retry, once', async () => {
    const key = `office-${Math.random()}`;
    const body = {
      ...buildIntake({ customer: { name: 'Phan Văn Khải', phone: randomPhone() } }),
      consent: undefined,
      channel: 'office' as const,
    };
    // The intake commits, then the request dies before the meeting is written (the process stopped).
    const first = await createComplaint({
      database: db(),
      actor: { kind: 'agent', id: clerk.user.id, channel: 'office' },
      channel: 'office',
      input: body as never,
      requireConsent: false,
      idempotencyKey: key,
      idempotencyScope: `staff:${clerk.user.id}`,
    });
    const contacts = async () =>
      Number(
        (
          await db().db.execute<{ n: string }>(
            sql`select count(*) as n from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${first.code} and e.type = 'contact.logged'`,
          )
        ).rows[0].n,
      );
    expect(await contacts()).toBe(0);
    for (let i = 0; i < 2; i++) {
      const retry = await app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { ...clerk.headers, 'idempotency-key': key }, payload: body });
      expect(retry.statusCode, retry.body).toBe(200);
      expect(retry.json()).toMatchObject({ code: first.code, status: 'acknowledged' });
    }
    expect(await contacts()).toBe(1);
  });

  it('stores scanned documents checked by content, lists them, and serves them back', async () => {
    const res = await upload([
      { filename: 'hóa đơn.pdf', type: 'application/pdf', content: PDF },
      { filename: 'phiếu bảo hành.png', type: 'image/png', content: PNG },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const files = (res.json() as { attachments: { filename: string; contentType: string; url: string; sha256: string }[] }).attachments;
    expect(files.map((f) => [f.filename, f.contentType])).toEqual([
      ['hóa đơn.pdf', 'application/pdf'],
      ['phiếu bảo hành.png', 'image/png'],
    ]);
    const dl = await app.inject({ method: 'GET', url: files[0].url, headers: clerk.headers });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''h%C3%B3a%20%C4%91%C6%A1n.pdf");
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ method: 'GET', url: files[0].url })).statusCode).toBe(401);
  });

  it('refuses a file whose content is not what it claims, too large, or too many, storing nothing', async () => {
    const before = await evidenceCount();
    const fake = await upload([
      { filename: 'ok.png', type: 'image/png', content: PNG },
      { filename: 'hoa-don.pdf', type: 'application/pdf', content: Buffer.from('not a pdf, just text') },
    ]);
    expect(fake.statusCode).toBe(422);
    expect((fake.json() as { error: { fields: unknown[] } }).error.fields).toEqual([
      expect.objectContaining({ field: 'files[1]', code: 'file_type_not_allowed' }),
    ]);
    const big = await upload([{ filename: 'scan.pdf', type: 'application/pdf', content: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) }]);
    expect(big.statusCode).toBe(422);
    expect((big.json() as { error: { fields: { code: string }[] } }).error.fields[0].code).toBe('file_too_large');
    const many = await upload(Array.from({ length: 11 }, (_, i) => ({ filename: `anh-${i}.png`, type: 'image/png', content: PNG })));
    expect(many.statusCode).toBe(422);
    expect((many.json() as { error: { fields: { code: string }[] } }).error.fields[0].code).toBe('too_many_files');
    // More parts or fields than a form has: 413. A field longer than its limit: a field error, never cut short.
    const parts = await upload(Array.from({ length: 10 }, (_, i) => ({ filename: `anh-${i}.png`, type: 'image/png', content: PNG })), clerk.headers, undefined, Object.fromEntries(Array.from({ length: 35 }, (_, i) => [`f${i}`, 'x'])));
    expect(parts.statusCode, parts.body).toBe(413);
    expect(parts.json().error.code).toBe('payload_too_large');
    const fields = await upload([{ filename: 'a.png', type: 'image/png', content: PNG }], clerk.headers, undefined, Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, 'x'])));
    expect(fields.statusCode, fields.body).toBe(413);
    const long = await upload([{ filename: 'a.png', type: 'image/png', content: PNG }], clerk.headers, undefined, { note: 'ả'.repeat(30_000) });
    expect(long.statusCode, long.body).toBe(422);
    expect(long.json().error.fields).toEqual([expect.objectContaining({ field: 'note', code: 'too_long' })]);
    expect(await evidenceCount()).toBe(before);
    const auditor = await staffWithToken(db(), 'auditor');
    expect((await upload([{ filename: 'a.png', type: 'image/png', content: PNG }], auditor.headers)).statusCode).toBe(403);
  });

  it('prints the receipt as a one-page PDF, A4 or A5, with the customer name in Vietnamese', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-receipt-'));
    for (const [size, width] of [['A4', 595], ['A5', 420]] as const) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/complaints/${code}/receipt.pdf?size=${size}`, headers: clerk.headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const file = path.join(dir, `${size}.pdf`);
      await writeFile(file, res.rawPayload);
      const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
      expect(text).toContain('Nguyễn Thị Hương Ánh');
      expect(text).toContain(code);
      expect(text).toContain('hóa đơn.pdf');
      const info = (await run('pdfinfo', [file])).stdout;
      expect(info).toMatch(/Pages:\s+1\n/);
      expect(Number(/Page size:\s+([\d.]+)/.exec(info)?.[1])).toBeCloseTo(width, 0);
    }
    expect((await app.inject({ method: 'GET', url: `/api/v1/complaints/${code}/receipt.pdf` })).statusCode).toBe(401);
  });

  it('a customer adds photos from the status page only with the contact on file, and sees only their own files', async () => {
    const url = `/api/v1/portal/complaints/${code}/attachments`;
    const wrong = await upload([{ filename: 'anh.png', type: 'image/png', content: PNG }], {}, url, { contact: '0900000000' });
    expect(wrong.statusCode).toBe(404);
    const ok = await upload([{ filename: 'ảnh tủ lạnh.png', type: 'image/png', content: PNG }], {}, url, { contact: phone });
    expect(ok.statusCode, ok.body).toBe(201);
    const timeline = (ok.json() as { timeline: { type: string; files?: string[] }[] }).timeline.filter((e) => e.type === 'attachments.added');
    // The clerk's scans are internal; the customer's own photo is shown back to them.
    expect(timeline.map((e) => e.files)).toEqual([['ảnh tủ lạnh.png']]);
  });

  it('a malformed upload (broken multipart) is a 400, not a server error, and adds nothing', async () => {
    const url = `/api/v1/portal/complaints/${code}/attachments`;
    const files = async () => Number((await db().db.execute<{ n: string }>(sql`select count(*) as n from attachments`)).rows[0].n);
    const before = await files();
    const bodies: { type: string; payload: string }[] = [
      { type: 'multipart/form-data; boundary=xyz', payload: 'garbage with no boundary at all' },
      { type: 'multipart/form-data; boundary=xyz', payload: `--xyz\r\nContent-Disposition: form-data; name="contact"\r\n\r\n${phone}\r\n--xyz\r\nContent-Dispo` },
      { type: 'multipart/form-data; boundary=xyz', payload: `--xyz\r\n\x00\x01 broken header\r\n\r\nabc\r\n--xyz--\r\n` },
      { type: 'multipart/form-data', payload: '--a\r\n\r\n--a--' },
    ];
    for (const b of bodies) {
      const res = await app.inject({ method: 'POST', url, payload: b.payload, headers: { 'content-type': b.type } });
      expect(res.statusCode, `${b.payload}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${b.payload}: ${res.body}`).toBeLessThan(500);
      expect((res.json() as { error: { code: string } }).error.code).toMatch(/malformed_multipart|complaint_not_found/);
    }
    expect(await files()).toBe(before);
    // A NUL in the contact field is a field error, not a database error.
    const nul = multipart({ contact: `${phone}\u0000` }, [{ filename: 'anh.png', type: 'image/png', content: PNG }]);
    const refused = await app.inject({ method: 'POST', url, payload: nul.payload, headers: nul.headers });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error.fields).toEqual([expect.objectContaining({ field: 'contact', code: 'invalid_characters' })]);
    expect(await files()).toBe(before);
  });

  it('a complaint that no longer takes files refuses the upload and keeps no bytes of it on disk', async () => {
    const customerPhone = randomPhone();
    const filed = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: buildIntake({ customer: { name: 'Đỗ Văn Khoa', phone: customerPhone } }) });
    expect(filed.statusCode, filed.body).toBe(201);
    const other = (filed.json() as { code: string }).code;
    const withdrawn = await app.inject({ method: 'POST', url: `/api/v1/complaints/${other}/transitions`, headers: clerk.headers, payload: { to: 'withdrawn', reason: 'Khách rút khiếu nại' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const bytes = Buffer.concat([PNG, randomBytes(64)]);
    const refused = await upload([{ filename: 'muon.png', type: 'image/png', content: bytes }], {}, `/api/v1/portal/complaints/${other}/attachments`, { contact: customerPhone });
    expect(refused.statusCode).toBe(409);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(existsSync(LocalFileStore.inDataDir(TEST_DATA_DIR).pathOf(sha))).toBe(false);
  });

  it('the web form refuses a filled honeypot and a form sent faster than a person can, storing nothing', async () => {
    const count = async () => Number((await db().db.execute<{ n: string }>(sql`select count(*) as n from complaints`)).rows[0].n);
    const before = await count();
    const bot = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: { ...buildIntake({ customer: { name: 'Bot', phone: randomPhone() } }), website: 'http://spam.example' } });
    expect(bot.statusCode).toBe(422);
    expect((bot.json() as { error: { fields: { field: string; code: string }[] } }).error.fields[0]).toMatchObject({ field: 'website', code: 'spam_suspected' });
    const fast = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: { ...buildIntake({ customer: { name: 'Nhanh', phone: randomPhone() } }), fillMs: 800 } });
    expect((fast.json() as { error: { fields: { field: string; code: string }[] } }).error.fields[0]).toMatchObject({ field: 'fillMs', code: 'too_fast' });
    expect(await count()).toBe(before);
    const person = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: { ...buildIntake({ customer: { name: 'Người thật', phone: randomPhone() } }), website: '', fillMs: 45_000 } });
    expect(person.statusCode).toBe(201);
  });
});
