// Shapes of the Sen HTTP API (docs/API.md), in one file.

// The vocabularies come from the domain itself, so the UI can never offer a status the API refuses.
export { STATUSES, OPEN_STATUSES, TERMINAL_STATUSES, takesCustomerMessages, transitionNeedsReason, type Status } from '../../src/domain/lifecycle';
export { CHANNELS, PRIORITIES, type Channel, type Priority } from '../../src/domain/vocabulary';
// Nhóm người tiêu dùng dễ bị tổn thương (Art. 8, Law on Protection of Consumers' Rights 2023) and their names.
export { VULNERABLE_GROUPS, type VulnerableGroup } from '../../src/domain/vocabulary';
export { VULNERABLE_GROUP_LABELS } from '../../src/domain/vulnerability';
// Ngôn ngữ liên lạc: the languages Sen writes to a customer in (mails, receipt, status-page link).
export { LANGUAGE_LABELS, LANGUAGES, type Language } from '../../src/domain/vocabulary';
// What may be uploaded as evidence: the same limits the server checks (it stays the judge).
export { MAIL_ATTACHMENT_LIMITS, UPLOAD_LIMITS } from '../../src/domain/uploads';
// Admin settings of the working calendar and the SLA policy, as the domain parses them.
export type {
  CalendarDayKind,
  CalendarDayView,
  CalendarProfile,
  CalendarSettings,
  CalendarYearView,
  DatedNote,
  SlaPolicy,
  TimeRange,
  WorkingTimeMode,
} from '../../src/domain/settings';
import type { CalendarSettings, SlaPolicy, WorkingTimeMode } from '../../src/domain/settings';
// The SLA clocks as the server presents them (type-only: nothing of the server is bundled).
export type { ClockKind, ClockState } from '../../src/domain/clocks';
export type { ClockLevel, ClockView } from '../../src/presenters/clocks';
import type { ClockKind, ClockState } from '../../src/domain/clocks';
import type { ClockView } from '../../src/presenters/clocks';
import type { CONTACT_METHODS as SERVER_CONTACT_METHODS, TBulkAssignInput } from '../../src/domain/schemas';
import type { Static } from '@sinclair/typebox';
// A status-page link from a mail to the customer, and what it proves (code + contact).
export type { StatusLinkInput, VerifiedStatusLink } from '../../src/domain/schemas';
export { MAX_BULK_ASSIGN } from '../../src/domain/vocabulary';
// Mẫu trả lời: the placeholders a reply template may use, its limits, and how the reply card fills one (pure).
export {
  fillReplyTemplate,
  REPLY_TEMPLATE_LIMITS,
  REPLY_TEMPLATE_PLACEHOLDERS,
  type ReplyTemplateInput,
  type ReplyTemplatePlaceholder,
} from '../../src/domain/reply-templates';
// Phân công tự động: a routing rule as the API answers it (`GET /api/v1/routing-rules`, POST, PATCH) and its limits.
export { ROUTING_LIMITS, type RoutingRule } from '../../src/domain/routing';
// Tin nhắn SMS: the folding and counting the SMS form previews with (pure).
export { smsParts, smsText, SMS_MAX_LENGTH } from '../../src/domain/sms';
/** A reply template as the API answers it (`GET /api/v1/reply-templates`, POST, PATCH). */
export type { ReplyTemplate } from '../../src/db/queries/reply-templates';
import type { Status } from '../../src/domain/lifecycle';
import type { Channel, Language, Priority, VulnerableGroup } from '../../src/domain/vocabulary';
import type { SurveyView } from '../../src/commands/answer-survey';
import type { SiblingComplaint } from '../../src/db/queries/complaints';
import type { ProposalKind as ServerProposalKind, ProposalStatus as ServerProposalStatus } from '../../src/db/queries/resolution';

/** `department`: a member of an internal department who only answers the consultations addressed to their team. */
export type Role = 'agent' | 'supervisor' | 'admin' | 'auditor' | 'department';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    fields?: FieldError[];
    allowed?: string[];
    complaints?: string[];
  };
}

export interface CustomerInput {
  name: string;
  phone?: string;
  email?: string;
  /** Tỉnh/thành phố, one of PROVINCES. */
  province?: string;
}

export interface PortalComplaintInput {
  customer: CustomerInput;
  subject: string;
  description: string;
  orderRef?: string;
  consent: true;
  /** The customer's own word that they belong to a vulnerable group (Art. 8); omitted when they do not say. */
  vulnerableGroup?: VulnerableGroup;
  /** The language to write to the customer in: the portal's when the form is sent; the server takes Accept-Language without it. */
  language?: Language;
  /** Honeypot: a field people never see; must stay empty. */
  website?: string;
  /** Milliseconds between showing the form and sending it. */
  fillMs?: number;
}

export interface PortalComplaintCreated {
  code: string;
  status: Status;
  receivedAt: string;
  acknowledgementDueAt: string;
  resolutionDueAt: string;
  statusUrl?: string;
}

export interface PublicTimelineEvent {
  type: string;
  at: string;
  status?: Status;
  /** Told to the customer when a complaint is rejected or withdrawn. */
  reason?: string;
  /** status.changed to merged: the customer's own complaint it carries on in. */
  mergedInto?: string;
  /** complaint.merged_in: the customer's own duplicate merged into this one. */
  from?: string;
  /** message.received: what the customer wrote; reply.sent: what staff wrote to them. */
  body?: string;
  /** contact.logged: how staff reached the customer. */
  method?: ContactMethod;
  /** contact.logged: the call back promised to the customer then (hẹn gọi lại). */
  callBackAt?: string;
  /** attachments.added, info_request.answered: the names of the files the customer sent. */
  files?: string[];
  /** info_request.*: which request. */
  requestId?: string;
  /** info_request.created: what the customer is asked for, the agent's words and the due date. */
  items?: InfoRequestItem[];
  message?: string;
  dueAt?: string;
  /** info_request.answered: what the customer wrote. */
  answer?: string;
  /** proposal.*: which proposal, its kind, words and amount (whole VND), the channel of the customer's answer. */
  proposalId?: string;
  kind?: string;
  description?: string;
  amountVnd?: number | null;
  channel?: string;
  /** proposal.implemented: when it was carried out and the references to trace it. */
  doneAt?: string;
  refundReference?: string | null;
  shipmentReference?: string | null;
  /** escalation.created: the authority's name. */
  authority?: string | null;
  /** escalation.handed_over: when the authority got the file, and its reference number for the case. */
  handedOverAt?: string;
  referenceNo?: string | null;
  /** escalation.outcome: what the authority decided, and when. */
  outcome?: string;
  outcomeAt?: string;
  /** survey.*: which resolution, and the customer's own rating. */
  resolutionNo?: number;
  rating?: number;
  comment?: string | null;
  /** complaint.linked: the earlier complaint this one continues. */
  previousCode?: string;
}

/** A date promised to the customer and whether it was kept. */
export interface CustomerPromise {
  kind: 'acknowledgement' | 'resolution';
  dueAt: string;
  state: ClockState;
  doneAt: string | null;
}

export interface PublicComplaint {
  code: string;
  status: Status;
  subject: string;
  receivedAt: string;
  acknowledgementDueAt: string;
  resolutionDueAt: string;
  /** Older servers sent none. */
  promises?: CustomerPromise[];
  /** The customer may withdraw it on the status page. */
  canWithdraw?: boolean;
  timeline: PublicTimelineEvent[];
}

export interface CustomerMessageInput {
  contact: string;
  message: string;
}

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The console's language for them (and their mails'); absent for a department member kept from login only. */
  language?: Language;
  /** Thư tóm tắt: whether unread news of their complaints is mailed to them. */
  mailDigest?: boolean;
}

export interface Session {
  user: StaffUser;
  /** From login; /auth/me echoes the `sen_csrf` cookie, which may be missing. */
  csrfToken: string | null;
}

export interface Ref {
  id: string;
  name: string;
}

export interface ComplaintSummary {
  id: string;
  code: string;
  status: Status;
  channel: Channel;
  priority: Priority;
  /** Art. 8: the consumer's vulnerable group (handled first), or null. */
  vulnerableGroup: VulnerableGroup | null;
  subject: string;
  customerName: string;
  assignee: Ref | null;
  team: Ref | null;
  category: Ref | null;
  receivedAt: string;
  acknowledgedAt?: string | null;
  acknowledgementDueAt: string | null;
  resolutionDueAt: string | null;
  dueAt: string | null;
  /** Every SLA clock, each shown separately, in a fixed order. */
  clocks: ClockView[];
  /** The reading of "working hours" the deadlines use. */
  workingTimeMode: WorkingTimeMode;
  /** Ai đang xem: colleagues with it open now (the queue only), writers first. */
  viewers?: { id: string; name: string; activity: 'viewing' | 'replying' }[];
  /** Nhắc tôi (queue rows): the soonest reminder the signed-in member is waiting for on it. */
  myReminderAt?: string | null;
}

export interface ComplaintPage {
  items: ComplaintSummary[];
  nextCursor: string | null;
  /** No complaint held the search as a phrase: these hold each of its words, in any order. */
  matchedByWords: boolean;
}

export interface Customer {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
}

export interface Actor {
  type: string;
  id: string | null;
  name: string | null;
}

export interface TimelineEvent {
  id: string | number;
  /** Null for entries outside the hash chain (outbound mail shown beside the events). */
  seq: number | null;
  type: string;
  at: string;
  actor: Actor | null;
  channel: string | null;
  payload: Record<string, unknown> | null;
}

/** An evidence file of a complaint; `url` downloads it (staff session). */
export interface Attachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  addedAt: string;
  url: string;
}

export interface ComplaintDetail extends ComplaintSummary {
  description: string;
  /** The customer's other complaints, open ones first (at most 5), and how many in all. Older servers sent none. */
  customerComplaints?: { items: SiblingComplaint[]; total: number };
  /** Call backs promised to the customer and not yet made, soonest first. Older servers sent none. */
  callBacks?: PromisedCallBack[];
  /** Whether the customer can be texted from the complaint (an SMS gateway is set up). Older servers, and some answers, send none. */
  smsAvailable?: boolean;
  orderRef: string | null;
  /** province: as given with this complaint; older servers sent none. */
  customer: Customer & { province?: string | null };
  /** The customer's consent to data processing given at intake (when, wording version); null: none recorded. Older servers sent none. */
  consent?: { at: string; version: string | null } | null;
  allowedTransitions: Status[];
  /** The moves a plain status change makes; the others have their own forms. Older servers sent none. */
  plainTransitions?: Status[];
  timeline: TimelineEvent[];
  /** Older servers sent none. */
  attachments?: Attachment[];
  /** Step 5: how often the complaint was reopened (0 when never). */
  reopenCount?: number;
  /** Nguyên nhân gốc, recorded before or when resolving. */
  rootCause?: { id: string; name: string; nameEn: string | null } | null;
  /** The latest resolution and closing (closedAt is cleared by a reopening). */
  resolvedAt?: string | null;
  closedAt?: string | null;
  /** The complaint this one continues (opened after the reopen window of the earlier one). */
  previousComplaintCode?: string | null;
  /** Ngôn ngữ liên lạc: the language of every mail to the customer, the receipt and the status-page link. */
  language: Language;
}

export interface StaffComplaintInput {
  customer: CustomerInput;
  subject: string;
  description: string;
  orderRef?: string;
  channel: Channel;
  categoryId?: string;
  priority?: Priority;
  /** Art. 8: the server raises the priority to at least high when one is given. */
  vulnerableGroup?: VulnerableGroup;
  /** The language to write to the customer in; Vietnamese when not given. */
  language?: Language;
  consent?: boolean;
}

export interface CustomerLookup {
  /** province: given with their latest complaint; older servers sent none. */
  customer: (Customer & { province?: string | null }) | null;
  openComplaints: ComplaintSummary[];
}

export interface Category {
  id: string;
  name: string;
  nameEn: string | null;
  active: boolean;
}

export interface UserListItem {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
}

export interface ComplaintPatch {
  categoryId?: string | null;
  priority?: Priority;
  customerProvince?: string | null;
  /** Art. 8: null clears it; setting one raises the priority to at least high. */
  vulnerableGroup?: VulnerableGroup | null;
  /** The language to write to the customer in from now on (a `language.changed` event). */
  language?: Language;
  /** Corrections of the complaint's own text (PATCH /api/v1/complaints/:code); orderRef null removes it. */
  subject?: string;
  description?: string;
  orderRef?: string | null;
}

/** PATCH /api/v1/customers/:id: a correction of the customer's record, as the route's schema takes it. */
export type { CustomerPatch } from '../../src/domain/schemas';

export interface ListOf<T> {
  items: T[];
}

/** GET/PUT /api/v1/admin/calendar; `recomputed` (PUT only) counts open complaints whose deadlines moved. */
export interface CalendarSettingsResponse {
  settings: CalendarSettings;
  recomputed?: number;
}

/** GET/PUT /api/v1/admin/sla-policy; `recomputed` (PUT only) counts open complaints whose deadlines moved. */
export interface SlaPolicyResponse {
  policy: SlaPolicy;
  recomputed?: number;
}

/** How staff reached the customer (Ghi nhận liên hệ). */
export type ContactMethod = (typeof SERVER_CONTACT_METHODS)[number];
export const CONTACT_METHODS: readonly ContactMethod[] = ['call', 'email', 'sms', 'meeting', 'other'];

export interface ContactInput {
  method: ContactMethod;
  summary: string;
  /** Hẹn gọi lại: when the agent promised to call back. */
  callBackAt?: string;
}

/** A clock change a timeline event records: "resolution: pause". */
export interface ClockOp {
  kind: ClockKind;
  op: 'start' | 'pause' | 'resume' | 'stop';
  dueAt: string;
}

export type NotificationKind =
  | 'sla.reminder'
  | 'sla.breached'
  | 'info_request.expired'
  | 'consultation.requested'
  | 'consultation.answered'
  | 'consultation.overdue'
  | 'backup.failed'
  | 'files.delete_failed'
  | 'data_request.reply_overdue'
  | 'data_request.overdue'
  | 'data_breach.recorded'
  | 'data_breach.notice_overdue'
  | 'note.mentioned'
  | 'reminder.due'
  | 'complaint.assigned'
  | 'complaint.customer_activity'
  | 'complaint.status_changed'
  | 'complaint.low_rating';

export interface StaffNotification {
  id: number;
  kind: NotificationKind;
  complaintCode: string | null;
  payload: {
    clock?: ClockKind;
    percent?: number;
    dueAt?: string;
    code?: string;
    subject?: string;
    consultationId?: string;
    requestId?: string;
    /** consultation.overdue: the team or party asked. */
    target?: string | null;
    /** backup.failed: when, and why; files.delete_failed: why (message). */
    at?: string;
    message?: string;
    /** files.delete_failed: how many files of erased customers are still on the disk. */
    count?: number;
    /** data_request.*: the request's reference (YC-000001); data_breach.*: the breach's (SC-000001). */
    ref?: string;
    /** data_breach.*: the breach (its notice to A05 is due at dueAt). */
    breachId?: string;
    /** note.mentioned: the colleague who named them, and the note's event number. */
    by?: string | null;
    seq?: number;
    /** complaint.*: the timeline event told of (its type; seq above), the status it moved to, a survey's rating. */
    event?: string;
    status?: Status;
    rating?: number;
    /** reminder.due: the time it was set for (at), and the member's line to themselves. */
    note?: string;
    reminderId?: string;
    /** reminder.due: the call back promised to the customer (hẹn gọi lại). */
    callBack?: boolean;
  };
  createdAt: string;
  readAt: string | null;
}

export interface NotificationList {
  items: StaffNotification[];
  unread: number;
}

/** POST /api/v1/calls: a hotline call attached to a complaint, or opening a new one. */
export interface CallInput {
  caller: string;
  startedAt: string;
  endedAt?: string;
  notes: string;
  complaintCode?: string;
  complaint?: {
    customerName: string;
    email?: string;
    province?: string;
    subject: string;
    description: string;
    orderRef?: string;
    categoryId?: string;
    priority?: Priority;
    /** The language to write to the customer in; Vietnamese when not given. */
    language?: Language;
    /** Ticked by the agent after reading the consent text to the caller; never pre-ticked. */
    consent?: boolean;
  };
  callId?: string;
  /** Hẹn gọi lại: when the agent promised to call the caller back. */
  callBackAt?: string;
}

export interface CallLogged {
  code: string;
  created: boolean;
}

/** A call the call-centre system reported in the last two hours that no complaint holds yet. */
export interface RecentCall {
  id: string;
  caller: string | null;
  agent: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  recordingUrl: string | null;
}

export type InboundRejectKind = 'bounce' | 'auto_reply' | 'bulk' | 'invalid_sender' | 'invalid' | 'third_party' | 'too_large' | 'unauthenticated';

/** A mail kept aside as not a complaint (bounce, auto-reply, bulk). */
export interface InboundReject {
  id: string;
  kind: InboundRejectKind;
  reason: string;
  from: string | null;
  subject: string;
  excerpt: string;
  receivedAt: string;
  convertedCode: string | null;
}

// —— Step 3 (xác minh): information requests, evidence verification, consultations ——

/** What an agent can ask the customer for (the checklist); `other` carries the agent's own words. */
export type InfoRequestItemKind = 'invoice' | 'photos' | 'correspondence' | 'order_id' | 'other';
export const INFO_REQUEST_ITEM_KINDS: readonly InfoRequestItemKind[] = ['invoice', 'photos', 'correspondence', 'order_id', 'other'];

export interface InfoRequestItem {
  kind: InfoRequestItemKind | string;
  text?: string;
}

export type VerificationStatus = 'verified' | 'disputed';

/** An evidence file with where it came from and whether staff checked it. */
export interface Evidence {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  addedAt: string;
  source: 'complaint' | 'info_request' | 'consultation';
  infoRequestId: string | null;
  consultationId: string | null;
  verification: { status: VerificationStatus; note: string | null; by: Ref | null; at: string | null } | null;
  url: string;
}

export type InfoRequestStatus = 'open' | 'answered' | 'expired' | 'cancelled';

/** Yêu cầu bổ sung thông tin, as staff see it. */
export interface InfoRequest {
  id: string;
  items: InfoRequestItem[];
  message: string;
  dueAt: string;
  status: InfoRequestStatus;
  requestedBy: Ref | null;
  createdAt: string;
  remindedAt: string | null;
  answeredAt: string | null;
  expiredAt: string | null;
  answer: string | null;
  files: Evidence[];
}

export type ConsultationStatus = 'open' | 'answered' | 'cancelled';

/** A file given with a consultation's answer, as a department member sees it. */
export interface ConsultationFile {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  addedAt: string;
  url: string;
}

/** Tham vấn, as an agent sees it (a department member gets fewer fields: no kind, party or creator). */
export interface Consultation {
  id: string;
  complaint: { code: string; subject: string };
  kind?: 'internal' | 'external';
  team: Ref | null;
  party?: { name: string | null; email: string | null } | null;
  question: string;
  dueAt: string;
  status: ConsultationStatus;
  overdue: boolean;
  overdueNotifiedAt?: string | null;
  answer: string | null;
  answeredAt: string | null;
  answeredBy: Ref | null;
  createdBy?: Ref | null;
  createdAt: string;
  files: (Evidence | ConsultationFile)[];
}

/** GET /api/v1/complaints/{code}/investigation. */
export interface Investigation {
  code: string;
  /** The workflow's current default answer times, in working days. */
  defaults: { infoRequestDays: number; consultationDays: number };
  infoRequests: InfoRequest[];
  consultations: Consultation[];
  evidence: Evidence[];
}

export interface InformationRequestInput {
  items: InfoRequestItem[];
  message?: string;
  dueDays?: number;
}

export type ConsultationInput =
  | { kind: 'internal'; teamId: string; question: string; dueDays?: number }
  | { kind: 'external'; partyName: string; partyEmail: string; question: string; dueDays?: number };

/** GET /api/v1/portal/complaints/{code}/information: the request the customer still has to answer. */
export interface CustomerInformation {
  code: string;
  status: Status;
  request: { id: string; items: InfoRequestItem[]; message: string; dueAt: string; status: InfoRequestStatus; createdAt: string } | null;
}

/** GET /api/v1/public/consultations/{token}: what an outside party is asked, without an account. */
export interface PartyConsultation {
  companyName: string;
  partyName: string | null;
  question: string;
  dueAt: string;
  status: ConsultationStatus;
  answeredAt: string | null;
}

export interface Team {
  id: string;
  name: string;
}

/** Phân công hàng loạt: the body of POST /api/v1/complaints/assignments, as the route's schema declares it. */
export type BulkAssignInput = Static<typeof TBulkAssignInput>;

/** What became of one complaint of a bulk assignment; `error.message` is in the request's language. */
export interface BulkAssignResult {
  code: string;
  outcome: 'assigned' | 'unchanged' | 'failed';
  error?: { code: string; message: string };
}

/** The answer to a bulk assignment: the counts, and each complaint's outcome in the order sent. */
export interface BulkAssignAnswer {
  assigned: number;
  unchanged: number;
  failed: number;
  results: BulkAssignResult[];
}

// —— Step 4 (giải quyết): proposals, escalation to an authority; step 5 on the status page ——

/** Kinds of proposal (phương án giải quyết), as the server lists them. */
export type ProposalKind = ServerProposalKind;
export const PROPOSAL_KINDS: readonly ProposalKind[] = ['exchange', 'refund', 'repair', 'service', 'voucher', 'other'];
/** Kinds whose amount (whole VND) is required. */
export const AMOUNT_REQUIRED_KINDS: readonly ProposalKind[] = ['refund', 'voucher'];
export type ProposalStatus = ServerProposalStatus;
export type ApprovalState = 'not_required' | 'pending' | 'approved' | 'rejected' | 'withdrawn';
/** How a customer's answer to a proposal reached staff. */
export type DecisionChannel = 'hotline' | 'office' | 'email';
export const DECISION_CHANNELS: readonly DecisionChannel[] = ['hotline', 'office', 'email'];

/** A proposal as staff see it (GET …/resolution). */
export interface Proposal {
  id: string;
  kind: ProposalKind;
  kindLabel: { vi: string; en: string };
  description: string;
  amountVnd: number | null;
  /** "1.500.000 ₫". */
  amountText: string | null;
  status: ProposalStatus;
  approval: { state: ApprovalState; by: Ref | null; at: string | null; note: string | null };
  createdBy: Ref | null;
  createdAt: string;
  offeredAt: string | null;
  decision: { decision: 'accept' | 'reject'; channel: string | null; at: string; note: string | null } | null;
  implementation: { doneAt: string; refundReference: string | null; shipmentReference: string | null; note: string | null } | null;
}

/** Chuyển cơ quan có thẩm quyền, with its dossier. */
export interface Escalation {
  id: string;
  authority: { id: string | null; name: string; kind: string | null };
  reason: string;
  dossier: { pdfSha256: string | null; zipSha256: string | null; pdfUrl: string | null; zipUrl: string | null };
  handedOverAt: string | null;
  referenceNo: string | null;
  outcome: string | null;
  outcomeAt: string | null;
  createdBy: Ref | null;
  createdAt: string;
}

/** GET /api/v1/complaints/{code}/resolution. */
export interface ResolutionView {
  code: string;
  status: Status;
  rootCause: { id: string; name: string } | null;
  approvalThresholdVnd: number;
  approvalThresholdText: string;
  proposals: Proposal[];
  escalations: Escalation[];
}

export interface ProposalInput {
  kind: ProposalKind;
  description: string;
  amountVnd?: number;
}

/** A proposal as the customer sees it on the status page (only once offered). */
export interface CustomerProposal {
  id: string;
  kind: ProposalKind;
  kindLabel: { vi: string; en: string };
  description: string;
  amountVnd: number | null;
  amountText: string | null;
  status: 'offered' | 'accepted' | 'rejected' | 'implemented' | 'withdrawn';
  offeredAt: string;
  decision: { decision: 'accept' | 'reject'; at: string } | null;
  implementedAt: string | null;
  canDecide: boolean;
}

/** GET /api/v1/portal/complaints/{code}/proposals. */
export interface CustomerProposals {
  code: string;
  status: Status;
  proposals: CustomerProposal[];
}

/** GET /api/v1/portal/complaints/{code}/followup: the survey to answer and until when the complaint can be reopened. */
export interface CustomerFollowup {
  code: string;
  status: Status;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  previousCode: string | null;
  reopen: { available: boolean; withinWindow: boolean; until: string | null };
  /** The survey link's view without what the status page already shows (code, subject) or needs no link for. */
  survey: Omit<SurveyView, 'code' | 'subject' | 'expiresAt'> | null;
}

/** 201 of POST /api/v1/portal/complaints/{code}/survey: the same answer as the survey link's. */
export type { SurveyAnswer as SurveyAnswerResult } from '../../src/commands/answer-survey';

/** POST …/reopen (customer: `complaint` is the customer view; staff: the ComplaintDetail). */
export type ReopenResult<C> =
  | { outcome: 'reopened'; code: string; reopenCount: number; complaint: C }
  | { outcome: 'new_complaint'; code: string; previousCode: string; statusUrl?: string; complaint: C };

// —— Staff accounts, teams, categories (admin) and one's own account ——

/** GET /api/v1/users?includeInactive=true; PATCH answers the same without createdAt. */
export interface StaffAccount {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  active: boolean;
  /** The console's language for them and their mails'. */
  language?: Language;
  createdAt?: string;
}

/** One entry of a staff account's audit trail (GET /api/v1/users/:id/events), newest first. */
export interface AccountEvent {
  id: number;
  kind: 'created' | 'updated' | 'password_reset' | 'password_changed' | 'token_created' | 'token_revoked' | string;
  /** updated: `changes`, { field: [before, after] }; created: email, name, role, teamId; token_*: name. */
  payload: Record<string, unknown>;
  at: string;
  /** null: done on the server's command line. */
  actor: { id: string; name: string } | null;
}

/** A complaint category as GET /api/v1/categories lists it. */
export interface CategoryItem extends Category {
  slug: string | null;
}

/** One of the signed-in user's API tokens (never the token itself). */
export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Nhắc tôi: one of the signed-in member's reminders on a complaint (GET /api/v1/reminders). */
export interface Reminder {
  id: string;
  code: string;
  subject: string;
  status: Status;
  at: string;
  note: string;
  createdAt: string;
  /** When Sen told them; null while it waits. */
  firedAt: string | null;
  /** Hẹn gọi lại: the call back they promised with a contact (kept by the next contact). Older servers sent none. */
  callBack?: boolean;
}

/** A call back promised on a complaint and not yet kept: when, and who promised it. */
export interface PromisedCallBack {
  at: string;
  staffId: string;
  staffName: string;
}

export type { ReminderPreset as ReminderPresetKey } from '../../src/domain/reminders';
import type { ReminderPreset } from '../../src/domain/reminders';

export interface ReminderList {
  items: Reminder[];
  recent: Reminder[];
}

/** GET /api/v1/complaints/{code}/reminders: the member's own on it, and the quick choices' times. */
export interface ComplaintReminders extends ReminderList {
  presets: { key: ReminderPreset; at: string }[];
}
