import { AppError } from '../domain/errors';

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

/** Whether a driver error means the database is unreachable for now (so the caller should retry later). */
export function isUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i.test(e.message)) return true;
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
