import { describe, expect, it } from 'vitest';
import {
  EMPTY_GROUP_COUNTS,
  REPORT_LABELS,
  REPORT_NAMES,
  actionTrendTable,
  actionWeekRange,
  actionWeeks,
  channelLabel,
  clockOutcome,
  csatFiguresOf,
  exportFileName,
  periodFigures,
  ratingAverage,
  satisfactionTable,
  slaPeriodsTable,
  slaTable,
  trendOf,
  volumesTable,
  weekOf,
  weeksOfWindow,
  workingTimeStatsOf,
  type GroupCounts,
  type ReportSummary,
  type SurveyCounts,
} from './reports';

const HOUR = 3_600_000;
const vn = (isoLocal: string) => new Date(`${isoLocal}+07:00`);

const counts = (o: Partial<GroupCounts>): GroupCounts => ({ ...EMPTY_GROUP_COUNTS, ...o });
const surveys = (o: Partial<SurveyCounts> & { ratings?: number[] }): SurveyCounts => {
  const d = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const r of o.ratings ?? []) d[String(r) as keyof typeof d]++;
  return { surveys: o.surveys ?? 0, sent: o.sent ?? 0, answered: o.answered ?? (o.ratings?.length ?? 0), distribution: d };
};

describe('figures of a group of complaints', () => {
  it('on-time rate counts met against breached, leaving the running ones out', () => {
    expect(clockOutcome({ met: 2, breached: 1, all: 5 })).toEqual({ met: 2, breached: 1, open: 2, onTimeRate: 0.6667 });
    expect(clockOutcome({ met: 0, breached: 0, all: 3 })).toEqual({ met: 0, breached: 0, open: 3, onTimeRate: null });
  });

  it('working times: median and p90 by interpolation, whole ms, `count` kept apart from the sample', () => {
    expect(workingTimeStatsOf(4, [3 * HOUR, 1 * HOUR, 2 * HOUR, 1 * HOUR])).toEqual({ count: 4, sampled: 4, medianMs: 1.5 * HOUR, p90Ms: 2.7 * HOUR });
    expect(workingTimeStatsOf(9000, [1, 2])).toEqual({ count: 9000, sampled: 2, medianMs: 2, p90Ms: 2 });
    expect(workingTimeStatsOf(0, [])).toEqual({ count: 0, sampled: 0, medianMs: null, p90Ms: null });
  });

  it('CSAT average comes from the distribution (two places); response rate from answered / surveys', () => {
    expect(ratingAverage({ '1': 0, '2': 1, '3': 0, '4': 1, '5': 1 })).toBe(3.67);
    expect(ratingAverage({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 })).toBeNull();
    expect(csatFiguresOf(surveys({ surveys: 3, ratings: [5] }))).toEqual({
      surveys: 3,
      sent: 0,
      answered: 1,
      responseRate: 0.3333,
      average: 5,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 },
    });
  });

  it('a period: rates, times, pause, CSAT and reopen rate from its counts', () => {
    const f = periodFigures(
      '2025-06-09',
      counts({
        complaints: 3,
        acknowledgement: { met: 2, breached: 1, all: 3 },
        resolution: { met: 1, breached: 2, all: 3 },
        pausedMs: 8 * HOUR,
        pausedComplaints: 2,
        acknowledged: 2,
        resolvedAtKnown: 2,
        resolved: 2,
        reopened: 1,
      }),
      surveys({ surveys: 3, ratings: [5] }),
      { acknowledge: [HOUR, HOUR], resolve: [25 * HOUR, 184 * HOUR] },
    );
    expect(f).toEqual({
      period: '2025-06-09',
      complaints: 3,
      acknowledgement: { met: 2, breached: 1, open: 0, onTimeRate: 0.6667 },
      resolution: { met: 1, breached: 2, open: 0, onTimeRate: 0.3333 },
      timeToAcknowledge: { count: 2, sampled: 2, medianMs: HOUR, p90Ms: HOUR },
      timeToResolve: { count: 2, sampled: 2, medianMs: 104.5 * HOUR, p90Ms: Math.round(168.1 * HOUR) },
      paused: { totalMs: 8 * HOUR, complaints: 2, averageMs: 4 * HOUR },
      csat: { surveys: 3, sent: 0, answered: 1, responseRate: 0.3333, average: 5, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 } },
      reopen: { resolved: 2, reopened: 1, rate: 0.5 },
    });
  });

  it('the trend has every bucket in order; one the database returned nothing for is zeros and nulls', () => {
    const trend = trendOf(['2025-06-02', '2025-06-09', '2025-06-16'], {
      counts: new Map([['2025-06-09', counts({ complaints: 1, acknowledgement: { met: 1, breached: 0, all: 1 }, acknowledged: 1 })]]),
      surveys: new Map(),
      spans: new Map([['2025-06-09', { acknowledge: [2 * HOUR], resolve: [] }]]),
    });
    expect(trend.map((p) => [p.period, p.complaints, p.acknowledgement.onTimeRate, p.timeToAcknowledge.medianMs])).toEqual([
      ['2025-06-02', 0, null, null],
      ['2025-06-09', 1, 1, 2 * HOUR],
      ['2025-06-16', 0, null, null],
    ]);
    expect(trend[0]).toMatchObject({ paused: { totalMs: 0, complaints: 0, averageMs: null }, csat: { average: null, responseRate: null }, reopen: { rate: null } });
  });
});

describe('the weekly trend around a corrective action', () => {
  it('runs from the whole weeks of the window before the opening week to the week of now, the opening marked', () => {
    expect(weeksOfWindow(30)).toBe(5);
    expect(weeksOfWindow(14)).toBe(2);
    expect(weeksOfWindow(1)).toBe(1);
    // Sunday 23:30 in Vietnam is still that week; Monday 00:10 the next.
    expect(weekOf(vn('2025-06-15T23:30:00'))).toBe('2025-06-09');
    expect(weekOf(vn('2025-06-16T00:10:00'))).toBe('2025-06-16');
    const createdAt = vn('2025-06-11T10:00:00');
    const now = vn('2025-07-01T10:00:00');
    expect(actionWeekRange(createdAt, now, 2)).toEqual({ first: '2025-05-26', opening: '2025-06-09', last: '2025-06-30' });
    const weeks = actionWeeks({ createdAt, now, weeksBefore: 2, counts: new Map([['2025-06-02', 1], ['2025-06-09', 2], ['2025-06-16', 1]]) });
    expect(weeks).toEqual([
      { week: '2025-05-26', count: 0, phase: 'before', partial: false },
      { week: '2025-06-02', count: 1, phase: 'before', partial: false },
      { week: '2025-06-09', count: 2, phase: 'opening', partial: false },
      { week: '2025-06-16', count: 1, phase: 'after', partial: false },
      { week: '2025-06-23', count: 0, phase: 'after', partial: false },
      { week: '2025-06-30', count: 0, phase: 'after', partial: true },
    ]);
  });

  it('an action opened this week has its opening week only after the weeks before; a very old one stops two years on', () => {
    const at = vn('2025-06-11T10:00:00');
    expect(actionWeeks({ createdAt: at, now: at, weeksBefore: 1, counts: new Map() }).map((w) => [w.week, w.phase, w.partial])).toEqual([
      ['2025-06-02', 'before', false],
      ['2025-06-09', 'opening', true],
    ]);
    const weeks = actionWeeks({ createdAt: vn('2020-01-08T10:00:00'), now: vn('2025-06-11T10:00:00'), weeksBefore: 0, counts: new Map() });
    expect(weeks).toHaveLength(105);
    expect(weeks[0]).toMatchObject({ week: '2020-01-06', phase: 'opening' });
  });
});

function summary(): ReportSummary {
  const empty = { count: 0, sampled: 0, medianMs: null, p90Ms: null };
  const week = (period: string, o: Partial<ReturnType<typeof periodFigures>>) => ({
    ...periodFigures(period, EMPTY_GROUP_COUNTS, surveys({}), { acknowledge: [], resolve: [] }),
    ...o,
  });
  return {
    period: { from: '2025-06-02', to: '2025-06-15', groupBy: 'week', timeZone: 'Asia/Ho_Chi_Minh' },
    volumes: {
      total: 3,
      byChannel: [
        { key: 'web', label: 'Web', count: 2 },
        { key: 'hotline', label: 'Hotline', count: 1 },
      ],
      byCategory: [{ key: 'none', label: '(Uncategorised)', count: 3 }],
      byProduct: [{ key: 'none', label: '(No product recorded)', count: 3 }],
      byTeam: [{ key: 'none', label: '(No team)', count: 3 }],
      series: [
        { period: '2025-06-02', total: 2, channel: { web: 2 }, category: { none: 2 }, product: { none: 2 }, team: { none: 2 } },
        { period: '2025-06-09', total: 1, channel: { hotline: 1 }, category: { none: 1 }, product: { none: 1 }, team: { none: 1 } },
      ],
    },
    sla: {
      acknowledgement: { met: 1, breached: 1, open: 1, onTimeRate: 0.5 },
      resolution: { met: 1, breached: 0, open: 2, onTimeRate: 1 },
      workingTimeMode: 'business-hours',
      timeToAcknowledge: { count: 2, sampled: 2, medianMs: 2 * HOUR, p90Ms: 3 * HOUR },
      timeToResolve: { count: 1, sampled: 1, medianMs: 6 * HOUR, p90Ms: 6 * HOUR },
      paused: { totalMs: 8 * HOUR, complaints: 1, averageMs: 8 * HOUR },
    },
    csat: { surveys: 2, sent: 1, answered: 1, responseRate: 0.5, average: 4, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 } },
    reopen: { resolved: 1, reopened: 1, rate: 1 },
    trend: [
      week('2025-06-02', {
        complaints: 2,
        acknowledgement: { met: 1, breached: 0, open: 1, onTimeRate: 1 },
        timeToAcknowledge: { count: 1, sampled: 1, medianMs: 2 * HOUR, p90Ms: 2 * HOUR },
        csat: { surveys: 2, sent: 1, answered: 1, responseRate: 0.5, average: 4, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 } },
        reopen: { resolved: 1, reopened: 1, rate: 1 },
      }),
      week('2025-06-09', { complaints: 1, acknowledgement: { met: 0, breached: 1, open: 0, onTimeRate: 0 }, timeToAcknowledge: empty }),
    ],
    repeatCustomers: { customers: 0, complaints: 0, top: [] },
    rootCauses: {
      withRootCause: 0,
      top: [],
      correctiveActions: [
        {
          id: 'a1',
          title: 'Đào tạo lại kho',
          status: 'open',
          createdAt: vn('2025-06-11T10:00:00').toISOString(),
          rootCause: { id: 'rc', name: 'Giao hàng chậm hoặc sai', nameEn: 'Late or wrong delivery' },
          windowDays: 7,
          before: 1,
          after: 0,
          change: -1,
          weeks: [
            { week: '2025-06-02', count: 1, phase: 'before', partial: false },
            { week: '2025-06-09', count: 2, phase: 'opening', partial: true },
          ],
        },
      ],
    },
  };
}

describe('export tables in the language asked', () => {
  it('every report has a title in both languages, at most 31 characters (an Excel sheet name)', () => {
    for (const locale of ['vi', 'en'] as const) {
      for (const name of REPORT_NAMES) {
        const title = REPORT_LABELS[locale].titles[name];
        expect(title.length, `${locale} ${name}`).toBeGreaterThan(0);
        expect(title.length, `${locale} ${name}`).toBeLessThanOrEqual(31);
      }
    }
    expect(channelLabel('hotline')).toBe('Tổng đài');
    expect(channelLabel('hotline', 'en')).toBe('Hotline');
    expect(channelLabel('fax', 'en')).toBe('fax');
    expect(exportFileName('sla', { from: '2025-06-02', to: '2025-06-15' }, 'csv')).toBe('bao-cao-sla-2025-06-02-2025-06-15.csv');
    expect(exportFileName('sla', { from: '2025-06-02', to: '2025-06-15' }, 'xlsx', 'en')).toBe('report-sla-2025-06-02-2025-06-15.xlsx');
  });

  it('headers, sheet names and fixed values follow the language; Vietnamese by default', () => {
    const s = summary();
    expect(volumesTable(s).columns).toEqual(['Kỳ (từ ngày)', 'Phân loại', 'Giá trị', 'Số khiếu nại']);
    expect(volumesTable(s, 'en')).toMatchObject({ title: 'Volumes', columns: ['Period (from)', 'Dimension', 'Value', 'Complaints'] });
    expect(volumesTable(s, 'en').rows.slice(0, 2)).toEqual([
      ['02/06/2025', 'Total', 'All', 2],
      ['02/06/2025', 'Channel', 'Web', 2],
    ]);
    expect(slaTable(s).rows.map((r) => r[0])).toEqual(['Phản hồi tiếp nhận', 'Giải quyết']);
    expect(slaTable(s, 'en').rows.map((r) => r[0])).toEqual(['Acknowledgement', 'Resolution']);
  });

  it('SLA by period: one row per period, then the whole period', () => {
    const t = slaPeriodsTable(summary());
    expect(t.title).toBe('SLA theo kỳ');
    expect(t.columns).toHaveLength(18);
    expect(t.rows).toEqual([
      ['02/06/2025', 2, 1, 0, 1, 100, 0, 0, 0, null, 2, 2, null, null, 0, 0, 4, 100],
      ['09/06/2025', 1, 0, 1, 0, 0, 0, 0, 0, null, null, null, null, null, 0, 0, null, null],
      ['Cả kỳ', 3, 1, 1, 1, 50, 1, 0, 2, 100, 2, 3, 6, 6, 8, 1, 4, 100],
    ]);
    expect(slaPeriodsTable(summary(), 'en').rows[2][0]).toBe('Whole period');
    expect(slaPeriodsTable(summary(), 'en').columns[5]).toBe('Acknowledgement on-time rate (%)');
  });

  it('satisfaction: surveys, CSAT average and distribution, reopen rate, per period and for the whole period', () => {
    const t = satisfactionTable(summary(), 'en');
    expect(t.columns).toEqual([
      'Period (from)',
      'Surveys',
      'Sent',
      'Answered',
      'Response rate (%)',
      'Average CSAT (1–5)',
      '1 star',
      '2 stars',
      '3 stars',
      '4 stars',
      '5 stars',
      'Resolved',
      'Reopened',
      'Reopen rate (%)',
    ]);
    expect(t.rows.at(-1)).toEqual(['Whole period', 2, 1, 1, 50, 4, 0, 0, 0, 1, 0, 1, 1, 100]);
    expect(satisfactionTable(summary()).columns.slice(6, 8)).toEqual(['1 sao', '2 sao']);
  });

  it('the action trend: a row per week, the root cause in the language asked, the phase in words', () => {
    expect(actionTrendTable(summary()).rows).toEqual([
      ['Đào tạo lại kho', 'Giao hàng chậm hoặc sai', '11/06/2025', '02/06/2025', 1, 'Trước'],
      ['Đào tạo lại kho', 'Giao hàng chậm hoặc sai', '11/06/2025', '09/06/2025', 2, 'Tuần mở hành động'],
    ]);
    expect(actionTrendTable(summary(), 'en').rows[1]).toEqual(['Đào tạo lại kho', 'Late or wrong delivery', '11/06/2025', '09/06/2025', 2, 'Week opened']);
  });
});
