import type { FastifyRequest } from 'fastify';

/** The Idempotency-Key header of a create, if the client sent one. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && key.trim() ? key.trim() : undefined;
}
