import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { PNG, TEST_DATA_DIR, multipart, buildTestApp, createStaff, randomPhone, seedComplaint, staffWithToken, testConfig } from './factories';
import { assignComplaint } from '../src/commands/assign-complaint';
import { requestInformation } from '../src/commands/request-information';
import { requestConsultation } from '../src/commands/request-consultation';
import { receiveEmail } from '../src/commands/receive-email';
import { parseInboundMail } from '../src/channels/email/parse';
import { runInvestigationSweep } from '../src/jobs/investigation-sweep';
import { findComplaint } from '../src/db/queries/complaints';
import { verifyAudit } from '../src/commands/verify-audit';
import { updateWorkflowPolicy } from '../src/commands/update-workflow-policy';
import { DEFAULT_WORKFLOW } from '../src/domain/workflow';
import { linkSecret } from '../src/db/queries/settings';
import { addWorkingDays, defaultCalendar } from '../src/domain/calendar';
import { signLink } from '../src/domain/signed-links';
import { LocalFileStore } from '../src/files/store';
import type { Database } from '../src/db/open';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** Another PNG (different bytes, so a different hash). */
const PNG2 = Buffer.concat([PNG, Buffer.from('sen')]);

const vn = (isoLocal: string) => new Date(`${isoLocal}+07:00`);
const config = testConfig();
const mailSettings = { baseUrl: config.baseUrl, companyName: config.companyName };

type Json = Record<string, unknown>;

async function eventsOf(database: Database, code: string) {
  const r = await database.db.execute<{ type: string; actor_type: string; payload: Json }>(sql`
    select e.type, e.actor_type, e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`);
  return r.rows;
}

async function mailsOf(database: Database, code: string) {
  const r = await database.db.execute<{ to_address: string; subject: string; text: string; message_id: string }>(sql`
    select m.to_address, m.subject, m.text, m.message_id from outbound_messages m join complaints c on c.id = m.complaint_id
    where c.code = ${code} order by m.created_at, m.id`);
  return r.rows;
}

async function count(database: Database, q: ReturnType<typeof sql>): Promise<number> {
  return Number((await database.db.execute<{ n: string }>(q)).rows[0].n);
}

/** A complaint whose customer gave both a phone and an email. */
async function complaintWithContacts(database: Database, now?: Date) {
  const phone = randomPhone();
  const email = `khach.${randomUUID().slice(0, 8)}@example.com`;
  const created = await seedComplaint(database, { input: { customer: { name: 'Trần Thị Lan', phone, email } }, now });
  return { code: created.code, phone, email };
}

async function makeTeam(database: Database, prefix: string) {
  const r = await database.db.execute<{ id: string }>(sql`insert into teams (name) values (${`${prefix} ${randomUUID().slice(0, 6)}`}) returning id`);
  const teamId = r.rows[0].id;
  const member = await staffWithToken(database, 'department');
  await database.db.execute(sql`update staff_users set team_id = ${teamId} where id = ${member.user.id}`);
  return { teamId, member };
}

describeEachDatabase('verification step: information requests, evidence, consultations', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;
  let department: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
    auditor = await staffWithToken(db(), 'auditor');
    department = await staffWithToken(db(), 'department');
  });
  afterAll(async () => app?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = agent.headers) =>
    app.inject({ method: 'POST', url, headers, payload: payload as Json });
  const get = (url: string, headers: Record<string, string> = agent.headers) => app.inject({ method: 'GET', url, headers });
  const postMultipart = (url: string, fields: Record<string, string>, files: Parameters<typeof multipart>[1], headers: Record<string, string> = {}) => {
    const body = multipart(fields, files);
    return app.inject({ method: 'POST', url, payload: body.payload, headers: { ...headers, ...body.headers } });
  };

  it('requires authentication and the right role on every new staff route', async () => {
    const { code } = await complaintWithContacts(db());
    const id = randomUUID();
    const sha = 'a'.repeat(64);
    const routes: { method: 'GET' | 'POST'; url: string; payload?: Json; forbidden: Record<string, string>[] }[] = [
      { method: 'GET', url: `/api/v1/complaints/${code}/investigation`, forbidden: [department.headers] },
      { method: 'POST', url: `/api/v1/complaints/${code}/information-requests`, payload: { items: [{ kind: 'invoice' }] }, forbidden: [auditor.headers, department.headers] },
      { method: 'POST', url: `/api/v1/complaints/${code}/information-requests/${id}/cancel`, payload: {}, forbidden: [auditor.headers, department.headers] },
      { method: 'POST', url: `/api/v1/complaints/${code}/attachments/${sha}/verification`, payload: { status: 'verified' }, forbidden: [auditor.headers, department.headers] },
      { method: 'POST', url: `/api/v1/complaints/${code}/consultations`, payload: { kind: 'internal', question: '?' }, forbidden: [auditor.headers, department.headers] },
      { method: 'GET', url: '/api/v1/consultations?mine=1', forbidden: [auditor.headers] },
      { method: 'GET', url: `/api/v1/consultations/${id}`, forbidden: [auditor.headers] },
      { method: 'GET', url: `/api/v1/consultations/${id}/files/${sha}`, forbidden: [auditor.headers] },
      { method: 'POST', url: `/api/v1/consultations/${id}/answer`, payload: {}, forbidden: [auditor.headers] },
      { method: 'POST', url: `/api/v1/consultations/${id}/resend`, payload: {}, forbidden: [auditor.headers, department.headers] },
      { method: 'POST', url: `/api/v1/consultations/${id}/cancel`, payload: {}, forbidden: [auditor.headers, department.headers] },
    ];
    for (const r of routes) {
      const anonymous = await app.inject({ method: r.method, url: r.url, payload: r.payload });
      expect(anonymous.statusCode, `${r.method} ${r.url}`).toBe(401);
      for (const headers of r.forbidden) {
        const res = await app.inject({ method: r.method, url: r.url, payload: r.payload, headers });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      }
    }
    // Nothing was changed by any of them.
    expect((await findComplaint(db(), code))!.status).toBe('received');
  });

  it('an information request moves the complaint to awaiting_customer, pauses the resolution clock and emails the customer; a double submit stores one', async () => {
    const { code, phone, email } = await complaintWithContacts(db());
    const url = `/api/v1/complaints/${code}/information-requests`;
    const body = {
      items: [{ kind: 'invoice' }, { kind: 'photos' }, { kind: 'other', text: 'Số serial ghi trên hộp' }],
      message: 'Xin gửi ảnh chụp mặt kính bị nứt và hoá đơn.',
      clientKey: 'form-1',
    };
    const res = await post(url, body);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as { request: { id: string; dueAt: string; createdAt: string; status: string; items: unknown[] } };
    expect(created.request.status).toBe('open');
    expect(created.request.items).toEqual(body.items);
    expect(created.request.dueAt).toBe(addWorkingDays(new Date(created.request.createdAt), 5, defaultCalendar()).toISOString());

    const row = (await findComplaint(db(), code))!;
    expect(row.status).toBe('awaiting_customer');
    expect(row.clocks.resolution!.pausedAt).not.toBeNull();
    // The request is the first contact: the acknowledgement clock stopped (met).
    expect(row.clocks.acknowledgement!.stoppedAt).not.toBeNull();
    const types = (await eventsOf(db(), code)).map((e) => e.type);
    expect(types).toEqual(['complaint.created', 'info_request.created', 'status.changed', 'status.changed', 'status.changed']);

    const mail = (await mailsOf(db(), code)).filter((m) => m.subject.includes('bổ sung'));
    expect(mail).toHaveLength(1);
    expect(mail[0].to_address).toBe(email);
    expect(mail[0].subject).toContain(`[${code}]`);
    expect(mail[0].text).toContain('Hoá đơn mua hàng');
    expect(mail[0].text).toContain('Hình ảnh sản phẩm');
    expect(mail[0].text).toContain('Số serial ghi trên hộp');
    expect(mail[0].text).toContain(`${config.baseUrl}/tra-cuu?code=${code}`);
    const due = new Date(created.request.dueAt);
    const dd = new Date(due.getTime() + 7 * 3600_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    expect(mail[0].text).toContain(`trước ngày ${dd}`);

    // A double click (same client key), a retry without one, or a different second request: still one request.
    expect((await post(url, body)).statusCode).toBe(200);
    const again = await post(url, { ...body, clientKey: undefined });
    expect(again.statusCode).toBe(200);
    expect((again.json() as { request: { id: string } }).request.id).toBe(created.request.id);
    const other = await post(url, { items: [{ kind: 'order_id' }], message: 'Khác' });
    expect(other.statusCode).toBe(409);
    expect((other.json() as { error: { code: string } }).error.code).toBe('info_request_open');
    expect(await count(db(), sql`select count(*) as n from info_requests r join complaints c on c.id = r.complaint_id where c.code = ${code}`)).toBe(1);
    expect((await mailsOf(db(), code)).filter((m) => m.subject.includes('bổ sung'))).toHaveLength(1);

    // The customer sees the open request after proving who they are; a wrong contact learns nothing.
    const wrong = await get(`/api/v1/portal/complaints/${code}/information?contact=0900000001`, {});
    expect(wrong.statusCode).toBe(404);
    const view = await get(`/api/v1/portal/complaints/${code}/information?contact=${encodeURIComponent(phone)}`, {});
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ code, status: 'awaiting_customer', request: { id: created.request.id, items: body.items, message: body.message, dueAt: created.request.dueAt } });
    const status = await get(`/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(email)}`, {});
    const publicTimeline = (status.json() as { timeline: { type: string; items?: unknown }[] }).timeline;
    expect(publicTimeline.find((e) => e.type === 'info_request.created')?.items).toEqual(body.items);

    // A validation error names the field and stores nothing.
    const bad = await post(`/api/v1/complaints/${(await complaintWithContacts(db())).code}/information-requests`, { items: [{ kind: 'other' }] });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { error: { fields: { field: string }[] } }).error.fields[0].field).toBe('items[0].text');
  });

  it('the customer answers on the portal with a file: request answered, complaint back to investigating, clock running again; bad input stores nothing', async () => {
    const { code, phone } = await complaintWithContacts(db());
    const res = await post(`/api/v1/complaints/${code}/information-requests`, { items: [{ kind: 'invoice' }], message: 'Xin gửi hoá đơn.' });
    const requestId = (res.json() as { request: { id: string } }).request.id;
    const url = `/api/v1/portal/complaints/${code}/information`;
    const attachments = () => count(db(), sql`select count(*) as n from attachments a join complaints c on c.id = a.complaint_id where c.code = ${code}`);

    const fake = await postMultipart(url, { contact: phone, requestId, message: 'Hoá đơn đây' }, [
      { filename: 'hoa-don.pdf', type: 'application/pdf', content: Buffer.from('không phải PDF') },
    ]);
    expect(fake.statusCode).toBe(422);
    expect((fake.json() as { error: { fields: { field: string; code: string }[] } }).error.fields[0]).toMatchObject({ field: 'files[0]', code: 'file_type_not_allowed' });
    const wrongContact = await postMultipart(url, { contact: '0900000002', requestId, message: 'Hoá đơn đây' }, [{ filename: 'hoa-don.pdf', type: 'application/pdf', content: PDF }]);
    expect(wrongContact.statusCode).toBe(404);
    // A stranger is turned away on the contact, before the server reads their files (an oversized one here).
    const flood = await postMultipart(url, { contact: '0900000002', requestId, message: 'x' }, [{ filename: 'lon.pdf', type: 'application/pdf', content: Buffer.alloc(11 * 1024 * 1024, 0x25) }]);
    expect(flood.statusCode).toBe(404);
    const wrongRequest = await postMultipart(url, { contact: phone, requestId: randomUUID(), message: 'Hoá đơn đây' }, []);
    expect(wrongRequest.statusCode).toBe(404);
    const empty = await postMultipart(url, { contact: phone, requestId }, []);
    expect(empty.statusCode).toBe(422);
    expect(await attachments()).toBe(0);
    expect((await findComplaint(db(), code))!.status).toBe('awaiting_customer');

    const fields = { contact: phone, requestId, message: 'Tôi gửi hoá đơn mua hàng.' };
    const files = [{ filename: 'hoá đơn.pdf', type: 'application/pdf', content: PDF }];
    const ok = await postMultipart(url, fields, files);
    expect(ok.statusCode, ok.body).toBe(201);
    expect((ok.json() as { status: string }).status).toBe('investigating');
    const row = (await findComplaint(db(), code))!;
    expect(row.status).toBe('investigating');
    expect(row.clocks.resolution!.pausedAt).toBeNull();
    expect(row.clocks.next_response!.stoppedAt).toBeNull();
    const stored = await db().db.execute<{ status: string; answer: string; answered_at: string | null }>(sql`select status, answer, answered_at from info_requests where id = ${requestId}`);
    expect(stored.rows[0]).toMatchObject({ status: 'answered', answer: 'Tôi gửi hoá đơn mua hàng.' });
    const linked = await db().db.execute<{ filename: string; info_request_id: string }>(sql`
      select filename, info_request_id from attachments a join complaints c on c.id = a.complaint_id where c.code = ${code}`);
    expect(linked.rows).toEqual([{ filename: 'hoá đơn.pdf', info_request_id: requestId }]);
    const events = await eventsOf(db(), code);
    expect(events.slice(-2).map((e) => [e.type, e.actor_type])).toEqual([
      ['info_request.answered', 'customer'],
      ['status.changed', 'customer'],
    ]);

    // A double click stores the answer once; a different second answer is refused.
    const twice = await postMultipart(url, fields, files);
    expect(twice.statusCode).toBe(200);
    const different = await postMultipart(url, { ...fields, message: 'Một câu trả lời khác' }, []);
    expect(different.statusCode).toBe(409);
    expect(await attachments()).toBe(1);
    expect((await eventsOf(db(), code)).filter((e) => e.type === 'info_request.answered')).toHaveLength(1);
    expect((await get(`/api/v1/portal/complaints/${code}/information?contact=${phone}`, {})).json()).toMatchObject({ request: null });

    // Staff see the request, its answer and the file linked to it.
    const inv = (await get(`/api/v1/complaints/${code}/investigation`)).json() as {
      infoRequests: { id: string; status: string; answer: string; files: { filename: string; source: string }[] }[];
      evidence: { source: string; infoRequestId: string }[];
    };
    expect(inv.infoRequests[0]).toMatchObject({ id: requestId, status: 'answered', answer: 'Tôi gửi hoá đơn mua hàng.' });
    expect(inv.infoRequests[0].files.map((f) => [f.filename, f.source])).toEqual([['hoá đơn.pdf', 'info_request']]);
    expect(inv.evidence[0]).toMatchObject({ source: 'info_request', infoRequestId: requestId });
  });

  it('simultaneous double clicks create one request and store one answer', async () => {
    const { code, email } = await complaintWithContacts(db());
    const body = { items: [{ kind: 'photos' }], message: 'Ảnh chụp sản phẩm', clientKey: `k-${randomUUID()}` };
    const created = await Promise.all([1, 2].map(() => post(`/api/v1/complaints/${code}/information-requests`, body)));
    expect(created.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    const ids = created.map((r) => (r.json() as { request: { id: string } }).request.id);
    expect(ids[0]).toBe(ids[1]);
    const fields = { contact: email, requestId: ids[0], message: 'Ảnh đây' };
    const answers = await Promise.all([1, 2].map(() => postMultipart(`/api/v1/portal/complaints/${code}/information`, fields, [{ filename: 'anh.png', type: 'image/png', content: PNG }])));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(await count(db(), sql`select count(*) as n from attachments where info_request_id = ${ids[0]}`)).toBe(1);
    expect((await eventsOf(db(), code)).filter((e) => e.type === 'info_request.answered')).toHaveLength(1);
  });

  it('an agent cancels an open request: the complaint goes back to investigating and the customer can no longer answer it', async () => {
    const { code, phone } = await complaintWithContacts(db());
    const res = await post(`/api/v1/complaints/${code}/information-requests`, { items: [{ kind: 'order_id' }], dueDays: 2 });
    expect(res.statusCode, res.body).toBe(201);
    const requestId = (res.json() as { request: { id: string } }).request.id;
    const cancel = await post(`/api/v1/complaints/${code}/information-requests/${requestId}/cancel`, {});
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((cancel.json() as { infoRequests: { status: string }[] }).infoRequests[0].status).toBe('cancelled');
    const row = (await findComplaint(db(), code))!;
    expect(row.status).toBe('investigating');
    expect(row.clocks.resolution!.pausedAt).toBeNull();
    expect((await post(`/api/v1/complaints/${code}/information-requests/${requestId}/cancel`, {})).statusCode).toBe(409);
    const late = await postMultipart(`/api/v1/portal/complaints/${code}/information`, { contact: phone, requestId, message: 'DH-1' }, []);
    expect(late.statusCode).toBe(409);
    expect((late.json() as { error: { code: string } }).error.code).toBe('info_request_closed');
    // A new request may be made once none is open.
    expect((await post(`/api/v1/complaints/${code}/information-requests`, { items: [{ kind: 'order_id' }] })).statusCode).toBe(201);
  });

  it('shows every role the admin’s current default answer times for the request and consultation forms', async () => {
    const { code } = await complaintWithContacts(db());
    const admin = { kind: 'admin' as const, id: null, channel: 'console' as const };
    await updateWorkflowPolicy({ database: db(), actor: admin, input: { ...DEFAULT_WORKFLOW, infoRequestDays: 7, consultationDays: 4 } });
    try {
      const inv = (await get(`/api/v1/complaints/${code}/investigation`)).json() as { defaults: unknown };
      expect(inv.defaults).toEqual({ infoRequestDays: 7, consultationDays: 4 });
    } finally {
      await updateWorkflowPolicy({ database: db(), actor: admin, input: DEFAULT_WORKFLOW });
    }
  });

  it('a complaint withdrawn while it waits on the customer cancels the open request: no answer, no expiry, no reminder later', async () => {
    const { code, phone } = await complaintWithContacts(db());
    const res = await post(`/api/v1/complaints/${code}/information-requests`, { items: [{ kind: 'invoice' }], dueDays: 1 });
    expect(res.statusCode, res.body).toBe(201);
    const requestId = (res.json() as { request: { id: string } }).request.id;
    const withdrawn = await post(`/api/v1/complaints/${code}/transitions`, { to: 'withdrawn', reason: 'Khách rút khiếu nại qua điện thoại' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const investigation = (await get(`/api/v1/complaints/${code}/investigation`)).json() as { infoRequests: { status: string }[] };
    expect(investigation.infoRequests.map((r) => r.status)).toEqual(['cancelled']);
    const shown = (await get(`/api/v1/complaints/${code}`)).json() as { timeline: { type: string; payload: Record<string, unknown> }[] };
    expect(shown.timeline.filter((e) => e.type === 'info_request.cancelled').map((e) => e.payload)).toEqual([{ requestId, cause: 'status_withdrawn' }]);
    const late = await postMultipart(`/api/v1/portal/complaints/${code}/information`, { contact: phone, requestId, message: 'Hoá đơn đây' }, []);
    expect(late.statusCode).toBe(409);
    expect((late.json() as { error: { code: string } }).error.code).toBe('info_request_closed');
    await runInvestigationSweep({ database: db(), mail: { baseUrl: 'http://sen.test', companyName: 'Sen' }, now: new Date(Date.now() + 30 * 86_400_000) });
    const after = (await get(`/api/v1/complaints/${code}`)).json() as { timeline: { type: string }[] };
    expect(after.timeline.map((e) => e.type).filter((t) => t.startsWith('info_request.'))).toEqual(['info_request.created', 'info_request.cancelled']);
    expect((await verifyAudit(db())).problems).toEqual([]);
  });

  it('an email reply from the customer fulfils the open request, with its attachment', async () => {
    const { code, email } = await complaintWithContacts(db());
    const staff = await createStaff(db(), 'agent');
    const { id: requestId } = await requestInformation({
      database: db(),
      actor: { kind: 'agent', id: staff.id, channel: 'console' },
      code,
      items: [{ kind: 'correspondence' }],
      message: 'Xin chuyển tiếp thư trao đổi với cửa hàng.',
      mail: mailSettings,
    });
    const requestMail = (await mailsOf(db(), code)).find((m) => m.subject.includes('bổ sung'))!;
    const raw = Buffer.from(
      [
        `From: "Tran Thi Lan" <${email}>`,
        'To: khieunai@localhost',
        `Subject: Re: [${code}] bo sung thong tin`,
        `Message-ID: <${randomUUID()}@example.com>`,
        `In-Reply-To: ${requestMail.message_id}`,
        'Date: Mon, 07 Dec 2026 10:00:00 +0700',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="sen-b1"',
        '',
        '--sen-b1',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Tôi gửi kèm thư trao đổi với cửa hàng.',
        '--sen-b1',
        'Content-Type: application/pdf; name="thu-trao-doi.pdf"',
        'Content-Disposition: attachment; filename="thu-trao-doi.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        PDF.toString('base64'),
        '--sen-b1--',
        '',
      ].join('\r\n'),
    );
    const outcome = await receiveEmail({
      database: db(),
      files: LocalFileStore.inDataDir(TEST_DATA_DIR),
      raw,
      mail: await parseInboundMail(raw),
      envelopeFrom: email,
      receipt: mailSettings,
    });
    expect(outcome).toEqual({ outcome: 'threaded', code });
    const row = (await findComplaint(db(), code))!;
    expect(row.status).toBe('investigating');
    expect(row.clocks.resolution!.pausedAt).toBeNull();
    const stored = await db().db.execute<{ status: string; answer: string }>(sql`select status, answer from info_requests where id = ${requestId}`);
    expect(stored.rows[0].status).toBe('answered');
    expect(stored.rows[0].answer).toContain('thư trao đổi');
    const linked = await db().db.execute<{ info_request_id: string | null }>(sql`
      select info_request_id from attachments a join complaints c on c.id = a.complaint_id where c.code = ${code}`);
    expect(linked.rows).toEqual([{ info_request_id: requestId }]);
    expect((await eventsOf(db(), code)).slice(-3).map((e) => e.type)).toEqual(['message.received', 'info_request.answered', 'status.changed']);
  });

  it('the sweep reminds the customer once before the due date and expires an unanswered request once, telling the assignee', async () => {
    // Monday 02/12/2024 09:00: due in 5 working days, Monday 09/12 17:00; reminder 1 working day before.
    const start = vn('2024-12-02T09:00:00');
    const { code } = await complaintWithContacts(db(), start);
    const assignee = await createStaff(db(), 'agent', 'Lê Văn Hùng');
    await assignComplaint({ database: db(), actor: { kind: 'admin', id: null, channel: 'console' }, code, assigneeId: assignee.id });
    const { id, dueAt } = await requestInformation({
      database: db(),
      actor: { kind: 'agent', id: assignee.id, channel: 'console' },
      code,
      items: [{ kind: 'invoice' }],
      message: 'Xin gửi hoá đơn.',
      mail: mailSettings,
      now: start,
    });
    expect(dueAt).toEqual(vn('2024-12-09T17:00:00'));
    const sweep = (at: string) => runInvestigationSweep({ database: db(), mail: mailSettings, now: vn(at) });
    const reminders = async () => (await mailsOf(db(), code)).filter((m) => m.subject.startsWith(`[${code}] Nhắc`));

    await sweep('2024-12-05T10:00:00');
    expect(await reminders()).toHaveLength(0);
    await sweep('2024-12-06T09:00:00');
    await sweep('2024-12-06T09:00:00');
    await sweep('2024-12-09T09:00:00');
    expect(await reminders()).toHaveLength(1);
    expect((await reminders())[0].text).toContain('09/12/2024');
    let events = (await eventsOf(db(), code)).filter((e) => e.type.startsWith('info_request.'));
    expect(events.map((e) => e.type)).toEqual(['info_request.created', 'info_request.reminded']);
    expect((await findComplaint(db(), code))!.status).toBe('awaiting_customer');

    await sweep('2024-12-10T09:00:00');
    await sweep('2024-12-10T09:00:00');
    events = (await eventsOf(db(), code)).filter((e) => e.type.startsWith('info_request.'));
    expect(events.map((e) => e.type)).toEqual(['info_request.created', 'info_request.reminded', 'info_request.expired']);
    const request = await db().db.execute<{ status: string; expired_at: string }>(sql`select status, expired_at from info_requests where id = ${id}`);
    expect(request.rows[0].status).toBe('expired');
    const notes = await db().db.execute<{ staff_id: string; kind: string }>(sql`
      select staff_id, kind from notifications n join complaints c on c.id = n.complaint_id where c.code = ${code} and n.kind not like 'complaint.%'`);
    expect(notes.rows).toEqual([{ staff_id: assignee.id, kind: 'info_request.expired' }]);
    // Unanswered in time: the complaint is the agent's again, and its resolution clock runs.
    const row = (await findComplaint(db(), code))!;
    expect(row.status).toBe('investigating');
    expect(row.clocks.resolution!.pausedAt).toBeNull();
    expect(row.clocks.resolution!.pausedMs).toBeGreaterThan(0);
  });

  it('records evidence verification with who and when, once per finding', async () => {
    const { code } = await complaintWithContacts(db());
    const body = multipart({}, [{ filename: 'bien-ban.png', type: 'image/png', content: PNG2 }]);
    const up = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/attachments`, payload: body.payload, headers: { ...agent.headers, ...body.headers } });
    expect(up.statusCode).toBe(201);
    const sha = (up.json() as { attachments: { sha256: string }[] }).attachments[0].sha256;
    const url = `/api/v1/complaints/${code}/attachments/${sha}/verification`;
    const ok = await post(url, { status: 'verified', note: 'Đối chiếu với bản gốc tại cửa hàng' });
    expect(ok.statusCode, ok.body).toBe(200);
    const evidence = (ok.json() as { evidence: { sha256: string; verification: { status: string; note: string; by: { id: string }; at: string } }[] }).evidence;
    expect(evidence[0].verification).toMatchObject({ status: 'verified', note: 'Đối chiếu với bản gốc tại cửa hàng', by: { id: agent.user.id } });
    expect(evidence[0].verification.at).toBeTruthy();
    expect((await post(url, { status: 'verified', note: 'Đối chiếu với bản gốc tại cửa hàng' })).statusCode).toBe(200);
    expect((await post(url, { status: 'disputed', note: 'Ảnh đã bị chỉnh sửa' })).statusCode).toBe(200);
    const events = (await eventsOf(db(), code)).filter((e) => e.type.startsWith('evidence.'));
    expect(events.map((e) => [e.type, e.payload.sha256, e.payload.note])).toEqual([
      ['evidence.verified', sha, 'Đối chiếu với bản gốc tại cửa hàng'],
      ['evidence.disputed', sha, 'Ảnh đã bị chỉnh sửa'],
    ]);
    expect((await post(`/api/v1/complaints/${code}/attachments/${'b'.repeat(64)}/verification`, { status: 'verified' })).statusCode).toBe(404);
    expect((await post(url, { status: 'genuine' })).statusCode).toBe(422);
  });

  it('a department member sees and answers only their own team’s consultations, without the customer’s contact details', async () => {
    const { code, phone, email } = await complaintWithContacts(db());
    const a = await makeTeam(db(), 'Kho vận');
    const b = await makeTeam(db(), 'Kế toán');
    const url = `/api/v1/complaints/${code}/consultations`;
    const ask = { kind: 'internal', teamId: a.teamId, question: 'Kho có xác nhận đã giao đúng mẫu MTP-1374 không?', clientKey: 'k-1' };
    const first = await post(url, ask);
    expect(first.statusCode, first.body).toBe(201);
    const mine = (first.json() as { consultation: { id: string; dueAt: string; createdAt: string; status: string } }).consultation;
    expect(mine.status).toBe('open');
    expect(mine.dueAt).toBe(addWorkingDays(new Date(mine.createdAt), 3, defaultCalendar()).toISOString());
    // Double click.
    const twice = await post(url, ask);
    expect(twice.statusCode).toBe(200);
    expect((twice.json() as { consultation: { id: string } }).consultation.id).toBe(mine.id);
    const theirs = (await post(url, { kind: 'internal', teamId: b.teamId, question: 'Đã hoàn tiền đơn DH-88123 chưa?' })).json() as { consultation: { id: string } };
    expect(await count(db(), sql`select count(*) as n from consultations k join complaints c on c.id = k.complaint_id where c.code = ${code}`)).toBe(2);
    expect((await post(url, { kind: 'internal', teamId: randomUUID(), question: 'Ai?' })).statusCode).toBe(422);

    const h = a.member.headers;
    expect((await get('/api/v1/complaints', h)).statusCode).toBe(403);
    expect((await get(`/api/v1/complaints/${code}`, h)).statusCode).toBe(403);
    expect((await get(`/api/v1/complaints/${code}/investigation`, h)).statusCode).toBe(403);
    expect((await get(`/api/v1/portal/complaints/${code}?contact=${phone}`)).statusCode).toBe(200); // the portal is the customer's, not a staff door

    for (const listUrl of ['/api/v1/consultations?mine=1', '/api/v1/consultations']) {
      const list = await get(listUrl, h);
      expect(list.statusCode).toBe(200);
      const items = (list.json() as { items: { id: string; complaint: { code: string; subject: string }; question: string }[] }).items;
      expect(items.map((k) => k.id)).toEqual([mine.id]);
      expect(items[0].complaint.code).toBe(code);
      expect(items[0].question).toBe(ask.question);
      const text = list.body;
      expect(text).not.toContain(email);
      expect(text).not.toContain(phone.slice(1));
      expect(text).not.toContain('Trần Thị Lan');
      expect(text).not.toContain('MTP-1374 ngày 02/11');
    }
    expect((await get(`/api/v1/consultations/${theirs.consultation.id}`, h)).statusCode).toBe(404);
    const other = await postMultipart(`/api/v1/consultations/${theirs.consultation.id}/answer`, { answer: 'Không phải của tôi' }, [], h);
    expect(other.statusCode).toBe(404);
    // A member of no team sees nothing.
    expect((await get('/api/v1/consultations', department.headers)).json()).toEqual({ items: [] });
    // The department heard of it in the app.
    const notes = (await get('/api/v1/notifications', h)).json() as { items: { kind: string; payload: Json }[] };
    expect(notes.items.map((n) => n.kind)).toContain('consultation.requested');
    expect(JSON.stringify(notes.items)).not.toContain(email);

    const answerUrl = `/api/v1/consultations/${mine.id}/answer`;
    const bad = await postMultipart(answerUrl, { answer: 'Đã giao đúng' }, [{ filename: 'phieu.pdf', type: 'application/pdf', content: Buffer.from('giả') }], h);
    expect(bad.statusCode).toBe(422);
    const ok = await postMultipart(answerUrl, { answer: 'Kho xác nhận đã giao đúng mẫu, có phiếu xuất kho.' }, [{ filename: 'phiếu xuất kho.pdf', type: 'application/pdf', content: PDF }], h);
    expect(ok.statusCode, ok.body).toBe(201);
    const answered = ok.json() as { status: string; answer: string; files: { url: string; filename: string }[] };
    expect(answered).toMatchObject({ status: 'answered', answer: 'Kho xác nhận đã giao đúng mẫu, có phiếu xuất kho.' });
    expect(ok.body).not.toContain(email);
    expect(answered.files.map((f) => f.filename)).toEqual(['phiếu xuất kho.pdf']);
    const file = await get(answered.files[0].url, h);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);
    expect((await get(answered.files[0].url, b.member.headers)).statusCode).toBe(404);
    const again = await postMultipart(answerUrl, { answer: 'Trả lời lần hai' }, [{ filename: 'khac.png', type: 'image/png', content: PNG }], h);
    expect(again.statusCode).toBe(409);
    expect(await count(db(), sql`select count(*) as n from attachments where consultation_id = ${mine.id}`)).toBe(1);

    // The agent who asked is told, and sees the answer on the complaint.
    const agentNotes = (await get('/api/v1/notifications', agent.headers)).json() as { items: { kind: string; payload: Json }[] };
    expect(agentNotes.items.some((n) => n.kind === 'consultation.answered' && n.payload.consultationId === mine.id)).toBe(true);
    const inv = (await get(`/api/v1/complaints/${code}/investigation`)).json() as { consultations: { id: string; status: string; answer: string | null; files: unknown[] }[] };
    expect(inv.consultations.map((k) => [k.id, k.status, k.files.length])).toEqual([
      [mine.id, 'answered', 1],
      [theirs.consultation.id, 'open', 0],
    ]);
    // Waiting on a department does not pause the resolution clock.
    expect((await findComplaint(db(), code))!.clocks.resolution!.pausedAt).toBeNull();
  });

  it('an outside party answers once through the signed link; expired, tampered and replaced links are refused', async () => {
    const { code, phone, email } = await complaintWithContacts(db());
    const url = `/api/v1/complaints/${code}/consultations`;
    const res = await post(url, { kind: 'external', partyName: 'Giao Hàng Nhanh', partyEmail: 'cskh@ghn.example', question: 'Đơn vận DH-88123 giao lúc nào, ai ký nhận?' });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { consultation: { id: string } }).consultation.id;
    const tokenOf = async () => {
      const mails = (await mailsOf(db(), code)).filter((m) => m.to_address === 'cskh@ghn.example');
      const m = /tham-van\?token=([^\s]+)/.exec(mails[mails.length - 1].text);
      return decodeURIComponent(m![1]);
    };
    const token = await tokenOf();
    const mails = (await mailsOf(db(), code)).filter((m) => m.to_address === 'cskh@ghn.example');
    expect(mails).toHaveLength(1);
    expect(mails[0].text).not.toContain(email);
    expect(mails[0].text).not.toContain(phone.slice(1));

    const page = await get(`/api/v1/public/consultations/${token}`, {});
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ question: 'Đơn vận DH-88123 giao lúc nào, ai ký nhận?', companyName: config.companyName, status: 'open' });
    expect(page.body).not.toContain(email);

    const flip = (t: string, at: number) => t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1);
    for (const bad of [flip(token, 5), flip(token, token.length - 3), 'not-a-token']) {
      const r = await get(`/api/v1/public/consultations/${encodeURIComponent(bad)}`, { 'accept-language': 'vi' });
      expect(r.statusCode).toBe(403);
      expect((r.json() as { error: { code: string; message: string } }).error).toMatchObject({ code: 'consultation_link_invalid' });
    }
    const secret = await linkSecret(db());
    const expired = signLink(secret, { purpose: 'consultation', id, nonce: 'x', exp: Math.floor(Date.now() / 1000) - 60 });
    const old = await get(`/api/v1/public/consultations/${expired}`, { 'accept-language': 'vi' });
    expect(old.statusCode).toBe(410);
    expect((old.json() as { error: { code: string; message: string } }).error.message).toContain('hết hạn');
    const survey = signLink(secret, { purpose: 'survey', id, nonce: 'x', exp: Math.floor(Date.now() / 1000) + 600 });
    expect((await get(`/api/v1/public/consultations/${survey}`, {})).statusCode).toBe(403);
    const expiredPost = await postMultipart(`/api/v1/public/consultations/${expired}`, { answer: 'Trễ' }, [{ filename: 'a.png', type: 'image/png', content: PNG }]);
    expect(expiredPost.statusCode).toBe(410);

    const answerUrl = `/api/v1/public/consultations/${token}`;
    const ok = await postMultipart(answerUrl, { answer: 'Giao 14:20 ngày 05/11, người nhận ký tên Minh.' }, [{ filename: 'bien-nhan.pdf', type: 'application/pdf', content: PDF }]);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'answered' });
    const reused = await postMultipart(answerUrl, { answer: 'Trả lời lại' }, [{ filename: 'khac.png', type: 'image/png', content: PNG }]);
    expect(reused.statusCode).toBe(409);
    expect(await count(db(), sql`select count(*) as n from attachments where consultation_id = ${id}`)).toBe(1);
    const stored = await db().db.execute<{ status: string; answer: string }>(sql`select status, answer from consultations where id = ${id}`);
    expect(stored.rows[0]).toEqual({ status: 'answered', answer: 'Giao 14:20 ngày 05/11, người nhận ký tên Minh.' });
    const event = (await eventsOf(db(), code)).find((e) => e.type === 'consultation.answered')!;
    expect(event.payload.by).toEqual({ party: { name: 'Giao Hàng Nhanh', email: 'cskh@ghn.example' } });

    // Re-sent: the earlier link stops working, the new one works; cancelled: no link works.
    const second = (await post(url, { kind: 'external', partyName: 'Nhà cung cấp Casio', partyEmail: 'ncc@casio.example', question: 'Lô hàng có lỗi kính không?' })).json() as { consultation: { id: string } };
    const firstLink = decodeURIComponent(/tham-van\?token=([^\s]+)/.exec((await mailsOf(db(), code)).filter((m) => m.to_address === 'ncc@casio.example')[0].text)![1]);
    const resent = await post(`/api/v1/consultations/${second.consultation.id}/resend`, {});
    expect(resent.statusCode, resent.body).toBe(200);
    const newMails = (await mailsOf(db(), code)).filter((m) => m.to_address === 'ncc@casio.example');
    expect(newMails).toHaveLength(2);
    const newLink = decodeURIComponent(/tham-van\?token=([^\s]+)/.exec(newMails[1].text)![1]);
    const stale = await get(`/api/v1/public/consultations/${firstLink}`, {});
    expect(stale.statusCode).toBe(410);
    expect((stale.json() as { error: { code: string } }).error.code).toBe('consultation_link_revoked');
    expect((await get(`/api/v1/public/consultations/${newLink}`, {})).statusCode).toBe(200);
    expect((await post(`/api/v1/consultations/${second.consultation.id}/cancel`, { reason: 'Đã có câu trả lời qua điện thoại' })).statusCode).toBe(200);
    expect((await get(`/api/v1/public/consultations/${newLink}`, {})).statusCode).toBe(410);
    const cancelledPost = await postMultipart(`/api/v1/public/consultations/${newLink}`, { answer: 'Muộn' }, []);
    expect(cancelledPost.statusCode).toBe(410);
  });

  /** Adds files to a complaint as an agent does at the office; returns each file's evidence id by name. */
  async function addFiles(code: string, files: { filename: string; type: string; content: Buffer }[]): Promise<Record<string, string>> {
    const body = multipart({}, files);
    const up = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/attachments`, payload: body.payload, headers: { ...agent.headers, ...body.headers } });
    expect(up.statusCode, up.body).toBe(201);
    const inv = (await get(`/api/v1/complaints/${code}/investigation`)).json() as { evidence: { id: string; filename: string }[] };
    return Object.fromEntries(inv.evidence.map((e) => [e.filename, e.id]));
  }
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  type FileView = { filename: string; sha256: string; url: string };

  it('a consultation to a department shares chosen files and new uploads; its members see and download exactly those', async () => {
    const { code } = await complaintWithContacts(db());
    /** Bytes of a file the department must never get (unique to this test, so its hash is too). */
    const PRIVATE = Buffer.concat([PNG, Buffer.from(`riêng tư ${randomUUID()}`)]);
    const NEW = Buffer.concat([PNG, Buffer.from(`mới ${randomUUID()}`)]);
    const ids = await addFiles(code, [
      { filename: 'hoa-don.pdf', type: 'application/pdf', content: PDF },
      { filename: 'ghi-chu-noi-bo.png', type: 'image/png', content: PRIVATE },
    ]);
    const { teamId, member } = await makeTeam(db(), 'Kho vận');
    const other = await makeTeam(db(), 'Kế toán');
    const url = `/api/v1/complaints/${code}/consultations`;
    const fields = { kind: 'internal', teamId, question: 'Kho xác nhận giúp phiếu xuất và tình trạng thùng hàng?', dueDays: '2', shareFileIds: ids['hoa-don.pdf'] };
    const stored = async () => ({
      consultations: await count(db(), sql`select count(*) as n from consultations k join complaints c on c.id = k.complaint_id where c.code = ${code}`),
      attachments: await count(db(), sql`select count(*) as n from attachments a join complaints c on c.id = a.complaint_id where c.code = ${code}`),
      shared: await count(db(), sql`select count(*) as n from consultation_files f join consultations k on k.id = f.consultation_id join complaints c on c.id = k.complaint_id where c.code = ${code}`),
    });
    const before = await stored();
    expect(before).toEqual({ consultations: 0, attachments: 2, shared: 0 });

    // Who may not ask is refused before the form is read; refused forms store nothing at all.
    expect((await postMultipart(url, fields, [{ filename: 'a.png', type: 'image/png', content: NEW }])).statusCode).toBe(401);
    expect((await postMultipart(url, fields, [{ filename: 'a.png', type: 'image/png', content: NEW }], member.headers)).statusCode).toBe(403);
    const fake = await postMultipart(url, fields, [{ filename: 'phieu.pdf', type: 'application/pdf', content: Buffer.from('không phải PDF') }], agent.headers);
    expect(fake.statusCode).toBe(422);
    expect((fake.json() as { error: { fields: { field: string; code: string }[] } }).error.fields[0]).toMatchObject({ field: 'files[0]', code: 'file_type_not_allowed' });
    const elsewhere = await addFiles((await complaintWithContacts(db())).code, [{ filename: 'khac.png', type: 'image/png', content: PNG2 }]);
    const foreign = await postMultipart(url, { ...fields, shareFileIds: `${ids['hoa-don.pdf']},${elsewhere['khac.png']}` }, [{ filename: 'a.png', type: 'image/png', content: NEW }], agent.headers);
    expect(foreign.statusCode).toBe(422);
    expect((foreign.json() as { error: { fields: { field: string; code: string }[] } }).error.fields).toEqual([expect.objectContaining({ field: 'shareFileIds[1]', code: 'not_found' })]);
    const malformed = await post(url, { kind: 'internal', teamId, question: 'Câu hỏi', shareFileIds: ['khong-phai-id'] });
    expect(malformed.statusCode).toBe(422);
    expect(await stored()).toEqual(before);
    expect(await count(db(), sql`select count(*) as n from attachments where sha256 = ${sha(NEW)}`)).toBe(0);

    const res = await postMultipart(url, { ...fields, clientKey: `k-${randomUUID()}` }, [{ filename: 'ảnh thùng hàng.png', type: 'image/png', content: NEW }], agent.headers);
    expect(res.statusCode, res.body).toBe(201);
    const created = (res.json() as { consultation: { id: string; dueAt: string; createdAt: string; sharedFiles: (FileView & { id: string })[]; files: unknown[] } }).consultation;
    expect(created.dueAt).toBe(addWorkingDays(new Date(created.createdAt), 2, defaultCalendar()).toISOString());
    expect(created.sharedFiles.map((f) => [f.filename, f.sha256])).toEqual([
      ['hoa-don.pdf', sha(PDF)],
      ['ảnh thùng hàng.png', sha(NEW)],
    ]);
    expect(created.files).toEqual([]);
    expect(await stored()).toEqual({ consultations: 1, attachments: 3, shared: 2 });
    // The same form sent again (a double click) stores nothing more.
    const again = await postMultipart(url, { ...fields, clientKey: 'k-again' }, [{ filename: 'ảnh thùng hàng.png', type: 'image/png', content: NEW }], agent.headers);
    expect(again.statusCode).toBe(200);
    expect((again.json() as { consultation: { id: string } }).consultation.id).toBe(created.id);
    expect(await stored()).toEqual({ consultations: 1, attachments: 3, shared: 2 });
    // The same question with other files is another consultation, not a repeat.
    const onlyPdf = await post(url, { kind: 'internal', teamId, question: fields.question, dueDays: 2, shareFileIds: [ids['hoa-don.pdf']] });
    expect(onlyPdf.statusCode, onlyPdf.body).toBe(201);
    expect((onlyPdf.json() as { consultation: { id: string; sharedFiles: FileView[] } }).consultation.sharedFiles.map((f) => f.filename)).toEqual(['hoa-don.pdf']);
    expect(await stored()).toEqual({ consultations: 2, attachments: 3, shared: 3 });

    // The request's timeline event lists what was shared, with each file's hash.
    const event = (await eventsOf(db(), code)).find((e) => e.type === 'consultation.requested')!;
    expect(event.payload.sharedFiles).toEqual([
      { filename: 'hoa-don.pdf', contentType: 'application/pdf', size: PDF.length, sha256: sha(PDF) },
      { filename: 'ảnh thùng hàng.png', contentType: 'image/png', size: NEW.length, sha256: sha(NEW), uploaded: true },
    ]);
    // The uploaded file is now one of the complaint's files too.
    const inv = (await get(`/api/v1/complaints/${code}/investigation`)).json() as { evidence: { filename: string; source: string }[] };
    expect(inv.evidence.map((e) => [e.filename, e.source])).toContainEqual(['ảnh thùng hàng.png', 'complaint']);

    // The department member sees the two shared files and downloads them through the consultation.
    const view = await get(`/api/v1/consultations/${created.id}`, member.headers);
    expect(view.statusCode).toBe(200);
    const seen = view.json() as { sharedFiles: FileView[]; files: FileView[] };
    expect(seen.sharedFiles.map((f) => f.filename)).toEqual(['hoa-don.pdf', 'ảnh thùng hàng.png']);
    expect(view.body).not.toContain('ghi-chu-noi-bo.png');
    expect(view.body).not.toContain(sha(PRIVATE));
    const listed = (await get('/api/v1/consultations', member.headers)).json() as { items: { id: string; sharedFiles: FileView[] }[] };
    expect(listed.items.find((k) => k.id === created.id)!.sharedFiles).toHaveLength(2);
    for (const [f, bytes] of [
      [seen.sharedFiles[0], PDF],
      [seen.sharedFiles[1], NEW],
    ] as const) {
      expect(f.url).toBe(`/api/v1/consultations/${created.id}/files/${f.sha256}`);
      const file = await get(f.url, member.headers);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(bytes)).toBe(true);
      // Another team's member learns nothing of it.
      expect((await get(f.url, other.member.headers)).statusCode).toBe(404);
    }
    // Any other file of the complaint: not through the consultation, not through the complaint.
    expect((await get(`/api/v1/consultations/${created.id}/files/${sha(PRIVATE)}`, member.headers)).statusCode).toBe(404);
    expect((await get(`/api/v1/consultations/${created.id}/files/${sha(PNG2)}`, member.headers)).statusCode).toBe(404);
    expect((await get(`/api/v1/complaints/${code}/attachments/${sha(PRIVATE)}`, member.headers)).statusCode).toBe(403);
    expect((await get(`/api/v1/complaints/${code}/attachments/${sha(PDF)}`, member.headers)).statusCode).toBe(403);

    // The answer's files join the view; the shared ones stay listed apart.
    const answered = await postMultipart(`/api/v1/consultations/${created.id}/answer`, { answer: 'Phiếu xuất khớp; thùng nguyên vẹn khi xuất kho.' }, [{ filename: 'bien-ban.png', type: 'image/png', content: PNG2 }], member.headers);
    expect(answered.statusCode, answered.body).toBe(201);
    const after = answered.json() as { sharedFiles: FileView[]; files: FileView[] };
    expect(after.sharedFiles.map((f) => f.filename)).toEqual(['hoa-don.pdf', 'ảnh thùng hàng.png']);
    expect(after.files.map((f) => f.filename)).toEqual(['bien-ban.png']);
    expect((await get(after.files[0].url, member.headers)).statusCode).toBe(200);
    // The agent sees the shared files (complaint links) beside the answer's.
    const staff = (await get(`/api/v1/complaints/${code}/investigation`)).json() as { consultations: { id: string; sharedFiles: FileView[]; files: FileView[] }[] };
    const k = staff.consultations.find((c) => c.id === created.id)!;
    expect(k.sharedFiles.map((f) => f.url)).toEqual([`/api/v1/complaints/${code}/attachments/${sha(PDF)}`, `/api/v1/complaints/${code}/attachments/${sha(NEW)}`]);
    expect(k.files.map((f) => f.filename)).toEqual(['bien-ban.png']);
  });

  it('an outside party gets the shared files named in the email and downloads them, and only them, with the signed link', async () => {
    const { code } = await complaintWithContacts(db());
    const PRIVATE = Buffer.concat([PNG, Buffer.from(`nội bộ ${randomUUID()}`)]);
    const ids = await addFiles(code, [
      { filename: 'van-don.pdf', type: 'application/pdf', content: PDF },
      { filename: 'trao-doi-noi-bo.png', type: 'image/png', content: PRIVATE },
    ]);
    const party = `ncc.${randomUUID().slice(0, 8)}@supplier.example`;
    const res = await post(`/api/v1/complaints/${code}/consultations`, {
      kind: 'external',
      partyName: 'Nhà cung cấp Minh Phát',
      partyEmail: party,
      question: 'Vận đơn kèm theo có đúng lô hàng của quý công ty không?',
      shareFileIds: [ids['van-don.pdf']],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { consultation: { id: string; sharedFiles: FileView[] } }).consultation.id;
    const mails = async () => (await mailsOf(db(), code)).filter((m) => m.to_address === party);
    const tokenOf = (text: string) => decodeURIComponent(/tham-van\?token=([^\s]+)/.exec(text)![1]);
    const [mail] = await mails();
    expect(mail.text).toContain('Tài liệu gửi kèm');
    expect(mail.text).toContain('- van-don.pdf');
    expect(mail.text).not.toContain('trao-doi-noi-bo.png');
    const token = tokenOf(mail.text);

    const page = await get(`/api/v1/public/consultations/${token}`, {});
    expect(page.statusCode).toBe(200);
    const seen = page.json() as { files: FileView[] };
    expect(seen.files.map((f) => [f.filename, f.sha256])).toEqual([['van-don.pdf', sha(PDF)]]);
    expect(page.body).not.toContain('trao-doi-noi-bo.png');
    const file = await get(seen.files[0].url, {});
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);
    expect(file.headers['content-disposition']).toContain('van-don.pdf');

    // Another file of the complaint, a tampered link, a link for another purpose: nothing.
    const fileUrl = (hash: string, t: string) => `/api/v1/public/consultation-files/${hash}/${t}`;
    expect((await get(fileUrl(sha(PRIVATE), token), {})).statusCode).toBe(404);
    expect((await get(fileUrl(sha(PNG2), token), {})).statusCode).toBe(404);
    const tampered = token.slice(0, 6) + (token[6] === 'A' ? 'B' : 'A') + token.slice(7);
    expect((await get(fileUrl(sha(PDF), tampered), {})).statusCode).toBe(403);
    const secret = await linkSecret(db());
    const survey = signLink(secret, { purpose: 'survey', id, nonce: 'x', exp: Math.floor(Date.now() / 1000) + 600 });
    expect((await get(fileUrl(sha(PDF), survey), {})).statusCode).toBe(403);
    const expired = signLink(secret, { purpose: 'consultation', id, nonce: 'x', exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await get(fileUrl(sha(PDF), expired), {})).statusCode).toBe(410);

    // A re-sent link names the files again; the earlier link no longer opens them.
    expect((await post(`/api/v1/consultations/${id}/resend`, {})).statusCode).toBe(200);
    const latest = (await mails())[1];
    expect(latest.text).toContain('- van-don.pdf');
    const fresh = tokenOf(latest.text);
    expect((await get(fileUrl(sha(PDF), token), {})).statusCode).toBe(410);
    expect((await get(fileUrl(sha(PDF), fresh), {})).statusCode).toBe(200);

    // The party's answer page keeps the shared files after answering; their own upload is not among them.
    const answered = await postMultipart(`/api/v1/public/consultations/${fresh}`, { answer: 'Đúng lô MP-2211.' }, [{ filename: 'xac-nhan.png', type: 'image/png', content: PNG2 }]);
    expect(answered.statusCode, answered.body).toBe(201);
    expect((answered.json() as { status: string; files: FileView[] }).files.map((f) => f.filename)).toEqual(['van-don.pdf']);
    expect((await get(fileUrl(sha(PDF), fresh), {})).statusCode).toBe(200);
    expect((await get(fileUrl(sha(PNG2), fresh), {})).statusCode).toBe(404);
    // Cancelled or not, a consultation shared nothing it was not given: one file linked.
    expect(await count(db(), sql`select count(*) as n from consultation_files where consultation_id = ${id}`)).toBe(1);
  });

  it("what an outside party opens through its link is in the customer's access log, as that party; a refused link logs nothing", async () => {
    const { code } = await complaintWithContacts(db());
    const ids = await addFiles(code, [{ filename: 'hoa-don-mua-hang.pdf', type: 'application/pdf', content: PDF }]);
    const party = `kho.${randomUUID().slice(0, 8)}@logistics.example`;
    const res = await post(`/api/v1/complaints/${code}/consultations`, {
      kind: 'external',
      partyName: 'Kho vận Sao Mai',
      partyEmail: party,
      question: 'Hóa đơn này có khớp với phiếu xuất kho không?',
      shareFileIds: [ids['hoa-don-mua-hang.pdf']],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { consultation: { id: string } }).consultation.id;
    const mail = (await mailsOf(db(), code)).find((m) => m.to_address === party)!;
    const token = decodeURIComponent(/tham-van\?token=([^\s]+)/.exec(mail.text)![1]);
    const customerId = (await findComplaint(db(), code))!.customer.id;
    type Entry = { action: string; channel: string; staff: { id: string } | null; party: { consultationId: string; name: string; email: string } | null; complaintCode: string };
    const log = async () => ((await get(`/api/v1/customers/${customerId}/access-log`, auditor.headers)).json() as { items: Entry[] }).items;
    const partyEntries = async () => (await log()).filter((e) => e.party);
    expect(await partyEntries()).toEqual([]);

    // Refused (tampered, another purpose, expired, a file not shared): nothing was shown, nothing is logged.
    const tampered = token.slice(0, 6) + (token[6] === 'A' ? 'B' : 'A') + token.slice(7);
    expect((await get(`/api/v1/public/consultations/${tampered}`, {})).statusCode).toBe(403);
    const secret = await linkSecret(db());
    const expired = signLink(secret, { purpose: 'consultation', id, nonce: 'x', exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await get(`/api/v1/public/consultations/${expired}`, {})).statusCode).toBe(410);
    expect((await get(`/api/v1/public/consultation-files/${sha(PNG2)}/${token}`, {})).statusCode).toBe(404);
    expect(await partyEntries()).toEqual([]);

    const page = await get(`/api/v1/public/consultations/${token}`, {});
    expect(page.statusCode).toBe(200);
    const file = await get((page.json() as { files: FileView[] }).files[0].url, {});
    expect(file.statusCode).toBe(200);
    const who = { consultationId: id, name: 'Kho vận Sao Mai', email: party };
    expect((await partyEntries()).map((e) => ({ action: e.action, channel: e.channel, staff: e.staff, party: e.party, code: e.complaintCode }))).toEqual([
      { action: 'consultation.party_download', channel: 'link', staff: null, party: who, code },
      { action: 'consultation.party_view', channel: 'link', staff: null, party: who, code },
    ]);
    // The staff's own entries stay theirs: the agent's upload and the auditor's reading are not the party's.
    expect((await log()).filter((e) => !e.party).every((e) => e.staff !== null)).toBe(true);
    const stored = await count(db(), sql`select count(*) as n from personal_data_access where consultation_id = ${id} and staff_id is null and customer_id = ${customerId}`);
    expect(stored).toBe(2);
    // An entry must say who saw the data.
    await expect(db().db.execute(sql`insert into personal_data_access (customer_id, action, channel) values (${customerId}, 'complaint.view', 'api')`)).rejects.toThrow();
    // The party answers by replying to the mail: its reply is kept on the complaint, with the party's address.
    const sentId = (await db().pool.query<{ message_id: string }>('select message_id from outbound_messages where to_address = $1', [party])).rows[0].message_id;
    const raw = Buffer.from(
      [`From: "Kho Sao Mai" <${party}>`, 'To: khieunai@localhost', `Subject: Re: [${code}] Đề nghị phối hợp xác minh`, `Message-ID: <${randomUUID()}@logistics.example>`,
        `In-Reply-To: ${sentId}`, `References: ${sentId}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Hóa đơn khớp phiếu xuất kho PX-77.', ''].join('\r\n'),
    );
    const answered = await receiveEmail({ database: db(), files: LocalFileStore.inDataDir(TEST_DATA_DIR), raw, mail: await parseInboundMail(raw), envelopeFrom: party, receipt: { baseUrl: testConfig().baseUrl, companyName: 'Sen' } });
    expect(answered.outcome).toBe('threaded');
    expect(await count(db(), sql`select count(*) as n from mail_messages where from_address = ${party}`)).toBe(1);
    // The customer's copy of their data says who outside the company was given it: the party by name (not its
    // contact, neither from the mail sent to it nor from its reply), when, how many of their files, and when the
    // party first opened the link.
    const admin = await staffWithToken(db(), 'admin');
    const exported = await get(`/api/v1/customers/${customerId}/personal-data`, admin.headers);
    expect(exported.statusCode).toBe(200);
    const shared = (exported.json() as { complaints: { code: string; sharedWith: unknown[] }[] }).complaints.find((c) => c.code === code)!.sharedWith;
    expect(shared).toEqual([{ kind: 'consultation', recipient: 'Kho vận Sao Mai', at: expect.any(String), files: 1, openedAt: expect.any(String) }]);
    expect(exported.body).not.toContain(party);
  });

  it('flags an overdue consultation to the agent once, however often the sweep runs', async () => {
    // Monday 05/06/2023 09:00: three working days, due Thursday 08/06 17:00.
    const start = vn('2023-06-05T09:00:00');
    const { code } = await complaintWithContacts(db(), start);
    const asker = await createStaff(db(), 'agent', 'Ngô Thị Thu');
    const { teamId } = await makeTeam(db(), 'Bảo hành');
    const { id, dueAt } = await requestConsultation({
      database: db(),
      actor: { kind: 'agent', id: asker.id, channel: 'console' },
      code,
      target: { kind: 'internal', teamId },
      question: 'Sản phẩm còn bảo hành không?',
      mail: mailSettings,
      now: start,
    });
    expect(dueAt).toEqual(vn('2023-06-08T17:00:00'));
    const sweep = (at: string) => runInvestigationSweep({ database: db(), mail: mailSettings, now: vn(at) });
    await sweep('2023-06-08T16:00:00');
    expect((await eventsOf(db(), code)).filter((e) => e.type === 'consultation.overdue')).toHaveLength(0);
    await sweep('2023-06-09T09:00:00');
    await sweep('2023-06-09T09:00:00');
    await sweep('2023-06-12T09:00:00');
    const flags = (await eventsOf(db(), code)).filter((e) => e.type === 'consultation.overdue');
    expect(flags).toHaveLength(1);
    expect(flags[0].payload.consultationId).toBe(id);
    const notes = await db().db.execute<{ staff_id: string; kind: string }>(sql`
      select staff_id, kind from notifications n join complaints c on c.id = n.complaint_id where c.code = ${code} and n.kind = 'consultation.overdue'`);
    expect(notes.rows).toEqual([{ staff_id: asker.id, kind: 'consultation.overdue' }]);
    const inv = (await get(`/api/v1/complaints/${code}/investigation`)).json() as { consultations: { overdue: boolean; overdueNotifiedAt: string | null }[] };
    expect(inv.consultations[0].overdue).toBe(true);
    expect(inv.consultations[0].overdueNotifiedAt).toBe(vn('2023-06-09T09:00:00').toISOString());
  });
});

describeEachDatabase('a plain status-page message answers an open information request', (db) => {
  it('fulfils the request and resumes the investigation', async () => {
    const { requestInformation } = await import('../src/commands/request-information');
    const { addCustomerMessage } = await import('../src/commands/add-customer-message');
    const { seedComplaint: seed, createStaff: staff } = await import('./factories');
    const created = await seed(db());
    const agent = await staff(db(), 'agent');
    await requestInformation({
      database: db(),
      actor: { kind: 'agent', id: agent.id, channel: 'console' },
      code: created.code,
      items: [{ kind: 'invoice' }],
      message: 'Xin gửi hoá đơn mua hàng.',
      mail: { baseUrl: 'http://sen.test', companyName: 'Sen' },
    });
    const phone = (await db().db.execute<{ phone_e164: string }>(sql`
      select cu.phone_e164 from customers cu join complaints c on c.customer_id = cu.id where c.code = ${created.code}`)).rows[0].phone_e164;
    await addCustomerMessage({ database: db(), code: created.code, contact: phone, message: 'Số hoá đơn là HD-2211, tôi sẽ gửi ảnh sau.' });
    const r = await db().db.execute<{ status: string; answer: string; cstatus: string }>(sql`
      select r.status, r.answer, c.status as cstatus from info_requests r join complaints c on c.id = r.complaint_id where c.code = ${created.code}`);
    expect(r.rows).toEqual([{ status: 'answered', answer: 'Số hoá đơn là HD-2211, tôi sẽ gửi ảnh sau.', cstatus: 'investigating' }]);
  });
});
