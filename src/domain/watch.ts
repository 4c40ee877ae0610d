import type { ActorKind } from './lifecycle';

/*
 * Theo dõi — who hears of what happens on a complaint without opening it: the assignee and the staff following it
 * (complaint_followers) are told in the app when the customer does something (writes, answers a request, accepts or
 * rejects a proposal, sends files, rates the outcome, reopens it) and when a colleague moves its status; whoever is
 * given a complaint is told so; a low satisfaction rating goes to the team's supervisors too. Never of what they did
 * themselves. One definition, used by every command through
 * the timeline (commands/timeline.ts appendEvent).
 */

export const WATCH_NOTICE_KINDS = ['complaint.assigned', 'complaint.customer_activity', 'complaint.status_changed', 'complaint.low_rating'] as const;

/** A satisfaction rating this low (of 5) is also told to the team's supervisors: a customer to win back. */
export const LOW_RATING = 2;
export type WatchNoticeKind = (typeof WATCH_NOTICE_KINDS)[number];

/** What the customer does that their complaint's watchers are told of (the timeline's event types). */
export const CUSTOMER_ACTIVITY_EVENTS = [
  'message.received',
  'info_request.answered',
  'proposal.accepted',
  'proposal.rejected',
  'attachments.added',
  'survey.answered',
  'status.changed',
] as const;

export interface WatchNotice {
  kind: WatchNoticeKind;
  /** The one complaint's new assignee, its watchers (assignee and followers), or its team's supervisors (all, without a team). */
  to: { assignee: string } | 'watchers' | 'team_leads';
  /**
   * Notices with the same key for one person are one: a customer's single action that writes several events (a
   * message that answers a request and moves the status) tells each watcher once.
   */
  key: string;
}

/**
 * The notices an event of a complaint gives: `seq` is the event's number, `at` its time (shared by the events one
 * action writes).
 */
export function watchNotices(
  complaintId: string,
  event: { type: string; seq: number; at: Date; payload: Record<string, unknown> },
  actor: { kind: ActorKind; id: string | null },
): WatchNotice[] {
  if (event.type === 'assignment.changed') {
    const to = event.payload.assigneeId;
    // Only a new assignee: a complaint moved to another team with its assignee kept is not given to them again.
    if (typeof to !== 'string' || to === actor.id || to === event.payload.previousAssigneeId) return [];
    return [{ kind: 'complaint.assigned', to: { assignee: to }, key: `watch:${complaintId}:${event.seq}` }];
  }
  // However it came (the survey's link, or an agent asking by phone), a low rating is for the supervisors too.
  const rating = event.payload.rating;
  const low: WatchNotice[] =
    event.type === 'survey.answered' && typeof rating === 'number' && rating <= LOW_RATING
      ? [{ kind: 'complaint.low_rating', to: 'team_leads', key: `watch:${complaintId}:${event.seq}:low` }]
      : [];
  if (actor.kind === 'customer') {
    if (!(CUSTOMER_ACTIVITY_EVENTS as readonly string[]).includes(event.type)) return [];
    return [{ kind: 'complaint.customer_activity', to: 'watchers', key: `watch:${complaintId}:customer:${event.at.toISOString()}` }, ...low];
  }
  if (low.length) return low;
  // Sen's own moves (a request expired, a survey answered) come with notices of their own, or are routine.
  if (event.type === 'status.changed' && actor.kind !== 'system') {
    return [{ kind: 'complaint.status_changed', to: 'watchers', key: `watch:${complaintId}:${event.seq}` }];
  }
  return [];
}

/** How long news of a complaint stays unread before it is mailed (thư tóm tắt): read in the app by then, it is not. */
export const DIGEST_AFTER_MS = 10 * 60_000;
/** The most notices one digest lists; the rest are counted ("và 12 thông báo khác"). */
export const MAX_DIGEST_LINES = 20;
