import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { TEST_DATA_DIR, buildIntake, buildTestApp, multipart, randomPhone, staffWithToken } from './factories';
import { parseInboundMail } from '../src/channels/email/parse';
import { receiveEmail } from '../src/commands/receive-email';
import { verifyAudit } from '../src/commands/verify-audit';
import { FileStore } from '../src/files/store';
import { readZip, verifyDossierZip } from '../src/documents/dossier-zip';

const run = promisify(execFile);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A small valid PDF and PNG: the customer's invoice and a photo of the damage. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The customer's reply by email, threaded onto the complaint by the code in the subject. */
const REPLY = (code: string, from: string) =>
  Buffer.from(
    [
      `From: Huong Anh <${from}>`,
      'To: khieunai@localhost',
      `Subject: Re: [${code}] =?UTF-8?B?${Buffer.from('Bổ sung số serial').toString('base64')}?=`,
      `Message-ID: <reply-${code}@example.vn>`,
      'Date: Thu, 26 Nov 2026 10:00:00 +0700',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Số serial của đồng hồ là MTP-1374-0099.',
      'Gói hàng có bị móp khi giao không?',
      `Tệp gửi kèm câu hỏi: ảnh mặt kính.png (SHA-256 ${sha256(PNG).slice(0, 12)}`,
      '',
    ].join('\r\n'),
  );

/** Runs the `sen` CLI as an operator would. */
async function sen(args: string[]) {
  try {
    const r = await run('node', ['bin/sen.js', ...args], { env: { ...process.env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface EscalationView {
  id: string;
  authority: { id: string | null; name: string; kind: string | null };
  dossier: { pdfSha256: string; zipSha256: string; pdfUrl: string; zipUrl: string };
  handedOverAt: string | null;
  referenceNo: string | null;
  outcome: string | null;
}

describeEachDatabase('escalation to an authority: dossier PDF, ZIP with manifest, verification', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let supervisor: Awaited<ReturnType<typeof staffWithToken>>;
  let dir = '';
  let code = '';
  const phone = randomPhone();
  const email = `huong.anh.${phone}@example.vn`;
  const customerName = 'Nguyễn Thị Hương Ánh';
  let escalation: EscalationView;
  let zip: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sen-dossier-'));
    app = await buildTestApp(db(), { companyName: 'Công ty TNHH Đồng Hồ Sen' });
    agent = await staffWithToken(db(), 'agent');
    supervisor = await staffWithToken(db(), 'supervisor');
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      payload: buildIntake({ customer: { name: customerName, phone, email, province: 'Hà Nội' }, subject: 'Đồng hồ bị nứt mặt kính sau 3 ngày' }),
    });
    expect(filed.statusCode, filed.body).toBe(201);
    code = (filed.json() as { code: string }).code;
    const body = multipart({ contact: phone }, [
      { filename: 'hóa đơn mua hàng.pdf', type: 'application/pdf', content: PDF },
      { filename: 'ảnh mặt kính.png', type: 'image/png', content: PNG },
    ]);
    const up = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${code}/attachments`, payload: body.payload, headers: body.headers });
    expect(up.statusCode, up.body).toBe(201);
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${code}`, headers: agent.headers, payload: { product: 'Đồng hồ Sen Classic' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const msg = await app.inject({
      method: 'POST',
      url: `/api/v1/portal/complaints/${code}/messages`,
      payload: { contact: phone, message: 'Tôi đã gửi hóa đơn và ảnh chụp, mong được đổi đồng hồ mới.' },
    });
    expect(msg.statusCode, msg.body).toBe(201);
    // The customer also writes by email; the message as received goes into the dossier (.eml).
    const reply = await receiveEmail({
      database: db(),
      files: FileStore.inDataDir(TEST_DATA_DIR),
      raw: REPLY(code, email),
      mail: await parseInboundMail(REPLY(code, email)),
      envelopeFrom: email,
      receipt: { baseUrl: 'http://localhost:3000', companyName: 'Sen', locale: 'vi' },
    });
    expect(reply).toMatchObject({ outcome: 'threaded', code });
    const steps = [
      { url: `/api/v1/complaints/${code}/contacts`, payload: { method: 'call', summary: 'Gọi khách xác nhận đã nhận hồ sơ.' } },
      { url: `/api/v1/complaints/${code}/transitions`, payload: { to: 'investigating' } },
      { url: `/api/v1/complaints/${code}/proposals`, payload: { kind: 'repair', description: 'Thay mặt kính miễn phí.' } },
    ];
    for (const s of steps) {
      const r = await app.inject({ method: 'POST', url: s.url, headers: agent.headers, payload: s.payload });
      expect(r.statusCode, r.body).toBeLessThan(300);
      if (s.payload.to !== 'investigating') continue;
      // Verification: the carrier is asked, with the customer's photo.
      const inv = (await app.inject({ url: `/api/v1/complaints/${code}/investigation`, headers: agent.headers })).json() as {
        evidence: { id: string; filename: string }[];
      };
      const photo = inv.evidence.find((e) => e.filename === 'ảnh mặt kính.png')!;
      const asked = await app.inject({
        method: 'POST',
        url: `/api/v1/complaints/${code}/consultations`,
        headers: agent.headers,
        payload: { kind: 'external', partyName: 'Công ty Giao Nhanh', partyEmail: 'cskh@giaonhanh.vn', question: 'Gói hàng có bị móp khi giao không?', shareFileIds: [photo.id] },
      });
      expect(asked.statusCode, asked.body).toBe(201);
    }
    const offered = (await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${code}/proposals?contact=${phone}` })).json() as {
      proposals: { id: string }[];
    };
    const no = await app.inject({
      method: 'POST',
      url: `/api/v1/portal/complaints/${code}/proposals/${offered.proposals[0].id}/decision`,
      payload: { contact: phone, decision: 'reject', note: 'Tôi muốn đổi đồng hồ mới, không muốn sửa.' },
    });
    expect(no.statusCode, no.body).toBe(200);
  });
  afterAll(async () => app?.close());

  it('only a supervisor escalates, with a reason and one authority', async () => {
    const url = `/api/v1/complaints/${code}/escalations`;
    const hanoi = await authorityId('Sở Công Thương Hà Nội');
    expect((await app.inject({ method: 'POST', url, payload: { authorityId: hanoi, reason: 'x' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url, headers: agent.headers, payload: { authorityId: hanoi, reason: 'x' } })).statusCode).toBe(403);
    const cases = [
      { authorityId: hanoi, reason: '  ' },
      { reason: 'Không thỏa thuận được' },
      { authorityId: hanoi, authorityName: 'Tòa án', reason: 'Không thỏa thuận được' },
      { authorityId: '00000000-0000-4000-8000-000000000000', reason: 'Không thỏa thuận được' },
    ];
    for (const payload of cases) {
      const r = await app.inject({ method: 'POST', url, headers: supervisor.headers, payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(422);
    }
    expect(await count(sql`select count(*) as n from escalations e join complaints c on c.id = e.complaint_id where c.code = ${code}`)).toBe(0);
  });

  it('escalates: complaint escalated, both dossier hashes in the escalation and its timeline event', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/escalations`,
      headers: supervisor.headers,
      payload: { authorityId: await authorityId('Sở Công Thương Hà Nội'), reason: 'Hai bên không thỏa thuận được phương án sau hai lần đề xuất.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    escalation = res.json() as EscalationView;
    expect(escalation.authority).toMatchObject({ name: 'Sở Công Thương Hà Nội', kind: 'department_of_industry_trade' });
    expect(escalation.dossier.zipSha256).toMatch(/^[0-9a-f]{64}$/);
    const status = (await db().db.execute<{ status: string }>(sql`select status from complaints where code = ${code}`)).rows[0].status;
    expect(status).toBe('escalated');
    const row = (await db().db.execute<{ dossier_zip_sha256: string; dossier_pdf_sha256: string }>(sql`
      select dossier_zip_sha256, dossier_pdf_sha256 from escalations where id = ${escalation.id}`)).rows[0];
    const event = (await db().db.execute<{ payload: Record<string, unknown> }>(sql`
      select e.payload from timeline_events e join complaints c on c.id = e.complaint_id
      where c.code = ${code} and e.type = 'escalation.created'`)).rows[0].payload;
    expect(event).toMatchObject({
      authority: { name: 'Sở Công Thương Hà Nội' },
      dossierZipSha256: row.dossier_zip_sha256,
      dossierPdfSha256: row.dossier_pdf_sha256,
    });
    expect(row.dossier_zip_sha256).toBe(escalation.dossier.zipSha256);
    // The offered proposal was already answered; the customer sees where the complaint went.
    const pub = (await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${code}?contact=${phone}` })).json() as {
      status: string;
      timeline: { type: string; authority?: string }[];
    };
    expect(pub.status).toBe('escalated');
    expect(pub.timeline.find((e) => e.type === 'escalation.created')?.authority).toBe('Sở Công Thương Hà Nội');
    expect((await verifyAudit(db())).problems).toEqual([]);
  });

  it('serves the ZIP and the PDF; the PDF names the customer with diacritics, the code, the authority and the whole timeline', async () => {
    const z = await app.inject({ method: 'GET', url: escalation.dossier.zipUrl, headers: agent.headers });
    expect(z.statusCode).toBe(200);
    expect(z.headers['content-type']).toBe('application/zip');
    expect(z.headers['content-disposition']).toContain(`ho-so-${code}.zip`);
    zip = z.rawPayload;
    expect(sha256(zip)).toBe(escalation.dossier.zipSha256);
    const p = await app.inject({ method: 'GET', url: escalation.dossier.pdfUrl, headers: agent.headers });
    expect(p.statusCode).toBe(200);
    expect(p.headers['content-type']).toBe('application/pdf');
    expect(sha256(p.rawPayload)).toBe(escalation.dossier.pdfSha256);
    expect((await app.inject({ method: 'GET', url: escalation.dossier.pdfUrl })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/complaints/${code}/escalations/00000000-0000-4000-8000-000000000000/dossier.pdf`, headers: agent.headers }))
        .statusCode,
    ).toBe(404);

    const pdfFile = path.join(dir, 'ho-so.pdf');
    await writeFile(pdfFile, p.rawPayload);
    const text = (await run('pdftotext', ['-layout', pdfFile, '-'])).stdout;
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      customerName,
      code,
      'Tỉnh/thành phố: Hà Nội',
      'Đổi sản phẩm',
      'Từ “—” sang “Đồng hồ Sen Classic”',
      'Sở Công Thương Hà Nội',
      'Công ty TNHH Đồng Hồ Sen',
      'HỒ SƠ KHIẾU NẠI',
      'Tiếp nhận khiếu nại',
      'Liên hệ với khách hàng',
      'Khách hàng không đồng ý phương án',
      'Tôi đã gửi hóa đơn và ảnh chụp',
      'Thay mặt kính miễn phí.',
      'Xác nhận tiếp nhận khiếu nại',
      'hóa đơn mua hàng.pdf',
      sha256(PNG),
      'Số serial của đồng hồ là MTP-1374-0099.',
      'Gói hàng có bị móp khi giao không?',
      `Tệp gửi kèm câu hỏi: ảnh mặt kính.png (SHA-256 ${sha256(PNG).slice(0, 12)}`,
      'Bổ sung số serial',
      'thu-den-1.eml',
    ]) {
      expect(flat, expected).toContain(expected);
    }
    const events = (await db().db.execute<{ seq: number }>(sql`
      select e.seq from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} and e.type <> 'escalation.created'
        and e.seq < (select seq from timeline_events x where x.complaint_id = c.id and x.type = 'escalation.created')`)).rows;
    // Every event before the escalation is in the dossier's timeline, with its hash.
    const hashes = (await db().db.execute<{ hash: string }>(sql`
      select e.hash from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by seq limit ${events.length}`)).rows;
    for (const h of hashes) expect(flat).toContain(h.hash);
    const info = (await run('pdfinfo', [pdfFile])).stdout;
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('the ZIP holds the PDF, every original file and a manifest whose hashes match (checked with unzip)', async () => {
    const zipFile = path.join(dir, 'ho-so.zip');
    await writeFile(zipFile, zip);
    const listing = (await run('unzip', ['-l', zipFile])).stdout;
    expect(listing).toContain('manifest.json');
    expect(listing).toContain(`ho-so-${code}.pdf`);
    const manifest = JSON.parse((await run('unzip', ['-p', zipFile, 'manifest.json'])).stdout) as {
      complaintCode: string;
      generatedAt: string;
      generator: { name: string; version: string };
      entries: { path: string; size: number; sha256: string; kind: string; originalName?: string }[];
    };
    expect(manifest).toMatchObject({ complaintCode: code, generator: { name: 'sen', version: expect.any(String) } });
    expect(Date.parse(manifest.generatedAt)).not.toBeNaN();
    expect(manifest.entries.map((e) => e.originalName).filter(Boolean)).toEqual(['hóa đơn mua hàng.pdf', 'ảnh mặt kính.png', 'thu-den-1.eml']);
    expect(manifest.entries.map((e) => e.path)).toEqual([
      `ho-so-${code}.pdf`,
      `files/${sha256(PDF).slice(0, 12)}-hoa-don-mua-hang.pdf`,
      `files/${sha256(PNG).slice(0, 12)}-anh-mat-kinh.png`,
      `emails/${sha256(REPLY(code, email)).slice(0, 12)}-thu-den-1.eml`,
    ]);
    expect((await run('unzip', ['-p', zipFile, manifest.entries[3].path])).stdout).toContain(`Message-ID: <reply-${code}@example.vn>`);
    for (const e of manifest.entries) {
      const bytes = (await run('unzip', ['-p', zipFile, e.path], { encoding: 'buffer', maxBuffer: 50 * 1024 * 1024 })).stdout as unknown as Buffer;
      expect(bytes.length, e.path).toBe(e.size);
      expect(sha256(bytes), e.path).toBe(e.sha256);
    }
    expect(manifest.entries[0].sha256).toBe(escalation.dossier.pdfSha256);
    const test = await run('unzip', ['-t', zipFile]);
    expect(test.stdout).toContain('No errors detected');
  });

  it('sen dossier verify: exit 0 when intact, 1 naming an altered or a missing file, 2 on usage errors', async () => {
    const intact = path.join(dir, 'intact.zip');
    await writeFile(intact, zip);
    const ok = await sen(['dossier', 'verify', intact]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('INTACT');
    expect(ok.stdout).toContain(code);
    expect(ok.stdout).toContain(escalation.dossier.zipSha256);

    // One byte of the photo changed inside the archive.
    const altered = Buffer.from(zip);
    const at = altered.indexOf(PNG);
    expect(at).toBeGreaterThan(0);
    altered[at + PNG.length - 5] ^= 0xff;
    const alteredFile = path.join(dir, 'altered.zip');
    await writeFile(alteredFile, altered);
    const bad = await sen(['dossier', 'verify', alteredFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`ALTERED\\s+files/${sha256(PNG).slice(0, 12)}-anh-mat-kinh\\.png`));
    expect(bad.stdout).toContain('NOT INTACT');

    // One entry removed with the standard zip tool (which rewrites the archive).
    const removedFile = path.join(dir, 'removed.zip');
    await copyFile(intact, removedFile);
    await run('zip', ['-q', '-d', removedFile, `files/${sha256(PDF).slice(0, 12)}-hoa-don-mua-hang.pdf`]);
    const missing = await sen(['dossier', 'verify', removedFile]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/MISSING\s+files\/[0-9a-f]{12}-hoa-don-mua-hang\.pdf/);

    // A file slipped in that the manifest does not list.
    await writeFile(path.join(dir, 'ghi-chu.txt'), 'thêm vào sau');
    const extraFile = path.join(dir, 'extra.zip');
    await copyFile(intact, extraFile);
    await run('zip', ['-q', '-j', extraFile, path.join(dir, 'ghi-chu.txt')]);
    const extra = verifyDossierZip(await readFile(extraFile));
    expect(extra.intact).toBe(false);
    expect(extra.problems).toEqual([{ kind: 'extra', path: 'ghi-chu.txt' }]);
    // The zip tool's rewrite kept every other entry readable by Sen's reader.
    expect(readZip(await readFile(extraFile)).filter((e) => e.crcOk)).toHaveLength(6);

    expect((await sen(['dossier', 'verify'])).code).toBe(2);
    expect((await sen(['dossier', 'verify', path.join(dir, 'khong-co.zip')])).code).toBe(2);
    const notZip = path.join(dir, 'not.zip');
    await writeFile(notZip, 'not a zip at all');
    const garbage = await sen(['dossier', 'verify', notZip]);
    expect(garbage.code).toBe(1);
    expect(garbage.stdout).toContain('NOT INTACT');
  });

  it("records the hand-over and the authority's outcome as events; the complaint can then be closed", async () => {
    const url = `/api/v1/complaints/${code}/escalations/${escalation.id}`;
    const outcomeFirst = await app.inject({
      method: 'PATCH',
      url,
      headers: supervisor.headers,
      payload: { outcome: 'Hòa giải thành', outcomeAt: new Date().toISOString() },
    });
    expect(outcomeFirst.statusCode).toBe(422);
    const future = await app.inject({ method: 'PATCH', url, headers: supervisor.headers, payload: { handedOverAt: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(future.statusCode).toBe(422);
    // A hand-over dated before the escalation (before the dossier existed) is refused.
    const early = await app.inject({ method: 'PATCH', url, headers: supervisor.headers, payload: { handedOverAt: new Date(Date.now() - 3 * 86_400_000).toISOString(), referenceNo: '1/SCT' } });
    expect(early.statusCode).toBe(422);
    expect((early.json() as { error: { fields: { field: string; code: string }[] } }).error.fields).toEqual([expect.objectContaining({ field: 'handedOverAt', code: 'before_escalation' })]);
    const handedOverAt = new Date().toISOString();
    const handed = await app.inject({ method: 'PATCH', url, headers: supervisor.headers, payload: { handedOverAt, referenceNo: '125/SCT-QLTM' } });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json()).toMatchObject({ handedOverAt, referenceNo: '125/SCT-QLTM', outcome: null });
    const outcomeAt = new Date().toISOString();
    const done = await app.inject({
      method: 'PATCH',
      url,
      headers: supervisor.headers,
      payload: { outcome: 'Sở Công Thương hòa giải thành: doanh nghiệp đổi đồng hồ mới.', outcomeAt },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ outcome: 'Sở Công Thương hòa giải thành: doanh nghiệp đổi đồng hồ mới.', outcomeAt });
    // A corrected hand-over cannot move after the outcome already recorded; nothing changes.
    const afterOutcome = await app.inject({ method: 'PATCH', url, headers: supervisor.headers, payload: { handedOverAt: new Date(Date.now() + 120_000).toISOString() } });
    expect(afterOutcome.statusCode).toBe(422);
    expect((afterOutcome.json() as { error: { fields: { field: string; code: string }[] } }).error.fields).toEqual([expect.objectContaining({ field: 'handedOverAt', code: 'after_outcome' })]);
    const types = (await db().db.execute<{ type: string }>(sql`
      select e.type from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`)).rows.map((r) => r.type);
    expect(types.slice(-2)).toEqual(['escalation.handed_over', 'escalation.outcome']);
    const resolution = (await app.inject({ method: 'GET', url: `/api/v1/complaints/${code}/resolution`, headers: agent.headers })).json() as {
      escalations: EscalationView[];
    };
    expect(resolution.escalations).toEqual([expect.objectContaining({ id: escalation.id, referenceNo: '125/SCT-QLTM' })]);
    const closed = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/transitions`, headers: agent.headers, payload: { to: 'closed' } });
    expect(closed.statusCode, closed.body).toBe(200);
    expect((closed.json() as { status: string }).status).toBe('closed');
    expect((await verifyAudit(db())).problems).toEqual([]);
  });

  it('after the authority decided, the customer cannot reopen it in place: a new complaint is opened, linked', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/portal/complaints/${code}/reopen`,
      payload: { contact: phone, reason: 'Tôi không đồng ý với kết quả' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { outcome: string; code: string; previousCode: string };
    expect(out).toMatchObject({ outcome: 'new_complaint', previousCode: code });
    expect(out.code).not.toBe(code);
    const old = (await db().db.execute<{ status: string; reopen_count: number }>(sql`select status, reopen_count from complaints where code = ${code}`)).rows[0];
    expect(old).toEqual({ status: 'closed', reopen_count: 0 });
  });

  async function authorityId(name: string): Promise<string> {
    return (await db().db.execute<{ id: string }>(sql`select id from authorities where name = ${name}`)).rows[0].id;
  }
  async function count(query: ReturnType<typeof sql>): Promise<number> {
    return Number((await db().db.execute<{ n: string }>(query)).rows[0].n);
  }
});
