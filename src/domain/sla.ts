import { addWorkingDays, addWorkingHours, defaultCalendar, type WorkingCalendar } from './calendar';
import { awaitsAcknowledgement, resolutionRunning, type Status } from './lifecycle';

/** The promises of the policy: acknowledgement within 48 working hours, resolution within 20 working days. */
export interface SlaPolicy {
  acknowledgementWorkingHours: number;
  resolutionWorkingDays: number;
}

export const DEFAULT_SLA: SlaPolicy = { acknowledgementWorkingHours: 48, resolutionWorkingDays: 20 };

/** The two promised deadlines of a complaint received at `receivedAt`. */
export function initialDeadlines(
  receivedAt: Date,
  policy: SlaPolicy = DEFAULT_SLA,
  cal: WorkingCalendar = defaultCalendar(),
): { acknowledgementDueAt: Date; resolutionDueAt: Date } {
  return {
    acknowledgementDueAt: addWorkingHours(receivedAt, policy.acknowledgementWorkingHours, cal),
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
