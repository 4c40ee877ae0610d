import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, isAbort, request } from '../api';
import { CheckboxField, DateField, ErrorSummary, Notice, SelectField, TextField } from '../components/forms';
import { DateInput } from '../components/date-inputs';
import { isIsoDate } from '../date-text';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError, NO_ERRORS, type FormErrors } from '../errors';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { MAX_YEAR, MIN_YEAR } from '../../../src/domain/calendar';
import { AppError, fieldErrorMessage, type FieldErrorCode } from '../../../src/domain/errors';
import { CALENDAR_DAY_KINDS, SETTINGS_LIMITS, parseCalendarSettings, parseSlaPolicy } from '../../../src/domain/settings';
import type {
  CalendarDayView,
  CalendarProfile,
  CalendarSettings,
  CalendarSettingsResponse,
  CalendarYearView,
  SlaPolicy,
  SlaPolicyResponse,
  WorkingTimeMode,
} from '../types';

const PROFILES: readonly CalendarProfile[] = ['public-sector', 'company'];
const MODES: readonly WorkingTimeMode[] = ['business-hours', 'calendar-hours-on-working-days'];
/** Monday first, as Vietnamese calendars are printed; values are JS weekdays (0 = Sunday). */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];
const VN_OFFSET_MS = 7 * 3_600_000;

/** The current year in Asia/Ho_Chi_Minh, whatever the browser's zone. */
function currentVietnamYear(): number {
  return new Date(Date.now() + VN_OFFSET_MS).getUTCFullYear();
}

let nextKey = 1;
const newKey = () => nextKey++;

interface IntervalDraft {
  key: number;
  start: string;
  end: string;
}
interface DatedDraft {
  key: number;
  date: string;
  note: string;
}
interface CalendarDraft {
  profile: CalendarProfile;
  hours: IntervalDraft[][];
  saturdayMorning: boolean;
  daysOff: DatedDraft[];
  workingDays: DatedDraft[];
}
interface SlaDraft {
  ack: string;
  next: string;
  resolution: string;
  negotiation: string;
  mode: WorkingTimeMode;
  pause: boolean;
  reminders: Array<{ key: number; percent: string }>;
  reassign: boolean;
}

function calendarDraftOf(s: CalendarSettings): CalendarDraft {
  return {
    profile: s.profile,
    hours: s.businessHours.map((day) => day.map(([start, end]) => ({ key: newKey(), start, end }))),
    saturdayMorning: s.saturdayMorning,
    daysOff: s.extraDaysOff.map((d) => ({ key: newKey(), ...d })),
    workingDays: s.extraWorkingDays.map((d) => ({ key: newKey(), ...d })),
  };
}

function calendarBody(d: CalendarDraft): CalendarSettings {
  return {
    profile: d.profile,
    businessHours: d.hours.map((day) => day.map((i): [string, string] => [i.start, i.end])),
    saturdayMorning: d.saturdayMorning,
    extraDaysOff: d.daysOff.map(({ date, note }) => ({ date, note })),
    extraWorkingDays: d.workingDays.map(({ date, note }) => ({ date, note })),
  };
}

function percentOf(fraction: number): string {
  return String(Math.round(fraction * 10_000) / 100);
}

function slaDraftOf(p: SlaPolicy): SlaDraft {
  return {
    ack: String(p.acknowledgementWorkingHours),
    next: String(p.nextResponseWorkingHours),
    resolution: String(p.resolutionWorkingDays),
    negotiation: String(p.negotiationWorkingDays),
    mode: p.workingTimeMode,
    pause: p.pauseWhileAwaitingCustomer,
    reminders: p.reminderFractions.map((f) => ({ key: newKey(), percent: percentOf(f) })),
    reassign: p.reassignOnBreach,
  };
}

/** An empty input is sent as a missing field, so the parser says "required" rather than "wrong type". */
function numberOrMissing(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

function slaBody(d: SlaDraft): Record<string, unknown> {
  return {
    acknowledgementWorkingHours: numberOrMissing(d.ack),
    nextResponseWorkingHours: numberOrMissing(d.next),
    resolutionWorkingDays: numberOrMissing(d.resolution),
    negotiationWorkingDays: numberOrMissing(d.negotiation),
    workingTimeMode: d.mode,
    pauseWhileAwaitingCustomer: d.pause,
    reminderFractions: d.reminders.map((r) => (r.percent.trim() === '' ? Number.NaN : Number(r.percent) / 100)),
    reassignOnBreach: d.reassign,
  };
}

interface Problem {
  field: string;
  code?: string;
  message?: string;
}

/** Where a field path of the calendar settings is edited, and how to name it in the error summary. */
function calendarTarget(field: string, code: string | undefined, t: I18n['t']): { id: string; context?: string } | null {
  let m = /^businessHours\[(\d)\]\[(\d+)\](?:\[([01])\])?$/.exec(field);
  if (m) {
    const [wd, i] = [Number(m[1]), Number(m[2])];
    const atEnd = m[3] === '1' || (m[3] === undefined && code === 'end_before_start');
    return {
      id: `bh-${wd}-${i}-${atEnd ? 'end' : 'start'}`,
      context: `${t(`weekday.${wd}` as MessageKey)}, ${t('cal.interval', { n: i + 1 })}`,
    };
  }
  m = /^businessHours\[(\d)\]$/.exec(field);
  if (m) return { id: `bh-${m[1]}-add`, context: t(`weekday.${m[1]}` as MessageKey) };
  if (field === 'businessHours') return { id: 'bh-1-add' };
  m = /^(extraDaysOff|extraWorkingDays)(?:\[(\d+)\](?:\.(date|note))?)?$/.exec(field);
  if (m) {
    const list = m[1] === 'extraDaysOff' ? 'off' : 'work';
    const title = t(list === 'off' ? 'cal.daysOff' : 'cal.workingDays');
    if (m[2] === undefined) return { id: `${list}-new-date`, context: title };
    return { id: `${list}-${m[2]}-${m[3] ?? 'date'}`, context: `${title} ${Number(m[2]) + 1}` };
  }
  if (field === 'profile') return { id: 'cal-profile', context: t('cal.profile') };
  if (field === 'saturdayMorning') return { id: 'cal-saturday-morning' };
  return null;
}

/** Each SLA field's input and the label that names it in the error summary. */
const SLA_IDS: Record<string, [id: string, label: MessageKey]> = {
  acknowledgementWorkingHours: ['sla-ack', 'sla.ack'],
  nextResponseWorkingHours: ['sla-next', 'sla.next'],
  resolutionWorkingDays: ['sla-resolution', 'sla.resolution'],
  negotiationWorkingDays: ['sla-negotiation', 'sla.negotiation'],
  workingTimeMode: ['sla-mode-business-hours', 'sla.mode'],
  pauseWhileAwaitingCustomer: ['sla-pause', 'sla.pause'],
  reassignOnBreach: ['sla-reassign', 'sla.reassign'],
  reminderFractions: ['sla-reminder-add', 'sla.reminders'],
};

function slaTarget(field: string, _code: string | undefined, t: I18n['t']): { id: string; context?: string } | null {
  const m = /^reminderFractions\[(\d+)\]$/.exec(field);
  if (m) return { id: `sla-reminder-${m[1]}`, context: t('sla.reminder', { n: Number(m[1]) + 1 }) };
  const hit = SLA_IDS[field];
  return hit ? { id: hit[0], context: t(hit[1]) } : null;
}

/** A form's errors twice: plain next to each input, and named ("Thứ Hai, khoảng giờ 1: …") in the summary. */
interface PageErrors {
  inline: FormErrors;
  summary: FormErrors;
}

const NO_PAGE_ERRORS: PageErrors = { inline: NO_ERRORS, summary: NO_ERRORS };

type Target = (field: string, code: string | undefined, t: I18n['t']) => { id: string; context?: string } | null;

/** Puts field problems next to their inputs (first problem per input wins); the rest go to the summary only. */
function toPageErrors(problems: Problem[], lang: 'vi' | 'en', t: I18n['t'], target: Target): PageErrors {
  const inline: FormErrors = { fields: {}, general: [] };
  const summary: FormErrors = { fields: {}, general: [] };
  for (const p of problems) {
    const text = p.message || (p.code ? fieldErrorMessage(p.code as FieldErrorCode, lang) : '') || t('error.generic');
    const where = target(p.field, p.code, t);
    const named = where?.context ? `${where.context}: ${text}` : text;
    if (where && !inline.fields[where.id]) {
      inline.fields[where.id] = text;
      summary.fields[where.id] = named;
    } else summary.general.push(named);
  }
  return { inline, summary };
}

/** Runs the domain's own parser in the browser, so the form refuses exactly what the API would. */
function localProblems(run: () => unknown): Problem[] {
  try {
    run();
    return [];
  } catch (err) {
    if (err instanceof AppError) return err.details.fields ?? [];
    throw err;
  }
}

type PageErrorsIn = (lang: 'vi' | 'en', t: I18n['t']) => PageErrors;

/** Like useFormErrors: errors kept as how to word them, so a language switch re-words them. */
function usePageErrors(): [PageErrors, (next: PageErrorsIn | null) => void] {
  const { lang, t } = useI18n();
  const [errorsIn, setErrorsIn] = useState<PageErrorsIn | null>(null);
  const errors = useMemo(() => (errorsIn ? errorsIn(lang, t) : NO_PAGE_ERRORS), [errorsIn, lang, t]);
  const set = useCallback((next: PageErrorsIn | null) => setErrorsIn(() => next), []);
  return [errors, set];
}

function apiPageErrors(err: unknown, lang: 'vi' | 'en', t: I18n['t'], target: Target): PageErrors {
  if (err instanceof ApiError && err.fields.length) return toPageErrors(err.fields, lang, t, target);
  return { inline: NO_ERRORS, summary: { fields: {}, general: [describeError(err, t)] } };
}

/** Lịch làm việc — admins edit the working calendar and the SLA policy, and see a year day by day. */
export function AdminCalendarPage() {
  return (
    <StaffLayout>
      <AdminCalendar />
    </StaffLayout>
  );
}

function AdminCalendar() {
  const { t } = useI18n();
  useTitle(t('admin.calendar.title'));
  const { session } = useSession();
  // Bumped after the calendar is saved, so the year view shows the new settings.
  const [calendarVersion, setCalendarVersion] = useState(0);

  if (session && session.user.role !== 'admin') {
    return (
      <>
        <div className="page-head">
          <h1>{t('admin.calendar.title')}</h1>
        </div>
        <Notice kind="error" testId="admins-only">
          {t('admin.adminsOnly')}
        </Notice>
      </>
    );
  }

  return (
    <>
      <div className="page-head">
        <h1>{t('admin.calendar.title')}</h1>
        <p className="lead">{t('admin.calendar.intro')}</p>
      </div>
      <YearSection version={calendarVersion} />
      <CalendarSettingsForm onSaved={() => setCalendarVersion((v) => v + 1)} />
      <SlaPolicyForm />
    </>
  );
}

// ---------- the year, month by month ----------

type YearState = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'done'; view: CalendarYearView };

function YearSection({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const [yearText, setYearText] = useState(() => String(currentVietnamYear()));
  const [year, setYear] = useState(currentVietnamYear);
  const [data, setData] = useState<YearState>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setData({ state: 'loading' });
    api
      .get<CalendarYearView>(`/api/v1/admin/calendar/years/${year}`, { signal: controller.signal })
      .then((view) => setData({ state: 'done', view }))
      .catch((error: unknown) => {
        if (!isAbort(error)) setData({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [year, version, attempt]);

  const yearValid = /^\d{4}$/.test(yearText.trim()) && Number(yearText) >= MIN_YEAR && Number(yearText) <= MAX_YEAR;

  function pick(text: string) {
    setYearText(text);
    const n = Number(text.trim());
    if (/^\d{4}$/.test(text.trim()) && n >= MIN_YEAR && n <= MAX_YEAR) setYear(n);
  }

  function step(delta: number) {
    const n = Math.min(MAX_YEAR, Math.max(MIN_YEAR, year + delta));
    setYearText(String(n));
    setYear(n);
  }

  const view = data.state === 'done' ? data.view : null;
  return (
    <section className="card" aria-labelledby="year-heading">
      <h2 id="year-heading">{t('year.section')}</h2>
      <p className="field-hint">{t('year.hint')}</p>
      <div className="year-picker">
        <button type="button" className="btn btn-ghost btn-small" onClick={() => step(-1)} disabled={year <= MIN_YEAR} data-testid="year-previous">
          <span aria-hidden="true">←</span> <span className="year-step-text">{t('year.previous')}</span>
        </button>
        <TextField
          id="year"
          label={t('year.label')}
          type="number"
          inputMode="numeric"
          min={MIN_YEAR}
          max={MAX_YEAR}
          step={1}
          value={yearText}
          onChange={(e) => pick(e.target.value)}
          error={yearValid ? undefined : t('year.invalid', { min: MIN_YEAR, max: MAX_YEAR })}
          data-testid="year-picker"
        />
        <button type="button" className="btn btn-ghost btn-small" onClick={() => step(1)} disabled={year >= MAX_YEAR} data-testid="year-next">
          <span className="year-step-text">{t('year.next')}</span> <span aria-hidden="true">→</span>
        </button>
      </div>

      <div aria-live="polite" aria-busy={data.state === 'loading'}>
        {data.state === 'loading' ? <p className="loading">{t('common.loading')}</p> : null}
        {data.state === 'failed' ? (
          <Notice kind="error" testId="year-error">
            {describeError(data.error, t)}{' '}
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setAttempt((a) => a + 1)}>
              {t('common.retry')}
            </button>
          </Notice>
        ) : null}
        {view ? (
          view.provisional ? (
            <div className="notice notice-warning" role="note" data-testid="provisional-banner">
              <strong>{t('year.provisional')}</strong> {t('year.provisionalHint')}
            </div>
          ) : (
            <p className="muted" data-testid="official-year">
              {t('year.official')} · {t('year.workingDays', { count: countWorking(view) })}
            </p>
          )
        ) : null}
      </div>

      {view ? (
        <>
          <Legend />
          <div className="months" data-testid="year-view" data-year={view.year}>
            {view.months.map((m) => (
              <MonthGrid key={m.month} year={view.year} month={m.month} days={m.days} lang={lang} />
            ))}
          </div>
          <SpecialDays view={view} />
        </>
      ) : null}
    </section>
  );
}

function countWorking(view: CalendarYearView): number {
  return view.months.reduce((n, m) => n + m.days.filter((d) => d.working).length, 0);
}

function Legend() {
  const { t } = useI18n();
  return (
    <div className="legend">
      <h3 className="small-heading" id="legend-heading">
        {t('year.legend')}
      </h3>
      <ul aria-labelledby="legend-heading" data-testid="legend">
        {CALENDAR_DAY_KINDS.map((k) => (
          <li key={k}>
            <span className={`legend-swatch day-${k}`} aria-hidden="true" />
            {t(`dayKind.${k}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function monthName(year: number, month: number, lang: 'vi' | 'en'): string {
  const text = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

function dayDescription(day: CalendarDayView, t: I18n['t'], lang: 'vi' | 'en'): string {
  const parts = [`${t(`weekday.${day.weekday}` as MessageKey)} ${formatDate(day.date)}`, t(`dayKind.${day.kind}`)];
  const name = lang === 'en' ? day.nameEn ?? day.name : day.name;
  if (name) parts.push(name);
  parts.push(day.hours.length ? t('year.hours', { hours: day.hours.map(([s, e]) => `${s}–${e}`).join(', ') }) : t('year.dayOff'));
  return parts.join(' · ');
}

function MonthGrid({ year, month, days, lang }: { year: number; month: number; days: CalendarDayView[]; lang: 'vi' | 'en' }) {
  const { t } = useI18n();
  const weeks = useMemo(() => {
    const cells: Array<CalendarDayView | null> = Array.from({ length: (days[0].weekday + 6) % 7 }, () => null);
    cells.push(...days);
    while (cells.length % 7) cells.push(null);
    const rows: Array<Array<CalendarDayView | null>> = [];
    for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
    return rows;
  }, [days]);
  const name = monthName(year, month, lang);
  return (
    <table className="month" data-testid={`month-${month}`}>
      <caption>{name}</caption>
      <thead>
        <tr>
          {WEEK_ORDER.map((wd) => (
            <th key={wd} scope="col" abbr={t(`weekday.${wd}` as MessageKey)}>
              {t(`weekdayShort.${wd}` as MessageKey)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, wi) => (
          <tr key={wi}>
            {week.map((day, di) =>
              day ? (
                <td
                  key={day.date}
                  className={`day day-${day.kind}`}
                  data-testid={`day-${day.date}`}
                  data-kind={day.kind}
                  data-working={day.working}
                  title={dayDescription(day, t, lang)}
                >
                  <span aria-hidden="true">{Number(day.date.slice(8))}</span>
                  <span className="visually-hidden">{dayDescription(day, t, lang)}</span>
                </td>
              ) : (
                <td key={`empty-${di}`} className="day-empty" />
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The year's non-ordinary days as a list: names readable on a phone, where there is no hover. */
function SpecialDays({ view }: { view: CalendarYearView }) {
  const { t, lang } = useI18n();
  const special = view.months.flatMap((m) => m.days).filter((d) => d.kind !== 'working' && d.kind !== 'weekend');
  return (
    <details className="special-days" data-testid="special-days">
      <summary>{t('year.specialDays', { count: special.length })}</summary>
      {special.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('year.colDate')}</th>
                <th scope="col">{t('year.colKind')}</th>
                <th scope="col">{t('year.colName')}</th>
              </tr>
            </thead>
            <tbody>
              {special.map((d) => (
                <tr key={d.date}>
                  <td>
                    {t(`weekdayShort.${d.weekday}` as MessageKey)} {formatDate(d.date)}
                  </td>
                  <td>
                    <span className={`legend-swatch day-${d.kind}`} aria-hidden="true" /> {t(`dayKind.${d.kind}`)}
                  </td>
                  <td lang={lang === 'en' && d.nameEn ? 'en' : 'vi'}>{(lang === 'en' ? d.nameEn ?? d.name : d.name) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t('year.noSpecialDays')}</p>
      )}
    </details>
  );
}

// ---------- the working calendar form ----------

type Loaded<T> = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'done'; value: T };

function CalendarSettingsForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<Loaded<true>>({ state: 'loading' });
  const [draft, setDraft] = useState<CalendarDraft | null>(null);
  const [pageErrors, setErrors] = usePageErrors();
  const errors = pageErrors.inline;
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<number | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api
      .get<CalendarSettingsResponse>('/api/v1/admin/calendar', { signal: controller.signal })
      .then((r) => {
        setDraft(calendarDraftOf(r.settings));
        setLoaded({ state: 'done', value: true });
      })
      .catch((error: unknown) => {
        if (!isAbort(error)) setLoaded({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [attempt]);

  if (loaded.state !== 'done' || !draft) {
    return (
      <section className="card" aria-labelledby="cal-heading">
        <h2 id="cal-heading">{t('cal.section')}</h2>
        {loaded.state === 'failed' ? (
          <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} testId="calendar-load-error" />
        ) : (
          <p className="loading">{t('common.loading')}</p>
        )}
      </section>
    );
  }

  const update = (patch: Partial<CalendarDraft>) => {
    setDraft({ ...draft, ...patch });
    setResult(null);
  };
  const setDay = (wd: number, intervals: IntervalDraft[]) => update({ hours: draft.hours.map((d, i) => (i === wd ? intervals : d)) });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !draft) return;
    const body = calendarBody(draft);
    const local = localProblems(() => parseCalendarSettings(body));
    if (local.length) {
      setErrors((l, tr) => toPageErrors(local, l, tr, calendarTarget));
      setResult(null);
      return;
    }
    setSaving(true);
    setErrors(null);
    try {
      const r = await request<CalendarSettingsResponse>('PUT', '/api/v1/admin/calendar', { body });
      setDraft(calendarDraftOf(r.settings));
      setResult(r.recomputed ?? 0);
      onSaved();
    } catch (err) {
      setErrors((l, tr) => apiPageErrors(err, l, tr, calendarTarget));
      setResult(null);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby="cal-heading">
      <h2 id="cal-heading">{t('cal.section')}</h2>
      <form onSubmit={submit} noValidate data-testid="calendar-form">
        <ErrorSummary errors={pageErrors.summary} />
        <SelectField
          id="cal-profile"
          label={t('cal.profile')}
          hint={t('cal.profileHint')}
          value={draft.profile}
          onChange={(e) => update({ profile: e.target.value as CalendarProfile })}
          error={errors.fields['cal-profile']}
          data-testid="calendar-profile"
        >
          {PROFILES.map((p) => (
            <option key={p} value={p}>
              {t(`profile.${p}`)}
            </option>
          ))}
        </SelectField>

        <fieldset className="week-hours">
          <legend>{t('cal.hours')}</legend>
          <p className="field-hint">{t('cal.hoursHint')}</p>
          {WEEK_ORDER.map((wd) => (
            <DayHours
              key={wd}
              weekday={wd}
              intervals={draft.hours[wd] ?? []}
              onChange={(list) => setDay(wd, list)}
              errors={errors.fields}
            />
          ))}
        </fieldset>

        <CheckboxField
          id="cal-saturday-morning"
          label={t('cal.saturdayMorning')}
          checked={draft.saturdayMorning}
          onChange={(checked) => update({ saturdayMorning: checked })}
          error={errors.fields['cal-saturday-morning']}
        />

        <DatedList
          list="off"
          title={t('cal.daysOff')}
          hint={t('cal.daysOffHint')}
          addLabel={t('cal.addDayOff')}
          items={draft.daysOff}
          onChange={(daysOff) => update({ daysOff })}
          errors={errors.fields}
        />
        <DatedList
          list="work"
          title={t('cal.workingDays')}
          hint={t('cal.workingDaysHint')}
          addLabel={t('cal.addWorkingDay')}
          items={draft.workingDays}
          onChange={(workingDays) => update({ workingDays })}
          errors={errors.fields}
        />

        <p className="field-hint">{t('admin.unsavedHint')}</p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="save-calendar">
            {saving ? t('common.saving') : t('cal.save')}
          </button>
        </div>
        <div aria-live="polite">
          {result !== null ? (
            <Notice kind="success" testId="calendar-result">
              {t('admin.saved', { count: result })}
            </Notice>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function LoadFailed({ error, onRetry, testId }: { error: unknown; onRetry: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <Notice kind="error" testId={testId}>
      {t('admin.loadFailed')} {describeError(error, t)}{' '}
      <button type="button" className="btn btn-secondary btn-small" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </Notice>
  );
}

function FieldErrorText({ id, errors }: { id: string; errors: Record<string, string> }) {
  return errors[id] ? (
    <p className="field-error" id={`${id}-error`} data-testid={`error-${id}`}>
      {errors[id]}
    </p>
  ) : null;
}

function DayHours({
  weekday,
  intervals,
  onChange,
  errors,
}: {
  weekday: number;
  intervals: IntervalDraft[];
  onChange: (list: IntervalDraft[]) => void;
  errors: Record<string, string>;
}) {
  const { t } = useI18n();
  const dayName = t(`weekday.${weekday}` as MessageKey);
  const addRef = useRef<HTMLButtonElement>(null);

  function add() {
    const last = intervals[intervals.length - 1];
    // Suggest the usual morning, then the usual afternoon; past that the admin types the times.
    let next = { start: '', end: '' };
    if (!last) next = { start: '08:00', end: '12:00' };
    else if (last.end && last.end <= '13:00') next = { start: '13:00', end: '17:00' };
    onChange([...intervals, { key: newKey(), ...next }]);
  }

  function remove(index: number) {
    onChange(intervals.filter((_, i) => i !== index));
    // Focus would be lost with the removed row; the add button is always there.
    addRef.current?.focus();
  }

  const setAt = (index: number, patch: Partial<IntervalDraft>) =>
    onChange(intervals.map((it, i) => (i === index ? { ...it, ...patch } : it)));

  return (
    <div className="day-hours" role="group" aria-labelledby={`bh-${weekday}-label`} data-testid={`hours-${weekday}`}>
      <div className="day-hours-name" id={`bh-${weekday}-label`}>
        {dayName}
        {intervals.length === 0 ? <span className="muted"> — {t('cal.noHours')}</span> : null}
      </div>
      <div className="day-hours-list">
        {intervals.map((it, i) => {
          const startId = `bh-${weekday}-${i}-start`;
          const endId = `bh-${weekday}-${i}-end`;
          const n = i + 1;
          return (
            <div className="interval" key={it.key}>
              <div className={errors[startId] ? 'interval-field field-invalid' : 'interval-field'}>
                <label htmlFor={startId}>
                  {t('cal.from')}
                  <span className="visually-hidden"> ({dayName}, {t('cal.interval', { n })})</span>
                </label>
                <input
                  id={startId}
                  type="time"
                  step={60}
                  value={it.start}
                  onChange={(e) => setAt(i, { start: e.target.value })}
                  aria-invalid={errors[startId] ? true : undefined}
                  aria-describedby={errors[startId] ? `${startId}-error` : undefined}
                  data-testid={startId}
                />
              </div>
              <div className={errors[endId] ? 'interval-field field-invalid' : 'interval-field'}>
                <label htmlFor={endId}>
                  {t('cal.to')}
                  <span className="visually-hidden"> ({dayName}, {t('cal.interval', { n })})</span>
                </label>
                <input
                  id={endId}
                  type="time"
                  step={60}
                  value={it.end}
                  onChange={(e) => setAt(i, { end: e.target.value })}
                  aria-invalid={errors[endId] ? true : undefined}
                  aria-describedby={errors[endId] ? `${endId}-error` : undefined}
                  data-testid={endId}
                />
              </div>
              <button
                type="button"
                className="btn btn-danger btn-small"
                onClick={() => remove(i)}
                aria-label={t('cal.removeInterval', { n, day: dayName })}
                data-testid={`bh-${weekday}-${i}-remove`}
              >
                {t('admin.remove')}
              </button>
              <FieldErrorText id={startId} errors={errors} />
              <FieldErrorText id={endId} errors={errors} />
            </div>
          );
        })}
        <button
          type="button"
          ref={addRef}
          id={`bh-${weekday}-add`}
          className="btn btn-ghost btn-small"
          onClick={add}
          disabled={intervals.length >= SETTINGS_LIMITS.maxIntervalsPerDay}
          aria-label={t('cal.addIntervalFor', { day: dayName })}
          aria-describedby={errors[`bh-${weekday}-add`] ? `bh-${weekday}-add-error` : undefined}
          data-testid={`bh-${weekday}-add`}
        >
          + {t('cal.addInterval')}
        </button>
        <FieldErrorText id={`bh-${weekday}-add`} errors={errors} />
      </div>
    </div>
  );
}

function DatedList({
  list,
  title,
  hint,
  addLabel,
  items,
  onChange,
  errors,
}: {
  list: 'off' | 'work';
  title: string;
  hint: string;
  addLabel: string;
  items: DatedDraft[];
  onChange: (items: DatedDraft[]) => void;
  errors: Record<string, string>;
}) {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [note, setNote] = useState('');
  const [addError, setAddError] = useState<MessageKey | null>(null);
  const newDateId = `${list}-new-date`;
  const focusNewDate = () => document.getElementById(newDateId)?.focus();
  const dateError = addError ? t(addError) : errors[newDateId];

  function add() {
    // A date field holds what was typed when it is not a date (DateInput).
    if (!isIsoDate(date)) {
      setAddError('cal.dateRequired');
      focusNewDate();
      return;
    }
    if (items.some((d) => d.date === date)) {
      setAddError('cal.dateListed');
      focusNewDate();
      return;
    }
    const next = [...items, { key: newKey(), date, note: note.trim() }].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    onChange(next);
    setDate('');
    setNote('');
    setAddError(null);
    focusNewDate();
  }

  return (
    <fieldset className="dated-list" data-testid={`${list}-list`}>
      <legend>{title}</legend>
      <p className="field-hint">{hint}</p>
      {items.length ? (
        <ul className="dated-items">
          {items.map((d, i) => {
            const dateId = `${list}-${i}-date`;
            const noteId = `${list}-${i}-note`;
            return (
              <li key={d.key} className="dated-item" data-testid={`${list}-item`} data-date={d.date}>
                <DateInput
                  id={dateId}
                  aria-label={`${t('cal.date')} ${i + 1}`}
                  value={d.date}
                  onValue={(date) => onChange(items.map((x, j) => (j === i ? { ...x, date } : x)))}
                  aria-invalid={errors[dateId] ? true : undefined}
                  aria-describedby={errors[dateId] ? `${dateId}-error` : undefined}
                />
                <input
                  id={noteId}
                  type="text"
                  maxLength={SETTINGS_LIMITS.maxNoteLength}
                  aria-label={`${t('cal.note')} ${i + 1}`}
                  value={d.note}
                  onChange={(e) => onChange(items.map((x, j) => (j === i ? { ...x, note: e.target.value } : x)))}
                  aria-invalid={errors[noteId] ? true : undefined}
                  aria-describedby={errors[noteId] ? `${noteId}-error` : undefined}
                />
                <button
                  type="button"
                  className="btn btn-danger btn-small"
                  onClick={() => {
                    onChange(items.filter((_, j) => j !== i));
                    focusNewDate();
                  }}
                  aria-label={t('cal.removeDay', { date: formatDate(d.date || '----') })}
                  data-testid={`${list}-remove-${d.date}`}
                >
                  {t('admin.remove')}
                </button>
                <FieldErrorText id={dateId} errors={errors} />
                <FieldErrorText id={noteId} errors={errors} />
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted">{t('cal.noDays')}</p>
      )}
      <div className="dated-add">
        <DateField
          id={newDateId}
          label={t('cal.date')}
          min={`${MIN_YEAR}-01-01`}
          max={`${MAX_YEAR}-12-31`}
          value={date}
          onValue={(v) => {
            setDate(v);
            setAddError(null);
          }}
          error={dateError}
          data-testid={`${list}-new-date`}
        />
        <TextField
          id={`${list}-new-note`}
          label={t('cal.note')}
          optional
          maxLength={SETTINGS_LIMITS.maxNoteLength}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            // Enter in the note adds the day rather than submitting the whole form.
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          data-testid={`${list}-new-note`}
        />
        <button type="button" className="btn btn-secondary" onClick={add} data-testid={`${list}-add`}>
          + {addLabel}
        </button>
      </div>
    </fieldset>
  );
}

// ---------- the SLA policy form ----------

function SlaPolicyForm() {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<Loaded<true>>({ state: 'loading' });
  const [draft, setDraft] = useState<SlaDraft | null>(null);
  const [pageErrors, setErrors] = usePageErrors();
  const errors = pageErrors.inline;
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<number | null>(null);
  const [attempt, setAttempt] = useState(0);
  const addRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api
      .get<SlaPolicyResponse>('/api/v1/admin/sla-policy', { signal: controller.signal })
      .then((r) => {
        setDraft(slaDraftOf(r.policy));
        setLoaded({ state: 'done', value: true });
      })
      .catch((error: unknown) => {
        if (!isAbort(error)) setLoaded({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [attempt]);

  if (loaded.state !== 'done' || !draft) {
    return (
      <section className="card" aria-labelledby="sla-heading">
        <h2 id="sla-heading">{t('sla.section')}</h2>
        {loaded.state === 'failed' ? (
          <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} testId="sla-load-error" />
        ) : (
          <p className="loading">{t('common.loading')}</p>
        )}
      </section>
    );
  }

  const update = (patch: Partial<SlaDraft>) => {
    setDraft({ ...draft, ...patch });
    setResult(null);
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !draft) return;
    const body = slaBody(draft);
    const empty = draft.reminders.flatMap((r, i) => (r.percent.trim() === '' ? [{ field: `reminderFractions[${i}]`, code: 'required' }] : []));
    const local = [...empty, ...localProblems(() => parseSlaPolicy(body)).filter((p) => !empty.some((e) => e.field === p.field))];
    if (local.length) {
      setErrors((l, tr) => toPageErrors(local, l, tr, slaTarget));
      setResult(null);
      return;
    }
    setSaving(true);
    setErrors(null);
    try {
      const r = await request<SlaPolicyResponse>('PUT', '/api/v1/admin/sla-policy', { body });
      setDraft(slaDraftOf(r.policy));
      setResult(r.recomputed ?? 0);
    } catch (err) {
      setErrors((l, tr) => apiPageErrors(err, l, tr, slaTarget));
      setResult(null);
    } finally {
      setSaving(false);
    }
  }

  const L = SETTINGS_LIMITS;
  return (
    <section className="card" aria-labelledby="sla-heading">
      <h2 id="sla-heading">{t('sla.section')}</h2>
      <p className="field-hint">{t('sla.intro')}</p>
      <form onSubmit={submit} noValidate data-testid="sla-form">
        <ErrorSummary errors={pageErrors.summary} />
        <fieldset>
          <legend>{t('sla.targets')}</legend>
          <div className="grid-2">
            <TextField
              id="sla-ack"
              label={t('sla.ack')}
              hint={t('sla.ackHint')}
              type="number"
              inputMode="decimal"
              min={0}
              max={L.maxWorkingHours}
              step="any"
              required
              value={draft.ack}
              onChange={(e) => update({ ack: e.target.value })}
              error={errors.fields['sla-ack']}
            />
            <TextField
              id="sla-next"
              label={t('sla.next')}
              hint={t('sla.nextHint')}
              type="number"
              inputMode="decimal"
              min={0}
              max={L.maxWorkingHours}
              step="any"
              required
              value={draft.next}
              onChange={(e) => update({ next: e.target.value })}
              error={errors.fields['sla-next']}
            />
            <TextField
              id="sla-resolution"
              label={t('sla.resolution')}
              hint={t('sla.resolutionHint')}
              type="number"
              inputMode="numeric"
              min={1}
              max={L.maxWorkingDays}
              step={1}
              required
              value={draft.resolution}
              onChange={(e) => update({ resolution: e.target.value })}
              error={errors.fields['sla-resolution']}
            />
            <TextField
              id="sla-negotiation"
              label={t('sla.negotiation')}
              hint={t('sla.negotiationHint')}
              type="number"
              inputMode="numeric"
              min={1}
              max={L.maxNegotiationWorkingDays}
              step={1}
              required
              value={draft.negotiation}
              onChange={(e) => update({ negotiation: e.target.value })}
              error={errors.fields['sla-negotiation']}
            />
          </div>
        </fieldset>

        <fieldset className="radio-group" data-testid="sla-mode">
          <legend>{t('sla.mode')}</legend>
          {MODES.map((m) => {
            const id = `sla-mode-${m}`;
            return (
              <div className="radio-option" key={m}>
                <input
                  type="radio"
                  id={id}
                  name="sla-mode"
                  value={m}
                  checked={draft.mode === m}
                  onChange={() => update({ mode: m })}
                  aria-describedby={`${id}-hint`}
                />
                <label htmlFor={id}>
                  <strong>{t(`mode.${m}`)}</strong>
                  <span className="field-hint" id={`${id}-hint`}>
                    {t(`mode.${m}.hint`)}
                  </span>
                </label>
              </div>
            );
          })}
          <FieldErrorText id="sla-mode-business-hours" errors={errors.fields} />
        </fieldset>

        <CheckboxField
          id="sla-pause"
          label={
            <>
              {t('sla.pause')}
              <span className="field-hint">{t('sla.pauseHint')}</span>
            </>
          }
          checked={draft.pause}
          onChange={(pause) => update({ pause })}
          error={errors.fields['sla-pause']}
        />

        <fieldset data-testid="sla-reminders">
          <legend>{t('sla.reminders')}</legend>
          <p className="field-hint">{t('sla.remindersHint')}</p>
          {draft.reminders.length === 0 ? <p className="muted">{t('sla.noReminders')}</p> : null}
          <div className="reminders">
            {draft.reminders.map((r, i) => {
              const id = `sla-reminder-${i}`;
              return (
                <div className="reminder" key={r.key}>
                  <TextField
                    id={id}
                    label={t('sla.reminder', { n: i + 1 })}
                    type="number"
                    inputMode="decimal"
                    min={1}
                    max={99}
                    step="any"
                    value={r.percent}
                    onChange={(e) => update({ reminders: draft.reminders.map((x, j) => (j === i ? { ...x, percent: e.target.value } : x)) })}
                    error={errors.fields[id]}
                    data-testid={id}
                  />
                  <button
                    type="button"
                    className="btn btn-danger btn-small"
                    onClick={() => {
                      update({ reminders: draft.reminders.filter((_, j) => j !== i) });
                      addRef.current?.focus();
                    }}
                    aria-label={t('sla.removeReminder', { n: i + 1 })}
                  >
                    {t('admin.remove')}
                  </button>
                </div>
              );
            })}
          </div>
          <button
            type="button"
            id="sla-reminder-add"
            ref={addRef}
            className="btn btn-ghost btn-small"
            disabled={draft.reminders.length >= L.maxReminderFractions}
            onClick={() => update({ reminders: [...draft.reminders, { key: newKey(), percent: '' }] })}
            data-testid="sla-reminder-add"
          >
            + {t('sla.addReminder')}
          </button>
          <FieldErrorText id="sla-reminder-add" errors={errors.fields} />
        </fieldset>

        <CheckboxField
          id="sla-reassign"
          label={t('sla.reassign')}
          checked={draft.reassign}
          onChange={(reassign) => update({ reassign })}
          error={errors.fields['sla-reassign']}
        />

        <p className="field-hint">{t('admin.unsavedHint')}</p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="save-sla">
            {saving ? t('common.saving') : t('sla.save')}
          </button>
        </div>
        <div aria-live="polite">
          {result !== null ? (
            <Notice kind="success" testId="sla-result">
              {t('admin.saved', { count: result })}
            </Notice>
          ) : null}
        </div>
      </form>
    </section>
  );
}
