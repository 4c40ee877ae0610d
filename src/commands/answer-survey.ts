import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findComplaint, findComplaintForContact } from '../db/queries/complaints';
import { linkSecret, loadSlaContext } from '../db/queries/settings';
import { toAppError } from '../db/errors';
import { AppError } from '../domain/errors';
import { verifyLink } from '../domain/signed-links';
import { SURVEY_QUESTION } from '../mail/survey';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { closeResolvedComplaint } from './close-complaint';
import { lockComplaint } from './load';
import { withdrawUnsentSurveys } from './schedule-survey';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

/**
 * Who answers: the holder of a survey link, the customer on the status page (code + contact on file), or staff
 * writing down what the customer said on the phone (customers without email get no survey link).
 */
export type SurveyTarget = { token: string } | { code: string; contact: string } | { code: string; takenBy: Actor };

/** A survey as its link page shows it. */
export interface SurveyView {
  code: string;
  subject: string;
  resolutionNo: number;
  question: { vi: string; en: string };
  answered: boolean;
  rating: number | null;
  comment: string | null;
  answeredAt: string | null;
  /** When the link stops working (null on the status page, which needs no link). */
  expiresAt: string | null;
}

export interface SurveyAnswer {
  code: string;
  resolutionNo: number;
  rating: number;
  comment: string | null;
  answeredAt: string;
  /** The complaint's status after the answer: `closed` when the answer closed it. */
  status: string;
}

type SurveyRow = {
  id: string;
  complaint_id: string;
  resolution_no: number;
  link_nonce: string;
  answered_at: string | Date | null;
  rating: number | null;
  comment: string | null;
  code: string;
  subject: string;
  customer_id: string;
};

const SELECT_SURVEY = sql`
  select s.id, s.complaint_id, s.resolution_no, s.link_nonce, s.answered_at, s.rating, s.comment,
         c.code, c.subject, c.customer_id
  from surveys s join complaints c on c.id = s.complaint_id`;

async function read(database: Database, where: SQL): Promise<SurveyRow | null> {
  try {
    const r = await database.db.execute<SurveyRow>(sql`${SELECT_SURVEY} where ${where}`);
    return r.rows[0] ?? null;
  } catch (err) {
    throw toAppError(err);
  }
}

/**
 * Finds the survey a target points at. A link must be untouched (403 survey_link_invalid), not
 * expired (410 survey_link_expired) and carry the survey's current nonce; a status-page visitor must
 * give the complaint's contact (404 exactly as for an unknown code) and gets its latest survey.
 */
async function findSurvey(database: Database, target: SurveyTarget, now: Date): Promise<{ survey: SurveyRow; expiresAt: Date | null }> {
  if ('token' in target) {
    const check = verifyLink(await linkSecret(database), target.token, 'survey', Math.floor(now.getTime() / 1000));
    if (!check.ok) throw new AppError(check.reason === 'expired' ? 'survey_link_expired' : 'survey_link_invalid');
    const survey = /^[0-9a-f-]{36}$/i.test(check.claims.id) ? await read(database, sql`s.id = ${check.claims.id}`) : null;
    if (!survey || survey.link_nonce !== check.claims.nonce) throw new AppError('survey_link_invalid');
    return { survey, expiresAt: new Date(check.claims.exp * 1000) };
  }
  const complaint = 'takenBy' in target ? await findComplaint(database, target.code) : await findComplaintForContact(database, target.code, target.contact);
  if (!complaint) throw new AppError('complaint_not_found');
  const survey = await read(database, sql`s.complaint_id = ${complaint.id} order by s.resolution_no desc limit 1`);
  if (!survey) throw new AppError('survey_not_found');
  return { survey, expiresAt: null };
}

/** Mở phiếu khảo sát — what the survey page shows: the complaint, the question, and any answer already given. */
export async function openSurvey(opts: { database: Database; target: SurveyTarget; now?: Date }): Promise<SurveyView> {
  const { survey, expiresAt } = await findSurvey(opts.database, opts.target, opts.now ?? new Date());
  return {
    code: survey.code,
    subject: survey.subject,
    resolutionNo: survey.resolution_no,
    question: { ...SURVEY_QUESTION },
    answered: survey.answered_at !== null,
    rating: survey.rating,
    comment: survey.comment,
    answeredAt: survey.answered_at ? new Date(survey.answered_at).toISOString() : null,
    expiresAt: expiresAt?.toISOString() ?? null,
  };
}

/**
 * Trả lời khảo sát — stores the customer's rating (1–5) and comment, once: a second answer, even a
 * double click racing the first, is refused (409) and stores nothing. The answer closes the complaint
 * when it is still resolved with this survey's resolution (a reopened complaint stays open).
 */
export async function answerSurvey(opts: {
  database: Database;
  target: SurveyTarget;
  rating: number;
  comment?: string;
  now?: Date;
}): Promise<SurveyAnswer> {
  const at = opts.now ?? new Date();
  if (!Number.isInteger(opts.rating) || opts.rating < 1 || opts.rating > 5) {
    throw new AppError('validation_failed', { fields: [{ field: 'rating', code: 'out_of_range' }] });
  }
  const comment = withoutCardNumbers(opts.comment?.trim() ?? '') || null;
  if (comment && comment.length > 2000) throw new AppError('validation_failed', { fields: [{ field: 'comment', code: 'too_long' }] });
  const { survey } = await findSurvey(opts.database, opts.target, at);
  const sla = await loadSlaContext(opts.database);
  return inTransaction(opts.database, async (tx) => {
    // The complaint first, then its survey: the same order as a resolution, so the two never deadlock.
    const c = await lockComplaint(tx, survey.code);
    const r = await tx.execute<{ answered_at: string | null; reopen_count: number }>(sql`
      select s.answered_at, c.reopen_count from surveys s join complaints c on c.id = s.complaint_id
      where s.id = ${survey.id} for update of s`);
    const row = r.rows[0];
    if (!row) throw new AppError('survey_not_found');
    if (row.answered_at) throw new AppError('survey_already_answered');
    await tx.execute(sql`
      update surveys set answered_at = ${at.toISOString()}, rating = ${opts.rating}, comment = ${comment} where id = ${survey.id}`);
    // Answered before the mail went: the mail is no longer needed.
    await withdrawUnsentSurveys(tx, c.id, survey.id);
    const actor = 'takenBy' in opts.target ? opts.target.takenBy : { kind: 'customer' as const, id: survey.customer_id, channel: 'portal' as const };
    const via = 'token' in opts.target ? 'link' : 'takenBy' in opts.target ? 'phone' : 'status_page';
    const head = await appendEvent(tx, c, actor, 'survey.answered', { resolutionNo: survey.resolution_no, rating: opts.rating, comment, via }, at);
    let status: string = c.status;
    if (c.status === 'resolved' && survey.resolution_no === Number(row.reopen_count) + 1) {
      await closeResolvedComplaint(tx, head, c, SYSTEM_ACTOR, 'survey_answered', at, sla);
      status = 'closed';
    }
    return { code: c.code, resolutionNo: survey.resolution_no, rating: opts.rating, comment, answeredAt: at.toISOString(), status };
  });
}
