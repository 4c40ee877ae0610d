/**
 * Personal data (Personal Data Protection Law 91/2025/QH15, Decree 356/2025/NĐ-CP): what staff reading a
 * customer's data is logged as, how a customer's data is erased while the complaint's history stays
 * countable and its audit chain checkable, when the retention period ends, and the deadlines of a
 * data subject's request.
 */
import { addWorkingDays, isWorkingDay, workingHoursOf, type WorkingCalendar } from './calendar';
import { UUID } from './ids';
import { toVietnamIso } from './time';

/** What showed a staff member, or an outside party asked through a consultation, a customer's personal data. */
export const ACCESS_ACTIONS = [
  'complaint.view',
  'attachment.download',
  'receipt.print',
  'dossier.download',
  'customer.lookup',
  'customer.view',
  'customer.export',
  /** A report listing customers by name and contacts (repeat customers), on screen or as a file. */
  'report.view',
  /** The complaint register of a period (sổ theo dõi khiếu nại), as a file: every complaint's customer and contacts. */
  'register.export',
  /** The list of data-subject requests, which names the requesters and their contacts. */
  'data_requests.view',
  /** An outside party opened a consultation's signed link: the question and the list of files shared with it. */
  'consultation.party_view',
  /** An outside party downloaded a file shared with its consultation (evidence the customer sent). */
  'consultation.party_download',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** What an erased customer is called, and what stands in an erased text. */
export const ANONYMISED_NAME = 'Khách hàng đã ẩn danh';
export const REDACTED = '[đã ẩn danh]';

/** The type of the timeline event that records an erasure and lists the events whose payload it redacted. */
export const ANONYMISED_EVENT = 'personal_data.anonymised';

/** Values that say nothing about a person, wherever they stand. */
const KEEP_ANYWHERE = [
  /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, // dates and times
  UUID, // ids
  /^[0-9a-f]{64}$/, // SHA-256 of a file
  /^KN-\d{4}-\d{6}$/, // complaint codes
  /^(application|image|text|audio|video)\/[a-z0-9.+-]+$/, // content types
];
/** Keys whose value is one of a closed set of words (a state, a kind, a channel), kept when it looks like one. */
const ENUM_KEYS = new Set([
  'from',
  'to',
  'status',
  'kind',
  'type',
  'channel',
  'cause',
  'clock',
  'method',
  'decision',
  'priority',
  'direction',
  'verification',
  'mode',
  'locale',
  'role',
  'targetKind',
  'actorType',
  'op',
]);
const ENUM_WORD = /^[a-z]+([._][a-z]+)*$/;

/**
 * An event payload with every text that could be personal replaced by {@link REDACTED}: what stays are
 * numbers, booleans, dates, ids, codes and file hashes anywhere, and the words of states, kinds and
 * channels under the keys that hold them, so that the history still says what happened when, and to
 * which complaint, but no longer about whom. Free text under any other key goes, even a single word.
 */
export function redactPayload(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (KEEP_ANYWHERE.some((re) => re.test(value))) return value;
    return ENUM_KEYS.has(key) && ENUM_WORD.test(value) ? value : REDACTED;
  }
  if (Array.isArray(value)) return value.map((v) => redactPayload(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactPayload(v, k)]));
  }
  return value;
}

/**
 * What a chain's erasure events say they redacted: for each earlier event, the hash of its content as
 * redacted (the event keeps its original hash, which the next event links to). Only the payload may differ.
 */
export function redactedHashes(events: { seq: number; type: string; payload: Record<string, unknown> }[]): Map<number, string> {
  const hashes = new Map<number, string>();
  for (const e of events) {
    if (e.type !== ANONYMISED_EVENT || !Array.isArray(e.payload.redacted)) continue;
    for (const r of e.payload.redacted as { seq?: unknown; hash?: unknown }[]) {
      if (Number.isInteger(r?.seq) && (r.seq as number) < e.seq && typeof r.hash === 'string') hashes.set(r.seq as number, r.hash);
    }
  }
  return hashes;
}

/**
 * The moment before which a customer's last complaint must have been closed for their data to be erased
 * at the end of the retention period (`months` after closing; 0 = kept for ever).
 */
export function retentionCutoff(now: Date, months: number): Date | null {
  if (!Number.isInteger(months) || months <= 0) return null;
  // The same day of the month `months` earlier, or that month's last day (31/3 - 1 month = 28/2 or 29/2).
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(now.getUTCDate(), new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  return new Date(Date.UTC(year, month, day, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
}

/** What a data subject may ask (Law 91/2025 Art. 4). */
export const DATA_REQUEST_KINDS = ['access', 'correction', 'deletion', 'restriction', 'objection', 'withdraw_consent'] as const;
export type DataRequestKind = (typeof DATA_REQUEST_KINDS)[number];
export const DATA_REQUEST_CHANNELS = ['email', 'hotline', 'office', 'web', 'post'] as const;
export type DataRequestChannel = (typeof DATA_REQUEST_CHANNELS)[number];

/** Decree 356/2025: the first reply within 2 working days; done within 15 days; one extension of up to 15 days. */
export const DATA_REQUEST_REPLY_WORKING_DAYS = 2;
export const DATA_REQUEST_DAYS = 15;
export const DATA_REQUEST_MAX_EXTENSION_DAYS = 15;

/**
 * The end of a period of `days` days (Civil Code Art. 147–148): counted from the day after `start`
 * (Vietnam time); when its last day is a day off, it ends on the next working day; it ends when that
 * day's business hours do.
 */
export function daysPeriodEnd(start: Date, days: number, cal: WorkingCalendar): Date {
  const startDay = Date.parse(`${toVietnamIso(start).slice(0, 10)}T00:00:00Z`);
  let day = new Date(startDay + days * 86_400_000).toISOString().slice(0, 10);
  while (!isWorkingDay(day, cal)) day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const hours = workingHoursOf(day, cal);
  const endMinutes = hours[hours.length - 1][1];
  return new Date(Date.parse(`${day}T00:00:00+07:00`) + endMinutes * 60_000);
}

/** A data-subject request's two deadlines from when it was received. */
export function dataRequestDeadlines(receivedAt: Date, cal: WorkingCalendar): { replyDueAt: Date; dueAt: Date } {
  return {
    replyDueAt: addWorkingDays(receivedAt, DATA_REQUEST_REPLY_WORKING_DAYS, cal),
    dueAt: daysPeriodEnd(receivedAt, DATA_REQUEST_DAYS, cal),
  };
}

/** A personal-data breach is notified to the authority (A05) within 72 hours of its discovery (Law 91/2025). */
export const BREACH_NOTICE_HOURS = 72;

export function breachNoticeDue(discoveredAt: Date): Date {
  return new Date(discoveredAt.getTime() + BREACH_NOTICE_HOURS * 3_600_000);
}
