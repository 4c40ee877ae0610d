import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../../app';

/** Step 3 (xác minh): information requests, evidence verification, consultations. */
export const investigationRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async () => {};
