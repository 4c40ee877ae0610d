import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findConsultation, type ConsultationRow } from '../db/queries/investigation';
import { linkSecret } from '../db/queries/settings';
import type { FileStore } from '../files/store';
import { AppError } from '../domain/errors';
import { verifyLink } from '../domain/signed-links';
import type { Actor } from './actor';
import type { Upload } from './add-attachments';
import { checkEvidenceUploads, storeEvidenceUploads } from './answer-information-request';
import { lockComplaint } from './load';
import type { StaffUser } from './staff-accounts';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

/**
 * Whether a staff member may see and answer a consultation: a department member only those
 * addressed to their own team; agents, supervisors and admins any.
 */
export function mayAnswerConsultation(user: Pick<StaffUser, 'role' | 'teamId'>, k: Pick<ConsultationRow, 'targetKind' | 'team'>): boolean {
  if (user.role !== 'department') return true;
  return k.targetKind === 'internal' && !!user.teamId && k.team?.id === user.teamId;
}

/**
 * The consultation a reply link opens, after checking its signature, purpose, expiry and that it is
 * still the latest link sent (a re-sent or cancelled consultation voids the earlier ones).
 */
export async function checkConsultationLink(database: Database, token: string, now: Date = new Date()): Promise<ConsultationRow> {
  const check = verifyLink(await linkSecret(database), token, 'consultation', Math.floor(now.getTime() / 1000));
  if (!check.ok) throw new AppError(check.reason === 'expired' ? 'consultation_link_expired' : 'consultation_link_invalid');
  const k = await findConsultation(database, String(check.claims.id));
  if (!k) throw new AppError('consultation_link_invalid');
  if (k.linkNonce !== check.claims.nonce) throw new AppError('consultation_link_revoked');
  return k;
}

interface AnswerInput {
  database: Database;
  files: FileStore;
  answer: string;
  uploads: Upload[];
  now?: Date;
}

/** Trả lời tham vấn — a staff member (a department member for their team) answers, with files. */
export async function answerConsultation(opts: AnswerInput & { user: StaffUser; actor: Actor; id: string }): Promise<ConsultationRow> {
  const k = await findConsultation(opts.database, opts.id);
  // Another team's consultation is not theirs to know of: the same answer as for none.
  if (!k || !mayAnswerConsultation(opts.user, k)) throw new AppError('consultation_not_found');
  return record(opts, k, opts.actor, { staff: { id: opts.user.id, name: opts.user.name } });
}

/**
 * Trả lời tham vấn qua email — the outside party answers by replying to the consultation mail: the
 * reply names that mail (In-Reply-To/References), comes from the address it was sent to, and the
 * consultation is still open on that mail's link. Null when any of that fails, or the answer or its
 * files are refused: the caller keeps the mail aside for an agent.
 */
export async function answerConsultationByEmail(
  opts: AnswerInput & {
    id: string;
    nonce: string;
    from: string;
    /** Records the mail itself (for de-duplication) in the same transaction as the answer. */
    recordMail: (tx: Tx, complaintId: string) => Promise<unknown>;
  },
): Promise<ConsultationRow | null> {
  const k = await findConsultation(opts.database, opts.id);
  if (!k || k.status !== 'open' || k.linkNonce !== opts.nonce || k.partyEmail?.toLowerCase() !== opts.from.toLowerCase()) return null;
  const actor: Actor = { kind: 'system', id: null, channel: 'email' };
  try {
    return await record({ ...opts, answer: opts.answer.slice(0, 20_000) }, k, actor, { party: { name: k.partyName, email: k.partyEmail } }, k.linkNonce, opts.recordMail);
  } catch (err) {
    if (err instanceof AppError && ['validation_failed', 'consultation_closed', 'consultation_link_revoked'].includes(err.code)) return null;
    throw err;
  }
}

/** Trả lời tham vấn qua liên kết — an outside party answers through the signed link, without an account. */
export async function answerConsultationByLink(opts: AnswerInput & { token: string }): Promise<ConsultationRow> {
  const k = await checkConsultationLink(opts.database, opts.token, opts.now);
  const actor: Actor = { kind: 'system', id: null, channel: 'web' };
  return record(opts, k, actor, { party: { name: k.partyName, email: k.partyEmail } }, k.linkNonce);
}

/**
 * Stores the answer once: the files are checked first (one refused file refuses all), a consultation
 * no longer open is refused before anything is stored, and the answer, its files (linked to the
 * consultation), the timeline event and the notice to the agent are written in one transaction.
 */
async function record(
  opts: AnswerInput,
  k: ConsultationRow,
  actor: Actor,
  by: Record<string, unknown>,
  nonce?: string,
  alsoInTransaction?: (tx: Tx, complaintId: string) => Promise<unknown>,
): Promise<ConsultationRow> {
  const answer = withoutCardNumbers(opts.answer.trim());
  if (!answer && !opts.uploads.length) throw new AppError('validation_failed', { fields: [{ field: 'answer', code: 'required' }] });
  if (answer.length > 20_000) throw new AppError('validation_failed', { fields: [{ field: 'answer', code: 'too_long' }] });
  if (opts.uploads.length) checkEvidenceUploads(opts.uploads);
  if (k.status !== 'open') throw new AppError('consultation_closed');
  const stored = await storeEvidenceUploads(opts.files, opts.uploads);
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, k.complaintCode);
    const at = opts.now ?? new Date();
    const row = (await tx.execute<{ status: string; link_nonce: string }>(sql`select status, link_nonce from consultations where id = ${k.id} for update`)).rows[0];
    if (nonce !== undefined && row.link_nonce !== nonce) throw new AppError('consultation_link_revoked');
    if (row.status !== 'open') throw new AppError('consultation_closed');
    const head = await appendEvent(
      tx,
      c,
      actor,
      'consultation.answered',
      { consultationId: k.id, answer, by, ...(stored.length ? { attachments: stored } : {}), ...(at > k.dueAt ? { late: true } : {}) },
      at,
    );
    for (const f of stored) {
      await tx.execute(sql`
        insert into attachments (complaint_id, event_id, consultation_id, filename, content_type, size, sha256)
        values (${c.id}, ${head.eventCount}, ${k.id}, ${f.filename}, ${f.contentType}, ${f.size}, ${f.sha256})`);
    }
    if (alsoInTransaction) await alsoInTransaction(tx, c.id);
    const staff = (by.staff as { id: string } | undefined)?.id ?? null;
    await tx.execute(sql`
      update consultations set status = 'answered', answer = ${answer}, answered_at = ${at.toISOString()}, answered_by = ${staff}
      where id = ${k.id}`);
    // The agent who asked, and whoever now holds the complaint, hear of the answer.
    await tx.execute(sql`
      insert into notifications (staff_id, complaint_id, kind, payload, dedupe_key)
      select s.id, ${c.id}::uuid, 'consultation.answered',
             jsonb_build_object('consultationId', ${k.id}::text, 'code', ${c.code}::text, 'subject', ${k.complaintSubject}::text),
             ${`consultation:${k.id}:answered`}::text
      from staff_users s
      where s.active and s.id in (${k.createdBy?.id ?? null}::uuid, ${c.assigneeId}::uuid) and s.id is distinct from ${staff}::uuid
      on conflict (staff_id, dedupe_key) do nothing`);
  });
  return (await findConsultation(opts.database, k.id))!;
}
