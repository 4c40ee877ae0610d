import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import { convertInboundReject } from '../../../commands/convert-inbound-reject';
import { toAppError } from '../../../db/errors';
import { openFileStore } from '../../../files/open';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

/** The "not a complaint" log: bounces, auto-replies and bulk mail the loop guard kept aside. */
export const inboundRejectRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  const files = openFileStore(config, database);
  app.get(
    '/api/v1/inbound-rejects',
    {
      preValidation: requireAbility(database, 'complaint.read'),
      schema: { tags: ['email'], summary: 'Mail that was not taken as a complaint (bounces, auto-replies, bulk), newest first' },
    },
    async () => {
      try {
        const r = await database.db.execute<Record<string, unknown>>(sql`
          select r.id, r.kind, r.reason, r.from_address, r.subject, r.excerpt, r.received_at, c.code
          from inbound_rejects r left join complaints c on c.id = r.converted_complaint_id
          order by r.received_at desc limit 200`);
        return {
          items: r.rows.map((x) => ({
            id: x.id as string,
            kind: x.kind as string,
            reason: x.reason as string,
            from: (x.from_address as string | null) ?? null,
            subject: x.subject as string,
            excerpt: x.excerpt as string,
            receivedAt: new Date(x.received_at as string).toISOString(),
            convertedCode: (x.code as string | null) ?? null,
          })),
        };
      } catch (err) {
        throw toAppError(err);
      }
    },
  );
  app.post(
    '/api/v1/inbound-rejects/:id/convert',
    {
      preValidation: requireAbility(database, 'complaint.create'),
      schema: {
        tags: ['email'],
        summary: 'Turn a set-aside mail into a complaint (done twice, the same complaint)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const r = await convertInboundReject({
        database,
        files,
        actor: staffActor(request),
        id: request.params.id,
      });
      return reply.status(201).send(r);
    },
  );
};
