import type { Database } from '../db/open';
import { toAppError } from '../db/errors';

/**
 * Tells every admin, once per deadline, when a data-subject request missed its first reply (2 working days)
 * or its completion (15 days, or the extended date). Safe in several processes: each notice has a key.
 */
export async function runDataRequestSweep(database: Database, now: Date = new Date()): Promise<{ notices: number }> {
  try {
    const r = await database.pool.query(
      `with late as (
         select id, no, kind, 'data_request.reply_overdue' as notice, reply_due_at as due from data_requests
         where status = 'open' and replied_at is null and reply_due_at < $1
         union all
         select id, no, kind, 'data_request.overdue', coalesce(extended_until, due_at) from data_requests
         where status = 'open' and coalesce(extended_until, due_at) < $1
       )
       insert into notifications (staff_id, kind, payload, dedupe_key)
       select s.id, late.notice,
              jsonb_build_object('requestId', late.id, 'ref', 'YC-' || lpad(late.no::text, 6, '0'), 'kind', late.kind, 'dueAt', late.due),
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
