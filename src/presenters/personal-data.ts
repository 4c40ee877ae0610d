import { nationalPhone } from '../domain/contacts';
import type { ComplaintRow, EventRow } from '../db/queries/complaints';
import type { AccessLogRow, CustomerProfile, DataBreachRow, DataRequestRow, customerRecords } from '../db/queries/personal-data';
import { presentComplaintForCustomer } from './complaint';

/** A customer's record as the staff console shows it. */
export function presentCustomerProfile(c: CustomerProfile) {
  return {
    id: c.id,
    name: c.name,
    phone: c.phoneE164 ? nationalPhone(c.phoneE164) : null,
    phoneE164: c.phoneE164,
    email: c.email,
    createdAt: c.createdAt.toISOString(),
    anonymisedAt: c.anonymisedAt?.toISOString() ?? null,
    complaints: c.complaints,
    openComplaints: c.openComplaints,
    lastClosedAt: c.lastClosedAt?.toISOString() ?? null,
    mergedInto: c.mergedInto,
  };
}

export function presentAccessLog(items: AccessLogRow[]) {
  return items.map((a) => ({
    id: a.id,
    at: a.at.toISOString(),
    staff: a.staff,
    party: a.party,
    complaintCode: a.complaintCode,
    action: a.action,
    channel: a.channel,
  }));
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/**
 * Everything Sen holds about a customer, for their request to see their data (Law 91/2025 Art. 4): their
 * record, and for each complaint what they told us, what the company told them (the customer's view of
 * the timeline), the mails exchanged, the files they sent, the calls, and to whom outside the company their data
 * was given (outside parties consulted, by name; the authority a complaint went to). Staff's internal notes and
 * other people's data (staff, departments, third parties' contacts) are not included.
 */
export function presentPersonalDataExport(
  profile: CustomerProfile,
  complaints: { row: ComplaintRow; events: EventRow[] }[],
  records: Awaited<ReturnType<typeof customerRecords>>,
  exportedAt: Date,
) {
  const of = <T extends Record<string, unknown>>(list: T[], id: string) => list.filter((x) => x.complaint_id === id);
  return {
    exportedAt: exportedAt.toISOString(),
    controller: 'Sen',
    customer: presentCustomerProfile(profile),
    complaints: complaints.map(({ row, events }) => {
      const customerView = presentComplaintForCustomer(row, events, exportedAt);
      return {
        code: row.code,
        status: row.status,
        channel: row.channel,
        receivedAt: row.receivedAt.toISOString(),
        subject: row.subject,
        description: row.description,
        orderRef: row.orderRef,
        product: row.product,
        province: row.customer.province,
        consent: row.consent ? { at: row.consent.at.toISOString(), version: row.consent.version } : null,
        timeline: customerView.timeline,
        mails: of(records.mails, row.id).map((m) => ({
          direction: m.direction,
          at: iso(m.created_at),
          subject: m.subject,
          address: m.direction === 'in' ? m.from_address : (m.to_address ?? null),
        })),
        files: of(records.files, row.id).map((f) => ({
          filename: f.filename,
          contentType: f.content_type,
          size: Number(f.size),
          sha256: f.sha256,
          at: iso(f.created_at),
        })),
        calls: of(records.calls, row.id).map((c) => ({
          caller: c.caller_e164 ? nationalPhone(c.caller_e164 as string) : null,
          startedAt: iso(c.started_at),
          endedAt: iso(c.ended_at),
          durationSeconds: c.duration_seconds === null ? null : Number(c.duration_seconds),
        })),
        /** Bên nhận dữ liệu — to whom outside the company the complaint's data was given, and when. */
        sharedWith: of(records.disclosures, row.id).map((d) => ({
          kind: d.kind as 'consultation' | 'authority',
          recipient: d.recipient as string | null,
          at: iso(d.at),
          ...(d.kind === 'consultation' ? { files: Number(d.files), openedAt: iso(d.opened_at) } : {}),
        })),
      };
    }),
  };
}

/** A data-subject request with its deadlines and whether they are missed (`now`). */
export function presentDataRequest(r: DataRequestRow, now: Date = new Date()) {
  const due = r.extendedUntil ?? r.dueAt;
  return {
    id: r.id,
    ref: `YC-${String(r.no).padStart(6, '0')}`,
    kind: r.kind,
    channel: r.channel,
    requesterName: r.requesterName,
    contact: r.contact,
    details: r.details,
    customer: r.customer,
    receivedAt: r.receivedAt.toISOString(),
    replyDueAt: r.replyDueAt.toISOString(),
    dueAt: due.toISOString(),
    extendedUntil: r.extendedUntil?.toISOString() ?? null,
    extensionReason: r.extensionReason,
    repliedAt: r.repliedAt?.toISOString() ?? null,
    replyNote: r.replyNote,
    status: r.status,
    closedAt: r.closedAt?.toISOString() ?? null,
    outcomeNote: r.outcomeNote,
    overdue: {
      reply: (r.repliedAt ?? r.closedAt ?? now) > r.replyDueAt,
      completion: (r.closedAt ?? now) > due,
    },
  };
}

/** A personal-data breach with its 72-hour notice deadline, and whether the notice is late (`now`). */
export function presentDataBreach(b: DataBreachRow, now: Date = new Date()) {
  return {
    id: b.id,
    ref: `SC-${String(b.no).padStart(6, '0')}`,
    discoveredAt: b.discoveredAt.toISOString(),
    description: b.description,
    dataKinds: b.dataKinds,
    affectedCount: b.affectedCount,
    measures: b.measures,
    noticeDueAt: b.noticeDueAt.toISOString(),
    notifiedAt: b.notifiedAt?.toISOString() ?? null,
    noticeRef: b.noticeRef,
    status: b.status,
    closedAt: b.closedAt?.toISOString() ?? null,
    outcomeNote: b.outcomeNote,
    noticeOverdue: (b.notifiedAt ?? now) > b.noticeDueAt,
  };
}
