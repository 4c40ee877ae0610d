/**
 * The portal's guard against guessing: a customer proves who they are with a complaint code and the phone or email
 * it was filed with, and codes run in sequence (KN-2026-000001, …002), so someone who knows a phone number could try
 * code after code. Every route that checks a code against a contact counts its failures (answered 404
 * complaint_not_found) per contact and per client address, across all such routes; past the limit in an hour, that
 * contact — or that address — is refused (429, Retry-After) for the rest of the hour, even with the right code. The
 * customer's signed status link (in every mail) still opens the complaint. Counts are kept in the database (hashed),
 * so that every Sen process on it counts together; the per-route rate limits stay per process.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normalizeEmail, normalizePhone } from '../domain/contacts';
import { AppError } from '../domain/errors';
import type { Database } from '../db/open';
import { checkSubject, FailureLedger } from '../db/queries/failed-checks';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route that checks a complaint code against the customer's contact (see registerContactGuard). */
    contactChecked?: boolean;
  }
}

/** The contact a request names, normalised as the check compares it (E.164 phone, lower-case email); null if none or not one. */
function contactOf(request: FastifyRequest): string | null {
  const from = (x: unknown) => (x && typeof x === 'object' && 'contact' in x && typeof x.contact === 'string' ? x.contact : null);
  const raw = from(request.body) ?? from(request.query);
  if (!raw) return null;
  const contact = raw.includes('@') ? normalizeEmail(raw) : normalizePhone(raw);
  return contact || null;
}

/** Every route under /api/v1/portal/complaints/:code takes the code and the customer's contact. */
const CHECKED = /^\/api\/v1\/portal\/complaints\/:code(\/|$)/;

/** Installs the guard; call before the routes are registered. */
export function registerContactGuard(
  app: FastifyInstance,
  database: Database,
  limits: { failedChecksPerContact: number; failedChecksPerAddress: number },
  now: () => number = Date.now,
): void {
  const ledger = new FailureLedger(database, now);
  app.addHook('onRoute', (route) => {
    if (CHECKED.test(route.url)) route.config = { ...(route.config ?? {}), contactChecked: true };
  });
  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.config.contactChecked) return;
    const contact = contactOf(request);
    const wait = await ledger.blockedFor([
      { subject: checkSubject('address', request.ip), max: limits.failedChecksPerAddress },
      ...(contact ? [{ subject: checkSubject('contact', contact), max: limits.failedChecksPerContact }] : []),
    ]);
    if (wait) throw new AppError('contact_checks_exceeded', { retryAfterSeconds: wait });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.routeOptions.config.contactChecked || reply.statusCode !== 404) return payload;
    if (typeof payload !== 'string' || !payload.includes('"complaint_not_found"')) return payload;
    const contact = contactOf(request);
    await ledger
      .fail([checkSubject('address', request.ip), ...(contact ? [checkSubject('contact', contact)] : [])])
      .catch((err: unknown) => request.log.warn({ err }, 'failed check not counted'));
    return payload;
  });
}
