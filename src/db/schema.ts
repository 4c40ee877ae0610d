import { sql } from 'drizzle-orm';
import { WATCH_NOTICE_KINDS } from '../domain/watch';
import type { MailAttachment } from '../domain/uploads';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const id = () => uuid('id').primaryKey().defaultRandom();

/** Phòng ban / nhóm — a team complaints can be routed to. */
export const teams = pgTable('teams', {
  id: id(),
  name: text('name').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Nhân viên — a staff account. */
export const staffUsers = pgTable(
  'staff_users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    teamId: uuid('team_id').references(() => teams.id),
    active: boolean('active').notNull().default(true),
    /** The language the console opens in for them and their mails from Sen are written in (SLA alerts). */
    language: text('language').notNull().default('vi'),
    /** Thư tóm tắt: whether news of their complaints left unread is mailed to them (jobs/notice-digest.ts). */
    mailDigest: boolean('mail_digest').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('staff_users_email_key').on(t.email),
    check('staff_users_role_check', sql`${t.role} in ('agent','supervisor','admin','auditor','department')`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  userId: uuid('user_id')
    .notNull()
    .references(() => staffUsers.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
});

/**
 * Nhật ký tài khoản — who changed a staff account and how: created, role/team/name changed, deactivated or
 * reactivated, password reset by an admin or changed by its owner, API token made or revoked. Kept for auditors.
 */
export const staffAccountEvents = pgTable(
  'staff_account_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id),
    /** Null when done from the command line (`sen user …`). */
    actorId: uuid('actor_id').references(() => staffUsers.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('staff_account_events_user_idx').on(t.userId, t.id)],
);

/** Khách hàng — deduplicated by normalised phone (E.164) and lower-cased email. */
export const customers = pgTable(
  'customers',
  {
    id: id(),
    name: text('name').notNull(),
    phoneE164: text('phone_e164'),
    email: text('email'),
    /** The name folded for search ("Đồng Văn Ánh" → "dong van anh"); names stay out of complaints.search_text. */
    searchName: text('search_name').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** When the customer's personal data was erased (on request or at the end of the retention period). */
    anonymisedAt: ts('anonymised_at'),
    /**
     * Gộp hồ sơ — the record this duplicate was merged into (commands/merge-customers.ts): its complaints and contacts went
     * there; this one keeps no contact and is found by no search, and stays for the access log that names it.
     */
    mergedInto: uuid('merged_into').references((): AnyPgColumn => customers.id),
  },
  (t) => [
    uniqueIndex('customers_phone_key').on(t.phoneE164).where(sql`${t.phoneE164} is not null`),
    uniqueIndex('customers_email_key').on(t.email).where(sql`${t.email} is not null`),
    // Each word's beginnings, two letters to twelve, hashed (sen_name_prefixes, migration 0047): a name search's words
    // each begin a word of the name (domain/search-text.ts nameSearchPattern).
    index('customers_name_prefixes_idx').using('gin', sql`sen_name_prefixes(${t.searchName})`),
    // The records merged into one, erased with it.
    index('customers_merged_into_idx').on(t.mergedInto).where(sql`${t.mergedInto} is not null`),
  ],
);

/** Danh mục khiếu nại — admin-editable taxonomy. */
export const categories = pgTable('categories', {
  id: id(),
  slug: text('slug').unique(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Last complaint number handed out per year; a row lock keeps codes gap-free. */
export const complaintSequences = pgTable('complaint_sequences', {
  year: integer('year').primaryKey(),
  lastValue: integer('last_value').notNull(),
});

/** Khiếu nại — one complaint. */
export const complaints = pgTable(
  'complaints',
  {
    id: id(),
    code: text('code').notNull(),
    status: text('status').notNull(),
    channel: text('channel').notNull(),
    priority: text('priority').notNull().default('normal'),
    subject: text('subject').notNull(),
    description: text('description').notNull(),
    orderRef: text('order_ref'),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    assigneeId: uuid('assignee_id').references(() => staffUsers.id),
    teamId: uuid('team_id').references(() => teams.id),
    categoryId: uuid('category_id').references(() => categories.id),
    consentAt: ts('consent_at'),
    consentVersion: text('consent_version'),
    receivedAt: ts('received_at').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgementDueAt: ts('acknowledgement_due_at').notNull(),
    resolutionDueAt: ts('resolution_due_at').notNull(),
    /** Nearest open deadline, or 'infinity' when none runs, so keyset pages need no null case. */
    sortDue: timestamp('sort_due', { withTimezone: true, mode: 'string' }).notNull(),
    searchText: text('search_text').notNull(),
    /** Nhóm dễ bị tổn thương (Art. 8, domain/vocabulary.ts VULNERABLE_GROUPS): handled first; null when none was said. */
    vulnerableGroup: text('vulnerable_group'),
    /** Ngôn ngữ liên lạc (domain/vocabulary.ts LANGUAGES): the language of every mail and printed receipt to the customer. */
    language: text('language').notNull().default('vi'),
    /** Sản phẩm — what the complaint is about, for reports by product. */
    product: text('product'),
    /** Tỉnh/thành phố of the customer given with this complaint (domain/provinces.ts): the competent Sở Công Thương. */
    customerProvince: text('customer_province'),
    reopenCount: integer('reopen_count').notNull().default(0),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    rootCauseId: uuid('root_cause_id'),
    /** The earlier complaint this one continues (reopened after the window closed). */
    previousComplaintId: uuid('previous_complaint_id'),
    /** Every SLA clock of the complaint by kind (domain/clocks.ts), as JSON. */
    clocks: jsonb('clocks').notNull().default({}).$type<Record<string, unknown>>(),
    /** When the SLA sweep next owes this complaint a reminder or breach; null when none. */
    nextAlertAt: ts('next_alert_at'),
    eventCount: integer('event_count').notNull().default(0),
    lastEventHash: text('last_event_hash').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('complaints_code_key').on(t.code),
    index('complaints_queue_idx').on(t.sortDue, t.id),
    index('complaints_status_queue_idx').on(t.status, t.sortDue, t.id),
    index('complaints_assignee_queue_idx').on(t.assigneeId, t.sortDue, t.id),
    index('complaints_team_queue_idx').on(t.teamId, t.sortDue, t.id),
    // A customer's complaints in queue order, read from the index alone: a name search's customers (indexPathIds).
    index('complaints_customer_queue_idx').on(t.customerId, t.sortDue, t.id),
    // On the text without its spaces (domain/search-text.ts searchKey): phrases keep their word order.
    // With the queue filters no btree starts with (btree_gin), so "dong ho" on the api channel reads
    // the ~2,000 rows having both rather than the 100,000 having the words (1 M: 1.1 s → 0.1 s).
    index('complaints_search_idx').using(
      'gin',
      t.channel,
      t.priority,
      t.categoryId,
      t.assigneeId,
      t.teamId,
      sql`(replace(${t.searchText}, ' ', '')) gin_trgm_ops`,
      // Each word with the first three letters of the next (sen_search_pairs, migration 0046; domain/search-text.ts
      // pairedPart): a phrase of several words, whose trigrams are all common, narrowed to the few holding its pairs.
      sql`sen_search_pairs(${t.searchText})`,
    ),
    index('complaints_received_idx').on(t.receivedAt, t.id),
    // Reports: complaints of one root cause over time (the trend after a corrective action).
    // Set when resolved: partial, so intake does not maintain it.
    index('complaints_root_cause_received_idx').on(t.rootCauseId, t.receivedAt).where(sql`${t.rootCauseId} is not null`),
    index('complaints_next_alert_idx').on(t.nextAlertAt).where(sql`${t.nextAlertAt} is not null`),
  ],
);

/** Dòng thời gian — append-only, hash-chained per complaint. */
export const timelineEvents = pgTable(
  'timeline_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    complaintId: uuid('complaint_id')
      .notNull()
      .references(() => complaints.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    channel: text('channel').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('timeline_events_complaint_seq_key').on(t.complaintId, t.seq)],
);

/** Tệp đính kèm — metadata; bytes live under DATA_DIR by SHA-256. */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    complaintId: uuid('complaint_id')
      .notNull()
      .references(() => complaints.id),
    eventId: integer('event_id'),
    /** Where the file came from when not the complaint itself: an information request's answer or a consultation's. */
    infoRequestId: uuid('info_request_id'),
    consultationId: uuid('consultation_id'),
    /** Xác minh — 'verified' or 'disputed', with a note, by whom and when. */
    verification: text('verification'),
    verificationNote: text('verification_note'),
    verifiedBy: uuid('verified_by'),
    verifiedAt: ts('verified_at'),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('attachments_complaint_idx').on(t.complaintId), index('attachments_consultation_idx').on(t.consultationId)],
);

/** Idempotency keys of creates: the same key returns the first result, never a second record. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    complaintId: uuid('complaint_id').references(() => complaints.id),
    /** The first answer of a staff write made with this key (scope `http:<user>`), replayed to a retry for a day. */
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index('idempotency_keys_replays_idx').on(t.createdAt).where(sql`${t.scope} like 'http:%'`),
  ],
);

/**
 * Failed code + contact checks on the portal (http/contact-guard.ts), shared by every Sen process on the
 * database: per subject (a hashed contact or client address), the failures in the hour from the first.
 */
export const failedChecks = pgTable('failed_checks', {
  subject: text('subject').primaryKey(),
  firstAt: ts('first_at').notNull(),
  failures: integer('failures').notNull(),
});

/**
 * A phone (E.164) or email given with a complaint that was not added to its customer's record
 * (unconfirmed: typed on the portal, in a mail…), so that staff searching that contact still find
 * the complaint. Looked up by value.
 */
export const unconfirmedContacts = pgTable(
  'unconfirmed_contacts',
  {
    value: text('value').notNull(),
    complaintId: uuid('complaint_id')
      .notNull()
      .references(() => complaints.id),
    kind: text('kind').notNull(),
  },
  (t) => [primaryKey({ columns: [t.value, t.complaintId] })],
);

/** Settings an admin edits (working calendar, SLA policy), one JSON value per key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull().$type<unknown>(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => staffUsers.id),
});

/** Thông báo — an in-app notice to one staff member (SLA reminders, breaches). */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    complaintId: uuid('complaint_id').references(() => complaints.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    /** Makes a notice idempotent: the same reminder is never stored twice for one person. */
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    readAt: ts('read_at'),
    /** When the digest job looked at it (mailed it, or not, by the member's choice); null for kinds it never mails. */
    digestedAt: ts('digested_at'),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_key').on(t.staffId, t.dedupeKey),
    index('notifications_staff_idx').on(t.staffId, t.id),
    // The digest's look-up: news of complaints not read nor looked at yet.
    index('notifications_digest_idx')
      .on(t.createdAt)
      .where(sql`${t.readAt} is null and ${t.digestedAt} is null and ${t.kind} in (${sql.raw(WATCH_NOTICE_KINDS.map((k) => `'${k}'`).join(','))})`),
  ],
);

/** Thư đi — every outbound email, queued in the same transaction as what caused it, then delivered. */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: id(),
    complaintId: uuid('complaint_id').references(() => complaints.id),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    locale: text('locale').notNull(),
    messageId: text('message_id').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    /** Files of the complaint sent with the message (an agent's reply): name, type and hash, read from the file store when sent. */
    attachments: jsonb('attachments').$type<MailAttachment[]>(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('outbound_messages_dedupe_key').on(t.dedupeKey),
    index('outbound_messages_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    check('outbound_messages_status_check', sql`${t.status} in ('queued','sent','failed','outbox')`),
  ],
);

/** Tin nhắn SMS — texts to customers who gave a phone and no email (their receipt), queued and sent by the SMS gateway (SMS_URL). */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: id(),
    complaintId: uuid('complaint_id').references(() => complaints.id),
    toPhone: text('to_phone').notNull(),
    text: text('text').notNull(),
    kind: text('kind').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    /** The gateway's own id of the message, when it gives one. */
    providerRef: text('provider_ref'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('sms_messages_dedupe_key').on(t.dedupeKey),
    index('sms_messages_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    index('sms_messages_complaint_idx').on(t.complaintId),
    check('sms_messages_status_check', sql`${t.status} in ('queued','sent','failed')`),
  ],
);

/** Thư — every email Sen received or sent about a complaint: replies thread by these ids, repeats are stored once. */
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: id(),
    complaintId: uuid('complaint_id').references(() => complaints.id),
    direction: text('direction').notNull(),
    /** Normalised Message-ID (no angle brackets, domain lower-cased). */
    messageId: text('message_id'),
    fromAddress: text('from_address').notNull(),
    subject: text('subject').notNull(),
    /** Hash of the text and attachments: the same Message-ID with another body is another message. */
    bodyHash: text('body_hash').notNull(),
    rawSha256: text('raw_sha256'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('mail_messages_identity_key').on(t.messageId, t.fromAddress, t.bodyHash).where(sql`${t.messageId} is not null`),
    index('mail_messages_message_id_idx').on(t.messageId),
    index('mail_messages_complaint_idx').on(t.complaintId),
    check('mail_messages_direction_check', sql`${t.direction} in ('in','out')`),
  ],
);

/** Không phải khiếu nại — bounces, auto-replies and bulk mail: kept, never answered, convertible by hand. */
export const inboundRejects = pgTable(
  'inbound_rejects',
  {
    id: id(),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    fromAddress: text('from_address'),
    subject: text('subject').notNull(),
    messageId: text('message_id'),
    bodyHash: text('body_hash').notNull(),
    rawSha256: text('raw_sha256').notNull(),
    excerpt: text('excerpt').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    convertedComplaintId: uuid('converted_complaint_id').references(() => complaints.id),
  },
  (t) => [
    uniqueIndex('inbound_rejects_identity_key').on(t.messageId, t.fromAddress, t.bodyHash).where(sql`${t.messageId} is not null`),
    index('inbound_rejects_received_idx').on(t.receivedAt),
  ],
);

/** Where the IMAP poller is in each mailbox (UIDVALIDITY, last UID) and which process holds it. */
export const imapState = pgTable('imap_state', {
  mailbox: text('mailbox').primaryKey(),
  uidValidity: bigint('uid_validity', { mode: 'number' }),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull().default(0),
  leaseOwner: text('lease_owner'),
  leaseUntil: ts('lease_until'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Cuộc gọi — a hotline call, logged by an agent or posted by the call-centre system. */
export const calls = pgTable(
  'calls',
  {
    id: id(),
    complaintId: uuid('complaint_id').references(() => complaints.id),
    /** The call-centre system's id of the call; its events update one row. */
    providerCallId: text('provider_call_id'),
    callerE164: text('caller_e164'),
    agentId: uuid('agent_id').references(() => staffUsers.id),
    agentRef: text('agent_ref'),
    startedAt: ts('started_at'),
    endedAt: ts('ended_at'),
    durationSeconds: integer('duration_seconds'),
    recordingUrl: text('recording_url'),
    notes: text('notes'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('calls_provider_call_key').on(t.providerCallId).where(sql`${t.providerCallId} is not null`),
    index('calls_caller_idx').on(t.callerE164),
  ],
);

/** Yêu cầu bổ sung thông tin — what the customer is asked to provide, by when. */
export const infoRequests = pgTable(
  'info_requests',
  {
    id: id(),
    complaintId: uuid('complaint_id').notNull().references(() => complaints.id),
    /** [{ kind: 'invoice'|'photos'|'correspondence'|'order_id'|'other', text? }] */
    items: jsonb('items').notNull().$type<{ kind: string; text?: string }[]>(),
    message: text('message').notNull(),
    dueAt: ts('due_at').notNull(),
    status: text('status').notNull().default('open'),
    requestedBy: uuid('requested_by').references(() => staffUsers.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    remindedAt: ts('reminded_at'),
    answeredAt: ts('answered_at'),
    expiredAt: ts('expired_at'),
    answer: text('answer'),
  },
  (t) => [
    index('info_requests_complaint_idx').on(t.complaintId),
    index('info_requests_open_due_idx').on(t.dueAt).where(sql`${t.status} = 'open'`),
    check('info_requests_status_check', sql`${t.status} in ('open','answered','expired','cancelled')`),
  ],
);

/** Tham vấn — a question to an internal department or an outside party (carrier, supplier, bank). */
export const consultations = pgTable(
  'consultations',
  {
    id: id(),
    complaintId: uuid('complaint_id').notNull().references(() => complaints.id),
    targetKind: text('target_kind').notNull(),
    teamId: uuid('team_id').references(() => teams.id),
    partyName: text('party_name'),
    partyEmail: text('party_email'),
    question: text('question').notNull(),
    dueAt: ts('due_at').notNull(),
    status: text('status').notNull().default('open'),
    answer: text('answer'),
    answeredAt: ts('answered_at'),
    answeredBy: uuid('answered_by').references(() => staffUsers.id),
    /** Changing it voids every reply link sent before. */
    linkNonce: text('link_nonce').notNull(),
    overdueNotifiedAt: ts('overdue_notified_at'),
    createdBy: uuid('created_by').references(() => staffUsers.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('consultations_complaint_idx').on(t.complaintId),
    index('consultations_team_idx').on(t.teamId),
    index('consultations_open_due_idx').on(t.dueAt).where(sql`${t.status} = 'open'`),
    check('consultations_target_check', sql`${t.targetKind} in ('internal','external')`),
    check('consultations_status_check', sql`${t.status} in ('open','answered','cancelled')`),
  ],
);

/**
 * Tệp gửi kèm tham vấn — a file of the complaint shared with a consultation: the department or the
 * outside party consulted sees and downloads these, and no other file of the complaint.
 */
export const consultationFiles = pgTable(
  'consultation_files',
  {
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    attachmentId: uuid('attachment_id')
      .notNull()
      .references(() => attachments.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.attachmentId] }), index('consultation_files_attachment_idx').on(t.attachmentId)],
);

/** Phương án giải quyết — a resolution offered to the customer. */
export const proposals = pgTable(
  'proposals',
  {
    id: id(),
    complaintId: uuid('complaint_id').notNull().references(() => complaints.id),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    amountVnd: bigint('amount_vnd', { mode: 'number' }),
    status: text('status').notNull(),
    /** The client's key for this proposal: a double click or a retry makes one proposal. */
    clientKey: text('client_key'),
    createdBy: uuid('created_by').references(() => staffUsers.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    approvedBy: uuid('approved_by').references(() => staffUsers.id),
    approvedAt: ts('approved_at'),
    offeredAt: ts('offered_at'),
    decidedAt: ts('decided_at'),
    decisionChannel: text('decision_channel'),
    decisionNote: text('decision_note'),
    implementation: jsonb('implementation').$type<Record<string, unknown>>(),
    implementedAt: ts('implemented_at'),
  },
  (t) => [
    index('proposals_complaint_idx').on(t.complaintId),
    uniqueIndex('proposals_client_key').on(t.complaintId, t.clientKey).where(sql`${t.clientKey} is not null`),
    check('proposals_kind_check', sql`${t.kind} in ('exchange','refund','repair','service','voucher','other')`),
    check(
      'proposals_status_check',
      sql`${t.status} in ('pending_approval','offered','accepted','rejected','withdrawn','implemented')`,
    ),
  ],
);

/** Cơ quan có thẩm quyền — the editable directory of authorities a complaint can be escalated to. */
export const authorities = pgTable('authorities', {
  id: id(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  province: text('province'),
  address: text('address'),
  email: text('email'),
  phone: text('phone'),
  website: text('website'),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Chuyển cơ quan có thẩm quyền — an escalation with its dossier, hand-over and outcome. */
export const escalations = pgTable(
  'escalations',
  {
    id: id(),
    complaintId: uuid('complaint_id').notNull().references(() => complaints.id),
    authorityId: uuid('authority_id').references(() => authorities.id),
    authorityName: text('authority_name').notNull(),
    reason: text('reason').notNull(),
    dossierPdfSha256: text('dossier_pdf_sha256'),
    dossierZipSha256: text('dossier_zip_sha256'),
    handedOverAt: ts('handed_over_at'),
    referenceNo: text('reference_no'),
    outcome: text('outcome'),
    outcomeAt: ts('outcome_at'),
    createdBy: uuid('created_by').references(() => staffUsers.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('escalations_complaint_idx').on(t.complaintId)],
);

/** Khảo sát hài lòng — one survey per resolution of a complaint (a reopened one is asked again). */
export const surveys = pgTable(
  'surveys',
  {
    id: id(),
    complaintId: uuid('complaint_id').notNull().references(() => complaints.id),
    resolutionNo: integer('resolution_no').notNull(),
    sendAfter: ts('send_after').notNull(),
    sentAt: ts('sent_at'),
    answeredAt: ts('answered_at'),
    rating: integer('rating'),
    comment: text('comment'),
    linkNonce: text('link_nonce').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('surveys_complaint_resolution_key').on(t.complaintId, t.resolutionNo),
    index('surveys_send_idx').on(t.sendAfter).where(sql`${t.sentAt} is null`),
    check('surveys_rating_check', sql`${t.rating} is null or ${t.rating} between 1 and 5`),
  ],
);

/** Nguyên nhân gốc — the editable taxonomy of root causes; one is required to resolve. */
export const rootCauses = pgTable('root_causes', {
  id: id(),
  slug: text('slug').unique(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Mẫu trả lời — a team's wording for replies it writes often, per language (domain/reply-templates.ts). */
export const replyTemplates = pgTable('reply_templates', {
  id: id(),
  name: text('name').notNull(),
  language: text('language').notNull().default('vi'),
  body: text('body').notNull(),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by').references(() => staffUsers.id),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Phân công tự động — a rule giving new complaints to a team (and a member) by what they are (domain/routing.ts). */
export const routingRules = pgTable('routing_rules', {
  id: id(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  active: boolean('active').notNull().default(true),
  channels: text('channels').array().notNull().default(sql`'{}'::text[]`),
  categoryId: uuid('category_id').references(() => categories.id),
  keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
  vulnerableOnly: boolean('vulnerable_only').notNull().default(false),
  teamId: uuid('team_id')
    .notNull()
    .references(() => teams.id),
  assigneeId: uuid('assignee_id').references(() => staffUsers.id),
  priority: text('priority'),
  createdBy: uuid('created_by').references(() => staffUsers.id),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * The complaints the routing sweep has looked at, and the rule it applied (null: none fitted, or the complaint was
 * already with someone). Only the last days' are kept: the sweep looks at the complaints of the last day.
 */
export const routingChecks = pgTable(
  'routing_checks',
  {
    complaintId: uuid('complaint_id').primaryKey(),
    receivedAt: ts('received_at').notNull(),
    ruleId: uuid('rule_id'),
    checkedAt: ts('checked_at').notNull().defaultNow(),
  },
  (t) => [index('routing_checks_received_idx').on(t.receivedAt)],
);

/** Hành động khắc phục — a corrective action, linked to the complaints that showed the need. */
export const correctiveActions = pgTable(
  'corrective_actions',
  {
    id: id(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    ownerId: uuid('owner_id').references(() => staffUsers.id),
    rootCauseId: uuid('root_cause_id').references(() => rootCauses.id),
    dueDate: text('due_date'),
    status: text('status').notNull().default('open'),
    createdBy: uuid('created_by').references(() => staffUsers.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
  },
  (t) => [check('corrective_actions_status_check', sql`${t.status} in ('open','in_progress','done','cancelled')`)],
);

export const correctiveActionComplaints = pgTable(
  'corrective_action_complaints',
  {
    actionId: uuid('action_id')
      .notNull()
      .references(() => correctiveActions.id, { onDelete: 'cascade' }),
    complaintId: uuid('complaint_id')
      .notNull()
      .references(() => complaints.id),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.complaintId] }), index('corrective_action_complaints_complaint_idx').on(t.complaintId)],
);

/**
 * Files to delete from the file store: those of erased customers (evidence, raw mail, set-aside mail,
 * dossiers), queued in the erasure's transaction and taken off once deleted — or once another customer's
 * record refers to the same bytes. A deletion that failed (a disk error) or was put off (the file was
 * written a moment ago: an upload of the same bytes may be about to refer to it) is tried again by the
 * retention job.
 */
export const fileDeletions = pgTable('file_deletions', {
  sha256: text('sha256').primaryKey(),
  queuedAt: ts('queued_at').notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
});

/**
 * When each file was last stored, for an S3-compatible file store (files/s3-store.ts), which has no file times to read and
 * no move to make a deletion safe: a put records its hold here first, and a deletion locks the row while it decides, so
 * that the bytes an upload of the same bytes is about to refer to are never deleted. Unused with files on local disk.
 */
export const fileHolds = pgTable('file_holds', {
  sha256: text('sha256').primaryKey(),
  heldAt: ts('held_at').notNull(),
});

/**
 * Nhật ký truy cập dữ liệu cá nhân — who opened which customer's data, when and how (a complaint's page,
 * an evidence file, a printed receipt or dossier, a caller lookup, the customer's page or export), and
 * what an outside party consulted about the complaint opened through its signed link (the question and
 * the files shared with it). Append-only; read by admins and auditors.
 */
export const personalDataAccess = pgTable(
  'personal_data_access',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    /** The staff member; null when an outside party opened a consultation's link (consultationId). */
    staffId: uuid('staff_id').references(() => staffUsers.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    complaintId: uuid('complaint_id').references(() => complaints.id),
    /** The consultation whose outside party (name and email kept there) was shown the data. */
    consultationId: uuid('consultation_id').references(() => consultations.id),
    action: text('action').notNull(),
    /** Console or API token; `link` for an outside party's signed link. */
    channel: text('channel').notNull(),
  },
  (t) => [
    index('personal_data_access_customer_idx').on(t.customerId, t.id),
    // An outside party's first opening of its link, in a customer's data export.
    index('personal_data_access_consultation_idx').on(t.consultationId).where(sql`${t.consultationId} is not null`),
    index('personal_data_access_staff_idx').on(t.staffId, t.id),
    check('personal_data_access_who_check', sql`${t.staffId} is not null or ${t.consultationId} is not null`),
  ],
);

/**
 * Yêu cầu của chủ thể dữ liệu — a customer's request about their personal data (see, correct, delete,
 * restrict, object, withdraw consent), with its two deadlines (Decree 356/2025): the first reply within
 * 2 working days, done within 15 days, extended once by up to 15 days.
 */
export const dataRequests = pgTable(
  'data_requests',
  {
    id: id(),
    no: bigserial('no', { mode: 'number' }).notNull().unique(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    requesterName: text('requester_name').notNull(),
    contact: text('contact').notNull(),
    details: text('details').notNull().default(''),
    customerId: uuid('customer_id').references(() => customers.id),
    receivedAt: ts('received_at').notNull(),
    replyDueAt: ts('reply_due_at').notNull(),
    dueAt: ts('due_at').notNull(),
    extendedUntil: ts('extended_until'),
    extensionReason: text('extension_reason'),
    repliedAt: ts('replied_at'),
    replyNote: text('reply_note'),
    status: text('status').notNull().default('open'),
    closedAt: ts('closed_at'),
    outcomeNote: text('outcome_note'),
    createdBy: uuid('created_by').references(() => staffUsers.id),
    handledBy: uuid('handled_by').references(() => staffUsers.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('data_requests_kind_check', sql`${t.kind} in ('access','correction','deletion','restriction','objection','withdraw_consent')`),
    check('data_requests_status_check', sql`${t.status} in ('open','done','refused')`),
    index('data_requests_open_idx').on(t.dueAt).where(sql`${t.status} = 'open'`),
    index('data_requests_customer_idx').on(t.customerId),
  ],
);

/**
 * Sự cố dữ liệu cá nhân — a personal-data breach and its notice to the Ministry of Public Security's
 * cybersecurity department (A05), due 72 hours after it was discovered (Law 91/2025).
 */
export const dataBreaches = pgTable(
  'data_breaches',
  {
    id: id(),
    no: bigserial('no', { mode: 'number' }).notNull().unique(),
    discoveredAt: ts('discovered_at').notNull(),
    description: text('description').notNull(),
    /** Which personal data (names, phones, complaint texts, ID-card images…). */
    dataKinds: text('data_kinds').notNull().default(''),
    affectedCount: integer('affected_count'),
    measures: text('measures').notNull().default(''),
    noticeDueAt: ts('notice_due_at').notNull(),
    notifiedAt: ts('notified_at'),
    noticeRef: text('notice_ref'),
    status: text('status').notNull().default('open'),
    closedAt: ts('closed_at'),
    outcomeNote: text('outcome_note'),
    createdBy: uuid('created_by').references(() => staffUsers.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [check('data_breaches_status_check', sql`${t.status} in ('open','closed')`)],
);

/**
 * Ai đang xem — who has a complaint open in the console, and whether they are writing to its customer: a
 * heartbeat per staff member and complaint (commands/mark-presence.ts), so that two agents do not answer
 * the same customer unknowingly. Not history: rows older than a heartbeat's life mean nothing.
 */
export const complaintViewers = pgTable(
  'complaint_viewers',
  {
    complaintId: uuid('complaint_id')
      .notNull()
      .references(() => complaints.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    activity: text('activity').notNull(),
    seenAt: ts('seen_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.complaintId, t.staffId] }),
    index('complaint_viewers_staff_idx').on(t.staffId, t.seenAt),
    check('complaint_viewers_activity_check', sql`${t.activity} in ('viewing','replying')`),
  ],
);

/** Bộ lọc đã lưu — a staff member's named queue filters (domain/saved-views.ts): theirs alone. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: id(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    query: text('query').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_views_staff_name_key').on(t.staffId, t.name)],
);

/**
 * Nhắc tôi — a staff member's own reminder on a complaint (domain/reminders.ts): the sweep tells them at
 * `remind_at` and sets `fired_at`; theirs alone, no timeline event. `call_back`: the call back they promised the
 * customer when logging a contact ("hẹn gọi lại", in that contact's event); the next contact logged on the complaint
 * by anyone removes it, told or not.
 */
export const reminders = pgTable(
  'reminders',
  {
    id: id(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    complaintId: uuid('complaint_id')
      .notNull()
      .references(() => complaints.id, { onDelete: 'cascade' }),
    remindAt: ts('remind_at').notNull(),
    note: text('note').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    firedAt: ts('fired_at'),
    callBack: boolean('call_back').notNull().default(false),
  },
  (t) => [
    // The sweep's look-up: only the reminders still waiting.
    index('reminders_due_idx').on(t.remindAt).where(sql`${t.firedAt} is null`),
    index('reminders_staff_idx').on(t.staffId, t.remindAt),
    index('reminders_complaint_idx').on(t.complaintId),
    // A complaint's promised call back (its page, and the next contact that keeps the promise).
    index('reminders_call_back_idx').on(t.complaintId, t.remindAt).where(sql`${t.callBack}`),
    check('reminders_note_length', sql`char_length(${t.note}) <= 500`),
  ],
);

/** Theo dõi — staff following a complaint (domain/watch.ts): told in the app of the customer's doings and status changes. */
export const complaintFollowers = pgTable(
  'complaint_followers',
  {
    complaintId: uuid('complaint_id')
      .notNull()
      .references(() => complaints.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.complaintId, t.staffId] }), index('complaint_followers_staff_idx').on(t.staffId)],
);
