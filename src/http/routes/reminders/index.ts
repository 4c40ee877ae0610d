import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { cancelReminder, setReminder, snoozeReminder } from '../../../commands/manage-reminders';
import { listReminders } from '../../../db/queries/reminders';
import { loadSlaContext } from '../../../db/queries/settings';
import { reminderPresets } from '../../../domain/reminders';
import { TReminderInput, TReminderSnoozeInput } from '../../../domain/schemas';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

const TCodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });

/** Nhắc tôi: each member's own reminders on complaints; Sen tells them when one comes due (jobs/reminders-sweep.ts). */
export const reminderRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/reminders',
    {
      preValidation: requireAbility(database, 'reminder.own'),
      schema: { tags: ['reminders'], summary: 'Your reminders: those waiting, soonest first, and those told in the last 7 days' },
    },
    async (request) => listReminders(database, staffActor(request).user.id),
  );
  app.get(
    '/api/v1/complaints/:code/reminders',
    {
      preValidation: requireAbility(database, 'reminder.own'),
      schema: {
        tags: ['reminders'],
        summary: "Your reminders on one complaint, and the quick choices' times on the working calendar (in an hour, next working morning …)",
        params: TCodeParams,
      },
    },
    async (request) => {
      const [list, sla] = await Promise.all([listReminders(database, staffActor(request).user.id, { code: request.params.code }), loadSlaContext(database)]);
      return { ...list, presets: reminderPresets(new Date(), sla.cal).map((p) => ({ key: p.key, at: p.at.toISOString() })) };
    },
  );
  app.post(
    '/api/v1/complaints/:code/reminders',
    {
      preValidation: requireAbility(database, 'reminder.own'),
      schema: { tags: ['reminders'], summary: 'Remind me of this complaint at a time (after now, within 2 years; 100 waiting at most)', params: TCodeParams, body: TReminderInput },
    },
    async (request, reply) =>
      reply.status(201).send(
        await setReminder({
          database,
          staffId: staffActor(request).user.id,
          code: request.params.code,
          input: { at: new Date(request.body.at), note: request.body.note },
        }),
      ),
  );
  app.post(
    '/api/v1/reminders/:id/snooze',
    {
      preValidation: requireAbility(database, 'reminder.own'),
      schema: {
        tags: ['reminders'],
        summary: "Remind me again at one of the quick choices' times (a reminder told, or still waiting)",
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        body: TReminderSnoozeInput,
      },
    },
    async (request) => snoozeReminder({ database, staffId: staffActor(request).user.id, id: request.params.id, preset: request.body.preset }),
  );
  app.delete(
    '/api/v1/reminders/:id',
    {
      preValidation: requireAbility(database, 'reminder.own'),
      schema: { tags: ['reminders'], summary: 'Delete one of your reminders', params: Type.Object({ id: Type.String({ maxLength: 40 }) }) },
    },
    async (request, reply) => {
      await cancelReminder({ database, staffId: staffActor(request).user.id, id: request.params.id });
      return reply.status(204).send();
    },
  );
};
