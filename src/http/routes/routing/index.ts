import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createRoutingRule, deleteRoutingRule, updateRoutingRule } from '../../../commands/manage-routing-rules';
import { listRoutingRules } from '../../../db/queries/routing';
import { TRoutingRuleInput, TRoutingRulePatch } from '../../../domain/schemas';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

const TRuleParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Phân công tự động: supervisors keep the rules that give new complaints to a team (and a member), in order. */
export const routingRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/routing-rules',
    {
      preValidation: requireAbility(database, 'routing.read'),
      schema: { tags: ['routing'], summary: 'The routing rules, in the order they are tried (the first that fits a new complaint is applied)' },
    },
    async () => ({ items: await listRoutingRules(database.db) }),
  );
  app.post(
    '/api/v1/routing-rules',
    {
      preValidation: requireAbility(database, 'routing.manage'),
      schema: { tags: ['routing'], summary: 'Add a routing rule, tried after the others or at `position` (supervisor, admin)', body: TRoutingRuleInput },
    },
    async (request, reply) => reply.status(201).send(await createRoutingRule({ database, actor: staffActor(request), input: request.body })),
  );
  app.patch(
    '/api/v1/routing-rules/:id',
    {
      preValidation: requireAbility(database, 'routing.manage'),
      schema: {
        tags: ['routing'],
        summary: 'Change what a routing rule looks at or does, (de)activate it, or move it in the order (supervisor, admin)',
        params: TRuleParams,
        body: TRoutingRulePatch,
      },
    },
    async (request) => updateRoutingRule({ database, id: request.params.id, input: request.body }),
  );
  app.delete(
    '/api/v1/routing-rules/:id',
    {
      preValidation: requireAbility(database, 'routing.manage'),
      schema: { tags: ['routing'], summary: 'Remove a routing rule; complaints it routed stay where they are (supervisor, admin)', params: TRuleParams },
    },
    async (request, reply) => {
      await deleteRoutingRule({ database, id: request.params.id });
      return reply.status(204).send();
    },
  );
};
