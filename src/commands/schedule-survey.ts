import type { Language } from '../domain/vocabulary';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { signLink } from '../domain/signed-links';
import type { WorkflowPolicy } from '../domain/workflow';
import type { Tx } from './transaction';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface ScheduledSurvey {
  resolutionNo: number;
  sendAfter: Date;
  /** False when this resolution already had its survey (a retry, a double click). */
  created: boolean;
}

/**
 * Khảo sát hài lòng — schedules the satisfaction survey of one resolution of a complaint, in the
 * caller's transaction: sent `surveyDelayHours` after the resolution. One survey per complaint and
 * resolution number (the unique key decides), so a retried resolution never makes a second one.
 */
export async function scheduleSurvey(
  tx: Tx,
  opts: { complaintId: string; resolutionNo: number; resolvedAt: Date; workflow: WorkflowPolicy },
): Promise<ScheduledSurvey> {
  const sendAfter = new Date(opts.resolvedAt.getTime() + opts.workflow.surveyDelayHours * HOUR_MS);
  const r = await tx.execute<{ id: string }>(sql`
    insert into surveys (complaint_id, resolution_no, send_after, link_nonce)
    values (${opts.complaintId}, ${opts.resolutionNo}, ${sendAfter.toISOString()}, ${randomBytes(12).toString('base64url')})
    on conflict (complaint_id, resolution_no) do nothing returning id`);
  return { resolutionNo: opts.resolutionNo, sendAfter, created: r.rows.length > 0 };
}

/**
 * Surveys not yet sent that must never be sent: answered already on the status page, or of a
 * resolution the customer reopened. Their send time moves to 'infinity', out of the sweep's range.
 */
export async function withdrawUnsentSurveys(tx: Tx, complaintId: string, surveyId?: string): Promise<void> {
  await tx.execute(sql`
    update surveys set send_after = 'infinity'
    where complaint_id = ${complaintId} and sent_at is null ${surveyId ? sql`and id = ${surveyId}` : sql``}`);
}

/** The token of a survey link: signed, for this survey and its nonce, valid `linkValidityDays` from `issuedAt`. */
export function surveyToken(secret: string, survey: { id: string; linkNonce: string }, issuedAt: Date, workflow: WorkflowPolicy): { token: string; expiresAt: Date } {
  const expiresAt = new Date(issuedAt.getTime() + workflow.linkValidityDays * DAY_MS);
  const token = signLink(secret, { purpose: 'survey', id: survey.id, nonce: survey.linkNonce, exp: Math.floor(expiresAt.getTime() / 1000) });
  return { token, expiresAt };
}

/** The page a survey link opens (the web app's /khao-sat/<token>). */
export function surveyUrl(baseUrl: string, token: string, language: Language = 'vi'): string {
  return `${baseUrl}/khao-sat/${token}${language === 'en' ? '?lang=en' : ''}`;
}
