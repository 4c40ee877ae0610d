import { QUEUE_FILTER_KEYS } from '../../../src/domain/vocabulary';
import { SavedViews } from '../components/saved-views';
import { RowViewers } from '../components/presence';
import { RowReminder } from '../components/reminders';
import { focusById, useShortcuts } from '../shortcuts';
import { can } from '../../../src/policies';
import { useEffect, useState, type FormEvent, type MouseEvent } from 'react';
import { api, isAbort } from '../api';
import { PriorityBadge, StatusBadge } from '../components/badges';
import { BULK_RESULT_ID, BulkAssignBar, BulkResult, mayAssign, RowCheckbox, SELECT_ALL_ID, SelectAllCheckbox } from '../components/bulk-assign';
import { QueueDeadline } from '../components/clocks';
import { Notice } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import { VulnerableBadge } from '../components/vulnerability';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import {
  CHANNELS,
  OPEN_STATUSES,
  PRIORITIES,
  STATUSES,
  type BulkAssignAnswer,
  type Category,
  type ComplaintPage,
  type ComplaintSummary,
  type ListOf,
  type Team,
  type UserListItem,
} from '../types';

const PAGE_SIZE = 25;
// The queue's filters, as the address and a saved view (bộ lọc đã lưu) keep them.
const FILTER_KEYS = QUEUE_FILTER_KEYS;
/** The API's deadline filter: a running clock past due, or none. */
const SLA_FILTERS = ['overdue', 'on_time'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Record<FilterKey, string>;

function readFilters(search: URLSearchParams): Filters {
  const filters = {} as Filters;
  for (const key of FILTER_KEYS) filters[key] = search.get(key) ?? '';
  // A hand-edited address with an unknown value would only get a 400 from the API.
  if (!(SLA_FILTERS as readonly string[]).includes(filters.sla)) filters.sla = '';
  return filters;
}

const QUEUE_URL_KEY = 'sen.queueUrl';

function rememberQueueUrl(url: string): void {
  try {
    sessionStorage.setItem(QUEUE_URL_KEY, url);
  } catch {
    // Storage unavailable (private mode): the link goes to the plain queue.
  }
}

const QUEUE_CODES_KEY = 'sen.queueCodes';

/** The complaints the queue shows, in its order: the complaint page's next and previous (] and [). */
function rememberQueueCodes(codes: string[]): void {
  try {
    sessionStorage.setItem(QUEUE_CODES_KEY, JSON.stringify(codes));
  } catch {
    // Storage unavailable: the complaint page offers no next and previous.
  }
}

/** Where a complaint stands in the queue this tab last showed: the ones before and after it, and its place. */
export function queueNeighbours(code: string): { previous: string | null; next: string | null; n: number; total: number } | null {
  try {
    const codes: unknown = JSON.parse(sessionStorage.getItem(QUEUE_CODES_KEY) ?? '[]');
    if (!Array.isArray(codes)) return null;
    const i = codes.indexOf(code);
    if (i < 0) return null;
    const at = (j: number) => (typeof codes[j] === 'string' ? (codes[j] as string) : null);
    return { previous: at(i - 1), next: at(i + 1), n: i + 1, total: codes.length };
  } catch {
    return null;
  }
}

/** The queue as this tab last showed it, with its filters and search; the plain queue otherwise. */
export function lastQueueUrl(): string {
  try {
    const url = sessionStorage.getItem(QUEUE_URL_KEY);
    return url && url.startsWith('/staff') && !url.startsWith('//') ? url : '/staff';
  } catch {
    return '/staff';
  }
}

function toSearch(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  const qs = params.toString();
  return qs ? `/staff?${qs}` : '/staff';
}

/**
 * The API query for the filters: "all" drops the status filter, no choice means open complaints.
 * The API itself understands assigneeId=me and assigneeId=none.
 */
function toQuery(filters: Filters) {
  const status = filters.status === 'all' ? '' : filters.status || OPEN_STATUSES.join(',');
  return { ...filters, status, limit: PAGE_SIZE };
}

/** Hàng đợi — complaints sorted by nearest deadline, with filters kept in the address. */
export function QueuePage() {
  return (
    <StaffLayout>
      <QueueOrInbox />
    </StaffLayout>
  );
}

/** A department account has no queue (the API refuses it): it is pointed to its consultation inbox. */
function QueueOrInbox() {
  const { session } = useSession();
  return session?.user.role === 'department' ? <NoQueue /> : <Queue />;
}

function NoQueue() {
  const { t } = useI18n();
  useTitle(t('queue.title'));
  return (
    <>
      <div className="page-head">
        <h1>{t('queue.title')}</h1>
      </div>
      <Notice kind="info" testId="queue-forbidden">
        {t('queue.departmentOnly')}{' '}
        <Link to="/staff/consultations" data-testid="queue-inbox-link">
          {t('queue.goToInbox')}
        </Link>
      </Notice>
    </>
  );
}

function Queue() {
  const { t, label, lang } = useI18n();
  useTitle(t('queue.title'));
  const { session } = useSession();
  // Phân công hàng loạt: rows are ticked only by those who may assign (not auditors).
  const bulk = mayAssign(session?.user.role);
  // Only those who may follow complaints (not an auditor) are offered "only complaints I follow".
  const role = session?.user.role;
  const mayFollow = !!role && can(role, 'complaint.note');
  const { search } = useLocation();
  const filters = readFilters(search);
  const filtersKey = toSearch(filters);
  // The complaint page's "back to the queue" returns to these filters.
  useEffect(() => rememberQueueUrl(filtersKey), [filtersKey]);

  const [items, setItems] = useState<ComplaintSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  // The search found no phrase and these are by its words: said above the list.
  const [byWords, setByWords] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [categories, setCategories] = useState<Category[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [qInput, setQInput] = useState(filters.q);
  // The ticked complaints (by code, as the API takes them) and what the last bulk assignment did.
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [bulkAnswer, setBulkAnswer] = useState<BulkAssignAnswer | null>(null);

  // Other filters show other complaints: what was ticked, and what was done with it, no longer applies.
  useEffect(() => {
    setSelected(new Set());
    setBulkAnswer(null);
  }, [filtersKey]);

  // A complaint no longer listed (reloaded, filtered out) cannot stay ticked unseen.
  useEffect(() => {
    setSelected((prev) => {
      const shown = new Set(items.map((c) => c.code));
      const next = new Set([...prev].filter((code) => shown.has(code)));
      return next.size === prev.size ? prev : next;
    });
  }, [items]);

  // Once answered, the focus goes to the result (the bar may be gone): the next Tab continues into the list.
  useEffect(() => {
    if (bulkAnswer) document.getElementById(BULK_RESULT_ID)?.focus({ preventScroll: true });
  }, [bulkAnswer]);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListOf<UserListItem>>('/api/v1/users', { signal: controller.signal })
      .then((r) => setUsers(r.items))
      .catch(() => undefined);
    api
      .get<ListOf<Team>>('/api/v1/teams', { signal: controller.signal })
      .then((r) => setTeams(r.items))
      .catch(() => undefined);
    api
      .get<ListOf<Category>>('/api/v1/categories', { signal: controller.signal })
      .then((r) => setCategories(r.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<ComplaintPage>('/api/v1/complaints', {
        query: toQuery(filters),
        signal: controller.signal,
      })
      .then((page) => {
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setByWords(page.matchedByWords);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setItems([]);
        setNextCursor(null);
        setByWords(false);
        setError(describeError(err, t));
        setLoading(false);
      });
    return () => controller.abort();
    // filtersKey stands for `filters`; t changes with the language, and re-fetching keeps API messages in step.
  }, [filtersKey, t]);

  // Typing in the search box filters after a short pause; Enter searches at once.
  useEffect(() => {
    if (qInput.trim() === filters.q) return;
    const timer = window.setTimeout(() => setFilter('q', qInput.trim()), 400);
    return () => window.clearTimeout(timer);
  }, [qInput, filtersKey]);

  // Back/forward changes the address: show its search text in the box.
  useEffect(() => setQInput((current) => (current.trim() === filters.q ? current : filters.q)), [filters.q]);

  function setFilter(key: FilterKey, value: string) {
    if (filters[key] === value) return;
    navigate(toSearch({ ...filters, [key]: value }), { replace: true, keepScroll: true });
  }

  function submitSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilter('q', qInput.trim());
  }

  function reset() {
    setQInput('');
    navigate('/staff', { replace: true, keepScroll: true });
  }

  async function loadMore() {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api.get<ComplaintPage>('/api/v1/complaints', {
        query: { ...toQuery(filters), cursor: nextCursor },
      });
      setItems((prev) => [...prev, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setLoadingMore(false);
    }
  }

  /** The rows as they are now, as many as were shown (after "load more" too), e.g. with the assignees just set. */
  async function reloadRows() {
    try {
      const page = await api.get<ComplaintPage>('/api/v1/complaints', {
        query: { ...toQuery(filters), limit: Math.max(items.length, PAGE_SIZE) },
      });
      setItems(page.items);
      setNextCursor(page.nextCursor);
      setByWords(page.matchedByWords);
    } catch (err) {
      setError(describeError(err, t));
    }
  }

  function toggle(code: string, on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });
  }

  useEffect(() => rememberQueueCodes(items.map((c) => c.code)), [items]);

  // Phím tắt: j/k choose a row (its link takes the focus, so Enter opens it), x selects it for bulk assignment, / searches.
  const [current, setCurrent] = useState(-1);
  useEffect(() => setCurrent(-1), [filtersKey]);
  const moveTo = (i: number) => {
    if (!items.length) return;
    const next = Math.max(0, Math.min(items.length - 1, i));
    setCurrent(next);
    const link = document.querySelectorAll<HTMLAnchorElement>('[data-testid="queue-row"] [data-testid="queue-code"]')[next];
    link?.focus();
    link?.scrollIntoView({ block: 'nearest' });
  };
  useShortcuts({
    j: () => moveTo(current + 1),
    k: () => moveTo(current < 0 ? 0 : current - 1),
    x: () => {
      const c = items[current];
      if (bulk && c) toggle(c.code, !selected.has(c.code));
    },
    '/': () => focusById('q'),
  });

  function selectAll(on: boolean) {
    setSelected(on ? new Set(items.map((c) => c.code)) : new Set());
  }

  function clearSelection() {
    setSelected(new Set());
    document.getElementById(SELECT_ALL_ID)?.focus();
  }

  async function bulkAssigned(answer: BulkAssignAnswer) {
    setBulkAnswer(answer);
    // Those that could not be assigned stay ticked, to try again or look into.
    const done = new Set(answer.results.filter((r) => r.outcome !== 'failed').map((r) => r.code));
    setSelected((prev) => new Set([...prev].filter((code) => !done.has(code))));
    await reloadRows();
  }

  function openRow(event: MouseEvent<HTMLTableRowElement>, code: string) {
    // Let real links, the row's tick and text selection behave normally.
    if ((event.target as HTMLElement).closest('a, button, input, label, .cell-select') || window.getSelection()?.toString()) return;
    navigate(`/staff/complaints/${encodeURIComponent(code)}`);
  }

  const categoryName = (c: Category) => (lang === 'en' && c.nameEn ? c.nameEn : c.name);
  const hasFilters = FILTER_KEYS.some((k) => filters[k]);
  const selectedCodes = items.filter((c) => selected.has(c.code)).map((c) => c.code);

  return (
    <>
      <div className="page-head page-head-row">
        <h1>{t('queue.title')}</h1>
        <form className="search" role="search" onSubmit={submitSearch}>
          <label htmlFor="q" className="visually-hidden">
            {t('queue.search')}
          </label>
          <input
            id="q"
            name="q"
            type="search"
            maxLength={200}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            placeholder={t('queue.search')}
            aria-describedby="q-hint"
            data-testid="search-input"
          />
          <button type="submit" className="btn btn-primary" data-testid="search-submit">
            {t('queue.searchButton')}
          </button>
          <p id="q-hint" className="field-hint search-hint">
            {t('queue.searchHint')}
          </p>
        </form>
      </div>

      <SavedViews query={filtersKey.replace(/^\/staff\??/, '')} />

      <section className="filters card" aria-label={t('queue.filters')}>
        <div className="filter">
          <label htmlFor="filter-status">{t('field.status')}</label>
          <select
            id="filter-status"
            name="status"
            value={filters.status}
            onChange={(e) => setFilter('status', e.target.value)}
            data-testid="filter-status"
          >
            <option value="">{t('queue.openOnly')}</option>
            <option value="all">{t('queue.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label('status', s)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-channel">{t('col.channel')}</label>
          <select
            id="filter-channel"
            name="channel"
            value={filters.channel}
            onChange={(e) => setFilter('channel', e.target.value)}
            data-testid="filter-channel"
          >
            <option value="">{t('queue.all')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {label('channel', c)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-priority">{t('col.priority')}</label>
          <select
            id="filter-priority"
            name="priority"
            value={filters.priority}
            onChange={(e) => setFilter('priority', e.target.value)}
            data-testid="filter-priority"
          >
            <option value="">{t('queue.all')}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {label('priority', p)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-assignee">{t('field.assignee')}</label>
          <select
            id="filter-assignee"
            name="assigneeId"
            value={filters.assigneeId}
            onChange={(e) => setFilter('assigneeId', e.target.value)}
            data-testid="filter-assignee"
          >
            <option value="">{t('queue.all')}</option>
            <option value="me">{t('queue.mine')}</option>
            <option value="none">{t('queue.unassigned')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-team">{t('field.team')}</label>
          <select id="filter-team" name="teamId" value={filters.teamId} onChange={(e) => setFilter('teamId', e.target.value)} data-testid="filter-team">
            <option value="">{t('queue.all')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-category">{t('field.category')}</label>
          <select
            id="filter-category"
            name="categoryId"
            value={filters.categoryId}
            onChange={(e) => setFilter('categoryId', e.target.value)}
            data-testid="filter-category"
          >
            <option value="">{t('queue.all')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {categoryName(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-sla">{t('queue.slaFilter')}</label>
          <select
            id="filter-sla"
            name="sla"
            value={filters.sla}
            onChange={(e) => setFilter('sla', e.target.value)}
            data-testid="queue-sla-filter"
          >
            <option value="">{t('queue.all')}</option>
            <option value="overdue">{t('queue.slaOverdue')}</option>
            <option value="on_time">{t('queue.slaOnTime')}</option>
          </select>
        </div>
        {mayFollow || filters.following ? (
          <div className="filter filter-check">
            <label className="check-option">
              <input
                type="checkbox"
                name="following"
                checked={filters.following === 'me'}
                onChange={(e) => setFilter('following', e.target.checked ? 'me' : '')}
                data-testid="filter-following"
              />
              <span>{t('queue.following')}</span>
            </label>
          </div>
        ) : null}
        {hasFilters ? (
          <button type="button" className="btn btn-ghost filter-reset" onClick={reset} data-testid="filter-reset">
            {t('queue.reset')}
          </button>
        ) : null}
      </section>

      {error ? <Notice kind="error">{error}</Notice> : null}
      {byWords && !loading && filters.q ? (
        <Notice kind="info" testId="queue-by-words">
          {t('queue.matchedByWords', { q: filters.q })}
        </Notice>
      ) : null}

      {bulk && selectedCodes.length ? (
        <BulkAssignBar codes={selectedCodes} users={users} teams={teams} onAssigned={(answer) => void bulkAssigned(answer)} onClear={clearSelection} />
      ) : null}
      {bulk ? <BulkResult answer={bulkAnswer} /> : null}

      <div className="table-wrap card" aria-busy={loading}>
        <table className={bulk ? 'queue queue-selectable' : 'queue'} data-testid="queue-table">
          <caption className="visually-hidden">{t('queue.caption')}</caption>
          <thead>
            <tr>
              {bulk ? (
                <th scope="col" className="cell-select">
                  <SelectAllCheckbox total={items.length} selected={selectedCodes.length} onChange={selectAll} />
                </th>
              ) : null}
              <th scope="col">{t('col.code')}</th>
              <th scope="col">{t('col.subject')}</th>
              <th scope="col">{t('col.customer')}</th>
              <th scope="col">{t('col.status')}</th>
              <th scope="col">{t('col.channel')}</th>
              <th scope="col">{t('col.priority')}</th>
              <th scope="col">{t('col.assignee')}</th>
              <th scope="col">{t('col.deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c, i) => (
              <tr
                key={c.id}
                className={`queue-row${selected.has(c.code) ? ' queue-row-selected' : ''}${i === current ? ' queue-row-current' : ''}`}
                aria-current={i === current ? 'true' : undefined}
                onClick={(e) => openRow(e, c.code)}
                data-testid="queue-row"
                data-code={c.code}
              >
                {bulk ? (
                  <td data-label={t('bulk.selectColumn')} className="cell-select">
                    <RowCheckbox code={c.code} checked={selected.has(c.code)} onChange={(on) => toggle(c.code, on)} />
                  </td>
                ) : null}
                <td data-label={t('col.code')} className="cell-code">
                  <Link to={`/staff/complaints/${encodeURIComponent(c.code)}`} data-testid="queue-code">
                    {c.code}
                  </Link>
                </td>
                <td data-label={t('col.subject')} className="cell-subject">
                  {c.subject}
                  <RowViewers viewers={c.viewers} />
                  <RowReminder at={c.myReminderAt} />
                </td>
                <td data-label={t('col.customer')}>{c.customerName}</td>
                <td data-label={t('col.status')}>
                  <StatusBadge status={c.status} testId="queue-status" />
                </td>
                <td data-label={t('col.channel')}>{label('channel', c.channel)}</td>
                <td data-label={t('col.priority')}>
                  <PriorityBadge priority={c.priority} />
                  {c.vulnerableGroup ? (
                    <>
                      {' '}
                      <VulnerableBadge group={c.vulnerableGroup} compact testId="queue-vulnerable" />
                    </>
                  ) : null}
                </td>
                <td data-label={t('col.assignee')}>
                  {c.assignee ? c.assignee.name : <span className="muted">{t('queue.unassigned')}</span>}
                </td>
                <td data-label={t('col.deadline')}>
                  <QueueDeadline clocks={c.clocks} testId="queue-deadline" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {loading ? <p className="loading">{t('common.loading')}</p> : null}
        {!loading && !error && items.length === 0 ? (
          <p className="empty" data-testid="queue-empty">
            {t('queue.empty')}
          </p>
        ) : null}
      </div>

      <div className="queue-foot">
        <p className="muted" role="status">
          {loading ? '' : t('queue.count', { count: items.length })}
        </p>
        {nextCursor && !loading ? (
          <button type="button" className="btn btn-secondary" onClick={() => void loadMore()} disabled={loadingMore} data-testid="load-more">
            {loadingMore ? t('common.loading') : t('queue.loadMore')}
          </button>
        ) : null}
      </div>
    </>
  );
}
