import type { Database } from '../db/open';
import { verifyChain, type ChainProblem } from '../domain/timeline-hash';
import { toAppError } from '../db/errors';

export interface AuditReport {
  complaintsChecked: number;
  eventsChecked: number;
  problems: (ChainProblem & { code: string })[];
}

/** Kiểm tra nhật ký — recomputes every complaint's hash chain and reports altered or removed events. */
export async function verifyAudit(database: Database, opts: { batchSize?: number } = {}): Promise<AuditReport> {
  const batch = opts.batchSize ?? 500;
  const report: AuditReport = { complaintsChecked: 0, eventsChecked: 0, problems: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  try {
    for (;;) {
      const heads = await database.pool.query<{ id: string; code: string; event_count: number; last_event_hash: string }>(
        'select id, code, event_count, last_event_hash from complaints where id > $1 order by id limit $2',
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
      }
      report.complaintsChecked += heads.rows.length;
      after = ids[ids.length - 1];
    }
  } catch (err) {
    throw toAppError(err);
  }
  return report;
}
