import { addWorkingDays, addWorkingHours, defaultCalendar, type WorkingCalendar, type WorkingTimeMode } from './calendar';
import { awaitsAcknowledgement, resolutionRunning, type Status } from './lifecycle';

/**
 * Chính sách SLA — the promises of the policy and how they are measured. Admins edit it; every
 * clock of every open complaint is computed from it and the working calendar.
 */
export interface SlaPolicy {
  /** Acknowledgement (phản hồi tiếp nhận) within this many working hours; default 48. */
  acknowledgementWorkingHours: number;
  /** A reply to each customer message within this many working hours; default 16. */
  nextResponseWorkingHours: number;
  /** Resolution (giải quyết) within this many working days; default 20. */
  resolutionWorkingDays: number;
  /** Law on Protection of Consumers' Rights 2023, Art. 57(2): negotiate within 7 working days. */
  negotiationWorkingDays: number;
  /** The reading of "giờ làm việc": business hours (default) or 24 h of each working day. */
  workingTimeMode: WorkingTimeMode;
  /** Whether the resolution clock stands still while the complaint awaits the customer. */
  pauseWhileAwaitingCustomer: boolean;
  /** Fractions of a clock's time at which the assignee and supervisor are reminded, e.g. [0.5, 0.8]. */
  reminderFractions: number[];
  /** On a breach, move the complaint to the supervisors' queue (unassign it from the agent). */
  reassignOnBreach: boolean;
}

export const DEFAULT_SLA: SlaPolicy = {
  acknowledgementWorkingHours: 48,
  nextResponseWorkingHours: 16,
  resolutionWorkingDays: 20,
  negotiationWorkingDays: 7,
  workingTimeMode: 'business-hours',
  pauseWhileAwaitingCustomer: true,
  reminderFractions: [0.5, 0.8],
  reassignOnBreach: false,
};

/** The two promised deadlines of a complaint received at `receivedAt`. */
export function initialDeadlines(
  receivedAt: Date,
  policy: SlaPolicy = DEFAULT_SLA,
  cal: WorkingCalendar = defaultCalendar(),
): { acknowledgementDueAt: Date; resolutionDueAt: Date } {
  return {
    acknowledgementDueAt: addWorkingHours(receivedAt, policy.acknowledgementWorkingHours, cal, policy.workingTimeMode),
    resolutionDueAt: addWorkingDays(receivedAt, policy.resolutionWorkingDays, cal),
  };
}

/** The sort key of the queue: the nearest deadline still running, or 'infinity' when none runs. */
export function nearestDue(c: { status: Status; acknowledgementDueAt: Date; resolutionDueAt: Date }): string {
  if (awaitsAcknowledgement(c.status)) {
    const first = c.acknowledgementDueAt < c.resolutionDueAt ? c.acknowledgementDueAt : c.resolutionDueAt;
    return first.toISOString();
  }
  if (resolutionRunning(c.status)) return c.resolutionDueAt.toISOString();
  return 'infinity';
}
