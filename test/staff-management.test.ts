/**
 * Staff accounts over their life: an admin adds, changes, deactivates and reactivates them and resets passwords; a
 * staff member changes their own password and manages their API tokens; wrong passwords pause an account whatever
 * the address; Sen always keeps an active admin; every change is in the account's audit trail.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { assignComplaint } from '../src/commands/assign-complaint';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { buildTestApp, createStaff, seedComplaint, staffWithToken, testConfig, TEST_PASSWORD } from './factories';
import type { StaffUser } from '../src/commands/staff-accounts';

interface Session {
  cookie: string;
  headers: Record<string, string>;
}

describeEachDatabase('staff account management', (db) => {
  let app: FastifyInstance;
  let admin: { user: StaffUser; headers: Record<string, string> };

  const login = async (email: string, password = TEST_PASSWORD, remoteAddress = '10.1.0.1') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });
  const session = async (email: string, password = TEST_PASSWORD): Promise<Session> => {
    const res = await login(email, password);
    expect(res.statusCode, res.body).toBe(200);
    const cookie = `sen_session=${res.cookies.find((c) => c.name === 'sen_session')!.value}`;
    return { cookie, headers: { cookie, 'x-csrf-token': res.json().csrfToken as string } };
  };
  const me = (s: Session) => app.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
  const trail = async (userId: string) =>
    (await app.inject({ url: `/api/v1/users/${userId}/events`, headers: admin.headers })).json().items as {
      kind: string;
      payload: Record<string, unknown>;
      actor: { id: string; name: string } | null;
    }[];

  beforeAll(async () => {
    app = await buildTestApp(db(), { rateLimits: { ...testConfig().rateLimits, failedLoginsPerAccount: 3 } });
    admin = await staffWithToken(db(), 'admin');
  });
  afterAll(async () => app?.close());

  it('adds an account, refusing a taken email or a password that is the email, field by field and in English on request', async () => {
    const body = { email: 'Thu.Trang@Sen.test', name: 'Lê Thu Trang', role: 'agent', password: 'mat-khau-ban-dau' };
    const res = await app.inject({ method: 'POST', url: '/api/v1/users', payload: body, headers: admin.headers });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ email: 'thu.trang@sen.test', role: 'agent' });
    const before = await db().pool.query('select count(*)::int as n from staff_users');

    const taken = await app.inject({ method: 'POST', url: '/api/v1/users', payload: body, headers: admin.headers });
    expect(taken.statusCode).toBe(422);
    expect(taken.json().error.fields).toEqual([expect.objectContaining({ field: 'email', code: 'email_taken', message: 'Đã có tài khoản với email này.' })]);
    const asEmail = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { ...body, email: 'hai@sen.test', password: 'HAI@sen.test' },
      headers: { ...admin.headers, 'accept-language': 'en' },
    });
    expect(asEmail.statusCode).toBe(422);
    expect(asEmail.json().error.fields).toEqual([expect.objectContaining({ field: 'password', code: 'same_as_email', message: 'The password must not be the email.' })]);
    expect((await db().pool.query('select count(*)::int as n from staff_users')).rows[0].n).toBe(before.rows[0].n);

    const events = await trail(res.json().id);
    expect(events).toEqual([expect.objectContaining({ kind: 'created', actor: { id: admin.user.id, name: admin.user.name } })]);
    expect((await login('thu.trang@sen.test', 'mat-khau-ban-dau')).statusCode).toBe(200);
  });

  it('changes a role, which takes effect on the live session at once, and records what changed', async () => {
    const agent = await createStaff(db(), 'agent', 'Đỗ Văn Hải');
    const s = await session(agent.email);
    const { code } = await seedComplaint(db());
    const note = () => app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/notes`, payload: { body: 'Đã gọi khách.' }, headers: s.headers });
    expect((await note()).statusCode).toBe(201);

    const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.id}`, payload: { role: 'auditor', name: 'Đỗ Văn Hải (KS)' }, headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ role: 'auditor', name: 'Đỗ Văn Hải (KS)', active: true });
    expect((await me(s)).json().user.role).toBe('auditor');
    expect((await note()).statusCode).toBe(403);
    const [updated] = await trail(agent.id);
    expect(updated).toMatchObject({ kind: 'updated', payload: { changes: { role: ['agent', 'auditor'], name: ['Đỗ Văn Hải', 'Đỗ Văn Hải (KS)'] } } });
  });

  it('refuses a department member without a team, an unknown team, an empty change and unknown fields, changing nothing', async () => {
    const agent = await createStaff(db(), 'agent');
    const cases: [object, string, string][] = [
      [{ role: 'department' }, 'teamId', 'required'],
      [{ teamId: '00000000-0000-4000-8000-000000000000' }, 'teamId', 'not_found'],
      [{ role: 'king' }, 'role', 'invalid_value'],
      [{ active: true, password: 'x' }, 'password', 'unknown_field'],
    ];
    for (const [payload, field, code] of cases) {
      const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.id}`, payload, headers: admin.headers });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().error.fields, JSON.stringify(payload)).toContainEqual(expect.objectContaining({ field, code }));
    }
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.id}`, payload: {}, headers: admin.headers })).statusCode).toBe(422);
    const unknown = await app.inject({ method: 'PATCH', url: '/api/v1/users/00000000-0000-4000-8000-000000000000', payload: { active: false }, headers: admin.headers });
    expect(unknown.statusCode).toBe(404);
    const row = await db().pool.query('select role, team_id, active from staff_users where id = $1', [agent.id]);
    expect(row.rows[0]).toEqual({ role: 'agent', team_id: null, active: true });
    expect(await trail(agent.id)).toHaveLength(1);
  });

  it('deactivating ends the sessions and revokes the API tokens at once; reactivating lets them log in again, the tokens stay revoked', async () => {
    const agent = await staffWithToken(db(), 'agent');
    const s = await session(agent.user.email);
    expect((await me(s)).statusCode).toBe(200);
    const off = await app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.user.id}`, payload: { active: false }, headers: admin.headers });
    expect(off.statusCode).toBe(200);
    expect((await me(s)).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/complaints', headers: agent.headers })).statusCode).toBe(401);
    expect((await login(agent.user.email)).json().error.code).toBe('invalid_credentials');
    const listed = await app.inject({ url: '/api/v1/users', headers: admin.headers });
    expect(listed.json().items.map((u: { id: string }) => u.id)).not.toContain(agent.user.id);
    const all = await app.inject({ url: '/api/v1/users?includeInactive=true', headers: admin.headers });
    expect(all.json().items).toContainEqual(expect.objectContaining({ id: agent.user.id, active: false }));

    const on = await app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.user.id}`, payload: { active: true }, headers: admin.headers });
    expect(on.statusCode).toBe(200);
    expect((await login(agent.user.email)).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/complaints', headers: agent.headers })).statusCode).toBe(401);
    expect((await trail(agent.user.id)).map((e) => e.payload.changes)).toEqual([{ active: [false, true] }, { active: [true, false] }, undefined, undefined]);
  });

  it('an agent deactivated, or moved to a role that works no complaints, hands theirs back to the team’s queue with an event each', async () => {
    const team = (await db().db.execute<{ id: string }>(sql`insert into teams (name) values (${`Nhóm ${Date.now()}`}) returning id`)).rows[0].id;
    const leaver = await staffWithToken(db(), 'agent');
    const mover = await staffWithToken(db(), 'agent');
    await db().db.execute(sql`update staff_users set team_id = ${team} where id = ${leaver.user.id}`);
    const give = async (who: typeof leaver) => {
      const c = await seedComplaint(db());
      await assignComplaint({ database: db(), actor: { kind: 'admin', id: admin.user.id, channel: 'console' }, code: c.code, assigneeId: who.user.id });
      return c;
    };
    const [open1, open2, over] = [await give(leaver), await give(leaver), await give(leaver)];
    await transitionComplaint({ database: db(), actor: { kind: 'agent', id: leaver.user.id, channel: 'console' }, code: over.code, to: 'withdrawn', reason: 'Khách rút' });
    const held = async (id: string) => (await db().db.execute<{ code: string }>(sql`select code from complaints where assignee_id = ${id} order by code`)).rows.map((r) => r.code);

    const off = await app.inject({ method: 'PATCH', url: `/api/v1/users/${leaver.user.id}`, payload: { active: false }, headers: admin.headers });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ active: false, handedBack: 2 });
    // The two being handled are back in the team's queue; the one that is over stays as it was.
    expect(await held(leaver.user.id)).toEqual([over.code]);
    for (const c of [open1, open2]) {
      const row = (await db().db.execute<{ assignee_id: string | null; team_id: string | null }>(sql`select assignee_id, team_id from complaints where id = ${c.id}`)).rows[0];
      expect(row).toEqual({ assignee_id: null, team_id: team });
      const detail = (await app.inject({ url: `/api/v1/complaints/${c.code}`, headers: admin.headers })).json() as { timeline: { type: string; payload: Record<string, unknown> }[] };
      expect(detail.timeline.at(-1)).toMatchObject({ type: 'assignment.changed', payload: { assigneeId: null, previousAssigneeId: leaver.user.id, reason: 'staff_left' } });
    }
    const trail = await db().db.execute<{ payload: Record<string, unknown> }>(sql`select payload from staff_account_events where user_id = ${leaver.user.id} and kind = 'updated' order by id`);
    expect(trail.rows.at(-1)?.payload).toMatchObject({ handedBack: 2 });

    // Made an auditor: the same; a name change hands nothing back.
    const kept = await give(mover);
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${mover.user.id}`, payload: { name: 'Tên mới' }, headers: admin.headers })).json().handedBack).toBeUndefined();
    expect(await held(mover.user.id)).toEqual([kept.code]);
    const audit = await app.inject({ method: 'PATCH', url: `/api/v1/users/${mover.user.id}`, payload: { role: 'auditor' }, headers: admin.headers });
    expect(audit.json()).toMatchObject({ role: 'auditor', handedBack: 1 });
    expect(await held(mover.user.id)).toEqual([]);
  });

  it('keeps an active admin: the last one cannot step down or be deactivated, and two admins demoting each other at once leave one', async () => {
    // Every admin but this test's own two is made an agent first, through the API (so the rule is what refuses).
    const first = await staffWithToken(db(), 'admin');
    const others = (await db().pool.query<{ id: string }>(`select id from staff_users where role = 'admin' and active and id <> $1`, [first.user.id])).rows;
    for (const o of others) {
      const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${o.id}`, payload: { role: 'supervisor' }, headers: first.headers });
      expect(res.statusCode, res.body).toBe(200);
    }
    for (const payload of [{ role: 'supervisor' }, { active: false }]) {
      const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${first.user.id}`, payload, headers: first.headers });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('last_admin');
    }
    const second = await staffWithToken(db(), 'admin');
    const [a, b] = await Promise.all([
      app.inject({ method: 'PATCH', url: `/api/v1/users/${second.user.id}`, payload: { role: 'agent' }, headers: first.headers }),
      app.inject({ method: 'PATCH', url: `/api/v1/users/${first.user.id}`, payload: { role: 'agent' }, headers: second.headers }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    // One wins; the other is refused, either as the last admin or, if it ran second, no longer an admin at all.
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const left = await db().pool.query(`select count(*)::int as n from staff_users where role = 'admin' and active`);
    expect(left.rows[0].n).toBe(1);
    // Put things back for the other tests.
    const winner = a.statusCode === 200 ? first : second;
    for (const o of others) await app.inject({ method: 'PATCH', url: `/api/v1/users/${o.id}`, payload: { role: 'admin' }, headers: winner.headers });
  });

  it('an admin resets a password: the old one stops working, sessions end, a login pause is lifted', async () => {
    const agent = await createStaff(db(), 'agent');
    const s = await session(agent.email);
    for (let i = 0; i < 3; i++) expect((await login(agent.email, 'doan-sai-mat-khau', `10.2.0.${i}`)).statusCode).toBe(401);
    expect((await login(agent.email)).statusCode).toBe(429);

    const short = await app.inject({ method: 'POST', url: `/api/v1/users/${agent.id}/password`, payload: { password: 'ngan' }, headers: admin.headers });
    expect(short.statusCode).toBe(422);
    expect((await me(s)).statusCode).toBe(200);
    const res = await app.inject({ method: 'POST', url: `/api/v1/users/${agent.id}/password`, payload: { password: 'mat-khau-do-admin-dat' }, headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('mat-khau-do-admin-dat');
    expect((await me(s)).statusCode).toBe(401);
    expect((await login(agent.email)).statusCode).toBe(401);
    expect((await login(agent.email, 'mat-khau-do-admin-dat')).statusCode).toBe(200);
    expect((await trail(agent.id))[0]).toMatchObject({ kind: 'password_reset', actor: { id: admin.user.id } });
  });

  it('a staff member changes their own password with the current one; their other sessions end, this one stays', async () => {
    const agent = await createStaff(db(), 'agent');
    const here = await session(agent.email);
    const phone = await session(agent.email);
    const change = (payload: object, headers = here.headers) => app.inject({ method: 'POST', url: '/api/v1/auth/password', payload, headers });

    const wrong = await change({ currentPassword: 'khong-phai-mat-khau', newPassword: 'ngan' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.fields).toEqual([
      expect.objectContaining({ field: 'currentPassword', code: 'wrong_password', message: 'Mật khẩu hiện tại không đúng.' }),
      expect.objectContaining({ field: 'newPassword', code: 'too_short' }),
    ]);
    expect((await me(phone)).statusCode).toBe(200);
    expect((await login(agent.email)).statusCode).toBe(200);
    // Without the CSRF token (another site's form) nothing changes.
    expect((await change({ currentPassword: TEST_PASSWORD, newPassword: 'mat-khau-moi-cua-toi' }, { cookie: here.cookie })).statusCode).toBe(403);

    const ok = await change({ currentPassword: TEST_PASSWORD, newPassword: 'mat-khau-moi-cua-toi' });
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await login(agent.email)).statusCode).toBe(401);
    expect((await login(agent.email, 'mat-khau-moi-cua-toi')).statusCode).toBe(200);
    expect((await trail(agent.id))[0]).toMatchObject({ kind: 'password_changed', actor: { id: agent.id } });
  });

  it('guessing the current password from a session counts toward the same pause as the login form', async () => {
    const agent = await createStaff(db(), 'agent');
    const s = await session(agent.email);
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: `doan-${i}-sai-roi`, newPassword: 'mat-khau-moi-dai-1' }, headers: s.headers });
      expect(res.statusCode).toBe(422);
    }
    const paused = await app.inject({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'mat-khau-moi-dai-1' }, headers: s.headers });
    expect(paused.statusCode).toBe(429);
    expect(paused.json().error.code).toBe('login_attempts_exceeded');
    expect((await login(agent.email)).statusCode).toBe(429);
  });

  it('pauses an account after too many wrong passwords from any address, in every Sen process, for known and unknown emails alike', async () => {
    const agent = await createStaff(db(), 'agent');
    // A success before the limit starts the count again.
    for (let i = 0; i < 2; i++) expect((await login(agent.email, 'sai-mat-khau-1', `10.3.0.${i}`)).statusCode).toBe(401);
    expect((await login(agent.email)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await login(agent.email.toUpperCase(), 'sai-mat-khau-2', `10.3.1.${i}`)).statusCode).toBe(401);

    const paused = await login(agent.email, TEST_PASSWORD, '10.3.2.1');
    expect(paused.statusCode).toBe(429);
    expect(paused.json().error).toMatchObject({ code: 'login_attempts_exceeded' });
    expect(paused.json().error.message).toContain('quá nhiều lần');
    const retryAfter = Number(paused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);

    const otherProcess = await buildTestApp(db(), { rateLimits: { ...testConfig().rateLimits, failedLoginsPerAccount: 3 } });
    try {
      const there = await otherProcess.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: TEST_PASSWORD }, remoteAddress: '10.3.3.1' });
      expect(there.statusCode).toBe(429);
    } finally {
      await otherProcess.close();
    }
    // An unknown email answers the same way, so the pause does not tell which accounts exist.
    for (let i = 0; i < 3; i++) expect((await login('khong.co.ai@sen.test', 'sai-mat-khau-3', `10.3.4.${i}`)).statusCode).toBe(401);
    expect((await login('khong.co.ai@sen.test', 'sai-mat-khau-3', '10.3.4.9')).statusCode).toBe(429);
    // The table holds no email in clear.
    const subjects = await db().pool.query<{ subject: string }>('select subject from failed_checks');
    expect(subjects.rows.some((r) => r.subject.includes('@'))).toBe(false);
  });

  it('lists and revokes API tokens: one’s own, or anyone’s as an admin; never the token itself', async () => {
    const agent = await staffWithToken(db(), 'agent');
    const other = await staffWithToken(db(), 'agent');
    const made = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'Tổng đài' }, headers: agent.headers });
    const token = made.json().token as string;
    const mine = await app.inject({ url: '/api/v1/auth/tokens', headers: agent.headers });
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as { id: string; name: string; revokedAt: string | null; lastUsedAt: string | null }[];
    expect(items.map((t) => t.name).sort()).toEqual(['Tổng đài', 'test']);
    expect(mine.body).not.toContain(token);
    expect(items.find((t) => t.name === 'test')!.lastUsedAt).not.toBeNull();
    const tongDai = items.find((t) => t.name === 'Tổng đài')!;

    const byOther = await app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${tongDai.id}`, headers: other.headers });
    expect(byOther.statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/complaints', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${tongDai.id}`, headers: agent.headers });
    expect(revoked.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/complaints', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/complaints', headers: agent.headers })).statusCode).toBe(200);

    const otherTokens = (await app.inject({ url: '/api/v1/auth/tokens', headers: other.headers })).json().items as { id: string }[];
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${otherTokens[0].id}`, headers: admin.headers })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/complaints', headers: other.headers })).statusCode).toBe(401);
    expect((await trail(other.user.id))[0]).toMatchObject({ kind: 'token_revoked', actor: { id: admin.user.id } });
    expect((await trail(agent.user.id)).map((e) => e.kind)).toEqual(['token_revoked', 'token_created', 'token_created', 'created']);
  });

  it('shows an account’s audit trail to admins and auditors only', async () => {
    const auditor = await staffWithToken(db(), 'auditor');
    const supervisor = await staffWithToken(db(), 'supervisor');
    expect((await app.inject({ url: `/api/v1/users/${supervisor.user.id}/events`, headers: auditor.headers })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/v1/users/${auditor.user.id}/events`, headers: supervisor.headers })).statusCode).toBe(403);
    for (const [method, url, payload] of [
      ['PATCH', `/api/v1/users/${auditor.user.id}`, { active: false }],
      ['POST', `/api/v1/users/${auditor.user.id}/password`, { password: 'mat-khau-tu-dat-1' }],
    ] as const) {
      expect((await app.inject({ method, url, payload, headers: supervisor.headers })).statusCode).toBe(403);
      expect((await app.inject({ method, url, payload, headers: auditor.headers })).statusCode).toBe(403);
    }
    expect((await me(await session(auditor.user.email))).statusCode).toBe(200);
  });
});

