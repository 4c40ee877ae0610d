// Shapes of the Sen HTTP API (docs/API.md), in one file.

// The vocabularies come from the domain itself, so the UI can never offer a status the API refuses.
export { STATUSES, OPEN_STATUSES, type Status } from '../../src/domain/lifecycle';
export { CHANNELS, PRIORITIES, type Channel, type Priority } from '../../src/domain/vocabulary';
// What may be uploaded as evidence: the same limits the server checks (it stays the judge).
export { UPLOAD_LIMITS } from '../../src/domain/uploads';
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
import type { CONTACT_METHODS as SERVER_CONTACT_METHODS } from '../../src/domain/schemas';
import type { Status } from '../../src/domain/lifecycle';
import type { Channel, Priority } from '../../src/domain/vocabulary';

export type Role = 'agent' | 'supervisor' | 'admin' | 'auditor';

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
  };
}

export interface CustomerInput {
  name: string;
  phone?: string;
  email?: string;
}

export interface PortalComplaintInput {
  customer: CustomerInput;
  subject: string;
  description: string;
  orderRef?: string;
  consent: true;
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
  /** message.received: what the customer wrote. */
  body?: string;
  /** contact.logged: how staff reached the customer. */
  method?: ContactMethod;
  /** attachments.added: the names of the files the customer sent. */
  files?: string[];
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
}

export interface ComplaintPage {
  items: ComplaintSummary[];
  nextCursor: string | null;
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
  orderRef: string | null;
  customer: Customer;
  allowedTransitions: Status[];
  timeline: TimelineEvent[];
  /** Older servers sent none. */
  attachments?: Attachment[];
}

export interface StaffComplaintInput {
  customer: CustomerInput;
  subject: string;
  description: string;
  orderRef?: string;
  channel: Channel;
  categoryId?: string;
  priority?: Priority;
  consent?: boolean;
}

export interface CustomerLookup {
  customer: Customer | null;
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
}

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
}

/** A clock change a timeline event records: "resolution: pause". */
export interface ClockOp {
  kind: ClockKind;
  op: 'start' | 'pause' | 'resume' | 'stop';
  dueAt: string;
}

export type NotificationKind = 'sla.reminder' | 'sla.breached';

export interface StaffNotification {
  id: number;
  kind: NotificationKind;
  complaintCode: string | null;
  payload: { clock?: ClockKind; percent?: number; dueAt?: string; code?: string; subject?: string };
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
    subject: string;
    description: string;
    orderRef?: string;
    categoryId?: string;
    priority?: Priority;
  };
  callId?: string;
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

export type InboundRejectKind = 'bounce' | 'auto_reply' | 'bulk';

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
