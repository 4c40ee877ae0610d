import { parseArgs } from 'node:util';
import {
  addWorkingDays,
  addWorkingHours,
  CalendarError,
  defaultCalendar,
  holidayDatesOfYear,
  MAX_YEAR,
  MIN_YEAR,
  WORKING_TIME_MODES,
  type WorkingTimeMode,
} from '../domain/calendar';
import { parseInstant, toVietnamIso } from '../domain/time';

/** Raised for bad arguments; the CLI exits with code 2 and this message. */
export class CalendarUsageError extends Error {}

/** `sen calendar holidays <year>` and `sen calendar add …`; prints results, returns the exit code. */
export function calendarCommand(args: string[], print: (line: string) => void): number {
  const [sub, ...rest] = args;
  if (sub === 'holidays') {
    const year = Number(rest[0]);
    if (!/^\d{4}$/.test(rest[0] ?? '') || year < MIN_YEAR || year > MAX_YEAR) {
      throw new CalendarUsageError(`Năm phải trong khoảng ${MIN_YEAR}–${MAX_YEAR} / year must be ${MIN_YEAR}–${MAX_YEAR}: ${rest[0] ?? '(none)'}`);
    }
    print(JSON.stringify(holidayDatesOfYear(year)));
    return 0;
  }
  if (sub === 'add') {
    const { values } = parseArgs({
      args: rest,
      options: {
        from: { type: 'string' },
        'working-days': { type: 'string' },
        'working-hours': { type: 'string' },
        mode: { type: 'string' },
      },
      strict: true,
    });
    const from = values.from ? parseInstant(values.from) : null;
    if (!from) throw new CalendarUsageError(`--from must be an ISO time, e.g. 2026-11-25T09:00:00+07:00 (got ${values.from ?? 'nothing'})`);
    const days = values['working-days'];
    const hours = values['working-hours'];
    if ((days === undefined) === (hours === undefined)) throw new CalendarUsageError('Give exactly one of --working-days N or --working-hours N');
    const amount = Number(days ?? hours);
    if (!/^\d+(\.\d+)?$/.test(days ?? hours ?? '') || amount <= 0) {
      throw new CalendarUsageError(`The amount must be a positive number (got ${days ?? hours})`);
    }
    const mode = (values.mode ?? 'business-hours') as WorkingTimeMode;
    if (!WORKING_TIME_MODES.includes(mode)) throw new CalendarUsageError(`--mode must be one of ${WORKING_TIME_MODES.join(', ')}`);
    if (days !== undefined && !Number.isInteger(amount)) throw new CalendarUsageError('--working-days must be a whole number');
    try {
      const cal = defaultCalendar();
      const due = days !== undefined ? addWorkingDays(from, amount, cal) : addWorkingHours(from, amount, cal, mode);
      print(toVietnamIso(due));
    } catch (err) {
      if (err instanceof CalendarError) throw new CalendarUsageError(err.message);
      throw err;
    }
    return 0;
  }
  throw new CalendarUsageError(`Unknown: sen calendar ${sub ?? ''}`);
}
