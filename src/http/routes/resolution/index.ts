import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../../app';

/** Step 4 (giải quyết): proposals, refusals, escalation to an authority and its dossier. */
export const resolutionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async () => {};
