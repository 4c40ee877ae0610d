import {
  addWorkingDays,
  addWorkingHours,
  formatWorkingDuration,
  workingTimeBetween,
  type WorkingCalendar,
  type WorkingTimeMode,
} from './calendar';
import type { Status } from './lifecycle';
import type { SlaPolicy } from './sla';

const HOUR_MS = 3_600_000;

/**
 * The SLA clocks of a complaint, each shown and measured separately:
 * - acknowledgement (phản hồi tiếp nhận): from receipt, stopped by the first human contact;
 * - next_response: from each customer message, stopped by the next staff reply on any channel;
 * - resolution (giải quyết): from receipt (or reopening), paused while awaiting the customer;
 * - negotiation: Art. 57(2) of the 2023 consumer law, negotiate within N working days of the request;
 * - manual: a due date a staff member set by hand.
 */
export const CLOCK_KINDS = ['acknowledgement', 'next_response', 'resolution', 'negotiation', 'manual'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/**
 * `cancelled`: the complaint ended without being answered on the merits (withdrawn by the customer,
 * merged into another) before the clock fell due — neither kept nor broken, so left out of on-time rates.
 */
export const CLOCK_STATES = ['running', 'paused', 'met', 'breached', 'cancelled'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

/** How long a clock runs: working hours, working days (Civil Code Art. 147–148), or a fixed instant. */
export type ClockTarget =
  | { unit: 'hours'; amount: number }
  | { unit: 'days'; amount: number }
  | { unit: 'instant'; at: Date };

/** One clock as it is stored. `dueAt` is null only while paused (the due moves when it resumes). */
export interface Clock {
  kind: ClockKind;
  target: ClockTarget;
  mode: WorkingTimeMode;
  startedAt: Date;
  dueAt: Date;
  /** Working time the clock gives, for progress and reminders. */
  budgetMs: number;
  pausedAt: Date | null;
  /** Working time spent paused so far (shown, never hidden). */
  pausedMs: number;
  stoppedAt: Date | null;
  /** Stopped by a withdrawal or merge before its due: see `cancelled` in CLOCK_STATES. */
  cancelled: boolean;
  /** Reminder thresholds already sent, in per cent of the budget (100 = breach). */
  firedPercents: number[];
}

/** When a clock would end without pauses, given its target. */
function baseDue(target: ClockTarget, startedAt: Date, mode: WorkingTimeMode, cal: WorkingCalendar): Date {
  if (target.unit === 'instant') return target.at;
  if (target.unit === 'days') return addWorkingDays(startedAt, target.amount, cal);
  return addWorkingHours(startedAt, target.amount, cal, mode);
}

/** The due instant: the base due pushed back by the working time spent paused. */
function dueWithPauses(c: Pick<Clock, 'target' | 'startedAt' | 'mode' | 'pausedMs'>, cal: WorkingCalendar): Date {
  const base = baseDue(c.target, c.startedAt, c.mode, cal);
  if (c.target.unit === 'instant' || c.pausedMs <= 0) return base;
  return addWorkingHours(base, c.pausedMs / HOUR_MS, cal, c.mode);
}

/** The target and the reading of working time a clock of this kind gets under a policy. */
export function clockTarget(kind: Exclude<ClockKind, 'manual'>, policy: SlaPolicy): { target: ClockTarget; mode: WorkingTimeMode } {
  switch (kind) {
    case 'acknowledgement':
      return { target: { unit: 'hours', amount: policy.acknowledgementWorkingHours }, mode: policy.workingTimeMode };
    case 'next_response':
      return { target: { unit: 'hours', amount: policy.nextResponseWorkingHours }, mode: policy.workingTimeMode };
    case 'resolution':
      return { target: { unit: 'days', amount: policy.resolutionWorkingDays }, mode: 'business-hours' };
    case 'negotiation':
      return { target: { unit: 'days', amount: policy.negotiationWorkingDays }, mode: 'business-hours' };
  }
}

/** Starts a clock at `at`. */
export function startClock(
  kind: ClockKind,
  at: Date,
  policy: SlaPolicy,
  cal: WorkingCalendar,
  manualDueAt?: Date,
): Clock {
  const { target, mode } =
    kind === 'manual'
      ? { target: { unit: 'instant', at: manualDueAt ?? at } as ClockTarget, mode: policy.workingTimeMode }
      : clockTarget(kind, policy);
  const dueAt = baseDue(target, at, mode, cal);
  return {
    kind,
    target,
    mode,
    startedAt: at,
    dueAt,
    budgetMs: dueAt > at ? workingTimeBetween(at, dueAt, cal, mode) : 0,
    pausedAt: null,
    pausedMs: 0,
    stoppedAt: null,
    cancelled: false,
    firedPercents: [],
  };
}

/** Stops the clock from running; its due is kept so that "met" can be told from "breached". */
export function pauseClock(c: Clock, at: Date): Clock {
  if (c.stoppedAt || c.pausedAt || c.target.unit === 'instant') return c;
  return { ...c, pausedAt: at };
}

/** Runs the clock again; the working time spent paused moves the due back by as much. */
export function resumeClock(c: Clock, at: Date, cal: WorkingCalendar): Clock {
  if (!c.pausedAt || c.stoppedAt) return c;
  const pausedMs = c.pausedMs + (at > c.pausedAt ? workingTimeBetween(c.pausedAt, at, cal, c.mode) : 0);
  const next = { ...c, pausedAt: null, pausedMs };
  return { ...next, dueAt: dueWithPauses(next, cal) };
}

/**
 * Stops the clock for good at `at`: met if on time, breached if late. A `cancel` stop (the complaint
 * was withdrawn or merged) leaves an on-time clock cancelled; one already late stays breached.
 */
export function stopClock(c: Clock, at: Date, cal: WorkingCalendar, cancel = false): Clock {
  if (c.stoppedAt) return c;
  const resumed = c.pausedAt ? resumeClock(c, at, cal) : c;
  return { ...resumed, stoppedAt: at, cancelled: cancel && at <= resumed.dueAt };
}

/** Recomputes the due under a new policy or calendar (admins changed them); stopped clocks keep theirs. */
export function recomputeClock(c: Clock, policy: SlaPolicy, cal: WorkingCalendar): Clock {
  if (c.stoppedAt) return c;
  const { target, mode } = c.kind === 'manual' ? { target: c.target, mode: c.mode } : clockTarget(c.kind, policy);
  const base = baseDue(target, c.startedAt, mode, cal);
  const next = {
    ...c,
    target,
    mode,
    budgetMs: base > c.startedAt ? workingTimeBetween(c.startedAt, base, cal, mode) : 0,
  };
  return { ...next, dueAt: dueWithPauses(next, cal) };
}

/** The state a user sees: running, paused, met (stopped in time), breached (late, stopped or not) or cancelled. */
export function clockState(c: Clock, now: Date): ClockState {
  if (c.stoppedAt && c.cancelled) return 'cancelled';
  if (c.stoppedAt) return c.stoppedAt <= c.dueAt ? 'met' : 'breached';
  if (c.pausedAt) return c.pausedAt > c.dueAt ? 'breached' : 'paused';
  return now > c.dueAt ? 'breached' : 'running';
}

/** Working time left until the due (negative when late), measured at `now` or where the clock stands. */
export function remainingMs(c: Clock, now: Date, cal: WorkingCalendar): number {
  const at = c.stoppedAt ?? c.pausedAt ?? now;
  if (at <= c.dueAt) return workingTimeBetween(at, c.dueAt, cal, c.mode);
  return -workingTimeBetween(c.dueAt, at, cal, c.mode);
}

/** Paused working time so far, including a pause still going on at `now`. */
export function pausedSoFarMs(c: Clock, now: Date, cal: WorkingCalendar): number {
  if (!c.pausedAt) return c.pausedMs;
  return c.pausedMs + (now > c.pausedAt ? workingTimeBetween(c.pausedAt, now, cal, c.mode) : 0);
}

/** The reminder thresholds (per cent) a policy asks for, ending with 100 for the breach. */
export function thresholdsOf(policy: SlaPolicy): number[] {
  const set = new Set(policy.reminderFractions.map((f) => Math.round(f * 100)).filter((p) => p > 0 && p < 100));
  return [...set].sort((a, b) => a - b).concat(100);
}

/**
 * The next reminder this clock owes: the lowest threshold not yet sent and the instant it is reached.
 * A paused or stopped clock owes none. Thresholds passed while nobody looked are owed at once.
 */
export function nextAlert(c: Clock, thresholds: readonly number[], cal: WorkingCalendar): { percent: number; at: Date } | null {
  if (c.stoppedAt || c.pausedAt) return null;
  const percent = thresholds.find((p) => !c.firedPercents.includes(p));
  if (percent === undefined) return null;
  if (percent >= 100) return { percent, at: c.dueAt };
  // Working time from the start to the threshold is its share of the budget plus what was paused.
  const at = addWorkingHours(c.startedAt, ((c.budgetMs * percent) / 100 + c.pausedMs) / HOUR_MS, cal, c.mode);
  return { percent, at: at < c.dueAt ? at : c.dueAt };
}

/** Marks every threshold up to `percent` as sent (a late start may skip 50 % and go straight to 80 %). */
export function markFired(c: Clock, percent: number, thresholds: readonly number[]): Clock {
  const fired = new Set(c.firedPercents);
  for (const p of thresholds) if (p <= percent) fired.add(p);
  return { ...c, firedPercents: [...fired].sort((a, b) => a - b) };
}

/** What a status change does to the clocks: which start, pause, resume or stop. */
export type ClockAction =
  | { op: 'start'; kind: ClockKind }
  | { op: 'pause'; kind: ClockKind }
  | { op: 'resume'; kind: ClockKind }
  | { op: 'stop'; kind: ClockKind; cancel?: true };

/** Endings that answer the complaint (its clocks are met or breached)… */
const ANSWERED_ENDS: readonly Status[] = ['resolved', 'closed', 'rejected', 'escalated'];
/** …and endings that do not (its clocks still on time are cancelled, not met). */
const CANCELLING_ENDS: readonly Status[] = ['withdrawn', 'merged'];

/** The clock actions of a move from one status to another, per the policy's pause rule. */
export function clockActionsForTransition(from: Status, to: Status, policy: SlaPolicy): ClockAction[] {
  const actions: ClockAction[] = [];
  // Acknowledging is the agent's record of the first contact (a rejection notice is one too).
  if (from === 'received' && !CANCELLING_ENDS.includes(to)) actions.push({ op: 'stop', kind: 'acknowledgement' });
  if (to === 'awaiting_customer' && policy.pauseWhileAwaitingCustomer) actions.push({ op: 'pause', kind: 'resolution' });
  if (from === 'awaiting_customer' && to !== 'awaiting_customer') actions.push({ op: 'resume', kind: 'resolution' });
  // A proposal is the business negotiating; any ending also ends the negotiation clock.
  // The offer goes to the customer: it is also the staff's reply to what the customer last wrote.
  if (to === 'proposed') actions.push({ op: 'stop', kind: 'negotiation' }, { op: 'stop', kind: 'next_response' });
  if (to === 'reopened') {
    actions.push({ op: 'start', kind: 'resolution' });
  }
  if (ANSWERED_ENDS.includes(to)) {
    for (const kind of CLOCK_KINDS) actions.push({ op: 'stop', kind });
  }
  if (CANCELLING_ENDS.includes(to)) {
    for (const kind of CLOCK_KINDS) actions.push({ op: 'stop', kind, cancel: true });
  }
  return actions;
}

/** Applies one action to the clocks of a complaint (a map by kind); returns the changed kinds. */
export function applyClockAction(
  clocks: Map<ClockKind, Clock>,
  action: ClockAction,
  at: Date,
  policy: SlaPolicy,
  cal: WorkingCalendar,
): ClockKind[] {
  const current = clocks.get(action.kind);
  let next: Clock | undefined;
  switch (action.op) {
    case 'start':
      if (action.kind === 'manual') return [];
      // A second unanswered customer message does not push the reply due back: the first one waits longest.
      if (action.kind === 'next_response' && current && !current.stoppedAt) return [];
      next = startClock(action.kind, at, policy, cal);
      break;
    case 'pause':
      next = current && pauseClock(current, at);
      break;
    case 'resume':
      next = current && resumeClock(current, at, cal);
      break;
    case 'stop':
      next = current && stopClock(current, at, cal, action.cancel === true);
      break;
  }
  if (!next || next === current) return [];
  clocks.set(action.kind, next);
  return [action.kind];
}

/** The queue's sort key: the nearest due among running clocks, or 'infinity' when none runs. */
export function nearestRunningDue(clocks: Iterable<Clock>): string {
  let best: Date | null = null;
  for (const c of clocks) {
    if (c.stoppedAt || c.pausedAt) continue;
    if (!best || c.dueAt < best) best = c.dueAt;
  }
  return best ? best.toISOString() : 'infinity';
}

/** "còn 2 ngày 3 giờ làm việc" / "quá hạn 4 giờ làm việc" — the countdown the staff console shows. */
export function formatCountdown(ms: number, locale: 'vi' | 'en', cal: WorkingCalendar, mode: WorkingTimeMode): string {
  const text = formatWorkingDuration(Math.abs(ms), locale, cal, mode);
  if (locale === 'vi') return ms >= 0 ? `còn ${text}` : `quá hạn ${text}`;
  return ms >= 0 ? `${text} left` : `${text} overdue`;
}

/** The clocks of one complaint by kind. */
export type Clocks = Partial<Record<ClockKind, Clock>>;

/** The clocks a complaint starts with at intake: acknowledgement, resolution and negotiation. */
export function openingClocks(receivedAt: Date, policy: SlaPolicy, cal: WorkingCalendar): Clocks {
  return {
    acknowledgement: startClock('acknowledgement', receivedAt, policy, cal),
    resolution: startClock('resolution', receivedAt, policy, cal),
    negotiation: startClock('negotiation', receivedAt, policy, cal),
  };
}

/** The earliest reminder any clock owes, or null: when the SLA sweep must next look at the complaint. */
export function nextAlertAt(clocks: Clocks, thresholds: readonly number[], cal: WorkingCalendar): Date | null {
  let best: Date | null = null;
  for (const c of Object.values(clocks)) {
    const a = c && nextAlert(c, thresholds, cal);
    if (a && (!best || a.at < best)) best = a.at;
  }
  return best;
}

type ClockJson = Omit<Clock, 'startedAt' | 'dueAt' | 'pausedAt' | 'stoppedAt' | 'target'> & {
  startedAt: string;
  dueAt: string;
  pausedAt: string | null;
  stoppedAt: string | null;
  target: { unit: 'hours' | 'days'; amount: number } | { unit: 'instant'; at: string };
};

/** The stored (JSON) form of a complaint's clocks. */
export function clocksToJson(clocks: Clocks): Record<string, ClockJson> {
  const out: Record<string, ClockJson> = {};
  for (const [kind, c] of Object.entries(clocks)) {
    if (!c) continue;
    out[kind] = {
      ...c,
      target: c.target.unit === 'instant' ? { unit: 'instant', at: c.target.at.toISOString() } : c.target,
      startedAt: c.startedAt.toISOString(),
      dueAt: c.dueAt.toISOString(),
      pausedAt: c.pausedAt?.toISOString() ?? null,
      stoppedAt: c.stoppedAt?.toISOString() ?? null,
    };
  }
  return out;
}

/** Reads stored clocks back; unknown kinds are ignored. */
export function clocksFromJson(raw: unknown): Clocks {
  const out: Clocks = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [kind, v] of Object.entries(raw as Record<string, ClockJson>)) {
    if (!(CLOCK_KINDS as readonly string[]).includes(kind) || !v) continue;
    const d = (s: string | null) => (s ? new Date(s) : null);
    out[kind as ClockKind] = {
      kind: kind as ClockKind,
      target: v.target.unit === 'instant' ? { unit: 'instant', at: new Date(v.target.at) } : v.target,
      mode: v.mode,
      startedAt: new Date(v.startedAt),
      dueAt: new Date(v.dueAt),
      budgetMs: Number(v.budgetMs),
      pausedAt: d(v.pausedAt),
      pausedMs: Number(v.pausedMs),
      stoppedAt: d(v.stoppedAt),
      cancelled: v.cancelled === true,
      firedPercents: Array.isArray(v.firedPercents) ? v.firedPercents.map(Number) : [],
    };
  }
  return out;
}
