import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../../app';

/** Step 5 (theo dõi và cải tiến): surveys, reopening, root causes, corrective actions, reports. */
export const followupRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async () => {};
