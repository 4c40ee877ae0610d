import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assignComplaint } from '../src/commands/assign-complaint';
import { logContact } from '../src/commands/log-contact';
import { vietnamToday, type AgentFigures } from '../src/domain/reports';
import { describeEachDatabase } from './db';
import { buildTestApp, resolveThroughProposal, seedComplaint, staffWithToken } from './factories';

/** One row of the report as the API sends it (dates and all as JSON). */
type AgentRow = AgentFigures;

/**
 * Theo nhân viên — a supervisor's monthly view of each agent: open and overdue complaints now, and of those received in the
 * period that each holds, the on-time rates, resolutions, reopenings and the customers' ratings; unassigned last; as a table
 * and as a CSV/XLSX export. Supervisors, admins and auditors read it; agents do not.
 */
describeEachDatabase('the report by agent', (db) => {
  let app: FastifyInstance;
  let lead: Awaited<ReturnType<typeof staffWithToken>>;
  let lan: Awaited<ReturnType<typeof staffWithToken>>;
  let minh: Awaited<ReturnType<typeof staffWithToken>>;
  let gone: Awaited<ReturnType<typeof staffWithToken>>;
  let idle: Awaited<ReturnType<typeof staffWithToken>>;
  const today = vietnamToday(new Date());
  beforeAll(async () => {
    app = await buildTestApp(db());
    [lead, lan, minh, gone, idle] = await Promise.all([
      staffWithToken(db(), 'supervisor'),
      staffWithToken(db(), 'agent'),
      staffWithToken(db(), 'agent'),
      staffWithToken(db(), 'agent'),
      staffWithToken(db(), 'agent'),
    ]);
    const team = (await db().db.execute<{ id: string }>(sql`insert into teams (name) values ('Nhóm Bảo hành Miền Bắc') returning id`)).rows[0].id;
    await db().db.execute(sql`update staff_users set team_id = ${team} where id = ${lan.user.id}`);
    const give = async (who: typeof lan) => {
      const c = await seedComplaint(db());
      await assignComplaint({ database: db(), actor: { kind: 'supervisor', id: lead.user.id, channel: 'console' }, code: c.code, assigneeId: who.user.id });
      return c;
    };
    // Lan: three — one acknowledged by a call, one resolved and rated 4/5, one past its deadline.
    const called = await give(lan);
    await logContact({ database: db(), actor: { kind: 'agent', id: lan.user.id, channel: 'console' }, code: called.code, method: 'call', summary: 'Đã gọi cho khách' });
    const resolved = await give(lan);
    const cause = (await db().db.execute<{ id: string }>(sql`select id from root_causes where active order by name limit 1`)).rows[0].id;
    await resolveThroughProposal(db(), resolved.code, { rootCauseId: cause });
    // The resolution scheduled its survey; the customer answered it 4/5.
    await db().db.execute(sql`update surveys set sent_at = now(), answered_at = now(), rating = 4 where complaint_id = ${resolved.id}`);
    const late = await give(lan);
    await db().db.execute(sql`update complaints set sort_due = now() - interval '1 hour' where id = ${late.id}`);
    // Minh: one. Someone who left still holds one; another left holding none.
    await give(minh);
    await give(gone);
    await db().db.execute(sql`update staff_users set active = false where id in (${gone.user.id}, ${idle.user.id})`);
    // One no one holds.
    await seedComplaint(db());
  });
  afterAll(async () => app?.close());

  const report = async (who = lead, query = `from=${today}&to=${today}`) => app.inject({ url: `/api/v1/reports/agents?${query}`, headers: who.headers });

  it('gives each agent’s workload now and the figures of the period’s complaints they hold, the busiest first, unassigned last', async () => {
    const r = await report();
    expect(r.statusCode, r.body).toBe(200);
    const { period, agents } = r.json() as { period: { from: string; to: string }; agents: AgentRow[] };
    expect(period).toEqual({ from: today, to: today });
    const of = (id: string | null) => agents.find((a) => a.staffId === id)!;
    expect(of(lan.user.id)).toMatchObject({
      name: lan.user.name,
      team: 'Nhóm Bảo hành Miền Bắc',
      active: true,
      open: 2,
      overdue: 1,
      received: 3,
      reopen: { resolved: 1, reopened: 0, rate: 0 },
      csat: { answered: 1, average: 4 },
    });
    expect(of(lan.user.id).acknowledgement.met).toBe(2);
    expect(of(lan.user.id).resolution).toMatchObject({ met: 1, breached: 0, onTimeRate: 1 });
    expect(of(minh.user.id)).toMatchObject({ open: 1, overdue: 0, received: 1, csat: { answered: 0, average: null } });
    // Who left shows while holding complaints, marked; who left holding none does not.
    expect(of(gone.user.id)).toMatchObject({ active: false, open: 1 });
    expect(agents.some((a) => a.staffId === idle.user.id)).toBe(false);
    // The unassigned complaints come last.
    expect(agents[agents.length - 1]).toMatchObject({ staffId: null, name: null });
    expect(agents[agents.length - 1].open).toBeGreaterThanOrEqual(1);
    expect(agents.findIndex((a) => a.staffId === lan.user.id)).toBeLessThan(agents.findIndex((a) => a.staffId === minh.user.id));
  });

  it('a period with none of their complaints still shows their workload now', async () => {
    const r = await report(lead, 'from=2025-01-01&to=2025-01-31');
    const lanRow = (r.json() as { agents: AgentRow[] }).agents.find((a) => a.staffId === lan.user.id)!;
    expect(lanRow).toMatchObject({ open: 2, overdue: 1, received: 0, csat: { answered: 0, average: null } });
    expect(lanRow.acknowledgement.onTimeRate).toBeNull();
  });

  it('exports as CSV in Vietnamese (or English) and XLSX; is for supervisors, admins and auditors only; refuses a bad period', async () => {
    const csv = await app.inject({ url: `/api/v1/reports/agents.csv?from=${today}&to=${today}`, headers: lead.headers });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toContain(`bao-cao-agents-${today}-${today}.csv`);
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Nhân viên,Nhóm,Đang xử lý,Quá hạn,Nhận trong kỳ,Phản hồi đúng hạn (%),Giải quyết đúng hạn (%),Đã giải quyết,Tỉ lệ mở lại (%),Lượt đánh giá,Điểm hài lòng TB');
    expect(lines).toContain(`${lan.user.name},Nhóm Bảo hành Miền Bắc,2,1,3,100,100,1,0,1,4`);
    expect(lines).toContain(`${gone.user.name} (đã nghỉ),,1,0,1,,,0,,0,`);
    expect(lines.filter(Boolean).at(-1)).toMatch(/^\(Chưa giao ai\),/);
    const en = await app.inject({ url: `/api/v1/reports/agents.csv?from=${today}&to=${today}&lang=en`, headers: lead.headers });
    expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^Agent,Team,Open,Overdue,Received in period,/);
    const xlsx = await app.inject({ url: `/api/v1/reports/agents.xlsx?from=${today}&to=${today}`, headers: lead.headers });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await report(lan)).statusCode).toBe(403);
    expect((await report(await staffWithToken(db(), 'auditor'))).statusCode).toBe(200);
    expect((await report(lead, 'from=2026-13-01&to=2026-12-31')).statusCode).toBe(422);
  });
});
