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
    consultations: consultations.map((k) => presentConsultationForStaff(k, files.filter((f) => f.consultationId === k.id), now)),
    evidence: files,
  };
}

export type StaffInvestigation = ReturnType<typeof presentInvestigationForStaff>;

/** A consultation as an agent sees it: to whom, the question, due, the answer and its files. */
export function presentConsultationForStaff(
  k: ConsultationRow,
  files: ReturnType<typeof presentEvidence>[],
  now: Date = new Date(),
) {
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
    files,
  };
}

/**
 * What a department member sees of a consultation addressed to their team: the question, the due
 * date, the complaint's code and subject, and the files given with it — never the customer's contact
 * details, the complaint's description or its internal notes.
 */
export function presentConsultationForDepartment(k: ConsultationRow, files: EvidenceRow[], now: Date = new Date()) {
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
    files: files.map((f) => ({
      filename: f.filename,
      contentType: f.contentType,
      size: f.size,
      sha256: f.sha256,
      addedAt: f.createdAt.toISOString(),
      url: `/api/v1/consultations/${k.id}/files/${f.sha256}`,
    })),
  };
}

/** What the outside party's reply page shows: the question, who asks, by when; nothing of the customer. */
export function presentConsultationForParty(k: ConsultationRow, companyName: string) {
  return {
    companyName,
    partyName: k.partyName,
    question: k.question,
    dueAt: k.dueAt.toISOString(),
    status: k.status,
    answeredAt: iso(k.answeredAt),
  };
}

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
