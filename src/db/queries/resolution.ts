import { foldText } from '../../domain/search-text';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../open';
import type { Tx } from '../../commands/transaction';
import { toAppError } from '../errors';
import { isUuid } from '../../domain/ids';
import { VI_COLLATOR } from '../../domain/text';

/** Anything that runs a statement: the open database, its Drizzle handle, or a transaction. */
export type Queryable = Database | Pick<Database['db'], 'execute'> | Tx;

async function rows(q: Queryable, query: SQL): Promise<Record<string, unknown>[]> {
  const runner = 'pool' in q && 'db' in q ? q.db : q;
  try {
    return (await runner.execute<Record<string, unknown>>(query)).rows;
  } catch (err) {
    throw toAppError(err);
  }
}

const date = (v: unknown) => (v == null ? null : new Date(v as string));

export const PROPOSAL_KINDS = ['exchange', 'refund', 'repair', 'service', 'voucher', 'other'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];
export const PROPOSAL_STATUSES = ['pending_approval', 'offered', 'accepted', 'rejected', 'withdrawn', 'implemented'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** Phương án giải quyết, as stored, with the names of the staff involved. */
export interface ProposalRow {
  id: string;
  complaintId: string;
  kind: ProposalKind;
  description: string;
  amountVnd: number | null;
  status: ProposalStatus;
  clientKey: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: Date;
  /** Who approved, or (status withdrawn, never offered) who sent it back. */
  approvedBy: { id: string; name: string } | null;
  approvedAt: Date | null;
  offeredAt: Date | null;
  decidedAt: Date | null;
  decisionChannel: string | null;
  /** The customer's note on their answer, or the supervisor's note when sent back. */
  decisionNote: string | null;
  /** The supervisor's note when approving (kept in the approval's timeline event). */
  approvalNote: string | null;
  implementation: Record<string, unknown> | null;
  implementedAt: Date | null;
}

const PROPOSAL_SELECT = sql`
  select p.id, p.complaint_id, p.kind, p.description, p.amount_vnd, p.status, p.client_key, p.created_at,
         p.approved_at, p.offered_at, p.decided_at, p.decision_channel, p.decision_note, p.implementation, p.implemented_at,
         cb.id as created_by_id, cb.name as created_by_name, ab.id as approved_by_id, ab.name as approved_by_name,
         (select e.payload->>'note' from timeline_events e where e.complaint_id = p.complaint_id and e.type = 'proposal.approved'
            and e.payload->>'proposalId' = p.id::text order by e.seq desc limit 1) as approval_note
  from proposals p
  left join staff_users cb on cb.id = p.created_by
  left join staff_users ab on ab.id = p.approved_by`;

function toProposal(r: Record<string, unknown>): ProposalRow {
  return {
    id: r.id as string,
    complaintId: r.complaint_id as string,
    kind: r.kind as ProposalKind,
    description: r.description as string,
    amountVnd: r.amount_vnd == null ? null : Number(r.amount_vnd),
    status: r.status as ProposalStatus,
    clientKey: (r.client_key as string | null) ?? null,
    createdBy: r.created_by_id ? { id: r.created_by_id as string, name: r.created_by_name as string } : null,
    createdAt: date(r.created_at)!,
    approvedBy: r.approved_by_id ? { id: r.approved_by_id as string, name: r.approved_by_name as string } : null,
    approvedAt: date(r.approved_at),
    offeredAt: date(r.offered_at),
    decidedAt: date(r.decided_at),
    decisionChannel: (r.decision_channel as string | null) ?? null,
    decisionNote: (r.decision_note as string | null) ?? null,
    approvalNote: (r.approval_note as string | null) ?? null,
    implementation: (r.implementation as Record<string, unknown> | null) ?? null,
    implementedAt: date(r.implemented_at),
  };
}

/** Every proposal of a complaint, oldest first. */
export async function listProposals(q: Queryable, complaintId: string): Promise<ProposalRow[]> {
  return (await rows(q, sql`${PROPOSAL_SELECT} where p.complaint_id = ${complaintId} order by p.created_at, p.id`)).map(toProposal);
}

/** One proposal of a complaint, or null (an id of another complaint's proposal is not found). */
export async function findProposal(q: Queryable, complaintId: string, id: string): Promise<ProposalRow | null> {
  if (!isUuid(id)) return null;
  const r = await rows(q, sql`${PROPOSAL_SELECT} where p.complaint_id = ${complaintId} and p.id = ${id}`);
  return r[0] ? toProposal(r[0]) : null;
}

/**
 * Kinds of competent authority (research-law-calendar.md): the provincial Sở Công Thương (since 1/7/2025),
 * consumer associations (VINASTAS and provincial ones), mediation, arbitration, the People's Court.
 */
export const AUTHORITY_KINDS = ['department_of_industry_trade', 'consumer_association', 'mediation', 'arbitration', 'court', 'other'] as const;
export type AuthorityKind = (typeof AUTHORITY_KINDS)[number];

/** Cơ quan có thẩm quyền — one entry of the directory. */
export interface AuthorityRow {
  id: string;
  kind: AuthorityKind;
  name: string;
  province: string | null;
  address: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  active: boolean;
  createdAt: Date;
}

function toAuthority(r: Record<string, unknown>): AuthorityRow {
  return {
    id: r.id as string,
    kind: r.kind as AuthorityKind,
    name: r.name as string,
    province: (r.province as string | null) ?? null,
    address: (r.address as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    website: (r.website as string | null) ?? null,
    active: Boolean(r.active),
    createdAt: date(r.created_at)!,
  };
}

const AUTHORITY_SELECT = sql`select id, kind, name, province, address, email, phone, website, active, created_at from authorities`;

const KIND_ORDER: readonly string[] = AUTHORITY_KINDS;

/**
 * The directory, filtered: provincial departments first, then associations, mediation, arbitration,
 * courts; by name in Vietnamese alphabetical order within a kind (the same on every database,
 * whatever its collation).
 */
export async function listAuthorities(
  q: Queryable,
  filters: { kind?: string; province?: string; includeInactive?: boolean } = {},
): Promise<AuthorityRow[]> {
  const where: SQL[] = [];
  if (!filters.includeInactive) where.push(sql`active`);
  if (filters.kind) where.push(sql`kind = ${filters.kind}`);
  // "Ha Noi", "hà nội" and "Hà Nội" are the same province (sen_fold is foldText in SQL, migration 0003).
  if (filters.province) where.push(sql`sen_fold(province) = ${foldText(filters.province)}`);
  const r = await rows(q, sql`${AUTHORITY_SELECT} ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}`);
  const rank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
  return r.map(toAuthority).sort((a, b) => rank(a.kind) - rank(b.kind) || VI_COLLATOR.compare(a.name, b.name) || a.id.localeCompare(b.id));
}

export async function findAuthority(q: Queryable, id: string): Promise<AuthorityRow | null> {
  if (!isUuid(id)) return null;
  const r = await rows(q, sql`${AUTHORITY_SELECT} where id = ${id}`);
  return r[0] ? toAuthority(r[0]) : null;
}

/** Chuyển cơ quan có thẩm quyền — one escalation of a complaint. */
export interface EscalationRow {
  id: string;
  complaintId: string;
  authorityId: string | null;
  authorityName: string;
  authorityKind: string | null;
  reason: string;
  dossierPdfSha256: string | null;
  dossierZipSha256: string | null;
  handedOverAt: Date | null;
  referenceNo: string | null;
  outcome: string | null;
  outcomeAt: Date | null;
  createdBy: { id: string; name: string } | null;
  createdAt: Date;
}

const ESCALATION_SELECT = sql`
  select e.id, e.complaint_id, e.authority_id, e.authority_name, a.kind as authority_kind, e.reason, e.dossier_pdf_sha256,
         e.dossier_zip_sha256, e.handed_over_at, e.reference_no, e.outcome, e.outcome_at, e.created_at,
         s.id as created_by_id, s.name as created_by_name
  from escalations e
  left join authorities a on a.id = e.authority_id
  left join staff_users s on s.id = e.created_by`;

function toEscalation(r: Record<string, unknown>): EscalationRow {
  return {
    id: r.id as string,
    complaintId: r.complaint_id as string,
    authorityId: (r.authority_id as string | null) ?? null,
    authorityName: r.authority_name as string,
    authorityKind: (r.authority_kind as string | null) ?? null,
    reason: r.reason as string,
    dossierPdfSha256: (r.dossier_pdf_sha256 as string | null) ?? null,
    dossierZipSha256: (r.dossier_zip_sha256 as string | null) ?? null,
    handedOverAt: date(r.handed_over_at),
    referenceNo: (r.reference_no as string | null) ?? null,
    outcome: (r.outcome as string | null) ?? null,
    outcomeAt: date(r.outcome_at),
    createdBy: r.created_by_id ? { id: r.created_by_id as string, name: r.created_by_name as string } : null,
    createdAt: date(r.created_at)!,
  };
}

export async function listEscalations(q: Queryable, complaintId: string): Promise<EscalationRow[]> {
  return (await rows(q, sql`${ESCALATION_SELECT} where e.complaint_id = ${complaintId} order by e.created_at, e.id`)).map(toEscalation);
}

export async function findEscalation(q: Queryable, complaintId: string, id: string): Promise<EscalationRow | null> {
  if (!isUuid(id)) return null;
  const r = await rows(q, sql`${ESCALATION_SELECT} where e.complaint_id = ${complaintId} and e.id = ${id}`);
  return r[0] ? toEscalation(r[0]) : null;
}

/** The root cause recorded on a complaint, or null. */
export async function complaintRootCause(q: Queryable, complaintId: string): Promise<{ id: string; name: string } | null> {
  const r = await rows(q, sql`
    select rc.id, rc.name from complaints c join root_causes rc on rc.id = c.root_cause_id where c.id = ${complaintId}`);
  return r[0] ? { id: r[0].id as string, name: r[0].name as string } : null;
}

/** Everything a dossier (hồ sơ) puts before an authority: read in the escalating transaction, so it is one consistent picture. */
export interface DossierData {
  complaint: {
    id: string;
    code: string;
    status: string;
    channel: string;
    priority: string;
    subject: string;
    description: string;
    orderRef: string | null;
    product: string | null;
    receivedAt: Date;
    acknowledgedAt: Date | null;
    category: string | null;
    rootCause: string | null;
  };
  customer: { name: string; phoneE164: string | null; email: string | null; province: string | null };
  events: { seq: number; type: string; actorType: string; actorName: string | null; channel: string; payload: Record<string, unknown>; at: Date; hash: string }[];
  outbound: { to: string; subject: string; text: string; status: string; at: Date; sentAt: Date | null }[];
  /** keptAs: how the copy kept relates to the mail received (channels/email/redact-raw.ts keptCopyKind), when known. */
  inboundMail: { from: string; subject: string; messageId: string | null; rawSha256: string | null; at: Date; keptAs?: 'received' | 'masked' | 'rebuilt' }[];
  attachments: { filename: string; contentType: string; size: number; sha256: string; at: Date; verification: string | null }[];
  proposals: ProposalRow[];
  infoRequests: { items: unknown; message: string; dueAt: Date; status: string; answer: string | null; answeredAt: Date | null; at: Date }[];
  consultations: {
    targetKind: string;
    target: string;
    question: string;
    dueAt: Date;
    status: string;
    answer: string | null;
    answeredAt: Date | null;
    at: Date;
    /** The complaint's files sent with the question. */
    shared: { filename: string; sha256: string }[];
  }[];
}

/** Reads a complaint's whole record for its dossier. */
export async function loadDossierData(q: Queryable, complaintId: string): Promise<DossierData> {
  const [c] = await rows(q, sql`
    select c.id, c.code, c.status, c.channel, c.priority, c.subject, c.description, c.order_ref, c.product, c.received_at,
           c.acknowledged_at, cat.name as category_name, rc.name as root_cause_name,
           cu.name as customer_name, cu.phone_e164, cu.email, c.customer_province
    from complaints c join customers cu on cu.id = c.customer_id
    left join categories cat on cat.id = c.category_id
    left join root_causes rc on rc.id = c.root_cause_id
    where c.id = ${complaintId}`);
  // One after another: a transaction runs one statement at a time.
  const [events, outbound, inbound, files, proposals, infoRequests, consultations] = [
    await rows(q, sql`
      select e.seq, e.type, e.actor_type, e.channel, e.payload, e.created_at, e.hash,
             case when e.actor_type = 'customer' then cu.name else s.name end as actor_name
      from timeline_events e
      join complaints c on c.id = e.complaint_id
      join customers cu on cu.id = c.customer_id
      left join staff_users s on e.actor_type in ('agent','supervisor','admin','auditor','department') and s.id::text = e.actor_id
      where e.complaint_id = ${complaintId} order by e.seq`),
    await rows(q, sql`select to_address, subject, text, status, created_at, sent_at from outbound_messages
      where complaint_id = ${complaintId} order by created_at, id`),
    await rows(q, sql`select from_address, subject, message_id, raw_sha256, created_at from mail_messages
      where complaint_id = ${complaintId} and direction = 'in' order by created_at, id`),
    await rows(q, sql`select filename, content_type, size, sha256, created_at, verification from attachments
      where complaint_id = ${complaintId} order by created_at, filename, id`),
    await listProposals(q, complaintId),
    await rows(q, sql`select items, message, due_at, status, answer, answered_at, created_at from info_requests
      where complaint_id = ${complaintId} order by created_at, id`),
    await rows(q, sql`select k.target_kind, coalesce(t.name, k.party_name, '') as target, k.question, k.due_at, k.status, k.answer,
             k.answered_at, k.created_at,
             coalesce((select json_agg(json_build_object('filename', a.filename, 'sha256', a.sha256) order by a.created_at, a.filename)
                       from consultation_files f join attachments a on a.id = f.attachment_id where f.consultation_id = k.id), '[]') as shared
      from consultations k left join teams t on t.id = k.team_id where k.complaint_id = ${complaintId} order by k.created_at, k.id`),
  ];
  return {
    complaint: {
      id: c.id as string,
      code: c.code as string,
      status: c.status as string,
      channel: c.channel as string,
      priority: c.priority as string,
      subject: c.subject as string,
      description: c.description as string,
      orderRef: (c.order_ref as string | null) ?? null,
      product: (c.product as string | null) ?? null,
      receivedAt: date(c.received_at)!,
      acknowledgedAt: date(c.acknowledged_at),
      category: (c.category_name as string | null) ?? null,
      rootCause: (c.root_cause_name as string | null) ?? null,
    },
    customer: {
      name: c.customer_name as string,
      phoneE164: (c.phone_e164 as string | null) ?? null,
      email: (c.email as string | null) ?? null,
      province: (c.customer_province as string | null) ?? null,
    },
    events: events.map((e) => ({
      seq: Number(e.seq),
      type: e.type as string,
      actorType: e.actor_type as string,
      actorName: (e.actor_name as string | null) ?? null,
      channel: e.channel as string,
      payload: (e.payload as Record<string, unknown>) ?? {},
      at: date(e.created_at)!,
      hash: e.hash as string,
    })),
    outbound: outbound.map((m) => ({
      to: m.to_address as string,
      subject: m.subject as string,
      text: m.text as string,
      status: m.status as string,
      at: date(m.created_at)!,
      sentAt: date(m.sent_at),
    })),
    inboundMail: inbound.map((m) => ({
      from: m.from_address as string,
      subject: m.subject as string,
      messageId: (m.message_id as string | null) ?? null,
      rawSha256: (m.raw_sha256 as string | null) ?? null,
      at: date(m.created_at)!,
    })),
    attachments: files.map((f) => ({
      filename: f.filename as string,
      contentType: f.content_type as string,
      size: Number(f.size),
      sha256: f.sha256 as string,
      at: date(f.created_at)!,
      verification: (f.verification as string | null) ?? null,
    })),
    proposals,
    infoRequests: infoRequests.map((r) => ({
      items: r.items,
      message: r.message as string,
      dueAt: date(r.due_at)!,
      status: r.status as string,
      answer: (r.answer as string | null) ?? null,
      answeredAt: date(r.answered_at),
      at: date(r.created_at)!,
    })),
    consultations: consultations.map((k) => ({
      targetKind: k.target_kind as string,
      target: k.target as string,
      question: k.question as string,
      dueAt: date(k.due_at)!,
      status: k.status as string,
      answer: (k.answer as string | null) ?? null,
      answeredAt: date(k.answered_at),
      at: date(k.created_at)!,
      shared: (k.shared as { filename: string; sha256: string }[]) ?? [],
    })),
  };
}
