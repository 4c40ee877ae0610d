import { formatWorkingDuration } from '../domain/calendar';
import {
  CLOCK_KINDS,
  clockState,
  formatCountdown,
  pausedSoFarMs,
  remainingMs,
  type Clock,
  type ClockKind,
  type ClockState,
  type Clocks,
} from '../domain/clocks';
import type { SlaContext } from '../db/queries/settings';

/** How urgent a clock looks: the colour the console gives it. */
export type ClockLevel = 'ok' | 'warning' | 'danger' | 'breached' | 'met' | 'paused' | 'cancelled';

export interface ClockView {
  kind: ClockKind;
  state: ClockState;
  level: ClockLevel;
  startedAt: string;
  dueAt: string;
  stoppedAt: string | null;
  pausedAt: string | null;
  /** Working time left (negative when overdue), measured now or where the clock stopped. */
  remainingMs: number;
  /** "còn 2 ngày 3 giờ làm việc" / "2 working days 3 hours left". */
  countdown: { vi: string; en: string };
  /** Share of the clock's working time used, in per cent. */
  percentUsed: number;
  pausedMs: number;
  paused: { vi: string; en: string } | null;
  mode: Clock['mode'];
}

function levelOf(c: Clock, state: ClockState, percent: number, thresholds: readonly number[]): ClockLevel {
  if (state !== 'running') return state;
  const [first = 50, second = 80] = thresholds.filter((t) => t < 100);
  if (percent >= second) return 'danger';
  if (percent >= first) return 'warning';
  return 'ok';
}

/** Every clock of a complaint as staff see it, in a fixed order. */
export function presentClocks(clocks: Clocks, sla: SlaContext, now: Date): ClockView[] {
  return CLOCK_KINDS.flatMap((kind) => {
    const c = clocks[kind];
    if (!c) return [];
    const state = clockState(c, now);
    const left = remainingMs(c, now, sla.cal);
    const percentUsed = c.budgetMs > 0 ? Math.max(0, Math.round(((c.budgetMs - left) / c.budgetMs) * 100)) : 100;
    const pausedMs = pausedSoFarMs(c, now, sla.cal);
    return [
      {
        kind,
        state,
        level: levelOf(c, state, percentUsed, sla.thresholds),
        startedAt: c.startedAt.toISOString(),
        dueAt: c.dueAt.toISOString(),
        stoppedAt: c.stoppedAt?.toISOString() ?? null,
        pausedAt: c.pausedAt?.toISOString() ?? null,
        remainingMs: left,
        countdown: { vi: formatCountdown(left, 'vi', sla.cal, c.mode), en: formatCountdown(left, 'en', sla.cal, c.mode) },
        percentUsed,
        pausedMs,
        paused: pausedMs > 0 ? { vi: formatWorkingDuration(pausedMs, 'vi', sla.cal, c.mode), en: formatWorkingDuration(pausedMs, 'en', sla.cal, c.mode) } : null,
        mode: c.mode,
      },
    ];
  });
}

/** The dates promised to the customer (acknowledgement and resolution) and whether each was kept. */
export function presentPromises(clocks: Clocks, now: Date) {
  return (['acknowledgement', 'resolution'] as const).flatMap((kind) => {
    const c = clocks[kind];
    if (!c) return [];
    const state = clockState(c, now);
    return [{ kind, dueAt: c.dueAt.toISOString(), state, doneAt: c.stoppedAt?.toISOString() ?? null }];
  });
}
