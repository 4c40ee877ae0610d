import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TCategoryInput, TCategoryPatch } from '../../../domain/schemas';
import { createCategory, updateCategory } from '../../../commands/manage-categories';
import { listCategories } from '../../../db/queries/directory';
import { requireAbility } from '../../auth';
import type { RouteDeps } from '../../app';

/** The complaint taxonomy: everyone reads it, admins edit it. */
export const categoryRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/categories',
    { preValidation: requireAbility(database, 'category.read'), schema: { tags: ['categories'], summary: 'List categories' } },
    async () => ({ items: await listCategories(database) }),
  );
  app.post(
    '/api/v1/categories',
    {
      preValidation: requireAbility(database, 'category.manage'),
      schema: { tags: ['categories'], summary: 'Add a category (admin)', body: TCategoryInput },
    },
    async (request, reply) => reply.status(201).send(await createCategory({ database, ...request.body })),
  );
  app.patch(
    '/api/v1/categories/:id',
    {
      preValidation: requireAbility(database, 'category.manage'),
      schema: {
        tags: ['categories'],
        summary: 'Rename or (de)activate a category (admin)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: TCategoryPatch,
      },
    },
    async (request) => updateCategory({ database, id: request.params.id, ...request.body }),
  );
};
