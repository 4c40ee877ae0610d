import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import { lockedFromRow } from '../commands/load';
import { saveClocks } from '../commands/clock-store';
import { appendEvent, type ComplaintHead } from '../commands/timeline';
import { inTransaction, type Tx } from '../commands/transaction';
import { SYSTEM_ACTOR } from '../commands/actor';
import type { Language } from '../domain/vocabulary';
import { CLOCK_KINDS, markFired, nextAlert, type ClockKind, type Clocks } from '../domain/clocks';
import { queueMail } from '../mail/outbox';
import { slaAlertMail } from '../mail/sla-alert';

/** Job `sla.sweep`: sends the reminders and breach notices the clocks owe, each exactly once. */
export interface SlaSweepOptions {
  database: Database;
  baseUrl: string;
  mailDomain: string;
  now?: Date;
  batch?: number;
}

interface Alert {
  kind: ClockKind;
  percent: number;
  dueAt: Date;
  startedAt: Date;
}

/**
 * Finds complaints whose next alert is due and handles each once: the rows are claimed with
 * FOR UPDATE SKIP LOCKED, and the thresholds sent are stored on the clock in the same transaction
 * as the timeline event, the notifications and the queued mail. Another Sen process running the
 * same sweep skips the rows this one holds and, once it commits, no longer finds them due; so a
 * reminder fires once however many processes sweep, and one that came due while Sen was down fires
 * once when it is back (only the highest threshold passed, not every one in between).
 */
export async function runSlaSweep(opts: SlaSweepOptions): Promise<{ alerts: number; complaints: number }> {
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? 100;
  const sla = await loadSlaContext(opts.database);
  let alerts = 0;
  let complaints = 0;
  for (;;) {
    const handled = await inTransaction(opts.database, async (tx) => {
      const rows = (
        await tx.execute<Record<string, unknown>>(sql`
          select id, code, status, subject, assignee_id, team_id, category_id, priority, acknowledged_at,
                 acknowledgement_due_at, resolution_due_at, clocks, received_at, event_count, last_event_hash
          from complaints where next_alert_at <= ${now.toISOString()}
          order by next_alert_at limit ${batch} for update skip locked`)
      ).rows;
      for (const row of rows) alerts += await sweepOne(tx, row, sla, now, opts);
      return rows.length;
    });
    complaints += handled;
    if (handled < batch) break;
  }
  return { alerts, complaints };
}

async function sweepOne(tx: Tx, row: Record<string, unknown>, sla: SlaContext, now: Date, opts: SlaSweepOptions): Promise<number> {
  const c = lockedFromRow(row);
  const clocks: Clocks = { ...c.clocks };
  const due: Alert[] = [];
  for (const kind of CLOCK_KINDS) {
    let clock = clocks[kind];
    if (!clock) continue;
    let top: number | null = null;
    for (let a = nextAlert(clock, sla.thresholds, sla.cal); a && a.at <= now; a = nextAlert(clock, sla.thresholds, sla.cal)) {
      top = a.percent;
      clock = markFired(clock, a.percent, sla.thresholds);
    }
    clocks[kind] = clock;
    if (top !== null) due.push({ kind, percent: top, dueAt: clock.dueAt, startedAt: clock.startedAt });
  }
  let head: ComplaintHead = c;
  let assigneeId = c.assigneeId;
  if (due.length) {
    const recipients = await recipientsOf(tx, assigneeId, c.teamId);
    for (const a of due) {
      const breached = a.percent >= 100;
      const payload = { clock: a.kind, percent: a.percent, dueAt: a.dueAt.toISOString() };
      head = await appendEvent(tx, head, SYSTEM_ACTOR, breached ? 'sla.breached' : 'sla.reminder', payload, now);
      // One key per clock run and threshold: a retried sweep, or a second process, stores nothing new.
      const key = `sla:${c.id}:${a.kind}:${a.startedAt.toISOString()}:${a.percent}`;
      for (const r of recipients) {
        await tx.execute(sql`
          insert into notifications (staff_id, complaint_id, kind, payload, dedupe_key)
          values (${r.id}, ${c.id}, ${breached ? 'sla.breached' : 'sla.reminder'},
                  ${JSON.stringify({ ...payload, code: c.code, subject: row.subject })}::jsonb, ${key})
          on conflict (staff_id, dedupe_key) do nothing`);
        const mail = slaAlertMail({
          to: r.email,
          staffName: r.name,
          code: c.code,
          subject: String(row.subject),
          clock: a.kind,
          percent: a.percent,
          dueAt: a.dueAt,
          link: `${opts.baseUrl}/staff/complaints/${c.code}`,
          // In the language each of them reads Sen in (the account page).
          locale: r.language,
        });
        await queueMail(tx, mail, { dedupeKey: `${key}:${r.id}`, complaintId: c.id, domain: opts.mailDomain });
      }
      if (breached && sla.policy.reassignOnBreach && assigneeId) {
        // The complaint goes to the supervisors' queue: unassigned, in its team.
        head = await appendEvent(
          tx,
          head,
          SYSTEM_ACTOR,
          'assignment.changed',
          { assigneeId: null, teamId: c.teamId, previousAssigneeId: assigneeId, previousTeamId: c.teamId, reason: 'sla_breach' },
          now,
        );
        await tx.execute(sql`update complaints set assignee_id = null where id = ${c.id}`);
        assigneeId = null;
      }
    }
  }
  await saveClocks(tx, c.id, clocks, sla);
  return due.length;
}

/** Who hears of a clock: the assignee, and the supervisors of the complaint's team (all supervisors when none). */
async function recipientsOf(
  tx: Tx,
  assigneeId: string | null,
  teamId: string | null,
): Promise<{ id: string; name: string; email: string; language: Language }[]> {
  const rows = (
    await tx.execute<{ id: string; name: string; email: string; language: Language }>(sql`
      select id, name, email, language from staff_users where active and (
        id = ${assigneeId}
        or (role = 'supervisor' and (team_id = ${teamId}
            or ${teamId}::uuid is null
            or not exists (select 1 from staff_users s where s.active and s.role = 'supervisor' and s.team_id = ${teamId}))))
      order by id`)
  ).rows;
  return rows;
}
