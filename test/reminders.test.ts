import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anonymiseCustomer } from '../src/commands/anonymise-customer';
import { setOwnSettings } from '../src/commands/manage-staff';
import { LocalFileStore } from '../src/files/store';
import { runReminderSweep } from '../src/jobs/reminders-sweep';
import { describeEachDatabase } from './db';
import { buildTestApp, seedComplaint, staffWithToken, TEST_DATA_DIR } from './factories';

type ReminderJson = { id: string; code: string; subject: string; at: string; note: string; firedAt: string | null };

/**
 * Nhắc tôi — a staff member's own reminders on complaints: set, listed, deleted, nobody else's; told once, in the
 * app (with the note) and by mail in their language (without it), when they come due, however many sweeps run.
 */
describeEachDatabase('personal reminders', (db) => {
  let app: FastifyInstance;
  let mai: Awaited<ReturnType<typeof staffWithToken>>;
  let anna: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [mai, anna, auditor] = await Promise.all([staffWithToken(db(), 'agent'), staffWithToken(db(), 'supervisor'), staffWithToken(db(), 'auditor')]);
    await setOwnSettings({ database: db(), userId: anna.user.id, language: 'en' });
  });
  afterAll(async () => app?.close());

  const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const set = (who: typeof mai, code: string, payload: object, extra: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/reminders`, payload, headers: { ...who.headers, 'accept-language': 'vi', ...extra } });
  const onComplaint = async (who: typeof mai, code: string) =>
    (await app.inject({ url: `/api/v1/complaints/${code}/reminders`, headers: who.headers })).json() as {
      items: ReminderJson[];
      recent: ReminderJson[];
      presets: { key: string; at: string }[];
    };
  const mine = async (who: typeof mai) => (await app.inject({ url: '/api/v1/reminders', headers: who.headers })).json() as { items: ReminderJson[]; recent: ReminderJson[] };
  const waiting = async (complaintId: string) =>
    (await db().db.execute<{ n: number }>(sql`select count(*)::int as n from reminders where complaint_id = ${complaintId}`)).rows[0].n;

  it('sets a reminder on a complaint, lists it there and among one’s own, soonest first, and deletes it; another member sees and touches none', async () => {
    const c = await seedComplaint(db());
    const later = await set(mai, c.code.toLowerCase(), { at: inHours(48), note: '  Gọi lại cho khách sau khi kho trả lời ' });
    expect(later.statusCode, later.body).toBe(201);
    expect(later.json()).toMatchObject({ code: c.code, note: 'Gọi lại cho khách sau khi kho trả lời', firedAt: null });
    const sooner = await set(mai, c.code, { at: inHours(2) });
    expect(sooner.statusCode).toBe(201);
    const here = await onComplaint(mai, c.code);
    expect(here.items.map((r) => r.id)).toEqual([sooner.json().id, later.json().id]);
    // The quick choices come with it, each in the future.
    expect(here.presets.map((p) => p.key)).toEqual(['in_1_hour', 'next_working_morning', 'in_2_working_days', 'next_week']);
    for (const p of here.presets) expect(Date.parse(p.at)).toBeGreaterThan(Date.now());
    expect((await mine(mai)).items.map((r) => r.code)).toContain(c.code);
    expect((await onComplaint(anna, c.code)).items).toEqual([]);
    // The queue's row says when the caller is to be reminded (the soonest), and nothing to another member.
    const row = async (who: typeof mai) =>
      ((await app.inject({ url: `/api/v1/complaints?q=${c.code}`, headers: who.headers })).json() as { items: { code: string; myReminderAt: string | null }[] }).items.find(
        (x) => x.code === c.code,
      )!;
    expect((await row(mai)).myReminderAt).toBe(sooner.json().at);
    expect((await row(anna)).myReminderAt).toBeNull();
    expect((await mine(anna)).items.filter((r) => r.code === c.code)).toEqual([]);

    const id = later.json().id as string;
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/reminders/${id}`, headers: anna.headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/reminders/${id}`, headers: mai.headers })).statusCode).toBe(204);
    expect((await onComplaint(mai, c.code)).items.map((r) => r.id)).toEqual([sooner.json().id]);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/reminders/${id}`, headers: mai.headers })).statusCode).toBe(404);
    // An auditor reads, and keeps no reminders.
    expect((await set(auditor, c.code, { at: inHours(2) })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/reminders', headers: auditor.headers })).statusCode).toBe(403);
  });

  it('refuses a past or far time, a long note, an unknown field or complaint, field by field, storing nothing', async () => {
    const c = await seedComplaint(db());
    const fields = async (payload: object, lang = 'vi') => {
      const r = await set(mai, c.code, payload, { 'accept-language': lang });
      expect(r.statusCode, r.body).toBe(422);
      return r.json().error.fields.map((f: { field: string; code: string; message: string }) => [f.field, f.code, f.message]);
    };
    expect(await fields({ at: inHours(-1) })).toEqual([['at', 'must_be_future', 'Phải là một thời điểm trong tương lai.']]);
    expect(await fields({ at: '2031-01-01T08:00:00+07:00' }, 'en')).toEqual([['at', 'too_far_ahead', 'Too far ahead (at most 2 years from today).']]);
    expect((await fields({ at: 'thứ hai tới' }))[0][0]).toBe('at');
    expect((await fields({ at: inHours(2), note: 'x'.repeat(501) }))[0][0]).toBe('note');
    expect((await fields({ at: inHours(2), remindWho: 'everyone' })).length).toBeGreaterThan(0);
    expect(await waiting(c.id)).toBe(0);
    const none = await set(mai, 'KN-2026-999999', { at: inHours(2) });
    expect(none.statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/complaints/KN-2026-999999/reminders', headers: mai.headers })).statusCode).toBe(404);
  });

  it('keeps a hundred waiting at most, and one reminder for a create sent again with the same Idempotency-Key', async () => {
    const c = await seedComplaint(db());
    const who = await staffWithToken(db(), 'agent');
    const headers = { 'idempotency-key': `reminder-${Date.now()}` };
    const body = { at: inHours(3), note: 'Một lần' };
    const first = await set(who, c.code, body, headers);
    const again = await set(who, c.code, body, headers);
    expect(first.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(await waiting(c.id)).toBe(1);
    await db().db.execute(sql`
      insert into reminders (staff_id, complaint_id, remind_at) select ${who.user.id}, ${c.id}, now() + n * interval '1 hour' from generate_series(1, 99) n`);
    const full = await set(who, c.code, { at: inHours(5) });
    expect(full.statusCode).toBe(422);
    expect(full.json().error.fields).toEqual([{ field: 'at', code: 'too_many_reminders', message: 'Bạn đang có 100 lời nhắc chưa đến hạn: hãy xoá bớt một lời nhắc trước.' }]);
    // Those already told do not count.
    await db().db.execute(sql`update reminders set fired_at = now() where staff_id = ${who.user.id} and note = ''`);
    expect((await set(who, c.code, { at: inHours(5) })).statusCode).toBe(201);
  });

  it('tells each member once when a reminder comes due — in the app with the note, by mail in their language without it — however many sweeps run', async () => {
    const c = await seedComplaint(db(), { input: { subject: 'Tủ lạnh không lạnh' } });
    const hers = (await set(anna, c.code, { at: inHours(1), note: 'Check the warehouse answer, invoice 0098765' })).json() as ReminderJson;
    const his = (await set(mai, c.code, { at: inHours(1), note: 'Gọi lại khách' })).json() as ReminderJson;
    const notYet = (await set(mai, c.code, { at: inHours(30) })).json() as ReminderJson;

    expect((await runReminderSweep({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test' })).told).toBe(0);
    const soon = new Date(Date.now() + 2 * 3_600_000);
    const sweeps = await Promise.all([1, 2, 3].map(() => runReminderSweep({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test', now: soon, batch: 1 })));
    expect(sweeps.reduce((n, s) => n + s.told, 0)).toBeGreaterThanOrEqual(2);
    await runReminderSweep({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test', now: soon });

    const notices = (
      await db().db.execute<{ staff_id: string; kind: string; payload: Record<string, unknown> }>(
        sql`select staff_id, kind, payload from notifications where complaint_id = ${c.id} order by staff_id`,
      )
    ).rows;
    expect(notices).toHaveLength(2);
    expect(notices.find((n) => n.staff_id === anna.user.id)).toMatchObject({
      kind: 'reminder.due',
      payload: { code: c.code, subject: 'Tủ lạnh không lạnh', note: 'Check the warehouse answer, invoice 0098765', at: hers.at, reminderId: hers.id },
    });
    const mails = (
      await db().db.execute<{ to_address: string; subject: string; text: string; locale: string }>(
        sql`select to_address, subject, text, locale from outbound_messages where complaint_id = ${c.id} and to_address in (${anna.user.email}, ${mai.user.email})`,
      )
    ).rows;
    expect(mails.map((m) => [m.to_address, m.subject, m.locale]).sort()).toEqual(
      [
        [anna.user.email, `[${c.code}] Reminder: the time you set has come`, 'en'],
        [mai.user.email, `[${c.code}] Nhắc hẹn: đã đến giờ bạn hẹn`, 'vi'],
      ].sort(),
    );
    for (const m of mails) {
      expect(m.text).toContain(`https://sen.test/staff/complaints/${c.code}`);
      expect(m.text).not.toContain('0098765');
    }
    // In the app: her notification, and the reminder among those told; the later one still waits.
    const list = (await app.inject({ url: '/api/v1/notifications', headers: anna.headers })).json() as { items: { kind: string; complaintCode: string }[] };
    expect(list.items.filter((n) => n.kind === 'reminder.due').map((n) => n.complaintCode)).toEqual([c.code]);
    const his2 = await onComplaint(mai, c.code);
    expect(his2.items.map((r) => r.id)).toEqual([notYet.id]);
    expect(his2.recent.map((r) => r.id)).toEqual([his.id]);
    expect(his2.recent[0].firedAt).not.toBeNull();
  });

  it('a reminder told is set again for a quick choice (nhắc lại sau) and told again then; nobody else’s, no unknown choice', async () => {
    const c = await seedComplaint(db());
    const r = (await set(mai, c.code, { at: inHours(1), note: 'Hỏi lại kho' })).json() as ReminderJson;
    const sweep = (hours: number) => runReminderSweep({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test', now: new Date(Date.now() + hours * 3_600_000) });
    await sweep(1.5);
    const snooze = (who: typeof mai, payload: object) =>
      app.inject({ method: 'POST', url: `/api/v1/reminders/${r.id}/snooze`, payload, headers: { ...who.headers, 'accept-language': 'vi' } });
    expect((await snooze(anna, { preset: 'in_1_hour' })).statusCode).toBe(404);
    expect((await snooze(mai, { preset: 'tomorrow_maybe' })).statusCode).toBe(422);
    const again = await snooze(mai, { preset: 'in_1_hour' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: r.id, note: 'Hỏi lại kho', firedAt: null });
    const due = Date.parse(again.json().at);
    expect(due - Date.now()).toBeGreaterThanOrEqual(3_595_000);
    expect(due - Date.now()).toBeLessThan(3_900_000);
    expect((await onComplaint(mai, c.code)).items.map((x) => x.id)).toEqual([r.id]);
    await sweep(1.5);
    await sweep(2.5);
    await sweep(2.5);
    const told = await db().db.execute<{ payload: { at: string } }>(
      sql`select payload from notifications where complaint_id = ${c.id} and kind = 'reminder.due' order by id`,
    );
    expect(told.rows.map((n) => n.payload.at)).toEqual([r.at, again.json().at]);
    const mails = await db().db.execute(sql`select 1 from outbound_messages where complaint_id = ${c.id} and to_address = ${mai.user.email}`);
    expect(mails.rows).toHaveLength(2);
  });

  it('tells nobody of a reminder whose member has left, and marks it told', async () => {
    const c = await seedComplaint(db());
    const gone = await staffWithToken(db(), 'agent');
    const r = (await set(gone, c.code, { at: inHours(1) })).json() as ReminderJson;
    await db().db.execute(sql`update staff_users set active = false where id = ${gone.user.id}`);
    await runReminderSweep({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test', now: new Date(Date.now() + 2 * 3_600_000) });
    expect((await db().db.execute(sql`select 1 from notifications where staff_id = ${gone.user.id}`)).rows).toHaveLength(0);
    expect((await db().db.execute(sql`select 1 from outbound_messages where to_address = ${gone.user.email}`)).rows).toHaveLength(0);
    expect((await db().db.execute<{ fired_at: unknown }>(sql`select fired_at from reminders where id = ${r.id}`)).rows[0].fired_at).not.toBeNull();
  });

  it('tells nobody of a reminder whose member was moved to a role that keeps none (a department, an auditor), and marks it told', async () => {
    const c = await seedComplaint(db());
    const moved = await staffWithToken(db(), 'agent');
    const r = (await set(moved, c.code, { at: inHours(1), note: 'Ghi chú riêng' })).json() as ReminderJson;
    await db().db.execute(sql`update staff_users set role = 'department' where id = ${moved.user.id}`);
    await runReminderSweep({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test', now: new Date(Date.now() + 2 * 3_600_000) });
    expect((await db().db.execute(sql`select 1 from notifications where staff_id = ${moved.user.id}`)).rows).toHaveLength(0);
    expect((await db().db.execute(sql`select 1 from outbound_messages where to_address = ${moved.user.email}`)).rows).toHaveLength(0);
    expect((await db().db.execute<{ fired_at: unknown }>(sql`select fired_at from reminders where id = ${r.id}`)).rows[0].fired_at).not.toBeNull();
  });

  it('erasing the customer empties the reminders’ notes and their notices; none can be set on that complaint afterwards', async () => {
    const c = await seedComplaint(db(), { input: { customer: { name: 'Đỗ Thị Lan', phone: '0912 000 111' } } });
    await set(mai, c.code, { at: inHours(1), note: 'Chị Lan dặn gọi sau 17h' });
    const kept = (await set(mai, c.code, { at: inHours(40), note: 'Chị Lan hẹn lần hai' })).json() as ReminderJson;
    await runReminderSweep({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test', now: new Date(Date.now() + 2 * 3_600_000) });
    await db().db.execute(sql`update complaints set status = 'closed' where id = ${c.id}`);
    const customerId = (await db().db.execute<{ customer_id: string }>(sql`select customer_id from complaints where id = ${c.id}`)).rows[0].customer_id;
    await anonymiseCustomer({ database: db(), files: LocalFileStore.inDataDir(TEST_DATA_DIR), actor: { kind: 'admin', id: anna.user.id, channel: 'api' }, customerId, reason: 'request' });
    const notes = (await db().db.execute<{ note: string }>(sql`select note from reminders where complaint_id = ${c.id}`)).rows.map((r) => r.note);
    expect(notes).toEqual(['[đã ẩn danh]', '[đã ẩn danh]']);
    const payload = (await db().db.execute<{ payload: Record<string, unknown> }>(sql`select payload from notifications where complaint_id = ${c.id} and kind = 'reminder.due'`)).rows[0].payload;
    expect(JSON.stringify(payload)).not.toContain('Lan');
    // The waiting one still comes due, about whom nobody can tell.
    expect((await onComplaint(mai, c.code)).items.map((r) => [r.id, r.note])).toEqual([[kept.id, '[đã ẩn danh]']]);
    const refused = await set(mai, c.code, { at: inHours(3), note: 'Thêm' });
    expect(refused.statusCode).toBe(409);
  });
});
