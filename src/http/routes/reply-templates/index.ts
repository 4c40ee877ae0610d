import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createReplyTemplate, updateReplyTemplate } from '../../../commands/manage-reply-templates';
import { listReplyTemplates } from '../../../db/queries/reply-templates';
import { can } from '../../../policies';
import { queryFlag, TLanguage, TQueryFlag, TReplyTemplateInput, TReplyTemplatePatch } from '../../../domain/schemas';
import { AppError } from '../../../domain/errors';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';

/** Mẫu trả lời: agents list those in use (of the complaint's language) to insert them; supervisors keep them. */
export const replyTemplateRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
  app.get(
    '/api/v1/reply-templates',
    {
      preValidation: requireAbility(database, 'reply_template.read'),
      schema: {
        tags: ['reply templates'],
        summary: 'Reply templates in use (of one language if asked); all of them with all=true (supervisor, admin)',
        querystring: Type.Object({ language: Type.Optional(TLanguage), all: Type.Optional(TQueryFlag) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const all = queryFlag(request.query.all);
      if (all && !can(staffActor(request).user.role, 'reply_template.manage')) throw new AppError('forbidden');
      return { items: await listReplyTemplates(database, { all, language: request.query.language }) };
    },
  );
  app.post(
    '/api/v1/reply-templates',
    {
      preValidation: requireAbility(database, 'reply_template.manage'),
      schema: { tags: ['reply templates'], summary: 'Add a reply template (supervisor, admin)', body: TReplyTemplateInput },
    },
    async (request, reply) => reply.status(201).send(await createReplyTemplate({ database, actor: staffActor(request), input: request.body })),
  );
  app.patch(
    '/api/v1/reply-templates/:id',
    {
      preValidation: requireAbility(database, 'reply_template.manage'),
      schema: {
        tags: ['reply templates'],
        summary: 'Reword, rename or (de)activate a reply template (supervisor, admin)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: TReplyTemplatePatch,
      },
    },
    async (request) => updateReplyTemplate({ database, id: request.params.id, input: request.body }),
  );
};
