import { sql } from 'drizzle-orm';
import { eventHash } from '../domain/timeline-hash';
import { watchNotices, type WatchNotice } from '../domain/watch';
import { rolesWith } from '../policies';
import type { Actor } from './actor';
import type { Tx } from './transaction';

export interface ComplaintHead {
  id: string;
  eventCount: number;
  lastEventHash: string;
}

/**
 * Appends one event to a complaint's hash chain and moves the chain head, inside the caller's
 * transaction. The caller must hold the complaint row lock (SELECT … FOR UPDATE).
 */
export async function appendEvent(
  tx: Tx,
  head: ComplaintHead,
  actor: Actor,
  type: string,
  payload: Record<string, unknown>,
  at: Date = new Date(),
): Promise<ComplaintHead> {
  const event = {
    complaintId: head.id,
    seq: head.eventCount + 1,
    type,
    actorType: actor.kind,
    actorId: actor.id,
    channel: actor.channel,
    payload,
    createdAt: at,
    prevHash: head.lastEventHash,
  };
  const hash = eventHash(event);
  await tx.execute(sql`
    with e as (
      insert into timeline_events (complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash)
      values (${event.complaintId}, ${event.seq}, ${type}, ${event.actorType}, ${event.actorId}, ${event.channel},
              ${JSON.stringify(payload)}::jsonb, ${at.toISOString()}, ${event.prevHash}, ${hash})
    )
    update complaints set event_count = ${event.seq}, last_event_hash = ${hash}, updated_at = ${at.toISOString()}
    where id = ${head.id}`);
  for (const notice of watchNotices(head.id, { type, seq: event.seq, at, payload }, actor)) {
    await tellWatchers(tx, head.id, notice, { type, seq: event.seq, payload }, actor);
  }
  return { id: head.id, eventCount: event.seq, lastEventHash: hash };
}

/**
 * Theo dõi: the in-app notice of an event to the complaint's new assignee, to its assignee and followers, or to its
 * team's supervisors — active staff, never the one who acted — in the event's transaction; a notice with the same key
 * is stored once per person.
 */
/** Who may follow a complaint (PUT /complaints/{code}/follow) is who may be told of one. */
const WATCHER_ROLES = `{${rolesWith('complaint.note').join(',')}}`;

async function tellWatchers(
  tx: Tx,
  complaintId: string,
  notice: WatchNotice,
  event: { type: string; seq: number; payload: Record<string, unknown> },
  actor: Actor,
): Promise<void> {
  const detail: Record<string, unknown> = { event: event.type, seq: event.seq };
  if (typeof event.payload.to === 'string') detail.status = event.payload.to;
  if (typeof event.payload.rating === 'number') detail.rating = event.payload.rating;
  const who =
    notice.to === 'watchers'
      ? sql`(s.id = c.assignee_id or s.id in (select f.staff_id from complaint_followers f where f.complaint_id = c.id))`
      : notice.to === 'team_leads'
        ? sql`(s.role = 'supervisor' and (c.team_id is null or s.team_id = c.team_id))`
        : sql`s.id = ${notice.to.assignee}`;
  await tx.execute(sql`
    insert into notifications (staff_id, complaint_id, kind, payload, dedupe_key)
    select s.id, c.id, ${notice.kind},
           jsonb_build_object('code', c.code, 'subject', c.subject,
             'by', (select b.name from staff_users b where b.id::text = ${actor.id} and ${actor.kind} <> 'customer')) || ${JSON.stringify(detail)}::jsonb,
           ${notice.key}
    from complaints c join staff_users s on ${who}
    where c.id = ${complaintId} and s.active and s.id::text is distinct from ${actor.id}
      -- Only who may still follow a complaint: a follower since moved to a department or made an auditor is told nothing.
      and s.role = any(${WATCHER_ROLES}::text[])
    on conflict (staff_id, dedupe_key) do nothing`);
}
