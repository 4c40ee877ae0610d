import type { Database } from '../db/open';
import { contentOfTimeline, statusOfTimeline, verifyChain, type ChainProblem } from '../domain/timeline-hash';
import { toAppError } from '../db/errors';
import { formatComplaintCode } from '../domain/codes';

/**
 * A chain problem of one complaint's events; or (seq null) a complaint missing altogether, or one whose
 * status, or subject or order number, is not the one its timeline leaves it with (changed without its event: an edit in SQL).
 */
export type AuditProblem = { code: string } & (
  | { seq: number; problem: ChainProblem['problem'] }
  | { seq: null; problem: 'missing_complaint' | 'status_mismatch' | 'content_mismatch' }
);

export interface AuditReport {
  complaintsChecked: number;
  eventsChecked: number;
  problems: AuditProblem[];
}

/** Missing complaints listed one by one, at most, per gap (a longer gap is reported by its ends). */
const GAP_LISTED = 100;

/**
 * Codes are consecutive and gap-free per year (each year's counter moves in the intake's transaction), so a
 * number from 1 to the year's counter without its complaint is a complaint deleted with all its events.
 */
async function missingComplaints(database: Database): Promise<AuditProblem[]> {
  const out: AuditProblem[] = [];
  const years = await database.pool.query<{ year: number; last_value: number }>('select year, last_value from complaint_sequences order by year');
  for (const { year, last_value: last } of years.rows) {
    const prefix = formatComplaintCode(year, 0).slice(0, -6);
    const gaps = await database.pool.query<{ first: number; final: number }>(
      `with taken as (select substring(code from $3::int)::int as n from complaints where code like $1)
       select n + 1 as first, next - 1 as final from (
         select n, lead(n) over (order by n) as next from (select 0 as n union all select n from taken union all select $2::int + 1) x
       ) y where next > n + 1 order by n`,
      [`${prefix}%`, last, prefix.length + 1],
    );
    for (const { first, final } of gaps.rows) {
      const seqs = final - first < GAP_LISTED ? Array.from({ length: final - first + 1 }, (_, i) => first + i) : [first, final];
      for (const seq of seqs) out.push({ code: formatComplaintCode(year, seq), seq: null, problem: 'missing_complaint' });
    }
  }
  return out;
}

/** Kiểm tra nhật ký — recomputes every complaint's hash chain and reports altered or removed events and complaints. */
export async function verifyAudit(database: Database, opts: { batchSize?: number } = {}): Promise<AuditReport> {
  const batch = opts.batchSize ?? 500;
  const report: AuditReport = { complaintsChecked: 0, eventsChecked: 0, problems: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  try {
    for (;;) {
      const heads = await database.pool.query<{
        id: string;
        code: string;
        status: string;
        event_count: number;
        last_event_hash: string;
        subject: string;
        order_ref: string | null;
        erased: boolean;
      }>(
        `select c.id, c.code, c.status, c.event_count, c.last_event_hash, c.subject, c.order_ref,
           exists (select 1 from customers cu where cu.id = c.customer_id and cu.anonymised_at is not null) as erased
         from complaints c where c.id > $1 order by c.id limit $2`,
        [after, batch],
      );
      if (!heads.rows.length) break;
      const ids = heads.rows.map((h) => h.id);
      const events = await database.pool.query<{
        complaint_id: string;
        seq: number;
        type: string;
        actor_type: string;
        actor_id: string | null;
        channel: string;
        payload: Record<string, unknown>;
        created_at: Date;
        prev_hash: string;
        hash: string;
      }>(
        `select complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash
         from timeline_events where complaint_id = any($1::uuid[]) order by complaint_id, seq`,
        [ids],
      );
      const byComplaint = new Map<string, typeof events.rows>();
      for (const e of events.rows) {
        const list = byComplaint.get(e.complaint_id) ?? [];
        list.push(e);
        byComplaint.set(e.complaint_id, list);
      }
      for (const h of heads.rows) {
        const list = (byComplaint.get(h.id) ?? []).map((e) => ({
          complaintId: e.complaint_id,
          seq: e.seq,
          type: e.type,
          actorType: e.actor_type,
          actorId: e.actor_id,
          channel: e.channel,
          payload: e.payload,
          createdAt: e.created_at,
          prevHash: e.prev_hash,
          hash: e.hash,
        }));
        report.eventsChecked += list.length;
        for (const p of verifyChain(list, { eventCount: h.event_count, lastEventHash: h.last_event_hash })) {
          report.problems.push({ ...p, code: h.code });
        }
        if (statusOfTimeline(list) !== h.status) report.problems.push({ code: h.code, seq: null, problem: 'status_mismatch' });
        // An erasure redacts the text on both sides (checked through the chain's redaction record above).
        const content = contentOfTimeline(list);
        if (!h.erased && (content.subject !== h.subject || content.orderRef !== h.order_ref)) {
          report.problems.push({ code: h.code, seq: null, problem: 'content_mismatch' });
        }
      }
      report.complaintsChecked += heads.rows.length;
      after = ids[ids.length - 1];
    }
    report.problems.push(...(await missingComplaints(database)));
  } catch (err) {
    throw toAppError(err);
  }
  return report;
}
