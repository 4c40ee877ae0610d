import { VI_COLLATOR } from './text';

/**
 * Ai đang xem — presence on a complaint: staff with it open in the console, and whether they are writing to
 * the customer, so that two agents do not answer the same customer unknowingly (what helpdesks call collision
 * detection). Heartbeats only, no history.
 */
export const PRESENCE_ACTIVITIES = ['viewing', 'replying'] as const;
export type PresenceActivity = (typeof PRESENCE_ACTIVITIES)[number];

/** How often an open complaint page says it is still open (PRESENCE_HEARTBEAT_MS; the server tells the page). */
export const PRESENCE_HEARTBEAT_MS = 15_000;

/**
 * How long a heartbeat counts: three beats, so one lost on a slow network does not make a colleague vanish,
 * and a page closed without saying so (a crash, a laptop shut) is gone within a minute.
 */
export const presenceLifeMs = (heartbeatMs: number): number => heartbeatMs * 3;

/**
 * What counts as having been in touch with the customer (the acknowledgement's contact, and more): a reply sent,
 * a call or meeting logged, a proposal offered, an information request sent. A reply written while a colleague
 * did one of these is stopped once, so that the customer does not get two answers (replyToCustomer's afterEvent).
 */
export const CUSTOMER_CONTACT_EVENTS = ['reply.sent', 'sms.sent', 'contact.logged', 'proposal.offered', 'info_request.created'] as const;
export type CustomerContactEvent = (typeof CUSTOMER_CONTACT_EVENTS)[number];

/** Who else is on the complaint, writers first (they are the collision), then by name (Vietnamese order). */
export function orderViewers<T extends { name: string; activity: PresenceActivity }>(viewers: T[]): T[] {
  return [...viewers].sort((a, b) => (a.activity === b.activity ? VI_COLLATOR.compare(a.name, b.name) : a.activity === 'replying' ? -1 : 1));
}
