import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addCustomerMessage } from '../src/commands/add-customer-message';
import { assignComplaint } from '../src/commands/assign-complaint';
import { answerSurvey } from '../src/commands/answer-survey';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, resolveThroughProposal, seedComplaint, staffWithToken } from './factories';

type Notice = { staff_id: string; kind: string; payload: Record<string, unknown> };

/**
 * Theo dõi — the assignee and the followers of a complaint are told in the app when its customer does something and
 * when someone else moves its status; the one given a complaint is told so; nobody of what they did themselves, and
 * one customer action is one notice however many events it writes.
 */
describeEachDatabase('following complaints', (db) => {
  let app: FastifyInstance;
  let mai: Awaited<ReturnType<typeof staffWithToken>>;
  let nam: Awaited<ReturnType<typeof staffWithToken>>;
  let lead: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [mai, nam, lead, auditor] = await Promise.all([
      staffWithToken(db(), 'agent'),
      staffWithToken(db(), 'agent'),
      staffWithToken(db(), 'supervisor'),
      staffWithToken(db(), 'auditor'),
    ]);
  });
  afterAll(async () => app?.close());

  const follow = (who: typeof mai, code: string, method: 'PUT' | 'DELETE' = 'PUT') => app.inject({ method, url: `/api/v1/complaints/${code}/follow`, headers: who.headers });
  const notices = async (complaintId: string) =>
    (await db().db.execute<Notice>(sql`select staff_id, kind, payload from notifications where complaint_id = ${complaintId} and kind like 'complaint.%' order by id`)).rows;
  const leadActor = () => ({ kind: 'supervisor' as const, id: lead.user.id, channel: 'console' as const });

  it('follows and stops following, twice being once; lists the followers; an auditor reads them and follows nothing', async () => {
    const c = await seedComplaint(db());
    const first = await follow(mai, c.code.toLowerCase());
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ following: true, followers: [{ id: mai.user.id, name: mai.user.name }] });
    expect((await follow(mai, c.code)).json().followers).toHaveLength(1);
    expect((await follow(nam, c.code)).json().followers).toHaveLength(2);
    const seen = await app.inject({ url: `/api/v1/complaints/${c.code}/followers`, headers: auditor.headers });
    expect(seen.json()).toMatchObject({ following: false });
    expect(seen.json().followers.map((f: { id: string }) => f.id).sort()).toEqual([mai.user.id, nam.user.id].sort());
    expect((await follow(auditor, c.code)).statusCode).toBe(403);
    const off = await follow(mai, c.code, 'DELETE');
    expect(off.json()).toEqual({ following: false, followers: [{ id: nam.user.id, name: nam.user.name }] });
    expect((await follow(mai, 'KN-2026-999999')).statusCode).toBe(404);
  });

  it('the queue shows only the complaints one follows when asked, with a search too; refuses any other value', async () => {
    const who = await staffWithToken(db(), 'agent');
    const [a, b] = [await seedComplaint(db(), { input: { subject: 'Tủ đông hỏng máy nén' } }), await seedComplaint(db(), { input: { subject: 'Tủ đông kêu to' } })];
    await seedComplaint(db(), { input: { subject: 'Tủ đông không đông đá' } });
    await follow(who, a.code);
    await follow(who, b.code);
    await follow(mai, b.code);
    const codes = async (query: string) =>
      ((await app.inject({ url: `/api/v1/complaints?${query}`, headers: who.headers })).json() as { items: { code: string }[] }).items.map((c) => c.code).sort();
    expect(await codes('following=me')).toEqual([a.code, b.code].sort());
    expect(await codes('following=me&q=tu+dong+hong')).toEqual([a.code]);
    expect(await codes('following=me&limit=1')).toHaveLength(1);
    expect((await app.inject({ url: '/api/v1/complaints?following=you', headers: who.headers })).statusCode).toBe(422);
    // A saved view may keep it.
    const view = await app.inject({ method: 'POST', url: '/api/v1/views', payload: { name: 'Tôi theo dõi', query: 'following=me' }, headers: who.headers });
    expect(view.statusCode, view.body).toBe(201);
  });

  it('tells the one given a complaint, not one who takes it themselves', async () => {
    const c = await seedComplaint(db());
    await assignComplaint({ database: db(), actor: leadActor(), code: c.code, assigneeId: mai.user.id });
    const told = await notices(c.id);
    expect(told.map((n) => [n.staff_id, n.kind])).toEqual([[mai.user.id, 'complaint.assigned']]);
    expect(told[0].payload).toMatchObject({ code: c.code, event: 'assignment.changed', by: lead.user.name });
    // Moved to another team with Mai kept as its assignee: not given to her again.
    const team = (await db().db.execute<{ id: string }>(sql`insert into teams (name) values (${`Nhóm ${c.code}`}) returning id`)).rows[0].id;
    await assignComplaint({ database: db(), actor: leadActor(), code: c.code, assigneeId: mai.user.id, teamId: team });
    expect((await notices(c.id)).map((n) => n.kind)).toEqual(['complaint.assigned']);
    // Taking one oneself is no news.
    const d = await seedComplaint(db());
    await assignComplaint({ database: db(), actor: { kind: 'agent', id: nam.user.id, channel: 'console' }, code: d.code, assigneeId: nam.user.id });
    expect(await notices(d.id)).toEqual([]);
  });

  it('tells the assignee and the followers once of a customer message that also answers and moves the status', async () => {
    const phone = randomPhone();
    const c = await seedComplaint(db(), { input: { customer: { name: 'Phan Thị Thu', phone } } });
    await assignComplaint({ database: db(), actor: leadActor(), code: c.code, assigneeId: mai.user.id });
    await follow(nam, c.code);
    await follow(lead, c.code);
    await transitionComplaint({ database: db(), actor: { kind: 'agent', id: mai.user.id, channel: 'console' }, code: c.code, to: 'acknowledged' });
    await transitionComplaint({ database: db(), actor: { kind: 'agent', id: mai.user.id, channel: 'console' }, code: c.code, to: 'investigating' });
    // Waiting for the customer (as after an information request).
    await db().db.execute(sql`update complaints set status = 'awaiting_customer' where id = ${c.id}`);
    await db().db.execute(sql`delete from notifications where complaint_id = ${c.id}`);

    await addCustomerMessage({ database: db(), code: c.code, contact: phone, message: 'Tôi gửi lại hoá đơn ạ.' });
    const events = await db().db.execute<{ type: string }>(sql`select type from timeline_events where complaint_id = ${c.id} and actor_type = 'customer' order by seq`);
    expect(events.rows.map((e) => e.type)).toContain('status.changed');
    const told = await notices(c.id);
    expect(told.map((n) => n.staff_id).sort()).toEqual([mai.user.id, nam.user.id, lead.user.id].sort());
    for (const n of told) expect(n).toMatchObject({ kind: 'complaint.customer_activity', payload: { code: c.code, event: 'message.received', by: null } });
    // The same message again within minutes is kept once: no second notice.
    await addCustomerMessage({ database: db(), code: c.code, contact: phone, message: 'Tôi gửi lại hoá đơn ạ.' });
    expect(await notices(c.id)).toHaveLength(3);
  });

  it('tells the watchers of a status moved by someone else, not the one who moved it, nor one who left or may follow no more', async () => {
    const c = await seedComplaint(db());
    await assignComplaint({ database: db(), actor: leadActor(), code: c.code, assigneeId: mai.user.id });
    const gone = await staffWithToken(db(), 'agent');
    const moved = await staffWithToken(db(), 'agent');
    await follow(gone, c.code);
    await follow(moved, c.code);
    await follow(nam, c.code);
    await db().db.execute(sql`update staff_users set active = false where id = ${gone.user.id}`);
    // Moved to a department, which sees only its consultations: no longer told of the complaints it followed.
    await db().db.execute(sql`update staff_users set role = 'department' where id = ${moved.user.id}`);
    await db().db.execute(sql`delete from notifications where complaint_id = ${c.id}`);
    await transitionComplaint({ database: db(), actor: { kind: 'agent', id: mai.user.id, channel: 'console' }, code: c.code, to: 'acknowledged' });
    const told = await notices(c.id);
    expect(told.map((n) => [n.staff_id, n.kind])).toEqual([[nam.user.id, 'complaint.status_changed']]);
    expect(told[0].payload).toMatchObject({ status: 'acknowledged', by: mai.user.name, event: 'status.changed' });
    // Nam stops following: the next move tells only the assignee, when someone else makes it.
    await follow(nam, c.code, 'DELETE');
    await transitionComplaint({ database: db(), actor: leadActor(), code: c.code, to: 'investigating' });
    expect((await notices(c.id)).map((n) => n.staff_id)).toEqual([nam.user.id, mai.user.id]);
    // In Mai's notifications through the API, with the complaint.
    const list = (await app.inject({ url: '/api/v1/notifications', headers: mai.headers })).json() as { items: { kind: string; complaintCode: string }[] };
    expect(list.items.filter((n) => n.complaintCode === c.code).map((n) => n.kind)).toEqual(['complaint.status_changed']);
  });

  it('tells the supervisors of the complaint’s team of a low rating, and the assignee of the rating', async () => {
    const team = async (name: string) =>
      (await db().db.execute<{ id: string }>(sql`insert into teams (name) values (${`${name} ${Date.now()}`}) returning id`)).rows[0].id;
    const [care, shop] = [await team('CSKH miền Bắc'), await team('Cửa hàng')];
    const [ours, theirs, agent] = await Promise.all([staffWithToken(db(), 'supervisor'), staffWithToken(db(), 'supervisor'), staffWithToken(db(), 'agent')]);
    await db().db.execute(sql`update staff_users set team_id = ${care} where id in (${ours.user.id}, ${agent.user.id})`);
    await db().db.execute(sql`update staff_users set team_id = ${shop} where id = ${theirs.user.id}`);
    const phone = randomPhone();
    const c = await seedComplaint(db(), { input: { customer: { name: 'Kiều Văn Phúc', phone } } });
    await assignComplaint({ database: db(), actor: leadActor(), code: c.code, assigneeId: agent.user.id, teamId: care });
    const cause = (await db().db.execute<{ id: string }>(sql`select id from root_causes where slug = 'product-defect'`)).rows[0].id;
    await resolveThroughProposal(db(), c.code, { rootCauseId: cause });
    await db().db.execute(sql`delete from notifications where complaint_id = ${c.id}`);
    await answerSurvey({ database: db(), target: { code: c.code, contact: phone }, rating: 1, comment: 'Xử lý quá chậm' });
    const told = await notices(c.id);
    expect(told.map((n) => [n.staff_id, n.kind]).sort()).toEqual(
      [
        [agent.user.id, 'complaint.customer_activity'],
        [ours.user.id, 'complaint.low_rating'],
      ].sort(),
    );
    expect(told.find((n) => n.kind === 'complaint.low_rating')!.payload).toMatchObject({ code: c.code, rating: 1, event: 'survey.answered' });
    expect(told.some((n) => n.staff_id === theirs.user.id)).toBe(false);
  });
});
