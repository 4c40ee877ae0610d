import { sql } from 'drizzle-orm';
import type { SlaContext } from '../db/queries/settings';
import { nextAlertAt, recomputeClock, type ClockKind, type Clocks } from '../domain/clocks';
import { OPEN_STATUSES } from '../domain/lifecycle';
import type { Actor } from './actor';
import { saveClocks } from './clock-store';
import { lockedFromRow } from './load';
import { appendEvent } from './timeline';
import type { Tx } from './transaction';

/**
 * Tính lại hạn — after the calendar or the SLA policy changed, recomputes the clocks of every open
 * complaint inside the caller's transaction; each complaint whose deadlines moved gets a timeline
 * event saying from what to what. Returns how many changed.
 */
export async function recomputeOpenDeadlines(tx: Tx, sla: SlaContext, actor: Actor, reason: string, at: Date = new Date()): Promise<number> {
  const open = sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `);
  let changed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (
      await tx.execute<Record<string, unknown>>(sql`
        select id, code, status, assignee_id, team_id, category_id, priority, acknowledged_at, acknowledgement_due_at,
               resolution_due_at, clocks, received_at, event_count, last_event_hash, next_alert_at
        from complaints where status in (${open}) and id > ${after}::uuid order by id limit 500 for update`)
    ).rows;
    if (!rows.length) break;
    for (const row of rows) {
      const c = lockedFromRow(row);
      const next: Clocks = {};
      const moves: { clock: ClockKind; from: string; to: string }[] = [];
      for (const [kind, clock] of Object.entries(c.clocks) as [ClockKind, NonNullable<Clocks[ClockKind]>][]) {
        const r = recomputeClock(clock, sla.policy, sla.cal);
        next[kind] = r;
        if (r.dueAt.getTime() !== clock.dueAt.getTime()) moves.push({ clock: kind, from: clock.dueAt.toISOString(), to: r.dueAt.toISOString() });
      }
      if (!moves.length) {
        // Only the reminder fractions changed: the sweep must look at the new instant, no event needed.
        const alert = nextAlertAt(next, sla.thresholds, sla.cal);
        const stored = row.next_alert_at ? new Date(String(row.next_alert_at)).getTime() : null;
        if ((alert?.getTime() ?? null) !== stored) await saveClocks(tx, c.id, next, sla);
        continue;
      }
      await appendEvent(tx, c, actor, 'sla.recomputed', { reason, changes: moves }, at);
      await saveClocks(tx, c.id, next, sla);
      changed += 1;
    }
    after = String(rows[rows.length - 1].id);
  }
  return changed;
}
