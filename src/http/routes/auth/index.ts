import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TLoginInput, TOwnSettings, TPasswordChange } from '../../../domain/schemas';
import { createApiToken, findSession, logIn, logOut } from '../../../commands/staff-accounts';
import { changeOwnPassword, revokeApiToken, setOwnSettings } from '../../../commands/manage-staff';
import { listApiTokens } from '../../../db/queries/directory';
import { can } from '../../../policies';
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
      const { user, sessionToken, csrfToken } = await logIn({ database, ...request.body, maxFailures: config.rateLimits.failedLoginsPerAccount });
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

  app.patch(
    '/api/v1/auth/me',
    {
      preValidation: requireAbility(database, 'session.read'),
      schema: {
        tags: ['auth'],
        summary: 'Your own settings: the language the console opens in and your mails from Sen are written in; whether unread news of your complaints is mailed to you',
        body: TOwnSettings,
      },
    },
    async (request) => {
      const { user } = staffActor(request);
      const account = await setOwnSettings({ database, userId: user.id, language: request.body.language, mailDigest: request.body.mailDigest });
      return { user: { ...user, language: account.language, mailDigest: account.mailDigest }, csrfToken: request.cookies[CSRF_COOKIE] ?? null };
    },
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

  app.get(
    '/api/v1/auth/tokens',
    {
      preValidation: requireAbility(database, 'token.create'),
      schema: { tags: ['auth'], summary: "The current user's API tokens (names and dates; a token itself is shown only when made)" },
    },
    async (request) => ({ items: await listApiTokens(database, staffActor(request).user.id) }),
  );

  app.delete(
    '/api/v1/auth/tokens/:id',
    {
      preValidation: requireAbility(database, 'token.create'),
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token at once: one of your own, or any as an admin',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const { user } = staffActor(request);
      await revokeApiToken({ database, actorId: user.id, tokenId: request.params.id, anyOwner: can(user.role, 'staff.manage') });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      preValidation: requireAbility(database, 'session.read'),
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (gives the current one); your other sessions end',
        body: TPasswordChange,
      },
    },
    async (request, reply) => {
      await changeOwnPassword({
        database,
        userId: staffActor(request).user.id,
        ...request.body,
        keepSessionToken: request.cookies[SESSION_COOKIE],
        maxFailures: config.rateLimits.failedLoginsPerAccount,
      });
      return reply.status(204).send();
    },
  );
};
