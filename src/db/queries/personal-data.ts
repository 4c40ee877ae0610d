import { isUuid } from '../../domain/ids';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../open';
import { toAppError } from '../errors';
import type { AccessAction } from '../../domain/personal-data';
import { TERMINAL_STATUSES } from '../../domain/lifecycle';

/** A complaint still being handled: while a customer has one, their data stays. */
const STILL_OPEN = sql`c.status not in (${sql.join(TERMINAL_STATUSES.map((s) => sql`${s}`), sql`, `)})`;

async function rows(database: Database, q: SQL): Promise<Record<string, unknown>[]> {
  try {
    return (await database.db.execute<Record<string, unknown>>(q)).rows;
  } catch (err) {
    throw toAppError(err);
  }
}

export interface AccessEntry {
  staffId: string;
  customerId: string;
  complaintId?: string | null;
  action: AccessAction;
  channel: string;
}

/**
 * Records that a staff member was shown a customer's personal data. Called before the data is sent: if
 * the log cannot be written, the data is not shown either (the error is the database's 503).
 */
export async function logPersonalDataAccess(database: Database, e: AccessEntry): Promise<void> {
  await rows(
    database,
    sql`insert into personal_data_access (staff_id, customer_id, complaint_id, action, channel)
        values (${e.staffId}, ${e.customerId}, ${e.complaintId ?? null}, ${e.action}, ${e.channel})`,
  );
}

/** The same for many customers at once (a report or a search that lists them), in one statement. */
export async function logPersonalDataAccessMany(database: Database, e: Omit<AccessEntry, 'customerId' | 'complaintId'> & { customerIds: string[] }): Promise<void> {
  const ids = [...new Set(e.customerIds)];
  if (!ids.length) return;
  try {
    await database.pool.query(
      `insert into personal_data_access (staff_id, customer_id, action, channel) select $1, unnest($2::uuid[]), $3, $4`,
      [e.staffId, ids, e.action, e.channel],
    );
  } catch (err) {
    throw toAppError(err);
  }
}

/**
 * Records that the outside party of a consultation was shown what it shares about the complaint's customer
 * (its question and files), through its signed link. Like the staff's entries, written before the data is sent.
 */
export async function logOutsidePartyAccess(
  database: Database,
  e: { consultationId: string; action: Extract<AccessAction, `consultation.party_${string}`> },
): Promise<void> {
  await rows(
    database,
    sql`insert into personal_data_access (consultation_id, customer_id, complaint_id, action, channel)
        select k.id, c.customer_id, c.id, ${e.action}, 'link'
        from consultations k join complaints c on c.id = k.complaint_id
        where k.id = ${e.consultationId}`,
  );
}

export interface AccessLogRow {
  id: number;
  at: Date;
  /** Who was shown the data: a staff member, or the outside party of a consultation. */
  staff: { id: string; name: string; role: string } | null;
  party: { consultationId: string; name: string | null; email: string | null } | null;
  complaintCode: string | null;
  action: AccessAction;
  channel: string;
}

/** A customer's access log, newest first, in pages (`beforeId` is the last id of the previous page). */
export async function listPersonalDataAccess(
  database: Database,
  customerId: string,
  page: { beforeId?: number; limit: number },
): Promise<{ items: AccessLogRow[]; nextBeforeId: number | null }> {
  const r = await rows(
    database,
    sql`select a.id, a.at, a.action, a.channel, s.id as staff_id, s.name as staff_name, s.role as staff_role, c.code,
               k.id as consultation_id, k.party_name, k.party_email
        from personal_data_access a
        left join staff_users s on s.id = a.staff_id
        left join consultations k on k.id = a.consultation_id
        left join complaints c on c.id = a.complaint_id
        where a.customer_id = ${customerId} ${page.beforeId ? sql`and a.id < ${page.beforeId}` : sql``}
        order by a.id desc limit ${page.limit + 1}`,
  );
  const items = r.slice(0, page.limit).map((x) => ({
    id: Number(x.id),
    at: new Date(x.at as string),
    staff: x.staff_id ? { id: x.staff_id as string, name: x.staff_name as string, role: x.staff_role as string } : null,
    party: x.consultation_id
      ? { consultationId: x.consultation_id as string, name: (x.party_name as string | null) ?? null, email: (x.party_email as string | null) ?? null }
      : null,
    complaintCode: (x.code as string | null) ?? null,
    action: x.action as AccessAction,
    channel: x.channel as string,
  }));
  return { items, nextBeforeId: r.length > page.limit ? items[items.length - 1].id : null };
}

export interface CustomerProfile {
  id: string;
  name: string;
  phoneE164: string | null;
  email: string | null;
  createdAt: Date;
  anonymisedAt: Date | null;
  /** Complaints of theirs still being handled: while there is one, their data cannot be erased. */
  openComplaints: number;
  complaints: number;
  /** When their last complaint was closed, for the retention period. */
  lastClosedAt: Date | null;
  /** The record this duplicate was merged into (its complaints and contacts are there); null for a live record. */
  mergedInto: string | null;
}

/** One customer's record with the counts the personal-data page and the erasure need. */
export async function findCustomerProfile(database: Database, id: string): Promise<CustomerProfile | null> {
  if (!isUuid(id)) return null;
  const r = await rows(
    database,
    sql`select cu.id, cu.name, cu.phone_e164, cu.email, cu.created_at, cu.anonymised_at, cu.merged_into,
          (select count(*) from complaints c where c.customer_id = cu.id)::int as complaints,
          (select count(*) from complaints c where c.customer_id = cu.id and ${STILL_OPEN})::int as open,
          (select max(coalesce(c.closed_at, c.updated_at)) from complaints c where c.customer_id = cu.id) as last_closed
        from customers cu where cu.id = ${id}`,
  );
  const c = r[0];
  if (!c) return null;
  return {
    id: c.id as string,
    name: c.name as string,
    phoneE164: (c.phone_e164 as string | null) ?? null,
    email: (c.email as string | null) ?? null,
    createdAt: new Date(c.created_at as string),
    anonymisedAt: c.anonymised_at ? new Date(c.anonymised_at as string) : null,
    complaints: Number(c.complaints),
    openComplaints: Number(c.open),
    lastClosedAt: c.last_closed && Number(c.open) === 0 ? new Date(c.last_closed as string) : null,
    mergedInto: (c.merged_into as string | null) ?? null,
  };
}

/** Ids of a customer's complaints, oldest first. */
export async function customerComplaintIds(database: Database, customerId: string): Promise<string[]> {
  const r = await rows(database, sql`select id from complaints where customer_id = ${customerId} order by received_at, code`);
  return r.map((x) => x.id as string);
}

/** The mails, files and calls of a customer's complaints, for the export of their data. */
export async function customerRecords(database: Database, complaintIds: string[]) {
  if (!complaintIds.length) return { mails: [], files: [], calls: [], disclosures: [] };
  const ids = sql`(${sql.join(
    complaintIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  const [mails, files, calls, disclosures] = await Promise.all([
    rows(
      database,
      // Only the mails between the company and the customer. Not those to or from the outside parties asked in a
      // consultation (their addresses are theirs; the consultations are in sharedWith), nor the alerts mailed to staff
      // about the complaint (their addresses too), unless that address is the customer's own.
      sql`select m.complaint_id, m.direction, m.created_at, m.subject, m.from_address, o.to_address
          from mail_messages m
          left join outbound_messages o on o.message_id = '<' || m.message_id || '>'
          join complaints c on c.id = m.complaint_id
          join customers cu on cu.id = c.customer_id
          cross join lateral (select lower(case when m.direction = 'in' then m.from_address else o.to_address end) as address) other
          where m.complaint_id in ${ids}
            and not (m.direction = 'out' and m.body_hash like 'outbox:consultation:%')
            and (other.address is null or other.address = lower(coalesce(cu.email, '')) or not (
              exists (select 1 from consultations k where k.complaint_id = m.complaint_id and k.target_kind = 'external'
                      and lower(k.party_email) = other.address)
              or exists (select 1 from staff_users s where lower(s.email) = other.address)))
          order by m.created_at`,
    ),
    rows(
      database,
      sql`select complaint_id, filename, content_type, size, sha256, created_at from attachments where complaint_id in ${ids} order by created_at`,
    ),
    rows(
      database,
      sql`select complaint_id, caller_e164, started_at, ended_at, duration_seconds, notes from calls where complaint_id in ${ids} order by created_at`,
    ),
    // Who outside the company their data went to: outside parties asked through a consultation (with how many of
    // their files, and when the party first opened the link), and the authority a complaint was escalated to.
    rows(
      database,
      sql`select k.complaint_id, 'consultation' as kind, k.party_name as recipient, k.created_at as at,
                 (select count(*) from consultation_files f where f.consultation_id = k.id)::int as files,
                 (select min(a.at) from personal_data_access a where a.consultation_id = k.id) as opened_at
          from consultations k where k.complaint_id in ${ids} and k.target_kind = 'external'
          union all
          select e.complaint_id, 'authority', e.authority_name, coalesce(e.handed_over_at, e.created_at), null, null
          from escalations e where e.complaint_id in ${ids}
          order by at`,
    ),
  ]);
  return { mails, files, calls, disclosures };
}

/**
 * Customers whose data the retention period lets go: not erased yet, none of their complaints open, and
 * the last one closed before `cutoff`. At most `limit`, oldest first.
 */
export async function customersPastRetention(database: Database, cutoff: Date, limit: number): Promise<string[]> {
  const r = await rows(
    database,
    sql`select cu.id from customers cu
        where cu.anonymised_at is null
          and exists (select 1 from complaints c where c.customer_id = cu.id)
          and not exists (select 1 from complaints c where c.customer_id = cu.id
                          and (${STILL_OPEN} or coalesce(c.closed_at, c.updated_at) >= ${cutoff.toISOString()}))
          and not exists (select 1 from data_requests r where r.customer_id = cu.id and r.status = 'open')
        order by cu.created_at limit ${limit}`,
  );
  return r.map((x) => x.id as string);
}

export interface DataRequestRow {
  id: string;
  no: number;
  kind: string;
  channel: string;
  requesterName: string;
  contact: string;
  details: string;
  customer: { id: string; name: string } | null;
  receivedAt: Date;
  replyDueAt: Date;
  dueAt: Date;
  extendedUntil: Date | null;
  extensionReason: string | null;
  repliedAt: Date | null;
  replyNote: string | null;
  status: 'open' | 'done' | 'refused';
  closedAt: Date | null;
  outcomeNote: string | null;
}

const DATA_REQUEST_SELECT = sql`
  select r.*, cu.name as customer_name from data_requests r left join customers cu on cu.id = r.customer_id`;

const d = (v: unknown) => (v ? new Date(v as string) : null);
function toDataRequest(r: Row): DataRequestRow {
  return {
    id: r.id as string,
    no: Number(r.no),
    kind: r.kind as string,
    channel: r.channel as string,
    requesterName: r.requester_name as string,
    contact: r.contact as string,
    details: r.details as string,
    customer: r.customer_id ? { id: r.customer_id as string, name: r.customer_name as string } : null,
    receivedAt: d(r.received_at)!,
    replyDueAt: d(r.reply_due_at)!,
    dueAt: d(r.due_at)!,
    extendedUntil: d(r.extended_until),
    extensionReason: (r.extension_reason as string | null) ?? null,
    repliedAt: d(r.replied_at),
    replyNote: (r.reply_note as string | null) ?? null,
    status: r.status as DataRequestRow['status'],
    closedAt: d(r.closed_at),
    outcomeNote: (r.outcome_note as string | null) ?? null,
  };
}
type Row = Record<string, unknown>;

/** Data-subject requests, the nearest deadline first (open ones by when they must be done, closed ones newest first). */
export async function listDataRequests(database: Database, status: 'open' | 'closed' | 'all'): Promise<DataRequestRow[]> {
  const where = status === 'open' ? sql`where r.status = 'open'` : status === 'closed' ? sql`where r.status <> 'open'` : sql``;
  const order = status === 'open' ? sql`order by coalesce(r.extended_until, r.due_at), r.no` : sql`order by r.status = 'open' desc, r.received_at desc, r.no desc`;
  return (await rows(database, sql`${DATA_REQUEST_SELECT} ${where} ${order} limit 500`)).map(toDataRequest);
}

export async function findDataRequest(database: Database, id: string): Promise<DataRequestRow | null> {
  if (!isUuid(id)) return null;
  const r = await rows(database, sql`${DATA_REQUEST_SELECT} where r.id = ${id}`);
  return r[0] ? toDataRequest(r[0]) : null;
}

export interface DataBreachRow {
  id: string;
  no: number;
  discoveredAt: Date;
  description: string;
  dataKinds: string;
  affectedCount: number | null;
  measures: string;
  noticeDueAt: Date;
  notifiedAt: Date | null;
  noticeRef: string | null;
  status: 'open' | 'closed';
  closedAt: Date | null;
  outcomeNote: string | null;
}

function toDataBreach(r: Row): DataBreachRow {
  return {
    id: r.id as string,
    no: Number(r.no),
    discoveredAt: d(r.discovered_at)!,
    description: r.description as string,
    dataKinds: r.data_kinds as string,
    affectedCount: r.affected_count === null ? null : Number(r.affected_count),
    measures: r.measures as string,
    noticeDueAt: d(r.notice_due_at)!,
    notifiedAt: d(r.notified_at),
    noticeRef: (r.notice_ref as string | null) ?? null,
    status: r.status as DataBreachRow['status'],
    closedAt: d(r.closed_at),
    outcomeNote: (r.outcome_note as string | null) ?? null,
  };
}

/** Breaches, open ones first, the newest first. */
export async function listDataBreaches(database: Database): Promise<DataBreachRow[]> {
  return (await rows(database, sql`select * from data_breaches order by status = 'open' desc, discovered_at desc, no desc limit 500`)).map(toDataBreach);
}

export async function findDataBreach(database: Database, id: string): Promise<DataBreachRow | null> {
  if (!isUuid(id)) return null;
  const r = await rows(database, sql`select * from data_breaches where id = ${id}`);
  return r[0] ? toDataBreach(r[0]) : null;
}
