import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/open';
import { logPersonalDataAccess, logPersonalDataAccessMany } from '../db/queries/personal-data';
import type { AccessAction } from '../domain/personal-data';
import { staffActor } from './auth';

/**
 * Writes to the access log that the staff member behind `request` is being shown a customer's data.
 * Awaited before the data is sent: data the log cannot record is not shown (the caller gets a 503).
 */
export function logAccess(
  database: Database,
  request: FastifyRequest,
  about: { customerId: string; complaintId?: string },
  action: AccessAction,
): Promise<void> {
  const actor = staffActor(request);
  return logPersonalDataAccess(database, { staffId: actor.user.id, ...about, action, channel: actor.channel });
}

/** The same for every customer a list shows by name and contacts (a report, a search by phone or email). */
export function logAccessMany(database: Database, request: FastifyRequest, customerIds: string[], action: AccessAction): Promise<void> {
  const actor = staffActor(request);
  return logPersonalDataAccessMany(database, { staffId: actor.user.id, customerIds, action, channel: actor.channel });
}
