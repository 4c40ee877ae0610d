import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import type { ClockLevel, ClockView, WorkingTimeMode } from '../types';

// The SLA clocks of a complaint: each shown separately, coloured by level and always with words.

const LEVEL_ICON: Record<ClockLevel, string> = {
  ok: '◷',
  warning: '!',
  danger: '!!',
  breached: '✕',
  met: '✓',
  paused: '❚❚',
  cancelled: '○',
};

/** The clock's name: Phản hồi tiếp nhận, Giải quyết, … */
export function useClockName(): (kind: string | null | undefined) => string {
  const { label } = useI18n();
  return (kind) => label('clock', kind);
}

/** A level as a pill with an icon and a word (never colour alone). */
export function ClockBadge({ level, testId }: { level: ClockLevel; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge clock-badge clock-badge-${level}`} data-testid={testId} data-level={level}>
      <span aria-hidden="true" className="clock-icon">
        {LEVEL_ICON[level]}
      </span>{' '}
      {t(`clockLevel.${level}` as MessageKey)}
    </span>
  );
}

/** Clocks that are counting now: not stopped and not paused (an overdue one still counts). */
export function runningClocks(clocks: ClockView[] | undefined): ClockView[] {
  return (clocks ?? []).filter((c) => c.stoppedAt === null && c.pausedAt === null);
}

/** The running clock that falls due first: what the queue shows. */
export function nearestRunningClock(clocks: ClockView[] | undefined): ClockView | null {
  let best: ClockView | null = null;
  for (const c of runningClocks(clocks)) {
    if (!best || new Date(c.dueAt).getTime() < new Date(best.dueAt).getTime()) best = c;
  }
  return best;
}

/** The active reading of "working hours", said once beside the deadlines. */
export function WorkingTimeModeNote({ mode }: { mode: WorkingTimeMode }) {
  const { t } = useI18n();
  return (
    <p className="working-mode" data-testid="working-time-mode" data-mode={mode}>
      <span className="working-mode-label">{t('clocks.modeLabel')}:</span> {t(`clocks.mode.${mode}` as MessageKey)}
    </p>
  );
}

/** One clock: name, state, countdown in the current language, due date, pauses. */
export function ClockItem({ clock }: { clock: ClockView }) {
  const { t, lang } = useI18n();
  const name = useClockName();
  const stopped = clock.stoppedAt !== null;
  const testId = `clock-${clock.kind}`;
  return (
    <li
      className={`clock clock-${clock.level}`}
      data-testid={testId}
      data-kind={clock.kind}
      data-state={clock.state}
      data-level={clock.level}
    >
      <div className="clock-head">
        <h3 className="clock-name">{name(clock.kind)}</h3>
        <ClockBadge level={clock.level} testId={`${testId}-badge`} />
      </div>
      {stopped && clock.state === 'cancelled' ? (
        <p className="clock-countdown" data-testid={`${testId}-countdown`}>
          {t('clocks.cancelledAt', { at: formatDateTime(clock.stoppedAt) })}
        </p>
      ) : stopped && clock.state === 'met' ? (
        <p className="clock-countdown" data-testid={`${testId}-countdown`}>
          {t('clocks.metAt', { at: formatDateTime(clock.stoppedAt) })}
        </p>
      ) : stopped ? (
        <p className="clock-countdown" data-testid={`${testId}-countdown`}>
          {t('clocks.lateAt', { at: formatDateTime(clock.stoppedAt) })} · {clock.countdown[lang]}
        </p>
      ) : (
        <p className="clock-countdown" data-testid={`${testId}-countdown`}>
          {clock.countdown[lang]}
        </p>
      )}
      <p className="clock-due">
        {t('clocks.due')}:{' '}
        <time dateTime={clock.dueAt} data-testid={`${testId}-due`}>
          {formatDateTime(clock.dueAt)}
        </time>
        {!stopped ? <span className="clock-used"> · {t('clocks.used', { percent: Math.min(clock.percentUsed, 999) })}</span> : null}
      </p>
      {!stopped ? (
        <div className="clock-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.max(0, clock.percentUsed))}%` }} />
        </div>
      ) : null}
      {clock.pausedAt && !stopped ? (
        <p className="clock-paused-time" data-testid={`${testId}-paused-since`}>
          {t('clocks.pausedSince', { at: formatDateTime(clock.pausedAt) })}
        </p>
      ) : null}
      {clock.paused ? (
        <p className="clock-paused-time" data-testid={`${testId}-paused`}>
          {t('clocks.pausedTotal', { duration: clock.paused[lang] })}
        </p>
      ) : null}
      <p className="clock-hint">{t(`clockHint.${clock.kind}` as MessageKey)}</p>
    </li>
  );
}

/** Every clock of a complaint, then the reading of working hours, shown once. */
export function ClockList({ clocks, mode }: { clocks: ClockView[]; mode: WorkingTimeMode }) {
  const { t } = useI18n();
  return (
    <>
      {clocks.length === 0 ? (
        <p className="muted">{t('clocks.none')}</p>
      ) : (
        <ul className="clocks" aria-label={t('clocks.list')} data-testid="clock-list">
          {clocks.map((c) => (
            <ClockItem key={c.kind} clock={c} />
          ))}
        </ul>
      )}
      <WorkingTimeModeNote mode={mode} />
    </>
  );
}

/** The queue's deadline cell: the nearest running clock's countdown, coloured, and which clock it is. */
export function QueueDeadline({ clocks, testId }: { clocks: ClockView[] | undefined; testId?: string }) {
  const { t, lang } = useI18n();
  const name = useClockName();
  const clock = nearestRunningClock(clocks);
  if (!clock) {
    return (
      <span className="queue-deadline muted" data-testid={testId} data-level="none">
        {t('queue.noRunningClock')}
      </span>
    );
  }
  return (
    <span className={`queue-deadline clock-text-${clock.level}`} data-testid={testId} data-level={clock.level} data-clock={clock.kind}>
      <ClockBadge level={clock.level} />
      <span className="queue-deadline-clock">{name(clock.kind)}</span>
      <span className="queue-deadline-countdown" data-testid={testId ? `${testId}-countdown` : undefined}>
        {clock.countdown[lang]}
      </span>
      <time className="queue-deadline-due" dateTime={clock.dueAt}>
        {formatDateTime(clock.dueAt)}
      </time>
    </span>
  );
}
