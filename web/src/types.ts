// Shapes of the Sen HTTP API (docs/API.md), in one file.

// The vocabularies come from the domain itself, so the UI can never offer a status the API refuses.
export { STATUSES, OPEN_STATUSES, type Status } from '../../src/domain/lifecycle';
export { CHANNELS, PRIORITIES, type Channel, type Priority } from '../../src/domain/vocabulary';
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
import type { CalendarSettings, SlaPolicy } from '../../src/domain/settings';
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
}

export interface PublicComplaint {
  code: string;
  status: Status;
  subject: string;
  receivedAt: string;
  acknowledgementDueAt: string;
  resolutionDueAt: string;
  timeline: PublicTimelineEvent[];
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
  seq: number;
  type: string;
  at: string;
  actor: Actor | null;
  channel: string | null;
  payload: Record<string, unknown> | null;
}

export interface ComplaintDetail extends ComplaintSummary {
  description: string;
  orderRef: string | null;
  customer: Customer;
  allowedTransitions: Status[];
  timeline: TimelineEvent[];
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
