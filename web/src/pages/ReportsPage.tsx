import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api';
import { BarChart, DistributionBar, LineChart, RateLineChart, StackedColumnChart, colorAt, type RowDef, type SeriesDef } from '../components/charts';
import { ErrorSummary, Notice } from '../components/forms';
import { DateInput } from '../components/date-inputs';
import { LoadFailed, NotAllowed, useApiGet, useRole, useRootCauseName } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError, hasErrors, useFormErrors, type FormErrors } from '../errors';
import {
  PERIOD_PRESETS,
  bucketLabel,
  formatCount,
  formatDay,
  formatOneDecimal,
  formatRate,
  formatWorkingTime,
  formatYmd,
  minutesPerWorkingDay,
  presetOf,
  presetPeriod,
  vietnamYmd,
  type PeriodPreset,
} from '../followup-format';
import type { AgentFigures, CountBy, GroupBy, ReportName, ReportSummary, RootCause } from '../followup-types';
import { useI18n, type MessageKey } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import type { Category, ListOf } from '../types';

const GROUP_BYS: readonly GroupBy[] = ['day', 'week', 'month'];
const YMD = /^\d{4}-\d{2}-\d{2}$/;
/** The dimensions the volumes over time can be split by. */
const DIMENSIONS = ['channel', 'category', 'product', 'team'] as const;
type Dimension = (typeof DIMENSIONS)[number];
/** A stacked column shows at most this many values of a dimension; the rest are one "(the rest)" part. */
const MAX_STACKED = 7;
const HOUR_MS = 3_600_000;

/** One period's figures and one week around a corrective action, as the summary gives them. */
type PeriodFigures = ReportSummary['trend'][number];
type CorrectiveActionEffect = ReportSummary['rootCauses']['correctiveActions'][number];

const CHANNEL_COLORS: Record<string, string> = {
  web: '#0f766e',
  email: '#1d4ed8',
  hotline: '#d9467a',
  office: '#b45309',
  api: '#7c3aed',
};
const RATING_COLORS = ['#b42318', '#c2410c', '#a16207', '#4d7c0f', '#15803d'];
const RATING_KEYS: MessageKey[] = ['survey.rating1', 'survey.rating2', 'survey.rating3', 'survey.rating4', 'survey.rating5'];

interface Period {
  from: string;
  to: string;
  groupBy: GroupBy;
}

function readPeriod(search: URLSearchParams, today: string): Period {
  const fallback = presetPeriod('last30', today);
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const groupBy = search.get('groupBy') as GroupBy;
  return {
    from: YMD.test(from) ? from : fallback.from,
    to: YMD.test(to) ? to : fallback.to,
    groupBy: GROUP_BYS.includes(groupBy) ? groupBy : 'day',
  };
}

const periodQuery = (p: Period) => new URLSearchParams({ from: p.from, to: p.to, groupBy: p.groupBy }).toString();

/** Báo cáo — every figure of step 5 for a period: volumes, deadlines kept, satisfaction, repeat customers, root causes. */
export function ReportsPage() {
  return (
    <StaffLayout>
      <Reports />
    </StaffLayout>
  );
}

function Reports() {
  const { t } = useI18n();
  useTitle(t('reports.title'));
  const role = useRole();
  if (role && role !== 'supervisor' && role !== 'admin' && role !== 'auditor') {
    return (
      <>
        <div className="page-head">
          <h1>{t('reports.title')}</h1>
        </div>
        <NotAllowed message={t('reports.forbidden')} testId="reports-forbidden" />
      </>
    );
  }
  return <ReportsBody />;
}

function ReportsBody() {
  const { t } = useI18n();
  const { search } = useLocation();
  const today = vietnamYmd();
  const period = readPeriod(search, today);
  const query = periodQuery(period);
  const [attempt, setAttempt] = useState(0);
  const summary = useApiGet<ReportSummary>(`/api/v1/reports/summary?${query}`, attempt);

  // Names in the interface language, and the length of a working day, for the figures.
  const rootCauses = useApiGet<ListOf<RootCause>>('/api/v1/root-causes');
  const categories = useApiGet<ListOf<Category>>('/api/v1/categories');
  const calendar = useApiGet<{ settings: { businessHours: [string, string][][] } }>('/api/v1/admin/calendar');
  const dayMinutes = calendar.state === 'done' ? minutesPerWorkingDay(calendar.value.settings.businessHours) : 480;
  const lookups: Lookups = {
    rootCauses: rootCauses.state === 'done' ? rootCauses.value.items : [],
    categories: categories.state === 'done' ? categories.value.items : [],
    dayMinutes,
  };

  return (
    <div className="fu-reports" data-testid="reports-page">
      <div className="page-head">
        <h1>{t('reports.title')}</h1>
        <p className="lead">{t('reports.intro')}</p>
      </div>
      <PeriodPicker period={period} today={today} />
      {summary.state === 'loading' ? <p className="loading">{t('common.loading')}</p> : null}
      {summary.state === 'failed' ? (
        summary.error instanceof ApiError && summary.error.status === 422 ? (
          <Notice kind="error" testId="reports-error">
            {describeError(summary.error, t)}
          </Notice>
        ) : (
          <LoadFailed error={summary.error} onRetry={() => setAttempt((a) => a + 1)} testId="reports-error" />
        )
      ) : null}
      {summary.state === 'done' ? <ReportBlocks summary={summary.value} period={period} lookups={lookups} /> : null}
    </div>
  );
}

interface Lookups {
  rootCauses: RootCause[];
  categories: Category[];
  dayMinutes: number;
}

// ---------- the period ----------

function PeriodPicker({ period, today }: { period: Period; today: string }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(period);
  const [errors, setErrors] = useFormErrors();
  useEffect(() => setDraft({ from: period.from, to: period.to, groupBy: period.groupBy }), [period.from, period.to, period.groupBy]);
  const current = presetOf(period.from, period.to, today);

  const go = (next: Period) => {
    setErrors({ fields: {}, general: [] });
    navigate(`/staff/reports?${periodQuery(next)}`, { keepScroll: true });
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = (tr: typeof t): FormErrors => {
      const fields: Record<string, string> = {};
      if (!YMD.test(draft.from)) fields['report-from'] = tr('reports.fromRequired');
      if (!YMD.test(draft.to)) fields['report-to'] = tr('reports.toRequired');
      if (!fields['report-from'] && !fields['report-to'] && draft.to < draft.from) fields['report-to'] = tr('reports.toBeforeFrom');
      return { fields, general: [] };
    };
    if (hasErrors(problems(t))) {
      setErrors(problems);
      return;
    }
    go(draft);
  }

  return (
    <section className="card fu-period-card" aria-labelledby="period-heading">
      <h2 id="period-heading" className="small-heading">
        {t('reports.period')}
      </h2>
      <div className="fu-presets" role="group" aria-label={t('reports.presets')}>
        {PERIOD_PRESETS.map((p: PeriodPreset) => (
          <button
            key={p}
            type="button"
            className={current === p ? 'btn btn-small btn-primary' : 'btn btn-small btn-secondary'}
            aria-pressed={current === p}
            onClick={() => go({ ...presetPeriod(p, today), groupBy: p === 'thisYear' ? 'month' : p === 'thisQuarter' ? 'week' : period.groupBy })}
            data-testid={`preset-${p}`}
          >
            {t(`reports.preset.${p}`)}
          </button>
        ))}
      </div>
      <form className="fu-period-form" onSubmit={submit} noValidate data-testid="period-form">
        <ErrorSummary errors={errors} />
        <div className="fu-period-fields">
          <div className={errors.fields['report-from'] ? 'field field-invalid' : 'field'}>
            <label htmlFor="report-from">{t('reports.from')}</label>
            <DateInput
              id="report-from"
              value={draft.from}
              max={today}
              onValue={(from) => setDraft({ ...draft, from })}
              aria-invalid={errors.fields['report-from'] ? true : undefined}
              aria-describedby={errors.fields['report-from'] ? 'report-from-error' : undefined}
              data-testid="report-from"
            />
            {errors.fields['report-from'] ? (
              <p className="field-error" id="report-from-error" data-testid="error-report-from">
                {errors.fields['report-from']}
              </p>
            ) : null}
          </div>
          <div className={errors.fields['report-to'] ? 'field field-invalid' : 'field'}>
            <label htmlFor="report-to">{t('reports.to')}</label>
            <DateInput
              id="report-to"
              value={draft.to}
              onValue={(to) => setDraft({ ...draft, to })}
              aria-invalid={errors.fields['report-to'] ? true : undefined}
              aria-describedby={errors.fields['report-to'] ? 'report-to-error' : undefined}
              data-testid="report-to"
            />
            {errors.fields['report-to'] ? (
              <p className="field-error" id="report-to-error" data-testid="error-report-to">
                {errors.fields['report-to']}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="report-group">{t('reports.groupBy')}</label>
            <select
              id="report-group"
              value={draft.groupBy}
              onChange={(e) => setDraft({ ...draft, groupBy: e.target.value as GroupBy })}
              data-testid="report-group-by"
            >
              {GROUP_BYS.map((g) => (
                <option key={g} value={g}>
                  {t(`reports.groupBy.${g}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="fu-period-submit">
            <button type="submit" className="btn btn-primary" data-testid="period-apply">
              {t('reports.apply')}
            </button>
          </div>
        </div>
      </form>
      <p className="muted fu-period-line" data-testid="period-line">
        {t('reports.periodLine', { from: formatYmd(period.from), to: formatYmd(period.to), groupBy: t(`reports.groupBy.${period.groupBy}`) })}
      </p>
    </section>
  );
}

// ---------- the blocks ----------

function ReportBlocks({ summary, period, lookups }: { summary: ReportSummary; period: Period; lookups: Lookups }) {
  const { t } = useI18n();
  return (
    <div className="fu-report-blocks">
      <VolumesBlock summary={summary} period={period} lookups={lookups} />
      <SlaBlock summary={summary} period={period} lookups={lookups} />
      <CsatBlock summary={summary} period={period} />
      <RootCausesBlock summary={summary} period={period} lookups={lookups} />
      <RepeatCustomersBlock summary={summary} period={period} />
      <AgentsBlock period={period} />
      <Block id="register" title={t('reports.register')} intro={t('reports.registerIntro')} exports={['register']} period={period}>
        {null}
      </Block>
    </div>
  );
}

function Block({
  id,
  title,
  intro,
  exports,
  period,
  children,
}: {
  id: string;
  title: string;
  intro?: string;
  /** The exports of the block; with more than one, each is named. */
  exports: ReportName[];
  period: Period;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className="card fu-report-block" aria-labelledby={`${id}-heading`} data-testid={`report-${id}`}>
      <div className="fu-report-block-head">
        <div>
          <h2 id={`${id}-heading`}>{title}</h2>
          {intro ? <p className="field-hint">{intro}</p> : null}
        </div>
        <div style={{ display: 'grid', gap: '0.4rem' }}>
          {exports.map((name) => (
            <ExportLinks
              key={name}
              name={name}
              period={period}
              title={exports.length > 1 ? `${title} · ${t(`reports.exportName.${name}` as MessageKey)}` : title}
              label={exports.length > 1 ? t(`reports.exportName.${name}` as MessageKey) : undefined}
            />
          ))}
        </div>
      </div>
      {children}
    </section>
  );
}

/**
 * CSV and XLSX of a report, for the same period, in the interface's language (links: the browser
 * downloads with the session cookie, and sends its own Accept-Language, so the language goes as ?lang=).
 */
function ExportLinks({ name, period, title, label }: { name: ReportName; period: Period; title: string; label?: string }) {
  const { t, lang } = useI18n();
  const qs = `${periodQuery(period)}&lang=${lang}`;
  return (
    <div className="fu-export-links" role="group" aria-label={t('reports.exportOf', { name: title })} data-testid={`export-${name}`}>
      {label ? (
        <span className="field-hint" style={{ alignSelf: 'center', margin: 0 }}>
          {label}
        </span>
      ) : null}
      <a className="btn btn-secondary btn-small" href={`/api/v1/reports/${name}.csv?${qs}`} download data-testid={`export-${name}-csv`}>
        <span aria-hidden="true">⤓ </span>CSV
      </a>
      <a className="btn btn-secondary btn-small" href={`/api/v1/reports/${name}.xlsx?${qs}`} download data-testid={`export-${name}-xlsx`}>
        <span aria-hidden="true">⤓ </span>XLSX
      </a>
    </div>
  );
}

function Kpi({ label, value, detail, testId, raw }: { label: string; value: string; detail?: ReactNode; testId: string; raw?: number | null }) {
  return (
    <div className="fu-kpi" data-testid={testId} data-value={raw ?? ''}>
      <dt>{label}</dt>
      <dd>
        <span className="fu-kpi-value" data-testid={`${testId}-value`}>
          {value}
        </span>
        {detail ? <span className="fu-kpi-detail">{detail}</span> : null}
      </dd>
    </div>
  );
}

function useNames(lookups: Lookups) {
  const { t, lang, label } = useI18n();
  const category = (c: CountBy) => {
    if (c.key === 'none') return t('reports.noCategory');
    const found = lookups.categories.find((x) => x.id === c.key);
    return lang === 'en' && found?.nameEn ? found.nameEn : c.label;
  };
  const product = (c: CountBy) => (c.key === 'none' ? t('reports.noProduct') : c.key === 'other' ? t('reports.otherProducts') : c.label);
  const team = (c: CountBy) => (c.key === 'none' ? t('reports.noTeam') : c.label);
  const channel = (key: string) => label('channel', key);
  return { category, product, team, channel };
}

function VolumesBlock({ summary, period, lookups }: { summary: ReportSummary; period: Period; lookups: Lookups }) {
  const { t } = useI18n();
  const names = useNames(lookups);
  const [dimension, setDimension] = useState<Dimension>('channel');
  const v = summary.volumes;
  const columns: RowDef[] = v.series.map((p) => ({ key: p.period, label: bucketLabel(p.period, period.groupBy) }));
  const byPeriod = new Map(v.series.map((p) => [p.period, p]));
  const single = (color: string, label: string): SeriesDef[] => [{ key: 'count', label, color }];
  const rowsOf = (list: CountBy[], name: (c: CountBy) => string): RowDef[] => list.map((c) => ({ key: c.key, label: name(c) }));
  const countOf = (list: CountBy[]) => (key: string) => list.find((c) => c.key === key)?.count ?? 0;
  const count = t('reports.complaints');

  // The chosen dimension over time: its most frequent values (the period's totals are sorted), the rest as one part.
  const lists: Record<Dimension, { list: CountBy[]; name: (c: CountBy) => string }> = {
    channel: { list: v.byChannel, name: (c) => names.channel(c.key) },
    category: { list: v.byCategory, name: names.category },
    product: { list: v.byProduct, name: names.product },
    team: { list: v.byTeam, name: names.team },
  };
  const { list, name } = lists[dimension];
  const shown = list.length > MAX_STACKED + 1 ? list.slice(0, MAX_STACKED) : list;
  const rest = list.slice(shown.length).map((c) => c.key);
  const series: SeriesDef[] = [
    ...shown.map((c, i) => ({ key: c.key, label: name(c), color: dimension === 'channel' ? CHANNEL_COLORS[c.key] ?? colorAt(i) : colorAt(i) })),
    ...(rest.length ? [{ key: '', label: t('reports.otherValues'), color: '#94a3b8' }] : []),
  ];
  const valueOver = (col: string, key: string) => {
    const counts = byPeriod.get(col)?.[dimension] ?? {};
    return key === '' ? rest.reduce((sum, k) => sum + (counts[k] ?? 0), 0) : counts[key] ?? 0;
  };
  return (
    <Block id="volumes" title={t('reports.volumes')} intro={t('reports.volumesIntro')} exports={['volumes']} period={period}>
      <dl className="fu-kpis">
        <Kpi label={t('reports.total')} value={formatCount(v.total)} raw={v.total} testId="report-total" />
        {v.byChannel.slice(0, 4).map((c) => (
          <Kpi key={c.key} label={names.channel(c.key)} value={formatCount(c.count)} raw={c.count} testId={`report-channel-${c.key}`} />
        ))}
      </dl>
      {v.total === 0 ? (
        <p className="muted" data-testid="report-volumes-empty">
          {t('reports.noComplaints')}
        </p>
      ) : (
        <>
          <div className="fu-presets" role="group" aria-label={t('reports.overTimeBy')} data-testid="volumes-dimension">
            <span className="field-hint" style={{ alignSelf: 'center', margin: 0 }} aria-hidden="true">
              {t('reports.overTimeBy')}
            </span>
            {DIMENSIONS.map((d) => (
              <button
                key={d}
                type="button"
                className={d === dimension ? 'btn btn-small btn-primary' : 'btn btn-small btn-secondary'}
                aria-pressed={d === dimension}
                onClick={() => setDimension(d)}
                data-testid={`volumes-dimension-${d}`}
              >
                {t(`reports.dimension.${d}`)}
              </button>
            ))}
          </div>
          <div data-dimension={dimension} data-testid="volumes-over-time">
            <StackedColumnChart
              key={dimension}
              title={t(`reports.overTime.${dimension}`)}
              desc={t('reports.overTimeDesc', { total: formatCount(v.total), count: columns.length, dimension: t(`reports.dimension.${dimension}`).toLowerCase() })}
              columns={columns}
              series={series}
              value={valueOver}
              rowHeader={t(`reports.bucket.${period.groupBy}`)}
              testId="chart-volumes-over-time"
            />
          </div>
          <h3 className="small-heading">{t('reports.totalsOfPeriod')}</h3>
          <div className="fu-chart-grid-3">
            <BarChart
              title={t('reports.byCategory')}
              desc={t('reports.barsDesc', { count: v.byCategory.length })}
              rows={rowsOf(v.byCategory, names.category)}
              series={single('#0f766e', count)}
              value={countOf(v.byCategory)}
              rowHeader={t('reports.category')}
              testId="chart-volumes-category"
            />
            <BarChart
              title={t('reports.byProduct')}
              desc={t('reports.barsDesc', { count: v.byProduct.length })}
              rows={rowsOf(v.byProduct, names.product)}
              series={single('#b45309', count)}
              value={countOf(v.byProduct)}
              rowHeader={t('reports.product')}
              testId="chart-volumes-product"
            />
            <BarChart
              title={t('reports.byTeam')}
              desc={t('reports.barsDesc', { count: v.byTeam.length })}
              rows={rowsOf(v.byTeam, names.team)}
              series={single('#1d4ed8', count)}
              value={countOf(v.byTeam)}
              rowHeader={t('reports.team')}
              testId="chart-volumes-team"
            />
          </div>
        </>
      )}
    </Block>
  );
}

/** The periods of the report as chart columns, and each one's figures. */
function usePeriods(summary: ReportSummary, period: Period) {
  const columns: RowDef[] = summary.trend.map((p) => ({ key: p.period, label: bucketLabel(p.period, period.groupBy) }));
  const byPeriod = new Map(summary.trend.map((p) => [p.period, p]));
  const of = (col: string, pick: (p: PeriodFigures) => number | null) => {
    const p = byPeriod.get(col);
    return p ? pick(p) : null;
  };
  return { columns, of };
}

const toHours = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR_MS) * 10) / 10);

function SlaBlock({ summary, period, lookups }: { summary: ReportSummary; period: Period; lookups: Lookups }) {
  const { t, lang } = useI18n();
  const s = summary.sla;
  // Acknowledgement is counted in the policy's reading of working hours; resolution in business hours (working days).
  const ackDay = s.workingTimeMode === 'calendar-hours-on-working-days' ? 24 * 60 : lookups.dayMinutes;
  const resDay = lookups.dayMinutes;
  const { columns, of } = usePeriods(summary, period);
  const outcome = (o: ReportSummary['sla']['acknowledgement']) =>
    t('reports.outcomeDetail', { met: formatCount(o.met), breached: formatCount(o.breached), open: formatCount(o.open) });
  const time = (ms: number | null, day: number) => formatWorkingTime(ms, lang, day);
  const hoursText = (h: number | null) => (h === null ? '—' : t('reports.hours', { n: formatOneDecimal(h) }));
  const rowHeader = t(`reports.bucket.${period.groupBy}`);
  const workingSeries: (SeriesDef & { pick: (p: PeriodFigures) => number | null })[] = [
    { key: 'ackMedian', label: t('reports.ackMedian'), color: '#0f766e', pick: (p) => p.timeToAcknowledge.medianMs },
    { key: 'ackP90', label: t('reports.ackP90'), color: '#5eaaa0', pick: (p) => p.timeToAcknowledge.p90Ms },
    { key: 'resMedian', label: t('reports.resMedian'), color: '#d9467a', pick: (p) => p.timeToResolve.medianMs },
    { key: 'resP90', label: t('reports.resP90'), color: '#e79ab7', pick: (p) => p.timeToResolve.p90Ms },
  ];
  return (
    <Block id="sla" title={t('reports.sla')} intro={t('reports.slaIntro')} exports={['sla', 'sla-periods']} period={period}>
      <dl className="fu-kpis">
        <Kpi
          label={t('reports.ackOnTime')}
          value={formatRate(s.acknowledgement.onTimeRate)}
          raw={s.acknowledgement.onTimeRate}
          detail={outcome(s.acknowledgement)}
          testId="report-ack-rate"
        />
        <Kpi
          label={t('reports.resOnTime')}
          value={formatRate(s.resolution.onTimeRate)}
          raw={s.resolution.onTimeRate}
          detail={outcome(s.resolution)}
          testId="report-res-rate"
        />
      </dl>
      <RateLineChart
        title={t('reports.onTimeTrend')}
        desc={t('reports.onTimeTrendDesc', { count: columns.length })}
        columns={columns}
        series={[
          { key: 'ack', label: t('reports.ackOnTime'), color: '#0f766e' },
          { key: 'res', label: t('reports.resOnTime'), color: '#d9467a' },
        ]}
        value={(col, key) => of(col, (p) => (key === 'ack' ? p.acknowledgement.onTimeRate : p.resolution.onTimeRate))}
        rowHeader={rowHeader}
        testId="chart-on-time"
      />

      <h3 className="small-heading">{t('reports.workingTimes')}</h3>
      <div className="table-wrap fu-wrap">
        <table className="queue fu-report-table" data-testid="report-working-times">
          <caption className="visually-hidden">{t('reports.workingTimes')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.stage')}</th>
              <th scope="col">{t('reports.median')}</th>
              <th scope="col">{t('reports.p90')}</th>
              <th scope="col" className="fu-num">
                {t('reports.measured')}
              </th>
            </tr>
          </thead>
          <tbody>
            <tr data-testid="working-time-ack">
              <th scope="row" className="fu-row-head">{t('reports.toAcknowledge')}</th>
              <td data-label={t('reports.median')} data-testid="working-time-ack-median">
                {time(s.timeToAcknowledge.medianMs, ackDay)}
              </td>
              <td data-label={t('reports.p90')}>{time(s.timeToAcknowledge.p90Ms, ackDay)}</td>
              <td data-label={t('reports.measured')} className="fu-num">
                {sampled(s.timeToAcknowledge, t)}
              </td>
            </tr>
            <tr data-testid="working-time-res">
              <th scope="row" className="fu-row-head">{t('reports.toResolve')}</th>
              <td data-label={t('reports.median')} data-testid="working-time-res-median">
                {time(s.timeToResolve.medianMs, resDay)}
              </td>
              <td data-label={t('reports.p90')}>{time(s.timeToResolve.p90Ms, resDay)}</td>
              <td data-label={t('reports.measured')} className="fu-num">
                {sampled(s.timeToResolve, t)}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <LineChart
        title={t('reports.workingTimesTrend')}
        desc={t('reports.workingTimesTrendDesc', { count: columns.length })}
        columns={columns}
        series={workingSeries}
        value={(col, key) => of(col, (p) => toHours(workingSeries.find((x) => x.key === key)!.pick(p)))}
        format={hoursText}
        tickFormat={(h) => t('reports.hours', { n: formatCount(h) })}
        rowHeader={rowHeader}
        testId="chart-working-times"
      />
      <dl className="fu-kpis fu-kpis-small">
        <Kpi label={t('reports.pausedTotal')} value={time(s.paused.totalMs, resDay)} raw={s.paused.totalMs} testId="report-paused-total" />
        <Kpi label={t('reports.pausedComplaints')} value={formatCount(s.paused.complaints)} raw={s.paused.complaints} testId="report-paused-complaints" />
        <Kpi label={t('reports.pausedAverage')} value={time(s.paused.averageMs, resDay)} raw={s.paused.averageMs} testId="report-paused-average" />
      </dl>
      <StackedColumnChart
        title={t('reports.pausedTrend')}
        desc={t('reports.pausedTrendDesc', { count: columns.length })}
        columns={columns}
        series={[{ key: 'paused', label: t('reports.pausedHours'), color: '#b45309' }]}
        value={(col) => of(col, (p) => toHours(p.paused.totalMs)) ?? 0}
        format={hoursText}
        tickFormat={(h) => t('reports.hours', { n: formatCount(h) })}
        rowHeader={rowHeader}
        height={180}
        testId="chart-paused"
      />
      <p className="field-hint">{t(s.workingTimeMode === 'calendar-hours-on-working-days' ? 'reports.modeCalendar' : 'reports.modeBusiness')}</p>
    </Block>
  );
}

function sampled(w: ReportSummary['sla']['timeToAcknowledge'], t: (k: MessageKey, p?: Record<string, string | number>) => string): string {
  return w.sampled < w.count ? t('reports.sampledOf', { sampled: formatCount(w.sampled), count: formatCount(w.count) }) : formatCount(w.count);
}

function CsatBlock({ summary, period }: { summary: ReportSummary; period: Period }) {
  const { t } = useI18n();
  const c = summary.csat;
  const r = summary.reopen;
  const { columns, of } = usePeriods(summary, period);
  const rowHeader = t(`reports.bucket.${period.groupBy}`);
  const parts: SeriesDef[] = RATING_KEYS.map((k, i) => ({ key: String(i + 1), label: `${i + 1} ★ · ${t(k)}`, color: RATING_COLORS[i] }));
  const rating = (k: string) => k as keyof PeriodFigures['csat']['distribution'];
  return (
    <Block id="csat" title={t('reports.csat')} intro={t('reports.csatIntro')} exports={['csat', 'satisfaction']} period={period}>
      <dl className="fu-kpis">
        <Kpi
          label={t('reports.csatAverage')}
          value={c.average === null ? '—' : formatOneDecimal(c.average)}
          raw={c.average}
          detail={c.average === null ? t('reports.noAnswers') : t('reports.outOf5')}
          testId="report-csat-average"
        />
        <Kpi
          label={t('reports.responseRate')}
          value={formatRate(c.responseRate)}
          raw={c.responseRate}
          detail={t('reports.answeredOf', { answered: formatCount(c.answered), sent: formatCount(c.sent), surveys: formatCount(c.surveys) })}
          testId="report-csat-response"
        />
        <Kpi
          label={t('reports.reopenRate')}
          value={formatRate(r.rate)}
          raw={r.rate}
          detail={t('reports.reopenDetail', { reopened: formatCount(r.reopened), resolved: formatCount(r.resolved) })}
          testId="report-reopen-rate"
        />
      </dl>
      <DistributionBar
        title={t('reports.csatDistribution')}
        desc={t('reports.csatDistributionDesc', { answered: formatCount(c.answered) })}
        parts={parts}
        value={(k) => c.distribution[rating(k)] ?? 0}
        rowHeader={t('reports.rating')}
        valueHeader={t('reports.answers')}
        testId="chart-csat"
      />
      <LineChart
        title={t('reports.csatTrend')}
        desc={t('reports.csatTrendDesc', { count: columns.length })}
        columns={columns}
        series={[{ key: 'average', label: t('reports.csatAverage'), color: '#15803d' }]}
        value={(col) => of(col, (p) => p.csat.average)}
        format={formatOneDecimal}
        tickFormat={(n) => formatCount(n)}
        scale={{ min: 1, max: 5, ticks: [1, 2, 3, 4, 5] }}
        rowHeader={rowHeader}
        testId="chart-csat-trend"
      />
      <StackedColumnChart
        title={t('reports.csatPeriods')}
        desc={t('reports.csatPeriodsDesc', { count: columns.length })}
        columns={columns}
        series={parts}
        value={(col, k) => of(col, (p) => p.csat.distribution[rating(k)]) ?? 0}
        rowHeader={rowHeader}
        height={180}
        testId="chart-csat-periods"
      />
      <RateLineChart
        title={t('reports.reopenTrend')}
        desc={t('reports.reopenTrendDesc', { count: columns.length })}
        columns={columns}
        series={[{ key: 'reopen', label: t('reports.reopenRate'), color: '#b45309' }]}
        value={(col) => of(col, (p) => p.reopen.rate)}
        rowHeader={rowHeader}
        testId="chart-reopen-trend"
      />
    </Block>
  );
}

function RootCausesBlock({ summary, period, lookups }: { summary: ReportSummary; period: Period; lookups: Lookups }) {
  const { t } = useI18n();
  const role = useRole();
  const canAct = role === 'supervisor' || role === 'admin';
  const nameOf = useRootCauseName();
  const rc = summary.rootCauses;
  const causeName = (key: string, fallback: string) => nameOf(lookups.rootCauses.find((x) => x.id === key) ?? { name: fallback });
  const rows: RowDef[] = rc.top.map((c) => ({ key: c.key, label: causeName(c.key, c.label) }));
  const actions = rc.correctiveActions;
  const open = (id: string) => navigate(`/staff/corrective-actions?new=1&rootCauseId=${encodeURIComponent(id)}`);
  return (
    <Block id="root-causes" title={t('reports.rootCauses')} intro={t('reports.rootCausesIntro')} exports={['root-causes', 'action-trend']} period={period}>
      <dl className="fu-kpis fu-kpis-small">
        <Kpi label={t('reports.withRootCause')} value={formatCount(rc.withRootCause)} raw={rc.withRootCause} testId="report-with-root-cause" />
      </dl>
      {rc.top.length === 0 ? (
        <p className="muted" data-testid="root-causes-empty">
          {t('reports.noRootCauses')}
        </p>
      ) : (
        <>
          <BarChart
            title={t('reports.topRootCauses')}
            desc={t('reports.barsDesc', { count: rows.length })}
            rows={rows}
            series={[{ key: 'count', label: t('reports.complaints'), color: '#d9467a' }]}
            value={(key) => rc.top.find((c) => c.key === key)?.count ?? 0}
            note={(key) => formatRate(rc.top.find((c) => c.key === key)?.share ?? null)}
            rowHeader={t('reports.rootCause')}
            testId="chart-root-causes"
          />
          <div className="table-wrap fu-wrap">
            <table className="queue fu-report-table" data-testid="root-cause-table">
              <caption className="visually-hidden">{t('reports.topRootCauses')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.rootCause')}</th>
                  <th scope="col" className="fu-num">
                    {t('reports.complaints')}
                  </th>
                  <th scope="col" className="fu-num">
                    {t('chart.share')}
                  </th>
                  {canAct ? <th scope="col">{t('reports.action')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {rc.top.map((c) => (
                  <tr key={c.key} data-testid="root-cause-row" data-id={c.key}>
                    <th scope="row" className="fu-row-head">
                      {causeName(c.key, c.label)}
                    </th>
                    <td data-label={t('reports.complaints')} className="fu-num">
                      {formatCount(c.count)}
                    </td>
                    <td data-label={t('chart.share')} className="fu-num">
                      {formatRate(c.share)}
                    </td>
                    {canAct ? (
                      <td data-label={t('reports.action')}>
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          onClick={() => open(c.key)}
                          aria-label={t('reports.openActionFor', { cause: causeName(c.key, c.label) })}
                          data-testid="root-cause-open-action"
                        >
                          {t('reports.openAction')}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h3 className="small-heading">{t('reports.actionTrend')}</h3>
      <p className="field-hint">{t('reports.actionTrendIntro')}</p>
      {actions.length === 0 ? (
        <p className="muted" data-testid="action-trend-empty">
          {t('reports.noActions')}
        </p>
      ) : (
        <>
          <BarChart
            title={t('reports.beforeAfter')}
            desc={t('reports.actionTrendDesc', { count: actions.length })}
            rows={actions.map((a) => ({ key: a.id, label: a.title }))}
            series={[
              { key: 'before', label: t('reports.before'), color: '#94a3b8' },
              { key: 'after', label: t('reports.after'), color: '#0f766e' },
            ]}
            value={(id, key) => {
              const a = actions.find((x) => x.id === id);
              return a ? (key === 'before' ? a.before : a.after) : 0;
            }}
            rowHeader={t('reports.correctiveAction')}
            testId="chart-action-trend"
          />
          <div className="table-wrap fu-wrap">
            <table className="queue fu-report-table" data-testid="action-trend-table">
              <caption className="visually-hidden">{t('reports.actionTrend')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.correctiveAction')}</th>
                  <th scope="col">{t('reports.rootCause')}</th>
                  <th scope="col">{t('reports.openedOn')}</th>
                  <th scope="col" className="fu-num">
                    {t('reports.window')}
                  </th>
                  <th scope="col" className="fu-num">
                    {t('reports.before')}
                  </th>
                  <th scope="col" className="fu-num">
                    {t('reports.after')}
                  </th>
                  <th scope="col" className="fu-num">
                    {t('reports.change')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {actions.map((a) => (
                  <tr key={a.id} data-testid="action-trend-row" data-id={a.id}>
                    <th scope="row" className="fu-row-head">
                      <Link to={`/staff/corrective-actions?focus=${encodeURIComponent(a.id)}`}>{a.title}</Link>
                    </th>
                    <td data-label={t('reports.rootCause')}>{nameOf(a.rootCause)}</td>
                    <td data-label={t('reports.openedOn')}>{formatDay(a.createdAt)}</td>
                    <td data-label={t('reports.window')} className="fu-num">
                      {t('reports.days', { days: formatOneDecimal(a.windowDays) })}
                    </td>
                    <td data-label={t('reports.before')} className="fu-num" data-testid="action-before">
                      {formatCount(a.before)}
                    </td>
                    <td data-label={t('reports.after')} className="fu-num" data-testid="action-after">
                      {formatCount(a.after)}
                    </td>
                    <td data-label={t('reports.change')} className="fu-num">
                      {a.change === null ? '—' : `${a.change > 0 ? '+' : ''}${formatRate(a.change)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ActionWeeks actions={actions} causeName={(a) => nameOf(a.rootCause)} />
        </>
      )}
    </Block>
  );
}

const PHASE_COLORS: Record<CorrectiveActionEffect['weeks'][number]['phase'], string> = { before: '#94a3b8', opening: '#b45309', after: '#0f766e' };

/** Xu hướng theo tuần — the complaints with an action's root cause week by week, the opening week marked; one action at a time. */
function ActionWeeks({ actions, causeName }: { actions: CorrectiveActionEffect[]; causeName: (a: CorrectiveActionEffect) => string }) {
  const { t } = useI18n();
  const [picked, setPicked] = useState(actions[0]?.id ?? '');
  const a = actions.find((x) => x.id === picked) ?? actions[0];
  if (!a) return null;
  const columns: RowDef[] = a.weeks.map((w) => ({ key: w.week, label: bucketLabel(w.week, 'week') }));
  const byWeek = new Map(a.weeks.map((w) => [w.week, w]));
  const opening = a.weeks.find((w) => w.phase === 'opening');
  const weeksBefore = a.weeks.filter((w) => w.phase === 'before').length;
  const last = a.weeks[a.weeks.length - 1];
  const series: SeriesDef[] = (['before', 'opening', 'after'] as const).map((phase) => ({
    key: phase,
    label: t(`reports.phase.${phase}`),
    color: PHASE_COLORS[phase],
  }));
  return (
    <div className="fu-action-weeks" data-testid="action-weeks" data-action={a.id}>
      <h3 className="small-heading">{t('reports.actionWeeks')}</h3>
      <p className="field-hint">{t('reports.actionWeeksIntro', { weeks: weeksBefore })}</p>
      {actions.length > 1 ? (
        <div className="field">
          <label htmlFor="action-weeks-pick">{t('reports.actionWeeksPick')}</label>
          <select id="action-weeks-pick" value={a.id} onChange={(e) => setPicked(e.target.value)} data-testid="action-weeks-pick">
            {actions.map((x) => (
              <option key={x.id} value={x.id}>
                {`${x.title} (${formatDay(x.createdAt)})`}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <StackedColumnChart
        key={a.id}
        title={`${a.title} · ${causeName(a)}`}
        desc={t('reports.actionWeeksDesc', { cause: causeName(a), count: a.weeks.length, title: a.title, date: formatDay(a.createdAt) })}
        columns={columns}
        series={series}
        value={(col, phase) => {
          const w = byWeek.get(col);
          return w && w.phase === phase ? w.count : 0;
        }}
        marker={opening ? { column: opening.week, label: t('reports.openedMarker', { date: formatDay(a.createdAt) }) } : undefined}
        rowHeader={t('reports.bucket.week')}
        height={200}
        testId="chart-action-weeks"
      />
      {last?.partial ? <p className="field-hint">{t('reports.partialWeek')}</p> : null}
    </div>
  );
}

function RepeatCustomersBlock({ summary, period }: { summary: ReportSummary; period: Period }) {
  const { t } = useI18n();
  const r = summary.repeatCustomers;
  return (
    <Block id="repeat-customers" title={t('reports.repeat')} intro={t('reports.repeatIntro')} exports={['repeat-customers']} period={period}>
      <dl className="fu-kpis fu-kpis-small">
        <Kpi label={t('reports.repeatCustomers')} value={formatCount(r.customers)} raw={r.customers} testId="report-repeat-customers" />
        <Kpi label={t('reports.repeatComplaints')} value={formatCount(r.complaints)} raw={r.complaints} testId="report-repeat-complaints" />
      </dl>
      {r.top.length === 0 ? (
        <p className="muted" data-testid="repeat-empty">
          {t('reports.noRepeat')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="queue fu-repeat-table" data-testid="repeat-table">
            <caption className="visually-hidden">{t('reports.repeat')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.customer')}</th>
                <th scope="col">{t('field.phone')}</th>
                <th scope="col">{t('field.email')}</th>
                <th scope="col">{t('reports.complaints')}</th>
                <th scope="col">{t('reports.codes')}</th>
                <th scope="col">{t('reports.firstLast')}</th>
              </tr>
            </thead>
            <tbody>
              {r.top.map((c) => (
                <tr key={c.customerId} data-testid="repeat-row">
                  <td data-label={t('col.customer')} className="cell-subject">
                    {c.name}
                  </td>
                  <td data-label={t('field.phone')}>{c.phone ?? '—'}</td>
                  <td data-label={t('field.email')} className="break">
                    {c.email ?? '—'}
                  </td>
                  <td data-label={t('reports.complaints')}>{formatCount(c.complaints)}</td>
                  <td data-label={t('reports.codes')}>
                    <span className="fu-codes">
                      {c.codes.map((code) => (
                        <Link key={code} to={`/staff/complaints/${encodeURIComponent(code)}`}>
                          {code}
                        </Link>
                      ))}
                    </span>
                  </td>
                  <td data-label={t('reports.firstLast')}>
                    {formatDay(c.firstAt)} – {formatDay(c.lastAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Block>
  );
}

/**
 * Theo nhân viên — each agent's workload now (open, overdue: links to their queue) and, of the complaints received in the
 * period that they hold now, the on-time rates, resolutions, reopen rate and ratings; unassigned last.
 */
function AgentsBlock({ period }: { period: Period }) {
  const { t } = useI18n();
  const [attempt, setAttempt] = useState(0);
  const data = useApiGet<{ agents: AgentFigures[] }>(`/api/v1/reports/agents?${periodQuery(period)}`, attempt);
  const queue = (a: AgentFigures, extra = '') => `/staff?assigneeId=${encodeURIComponent(a.staffId ?? 'none')}${extra}`;
  return (
    <Block id="agents" title={t('reports.agents')} intro={t('reports.agentsIntro')} exports={['agents']} period={period}>
      {data.state === 'loading' ? <p className="loading">{t('common.loading')}</p> : null}
      {data.state === 'failed' ? <LoadFailed error={data.error} onRetry={() => setAttempt((n) => n + 1)} testId="agents-error" /> : null}
      {data.state === 'done' && data.value.agents.length === 0 ? (
        <p className="muted" data-testid="agents-empty">
          {t('reports.agentsNone')}
        </p>
      ) : null}
      {data.state === 'done' && data.value.agents.length ? (
        <div className="table-wrap">
          <table className="queue fu-agents-table" data-testid="agents-table">
            <caption className="visually-hidden">{t('reports.agents')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.agent')}</th>
                <th scope="col">{t('reports.agentOpen')}</th>
                <th scope="col">{t('reports.agentOverdue')}</th>
                <th scope="col">{t('reports.agentReceived')}</th>
                <th scope="col">{t('reports.agentAckRate')}</th>
                <th scope="col">{t('reports.agentResRate')}</th>
                <th scope="col">{t('reports.agentReopenRate')}</th>
                <th scope="col">{t('reports.agentCsat')}</th>
              </tr>
            </thead>
            <tbody>
              {data.value.agents.map((a) => (
                <tr key={a.staffId ?? 'none'} data-testid="agent-row" data-staff={a.staffId ?? 'none'}>
                  <th scope="row" data-label={t('reports.agent')} className="cell-subject">
                    {a.staffId === null ? t('reports.agentNone') : a.name}
                    {a.active ? null : <span className="muted"> {t('reports.agentLeft')}</span>}
                    {a.team ? <div className="muted">{a.team}</div> : null}
                  </th>
                  <td data-label={t('reports.agentOpen')}>
                    <Link to={queue(a)} data-testid="agent-open">
                      {formatCount(a.open)}
                    </Link>
                  </td>
                  <td data-label={t('reports.agentOverdue')}>
                    {a.overdue ? (
                      <Link to={queue(a, '&sla=overdue')} className="fu-overdue" data-testid="agent-overdue">
                        {formatCount(a.overdue)}
                      </Link>
                    ) : (
                      <span data-testid="agent-overdue">0</span>
                    )}
                  </td>
                  <td data-label={t('reports.agentReceived')}>{formatCount(a.received)}</td>
                  <td data-label={t('reports.agentAckRate')}>{formatRate(a.acknowledgement.onTimeRate)}</td>
                  <td data-label={t('reports.agentResRate')}>{formatRate(a.resolution.onTimeRate)}</td>
                  <td data-label={t('reports.agentReopenRate')}>{formatRate(a.reopen.rate)}</td>
                  <td data-label={t('reports.agentCsat')}>
                    {a.csat.average === null ? '—' : t('reports.agentCsatValue', { average: a.csat.average, answered: formatCount(a.csat.answered) })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Block>
  );
}
