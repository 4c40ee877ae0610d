import { sql, type SQL } from 'drizzle-orm';
import { normalizeComplaintCode } from '../../domain/codes';
import type { Database } from '../open';
import { OPEN_STATUSES } from '../../domain/lifecycle';
import { toAppError } from '../errors';
import type { SlaContext } from './settings';
import { workingTimeBetween } from '../../domain/calendar';
import { nationalPhone } from '../../domain/contacts';
import type { Locale } from '../../domain/errors';
import {
  EMPTY_GROUP_COUNTS,
  EMPTY_SURVEY_COUNTS,
  REPORT_LABELS,
  actionWeekRange,
  actionWeeks,
  bucketsOf,
  channelLabel,
  localName,
  periodFigures,
  rate,
  trendOf,
  vietnamDayStart,
  weeksOfWindow,
  type CorrectiveActionEffect,
  type CorrectiveActionStatus,
  type AgentCounts,
  type AgentInfo,
  type RegisterEntry,
  type CountBy,
  type CsatAnswer,
  type GroupCounts,
  type RepeatCustomer,
  type ReportPeriod,
  type ReportSummary,
  type SeriesPoint,
  type SurveyCounts,
} from '../../domain/reports';

/** At most this many complaints are measured for the working-time medians (drawn at random in SQL). */
export const WORKING_TIME_SAMPLE = 5000;
/** Complaints measured at most over all the buckets of a report, for each period's medians (split evenly). */
const PERIOD_SAMPLE_BUDGET = 20_000;
/** Rows an export lists at most (CSAT answers, repeat customers). */
export const EXPORT_ROW_LIMIT = 50_000;
const TOP_PRODUCTS = 20;

async function rows<T extends Record<string, unknown>>(database: Database, q: SQL): Promise<T[]> {
  try {
    return (await database.db.execute<T>(q)).rows as T[];
  } catch (err) {
    throw toAppError(err);
  }
}

const num = (v: unknown) => (v == null ? 0 : Number(v));
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

// ——— Root causes and corrective actions ———

export interface RootCauseRow {
  id: string;
  slug: string | null;
  name: string;
  nameEn: string | null;
  active: boolean;
}

/** The root-cause taxonomy: active ones first, then by name. */
export async function listRootCauses(database: Database, opts: { activeOnly?: boolean } = {}): Promise<RootCauseRow[]> {
  const r = await rows<{ id: string; slug: string | null; name: string; name_en: string | null; active: boolean }>(
    database,
    sql`select id, slug, name, name_en, active from root_causes ${opts.activeOnly ? sql`where active` : sql``} order by active desc, name`,
  );
  return r.map((x) => ({ id: x.id, slug: x.slug, name: x.name, nameEn: x.name_en, active: x.active }));
}

export interface CorrectiveActionRow {
  id: string;
  title: string;
  description: string;
  status: CorrectiveActionStatus;
  owner: { id: string; name: string } | null;
  rootCause: { id: string; name: string; nameEn: string | null } | null;
  dueDate: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  doneAt: string | null;
  complaints: { code: string; subject: string; status: string }[];
}

const ACTION_SELECT = sql`
  select a.id, a.title, a.description, a.status, a.due_date, a.created_at, a.done_at,
         o.id as owner_id, o.name as owner_name, rc.id as rc_id, rc.name as rc_name, rc.name_en as rc_name_en,
         cb.id as created_by_id, cb.name as created_by_name,
         coalesce((select json_agg(json_build_object('code', c.code, 'subject', c.subject, 'status', c.status) order by c.code)
                   from corrective_action_complaints l join complaints c on c.id = l.complaint_id where l.action_id = a.id), '[]'::json) as complaints
  from corrective_actions a
  left join staff_users o on o.id = a.owner_id
  left join root_causes rc on rc.id = a.root_cause_id
  left join staff_users cb on cb.id = a.created_by`;

function actionFromRow(r: Record<string, unknown>): CorrectiveActionRow {
  return {
    id: r.id as string,
    title: r.title as string,
    description: r.description as string,
    status: r.status as CorrectiveActionStatus,
    owner: r.owner_id ? { id: r.owner_id as string, name: r.owner_name as string } : null,
    rootCause: r.rc_id ? { id: r.rc_id as string, name: r.rc_name as string, nameEn: (r.rc_name_en as string | null) ?? null } : null,
    dueDate: (r.due_date as string | null) ?? null,
    createdBy: r.created_by_id ? { id: r.created_by_id as string, name: r.created_by_name as string } : null,
    createdAt: iso(r.created_at)!,
    doneAt: iso(r.done_at),
    complaints: (typeof r.complaints === 'string' ? JSON.parse(r.complaints) : r.complaints) as CorrectiveActionRow['complaints'],
  };
}

/** Corrective actions, newest first, filtered by status, root cause or a linked complaint. */
export async function listCorrectiveActions(
  database: Database,
  filters: { status?: string; rootCauseId?: string; complaintCode?: string; limit?: number } = {},
): Promise<CorrectiveActionRow[]> {
  const where: SQL[] = [];
  if (filters.status) where.push(sql`a.status = ${filters.status}`);
  if (filters.rootCauseId) where.push(sql`a.root_cause_id = ${filters.rootCauseId}`);
  if (filters.complaintCode) {
    where.push(sql`exists (select 1 from corrective_action_complaints l join complaints c on c.id = l.complaint_id
                           where l.action_id = a.id and c.code = ${normalizeComplaintCode(filters.complaintCode)})`);
  }
  const r = await rows(
    database,
    sql`${ACTION_SELECT} ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
        order by a.created_at desc, a.id limit ${filters.limit ?? 200}`,
  );
  return r.map(actionFromRow);
}

export async function findCorrectiveAction(database: Database, id: string): Promise<CorrectiveActionRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await rows(database, sql`${ACTION_SELECT} where a.id = ${id}`);
  return r[0] ? actionFromRow(r[0]) : null;
}

// ——— One complaint's follow-up ———

export interface ComplaintFollowup {
  resolvedAt: Date | null;
  closedAt: Date | null;
  reopenCount: number;
  rootCause: { id: string; name: string; nameEn: string | null } | null;
  previousCode: string | null;
  /** The survey of the latest resolution. */
  survey: { resolutionNo: number; sentAt: string | null; answeredAt: string | null; rating: number | null; comment: string | null } | null;
}

/** What step 5 knows of one complaint: resolution and closing times, reopenings, root cause, latest survey. */
export async function complaintFollowup(database: Database, complaintId: string): Promise<ComplaintFollowup | null> {
  const r = await rows(
    database,
    sql`select c.resolved_at, c.closed_at, c.reopen_count, rc.id as rc_id, rc.name as rc_name, rc.name_en as rc_name_en, p.code as previous_code,
               s.resolution_no, s.sent_at, s.answered_at, s.rating, s.comment
        from complaints c
        left join root_causes rc on rc.id = c.root_cause_id
        left join complaints p on p.id = c.previous_complaint_id
        left join lateral (select * from surveys s where s.complaint_id = c.id order by s.resolution_no desc limit 1) s on true
        where c.id = ${complaintId}`,
  );
  const x = r[0];
  if (!x) return null;
  return {
    resolvedAt: x.resolved_at ? new Date(x.resolved_at as string) : null,
    closedAt: x.closed_at ? new Date(x.closed_at as string) : null,
    reopenCount: num(x.reopen_count),
    rootCause: x.rc_id ? { id: x.rc_id as string, name: x.rc_name as string, nameEn: (x.rc_name_en as string | null) ?? null } : null,
    previousCode: (x.previous_code as string | null) ?? null,
    survey:
      x.resolution_no == null
        ? null
        : {
            resolutionNo: num(x.resolution_no),
            sentAt: iso(x.sent_at),
            answeredAt: iso(x.answered_at),
            rating: x.rating == null ? null : num(x.rating),
            comment: (x.comment as string | null) ?? null,
          },
  };
}

// ——— The summary report ———

const inPeriod = (p: ReportPeriod) => sql`c.received_at >= ${p.start.toISOString()} and c.received_at < ${p.end.toISOString()}`;

/** The first day (YYYY-MM-DD) of the day, ISO week or month, in Vietnam time, a complaint `c` was received in. */
const bucketOfReceipt = (p: ReportPeriod) =>
  sql`to_char(date_trunc(${p.groupBy}::text, (c.received_at at time zone 'UTC') + interval '7 hours'), 'YYYY-MM-DD')`;

/** The complaints of the period, each with its bucket, as `c` (every column of complaints, and `bucket`). */
const periodComplaints = (p: ReportPeriod) => sql`(select c.*, ${bucketOfReceipt(p)} as bucket from complaints c where ${inPeriod(p)}) c`;

/** met / breached / total (cancelled left out) of one clock kind, from the clocks JSON (kind is one of Sen's own, never user input). */
function clockCounts(kind: 'acknowledgement' | 'resolution', now: Date): SQL {
  const k = sql.raw(`'${kind}'`);
  const stopped = sql`(c.clocks->${k}->>'stoppedAt')::timestamptz`;
  const due = sql`(c.clocks->${k}->>'dueAt')::timestamptz`;
  const paused = sql`(c.clocks->${k}->>'pausedAt')::timestamptz`;
  // Cancelled (withdrawn or merged in time) is neither met nor breached, and not counted at all.
  const counted = sql`coalesce((c.clocks->${k}->>'cancelled')::boolean, false) = false`;
  const n = sql.raw(kind === 'acknowledgement' ? 'ack' : 'res');
  return sql`
    count(*) filter (where ${stopped} is not null and ${stopped} <= ${due} and ${counted}) as ${n}_met,
    count(*) filter (where (${stopped} is not null and ${stopped} > ${due})
                        or (${stopped} is null and ${paused} is not null and ${paused} > ${due})
                        or (${stopped} is null and ${paused} is null and ${due} < ${now.toISOString()}::timestamptz)) as ${n}_breached,
    count(*) filter (where c.clocks ? ${k} and ${counted}) as ${n}_all`;
}

function groupCounts(r: Record<string, unknown>): GroupCounts {
  return {
    complaints: num(r.complaints),
    acknowledgement: { met: num(r.ack_met), breached: num(r.ack_breached), all: num(r.ack_all) },
    resolution: { met: num(r.res_met), breached: num(r.res_breached), all: num(r.res_all) },
    pausedMs: num(r.paused_ms),
    pausedComplaints: num(r.paused_complaints),
    acknowledged: num(r.acknowledged),
    resolvedAtKnown: num(r.resolved_at_known),
    resolved: num(r.resolved),
    reopened: num(r.reopened),
  };
}

/**
 * The counts of the whole period (the row whose bucket is null) and of each bucket, in one pass
 * with GROUPING SETS; also how many complaints have a root cause.
 */
async function countsOf(database: Database, period: ReportPeriod, now: Date) {
  const r = await rows(
    database,
    sql`select c.bucket, count(*) as complaints, ${clockCounts('acknowledgement', now)}, ${clockCounts('resolution', now)},
          coalesce(sum((c.clocks->'resolution'->>'pausedMs')::double precision), 0) as paused_ms,
          count(*) filter (where (c.clocks->'resolution'->>'pausedMs')::double precision > 0) as paused_complaints,
          count(*) filter (where c.acknowledged_at is not null) as acknowledged,
          count(*) filter (where c.resolved_at is not null or c.reopen_count > 0) as resolved,
          count(*) filter (where c.resolved_at is not null) as resolved_at_known,
          count(*) filter (where c.reopen_count > 0) as reopened,
          count(*) filter (where c.root_cause_id is not null) as with_root_cause
        from ${periodComplaints(period)} group by grouping sets ((), (c.bucket))`,
  );
  const whole = r.find((x) => x.bucket == null);
  return {
    whole: whole ? groupCounts(whole) : EMPTY_GROUP_COUNTS,
    withRootCause: whole ? num(whole.with_root_cause) : 0,
    byBucket: new Map(r.filter((x) => x.bucket != null).map((x) => [x.bucket as string, groupCounts(x)])),
  };
}

function surveyCounts(r: Record<string, unknown>): SurveyCounts {
  return {
    surveys: num(r.surveys),
    sent: num(r.sent),
    answered: num(r.answered),
    distribution: { '1': num(r.r1), '2': num(r.r2), '3': num(r.r3), '4': num(r.r4), '5': num(r.r5) },
  };
}

/** The surveys of the complaints received in the period, counted for the whole period and for each bucket. */
async function surveysOf(database: Database, period: ReportPeriod) {
  const r = await rows(
    database,
    sql`select c.bucket, count(*) as surveys, count(s.sent_at) as sent, count(s.answered_at) as answered,
               count(*) filter (where s.rating = 1) as r1, count(*) filter (where s.rating = 2) as r2, count(*) filter (where s.rating = 3) as r3,
               count(*) filter (where s.rating = 4) as r4, count(*) filter (where s.rating = 5) as r5
        from surveys s join ${periodComplaints(period)} on c.id = s.complaint_id
        group by grouping sets ((), (c.bucket))`,
  );
  const whole = r.find((x) => x.bucket == null);
  return {
    whole: whole ? surveyCounts(whole) : EMPTY_SURVEY_COUNTS,
    byBucket: new Map(r.filter((x) => x.bucket != null).map((x) => [x.bucket as string, surveyCounts(x)])),
  };
}

type WorkingTimeMode = 'business-hours' | 'calendar-hours-on-working-days';

const spansOf = (sample: { received_at: string; reached_at: string }[], sla: SlaContext, mode: WorkingTimeMode) =>
  sample.map((s) => {
    const a = new Date(s.received_at);
    const b = new Date(s.reached_at);
    return b > a ? workingTimeBetween(a, b, sla.cal, mode) : 0;
  });

/** Working times from receipt to `column` over the whole period: at most WORKING_TIME_SAMPLE complaints, drawn at random. */
async function wholePeriodSpans(
  database: Database,
  period: ReportPeriod,
  count: number,
  column: 'acknowledged_at' | 'resolved_at',
  sla: SlaContext,
  mode: WorkingTimeMode,
): Promise<number[]> {
  if (!count) return [];
  const col = sql.raw(`c.${column}`);
  // A top-N by random() keeps at most WORKING_TIME_SAMPLE rows in the database's memory and none of the rest in Sen's.
  const sample = await rows<{ received_at: string; reached_at: string }>(
    database,
    sql`select c.received_at, ${col} as reached_at from complaints c
        where ${inPeriod(period)} and ${col} is not null
        ${count > WORKING_TIME_SAMPLE ? sql`order by random()` : sql``} limit ${WORKING_TIME_SAMPLE}`,
  );
  return spansOf(sample, sla, mode);
}

/** Working times from receipt to `column` in each bucket: at most `perBucket` complaints of each, drawn at random. */
async function bucketSpans(
  database: Database,
  period: ReportPeriod,
  column: 'acknowledged_at' | 'resolved_at',
  sla: SlaContext,
  mode: WorkingTimeMode,
  perBucket: number,
): Promise<Map<string, number[]>> {
  const col = sql.raw(`c.${column}`);
  const sample = await rows<{ bucket: string; received_at: string; reached_at: string }>(
    database,
    // Each bucket's rows are first thinned at random to about twice what is kept (its size counted in
    // one pass), so the random order sorts a few thousand rows, not the whole period.
    sql`with n as (
          select ${bucketOfReceipt(period)} as bucket, count(*) as n from complaints c
          where ${inPeriod(period)} and ${col} is not null group by 1
        )
        select s.bucket, s.received_at, s.reached_at from (
          select t.bucket, t.received_at, t.reached_at, row_number() over (partition by t.bucket order by random()) as rn
          from (
            select ${bucketOfReceipt(period)} as bucket, c.received_at, ${col} as reached_at
            from complaints c where ${inPeriod(period)} and ${col} is not null
          ) t join n on n.bucket = t.bucket
          where random() < least(1.0, ${2 * perBucket}::float8 / n.n)
        ) s where s.rn <= ${perBucket}`,
  );
  const spans = spansOf(sample, sla, mode);
  const out = new Map<string, number[]>();
  sample.forEach((s, i) => {
    const list = out.get(s.bucket) ?? [];
    list.push(spans[i]);
    out.set(s.bucket, list);
  });
  return out;
}

/**
 * Working times of the whole period and of each bucket. The buckets' samples share a budget
 * (PERIOD_SAMPLE_BUDGET, split evenly, at least one each); when they measured every complaint and
 * there are at most WORKING_TIME_SAMPLE, the whole period's figures are taken from them, else drawn apart.
 */
async function measure(
  database: Database,
  period: ReportPeriod,
  buckets: number,
  count: number,
  column: 'acknowledged_at' | 'resolved_at',
  sla: SlaContext,
  mode: WorkingTimeMode,
): Promise<{ whole: number[]; byBucket: Map<string, number[]> }> {
  if (!count) return { whole: [], byBucket: new Map() };
  // The buckets share the budget: a long period by day gets fewer per day, never more in all.
  const perBucket = Math.min(WORKING_TIME_SAMPLE, Math.max(1, Math.floor(PERIOD_SAMPLE_BUDGET / Math.max(1, buckets))));
  const byBucket = await bucketSpans(database, period, column, sla, mode, perBucket);
  const all = [...byBucket.values()].flat();
  if (all.length === count && count <= WORKING_TIME_SAMPLE) return { whole: all, byBucket };
  return { whole: await wholePeriodSpans(database, period, count, column, sla, mode), byBucket };
}

/**
 * Báo cáo tổng hợp — every figure of the summary about the complaints received in the period,
 * aggregated by the database (GROUP BY over the received_at index): volumes by channel, category,
 * product and team over time; on-time rates from the clocks; working time to acknowledge and to
 * resolve (median, p90, over a sample of at most 5,000); time paused; CSAT; reopen rate; the same
 * rates and times for each period of the chosen granularity; repeat complainants; top root causes
 * and the trend around each corrective action opened in the period. Labels are in `locale` (default vi).
 */
export async function reportSummary(
  database: Database,
  opts: { period: ReportPeriod; sla: SlaContext; now: Date; windowDays: number; topCustomers?: number; locale?: Locale },
): Promise<ReportSummary> {
  const { period, sla, now } = opts;
  const locale = opts.locale ?? 'vi';
  const buckets = bucketsOf(period);
  const counts = await countsOf(database, period, now);
  const ackMode = sla.policy.workingTimeMode;

  const [volumes, ack, res, surveys, repeat, causes, actions] = await Promise.all([
    volumesOf(database, period, locale),
    measure(database, period, buckets.length, counts.whole.acknowledged, 'acknowledged_at', sla, ackMode),
    measure(database, period, buckets.length, counts.whole.resolvedAtKnown, 'resolved_at', sla, 'business-hours'),
    surveysOf(database, period),
    repeatCustomersOf(database, period, opts.topCustomers ?? 20),
    rows<{ id: string; name: string; name_en: string | null; n: string }>(
      database,
      sql`select rc.id, rc.name, rc.name_en, count(*) as n from complaints c join root_causes rc on rc.id = c.root_cause_id
          where ${inPeriod(period)} group by rc.id, rc.name, rc.name_en order by count(*) desc, rc.name limit 20`,
    ),
    correctiveActionEffects(database, period, now, opts.windowDays),
  ]);
  const whole = periodFigures(period.from, counts.whole, surveys.whole, { acknowledge: ack.whole, resolve: res.whole });
  const spans = new Map(buckets.map((b) => [b, { acknowledge: ack.byBucket.get(b) ?? [], resolve: res.byBucket.get(b) ?? [] }]));
  return {
    period: { from: period.from, to: period.to, groupBy: period.groupBy, timeZone: 'Asia/Ho_Chi_Minh' },
    volumes: { total: whole.complaints, ...volumes },
    sla: {
      acknowledgement: whole.acknowledgement,
      resolution: whole.resolution,
      workingTimeMode: ackMode,
      timeToAcknowledge: whole.timeToAcknowledge,
      timeToResolve: whole.timeToResolve,
      paused: whole.paused,
    },
    csat: whole.csat,
    reopen: whole.reopen,
    trend: trendOf(buckets, { counts: counts.byBucket, surveys: surveys.byBucket, spans }),
    repeatCustomers: repeat,
    rootCauses: {
      withRootCause: counts.withRootCause,
      top: causes.map((c) => ({
        key: c.id,
        label: localName({ name: c.name, nameEn: c.name_en }, locale),
        count: num(c.n),
        share: rate(num(c.n), counts.withRootCause),
      })),
      correctiveActions: actions,
    },
  };
}

/** Volumes over time, cut by channel, category, product (top 20, the rest as 'other') and team, with one GROUPING SETS query. */
async function volumesOf(database: Database, period: ReportPeriod, locale: Locale): Promise<Omit<ReportSummary['volumes'], 'total'>> {
  const r = await rows<{ bucket: string; dim: string; key: string; n: string }>(
    database,
    sql`with top as (
          select c.product from complaints c where ${inPeriod(period)} and c.product is not null
          group by c.product order by count(*) desc, c.product limit ${TOP_PRODUCTS}
        ), p as (
          select ${bucketOfReceipt(period)} as bucket,
                 c.channel,
                 coalesce(c.category_id::text, 'none') as category,
                 case when c.product is null then 'none' when c.product in (select product from top) then c.product else 'other' end as product,
                 coalesce(c.team_id::text, 'none') as team
          from complaints c where ${inPeriod(period)}
        )
        select bucket,
               case when grouping(channel) = 0 then 'channel' when grouping(category) = 0 then 'category'
                    when grouping(product) = 0 then 'product' when grouping(team) = 0 then 'team' else 'total' end as dim,
               coalesce(channel, category, product, team, '') as key, count(*) as n
        from p group by grouping sets ((bucket), (bucket, channel), (bucket, category), (bucket, product), (bucket, team))`,
  );
  const series = new Map<string, SeriesPoint>(
    bucketsOf(period).map((b) => [b, { period: b, total: 0, channel: {}, category: {}, product: {}, team: {} }]),
  );
  const totals = { channel: new Map<string, number>(), category: new Map<string, number>(), product: new Map<string, number>(), team: new Map<string, number>() };
  for (const row of r) {
    const point = series.get(row.bucket);
    if (!point) continue;
    const n = num(row.n);
    if (row.dim === 'total') {
      point.total = n;
      continue;
    }
    const dim = row.dim as keyof typeof totals;
    point[dim][row.key] = n;
    totals[dim].set(row.key, (totals[dim].get(row.key) ?? 0) + n);
  }
  const ids = (m: Map<string, number>) => [...m.keys()].filter((k) => k !== 'none');
  const [cats, teams] = await Promise.all([
    namesOf(database, sql`categories`, ids(totals.category), true),
    namesOf(database, sql`teams`, ids(totals.team), false),
  ]);
  const l = REPORT_LABELS[locale];
  const name = (m: Map<string, { name: string; nameEn: string | null }>, k: string) => {
    const found = m.get(k);
    return found ? localName(found, locale) : k;
  };
  const list = (m: Map<string, number>, label: (k: string) => string): CountBy[] =>
    [...m.entries()].map(([key, count]) => ({ key, label: label(key), count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return {
    byChannel: list(totals.channel, (k) => channelLabel(k, locale)),
    byCategory: list(totals.category, (k) => (k === 'none' ? l.noCategory : name(cats, k))),
    byProduct: list(totals.product, (k) => (k === 'none' ? l.noProduct : k === 'other' ? l.otherProducts : k)),
    byTeam: list(totals.team, (k) => (k === 'none' ? l.noTeam : name(teams, k))),
    series: [...series.values()],
  };
}

async function namesOf(database: Database, table: SQL, ids: string[], withEnglish: boolean): Promise<Map<string, { name: string; nameEn: string | null }>> {
  if (!ids.length) return new Map();
  const r = await rows<{ id: string; name: string; name_en: string | null }>(
    database,
    sql`select id::text as id, name, ${withEnglish ? sql`name_en` : sql`null`} as name_en from ${table}
        where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
  return new Map(r.map((x) => [x.id, { name: x.name, nameEn: x.name_en }]));
}

/** Customers with two or more complaints received in the period: how many, and the first `limit` by count. */
export async function repeatCustomersOf(database: Database, period: ReportPeriod, limit: number): Promise<ReportSummary['repeatCustomers']> {
  const r = await rows(
    database,
    sql`with r as (
          select c.customer_id, count(*) as n, min(c.received_at) as first_at, max(c.received_at) as last_at,
                 (array_agg(c.code order by c.received_at))[1:20] as codes
          from complaints c where ${inPeriod(period)} group by c.customer_id having count(*) >= 2
        )
        select r.customer_id, r.n, r.first_at, r.last_at, r.codes, cu.name, cu.phone_e164, cu.email,
               count(*) over () as customers_total, sum(r.n) over () as complaints_total
        from r join customers cu on cu.id = r.customer_id
        order by r.n desc, r.first_at, r.customer_id limit ${limit}`,
  );
  const top: RepeatCustomer[] = r.map((x) => ({
    customerId: x.customer_id as string,
    name: x.name as string,
    phone: x.phone_e164 ? nationalPhone(x.phone_e164 as string) : null,
    email: (x.email as string | null) ?? null,
    complaints: num(x.n),
    codes: Array.isArray(x.codes) ? (x.codes as string[]) : String(x.codes ?? '').replace(/^\{|\}$/g, '').split(',').filter(Boolean),
    firstAt: iso(x.first_at)!,
    lastAt: iso(x.last_at)!,
  }));
  return { customers: r[0] ? num(r[0].customers_total) : 0, complaints: r[0] ? num(r[0].complaints_total) : 0, top };
}

/**
 * Xu hướng sau hành động khắc phục — for each corrective action opened in the period with a root
 * cause, the complaints with that cause received in equal windows before and after its creation
 * (`windowDays`, shortened to the time elapsed since the action so the two stay equal), and week by
 * week from the whole weeks of the window before the week it was opened up to now.
 */
async function correctiveActionEffects(database: Database, period: ReportPeriod, now: Date, windowDays: number): Promise<CorrectiveActionEffect[]> {
  const r = await rows(
    database,
    sql`with a as (
          select a.id, a.title, a.status, a.created_at, a.root_cause_id, rc.name, rc.name_en,
                 least(${windowDays}::int * interval '1 day', greatest(${now.toISOString()}::timestamptz - a.created_at, interval '0')) as w
          from corrective_actions a join root_causes rc on rc.id = a.root_cause_id
          where a.created_at >= ${period.start.toISOString()} and a.created_at < ${period.end.toISOString()}
          order by a.created_at desc limit 100
        )
        select a.id, a.title, a.status, a.created_at, a.root_cause_id, a.name, a.name_en, extract(epoch from a.w) as w_seconds,
          (select count(*) from complaints c where c.root_cause_id = a.root_cause_id
             and c.received_at >= a.created_at - a.w and c.received_at < a.created_at) as before,
          (select count(*) from complaints c where c.root_cause_id = a.root_cause_id
             and c.received_at >= a.created_at and c.received_at < a.created_at + a.w) as after
        from a order by a.created_at desc`,
  );
  const weeksBefore = weeksOfWindow(windowDays);
  const weekly = await weeklyCountsByCause(
    database,
    r.map((x) => ({ rootCauseId: x.root_cause_id as string, range: actionWeekRange(new Date(x.created_at as string), now, weeksBefore) })),
    now,
  );
  return r.map((x) => {
    const before = num(x.before);
    const after = num(x.after);
    const createdAt = new Date(x.created_at as string);
    return {
      id: x.id as string,
      title: x.title as string,
      status: x.status as CorrectiveActionStatus,
      createdAt: createdAt.toISOString(),
      rootCause: { id: x.root_cause_id as string, name: x.name as string, nameEn: (x.name_en as string | null) ?? null },
      windowDays: Math.round((num(x.w_seconds) / 86_400) * 100) / 100,
      before,
      after,
      change: before > 0 ? Math.round(((after - before) / before) * 10_000) / 10_000 : null,
      weeks: actionWeeks({ createdAt, now, weeksBefore, counts: weekly.get(x.root_cause_id as string) ?? new Map() }),
    };
  });
}

/** Complaints received per Vietnam week (Monday, YYYY-MM-DD) for each root cause, over the weeks the actions show, up to now. */
async function weeklyCountsByCause(
  database: Database,
  actions: { rootCauseId: string; range: { first: string; last: string } }[],
  now: Date,
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (!actions.length) return out;
  const first = actions.map((a) => a.range.first).sort()[0];
  const last = actions.map((a) => a.range.last).sort().reverse()[0];
  const afterLast = new Date(vietnamDayStart(last).getTime() + 7 * 86_400_000);
  const end = afterLast < now ? afterLast : now;
  const causes = [...new Set(actions.map((a) => a.rootCauseId))];
  const r = await rows<{ cause: string; week: string; n: string }>(
    database,
    sql`select c.root_cause_id::text as cause,
               to_char(date_trunc('week', (c.received_at at time zone 'UTC') + interval '7 hours'), 'YYYY-MM-DD') as week, count(*) as n
        from complaints c
        where c.root_cause_id in (${sql.join(causes.map((id) => sql`${id}::uuid`), sql`, `)})
          and c.received_at >= ${vietnamDayStart(first).toISOString()} and c.received_at < ${end.toISOString()}
        group by 1, 2`,
  );
  for (const x of r) {
    const m = out.get(x.cause) ?? new Map<string, number>();
    m.set(x.week, num(x.n));
    out.set(x.cause, m);
  }
  return out;
}

/** The answered surveys of the complaints received in the period, for the CSAT export. */
export async function csatAnswers(database: Database, period: ReportPeriod, limit = EXPORT_ROW_LIMIT): Promise<CsatAnswer[]> {
  const r = await rows(
    database,
    sql`select c.code, s.answered_at, s.rating, s.comment, s.resolution_no
        from surveys s join complaints c on c.id = s.complaint_id
        where ${inPeriod(period)} and s.answered_at is not null order by s.answered_at, c.code limit ${limit}`,
  );
  return r.map((x) => ({
    code: x.code as string,
    answeredAt: new Date(x.answered_at as string),
    rating: num(x.rating),
    comment: (x.comment as string | null) ?? null,
    resolutionNo: num(x.resolution_no),
  }));
}

// ——— By agent ———

/**
 * Theo nhân viên, counted by assignee in three statements: the complaints being handled now and those of them past their
 * nearest deadline (whatever the period), and, of the complaints received in the period, the clocks, resolutions and
 * reopenings, and the surveys. A complaint counts for whoever holds it now.
 */
export async function agentCounts(database: Database, period: ReportPeriod, now: Date): Promise<AgentCounts[]> {
  const open = `{${OPEN_STATUSES.join(',')}}`;
  const [workload, received, surveys] = await Promise.all([
    rows<{ assignee_id: string | null; open: unknown; overdue: unknown }>(
      database,
      sql`select c.assignee_id, count(*) as open, count(*) filter (where c.sort_due < ${now.toISOString()}::timestamptz) as overdue
          from complaints c where c.status = any(${open}::text[]) group by c.assignee_id`,
    ),
    rows(
      database,
      sql`select c.assignee_id, count(*) as complaints, ${clockCounts('acknowledgement', now)}, ${clockCounts('resolution', now)},
            count(*) filter (where c.resolved_at is not null or c.reopen_count > 0) as resolved,
            count(*) filter (where c.reopen_count > 0) as reopened
          from complaints c where ${inPeriod(period)} group by c.assignee_id`,
    ),
    rows(
      database,
      sql`select c.assignee_id, count(*) as surveys, count(s.sent_at) as sent, count(s.answered_at) as answered,
            count(*) filter (where s.rating = 1) as r1, count(*) filter (where s.rating = 2) as r2, count(*) filter (where s.rating = 3) as r3,
            count(*) filter (where s.rating = 4) as r4, count(*) filter (where s.rating = 5) as r5
          from surveys s join complaints c on c.id = s.complaint_id where ${inPeriod(period)} group by c.assignee_id`,
    ),
  ]);
  const ids = new Set<string | null>([...workload, ...received, ...surveys].map((r) => (r.assignee_id as string | null) ?? null));
  return [...ids].map((id) => {
    const w = workload.find((r) => (r.assignee_id ?? null) === id);
    const p = received.find((r) => (r.assignee_id ?? null) === id);
    const v = surveys.find((r) => (r.assignee_id ?? null) === id);
    return {
      staffId: id,
      open: num(w?.open),
      overdue: num(w?.overdue),
      period: p ? groupCounts(p) : EMPTY_GROUP_COUNTS,
      surveys: v ? surveyCounts(v) : EMPTY_SURVEY_COUNTS,
    };
  });
}

/** The staff the report names: those of these roles (who work complaints), active or not, with their team. */
export async function agentStaff(database: Database, roles: readonly string[]): Promise<AgentInfo[]> {
  const r = await rows<{ id: string; name: string; team: string | null; active: boolean }>(
    database,
    sql`select s.id, s.name, t.name as team, s.active from staff_users s left join teams t on t.id = s.team_id
        where s.role = any(${`{${roles.join(',')}}`}::text[])`,
  );
  return r.map((x) => ({ id: x.id, name: x.name, team: x.team, active: x.active }));
}

// ——— The complaint register ———

/**
 * The complaints received in the period, in the order of their codes, as the register lists them; at most `limit` (one
 * more is read, so that the caller knows there are more). The latest survey's rating of each.
 */
export async function registerEntries(
  database: Database,
  period: ReportPeriod,
  locale: Locale,
  limit: number,
): Promise<{ entries: RegisterEntry[]; customerIds: string[] }> {
  const r = await rows<Record<string, unknown>>(
    database,
    sql`select c.code, c.received_at, c.channel, c.customer_id, cu.name as customer_name, cu.phone_e164, cu.email, c.subject, c.order_ref,
          ${locale === 'en' ? sql`coalesce(cat.name_en, cat.name)` : sql`cat.name`} as category, c.priority, c.status,
          s.name as assignee, t.name as team, c.acknowledgement_due_at, c.acknowledged_at, c.resolution_due_at, c.resolved_at,
          (c.clocks->'resolution'->>'stoppedAt')::timestamptz as res_stopped, (c.clocks->'resolution'->>'dueAt')::timestamptz as res_due,
          (select sv.rating from surveys sv where sv.complaint_id = c.id and sv.rating is not null order by sv.resolution_no desc limit 1) as rating
        from complaints c join customers cu on cu.id = c.customer_id
          left join categories cat on cat.id = c.category_id left join staff_users s on s.id = c.assignee_id left join teams t on t.id = c.team_id
        where ${inPeriod(period)}
        order by c.received_at, c.code limit ${limit + 1}`,
  );
  const at = (v: unknown) => (v == null ? null : new Date(v as string));
  const entries = r.map((x) => ({
    code: x.code as string,
    receivedAt: at(x.received_at)!,
    channel: x.channel as string,
    customerName: x.customer_name as string,
    phone: (x.phone_e164 as string | null) ?? null,
    email: (x.email as string | null) ?? null,
    subject: x.subject as string,
    orderRef: (x.order_ref as string | null) ?? null,
    category: (x.category as string | null) ?? null,
    priority: x.priority as RegisterEntry['priority'],
    status: x.status as RegisterEntry['status'],
    assignee: (x.assignee as string | null) ?? null,
    team: (x.team as string | null) ?? null,
    acknowledgementDueAt: at(x.acknowledgement_due_at)!,
    acknowledgedAt: at(x.acknowledged_at),
    resolutionDueAt: at(x.resolution_due_at)!,
    resolvedAt: at(x.resolved_at),
    resolvedOnTime: x.res_stopped == null || x.res_due == null ? null : at(x.res_stopped)! <= at(x.res_due)!,
    rating: x.rating == null ? null : Number(x.rating),
  }));
  return { entries, customerIds: [...new Set(r.map((x) => x.customer_id as string))] };
}
