import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findComplaintForContact } from '../db/queries/complaints';
import { findInfoRequest } from '../db/queries/investigation';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import type { FileStore } from '../files/store';
import { clockActionsForTransition, type Clocks } from '../domain/clocks';
import { AppError, type FieldError } from '../domain/errors';
import { checkTransition, resolutionRunning } from '../domain/lifecycle';
import { checkUploads, safeFilename } from '../domain/uploads';
import type { Actor } from './actor';
import type { Upload } from './add-attachments';
import { applyClockActions, saveClocks } from './clock-store';
import { lockComplaint, type LockedComplaint } from './load';
import { appendEvent, type ComplaintHead } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { isUuid } from '../domain/ids';
import { withoutCardNumbers } from '../domain/payment-cards';

/** A file stored by hash, ready to be listed on a complaint. */
export interface StoredFile {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}


/** Checks uploads as evidence uploads are checked (by content, size, number) and refuses all on any problem. */
export function checkEvidenceUploads(uploads: Upload[]): void {
  const problems = checkUploads(uploads.map((u) => ({ filename: u.filename, size: u.content.length, sniffedType: u.sniffedType })));
  if (problems.length) {
    const fields: FieldError[] = problems.map((p) => ({ field: `files[${p.index}]`, code: p.code }));
    throw new AppError('validation_failed', { fields });
  }
}

/** Stores checked uploads by hash before the database lists them (a crash leaves only unlisted bytes). */
export async function storeEvidenceUploads(files: FileStore, uploads: Upload[]): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  for (const u of uploads) {
    const { sha256, size } = await files.put(u.content);
    stored.push({ filename: safeFilename(u.filename), contentType: u.sniffedType!, size, sha256 });
  }
  return stored;
}

/**
 * Moves a complaint that waits on the customer back to investigation and runs its resolution clock
 * again — unless another information request is still open. The caller holds the row lock and saves the clocks.
 */
export async function resumeInvestigation(
  tx: Tx,
  head: ComplaintHead,
  c: Pick<LockedComplaint, 'id' | 'status'>,
  clocks: Clocks,
  actor: Actor,
  cause: string,
  at: Date,
  sla: SlaContext,
): Promise<{ head: ComplaintHead; clocks: Clocks; resumed: boolean }> {
  if (c.status !== 'awaiting_customer' || !checkTransition('awaiting_customer', 'investigating', actor.kind).ok) {
    return { head, clocks, resumed: false };
  }
  const other = await tx.execute(sql`select 1 from info_requests where complaint_id = ${c.id} and status = 'open' limit 1`);
  if (other.rows.length) return { head, clocks, resumed: false };
  const step = applyClockActions(clocks, clockActionsForTransition('awaiting_customer', 'investigating', sla.policy), at, sla);
  await tx.execute(sql`update complaints set status = 'investigating' where id = ${c.id}`);
  const next = await appendEvent(
    tx,
    head,
    actor,
    'status.changed',
    { from: 'awaiting_customer', to: 'investigating', cause, ...(step.changed.length ? { clocks: step.changed } : {}) },
    at,
  );
  return { head: next, clocks: step.clocks, resumed: true };
}

export interface AnswerInformationRequestOptions {
  database: Database;
  files: FileStore;
  code: string;
  /** The phone or email the complaint was filed with: the customer's proof of who they are. */
  contact: string;
  requestId: string;
  message: string;
  uploads: Upload[];
  now?: Date;
}

/**
 * Trả lời yêu cầu bổ sung — the customer answers an information request from the status page, with
 * a message and/or files. The request is fulfilled, the files are evidence of the complaint (linked
 * to the request), the complaint goes back to investigation and its resolution clock runs again; all
 * in one transaction. Sending the same answer twice (a double click) stores it once; a different
 * answer to a request already answered is refused. A late answer (request expired) is still taken.
 */
export async function answerInformationRequest(opts: AnswerInformationRequestOptions): Promise<{ replayed: boolean }> {
  const message = withoutCardNumbers(opts.message.trim());
  if (!message && !opts.uploads.length) throw new AppError('validation_failed', { fields: [{ field: 'message', code: 'required' }] });
  if (message.length > 20_000) throw new AppError('validation_failed', { fields: [{ field: 'message', code: 'too_long' }] });
  if (opts.uploads.length) checkEvidenceUploads(opts.uploads);
  const found = await findComplaintForContact(opts.database, opts.code, opts.contact);
  // The same answer whether the code or the contact is wrong: a stranger learns nothing.
  if (!found) throw new AppError('complaint_not_found');
  if (!isUuid(opts.requestId)) throw new AppError('info_request_not_found');
  // A complaint no longer worked on (closed, withdrawn, escalated …) takes no more answers.
  if (!resolutionRunning(found.status)) throw new AppError('info_request_closed');
  const before = await findInfoRequest(opts.database, found.id, opts.requestId);
  if (!before) throw new AppError('info_request_not_found');
  const hashes = opts.uploads.map((u) => createHash('sha256').update(u.content).digest('hex'));
  if (before.status === 'answered' || before.status === 'cancelled') {
    if (before.status === 'answered' && (await sameAnswer(opts.database.db, before.id, before.answer, message, hashes))) return { replayed: true };
    throw new AppError('info_request_closed');
  }
  const stored = await storeEvidenceUploads(opts.files, opts.uploads);
  const sla = await loadSlaContext(opts.database);
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, found.code);
    const at = opts.now ?? new Date();
    const r = await tx.execute<{ status: string; answer: string | null }>(sql`
      select status, answer from info_requests where id = ${opts.requestId} and complaint_id = ${c.id} for update`);
    const row = r.rows[0];
    if (!row) throw new AppError('info_request_not_found');
    if (row.status === 'answered' || row.status === 'cancelled') {
      // The other click of a double click got here first with this very answer.
      if (row.status === 'answered' && (await sameAnswer(tx, opts.requestId, row.answer, message, hashes))) return { replayed: true };
      throw new AppError('info_request_closed');
    }
    const actor: Actor = { kind: 'customer', id: found.customer.id, channel: 'portal' };
    const start = applyClockActions(c.clocks, [{ op: 'start', kind: 'next_response' }], at, sla);
    let head: ComplaintHead = await appendEvent(
      tx,
      c,
      actor,
      'info_request.answered',
      {
        requestId: opts.requestId,
        answer: message,
        ...(stored.length ? { attachments: stored } : {}),
        ...(row.status === 'expired' ? { late: true } : {}),
        ...(start.changed.length ? { clocks: start.changed } : {}),
      },
      at,
    );
    for (const f of stored) {
      await tx.execute(sql`
        insert into attachments (complaint_id, event_id, info_request_id, filename, content_type, size, sha256)
        values (${c.id}, ${head.eventCount}, ${opts.requestId}, ${f.filename}, ${f.contentType}, ${f.size}, ${f.sha256})`);
    }
    await tx.execute(sql`update info_requests set status = 'answered', answered_at = ${at.toISOString()}, answer = ${message}
      where id = ${opts.requestId}`);
    const resumed = await resumeInvestigation(tx, head, c, start.clocks, actor, 'information_provided', at, sla);
    head = resumed.head;
    await saveClocks(tx, c.id, resumed.clocks, sla);
    return { replayed: false };
  });
}

/** Whether a stored answer is this one: the same words and the same files. */
async function sameAnswer(tx: Pick<Database['db'], 'execute'> | Tx, requestId: string, answer: string | null, message: string, hashes: string[]): Promise<boolean> {
  if ((answer ?? '') !== message) return false;
  const r = await tx.execute<{ sha256: string }>(sql`select sha256 from attachments where info_request_id = ${requestId}`);
  const have = new Set(r.rows.map((x) => x.sha256));
  return hashes.length === have.size && hashes.every((h) => have.has(h));
}

/**
 * The email hook: a customer's reply threaded onto a complaint fulfils its open information request,
 * with the mail's text as the answer and its attachments linked to the request. Runs inside the
 * caller's transaction, under its row lock; the caller moves the complaint back to investigation.
 */
export async function fulfilInformationRequestsByEmail(
  tx: Tx,
  head: ComplaintHead,
  opts: { actor: Actor; answer: string; attachments: { sha256: string; filename: string }[]; at: Date },
): Promise<ComplaintHead> {
  const open = await tx.execute<{ id: string }>(sql`
    select id from info_requests where complaint_id = ${head.id} and status = 'open' order by created_at for update`);
  let next = head;
  const answer = withoutCardNumbers(opts.answer.trim()).slice(0, 20_000);
  for (const { id } of open.rows) {
    await tx.execute(sql`update info_requests set status = 'answered', answered_at = ${opts.at.toISOString()}, answer = ${answer} where id = ${id}`);
    if (opts.attachments.length) {
      await tx.execute(sql`
        update attachments set info_request_id = ${id}
        where complaint_id = ${head.id} and info_request_id is null and consultation_id is null
          and sha256 in (${sql.join(opts.attachments.map((a) => sql`${a.sha256}`), sql`, `)})`);
    }
    next = await appendEvent(
      tx,
      next,
      opts.actor,
      'info_request.answered',
      { requestId: id, answer, ...(opts.attachments.length ? { attachments: opts.attachments } : {}) },
      opts.at,
    );
  }
  return next;
}
