import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { followComplaint } from '../../../commands/follow-complaint';
import { listFollowers } from '../../../db/queries/followers';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

const TCodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });

/** Theo dõi: staff following a complaint are told in the app of its customer's doings and status changes. */
export const followerRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/complaints/:code/followers',
    {
      preValidation: requireAbility(database, 'complaint.read'),
      schema: { tags: ['complaints'], summary: 'Who follows this complaint, and whether you do', params: TCodeParams },
    },
    async (request) => listFollowers(database, request.params.code, staffActor(request).user.id),
  );
  for (const [method, follow] of [['PUT', true], ['DELETE', false]] as const) {
    app.route({
      method,
      url: '/api/v1/complaints/:code/follow',
      preValidation: requireAbility(database, 'complaint.note'),
      schema: {
        tags: ['complaints'],
        summary: follow
          ? 'Follow this complaint: be told in the app of what its customer does and of its status changes'
          : 'Stop following this complaint',
        params: TCodeParams,
      },
      handler: async (request) => followComplaint({ database, staffId: staffActor(request).user.id, code: request.params.code, follow }),
    });
  }
};
