import { sql } from 'drizzle-orm';
import {
  applyClockAction,
  clocksToJson,
  nearestRunningDue,
  nextAlertAt,
  type ClockAction,
  type ClockKind,
  type Clocks,
} from '../domain/clocks';
import type { SlaContext } from '../db/queries/settings';
import type { Tx } from './transaction';

/**
 * Writes a complaint's clocks and everything derived from them (the two deadline columns, the queue's
 * sort key, when the SLA sweep must next look), inside the caller's transaction and row lock.
 */
export async function saveClocks(tx: Tx, complaintId: string, clocks: Clocks, sla: SlaContext): Promise<void> {
  const alert = nextAlertAt(clocks, sla.thresholds, sla.cal);
  await tx.execute(sql`
    update complaints set clocks = ${JSON.stringify(clocksToJson(clocks))}::jsonb,
      acknowledgement_due_at = coalesce(${clocks.acknowledgement?.dueAt.toISOString() ?? null}::timestamptz, acknowledgement_due_at),
      resolution_due_at = coalesce(${clocks.resolution?.dueAt.toISOString() ?? null}::timestamptz, resolution_due_at),
      sort_due = ${nearestRunningDue(Object.values(clocks))}::timestamptz,
      next_alert_at = ${alert ? alert.toISOString() : null}::timestamptz
    where id = ${complaintId}`);
}

/** Applies clock actions; returns the new clocks and a summary for the timeline event ("resolution: pause"). */
export function applyClockActions(
  current: Clocks,
  actions: readonly ClockAction[],
  at: Date,
  sla: SlaContext,
): { clocks: Clocks; changed: { kind: ClockKind; op: ClockAction['op']; dueAt: string }[] } {
  const map = new Map(Object.entries(current) as [ClockKind, NonNullable<Clocks[ClockKind]>][]);
  const changed: { kind: ClockKind; op: ClockAction['op']; dueAt: string }[] = [];
  for (const action of actions) {
    for (const kind of applyClockAction(map, action, at, sla.policy, sla.cal)) {
      changed.push({ kind, op: action.op, dueAt: map.get(kind)!.dueAt.toISOString() });
    }
  }
  return { clocks: Object.fromEntries(map) as Clocks, changed };
}
