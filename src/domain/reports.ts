/**
 * Báo cáo và cải tiến — the vocabulary of step 5's reports and the pure arithmetic behind them:
 * periods and their buckets in Vietnam time, percentiles, rates, the export tables and CSV.
 * The database aggregates (GROUP BY); this module only shapes what comes back.
 */
import { AppError, type FieldError } from './errors';

/** Hành động khắc phục — the states of a corrective action. */
export const CORRECTIVE_ACTION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type CorrectiveActionStatus = (typeof CORRECTIVE_ACTION_STATUSES)[number];

/** How the volume series is cut: by day, ISO week (from Monday) or month, in Vietnam time. */
export const GROUP_BYS = ['day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The reports that export as CSV and XLSX. */
export const REPORT_NAMES = ['volumes', 'sla', 'csat', 'root-causes', 'repeat-customers'] as const;
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
  /** Complaints that reached the point (acknowledged, resolved) in the period. */
  count: number;
  /** How many of them were measured (at most 5,000, drawn at random). */
  sampled: number;
  medianMs: number | null;
  p90Ms: number | null;
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
    paused: { totalMs: number; complaints: number; averageMs: number | null };
  };
  csat: {
    surveys: number;
    sent: number;
    answered: number;
    responseRate: number | null;
    average: number | null;
    distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  };
  reopen: { resolved: number; reopened: number; rate: number | null };
  repeatCustomers: { customers: number; complaints: number; top: RepeatCustomer[] };
  rootCauses: { withRootCause: number; top: (CountBy & { share: number | null })[]; correctiveActions: CorrectiveActionEffect[] };
}

/** Labels of the channels in the exports (Vietnamese first). */
export const CHANNEL_LABELS: Record<string, string> = {
  hotline: 'Tổng đài',
  office: 'Văn phòng đại diện',
  email: 'Email',
  web: 'Web',
  api: 'API',
};

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
export function volumesTable(s: ReportSummary): ReportTable {
  const label = (list: CountBy[], key: string) => list.find((x) => x.key === key)?.label ?? key;
  const rows: Cell[][] = [];
  for (const p of s.volumes.series) {
    const day = formatVietnamDate(p.period);
    rows.push([day, 'Tổng', 'Tất cả', p.total]);
    const dims: [string, Record<string, number>, CountBy[]][] = [
      ['Kênh', p.channel, s.volumes.byChannel],
      ['Danh mục', p.category, s.volumes.byCategory],
      ['Sản phẩm', p.product, s.volumes.byProduct],
      ['Nhóm xử lý', p.team, s.volumes.byTeam],
    ];
    for (const [dim, counts, list] of dims) {
      for (const [key, n] of Object.entries(counts)) rows.push([day, dim, label(list, key), n]);
    }
  }
  return { title: 'Khối lượng', columns: ['Kỳ (từ ngày)', 'Phân loại', 'Giá trị', 'Số khiếu nại'], rows };
}

/** Tuân thủ SLA: one row per clock. */
export function slaTable(s: ReportSummary): ReportTable {
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
  return {
    title: 'SLA',
    columns: [
      'Đồng hồ',
      'Đúng hạn',
      'Quá hạn',
      'Đang chạy',
      'Tỉ lệ đúng hạn (%)',
      'Trung vị (giờ làm việc)',
      'P90 (giờ làm việc)',
      'Số mẫu',
      'Tạm dừng (giờ làm việc)',
    ],
    rows: [
      row('Phản hồi tiếp nhận', s.sla.acknowledgement, s.sla.timeToAcknowledge, null),
      row('Giải quyết', s.sla.resolution, s.sla.timeToResolve, s.sla.paused.totalMs),
    ],
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
export function csatTable(answers: CsatAnswer[]): ReportTable {
  return {
    title: 'CSAT',
    columns: ['Mã khiếu nại', 'Ngày đánh giá', 'Điểm (1–5)', 'Nhận xét', 'Lần giải quyết'],
    rows: answers.map((a) => [a.code, formatVietnamDay(a.answeredAt), a.rating, a.comment, a.resolutionNo]),
  };
}

/** Nguyên nhân gốc: the causes by count, then each corrective action's before/after counts. */
export function rootCausesTable(s: ReportSummary): ReportTable {
  const rows: Cell[][] = s.rootCauses.top.map((r) => [r.label, r.count, percent(r.share), null, null, null]);
  for (const a of s.rootCauses.correctiveActions) {
    rows.push([
      a.rootCause.name,
      null,
      null,
      `${a.title} (${formatVietnamDay(new Date(a.createdAt))})`,
      a.before,
      a.after,
    ]);
  }
  return {
    title: 'Nguyên nhân gốc',
    columns: ['Nguyên nhân gốc', 'Số khiếu nại', 'Tỉ lệ (%)', 'Hành động khắc phục (ngày tạo)', 'Trước', 'Sau'],
    rows,
  };
}

/** Khách hàng khiếu nại nhiều lần: customers with two or more complaints in the period. */
export function repeatCustomersTable(list: RepeatCustomer[]): ReportTable {
  return {
    title: 'Khách hàng lặp lại',
    columns: ['Khách hàng', 'Điện thoại', 'Email', 'Số khiếu nại', 'Mã khiếu nại', 'Lần đầu', 'Lần cuối'],
    rows: list.map((c) => [
      c.name,
      c.phone,
      c.email,
      c.complaints,
      c.codes.join(', '),
      formatVietnamDay(new Date(c.firstAt)),
      formatVietnamDay(new Date(c.lastAt)),
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
