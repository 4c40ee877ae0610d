import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import { holdingClaim, KeyTaken, type RequestClaim } from '../commands/request-claim';
import { isStaffRoute } from './auth';
import { canonicalJson } from '../domain/timeline-hash';

/** The Idempotency-Key header of a create, if the client sent one. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && key.trim() ? key.trim() : undefined;
}

/** The header as the OpenAPI document and validation know it (at most 200 characters). */
export const IDEMPOTENCY_HEADER = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) });

/** How long a retry waits for the first request of the same key to answer, before 409 (try again). */
const WAIT_MS = 10_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this staff write holds: its answer is kept for a retry. */
    idempotencyClaim?: RequestClaim;
  }
  interface FastifyContextConfig {
    /**
     * 'own': the route keeps its keys itself (complaints, calls, proposals…). 'secret': its answer is shown
     * once (an API token) and never kept: a retry is told the first request was carried out.
     */
    idempotency?: 'own' | 'secret';
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Kept {
  requestHash: string;
  status: number | null;
  body: string | null;
  ageMs: number;
}

async function findKept(database: Database, claim: RequestClaim): Promise<Kept | null> {
  const r = await database.db.execute<{ request_hash: string; response_status: number | null; response_body: string | null; age_ms: number }>(sql`
    select request_hash, response_status, response_body, (extract(epoch from now() - created_at) * 1000)::float8 as age_ms
    from idempotency_keys where scope = ${claim.scope} and key = ${claim.key}`);
  const row = r.rows[0];
  return row ? { requestHash: row.request_hash, status: row.response_status, body: row.response_body, ageMs: Number(row.age_ms) } : null;
}

/**
 * The first answer for this key, waiting while the first request is still running. Throws
 * idempotency_key_reused when the key came with another request, idempotency_key_in_progress (409, retry)
 * when the first is still running after WAIT_MS.
 */
async function firstAnswer(database: Database, claim: RequestClaim, kept: Kept): Promise<Kept> {
  const started = Date.now();
  for (;;) {
    if (kept.requestHash !== claim.requestHash) throw new AppError('idempotency_key_reused');
    if (kept.status !== null) return kept;
    // Carried out, but its answer was never kept (the process stopped between the two): not done again.
    if (kept.ageMs > 60_000) throw new AppError('idempotency_key_used');
    if (Date.now() - started > WAIT_MS) throw new AppError('idempotency_key_in_progress', { retryAfterSeconds: 1 });
    await sleep(25);
    kept = (await findKept(database, claim)) ?? kept;
  }
}

function replay(reply: FastifyReply, kept: Kept) {
  if (kept.body === null) throw new AppError('idempotency_key_used');
  if (kept.body === '') return reply.status(kept.status!).header('Idempotent-Replayed', 'true').send();
  return reply.status(kept.status!).header('Idempotent-Replayed', 'true').type('application/json; charset=utf-8').send(kept.body);
}

function requestHash(request: FastifyRequest): string {
  // A multipart body is read by the route itself; its key stands for the upload. A JSON body is compared
  // whatever the order of its fields.
  const body = request.isMultipart() ? '' : canonicalJson(request.body ?? null);
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

/**
 * Idempotency-Key on every staff write that does not keep its keys itself: the first answer (status and
 * body) is kept for REPLAY_HOURS (request-claim.ts) and given again to a retry with the same key and request (header
 * Idempotent-Replayed: true), also to one arriving while the first still runs; the key goes into the
 * database with the write's change (request-claim.ts), so two never both make a record.
 */
export function registerIdempotentReplays(app: FastifyInstance, database: Database): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = ([] as string[]).concat(route.method);
    if (!methods.some((m) => WRITES.has(m)) || !isStaffRoute(route.preValidation)) return;
    if (route.config?.idempotency === 'own') return;
    const schema = (route.schema ??= {});
    schema.headers ??= IDEMPOTENCY_HEADER;
    const handler = route.handler;
    route.handler = async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const key = idempotencyKeyOf(request);
      if (!key || !request.staff) return handler.call(this, request, reply);
      const claim: RequestClaim = { scope: `http:${request.staff.id}`, key, requestHash: requestHash(request), state: 'open' };
      const kept = await findKept(database, claim);
      if (kept) return replay(reply, await firstAnswer(database, claim, kept));
      request.idempotencyClaim = claim;
      try {
        return await holdingClaim(claim, () => Promise.resolve(handler.call(this, request, reply)));
      } catch (err) {
        if (!(err instanceof KeyTaken)) throw err;
        request.idempotencyClaim = undefined;
        const first = await findKept(database, claim);
        if (!first) throw new AppError('idempotency_key_in_progress', { retryAfterSeconds: 1 });
        return replay(reply, await firstAnswer(database, claim, first));
      }
    };
  });

  // The answer is kept once sent: a success always; a failure only when the request's change was
  // already committed with the key (a retry must not do it again); otherwise a retry runs afresh.
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = undefined;
    const ok = reply.statusCode < 300;
    if (!ok && claim.state !== 'claimed') return payload;
    const secret = request.routeOptions.config.idempotency === 'secret';
    // An answer without a body (204) is kept as '' and replayed as such; a stream (a file) is not kept.
    const body = secret ? null : typeof payload === 'string' ? payload : payload == null ? '' : null;
    try {
      await database.db.execute(sql`
        insert into idempotency_keys as k (scope, key, request_hash, response_status, response_body)
        values (${claim.scope}, ${claim.key}, ${claim.requestHash}, ${reply.statusCode}, ${body})
        on conflict (scope, key) do update set response_status = excluded.response_status, response_body = excluded.response_body
        where k.request_hash = excluded.request_hash and k.response_status is null`);
    } catch (err) {
      // The change is made and answered; a retry will be told so (idempotency_key_used) instead of replayed.
      request.log.warn({ err }, 'idempotent answer not kept');
    }
    return payload;
  });
}
