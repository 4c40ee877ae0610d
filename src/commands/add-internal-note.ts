import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

/** Ghi chú nội bộ — a note for staff only; the customer's view never shows it. */
export async function addInternalNote(opts: { database: Database; actor: Actor; code: string; body: string }): Promise<void> {
  const body = withoutCardNumbers(opts.body.trim());
  if (!body) throw new AppError('validation_failed', { fields: [{ field: 'body', code: 'required' }] });
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    await appendEvent(tx, c, opts.actor, 'note.added', { body });
  });
}
