import { loadSlaContext } from '../../../db/queries/settings';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../../domain/errors';
import { OPEN_STATUSES } from '../../../domain/lifecycle';
import { nationalPhone } from '../../../domain/contacts';
import { findCustomerByContact } from '../../../db/queries/directory';
import { listComplaints } from '../../../db/queries/complaints';
import { presentComplaintSummary } from '../../../presenters/complaint';
import { requireAbility } from '../../auth';
import type { RouteDeps } from '../../app';

/** Caller lookup for hotline and office forms: the customer behind a number and their open complaints. */
export const customerRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database }) => {
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
      if (!request.query.phone && !request.query.email) {
        throw new AppError('validation_failed', { fields: [{ field: 'phone', code: 'contact_required' }] });
      }
      const customer = await findCustomerByContact(database, request.query);
      if (!customer) return { customer: null, openComplaints: [] };
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
};
