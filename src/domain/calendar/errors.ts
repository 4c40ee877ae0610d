/** Stable ids of the calendar's errors, so callers can map them to HTTP 400/422 and translate them. */
export type CalendarErrorCode =
  | 'invalid-config'
  | 'invalid-date'
  | 'out-of-range'
  | 'invalid-argument'
  | 'invalid-lunar-date';

/** Lịch làm việc — an error raised by the working-time calendar for bad input or configuration. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';

  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    /** The offending field or value, for field-level error reports. */
    readonly field?: string,
  ) {
    super(message);
  }
}
