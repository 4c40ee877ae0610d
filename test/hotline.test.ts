import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, staffWithToken } from './factories';
import { findComplaint } from '../src/db/queries/complaints';
import { signWebhook } from '../src/domain/webhook-signature';

const SECRET = 'bi-mat-tong-dai-123';

describeEachDatabase('hotline', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db(), { callCenterSecret: SECRET });
    agent = await staffWithToken(db(), 'agent');
  });
  afterAll(async () => app?.close());

  const call = (payload: Record<string, unknown>, headers: Record<string, string> = agent.headers) =>
    app.inject({ method: 'POST', url: '/api/v1/calls', payload, headers });
  const hook = (body: Record<string, unknown>, opts: { ts?: number; secret?: string; signature?: string } = {}) => {
    const text = JSON.stringify(body);
    const ts = opts.ts ?? Math.floor(Date.now() / 1000);
    return app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/call-center',
      payload: text,
      headers: {
        'content-type': 'application/json',
        'x-sen-timestamp': String(ts),
        'x-sen-signature': opts.signature ?? signWebhook(opts.secret ?? SECRET, ts, text),
      },
    });
  };

  it('a call opens a complaint on the hotline channel and is its first contact', async () => {
    const phone = randomPhone();
    const res = await call({
      caller: phone,
      startedAt: new Date(Date.now() - 300_000).toISOString(),
      endedAt: new Date().toISOString(),
      notes: 'Khách gọi báo tủ lạnh giao thiếu phụ kiện',
      complaint: { customerName: 'Võ Thị Lệ', province: 'nghe an', subject: 'Tủ lạnh giao thiếu phụ kiện', description: 'Thiếu khay đá và sách hướng dẫn.', consent: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { code, created } = res.json() as { code: string; created: boolean };
    expect(created).toBe(true);
    const c = (await findComplaint(db(), code))!;
    expect(c.channel).toBe('hotline');
    expect(c.customer.province).toBe('Nghệ An');
    // The caller's consent, read to them by the agent, is recorded with the wording's version and shown to staff.
    expect(c.consent).toEqual({ at: expect.any(Date), version: expect.stringMatching(/\S/) });
    const shown = (await app.inject({ method: 'GET', url: `/api/v1/complaints/${code}`, headers: agent.headers })).json() as { consent: { at: string } | null };
    expect(shown.consent?.at).toBe(c.consent!.at.toISOString());
    expect(c.status).toBe('acknowledged');
    expect(c.clocks.acknowledgement!.stoppedAt).not.toBeNull();
    const calls = await db().db.execute<{ duration_seconds: number; caller_e164: string }>(sql`
      select duration_seconds, caller_e164 from calls where complaint_id = ${c.id}`);
    expect(calls.rows).toHaveLength(1);
    expect(calls.rows[0].duration_seconds).toBeGreaterThanOrEqual(299);
    expect(calls.rows[0].caller_e164).toBe(c.customer.phoneE164);
  });

  it('an elderly caller (Art. 8) opens a complaint of at least high priority; an unknown group is a field error', async () => {
    const base = { startedAt: new Date(Date.now() - 120_000).toISOString(), notes: 'Cụ ông gọi báo máy đo huyết áp hỏng' };
    const complaint = { customerName: 'Ông Phan Văn Cụ', subject: 'Máy đo huyết áp hỏng', description: 'Không lên nguồn.' };
    const res = await call({ ...base, caller: randomPhone(), complaint: { ...complaint, vulnerableGroup: 'elderly' } });
    expect(res.statusCode, res.body).toBe(201);
    const c = (await findComplaint(db(), (res.json() as { code: string }).code))!;
    expect([c.priority, c.vulnerableGroup]).toEqual(['high', 'elderly']);
    const bad = await call({ ...base, caller: randomPhone(), complaint: { ...complaint, vulnerableGroup: 'old' } });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json().error.fields)).toContain('vulnerableGroup');
  });

  it('adds a later call to an existing complaint, and refuses a bad number or an ambiguous target', async () => {
    const phone = randomPhone();
    const first = (await call({
      caller: phone,
      startedAt: new Date().toISOString(),
      notes: 'Gọi lần 1',
      complaint: { customerName: 'Đặng Văn Hải', subject: 'Máy giặt rung mạnh', description: 'Máy giặt rung mạnh khi vắt.' },
    })).json() as { code: string };
    // No consent ticked: none recorded.
    expect((await findComplaint(db(), first.code))!.consent).toBeNull();
    const again = await call({ caller: phone, startedAt: new Date().toISOString(), notes: 'Khách gọi hỏi tiến độ', complaintCode: first.code });
    expect(again.statusCode).toBe(201);
    const events = await db().db.execute<{ type: string }>(sql`
      select e.type from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${first.code} and e.type = 'contact.logged'`);
    expect(events.rows).toHaveLength(2);
    const bad = await call({ caller: '12345', startedAt: new Date().toISOString(), notes: 'x', complaintCode: first.code });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { error: { fields: { field: string }[] } }).error.fields[0].field).toBe('caller');
    const both = await call({
      caller: phone,
      startedAt: new Date().toISOString(),
      notes: 'x',
      complaintCode: first.code,
      complaint: { customerName: 'A', subject: 'B', description: 'C' },
    });
    expect(both.statusCode).toBe(422);
    expect((await call({ caller: phone, startedAt: new Date().toISOString(), notes: 'x', complaintCode: first.code }, {})).statusCode).toBe(401);
    const auditor = await staffWithToken(db(), 'auditor');
    expect((await call({ caller: phone, startedAt: new Date().toISOString(), notes: 'x', complaintCode: first.code }, auditor.headers)).statusCode).toBe(403);
  });

  it('a call that cannot have happened (in the future, years ago) is a field error and stores nothing, no code of another year', async () => {
    const phone = randomPhone();
    const count = async () => Number((await db().db.execute<{ n: string }>(sql`select count(*) as n from complaints`)).rows[0].n);
    const years = async () => (await db().db.execute<{ year: number }>(sql`select year from complaint_sequences order by year`)).rows.map((r) => r.year);
    const before = { n: await count(), years: await years() };
    const complaint = { customerName: 'Lý Văn Tài', subject: 'Điều hoà không lạnh', description: 'Điều hoà chạy nhưng không lạnh.' };
    for (const [startedAt, code] of [
      ['2062-01-01T02:00:00Z', 'in_future'],
      ['2019-01-01T02:00:00Z', 'too_old'],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/calls', headers: { ...agent.headers, 'accept-language': 'vi' }, payload: { caller: phone, startedAt, notes: 'Gọi báo hỏng', complaint } });
      expect(res.statusCode, startedAt).toBe(422);
      const fields = (res.json() as { error: { fields: { field: string; code: string; message: string }[] } }).error.fields;
      expect(fields).toEqual([{ field: 'startedAt', code, message: expect.stringMatching(/\S/) }]);
    }
    const late = await call({ caller: phone, startedAt: new Date(Date.now() - 60_000).toISOString(), endedAt: new Date(Date.now() + 3_600_000).toISOString(), notes: 'x', complaint });
    expect(late.statusCode).toBe(422);
    expect((late.json() as { error: { fields: { field: string; code: string }[] } }).error.fields).toMatchObject([{ field: 'endedAt', code: 'in_future' }]);
    expect(await count()).toBe(before.n);
    expect(await years()).toEqual(before.years);
    // A start a little ahead of Sen's clock (the agent's PC drifts) is taken, and received now, not in the future.
    const ahead = await call({ caller: phone, startedAt: new Date(Date.now() + 3 * 60_000).toISOString(), notes: 'Gọi báo hỏng', complaint });
    expect(ahead.statusCode, ahead.body).toBe(201);
    const received = (await findComplaint(db(), (ahead.json() as { code: string }).code))!.receivedAt;
    expect(received.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('the call-centre webhook needs a fresh signature over the exact body', async () => {
    const body = { event: 'call.started', callId: `cc-${Math.random()}`, caller: randomPhone(), agent: agent.user.email, startedAt: new Date().toISOString() };
    expect((await hook(body, { secret: 'wrong' })).statusCode).toBe(401);
    const stale = await hook(body, { ts: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.statusCode).toBe(401);
    expect((stale.json() as { error: { code: string } }).error.code).toBe('webhook_stale');
    const unsigned = await app.inject({ method: 'POST', url: '/api/v1/webhooks/call-center', payload: body });
    expect((unsigned.json() as { error: { code: string } }).error.code).toBe('webhook_unsigned');
    // A signature over another body (one field changed) does not pass.
    const ts = Math.floor(Date.now() / 1000);
    const tampered = await hook({ ...body, caller: randomPhone() }, { ts, signature: signWebhook(SECRET, ts, JSON.stringify(body)) });
    expect((tampered.json() as { error: { code: string } }).error.code).toBe('webhook_bad_signature');
    // A signature that is there but not even well-formed is a bad signature, not a missing one.
    const garbled = await hook(body, { ts, signature: 'sha256=00' });
    expect((garbled.json() as { error: { code: string } }).error.code).toBe('webhook_bad_signature');
    const rows = await db().db.execute(sql`select 1 from calls where provider_call_id = ${body.callId}`);
    expect(rows.rows).toHaveLength(0);
    // Hex digits in upper case are the same signature.
    const upper = signWebhook(SECRET, ts, JSON.stringify(body)).replace(/[0-9a-f]{64}$/, (h) => h.toUpperCase());
    const ok = await hook(body, { ts, signature: upper });
    expect(ok.statusCode, ok.body).toBe(200);
    const again = await hook(body);
    expect((again.json() as { callId: string }).callId).toBe((ok.json() as { callId: string }).callId);
    const after = await db().db.execute<{ agent_id: string }>(sql`select agent_id from calls where provider_call_id = ${body.callId}`);
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0].agent_id).toBe(agent.user.id);
  });

  it('a reported call attached by the agent gets its duration and recording once the call ends', async () => {
    const caller = randomPhone();
    const callId = `cc-${Math.random()}`;
    const started = (await hook({ event: 'call.started', callId, caller, startedAt: new Date().toISOString() })).json() as { callId: string };
    const recent = await app.inject({ method: 'GET', url: `/api/v1/calls/recent?caller=${caller}`, headers: agent.headers });
    expect((recent.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([started.callId]);
    const logged = (await call({
      caller,
      startedAt: new Date().toISOString(),
      notes: 'Khách báo hàng giao sai màu',
      callId: started.callId,
      complaint: { customerName: 'Lý Thu Trang', subject: 'Giao sai màu áo', description: 'Đặt màu xanh, nhận màu đỏ.' },
    })).json() as { code: string };
    const ended = { event: 'call.ended', callId, caller, durationSeconds: 184, recordingUrl: 'https://tongdai.example.vn/ghi-am/abc.mp3' };
    expect((await hook(ended)).statusCode).toBe(200);
    expect((await hook(ended)).statusCode).toBe(200);
    const ev = await db().db.execute<{ payload: { durationSeconds: number; recordingUrl: string } }>(sql`
      select e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${logged.code} and e.type = 'call.ended'`);
    expect(ev.rows).toHaveLength(1);
    expect(ev.rows[0].payload).toMatchObject({ durationSeconds: 184, recordingUrl: ended.recordingUrl });
    // The usual order: the call-centre reports the end before the agent saves the form.
    const caller2 = randomPhone();
    const callId2 = `cc-${Math.random()}`;
    const early = (await hook({ event: 'call.started', callId: callId2, caller: caller2, startedAt: new Date().toISOString() })).json() as { callId: string };
    await hook({ event: 'call.ended', callId: callId2, caller: caller2, durationSeconds: 95, recordingUrl: 'https://tongdai.example.vn/ghi-am/def.mp3' });
    const key = `k-${Math.random()}`;
    const attach = () =>
      call(
        { caller: caller2, startedAt: new Date().toISOString(), notes: 'Khách hỏi lại', callId: early.callId, complaintCode: logged.code },
        { ...agent.headers, 'idempotency-key': key },
      );
    expect((await attach()).statusCode).toBe(201);
    expect((await attach()).statusCode).toBe(201);
    const after = await db().db.execute<{ type: string; payload: { durationSeconds: number } }>(sql`
      select e.type, e.payload from timeline_events e join complaints c on c.id = e.complaint_id
      where c.code = ${logged.code} and e.type in ('call.ended', 'contact.logged') order by e.seq`);
    // One contact per attach request (the retry with the same key adds nothing), and the early end of call is there.
    expect(after.rows.map((r) => r.type)).toEqual(['contact.logged', 'call.ended', 'contact.logged', 'call.ended']);
    expect(after.rows[3].payload.durationSeconds).toBe(95);
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/webhooks/call-center');
  });

  it("a call-centre event sent again after the caller's data was erased brings back neither number nor recording", async () => {
    const caller = randomPhone();
    const linkedId = `cc-${Math.random()}`;
    const looseId = `cc-${Math.random()}`;
    const rec = (id: string) => `https://tongdai.example.vn/ghi-am/${id}.mp3`;
    // One call attached to the caller's complaint, one never attached (found by the number at erasure).
    const linked = (await hook({ event: 'call.started', callId: linkedId, caller, startedAt: new Date().toISOString() })).json() as { callId: string };
    const logged = (await call({
      caller,
      startedAt: new Date().toISOString(),
      notes: 'Khách báo máy lạnh chảy nước',
      callId: linked.callId,
      complaint: { customerName: 'Tạ Văn Hải', subject: 'Máy lạnh chảy nước', description: 'Dàn lạnh chảy nước sau một tuần.' },
    })).json() as { code: string };
    await hook({ event: 'call.ended', callId: linkedId, caller, durationSeconds: 60, recordingUrl: rec(linkedId) });
    const loose = (await hook({ event: 'call.ended', callId: looseId, caller, durationSeconds: 30, recordingUrl: rec(looseId) })).json() as { callId: string };
    const admin = await staffWithToken(db(), 'admin');
    const c = (await findComplaint(db(), logged.code))!;
    expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${logged.code}/transitions`, headers: agent.headers, payload: { to: 'withdrawn', reason: 'Khách tự sửa được' } })).statusCode).toBe(200);
    const erased = await app.inject({ method: 'POST', url: `/api/v1/customers/${c.customer.id}/anonymise`, payload: { reason: 'request' }, headers: admin.headers });
    expect(erased.statusCode, erased.body).toBe(200);
    const calls = () =>
      db().db.execute<{ provider_call_id: string; caller_e164: string | null; recording_url: string | null }>(sql`
        select provider_call_id, caller_e164, recording_url from calls where provider_call_id in (${linkedId}, ${looseId}) order by provider_call_id`);
    const cleared = (await calls()).rows.map((r) => [r.caller_e164, r.recording_url]);
    expect(cleared).toEqual([[null, null], [null, null]]);
    // The provider sends both events again (it retries, or replays its day): accepted, and nothing comes back.
    for (const id of [linkedId, looseId]) {
      expect((await hook({ event: 'call.started', callId: id, caller, startedAt: new Date().toISOString() })).statusCode).toBe(200);
      expect((await hook({ event: 'call.ended', callId: id, caller, durationSeconds: 61, recordingUrl: rec(id) })).statusCode).toBe(200);
    }
    expect((await calls()).rows.map((r) => [r.caller_e164, r.recording_url])).toEqual(cleared);
    const ended = await db().db.execute(sql`
      select 1 from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${logged.code} and e.type = 'call.ended'`);
    expect(ended.rows).toHaveLength(1);
    // An agent picking the erased caller's loose call for someone else's new complaint does not take it over: the
    // call stays theirs (unattached, nothing on it), and the new complaint gets a call of its own.
    const other = (await call({
      caller: randomPhone(),
      startedAt: new Date().toISOString(),
      notes: 'Khách khác gọi',
      callId: loose.callId,
      complaint: { customerName: 'Lê Thị Mơ', subject: 'Tủ lạnh không lạnh', description: 'Tủ lạnh không lạnh từ hôm qua.' },
    })).json() as { code: string };
    expect((await calls()).rows.map((r) => [r.caller_e164, r.recording_url])).toEqual(cleared);
    const looseNow = await db().db.execute<{ complaint_id: string | null }>(sql`select complaint_id from calls where provider_call_id = ${looseId}`);
    expect(looseNow.rows).toEqual([{ complaint_id: null }]);
    const ownCall = await db().db.execute(sql`select 1 from calls k join complaints c on c.id = k.complaint_id where c.code = ${other.code}`);
    expect(ownCall.rows).toHaveLength(1);
  });
});
