import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findEscalation, type EscalationRow } from '../db/queries/resolution';
import { isUuid } from '../domain/ids';
import { AppError, type FieldError } from '../domain/errors';
import { startOfVietnamDay } from '../domain/time';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent, type ComplaintHead } from './timeline';
import { inTransaction } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';
import { loadSlaContext } from '../db/queries/settings';
import { mailEscalationStep } from './escalate-complaint';
import type { CustomerMailSettings } from './propose-resolution';

const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface RecordAuthorityOutcomeOptions {
  database: Database;
  actor: Actor;
  code: string;
  escalationId: string;
  /** When the dossier was handed to the authority (bàn giao hồ sơ). */
  handedOverAt?: Date;
  /** The authority's reference number for the case (số thụ lý / số công văn). */
  referenceNo?: string;
  /** What the authority decided, and when. */
  outcome?: string;
  outcomeAt?: Date;
  /** Where the customer's mail points them; without it (a script), no mail. */
  mail?: CustomerMailSettings;
  now?: Date;
}

/**
 * Kết quả từ cơ quan có thẩm quyền — records the progress of an escalation: the hand-over of the
 * dossier (date, the authority's reference number) and later the authority's outcome. Each is a
 * timeline event; a correction is another event showing the previous value. After the outcome the
 * complaint can be closed (escalated → closed).
 */
export async function recordAuthorityOutcome(opts: RecordAuthorityOutcomeOptions): Promise<EscalationRow> {
  const now = opts.now ?? new Date();
  const referenceNo = opts.referenceNo?.trim();
  const outcome = opts.outcome === undefined ? undefined : withoutCardNumbers(opts.outcome.trim());
  const fields: FieldError[] = [];
  const past = (field: string, d: Date | undefined) => {
    if (!d) return;
    if (Number.isNaN(d.getTime())) fields.push({ field, code: 'invalid_value' });
    else if (d.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) fields.push({ field, code: 'must_be_past' });
  };
  past('handedOverAt', opts.handedOverAt);
  past('outcomeAt', opts.outcomeAt);
  if (opts.referenceNo !== undefined && !referenceNo) fields.push({ field: 'referenceNo', code: 'required' });
  if (opts.outcome !== undefined && !outcome) fields.push({ field: 'outcome', code: 'required' });
  if (outcome && !opts.outcomeAt) fields.push({ field: 'outcomeAt', code: 'required' });
  if (opts.outcomeAt && !outcome) fields.push({ field: 'outcome', code: 'required' });
  if (!opts.handedOverAt && referenceNo === undefined && !outcome && !fields.length) fields.push({ field: '(body)', code: 'required' });
  if (fields.length) throw new AppError('validation_failed', { fields });
  if (!isUuid(opts.escalationId)) throw new AppError('escalation_not_found');

  const sla = opts.mail ? await loadSlaContext(opts.database) : null;
  const complaintId = await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const r = await tx.execute<{
      id: string;
      created_at: string;
      handed_over_at: string | null;
      reference_no: string | null;
      outcome: string | null;
      outcome_at: string | null;
      authority_name: string;
    }>(sql`
      select id, created_at, handed_over_at, reference_no, outcome, outcome_at, authority_name from escalations
      where id = ${opts.escalationId} and complaint_id = ${c.id} for update`);
    const e = r.rows[0];
    if (!e) throw new AppError('escalation_not_found');
    const handedOverAt = opts.handedOverAt ?? (e.handed_over_at ? new Date(e.handed_over_at) : null);
    const checks: FieldError[] = [];
    if (referenceNo && !handedOverAt) checks.push({ field: 'handedOverAt', code: 'required' });
    if (outcome && !handedOverAt) checks.push({ field: 'handedOverAt', code: 'required' });
    // Each step after the one before: escalated (the dossier made), handed over, decided by the authority.
    // Dates typed by hand are days: a hand-over on the day of the escalation counts from that day's start.
    if (opts.handedOverAt && opts.handedOverAt < startOfVietnamDay(new Date(e.created_at))) checks.push({ field: 'handedOverAt', code: 'before_escalation' });
    const outcomeAt = opts.outcomeAt ?? (e.outcome_at ? new Date(e.outcome_at) : null);
    if (opts.handedOverAt && !opts.outcomeAt && outcomeAt && opts.handedOverAt > outcomeAt) checks.push({ field: 'handedOverAt', code: 'after_outcome' });
    if (opts.outcomeAt && handedOverAt && opts.outcomeAt < handedOverAt) checks.push({ field: 'outcomeAt', code: 'out_of_range' });
    if (checks.length) throw new AppError('validation_failed', { fields: checks });

    let head: ComplaintHead = c;
    if (opts.handedOverAt || referenceNo !== undefined) {
      const nextRef = referenceNo ?? e.reference_no;
      await tx.execute(sql`update escalations set handed_over_at = ${handedOverAt!.toISOString()}, reference_no = ${nextRef} where id = ${e.id}`);
      const previous = e.handed_over_at ? { previous: { handedOverAt: new Date(e.handed_over_at).toISOString(), referenceNo: e.reference_no } } : {};
      head = await appendEvent(tx, head, opts.actor, 'escalation.handed_over', {
        escalationId: e.id,
        handedOverAt: handedOverAt!.toISOString(),
        referenceNo: nextRef,
        ...previous,
      }, now);
      // The customer hears once that the authority has the case (a correction of the date or number is not news).
      if (opts.mail && sla && !e.handed_over_at) {
        const step = { step: 'handed_over' as const, handedOverAt: handedOverAt!, referenceNo: nextRef };
        await mailEscalationStep(tx, { complaintId: c.id, code: c.code, escalationId: e.id, authorityName: e.authority_name, settings: opts.mail, sla, at: now, ...step });
      }
    }
    if (outcome) {
      await tx.execute(sql`update escalations set outcome = ${outcome}, outcome_at = ${opts.outcomeAt!.toISOString()} where id = ${e.id}`);
      const previous = e.outcome ? { previous: { outcome: e.outcome, outcomeAt: e.outcome_at ? new Date(e.outcome_at).toISOString() : null } } : {};
      head = await appendEvent(tx, head, opts.actor, 'escalation.outcome', { escalationId: e.id, outcome, outcomeAt: opts.outcomeAt!.toISOString(), ...previous }, now);
      if (opts.mail && sla && !e.outcome) {
        const step = { step: 'outcome' as const, outcome, outcomeAt: opts.outcomeAt! };
        await mailEscalationStep(tx, { complaintId: c.id, code: c.code, escalationId: e.id, authorityName: e.authority_name, settings: opts.mail, sla, at: now, ...step });
      }
    }
    return c.id;
  });
  const escalation = await findEscalation(opts.database, complaintId, opts.escalationId);
  if (!escalation) throw new AppError('internal');
  return escalation;
}
