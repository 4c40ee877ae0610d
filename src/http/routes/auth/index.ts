import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TLoginInput } from '../../../domain/schemas';
import { createApiToken, findSession, logIn, logOut } from '../../../commands/staff-accounts';
import { CSRF_COOKIE, SESSION_COOKIE, requireAbility, requireCsrfToken, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

const SESSION_MAX_AGE = 7 * 24 * 3600;

/** Đăng nhập / đăng xuất and API tokens. */
export const authRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  app.post(
    '/api/v1/auth/login',
    {
      config: { rateLimit: { max: config.rateLimits.login, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Log in (sets the session cookie)', body: TLoginInput },
    },
    async (request, reply) => {
      const { user, sessionToken, csrfToken } = await logIn({ database, ...request.body });
      const cookie = { path: '/', sameSite: 'lax' as const, secure: config.secureCookies, maxAge: SESSION_MAX_AGE };
      reply.setCookie(SESSION_COOKIE, sessionToken, { ...cookie, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, csrfToken, { ...cookie, httpOnly: false });
      return { user, csrfToken };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Log out' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    // A live session ends only with its CSRF token: another page cannot log a staff member out. One already over just clears the cookies.
    const session = token ? await findSession(database, token) : null;
    if (session) requireCsrfToken(request, session);
    if (token) await logOut(database, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get(
    '/api/v1/auth/me',
    { preValidation: requireAbility(database, 'session.read'), schema: { tags: ['auth'], summary: 'The logged-in user' } },
    async (request) => ({ user: request.staff, csrfToken: request.cookies[CSRF_COOKIE] ?? null }),
  );

  app.post(
    '/api/v1/auth/tokens',
    {
      preValidation: requireAbility(database, 'token.create'),
      // The token is shown once: a retry with the same Idempotency-Key makes no second one and is told so (409).
      config: { idempotency: 'secret' },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for the current user',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const token = await createApiToken(database, staffActor(request).user.id, request.body.name);
      return reply.status(201).send({ token });
    },
  );
};
