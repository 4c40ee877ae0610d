/**
 * Báo cáo và cải tiến — the vocabulary of step 5's reports and the pure arithmetic behind them:
 * periods and their buckets in Vietnam time, percentiles, rates, the figures of each period, the
 * weekly trend around a corrective action, the export tables (in Vietnamese or English) and CSV.
 * The database aggregates (GROUP BY); this module only shapes what comes back.
 */
import { nationalPhone } from './contacts';
import { AppError, type FieldError, type Locale } from './errors';
import { STATUS_LABELS, type Status } from './lifecycle';
import { formatVietnamDateTime } from './time';
import { PRIORITY_LABELS, type Channel, type Priority } from './vocabulary';

/** Hành động khắc phục — the states of a corrective action. */
export const CORRECTIVE_ACTION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type CorrectiveActionStatus = (typeof CORRECTIVE_ACTION_STATUSES)[number];

/** How the volume series is cut: by day, ISO week (from Monday) or month, in Vietnam time. */
export const GROUP_BYS = ['day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The reports that export as CSV and XLSX (one table each). */
export const REPORT_NAMES = [
  'volumes',
  'sla',
  'sla-periods',
  'csat',
  'satisfaction',
  'root-causes',
  'action-trend',
  'repeat-customers',
  'agents',
  'register',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
/** Longest period a report covers (ten years), so a typo cannot ask for a million day buckets. */
const MAX_PERIOD_DAYS = 3660;

/** A report period: whole days in Vietnam time, `from` and `to` inclusive; `start`/`end` the instants [start, end). */
export interface ReportPeriod {
  from: string;
  to: string;
  start: Date;
  end: Date;
  groupBy: GroupBy;
}

function ymdToDayNumber(ymd: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const d = new Date(t);
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
  return t / DAY_MS;
}

function dayNumberToYmd(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in Vietnam. */
export function vietnamToday(now: Date): string {
  return new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Vietnam calendar day starts (00:00 +07:00). */
export function vietnamDayStart(ymd: string): Date {
  const n = ymdToDayNumber(ymd);
  if (n === null) throw new RangeError(`not a date: ${ymd}`);
  return new Date(n * DAY_MS - OFFSET_MS);
}

/**
 * Reads the period of a report query: `from`/`to` as YYYY-MM-DD (default: the 30 days up to today),
 * `groupBy` (default day). Every problem is a field error.
 */
export function parsePeriod(q: { from?: string; to?: string; groupBy?: string }, now: Date): ReportPeriod {
  const fields: FieldError[] = [];
  const today = vietnamToday(now);
  const to = q.to ?? today;
  const toN = ymdToDayNumber(to);
  if (toN === null) fields.push({ field: 'to', code: 'invalid_date' });
  const from = q.from ?? (toN === null ? today : dayNumberToYmd(toN - 29));
  const fromN = ymdToDayNumber(from);
  if (fromN === null) fields.push({ field: 'from', code: 'invalid_date' });
  const groupBy = (q.groupBy ?? 'day') as GroupBy;
  if (!GROUP_BYS.includes(groupBy)) fields.push({ field: 'groupBy', code: 'invalid_value' });
  if (fromN !== null && toN !== null) {
    if (toN < fromN) fields.push({ field: 'to', code: 'end_before_start' });
    else if (toN - fromN + 1 > MAX_PERIOD_DAYS) fields.push({ field: 'from', code: 'out_of_range' });
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
  return { from, to, start: vietnamDayStart(from), end: new Date(vietnamDayStart(to).getTime() + DAY_MS), groupBy };
}

/** The first day (YYYY-MM-DD) of the bucket a day falls in. */
export function bucketOf(ymd: string, groupBy: GroupBy): string {
  if (groupBy === 'day') return ymd;
  if (groupBy === 'month') return `${ymd.slice(0, 7)}-01`;
  const n = ymdToDayNumber(ymd)!;
  // 1970-01-01 was a Thursday: shift so that Monday starts the week.
  const weekday = (((n + 3) % 7) + 7) % 7;
  return dayNumberToYmd(n - weekday);
}

/** Every bucket of a period, in order, so that empty ones show as zero. */
export function bucketsOf(period: Pick<ReportPeriod, 'from' | 'to' | 'groupBy'>): string[] {
  const out: string[] = [];
  const last = ymdToDayNumber(period.to)!;
  for (let n = ymdToDayNumber(period.from)!; n <= last; n++) {
    const b = bucketOf(dayNumberToYmd(n), period.groupBy);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

/** The p-th percentile (0–100) by linear interpolation between ranks, like PostgreSQL's percentile_cont; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** part / whole as a fraction rounded to 4 places; null when the whole is 0. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/** YYYY-MM-DD → dd/MM/yyyy, as Vietnamese readers write dates. */
export function formatVietnamDate(ymd: string): string {
  return `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}/${ymd.slice(0, 4)}`;
}

/** An instant as its Vietnam date, dd/MM/yyyy. */
export function formatVietnamDay(at: Date): string {
  return formatVietnamDate(vietnamToday(at));
}

// ——— The summary report ———

export interface CountBy {
  /** The channel, category id, team id or product; 'none' when not recorded, 'other' for the products past the top 20. */
  key: string;
  /** In the language the report was asked in (a category's or root cause's English name when it has one). */
  label: string;
  count: number;
}

export interface ClockOutcome {
  met: number;
  breached: number;
  /** Still running or paused and not yet late. */
  open: number;
  /** met / (met + breached). */
  onTimeRate: number | null;
}

export interface WorkingTimeStats {
  /** Complaints that reached the point (acknowledged, resolved). */
  count: number;
  /** How many of them were measured (drawn at random above the sample size). */
  sampled: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** Thời gian tạm dừng — working time the resolution clocks stood still (awaiting the customer). */
export interface PausedStats {
  totalMs: number;
  complaints: number;
  averageMs: number | null;
}

export const RATINGS = ['1', '2', '3', '4', '5'] as const;
export type Rating = (typeof RATINGS)[number];
/** How many answers gave each rating, 1 to 5 stars. */
export type RatingCounts = Record<Rating, number>;

/** Mức độ hài lòng — the surveys of the complaints. */
export interface CsatFigures {
  surveys: number;
  sent: number;
  answered: number;
  responseRate: number | null;
  average: number | null;
  distribution: RatingCounts;
}

/** Tỉ lệ mở lại — reopened among the resolved. */
export interface ReopenFigures {
  resolved: number;
  reopened: number;
  rate: number | null;
}

/** Every rate and time of one period of the chosen granularity, about the complaints received in it. */
export interface PeriodFigures {
  /** First day of the bucket, YYYY-MM-DD. */
  period: string;
  complaints: number;
  acknowledgement: ClockOutcome;
  resolution: ClockOutcome;
  timeToAcknowledge: WorkingTimeStats;
  timeToResolve: WorkingTimeStats;
  paused: PausedStats;
  csat: CsatFigures;
  reopen: ReopenFigures;
}

export interface SeriesPoint {
  /** First day of the bucket, YYYY-MM-DD. */
  period: string;
  total: number;
  channel: Record<string, number>;
  category: Record<string, number>;
  product: Record<string, number>;
  team: Record<string, number>;
}

/** One week of the trend around a corrective action: the complaints with its root cause received that week. */
export interface ActionWeek {
  /** The week's Monday, YYYY-MM-DD (Vietnam time). */
  week: string;
  count: number;
  /** Before the week the action was opened, that week, or after it. */
  phase: 'before' | 'opening' | 'after';
  /** The week is not over yet (counted up to now). */
  partial: boolean;
}

export interface CorrectiveActionEffect {
  id: string;
  title: string;
  status: CorrectiveActionStatus;
  createdAt: string;
  rootCause: { id: string; name: string; nameEn: string | null };
  /** Length of each window: the asked window, shortened to the time elapsed since the action. */
  windowDays: number;
  before: number;
  after: number;
  /** (after − before) / before; null when there was none before. */
  change: number | null;
  /** Week by week, from the whole weeks of the window before the opening up to now. */
  weeks: ActionWeek[];
}

export interface RepeatCustomer {
  customerId: string;
  name: string;
  phone: string | null;
  email: string | null;
  complaints: number;
  codes: string[];
  firstAt: string;
  lastAt: string;
}

/** Every number of the summary report, about the complaints received in the period. */
export interface ReportSummary {
  period: { from: string; to: string; groupBy: GroupBy; timeZone: 'Asia/Ho_Chi_Minh' };
  volumes: {
    total: number;
    byChannel: CountBy[];
    byCategory: CountBy[];
    byProduct: CountBy[];
    byTeam: CountBy[];
    series: SeriesPoint[];
  };
  sla: {
    acknowledgement: ClockOutcome;
    resolution: ClockOutcome;
    workingTimeMode: string;
    timeToAcknowledge: WorkingTimeStats;
    timeToResolve: WorkingTimeStats;
    paused: PausedStats;
  };
  csat: CsatFigures;
  reopen: ReopenFigures;
  /** The same rates and times for each period (day, week or month) of the report, empty ones included. */
  trend: PeriodFigures[];
  repeatCustomers: { customers: number; complaints: number; top: RepeatCustomer[] };
  rootCauses: { withRootCause: number; top: (CountBy & { share: number | null })[]; correctiveActions: CorrectiveActionEffect[] };
}

// ——— From the database's counts to the figures ———

/** met / breached / all of one clock kind among a group of complaints. */
export interface ClockCounts {
  met: number;
  breached: number;
  all: number;
}

/** What the database counts for a group of complaints (the whole period, or one bucket of it). */
export interface GroupCounts {
  complaints: number;
  acknowledgement: ClockCounts;
  resolution: ClockCounts;
  pausedMs: number;
  pausedComplaints: number;
  /** Acknowledged, with a time of acknowledgement. */
  acknowledged: number;
  /** With a time of (latest) resolution. */
  resolvedAtKnown: number;
  /** Resolved at least once (a reopened one was). */
  resolved: number;
  reopened: number;
}

/** What the database counts of the surveys of a group of complaints. */
export interface SurveyCounts {
  surveys: number;
  sent: number;
  answered: number;
  distribution: RatingCounts;
}

/** Working times measured in a group: receipt → acknowledgement, receipt → (latest) resolution, in ms. */
export interface GroupSpans {
  acknowledge: readonly number[];
  resolve: readonly number[];
}

const noClock: ClockCounts = { met: 0, breached: 0, all: 0 };

export const EMPTY_GROUP_COUNTS: GroupCounts = Object.freeze({
  complaints: 0,
  acknowledgement: noClock,
  resolution: noClock,
  pausedMs: 0,
  pausedComplaints: 0,
  acknowledged: 0,
  resolvedAtKnown: 0,
  resolved: 0,
  reopened: 0,
});

export const EMPTY_SURVEY_COUNTS: SurveyCounts = Object.freeze({
  surveys: 0,
  sent: 0,
  answered: 0,
  distribution: Object.freeze({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }),
});

const roundMs = (v: number | null) => (v === null ? null : Math.round(v));

/** On time, late and still running of one clock kind; the on-time rate leaves the running ones out. */
export function clockOutcome(c: ClockCounts): ClockOutcome {
  return { met: c.met, breached: c.breached, open: c.all - c.met - c.breached, onTimeRate: rate(c.met, c.met + c.breached) };
}

/** Median and p90 of the measured working times (whole ms); `count` is how many reached the point, measured or not. */
export function workingTimeStatsOf(count: number, spans: readonly number[]): WorkingTimeStats {
  return { count, sampled: spans.length, medianMs: roundMs(percentile(spans, 50)), p90Ms: roundMs(percentile(spans, 90)) };
}

/** Total and average pause (whole ms) over the complaints that were paused. */
export function pausedStatsOf(totalMs: number, complaints: number): PausedStats {
  return { totalMs: Math.round(totalMs), complaints, averageMs: complaints ? Math.round(totalMs / complaints) : null };
}

/** The mean rating (2 places) from the count of each rating; null without answers. */
export function ratingAverage(distribution: RatingCounts): number | null {
  let n = 0;
  let sum = 0;
  for (const r of RATINGS) {
    n += distribution[r];
    sum += Number(r) * distribution[r];
  }
  return n ? Math.round((sum / n) * 100) / 100 : null;
}

/** Response rate, average and distribution of the surveys. */
export function csatFiguresOf(s: SurveyCounts): CsatFigures {
  return {
    surveys: s.surveys,
    sent: s.sent,
    answered: s.answered,
    responseRate: rate(s.answered, s.surveys),
    average: ratingAverage(s.distribution),
    distribution: { ...s.distribution },
  };
}

/** Reopened among resolved. */
export function reopenFiguresOf(resolved: number, reopened: number): ReopenFigures {
  return { resolved, reopened, rate: rate(reopened, resolved) };
}

/** Every figure of one group of complaints from what the database counted and the working times measured. */
export function periodFigures(period: string, c: GroupCounts, s: SurveyCounts, spans: GroupSpans): PeriodFigures {
  return {
    period,
    complaints: c.complaints,
    acknowledgement: clockOutcome(c.acknowledgement),
    resolution: clockOutcome(c.resolution),
    timeToAcknowledge: workingTimeStatsOf(c.acknowledged, spans.acknowledge),
    timeToResolve: workingTimeStatsOf(c.resolvedAtKnown, spans.resolve),
    paused: pausedStatsOf(c.pausedMs, c.pausedComplaints),
    csat: csatFiguresOf(s),
    reopen: reopenFiguresOf(c.resolved, c.reopened),
  };
}

/** The figures of every bucket, in order; a bucket the database returned nothing for is all zeros and nulls. */
export function trendOf(
  buckets: readonly string[],
  input: {
    counts: ReadonlyMap<string, GroupCounts>;
    surveys: ReadonlyMap<string, SurveyCounts>;
    spans: ReadonlyMap<string, GroupSpans>;
  },
): PeriodFigures[] {
  return buckets.map((b) =>
    periodFigures(
      b,
      input.counts.get(b) ?? EMPTY_GROUP_COUNTS,
      input.surveys.get(b) ?? EMPTY_SURVEY_COUNTS,
      input.spans.get(b) ?? { acknowledge: [], resolve: [] },
    ),
  );
}

// ——— The weekly trend around a corrective action ———

/** At most this many weeks after the opening are shown (two years). */
export const MAX_ACTION_WEEKS_AFTER = 104;

/** The Monday (YYYY-MM-DD) of the Vietnam week an instant falls in. */
export function weekOf(at: Date): string {
  return bucketOf(vietnamToday(at), 'week');
}

/**
 * The weeks shown around an action: from `weeksBefore` whole weeks before the week it was opened up
 * to the week of `now` (at least the opening week, at most MAX_ACTION_WEEKS_AFTER after it).
 */
export function actionWeekRange(createdAt: Date, now: Date, weeksBefore: number): { first: string; opening: string; last: string } {
  const opening = weekOf(createdAt);
  const o = ymdToDayNumber(opening)!;
  const nowWeek = ymdToDayNumber(weekOf(now))!;
  const last = Math.min(Math.max(nowWeek, o), o + 7 * MAX_ACTION_WEEKS_AFTER);
  return { first: dayNumberToYmd(o - 7 * Math.max(0, weeksBefore)), opening, last: dayNumberToYmd(last) };
}

/** Whole weeks covering a window of days (30 days → 5 weeks). */
export function weeksOfWindow(windowDays: number): number {
  return Math.max(1, Math.ceil(windowDays / 7));
}

/** The complaints with the action's root cause week by week, empty weeks as zero, the opening week marked. */
export function actionWeeks(o: { createdAt: Date; now: Date; weeksBefore: number; counts: ReadonlyMap<string, number> }): ActionWeek[] {
  const { first, opening, last } = actionWeekRange(o.createdAt, o.now, o.weeksBefore);
  const out: ActionWeek[] = [];
  const end = ymdToDayNumber(last)!;
  for (let n = ymdToDayNumber(first)!; n <= end; n += 7) {
    const week = dayNumberToYmd(n);
    out.push({
      week,
      count: o.counts.get(week) ?? 0,
      phase: week < opening ? 'before' : week === opening ? 'opening' : 'after',
      partial: vietnamDayStart(dayNumberToYmd(n + 7)).getTime() > o.now.getTime(),
    });
  }
  return out;
}

// ——— Export labels: one definition per language ———

/** Every word of the exports (headers, sheet names, values) in one language. */
export interface ReportLabels {
  /** Sheet names (at most 31 characters) and titles of the tables. */
  titles: Record<ReportName, string>;
  /** The prefix of the downloaded file's name. */
  filePrefix: string;
  channels: Record<Channel, string>;
  dimensions: { total: string; channel: string; category: string; product: string; team: string };
  all: string;
  noCategory: string;
  noProduct: string;
  otherProducts: string;
  noTeam: string;
  wholePeriod: string;
  clocks: { acknowledgement: string; resolution: string };
  phases: Record<ActionWeek['phase'], string>;
  volumes: { period: string; dimension: string; value: string; complaints: string };
  sla: {
    clock: string;
    met: string;
    breached: string;
    open: string;
    onTimeRate: string;
    median: string;
    p90: string;
    sampled: string;
    paused: string;
  };
  slaPeriods: {
    period: string;
    complaints: string;
    ackMet: string;
    ackBreached: string;
    ackOpen: string;
    ackRate: string;
    resMet: string;
    resBreached: string;
    resOpen: string;
    resRate: string;
    ackMedian: string;
    ackP90: string;
    resMedian: string;
    resP90: string;
    paused: string;
    pausedComplaints: string;
    csatAverage: string;
    reopenRate: string;
  };
  csat: { code: string; answeredOn: string; rating: string; comment: string; resolutionNo: string };
  satisfaction: {
    period: string;
    surveys: string;
    sent: string;
    answered: string;
    responseRate: string;
    average: string;
    ratings: Record<Rating, string>;
    resolved: string;
    reopened: string;
    reopenRate: string;
  };
  rootCauses: { cause: string; complaints: string; share: string; action: string; before: string; after: string };
  actionTrend: { action: string; cause: string; openedOn: string; week: string; complaints: string; phase: string };
  repeat: { customer: string; phone: string; email: string; complaints: string; codes: string; first: string; last: string };
  register: {
    code: string;
    receivedAt: string;
    channel: string;
    customer: string;
    phone: string;
    email: string;
    subject: string;
    orderRef: string;
    category: string;
    priority: string;
    status: string;
    assignee: string;
    team: string;
    ackDue: string;
    acknowledgedAt: string;
    resolutionDue: string;
    resolvedAt: string;
    resolvedOnTime: string;
    rating: string;
    yes: string;
    no: string;
  };
  agents: {
    agent: string;
    team: string;
    open: string;
    overdue: string;
    received: string;
    ackRate: string;
    resRate: string;
    resolved: string;
    reopenRate: string;
    answered: string;
    csatAverage: string;
    unassigned: string;
    inactive: string;
  };
}

/** The words of the exports, Vietnamese (the default) and English. */
export const REPORT_LABELS: Record<Locale, ReportLabels> = {
  vi: {
    titles: {
      volumes: 'Khối lượng',
      sla: 'SLA',
      'sla-periods': 'SLA theo kỳ',
      csat: 'CSAT',
      satisfaction: 'Hài lòng và mở lại',
      'root-causes': 'Nguyên nhân gốc',
      'action-trend': 'Xu hướng sau khắc phục',
      'repeat-customers': 'Khách hàng lặp lại',
      agents: 'Theo nhân viên',
      register: 'Sổ theo dõi khiếu nại',
    },
    filePrefix: 'bao-cao',
    channels: { hotline: 'Tổng đài', office: 'Văn phòng đại diện', email: 'Email', web: 'Web', api: 'API' },
    dimensions: { total: 'Tổng', channel: 'Kênh', category: 'Danh mục', product: 'Sản phẩm', team: 'Nhóm xử lý' },
    all: 'Tất cả',
    noCategory: '(Chưa phân loại)',
    noProduct: '(Không ghi)',
    otherProducts: '(Khác)',
    noTeam: '(Chưa giao nhóm)',
    wholePeriod: 'Cả kỳ',
    clocks: { acknowledgement: 'Phản hồi tiếp nhận', resolution: 'Giải quyết' },
    phases: { before: 'Trước', opening: 'Tuần mở hành động', after: 'Sau' },
    volumes: { period: 'Kỳ (từ ngày)', dimension: 'Phân loại', value: 'Giá trị', complaints: 'Số khiếu nại' },
    sla: {
      clock: 'Đồng hồ',
      met: 'Đúng hạn',
      breached: 'Quá hạn',
      open: 'Đang chạy',
      onTimeRate: 'Tỉ lệ đúng hạn (%)',
      median: 'Trung vị (giờ làm việc)',
      p90: 'P90 (giờ làm việc)',
      sampled: 'Số mẫu',
      paused: 'Tạm dừng (giờ làm việc)',
    },
    slaPeriods: {
      period: 'Kỳ (từ ngày)',
      complaints: 'Số khiếu nại',
      ackMet: 'Tiếp nhận đúng hạn',
      ackBreached: 'Tiếp nhận quá hạn',
      ackOpen: 'Tiếp nhận đang chạy',
      ackRate: 'Tỉ lệ tiếp nhận đúng hạn (%)',
      resMet: 'Giải quyết đúng hạn',
      resBreached: 'Giải quyết quá hạn',
      resOpen: 'Giải quyết đang chạy',
      resRate: 'Tỉ lệ giải quyết đúng hạn (%)',
      ackMedian: 'Trung vị đến tiếp nhận (giờ làm việc)',
      ackP90: 'P90 đến tiếp nhận (giờ làm việc)',
      resMedian: 'Trung vị đến giải quyết (giờ làm việc)',
      resP90: 'P90 đến giải quyết (giờ làm việc)',
      paused: 'Tạm dừng (giờ làm việc)',
      pausedComplaints: 'Số khiếu nại tạm dừng',
      csatAverage: 'CSAT trung bình (1–5)',
      reopenRate: 'Tỉ lệ mở lại (%)',
    },
    csat: { code: 'Mã khiếu nại', answeredOn: 'Ngày đánh giá', rating: 'Điểm (1–5)', comment: 'Nhận xét', resolutionNo: 'Lần giải quyết' },
    satisfaction: {
      period: 'Kỳ (từ ngày)',
      surveys: 'Số khảo sát',
      sent: 'Đã gửi',
      answered: 'Đã trả lời',
      responseRate: 'Tỉ lệ phản hồi (%)',
      average: 'CSAT trung bình (1–5)',
      ratings: { '1': '1 sao', '2': '2 sao', '3': '3 sao', '4': '4 sao', '5': '5 sao' },
      resolved: 'Đã giải quyết',
      reopened: 'Mở lại',
      reopenRate: 'Tỉ lệ mở lại (%)',
    },
    rootCauses: {
      cause: 'Nguyên nhân gốc',
      complaints: 'Số khiếu nại',
      share: 'Tỉ lệ (%)',
      action: 'Hành động khắc phục (ngày tạo)',
      before: 'Trước',
      after: 'Sau',
    },
    actionTrend: {
      action: 'Hành động khắc phục',
      cause: 'Nguyên nhân gốc',
      openedOn: 'Ngày mở',
      week: 'Tuần (từ ngày)',
      complaints: 'Số khiếu nại',
      phase: 'Giai đoạn',
    },
    repeat: {
      customer: 'Khách hàng',
      phone: 'Điện thoại',
      email: 'Email',
      complaints: 'Số khiếu nại',
      codes: 'Mã khiếu nại',
      first: 'Lần đầu',
      last: 'Lần cuối',
    },
    register: {
      code: 'Mã khiếu nại',
      receivedAt: 'Tiếp nhận lúc',
      channel: 'Kênh',
      customer: 'Khách hàng',
      phone: 'Điện thoại',
      email: 'Email',
      subject: 'Tiêu đề',
      orderRef: 'Mã đơn hàng',
      category: 'Danh mục',
      priority: 'Mức ưu tiên',
      status: 'Trạng thái',
      assignee: 'Người phụ trách',
      team: 'Nhóm xử lý',
      ackDue: 'Hạn phản hồi',
      acknowledgedAt: 'Phản hồi lúc',
      resolutionDue: 'Hạn giải quyết',
      resolvedAt: 'Giải quyết lúc',
      resolvedOnTime: 'Giải quyết đúng hạn',
      rating: 'Đánh giá (1–5)',
      yes: 'Có',
      no: 'Không',
    },
    agents: {
      agent: 'Nhân viên',
      team: 'Nhóm',
      open: 'Đang xử lý',
      overdue: 'Quá hạn',
      received: 'Nhận trong kỳ',
      ackRate: 'Phản hồi đúng hạn (%)',
      resRate: 'Giải quyết đúng hạn (%)',
      resolved: 'Đã giải quyết',
      reopenRate: 'Tỉ lệ mở lại (%)',
      answered: 'Lượt đánh giá',
      csatAverage: 'Điểm hài lòng TB',
      unassigned: '(Chưa giao ai)',
      inactive: '(đã nghỉ)',
    },
  },
  en: {
    titles: {
      volumes: 'Volumes',
      sla: 'SLA',
      'sla-periods': 'SLA by period',
      csat: 'CSAT',
      satisfaction: 'Satisfaction and reopening',
      'root-causes': 'Root causes',
      'action-trend': 'Trend after corrective action',
      'repeat-customers': 'Repeat complainants',
      agents: 'By agent',
      register: 'Complaint register',
    },
    filePrefix: 'report',
    channels: { hotline: 'Hotline', office: 'Office', email: 'Email', web: 'Web', api: 'API' },
    dimensions: { total: 'Total', channel: 'Channel', category: 'Category', product: 'Product', team: 'Team' },
    all: 'All',
    noCategory: '(Uncategorised)',
    noProduct: '(No product recorded)',
    otherProducts: '(Other products)',
    noTeam: '(No team)',
    wholePeriod: 'Whole period',
    clocks: { acknowledgement: 'Acknowledgement', resolution: 'Resolution' },
    phases: { before: 'Before', opening: 'Week opened', after: 'After' },
    volumes: { period: 'Period (from)', dimension: 'Dimension', value: 'Value', complaints: 'Complaints' },
    sla: {
      clock: 'Clock',
      met: 'On time',
      breached: 'Late',
      open: 'Running',
      onTimeRate: 'On-time rate (%)',
      median: 'Median (working hours)',
      p90: 'P90 (working hours)',
      sampled: 'Measured',
      paused: 'Paused (working hours)',
    },
    slaPeriods: {
      period: 'Period (from)',
      complaints: 'Complaints',
      ackMet: 'Acknowledged on time',
      ackBreached: 'Acknowledged late',
      ackOpen: 'Acknowledgement running',
      ackRate: 'Acknowledgement on-time rate (%)',
      resMet: 'Resolved on time',
      resBreached: 'Resolved late',
      resOpen: 'Resolution running',
      resRate: 'Resolution on-time rate (%)',
      ackMedian: 'Median to acknowledge (working hours)',
      ackP90: 'P90 to acknowledge (working hours)',
      resMedian: 'Median to resolve (working hours)',
      resP90: 'P90 to resolve (working hours)',
      paused: 'Paused (working hours)',
      pausedComplaints: 'Complaints paused',
      csatAverage: 'Average CSAT (1–5)',
      reopenRate: 'Reopen rate (%)',
    },
    csat: { code: 'Complaint code', answeredOn: 'Rated on', rating: 'Rating (1–5)', comment: 'Comment', resolutionNo: 'Resolution no.' },
    satisfaction: {
      period: 'Period (from)',
      surveys: 'Surveys',
      sent: 'Sent',
      answered: 'Answered',
      responseRate: 'Response rate (%)',
      average: 'Average CSAT (1–5)',
      ratings: { '1': '1 star', '2': '2 stars', '3': '3 stars', '4': '4 stars', '5': '5 stars' },
      resolved: 'Resolved',
      reopened: 'Reopened',
      reopenRate: 'Reopen rate (%)',
    },
    rootCauses: {
      cause: 'Root cause',
      complaints: 'Complaints',
      share: 'Share (%)',
      action: 'Corrective action (opened)',
      before: 'Before',
      after: 'After',
    },
    actionTrend: {
      action: 'Corrective action',
      cause: 'Root cause',
      openedOn: 'Opened on',
      week: 'Week (from)',
      complaints: 'Complaints',
      phase: 'Phase',
    },
    repeat: {
      customer: 'Customer',
      phone: 'Phone',
      email: 'Email',
      complaints: 'Complaints',
      codes: 'Complaint codes',
      first: 'First',
      last: 'Last',
    },
    register: {
      code: 'Complaint code',
      receivedAt: 'Received at',
      channel: 'Channel',
      customer: 'Customer',
      phone: 'Phone',
      email: 'Email',
      subject: 'Subject',
      orderRef: 'Order number',
      category: 'Category',
      priority: 'Priority',
      status: 'Status',
      assignee: 'Handled by',
      team: 'Team',
      ackDue: 'Acknowledgement due',
      acknowledgedAt: 'Acknowledged at',
      resolutionDue: 'Resolution due',
      resolvedAt: 'Resolved at',
      resolvedOnTime: 'Resolved on time',
      rating: 'Rating (1–5)',
      yes: 'Yes',
      no: 'No',
    },
    agents: {
      agent: 'Agent',
      team: 'Team',
      open: 'Open',
      overdue: 'Overdue',
      received: 'Received in period',
      ackRate: 'Acknowledged on time (%)',
      resRate: 'Resolved on time (%)',
      resolved: 'Resolved',
      reopenRate: 'Reopen rate (%)',
      answered: 'Ratings',
      csatAverage: 'Average rating',
      unassigned: '(Unassigned)',
      inactive: '(left)',
    },
  },
};

/** The label of a channel in a language (the raw value for one Sen does not know). */
export function channelLabel(key: string, locale: Locale = 'vi'): string {
  const channels: Record<string, string> = REPORT_LABELS[locale].channels;
  return channels[key] ?? key;
}

/** A name in the language asked: the English one when asked in English and there is one. */
export function localName(x: { name: string; nameEn?: string | null }, locale: Locale): string {
  return locale === 'en' && x.nameEn ? x.nameEn : x.name;
}

/** The downloaded file's name: `bao-cao-sla-2025-03-01-2025-03-31.csv` (English: `report-…`). */
export function exportFileName(name: ReportName, period: Pick<ReportPeriod, 'from' | 'to'>, ext: 'csv' | 'xlsx', locale: Locale = 'vi'): string {
  return `${REPORT_LABELS[locale].filePrefix}-${name}-${period.from}-${period.to}.${ext}`;
}

// ——— Export tables ———

export type Cell = string | number | null;

/** One sheet of an export: a title (the sheet's name), a header row and data rows. */
export interface ReportTable {
  title: string;
  columns: string[];
  rows: Cell[][];
}

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 10) / 10);
const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

/** Khối lượng: one row per bucket and dimension value (a long table, ready for a pivot). */
export function volumesTable(s: ReportSummary, locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const label = (list: CountBy[], key: string) => list.find((x) => x.key === key)?.label ?? key;
  const rows: Cell[][] = [];
  for (const p of s.volumes.series) {
    const day = formatVietnamDate(p.period);
    rows.push([day, l.dimensions.total, l.all, p.total]);
    const dims: [string, Record<string, number>, CountBy[]][] = [
      [l.dimensions.channel, p.channel, s.volumes.byChannel],
      [l.dimensions.category, p.category, s.volumes.byCategory],
      [l.dimensions.product, p.product, s.volumes.byProduct],
      [l.dimensions.team, p.team, s.volumes.byTeam],
    ];
    for (const [dim, counts, list] of dims) {
      for (const [key, n] of Object.entries(counts)) rows.push([day, dim, label(list, key), n]);
    }
  }
  const c = l.volumes;
  return { title: l.titles.volumes, columns: [c.period, c.dimension, c.value, c.complaints], rows };
}

/** Tuân thủ SLA: one row per clock, for the whole period. */
export function slaTable(s: ReportSummary, locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const row = (name: string, o: ClockOutcome, t: WorkingTimeStats, pausedMs: number | null): Cell[] => [
    name,
    o.met,
    o.breached,
    o.open,
    percent(o.onTimeRate),
    hours(t.medianMs),
    hours(t.p90Ms),
    t.sampled,
    hours(pausedMs),
  ];
  const c = l.sla;
  return {
    title: l.titles.sla,
    columns: [c.clock, c.met, c.breached, c.open, c.onTimeRate, c.median, c.p90, c.sampled, c.paused],
    rows: [
      row(l.clocks.acknowledgement, s.sla.acknowledgement, s.sla.timeToAcknowledge, null),
      row(l.clocks.resolution, s.sla.resolution, s.sla.timeToResolve, s.sla.paused.totalMs),
    ],
  };
}

/** The whole period's figures in the shape of one period's, for the last row of the per-period tables. */
function wholePeriodFigures(s: ReportSummary): PeriodFigures {
  return {
    period: s.period.from,
    complaints: s.volumes.total,
    acknowledgement: s.sla.acknowledgement,
    resolution: s.sla.resolution,
    timeToAcknowledge: s.sla.timeToAcknowledge,
    timeToResolve: s.sla.timeToResolve,
    paused: s.sla.paused,
    csat: s.csat,
    reopen: s.reopen,
  };
}

/** SLA theo kỳ: one row per period (then the whole period) with on-time rates, working times, pauses, CSAT and reopen rate. */
export function slaPeriodsTable(s: ReportSummary, locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const c = l.slaPeriods;
  const row = (name: string, f: PeriodFigures): Cell[] => [
    name,
    f.complaints,
    f.acknowledgement.met,
    f.acknowledgement.breached,
    f.acknowledgement.open,
    percent(f.acknowledgement.onTimeRate),
    f.resolution.met,
    f.resolution.breached,
    f.resolution.open,
    percent(f.resolution.onTimeRate),
    hours(f.timeToAcknowledge.medianMs),
    hours(f.timeToAcknowledge.p90Ms),
    hours(f.timeToResolve.medianMs),
    hours(f.timeToResolve.p90Ms),
    hours(f.paused.totalMs),
    f.paused.complaints,
    f.csat.average,
    percent(f.reopen.rate),
  ];
  return {
    title: l.titles['sla-periods'],
    columns: [
      c.period,
      c.complaints,
      c.ackMet,
      c.ackBreached,
      c.ackOpen,
      c.ackRate,
      c.resMet,
      c.resBreached,
      c.resOpen,
      c.resRate,
      c.ackMedian,
      c.ackP90,
      c.resMedian,
      c.resP90,
      c.paused,
      c.pausedComplaints,
      c.csatAverage,
      c.reopenRate,
    ],
    rows: [...s.trend.map((f) => row(formatVietnamDate(f.period), f)), row(l.wholePeriod, wholePeriodFigures(s))],
  };
}

/** Hài lòng và mở lại: per period (then the whole period) the surveys, the CSAT average and distribution, and the reopen rate. */
export function satisfactionTable(s: ReportSummary, locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const c = l.satisfaction;
  const row = (name: string, f: Pick<PeriodFigures, 'csat' | 'reopen'>): Cell[] => [
    name,
    f.csat.surveys,
    f.csat.sent,
    f.csat.answered,
    percent(f.csat.responseRate),
    f.csat.average,
    ...RATINGS.map((r) => f.csat.distribution[r]),
    f.reopen.resolved,
    f.reopen.reopened,
    percent(f.reopen.rate),
  ];
  return {
    title: l.titles.satisfaction,
    columns: [c.period, c.surveys, c.sent, c.answered, c.responseRate, c.average, ...RATINGS.map((r) => c.ratings[r]), c.resolved, c.reopened, c.reopenRate],
    rows: [...s.trend.map((f) => row(formatVietnamDate(f.period), f)), row(l.wholePeriod, s)],
  };
}

export interface CsatAnswer {
  code: string;
  answeredAt: Date;
  rating: number;
  comment: string | null;
  resolutionNo: number;
}

/** Mức độ hài lòng: one row per answered survey. */
export function csatTable(answers: CsatAnswer[], locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const c = l.csat;
  return {
    title: l.titles.csat,
    columns: [c.code, c.answeredOn, c.rating, c.comment, c.resolutionNo],
    rows: answers.map((a) => [a.code, formatVietnamDay(a.answeredAt), a.rating, a.comment, a.resolutionNo]),
  };
}

/** Nguyên nhân gốc: the causes by count, then each corrective action's before/after counts. */
export function rootCausesTable(s: ReportSummary, locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const rows: Cell[][] = s.rootCauses.top.map((r) => [r.label, r.count, percent(r.share), null, null, null]);
  for (const a of s.rootCauses.correctiveActions) {
    rows.push([localName(a.rootCause, locale), null, null, `${a.title} (${formatVietnamDay(new Date(a.createdAt))})`, a.before, a.after]);
  }
  const c = l.rootCauses;
  return { title: l.titles['root-causes'], columns: [c.cause, c.complaints, c.share, c.action, c.before, c.after], rows };
}

/** Xu hướng sau hành động khắc phục: one row per action and week, the opening week marked. */
export function actionTrendTable(s: ReportSummary, locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const rows: Cell[][] = [];
  for (const a of s.rootCauses.correctiveActions) {
    const opened = formatVietnamDay(new Date(a.createdAt));
    const cause = localName(a.rootCause, locale);
    for (const w of a.weeks) rows.push([a.title, cause, opened, formatVietnamDate(w.week), w.count, l.phases[w.phase]]);
  }
  const c = l.actionTrend;
  return { title: l.titles['action-trend'], columns: [c.action, c.cause, c.openedOn, c.week, c.complaints, c.phase], rows };
}

/** Khách hàng khiếu nại nhiều lần: customers with two or more complaints in the period. */
export function repeatCustomersTable(list: RepeatCustomer[], locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const c = l.repeat;
  return {
    title: l.titles['repeat-customers'],
    columns: [c.customer, c.phone, c.email, c.complaints, c.codes, c.first, c.last],
    rows: list.map((x) => [
      x.name,
      x.phone,
      x.email,
      x.complaints,
      x.codes.join(', '),
      formatVietnamDay(new Date(x.firstAt)),
      formatVietnamDay(new Date(x.lastAt)),
    ]),
  };
}

/**
 * A table as CSV for Excel: UTF-8 with a byte-order mark (so Excel reads Vietnamese), CRLF lines,
 * fields quoted when needed, and text that a spreadsheet would run as a formula (=, +, -, @) made
 * inert with a leading apostrophe.
 */
export function toCsv(table: ReportTable): string {
  const field = (v: Cell): string => {
    if (v === null) return '';
    if (typeof v === 'number') return String(v);
    const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns, ...table.rows].map((r) => r.map(field).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

// ——— By agent (theo nhân viên) ———

/** What the database counts for one assignee (null: complaints no one is assigned). */
export interface AgentCounts {
  staffId: string | null;
  /** Now, whatever the period: complaints being handled, and those of them past their nearest deadline. */
  open: number;
  overdue: number;
  /** Of the complaints received in the period and assigned to them now. */
  period: GroupCounts;
  surveys: SurveyCounts;
}

/** A staff member the report names (whether or not they have complaints). */
export interface AgentInfo {
  id: string;
  name: string;
  team: string | null;
  active: boolean;
}

/**
 * Theo nhân viên — one row per assignee: their workload now (open, overdue) and, for the complaints received in the period
 * that they hold now, the on-time rates of both clocks, how many were resolved and reopened, and the customers' ratings.
 * A complaint counts for whoever holds it now (a reassigned one moves with it).
 */
export interface AgentFigures {
  staffId: string | null;
  name: string | null;
  team: string | null;
  active: boolean;
  open: number;
  overdue: number;
  received: number;
  acknowledgement: ClockOutcome;
  resolution: ClockOutcome;
  reopen: ReopenFigures;
  csat: { answered: number; average: number | null };
}

/**
 * The rows of the report: every staff member given (those who may be assigned, and anyone holding complaints), then the
 * unassigned complaints last; the busiest first (open, then overdue), then by name.
 */
export function agentFigures(counts: readonly AgentCounts[], staff: readonly AgentInfo[]): AgentFigures[] {
  const byId = new Map(counts.map((c) => [c.staffId, c]));
  const empty = (staffId: string | null): AgentCounts => ({ staffId, open: 0, overdue: 0, period: EMPTY_GROUP_COUNTS, surveys: EMPTY_SURVEY_COUNTS });
  const row = (info: AgentInfo | null, c: AgentCounts): AgentFigures => ({
    staffId: c.staffId,
    name: info?.name ?? null,
    team: info?.team ?? null,
    active: info?.active ?? true,
    open: c.open,
    overdue: c.overdue,
    received: c.period.complaints,
    acknowledgement: clockOutcome(c.period.acknowledgement),
    resolution: clockOutcome(c.period.resolution),
    reopen: reopenFiguresOf(c.period.resolved, c.period.reopened),
    csat: { answered: c.surveys.answered, average: ratingAverage(c.surveys.distribution) },
  });
  const known = new Map(staff.map((s) => [s.id, s]));
  const people = [...new Set([...staff.map((s) => s.id), ...counts.flatMap((c) => (c.staffId ? [c.staffId] : []))])]
    .map((id) => row(known.get(id) ?? null, byId.get(id) ?? empty(id)))
    // Someone no longer active shows only while they still hold complaints or did in the period.
    .filter((r) => r.active || r.open || r.received)
    .sort((a, b) => b.open - a.open || b.overdue - a.overdue || (a.name ?? '').localeCompare(b.name ?? '', 'vi'));
  const none = byId.get(null);
  return none && (none.open || none.period.complaints) ? [...people, row(null, none)] : people;
}

/** Theo nhân viên as an export: one row per assignee, rates in per cent. */
export function agentsTable(list: readonly AgentFigures[], locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const c = l.agents;
  return {
    title: l.titles.agents,
    columns: [c.agent, c.team, c.open, c.overdue, c.received, c.ackRate, c.resRate, c.resolved, c.reopenRate, c.answered, c.csatAverage],
    rows: list.map((a) => [
      a.staffId === null ? c.unassigned : `${a.name ?? a.staffId}${a.active ? '' : ` ${c.inactive}`}`,
      a.team,
      a.open,
      a.overdue,
      a.received,
      percent(a.acknowledgement.onTimeRate),
      percent(a.resolution.onTimeRate),
      a.reopen.resolved,
      percent(a.reopen.rate),
      a.csat.answered,
      a.csat.average,
    ]),
  };
}

// ——— Sổ theo dõi khiếu nại (the complaint register) ———

/** One complaint as the register lists it (names already in the language asked). */
export interface RegisterEntry {
  code: string;
  receivedAt: Date;
  channel: string;
  customerName: string;
  phone: string | null;
  email: string | null;
  subject: string;
  orderRef: string | null;
  category: string | null;
  priority: Priority;
  status: Status;
  assignee: string | null;
  team: string | null;
  acknowledgementDueAt: Date;
  acknowledgedAt: Date | null;
  resolutionDueAt: Date;
  resolvedAt: Date | null;
  /** From the resolution clock: met, breached, or null while it runs (or was cancelled). */
  resolvedOnTime: boolean | null;
  rating: number | null;
}

/**
 * Sổ theo dõi khiếu nại — every complaint received in a period, one row each in the order of its code: who complained and
 * how to reach them, what about, its status and who holds it, its two deadlines and when each was met, and the rating.
 * Times dd/MM/yyyy HH:mm, Vietnam time; phones as customers write them (0912345678, not +84…).
 */
export function registerTable(list: readonly RegisterEntry[], locale: Locale = 'vi'): ReportTable {
  const l = REPORT_LABELS[locale];
  const c = l.register;
  const when = (d: Date | null) => (d ? formatVietnamDateTime(d) : null);
  return {
    title: l.titles.register,
    columns: [
      c.code, c.receivedAt, c.channel, c.customer, c.phone, c.email, c.subject, c.orderRef, c.category, c.priority, c.status,
      c.assignee, c.team, c.ackDue, c.acknowledgedAt, c.resolutionDue, c.resolvedAt, c.resolvedOnTime, c.rating,
    ],
    rows: list.map((e) => [
      e.code,
      when(e.receivedAt),
      channelLabel(e.channel, locale),
      e.customerName,
      e.phone ? nationalPhone(e.phone) : null,
      e.email,
      e.subject,
      e.orderRef,
      e.category,
      PRIORITY_LABELS[e.priority]?.[locale] ?? e.priority,
      STATUS_LABELS[e.status]?.[locale] ?? e.status,
      e.assignee,
      e.team,
      when(e.acknowledgementDueAt),
      when(e.acknowledgedAt),
      when(e.resolutionDueAt),
      when(e.resolvedAt),
      e.resolvedOnTime === null ? null : e.resolvedOnTime ? c.yes : c.no,
      e.rating,
    ]),
  };
}
