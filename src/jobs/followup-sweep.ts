import type { Language } from '../domain/vocabulary';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import { SYSTEM_ACTOR } from '../commands/actor';
import { closeResolvedComplaint } from '../commands/close-complaint';
import { mailedStatusUrlOf } from '../commands/create-complaint';
import { lockedFromRow } from '../commands/load';
import { reopenUntil } from '../commands/reopen-complaint';
import { surveyToken, surveyUrl, withdrawUnsentSurveys } from '../commands/schedule-survey';
import { appendEvent } from '../commands/timeline';
import { inTransaction, type Tx } from '../commands/transaction';
import { queueMail } from '../mail/outbox';
import { surveyMail } from '../mail/survey';

/** Job `followup.sweep`: sends the satisfaction surveys that came due, and closes resolved complaints left unanswered. */
export interface FollowupSweepOptions {
  database: Database;
  baseUrl: string;
  mailDomain: string;
  companyName: string;
  now?: Date;
  batch?: number;
}

const DAY_MS = 86_400_000;

/**
 * Theo dõi sau giải quyết. Rows are claimed with FOR UPDATE SKIP LOCKED and each is settled in the
 * transaction that claimed it (the survey marked sent with its mail queued under a per-survey key;
 * the complaint closed with its event), so any number of processes may sweep, a rerun finds nothing
 * more to do, and what came due while Sen was down is done once when it is back.
 * - a survey whose send time passed goes by email, with a signed link, to a customer who gave one;
 *   without an email it stays on the status page only, and the sweep stops looking at it;
 * - a complaint resolved `autoCloseDays` ago whose customer neither answered nor reopened is closed.
 */
export async function runFollowupSweep(opts: FollowupSweepOptions): Promise<{ surveysSent: number; closed: number }> {
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? 100;
  const sla = await loadSlaContext(opts.database);
  const secret = sla.linkSecret;
  let surveysSent = 0;
  let closed = 0;
  for (;;) {
    const n = await inTransaction(opts.database, async (tx) => {
      const rows = (
        await tx.execute<SurveyDue>(sql`
          select s.id, s.complaint_id, s.resolution_no, s.link_nonce, c.code, c.subject, c.status, c.reopen_count,
                 c.resolved_at, c.closed_at, c.language, cu.name, cu.email
          from surveys s join complaints c on c.id = s.complaint_id join customers cu on cu.id = c.customer_id
          where s.sent_at is null and s.answered_at is null and s.send_after <= ${now.toISOString()}
          order by s.send_after limit ${batch} for update of s skip locked`)
      ).rows;
      let settled = 0;
      for (const row of rows) {
        const outcome = await sendSurvey(tx, row, sla, secret, now, opts);
        if (outcome === 'sent') surveysSent += 1;
        if (outcome !== 'skipped') settled += 1;
      }
      return { claimed: rows.length, settled };
    });
    // A full batch may hide more; a batch of only skipped rows is tried again at the next sweep.
    if (n.claimed < batch || n.settled === 0) break;
  }
  const cutoff = new Date(now.getTime() - sla.workflow.autoCloseDays * DAY_MS);
  for (;;) {
    const n = await inTransaction(opts.database, async (tx) => {
      const rows = (
        await tx.execute<Record<string, unknown>>(sql`
          select id, code, status, assignee_id, team_id, category_id, priority, acknowledged_at,
                 acknowledgement_due_at, resolution_due_at, clocks, received_at, event_count, last_event_hash
          from complaints where status = 'resolved' and resolved_at <= ${cutoff.toISOString()}
          order by resolved_at limit ${batch} for update skip locked`)
      ).rows;
      for (const row of rows) {
        const c = lockedFromRow(row);
        await closeResolvedComplaint(tx, c, c, SYSTEM_ACTOR, 'auto_close', now, sla);
      }
      return rows.length;
    });
    closed += n;
    if (n < batch) break;
  }
  return { surveysSent, closed };
}

type SurveyDue = {
  id: string;
  complaint_id: string;
  resolution_no: number;
  link_nonce: string;
  code: string;
  subject: string;
  status: string;
  reopen_count: number;
  resolved_at: string | Date | null;
  closed_at: string | Date | null;
  language: Language;
  name: string;
  email: string | null;
};

/**
 * Sends one due survey. `withdrawn`: nothing to send (no email: the status page shows it; or the
 * resolution was reopened since); `skipped`: the complaint is busy, the next sweep sends it.
 */
async function sendSurvey(
  tx: Tx,
  row: SurveyDue,
  sla: SlaContext,
  secret: string,
  now: Date,
  opts: FollowupSweepOptions,
): Promise<'sent' | 'withdrawn' | 'skipped'> {
  const current = (row.status === 'resolved' || row.status === 'closed') && row.resolution_no === Number(row.reopen_count) + 1;
  if (!current || !row.email) {
    await withdrawUnsentSurveys(tx, row.complaint_id, row.id);
    return 'withdrawn';
  }
  // The event needs the complaint's row lock. One held elsewhere (a reopen, an answer: they lock the
  // complaint, then the survey) is skipped rather than waited for, so the two orders never deadlock.
  const head = (
    await tx.execute<{ event_count: number; last_event_hash: string }>(sql`
      select event_count, last_event_hash from complaints where id = ${row.complaint_id} for update skip locked`)
  ).rows[0];
  if (!head) return 'skipped';
  const { token, expiresAt } = surveyToken(secret, { id: row.id, linkNonce: row.link_nonce }, now, sla.workflow);
  const d = (v: string | Date | null) => (v ? new Date(v) : null);
  const mail = surveyMail({
    to: row.email,
    customerName: row.name,
    code: row.code,
    subject: row.subject,
    surveyUrl: surveyUrl(opts.baseUrl, token, row.language),
    expiresAt,
    statusUrl: mailedStatusUrlOf(opts.baseUrl, row.code, row.email, now, sla, row.language),
    reopenUntil: reopenUntil(d(row.resolved_at), d(row.closed_at), sla.workflow),
    companyName: opts.companyName,
    locale: row.language,
  });
  await queueMail(tx, mail, { dedupeKey: `survey:${row.id}`, complaintId: row.complaint_id, domain: opts.mailDomain });
  await tx.execute(sql`update surveys set sent_at = ${now.toISOString()} where id = ${row.id}`);
  await appendEvent(
    tx,
    { id: row.complaint_id, eventCount: Number(head.event_count), lastEventHash: head.last_event_hash },
    SYSTEM_ACTOR,
    'survey.sent',
    { resolutionNo: row.resolution_no, to: row.email, expiresAt: expiresAt.toISOString() },
    now,
  );
  return 'sent';
}
