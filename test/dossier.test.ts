import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { TEST_DATA_DIR, buildIntake, buildTestApp, createStaff, multipart, randomPhone, staffWithToken } from './factories';
import { parseInboundMail } from '../src/channels/email/parse';
import { createTeam } from '../src/commands/create-team';
import { createCategory } from '../src/commands/manage-categories';
import { receiveEmail } from '../src/commands/receive-email';
import { verifyAudit } from '../src/commands/verify-audit';
import { LocalFileStore } from '../src/files/store';
import { loadDossierNames } from '../src/db/queries/dossier-names';
import { describeEvent, EVENT_VI, eventLabel } from '../src/documents/dossier-timeline';
import { formatVietnamDateTime } from '../src/domain/time';
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
  // Who the complaint was given to, as the authority must read it: names, never ids.
  const assigneeName = 'Lê Thị Thu Trang';
  const teamName = `Nhóm bảo hành ${phone}`;
  const categoryName = `Lỗi sản phẩm ${phone}`;
  const dueAt = new Date(Date.now() + 5 * 86_400_000);

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
    const assignee = await createStaff(db(), 'agent', assigneeName);
    const team = await createTeam({ database: db(), name: teamName });
    const category = await createCategory({ database: db(), name: categoryName });
    const staffSteps = [
      { method: 'PATCH' as const, url: `/api/v1/complaints/${code}`, payload: { priority: 'high', categoryId: category.id } },
      { method: 'POST' as const, url: `/api/v1/complaints/${code}/assign`, payload: { assigneeId: assignee.id, teamId: team.id } },
      { method: 'POST' as const, url: `/api/v1/complaints/${code}/notes`, payload: { body: 'Đã đối chiếu lô hàng với kho.' } },
      { method: 'PUT' as const, url: `/api/v1/complaints/${code}/due-date`, payload: { dueAt: dueAt.toISOString() } },
    ];
    for (const s of staffSteps) {
      const r = await app.inject({ ...s, headers: supervisor.headers });
      expect(r.statusCode, `${s.url} ${r.body}`).toBeLessThan(300);
    }
    const msg = await app.inject({
      method: 'POST',
      url: `/api/v1/portal/complaints/${code}/messages`,
      payload: { contact: phone, message: 'Tôi đã gửi hóa đơn và ảnh chụp, mong được đổi đồng hồ mới.' },
    });
    expect(msg.statusCode, msg.body).toBe(201);
    // The customer also writes by email; the message as received goes into the dossier (.eml).
    const reply = await receiveEmail({
      database: db(),
      files: LocalFileStore.inDataDir(TEST_DATA_DIR),
      raw: REPLY(code, email),
      mail: await parseInboundMail(REPLY(code, email)),
      envelopeFrom: email,
      receipt: { baseUrl: 'http://localhost:3000', companyName: 'Sen' },
    });
    expect(reply).toMatchObject({ outcome: 'threaded', code });
    // A second one gives a card number: its copy is kept masked, and the dossier says so.
    const withCard = Buffer.from(
      REPLY(code, email)
        .toString('utf8')
        .replace(`<reply-${code}@`, `<card-${code}@`)
        .replace('Số serial của đồng hồ là MTP-1374-0099.', 'Tôi đã trả bằng thẻ 4111 1111 1111 1111, bị trừ tiền hai lần.'),
    );
    const second = await receiveEmail({
      database: db(),
      files: LocalFileStore.inDataDir(TEST_DATA_DIR),
      raw: withCard,
      mail: await parseInboundMail(withCard),
      envelopeFrom: email,
      receipt: { baseUrl: 'http://localhost:3000', companyName: 'Sen' },
    });
    expect(second).toMatchObject({ outcome: 'threaded', code });
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
    // The customer's copy of their data names the authority their complaint was given to, and when.
    const admin = await staffWithToken(db(), 'admin');
    const customerId = (await db().db.execute<{ customer_id: string }>(sql`select customer_id from complaints where code = ${code}`)).rows[0].customer_id;
    const exported = (await app.inject({ url: `/api/v1/customers/${customerId}/personal-data`, headers: admin.headers })).json() as {
      complaints: { code: string; sharedWith: { kind: string; recipient: string; at: string }[] }[];
    };
    expect(exported.complaints.find((c) => c.code === code)?.sharedWith).toEqual([
      // The carrier consulted earlier in this complaint (it never opened its link here).
      { kind: 'consultation', recipient: 'Công ty Giao Nhanh', at: expect.any(String), files: 1, openedAt: null },
      { kind: 'authority', recipient: 'Sở Công Thương Hà Nội', at: expect.any(String) },
    ]);
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
      'thu-den-2.eml',
      'bản lưu đã che số thẻ thanh toán (PCI DSS); phần còn lại giữ nguyên như khi nhận',
      'Phân công xử lý',
      `Người phụ trách: ${assigneeName}`,
      `Nhóm xử lý: ${teamName}`,
      'Đổi mức ưu tiên',
      'Từ “Bình thường” sang “Cao”',
      `Từ “—” sang “${categoryName}”`,
      'Đã đối chiếu lô hàng với kho.',
      `Hạn xử lý đặt thủ công: ${formatVietnamDateTime(dueAt)}`,
    ]) {
      expect(flat, expected).toContain(expected);
    }
    // No raw payload and no internal id anywhere; the escalation's own id is the dossier's reference number.
    expect(flat).not.toContain('{"');
    expect(flat.replaceAll(escalation.id, '')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/i);
    expect(flat).not.toContain('(không rõ)');
    // Said of the masked copy only: the first email is kept as received.
    expect(flat.split('bản lưu đã che số thẻ')).toHaveLength(2);
    expect(flat.indexOf('bản lưu đã che số thẻ')).toBeGreaterThan(flat.indexOf('thu-den-2.eml'));
    expect(flat.replace(/\D/g, '')).not.toContain('4111111111111111');
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
    expect(manifest.entries.map((e) => e.originalName).filter(Boolean)).toEqual(['hóa đơn mua hàng.pdf', 'ảnh mặt kính.png', 'thu-den-1.eml', 'thu-den-2.eml']);
    expect(manifest.entries.map((e) => e.path)).toEqual([
      `ho-so-${code}.pdf`,
      `files/${sha256(PDF).slice(0, 12)}-hoa-don-mua-hang.pdf`,
      `files/${sha256(PNG).slice(0, 12)}-anh-mat-kinh.png`,
      `emails/${sha256(REPLY(code, email)).slice(0, 12)}-thu-den-1.eml`,
      expect.stringMatching(/^emails\/[0-9a-f]{12}-thu-den-2\.eml$/),
    ]);
    const masked = (await run('unzip', ['-p', zipFile, manifest.entries[4].path])).stdout;
    expect(masked).toMatch(/^X-Sen-Redacted: /);
    expect(masked).toContain('**** **** **** 1111');
    expect(masked).not.toContain('4111 1111 1111 1111');
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
    expect(readZip(await readFile(extraFile)).filter((e) => e.crcOk)).toHaveLength(7);

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
    // The customer was told each step by email: sent to the authority, taken (its reference), decided; each once.
    const mails = (
      await db().db.execute<{ subject: string; text: string }>(sql`
        select m.subject, m.text from outbound_messages m join complaints c on c.id = m.complaint_id
        where c.code = ${code} and m.to_address = ${email} and m.dedupe_key like 'escalation:%' order by m.created_at`)
    ).rows;
    expect(mails.map((m) => m.subject)).toEqual([
      `[${code}] Khiếu nại đã được chuyển đến Sở Công Thương Hà Nội`,
      `[${code}] Sở Công Thương Hà Nội đã tiếp nhận hồ sơ khiếu nại`,
      `[${code}] Kết quả giải quyết của Sở Công Thương Hà Nội`,
    ]);
    expect(mails[0].text).toContain('toàn bộ hồ sơ, chứng cứ');
    expect(mails[1].text).toContain('Số thụ lý / số văn bản của cơ quan: 125/SCT-QLTM.');
    expect(mails[2].text).toContain('doanh nghiệp đổi đồng hồ mới.');
    // The reason for escalating stays internal.
    expect(mails[0].text).not.toContain('Hai bên không thỏa thuận được phương án');
    // And the status page shows them.
    const publicView = (await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(phone)}` })).json() as {
      timeline: { type: string; referenceNo?: string; outcome?: string }[];
    };
    expect(publicView.timeline.filter((e) => e.type.startsWith('escalation.')).map((e) => [e.type, e.referenceNo ?? e.outcome ?? null])).toEqual([
      ['escalation.created', null],
      ['escalation.handed_over', '125/SCT-QLTM'],
      ['escalation.outcome', 'Sở Công Thương hòa giải thành: doanh nghiệp đổi đồng hồ mới.'],
    ]);
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

  it('loadDossierNames names the staff, team and category a timeline refers to by id, and skips ids it does not know', async () => {
    const events = (await db().db.execute<{ payload: Record<string, unknown> }>(sql`
      select e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`)).rows;
    const gone = randomUUID();
    const names = await loadDossierNames(db(), [...events, { payload: { assigneeId: gone, note: 'not-an-id' } }]);
    expect(Object.values(names.staff)).toContain(assigneeName);
    expect(Object.values(names.teams)).toContain(teamName);
    expect(Object.values(names.categories)).toContain(categoryName);
    expect(names.staff[gone]).toBeUndefined();
    expect(await loadDossierNames(db(), [])).toEqual({ staff: {}, teams: {}, categories: {}, rootCauses: {} });
  });

  async function authorityId(name: string): Promise<string> {
    return (await db().db.execute<{ id: string }>(sql`select id from authorities where name = ${name}`)).rows[0].id;
  }
  async function count(query: ReturnType<typeof sql>): Promise<number> {
    return Number((await db().db.execute<{ n: string }>(query)).rows[0].n);
  }
});

describe('dossier timeline wording', () => {
  const id = () => randomUUID();
  const sha = 'a'.repeat(64);
  const [staffA, staffB, teamA, catA, catB, causeA, proposalA, requestA, consultA] = Array.from({ length: 9 }, id);
  const gone = id();
  const at = '2026-11-26T03:05:00.000Z';
  const attachments = [{ filename: 'hóa đơn.pdf', contentType: 'application/pdf', size: 10, sha256: sha }];
  const clocks = [{ op: 'start', kind: 'resolution', dueAt: at }];
  /** One payload of every event type Sen writes, shaped as the commands and jobs write them. */
  const samples: Record<string, Record<string, unknown>> = {
    'complaint.created': { channel: 'web', subject: 'Đồng hồ nứt kính', orderRef: 'DH-1' },
    'complaint.linked': { previousCode: 'KN-2026-000123', previousId: id() },
    'complaint.merged_in': { from: 'KN-2026-000124', sameCustomer: true },
    'email.converted': { rejectId: id() },
    'personal_data.anonymised': { reason: 'request', redacted: [1, 2, 4].map((seq) => ({ seq, hash: 'c'.repeat(64) })), note: 'YC-000007' },
    'status.changed': { from: 'investigating', to: 'awaiting_customer', cause: 'information_request', clocks },
    'assignment.changed': { assigneeId: staffA, teamId: teamA, previousAssigneeId: gone, previousTeamId: null },
    'note.added': { body: 'Ghi chú nội bộ cho hồ sơ.', mentions: [staffA, gone] },
    'category.changed': { from: catA, to: catB },
    'priority.changed': { from: 'normal', to: 'urgent' },
    'vulnerability.changed': { from: null, to: 'elderly' },
    'product.changed': { from: null, to: 'Đồng hồ Sen' },
    'customer_province.changed': { from: 'Hà Nội', to: 'Hải Phòng' },
    'language.changed': { from: 'vi', to: 'en' },
    'customer.contact_confirmed': { field: 'email', value: 'lan@khach.vn', previous: null },
    'customer.corrected': { changes: { name: { old: 'Nguyễn Thị Hương Ánhh', new: 'Nguyễn Thị Hương Ánh' }, phone: { old: '+84912345678', new: '+84987654321' } }, reason: 'Khách báo sai chính tả' },
    'complaint.corrected': { changes: { orderRef: { old: 'DH-1', new: 'DH-11' }, subject: { old: 'Dong ho', new: 'Đồng hồ nứt kính' } } },
    'customer.merged': { into: staffA, from: staffA, fromName: 'Hương Nguyễn', moved: true, gained: { email: 'huong@khach.vn' }, reason: 'Cùng một người' },
    'contact.logged': { method: 'call', summary: 'Gọi khách.', call: { caller: '+84912345678', startedAt: at, endedAt: at }, clocks },
    'sms.sent': { to: '+84912345678', text: 'Dien may Sen: may moi se giao thu Sau.', clocks },
    'reply.sent': {
      to: 'lan@khach.vn',
      body: 'Chúng tôi đã nhận được ảnh, sẽ đổi máy mới trong tuần này.',
      attachments: [{ filename: 'phieu-doi-hang.pdf', contentType: 'application/pdf', size: 2048, sha256: 'c'.repeat(64) }],
      clocks,
    },
    'call.ended': { callId: id(), durationSeconds: 125, recordingUrl: `https://pbx.example.vn/rec/${id()}.mp3` },
    'message.received': { body: 'Tôi gửi thêm ảnh.', subject: 'Re: ảnh', from: 'a@example.vn', messageId: `<${id()}@example.vn>`, attachments, clocks },
    'attachments.added': { attachments },
    'due_date.set': { dueAt: at },
    'sla.reminder': { clock: 'resolution', percent: 80, dueAt: at },
    'sla.breached': { clock: 'acknowledgement', percent: 100, dueAt: at },
    'sla.recomputed': { reason: 'calendar', changes: [{ clock: 'resolution', from: at, to: at }] },
    'info_request.created': { requestId: requestA, items: [{ kind: 'invoice' }, { kind: 'other', text: 'Số serial' }], message: 'Xin gửi hóa đơn.', dueAt: at, dueDays: 5, clientKey: id(), clocks },
    'info_request.reminded': { requestId: requestA, dueAt: at, mailed: false },
    'info_request.answered': { requestId: requestA, answer: 'Đã gửi.', attachments, late: true, clocks },
    'info_request.expired': { requestId: requestA, dueAt: at },
    'info_request.cancelled': { requestId: requestA, cause: 'status_withdrawn' },
    'evidence.verified': { sha256: sha, filename: 'hóa đơn.pdf', status: 'verified', note: 'Khớp với đơn hàng.', previous: null },
    'evidence.disputed': { sha256: sha, filename: 'ảnh.png', status: 'disputed', previous: 'verified' },
    'consultation.requested': { consultationId: consultA, target: { kind: 'internal', teamId: teamA, teamName: 'Kho vận' }, question: 'Lô hàng có lỗi?', dueAt: at, dueDays: 3, sharedFiles: attachments },
    'consultation.resent': { consultationId: consultA, email: 'kho@example.vn' },
    'consultation.answered': { consultationId: consultA, answer: 'Có lỗi lô.', by: { staff: { id: staffB, name: 'Phạm Văn Kho' } }, late: true },
    'consultation.overdue': { consultationId: consultA, dueAt: at, target: 'Kho vận' },
    'consultation.cancelled': { consultationId: consultA, reason: 'Không cần nữa' },
    'proposal.created': { proposalId: proposalA, kind: 'refund', description: 'Hoàn tiền.', amountVnd: 1_850_000, needsApproval: true },
    'proposal.approved': { proposalId: proposalA, note: 'Đồng ý.' },
    'proposal.approval_rejected': { proposalId: proposalA, note: 'Xem lại số tiền.' },
    'proposal.offered': { proposalId: proposalA, kind: 'refund', description: 'Hoàn tiền.', amountVnd: 1_850_000 },
    'proposal.accepted': { proposalId: proposalA, channel: 'portal', at },
    'proposal.rejected': { proposalId: proposalA, channel: 'hotline', at, note: 'Muốn đổi mới.' },
    'proposal.implemented': { proposalId: proposalA, doneAt: at, refundReference: 'HT-1' },
    'proposal.withdrawn': { proposalId: proposalA, from: 'offered', cause: 'complaint_escalated' },
    'root_cause.set': { rootCause: { id: causeA, name: 'Lỗi đóng gói', nameEn: 'Packing' }, previousId: gone },
    'corrective_action.linked': { actionId: id(), title: 'Đổi nhà cung cấp hộp' },
    'corrective_action.unlinked': { actionId: id(), title: 'Đổi nhà cung cấp hộp' },
    'escalation.created': { escalationId: id(), authority: { id: id(), name: 'Sở Công Thương Hà Nội', kind: 'department_of_industry_trade' }, reason: 'Không thỏa thuận được', dossierZipSha256: sha, dossierPdfSha256: sha, dossierZipSize: 1, dossierPdfSize: 1 },
    'escalation.handed_over': { escalationId: id(), handedOverAt: at, referenceNo: '125/SCT', previous: { handedOverAt: at, referenceNo: null } },
    'escalation.outcome': { escalationId: id(), outcome: 'Hòa giải thành', outcomeAt: at },
    'survey.sent': { resolutionNo: 1, to: 'a@example.vn', expiresAt: at },
    'survey.answered': { resolutionNo: 1, rating: 4, comment: 'Tốt', via: 'link' },
  };
  const events = Object.entries(samples).map(([type, payload]) => ({ type, payload }));
  const ctx = {
    customerName: 'Nguyễn Thị Hương Ánh',
    names: { staff: { [staffA]: 'Lê Thị Thu Trang' }, teams: { [teamA]: 'Nhóm bảo hành' }, categories: { [catA]: 'Giao hàng', [catB]: 'Chất lượng' }, rootCauses: {} },
    events,
  };
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/i;

  it('every event type written in src/commands and src/jobs has a Vietnamese label and a sample here', async () => {
    const root = path.join(import.meta.dirname, '..', 'src');
    const found = new Set<string>();
    for (const dir of ['commands', 'jobs']) {
      for (const f of await readdir(path.join(root, dir), { recursive: true })) {
        if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
        for (const m of (await readFile(path.join(root, dir, f), 'utf8')).matchAll(/'([a-z_]+\.[a-z_]+)'/g)) found.add(m[1]);
      }
    }
    // Job names and an ability, not timeline events.
    // complaint.note, reminder.own, complaint.transition: abilities (src/policies) whose roles the notices, jobs and staff changes look up.
    const notEvents = ['followup.sweep', 'imap.poll', 'investigation.sweep', 'mail.deliver', 'proposal.approve', 'sla.sweep', 'db.maintenance', 'db.backup', 'personal_data.requests', 'personal_data.retention', 'data_request.overdue', 'data_request.reply_overdue', 'data_breach.recorded', 'data_breach.notice_overdue', 'files.delete_failed', 'note.mentioned', 'reminder.due', 'reminders.sweep', 'notices.digest', 'complaint.note', 'reminder.own', 'complaint.transition', 'routing.sweep', 'routing.manage', 'routing.read', 'sms.receipts', 'sms.deliver'];
    const events = [...found].filter((t) => !notEvents.includes(t)).sort();
    expect(events.filter((t) => !EVENT_VI[t])).toEqual([]);
    expect(events.filter((t) => !samples[t])).toEqual([]);
  });

  it('describes every event as Vietnamese text with names: no JSON, no id, no hash', () => {
    for (const { type, payload } of events) {
      const text = describeEvent(type, payload, ctx);
      expect(text, type).not.toContain('{');
      expect(text, type).not.toMatch(UUID);
      expect(text, type).not.toContain(sha);
      expect(text, type).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(eventLabel(type), type).toBe(EVENT_VI[type]);
    }
    const d = (type: string) => describeEvent(type, samples[type], ctx);
    expect(d('assignment.changed')).toBe('Người phụ trách: Lê Thị Thu Trang (trước đó: (không rõ)); Nhóm xử lý: Nhóm bảo hành');
    expect(d('status.changed')).toBe('Từ “Đang xác minh” sang “Chờ khách hàng bổ sung”');
    expect(d('personal_data.anonymised')).toBe('Dữ liệu cá nhân của khách hàng đã được ẩn danh theo yêu cầu của khách hàng (YC-000007); nội dung của 3 mục nhật ký đã được xoá');
    expect(d('category.changed')).toBe('Từ “Giao hàng” sang “Chất lượng”');
    expect(d('priority.changed')).toBe('Từ “Bình thường” sang “Khẩn cấp”');
    expect(d('vulnerability.changed')).toBe('Từ “không thuộc nhóm nào” sang “Người cao tuổi”');
    expect(d('language.changed')).toBe('Từ “Tiếng Việt” sang “Tiếng Anh”');
    expect(describeEvent('complaint.created', { channel: 'email', subject: 'Refund', language: 'en' }, ctx)).toBe(
      'Kênh: Email; tiêu đề: Refund; ngôn ngữ liên lạc: Tiếng Anh',
    );
    expect(describeEvent('priority.changed', { from: 'normal', to: 'high', reason: 'vulnerable' }, ctx)).toBe(
      'Từ “Bình thường” sang “Cao” (người tiêu dùng thuộc nhóm được ưu tiên, Điều 8)',
    );
    expect(d('due_date.set')).toBe('Hạn xử lý đặt thủ công: 26/11/2026 10:05');
    expect(d('proposal.created')).toBe('Hoàn tiền — 1.850.000 ₫ — Hoàn tiền. — (cần phê duyệt)');
    expect(d('proposal.withdrawn')).toBe('Phương án 1 (Hoàn tiền), đang ở tình trạng “Đã gửi khách hàng, chờ trả lời” — do khiếu nại được chuyển cơ quan có thẩm quyền');
    expect(d('consultation.answered')).toContain('Tham vấn phòng ban Kho vận; Phạm Văn Kho trả lời: Có lỗi lô.');
    expect(d('info_request.expired')).toBe('Yêu cầu bổ sung: Hoá đơn mua hàng; Số serial; khách hàng không trả lời trước hạn 26/11/2026 10:05');
    expect(d('root_cause.set')).toBe('Lỗi đóng gói (trước đó: (không rõ))');
    // Colleagues named in a note, by name (one no longer known as such).
    expect(d('note.added')).toBe('Ghi chú nội bộ cho hồ sơ. (nhắc: Lê Thị Thu Trang, (không rõ))');
    expect(describeEvent('note.added', { body: 'Không nhắc ai.' }, ctx)).toBe('Không nhắc ai.');
    expect(d('customer.corrected')).toBe(
      'Họ tên: từ “Nguyễn Thị Hương Ánhh” thành “Nguyễn Thị Hương Ánh”; Số điện thoại: từ “0912345678” thành “0987654321”; lý do: Khách báo sai chính tả',
    );
    // Mail waiting for a corrected address followed it, or stopped when the address was removed.
    expect(describeEvent('customer.corrected', { changes: { email: { old: 'lan@khac.vn', new: 'lan@khach.vn' } }, mail: { redirected: 2 } }, ctx)).toBe(
      'Email: từ “lan@khac.vn” thành “lan@khach.vn”; 2 thư chưa gửi được chuyển sang địa chỉ mới',
    );
    expect(describeEvent('customer.corrected', { changes: { email: { old: 'lan@khac.vn', new: null } }, mail: { stopped: 1 } }, ctx)).toBe(
      'Email: từ “lan@khac.vn” thành “(trống)”; 1 thư đang chờ gửi đã dừng vì email bị xoá',
    );
    expect(d('complaint.corrected')).toBe('Mã đơn hàng: từ “DH-1” thành “DH-11”; Tiêu đề: từ “Dong ho” thành “Đồng hồ nứt kính”');
    expect(d('sms.sent')).toBe('Gửi đến +84912345678: Dien may Sen: may moi se giao thu Sau.');
    expect(d('reply.sent')).toBe('Gửi đến lan@khach.vn: Chúng tôi đã nhận được ảnh, sẽ đổi máy mới trong tuần này. (tệp đính kèm: phieu-doi-hang.pdf)');
    expect(d('call.ended')).toBe('Thời lượng cuộc gọi: 2 phút 5 giây; có bản ghi âm tại tổng đài');
    // Unassigned by the SLA sweep; and without names at all, an id is never printed.
    expect(describeEvent('assignment.changed', { assigneeId: null, teamId: null, previousAssigneeId: staffA, previousTeamId: null, reason: 'sla_breach' }, ctx)).toBe(
      'Người phụ trách: chưa có (bỏ phân công) (trước đó: Lê Thị Thu Trang); hệ thống tự động bỏ phân công vì quá hạn xử lý',
    );
    // Handed back when the person left.
    expect(describeEvent('assignment.changed', { assigneeId: null, teamId: null, previousAssigneeId: staffA, previousTeamId: null, reason: 'staff_left' }, ctx)).toBe(
      'Người phụ trách: chưa có (bỏ phân công) (trước đó: Lê Thị Thu Trang); trả về hàng đợi của nhóm vì người phụ trách đã nghỉ hoặc đổi vai trò',
    );
    expect(describeEvent('assignment.changed', samples['assignment.changed'], { ...ctx, names: undefined })).toBe(
      'Người phụ trách: (không rõ) (trước đó: (không rõ)); Nhóm xử lý: (không rõ)',
    );
  });

  it('an event type it does not know prints its readable fields under Vietnamese names, never JSON or ids', () => {
    const text = describeEvent('widget.moved', { widgetId: id(), note: 'Đã chuyển', amountVnd: 1_850_000, at, token: sha, nested: { a: 1 }, ok: true, ref: id() }, ctx);
    expect(text).toBe('Ghi chú: Đã chuyển; Số tiền: 1.850.000 ₫; Thời điểm: 26/11/2026 10:05; Chi tiết: có');
    expect(eventLabel('widget.moved')).toBe('Sự kiện khác');
  });
});
