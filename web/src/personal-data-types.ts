// Shapes of the personal-data API (Law 91/2025): a customer's page, its access log and erasure, and the
// data-subject requests. The closed lists come from src/domain/personal-data.
import type { AccessAction, DataRequestChannel, DataRequestKind } from '../../src/domain/personal-data';
import type { ComplaintSummary } from './types';

export { ACCESS_ACTIONS, DATA_REQUEST_CHANNELS, DATA_REQUEST_KINDS, DATA_REQUEST_MAX_EXTENSION_DAYS } from '../../src/domain/personal-data';
export type { AccessAction, DataRequestChannel, DataRequestKind };

/** A customer's record as GET /api/v1/customers/:id answers it. */
export interface CustomerProfile {
  id: string;
  name: string;
  /** National format (0912345678); null when none is known. */
  phone: string | null;
  phoneE164: string | null;
  email: string | null;
  createdAt: string;
  anonymisedAt: string | null;
  complaints: number;
  openComplaints: number;
  lastClosedAt: string | null;
  /** The record this duplicate was merged into; null for a live record. Older servers sent none. */
  mergedInto?: string | null;
}

export interface CustomerPageData {
  customer: CustomerProfile;
  /** Newest first. */
  complaints: ComplaintSummary[];
}

/** One time a staff member was shown the customer's data. */
export interface AccessLogEntry {
  id: number;
  at: string;
  /** The staff member shown the data; null for an outside party (party). */
  staff: { id: string; name: string; role: string } | null;
  /** The outside party of a consultation that opened its signed link. */
  party: { consultationId: string; name: string | null; email: string | null } | null;
  complaintCode: string | null;
  action: AccessAction | string;
  channel: 'console' | 'api' | 'link';
}

export interface AccessLogPage {
  items: AccessLogEntry[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: number | null;
}

/** What POST /api/v1/customers/:id/anonymise answers. */
export interface AnonymiseResult {
  customerId: string;
  complaints: string[];
  redactedEvents: number;
  filesDeleted: number;
  already: boolean;
  customer: CustomerProfile;
}

export type DataRequestStatus = 'open' | 'done' | 'refused';

/** Yêu cầu của chủ thể dữ liệu — a request about a person's own data, with its two deadlines. */
export interface DataRequest {
  id: string;
  /** YC-000001 */
  ref: string;
  kind: DataRequestKind;
  channel: DataRequestChannel;
  requesterName: string;
  contact: string;
  details: string;
  customer: { id: string; name: string } | null;
  receivedAt: string;
  replyDueAt: string;
  /** The completion deadline, already moved when extended. */
  dueAt: string;
  extendedUntil: string | null;
  extensionReason: string | null;
  repliedAt: string | null;
  replyNote: string | null;
  status: DataRequestStatus;
  closedAt: string | null;
  outcomeNote: string | null;
  overdue: { reply: boolean; completion: boolean };
}

export interface DataRequestInput {
  requesterName: string;
  contact: string;
  kind: DataRequestKind;
  channel: DataRequestChannel;
  details?: string;
  receivedAt?: string;
}

export type DataBreachStatus = 'open' | 'closed';

/** Sự cố dữ liệu cá nhân — a breach, and its notice to the authority (A05) due 72 hours after discovery. */
export interface DataBreach {
  id: string;
  /** SC-000001 */
  ref: string;
  discoveredAt: string;
  description: string;
  /** What kinds of personal data (free text; '' when not yet known). */
  dataKinds: string;
  /** How many people; null when not yet known. */
  affectedCount: number | null;
  measures: string;
  /** discoveredAt + 72 hours. */
  noticeDueAt: string;
  notifiedAt: string | null;
  /** The reference of the notice sent (e.g. "Mẫu 03, công văn số 12/CSKH"). */
  noticeRef: string | null;
  status: DataBreachStatus;
  closedAt: string | null;
  outcomeNote: string | null;
  /** Notified after noticeDueAt, or not yet notified and noticeDueAt has passed. */
  noticeOverdue: boolean;
}

export interface DataBreachInput {
  /** An instant; the discovery time when omitted. */
  discoveredAt?: string;
  description: string;
  dataKinds?: string;
  affectedCount?: number | null;
  measures?: string;
}
