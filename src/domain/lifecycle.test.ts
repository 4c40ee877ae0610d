import { describe, expect, it } from 'vitest';
import { allowedTransitions, checkTransition, nextStatuses, plainTransitions, STATUSES, TERMINAL_STATUSES, transitionAction } from './lifecycle';

describe('lifecycle', () => {
  it('follows the main path of the policy', () => {
    const path = ['received', 'acknowledged', 'investigating', 'awaiting_customer', 'investigating', 'proposed', 'resolved', 'closed'] as const;
    for (let i = 1; i < path.length; i++) expect(checkTransition(path[i - 1], path[i], 'agent').ok, `${path[i - 1]}→${path[i]}`).toBe(true);
  });

  it('lets a rejected proposal go back to investigation and a resolved complaint be reopened', () => {
    expect(nextStatuses('proposed')).toContain('investigating');
    expect(checkTransition('resolved', 'reopened', 'customer', 'Vẫn lỗi')).toEqual({ ok: true, needsReason: true });
    expect(checkTransition('closed', 'reopened', 'customer', 'Vẫn lỗi').ok).toBe(true);
    expect(nextStatuses('reopened')).toContain('investigating');
  });

  it('refuses skipping steps and lists what is allowed', () => {
    const r = checkTransition('received', 'resolved', 'agent');
    expect(r).toEqual({ ok: false, reason: 'invalid_transition', allowed: expect.arrayContaining(['acknowledged']) });
  });

  it('keeps rejection and escalation for supervisors, and requires a reason', () => {
    expect(checkTransition('investigating', 'escalated', 'agent', 'x')).toMatchObject({ ok: false, reason: 'forbidden_transition' });
    expect(checkTransition('investigating', 'escalated', 'supervisor')).toMatchObject({ ok: false, reason: 'reason_required' });
    expect(checkTransition('investigating', 'escalated', 'supervisor', 'Sở Công Thương').ok).toBe(true);
    expect(allowedTransitions('received', 'agent')).not.toContain('rejected');
    expect(allowedTransitions('received', 'supervisor')).toContain('rejected');
  });

  it('gives auditors no transition at all, and ends in terminal states', () => {
    for (const s of STATUSES) expect(allowedTransitions(s, 'auditor')).toEqual([]);
    for (const s of ['rejected', 'withdrawn', 'merged'] as const) expect(nextStatuses(s)).toEqual([]);
    expect(TERMINAL_STATUSES).toContain('closed');
  });

  it('reaches every state from received', () => {
    const seen = new Set<string>(['received']);
    const queue = ['received'] as (typeof STATUSES)[number][];
    while (queue.length) for (const n of nextStatuses(queue.shift()!)) if (!seen.has(n)) (seen.add(n), queue.push(n));
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });
});

describe('moves made only by their own action', () => {
  it('names the action for each such move and leaves it out of the plain status changes', () => {
    expect(transitionAction('investigating', 'proposed')).toBe('proposal');
    expect(transitionAction('investigating', 'awaiting_customer')).toBe('information_request');
    expect(transitionAction('proposed', 'resolved')).toBe('implementation');
    expect(transitionAction('investigating', 'escalated')).toBe('escalation');
    expect(transitionAction('received', 'rejected')).toBe('rejection');
    expect(transitionAction('resolved', 'reopened')).toBe('reopen');
    expect(transitionAction('proposed', 'investigating')).toBeNull();
    expect(transitionAction('resolved', 'closed')).toBeNull();
    expect(plainTransitions('investigating', 'agent').sort()).toEqual(['merged', 'withdrawn']);
    expect(plainTransitions('proposed', 'agent').sort()).toEqual(['investigating', 'withdrawn']);
    expect(allowedTransitions('proposed', 'agent')).toContain('resolved');
    // An agent may not escalate at all: neither a plain move nor a listed one.
    expect(allowedTransitions('investigating', 'agent')).not.toContain('escalated');
  });
});
