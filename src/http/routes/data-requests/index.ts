import { logAccessMany } from '../../access-log';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { closeDataRequest, extendDataRequest, registerDataRequest, replyToDataRequest } from '../../../commands/manage-data-requests';
import { listDataBreaches, listDataRequests } from '../../../db/queries/personal-data';
import { closeDataBreach, recordBreachNotice, recordDataBreach } from '../../../commands/manage-data-breaches';
import { parseInstant } from '../../../domain/time';
import { AppError } from '../../../domain/errors';
import { presentDataBreach, presentDataRequest } from '../../../presenters/personal-data';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

const TId = Type.Object({ id: Type.String({ maxLength: 40 }) });

/**
 * Requests of data subjects about their personal data (Decree 356/2025): the queue and its four steps; and
 * personal-data breaches with their notice to the authority within 72 hours (Law 91/2025).
 */
export const dataRequestRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/data-requests',
    {
      preValidation: requireAbility(database, 'personal_data.audit'),
      schema: {
        tags: ['personal data'],
        summary: 'Data-subject requests, nearest deadline first (admin, auditor)',
        querystring: Type.Object(
          { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')])) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const now = new Date();
      const items = await listDataRequests(database, request.query.status ?? 'open');
      await logAccessMany(database, request, items.flatMap((r) => (r.customer ? [r.customer.id] : [])), 'data_requests.view');
      return { items: items.map((r) => presentDataRequest(r, now)) };
    },
  );

  app.post(
    '/api/v1/data-requests',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['personal data'],
        summary: 'Register a data-subject request: reply due in 2 working days, done in 15 days (admin)',
        body: Type.Object(
          {
            requesterName: Type.String({ maxLength: 400 }),
            contact: Type.String({ maxLength: 400 }),
            kind: Type.String({ maxLength: 40 }),
            channel: Type.String({ maxLength: 40 }),
            details: Type.Optional(Type.String({ maxLength: 8000 })),
            receivedAt: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { receivedAt, ...input } = request.body;
      const at = receivedAt ? parseInstant(receivedAt) : undefined;
      if (at === null) throw new AppError('validation_failed', { fields: [{ field: 'receivedAt', code: 'invalid_date' }] });
      const made = await registerDataRequest({ database, actor: staffActor(request), input: { ...input, receivedAt: at } });
      return reply.status(201).send(presentDataRequest(made));
    },
  );

  app.post(
    '/api/v1/data-requests/:id/reply',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['personal data'],
        summary: 'Record the reply to the requester (admin)',
        params: TId,
        body: Type.Object({ note: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
      },
    },
    async (request) =>
      presentDataRequest(await replyToDataRequest({ database, actor: staffActor(request), id: request.params.id, note: request.body.note })),
  );

  app.post(
    '/api/v1/data-requests/:id/extend',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['personal data'],
        summary: 'Extend the deadline once, by up to 15 days, with the reason (admin)',
        params: TId,
        body: Type.Object({ days: Type.Number(), reason: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
      },
    },
    async (request) =>
      presentDataRequest(
        await extendDataRequest({ database, actor: staffActor(request), id: request.params.id, days: request.body.days, reason: request.body.reason }),
      ),
  );

  app.post(
    '/api/v1/data-requests/:id/close',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['personal data'],
        summary: 'Close as done or refused, saying what was done or why not (admin)',
        params: TId,
        body: Type.Object({ outcome: Type.String({ maxLength: 20 }), note: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
      },
    },
    async (request) =>
      presentDataRequest(
        await closeDataRequest({ database, actor: staffActor(request), id: request.params.id, outcome: request.body.outcome, note: request.body.note }),
      ),
  );

  app.get(
    '/api/v1/data-breaches',
    {
      preValidation: requireAbility(database, 'personal_data.audit'),
      schema: { tags: ['personal data'], summary: 'Personal-data breaches, open ones first (admin, auditor)' },
    },
    async () => {
      const now = new Date();
      return { items: (await listDataBreaches(database)).map((b) => presentDataBreach(b, now)) };
    },
  );

  const instant = (field: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const at = parseInstant(v);
    if (!at) throw new AppError('validation_failed', { fields: [{ field, code: 'invalid_date' }] });
    return at;
  };

  app.post(
    '/api/v1/data-breaches',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['personal data'],
        summary: 'Record a breach: its notice to the authority (A05) is due 72 hours after discovery (admin)',
        body: Type.Object(
          {
            discoveredAt: Type.Optional(Type.String({ maxLength: 40 })),
            description: Type.String({ maxLength: 8000 }),
            dataKinds: Type.Optional(Type.String({ maxLength: 2000 })),
            affectedCount: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
            measures: Type.Optional(Type.String({ maxLength: 8000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { discoveredAt, ...input } = request.body;
      const made = await recordDataBreach({ database, actor: staffActor(request), input: { ...input, discoveredAt: instant('discoveredAt', discoveredAt) } });
      return reply.status(201).send(presentDataBreach(made));
    },
  );

  app.post(
    '/api/v1/data-breaches/:id/notice',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['personal data'],
        summary: 'Record the notice sent to the authority: when, and its reference (admin; once)',
        params: TId,
        body: Type.Object({ notifiedAt: Type.Optional(Type.String({ maxLength: 40 })), noticeRef: Type.String({ maxLength: 400 }) }, { additionalProperties: false }),
      },
    },
    async (request) =>
      presentDataBreach(
        await recordBreachNotice({
          database,
          actor: staffActor(request),
          id: request.params.id,
          notifiedAt: instant('notifiedAt', request.body.notifiedAt),
          noticeRef: request.body.noticeRef,
        }),
      ),
  );

  app.post(
    '/api/v1/data-breaches/:id/close',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['personal data'],
        summary: 'Close a breach with what was done (admin)',
        params: TId,
        body: Type.Object({ note: Type.String({ maxLength: 8000 }) }, { additionalProperties: false }),
      },
    },
    async (request) => presentDataBreach(await closeDataBreach({ database, actor: staffActor(request), id: request.params.id, note: request.body.note })),
  );
};
