import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import { SYSTEM_ACTOR } from '../commands/actor';
import { resumeInvestigation } from '../commands/answer-information-request';
import { saveClocks } from '../commands/clock-store';
import { lockComplaint } from '../commands/load';
import { mailCustomer, type CustomerMailSettings } from '../commands/request-information';
import { appendEvent } from '../commands/timeline';
import { inTransaction, type Tx } from '../commands/transaction';
import { addWorkingDays } from '../domain/calendar';

/** A complaint past its resolution needs no reminders or flags about what it once waited for. */
const FINISHED = sql.raw(`('resolved', 'closed', 'rejected', 'withdrawn', 'merged', 'escalated')`);

/** Job `investigation.sweep`: reminds customers of information requests, expires unanswered ones, flags overdue consultations. */
export interface InvestigationSweepOptions {
  database: Database;
  mail: CustomerMailSettings;
  now?: Date;
  batch?: number;
}

export interface InvestigationSweepResult {
  reminded: number;
  expired: number;
  overdueConsultations: number;
}

/**
 * Each thing is done exactly once however many Sen processes sweep: rows are claimed with
 * FOR UPDATE SKIP LOCKED (the request or consultation and its complaint together, so the sweep
 * never waits on a command and never deadlocks with one), and the mark that it was done
 * (`reminded_at`, `status = 'expired'`, `overdue_notified_at`) is written in the same transaction as
 * the timeline event, the mail and the notifications. What came due while Sen was down is done once when it is back.
 */
export async function runInvestigationSweep(opts: InvestigationSweepOptions): Promise<InvestigationSweepResult> {
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? 100;
  const sla = await loadSlaContext(opts.database);
  const result: InvestigationSweepResult = { reminded: 0, expired: 0, overdueConsultations: 0 };
  result.expired = await loop(opts.database, batch, (tx) => expireRequests(tx, sla, now, batch));
  result.reminded = await loop(opts.database, batch, (tx) => remindRequests(tx, sla, now, batch, opts.mail));
  result.overdueConsultations = await loop(opts.database, batch, (tx) => flagOverdueConsultations(tx, now, batch));
  return result;
}

/** Runs batches, each in its own transaction, until one comes back short. */
async function loop(database: Database, batch: number, step: (tx: Tx) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTransaction(database, step);
    total += n;
    if (n < batch) return total;
  }
}

/** Who hears that something needs the agent: the assignee, or the team's supervisors (all supervisors) when nobody holds it. */
async function notify(tx: Tx, complaintId: string, kind: string, payload: Record<string, unknown>, dedupeKey: string, extra: (string | null)[] = []): Promise<void> {
  await tx.execute(sql`
    insert into notifications (staff_id, complaint_id, kind, payload, dedupe_key)
    select s.id, c.id, ${kind}::text, ${JSON.stringify(payload)}::jsonb, ${dedupeKey}::text
    from complaints c join staff_users s on s.active and (
      s.id = c.assignee_id
      or s.id in (${sql.join([...extra, null].map((x) => sql`${x}::uuid`), sql`, `)})
      or (c.assignee_id is null and s.role = 'supervisor'
          and (s.team_id = c.team_id or c.team_id is null
               or not exists (select 1 from staff_users o where o.active and o.role = 'supervisor' and o.team_id = c.team_id))))
    where c.id = ${complaintId}
    on conflict (staff_id, dedupe_key) do nothing`);
}

async function expireRequests(tx: Tx, sla: SlaContext, now: Date, batch: number): Promise<number> {
  const rows = (
    await tx.execute<{ id: string; code: string; subject: string; due_at: string }>(sql`
      select r.id, c.code, c.subject, r.due_at from info_requests r join complaints c on c.id = r.complaint_id
      where r.status = 'open' and r.due_at <= ${now.toISOString()}
        and c.status not in ${FINISHED}
      order by r.due_at limit ${batch} for update of r, c skip locked`)
  ).rows;
  for (const r of rows) {
    // Already locked by this transaction: this reads the chain head as the previous row left it.
    const c = await lockComplaint(tx, r.code);
    await tx.execute(sql`update info_requests set status = 'expired', expired_at = ${now.toISOString()} where id = ${r.id}`);
    let head = await appendEvent(tx, c, SYSTEM_ACTOR, 'info_request.expired', { requestId: r.id, dueAt: new Date(r.due_at).toISOString() }, now);
    // The customer did not answer in time: the complaint goes back to the agent and its clock runs again.
    const resumed = await resumeInvestigation(tx, head, c, c.clocks, SYSTEM_ACTOR, 'information_request_expired', now, sla);
    head = resumed.head;
    if (resumed.resumed) await saveClocks(tx, c.id, resumed.clocks, sla);
    await notify(tx, c.id, 'info_request.expired', { requestId: r.id, code: c.code, subject: r.subject, dueAt: new Date(r.due_at).toISOString() }, `info-request:${r.id}:expired`);
  }
  return rows.length;
}

async function remindRequests(tx: Tx, sla: SlaContext, now: Date, batch: number, mail: CustomerMailSettings): Promise<number> {
  const days = sla.workflow.infoRequestReminderDays;
  if (days <= 0) return 0;
  // A request is reminded once the due date is no more than `days` working days away.
  const bound = addWorkingDays(now, days, sla.cal);
  const rows = (
    await tx.execute<{ id: string; code: string; items: { kind: string; text?: string }[]; message: string; due_at: string }>(sql`
      select r.id, c.code, r.items, r.message, r.due_at from info_requests r join complaints c on c.id = r.complaint_id
      where r.status = 'open' and r.reminded_at is null and r.due_at > ${now.toISOString()} and r.due_at <= ${bound.toISOString()}
        and c.status not in ${FINISHED}
      order by r.due_at limit ${batch} for update of r, c skip locked`)
  ).rows;
  for (const r of rows) {
    const c = await lockComplaint(tx, r.code);
    const dueAt = new Date(r.due_at);
    await tx.execute(sql`update info_requests set reminded_at = ${now.toISOString()} where id = ${r.id}`);
    const mailed = await mailCustomer(tx, { complaintId: c.id, code: c.code, requestId: r.id, items: r.items, message: r.message, dueAt, settings: mail, sla, reminder: true, at: now });
    await appendEvent(tx, c, SYSTEM_ACTOR, 'info_request.reminded', { requestId: r.id, dueAt: dueAt.toISOString(), mailed }, now);
  }
  return rows.length;
}

async function flagOverdueConsultations(tx: Tx, now: Date, batch: number): Promise<number> {
  const rows = (
    await tx.execute<{ id: string; code: string; subject: string; due_at: string; created_by: string | null; target_kind: string; party_name: string | null; team_name: string | null }>(sql`
      select k.id, c.code, c.subject, k.due_at, k.created_by, k.target_kind, k.party_name, t.name as team_name
      from consultations k join complaints c on c.id = k.complaint_id left join teams t on t.id = k.team_id
      where k.status = 'open' and k.overdue_notified_at is null and k.due_at <= ${now.toISOString()}
        and c.status not in ${FINISHED}
      order by k.due_at limit ${batch} for update of k, c skip locked`)
  ).rows;
  for (const r of rows) {
    const c = await lockComplaint(tx, r.code);
    await tx.execute(sql`update consultations set overdue_notified_at = ${now.toISOString()} where id = ${r.id}`);
    const dueAt = new Date(r.due_at).toISOString();
    const to = r.target_kind === 'internal' ? r.team_name : r.party_name;
    await appendEvent(tx, c, SYSTEM_ACTOR, 'consultation.overdue', { consultationId: r.id, dueAt, target: to }, now);
    await notify(tx, c.id, 'consultation.overdue', { consultationId: r.id, code: c.code, subject: r.subject, dueAt, target: to }, `consultation:${r.id}:overdue`, [r.created_by]);
  }
  return rows.length;
}
