// Public API of the Vietnamese working-time calendar: lunar dates, public holidays and SLA arithmetic.
export { CalendarError, type CalendarErrorCode } from './errors';
export { MIN_YEAR, MAX_YEAR, type Ymd } from './civil';
export { VIETNAM_TZ, lunarToSolar, solarToLunar, type LunarDate } from './lunar';
export { YEAR_OVERRIDES, type HolidayKey, type SwapDecision, type YearOverride } from './overrides';
export {
  CALENDAR_PROFILES,
  DEFAULT_PROFILE,
  holidayDatesOfYear,
  holidaysOfYear,
  isProvisionalYear,
  makeUpWorkingDays,
  yearSchedule,
  type CalendarProfile,
  type DayOff,
  type DayOffKind,
  type HolidayOptions,
  type MakeUpWorkingDay,
  type YearSchedule,
} from './holidays';
export {
  DEFAULT_BUSINESS_HOURS,
  WORKING_TIME_MODES,
  WorkingCalendar,
  addWorkingDays,
  addWorkingHours,
  createWorkingCalendar,
  defaultCalendar,
  formatWorkingDuration,
  isWorkingDay,
  workingHoursOf,
  workingTimeBetween,
  type Interval,
  type Pause,
  type WorkingCalendarConfig,
  type WorkingTimeMode,
} from './working-time';
