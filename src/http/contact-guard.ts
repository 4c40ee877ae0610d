/**
 * The portal's guard against guessing: a customer proves who they are with a complaint code and the phone or email
 * it was filed with, and codes run in sequence (KN-2026-000001, …002), so someone who knows a phone number could try
 * code after code. Every route that checks a code against a contact counts its failures (answered 404
 * complaint_not_found) per contact and per client address, across all such routes; past the limit in an hour, that
 * contact — or that address — is refused (429, Retry-After) for the rest of the hour, even with the right code. The
 * customer's signed status link (in every mail) still opens the complaint. Counts are kept in this process's memory,
 * as the per-route rate limits are.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normalizeEmail, normalizePhone } from '../domain/contacts';
import { AppError } from '../domain/errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route that checks a complaint code against the customer's contact (see registerContactGuard). */
    contactChecked?: boolean;
  }
}

const HOUR = 3_600_000;
/** Entries kept at most per kind; the oldest are dropped beyond it (memory stays bounded under a flood of addresses). */
const MAX_ENTRIES = 100_000;

/** Failures per key in a fixed window that starts at the first failure. */
export class FailureCounter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs = HOUR,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the key may try again, or 0 when it may now. */
  blockedFor(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const left = e.resetAt - this.now();
    if (left <= 0) {
      this.entries.delete(key);
      return 0;
    }
    return e.count >= this.max ? Math.ceil(left / 1000) : 0;
  }

  fail(key: string): void {
    const t = this.now();
    const e = this.entries.get(key);
    if (e && e.resetAt > t) {
      e.count += 1;
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, { count: 1, resetAt: t + this.windowMs });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
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
export function registerContactGuard(app: FastifyInstance, limits: { failedChecksPerContact: number; failedChecksPerAddress: number }, now: () => number = Date.now): void {
  const byContact = new FailureCounter(limits.failedChecksPerContact, HOUR, now);
  const byAddress = new FailureCounter(limits.failedChecksPerAddress, HOUR, now);
  app.addHook('onRoute', (route) => {
    if (CHECKED.test(route.url)) route.config = { ...(route.config ?? {}), contactChecked: true };
  });
  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.config.contactChecked) return;
    const contact = contactOf(request);
    const wait = Math.max(byAddress.blockedFor(request.ip), contact ? byContact.blockedFor(contact) : 0);
    if (wait) throw new AppError('contact_checks_exceeded', { retryAfterSeconds: wait });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.routeOptions.config.contactChecked || reply.statusCode !== 404) return payload;
    if (typeof payload !== 'string' || !payload.includes('"complaint_not_found"')) return payload;
    byAddress.fail(request.ip);
    const contact = contactOf(request);
    if (contact) byContact.fail(contact);
    return payload;
  });
}
