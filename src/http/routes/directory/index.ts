import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listStaff, listTeams } from '../../../db/queries/directory';
import { requireAbility } from '../../auth';
import type { RouteDeps } from '../../app';

/** Staff and teams, for assignment pickers. */
export const directoryRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/users',
    { preValidation: requireAbility(database, 'staff.read'), schema: { tags: ['directory'], summary: 'Active staff' } },
    async () => ({ items: await listStaff(database) }),
  );
  app.get(
    '/api/v1/teams',
    { preValidation: requireAbility(database, 'staff.read'), schema: { tags: ['directory'], summary: 'Teams' } },
    async () => ({ items: await listTeams(database) }),
  );
};
