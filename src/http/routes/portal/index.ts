import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TCustomerMessageInput, TCustomerWithdrawInput, TPortalComplaintInput, TStatusLinkInput, TVerifiedStatusLink } from '../../../domain/schemas';
import { addCustomerMessage } from '../../../commands/add-customer-message';
import { addAttachments } from '../../../commands/add-attachments';
import { withdrawComplaintAsCustomer } from '../../../commands/withdraw-complaint';
import { verifyStatusLink } from '../../../commands/verify-status-link';
import { looksAutomated } from '../../../domain/uploads';
import { openFileStore } from '../../../files/open';
import { readCustomerUploads } from '../../uploads';
import { AppError, pickLocale } from '../../../domain/errors';
import { createComplaint, statusUrlOf } from '../../../commands/create-complaint';
import { findComplaintById, findComplaintForContact, listEvents } from '../../../db/queries/complaints';
import { presentComplaintForCustomer } from '../../../presenters/complaint';
import type { RouteDeps } from '../../app';
import { loadSlaContext } from '../../../db/queries/settings';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf } from '../../idempotency';

/** The customer portal: file a complaint, look up its status. No login; the contact is the key. */
export const portalRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  app.post(
    '/api/v1/portal/complaints',
    {
      config: { rateLimit: { max: config.rateLimits.publicIntake, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'File a complaint (customer)',
        headers: IDEMPOTENCY_HEADER,
        body: TPortalComplaintInput,
      },
    },
    async (request, reply) => {
      const { website, fillMs, ...input } = request.body;
      const automated = looksAutomated({ website, fillMs });
      if (automated) {
        throw new AppError('validation_failed', { fields: [{ field: automated, code: automated === 'website' ? 'spam_suspected' : 'too_fast' }] });
      }
      // The customer is written to in the form's language: the one it says, else the one the browser asks for. Not part
      // of what makes a retry the same request: one sent again after switching the page's language is the same complaint.
      const { language: said, ...rest } = input;
      const language = said ?? pickLocale(request.headers['accept-language']);
      const created = await createComplaint({
        database,
        actor: { kind: 'customer', id: null, channel: 'web' },
        channel: 'web',
        input: rest,
        defaultLanguage: language,
        requireConsent: true,
        idempotencyKey: idempotencyKeyOf(request),
        idempotencyScope: 'portal',
        receipt: { baseUrl: config.baseUrl, companyName: config.companyName },
      });
      // A fresh complaint answers from what was just written; a replay reads its current state.
      let view = created.created && { code: created.code, status: 'received', ...created.created };
      if (!view) {
        const row = await findComplaintById(database, created.id);
        if (!row) throw new AppError('internal');
        view = { code: row.code, status: row.status, receivedAt: row.receivedAt, acknowledgementDueAt: row.acknowledgementDueAt, resolutionDueAt: row.resolutionDueAt };
      }
      return reply
        .status(created.replayed ? 200 : 201)
        .header('Location', `/api/v1/portal/complaints/${view.code}`)
        .send({
          code: view.code,
          status: view.status,
          receivedAt: view.receivedAt.toISOString(),
          acknowledgementDueAt: view.acknowledgementDueAt.toISOString(),
          resolutionDueAt: view.resolutionDueAt.toISOString(),
          statusUrl: statusUrlOf(config.baseUrl, view.code, { language }),
        });
    },
  );

  app.post(
    '/api/v1/portal/status-links/verify',
    {
      config: { rateLimit: { max: config.rateLimits.publicLookup, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary:
          'Open the status-page link of a mail to the customer: the code and contact it proves (403 status_link_invalid when altered or for another complaint, 410 status_link_expired)',
        body: TStatusLinkInput,
        response: { 200: TVerifiedStatusLink },
      },
    },
    async (request) => verifyStatusLink({ database, token: request.body.token, code: request.body.code }),
  );

  app.get(
    '/api/v1/portal/promises',
    {
      // Read on every showing of the form: limited like any public route, more loosely than a lookup.
      config: { rateLimit: { max: config.rateLimits.publicLookup * 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'The promises made to every complaint under the SLA policy in force (for the form): acknowledgement hours, resolution days, the reading of a working hour',
      },
    },
    async () => {
      const { policy } = await loadSlaContext(database);
      return {
        acknowledgementWorkingHours: policy.acknowledgementWorkingHours,
        resolutionWorkingDays: policy.resolutionWorkingDays,
        workingTimeMode: policy.workingTimeMode,
      };
    },
  );

  app.get(
    '/api/v1/portal/complaints/:code',
    {
      config: { rateLimit: { max: config.rateLimits.publicLookup, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'Status of a complaint (customer; needs the phone or email it was filed with)',
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ contact: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const row = await findComplaintForContact(database, request.params.code, request.query.contact);
      if (!row) throw new AppError('complaint_not_found');
      return presentComplaintForCustomer(row, await listEvents(database, row.id));
    },
  );

  app.post(
    '/api/v1/portal/complaints/:code/messages',
    {
      config: { rateLimit: { max: config.rateLimits.publicIntake, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'Send a message about a complaint (customer; needs the phone or email it was filed with)',
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        body: TCustomerMessageInput,
      },
    },
    async (request, reply) => {
      const { stored } = await addCustomerMessage({ database, code: request.params.code, ...request.body });
      const row = await findComplaintForContact(database, request.params.code, request.body.contact);
      if (!row) throw new AppError('complaint_not_found');
      return reply.status(stored ? 201 : 200).send(presentComplaintForCustomer(row, await listEvents(database, row.id)));
    },
  );

  app.post(
    '/api/v1/portal/complaints/:code/withdraw',
    {
      config: { rateLimit: { max: config.rateLimits.publicIntake, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary:
          'Withdraw a complaint (customer; needs the phone or email it was filed with, and a reason). 200 with the complaint as the customer sees it; again once withdrawn: 200, nothing changes; 409 withdrawal_not_possible when resolved, over or escalated',
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        body: TCustomerWithdrawInput,
      },
    },
    async (request) => {
      const { contact, reason } = request.body;
      const out = await withdrawComplaintAsCustomer({
        database,
        code: request.params.code,
        contact,
        reason,
        mail: { baseUrl: config.baseUrl, companyName: config.companyName },
      });
      const row = await findComplaintForContact(database, out.code, contact);
      if (!row) throw new AppError('complaint_not_found');
      return presentComplaintForCustomer(row, await listEvents(database, row.id));
    },
  );

  const files = openFileStore(config, database);
  app.post(
    '/api/v1/portal/complaints/:code/attachments',
    {
      config: { rateLimit: { max: config.rateLimits.publicIntake, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'Add photos or documents to a complaint (customer; multipart/form-data with field "contact" and files)',
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        consumes: ['multipart/form-data'],
      },
    },
    async (request, reply) => {
      const { row, uploads } = await readCustomerUploads(request, database, request.params.code);
      await addAttachments({
        database,
        files,
        actor: { kind: 'customer', id: row.customer.id, channel: 'portal' },
        code: row.code,
        uploads,
        requireOpen: true,
      });
      return reply.status(201).send(presentComplaintForCustomer(row, await listEvents(database, row.id)));
    },
  );
};
