import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import { clockActionsForTransition, type ClockAction, type Clocks } from '../domain/clocks';
import { AppError } from '../domain/errors';
import { checkTransition, type Status } from '../domain/lifecycle';
import type { Channel } from '../domain/schemas';
import type { WorkflowPolicy } from '../domain/workflow';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { applyClockActions, saveClocks } from './clock-store';
import { createComplaint, type ReceiptSettings } from './create-complaint';
import type { Language } from '../domain/vocabulary';
import { lockComplaint, type LockedComplaint } from './load';
import { withdrawUnsentSurveys } from './schedule-survey';
import { appendEvent, type ComplaintHead } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

const DAY_MS = 86_400_000;

/** The states a customer may come back from: the complaint was resolved, or closed after it. */
export const REOPENABLE_STATUSES: readonly Status[] = ['resolved', 'closed'];

/**
 * Until when the customer may reopen a complaint: `reopenWindowDays` calendar days after its last
 * resolution. A complaint closed without one (after an authority's decision) is not reopened in place:
 * null, and a request to reopen opens a new complaint linked to it.
 */
export function reopenUntil(resolvedAt: Date | null, _closedAt: Date | null, workflow: WorkflowPolicy): Date | null {
  return resolvedAt ? new Date(resolvedAt.getTime() + workflow.reopenWindowDays * DAY_MS) : null;
}

interface FollowupColumns {
  resolvedAt: Date | null;
  closedAt: Date | null;
  reopenCount: number;
}

async function followupColumns(tx: Tx, complaintId: string): Promise<FollowupColumns> {
  const r = await tx.execute<{ resolved_at: string | Date | null; closed_at: string | Date | null; reopen_count: number }>(sql`
    select resolved_at, closed_at, reopen_count from complaints where id = ${complaintId}`);
  const row = r.rows[0];
  const d = (v: string | Date | null) => (v ? new Date(v) : null);
  return { resolvedAt: d(row?.resolved_at ?? null), closedAt: d(row?.closed_at ?? null), reopenCount: Number(row?.reopen_count ?? 0) };
}

/** Whether `at` falls in the complaint's reopen window (the caller holds the row lock). */
async function withinWindow(tx: Tx, c: Pick<LockedComplaint, 'id'>, at: Date, workflow: WorkflowPolicy): Promise<boolean> {
  const cols = await followupColumns(tx, c.id);
  const until = reopenUntil(cols.resolvedAt, cols.closedAt, workflow);
  return until !== null && at <= until;
}

/**
 * Whether a customer's email reply reopens the complaint it threads onto: null when the complaint is
 * not resolved or closed (the reply is an ordinary message), true within the reopen window, false after
 * it (the reply opens a new complaint linked to this one).
 */
export async function replyReopens(tx: Tx, c: Pick<LockedComplaint, 'id' | 'status'>, at: Date, workflow: WorkflowPolicy): Promise<boolean | null> {
  if (!REOPENABLE_STATUSES.includes(c.status)) return null;
  return withinWindow(tx, c, at, workflow);
}

/**
 * Mở lại — reopens a resolved or closed complaint inside the caller's transaction and row lock: it
 * goes to `reopened` (the lifecycle decides who may, and a reason is required), counts the reopening,
 * starts a new resolution clock, withdraws the unsent survey of the resolution reopened, and moves on
 * to `investigating` at once. Returns the new chain head and clocks; the caller saves the clocks.
 */
export async function reopenLocked(
  tx: Tx,
  opts: {
    complaint: Pick<LockedComplaint, 'id' | 'status'>;
    head: ComplaintHead;
    clocks: Clocks;
    actor: Actor;
    reason: string;
    at: Date;
    sla: SlaContext;
    /** More clock actions, e.g. a customer's reply also starts the next-response clock. */
    extraActions?: ClockAction[];
  },
): Promise<{ head: ComplaintHead; clocks: Clocks; reopenCount: number }> {
  const { complaint: c, actor, at, sla } = opts;
  const reason = withoutCardNumbers(opts.reason.trim());
  const check = checkTransition(c.status, 'reopened', actor.kind, reason);
  if (!check.ok) {
    if (check.reason === 'reason_required') throw new AppError('validation_failed', { fields: [{ field: 'reason', code: 'reason_required' }] });
    throw new AppError(check.reason, { allowed: check.allowed });
  }
  const n = await tx.execute<{ reopen_count: number }>(sql`
    update complaints set status = 'investigating', reopen_count = reopen_count + 1, closed_at = null
    where id = ${c.id} returning reopen_count`);
  const reopenCount = Number(n.rows[0].reopen_count);
  await withdrawUnsentSurveys(tx, c.id);
  const actions = [...clockActionsForTransition(c.status, 'reopened', sla.policy), ...(opts.extraActions ?? [])];
  const { clocks, changed } = applyClockActions(opts.clocks, actions, at, sla);
  let head = await appendEvent(
    tx,
    opts.head,
    actor,
    'status.changed',
    { from: c.status, to: 'reopened', reason: reason.slice(0, 2000), reopenCount, ...(changed.length ? { clocks: changed } : {}) },
    at,
  );
  // The reopened complaint goes back to work at once: staff move it themselves, Sen does it for a customer.
  const mover = checkTransition('reopened', 'investigating', actor.kind).ok ? actor : SYSTEM_ACTOR;
  head = await appendEvent(tx, head, mover, 'status.changed', { from: 'reopened', to: 'investigating', cause: 'reopened' }, at);
  return { head, clocks, reopenCount };
}

export type ReopenOutcome =
  | { outcome: 'reopened'; code: string; reopenCount: number }
  | { outcome: 'new_complaint'; code: string; previousCode: string; replayed: boolean };

/**
 * Mở lại khiếu nại — the customer (status page) or a supervisor asks to reopen a resolved or closed
 * complaint. Within the reopen window the same complaint is reopened (reopenLocked). After it, a new
 * complaint is opened for the same customer on the channel of the request, linked to the old one
 * (previous_complaint_id); the answer names the new code. A double click opens one new complaint.
 */
export async function reopenComplaint(opts: {
  database: Database;
  actor: Actor;
  code: string;
  reason: string;
  /** The channel a new complaint is recorded on (default: the old complaint's). */
  channel?: Channel;
  receipt?: ReceiptSettings;
  now?: Date;
}): Promise<ReopenOutcome> {
  const reason = withoutCardNumbers(opts.reason.trim());
  if (!reason) throw new AppError('validation_failed', { fields: [{ field: 'reason', code: 'reason_required' }] });
  const at = opts.now ?? new Date();
  const sla = await loadSlaContext(opts.database);
  const first = await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    // Who may reopen, and from which states, is the lifecycle's to say (the reason was checked above).
    const check = checkTransition(c.status, 'reopened', opts.actor.kind, reason);
    if (!check.ok) throw new AppError(check.reason === 'forbidden_transition' ? 'forbidden_transition' : 'invalid_transition', { allowed: check.allowed });
    if (await withinWindow(tx, c, at, sla.workflow)) {
      const done = await reopenLocked(tx, { complaint: c, head: c, clocks: c.clocks, actor: opts.actor, reason, at, sla });
      await saveClocks(tx, c.id, done.clocks, sla);
      return { outcome: 'reopened' as const, code: c.code, reopenCount: done.reopenCount };
    }
    const r = await tx.execute<{
      id: string;
      channel: string;
      subject: string;
      consent_at: string | null;
      language: Language;
      name: string;
      phone_e164: string | null;
      email: string | null;
    }>(sql`
      select c.id, c.channel, c.subject, c.consent_at, c.language, cu.name, cu.phone_e164, cu.email
      from complaints c join customers cu on cu.id = c.customer_id where c.id = ${c.id}`);
    return { outcome: 'window_passed' as const, code: c.code, old: r.rows[0] };
  });
  if (first.outcome === 'reopened') return first;

  const { old } = first;
  const channel = opts.channel ?? (old.channel as Channel);
  const created = await createComplaint({
    database: opts.database,
    actor: { ...opts.actor, channel },
    channel,
    input: {
      customer: { name: old.name, ...(old.phone_e164 ? { phone: old.phone_e164 } : {}), ...(old.email ? { email: old.email } : {}) },
      subject: `Tiếp nối khiếu nại ${first.code}: ${old.subject}`.slice(0, 300),
      description: reason,
      consent: old.consent_at !== null,
      // The customer is written to in the language of the complaint this one continues.
      language: old.language,
    },
    requireConsent: false,
    // The same request again (a double click, a retry) finds the complaint it opened.
    idempotencyKey: `${old.id}:${createHash('sha256').update(reason).digest('hex').slice(0, 32)}`,
    idempotencyScope: `reopen:${opts.actor.kind === 'customer' ? 'customer' : opts.actor.id ?? opts.actor.kind}`,
    receipt: opts.receipt,
    now: at,
    previous: { id: old.id, code: first.code },
  });
  return { outcome: 'new_complaint', code: created.code, previousCode: first.code, replayed: created.replayed };
}
