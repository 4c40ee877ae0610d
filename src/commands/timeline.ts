import { sql } from 'drizzle-orm';
import { eventHash } from '../domain/timeline-hash';
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
  return { id: head.id, eventCount: event.seq, lastEventHash: hash };
}
