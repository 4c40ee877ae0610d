import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../../app';

/** Liveness of Sen and its database, for load balancers and operators. */
export const healthRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'Health: 200 when the database answers, 503 otherwise' } }, async (_request, reply) => {
    try {
      await Promise.race([
        database.pool.query('select 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
      ]);
      return { status: 'ok', database: database.kind };
    } catch {
      return reply.status(503).header('Retry-After', '5').send({ status: 'unavailable', database: database.kind });
    }
  });
};
