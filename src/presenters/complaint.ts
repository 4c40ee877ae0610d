import { allowedTransitions, plainTransitions, type ActorKind } from '../domain/lifecycle';
import { nationalPhone } from '../domain/contacts';
import type { ComplaintRow, ComplaintSummaryRow, EventRow, OutboundRow } from '../db/queries/complaints';
import type { SlaContext } from '../db/queries/settings';
import type { AttachmentRow } from '../db/queries/attachments';
import { presentClocks, presentPromises } from './clocks';

/** The list item staff see in the queue. */
export function presentComplaintSummary(c: ComplaintSummaryRow, sla: SlaContext, now: Date = new Date()) {
  return {
    id: c.id,
    code: c.code,
    status: c.status,
    channel: c.channel,
    priority: c.priority,
    vulnerableGroup: c.vulnerableGroup,
    subject: c.subject,
    customerName: c.customer.name,
    assignee: c.assignee,
    team: c.team,
    category: c.category,
    receivedAt: c.receivedAt.toISOString(),
    acknowledgedAt: c.acknowledgedAt?.toISOString() ?? null,
    acknowledgementDueAt: c.acknowledgementDueAt.toISOString(),
    resolutionDueAt: c.resolutionDueAt.toISOString(),
    dueAt: c.sortDue === 'infinity' ? null : new Date(c.sortDue).toISOString(),
    clocks: presentClocks(c.clocks, sla, now),
    /** The reading of "working hours" the deadlines use, shown beside them. */
    workingTimeMode: sla.policy.workingTimeMode,
  };
}

/** The whole complaint for staff: details, customer, allowed moves for this viewer, and every event. */
export function presentComplaintForStaff(
  c: ComplaintRow,
  events: EventRow[],
  viewer: ActorKind,
  sla: SlaContext,
  outbound: OutboundRow[] = [],
  attachments: AttachmentRow[] = [],
  now: Date = new Date(),
) {
  // Outbound mail sits in the timeline beside the events, with its delivery state (it is not part of the hash chain).
  const mail = outbound.map((m) => {
    const delivery = { status: m.status, attempts: m.attempts, sentAt: m.sentAt?.toISOString() ?? null, lastError: m.lastError };
    return m.kind === 'sms'
      ? { id: `sms-${m.id}`, seq: null, type: 'sms.outbound', at: m.createdAt.toISOString(), actor: { type: 'system', id: null, name: null }, channel: 'sms', payload: { to: m.to, text: m.subject, ...delivery } }
      : { id: `mail-${m.id}`, seq: null, type: 'email.outbound', at: m.createdAt.toISOString(), actor: { type: 'system', id: null, name: null }, channel: 'email', payload: { to: m.to, subject: m.subject, ...delivery } };
  });
  return {
    ...presentComplaintSummary(c, sla, now),
    description: c.description,
    orderRef: c.orderRef,
    product: c.product,
    /** The language Sen writes to the customer in (mails, status link, printed receipt). */
    language: c.language,
    customer: {
      id: c.customer.id,
      name: c.customer.name,
      phone: c.customer.phoneE164 ? nationalPhone(c.customer.phoneE164) : null,
      phoneE164: c.customer.phoneE164,
      email: c.customer.email,
      province: c.customer.province,
    },
    consent: c.consent ? { at: c.consent.at.toISOString(), version: c.consent.version } : null,
    allowedTransitions: allowedTransitions(c.status, viewer),
    plainTransitions: plainTransitions(c.status, viewer),
    ...followupOf(events),
    attachments: attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      sha256: a.sha256,
      addedAt: a.createdAt.toISOString(),
      url: `/api/v1/complaints/${encodeURIComponent(c.code)}/attachments/${a.sha256}`,
    })),
    timeline: [
      ...events.map((e) => ({
        id: String(e.id),
        seq: e.seq as number | null,
        type: e.type,
        at: e.createdAt.toISOString(),
        actor: { type: e.actorType, id: e.actorId as string | null, name: e.actorName },
        channel: e.channel,
        payload: e.payload,
      })),
      ...mail,
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
  };
}

/** Events a customer may see, and the payload fields of each they may see. */
const PUBLIC_EVENTS: Record<string, (p: Record<string, unknown>) => Record<string, unknown> | null> = {
  'complaint.created': () => ({}),
  'message.received': (p) => ({ body: p.body }),
  'attachments.added': (p) => ({
    files: Array.isArray(p.attachments) ? (p.attachments as { filename: string }[]).map((a) => a.filename) : [],
  }),
  // The call back promised to them, when one was (hẹn gọi lại): they were told it on the phone.
  'contact.logged': (p) => ({ method: p.method, ...(typeof p.callBackAt === 'string' ? { callBackAt: p.callBackAt } : {}) }),
  // An agent's own message to the customer (sent to them by email too).
  'reply.sent': (p) => ({
    body: p.body,
    ...(Array.isArray(p.attachments) ? { files: (p.attachments as { filename: string }[]).map((a) => a.filename) } : {}),
  }),
  // An agent's text to their phone (SMS).
  'sms.sent': (p) => ({ body: p.text }),
  // Step 5: the survey sent and the customer's own rating; a complaint continuing an earlier one.
  'survey.sent': (p) => ({ resolutionNo: p.resolutionNo }),
  'survey.answered': (p) => ({ resolutionNo: p.resolutionNo, rating: p.rating, comment: p.comment ?? null }),
  'complaint.linked': (p) => ({ previousCode: p.previousCode }),
  // A duplicate of the customer's own merged into this complaint (another customer's never shows).
  'complaint.merged_in': (p) => (p.sameCustomer === true ? { from: p.from } : null),
  // Step 3: what the customer was asked for, their answer, and a request left unanswered.
  'info_request.created': (p) => ({ requestId: p.requestId, items: p.items, message: p.message, dueAt: p.dueAt }),
  'info_request.answered': (p) => ({
    requestId: p.requestId,
    answer: p.answer,
    files: Array.isArray(p.attachments) ? (p.attachments as { filename: string }[]).map((a) => a.filename) : [],
  }),
  'info_request.expired': (p) => ({ requestId: p.requestId }),
  'info_request.cancelled': (p) => ({ requestId: p.requestId }),
  // Step 4: proposals once offered (never while a supervisor has them), the customer's answer, the
  // implementation (its references help the customer trace a refund or a parcel), the authority.
  'proposal.offered': (p) => ({ proposalId: p.proposalId, kind: p.kind, description: p.description, amountVnd: p.amountVnd ?? null }),
  'proposal.accepted': (p) => ({ proposalId: p.proposalId, channel: p.channel }),
  'proposal.rejected': (p) => ({ proposalId: p.proposalId, channel: p.channel }),
  'proposal.implemented': (p) => ({
    proposalId: p.proposalId,
    doneAt: p.doneAt,
    refundReference: p.refundReference ?? null,
    shipmentReference: p.shipmentReference ?? null,
  }),
  'proposal.withdrawn': (p) => (p.from === 'offered' ? { proposalId: p.proposalId } : null),
  'escalation.created': (p) => ({ authority: (p.authority as { name?: unknown } | undefined)?.name ?? null }),
  // The authority took the case (its reference, to follow it there) and what it decided.
  'escalation.handed_over': (p) => ({ handedOverAt: p.handedOverAt, referenceNo: p.referenceNo ?? null }),
  'escalation.outcome': (p) => ({ outcome: p.outcome, outcomeAt: p.outcomeAt }),
  'status.changed': (p) => ({
    status: p.to,
    // The reason of a refusal or a withdrawal is told to the customer; other reasons stay internal.
    ...(p.to === 'rejected' || p.to === 'withdrawn' ? { reason: p.reason } : {}),
    // Where a merged complaint carries on, when that complaint is the same customer's.
    ...(p.to === 'merged' && p.sameCustomer === true ? { mergedInto: p.mergedInto } : {}),
  }),
};

/** The customer's view: no internal notes, no staff names, no assignment. */
export function presentComplaintForCustomer(c: ComplaintRow, events: EventRow[], now: Date = new Date()) {
  return {
    code: c.code,
    status: c.status,
    subject: c.subject,
    receivedAt: c.receivedAt.toISOString(),
    acknowledgementDueAt: c.acknowledgementDueAt.toISOString(),
    resolutionDueAt: c.resolutionDueAt.toISOString(),
    promises: presentPromises(c.clocks, now),
    /** Whether the customer may withdraw it themselves on the status page (the lifecycle says). */
    canWithdraw: allowedTransitions(c.status, 'customer').includes('withdrawn'),
    timeline: events.flatMap((e) => {
      // Files staff added (e.g. a supplier's answer) are internal; the customer sees only their own.
      if (e.type === 'attachments.added' && e.actorType !== 'customer') return [];
      const pick = PUBLIC_EVENTS[e.type];
      const shown = pick?.(e.payload);
      return shown ? [{ type: e.type, at: e.createdAt.toISOString(), ...shown }] : [];
    }),
  };
}

/**
 * Step 5 on the staff view, read from the timeline (each is recorded there when it happens): how
 * often the complaint was reopened, its root cause, when it was last resolved and closed, and the
 * complaint it continues.
 */
function followupOf(events: EventRow[]) {
  let reopenCount = 0;
  type RootCauseRef = { id: string; name: string; nameEn: string | null };
  let rootCause: RootCauseRef | null = null;
  let resolvedAt: string | null = null;
  let closedAt: string | null = null;
  let previousComplaintCode: string | null = null;
  for (const e of events) {
    const p = e.payload;
    if (p.rootCause && typeof p.rootCause === 'object') rootCause = p.rootCause as RootCauseRef;
    if (e.type === 'complaint.linked' && typeof p.previousCode === 'string') previousComplaintCode = p.previousCode;
    if (e.type !== 'status.changed') continue;
    if (p.to === 'reopened') {
      reopenCount += 1;
      closedAt = null;
    }
    if (p.to === 'resolved') resolvedAt = e.createdAt.toISOString();
    if (p.to === 'closed') closedAt = e.createdAt.toISOString();
  }
  return { reopenCount, rootCause, resolvedAt, closedAt, previousComplaintCode };
}
