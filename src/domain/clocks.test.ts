import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingHours, createWorkingCalendar, defaultCalendar, workingTimeBetween } from './calendar';
import {
  applyClockAction,
  clockActionsForTransition,
  type Clock,
  type ClockKind,
  clockState,
  clocksFromJson,
  clocksToJson,
  markFired,
  nearestRunningDue,
  nextAlert,
  openingClocks,
  pauseClock,
  recomputeClock,
  remainingMs,
  resumeClock,
  startClock,
  stopClock,
  thresholdsOf,
} from './clocks';
import { DEFAULT_SLA } from './sla';

const cal = defaultCalendar();
const H = 3_600_000;
const vn = (local: string) => new Date(`${local}+07:00`);
const MONDAY_9 = vn('2026-12-07T09:00:00');
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 1) }).map((ms) => new Date(ms));

describe('SLA clocks', () => {
  it('acknowledgement is due 48 business hours after receipt; the other reading gives two working days', () => {
    expect(startClock('acknowledgement', MONDAY_9, DEFAULT_SLA, cal).dueAt).toEqual(vn('2026-12-15T09:00:00'));
    const other = startClock('acknowledgement', MONDAY_9, { ...DEFAULT_SLA, workingTimeMode: 'calendar-hours-on-working-days' }, cal);
    expect(other.dueAt).toEqual(vn('2026-12-09T09:00:00'));
  });

  it('is met when stopped in time and breached when stopped late or left running past its due', () => {
    const c = startClock('acknowledgement', MONDAY_9, DEFAULT_SLA, cal);
    expect(clockState(c, vn('2026-12-10T09:00:00'))).toBe('running');
    expect(clockState(c, vn('2026-12-15T09:00:01'))).toBe('breached');
    expect(clockState(stopClock(c, vn('2026-12-08T10:00:00'), cal), vn('2027-01-01T00:00:00'))).toBe('met');
    expect(clockState(stopClock(c, vn('2026-12-16T10:00:00'), cal), vn('2026-12-16T10:00:00'))).toBe('breached');
  });

  it('a withdrawal or merge in time cancels a clock (neither met nor breached); one already late stays breached', () => {
    const c = startClock('acknowledgement', MONDAY_9, DEFAULT_SLA, cal);
    const inTime = stopClock(c, vn('2026-12-08T10:00:00'), cal, true);
    expect(clockState(inTime, vn('2027-01-01T00:00:00'))).toBe('cancelled');
    expect(clockState(stopClock(c, vn('2026-12-16T10:00:00'), cal, true), vn('2026-12-16T10:00:00'))).toBe('breached');
    // Stored and read back, it stays cancelled; clocks stored before the state existed read as not cancelled.
    expect(clockState(clocksFromJson(clocksToJson({ acknowledgement: inTime })).acknowledgement!, vn('2027-01-01T00:00:00'))).toBe('cancelled');
    const old = clocksToJson({ acknowledgement: stopClock(c, vn('2026-12-08T10:00:00'), cal) }) as Record<string, Record<string, unknown>>;
    delete old.acknowledgement.cancelled;
    expect(clockState(clocksFromJson(old).acknowledgement!, vn('2027-01-01T00:00:00'))).toBe('met');
    // Through the lifecycle: withdrawing a complaint still `received` cancels every clock, acknowledgement included.
    const map = new Map(Object.entries(openingClocks(MONDAY_9, DEFAULT_SLA, cal)) as [ClockKind, Clock][]);
    for (const a of clockActionsForTransition('received', 'withdrawn', DEFAULT_SLA)) applyClockAction(map, a, vn('2026-12-08T10:00:00'), DEFAULT_SLA, cal);
    expect([...map.values()].map((k) => clockState(k, vn('2027-01-01T00:00:00')))).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // A rejection answers the complaint: its clocks are met.
    const rejected = new Map(Object.entries(openingClocks(MONDAY_9, DEFAULT_SLA, cal)) as [ClockKind, Clock][]);
    for (const a of clockActionsForTransition('received', 'rejected', DEFAULT_SLA)) applyClockAction(rejected, a, vn('2026-12-08T10:00:00'), DEFAULT_SLA, cal);
    expect([...rejected.values()].map((k) => clockState(k, vn('2027-01-01T00:00:00')))).toEqual(['met', 'met', 'met']);
  });

  it('pausing then resuming moves the due back by exactly the working time paused (property)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 200 * H }), fc.integer({ min: 1, max: 300 * H }), (start, toPause, pauseLen) => {
        const c = startClock('resolution', start, DEFAULT_SLA, cal);
        const pausedAt = new Date(start.getTime() + toPause);
        const resumedAt = new Date(pausedAt.getTime() + pauseLen);
        const r = resumeClock(pauseClock(c, pausedAt), resumedAt, cal);
        const paused = workingTimeBetween(pausedAt, resumedAt, cal);
        expect(r.pausedMs).toBe(paused);
        expect(workingTimeBetween(c.dueAt, r.dueAt, cal)).toBe(paused);
        expect(r.dueAt >= c.dueAt).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a paused clock shows the time it had left when paused, and owes no reminder', () => {
    const c = pauseClock(startClock('resolution', MONDAY_9, DEFAULT_SLA, cal), vn('2026-12-08T09:00:00'));
    expect(clockState(c, vn('2027-03-01T09:00:00'))).toBe('paused');
    expect(remainingMs(c, vn('2027-03-01T09:00:00'), cal)).toBe(remainingMs(c, vn('2026-12-08T09:00:00'), cal));
    expect(nextAlert(c, thresholdsOf(DEFAULT_SLA), cal)).toBeNull();
  });

  it('reminders come at the policy fractions of the working time, then at the due', () => {
    const thresholds = thresholdsOf(DEFAULT_SLA);
    expect(thresholds).toEqual([50, 80, 100]);
    let c = startClock('acknowledgement', MONDAY_9, DEFAULT_SLA, cal);
    const first = nextAlert(c, thresholds, cal)!;
    expect(first).toEqual({ percent: 50, at: addWorkingHours(MONDAY_9, 24, cal) });
    c = markFired(c, 50, thresholds);
    expect(nextAlert(c, thresholds, cal)).toEqual({ percent: 80, at: addWorkingHours(MONDAY_9, 48 * 0.8, cal) });
    // A late sweep that finds 100 % passed marks everything below as sent too.
    c = markFired(c, 100, thresholds);
    expect(c.firedPercents).toEqual([50, 80, 100]);
    expect(nextAlert(c, thresholds, cal)).toBeNull();
  });

  it('reminder instants account for time spent paused (property)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 100 * H }), fc.integer({ min: 1, max: 100 * H }), (start, toPause, pauseLen) => {
        const c0 = startClock('resolution', start, DEFAULT_SLA, cal);
        const pausedAt = new Date(start.getTime() + toPause);
        const c = resumeClock(pauseClock(c0, pausedAt), new Date(pausedAt.getTime() + pauseLen), cal);
        const a = nextAlert(c, [50, 100], cal)!;
        // At the 50 % instant, half the budget is used counting only running time.
        const used = workingTimeBetween(start, a.at, cal) - c.pausedMs;
        if (a.at > pausedAt) expect(Math.abs(used - c.budgetMs / 2)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('status changes start, pause, resume and stop the right clocks', () => {
    expect(clockActionsForTransition('received', 'acknowledged', DEFAULT_SLA)).toEqual([{ op: 'stop', kind: 'acknowledgement' }]);
    expect(clockActionsForTransition('investigating', 'awaiting_customer', DEFAULT_SLA)).toEqual([{ op: 'pause', kind: 'resolution' }]);
    expect(clockActionsForTransition('investigating', 'awaiting_customer', { ...DEFAULT_SLA, pauseWhileAwaitingCustomer: false })).toEqual([]);
    expect(clockActionsForTransition('awaiting_customer', 'investigating', DEFAULT_SLA)).toEqual([{ op: 'resume', kind: 'resolution' }]);
    expect(clockActionsForTransition('investigating', 'proposed', DEFAULT_SLA)).toEqual([
      { op: 'stop', kind: 'negotiation' },
      { op: 'stop', kind: 'next_response' },
    ]);
    expect(clockActionsForTransition('closed', 'reopened', DEFAULT_SLA)).toEqual([{ op: 'start', kind: 'resolution' }]);
    const ends = clockActionsForTransition('proposed', 'resolved', DEFAULT_SLA);
    expect(ends.filter((a) => a.op === 'stop').map((a) => a.kind)).toContain('resolution');
  });

  it('the queue sorts by the nearest running clock; none running sorts last', () => {
    const clocks = openingClocks(MONDAY_9, DEFAULT_SLA, cal);
    expect(nearestRunningDue(Object.values(clocks))).toBe(clocks.negotiation!.dueAt < clocks.acknowledgement!.dueAt ? clocks.negotiation!.dueAt.toISOString() : clocks.acknowledgement!.dueAt.toISOString());
    const stopped = Object.values(clocks).map((c) => stopClock(c!, MONDAY_9, cal));
    expect(nearestRunningDue(stopped)).toBe('infinity');
  });

  it('recomputing under a new calendar moves running clocks and leaves stopped ones', () => {
    const c = startClock('acknowledgement', MONDAY_9, DEFAULT_SLA, cal);
    const withDayOff = createWorkingCalendar({ extraDaysOff: ['2026-12-09'] });
    expect(recomputeClock(c, DEFAULT_SLA, withDayOff).dueAt).toEqual(vn('2026-12-16T09:00:00'));
    expect(recomputeClock(c, { ...DEFAULT_SLA, acknowledgementWorkingHours: 8 }, cal).dueAt).toEqual(vn('2026-12-08T09:00:00'));
    const stopped = stopClock(c, vn('2026-12-08T09:00:00'), cal);
    expect(recomputeClock(stopped, DEFAULT_SLA, withDayOff)).toBe(stopped);
  });

  it('round-trips through its stored JSON form', () => {
    const clocks = openingClocks(MONDAY_9, DEFAULT_SLA, cal);
    clocks.resolution = pauseClock(clocks.resolution!, vn('2026-12-08T09:00:00'));
    clocks.manual = startClock('manual', MONDAY_9, DEFAULT_SLA, cal, vn('2026-12-20T12:00:00'));
    expect(clocksFromJson(JSON.parse(JSON.stringify(clocksToJson(clocks))))).toEqual(clocks);
    expect(clocksFromJson({ bogus: {} })).toEqual({});
  });
});
