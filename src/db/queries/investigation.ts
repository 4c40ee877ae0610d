import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../open';
import { toAppError } from '../errors';

/** A person named on a record (who asked, answered, verified). */
export interface PersonRef {
  id: string;
  name: string;
}

/** Yêu cầu bổ sung thông tin — as stored. */
export interface InfoRequestRow {
  id: string;
  complaintId: string;
  items: { kind: string; text?: string }[];
  message: string;
  dueAt: Date;
  status: 'open' | 'answered' | 'expired' | 'cancelled';
  requestedBy: PersonRef | null;
  createdAt: Date;
  remindedAt: Date | null;
  answeredAt: Date | null;
  expiredAt: Date | null;
  answer: string | null;
}

/** Tham vấn — as stored, with the complaint it belongs to. */
export interface ConsultationRow {
  id: string;
  complaintId: string;
  complaintCode: string;
  complaintSubject: string;
  targetKind: 'internal' | 'external';
  team: PersonRef | null;
  partyName: string | null;
  partyEmail: string | null;
  question: string;
  dueAt: Date;
  status: 'open' | 'answered' | 'cancelled';
  answer: string | null;
  answeredAt: Date | null;
  answeredBy: PersonRef | null;
  linkNonce: string;
  overdueNotifiedAt: Date | null;
  createdBy: PersonRef | null;
  createdAt: Date;
  /** The complaint's files (attachment ids) shared with the consulted department or party. */
  sharedFileIds: string[];
}

/** An evidence file with where it came from and its verification state. */
export interface EvidenceRow {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
  infoRequestId: string | null;
  consultationId: string | null;
  verification: 'verified' | 'disputed' | null;
  verificationNote: string | null;
  verifiedBy: PersonRef | null;
  verifiedAt: Date | null;
}

const date = (v: unknown) => (v == null ? null : new Date(v as string));
const person = (id: unknown, name: unknown): PersonRef | null => (id ? { id: id as string, name: (name as string | null) ?? '' } : null);

async function rows(database: Database, q: SQL): Promise<Record<string, unknown>[]> {
  try {
    return (await database.db.execute<Record<string, unknown>>(q)).rows;
  } catch (err) {
    throw toAppError(err);
  }
}

function infoRequestOf(r: Record<string, unknown>): InfoRequestRow {
  return {
    id: r.id as string,
    complaintId: r.complaint_id as string,
    items: (r.items as InfoRequestRow['items']) ?? [],
    message: r.message as string,
    dueAt: date(r.due_at)!,
    status: r.status as InfoRequestRow['status'],
    requestedBy: person(r.requested_by, r.requested_by_name),
    createdAt: date(r.created_at)!,
    remindedAt: date(r.reminded_at),
    answeredAt: date(r.answered_at),
    expiredAt: date(r.expired_at),
    answer: (r.answer as string | null) ?? null,
  };
}

const INFO_SELECT = sql`
  select r.id, r.complaint_id, r.items, r.message, r.due_at, r.status, r.requested_by, s.name as requested_by_name,
         r.created_at, r.reminded_at, r.answered_at, r.expired_at, r.answer
  from info_requests r left join staff_users s on s.id = r.requested_by`;

/** The information requests of a complaint, oldest first. */
export async function listInfoRequests(database: Database, complaintId: string): Promise<InfoRequestRow[]> {
  return (await rows(database, sql`${INFO_SELECT} where r.complaint_id = ${complaintId} order by r.created_at, r.id`)).map(infoRequestOf);
}

/** The request the customer has still to answer, if any (one at a time is open). */
export async function findOpenInfoRequest(database: Database, complaintId: string): Promise<InfoRequestRow | null> {
  const r = await rows(database, sql`${INFO_SELECT} where r.complaint_id = ${complaintId} and r.status = 'open' order by r.created_at desc limit 1`);
  return r[0] ? infoRequestOf(r[0]) : null;
}

/** One information request of a complaint, or null. */
export async function findInfoRequest(database: Database, complaintId: string, id: string): Promise<InfoRequestRow | null> {
  const r = await rows(database, sql`${INFO_SELECT} where r.complaint_id = ${complaintId} and r.id = ${id}`);
  return r[0] ? infoRequestOf(r[0]) : null;
}

const CONSULTATION_SELECT = sql`
  select k.id, k.complaint_id, c.code as complaint_code, c.subject as complaint_subject, k.target_kind,
         k.team_id, t.name as team_name, k.party_name, k.party_email, k.question, k.due_at, k.status, k.answer,
         k.answered_at, k.answered_by, a.name as answered_by_name, k.link_nonce, k.overdue_notified_at,
         k.created_by, cb.name as created_by_name, k.created_at,
         coalesce((select json_agg(f.attachment_id order by sa.created_at, sa.filename, sa.id)
                   from consultation_files f join attachments sa on sa.id = f.attachment_id
                   where f.consultation_id = k.id), '[]'::json) as shared_file_ids
  from consultations k
  join complaints c on c.id = k.complaint_id
  left join teams t on t.id = k.team_id
  left join staff_users a on a.id = k.answered_by
  left join staff_users cb on cb.id = k.created_by`;

function consultationOf(r: Record<string, unknown>): ConsultationRow {
  return {
    id: r.id as string,
    complaintId: r.complaint_id as string,
    complaintCode: r.complaint_code as string,
    complaintSubject: r.complaint_subject as string,
    targetKind: r.target_kind as ConsultationRow['targetKind'],
    team: person(r.team_id, r.team_name),
    partyName: (r.party_name as string | null) ?? null,
    partyEmail: (r.party_email as string | null) ?? null,
    question: r.question as string,
    dueAt: date(r.due_at)!,
    status: r.status as ConsultationRow['status'],
    answer: (r.answer as string | null) ?? null,
    answeredAt: date(r.answered_at),
    answeredBy: person(r.answered_by, r.answered_by_name),
    linkNonce: r.link_nonce as string,
    overdueNotifiedAt: date(r.overdue_notified_at),
    createdBy: person(r.created_by, r.created_by_name),
    createdAt: date(r.created_at)!,
    sharedFileIds: Array.isArray(r.shared_file_ids) ? r.shared_file_ids.map(String) : [],
  };
}

/** The consultations of a complaint, oldest first. */
export async function listComplaintConsultations(database: Database, complaintId: string): Promise<ConsultationRow[]> {
  return (await rows(database, sql`${CONSULTATION_SELECT} where k.complaint_id = ${complaintId} order by k.created_at, k.id`)).map(consultationOf);
}

/** One consultation by id, or null (a malformed id is simply not found). */
export async function findConsultation(database: Database, id: string): Promise<ConsultationRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await rows(database, sql`${CONSULTATION_SELECT} where k.id = ${id}`);
  return r[0] ? consultationOf(r[0]) : null;
}

export interface ConsultationFilter {
  /** Only those addressed to this team (a department member's, or "mine"). */
  teamId?: string | null;
  status?: 'open' | 'answered' | 'cancelled';
  limit: number;
}

/** Consultations across complaints, nearest due first (open ones), for the department inbox and the agents. */
export async function listConsultations(database: Database, f: ConsultationFilter): Promise<ConsultationRow[]> {
  const where: SQL[] = [];
  if (f.teamId !== undefined) where.push(f.teamId === null ? sql`false` : sql`k.target_kind = 'internal' and k.team_id = ${f.teamId}`);
  if (f.status) where.push(sql`k.status = ${f.status}`);
  const q = sql`${CONSULTATION_SELECT} ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
    order by (k.status = 'open') desc, k.due_at, k.id limit ${f.limit}`;
  return (await rows(database, q)).map(consultationOf);
}

const EVIDENCE_SELECT = sql`
  select a.id, a.filename, a.content_type, a.size, a.sha256, a.created_at, a.info_request_id, a.consultation_id,
         a.verification, a.verification_note, a.verified_by, v.name as verified_by_name, a.verified_at
  from attachments a left join staff_users v on v.id = a.verified_by`;

function evidenceOf(r: Record<string, unknown>): EvidenceRow {
  return {
    id: r.id as string,
    filename: r.filename as string,
    contentType: r.content_type as string,
    size: Number(r.size),
    sha256: r.sha256 as string,
    createdAt: date(r.created_at)!,
    infoRequestId: (r.info_request_id as string | null) ?? null,
    consultationId: (r.consultation_id as string | null) ?? null,
    verification: (r.verification as EvidenceRow['verification']) ?? null,
    verificationNote: (r.verification_note as string | null) ?? null,
    verifiedBy: person(r.verified_by, r.verified_by_name),
    verifiedAt: date(r.verified_at),
  };
}

/** Every evidence file of a complaint with its source and verification, oldest first. */
export async function listEvidence(database: Database, complaintId: string): Promise<EvidenceRow[]> {
  return (await rows(database, sql`${EVIDENCE_SELECT} where a.complaint_id = ${complaintId} order by a.created_at, a.filename, a.id`)).map(evidenceOf);
}

/** The files given with a consultation's answer. */
export async function listConsultationFiles(database: Database, consultationId: string): Promise<EvidenceRow[]> {
  return (await rows(database, sql`${EVIDENCE_SELECT} where a.consultation_id = ${consultationId} order by a.created_at, a.filename, a.id`)).map(evidenceOf);
}

/** The complaint's files shared with a consultation (what the consulted department or party may see). */
export async function listConsultationSharedFiles(database: Database, consultationId: string): Promise<EvidenceRow[]> {
  return (
    await rows(
      database,
      sql`${EVIDENCE_SELECT} join consultation_files f on f.attachment_id = a.id
          where f.consultation_id = ${consultationId} order by a.created_at, a.filename, a.id`,
    )
  ).map(evidenceOf);
}

/**
 * One file a consultation lets its reader download, by hash: a file shared with it, or (unless
 * `sharedOnly`) one given with its answer. Any other file of the complaint is not found.
 */
export async function findConsultationFile(
  database: Database,
  consultationId: string,
  sha256: string,
  opts: { sharedOnly: boolean },
): Promise<EvidenceRow | null> {
  const shared = sql`exists (select 1 from consultation_files f where f.consultation_id = ${consultationId} and f.attachment_id = a.id)`;
  const r = await rows(
    database,
    sql`${EVIDENCE_SELECT} where a.complaint_id = (select complaint_id from consultations where id = ${consultationId})
        and a.sha256 = ${sha256}
        and ${opts.sharedOnly ? shared : sql`(a.consultation_id = ${consultationId} or ${shared})`}
        order by a.created_at, a.id limit 1`,
  );
  return r[0] ? evidenceOf(r[0]) : null;
}
