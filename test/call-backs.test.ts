import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setOwnSettings } from '../src/commands/manage-staff';
import { runReminderSweep } from '../src/jobs/reminders-sweep';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, seedComplaint, staffWithToken } from './factories';

type Field = { field: string; code: string; message: string };
type Detail = {
  status: string;
  callBacks: { at: string; staffId: string; staffName: string }[];
  timeline: { type: string; payload: Record<string, unknown> }[];
};
type ReminderJson = { id: string; code: string; at: string; note: string; callBack: boolean; firedAt: string | null };

/**
 * Hẹn gọi lại — an agent who logs a contact or a call may promise the customer a call back: it becomes their reminder,
 * the contact's event and the customer's status page say when, the complaint shows it to whoever handles it, and the
 * next contact logged keeps it. A wrong time changes nothing, not even the complaint a call would open.
 */
describeEachDatabase('call backs', (db) => {
  let app: FastifyInstance;
  let mai: Awaited<ReturnType<typeof staffWithToken>>;
  let anna: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [mai, anna] = await Promise.all([staffWithToken(db(), 'agent'), staffWithToken(db(), 'supervisor')]);
    await setOwnSettings({ database: db(), userId: anna.user.id, language: 'en' });
  });
  afterAll(async () => app?.close());

  const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const contact = (who: typeof mai, code: string, payload: object, lang = 'vi') =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/contacts`, payload, headers: { ...who.headers, 'accept-language': lang } });
  const detail = async (code: string, who = mai) => (await app.inject({ url: `/api/v1/complaints/${code}`, headers: who.headers })).json() as Detail;
  const mine = async (who: typeof mai) => (await app.inject({ url: '/api/v1/reminders', headers: who.headers })).json() as { items: ReminderJson[]; recent: ReminderJson[] };
  const remindersOn = async (complaintId: string) =>
    (await db().db.execute<{ staff_id: string; call_back: boolean }>(sql`select staff_id, call_back from reminders where complaint_id = ${complaintId}`)).rows;

  it('a contact with a call back promised: the agent’s reminder, the event, the complaint and the customer’s status page say when; the next contact keeps it', async () => {
    const phone = randomPhone();
    const c = await seedComplaint(db(), { input: { customer: { name: 'Lê Thị Hoa', phone } } });
    const at = inHours(20);
    const logged = await contact(mai, c.code, { method: 'call', summary: 'Khách bận, hẹn chiều mai gọi lại.', callBackAt: at });
    expect(logged.statusCode, logged.body).toBe(201);
    const d = logged.json() as Detail;
    expect(d.status).toBe('acknowledged');
    expect(d.callBacks).toEqual([{ at, staffId: mai.user.id, staffName: mai.user.name }]);
    expect(d.timeline.find((e) => e.type === 'contact.logged')?.payload).toMatchObject({ method: 'call', callBackAt: at });
    // A colleague opening the complaint sees the promise too.
    expect((await detail(c.code, anna)).callBacks.map((x) => x.staffName)).toEqual([mai.user.name]);
    // It is the agent's reminder, marked as a call back, and nobody else's.
    expect((await mine(mai)).items.filter((r) => r.code === c.code)).toMatchObject([{ at, callBack: true, note: '' }]);
    expect((await mine(anna)).items.filter((r) => r.code === c.code)).toEqual([]);
    // The customer was told it on the phone: their status page says it.
    const pub = await app.inject({ url: `/api/v1/portal/complaints/${c.code}?contact=${encodeURIComponent(phone)}` });
    expect(pub.statusCode, pub.body).toBe(200);
    const events = (pub.json() as { timeline: { type: string; callBackAt?: string; summary?: string }[] }).timeline;
    const seen = events.find((e) => e.type === 'contact.logged');
    expect(seen?.callBackAt).toBe(at);
    expect(JSON.stringify(events)).not.toContain('Khách bận');

    // Anna reaches the customer the next morning: the promise is kept, whoever made it.
    const kept = await contact(anna, c.code, { method: 'call', summary: 'Đã gọi lại, khách đồng ý gửi ảnh.' });
    expect(kept.statusCode, kept.body).toBe(201);
    expect((kept.json() as Detail).callBacks).toEqual([]);
    expect(await remindersOn(c.id)).toEqual([]);
    expect((await mine(mai)).items.filter((r) => r.code === c.code)).toEqual([]);
  });

  it('a new promise on the next contact replaces the one before; a personal reminder on the complaint stays', async () => {
    const c = await seedComplaint(db());
    const own = await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/reminders`, payload: { at: inHours(50), note: 'Xem lại' }, headers: mai.headers });
    expect(own.statusCode).toBe(201);
    expect((await contact(mai, c.code, { method: 'call', summary: 'Hẹn lần 1', callBackAt: inHours(3) })).statusCode).toBe(201);
    const second = inHours(27);
    const again = await contact(anna, c.code, { method: 'sms', summary: 'Khách nhắn dời lịch', callBackAt: second });
    expect((again.json() as Detail).callBacks).toEqual([{ at: second, staffId: anna.user.id, staffName: anna.user.name }]);
    expect((await remindersOn(c.id)).map((r) => [r.staff_id === mai.user.id ? 'mai' : 'anna', r.call_back]).sort()).toEqual([
      ['anna', true],
      ['mai', false],
    ]);
  });

  it('refuses a past, far or malformed call back time field by field, in the caller’s language, and stores nothing', async () => {
    const c = await seedComplaint(db());
    const before = (await detail(c.code)).timeline.length;
    for (const [callBackAt, code] of [
      [new Date(Date.now() - 60_000).toISOString(), 'must_be_future'],
      [new Date(Date.now() + 3 * 365 * 24 * 3_600_000).toISOString(), 'too_far_ahead'],
    ] as const) {
      const r = await contact(mai, c.code, { method: 'call', summary: 'Gọi khách', callBackAt }, 'en');
      expect(r.statusCode, r.body).toBe(422);
      const fields = (r.json() as { error: { fields: Field[] } }).error.fields;
      expect(fields).toEqual([{ field: 'callBackAt', code, message: expect.stringMatching(/[a-z]/) }]);
    }
    const bad = await contact(mai, c.code, { method: 'call', summary: 'Gọi khách', callBackAt: 'chiều mai' });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { error: { fields: Field[] } }).error.fields.map((f) => f.field)).toContain('callBackAt');
    const after = await detail(c.code);
    expect(after.timeline.length).toBe(before);
    expect(after.status).toBe('received');
    expect(await remindersOn(c.id)).toEqual([]);
  });

  it('a hotline call opening a complaint promises a call back; a wrong time or a full reminder list opens no complaint', async () => {
    const count = async () => (await db().db.execute<{ n: number }>(sql`select count(*)::int as n from complaints`)).rows[0].n;
    const complaint = { customerName: 'Ông Đỗ Văn Ba', subject: 'Bếp từ báo lỗi E3', description: 'Bếp mới mua báo lỗi E3.', consent: true };
    const call = (who: typeof mai, payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/calls', payload, headers: { ...who.headers, 'accept-language': 'vi' } });
    const startedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const n = await count();
    const past = await call(mai, { caller: randomPhone(), startedAt, notes: 'Khách gọi', complaint, callBackAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.statusCode).toBe(422);
    expect((past.json() as { error: { fields: Field[] } }).error.fields).toEqual([{ field: 'callBackAt', code: 'must_be_future', message: expect.stringMatching(/\S/) }]);
    expect(await count()).toBe(n);

    const at = inHours(6);
    const made = await call(mai, { caller: randomPhone(), startedAt, notes: 'Khách gọi, cần kỹ thuật gọi lại', complaint, callBackAt: at });
    expect(made.statusCode, made.body).toBe(201);
    const code = (made.json() as { code: string }).code;
    const d = await detail(code);
    expect(d.callBacks).toEqual([{ at, staffId: mai.user.id, staffName: mai.user.name }]);
    expect(d.timeline.find((e) => e.type === 'contact.logged')?.payload).toMatchObject({ callBackAt: at });

    // A hundred reminders waiting: the call is refused before its complaint is opened.
    const busy = await staffWithToken(db(), 'agent');
    const c = await seedComplaint(db());
    await db().db.execute(sql`
      insert into reminders (staff_id, complaint_id, remind_at) select ${busy.user.id}, ${c.id}, now() + n * interval '1 hour' from generate_series(1, 100) n`);
    const n2 = await count();
    const full = await call(busy, { caller: randomPhone(), startedAt, notes: 'Khách gọi', complaint, callBackAt: inHours(2) });
    expect(full.statusCode).toBe(422);
    expect((full.json() as { error: { fields: Field[] } }).error.fields.map((f) => [f.field, f.code])).toEqual([['callBackAt', 'too_many_reminders']]);
    expect(await count()).toBe(n2);
    // On an existing complaint the contact is refused whole.
    const onIt = await contact(busy, c.code, { method: 'call', summary: 'Gọi khách', callBackAt: inHours(2) });
    expect(onIt.statusCode).toBe(422);
    expect((await detail(c.code)).status).toBe('received');
  });

  it('the call back comes due: the agent is told in the app and by mail, in their language, as a call back', async () => {
    const c = await seedComplaint(db(), { input: { subject: 'Máy giặt rung mạnh' } });
    await contact(anna, c.code, { method: 'call', summary: 'Hẹn gọi lại', callBackAt: inHours(1) });
    const soon = new Date(Date.now() + 2 * 3_600_000);
    await runReminderSweep({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test', now: soon });
    const notice = (
      await db().db.execute<{ kind: string; payload: Record<string, unknown> }>(sql`select kind, payload from notifications where complaint_id = ${c.id} and staff_id = ${anna.user.id}`)
    ).rows;
    expect(notice).toMatchObject([{ kind: 'reminder.due', payload: { code: c.code, callBack: true } }]);
    const mail = (
      await db().db.execute<{ subject: string; text: string }>(sql`select subject, text from outbound_messages where complaint_id = ${c.id} and to_address = ${anna.user.email}`)
    ).rows;
    expect(mail.map((m) => m.subject)).toEqual([`[${c.code}] Call back: the time you promised the customer has come`]);
    expect(mail[0].text).toContain('log the contact');
    // Told, it still shows on the complaint as not yet made, until a contact is logged.
    expect((await detail(c.code)).callBacks).toHaveLength(1);
  });
});
