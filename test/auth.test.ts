import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { buildTestApp, createStaff, seedComplaint, staffWithToken, TEST_PASSWORD } from './factories';

/** Every staff route, with the least role allowed and a role refused (null: every staff role may). */
const ROUTES: { method: 'GET' | 'POST' | 'PATCH'; url: string; body?: object; refused: 'auditor' | 'agent' | null }[] = [
  { method: 'GET', url: '/api/v1/complaints', refused: null },
  { method: 'POST', url: '/api/v1/complaints', body: {}, refused: 'auditor' },
  { method: 'GET', url: '/api/v1/complaints/KN-2026-000001', refused: null },
  { method: 'PATCH', url: '/api/v1/complaints/KN-2026-000001', body: {}, refused: 'auditor' },
  { method: 'POST', url: '/api/v1/complaints/KN-2026-000001/transitions', body: { to: 'acknowledged' }, refused: 'auditor' },
  { method: 'POST', url: '/api/v1/complaints/KN-2026-000001/assign', body: {}, refused: 'auditor' },
  { method: 'POST', url: '/api/v1/complaints/assignments', body: { codes: ['KN-2026-000001'], teamId: null }, refused: 'auditor' },
  { method: 'POST', url: '/api/v1/complaints/KN-2026-000001/notes', body: { body: 'x' }, refused: 'auditor' },
  { method: 'POST', url: '/api/v1/complaints/KN-2026-000001/replies', body: { body: 'x' }, refused: 'auditor' },
  { method: 'POST', url: '/api/v1/complaints/KN-2026-000001/survey-answer', body: { rating: 4 }, refused: 'auditor' },
  { method: 'GET', url: '/api/v1/customers/lookup?phone=0912345678', refused: null },
  { method: 'PATCH', url: '/api/v1/customers/00000000-0000-4000-8000-000000000000', body: { name: 'Mới' }, refused: 'auditor' },
  { method: 'GET', url: '/api/v1/categories', refused: null },
  { method: 'POST', url: '/api/v1/categories', body: { name: 'Mới' }, refused: 'agent' },
  { method: 'GET', url: '/api/v1/reply-templates', refused: null },
  { method: 'POST', url: '/api/v1/reply-templates', body: { name: 'Mẫu', body: 'Cảm ơn.' }, refused: 'agent' },
  { method: 'PATCH', url: '/api/v1/reply-templates/00000000-0000-4000-8000-000000000000', body: { active: false }, refused: 'agent' },
  { method: 'PATCH', url: '/api/v1/categories/00000000-0000-4000-8000-000000000000', body: { name: 'Mới' }, refused: 'agent' },
  { method: 'GET', url: '/api/v1/users', refused: null },
  { method: 'GET', url: '/api/v1/teams', refused: null },
  { method: 'GET', url: '/api/v1/auth/me', refused: null },
  { method: 'PATCH', url: '/api/v1/auth/me', body: { language: 'en' }, refused: null },
  { method: 'POST', url: '/api/v1/auth/tokens', body: { name: 't' }, refused: null },
];

describeEachDatabase('staff authentication and roles', (db) => {
  let app: FastifyInstance;
  const tokens: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    app = await buildTestApp(db(), { rateLimits: { login: 5, publicIntake: 1000, publicLookup: 1000, failedChecksPerContact: 1000, failedChecksPerAddress: 1000, failedLoginsPerAccount: 1000 } });
    for (const role of ['agent', 'supervisor', 'admin', 'auditor'] as const) tokens[role] = (await staffWithToken(db(), role)).headers;
  });
  afterAll(async () => app?.close());

  describe('requires authentication', () => {
    for (const r of ROUTES) {
      it(`${r.method} ${r.url} → 401 without credentials or with a bad token`, async () => {
        const anon = await app.inject({ method: r.method, url: r.url, payload: r.body });
        expect(anon.statusCode).toBe(401);
        expect(anon.json().error.code).toBe('unauthenticated');
        const bad = await app.inject({ method: r.method, url: r.url, payload: r.body, headers: { authorization: 'Bearer sen_nope' } });
        expect(bad.statusCode).toBe(401);
      });
    }
  });

  describe('every route in the API document', () => {
    // Open by design: the customer portal and public links (rate-limited, proven by code + contact or a
    // signed link), the HMAC-signed call-centre webhook, logging in and out, and the health check.
    const PUBLIC = [/^\/api\/v1\/(portal|public|webhooks)\//, /^\/api\/v1\/auth\/(login|logout)$/, /^\/healthz$/];
    // What a department member may reach: their session, notifications and the consultations addressed to them.
    const DEPARTMENT = [/^\/api\/v1\/auth\/(me|password)$/, /^\/api\/v1\/notifications/, /^\/api\/v1\/consultations(\/\{id\}(\/answer|\/files\/\{sha256\})?)?$/];
    // Writes open to an auditor: their own language, API tokens, password, notifications and saved views.
    const AUDITOR_WRITES = [/^\/api\/v1\/auth\/(me|tokens(\/\{id\})?|password)$/, /^\/api\/v1\/notifications\//, /^\/api\/v1\/views/];
    const SAMPLE: Record<string, string> = { code: 'KN-2026-000001', id: '00000000-0000-4000-8000-000000000000', sha256: 'a'.repeat(64), year: '2026', file: 'complaints.csv', '*': 'x' };
    const routes = async () => {
      const spec = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      return Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => ({ method: m.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path, url: path.replace(/\{([^}]+)\}/g, (_, name: string) => SAMPLE[name]) })),
      );
    };

    it('answers 401 to a caller without credentials on every staff route, 403 to a department member and to an auditor writing outside their own', async () => {
      const all = await routes();
      expect(all.length).toBeGreaterThan(60);
      const dept = (await staffWithToken(db(), 'department')).headers;
      const wrong: string[] = [];
      for (const r of all.filter((x) => !PUBLIC.some((p) => p.test(x.path)))) {
        const payload = r.method === 'GET' ? undefined : {};
        const anon = await app.inject({ method: r.method, url: r.url, payload });
        if (anon.statusCode !== 401) wrong.push(`${r.method} ${r.path}: ${anon.statusCode} anonymous`);
        if (!DEPARTMENT.some((p) => p.test(r.path))) {
          const d = await app.inject({ method: r.method, url: r.url, payload, headers: dept });
          if (d.statusCode !== 403) wrong.push(`${r.method} ${r.path}: ${d.statusCode} for a department member`);
        }
        if (r.method !== 'GET' && !AUDITOR_WRITES.some((p) => p.test(r.path))) {
          const a = await app.inject({ method: r.method, url: r.url, payload, headers: tokens.auditor });
          if (a.statusCode !== 403) wrong.push(`${r.method} ${r.path}: ${a.statusCode} for an auditor`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('refuses every role the API document does not name for a route (403) and lets every role it names through', async () => {
      const spec = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { description?: string }>> };
      const all = { ...tokens, department: (await staffWithToken(db(), 'department')).headers };
      const wrong: string[] = [];
      let checked = 0;
      for (const r of await routes()) {
        const named = /Roles: ([a-z, ]+)\./.exec(spec.paths[r.path][r.method.toLowerCase()].description ?? '')?.[1].split(', ');
        if (PUBLIC.some((p) => p.test(r.path))) {
          if (named) wrong.push(`${r.method} ${r.path}: public, yet names roles`);
          continue;
        }
        if (!named) {
          wrong.push(`${r.method} ${r.path}: names no roles`);
          continue;
        }
        checked++;
        for (const [role, headers] of Object.entries(all)) {
          const res = await app.inject({ method: r.method, url: r.url, payload: r.method === 'GET' ? undefined : {}, headers });
          const refused = res.statusCode === 403 && res.json().error.code === 'forbidden';
          if (refused === named.includes(role)) wrong.push(`${r.method} ${r.path}: ${res.statusCode} for ${role}, roles ${named.join(', ')}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(60);
      // Among them the admin-only routes, refused to a supervisor and an agent.
      const users = spec.paths['/api/v1/users'].post.description;
      expect(users).toContain('Roles: admin.');
    });
  });

  describe('checks the role', () => {
    for (const r of ROUTES.filter((x) => x.refused)) {
      it(`${r.method} ${r.url} → 403 for ${r.refused}`, async () => {
        const res = await app.inject({ method: r.method, url: r.url, payload: r.body, headers: tokens[r.refused!] });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      });
    }
    it('keeps a department member to their session and consultations: no complaint, customer or staff data', async () => {
      const dept = (await staffWithToken(db(), 'department')).headers;
      expect((await app.inject({ url: '/api/v1/auth/me', headers: dept })).statusCode).toBe(200);
      for (const url of ['/api/v1/complaints', '/api/v1/complaints/KN-2026-000001', '/api/v1/customers/lookup?phone=0912345678', '/api/v1/users', '/api/v1/reports/summary']) {
        expect((await app.inject({ url, headers: dept })).statusCode, url).toBe(403);
      }
      expect((await app.inject({ url: '/api/v1/consultations?mine=1', headers: dept })).statusCode).toBe(200);
    });
    it('lets an admin manage categories and an auditor read', async () => {
      const made = await app.inject({ method: 'POST', url: '/api/v1/categories', payload: { name: 'Hàng giả', nameEn: 'Counterfeit' }, headers: tokens.admin });
      expect(made.statusCode).toBe(201);
      const list = await app.inject({ url: '/api/v1/categories', headers: tokens.auditor });
      expect(list.json().items.map((c: { name: string }) => c.name)).toContain('Hàng giả');
    });
    it('does not let an agent assign a complaint to someone else, but a supervisor may', async () => {
      const other = await createStaff(db(), 'agent', 'Người Khác');
      const { code } = await seedComplaint(db());
      const byAgent = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/assign`, payload: { assigneeId: other.id }, headers: tokens.agent });
      expect(byAgent.statusCode).toBe(403);
      const bySupervisor = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/assign`, payload: { assigneeId: other.id }, headers: tokens.supervisor });
      expect(bySupervisor.statusCode).toBe(200);
      expect(bySupervisor.json().assignee).toEqual({ id: other.id, name: 'Người Khác' });
    });
  });

  describe('sessions', () => {
    it('logs in with a session cookie (httpOnly, SameSite) and needs the CSRF token to write', async () => {
      const user = await createStaff(db(), 'agent');
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email.toUpperCase(), password: TEST_PASSWORD } });
      expect(login.statusCode).toBe(200);
      const session = login.cookies.find((c) => c.name === 'sen_session')!;
      expect(session.httpOnly).toBe(true);
      expect(session.sameSite).toBe('Lax');
      const csrf = login.json().csrfToken as string;
      const cookie = `sen_session=${session.value}`;
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).json().user.email).toBe(user.email);
      const { code } = await seedComplaint(db());
      const noCsrf = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/notes`, payload: { body: 'ghi chú' }, headers: { cookie } });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.code).toBe('csrf_failed');
      const wrongCsrf = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/notes`, payload: { body: 'ghi chú' }, headers: { cookie, 'x-csrf-token': 'x'.repeat(csrf.length) } });
      expect(wrongCsrf.statusCode).toBe(403);
      const ok = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/notes`, payload: { body: 'ghi chú' }, headers: { cookie, 'x-csrf-token': csrf } });
      expect(ok.statusCode).toBe(201);
      // Logging out is a write too: without the token (another page's form) the session stays.
      const forged = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
      expect(forged.statusCode).toBe(403);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf } });
      expect(out.statusCode).toBe(204);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    });

    it('refuses a wrong password with the same answer as an unknown email', async () => {
      const user = await createStaff(db(), 'agent');
      const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'sai-mat-khau-1' }, remoteAddress: '10.0.0.2' });
      const unknown = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@sen.test', password: 'sai-mat-khau-1' }, remoteAddress: '10.0.0.2' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toBe(unknown.body);
    });

    it('stores passwords as argon2id hashes', async () => {
      const user = await createStaff(db(), 'agent');
      const r = await db().pool.query('select password_hash from staff_users where id = $1', [user.id]);
      expect(r.rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(r.rows[0].password_hash).not.toContain(TEST_PASSWORD);
    });

    it('rate-limits login attempts per address', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@sen.test', password: 'abcdefghijk' }, remoteAddress: '10.9.9.9' });
        codes.push(res.statusCode);
      }
      expect(codes.slice(0, 5).every((c) => c === 401)).toBe(true);
      expect(codes.slice(5)).toEqual([429, 429]);
      const elsewhere = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@sen.test', password: 'abcdefghijk' }, remoteAddress: '10.9.9.10' });
      expect(elsewhere.statusCode).toBe(401);
    });

    it('issues API tokens that work as Bearer and need no CSRF', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'tích hợp' }, headers: tokens.agent });
      expect(res.statusCode).toBe(201);
      const token = res.json().token as string;
      const { code } = await seedComplaint(db());
      const note = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/notes`, payload: { body: 'qua API' }, headers: { authorization: `Bearer ${token}` } });
      expect(note.statusCode).toBe(201);
      const stored = await db().pool.query('select count(*)::int as n from api_tokens where token_hash = $1', [token]);
      expect(stored.rows[0].n).toBe(0);
    });
  });
});
