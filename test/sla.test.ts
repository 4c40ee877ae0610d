import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from './db';
import { buildTestApp, createStaff, randomPhone, seedComplaint, staffWithToken } from './factories';
import { assignComplaint } from '../src/commands/assign-complaint';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { requestInformation } from '../src/commands/request-information';
import { logContact } from '../src/commands/log-contact';
import { addCustomerMessage } from '../src/commands/add-customer-message';
import { updateSlaPolicy } from '../src/commands/update-sla-policy';
import { runSlaSweep } from '../src/jobs/sla-sweep';
import { setOwnSettings } from '../src/commands/manage-staff';
import { deliverQueuedMail } from '../src/jobs/deliver-mail';
import { findComplaint } from '../src/db/queries/complaints';
import { forgetSlaContext } from '../src/db/queries/settings';
import { addWorkingDays, defaultCalendar, workingTimeBetween } from '../src/domain/calendar';
import { DEFAULT_SLA } from '../src/domain/sla';
import type { Database } from '../src/db/open';

/** Monday 07/12/2026 09:00 in Hà Nội. */
const MONDAY_9 = new Date('2026-12-07T02:00:00Z');
const vn = (isoLocal: string) => new Date(`${isoLocal}+07:00`);
const admin = { kind: 'admin' as const, id: null, channel: 'console' as const };

async function eventsOf(database: Database, code: string) {
  const r = await database.db.execute<{ type: string; payload: Record<string, unknown> }>(sql`
    select e.type, e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`);
  return r.rows;
}

async function team(database: Database) {
  const name = `Nhóm ${Math.random().toString(36).slice(2)}`;
  const t = await database.db.execute<{ id: string }>(sql`insert into teams (name) values (${name}) returning id`);
  const teamId = t.rows[0].id;
  const agent = await createStaff(database, 'agent', 'Lê Thị Mai');
  const supervisor = await createStaff(database, 'supervisor', 'Phạm Quốc Bảo');
  await database.db.execute(sql`update staff_users set team_id = ${teamId} where id in (${agent.id}, ${supervisor.id})`);
  return { teamId, agent, supervisor };
}

describeEachDatabase('SLA clocks on complaints', (db) => {
  it('starts acknowledgement, resolution and negotiation clocks at intake and shows them with a working-time countdown', async () => {
    const created = await seedComplaint(db(), { now: MONDAY_9 });
    const row = (await findComplaint(db(), created.code))!;
    // 48 business hours from Monday 09:00: 7 h on Monday, five full days, one more hour on Tuesday 15/12.
    expect(row.clocks.acknowledgement!.dueAt).toEqual(vn('2026-12-15T09:00:00'));
    expect(row.clocks.resolution!.dueAt).toEqual(addWorkingDays(MONDAY_9, 20, defaultCalendar()));
    expect(row.clocks.negotiation!.dueAt).toEqual(vn('2026-12-16T17:00:00'));

    const app = await buildTestApp(db());
    const { headers } = await staffWithToken(db(), 'agent');
    const res = await app.inject({ method: 'GET', url: `/api/v1/complaints/${created.code}`, headers });
    const body = res.json() as { clocks: { kind: string; state: string; countdown: { vi: string }; level: string }[]; workingTimeMode: string };
    expect(body.clocks.map((c) => c.kind)).toEqual(['acknowledgement', 'resolution', 'negotiation']);
    expect(body.clocks.every((c) => c.state === 'running')).toBe(true);
    expect(body.clocks[0].countdown.vi).toMatch(/^còn \d+ ngày( \d+ giờ)?( \d+ phút)? làm việc$/);
    expect(body.workingTimeMode).toBe('business-hours');

    const queue = await app.inject({ method: 'GET', url: `/api/v1/complaints?q=${created.code}`, headers });
    expect((queue.json() as { items: { clocks: unknown[] }[] }).items[0].clocks).toHaveLength(3);

    const phone = (await db().db.execute<{ phone_e164: string }>(sql`
      select cu.phone_e164 from customers cu join complaints c on c.customer_id = cu.id where c.code = ${created.code}`)).rows[0].phone_e164;
    const pub = await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${created.code}?contact=${encodeURIComponent(phone)}` });
    const promises = (pub.json() as { promises: { kind: string; dueAt: string; state: string }[] }).promises;
    expect(promises.map((p) => [p.kind, p.dueAt])).toEqual([
      ['acknowledgement', vn('2026-12-15T09:00:00').toISOString()],
      ['resolution', row.clocks.resolution!.dueAt.toISOString()],
    ]);
    await app.close();
  });

  it('a logged call is the first human contact: it stops the acknowledgement clock (met) and acknowledges the complaint', async () => {
    const created = await seedComplaint(db(), { now: MONDAY_9 });
    const agent = await createStaff(db(), 'agent');
    await logContact({
      database: db(),
      actor: { kind: 'agent', id: agent.id, channel: 'console' },
      code: created.code,
      method: 'call',
      summary: 'Đã gọi khách, hẹn gửi ảnh hoá đơn',
      now: vn('2026-12-08T10:00:00'),
    });
    const row = (await findComplaint(db(), created.code))!;
    expect(row.status).toBe('acknowledged');
    expect(row.clocks.acknowledgement!.stoppedAt).toEqual(vn('2026-12-08T10:00:00'));
    expect(row.clocks.resolution!.stoppedAt).toBeNull();
    const types = (await eventsOf(db(), created.code)).map((e) => e.type);
    expect(types).toEqual(['complaint.created', 'contact.logged', 'status.changed']);
    // The queue now sorts it by the nearest clock still running: negotiation (16/12), before resolution.
    const sort = await db().db.execute<{ sort_due: string }>(sql`select sort_due from complaints where code = ${created.code}`);
    expect(new Date(sort.rows[0].sort_due)).toEqual(row.clocks.negotiation!.dueAt);
    expect(row.clocks.negotiation!.dueAt < row.clocks.resolution!.dueAt).toBe(true);
  });

  it('pauses the resolution clock while awaiting the customer and moves its due by the working time paused', async () => {
    const created = await seedComplaint(db(), { now: MONDAY_9 });
    const agent = await createStaff(db(), 'agent');
    const actor = { kind: 'agent' as const, id: agent.id, channel: 'console' as const };
    const before = (await findComplaint(db(), created.code))!.clocks.resolution!.dueAt;
    for (const [to, at] of [
      ['acknowledged', '2026-12-07T10:00:00'],
      ['investigating', '2026-12-07T11:00:00'],
    ] as const) {
      await transitionComplaint({ database: db(), actor, code: created.code, to, now: vn(at) });
    }
    // Waiting for the customer is an information request (Tuesday 08:00).
    await requestInformation({
      database: db(),
      actor,
      code: created.code,
      items: [{ kind: 'invoice' }],
      message: 'Xin gửi ảnh hoá đơn mua hàng.',
      mail: { baseUrl: 'http://sen.test', companyName: 'Công ty Sen' },
      now: vn('2026-12-08T08:00:00'),
    });
    expect((await findComplaint(db(), created.code))!.clocks.resolution!.pausedAt).toEqual(vn('2026-12-08T08:00:00'));
    const phone = (await db().db.execute<{ phone_e164: string }>(sql`
      select cu.phone_e164 from customers cu join complaints c on c.customer_id = cu.id where c.code = ${created.code}`)).rows[0].phone_e164;
    // The customer answers two working days later (Thursday 08:00): 16 working hours paused.
    const stored = await addCustomerMessage({ database: db(), code: created.code, contact: phone, message: 'Tôi gửi ảnh hoá đơn.', now: vn('2026-12-10T08:00:00') });
    expect(stored.stored).toBe(true);
    // A double click does not store the message twice.
    expect((await addCustomerMessage({ database: db(), code: created.code, contact: phone, message: 'Tôi gửi ảnh hoá đơn.', now: vn('2026-12-10T08:00:05') })).stored).toBe(false);
    const row = (await findComplaint(db(), created.code))!;
    expect(row.status).toBe('investigating');
    const resolution = row.clocks.resolution!;
    expect(resolution.pausedAt).toBeNull();
    expect(resolution.pausedMs).toBe(16 * 3_600_000);
    expect(workingTimeBetween(before, resolution.dueAt)).toBe(16 * 3_600_000);
    // The customer's message starts the next-response clock: 16 working hours.
    // Thursday 08:00 + 16 working hours = Friday 17:00.
    expect(row.clocks.next_response!.dueAt).toEqual(vn('2026-12-11T17:00:00'));
    expect((await eventsOf(db(), created.code)).filter((e) => e.type === 'message.received')).toHaveLength(1);
  });

  it('a manual due date is set beside the clocks and refused when in the past, changing nothing', async () => {
    const created = await seedComplaint(db());
    const app = await buildTestApp(db());
    const { headers } = await staffWithToken(db(), 'agent');
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const ok = await app.inject({ method: 'PUT', url: `/api/v1/complaints/${created.code}/due-date`, headers, payload: { dueAt: due } });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as { clocks: { kind: string; dueAt: string }[] }).clocks.find((c) => c.kind === 'manual')?.dueAt).toBe(due);
    const bad = await app.inject({
      method: 'PUT',
      url: `/api/v1/complaints/${created.code}/due-date`,
      headers: { ...headers, 'accept-language': 'vi' },
      payload: { dueAt: '2020-01-01T00:00:00Z' },
    });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { error: { fields: { field: string }[] } }).error.fields[0].field).toBe('dueAt');
    // A mistyped year far ahead (the calendar ends at 2199; 9999 was a server error) is a field error too.
    for (const dueAt of ['9999-12-31T23:59:59Z', '2062-01-01T00:00:00Z']) {
      const far = await app.inject({ method: 'PUT', url: `/api/v1/complaints/${created.code}/due-date`, headers, payload: { dueAt } });
      expect(far.statusCode, far.body).toBe(422);
      expect((far.json() as { error: { fields: { field: string; code: string }[] } }).error.fields).toEqual([expect.objectContaining({ field: 'dueAt', code: 'too_far_ahead' })]);
    }
    expect((await findComplaint(db(), created.code))!.clocks.manual!.dueAt.toISOString()).toBe(due);
    const auditor = await staffWithToken(db(), 'auditor');
    const forbidden = await app.inject({ method: 'PUT', url: `/api/v1/complaints/${created.code}/due-date`, headers: auditor.headers, payload: { dueAt: null } });
    expect(forbidden.statusCode).toBe(403);
    await app.close();
  });

  it('sends each reminder and breach once, to the assignee and the team supervisor, with a timeline event and mail', async () => {
    const { teamId, agent, supervisor } = await team(db());
    const created = await seedComplaint(db(), { now: MONDAY_9 });
    await assignComplaint({ database: db(), actor: admin, code: created.code, assigneeId: agent.id, teamId });
    const sweep = (now: string) => runSlaSweep({ database: db(), baseUrl: 'http://sen.test', mailDomain: 'sen.test', now: vn(now) });

    // Thursday 09:30: half of the 48 working hours are gone.
    await sweep('2026-12-10T09:30:00');
    await sweep('2026-12-10T09:30:00');
    let events = (await eventsOf(db(), created.code)).filter((e) => e.type.startsWith('sla.'));
    expect(events.map((e) => [e.type, e.payload.clock, e.payload.percent])).toEqual([['sla.reminder', 'acknowledgement', 50]]);

    // Wednesday 16/12 10:00: acknowledgement is late (80 % was never sent on its own) and negotiation is at 90 %.
    await sweep('2026-12-16T10:00:00');
    await sweep('2026-12-16T10:00:00');
    events = (await eventsOf(db(), created.code)).filter((e) => e.type.startsWith('sla.'));
    expect(events.map((e) => [e.type, e.payload.clock, e.payload.percent])).toEqual([
      ['sla.reminder', 'acknowledgement', 50],
      ['sla.breached', 'acknowledgement', 100],
      ['sla.reminder', 'negotiation', 80],
    ]);
    const notes = await db().db.execute<{ staff_id: string; kind: string }>(sql`
      select staff_id, kind from notifications n join complaints c on c.id = n.complaint_id where c.code = ${created.code} and n.kind like 'sla.%' order by n.id`);
    expect(notes.rows).toHaveLength(6);
    expect(new Set(notes.rows.map((n) => n.staff_id))).toEqual(new Set([agent.id, supervisor.id]));
    const mails = await db().db.execute<{ to_address: string; subject: string }>(sql`
      select m.to_address, m.subject from outbound_messages m join complaints c on c.id = m.complaint_id where c.code = ${created.code}`);
    expect(mails.rows).toHaveLength(6);
    expect(mails.rows.some((m) => m.to_address === agent.email && m.subject === `[${created.code}] Quá hạn phản hồi tiếp nhận`)).toBe(true);

    // The agent sees them in the app and marks them read.
    const app = await buildTestApp(db());
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: 'mat-khau-dai-123' } });
    const cookie = login.headers['set-cookie'];
    const csrf = (login.json() as { csrfToken: string }).csrfToken;
    const list = await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { cookie: String(cookie) } });
    // Three SLA notices, and the one that gave the agent the complaint (theo dõi).
    expect((list.json() as { unread: number }).unread).toBe(4);
    expect((list.json() as { items: { kind: string }[] }).items.map((n) => n.kind).sort()).toEqual(['complaint.assigned', 'sla.breached', 'sla.reminder', 'sla.reminder']);
    const mine = (list.json() as { items: { id: number }[] }).items;
    const one = await app.inject({ method: 'POST', url: `/api/v1/notifications/${mine[0].id}/read`, headers: { cookie: String(cookie), 'x-csrf-token': csrf } });
    expect(one.json()).toEqual({ updated: 1 });
    const unread = await app.inject({ method: 'GET', url: '/api/v1/notifications?unread=true', headers: { cookie: String(cookie) } });
    expect((unread.json() as { items: unknown[]; unread: number })).toMatchObject({ unread: 3 });
    expect((unread.json() as { items: unknown[] }).items).toHaveLength(3);
    const read = await app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: { cookie: String(cookie), 'x-csrf-token': csrf } });
    expect(read.statusCode).toBe(200);
    expect(((await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { cookie: String(cookie) } })).json() as { unread: number }).unread).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
    await app.close();
  });

  it('writes each alert in its reader’s language: English to an agent who chose it, Vietnamese to the supervisor', async () => {
    const { teamId, agent, supervisor } = await team(db());
    await setOwnSettings({ database: db(), userId: agent.id, language: 'en' });
    const created = await seedComplaint(db(), { now: MONDAY_9 });
    await assignComplaint({ database: db(), actor: admin, code: created.code, assigneeId: agent.id, teamId });
    await runSlaSweep({ database: db(), baseUrl: 'http://sen.test', mailDomain: 'sen.test', now: vn('2026-12-10T09:30:00') });
    const mails = await db().db.execute<{ to_address: string; subject: string; text: string; html: string; locale: string }>(sql`
      select m.to_address, m.subject, m.text, m.html, m.locale from outbound_messages m join complaints c on c.id = m.complaint_id
      where c.code = ${created.code} order by m.to_address`);
    const to = (email: string) => mails.rows.find((m) => m.to_address === email)!;
    expect(to(agent.email)).toMatchObject({ subject: `[${created.code}] 50% of the acknowledgement time used`, locale: 'en' });
    expect(to(agent.email).text).toContain('Hello Lê Thị Mai,');
    expect(to(agent.email).html).toContain('<html lang="en">');
    expect(to(supervisor.email)).toMatchObject({ subject: `[${created.code}] Đã dùng 50% thời hạn phản hồi tiếp nhận`, locale: 'vi' });
    expect(to(supervisor.email).text).toContain('Chào Phạm Quốc Bảo,');
  });

  it('a deadline that passed while nobody swept fires once, as a breach, and can move the complaint to the supervisors', async () => {
    await updateSlaPolicy({ database: db(), actor: admin, input: { ...DEFAULT_SLA, reassignOnBreach: true } });
    try {
      const { teamId, agent } = await team(db());
      const created = await seedComplaint(db(), { now: new Date('2026-01-05T02:00:00Z') });
      await assignComplaint({ database: db(), actor: admin, code: created.code, assigneeId: agent.id, teamId });
      await runSlaSweep({ database: db(), baseUrl: 'http://sen.test', mailDomain: 'sen.test', now: vn('2026-06-01T09:00:00') });
      await runSlaSweep({ database: db(), baseUrl: 'http://sen.test', mailDomain: 'sen.test', now: vn('2026-06-02T09:00:00') });
      const events = (await eventsOf(db(), created.code)).filter((e) => e.type.startsWith('sla.'));
      expect(events.map((e) => [e.type, e.payload.clock, e.payload.percent])).toEqual([
        ['sla.breached', 'acknowledgement', 100],
        ['sla.breached', 'resolution', 100],
        ['sla.breached', 'negotiation', 100],
      ]);
      const row = (await findComplaint(db(), created.code))!;
      expect(row.assignee).toBeNull();
      expect(row.team?.id).toBe(teamId);
    } finally {
      await updateSlaPolicy({ database: db(), actor: admin, input: DEFAULT_SLA });
      forgetSlaContext(db());
    }
  });
});

describeEachDatabase('admin settings recompute open deadlines', (db) => {
  it('refuses bad calendar and policy input field by field and changes nothing', async () => {
    const app = await buildTestApp(db());
    const { headers } = await staffWithToken(db(), 'admin');
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/calendar',
      headers,
      payload: {
        profile: 'public-sector',
        businessHours: [[], [['12:00', '08:00']], [['08:00', '12:00'], ['11:00', '13:00']], [], [], [], []],
        saturdayMorning: false,
        extraDaysOff: [{ date: '2026-02-30', note: 'x' }],
        extraWorkingDays: [],
      },
    });
    expect(bad.statusCode).toBe(422);
    const fields = (bad.json() as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['businessHours[1][0]', 'extraDaysOff[0].date']));
    expect(fields.some((f) => f.startsWith('businessHours[2]'))).toBe(true);
    const policy = await app.inject({ method: 'PUT', url: '/api/v1/admin/sla-policy', headers, payload: { ...DEFAULT_SLA, resolutionWorkingDays: 0 } });
    expect(policy.statusCode).toBe(422);
    expect((policy.json() as { error: { fields: { field: string }[] } }).error.fields[0].field).toBe('resolutionWorkingDays');
    // Nothing an admin edits was stored (Sen's own link secret is not an admin setting).
    const stored = await db().db.execute(sql`select * from settings where key <> 'link_secret'`);
    expect(stored.rows).toHaveLength(0);
    await app.close();
  });

  it('a company day off and a new target move the deadlines of open complaints, each with a timeline event', async () => {
    const app = await buildTestApp(db());
    const { headers } = await staffWithToken(db(), 'admin');
    const open = await seedComplaint(db(), { now: MONDAY_9 });
    const done = await seedComplaint(db(), { now: MONDAY_9 });
    await db().db.execute(sql`update complaints set status = 'withdrawn' where code = ${done.code}`);
    const current = (await app.inject({ method: 'GET', url: '/api/v1/admin/calendar', headers })).json() as { settings: Record<string, unknown> };
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/calendar',
      headers,
      payload: { ...current.settings, extraDaysOff: [{ date: '2026-12-09', note: 'Kỷ niệm thành lập công ty' }] },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { recomputed: number }).recomputed).toBeGreaterThanOrEqual(1);
    const row = (await findComplaint(db(), open.code))!;
    // Wednesday 09/12 is now a day off: acknowledgement is due one working day later.
    expect(row.clocks.acknowledgement!.dueAt).toEqual(vn('2026-12-16T09:00:00'));
    expect(row.acknowledgementDueAt).toEqual(vn('2026-12-16T09:00:00'));
    const ev = (await eventsOf(db(), open.code)).find((e) => e.type === 'sla.recomputed');
    expect(ev?.payload.reason).toBe('calendar');
    expect((await eventsOf(db(), done.code)).some((e) => e.type === 'sla.recomputed')).toBe(false);

    const agent = await staffWithToken(db(), 'agent');
    expect((await app.inject({ method: 'PUT', url: '/api/v1/admin/sla-policy', headers: agent.headers, payload: DEFAULT_SLA })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/admin/sla-policy' })).statusCode).toBe(401);
    const promises = async () => (await app.inject({ method: 'GET', url: '/api/v1/portal/promises' })).json();
    expect(await promises()).toEqual({ acknowledgementWorkingHours: 48, resolutionWorkingDays: 20, workingTimeMode: 'business-hours' });
    const p = await app.inject({ method: 'PUT', url: '/api/v1/admin/sla-policy', headers, payload: { ...DEFAULT_SLA, acknowledgementWorkingHours: 16 } });
    expect(p.statusCode).toBe(200);
    // The portal form says what the policy in force promises (no login needed).
    expect(await promises()).toEqual({ acknowledgementWorkingHours: 16, resolutionWorkingDays: 20, workingTimeMode: 'business-hours' });
    // 16 working hours from Monday 09:00, Wednesday off: Tuesday 17:00 + 1 h → Thursday 09:00.
    expect((await findComplaint(db(), open.code))!.clocks.acknowledgement!.dueAt).toEqual(vn('2026-12-10T09:00:00'));
    const year = await app.inject({ method: 'GET', url: '/api/v1/admin/calendar/years/2026', headers });
    expect(year.statusCode).toBe(200);
    const days = (year.json() as { months: { days: { date: string; kind: string }[] }[] }).months.flatMap((m) => m.days);
    expect(days.find((d) => d.date === '2026-02-17')?.kind).toBe('holiday');
    expect(days.find((d) => d.date === '2026-12-09')?.kind).toBe('company-off');
    for (const bad of ['2300', '1899', 'abcd']) {
      const r = await app.inject({ method: 'GET', url: `/api/v1/admin/calendar/years/${bad}`, headers });
      expect(r.statusCode, bad).toBe(422);
      expect((r.json() as { error: { fields: { field: string }[] } }).error.fields[0].field).toBe('year');
    }
    await app.inject({ method: 'PUT', url: '/api/v1/admin/calendar', headers, payload: current.settings });
    await app.inject({ method: 'PUT', url: '/api/v1/admin/sla-policy', headers, payload: DEFAULT_SLA });
    await app.close();
  });
});

describeEachDatabase('outbound mail', (db) => {
  it('writes messages to the outbox folder when no mail server is set, once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-outbox-'));
    const created = await seedComplaint(db(), { now: new Date('2026-01-05T02:00:00Z') });
    const { teamId, agent } = await team(db());
    await assignComplaint({ database: db(), actor: admin, code: created.code, assigneeId: agent.id, teamId });
    await runSlaSweep({ database: db(), baseUrl: 'http://sen.test', mailDomain: 'sen.test', now: vn('2026-06-01T09:00:00') });
    const r1 = await deliverQueuedMail(db(), { from: 'Sen <no-reply@sen.test>', outboxDir: dir });
    const r2 = await deliverQueuedMail(db(), { from: 'Sen <no-reply@sen.test>', outboxDir: dir });
    expect(r1.sent).toBeGreaterThanOrEqual(6);
    expect(r2.sent).toBe(0);
    const files = await readdir(dir);
    expect(files).toHaveLength(r1.sent);
    const text = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    expect(text.some((t) => t.includes(`To: ${agent.email}`) && t.includes(created.code))).toBe(true);
  });

  it('sends over SMTP, and a refused delivery is retried later, not lost', async () => {
    const received: string[] = [];
    let refuse = true;
    // A real SMTP conversation over a socket: the first attempt is refused with 451, the next accepted.
    // The refusal carries a NUL and a bell, which PostgreSQL text refuses: before, recording the error
    // failed and jammed the queue for good.
    const server = createServer((socket: Socket) => {
      let data = false;
      let body = '';
      socket.write('220 test ESMTP\r\n');
      socket.on('data', (chunk) => {
        for (const line of chunk.toString('utf8').split('\r\n')) {
          if (data) {
            if (line === '.') {
              data = false;
              received.push(body);
              socket.write('250 OK queued\r\n');
            } else body += `${line}\n`;
            continue;
          }
          if (!line) continue;
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO' || verb === 'HELO') socket.write('250 test\r\n');
          else if (verb === 'MAIL') socket.write(refuse ? '451 try again later\u0000\u0007 (greylisted)\r\n' : '250 OK\r\n');
          else if (verb === 'RCPT') socket.write('250 OK\r\n');
          else if (verb === 'DATA') {
            data = true;
            socket.write('354 go ahead\r\n');
          } else if (verb === 'QUIT') socket.end('221 bye\r\n');
          else if (verb === 'RSET') socket.write('250 OK\r\n');
          else socket.write('250 OK\r\n');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const created = await seedComplaint(db(), { now: new Date('2026-01-05T02:00:00Z') });
      const { teamId, agent } = await team(db());
      await assignComplaint({ database: db(), actor: admin, code: created.code, assigneeId: agent.id, teamId });
      await db().db.execute(sql`update outbound_messages set status = 'outbox' where status = 'queued'`);
      await runSlaSweep({ database: db(), baseUrl: 'http://sen.test', mailDomain: 'sen.test', now: vn('2026-06-01T09:00:00') });
      const transport = { mailUrl: `smtp://127.0.0.1:${port}`, from: 'Sen <no-reply@sen.test>', outboxDir: '/nonexistent' };
      const first = await deliverQueuedMail(db(), transport);
      expect(first.sent).toBe(0);
      expect(first.failed).toBeGreaterThan(0);
      const states = await db().db.execute<{ status: string; attempts: number; last_error: string }>(sql`
        select m.status, m.attempts, m.last_error from outbound_messages m join complaints c on c.id = m.complaint_id
        where c.code = ${created.code}`);
      expect(states.rows.length).toBeGreaterThan(0);
      for (const s of states.rows) expect([s.status, s.attempts, s.last_error]).toEqual(['queued', 1, expect.stringMatching(/451 try again later {3}\(greylisted\)/)]);
      refuse = false;
      // Nothing is tried again before its back-off; after it, everything goes.
      expect((await deliverQueuedMail(db(), transport)).sent).toBe(0);
      const later = await deliverQueuedMail(db(), transport, new Date(Date.now() + 120_000));
      expect(later.sent).toBe(first.failed);
      expect(received.some((m) => m.includes(created.code))).toBe(true);
      const left = await db().db.execute(sql`select 1 from outbound_messages where status = 'queued'`);
      expect(left.rows).toHaveLength(0);
    } finally {
      server.close();
    }
  });
});

describe('two Sen processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  const children: ChildProcess[] = [];
  const output: string[] = [];
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  }, 60_000);
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await database?.close();
  });

  const start = (dataDir: string, env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/http/server.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        BASE_URL: 'http://sen.test',
        LOG: '0',
        JOBS: '1',
        SLA_SWEEP_INTERVAL_MS: '150',
        MAIL_INTERVAL_MS: '600000',
        SMTP_PORT: 'off',
        ADMIN_EMAIL: '',
        ADMIN_PASSWORD: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    return child;
  };

  it('fire every overdue reminder exactly once, also after a restart', async () => {
    const { teamId, agent } = await team(database);
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) {
      const c = await seedComplaint(database, { now: new Date('2026-01-05T02:00:00Z'), input: { customer: { name: 'Khách', phone: randomPhone() } } });
      await assignComplaint({ database, actor: admin, code: c.code, assigneeId: agent.id, teamId });
      codes.push(c.code);
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-two-'));
    const a = start(path.join(dir, 'a'));
    const b = start(path.join(dir, 'b'));
    const pending = async () =>
      (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from complaints where next_alert_at is not null`)).rows[0].n;
    const deadline = Date.now() + 90_000;
    while ((await pending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await pending(), output.join('')).toBe(0);
    // Both processes keep sweeping for a while; nothing more may fire.
    await new Promise((r) => setTimeout(r, 1500));
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    const c = start(path.join(dir, 'c'));
    await new Promise((r) => setTimeout(r, 4000));
    c.kill('SIGTERM');
    const breaches = await database.db.execute<{ code: string; n: number }>(sql`
      select c.code, count(*)::int as n from timeline_events e join complaints c on c.id = e.complaint_id
      where e.type = 'sla.breached' group by c.code`);
    expect(breaches.rows).toHaveLength(30);
    // acknowledgement, resolution and negotiation: each breached once per complaint.
    expect(breaches.rows.every((r) => r.n === 3)).toBe(true);
    const notes = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where kind like 'sla.%'`);
    expect(notes.rows[0].n).toBe(30 * 3 * 2);
  }, 150_000);

  it('a worker without HTTP (PORT=off) runs the jobs and the SMTP listener beside the API processes', async () => {
    const { teamId, agent } = await team(database);
    const overdue = await seedComplaint(database, { now: new Date('2026-01-05T02:00:00Z'), input: { customer: { name: 'Khách', phone: randomPhone() } } });
    await assignComplaint({ database, actor: admin, code: overdue.code, assigneeId: agent.id, teamId });
    const smtpPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const lines: string[] = [];
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-worker-'));
    const worker = start(dir, { PORT: 'off', SMTP_PORT: String(smtpPort), SMTP_HOST: '127.0.0.1', LOG: '1' });
    worker.stdout?.on('data', (d: Buffer) => lines.push(d.toString()));
    const until = async (what: () => Promise<boolean> | boolean, label: string) => {
      const deadline = Date.now() + 60_000;
      while (!(await what())) {
        if (Date.now() > deadline) throw new Error(`${label}: ${lines.join('')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await until(() => lines.join('').includes('Sen runs without HTTP (PORT=off): jobs, SMTP; PostgreSQL'), 'started');
    // The SLA sweep runs in it: the overdue complaint's reminders and breaches fire.
    const alertsLeft = async () =>
      (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from complaints where code = ${overdue.code} and next_alert_at is not null`)).rows[0].n;
    await until(async () => (await alertsLeft()) === 0, 'swept');
    const breached = await database.db.execute(sql`
      select 1 from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${overdue.code} and e.type = 'sla.breached'`);
    expect(breached.rows.length).toBe(3);
    // Its SMTP listener takes a complaint by mail.
    const subject = `Worker ${Date.now()}: đơn hàng giao thiếu`;
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    try {
      await t.sendMail({ from: 'Chị Lan <lan.worker@example.vn>', to: 'khieunai@sen.test', subject, text: 'Tôi nhận thiếu một hộp sữa.' });
    } finally {
      t.close();
    }
    const byMail = await database.db.execute<{ channel: string }>(sql`select channel from complaints where subject = ${subject}`);
    expect(byMail.rows).toEqual([{ channel: 'email' }]);
    // It serves no HTTP.
    expect(lines.join('')).not.toContain('Sen is running at');
    worker.kill('SIGTERM');
    expect(await new Promise((resolve) => worker.once('exit', resolve))).toBe(0);
  }, 120_000);

  it('refuses to start with nothing to run (PORT=off, JOBS=0, SMTP_PORT=off)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sen-idle-'));
    const idle = start(dir, { PORT: 'off', JOBS: '0', SMTP_PORT: 'off' });
    const errors: string[] = [];
    idle.stderr?.on('data', (d: Buffer) => errors.push(d.toString()));
    expect(await new Promise((resolve) => idle.once('exit', resolve))).toBe(1);
    expect(errors.join('')).toContain('nothing left to run');
    // Nor with no jobs and the default SMTP port taken by another program.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.once('error', () => resolve()).listen(2525, '127.0.0.1', () => resolve()));
    try {
      const busy = start(dir, { PORT: 'off', JOBS: '0', SMTP_PORT: '', SMTP_HOST: '127.0.0.1' });
      const said: string[] = [];
      busy.stderr?.on('data', (d: Buffer) => said.push(d.toString()));
      expect(await new Promise((resolve) => busy.once('exit', resolve))).toBe(1);
      expect(said.join('')).toContain('nothing left to run');
    } finally {
      holder.close();
    }
  }, 60_000);
});
