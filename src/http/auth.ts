import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import type { Actor } from '../commands/actor';
import { findApiToken, findSession, type StaffUser } from '../commands/staff-accounts';
import { can, rolesWith, type Ability } from '../policies';

export const SESSION_COOKIE = 'sen_session';
export const CSRF_COOKIE = 'sen_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffUser | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Finds who is calling: an API token (no CSRF needed) or a session cookie (CSRF header required on writes). */
async function authenticate(database: Database, request: FastifyRequest): Promise<StaffUser> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const user = await findApiToken(database, header.slice(7).trim());
    if (!user) throw new AppError('unauthenticated');
    return user;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) throw new AppError('unauthenticated');
  const session = await findSession(database, token);
  if (!session) throw new AppError('unauthenticated');
  if (!SAFE_METHODS.has(request.method)) requireCsrfToken(request, session);
  return session.user;
}

/** A write with a session cookie must carry the session's CSRF token in X-CSRF-Token (403 csrf_failed). */
export function requireCsrfToken(request: FastifyRequest, session: { csrfToken: string }): void {
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) throw new AppError('csrf_failed');
}

const ABILITY = Symbol('ability');

/** A preValidation hook: the caller must be logged in and their role must have `ability`. */
export function requireAbility(database: Database, ability: Ability) {
  const check = async (request: FastifyRequest, _reply: FastifyReply) => {
    const user = await authenticate(database, request);
    if (!can(user.role, ability)) throw new AppError('forbidden');
    request.staff = user;
  };
  return Object.assign(check, { [ABILITY]: ability });
}

/** The ability a route's preValidation (requireAbility) demands; undefined: not a staff route. */
export function routeAbility(preValidation: unknown): Ability | undefined {
  const hooks: unknown[] = Array.isArray(preValidation) ? preValidation : [preValidation];
  for (const h of hooks) if (typeof h === 'function' && ABILITY in h) return (h as { [ABILITY]: Ability })[ABILITY];
  return undefined;
}

/** Whether only staff reach the route (its preValidation is requireAbility). */
export function isStaffRoute(preValidation: unknown): boolean {
  return routeAbility(preValidation) !== undefined;
}

/** Each staff route's OpenAPI operation names the roles that may call it ("Roles: agent, supervisor, admin."). */
export function documentRoles(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const ability = routeAbility(route.preValidation);
    if (!ability) return;
    const schema = (route.schema ??= {});
    const roles = `Roles: ${rolesWith(ability).join(', ')}.`;
    schema.description = schema.description ? `${schema.description}\n\n${roles}` : roles;
    schema.security ??= [{ session: [] }, { bearer: [] }];
  });
}

/** The acting staff member of an authenticated request, as recorded on timeline events. */
export function staffActor(request: FastifyRequest): Actor & { user: StaffUser } {
  const user = request.staff;
  if (!user) throw new AppError('unauthenticated');
  const viaToken = request.headers.authorization?.startsWith('Bearer ');
  return { kind: user.role, id: user.id, channel: viaToken ? 'api' : 'console', user };
}
