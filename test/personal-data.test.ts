import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, utimesSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from './db';
import { PNG, TEST_DATA_DIR, multipart, buildTestApp, randomPhone, resolveThroughProposal, staffWithToken, testConfig } from './factories';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { requestInformation } from '../src/commands/request-information';
import { receiveEmail } from '../src/commands/receive-email';
import { parseInboundMail } from '../src/channels/email/parse';
import { verifyAudit } from '../src/commands/verify-audit';
import { inTransaction } from '../src/commands/transaction';
import { queueMail } from '../src/mail/outbox';
import { slaAlertMail } from '../src/mail/sla-alert';
import { eraseExpiredCustomers } from '../src/jobs/retention';
import { startJobs } from '../src/jobs/runner';
import { LocalFileStore } from '../src/files/store';
import { readErasureLedger } from '../src/files/erasure-ledger';
import { deliverQueuedMail } from '../src/jobs/deliver-mail';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { ANONYMISED_NAME, REDACTED } from '../src/domain/personal-data';

const config = testConfig();
const files = LocalFileStore.inDataDir(TEST_DATA_DIR);
const mail = { baseUrl: config.baseUrl, companyName: config.companyName };
const agentActor = { kind: 'agent' as const, id: null, channel: 'console' as const };

/** Every row of every table of Sen's, as text, that contains one of `needles` (case-insensitive). */
async function rowsMentioning(database: TestDatabase, needles: string[]): Promise<string[]> {
  const tables = await database.pool.query<{ t: string }>(
    `select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '__drizzle%'`,
  );
  const found: string[] = [];
  for (const { t } of tables.rows) {
    const rows = await database.pool.query<{ r: string }>(`select t::text as r from "${t}" t`);
    for (const { r } of rows.rows) {
      const hit = needles.find((n) => r.toLowerCase().includes(n.toLowerCase()));
      if (hit) found.push(`${t}: ${hit} in ${r.slice(0, 200)}`);
    }
  }
  return found;
}

describeEachDatabase('personal data: access log, export, erasure, retention', (db, kind) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let admin: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;

  beforeAll(async () => {
    app = await buildTestApp(db());
    [agent, admin, auditor] = await Promise.all([staffWithToken(db(), 'agent'), staffWithToken(db(), 'admin'), staffWithToken(db(), 'auditor')]);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A complaint filed on the portal by a customer whose every detail carries `tag`, so that any copy of it can be found. */
  async function file(tag: string, contact: { phone: string; email: string } = { phone: randomPhone(), email: `bimat.${tag}@example.com` }) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      payload: {
        customer: { name: `Phạm Thị Kín${tag}`, ...contact },
        subject: `Máy lọc nước rò rỉ ${tag}`,
        description: `Tôi ở số 12 ngõ Bí${tag}, máy rò nước từ hôm qua.`,
        orderRef: `DH-${tag}`,
        consent: true,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().code as string;
    const { customer } = (await app.inject({ url: `/api/v1/complaints/${code}`, headers: admin.headers })).json() as { customer: { id: string } };
    return { code, customerId: customer.id, ...contact };
  }
  const tag = () => randomBytes(4).toString('hex');
  /** Resolved the policy's way, then closed. */
  const close = async (code: string) => {
    const rootCauseId = (await db().db.execute<{ id: string }>(sql`select id from root_causes where slug = 'other'`)).rows[0].id;
    await resolveThroughProposal(db(), code, { rootCauseId });
    await transitionComplaint({ database: db(), actor: agentActor, code, to: 'closed' });
  };
  const accessLog = async (customerId: string, query = '') =>
    app.inject({ url: `/api/v1/customers/${customerId}/access-log${query}`, headers: admin.headers });

  it("logs who opened a customer's data, and how; admins and auditors read the log, agents may not", async () => {
    const t = tag();
    const c = await file(t);
    const before = (await accessLog(c.customerId)).json().items.length;
    expect((await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: agent.headers })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/v1/complaints/${c.code}/receipt.pdf`, headers: agent.headers })).statusCode).toBe(200);
    const found = await app.inject({ url: `/api/v1/customers/lookup?phone=${c.phone}`, headers: agent.headers });
    expect(found.json().customer.id).toBe(c.customerId);
    const body = multipart({}, [{ filename: `anh-${t}.png`, type: 'image/png', content: PNG }]);
    const up = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/attachments`, payload: body.payload, headers: { ...agent.headers, ...body.headers } });
    expect(up.statusCode, up.body).toBe(201);
    const sha = (up.json() as { attachments: { sha256: string }[] }).attachments[0].sha256;
    expect((await app.inject({ url: `/api/v1/complaints/${c.code}/attachments/${sha}`, headers: agent.headers })).statusCode).toBe(200);
    // A change answered with the whole complaint shows it too, even one that changes nothing.
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${c.code}`, payload: {}, headers: agent.headers })).statusCode).toBe(200);
    // Searching the queue by their phone is looking them up.
    const search = await app.inject({ url: `/api/v1/complaints?q=${c.phone}`, headers: agent.headers });
    expect(search.json().items.map((x: { code: string }) => x.code)).toEqual([c.code]);
    expect((await app.inject({ url: `/api/v1/complaints?q=${encodeURIComponent('máy lọc nước')}`, headers: agent.headers })).statusCode).toBe(200);

    const log = await accessLog(c.customerId);
    expect(log.statusCode).toBe(200);
    const mine = (log.json().items as { action: string; staff: { id: string; name: string }; complaintCode: string | null; channel: string }[]).slice(
      0,
      log.json().items.length - before,
    );
    // Newest first: the search, the PATCH, the download, the upload's answer, the lookup, the receipt, the opening.
    expect(mine.map((a) => a.action)).toEqual(['customer.lookup', 'complaint.view', 'attachment.download', 'complaint.view', 'customer.lookup', 'receipt.print', 'complaint.view']);
    expect(mine.every((a) => a.staff.id === agent.user.id && a.channel === 'api')).toBe(true);
    expect(mine.map((a) => a.complaintCode)).toEqual([null, c.code, c.code, c.code, null, c.code, c.code]);
    // Pages, newest first.
    const first = (await accessLog(c.customerId, '?limit=4')).json();
    expect(first.items.map((a: { action: string }) => a.action)).toEqual(['customer.lookup', 'complaint.view', 'attachment.download', 'complaint.view']);
    const second = (await accessLog(c.customerId, `?limit=4&before=${first.nextBefore}`)).json();
    expect(second.items.slice(0, 3).map((a: { action: string }) => a.action)).toEqual(['customer.lookup', 'receipt.print', 'complaint.view']);

    expect((await app.inject({ url: `/api/v1/customers/${c.customerId}/access-log`, headers: auditor.headers })).statusCode).toBe(200);
    const refused = await app.inject({ url: `/api/v1/customers/${c.customerId}/access-log`, headers: agent.headers });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ url: `/api/v1/customers/${randomUUID()}/access-log`, headers: admin.headers })).json().error.code).toBe('customer_not_found');
  });

  it('shows no customer data that the access log could not record', async () => {
    const t = tag();
    const c = await file(t);
    await db().db.execute(sql.raw(`
      create or replace function sen_test_refuse_log() returns trigger language plpgsql as $$
      begin raise exception 'disk full (test)'; end $$`));
    await db().db.execute(sql.raw(`create trigger sen_test_refuse_log before insert on personal_data_access for each row execute function sen_test_refuse_log()`));
    let res;
    try {
      res = await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: agent.headers });
    } finally {
      await db().db.execute(sql.raw(`drop trigger sen_test_refuse_log on personal_data_access`));
    }
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    expect(res.body).not.toContain(t);
    expect((await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: agent.headers })).body).toContain(t);
  });

  it("exports everything Sen holds about a customer as a file for them (admins only, logged)", async () => {
    const t = tag();
    const c = await file(t);
    const page = await app.inject({ url: `/api/v1/customers/${c.customerId}`, headers: agent.headers });
    expect(page.statusCode).toBe(200);
    expect(page.json().customer).toMatchObject({ id: c.customerId, name: `Phạm Thị Kín${t}`, email: c.email, anonymisedAt: null, openComplaints: 1 });
    expect(page.json().complaints.map((x: { code: string }) => x.code)).toEqual([c.code]);

    expect((await app.inject({ url: `/api/v1/customers/${c.customerId}/personal-data`, headers: agent.headers })).statusCode).toBe(403);
    // An SLA alert about the complaint mailed to the agent handling it: the agent's address is not the customer's data.
    await inTransaction(db(), (tx) =>
      queueMail(
        tx,
        slaAlertMail({ to: agent.user.email, staffName: 'Nhân viên', code: c.code, subject: 'Khiếu nại', clock: 'acknowledgement', percent: 80, dueAt: new Date(), link: `http://sen.test/staff/complaints/${c.code}`, locale: 'vi' }),
        { dedupeKey: `sla-test:${c.code}`, complaintId: (page.json() as { complaints: { id: string }[] }).complaints[0].id, domain: 'sen.test' },
      ),
    );
    const res = await app.inject({ url: `/api/v1/customers/${c.customerId}/personal-data`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="du-lieu-ca-nhan-/);
    const data = res.json();
    expect(data.customer).toMatchObject({ name: `Phạm Thị Kín${t}`, email: c.email });
    expect(data.complaints).toHaveLength(1);
    expect(data.complaints[0]).toMatchObject({ code: c.code, orderRef: `DH-${t}`, consent: { version: expect.any(String) } });
    expect(data.complaints[0].description).toContain(`Bí${t}`);
    expect(data.complaints[0].mails).toEqual([expect.objectContaining({ direction: 'out', address: c.email })]);
    expect(res.body).not.toContain(agent.user.email);
    expect(data.complaints[0].timeline.map((e: { type: string }) => e.type)).toContain('complaint.created');

    const log = (await accessLog(c.customerId)).json().items as { action: string; staff: { id: string } }[];
    expect(log.slice(0, 2).map((a) => [a.action, a.staff.id])).toEqual([
      ['customer.export', admin.user.id],
      ['customer.view', agent.user.id],
    ]);
    expect((await app.inject({ url: `/api/v1/customers/${randomUUID()}`, headers: agent.headers })).statusCode).toBe(404);
  });

  it("erases a customer's data from everywhere once their complaints are closed; the history still counts and the audit still verifies", async () => {
    const t = tag();
    const phone = randomPhone();
    const email = `bimat.${t}@example.com`;
    const first = await file(t, { phone, email });
    const second = await file(t, { phone, email });
    expect(second.customerId).toBe(first.customerId);
    const other = await file(tag());
    // Evidence: a file only this customer sent, and one another customer sent too (the same bytes, stored once).
    const own = Buffer.concat([PNG, Buffer.from(t)]);
    for (const [code, content, name] of [[first.code, own, `bien-ban-${t}.png`], [first.code, PNG, `anh-${t}.png`], [other.code, PNG, 'anh.png']] as const) {
      const body = multipart({}, [{ filename: name, type: 'image/png', content }]);
      const up = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/attachments`, payload: body.payload, headers: { ...agent.headers, ...body.headers } });
      expect(up.statusCode, up.body).toBe(201);
    }
    const stored = (b: Buffer) => existsSync(files.pathOf(createHash('sha256').update(b).digest('hex')));
    // Staff's note, an information request, and the customer's answer by mail (its raw copy kept in the file store).
    await app.inject({ method: 'POST', url: `/api/v1/complaints/${first.code}/notes`, payload: { body: `Đã gọi chị Kín${t} lúc 9 giờ` }, headers: agent.headers });
    await requestInformation({ database: db(), actor: agentActor, code: first.code, items: [{ kind: 'correspondence' }], message: `Chị Kín${t} vui lòng gửi hóa đơn.`, mail });
    const raw = Buffer.from(
      [`From: "Kin ${t}" <${email}>`, 'To: khieunai@localhost', `Subject: Re: [${first.code}] hoa don ${t}`, `Message-ID: <${randomUUID()}@example.com>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `Hóa đơn của tôi số HD${t}.`, ''].join('\r\n'),
    );
    const reply = await receiveEmail({ database: db(), files, raw, mail: await parseInboundMail(raw), envelopeFrom: email, receipt: mail });
    expect(reply.outcome).toBe('threaded');

    const early = await app.inject({ method: 'POST', url: `/api/v1/customers/${first.customerId}/anonymise`, payload: { reason: 'request' }, headers: admin.headers });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'customer_has_open_complaints', complaints: [first.code, second.code].sort() });

    for (const code of [first.code, second.code]) await close(code);
    // Receipts written as .eml files (no mail server set), and a call from their number never tied to a complaint.
    const outboxDir = path.join(TEST_DATA_DIR, 'outbox');
    await deliverQueuedMail(db(), { outboxDir, from: 'Sen <no-reply@sen.test>' });
    const emls = (await db().pool.query<{ id: string }>(`select o.id from outbound_messages o join complaints c on c.id = o.complaint_id where c.code = any($1)`, [[first.code, second.code]])).rows.map((r) => path.join(outboxDir, `${r.id}.eml`));
    expect(emls.length).toBeGreaterThan(0);
    expect(emls.every((f) => existsSync(f))).toBe(true);
    await db().pool.query(`insert into calls (caller_e164, notes) values ($1, $2)`, [phone.replace(/^0/, '+84'), `Khách Kín${t} hỏi về bảo hành`]);
    const byAgent = await app.inject({ method: 'POST', url: `/api/v1/customers/${first.customerId}/anonymise`, payload: { reason: 'request' }, headers: agent.headers });
    expect(byAgent.statusCode).toBe(403);
    const needles = [t, phone, phone.replace(/^0/, '+84'), email];
    expect((await rowsMentioning(db(), needles)).length).toBeGreaterThan(10);

    const done = await app.inject({ method: 'POST', url: `/api/v1/customers/${first.customerId}/anonymise`, payload: { reason: 'request', note: 'YC-000007' }, headers: admin.headers });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ complaints: expect.arrayContaining([first.code, second.code]), customer: { name: ANONYMISED_NAME, phone: null, email: null } });
    expect(done.json().redactedEvents).toBeGreaterThan(4);
    // Written to the erasure ledger beside the database: a restore of an older backup erases them again.
    expect((await readErasureLedger(TEST_DATA_DIR)).filter((e) => e.customerId === first.customerId).map((e) => e.reason)).toEqual(['request']);

    // Nothing of theirs is left in any table but the other customer's complaint, which only shares the tag.
    const left = (await rowsMentioning(db(), needles)).filter((r) => !r.includes(other.code) && !r.includes(other.customerId) && !r.includes(other.email));
    expect(left).toEqual([]);
    // Their own file, stored seconds ago, waits out the minute in which an upload of the same bytes could still be
    // about to refer to it (purgeFiles); the retention job's next round deletes it. The bytes the other customer
    // sent too are kept.
    expect(stored(own)).toBe(true);
    const minuteAgo = new Date(Date.now() - 2 * 60_000);
    for (const { sha256 } of (await db().pool.query<{ sha256: string }>('select sha256 from file_deletions')).rows) {
      if (existsSync(files.pathOf(sha256))) utimesSync(files.pathOf(sha256), minuteAgo, minuteAgo);
    }
    await eraseExpiredCustomers({ database: db(), files, months: 0 });
    expect(stored(own)).toBe(false);
    expect(stored(PNG)).toBe(true);
    expect((await db().pool.query('select count(*)::int as n from file_deletions')).rows[0].n).toBe(0);
    expect(emls.filter((f) => existsSync(f))).toEqual([]);
    // Their complaints take nothing new: no note, no reopening.
    const note = await app.inject({ method: 'POST', url: `/api/v1/complaints/${first.code}/notes`, payload: { body: 'x' }, headers: agent.headers });
    expect(note.json().error.code).toBe('customer_anonymised');
    // The audit chain of both complaints still verifies, and still catches an altered record of the erasure.
    const report = await verifyAudit(db());
    expect(report.problems.filter((p) => [first.code, second.code].includes(p.code))).toEqual([]);

    // The history still counts: same codes, statuses and dates; the texts say they were erased.
    const shown = (await app.inject({ url: `/api/v1/complaints/${first.code}`, headers: agent.headers })).json();
    expect(shown).toMatchObject({ status: 'closed', subject: REDACTED, description: REDACTED, customer: { name: ANONYMISED_NAME } });
    expect(shown.timeline.at(-1)).toMatchObject({ type: 'personal_data.anonymised' });
    // No one finds them by their contacts any more, nor can they look the complaint up with them.
    expect((await app.inject({ url: `/api/v1/complaints?q=${phone}`, headers: agent.headers })).json().items).toEqual([]);
    expect((await app.inject({ url: `/api/v1/customers/lookup?phone=${phone}`, headers: agent.headers })).json().customer).toBeNull();
    expect((await app.inject({ url: `/api/v1/portal/complaints/${first.code}?contact=${encodeURIComponent(email)}` })).statusCode).toBe(404);
    // A new complaint with the same phone is a new customer's, who can be reached.
    const back = await file(tag(), { phone, email: `moi.${t}@example.com` });
    expect(back.customerId).not.toBe(first.customerId);
    // Once is enough.
    const again = await app.inject({ method: 'POST', url: `/api/v1/customers/${first.customerId}/anonymise`, payload: { reason: 'request' }, headers: admin.headers });
    expect(again.json().error.code).toBe('customer_anonymised');

    await db().db.execute(sql`
      update timeline_events set payload = jsonb_set(payload, '{redacted}', '[]') where type = 'personal_data.anonymised'
      and complaint_id = (select id from complaints where code = ${first.code})`);
    const tampered = await verifyAudit(db());
    expect(tampered.problems.filter((p) => p.code === first.code).map((p) => p.problem)).toContain('hash_mismatch');
  });

  // PGlite runs one transaction at a time: the race exists on PostgreSQL only.
  if (kind === 'postgres') it('waits for intakes under way: a complaint of the customer written meanwhile refuses the erasure', async () => {
    const c = await file(tag());
    await close(c.code);
    // An intake under way holds its year's counter until it commits; this one writes a new complaint of the customer.
    const intake = await db().pool.connect();
    try {
      await intake.query('begin');
      await intake.query('select year from complaint_sequences for update');
      const erasing = app.inject({ method: 'POST', url: `/api/v1/customers/${c.customerId}/anonymise`, payload: { reason: 'request' }, headers: admin.headers });
      await new Promise((r) => setTimeout(r, 300));
      await intake.query(
        `insert into complaints select (jsonb_populate_record(null::complaints, to_jsonb(c) || jsonb_build_object(
           'id', gen_random_uuid(), 'code', 'KN-2099-' || lpad((floor(random() * 999999))::int::text, 6, '0'), 'status', 'received', 'closed_at', null))).*
         from complaints c where c.code = $1`,
        [c.code],
      );
      await intake.query('commit');
      const res = await erasing;
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('customer_has_open_complaints');
    } finally {
      intake.release();
    }
  });

  if (kind === 'postgres') it('an intake that waited for an erasure does not attach its complaint to the erased customer', async () => {
    const c = await file(tag());
    // The erasure holds the years' counters; an intake by the same phone reads the customer, then waits for them.
    const erasure = await db().pool.connect();
    try {
      await erasure.query('begin');
      await erasure.query('select year from complaint_sequences for update');
      const intake = file(tag(), { phone: c.phone, email: `khac.${tag()}@example.com` });
      await new Promise((r) => setTimeout(r, 300));
      await erasure.query(`update customers set phone_e164 = null, email = null, anonymised_at = now() where id = $1`, [c.customerId]);
      await erasure.query('commit');
      const made = await intake;
      expect(made.customerId).not.toBe(c.customerId);
      const row = (await db().pool.query<{ phone_e164: string | null }>('select phone_e164 from customers where id = $1', [made.customerId])).rows[0];
      expect(row.phone_e164).toBe(c.phone.replace(/^0/, '+84'));
    } finally {
      erasure.release();
    }
  });

  if (kind === 'postgres') it('a change that waited for an erasure is refused, not written onto the erased record', async () => {
    const c = await file(tag());
    const erasure = await db().pool.connect();
    try {
      await erasure.query('begin');
      await erasure.query('select id from complaints where code = $1 for update', [c.code]);
      const note = app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/notes`, payload: { body: 'Ghi chú' }, headers: agent.headers });
      await new Promise((r) => setTimeout(r, 300));
      await erasure.query(`update customers set anonymised_at = now(), phone_e164 = null, email = null where id = $1`, [c.customerId]);
      await erasure.query('commit');
      const res = await note;
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('customer_anonymised');
    } finally {
      erasure.release();
    }
  });

  it('logs the complaint sent back by a refusal and by a search with part of a phone number', async () => {
    const c = await file(tag());
    const before = (await accessLog(c.customerId)).json().items.length;
    const rejected = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/reject`, payload: { reason: 'Không thuộc phạm vi giải quyết' }, headers: admin.headers });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await app.inject({ url: `/api/v1/complaints?q=${c.phone.slice(0, 8)}`, headers: agent.headers })).statusCode).toBe(200);
    const items = (await accessLog(c.customerId)).json().items as { action: string; staff: { id: string } }[];
    expect(items.slice(0, items.length - before).map((a) => [a.action, a.staff.id])).toEqual([
      ['customer.lookup', agent.user.id],
      ['complaint.view', admin.user.id],
    ]);
  });

  it('erases the data of customers whose last complaint closed longer ago than the retention period, by itself', async () => {
    const old = await file(tag());
    const recent = await file(tag());
    const stillOpen = await file(tag());
    const asking = await file(tag());
    for (const c of [old, recent, asking]) await close(c.code);
    // A customer whose request about their data is being handled keeps it until the request is closed.
    const request = await app.inject({ method: 'POST', url: '/api/v1/data-requests', payload: { requesterName: 'Khách', contact: asking.email, kind: 'access', channel: 'email' }, headers: admin.headers });
    expect(request.json().customer.id).toBe(asking.customerId);
    await db().db.execute(sql`update complaints set closed_at = ${sql`now() - make_interval(months => 61)`} where code = ${asking.code}`);
    const monthsAgo = (m: number) => sql`now() - make_interval(months => ${m})`;
    await db().db.execute(sql`update complaints set closed_at = ${monthsAgo(61)}, updated_at = ${monthsAgo(61)} where code = ${old.code}`);
    await db().db.execute(sql`update complaints set closed_at = ${monthsAgo(59)}, updated_at = ${monthsAgo(59)} where code = ${recent.code}`);
    await db().db.execute(sql`update complaints set received_at = ${monthsAgo(70)}, updated_at = ${monthsAgo(70)} where code = ${stillOpen.code}`);
    const anonymised = async (id: string) =>
      (await db().db.execute<{ a: string | null }>(sql`select anonymised_at as a from customers where id = ${id}`)).rows[0].a !== null;

    expect(await eraseExpiredCustomers({ database: db(), files, months: 0 })).toEqual({ erased: 0, failed: 0 });
    expect(await anonymised(old.customerId)).toBe(false);
    // The job, as Sen runs it.
    const lines: string[] = [];
    const jobs = startJobs(db(), testConfig({ retention: { months: 60, intervalMs: 60_000 } }), (l) => lines.push(l));
    try {
      const deadline = Date.now() + 20_000;
      while (!lines.some((l) => l.startsWith('personal_data.retention: the data of')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await jobs.stop();
    }
    // (Erasures made by other tests on this database, without this data folder's ledger, are added to it: not counted here.)
    expect(lines.filter((l) => l.startsWith('personal_data.retention') && !l.includes('added to the erasure ledger'))).toEqual(['personal_data.retention: the data of 1 customer(s) past the retention period erased']);
    expect([await anonymised(old.customerId), await anonymised(recent.customerId), await anonymised(stillOpen.customerId), await anonymised(asking.customerId)]).toEqual([true, false, false, false]);
    const events = await db().db.execute<{ actor_type: string; payload: { reason: string } }>(sql`
      select actor_type, payload from timeline_events where type = 'personal_data.anonymised' and complaint_id = (select id from complaints where code = ${old.code})`);
    expect(events.rows).toEqual([{ actor_type: 'system', payload: expect.objectContaining({ reason: 'retention' }) }]);
    expect((await readErasureLedger(TEST_DATA_DIR)).filter((e) => e.customerId === old.customerId).map((e) => e.reason)).toEqual(['retention']);
    expect(await eraseExpiredCustomers({ database: db(), files, months: 60 })).toEqual({ erased: 0, failed: 0 });
  });
});

describe('the retention setting', () => {
  it('keeps personal data five years after the last complaint closed unless set otherwise; 0 keeps it for ever', () => {
    expect(loadConfig({}).retention.months).toBe(60);
    expect(loadConfig({ PERSONAL_DATA_RETENTION_MONTHS: '24' }).retention.months).toBe(24);
    expect(loadConfig({ PERSONAL_DATA_RETENTION_MONTHS: '0' }).retention.months).toBe(0);
  });
});
