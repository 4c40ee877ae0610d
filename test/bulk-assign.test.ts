import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTeam } from '../src/commands/create-team';
import { describeEachDatabase } from './db';
import { buildTestApp, seedComplaint, staffWithToken } from './factories';

/** Phân công hàng loạt: a supervisor ticks complaints in the queue and gives them to one agent and team at once. */
describeEachDatabase('assigning several complaints at once', (db) => {
  let app: FastifyInstance;
  let supervisor: Awaited<ReturnType<typeof staffWithToken>>;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  let other: Awaited<ReturnType<typeof staffWithToken>>;
  let teamId: string;
  beforeAll(async () => {
    app = await buildTestApp(db());
    supervisor = await staffWithToken(db(), 'supervisor');
    agent = await staffWithToken(db(), 'agent');
    other = await staffWithToken(db(), 'agent');
    teamId = (await createTeam({ database: db(), name: `Nhóm bảo hành ${Date.now()}-${Math.random()}` })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  const assign = (headers: Record<string, string>, payload: object) => app.inject({ method: 'POST', url: '/api/v1/complaints/assignments', headers, payload });
  const state = async (codes: string[]) =>
    (
      await db().db.execute<{ code: string; assignee_id: string | null; team_id: string | null; events: number }>(sql`
        select c.code, c.assignee_id, c.team_id,
               (select count(*)::int from timeline_events e where e.complaint_id = c.id and e.type = 'assignment.changed') as events
        from complaints c where c.code in (${sql.join(codes.map((c) => sql`${c}`), sql`, `)}) order by c.code`)
    ).rows;

  it('assigns each ticked complaint with its own event, reports the one it cannot, and changes nothing more when run again', async () => {
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await seedComplaint(db())).code);
    const erased = (await seedComplaint(db())).code;
    await db().db.execute(sql`update customers set anonymised_at = now() where id = (select customer_id from complaints where code = ${erased})`);
    const payload = { codes: [...codes, codes[0].toLowerCase(), 'KN-2020-999999', erased], assigneeId: agent.user.id, teamId };

    const first = await assign(supervisor.headers, payload);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ assigned: 3, unchanged: 0, failed: 2 });
    expect(first.json().results).toEqual([
      ...codes.map((code) => ({ code, outcome: 'assigned' })),
      { code: 'KN-2020-999999', outcome: 'failed', error: { code: 'complaint_not_found', message: 'Không tìm thấy khiếu nại.' } },
      { code: erased, outcome: 'failed', error: expect.objectContaining({ code: 'customer_anonymised' }) },
    ]);
    expect(await state(codes)).toEqual(codes.sort().map((code) => ({ code, assignee_id: agent.user.id, team_id: teamId, events: 1 })));
    expect((await state([erased]))[0]).toMatchObject({ assignee_id: null, events: 0 });

    // A retry (after a timeout, a double click): nothing new, no second event; messages in the reader's language.
    const again = await assign({ ...supervisor.headers, 'accept-language': 'en' }, payload);
    expect(again.json()).toMatchObject({ assigned: 0, unchanged: 3, failed: 2 });
    expect(again.json().results[3]).toEqual({ code: 'KN-2020-999999', outcome: 'failed', error: { code: 'complaint_not_found', message: 'Complaint not found.' } });
    expect((await state(codes)).map((r) => r.events)).toEqual([1, 1, 1]);

    // Back to the supervisors' queue: unassigned, the team kept.
    const back = await assign(supervisor.headers, { codes, assigneeId: null });
    expect(back.json()).toMatchObject({ assigned: 3, failed: 0 });
    expect((await state(codes)).map((r) => [r.assignee_id, r.team_id])).toEqual(codes.map(() => [null, teamId]));
  });

  it('bad input is a field error that changes nothing; an agent may take complaints, not hand them to a colleague', async () => {
    const codes = [(await seedComplaint(db())).code, (await seedComplaint(db())).code];
    const before = await state(codes);
    const refusals: [object, number, string][] = [
      [{ codes, assigneeId: '00000000-0000-4000-8000-000000000000' }, 422, 'assigneeId'],
      [{ codes, teamId: '00000000-0000-4000-8000-000000000000' }, 422, 'teamId'],
      [{ codes }, 422, 'assigneeId'],
      [{ codes: [], teamId }, 422, 'codes'],
      [{ codes: Array.from({ length: 101 }, () => codes[0]), teamId }, 422, 'codes'],
      [{ codes, teamId, note: 'x' }, 422, 'note'],
    ];
    for (const [payload, status, field] of refusals) {
      const res = await assign(supervisor.headers, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(JSON.stringify(res.json().error.fields), JSON.stringify(payload)).toContain(field);
    }
    expect((await assign(agent.headers, { codes, assigneeId: other.user.id })).statusCode).toBe(403);
    expect(await state(codes)).toEqual(before);

    const mine = await assign(agent.headers, { codes, assigneeId: agent.user.id });
    expect(mine.json()).toMatchObject({ assigned: 2, failed: 0 });
    const events = await db().db.execute<{ actor_id: string; payload: { assigneeId: string } }>(sql`
      select e.actor_id, e.payload from timeline_events e join complaints c on c.id = e.complaint_id
      where c.code = ${codes[0]} and e.type = 'assignment.changed'`);
    expect(events.rows).toEqual([expect.objectContaining({ actor_id: agent.user.id, payload: expect.objectContaining({ assigneeId: agent.user.id }) })]);
  });
});
