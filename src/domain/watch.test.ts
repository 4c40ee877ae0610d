import { describe, expect, it } from 'vitest';
import { watchNotices } from './watch';

const watchNotice = (...args: Parameters<typeof watchNotices>) => watchNotices(...args)[0] ?? null;

const at = new Date('2026-11-30T09:15:00+07:00');
const ev = (type: string, seq: number, payload: Record<string, unknown> = {}) => ({ type, seq, at, payload });
const agent = { kind: 'agent' as const, id: 'a1' };
const customer = { kind: 'customer' as const, id: 'k1' };
const system = { kind: 'system' as const, id: null };

describe('who is told of an event on a complaint', () => {
  it('the one given a complaint, unless they took it themselves or it was taken from them', () => {
    expect(watchNotice('c1', ev('assignment.changed', 4, { assigneeId: 'a2' }), agent)).toEqual({ kind: 'complaint.assigned', to: { assignee: 'a2' }, key: 'watch:c1:4' });
    expect(watchNotice('c1', ev('assignment.changed', 4, { assigneeId: 'a1' }), agent)).toBeNull();
    expect(watchNotice('c1', ev('assignment.changed', 4, { assigneeId: null }), system)).toBeNull();
    // Moved to another team with its assignee kept: not given to them again.
    expect(watchNotice('c1', ev('assignment.changed', 5, { assigneeId: 'a2', previousAssigneeId: 'a2', teamId: 't2' }), agent)).toBeNull();
    expect(watchNotice('c1', ev('assignment.changed', 5, { assigneeId: 'a2', previousAssigneeId: 'a3' }), agent)).not.toBeNull();
  });

  it('the watchers of what the customer does, once for all the events of one action', () => {
    const message = watchNotice('c1', ev('message.received', 7), customer);
    const status = watchNotice('c1', ev('status.changed', 8, { to: 'investigating' }), customer);
    expect(message).toMatchObject({ kind: 'complaint.customer_activity', to: 'watchers' });
    expect(status?.key).toBe(message?.key);
    expect(watchNotice('c1', { ...ev('message.received', 9), at: new Date(at.getTime() + 1) }, customer)?.key).not.toBe(message?.key);
    // What the customer does that is not news to staff (their complaint's creation) tells nobody.
    expect(watchNotice('c1', ev('complaint.created', 1), customer)).toBeNull();
  });

  it('the watchers of a status a colleague moves, not of Sen’s own moves nor of other staff work', () => {
    expect(watchNotice('c1', ev('status.changed', 5, { to: 'resolved' }), agent)).toEqual({ kind: 'complaint.status_changed', to: 'watchers', key: 'watch:c1:5' });
    expect(watchNotice('c1', ev('status.changed', 5, { to: 'closed' }), system)).toBeNull();
    expect(watchNotice('c1', ev('note.added', 6), agent)).toBeNull();
    expect(watchNotice('c1', ev('reply.sent', 6), agent)).toBeNull();
  });

  it('a low rating to the team’s supervisors as well as the watchers; a fair one to the watchers only', () => {
    const low = watchNotices('c1', ev('survey.answered', 9, { rating: 2 }), customer);
    expect(low.map((n) => [n.kind, n.to])).toEqual([
      ['complaint.customer_activity', 'watchers'],
      ['complaint.low_rating', 'team_leads'],
    ]);
    expect(watchNotices('c1', ev('survey.answered', 9, { rating: 3 }), customer).map((n) => n.kind)).toEqual(['complaint.customer_activity']);
    // Asked by phone and recorded by an agent: still told to the supervisors.
    expect(watchNotices('c1', ev('survey.answered', 9, { rating: 1 }), agent).map((n) => n.kind)).toEqual(['complaint.low_rating']);
  });
});
