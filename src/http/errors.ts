import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  errorMessage,
  errorStatus,
  fieldErrorMessage,
  pickLocale,
  type ErrorCode,
  type ErrorDetails,
  type FieldError,
  type FieldErrorCode,
} from '../domain/errors';
import { isUnavailable, logSafeError } from '../db/errors';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

const KEYWORD_CODES: Record<string, FieldErrorCode> = {
  required: 'required',
  additionalProperties: 'unknown_field',
  type: 'wrong_type',
  maxLength: 'too_long',
  minLength: 'too_short',
};

/** Turns schema validation errors into Sen's field errors ("customer.phone", "required"). */
export function fieldErrorsFromAjv(errors: AjvError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const base = e.instancePath.split('/').filter(Boolean);
    if (e.keyword === 'required') base.push(String(e.params.missingProperty));
    if (e.keyword === 'additionalProperties') base.push(String(e.params.additionalProperty));
    const field = [prefix, ...base].filter(Boolean).join('.') || '(body)';
    const code = KEYWORD_CODES[e.keyword] ?? 'invalid_value';
    if (!out.some((f) => f.field === field)) out.push({ field, code });
  }
  return out;
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  extra: ErrorDetails = {},
) {
  const locale = pickLocale(request.headers['accept-language']);
  if (extra.retryAfterSeconds) reply.header('Retry-After', String(extra.retryAfterSeconds));
  return reply.status(errorStatus(code)).send({
    error: {
      code,
      message: errorMessage(code, locale, extra),
      ...(extra.fields
        ? { fields: extra.fields.map((f) => ({ ...f, message: fieldErrorMessage(f.code, locale) })) }
        : {}),
      ...(extra.allowed ? { allowed: extra.allowed } : {}),
      ...(extra.complaints ? { complaints: extra.complaints } : {}),
      ...(extra.contact ? { contact: extra.contact } : {}),
    },
  });
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/** The one error handler: Sen's errors with translated messages; 5xx details stay in the log. */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) return send(reply, request, err.code, err.details);
  if (err.validation) {
    const prefix = err.validationContext === 'body' ? '' : err.validationContext ?? '';
    return send(reply, request, 'validation_failed', {
      fields: fieldErrorsFromAjv(err.validation as AjvError[], prefix === 'querystring' ? '' : prefix),
    });
  }
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return send(reply, request, mapped);
  if (err.statusCode === 429) return send(reply, request, 'rate_limited', { retryAfterSeconds: 60 });
  if (err instanceof SyntaxError && err.statusCode === 400) return send(reply, request, 'malformed_json');
  if (isUnavailable(err)) {
    request.log.warn({ err: logSafeError(err) }, 'database unavailable');
    return send(reply, request, 'service_unavailable', { retryAfterSeconds: 5 });
  }
  if (err.statusCode === 413) return send(reply, request, 'payload_too_large');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return send(reply, request, 'bad_request');
  request.log.error({ err: logSafeError(err) }, 'unhandled error');
  return send(reply, request, 'internal');
}
