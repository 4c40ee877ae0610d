import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase, type TestDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, staffWithToken } from './factories';
import { createComplaint } from '../src/commands/create-complaint';
import { verifyAudit } from '../src/commands/verify-audit';

async function count(db: TestDatabase, table: string): Promise<number> {
  const r = await db.pool.query<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(r.rows[0].n);
}

describeEachDatabase('public intake', (db) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(db());
  });
  afterAll(async () => app?.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: body as object, headers });

  it('files a complaint with a KN code, consecutive per year, and promised dates', async () => {
    const a = await post(buildIntake({ customer: { name: 'Lê Thị Thu Trang', phone: randomPhone() } }));
    const b = await post(buildIntake({ customer: { name: 'Phạm Quốc Bảo', email: 'bao.pham@example.com' } }));
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    const codeA = a.json().code as string;
    const codeB = b.json().code as string;
    expect(codeA).toMatch(/^KN-\d{4}-\d{6}$/);
    expect(Number(codeB.slice(-6))).toBe(Number(codeA.slice(-6)) + 1);
    const body = a.json();
    expect(new Date(body.acknowledgementDueAt).getTime()).toBeGreaterThan(new Date(body.receivedAt).getTime());
    expect(new Date(body.resolutionDueAt).getTime()).toBeGreaterThan(new Date(body.acknowledgementDueAt).getTime());
  });

  // On PostgreSQL a batch is built while the one before is still being written, before its new customers exist.
  it('makes one customer of a new caller whose complaints come in batch after batch', async () => {
    const phone = randomPhone();
    const email = `lan.${Date.now()}@example.com`;
    const sent = Array.from({ length: 45 }, (_, i) =>
      new Promise((r) => setTimeout(r, i)).then(() =>
        post(
          i % 3 === 0
            ? buildIntake({ customer: { name: 'Vũ Thị Lan', phone, ...(i % 2 ? { email } : {}) } })
            : buildIntake({ customer: { name: `Khách ${i}`, phone: randomPhone() } }),
          { 'idempotency-key': `batches-${phone}-${i}` },
        ),
      ),
    );
    const responses = await Promise.all(sent);
    expect(responses.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual([]);
    const r = await db().pool.query<{ customers: number; complaints: number; email: string | null }>(
      `select count(distinct cu.id)::int as customers, count(c.id)::int as complaints, max(cu.email) as email
       from customers cu join complaints c on c.customer_id = cu.id where cu.phone_e164 = $1`,
      [`+84${phone.replace(/\s/g, '').slice(1)}`],
    );
    // A form never adds a contact to a record: the email stays with the complaints that gave it.
    expect(r.rows[0]).toEqual({ customers: 1, complaints: 15, email: null });
  });

  it('records the customer’s province as one of the 34, however it was written, and shows it to staff', async () => {
    const res = await post(buildIntake({ customer: { name: 'Đinh Thị Mai', phone: randomPhone(), province: 'tp.hcm' } }));
    expect(res.statusCode).toBe(201);
    const stored = await db().pool.query('select customer_province from complaints where code = $1', [res.json().code]);
    expect(stored.rows).toEqual([{ customer_province: 'Thành phố Hồ Chí Minh' }]);
    const none = await post(buildIntake({ customer: { name: 'Hà Văn Nam', phone: randomPhone() } }));
    const unset = await db().pool.query('select customer_province from complaints where code = $1', [none.json().code]);
    expect(unset.rows).toEqual([{ customer_province: null }]);
  });

  it('treats 0912 345 678 and +84912345678 as the same customer', async () => {
    const phone = randomPhone();
    const intl = `+84${phone.slice(1)}`;
    const spaced = `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
    const before = await count(db(), 'customers');
    expect((await post(buildIntake({ customer: { name: 'Trần Văn Minh', phone: spaced, email: 'MINH.Tran@Example.com' } }))).statusCode).toBe(201);
    expect((await post(buildIntake({ customer: { name: 'Trần Văn Minh', phone: intl, email: 'minh.tran@example.com' } }))).statusCode).toBe(201);
    expect(await count(db(), 'customers')).toBe(before + 1);
    const r = await db().pool.query('select phone_e164, email from customers where phone_e164 = $1', [intl]);
    expect(r.rows).toEqual([{ phone_e164: intl, email: 'minh.tran@example.com' }]);
  });

  it('finds a customer by phone, else by email; staff can add the contact they lacked, but a form never does', async () => {
    const phone = randomPhone();
    const intl = `+84${phone.slice(1)}`;
    const email = `khach.${phone}@example.vn`;
    const customersOf = async (where: string, value: string) =>
      (await db().pool.query<{ id: string; phone_e164: string | null; email: string | null }>(`select id, phone_e164, email from customers where ${where} = $1`, [value])).rows;
    const first = await post(buildIntake({ customer: { name: 'Vũ Thị Lan', phone } }));
    expect(first.statusCode).toBe(201);
    const lanCode = first.json().code as string;
    // Someone else types her phone and their own email on the portal: the complaint is hers by phone,
    // but the email is not added to her record; it is noted on the complaint for staff to check.
    const stranger = `la.${phone}@evil.test`;
    const typed = await post(buildIntake({ customer: { name: 'Người Lạ', phone, email: stranger } }));
    expect(typed.statusCode).toBe(201);
    expect(await customersOf('phone_e164', intl)).toEqual([expect.objectContaining({ email: null })]);
    expect(await customersOf('email', stranger)).toEqual([]);
    // So the stranger's email opens none of her complaints, and no mail of hers goes to it.
    for (const code of [lanCode, typed.json().code as string]) {
      expect((await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(stranger)}` })).statusCode).toBe(404);
    }
    const mailed = await db().pool.query('select 1 from outbound_messages where to_address = $1', [stranger]);
    expect(mailed.rows).toEqual([]);
    const agent = await staffWithToken(db(), 'agent');
    const shown = (await app.inject({ url: `/api/v1/complaints/${typed.json().code}`, headers: agent.headers })).json();
    expect(shown.timeline[0].payload.unconfirmedContacts).toEqual({ email: stranger, name: 'Người Lạ' });
    // Staff searching that email find the complaint it came with (and only that one).
    const search = async (q: string) =>
      ((await app.inject({ url: `/api/v1/complaints?q=${encodeURIComponent(q)}`, headers: agent.headers })).json().items as { code: string }[]).map((i) => i.code);
    expect(await search(stranger.toUpperCase())).toEqual([typed.json().code]);
    // A complaint recorded before the contacts had their table is found once migration 0014 has copied them from its first event.
    await db().pool.query('delete from unconfirmed_contacts where complaint_id = (select id from complaints where code = $1)', [typed.json().code]);
    expect(await search(stranger)).toEqual([]);
    await db().pool.query(readFileSync(new URL('../drizzle/0014_backfill_unconfirmed_contacts.sql', import.meta.url), 'utf8'));
    expect(await search(stranger)).toEqual([typed.json().code]);
    expect((await search(phone)).sort()).toEqual([lanCode, typed.json().code].sort());
    // The customer's own view of it does not carry the note.
    const own = (await app.inject({ url: `/api/v1/portal/complaints/${typed.json().code}?contact=${phone}` })).json();
    expect(JSON.stringify(own)).not.toContain(stranger);
    // The other way round: a customer known by email only does not gain a stranger's phone, so the
    // hotline's caller lookup does not take the stranger for her.
    const hoaEmail = `hoa.${phone}@example.vn`;
    expect((await post(buildIntake({ customer: { name: 'Lê Thị Hoa', email: hoaEmail } }))).statusCode).toBe(201);
    const strangerPhone = randomPhone();
    expect((await post(buildIntake({ customer: { name: 'Người Lạ', email: hoaEmail, phone: strangerPhone } }))).statusCode).toBe(201);
    expect(await customersOf('email', hoaEmail)).toEqual([expect.objectContaining({ phone_e164: null })]);
    const lookup = await app.inject({ url: `/api/v1/customers/lookup?phone=${strangerPhone}`, headers: agent.headers });
    expect(lookup.json().customer ?? null).toBeNull();
    // Searched in another format, that phone finds the complaint it was given with.
    const withStrangerPhone = await search(`+84 ${strangerPhone.slice(1, 4)} ${strangerPhone.slice(4)}`);
    expect(withStrangerPhone).toHaveLength(1);
    expect((await app.inject({ url: `/api/v1/complaints/${withStrangerPhone[0]}`, headers: agent.headers })).json().customer.email).toBe(hoaEmail);
    // An agent taking her call with the email she gives adds it to her record.
    const taken = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: agent.headers,
      payload: { ...buildIntake({ customer: { name: 'Vũ Thị Lan', phone, email } }), consent: undefined, channel: 'hotline' },
    });
    expect(taken.statusCode, taken.body).toBe(201);
    const [lan] = await customersOf('email', email);
    expect(lan.phone_e164).toBe(intl);
    // The email alone finds her as well.
    const byEmail = await post(buildIntake({ customer: { name: 'Lan Vũ', email: email.toUpperCase() } }));
    expect(byEmail.statusCode).toBe(201);
    const complaints = await db().pool.query<{ n: string }>('select count(*) as n from complaints where customer_id = $1', [lan.id]);
    expect(Number(complaints.rows[0].n)).toBe(4);
    // Two intakes of a new customer written in one batch: one customer, two complaints. The first call
    // starts a batch at once; the two submitted in the same tick wait for it and are written together.
    const other = randomPhone();
    const intake = (phone: string) =>
      createComplaint({
        database: db(),
        actor: { kind: 'customer', id: null, channel: 'web' },
        channel: 'web',
        input: buildIntake({ customer: { name: 'Đinh Công Tráng', phone } }) as never,
        requireConsent: true,
      });
    const three = await Promise.all([intake(randomPhone()), intake(other), intake(other)]);
    expect(new Set(three.map((c) => c.code)).size).toBe(3);
    expect(await customersOf('phone_e164', `+84${other.slice(1)}`)).toHaveLength(1);
  });

  it('staff who checked with the customer add the email given on the portal to the record; one taken by another customer is refused', async () => {
    const phone = randomPhone();
    const email = `xuan.${phone}@example.vn`;
    const agent = await staffWithToken(db(), 'agent');
    expect((await post(buildIntake({ customer: { name: 'Hà Thị Xuân', phone } }))).statusCode).toBe(201);
    const second = await post(buildIntake({ customer: { name: 'Hà Thị Xuân', phone, email } }));
    const code = second.json().code as string;
    expect((await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(email)}` })).statusCode).toBe(404);
    const confirm = (field: string, headers = agent.headers) =>
      app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/confirm-contact`, headers, payload: { field } });
    // Nothing to confirm for the phone: it was the record's already.
    const none = await confirm('phone');
    expect(none.statusCode).toBe(422);
    expect(none.json().error.fields).toEqual([expect.objectContaining({ field: 'field', code: 'not_found' })]);
    const ok = await confirm('email');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().customer.email).toBe(email);
    const events = (ok.json().timeline as { type: string; payload: Record<string, unknown> }[]).filter((e) => e.type === 'customer.contact_confirmed');
    expect(events.map((e) => e.payload)).toEqual([{ field: 'email', value: email, previous: null }]);
    // From now on the email opens her complaints.
    expect((await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(email)}` })).statusCode).toBe(200);
    // Again: nothing changes, no second event.
    expect((await confirm('email')).json().timeline.filter((e: { type: string }) => e.type === 'customer.contact_confirmed')).toHaveLength(1);
    // A contact that another customer has is refused, and changes nothing.
    const otherEmail = `khac.${phone}@example.vn`;
    expect((await post(buildIntake({ customer: { name: 'Người Khác', email: otherEmail } }))).statusCode).toBe(201);
    const third = await post(buildIntake({ customer: { name: 'Hà Thị Xuân', phone, email: otherEmail } }));
    const clash = await app.inject({ method: 'POST', url: `/api/v1/complaints/${third.json().code}/confirm-contact`, headers: agent.headers, payload: { field: 'email' } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('contact_taken');
    expect(clash.json().error.fields).toEqual([expect.objectContaining({ field: 'field', code: 'contact_taken' })]);
    expect((await verifyAudit(db())).problems).toEqual([]);
  });

  it('a NUL, another control character or a lone surrogate in any field is a field error in the caller’s language, and stores nothing; NFD text is kept NFC', async () => {
    const before = await count(db(), 'complaints');
    const phone = randomPhone();
    const cases: [Record<string, unknown>, string][] = [
      [buildIntake({ customer: { name: 'Lê\u0000Văn', phone } }), 'customer.name'],
      [buildIntake({ customer: { name: 'Lê Văn', phone }, subject: 'Hàng vỡ\ud800' }), 'subject'],
      [buildIntake({ customer: { name: 'Lê Văn', phone, email: 'a\u0000@b.vn' } }), 'customer.email'],
      [{ ...buildIntake({ customer: { name: 'Lê Văn', phone } }), orderRef: 'DH\u0007-1' }, 'orderRef'],
    ];
    for (const [body, field] of cases) {
      for (const lang of ['vi', 'en']) {
        const res = await post(body, { 'accept-language': lang });
        expect(res.statusCode, res.body).toBe(422);
        const err = res.json().error;
        expect(err.fields).toEqual([expect.objectContaining({ field, code: 'invalid_characters' })]);
        expect(err.fields[0].message).toMatch(lang === 'vi' ? /ký tự không hợp lệ/ : /not allowed/);
      }
    }
    expect(await count(db(), 'complaints')).toBe(before);
    const lookup = await app.inject({ url: '/api/v1/portal/complaints/KN-2026-000001?contact=a%00@b.vn' });
    expect(lookup.statusCode).toBe(422);
    const nfd = 'Nguyễn Thị Hương'.normalize('NFD');
    const ok = await post(buildIntake({ customer: { name: nfd, phone }, subject: 'Đồng hồ bị nứt'.normalize('NFD') }));
    expect(ok.statusCode).toBe(201);
    const stored = await db().pool.query('select c.subject, cu.name from complaints c join customers cu on cu.id = c.customer_id where c.code = $1', [ok.json().code]);
    expect(stored.rows).toEqual([{ subject: 'Đồng hồ bị nứt'.normalize('NFC'), name: 'Nguyễn Thị Hương'.normalize('NFC') }]);
  });

  it('stores quotes, backslashes, braces, commas, NULL and SQL exactly as typed, in every field, with its key', async () => {
    // Whatever the batch's statements are sent as, nothing typed may change them or be changed by them.
    const tricky = `Khách O'Brien "VIP" \\ {a,b} NULL '); drop table complaints; -- \\' \\\\" ,}{ $1 E'\\x41'`;
    const email = `o'brien.${Math.random().toString(36).slice(2, 8)}@example.com`;
    const key = `k'ey\\"{,}-${Math.random()}`;
    const body = {
      customer: { name: tricky, phone: randomPhone(), email },
      subject: `Hàng lỗi: ${tricky}`,
      description: `Dòng 1 ${tricky}\nDòng 2 "ngoặc" \\n không phải xuống dòng`,
      orderRef: `DH-'1",{2}`,
      product: `Máy \\ "xay" {sinh tố}`,
      consent: true,
    };
    const res = await post(body, { 'idempotency-key': key });
    expect(res.statusCode, res.body).toBe(201);
    const stored = await db().pool.query(
      `select c.subject, c.description, c.order_ref, c.product, cu.name, cu.email, k.key
       from complaints c join customers cu on cu.id = c.customer_id join idempotency_keys k on k.complaint_id = c.id where c.code = $1`,
      [res.json().code],
    );
    expect(stored.rows).toEqual([
      { subject: body.subject, description: body.description, order_ref: body.orderRef, product: body.product, name: tricky, email, key },
    ]);
    // The first event's payload (jsonb) holds the subject too: its hash still matches what was hashed before writing.
    expect((await verifyAudit(db())).problems).toEqual([]);
    const again = await post(body, { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(again.json().code).toBe(res.json().code);
    const search = await app.inject({ url: `/api/v1/complaints?q=${encodeURIComponent("o'brien")}`, headers: (await staffWithToken(db(), 'agent')).headers });
    expect(search.json().items.map((i: { code: string }) => i.code)).toContain(res.json().code);
  });

  it('a staff page loads while intakes keep coming: the intake batches do not keep the only connection', async () => {
    const { headers } = await staffWithToken(db(), 'agent');
    const cap = 300;
    let done = 0;
    let stop = false;
    const failures: number[] = [];
    const loops = Array.from({ length: 8 }, async () => {
      while (!stop && done < cap) {
        const res = await post(buildIntake({ customer: { name: 'Khách Liên Tục', phone: randomPhone() } }));
        if (res.statusCode !== 201) failures.push(res.statusCode);
        done += 1;
      }
    });
    while (done < 16) await new Promise((r) => setTimeout(r, 5));
    const page = await app.inject({ url: '/api/v1/complaints', headers });
    const doneWhenAnswered = done;
    stop = true;
    await Promise.all(loops);
    expect(page.statusCode).toBe(200);
    expect(failures).toEqual([]);
    // Answered while intakes were still coming, not only once they stopped.
    expect(doneWhenAnswered).toBeLessThan(cap);
  });

  it('answers a retried request with the same Idempotency-Key with the same complaint', async () => {
    const key = `retry-${Math.random()}`;
    const body = buildIntake({ customer: { name: 'Võ Thị Lan', phone: randomPhone() } });
    const before = await count(db(), 'complaints');
    const first = await post(body, { 'idempotency-key': key });
    const second = await post(body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().code).toBe(first.json().code);
    expect(await count(db(), 'complaints')).toBe(before + 1);
  });

  it('answers a retry that writes the email or phone another way, with the same key, with the same complaint', async () => {
    const key = `retry-case-${Math.random()}`;
    const phone = randomPhone();
    const body = (email: string, phoneAs: string) => buildIntake({ customer: { name: 'Lê Thị An', phone: phoneAs, email } });
    const before = await count(db(), 'complaints');
    const first = await post(body(`An.${key}@Example.com`, phone), { 'idempotency-key': key });
    const second = await post(body(`an.${key}@example.com`, `+84 ${phone.slice(1)}`), { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().code).toBe(first.json().code);
    expect(await count(db(), 'complaints')).toBe(before + 1);
  });

  it('takes a contact sent as null as one not given', async () => {
    const email = `null.phone.${Math.random().toString(36).slice(2)}@example.com`;
    const res = await post(buildIntake({ customer: { name: 'Phan Văn Tú', phone: null, email, province: null } }));
    expect(res.statusCode, res.body).toBe(201);
    const row = (await db().pool.query<{ phone_e164: string | null; email: string }>('select cu.phone_e164, cu.email from complaints c join customers cu on cu.id = c.customer_id where c.code = $1', [res.json().code])).rows[0];
    expect(row).toEqual({ phone_e164: null, email });
  });

  it('creates one complaint when the same key arrives ten times at once', async () => {
    const key = `burst-${Math.random()}`;
    const body = buildIntake({ customer: { name: 'Đặng Văn Hùng', phone: randomPhone() } });
    const before = await count(db(), 'complaints');
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, { 'idempotency-key': key })));
    expect(answers.every((a) => a.statusCode === 201 || a.statusCode === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.json().code)).size).toBe(1);
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect(await count(db(), 'complaints')).toBe(before + 1);
  });

  it('refuses a reused key with a different body and stores nothing', async () => {
    const key = `reuse-${Math.random()}`;
    expect((await post(buildIntake({ customer: { name: 'A', phone: randomPhone() } }), { 'idempotency-key': key })).statusCode).toBe(201);
    const before = await count(db(), 'complaints');
    const other = await post(buildIntake({ subject: 'Khác hẳn', customer: { name: 'B', phone: randomPhone() } }), { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(await count(db(), 'complaints')).toBe(before);
  });

  describe('bad input changes nothing', () => {
    const cases: [string, () => Promise<{ statusCode: number; json: () => { error: { code: string; fields?: { field: string; code: string }[] } } }>, number, string, [string, string][]][] = [
      ['missing contact', () => post(buildIntake({ customer: { name: 'Không Liên Lạc' } })), 422, 'validation_failed', [['customer.phone', 'contact_required']]],
      ['impossible phone', () => post(buildIntake({ customer: { name: 'Số Sai', phone: '12345' } })), 422, 'validation_failed', [['customer.phone', 'phone_invalid']]],
      ['bad email', () => post(buildIntake({ customer: { name: 'Thư Sai', email: 'not-an-email' } })), 422, 'validation_failed', [['customer.email', 'email_invalid']]],
      [
        'a province that is not one of the 34',
        () => post(buildIntake({ customer: { name: 'Tỉnh Cũ', phone: randomPhone(), province: 'Bình Dương' } })),
        422,
        'validation_failed',
        [['customer.province', 'province_unknown']],
      ],
      // A contact sent as null is one not given: the rule for a missing contact answers, not a type error.
      ['null contacts', () => post(buildIntake({ customer: { name: 'Không Liên Lạc', phone: null, email: null } })), 422, 'validation_failed', [['customer.phone', 'contact_required']]],
      // A customer's phone is one they answer: not a premium-rate (1900) or toll-free (1800) line.
      ['premium-rate phone', () => post(buildIntake({ customer: { name: 'Số Tổng Đài', phone: '1900 1234' } })), 422, 'validation_failed', [['customer.phone', 'phone_invalid']]],
      ['toll-free phone', () => post(buildIntake({ customer: { name: 'Số Miễn Phí', phone: '1800 1234' } })), 422, 'validation_failed', [['customer.phone', 'phone_invalid']]],
      [
        'text of invisible characters only',
        () => post(buildIntake({ customer: { name: '\u200b\u2060', phone: randomPhone() }, subject: ' \u200c\u200d ', description: '\ufeff\u200b\n\t\u200b' })),
        422,
        'validation_failed',
        [['customer.name', 'required'], ['subject', 'required'], ['description', 'required']],
      ],
      ['missing consent', () => post({ ...buildIntake(), consent: undefined }), 422, 'validation_failed', [['consent', 'consent_required']]],
      ['consent false', () => post(buildIntake({ consent: false })), 422, 'validation_failed', [['consent', 'consent_required']]],
      ['wrong types', () => post(buildIntake({ subject: 42 })), 422, 'validation_failed', [['subject', 'wrong_type']]],
      ['unknown field', () => post(buildIntake({ isAdmin: true })), 422, 'validation_failed', [['isAdmin', 'unknown_field']]],
      ['empty subject', () => post(buildIntake({ subject: '   ' })), 422, 'validation_failed', [['subject', 'required']]],
      ['missing description', () => post({ ...buildIntake(), description: undefined }), 422, 'validation_failed', [['description', 'required']]],
      [
        'malformed JSON',
        () => app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: '{"customer": {', headers: { 'content-type': 'application/json' } }),
        400,
        'malformed_json',
        [],
      ],
      [
        'oversized body',
        () => post(buildIntake({ description: 'x'.repeat(1024 * 1024 + 10) })),
        413,
        'payload_too_large',
        [],
      ],
      [
        'not JSON',
        () => app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: 'name=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        415,
        'unsupported_media_type',
        [],
      ],
    ];
    for (const [name, send, status, code, fields] of cases) {
      it(name, async () => {
        const before = [await count(db(), 'complaints'), await count(db(), 'customers'), await count(db(), 'timeline_events')];
        const res = await send();
        expect(res.statusCode).toBe(status);
        const body = res.json();
        expect(body.error.code).toBe(code);
        for (const [field, fcode] of fields) expect(body.error.fields).toContainEqual(expect.objectContaining({ field, code: fcode }));
        expect([await count(db(), 'complaints'), await count(db(), 'customers'), await count(db(), 'timeline_events')]).toEqual(before);
      });
    }
  });

  it('speaks English when asked and Vietnamese by default', async () => {
    const bad = buildIntake({ customer: { name: 'X', phone: '12345' } });
    const vi = await post(bad);
    const en = await post(bad, { 'accept-language': 'en-US,en;q=0.9' });
    expect(vi.json().error.fields[0].message).toContain('Số điện thoại');
    expect(en.json().error.fields[0].message).toContain('phone number');
    // The weights decide, not the order: English barely wanted, Vietnamese refused.
    expect((await post(bad, { 'accept-language': 'en;q=0.1, vi;q=0.9' })).json().error.message).toBe('Dữ liệu không hợp lệ.');
    expect((await post(bad, { 'accept-language': 'vi;q=0, fr' })).json().error.message).toBe('The request is not valid.');
  });

  it('shows the customer the status only with the matching contact, and 404 exactly as for an unknown code', async () => {
    const phone = randomPhone();
    const filed = (await post(buildIntake({ customer: { name: 'Hoàng Thị Mai', phone, email: 'mai.hoang@example.com' } }))).json();
    const byPhone = await app.inject({ url: `/api/v1/portal/complaints/${filed.code}?contact=${encodeURIComponent(`+84${phone.slice(1)}`)}` });
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.json()).toMatchObject({ code: filed.code, status: 'received', timeline: [{ type: 'complaint.created' }] });
    const byEmail = await app.inject({ url: `/api/v1/portal/complaints/${filed.code.toLowerCase()}?contact=MAI.HOANG@example.com` });
    expect(byEmail.statusCode).toBe(200);
    const wrong = await app.inject({ url: `/api/v1/portal/complaints/${filed.code}?contact=0987654321` });
    const unknown = await app.inject({ url: `/api/v1/portal/complaints/KN-1999-999999?contact=0987654321` });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toBe(unknown.body);
  });
});
