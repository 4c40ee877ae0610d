import { expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { buildTestApp, createStaff, staffWithToken, TEST_PASSWORD } from './factories';

/**
 * Ngôn ngữ của nhân viên — each account's language: the console opens in it at login (on any computer) and Sen's
 * mails to them are written in it (test/sla.test.ts). Set by the staff member, or by an admin.
 */
describeEachDatabase('a staff member’s language', (db) => {
  const withApp = async (body: (app: FastifyInstance) => Promise<void>) => {
    const app = await buildTestApp(db());
    try {
      await body(app);
    } finally {
      await app.close();
    }
  };
  const logIn = async (app: FastifyInstance, email: string) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
    expect(r.statusCode, r.body).toBe(200);
    const session = r.cookies.find((c) => c.name === 'sen_session')!;
    return { user: r.json().user, headers: { cookie: `sen_session=${session.value}`, 'x-csrf-token': r.json().csrfToken as string } };
  };

  it('is Vietnamese at first, kept when the member chooses English, given at every login and recorded in the account’s trail', () =>
    withApp(async (app) => {
      const user = await createStaff(db(), 'agent');
      const first = await logIn(app, user.email);
      expect(first.user.language).toBe('vi');
      const set = await app.inject({ method: 'PATCH', url: '/api/v1/auth/me', payload: { language: 'en' }, headers: first.headers });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json().user).toMatchObject({ id: user.id, email: user.email, language: 'en' });
      expect((await app.inject({ url: '/api/v1/auth/me', headers: first.headers })).json().user.language).toBe('en');
      // Another computer: the login answers with it.
      expect((await logIn(app, user.email)).user.language).toBe('en');
      // Choosing it again records nothing more.
      await app.inject({ method: 'PATCH', url: '/api/v1/auth/me', payload: { language: 'en' }, headers: first.headers });
      const admin = await staffWithToken(db(), 'admin');
      const trail = (await app.inject({ url: `/api/v1/users/${user.id}/events`, headers: admin.headers })).json().items as {
        kind: string;
        payload: { changes?: Record<string, unknown> };
        actor: { id: string } | null;
      }[];
      const changes = trail.filter((e) => e.kind === 'updated');
      expect(changes).toHaveLength(1);
      expect(changes[0].payload.changes).toEqual({ language: ['vi', 'en'] });
    }));

  it('refuses another language, an unknown field or a write without the CSRF token, changing nothing', () =>
    withApp(async (app) => {
      const user = await createStaff(db(), 'supervisor');
      const { headers } = await logIn(app, user.email);
      for (const payload of [{ language: 'fr' }, { language: 'en', theme: 'dark' }, {}]) {
        const r = await app.inject({ method: 'PATCH', url: '/api/v1/auth/me', payload, headers: { ...headers, 'accept-language': 'vi' } });
        expect(r.statusCode, JSON.stringify(payload)).toBe(422);
        expect(r.json().error.code).toBe('validation_failed');
        expect(r.json().error.fields.length).toBeGreaterThan(0);
      }
      const bad = await app.inject({ method: 'PATCH', url: '/api/v1/auth/me', payload: { language: 'fr' }, headers });
      expect(bad.json().error.fields[0].field).toBe('language');
      const forged = await app.inject({ method: 'PATCH', url: '/api/v1/auth/me', payload: { language: 'en' }, headers: { cookie: headers.cookie } });
      expect(forged.statusCode).toBe(403);
      expect((await app.inject({ url: '/api/v1/auth/me', headers })).json().user.language).toBe('vi');
    }));

  it('is given by an admin when adding or editing an account, listed, and checked', () =>
    withApp(async (app) => {
      const admin = await staffWithToken(db(), 'admin');
      const email = `en.${Date.now()}@sen.test`;
      const added = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { email, name: 'Anna Smith', role: 'agent', password: TEST_PASSWORD, language: 'en' },
        headers: admin.headers,
      });
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json().language).toBe('en');
      expect((await logIn(app, email)).user.language).toBe('en');
      const listed = (await app.inject({ url: '/api/v1/users', headers: admin.headers })).json().items as { email: string; language: string }[];
      expect(listed.find((u) => u.email === email)?.language).toBe('en');
      const edited = await app.inject({ method: 'PATCH', url: `/api/v1/users/${added.json().id}`, payload: { language: 'vi' }, headers: admin.headers });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json().language).toBe('vi');
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: `x${email}`, name: 'X', role: 'agent', password: TEST_PASSWORD, language: 'de' },
        headers: admin.headers,
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.fields[0].field).toBe('language');
      const none = (await app.inject({ url: '/api/v1/users', headers: admin.headers })).json().items as { email: string }[];
      expect(none.some((u) => u.email === `x${email}`)).toBe(false);
    }));
});
