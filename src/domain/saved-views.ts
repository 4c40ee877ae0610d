import { AppError, type FieldError } from './errors';
import { QUEUE_FILTER_KEYS, type QueueFilterKey } from './vocabulary';

/*
 * Bộ lọc đã lưu — a staff member's named queue filters ("Việc của tôi quá hạn", "Chờ khách — kênh email"), one
 * click away above the queue. A view keeps the queue's address query, made of QUEUE_FILTER_KEYS only.
 */

/** How many views one member keeps: a row of chips, not a second queue. */
export const MAX_SAVED_VIEWS = 20;
const MAX_NAME = 60;
const MAX_VALUE = 200;

/**
 * A view as saved: its name trimmed (1–60 characters) and its query in the keys' order, empty values dropped;
 * an unknown or repeated key, an over-long value or no filter at all is a field error.
 */
export function checkSavedView(input: { name: string; query: string }): { name: string; query: string } {
  const fields: FieldError[] = [];
  const name = input.name.replace(/\s+/g, ' ').trim();
  if (!name) fields.push({ field: 'name', code: 'required' });
  else if (name.length > MAX_NAME) fields.push({ field: 'name', code: 'too_long' });
  const params = new URLSearchParams(input.query.replace(/^[?]/, ''));
  const kept = new URLSearchParams();
  const keys = [...params.keys()];
  const known = (k: string): k is QueueFilterKey => (QUEUE_FILTER_KEYS as readonly string[]).includes(k);
  if (keys.some((k) => !known(k)) || new Set(keys).size !== keys.length || [...params.values()].some((v) => v.length > MAX_VALUE)) {
    fields.push({ field: 'query', code: 'invalid_value' });
  } else {
    for (const k of QUEUE_FILTER_KEYS) {
      const v = params.get(k)?.trim();
      if (v) kept.set(k, v);
    }
    if (![...kept.keys()].length) fields.push({ field: 'query', code: 'required' });
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
  return { name, query: kept.toString() };
}
