import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext } from '../db/queries/settings';
import { checkTransition } from '../domain/lifecycle';
import type { CONTACT_METHODS } from '../domain/schemas';
import type { Actor } from './actor';
import { applyClockActions, saveClocks } from './clock-store';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';

export interface LogContactOptions {
  database: Database;
  actor: Actor;
  code: string;
  method: (typeof CONTACT_METHODS)[number];
  summary: string;
  now?: Date;
}

/**
 * Ghi nhận liên hệ — records that staff reached the customer (a call, an email, a meeting). It is the
 * human contact the policy asks for: it stops the acknowledgement clock and answers the customer's
 * last message; a complaint still `received` becomes `acknowledged`.
 */
export async function logContact(opts: LogContactOptions): Promise<void> {
  const sla = await loadSlaContext(opts.database);
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const at = opts.now ?? new Date();
    const { clocks, changed } = applyClockActions(
      c.clocks,
      [
        { op: 'stop', kind: 'acknowledgement' },
        { op: 'stop', kind: 'next_response' },
      ],
      at,
      sla,
    );
    let head = await appendEvent(tx, c, opts.actor, 'contact.logged', {
      method: opts.method,
      summary: opts.summary.trim(),
      ...(changed.length ? { clocks: changed } : {}),
    }, at);
    if (c.status === 'received' && checkTransition('received', 'acknowledged', opts.actor.kind).ok) {
      await tx.execute(sql`update complaints set status = 'acknowledged', acknowledged_at = coalesce(acknowledged_at, ${at.toISOString()}) where id = ${c.id}`);
      head = await appendEvent(tx, head, opts.actor, 'status.changed', { from: 'received', to: 'acknowledged', cause: 'contact' }, at);
    }
    await saveClocks(tx, c.id, clocks, sla);
  });
}
