import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addCustomerMessage } from '../src/commands/add-customer-message';
import { assignComplaint } from '../src/commands/assign-complaint';
import { runNoticeDigest } from '../src/jobs/notice-digest';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, seedComplaint, staffWithToken } from './factories';

/**
 * Thư tóm tắt — news of a member's complaints left unread in Sen for ten minutes is mailed to them, gathered in one
 * mail in their language, once however many digests run; none read in time, none to one who turned it off.
 */
describeEachDatabase('notice digest mails', (db) => {
  let app: FastifyInstance;
  let lead: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    lead = await staffWithToken(db(), 'supervisor');
  });
  afterAll(async () => app?.close());

  const minutes = (n: number) => new Date(Date.now() + n * 60_000);
  const digest = (at: Date) => runNoticeDigest({ database: db(), baseUrl: 'https://sen.test', mailDomain: 'sen.test', now: at });
  const mailsTo = async (email: string) =>
    (await db().db.execute<{ subject: string; text: string; locale: string }>(sql`select subject, text, locale from outbound_messages where to_address = ${email} order by created_at`)).rows;
  const settings = (who: { headers: Record<string, string> }, payload: object) =>
    app.inject({ method: 'PATCH', url: '/api/v1/auth/me', payload, headers: { ...who.headers, 'accept-language': 'vi' } });
  async function newsFor(who: Awaited<ReturnType<typeof staffWithToken>>) {
    const phone = randomPhone();
    const c = await seedComplaint(db(), { input: { subject: 'Lò vi sóng không quay', customer: { name: 'Tạ Thị Yến', phone } } });
    await assignComplaint({ database: db(), actor: { kind: 'supervisor', id: lead.user.id, channel: 'console' }, code: c.code, assigneeId: who.user.id });
    await addCustomerMessage({ database: db(), code: c.code, contact: phone, message: 'Anh chị cho người qua xem giúp em.' });
    return c;
  }

  it('mails the news left unread ten minutes, in one mail, once; not what was read in time', async () => {
    const mai = await staffWithToken(db(), 'agent');
    const c = await newsFor(mai);
    await digest(minutes(5));
    expect(await mailsTo(mai.user.email)).toEqual([]);
    await Promise.all([digest(minutes(11)), digest(minutes(11))]);
    await digest(minutes(20));
    const mails = await mailsTo(mai.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ subject: 'Sen: 2 thông báo chưa đọc về khiếu nại của bạn', locale: 'vi' });
    expect(mails[0].text).toContain(`- ${c.code}: Khách hàng đã gửi tin nhắn mới.`);
    expect(mails[0].text).toContain(`- ${c.code}: ${lead.user.name} đã giao khiếu nại này cho bạn.`);
    expect(mails[0].text).toContain('https://sen.test/staff/notifications');
    // The customer's words stay in Sen: their message, and the subject they wrote (a digest names several complaints
    // and no one of them, so an erasure of the customer could not find it to redact it).
    expect(mails[0].text).not.toContain('cho người qua xem');
    expect(mails[0].text).not.toContain('Lò vi sóng');

    // Read in the app before ten minutes: not mailed.
    const nam = await staffWithToken(db(), 'agent');
    await newsFor(nam);
    await app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: nam.headers });
    await digest(minutes(11));
    expect(await mailsTo(nam.user.email)).toEqual([]);
  });

  it('writes in each member’s language, and mails nobody who turned it off (the news stays in the app)', async () => {
    const anna = await staffWithToken(db(), 'agent');
    expect((await settings(anna, { language: 'en' })).statusCode).toBe(200);
    const off = await staffWithToken(db(), 'agent');
    const turned = await settings(off, { mailDigest: false });
    expect(turned.statusCode, turned.body).toBe(200);
    expect(turned.json().user).toMatchObject({ mailDigest: false });
    expect((await app.inject({ url: '/api/v1/auth/me', headers: off.headers })).json().user.mailDigest).toBe(false);
    await newsFor(anna);
    await newsFor(off);
    await digest(minutes(11));
    const english = await mailsTo(anna.user.email);
    expect(english.map((m) => [m.subject, m.locale])).toEqual([['Sen: 2 unread notices about your complaints', 'en']]);
    expect(english[0].text).toContain('The customer sent a new message.');
    expect(await mailsTo(off.user.email)).toEqual([]);
    const kept = await db().db.execute<{ read_at: unknown; digested_at: unknown }>(sql`select read_at, digested_at from notifications where staff_id = ${off.user.id}`);
    expect(kept.rows).toHaveLength(2);
    for (const n of kept.rows) expect(n).toMatchObject({ read_at: null });
    // Turned on again later, what was passed over is not mailed after all.
    await settings(off, { mailDigest: true });
    await digest(minutes(30));
    expect(await mailsTo(off.user.email)).toEqual([]);
  });

  it('mails nothing to a member since made an auditor or moved to a department (who may follow nothing)', async () => {
    const moved = await staffWithToken(db(), 'agent');
    await newsFor(moved);
    await db().db.execute(sql`update staff_users set role = 'auditor' where id = ${moved.user.id}`);
    await digest(minutes(11));
    expect(await mailsTo(moved.user.email)).toEqual([]);
  });

  it('refuses settings that say nothing or are not what they seem, changing nothing', async () => {
    const who = await staffWithToken(db(), 'agent');
    expect((await settings(who, {})).statusCode).toBe(422);
    expect((await settings(who, { mailDigest: 'yes' })).statusCode).toBe(422);
    expect((await settings(who, { mailDigest: false, theme: 'dark' })).statusCode).toBe(422);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: who.headers })).json().user.mailDigest).toBe(true);
  });
});
