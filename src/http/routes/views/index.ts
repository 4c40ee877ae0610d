import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { deleteView, saveView } from '../../../commands/manage-saved-views';
import { listSavedViews } from '../../../db/queries/saved-views';
import { TSavedViewInput } from '../../../domain/schemas';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

/** Bộ lọc đã lưu: each member's own named queue filters. */
export const savedViewRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/views',
    { preValidation: requireAbility(database, 'view.own'), schema: { tags: ['queue'], summary: 'Your saved queue views, by name' } },
    async (request) => ({ items: await listSavedViews(database, staffActor(request).user.id) }),
  );
  app.post(
    '/api/v1/views',
    {
      preValidation: requireAbility(database, 'view.own'),
      schema: { tags: ['queue'], summary: "Save the queue's filters under a name (yours alone; 20 at most)", body: TSavedViewInput },
    },
    async (request, reply) => reply.status(201).send(await saveView({ database, staffId: staffActor(request).user.id, input: request.body })),
  );
  app.delete(
    '/api/v1/views/:id',
    {
      preValidation: requireAbility(database, 'view.own'),
      schema: { tags: ['queue'], summary: 'Delete one of your saved views', params: Type.Object({ id: Type.String({ maxLength: 40 }) }) },
    },
    async (request, reply) => {
      await deleteView({ database, staffId: staffActor(request).user.id, id: request.params.id });
      return reply.status(204).send();
    },
  );
};
