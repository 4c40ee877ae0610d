import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, isAbort } from '../api';
import { DateTime, DueDate, PriorityBadge, StatusBadge } from '../components/badges';
import { Notice, SelectField, TextArea } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { PRIORITIES, type Category, type ComplaintDetail, type ComplaintPatch, type ListOf, type Priority, type Status, type TimelineEvent, type UserListItem } from '../types';

type Action = 'transition' | 'assign' | 'note' | 'classify';
interface Feedback {
  action: Action;
  kind: 'success' | 'error';
  text: string;
}

/** One complaint for staff: details, deadlines, timeline, and the actions allowed now. */
export function ComplaintPage({ code }: { code: string }) {
  return (
    <StaffLayout>
      <ComplaintView code={code} />
    </StaffLayout>
  );
}

function ComplaintView({ code }: { code: string }) {
  const { t, label, lang } = useI18n();
  useTitle(code);
  const { session } = useSession();
  const [detail, setDetail] = useState<ComplaintDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [categories, setCategories] = useState<Category[]>([]);
  const [busy, setBusy] = useState<Action | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [assigneeId, setAssigneeId] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>(undefined);

  const path = `/api/v1/complaints/${encodeURIComponent(code)}`;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const found = await api.get<ComplaintDetail>(path, { signal });
        setDetail(found);
        syncForms(found);
        setLoadError(null);
        setNotFound(false);
      } catch (err) {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 404) setNotFound(true);
        else setLoadError(describeError(err, t));
      }
    },
    [path, t],
  );

  // Reload only when the complaint changes, not when the language does.
  useEffect(() => {
    const controller = new AbortController();
    setDetail(null);
    void load(controller.signal);
    return () => controller.abort();
  }, [path]);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListOf<UserListItem>>('/api/v1/users', { signal: controller.signal })
      .then((r) => setUsers(r.items))
      .catch(() => undefined);
    api
      .get<ListOf<Category>>('/api/v1/categories', { signal: controller.signal })
      .then((r) => setCategories(r.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  // The pickers start from the complaint's current values after every change.
  function syncForms(next: ComplaintDetail) {
    setAssigneeId(next.assignee?.id ?? '');
    setCategoryId(next.category?.id ?? '');
    setPriority(next.priority);
  }

  function applied(next: ComplaintDetail, action: Action, text: string) {
    setDetail(next);
    syncForms(next);
    setFeedback({ action, kind: 'success', text });
  }

  async function failed(action: Action, err: unknown) {
    let text = describeError(err, t);
    if (err instanceof ApiError && err.status === 409) {
      if (err.allowed.length) {
        text += ` ${t('complaint.allowedAre', { list: err.allowed.map((s) => label('transition', s)).join(', ') })}`;
      }
      // Someone else may have moved the complaint: show its current state and buttons.
      await load();
    }
    setFeedback({ action, kind: 'error', text });
  }

  async function transition(to: Status) {
    if (busy) return;
    setBusy('transition');
    setFeedback(null);
    setReasonError(undefined);
    const trimmed = reason.trim();
    try {
      const next = await api.post<ComplaintDetail>(`${path}/transitions`, { to, ...(trimmed ? { reason: trimmed } : {}) });
      setReason('');
      applied(next, 'transition', t('complaint.statusChanged', { status: label('status', next.status) }));
    } catch (err) {
      // Some moves (reject, withdraw, merge, escalate, reopen) need a reason the API asks for.
      const reasonField = err instanceof ApiError ? err.fields.find((f) => f.field === 'reason') : undefined;
      if (reasonField) {
        setReasonError(reasonField.message);
        document.getElementById('transition-reason')?.focus();
      }
      await failed('transition', err);
    } finally {
      setBusy(null);
    }
  }

  async function assign(to: string | null) {
    if (busy) return;
    setBusy('assign');
    setFeedback(null);
    try {
      const next = await api.post<ComplaintDetail>(`${path}/assign`, { assigneeId: to });
      applied(next, 'assign', t('complaint.assigned'));
    } catch (err) {
      await failed('assign', err);
    } finally {
      setBusy(null);
    }
  }

  async function classify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !detail) return;
    const patch: ComplaintPatch = {};
    if (categoryId !== (detail.category?.id ?? '')) patch.categoryId = categoryId || null;
    if (priority !== detail.priority) patch.priority = priority;
    if (!Object.keys(patch).length) return;
    setBusy('classify');
    setFeedback(null);
    try {
      const next = await api.patch<ComplaintDetail>(path, patch);
      applied(next, 'classify', t('complaint.classified'));
    } catch (err) {
      await failed('classify', err);
    } finally {
      setBusy(null);
    }
  }

  async function addNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!note.trim()) {
      setNoteError(t('validation.noteRequired'));
      document.getElementById('note-body')?.focus();
      return;
    }
    setNoteError(undefined);
    setBusy('note');
    setFeedback(null);
    try {
      const next = await api.post<ComplaintDetail>(`${path}/notes`, { body: note.trim() });
      setNote('');
      applied(next, 'note', t('complaint.noteAdded'));
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) setNoteError(err.fields[0].message);
      await failed('note', err);
    } finally {
      setBusy(null);
    }
  }

  if (notFound) {
    return (
      <>
        <BackLink />
        <Notice kind="error" testId="complaint-not-found">
          {t('complaint.notFound', { code })}
        </Notice>
      </>
    );
  }
  if (loadError && !detail) {
    return (
      <>
        <BackLink />
        <Notice kind="error">{loadError}</Notice>
        <button type="button" className="btn btn-secondary" onClick={() => void load()}>
          {t('common.retry')}
        </button>
      </>
    );
  }
  if (!detail) return <p className="loading">{t('common.loading')}</p>;

  const readOnly = session?.user.role === 'auditor';
  const assignable = users.filter((u) => u.role !== 'auditor');
  const categoryName = (id: string | undefined, fallback: string | undefined) => {
    const c = categories.find((x) => x.id === id);
    if (!c) return fallback ?? '—';
    return lang === 'en' && c.nameEn ? c.nameEn : c.name;
  };
  const feedbackFor = (action: Action) =>
    feedback?.action === action ? (
      <Notice kind={feedback.kind} testId={`${action}-${feedback.kind === 'error' ? 'error' : 'message'}`}>
        {feedback.text}
      </Notice>
    ) : null;

  return (
    <div data-testid="complaint-detail">
      <BackLink />
      <div className="complaint-head">
        <div>
          <p className="complaint-code" data-testid="complaint-page-code">
            {detail.code}
          </p>
          <h1 className="complaint-subject" data-testid="complaint-subject">
            {detail.subject}
          </h1>
        </div>
        <div className="complaint-badges">
          <StatusBadge status={detail.status} testId="status-value" />
          <PriorityBadge priority={detail.priority} />
        </div>
      </div>

      <div className="complaint-grid">
        <div className="complaint-main">
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">{t('complaint.details')}</h2>
            <p className="description" data-testid="complaint-description">
              {detail.description}
            </p>
            <dl className="facts facts-grid">
              <div>
                <dt>{t('field.orderRef')}</dt>
                <dd data-testid="complaint-order-ref">{detail.orderRef || '—'}</dd>
              </div>
              <div>
                <dt>{t('field.channel')}</dt>
                <dd data-testid="complaint-channel">{label('channel', detail.channel)}</dd>
              </div>
              <div>
                <dt>{t('field.category')}</dt>
                <dd data-testid="complaint-category">{categoryName(detail.category?.id, detail.category?.name)}</dd>
              </div>
              <div>
                <dt>{t('field.priority')}</dt>
                <dd>{label('priority', detail.priority)}</dd>
              </div>
              <div>
                <dt>{t('field.assignee')}</dt>
                <dd data-testid="complaint-assignee">{detail.assignee?.name ?? t('queue.unassigned')}</dd>
              </div>
              {detail.team ? (
                <div>
                  <dt>{t('field.team')}</dt>
                  <dd>{detail.team.name}</dd>
                </div>
              ) : null}
            </dl>
          </section>

          <section className="card" aria-labelledby="deadlines-title">
            <h2 id="deadlines-title">{t('complaint.deadlines')}</h2>
            <dl className="facts facts-grid">
              <div>
                <dt>{t('date.receivedAt')}</dt>
                <dd>
                  <DateTime iso={detail.receivedAt} />
                </dd>
              </div>
              <div>
                <dt>{t('date.ackDue')}</dt>
                <dd>
                  <DateTime iso={detail.acknowledgementDueAt} testId="acknowledgement-due" />
                </dd>
              </div>
              {detail.acknowledgedAt ? (
                <div>
                  <dt>{t('date.acknowledgedAt')}</dt>
                  <dd>
                    <DateTime iso={detail.acknowledgedAt} testId="acknowledged-at" />
                  </dd>
                </div>
              ) : null}
              <div>
                <dt>{t('date.resolutionDue')}</dt>
                <dd>
                  <DateTime iso={detail.resolutionDueAt} testId="resolution-due" />
                </dd>
              </div>
              <div>
                <dt>{t('date.dueAt')}</dt>
                <dd>
                  <DueDate dueAt={detail.dueAt} status={detail.status} testId="complaint-due" />
                </dd>
              </div>
            </dl>
          </section>

          <section className="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t('complaint.timeline')}</h2>
            <ol className="timeline" data-testid="complaint-timeline">
              {[...detail.timeline]
                .sort((a, b) => a.seq - b.seq)
                .map((event) => (
                  <li key={event.id} className={`timeline-item timeline-${event.type.replace('.', '-')}`} data-testid="timeline-event" data-type={event.type}>
                    <span className="timeline-dot" aria-hidden="true" />
                    <div className="timeline-body">
                      <p className="timeline-title">{label('event', event.type)}</p>
                      <EventPayload event={event} users={users} categoryName={categoryName} />
                      <p className="timeline-meta">
                        <DateTime iso={event.at} /> · <ActorName event={event} />
                        {event.channel ? ` · ${t('timeline.via', { channel: label('channel', event.channel) })}` : ''}
                      </p>
                    </div>
                  </li>
                ))}
            </ol>
          </section>
        </div>

        <aside className="complaint-side">
          <section className="card" aria-labelledby="customer-title">
            <h2 id="customer-title">{t('complaint.customer')}</h2>
            <dl className="facts">
              <div>
                <dt>{t('field.name')}</dt>
                <dd data-testid="customer-name">{detail.customer.name}</dd>
              </div>
              <div>
                <dt>{t('field.phone')}</dt>
                <dd data-testid="customer-phone">
                  {detail.customer.phone ? <a href={`tel:${detail.customer.phone}`}>{detail.customer.phone}</a> : '—'}
                </dd>
              </div>
              <div>
                <dt>{t('field.email')}</dt>
                <dd data-testid="customer-email" className="break">
                  {detail.customer.email ? <a href={`mailto:${detail.customer.email}`}>{detail.customer.email}</a> : '—'}
                </dd>
              </div>
            </dl>
          </section>

          {readOnly ? (
            <Notice kind="info">{t('complaint.readOnly')}</Notice>
          ) : (
            <>
              <section className="card" aria-labelledby="status-title">
                <h2 id="status-title">{t('complaint.statusSection')}</h2>
                {detail.allowedTransitions.length === 0 ? (
                  <p className="muted">{t('complaint.noTransitions')}</p>
                ) : (
                  <>
                    <TextArea
                      id="transition-reason"
                      maxLength={2000}
                      label={t('complaint.reason')}
                      optional
                      hint={t('complaint.reasonHint')}
                      rows={2}
                      value={reason}
                      onChange={(e) => setReason(e.target.value)}
                      error={reasonError}
                      data-testid="transition-reason"
                    />
                    <div className="transition-buttons">
                      {detail.allowedTransitions.map((to) => (
                        <button
                          key={to}
                          type="button"
                          className={`btn ${['rejected', 'withdrawn', 'merged'].includes(to) ? 'btn-danger' : 'btn-primary'}`}
                          onClick={() => void transition(to)}
                          disabled={busy !== null}
                          data-testid={`transition-${to}`}
                        >
                          {label('transition', to)}
                        </button>
                      ))}
                    </div>
                  </>
                )}
                {feedbackFor('transition')}
              </section>

              <section className="card" aria-labelledby="assign-title">
                <h2 id="assign-title">{t('complaint.assignSection')}</h2>
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    void assign(assigneeId || null);
                  }}
                >
                  <SelectField
                    id="assignee"
                    label={t('complaint.assignTo')}
                    value={assigneeId}
                    onChange={(e) => setAssigneeId(e.target.value)}
                    data-testid="assign-select"
                  >
                    <option value="">{t('queue.unassigned')}</option>
                    {assignable.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name} — {label('role', u.role)}
                      </option>
                    ))}
                  </SelectField>
                  <div className="actions-row">
                    <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="assign-submit">
                      {t('complaint.assignSubmit')}
                    </button>
                    {session && detail.assignee?.id !== session.user.id ? (
                      <button
                        type="button"
                        className="btn btn-secondary"
                        onClick={() => void assign(session.user.id)}
                        disabled={busy !== null}
                        data-testid="assign-me"
                      >
                        {t('complaint.assignMe')}
                      </button>
                    ) : null}
                  </div>
                </form>
                {feedbackFor('assign')}
              </section>

              <section className="card" aria-labelledby="classify-title">
                <h2 id="classify-title">{t('complaint.classifySection')}</h2>
                <form onSubmit={(e) => void classify(e)}>
                  <SelectField
                    id="category"
                    label={t('field.category')}
                    value={categoryId}
                    onChange={(e) => setCategoryId(e.target.value)}
                    data-testid="category-select"
                  >
                    <option value="">{t('field.categoryNone')}</option>
                    {categories
                      .filter((c) => c.active || c.id === detail.category?.id)
                      .map((c) => (
                        <option key={c.id} value={c.id}>
                          {categoryName(c.id, c.name)}
                        </option>
                      ))}
                  </SelectField>
                  <SelectField
                    id="priority"
                    label={t('field.priority')}
                    value={priority}
                    onChange={(e) => setPriority(e.target.value as Priority)}
                    data-testid="priority-select"
                  >
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {label('priority', p)}
                      </option>
                    ))}
                  </SelectField>
                  <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="classify-submit">
                    {t('complaint.classifySubmit')}
                  </button>
                </form>
                {feedbackFor('classify')}
              </section>

              <section className="card" aria-labelledby="note-title">
                <h2 id="note-title">{t('complaint.noteSection')}</h2>
                <form onSubmit={(e) => void addNote(e)} noValidate>
                  <TextArea
                    id="note-body"
                    maxLength={20000}
                    label={t('complaint.noteLabel')}
                    hint={t('complaint.noteHint')}
                    rows={4}
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    error={noteError}
                    data-testid="note-input"
                  />
                  <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="note-submit">
                    {busy === 'note' ? t('common.saving') : t('complaint.noteSubmit')}
                  </button>
                </form>
                {feedbackFor('note')}
              </section>
            </>
          )}
        </aside>
      </div>
    </div>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <p className="back">
      <Link to="/staff">{t('complaint.back')}</Link>
    </p>
  );
}

function ActorName({ event }: { event: TimelineEvent }) {
  const { t } = useI18n();
  const actor = event.actor;
  if (actor?.name) return <span className="actor">{actor.name}</span>;
  if (actor?.type === 'customer') return <span className="actor">{t('actor.customer')}</span>;
  return <span className="actor">{t('actor.system')}</span>;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** What changed, in words: from → to, the note text, the new assignee; other payloads as key: value. */
function EventPayload({
  event,
  users,
  categoryName,
}: {
  event: TimelineEvent;
  users: UserListItem[];
  categoryName: (id: string | undefined, fallback: string | undefined) => string;
}) {
  const { t, label } = useI18n();
  const p = event.payload ?? {};

  switch (event.type) {
    case 'status.changed':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-status-change">
            {label('status', str(p.from))} → {label('status', str(p.to))}
          </p>
          {str(p.reason) ? <p className="timeline-reason">{t('timeline.reason', { reason: str(p.reason) ?? '' })}</p> : null}
        </>
      );
    case 'note.added':
      return (
        <p className="note-body" data-testid="timeline-note">
          {str(p.body) ?? ''}
        </p>
      );
    case 'assignment.changed': {
      const id = str(p.assigneeId);
      const name = str(p.assigneeName) ?? users.find((u) => u.id === id)?.name ?? id;
      return <p className="timeline-change">{name ? t('timeline.assignedTo', { name }) : t('timeline.unassigned')}</p>;
    }
    case 'priority.changed':
      return (
        <p className="timeline-change">
          {label('priority', str(p.from))} → {label('priority', str(p.to) ?? str(p.priority))}
        </p>
      );
    case 'category.changed':
      return (
        <p className="timeline-change">
          {categoryName(str(p.from), str(p.fromName))} → {categoryName(str(p.to) ?? str(p.categoryId), str(p.toName))}
        </p>
      );
    case 'complaint.created':
      return null;
    default: {
      const entries = Object.entries(p).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v));
      if (!entries.length) return null;
      return (
        <dl className="payload">
          {entries.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </div>
          ))}
        </dl>
      );
    }
  }
}
