import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import { TCallCenterEvent, TCallInput } from '../../../domain/schemas';
import { AppError } from '../../../domain/errors';
import { normalizePhone, nationalPhone } from '../../../domain/contacts';
import { verifyWebhook } from '../../../domain/webhook-signature';
import { logCall } from '../../../commands/log-call';
import { recordCallEvent } from '../../../commands/record-call-event';
import { toAppError } from '../../../db/errors';
import { requireAbility, staffActor } from '../../auth';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf } from '../../idempotency';
import type { RouteDeps } from '../../app';

/** The hotline: the agents' fast call form, and the signed webhook of the call-centre system. */
export const callRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  app.post(
    '/api/v1/calls',
    {
      preValidation: requireAbility(database, 'complaint.contact'),
      config: { idempotency: 'own' },
      schema: {
        tags: ['hotline'],
        summary: 'Log a hotline call: attach it to a complaint or open a new one (it counts as first contact)',
        headers: IDEMPOTENCY_HEADER,
        body: TCallInput,
      },
    },
    async (request, reply) => {
      const r = await logCall({
        database,
        actor: staffActor(request),
        input: request.body,
        receipt: { baseUrl: config.baseUrl, companyName: config.companyName },
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/v1/calls/recent',
    {
      preValidation: requireAbility(database, 'complaint.contact'),
      schema: {
        tags: ['hotline'],
        summary: 'Calls the call-centre reported in the last 2 hours that no complaint holds yet (newest first)',
        querystring: Type.Object({ caller: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const caller = request.query.caller ? normalizePhone(request.query.caller) : null;
      try {
        const rows = await database.db.execute<Record<string, unknown>>(sql`
          select id, caller_e164, agent_ref, started_at, ended_at, duration_seconds, recording_url from calls
          where complaint_id is null and provider_call_id is not null and created_at > now() - interval '2 hours'
            ${caller ? sql`and caller_e164 = ${caller}` : sql``}
          order by created_at desc limit 20`);
        return {
          items: rows.rows.map((r) => ({
            id: r.id as string,
            caller: r.caller_e164 ? nationalPhone(r.caller_e164 as string) : null,
            agent: (r.agent_ref as string | null) ?? null,
            startedAt: r.started_at ? new Date(r.started_at as string).toISOString() : null,
            endedAt: r.ended_at ? new Date(r.ended_at as string).toISOString() : null,
            durationSeconds: (r.duration_seconds as number | null) ?? null,
            recordingUrl: (r.recording_url as string | null) ?? null,
          })),
        };
      } catch (err) {
        throw toAppError(err);
      }
    },
  );

  // The webhook checks an HMAC over the exact bytes received, so this plugin keeps the raw body.
  await app.register(async (plain) => {
    const hook = plain.withTypeProvider<TypeBoxTypeProvider>();
    const rawBodies = new WeakMap<FastifyRequest, string>();
    hook.removeContentTypeParser('application/json');
    hook.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
      rawBodies.set(request, body as string);
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('malformed_json'), undefined);
      }
    });
    hook.post(
      '/api/v1/webhooks/call-center',
      {
        config: { rateLimit: { max: 600, timeWindow: '1 minute' } },
        schema: {
          tags: ['hotline'],
          summary: 'Call-centre events (call.started, call.ended), signed',
          description:
            'Headers: `X-Sen-Timestamp` (Unix seconds) and `X-Sen-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the shared secret CALL_CENTER_WEBHOOK_SECRET>`. ' +
            'Requests older than 5 minutes are refused as replays (401). The same event sent twice changes nothing more.',
          headers: Type.Object({
            'x-sen-timestamp': Type.Optional(Type.String({ maxLength: 20 })),
            'x-sen-signature': Type.Optional(Type.String({ maxLength: 100 })),
          }),
          body: TCallCenterEvent,
          response: { 200: Type.Object({ callId: Type.String() }) },
        },
        // The signature is checked before the body is validated: an unsigned caller learns nothing.
        preValidation: async (request) => {
          if (!config.callCenterSecret) throw new AppError('not_found');
          const check = verifyWebhook(
            config.callCenterSecret,
            { timestamp: request.headers['x-sen-timestamp'] as string | undefined, signature: request.headers['x-sen-signature'] as string | undefined },
            rawBodies.get(request) ?? '',
            Math.floor(Date.now() / 1000),
          );
          if (check.ok) return;
          throw new AppError(check.reason === 'stale' ? 'webhook_stale' : check.reason === 'missing' ? 'webhook_unsigned' : 'webhook_bad_signature');
        },
      },
      async (request) => recordCallEvent({ database, event: request.body }),
    );
  });
};
