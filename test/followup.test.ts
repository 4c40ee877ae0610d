import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { PNG, TEST_DATA_DIR, buildTestApp, multipart, randomPhone, resolveThroughProposal, seedComplaint, staffWithToken } from './factories';
import { scheduleSurvey } from '../src/commands/schedule-survey';
import { inTransaction } from '../src/commands/transaction';
import { receiveEmail } from '../src/commands/receive-email';
import { parseInboundMail } from '../src/channels/email/parse';
import { runFollowupSweep } from '../src/jobs/followup-sweep';
import { findComplaint } from '../src/db/queries/complaints';
import { linkSecret } from '../src/db/queries/settings';
import { signLink } from '../src/domain/signed-links';
import { DEFAULT_WORKFLOW } from '../src/domain/workflow';
import { updateWorkflowPolicy } from '../src/commands/update-workflow-policy';
import { LocalFileStore } from '../src/files/store';
import type { Database } from '../src/db/open';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

async function rootCauseId(database: Database, slug: string): Promise<string> {
  const r = await database.db.execute<{ id: string }>(sql`select id from root_causes where slug = ${slug}`);
  return r.rows[0].id;
}

/** A complaint of a customer with a phone and an email, received at `at` (default: 100 days ago, before any resolution a test makes). */
async function complaintOf(database: Database, at: Date = new Date(Date.now() - 100 * DAY)) {
  const phone = randomPhone();
  const email = `khach.${unique()}@khach.vn`;
  const created = await seedComplaint(database, {
    now: at,
    input: { customer: { name: 'Lê Thị Thu', phone, email }, subject: 'Máy giặt kêu to khi vắt' },
  });
  return { code: created.code, id: created.id, phone, email };
}

/** Resolves a fresh complaint at `at` through an accepted, implemented proposal (with a root cause unless told otherwise). */
async function resolve(database: Database, code: string, opts: { at?: Date; rootCauseId?: string | null } = {}) {
  const id = opts.rootCauseId === undefined ? await rootCauseId(database, 'product-defect') : opts.rootCauseId ?? undefined;
  await resolveThroughProposal(database, code, { at: opts.at, rootCauseId: id });
}

async function eventsOf(database: Database, code: string) {
  const r = await database.db.execute<{ type: string; actor_type: string; payload: Record<string, unknown> }>(sql`
    select e.type, e.actor_type, e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`);
  return r.rows;
}

async function surveysOf(database: Database, code: string) {
  const r = await database.db.execute<{ id: string; resolution_no: number; sent_at: string | null; answered_at: string | null; rating: number | null; comment: string | null; send_after: string }>(sql`
    select s.id, s.resolution_no, s.sent_at, s.answered_at, s.rating, s.comment, s.send_after::text as send_after
    from surveys s join complaints c on c.id = s.complaint_id where c.code = ${code} order by s.resolution_no`);
  return r.rows;
}

async function columnsOf(database: Database, code: string) {
  const r = await database.db.execute<{ status: string; reopen_count: number; resolved_at: string | null; closed_at: string | null; previous_complaint_id: string | null; root_cause_id: string | null }>(sql`
    select status, reopen_count, resolved_at, closed_at, previous_complaint_id, root_cause_id from complaints where code = ${code}`);
  return r.rows[0];
}

const sweep = (database: Database, now: Date) =>
  runFollowupSweep({ database, baseUrl: 'http://sen.test', mailDomain: 'sen.test', companyName: 'Công ty Sen', now });

/** The survey link the sweep mailed for a complaint. */
async function mailedToken(database: Database, code: string): Promise<string> {
  const r = await database.db.execute<{ text: string }>(sql`
    select m.text from outbound_messages m join complaints c on c.id = m.complaint_id
    where c.code = ${code} and m.dedupe_key like 'survey:%' order by m.created_at desc limit 1`);
  const m = /http:\/\/sen\.test\/khao-sat\/([A-Za-z0-9_\-.]+)/.exec(r.rows[0].text);
  return m![1];
}

describeEachDatabase('follow-up: surveys, closing, reopening', (db) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(db());
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses to resolve without a root cause (422 on rootCauseId), and resolves with one given or recorded before', async () => {
    const { headers } = await staffWithToken(db(), 'agent');
    const customerPhone = async (code: string) => (await findComplaint(db(), code))!.customer.phoneE164!;
    /** A complaint with a proposal the customer accepted on the portal, ready to be carried out. */
    const accepted = async () => {
      const c = await complaintOf(db());
      for (const to of ['acknowledged', 'investigating']) {
        expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/transitions`, headers, payload: { to } })).statusCode).toBe(200);
      }
      const p = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/proposals`, headers, payload: { kind: 'repair', description: 'Thay bộ giảm chấn lồng giặt.' } });
      expect(p.statusCode, p.body).toBe(201);
      const id = (p.json() as { id: string }).id;
      const decided = await app.inject({
        method: 'POST',
        url: `/api/v1/portal/complaints/${c.code}/proposals/${id}/decision`,
        payload: { contact: await customerPhone(c.code), decision: 'accept' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      const implement = (body: Record<string, unknown>) =>
        app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/proposals/${id}/implementation`, headers, payload: { doneAt: new Date().toISOString(), ...body } });
      return { ...c, implement };
    };
    const c = await accepted();
    const refused = await c.implement({});
    expect(refused.statusCode).toBe(422);
    expect((refused.json() as { error: { fields: { field: string; code: string }[] } }).error.fields).toEqual([
      expect.objectContaining({ field: 'rootCauseId', code: 'required' }),
    ]);
    // Refused means nothing changed: still proposed, no survey.
    expect((await columnsOf(db(), c.code)).status).toBe('proposed');
    expect(await surveysOf(db(), c.code)).toHaveLength(0);
    expect((await c.implement({ rootCauseId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(422);

    const delivery = await rootCauseId(db(), 'delivery');
    const ok = await c.implement({ rootCauseId: delivery });
    expect(ok.statusCode, ok.body).toBe(200);
    const body = (await app.inject({ method: 'GET', url: `/api/v1/complaints/${c.code}`, headers })).json() as {
      status: string;
      rootCause: { id: string; name: string };
      resolvedAt: string;
      reopenCount: number;
    };
    expect(body).toMatchObject({ status: 'resolved', rootCause: { id: delivery, name: 'Giao hàng chậm hoặc sai' }, reopenCount: 0 });
    expect(body.resolvedAt).toBeTruthy();
    expect((await columnsOf(db(), c.code)).root_cause_id).toBe(delivery);

    // Recorded beforehand (PATCH root-cause), resolving needs nothing more.
    const other = await accepted();
    const set = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${other.code}/root-cause`, headers, payload: { rootCauseId: delivery } });
    expect(set.statusCode).toBe(200);
    expect((set.json() as { rootCause: { id: string } }).rootCause.id).toBe(delivery);
    expect((await other.implement({})).statusCode).toBe(200);
    expect((await columnsOf(db(), other.code)).status).toBe('resolved');
  });

  it('schedules one survey per resolution, surveyDelayHours after it; a double click never makes two', async () => {
    const c = await complaintOf(db());
    const at = new Date(Date.now() - 10 * 60_000);
    await resolve(db(), c.code, { at });
    let surveys = await surveysOf(db(), c.code);
    expect(surveys).toHaveLength(1);
    expect(surveys[0].resolution_no).toBe(1);
    expect(new Date(surveys[0].send_after).getTime()).toBe(at.getTime() + DEFAULT_WORKFLOW.surveyDelayHours * HOUR);
    // The same resolution again: a second click is an invalid move (409), and a retried schedule creates nothing.
    const { headers } = await staffWithToken(db(), 'agent');
    const again = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/transitions`, headers, payload: { to: 'resolved' } });
    expect(again.statusCode).toBe(409);
    const retried = await inTransaction(db(), (tx) => scheduleSurvey(tx, { complaintId: c.id, resolutionNo: 1, resolvedAt: at, workflow: DEFAULT_WORKFLOW }));
    expect(retried.created).toBe(false);
    surveys = await surveysOf(db(), c.code);
    expect(surveys).toHaveLength(1);
    const resolvedEvent = (await eventsOf(db(), c.code)).find((e) => e.type === 'status.changed' && e.payload.to === 'resolved');
    expect(resolvedEvent?.payload).toMatchObject({ survey: { resolutionNo: 1 } });
  });

  it('the sweep mails the survey once after the delay, with a signed link; the link page shows it; answering closes the complaint once', async () => {
    const c = await complaintOf(db());
    const at = new Date(Date.now() - 3 * HOUR);
    await resolve(db(), c.code, { at });
    // An hour after the resolution it is not due yet.
    await sweep(db(), new Date(at.getTime() + HOUR));
    expect((await surveysOf(db(), c.code))[0].sent_at).toBeNull();
    // Due: sent once, however often the sweep runs.
    await sweep(db(), new Date(at.getTime() + 2 * HOUR + 1000));
    await sweep(db(), new Date(at.getTime() + 2 * HOUR + 2000));
    const mails = await db().db.execute<{ to_address: string; subject: string }>(sql`
      select m.to_address, m.subject from outbound_messages m join complaints c on c.id = m.complaint_id
      where c.code = ${c.code} and m.dedupe_key like 'survey:%'`);
    expect(mails.rows).toEqual([{ to_address: c.email, subject: `[${c.code}] Mời Quý khách đánh giá việc giải quyết khiếu nại` }]);
    expect((await eventsOf(db(), c.code)).filter((e) => e.type === 'survey.sent')).toHaveLength(1);
    expect((await surveysOf(db(), c.code))[0].sent_at).not.toBeNull();

    const token = await mailedToken(db(), c.code);
    const page = await app.inject({ method: 'GET', url: `/api/v1/public/surveys/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ code: c.code, subject: 'Máy giặt kêu to khi vắt', answered: false, question: { vi: expect.stringContaining('hài lòng') } });

    const answer = await app.inject({ method: 'POST', url: `/api/v1/public/surveys/${token}`, payload: { rating: 4, comment: 'Xử lý nhanh, cảm ơn' } });
    expect(answer.statusCode).toBe(201);
    expect(answer.json()).toMatchObject({ code: c.code, rating: 4, status: 'closed' });
    const cols = await columnsOf(db(), c.code);
    expect(cols.status).toBe('closed');
    expect(cols.closed_at).not.toBeNull();
    const closing = (await eventsOf(db(), c.code)).filter((e) => e.type === 'status.changed').pop();
    expect(closing?.payload).toMatchObject({ from: 'resolved', to: 'closed', cause: 'survey_answered' });

    // Twice: refused, nothing stored.
    const twice = await app.inject({ method: 'POST', url: `/api/v1/public/surveys/${token}`, payload: { rating: 1, comment: 'đổi ý' } });
    expect(twice.statusCode).toBe(409);
    expect((twice.json() as { error: { code: string } }).error.code).toBe('survey_already_answered');
    const portalTwice = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/survey`, payload: { contact: c.phone, rating: 2 } });
    expect(portalTwice.statusCode).toBe(409);
    const stored = (await surveysOf(db(), c.code))[0];
    expect([stored.rating, stored.comment]).toEqual([4, 'Xử lý nhanh, cảm ơn']);
    expect((await eventsOf(db(), c.code)).filter((e) => e.type === 'survey.answered')).toHaveLength(1);
    // The customer sees their rating on the status page.
    const status = await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${c.code}?contact=${encodeURIComponent(c.email)}` });
    expect((status.json() as { timeline: { type: string; rating?: number }[] }).timeline).toContainEqual(expect.objectContaining({ type: 'survey.answered', rating: 4 }));
    // A rating out of range is a field error.
    const bad = await app.inject({ method: 'POST', url: `/api/v1/public/surveys/${token}`, payload: { rating: 6 } });
    expect(bad.statusCode).toBe(422);
  });

  it('a complaint in English gets its survey in English, the links opening the pages in English', async () => {
    const created = await seedComplaint(db(), {
      now: new Date(Date.now() - 100 * DAY),
      input: { customer: { name: 'Tom Baker', phone: randomPhone(), email: `tom.${unique()}@example.com` }, subject: 'Noisy washing machine', language: 'en' },
    });
    const at = new Date(Date.now() - 3 * HOUR);
    await resolve(db(), created.code, { at });
    await sweep(db(), new Date(at.getTime() + 2 * HOUR + 1000));
    const mail = (
      await db().db.execute<{ subject: string; text: string; locale: string }>(sql`
        select m.subject, m.text, m.locale from outbound_messages m join complaints c on c.id = m.complaint_id
        where c.code = ${created.code} and m.dedupe_key like 'survey:%'`)
    ).rows;
    expect(mail).toEqual([expect.objectContaining({ locale: 'en', subject: `[${created.code}] How did we do with your complaint?` })]);
    expect(mail[0].text).toMatch(/http:\/\/sen\.test\/khao-sat\/[A-Za-z0-9_\-.]+\?lang=en/);
    expect(mail[0].text).toMatch(new RegExp(`/tra-cuu\\?code=${created.code}&t=[^\\s&]+&lang=en`));
    // The link still opens the survey.
    expect((await app.inject({ method: 'GET', url: `/api/v1/public/surveys/${await mailedToken(db(), created.code)}` })).statusCode).toBe(200);
  });

  it('refuses expired (410) and tampered (403) links, saying so in Vietnamese or English, and stores nothing', async () => {
    const c = await complaintOf(db());
    await resolve(db(), c.code);
    const survey = (await surveysOf(db(), c.code))[0];
    const nonce = (await db().db.execute<{ link_nonce: string }>(sql`select link_nonce from surveys where id = ${survey.id}`)).rows[0].link_nonce;
    const secret = await linkSecret(db());
    const expired = signLink(secret, { purpose: 'survey', id: survey.id, nonce, exp: Math.floor(Date.now() / 1000) - 60 });
    const r1 = await app.inject({ method: 'POST', url: `/api/v1/public/surveys/${expired}`, headers: { 'accept-language': 'vi' }, payload: { rating: 5 } });
    expect(r1.statusCode).toBe(410);
    expect(r1.json()).toMatchObject({ error: { code: 'survey_link_expired', message: expect.stringContaining('hết hạn') } });
    const r1en = await app.inject({ method: 'GET', url: `/api/v1/public/surveys/${expired}`, headers: { 'accept-language': 'en' } });
    expect(r1en.statusCode).toBe(410);
    expect((r1en.json() as { error: { message: string } }).error.message).toContain('expired');

    const valid = signLink(secret, { purpose: 'survey', id: survey.id, nonce, exp: Math.floor(Date.now() / 1000) + 3600 });
    const [body, mac] = valid.split('.');
    const forged = Buffer.from(JSON.stringify({ purpose: 'survey', id: survey.id, nonce, exp: 9_999_999_999 })).toString('base64url');
    for (const token of [`${forged}.${mac}`, `${body}.${mac.slice(0, -2)}xx`, 'not-a-token']) {
      const r = await app.inject({ method: 'POST', url: `/api/v1/public/surveys/${encodeURIComponent(token)}`, payload: { rating: 5 } });
      expect(r.statusCode).toBe(403);
      expect((r.json() as { error: { code: string } }).error.code).toBe('survey_link_invalid');
    }
    // A consultation link is not a survey link.
    const wrongPurpose = signLink(secret, { purpose: 'consultation', id: survey.id, nonce, exp: Math.floor(Date.now() / 1000) + 3600 });
    expect((await app.inject({ method: 'GET', url: `/api/v1/public/surveys/${wrongPurpose}` })).statusCode).toBe(403);
    expect((await surveysOf(db(), c.code))[0].answered_at).toBeNull();
    expect((await columnsOf(db(), c.code)).status).toBe('resolved');
  });

  it('closes a resolved complaint after autoCloseDays without an answer, once', async () => {
    const c = await complaintOf(db());
    const at = new Date(Date.now() - 10 * DAY);
    await resolve(db(), c.code, { at });
    await sweep(db(), new Date(at.getTime() + 6 * DAY));
    expect((await columnsOf(db(), c.code)).status).toBe('resolved');
    await sweep(db(), new Date(at.getTime() + DEFAULT_WORKFLOW.autoCloseDays * DAY + 60_000));
    await sweep(db(), new Date(at.getTime() + DEFAULT_WORKFLOW.autoCloseDays * DAY + 120_000));
    const cols = await columnsOf(db(), c.code);
    expect(cols.status).toBe('closed');
    expect(new Date(cols.closed_at!).getTime()).toBe(at.getTime() + DEFAULT_WORKFLOW.autoCloseDays * DAY + 60_000);
    const closings = (await eventsOf(db(), c.code)).filter((e) => e.type === 'status.changed' && e.payload.to === 'closed');
    expect(closings).toHaveLength(1);
    expect(closings[0]).toMatchObject({ actor_type: 'system', payload: { cause: 'auto_close' } });
    expect((await surveysOf(db(), c.code))[0].answered_at).toBeNull();
  });

  it('the customer reopens from the status page within the window: same complaint, investigating, reopen_count 1, new resolution clock; resolving again asks a second survey', async () => {
    const c = await complaintOf(db());
    const resolvedAt = new Date(Date.now() - 2 * DAY);
    await resolve(db(), c.code, { at: resolvedAt });
    const before = (await findComplaint(db(), c.code))!.clocks.resolution!;
    expect(before.stoppedAt).not.toBeNull();

    const followup = await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${c.code}/followup?contact=${encodeURIComponent(c.phone)}` });
    expect(followup.json()).toMatchObject({ status: 'resolved', reopen: { available: true, withinWindow: true }, survey: { resolutionNo: 1, answered: false } });

    const res = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/reopen`, payload: { contact: c.phone, reason: 'Máy vẫn kêu to sau khi sửa' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'reopened', code: c.code, reopenCount: 1, complaint: { status: 'investigating' } });
    const cols = await columnsOf(db(), c.code);
    expect([cols.status, cols.reopen_count, cols.closed_at]).toEqual(['investigating', 1, null]);
    const resolution = (await findComplaint(db(), c.code))!.clocks.resolution!;
    expect(resolution.stoppedAt).toBeNull();
    expect(resolution.startedAt.getTime()).toBeGreaterThan(before.startedAt.getTime());
    expect(resolution.dueAt.getTime()).toBeGreaterThan(Date.now());
    const moves = (await eventsOf(db(), c.code)).filter((e) => e.type === 'status.changed').slice(-2);
    expect(moves.map((e) => [e.payload.from, e.payload.to, e.actor_type])).toEqual([
      ['resolved', 'reopened', 'customer'],
      ['reopened', 'investigating', 'system'],
    ]);
    expect(moves[0].payload).toMatchObject({ reason: 'Máy vẫn kêu to sau khi sửa', reopenCount: 1, clocks: [expect.objectContaining({ kind: 'resolution', op: 'start' })] });
    // The first resolution's survey is no longer sent.
    await sweep(db(), new Date(Date.now() + HOUR));
    expect((await surveysOf(db(), c.code))[0].sent_at).toBeNull();

    // Resolved again (the root cause is on file): a second survey.
    await resolveThroughProposal(db(), c.code);
    expect((await surveysOf(db(), c.code)).map((s) => s.resolution_no)).toEqual([1, 2]);
    const { headers } = await staffWithToken(db(), 'agent');
    const detail = await app.inject({ method: 'GET', url: `/api/v1/complaints/${c.code}`, headers });
    expect(detail.json()).toMatchObject({ status: 'resolved', reopenCount: 1, rootCause: { name: 'Lỗi sản phẩm' } });
  });

  it('a supervisor reopens within the window; an agent may not (403), and an open complaint cannot be reopened (409)', async () => {
    const c = await complaintOf(db());
    await resolve(db(), c.code);
    const sup = await staffWithToken(db(), 'supervisor');
    const ag = await staffWithToken(db(), 'agent');
    expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/reopen`, payload: { reason: 'x' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/reopen`, headers: ag.headers, payload: { reason: 'Khách gọi lại' } })).statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/reopen`, headers: sup.headers, payload: { reason: 'Khách gọi lại báo lỗi tái diễn', channel: 'hotline' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ outcome: 'reopened', reopenCount: 1, complaint: { status: 'investigating', reopenCount: 1 } });
    const moves = (await eventsOf(db(), c.code)).filter((e) => e.type === 'status.changed').slice(-2);
    expect(moves.map((e) => e.actor_type)).toEqual(['supervisor', 'supervisor']);
    const open = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/reopen`, headers: sup.headers, payload: { reason: 'lần nữa' } });
    expect(open.statusCode).toBe(409);
  });

  it('a message or a file from the status page to a complaint that is over is refused with 409 complaint_closed, saying how to go on, and nothing is stored', async () => {
    const closed = await complaintOf(db());
    await resolve(db(), closed.code);
    const { headers } = await staffWithToken(db(), 'agent');
    expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${closed.code}/transitions`, headers, payload: { to: 'closed' } })).statusCode).toBe(200);
    const withdrawn = await complaintOf(db());
    expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${withdrawn.code}/transitions`, headers, payload: { to: 'withdrawn', reason: 'Khách rút' } })).statusCode).toBe(200);
    for (const c of [closed, withdrawn]) {
      const before = (await eventsOf(db(), c.code)).length;
      const vi = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/messages`, payload: { contact: c.phone, message: 'Tôi vẫn chưa nhận được hàng.' } });
      expect(vi.statusCode).toBe(409);
      expect(vi.json().error.code).toBe('complaint_closed');
      expect(vi.json().error.message).toContain('mở lại khiếu nại');
      expect(vi.json().error.message).toContain('khiếu nại mới');
      const en = await app.inject({
        method: 'POST',
        url: `/api/v1/portal/complaints/${c.code}/messages`,
        payload: { contact: c.email, message: 'Still nothing.' },
        headers: { 'accept-language': 'en' },
      });
      expect(en.json().error).toMatchObject({ code: 'complaint_closed', message: expect.stringContaining('reopen the complaint') });
      const files = multipart({ contact: c.phone }, [{ filename: 'anh.png', type: 'image/png', content: PNG }]);
      const up = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/attachments`, payload: files.payload, headers: files.headers });
      expect(up.statusCode).toBe(409);
      expect(up.json().error.code).toBe('complaint_closed');
      expect((await eventsOf(db(), c.code)).length).toBe(before);
    }
  });

  it('staff write down a survey answered on the phone (a customer without email gets no link): closes it, once, with who took it', async () => {
    const phone = randomPhone();
    const created = await seedComplaint(db(), { now: new Date(Date.now() - 10 * DAY), input: { customer: { name: 'Ông Võ Văn Điện', phone, email: undefined }, subject: 'Quạt kêu to' } });
    await resolve(db(), created.code);
    const agent = await staffWithToken(db(), 'agent');
    const auditor = await staffWithToken(db(), 'auditor');
    const url = `/api/v1/complaints/${created.code}/survey-answer`;
    for (const payload of [{ rating: 0 }, { rating: 6 }, { rating: 4, comment: 'x'.repeat(2001) }, { rating: 4, channel: 'sms' }]) {
      expect((await app.inject({ method: 'POST', url, headers: agent.headers, payload })).statusCode, JSON.stringify(payload)).toBe(422);
    }
    expect((await app.inject({ method: 'POST', url, payload: { rating: 4 } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url, headers: auditor.headers, payload: { rating: 4 } })).statusCode).toBe(403);
    expect((await surveysOf(db(), created.code))[0].answered_at).toBeNull();
    const res = await app.inject({ method: 'POST', url, headers: agent.headers, payload: { rating: 4, comment: 'Khách nói qua điện thoại: hài lòng, mong giao nhanh hơn.' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ rating: 4, status: 'closed' });
    const answered = (await eventsOf(db(), created.code)).find((e) => e.type === 'survey.answered')!;
    expect(answered).toMatchObject({ actor_type: 'agent', payload: { rating: 4, via: 'phone', comment: 'Khách nói qua điện thoại: hài lòng, mong giao nhanh hơn.' } });
    expect((await surveysOf(db(), created.code))[0]).toMatchObject({ rating: 4 });
    const again = await app.inject({ method: 'POST', url, headers: agent.headers, payload: { rating: 5 } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('survey_already_answered');
  });

  it('a complaint with an authority still takes the customer’s messages and files on the status page', async () => {
    const c = await complaintOf(db(), new Date());
    const { headers } = await staffWithToken(db(), 'supervisor');
    for (const to of ['acknowledged', 'investigating']) {
      expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/transitions`, headers, payload: { to } })).statusCode).toBe(200);
    }
    const escalated = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${c.code}/escalations`,
      headers,
      payload: { authorityName: 'Sở Công Thương TP. Hồ Chí Minh', reason: 'Hai bên không thỏa thuận được' },
    });
    expect(escalated.statusCode, escalated.body).toBe(201);
    const sent = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/messages`, payload: { contact: c.phone, message: 'Tôi gửi thêm biên bản giao hàng.' } });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().status).toBe('escalated');
    const files = multipart({ contact: c.phone }, [{ filename: 'bien-ban.png', type: 'image/png', content: PNG }]);
    const up = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/attachments`, payload: files.payload, headers: files.headers });
    expect(up.statusCode, up.body).toBe(201);
    const types = (await eventsOf(db(), c.code)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['message.received', 'attachments.added']);
  });

  it('a reply by email to a resolved complaint within the window reopens it; after the window it opens a new complaint linked to the old one', async () => {
    const files = LocalFileStore.inDataDir(TEST_DATA_DIR);
    const receipt = { baseUrl: 'http://sen.test', companyName: 'Công ty Sen' };
    const reply = async (email: string, code: string, text: string, now: Date) => {
      const raw = Buffer.from(
        [
          `From: =?UTF-8?B?${Buffer.from('Lê Thị Thu').toString('base64')}?= <${email}>`,
          'To: khieunai@sen.test',
          `Subject: Re: [${code}] Máy giặt kêu to khi vắt`,
          `Message-ID: <${unique()}@khach.vn>`,
          `Date: ${now.toUTCString()}`,
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: 8bit',
          '',
          text,
          '',
        ].join('\r\n'),
      );
      return receiveEmail({ database: db(), files, raw, mail: await parseInboundMail(raw), envelopeFrom: email, receipt, now });
    };

    const c = await complaintOf(db());
    const resolvedAt = new Date(Date.now() - 3 * DAY);
    await resolve(db(), c.code, { at: resolvedAt });
    const within = await reply(c.email, c.code, 'Máy vẫn kêu to, đề nghị kiểm tra lại.', new Date());
    expect(within).toEqual({ outcome: 'threaded', code: c.code });
    const cols = await columnsOf(db(), c.code);
    expect([cols.status, cols.reopen_count]).toEqual(['investigating', 1]);
    const row = (await findComplaint(db(), c.code))!;
    expect(row.clocks.resolution!.stoppedAt).toBeNull();
    expect(row.clocks.next_response?.stoppedAt).toBeNull();
    const types = (await eventsOf(db(), c.code)).slice(-3).map((e) => [e.type, e.payload.to ?? null]);
    expect(types).toEqual([
      ['message.received', null],
      ['status.changed', 'reopened'],
      ['status.changed', 'investigating'],
    ]);
    // Resolved again: a second survey.
    await resolveThroughProposal(db(), c.code);
    expect((await surveysOf(db(), c.code)).map((s) => s.resolution_no)).toEqual([1, 2]);

    // After the window (30 days): a new complaint, same customer, by email, linked to the old one.
    const old = await complaintOf(db(), new Date(Date.now() - 50 * DAY));
    await resolve(db(), old.code, { at: new Date(Date.now() - 40 * DAY) });
    const late = await reply(old.email, old.code, 'Lại hỏng rồi.', new Date());
    expect(late.outcome).toBe('created');
    const fresh = late.outcome === 'created' ? late.code : '';
    expect(fresh).not.toBe(old.code);
    const linked = await columnsOf(db(), fresh);
    expect(linked.previous_complaint_id).toBe(old.id);
    const oldCols = await columnsOf(db(), old.code);
    expect([oldCols.status, oldCols.reopen_count]).toEqual(['resolved', 0]);
    const channel = await db().db.execute<{ channel: string; same: boolean }>(sql`
      select n.channel, n.customer_id = o.customer_id as same from complaints n, complaints o where n.code = ${fresh} and o.code = ${old.code}`);
    expect(channel.rows[0]).toEqual({ channel: 'email', same: true });
    expect((await eventsOf(db(), fresh)).map((e) => e.type)).toContain('complaint.linked');

    // The complaint it continues was written to in English: so is the new one, whatever its few words look like.
    const english = await complaintOf(db(), new Date(Date.now() - 50 * DAY));
    await db().db.execute(sql`update complaints set language = 'en' where code = ${english.code}`);
    await resolve(db(), english.code, { at: new Date(Date.now() - 40 * DAY) });
    const again = await reply(english.email, english.code, 'Lại hỏng rồi.', new Date());
    expect(again.outcome).toBe('created');
    const continued = await db().db.execute<{ language: string }>(sql`
      select language from complaints where code = ${again.outcome === 'created' ? again.code : ''}`);
    expect(continued.rows).toEqual([{ language: 'en' }]);
  });

  it('a complaint opened to continue one in English is in English too, whatever the browser asks for', async () => {
    const old = await seedComplaint(db(), {
      now: new Date(Date.now() - 60 * DAY),
      input: { customer: { name: 'Tom Baker', phone: randomPhone(), email: `tom.${unique()}@example.com` }, subject: 'Noisy washing machine', language: 'en' },
    });
    await resolve(db(), old.code, { at: new Date(Date.now() - 45 * DAY) });
    const contact = (await db().db.execute<{ email: string }>(sql`select cu.email from complaints c join customers cu on cu.id = c.customer_id where c.code = ${old.code}`)).rows[0].email;
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/portal/complaints/${old.code}/reopen`,
      headers: { 'accept-language': 'vi' },
      payload: { contact, reason: 'It is noisy again.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().code as string;
    const r = await db().db.execute<{ language: string; locale: string }>(sql`
      select c.language, m.locale from complaints c join outbound_messages m on m.complaint_id = c.id where c.code = ${code}`);
    expect(r.rows).toEqual([{ language: 'en', locale: 'en' }]);
  });

  it('after the window the status page opens a new linked complaint (201, its code); a double click opens one', async () => {
    const old = await complaintOf(db(), new Date(Date.now() - 60 * DAY));
    await resolve(db(), old.code, { at: new Date(Date.now() - 45 * DAY) });
    const followup = await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${old.code}/followup?contact=${encodeURIComponent(old.email)}` });
    expect(followup.json()).toMatchObject({ reopen: { available: true, withinWindow: false } });
    const payload = { contact: old.email, reason: 'Sản phẩm lại hỏng như cũ' };
    const first = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${old.code}/reopen`, payload });
    expect(first.statusCode).toBe(201);
    const body = first.json() as { outcome: string; code: string; previousCode: string; statusUrl: string; complaint: { status: string } };
    expect(body).toMatchObject({ outcome: 'new_complaint', previousCode: old.code, complaint: { status: 'received' } });
    expect(body.code).not.toBe(old.code);
    expect(body.statusUrl).toContain(body.code);
    const second = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${old.code}/reopen`, payload });
    expect(second.statusCode).toBe(200);
    expect((second.json() as { code: string }).code).toBe(body.code);
    const linked = await db().db.execute<{ code: string; channel: string }>(sql`
      select code, channel from complaints where previous_complaint_id = ${old.id}`);
    expect(linked.rows).toEqual([{ code: body.code, channel: 'web' }]);
    expect((await columnsOf(db(), old.code)).status).toBe('resolved');
    const { headers } = await staffWithToken(db(), 'agent');
    const detail = await app.inject({ method: 'GET', url: `/api/v1/complaints/${body.code}`, headers });
    expect(detail.json()).toMatchObject({ previousComplaintCode: old.code });
  });

  it('uses the configured survey delay, auto-close and reopen window, not the defaults', async () => {
    const admin = { kind: 'admin' as const, id: null, channel: 'console' as const };
    await updateWorkflowPolicy({ database: db(), actor: admin, input: { ...DEFAULT_WORKFLOW, surveyDelayHours: 5, autoCloseDays: 3, reopenWindowDays: 5 } });
    try {
      // Survey 5 h after the resolution; closed unanswered after 3 days.
      const c = await complaintOf(db());
      const at = new Date(Date.now() - 10 * DAY);
      await resolve(db(), c.code, { at });
      expect(new Date((await surveysOf(db(), c.code))[0].send_after).getTime()).toBe(at.getTime() + 5 * HOUR);
      await sweep(db(), new Date(at.getTime() + 4 * HOUR));
      expect((await surveysOf(db(), c.code))[0].sent_at).toBeNull();
      await sweep(db(), new Date(at.getTime() + 6 * HOUR));
      expect((await surveysOf(db(), c.code))[0].sent_at).not.toBeNull();
      await sweep(db(), new Date(at.getTime() + 2 * DAY));
      expect((await columnsOf(db(), c.code)).status).toBe('resolved');
      await sweep(db(), new Date(at.getTime() + 3 * DAY + 60_000));
      expect((await columnsOf(db(), c.code)).status).toBe('closed');

      // Reopen window of 5 days: 4 days after the resolution the same complaint reopens; 6 days after, a new one.
      const followupOf = async (code: string, contact: string) =>
        (await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${code}/followup?contact=${encodeURIComponent(contact)}` })).json();
      const recent = await complaintOf(db(), new Date(Date.now() - 20 * DAY));
      await resolve(db(), recent.code, { at: new Date(Date.now() - 4 * DAY) });
      expect(await followupOf(recent.code, recent.email)).toMatchObject({ reopen: { available: true, withinWindow: true } });
      const older = await complaintOf(db(), new Date(Date.now() - 20 * DAY));
      await resolve(db(), older.code, { at: new Date(Date.now() - 6 * DAY) });
      expect(await followupOf(older.code, older.email)).toMatchObject({ reopen: { available: true, withinWindow: false } });
      const payload = (contact: string) => ({ contact, reason: 'Máy lại kêu to' });
      const same = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${recent.code}/reopen`, payload: payload(recent.email) });
      expect(same.statusCode, same.body).toBe(200);
      expect((await columnsOf(db(), recent.code)).reopen_count).toBe(1);
      const fresh = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${older.code}/reopen`, payload: payload(older.email) });
      expect(fresh.statusCode, fresh.body).toBe(201);
      expect(fresh.json()).toMatchObject({ outcome: 'new_complaint', previousCode: older.code });
    } finally {
      await updateWorkflowPolicy({ database: db(), actor: admin, input: DEFAULT_WORKFLOW });
    }
  });

  it('a customer can never reopen, rate or read the follow-up of another customer’s complaint (wrong contact: 404)', async () => {
    const c = await complaintOf(db());
    await resolve(db(), c.code);
    const stranger = randomPhone();
    const reopen = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/reopen`, payload: { contact: stranger, reason: 'mở lại' } });
    expect(reopen.statusCode).toBe(404);
    expect((reopen.json() as { error: { code: string } }).error.code).toBe('complaint_not_found');
    const rate = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/survey`, payload: { contact: 'ke.la@example.com', rating: 1 } });
    expect(rate.statusCode).toBe(404);
    const read = await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${c.code}/followup?contact=${stranger}` });
    expect(read.statusCode).toBe(404);
    const cols = await columnsOf(db(), c.code);
    expect([cols.status, cols.reopen_count]).toEqual(['resolved', 0]);
    expect((await surveysOf(db(), c.code))[0].answered_at).toBeNull();
    // With the right contact, the status page answers the survey and closes the complaint.
    const ok = await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${c.code}/survey`, payload: { contact: c.phone, rating: 5, comment: 'Rất hài lòng' } });
    expect(ok.statusCode).toBe(201);
    expect((await columnsOf(db(), c.code)).status).toBe('closed');
  });

  it('root causes and corrective actions: admins edit the taxonomy, supervisors open actions from a complaint; every staff route checks the role', async () => {
    const admin = await staffWithToken(db(), 'admin');
    const sup = await staffWithToken(db(), 'supervisor');
    const ag = await staffWithToken(db(), 'agent');
    const auditor = await staffWithToken(db(), 'auditor');
    const dept = await staffWithToken(db(), 'department');
    const c = await complaintOf(db());
    await resolve(db(), c.code);
    const some = (await rootCauseId(db(), 'billing')) as string;

    const routes: { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: Record<string, unknown>; denied: { headers: Record<string, string> }[] }[] = [
      { method: 'GET', url: '/api/v1/root-causes', denied: [dept] },
      { method: 'POST', url: '/api/v1/root-causes', payload: { name: 'Lỗi nhà cung cấp' }, denied: [ag, sup, auditor] },
      { method: 'PATCH', url: `/api/v1/root-causes/${some}`, payload: { nameEn: 'Billing' }, denied: [ag, sup] },
      { method: 'PATCH', url: `/api/v1/complaints/${c.code}/root-cause`, payload: { rootCauseId: some }, denied: [auditor, dept] },
      { method: 'POST', url: `/api/v1/complaints/${c.code}/reopen`, payload: { reason: 'x' }, denied: [ag, auditor] },
      { method: 'GET', url: '/api/v1/corrective-actions', denied: [dept] },
      { method: 'POST', url: '/api/v1/corrective-actions', payload: { title: 'x' }, denied: [ag, auditor] },
      { method: 'PATCH', url: '/api/v1/corrective-actions/00000000-0000-4000-8000-000000000000', payload: { status: 'done' }, denied: [ag] },
      { method: 'GET', url: '/api/v1/corrective-actions/00000000-0000-4000-8000-000000000000', denied: [dept] },
      { method: 'GET', url: '/api/v1/reports/summary', denied: [ag, dept] },
      { method: 'GET', url: '/api/v1/reports/volumes.csv', denied: [ag] },
      { method: 'GET', url: '/api/v1/reports/sla.xlsx', denied: [ag] },
    ];
    for (const r of routes) {
      const anonymous = await app.inject({ method: r.method, url: r.url, payload: r.payload });
      expect(anonymous.statusCode, `${r.method} ${r.url}`).toBe(401);
      for (const who of r.denied) {
        const res = await app.inject({ method: r.method, url: r.url, payload: r.payload, headers: who.headers });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      }
    }
    expect((await columnsOf(db(), c.code)).status).toBe('resolved');

    const created = await app.inject({ method: 'POST', url: '/api/v1/root-causes', headers: admin.headers, payload: { name: 'Lỗi nhà cung cấp', nameEn: 'Supplier fault', slug: 'supplier' } });
    expect(created.statusCode).toBe(201);
    const cause = created.json() as { id: string; name: string; active: boolean };
    expect(cause).toMatchObject({ name: 'Lỗi nhà cung cấp', active: true });
    const dup = await app.inject({ method: 'POST', url: '/api/v1/root-causes', headers: admin.headers, payload: { name: 'Khác nữa', slug: 'supplier' } });
    expect(dup.statusCode).toBe(422);
    const retired = await app.inject({ method: 'PATCH', url: `/api/v1/root-causes/${cause.id}`, headers: admin.headers, payload: { active: false } });
    expect((retired.json() as { active: boolean }).active).toBe(false);
    const list = await app.inject({ method: 'GET', url: '/api/v1/root-causes?active=true', headers: ag.headers });
    const items = (list.json() as { items: { id: string; slug: string }[] }).items;
    expect(items.some((x) => x.slug === 'delivery')).toBe(true);
    expect(items.some((x) => x.id === cause.id)).toBe(false);
    // A retired cause cannot be picked.
    const pick = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${c.code}/root-cause`, headers: ag.headers, payload: { rootCauseId: cause.id } });
    expect(pick.statusCode).toBe(422);

    // Opened from the complaint: linked, with the complaint's root cause.
    const action = await app.inject({
      method: 'POST',
      url: '/api/v1/corrective-actions',
      headers: sup.headers,
      payload: { title: 'Kiểm tra lô máy giặt trước khi giao', ownerId: sup.user.id, dueDate: '2026-12-31', complaintCodes: [c.code] },
    });
    expect(action.statusCode).toBe(201);
    const a = action.json() as { id: string; status: string; rootCause: { name: string }; owner: { id: string }; complaints: { code: string }[]; dueDate: string };
    expect(a).toMatchObject({ status: 'open', rootCause: { name: 'Lỗi sản phẩm' }, owner: { id: sup.user.id }, dueDate: '2026-12-31', complaints: [{ code: c.code }] });
    expect((await eventsOf(db(), c.code)).map((e) => e.type)).toContain('corrective_action.linked');
    const badDate = await app.inject({ method: 'POST', url: '/api/v1/corrective-actions', headers: sup.headers, payload: { title: 'x', dueDate: '2026-02-30' } });
    expect(badDate.statusCode).toBe(422);
    const unknownComplaint = await app.inject({ method: 'POST', url: '/api/v1/corrective-actions', headers: sup.headers, payload: { title: 'x', complaintCodes: ['KN-2020-999999'] } });
    expect(unknownComplaint.statusCode).toBe(422);

    const done = await app.inject({ method: 'PATCH', url: `/api/v1/corrective-actions/${a.id}`, headers: admin.headers, payload: { status: 'done' } });
    expect(done.statusCode).toBe(200);
    expect((done.json() as { status: string; doneAt: string | null }).doneAt).not.toBeNull();
    const byComplaint = await app.inject({ method: 'GET', url: `/api/v1/corrective-actions?complaint=${c.code}`, headers: auditor.headers });
    expect((byComplaint.json() as { items: { id: string }[] }).items.map((x) => x.id)).toEqual([a.id]);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/corrective-actions/00000000-0000-4000-8000-000000000000', headers: ag.headers });
    expect(missing.statusCode).toBe(404);
  });
});
