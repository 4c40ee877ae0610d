import type { Database } from '../db/open';
import { loadSlaContext } from '../db/queries/settings';
import { startClock } from '../domain/clocks';
import { AppError } from '../domain/errors';
import { futureInstantError } from '../domain/time';
import { allowedTransitions, TERMINAL_STATUSES } from '../domain/lifecycle';
import type { Actor } from './actor';
import { saveClocks } from './clock-store';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';

/** Đặt hạn thủ công — sets (or removes, with null) a due date beside the SLA clocks. */
export async function setDueDate(opts: { database: Database; actor: Actor; code: string; dueAt: Date | null; now?: Date }): Promise<void> {
  const at = opts.now ?? new Date();
  // A year typed wrong (2062, 9999) is not a deadline anyone means, and the working calendar ends at 2199.
  const wrong = opts.dueAt ? futureInstantError(opts.dueAt, at) : null;
  if (wrong) throw new AppError('validation_failed', { fields: [{ field: 'dueAt', code: wrong }] });
  const sla = await loadSlaContext(opts.database);
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    if (TERMINAL_STATUSES.includes(c.status)) throw new AppError('invalid_transition', { allowed: allowedTransitions(c.status, opts.actor.kind) });
    const clocks = { ...c.clocks };
    if (opts.dueAt) clocks.manual = startClock('manual', at, sla.policy, sla.cal, opts.dueAt);
    else delete clocks.manual;
    await appendEvent(tx, c, opts.actor, 'due_date.set', { dueAt: opts.dueAt?.toISOString() ?? null }, at);
    await saveClocks(tx, c.id, clocks, sla);
  });
}
