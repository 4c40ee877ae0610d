import type { Database } from '../db/open';
import { toAppError } from '../db/errors';

/**
 * Tells every admin, once per deadline, when a data-subject request missed its first reply (2 working days)
 * or its completion (15 days, or the extended date); and about a personal-data breach when it is recorded
 * and when its 72-hour notice to the authority is late. Safe in several processes: each notice has a key.
 */
export async function runDataRequestSweep(database: Database, now: Date = new Date()): Promise<{ notices: number }> {
  try {
    const r = await database.pool.query(
      `with late as (
         select id, 'YC-' || lpad(no::text, 6, '0') as ref, kind, 'data_request.reply_overdue' as notice, reply_due_at as due from data_requests
         where status = 'open' and replied_at is null and reply_due_at < $1
         union all
         select id, 'YC-' || lpad(no::text, 6, '0'), kind, 'data_request.overdue', coalesce(extended_until, due_at) from data_requests
         where status = 'open' and coalesce(extended_until, due_at) < $1
         union all
         -- A breach: every admin is told when it is recorded, and again if its notice to the authority is late.
         select id, 'SC-' || lpad(no::text, 6, '0'), 'breach', 'data_breach.recorded', notice_due_at from data_breaches
         where status = 'open' and notified_at is null
         union all
         select id, 'SC-' || lpad(no::text, 6, '0'), 'breach', 'data_breach.notice_overdue', notice_due_at from data_breaches
         where status = 'open' and notified_at is null and notice_due_at < $1
       )
       insert into notifications (staff_id, kind, payload, dedupe_key)
       select s.id, late.notice,
              jsonb_build_object(case when late.kind = 'breach' then 'breachId' else 'requestId' end, late.id, 'ref', late.ref, 'dueAt', late.due)
                || case when late.kind = 'breach' then '{}'::jsonb else jsonb_build_object('kind', late.kind) end,
              late.notice || ':' || late.id || ':' || extract(epoch from late.due)::bigint
       from late cross join staff_users s where s.active and s.role = 'admin'
       on conflict (staff_id, dedupe_key) do nothing`,
      [now.toISOString()],
    );
    return { notices: r.rowCount ?? 0 };
  } catch (err) {
    throw toAppError(err);
  }
}
