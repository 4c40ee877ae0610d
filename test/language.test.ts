import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, staffWithToken, testConfig } from './factories';
import { receiveEmail } from '../src/commands/receive-email';
import { parseInboundMail } from '../src/channels/email/parse';
import { LocalFileStore } from '../src/files/store';

/**
 * Ngôn ngữ liên lạc: a customer who wrote in English is written to in English — the receipt, every later mail, the
 * status link (`&lang=en`) and the printed receipt — and staff can change it, with an event.
 */
describeEachDatabase('the language Sen writes to the customer in', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
  });
  afterAll(async () => {
    await app.close();
  });

  const portal = (extra: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      headers,
      payload: {
        customer: { name: 'John Carter', email: `john.${randomPhone().slice(-7)}@example.com` },
        subject: 'Kettle arrived broken',
        description: 'The kettle I ordered arrived with a cracked lid.',
        consent: true,
        ...extra,
      },
    });
  const detail = async (code: string) => (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json();
  const mails = async (code: string) =>
    (
      await db().db.execute<{ subject: string; text: string; html: string; locale: string; dedupe_key: string }>(sql`
        select o.subject, o.text, o.html, o.locale, o.dedupe_key from outbound_messages o join complaints c on c.id = o.complaint_id
        where c.code = ${code} order by o.created_at, o.dedupe_key`)
    ).rows;
  const complaintCount = async () => Number((await db().db.execute<{ n: number }>(sql`select count(*)::int as n from complaints`)).rows[0].n);

  it('the portal in English: the complaint, its receipt and its status link are in English; Vietnamese otherwise', async () => {
    const english = await portal({}, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(english.statusCode, english.body).toBe(201);
    const code = english.json().code as string;
    const shown = await detail(code);
    expect(shown).toMatchObject({ language: 'en' });
    expect(shown.timeline[0]).toMatchObject({ type: 'complaint.created', payload: { language: 'en' } });
    const [receipt] = await mails(code);
    expect(receipt).toMatchObject({ locale: 'en', subject: `[${code}] We have received your complaint: Kettle arrived broken` });
    expect(receipt.text).toMatch(new RegExp(`/tra-cuu\\?code=${code}&t=[^\\s&]+&lang=en`));
    expect(receipt.html).toContain('<html lang="en">');

    // What the form says wins over the browser's header; with neither, Vietnamese.
    const said = await portal({ language: 'vi' }, { 'accept-language': 'en' });
    const saidCode = said.json().code as string;
    expect(await detail(saidCode)).toMatchObject({ language: 'vi' });
    const [vi] = await mails(saidCode);
    expect(vi.subject).toBe(`[${saidCode}] Xác nhận tiếp nhận khiếu nại: Kettle arrived broken`);
    expect(vi.text).not.toContain('lang=');
    expect((await detail((await portal({})).json().code)).language).toBe('vi');
  });

  it('a retry in another language is the same request; an unknown language is a field error that stores nothing', async () => {
    const key = `lang-${randomPhone()}`;
    const payload = { customer: { name: 'Mary Lee', phone: randomPhone() }, subject: 'Late delivery', description: 'Still waiting.', consent: true };
    const first = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', headers: { 'idempotency-key': key, 'accept-language': 'en' }, payload });
    expect(first.statusCode, first.body).toBe(201);
    const again = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', headers: { 'idempotency-key': key, 'accept-language': 'vi' }, payload });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().code).toBe(first.json().code);
    expect((await detail(first.json().code)).language).toBe('en');
    // Also when the form said its language, then was switched and sent again.
    const formKey = `lang-form-${randomPhone()}`;
    const sent = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', headers: { 'idempotency-key': formKey }, payload: { ...payload, language: 'en' } });
    const resent = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', headers: { 'idempotency-key': formKey }, payload: { ...payload, language: 'vi' } });
    expect([sent.statusCode, resent.statusCode]).toEqual([201, 200]);
    expect(resent.json().code).toBe(sent.json().code);
    // An agent's choice of language is part of their request: the same key with another is refused, and changes nothing.
    const staffKey = `lang-staff-${randomPhone()}`;
    const staffBody = { ...buildIntake({ customer: { name: 'Ivan Petrov', phone: randomPhone() } }), channel: 'office', language: 'en' };
    const made = await app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { ...agent.headers, 'idempotency-key': staffKey }, payload: staffBody });
    expect(made.statusCode, made.body).toBe(201);
    const replay = await app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { ...agent.headers, 'idempotency-key': staffKey }, payload: staffBody });
    expect(replay.statusCode).toBe(200);
    const other = await app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { ...agent.headers, 'idempotency-key': staffKey }, payload: { ...staffBody, language: 'vi' } });
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect((await detail(made.json().code)).language).toBe('en');

    const before = await complaintCount();
    for (const bad of [
      app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: { ...payload, language: 'fr' } }),
      app.inject({ method: 'POST', url: '/api/v1/complaints', headers: agent.headers, payload: { ...buildIntake(), channel: 'hotline', language: 'EN' } }),
    ]) {
      const res = await bad;
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.fields).toEqual([expect.objectContaining({ field: 'language' })]);
    }
    expect(await complaintCount()).toBe(before);
  });

  it('staff record the language at intake and change it later (event); later mail follows it', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: agent.headers,
      payload: { ...buildIntake({ customer: { name: 'Anna Schmidt', phone: randomPhone(), email: `anna.${randomPhone().slice(-6)}@example.de` } }), channel: 'office', language: 'en' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const code = created.json().code as string;
    expect(created.json()).toMatchObject({ language: 'en' });

    const reply = async (body: string) =>
      app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/replies`, headers: agent.headers, payload: { body } });
    expect((await reply('We are looking into it.')).statusCode).toBe(201);

    const changed = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${code}`, headers: agent.headers, payload: { language: 'vi' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().language).toBe('vi');
    const events = changed.json().timeline.filter((e: { type: string }) => e.type === 'language.changed');
    expect(events).toEqual([expect.objectContaining({ payload: { from: 'en', to: 'vi' } })]);
    // The same language again changes nothing and writes no event.
    const same = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${code}`, headers: agent.headers, payload: { language: 'vi' } });
    expect(same.json().timeline.filter((e: { type: string }) => e.type === 'language.changed')).toHaveLength(1);
    expect((await reply('Chúng tôi đã kiểm tra.')).statusCode).toBe(201);

    const sent = (await mails(code)).filter((m) => m.dedupe_key.startsWith('reply:'));
    expect(sent.map((m) => m.locale)).toEqual(['en', 'vi']);
    expect(sent[0].text).toContain('&lang=en');
    expect(sent[1].text).not.toContain('lang=');

    // A bad value: a field error, nothing changes.
    const bad = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${code}`, headers: agent.headers, payload: { language: 'de' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields).toEqual([expect.objectContaining({ field: 'language' })]);
    expect((await detail(code)).language).toBe('vi');
  });

  it('every later mail of a complaint in English is in English: information request, proposal, rejection; the call form sets it', async () => {
    const supervisor = await staffWithToken(db(), 'supervisor');
    // A call in English opens the complaint (the call is its first contact: acknowledged), then it is investigated.
    const englishCall = async () => {
      const call = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers: agent.headers,
        payload: {
          caller: randomPhone(),
          startedAt: new Date(Date.now() - 120_000).toISOString(),
          notes: 'Caller speaks English.',
          complaint: { customerName: 'Peter Gray', email: `peter.${randomPhone().slice(-6)}@example.com`, subject: 'Wrong size shoes', description: 'Sent size 40 instead of 42.', language: 'en' },
        },
      });
      expect(call.statusCode, call.body).toBe(201);
      const code = call.json().code as string;
      expect((await detail(code)).language).toBe('en');
      const moved = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/transitions`, headers: agent.headers, payload: { to: 'investigating' } });
      expect(moved.statusCode, moved.body).toBe(200);
      return code;
    };
    const first = await englishCall();
    const asked = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${first}/information-requests`,
      headers: agent.headers,
      payload: { items: [{ kind: 'photos' }], message: 'Please send a photo of the label.' },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${first}/information-requests/${asked.json().request.id}/cancel`,
      headers: agent.headers,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const rejected = await app.inject({ method: 'POST', url: `/api/v1/complaints/${first}/reject`, headers: supervisor.headers, payload: { reason: 'Outside the return period.' } });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const second = await englishCall();
    const offered = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${second}/proposals`,
      headers: agent.headers,
      payload: { kind: 'exchange', description: 'We will send size 42.' },
    });
    expect(offered.statusCode, offered.body).toBe(201);

    const sent = [...(await mails(first)), ...(await mails(second))];
    expect(sent.map((m) => m.dedupe_key.split(':')[0])).toEqual(expect.arrayContaining(['info-request', 'complaint-rejected', 'proposal-offered']));
    for (const m of sent) {
      expect(m.locale, m.dedupe_key).toBe('en');
      expect(m.text, m.dedupe_key).toContain('&lang=en');
    }
  });

  it('an email written in English is answered in English; one in Vietnamese in Vietnamese', async () => {
    const receive = async (from: string, subject: string, body: string) => {
      const raw = Buffer.from(
        [`From: ${from}`, 'To: khieunai@sen.test', `Subject: ${subject}`, `Message-ID: <${randomPhone()}@mail.test>`, 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'),
      );
      const r = await receiveEmail({
        database: db(),
        files: LocalFileStore.inDataDir(testConfig().dataDir),
        raw,
        mail: await parseInboundMail(raw),
        envelopeFrom: from,
        receipt: { baseUrl: 'http://localhost:3000', companyName: 'Sen' },
      });
      expect(r).toMatchObject({ outcome: 'created' });
      return (r as { code: string }).code;
    };
    const en = await receive('tom@example.com', 'Refund not received', 'Hello, I returned the blender two weeks ago but I have still not received my refund. Please check.');
    expect((await detail(en)).language).toBe('en');
    expect((await mails(en))[0]).toMatchObject({ locale: 'en', subject: `[${en}] We have received your complaint: Refund not received` });
    const vi = await receive('lan@example.vn', 'Chưa nhận được tiền hoàn', 'Tôi đã trả máy xay sinh tố hai tuần trước nhưng chưa nhận được tiền hoàn.');
    expect((await detail(vi)).language).toBe('vi');
    expect((await mails(vi))[0].locale).toBe('vi');
  });

  it('the printed receipt is in the complaint’s language unless asked for another', async () => {
    const code = (await portal({ language: 'en' })).json().code as string;
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-lang-'));
    const text = async (query: string) => {
      const res = await app.inject({ url: `/api/v1/complaints/${code}/receipt.pdf${query}`, headers: agent.headers });
      expect(res.statusCode, res.body).toBe(200);
      const file = path.join(dir, `r${query.length}.pdf`);
      await writeFile(file, res.rawPayload);
      return (await promisify(execFile)('pdftotext', ['-layout', file, '-'])).stdout.replace(/\s+/g, ' ');
    };
    const english = await text('');
    expect(english).toContain('COMPLAINT RECEIPT');
    expect(english).toContain('&lang=en');
    const vietnamese = await text('?lang=vi');
    expect(vietnamese).toContain('PHIẾU TIẾP NHẬN');
    expect(vietnamese).not.toContain('lang=en');
  });
});
