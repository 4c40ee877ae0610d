import path from 'node:path';
import { loadSlaContext } from '../../../db/queries/settings';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TCustomerMerge, TCustomerPatch, TPageLimit } from '../../../domain/schemas';
import { mergeCustomers } from '../../../commands/merge-customers';
import { correctCustomer } from '../../../commands/correct-customer';
import { AppError, assertNoFieldErrors, type FieldError } from '../../../domain/errors';
import { OPEN_STATUSES } from '../../../domain/lifecycle';
import { nationalPhone, normalizeEmail, normalizePhone } from '../../../domain/contacts';
import { findCustomerByContact } from '../../../db/queries/directory';
import { listComplaints } from '../../../db/queries/complaints';
import { presentComplaintSummary } from '../../../presenters/complaint';
import { requireAbility, staffActor } from '../../auth';
import type { RouteDeps } from '../../app';
import { findComplaintById, listEvents } from '../../../db/queries/complaints';
import {
  customerComplaintIds,
  customerRecords,
  findCustomerProfile,
  listPersonalDataAccess,
  type CustomerProfile,
} from '../../../db/queries/personal-data';
import { presentAccessLog, presentCustomerProfile, presentPersonalDataExport } from '../../../presenters/personal-data';
import { anonymiseCustomer } from '../../../commands/anonymise-customer';
import { openFileStore } from '../../../files/open';
import { contentDisposition } from '../../content-disposition';
import { logAccess } from '../../access-log';
import type { FastifyRequest } from 'fastify';
import type { AccessAction } from '../../../domain/personal-data';

const TIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Caller lookup for hotline and office forms, and a customer's personal data: their page, who opened
 * their data (the access log), the export of their data and its erasure.
 */
export const customerRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  const files = openFileStore(config, database);
  /** Logged before the data is sent: data the log cannot record is not shown. */
  const logged = (request: FastifyRequest, customerId: string, action: AccessAction) => logAccess(database, request, { customerId }, action);
  const profileOf = async (id: string) => {
    const profile = await findCustomerProfile(database, id);
    if (!profile) throw new AppError('customer_not_found');
    return profile;
  };
  /** The customer's page: their record and their complaints, newest first. */
  const pageOf = async (profile: CustomerProfile) => {
    const sla = await loadSlaContext(database);
    const list = await listComplaints(database, { customerId: profile.id }, { limit: 200, sort: 'newest' });
    return { customer: presentCustomerProfile(profile), complaints: list.items.map((c) => presentComplaintSummary(c, sla)) };
  };

  app.get(
    '/api/v1/customers/lookup',
    {
      preValidation: requireAbility(database, 'customer.read'),
      schema: {
        tags: ['customers'],
        summary: 'Find a customer by phone (any format) or email',
        querystring: Type.Object(
          { phone: Type.Optional(Type.String({ maxLength: 40 })), email: Type.Optional(Type.String({ maxLength: 254 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { phone, email } = request.query;
      if (!phone && !email) {
        throw new AppError('validation_failed', { fields: [{ field: 'phone', code: 'contact_required' }] });
      }
      // What cannot be a phone number or an email is a mistake to point out, not a customer who is not there.
      const fields: FieldError[] = [];
      if (phone && !normalizePhone(phone)) fields.push({ field: 'phone', code: 'phone_invalid' });
      if (email && !normalizeEmail(email)) fields.push({ field: 'email', code: 'email_invalid' });
      assertNoFieldErrors(fields);
      const customer = await findCustomerByContact(database, request.query);
      if (!customer) return { customer: null, openComplaints: [] };
      await logged(request, customer.id, 'customer.lookup');
      const sla = await loadSlaContext(database);
      const now = new Date();
      const open = await listComplaints(database, { customerId: customer.id, statuses: [...OPEN_STATUSES] }, { limit: 20 });
      return {
        customer: {
          id: customer.id,
          name: customer.name,
          phone: customer.phoneE164 ? nationalPhone(customer.phoneE164) : null,
          email: customer.email,
          province: customer.province,
        },
        openComplaints: open.items.map((c) => presentComplaintSummary(c, sla, now)),
      };
    },
  );

  app.get(
    '/api/v1/customers/:id',
    {
      preValidation: requireAbility(database, 'customer.read'),
      schema: { tags: ['customers'], summary: "A customer's record and their complaints (logged in the access log)", params: TIdParams },
    },
    async (request) => {
      const profile = await profileOf(request.params.id);
      await logged(request, profile.id, 'customer.view');
      return pageOf(profile);
    },
  );

  app.patch(
    '/api/v1/customers/:id',
    {
      preValidation: requireAbility(database, 'customer.update'),
      schema: {
        tags: ['customers'],
        summary: "Correct a customer's name, phone or email (each change written on every complaint of theirs; 409 contact_taken when another customer has the phone or email)",
        params: TIdParams,
        body: TCustomerPatch,
      },
    },
    async (request) => {
      const profile = await profileOf(request.params.id);
      await correctCustomer({ database, actor: staffActor(request), customerId: profile.id, ...request.body });
      // The answer shows the record again, as the page does: logged the same way.
      const corrected = await profileOf(profile.id);
      await logged(request, corrected.id, 'customer.view');
      return pageOf(corrected);
    },
  );

  app.post(
    '/api/v1/customers/:id/merge',
    {
      preValidation: requireAbility(database, 'customer.merge'),
      schema: {
        tags: ['customers'],
        summary:
          'Merge another record of the same person into this one (by its id, a complaint code, its phone or email): its complaints move here, this record takes the contact it lacked; 409 contacts_conflict when both have a different phone or email',
        params: TIdParams,
        body: TCustomerMerge,
      },
    },
    async (request) => {
      const profile = await profileOf(request.params.id);
      const merged = await mergeCustomers({ database, actor: staffActor(request), intoId: profile.id, ...request.body });
      const after = await profileOf(profile.id);
      await logged(request, after.id, 'customer.view');
      return { ...(await pageOf(after)), merged };
    },
  );

  app.get(
    '/api/v1/customers/:id/access-log',
    {
      preValidation: requireAbility(database, 'personal_data.audit'),
      schema: {
        tags: ['customers'],
        summary: "Who opened this customer's data, newest first (admin, auditor)",
        params: TIdParams,
        querystring: Type.Object(
          { before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })), limit: Type.Optional(TPageLimit) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const profile = await profileOf(request.params.id);
      const { before, limit } = request.query;
      const page = await listPersonalDataAccess(database, profile.id, {
        beforeId: before ? Number(before) : undefined,
        limit: Math.min(Number(limit ?? 50), 200),
      });
      return { items: presentAccessLog(page.items), nextBefore: page.nextBeforeId };
    },
  );

  app.get(
    '/api/v1/customers/:id/personal-data',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['customers'],
        summary: 'Everything Sen holds about the customer, as a JSON file for them (admin; logged)',
        params: TIdParams,
      },
    },
    async (request, reply) => {
      const profile = await profileOf(request.params.id);
      await logged(request, profile.id, 'customer.export');
      const ids = await customerComplaintIds(database, profile.id);
      const complaints = [];
      for (const id of ids) {
        const row = await findComplaintById(database, id);
        if (row) complaints.push({ row, events: await listEvents(database, id) });
      }
      const now = new Date();
      const body = presentPersonalDataExport(profile, complaints, await customerRecords(database, ids), now);
      return reply
        .header('content-disposition', contentDisposition(`du-lieu-ca-nhan-${profile.id.slice(0, 8)}.json`))
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );

  app.post(
    '/api/v1/customers/:id/anonymise',
    {
      preValidation: requireAbility(database, 'personal_data.manage'),
      schema: {
        tags: ['customers'],
        summary: "Erase the customer's personal data for good (admin; refused while a complaint of theirs is being handled)",
        params: TIdParams,
        body: Type.Object(
          {
            reason: Type.Literal('request'),
            /** The reference of the customer's request (YC-000007): kept in the timeline for good, so never free text. */
            note: Type.Optional(Type.String({ pattern: '^(YC-[0-9]{6})?$' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const profile = await profileOf(request.params.id);
      const result = await anonymiseCustomer({
        database,
        files,
        outboxDir: path.join(config.dataDir, 'outbox'),
        ledgerDir: config.dataDir,
        actor: staffActor(request),
        customerId: profile.id,
        reason: 'request',
        note: request.body.note?.trim() || undefined,
      });
      if (result.already) throw new AppError('customer_anonymised');
      if (!result.ledger.written || result.ledger.backupsFailed.length) {
        // The erasure stands; the retention job adds the missing line from the database on its next round.
        request.log.error({ ledger: result.ledger, customerId: profile.id }, 'personal_data: the erasure ledger could not be written');
      }
      return { ...result, customer: presentCustomerProfile(await profileOf(profile.id)) };
    },
  );
};
