import type { AuthorityRow, EscalationRow, ProposalKind, ProposalRow } from '../db/queries/resolution';

/** "1.500.000 ₫" — an amount in VND as Vietnamese customers read it (dots between thousands). */
export function formatVnd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${digits} ₫`;
}

/** Names of the kinds of proposal, as the customer reads them in mail, on the status page and in the dossier. */
export const PROPOSAL_KIND_LABELS: Record<ProposalKind, { vi: string; en: string }> = {
  exchange: { vi: 'Đổi/trả hàng', en: 'Exchange or return' },
  refund: { vi: 'Hoàn tiền', en: 'Refund' },
  repair: { vi: 'Sửa chữa, bảo hành', en: 'Repair' },
  service: { vi: 'Dịch vụ bù đắp', en: 'Compensating service' },
  voucher: { vi: 'Phiếu mua hàng (voucher)', en: 'Voucher' },
  other: { vi: 'Phương án khác', en: 'Other' },
};

export const AUTHORITY_KIND_LABELS: Record<string, { vi: string; en: string }> = {
  department_of_industry_trade: { vi: 'Sở Công Thương', en: 'Provincial Department of Industry and Trade' },
  consumer_association: { vi: 'Hội bảo vệ quyền lợi người tiêu dùng', en: 'Consumer protection association' },
  mediation: { vi: 'Tổ chức hòa giải', en: 'Mediation organisation' },
  arbitration: { vi: 'Trung tâm trọng tài', en: 'Arbitration centre' },
  court: { vi: 'Tòa án nhân dân', en: "People's Court" },
  other: { vi: 'Cơ quan khác', en: 'Other body' },
};

/** Where a proposal stands with the supervisor: not needed, waiting, approved, sent back, or withdrawn before anyone decided. */
export type ApprovalState = 'not_required' | 'pending' | 'approved' | 'rejected' | 'withdrawn';

export function approvalStateOf(p: ProposalRow): ApprovalState {
  if (p.approvedBy || p.approvedAt) return p.offeredAt ? 'approved' : 'rejected';
  if (p.offeredAt) return 'not_required';
  return p.status === 'pending_approval' ? 'pending' : 'withdrawn';
}

function decisionOf(p: ProposalRow) {
  const decision = p.status === 'accepted' || p.status === 'implemented' ? 'accept' : p.status === 'rejected' ? 'reject' : null;
  if (!decision || !p.decidedAt) return null;
  return { decision, channel: p.decisionChannel, at: p.decidedAt.toISOString(), note: p.decisionNote };
}

function implementationOf(p: ProposalRow) {
  if (!p.implementedAt) return null;
  const i = p.implementation ?? {};
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return { doneAt: p.implementedAt.toISOString(), refundReference: s(i.refundReference), shipmentReference: s(i.shipmentReference), note: s(i.note) };
}

/** A proposal as staff see it: amounts, approval, the customer's answer (with channel and time) and the implementation. */
export function presentProposalForStaff(p: ProposalRow) {
  const approval = approvalStateOf(p);
  return {
    id: p.id,
    kind: p.kind,
    kindLabel: PROPOSAL_KIND_LABELS[p.kind],
    description: p.description,
    amountVnd: p.amountVnd,
    amountText: p.amountVnd == null ? null : formatVnd(p.amountVnd),
    status: p.status,
    approval: {
      state: approval,
      by: p.approvedBy,
      at: p.approvedAt?.toISOString() ?? null,
      // The supervisor's note: on approving (from its timeline event), or on sending the proposal back.
      note: approval === 'rejected' ? p.decisionNote : approval === 'approved' ? p.approvalNote : null,
    },
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    offeredAt: p.offeredAt?.toISOString() ?? null,
    decision: decisionOf(p),
    implementation: implementationOf(p),
  };
}

/**
 * A proposal as the customer sees it: only once offered (never while a supervisor has it), with no
 * staff names and no internal notes.
 */
export function presentProposalForCustomer(p: ProposalRow) {
  const decision = decisionOf(p);
  return {
    id: p.id,
    kind: p.kind,
    kindLabel: PROPOSAL_KIND_LABELS[p.kind],
    description: p.description,
    amountVnd: p.amountVnd,
    amountText: p.amountVnd == null ? null : formatVnd(p.amountVnd),
    status: p.status as 'offered' | 'accepted' | 'rejected' | 'implemented' | 'withdrawn',
    offeredAt: p.offeredAt!.toISOString(),
    decision: decision && { decision: decision.decision, at: decision.at },
    implementedAt: p.implementedAt?.toISOString() ?? null,
    /** The customer may accept or reject it now. */
    canDecide: p.status === 'offered',
  };
}

/** Whether a customer may see this proposal at all. */
export function visibleToCustomer(p: ProposalRow): boolean {
  return p.offeredAt !== null;
}

/** An authority as the API shows it (the web app reads this type). */
export type AuthorityView = ReturnType<typeof presentAuthority>;

export function presentAuthority(a: AuthorityRow) {
  return {
    id: a.id,
    kind: a.kind,
    kindLabel: AUTHORITY_KIND_LABELS[a.kind] ?? AUTHORITY_KIND_LABELS.other,
    name: a.name,
    province: a.province,
    address: a.address,
    email: a.email,
    phone: a.phone,
    website: a.website,
    active: a.active,
  };
}

export function presentEscalation(e: EscalationRow, code: string) {
  const base = `/api/v1/complaints/${encodeURIComponent(code)}/escalations/${e.id}`;
  return {
    id: e.id,
    authority: { id: e.authorityId, name: e.authorityName, kind: e.authorityKind },
    reason: e.reason,
    dossier: {
      pdfSha256: e.dossierPdfSha256,
      zipSha256: e.dossierZipSha256,
      pdfUrl: e.dossierPdfSha256 ? `${base}/dossier.pdf` : null,
      zipUrl: e.dossierZipSha256 ? `${base}/dossier.zip` : null,
    },
    handedOverAt: e.handedOverAt?.toISOString() ?? null,
    referenceNo: e.referenceNo,
    outcome: e.outcome,
    outcomeAt: e.outcomeAt?.toISOString() ?? null,
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
  };
}

/** Step 4 of a complaint for staff: its proposals with their approval state, and its escalations. */
export function presentResolutionForStaff(input: {
  code: string;
  status: string;
  rootCause: { id: string; name: string } | null;
  approvalThresholdVnd: number;
  proposals: ProposalRow[];
  escalations: EscalationRow[];
}) {
  return {
    code: input.code,
    status: input.status,
    rootCause: input.rootCause,
    approvalThresholdVnd: input.approvalThresholdVnd,
    approvalThresholdText: formatVnd(input.approvalThresholdVnd),
    proposals: input.proposals.map(presentProposalForStaff),
    escalations: input.escalations.map((e) => presentEscalation(e, input.code)),
  };
}

/** The customer's list of proposals on the status page. */
export function presentProposalsForCustomer(input: { code: string; status: string; proposals: ProposalRow[] }) {
  return {
    code: input.code,
    status: input.status,
    proposals: input.proposals.filter(visibleToCustomer).map(presentProposalForCustomer),
  };
}
