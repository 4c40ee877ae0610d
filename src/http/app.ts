import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { UPLOAD_LIMITS } from '../domain/uploads';
import rateLimit from '@fastify/rate-limit';
import { registerContactGuard } from './contact-guard';
import { registerIdempotentReplays } from './idempotency';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import { cleanTextTree } from '../domain/text';
import { handleError } from './errors';
import { documentRoles } from './auth';
import { transformDocument, transformRoute } from './openapi';
import { authRoutes } from './routes/auth';
import { portalRoutes } from './routes/portal';
import { complaintRoutes } from './routes/complaints';
import { customerRoutes } from './routes/customers';
import { dataRequestRoutes } from './routes/data-requests';
import { categoryRoutes } from './routes/categories';
import { replyTemplateRoutes } from './routes/reply-templates';
import { routingRoutes } from './routes/routing';
import { savedViewRoutes } from './routes/views';
import { reminderRoutes } from './routes/reminders';
import { followerRoutes } from './routes/followers';
import { directoryRoutes } from './routes/directory';
import { adminRoutes } from './routes/admin';
import { callRoutes } from './routes/calls';
import { inboundRejectRoutes } from './routes/inbound-rejects';
import { investigationRoutes } from './routes/investigation';
import { resolutionRoutes } from './routes/resolution';
import { followupRoutes } from './routes/followup';
import { notificationRoutes } from './routes/notifications';
import { healthRoutes } from './routes/health';

/** What every route plugin receives: the open database and the settings. */
export interface RouteDeps {
  database: Database;
  config: Config;
}

function trustHops(n: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < n;
}

/** Builds Sen's HTTP app (API, OpenAPI, docs, web UI) without listening; tests use `inject`. */
export async function buildApp(deps: RouteDeps & { logger?: boolean }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 1024 * 1024,
    // A number n: the n proxies nearest to Sen are believed (as Fastify reads a number), never the hops a client wrote.
    trustProxy: typeof deps.config.trustProxy === 'number' ? trustHops(deps.config.trustProxy) : deps.config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(handleError);
  // Only JSON is accepted; anything else is a 415, not a string body that fails later.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('staff', null);
  // Every text sent is kept NFC, and a character no field can hold (NUL, other controls, a lone
  // surrogate) is a field error before anything is done, instead of a database error (500).
  app.addHook('preHandler', async (request) => {
    const bad = [
      ...cleanTextTree(request.body),
      ...cleanTextTree(request.query),
      ...cleanTextTree(request.params).map((f) => `params.${f}`),
    ];
    if (bad.length) throw new AppError('validation_failed', { fields: bad.map((field) => ({ field, code: 'invalid_characters' as const })) });
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    const type = String(reply.getHeader('content-type') ?? '');
    // The web app loads only its own files; customer text can never run as script.
    // A route that set its own policy keeps it: a customer's file downloaded as text/html stays sandboxed.
    if (type.startsWith('text/html') && !request.url.startsWith('/docs') && !reply.hasHeader('content-security-policy')) {
      reply.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'");
    }
  });

  await app.register(cookie);
  // Uploads: limits enforced while streaming; a file over the limit stops the request (a field error).
  await app.register(multipart, {
    // A text field holds the longest text any form takes (20,000 characters, up to 4 bytes each in UTF-8).
    limits: { fileSize: UPLOAD_LIMITS.maxFileBytes, files: UPLOAD_LIMITS.maxFiles, fields: 20, fieldSize: 80_000, parts: 40 },
    throwFileSizeLimit: true,
  });
  await app.register(rateLimit, { global: false });
  registerContactGuard(app, deps.database, deps.config.rateLimits);
  registerIdempotentReplays(app, deps.database);
  documentRoles(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Sen API', version: '1', description: 'Sen — hệ thống giải quyết khiếu nại / complaint handling' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sen_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    // What each operation answers (success codes, errors, the portal's views) is added to the document
    // only: routes get no response schema, so nothing is serialized through one.
    transform: transformRoute,
    transformObject: transformDocument,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  for (const routes of [
    healthRoutes,
    authRoutes,
    portalRoutes,
    complaintRoutes,
    customerRoutes,
    categoryRoutes,
    replyTemplateRoutes,
    routingRoutes,
    savedViewRoutes,
    reminderRoutes,
    followerRoutes,
    directoryRoutes,
    adminRoutes,
    notificationRoutes,
    callRoutes,
    inboundRejectRoutes,
    investigationRoutes,
    resolutionRoutes,
    followupRoutes,
    dataRequestRoutes,
  ]) {
    await app.register(routes, deps);
  }
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webDir = path.resolve(deps.config.webDir);
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url;
    if (request.method !== 'GET' || url.startsWith('/api/') || !hasWeb) throw new AppError('not_found');
    // The web app routes on the client: every other page gets its index.html.
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return app;
}
