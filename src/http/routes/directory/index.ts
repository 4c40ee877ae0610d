import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../../domain/lifecycle';
import { TStaffUserInput, TTeamInput } from '../../../domain/schemas';
import { addStaffUser } from '../../../commands/staff-accounts';
import { createTeam } from '../../../commands/create-team';
import { listStaff, listTeams } from '../../../db/queries/directory';
import { requireAbility } from '../../auth';
import type { RouteDeps } from '../../app';

/** Staff and teams: everyone reads them for assignment pickers; admins add them. */
export const directoryRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/users',
    {
      preValidation: requireAbility(database, 'staff.read'),
      schema: {
        tags: ['directory'],
        summary: 'Active staff, by name; ?role=supervisor,admin and ?teamId= narrow the list',
        querystring: Type.Object(
          {
            role: Type.Optional(Type.String({ pattern: `^(${STAFF_ROLES.join('|')})(,(${STAFF_ROLES.join('|')}))*$`, maxLength: 100 })),
            teamId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ items: await listStaff(database, { roles: request.query.role?.split(','), teamId: request.query.teamId }) }),
  );
  app.post(
    '/api/v1/users',
    {
      preValidation: requireAbility(database, 'staff.manage'),
      schema: { tags: ['directory'], summary: 'Add a staff account (admin)', body: TStaffUserInput },
    },
    async (request, reply) => reply.status(201).send(await addStaffUser({ database, ...request.body })),
  );
  app.get(
    '/api/v1/teams',
    { preValidation: requireAbility(database, 'staff.read'), schema: { tags: ['directory'], summary: 'Teams' } },
    async () => ({ items: await listTeams(database) }),
  );
  app.post(
    '/api/v1/teams',
    {
      preValidation: requireAbility(database, 'staff.manage'),
      schema: { tags: ['directory'], summary: 'Add a team (admin)', body: TTeamInput },
    },
    async (request, reply) => reply.status(201).send(await createTeam({ database, name: request.body.name })),
  );
};
