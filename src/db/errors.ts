import { AppError } from '../domain/errors';

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

/** Whether a driver error means the database is unreachable for now (so the caller should retry later). */
export function isUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|is not currently accepting connections|Cannot use a pool after calling end/i.test(e.message)) return true;
  return e.cause ? isUnavailable(e.cause) : false;
}

/** Serialization failures and deadlocks: the transaction may simply be run again. */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if (code === '40001' || code === '40P01') return true;
  // Two first-time intakes for the same new contact race on the customers' unique indexes; run again.
  const constraint = (err as { constraint?: string; cause?: { constraint?: string } })?.constraint ??
    (err as { cause?: { constraint?: string } })?.cause?.constraint;
  return code === '23505' && (constraint === 'customers_phone_key' || constraint === 'customers_email_key');
}

/** Maps a low-level database failure to Sen's error set, leaving Sen's own errors as they are. */
export function toAppError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (isUnavailable(err)) return new AppError('service_unavailable', { retryAfterSeconds: 5 });
  return err;
}

/**
 * An error's message fit for a log: a failed query names its SQL and the database's reason, never its
 * parameters (they hold customers' contacts, complaint text, password hashes).
 */
export function logSafeMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { query?: unknown; params?: unknown };
  if (typeof e.query !== 'string' || !('params' in e)) return e.message;
  const cause = e.cause instanceof Error ? ` — ${e.cause.message}` : '';
  return `failed query: ${e.query.replace(/\s+/g, ' ').slice(0, 300)}${cause}`;
}

/** The error as a log record ({ type, message, code, stack }) without query parameters. */
export function logSafeError(err: unknown): { type: string; message: string; code?: string; stack?: string } {
  const message = logSafeMessage(err);
  if (!(err instanceof Error)) return { type: typeof err, message };
  const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
  const frames = err.stack ? err.stack.slice(Math.max(0, err.stack.indexOf('\n    at '))) : '';
  return { type: err.name, message, ...(typeof code === 'string' ? { code } : {}), ...(frames ? { stack: `${err.name}: ${message}${frames}` } : {}) };
}
