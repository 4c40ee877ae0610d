import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { linkSecret, loadSlaContext } from '../db/queries/settings';
import { addWorkingDays } from '../domain/calendar';
import { normalizeEmail } from '../domain/contacts';
import { AppError, type FieldError } from '../domain/errors';
import { allowedTransitions, OPEN_STATUSES } from '../domain/lifecycle';
import { signLink } from '../domain/signed-links';
import type { FileStore } from '../files/store';
import { consultationRequestMail } from '../mail/consultation-request';
import { queueMail } from '../mail/outbox';
import type { Actor } from './actor';
import type { Upload } from './add-attachments';
import { checkEvidenceUploads, storeEvidenceUploads, type StoredFile } from './answer-information-request';
import { lockComplaint, type LockedComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { isUuid } from '../domain/ids';
import { withoutCardNumbers } from '../domain/payment-cards';

/** To whom a consultation goes: a team of the company, or an outside party by name and email. */
export type ConsultationTarget = { kind: 'internal'; teamId: string } | { kind: 'external'; name: string; email: string };

/** In whose name, and where, outside parties are written to. */
export interface PartyMailSettings {
  baseUrl: string;
  companyName: string;
  locale?: 'vi' | 'en';
}

export interface RequestConsultationOptions {
  database: Database;
  actor: Actor;
  code: string;
  target: ConsultationTarget;
  question: string;
  /** Working days to answer; the workflow policy's default when absent. */
  dueDays?: number;
  /** Sent by the form once per consultation: a double click or a retry returns the first one. */
  clientKey?: string;
  /** Files of the complaint (attachment ids) to share with the department or party consulted. */
  shareFileIds?: string[];
  /** New files sent with the question: checked as every upload, added to the complaint and shared. */
  uploads?: Upload[];
  /** Where uploaded bytes are stored (needed only with uploads). */
  files?: FileStore;
  mail: PartyMailSettings;
  now?: Date;
}

/** At most this many of the complaint's files are shared with one consultation (uploads have their own limit). */
export const MAX_SHARED_FILES = 50;

/** A file shared with a consultation, as its timeline event lists it. */
export interface SharedFile extends StoredFile {
  /** Uploaded with the question (rather than picked among the complaint's files). */
  uploaded?: true;
}

const REPEAT_WINDOW_MS = 10 * 60_000;

/** The page an outside party answers on (the web app reads the token and calls the public API). */
export function consultationLinkOf(baseUrl: string, token: string): string {
  return `${baseUrl}/tham-van?token=${encodeURIComponent(token)}`;
}


function checkInput(opts: RequestConsultationOptions): { question: string; target: ConsultationTarget; shareFileIds: string[] } {
  const fields: FieldError[] = [];
  const share = opts.shareFileIds ?? [];
  if (share.length > MAX_SHARED_FILES) fields.push({ field: 'shareFileIds', code: 'too_many' });
  share.forEach((id, i) => {
    if (!isUuid(id)) fields.push({ field: `shareFileIds[${i}]`, code: 'invalid_value' });
  });
  const question = withoutCardNumbers(opts.question.trim());
  if (!question) fields.push({ field: 'question', code: 'required' });
  else if (question.length > 10_000) fields.push({ field: 'question', code: 'too_long' });
  if (opts.dueDays !== undefined && (!Number.isInteger(opts.dueDays) || opts.dueDays < 1 || opts.dueDays > 60)) {
    fields.push({ field: 'dueDays', code: 'out_of_range' });
  }
  let target = opts.target;
  if (target.kind === 'internal') {
    if (!/^[0-9a-f-]{36}$/i.test(target.teamId ?? '')) fields.push({ field: 'teamId', code: target.teamId ? 'not_found' : 'required' });
  } else if (target.kind === 'external') {
    const name = target.name?.trim() ?? '';
    const email = target.email ? normalizeEmail(target.email) : null;
    if (!name) fields.push({ field: 'partyName', code: 'required' });
    else if (name.length > 200) fields.push({ field: 'partyName', code: 'too_long' });
    if (!target.email?.trim()) fields.push({ field: 'partyEmail', code: 'required' });
    else if (!email) fields.push({ field: 'partyEmail', code: 'email_invalid' });
    target = { kind: 'external', name, email: email ?? '' };
  } else {
    fields.push({ field: 'kind', code: 'invalid_value' });
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
  if (opts.uploads?.length) {
    checkEvidenceUploads(opts.uploads);
    if (!opts.files) throw new Error('requestConsultation: uploads need a file store');
  }
  return { question, target, shareFileIds: [...new Set(share.map((id) => id.toLowerCase()))] };
}

/**
 * The complaint's files picked to share, in the order they were added; an id not of this complaint is
 * a field error naming its place in `asSent`.
 */
async function pickSharedFiles(tx: Tx, complaintId: string, ids: string[], asSent: string[]): Promise<(StoredFile & { id: string })[]> {
  if (!ids.length) return [];
  const found = await tx.execute<{ id: string; filename: string; content_type: string; size: number; sha256: string }>(sql`
    select id, filename, content_type, size, sha256 from attachments
    where complaint_id = ${complaintId} and id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})
    order by created_at, filename, id`);
  const known = new Set(found.rows.map((r) => r.id));
  const missing: FieldError[] = ids.flatMap((id) =>
    known.has(id) ? [] : [{ field: `shareFileIds[${asSent.findIndex((sent) => sent.toLowerCase() === id)}]`, code: 'not_found' as const }],
  );
  if (missing.length) throw new AppError('validation_failed', { fields: missing });
  return found.rows.map((r) => ({ id: r.id, filename: r.filename, contentType: r.content_type, size: Number(r.size), sha256: r.sha256 }));
}

/**
 * Tham vấn — asks an internal department or an outside party (carrier, supplier, bank) a question
 * about a complaint, due in working days, sharing some of the complaint's files and new ones uploaded
 * with it (the only files the consulted side will see). A department hears of it in the app; an
 * outside party gets an email with a signed reply link (no account) that also opens the shared files.
 * Waiting on them does not pause the resolution clock. The same consultation sent twice (client key,
 * or the same content within minutes) is stored once. Uploads are written only once every check passed.
 */
export async function requestConsultation(opts: RequestConsultationOptions): Promise<{ id: string; dueAt: Date; replayed: boolean }> {
  const { question, target, shareFileIds } = checkInput(opts);
  const uploads = opts.uploads ?? [];
  const clientKey = opts.clientKey?.trim() || undefined;
  const sla = await loadSlaContext(opts.database);
  const secret = target.kind === 'external' ? await linkSecret(opts.database) : '';
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const at = opts.now ?? new Date();
    if (clientKey) {
      const earlier = await tx.execute<{ id: string; due_at: string }>(sql`
        select k.id, k.due_at from timeline_events e join consultations k on k.id::text = e.payload->>'consultationId'
        where e.complaint_id = ${c.id} and e.type = 'consultation.requested' and e.payload->>'clientKey' = ${clientKey} limit 1`);
      const row = earlier.rows[0];
      if (row) return { id: row.id, dueAt: new Date(row.due_at), replayed: true };
    }
    if (!OPEN_STATUSES.includes(c.status)) throw new AppError('invalid_transition', { allowed: allowedTransitions(c.status, opts.actor.kind) });
    const picked = await pickSharedFiles(tx, c.id, shareFileIds, opts.shareFileIds ?? []);
    // A repeat is the same question to the same side with the same files (by content); other files make another consultation.
    const fileHashes = [...new Set([...picked.map((f) => f.sha256), ...uploads.map((u) => createHash('sha256').update(u.content).digest('hex'))])].sort();
    const same = await tx.execute<{ id: string; due_at: string; files: string[] | null }>(sql`
      select k.id, k.due_at,
             (select json_agg(distinct a.sha256) from consultation_files f join attachments a on a.id = f.attachment_id where f.consultation_id = k.id) as files
      from consultations k
      where k.complaint_id = ${c.id} and k.status = 'open' and k.question = ${question} and k.created_at > ${new Date(at.getTime() - REPEAT_WINDOW_MS).toISOString()}
        and ${target.kind === 'internal' ? sql`k.team_id = ${target.teamId}` : sql`k.party_email = ${target.email}`}
      order by k.created_at, k.id`);
    const repeat = same.rows.find((r) => JSON.stringify([...(r.files ?? [])].sort()) === JSON.stringify(fileHashes));
    if (repeat) return { id: repeat.id, dueAt: new Date(repeat.due_at), replayed: true };

    let teamName: string | null = null;
    if (target.kind === 'internal') {
      const t = await tx.execute<{ name: string }>(sql`select name from teams where id = ${target.teamId}`);
      if (!t.rows[0]) throw new AppError('validation_failed', { fields: [{ field: 'teamId', code: 'not_found' }] });
      teamName = t.rows[0].name;
    }
    const days = opts.dueDays ?? sla.workflow.consultationDays;
    const dueAt = addWorkingDays(at, days, sla.cal);
    const nonce = randomBytes(12).toString('base64url');
    const inserted = await tx.execute<{ id: string }>(sql`
      insert into consultations (complaint_id, target_kind, team_id, party_name, party_email, question, due_at, status, link_nonce, created_by, created_at)
      values (${c.id}, ${target.kind}, ${target.kind === 'internal' ? target.teamId : null}, ${target.kind === 'external' ? target.name : null},
              ${target.kind === 'external' ? target.email : null}, ${question}, ${dueAt.toISOString()}, 'open', ${nonce},
              ${staffId(opts.actor)}, ${at.toISOString()})
      returning id`);
    const id = inserted.rows[0].id;
    // Every check has passed: only now are the uploaded bytes written (by hash, before rows list them).
    const stored = uploads.length && opts.files ? await storeEvidenceUploads(opts.files, uploads) : [];
    const sharedFiles: SharedFile[] = [
      ...picked.map(({ id: _id, ...f }) => f),
      ...stored.map((f) => ({ ...f, uploaded: true as const })),
    ];
    const head = await appendEvent(
      tx,
      c,
      opts.actor,
      'consultation.requested',
      {
        consultationId: id,
        target:
          target.kind === 'internal'
            ? { kind: 'internal', teamId: target.teamId, teamName }
            : { kind: 'external', name: target.name, email: target.email },
        question,
        dueAt: dueAt.toISOString(),
        dueDays: days,
        ...(sharedFiles.length ? { sharedFiles } : {}),
        ...(clientKey ? { clientKey } : {}),
      },
      at,
    );
    const sharedIds = picked.map((f) => f.id);
    for (const f of stored) {
      const row = await tx.execute<{ id: string }>(sql`
        insert into attachments (complaint_id, event_id, filename, content_type, size, sha256, created_at)
        values (${c.id}, ${head.eventCount}, ${f.filename}, ${f.contentType}, ${f.size}, ${f.sha256}, ${at.toISOString()})
        returning id`);
      sharedIds.push(row.rows[0].id);
    }
    for (const attachmentId of sharedIds) {
      await tx.execute(sql`insert into consultation_files (consultation_id, attachment_id) values (${id}, ${attachmentId})`);
    }
    if (target.kind === 'internal') {
      await notifyTeam(tx, c, target.teamId, id, dueAt);
    } else {
      await mailParty(tx, {
        complaint: c,
        id,
        name: target.name,
        email: target.email,
        question,
        files: sharedFiles.map((f) => f.filename),
        dueAt,
        nonce,
        secret,
        at,
        days: sla.workflow.linkValidityDays,
        settings: opts.mail,
        resent: false,
      });
    }
    return { id, dueAt, replayed: false };
  });
}

function staffId(actor: Actor): string | null {
  return actor.kind !== 'customer' && actor.kind !== 'system' ? actor.id : null;
}

/** Tells the department's members in the app; only the code and subject, never the customer. */
async function notifyTeam(tx: Tx, c: LockedComplaint, teamId: string, id: string, dueAt: Date): Promise<void> {
  await tx.execute(sql`
    insert into notifications (staff_id, complaint_id, kind, payload, dedupe_key)
    select s.id, ${c.id}::uuid, 'consultation.requested',
           jsonb_build_object('consultationId', ${id}::text, 'code', ${c.code}::text, 'subject', c.subject, 'dueAt', ${dueAt.toISOString()}::text),
           ${`consultation:${id}:requested`}::text
    from staff_users s join complaints c on c.id = ${c.id}
    where s.active and s.team_id = ${teamId} and s.role = 'department'
    on conflict (staff_id, dedupe_key) do nothing`);
}

async function mailParty(
  tx: Tx,
  m: {
    complaint: Pick<LockedComplaint, 'id' | 'code'>;
    id: string;
    name: string;
    email: string;
    question: string;
    /** Names of the files shared with the party. */
    files: string[];
    dueAt: Date;
    nonce: string;
    secret: string;
    at: Date;
    days: number;
    settings: PartyMailSettings;
    resent: boolean;
  },
): Promise<void> {
  const exp = Math.floor(m.at.getTime() / 1000) + m.days * 86_400;
  const token = signLink(m.secret, { purpose: 'consultation', id: m.id, nonce: m.nonce, exp });
  const mail = consultationRequestMail({
    to: m.email,
    partyName: m.name,
    code: m.complaint.code,
    question: m.question,
    files: m.files,
    dueAt: m.dueAt,
    link: consultationLinkOf(m.settings.baseUrl, token),
    linkExpiresAt: new Date(exp * 1000),
    companyName: m.settings.companyName,
    locale: m.settings.locale ?? 'vi',
    resent: m.resent,
  });
  // Not recorded among the complaint's mail: a reply from the party must not read as the customer's.
  await queueMail(tx, mail, { dedupeKey: `consultation:${m.id}:${m.nonce}`, complaintId: m.complaint.id, domain: new URL(m.settings.baseUrl).hostname });
}

/** Locks the consultation's complaint, then the consultation, in the order every command takes them. */
async function lockConsultation(tx: Tx, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('consultation_not_found');
  const where = await tx.execute<{ code: string }>(sql`
    select c.code from consultations k join complaints c on c.id = k.complaint_id where k.id = ${id}`);
  if (!where.rows[0]) throw new AppError('consultation_not_found');
  const c = await lockComplaint(tx, where.rows[0].code);
  const k = (
    await tx.execute<{ status: string; target_kind: string; party_name: string | null; party_email: string | null; question: string; due_at: string }>(sql`
      select status, target_kind, party_name, party_email, question, due_at from consultations where id = ${id} for update`)
  ).rows[0];
  return { c, k };
}

/**
 * Gửi lại tham vấn — sends an outside party a fresh reply link (optionally to a corrected address);
 * every link sent before stops working.
 */
export async function resendConsultation(opts: {
  database: Database;
  actor: Actor;
  id: string;
  email?: string;
  mail: PartyMailSettings;
  now?: Date;
}): Promise<void> {
  const email = opts.email?.trim() ? normalizeEmail(opts.email) : undefined;
  if (email === null) throw new AppError('validation_failed', { fields: [{ field: 'partyEmail', code: 'email_invalid' }] });
  const sla = await loadSlaContext(opts.database);
  const secret = await linkSecret(opts.database);
  await inTransaction(opts.database, async (tx) => {
    const { c, k } = await lockConsultation(tx, opts.id);
    if (k.status !== 'open') throw new AppError('consultation_closed');
    if (k.target_kind !== 'external') throw new AppError('validation_failed', { fields: [{ field: 'kind', code: 'invalid_value' }] });
    const at = opts.now ?? new Date();
    const nonce = randomBytes(12).toString('base64url');
    const to = email ?? k.party_email!;
    await tx.execute(sql`update consultations set link_nonce = ${nonce}, party_email = ${to} where id = ${opts.id}`);
    const shared = await tx.execute<{ filename: string }>(sql`
      select a.filename from consultation_files f join attachments a on a.id = f.attachment_id
      where f.consultation_id = ${opts.id} order by a.created_at, a.filename, a.id`);
    await appendEvent(tx, c, opts.actor, 'consultation.resent', { consultationId: opts.id, email: to }, at);
    await mailParty(tx, {
      complaint: c,
      id: opts.id,
      name: k.party_name ?? to,
      email: to,
      question: k.question,
      files: shared.rows.map((r) => r.filename),
      dueAt: new Date(k.due_at),
      nonce,
      secret,
      at,
      days: sla.workflow.linkValidityDays,
      settings: opts.mail,
      resent: true,
    });
  });
}

/** Huỷ tham vấn — withdraws an open consultation; its reply link stops working. */
export async function cancelConsultation(opts: { database: Database; actor: Actor; id: string; reason?: string; now?: Date }): Promise<void> {
  await inTransaction(opts.database, async (tx) => {
    const { c, k } = await lockConsultation(tx, opts.id);
    if (k.status !== 'open') throw new AppError('consultation_closed');
    const at = opts.now ?? new Date();
    await tx.execute(sql`update consultations set status = 'cancelled', link_nonce = ${randomBytes(12).toString('base64url')} where id = ${opts.id}`);
    const reason = opts.reason === undefined ? undefined : withoutCardNumbers(opts.reason.trim());
    await appendEvent(tx, c, opts.actor, 'consultation.cancelled', { consultationId: opts.id, ...(reason ? { reason } : {}) }, at);
  });
}
