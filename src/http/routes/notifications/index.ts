import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { markNotificationsRead } from '../../../commands/mark-notifications-read';
import { listNotifications } from '../../../db/queries/notifications';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

/** In-app notifications (SLA reminders and breaches) of the logged-in staff member. */
export const notificationRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/notifications',
    {
      preValidation: requireAbility(database, 'notification.read'),
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first, with the unread count',
        querystring: Type.Object({ unread: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }, { additionalProperties: false }),
      },
    },
    async (request) =>
      listNotifications(database, staffActor(request).user.id, { unreadOnly: request.query.unread === 'true', limit: 50 }),
  );
  app.post(
    '/api/v1/notifications/:id/read',
    {
      preValidation: requireAbility(database, 'notification.read'),
      schema: { tags: ['notifications'], summary: 'Mark one notification read', params: Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) }) },
    },
    async (request) => ({ updated: await markNotificationsRead({ database, staffId: staffActor(request).user.id, id: Number(request.params.id) }) }),
  );
  app.post(
    '/api/v1/notifications/read-all',
    { preValidation: requireAbility(database, 'notification.read'), schema: { tags: ['notifications'], summary: 'Mark all my notifications read' } },
    async (request) => ({ updated: await markNotificationsRead({ database, staffId: staffActor(request).user.id }) }),
  );
};
