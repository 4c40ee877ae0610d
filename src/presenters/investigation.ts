import type { ComplaintRow } from '../db/queries/complaints';
import type { ConsultationRow, EvidenceRow, InfoRequestRow } from '../db/queries/investigation';

const iso = (d: Date | null) => d?.toISOString() ?? null;

function evidenceSource(e: EvidenceRow): 'complaint' | 'info_request' | 'consultation' {
  if (e.infoRequestId) return 'info_request';
  if (e.consultationId) return 'consultation';
  return 'complaint';
}

/** One evidence file as staff see it: where it came from, its hash, and whether someone checked it. */
function presentEvidence(code: string, e: EvidenceRow) {
  return {
    id: e.id,
    filename: e.filename,
    contentType: e.contentType,
    size: e.size,
    sha256: e.sha256,
    addedAt: e.createdAt.toISOString(),
    source: evidenceSource(e),
    infoRequestId: e.infoRequestId,
    consultationId: e.consultationId,
    verification: e.verification
      ? { status: e.verification, note: e.verificationNote, by: e.verifiedBy, at: iso(e.verifiedAt) }
      : null,
    url: `/api/v1/complaints/${encodeURIComponent(code)}/attachments/${e.sha256}`,
  };
}

/**
 * The staff view of a complaint's verification step (xác minh): information requests to the customer,
 * consultations with departments and outside parties, and every evidence file with its verification.
 */
export function presentInvestigationForStaff(
  code: string,
  requests: InfoRequestRow[],
  consultations: ConsultationRow[],
  evidence: EvidenceRow[],
  now: Date = new Date(),
) {
  const files = evidence.map((e) => presentEvidence(code, e));
  return {
    code,
    infoRequests: requests.map((r) => ({
      id: r.id,
      items: r.items,
      message: r.message,
      dueAt: r.dueAt.toISOString(),
      status: r.status,
      requestedBy: r.requestedBy,
      createdAt: r.createdAt.toISOString(),
      remindedAt: iso(r.remindedAt),
      answeredAt: iso(r.answeredAt),
      expiredAt: iso(r.expiredAt),
      answer: r.answer,
      files: files.filter((f) => f.infoRequestId === r.id),
    })),
    consultations: consultations.map((k) => presentConsultationForStaff(k, evidence, now)),
    evidence: files,
  };
}

export type StaffInvestigation = ReturnType<typeof presentInvestigationForStaff>;

/**
 * A consultation as an agent sees it: to whom, the question, due, the files shared with it, the
 * answer and its files. `evidence` holds at least those files (the complaint's, or just the consultation's).
 */
export function presentConsultationForStaff(k: ConsultationRow, evidence: EvidenceRow[], now: Date = new Date()) {
  const shared = new Set(k.sharedFileIds);
  return {
    id: k.id,
    complaint: { code: k.complaintCode, subject: k.complaintSubject },
    kind: k.targetKind,
    team: k.team,
    party: k.targetKind === 'external' ? { name: k.partyName, email: k.partyEmail } : null,
    question: k.question,
    dueAt: k.dueAt.toISOString(),
    status: k.status,
    overdue: k.status === 'open' && now > k.dueAt,
    overdueNotifiedAt: iso(k.overdueNotifiedAt),
    answer: k.answer,
    answeredAt: iso(k.answeredAt),
    answeredBy: k.answeredBy,
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    sharedFiles: evidence.filter((e) => shared.has(e.id)).map((e) => presentEvidence(k.complaintCode, e)),
    files: evidence.filter((e) => e.consultationId === k.id).map((e) => presentEvidence(k.complaintCode, e)),
  };
}

export type StaffConsultation = ReturnType<typeof presentConsultationForStaff>;

/** A file as the consulted department or party sees it: the name, type, size, hash and where to download it. */
function presentConsultationFile(f: EvidenceRow, url: string) {
  return { filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256, addedAt: f.createdAt.toISOString(), url };
}

export type ConsultationFileView = ReturnType<typeof presentConsultationFile>;

/**
 * What a department member sees of a consultation addressed to their team: the question, the due
 * date, the complaint's code and subject, the files shared with it and the files given with the
 * answer — never the customer's contact details, the complaint's description, its internal notes or
 * any other of its files.
 */
export function presentConsultationForDepartment(k: ConsultationRow, answerFiles: EvidenceRow[], sharedFiles: EvidenceRow[], now: Date = new Date()) {
  const url = (f: EvidenceRow) => `/api/v1/consultations/${k.id}/files/${f.sha256}`;
  return {
    id: k.id,
    complaint: { code: k.complaintCode, subject: k.complaintSubject },
    team: k.team,
    question: k.question,
    dueAt: k.dueAt.toISOString(),
    status: k.status,
    overdue: k.status === 'open' && now > k.dueAt,
    answer: k.answer,
    answeredAt: iso(k.answeredAt),
    answeredBy: k.answeredBy,
    createdAt: k.createdAt.toISOString(),
    sharedFiles: sharedFiles.map((f) => presentConsultationFile(f, url(f))),
    files: answerFiles.map((f) => presentConsultationFile(f, url(f))),
  };
}

export type DepartmentConsultation = ReturnType<typeof presentConsultationForDepartment>;

/** Where an outside party downloads a shared file: the signed link's token is the only key. */
export function partyFileUrl(token: string, sha256: string): string {
  return `/api/v1/public/consultation-files/${sha256}/${encodeURIComponent(token)}`;
}

/**
 * What the outside party's reply page shows: the question, who asks, by when, and the files shared
 * with them (downloadable with the same link); nothing of the customer.
 */
export function presentConsultationForParty(k: ConsultationRow, companyName: string, sharedFiles: EvidenceRow[], token: string) {
  return {
    companyName,
    partyName: k.partyName,
    question: k.question,
    dueAt: k.dueAt.toISOString(),
    status: k.status,
    answeredAt: iso(k.answeredAt),
    files: sharedFiles.map((f) => presentConsultationFile(f, partyFileUrl(token, f.sha256))),
  };
}

export type PartyConsultationView = ReturnType<typeof presentConsultationForParty>;

/** The customer's view of what they are asked for: the open request (items, message, due date), if any. */
export function presentInformationRequestForCustomer(c: Pick<ComplaintRow, 'code' | 'status'>, open: InfoRequestRow | null) {
  return {
    code: c.code,
    status: c.status,
    request: open
      ? { id: open.id, items: open.items, message: open.message, dueAt: open.dueAt.toISOString(), status: open.status, createdAt: open.createdAt.toISOString() }
      : null,
  };
}
