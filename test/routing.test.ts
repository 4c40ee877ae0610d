import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, createStaff, randomPhone, seedComplaint, staffWithToken } from './factories';
import { runRoutingSweep } from '../src/jobs/routing-sweep';

/** Phân công tự động: supervisors keep rules in order; the sweep gives each new complaint to the first rule's team. */
describeEachDatabase('routing rules', (db) => {
  let app: FastifyInstance;
  let supervisor: Awaited<ReturnType<typeof staffWithToken>>;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let auditor: Awaited<ReturnType<typeof staffWithToken>>;
  let warranty: string;
  let hotlineTeam: string;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [supervisor, agent, auditor] = await Promise.all([staffWithToken(db(), 'supervisor'), staffWithToken(db(), 'agent'), staffWithToken(db(), 'auditor')]);
    const team = async (name: string) => (await db().db.execute<{ id: string }>(sql`insert into teams (name) values (${name}) returning id`)).rows[0].id;
    warranty = await team(`Nhóm Bảo hành ${Date.now()}`);
    hotlineTeam = await team(`Nhóm Tổng đài ${Date.now()}`);
  });
  afterAll(async () => {
    await app.close();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers = supervisor.headers) =>
    app.inject({ method, url: `/api/v1/routing-rules${url}`, ...(payload ? { payload } : {}), headers: { ...headers, 'accept-language': 'vi' } });
  const names = async () => (await api('GET', '')).json().items.map((r: { name: string; position: number }) => `${r.position}. ${r.name}`);
  const file = async (subject: string, description = 'Mô tả.', extra: Record<string, unknown> = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      payload: { customer: { name: 'Đinh Thị Phân', phone: randomPhone() }, subject, description, consent: true, ...extra },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().code as string;
  };
  const detail = async (code: string) => (await app.inject({ url: `/api/v1/complaints/${code}`, headers: supervisor.headers })).json();

  it('supervisors add, reorder, change and remove rules; others may not; bad input is refused field by field, changing nothing', async () => {
    const a = await api('POST', '', { name: 'Bảo hành', teamId: warranty, keywords: ['Bảo hành', 'đổi trả'] });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ position: 1, name: 'Bảo hành', keywords: ['bao hanh', 'doi tra'], channels: [], active: true, priority: null });
    expect((await api('POST', '', { name: 'Tổng đài', teamId: hotlineTeam, channels: ['hotline'] })).statusCode).toBe(201);
    const first = await api('POST', '', { name: 'Khẩn', teamId: warranty, keywords: ['chay no'], priority: 'urgent', position: 1 });
    expect(first.statusCode).toBe(201);
    expect(await names()).toEqual(['1. Khẩn', '2. Bảo hành', '3. Tổng đài']);
    // Moved last, then changed.
    const moved = await api('PATCH', `/${first.json().id}`, { position: 3, keywords: ['chay', 'no'] });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ position: 3, keywords: ['chay', 'no'], priority: 'urgent' });
    expect(await names()).toEqual(['1. Bảo hành', '2. Tổng đài', '3. Khẩn']);

    // Refused, nothing changed: an unknown team, member or category; a bad channel or keyword; no name.
    const bad = await api('POST', '', {
      name: '',
      teamId: '00000000-0000-4000-8000-000000000000',
      assigneeId: auditor.user.id,
      channels: ['fax'],
      keywords: ['a'],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`)).toEqual([
      'name:required',
      'channels[0]:invalid_value',
      'keywords[0]:too_short',
    ]);
    const unknown = await api('POST', '', { name: 'X', teamId: '00000000-0000-4000-8000-000000000000', assigneeId: auditor.user.id, categoryId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fields).toEqual([
      { field: 'assigneeId', code: 'not_found', message: 'Không tồn tại.' },
      { field: 'teamId', code: 'not_found', message: 'Không tồn tại.' },
      { field: 'categoryId', code: 'not_found', message: 'Không tồn tại.' },
    ]);
    expect((await api('POST', '', { name: 'X', teamId: warranty, extra: 1 })).statusCode).toBe(422);
    expect((await api('PATCH', `/${first.json().id}`, { teamId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(422);
    expect((await api('PATCH', '/00000000-0000-4000-8000-000000000000', { name: 'Y' })).statusCode).toBe(404);
    expect(await names()).toEqual(['1. Bảo hành', '2. Tổng đài', '3. Khẩn']);

    // Agents neither see nor change them; auditors read them; nobody without a login.
    expect((await api('GET', '', undefined, agent.headers)).statusCode).toBe(403);
    expect((await api('POST', '', { name: 'A', teamId: warranty }, agent.headers)).statusCode).toBe(403);
    expect((await api('GET', '', undefined, auditor.headers)).statusCode).toBe(200);
    expect((await api('DELETE', `/${first.json().id}`, undefined, auditor.headers)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/routing-rules' })).statusCode).toBe(401);

    // Removed: those after it move up.
    const rules = (await api('GET', '')).json().items as { id: string }[];
    expect((await api('DELETE', `/${rules[0].id}`)).statusCode).toBe(204);
    expect(await names()).toEqual(['1. Tổng đài', '2. Khẩn']);
    for (const r of rules.slice(1)) expect((await api('DELETE', `/${r.id}`)).statusCode).toBe(204);
    expect(await names()).toEqual([]);
  });

  it('gives each new complaint to the first fitting rule’s team and member, raises its priority, tells the member; once', async () => {
    const member = await createStaff(db(), 'agent', 'Phan Văn Bảo');
    // No rule: nothing is looked at (and complaints of the last day are still routed once a rule exists).
    const early = await file('Máy giặt hết bảo hành sớm');
    expect(await runRoutingSweep({ database: db() })).toEqual({ routed: 0, looked: 0 });

    const urgent = await api('POST', '', { name: 'Cháy nổ', teamId: warranty, assigneeId: member.id, keywords: ['chay', 'no'], priority: 'urgent' });
    expect(urgent.statusCode).toBe(201);
    expect((await api('POST', '', { name: 'Bảo hành', teamId: warranty, keywords: ['bao hanh'] })).statusCode).toBe(201);
    const fire = await file('Ổ cắm bị cháy đen', 'Có mùi khét và tia lửa.');
    const warrantyOne = await file('Đổi máy lạnh', 'Máy còn BẢO HÀNH mà cửa hàng từ chối.');
    const other = await file('Giao hàng chậm', 'Đơn hàng giao trễ ba ngày.');
    const taken = await file('Bảo hành tủ lạnh');
    // Someone took this one before the sweep: left with them.
    expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${taken}/assign`, payload: { assigneeId: agent.user.id }, headers: agent.headers })).statusCode).toBeLessThan(300);

    // Two sweeps at once (two processes): each complaint routed once.
    const [s1, s2] = await Promise.all([runRoutingSweep({ database: db() }), runRoutingSweep({ database: db() })]);
    expect(s1.routed + s2.routed).toBe(3);

    const f = await detail(fire);
    expect(f).toMatchObject({ priority: 'urgent' });
    expect(f.team?.id ?? f.teamId).toBe(warranty);
    expect(f.assignee?.id ?? f.assigneeId).toBe(member.id);
    const events = f.timeline.filter((e: { type: string }) => ['assignment.changed', 'priority.changed'].includes(e.type));
    expect(events.map((e: { type: string; payload: Record<string, unknown> }) => [e.type, e.payload.reason, e.payload.ruleName])).toEqual([
      ['assignment.changed', 'rule', 'Cháy nổ'],
      ['priority.changed', 'rule', 'Cháy nổ'],
    ]);
    expect(events[0].actor.type).toBe('system');
    // The member is told it is theirs, as for any assignment.
    const told = await db().db.execute(sql`select 1 from notifications n join complaints c on c.id = n.complaint_id where c.code = ${fire} and n.staff_id = ${member.id}`);
    expect(told.rows.length).toBe(1);

    const w = await detail(warrantyOne);
    expect(w.team?.id ?? w.teamId).toBe(warranty);
    expect(w.assignee).toBeFalsy();
    expect(w.priority).toBe('normal');
    expect((await detail(early)).team?.id ?? (await detail(early)).teamId).toBe(warranty);
    const o = await detail(other);
    expect(o.team ?? o.teamId ?? null).toBeNull();
    const t = await detail(taken);
    expect(t.assignee?.id ?? t.assigneeId).toBe(agent.user.id);
    expect(t.team ?? t.teamId ?? null).toBeNull();
    expect(t.timeline.filter((e: { type: string }) => e.type === 'assignment.changed')).toHaveLength(1);

    // Looked at once: a later sweep finds nothing new; a later complaint is routed by the next.
    expect(await runRoutingSweep({ database: db() })).toEqual({ routed: 0, looked: 0 });
    const later = await file('Xin đổi trả và bảo hành');
    expect(await runRoutingSweep({ database: db() })).toEqual({ routed: 1, looked: 1 });
    expect((await detail(later)).timeline.filter((e: { type: string }) => e.type === 'assignment.changed')).toHaveLength(1);
    // Received hours before it was written (a hotline call logged at the end of a shift): still routed.
    const lateCall = await seedComplaint(db(), { channel: 'hotline', now: new Date(Date.now() - 5 * 3_600_000), input: { subject: 'Bảo hành quạt', description: 'Khách gọi từ sáng.' } });
    expect(await runRoutingSweep({ database: db() })).toEqual({ routed: 1, looked: 1 });
    expect((await detail(lateCall.code)).team?.id).toBe(warranty);
    // A member who has left gets nothing more: the rule's complaints go to the team's queue.
    await db().db.execute(sql`update staff_users set active = false where id = ${member.id}`);
    const afterLeaving = await file('Ổ điện cháy xém', 'Có mùi khét.');
    expect(await runRoutingSweep({ database: db() })).toEqual({ routed: 1, looked: 1 });
    const left = await detail(afterLeaving);
    expect([left.team?.id, left.assignee, left.priority]).toEqual([warranty, null, 'urgent']);
    // Such a rule can still be paused (it names the member who left); naming someone who left is refused.
    expect((await api('PATCH', `/${urgent.json().id}`, { assigneeId: member.id })).statusCode).toBe(422);
    // An inactive rule is not applied.
    for (const r of (await api('GET', '')).json().items as { id: string }[]) expect((await api('PATCH', `/${r.id}`, { active: false })).statusCode).toBe(200);
    await file('Bảo hành lần nữa');
    expect(await runRoutingSweep({ database: db() })).toEqual({ routed: 0, looked: 0 });
  });
});
