import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setOwnSettings } from '../src/commands/manage-staff';
import { createApiToken, type StaffUser } from '../src/commands/staff-accounts';
import { describeEachDatabase } from './db';
import { buildTestApp, createStaff, seedComplaint } from './factories';

/**
 * Nhắc tên đồng nghiệp — an internal note naming colleagues tells each of them once, in the app and by mail
 * in their language (who and which complaint, never the note); a name that cannot be told refuses the note.
 */
describeEachDatabase('mentions in internal notes', (db) => {
  let app: FastifyInstance;
  let author: StaffUser;
  let headers: Record<string, string>;
  let mai: StaffUser;
  let anna: StaffUser;
  let department: StaffUser;
  let gone: StaffUser;
  beforeAll(async () => {
    app = await buildTestApp(db());
    author = await createStaff(db(), 'agent', 'Trần Văn Nam');
    headers = { authorization: `Bearer ${await createApiToken(db(), author.id, 't')}` };
    mai = await createStaff(db(), 'agent', 'Lê Thị Mai');
    anna = await createStaff(db(), 'supervisor', 'Anna Smith');
    await setOwnSettings({ database: db(), userId: anna.id, language: 'en' });
    department = await createStaff(db(), 'department', 'Kho vận');
    gone = await createStaff(db(), 'agent', 'Người đã nghỉ');
    await db().db.execute(sql`update staff_users set active = false where id = ${gone.id}`);
  });
  afterAll(async () => app?.close());

  const note = (code: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/notes`, payload, headers: { ...headers, 'accept-language': 'vi' } });
  const noticesOf = async (complaintId: string) =>
    (
      await db().db.execute<{ staff_id: string; kind: string; payload: Record<string, unknown> }>(
        sql`select staff_id, kind, payload from notifications where complaint_id = ${complaintId} order by id`,
      )
    ).rows;
  const mailsOf = async (complaintId: string) =>
    (
      await db().db.execute<{ to_address: string; subject: string; text: string; locale: string }>(
        sql`select to_address, subject, text, locale from outbound_messages where complaint_id = ${complaintId} and to_address like '%@sen.test' order by to_address`,
      )
    ).rows;

  it('tells each colleague named, once, in the app and by mail in their language; not the author; the note stays in Sen', async () => {
    const c = await seedComplaint(db());
    const body = 'Khách gửi ảnh hoá đơn số 0012345; chị Mai kiểm tra kho giúp em.';
    const r = await note(c.code, { body, mentions: [mai.id, anna.id, author.id] });
    expect(r.statusCode, r.body).toBe(201);
    const event = (r.json().timeline as { type: string; payload: Record<string, unknown> }[]).filter((e) => e.type === 'note.added').at(-1)!;
    expect(event.payload).toEqual({ body, mentions: [mai.id, anna.id, author.id] });

    const notices = await noticesOf(c.id);
    expect(notices.map((n) => [n.staff_id, n.kind])).toEqual([
      [mai.id, 'note.mentioned'],
      [anna.id, 'note.mentioned'],
    ]);
    expect(notices[0].payload).toMatchObject({ code: c.code, by: 'Trần Văn Nam' });
    const mails = await mailsOf(c.id);
    const to = (u: StaffUser) => mails.find((m) => m.to_address === u.email)!;
    expect(mails).toHaveLength(2);
    expect(to(mai)).toMatchObject({ subject: `[${c.code}] Trần Văn Nam nhắc bạn trong một ghi chú nội bộ`, locale: 'vi' });
    expect(to(anna)).toMatchObject({ subject: `[${c.code}] Trần Văn Nam mentioned you in an internal note`, locale: 'en' });
    expect(to(anna).text).toContain(`/staff/complaints/${c.code}`);
    for (const m of mails) expect(m.text).not.toContain('0012345');

    // Mai sees it among her notifications, with the complaint.
    const maiHeaders = { authorization: `Bearer ${await createApiToken(db(), mai.id, 't')}` };
    const listed = (await app.inject({ url: '/api/v1/notifications', headers: maiHeaders })).json() as { items: { kind: string; complaintCode: string | null }[] };
    expect(listed.items.filter((n) => n.kind === 'note.mentioned').map((n) => n.complaintCode)).toEqual([c.code]);

    // A note naming nobody tells nobody.
    expect((await note(c.code, { body: 'Đã gọi khách.' })).statusCode).toBe(201);
    expect(await noticesOf(c.id)).toHaveLength(2);
  });

  it('refuses a note naming someone who cannot be told, naming the field, and stores nothing', async () => {
    const c = await seedComplaint(db());
    const eventsBefore = (await db().db.execute(sql`select 1 from timeline_events where complaint_id = ${c.id}`)).rows.length;
    for (const [who, index] of [[department.id, 1], [gone.id, 1], [randomUUID(), 1]] as const) {
      const r = await note(c.code, { body: 'Nhờ kiểm tra.', mentions: [mai.id, who] });
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().error.fields).toEqual([
        { field: `mentions[${index}]`, code: 'not_mentionable', message: 'Không nhắc được người này: tài khoản không còn hoạt động hoặc không xử lý khiếu nại.' },
      ]);
    }
    // More than ten, the same one twice, or not an id: refused as they are sent.
    const eleven = await Promise.all(Array.from({ length: 11 }, (_, i) => createStaff(db(), 'agent', `Đồng nghiệp ${i}`)));
    for (const mentions of [eleven.map((u) => u.id), [mai.id, mai.id], ['mai']]) {
      const r = await note(c.code, { body: 'Nhờ kiểm tra.', mentions });
      expect(r.statusCode, JSON.stringify(mentions)).toBe(422);
      expect(r.json().error.fields[0].field).toMatch(/^mentions/);
    }
    expect((await db().db.execute(sql`select 1 from timeline_events where complaint_id = ${c.id}`)).rows.length).toBe(eventsBefore);
    expect(await noticesOf(c.id)).toEqual([]);
    expect(await mailsOf(c.id)).toEqual([]);
  });
});
