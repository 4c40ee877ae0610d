import { sql } from 'drizzle-orm';
import {
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
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('staff_users_email_key').on(t.email),
    check('staff_users_role_check', sql`${t.role} in ('agent','supervisor','admin','auditor')`),
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

/** Khách hàng — deduplicated by normalised phone (E.164) and lower-cased email. */
export const customers = pgTable(
  'customers',
  {
    id: id(),
    name: text('name').notNull(),
    phoneE164: text('phone_e164'),
    email: text('email'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customers_phone_key').on(t.phoneE164).where(sql`${t.phoneE164} is not null`),
    uniqueIndex('customers_email_key').on(t.email).where(sql`${t.email} is not null`),
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
    index('complaints_customer_idx').on(t.customerId),
    index('complaints_search_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
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
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('attachments_complaint_idx').on(t.complaintId)],
);

/** Idempotency keys of creates: the same key returns the first result, never a second record. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    complaintId: uuid('complaint_id').references(() => complaints.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);
