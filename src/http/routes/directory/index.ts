import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../../domain/lifecycle';
import { TStaffUserInput, TStaffUserPatch, TTeamInput } from '../../../domain/schemas';
import { addStaffUser } from '../../../commands/staff-accounts';
import { resetStaffPassword, updateStaffUser } from '../../../commands/manage-staff';
import { createTeam } from '../../../commands/create-team';
import { listAccountEvents, listStaff, listTeams } from '../../../db/queries/directory';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

/** Staff and teams: everyone reads them for assignment pickers; admins add them. */
export const directoryRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/users',
    {
      preValidation: requireAbility(database, 'staff.read'),
      schema: {
        tags: ['directory'],
        summary: 'Active staff, by name; ?role=supervisor,admin and ?teamId= narrow the list, ?includeInactive=true adds deactivated accounts',
        querystring: Type.Object(
          {
            role: Type.Optional(Type.String({ pattern: `^(${STAFF_ROLES.join('|')})(,(${STAFF_ROLES.join('|')}))*$`, maxLength: 100 })),
            teamId: Type.Optional(Type.String({ format: 'uuid' })),
            includeInactive: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({
      items: await listStaff(database, { roles: request.query.role?.split(','), teamId: request.query.teamId, includeInactive: request.query.includeInactive === 'true' }),
    }),
  );
  app.post(
    '/api/v1/users',
    {
      preValidation: requireAbility(database, 'staff.manage'),
      schema: { tags: ['directory'], summary: 'Add a staff account (admin)', body: TStaffUserInput },
    },
    async (request, reply) => reply.status(201).send(await addStaffUser({ database, ...request.body, actorId: staffActor(request).user.id })),
  );
  const TUserId = Type.Object({ id: Type.String({ format: 'uuid' }) });
  app.patch(
    '/api/v1/users/:id',
    {
      preValidation: requireAbility(database, 'staff.manage'),
      schema: {
        tags: ['directory'],
        summary: "Change a staff account's name, role or team, or deactivate (ends its sessions, revokes its API tokens) or reactivate it (admin); the last active admin stays one",
        params: TUserId,
        body: TStaffUserPatch,
      },
    },
    async (request) => updateStaffUser({ database, actorId: staffActor(request).user.id, id: request.params.id, ...request.body }),
  );
  app.post(
    '/api/v1/users/:id/password',
    {
      preValidation: requireAbility(database, 'staff.manage'),
      schema: {
        tags: ['directory'],
        summary: "Reset a staff account's password (admin): its sessions end and a failed-login pause is lifted",
        params: TUserId,
        body: Type.Object({ password: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
      },
    },
    async (request) => resetStaffPassword({ database, actorId: staffActor(request).user.id, id: request.params.id, password: request.body.password }),
  );
  app.get(
    '/api/v1/users/:id/events',
    {
      preValidation: requireAbility(database, 'staff_audit.read'),
      schema: { tags: ['directory'], summary: "A staff account's audit trail, newest first (admin, auditor)", params: TUserId },
    },
    async (request) => ({ items: await listAccountEvents(database, request.params.id) }),
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
