import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, isAbort } from '../api';
import { DateTime } from '../components/badges';
import { FilePicker, fileProblemsFrom, filesForm, checkFiles, hasFileProblems, NO_FILE_PROBLEMS, type FileProblems } from '../components/files';
import { Notice, TextArea } from '../components/forms';
import { ConsultationStatusBadges, FileLinks, type SharedFiles } from '../components/investigation';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import type { Consultation, ListOf } from '../types';

// Tham vấn — the department inbox: the questions customer care sent to the signed-in member's
// department (a department account sees nothing else), and the answer form. Agents, supervisors and
// admins see every consultation here too (or their own department's).

const STATUS_FILTERS = ['open', 'answered', 'cancelled', 'all'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

function readStatus(search: URLSearchParams): StatusFilter {
  const s = search.get('status');
  return (STATUS_FILTERS as readonly string[]).includes(s ?? '') ? (s as StatusFilter) : 'open';
}

function listPath(status: StatusFilter, mine: boolean): string {
  const params = new URLSearchParams();
  if (status !== 'open') params.set('status', status);
  if (mine) params.set('mine', '1');
  const qs = params.toString();
  return qs ? `/staff/consultations?${qs}` : '/staff/consultations';
}

/** "Phòng ban: Kho vận" or "Bên ngoài: GHN". */
function targetText(k: Consultation, t: ReturnType<typeof useI18n>['t']): string {
  if (k.team) return t('consult.internalTo', { team: k.team.name });
  return t('consult.externalTo', { name: k.party?.name ?? '—', email: k.party?.email ?? '—' });
}

export function ConsultationsPage() {
  return (
    <StaffLayout>
      <Inbox />
    </StaffLayout>
  );
}

function Inbox() {
  const { t, label } = useI18n();
  useTitle(t('inbox.title'));
  const { session } = useSession();
  const department = session?.user.role === 'department';
  const { search } = useLocation();
  const status = readStatus(search);
  const mine = search.get('mine') === '1';
  const [items, setItems] = useState<Consultation[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<ListOf<Consultation>>('/api/v1/consultations', {
        query: { status: status === 'all' ? undefined : status, mine: department || mine ? '1' : undefined },
        signal: controller.signal,
      })
      .then((r) => {
        setItems(r.items);
        setForbidden(false);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setItems([]);
        if (err instanceof ApiError && err.status === 403) setForbidden(true);
        else setError(describeError(err, t));
        setLoading(false);
      });
    return () => controller.abort();
  }, [status, mine, department, t]);

  if (forbidden) {
    return (
      <>
        <div className="page-head">
          <h1>{t('inbox.title')}</h1>
        </div>
        <Notice kind="info" testId="consultations-forbidden">
          {t('inbox.forbidden')}
        </Notice>
      </>
    );
  }

  return (
    <div data-testid="consultations-inbox">
      <div className="page-head">
        <h1>{t('inbox.title')}</h1>
        <p className="lead">{department ? t('inbox.introDepartment') : t('inbox.intro')}</p>
      </div>
      <section className="card filters inbox-filters" aria-label={t('queue.filters')}>
        <div className="filter">
          <label htmlFor="consultation-status">{t('inbox.status')}</label>
          <select
            id="consultation-status"
            value={status}
            onChange={(e) => navigate(listPath(e.target.value as StatusFilter, mine), { replace: true, keepScroll: true })}
            data-testid="consultations-status-filter"
          >
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {s === 'all' ? t('inbox.statusAll') : label('consultStatus', s)}
              </option>
            ))}
          </select>
        </div>
        {department ? null : (
          <div className="filter filter-check">
            <input
              type="checkbox"
              id="consultation-mine"
              checked={mine}
              onChange={(e) => navigate(listPath(status, e.target.checked), { replace: true, keepScroll: true })}
              data-testid="consultations-mine"
            />
            <label htmlFor="consultation-mine">{t('inbox.mine')}</label>
          </div>
        )}
      </section>

      {error ? <Notice kind="error">{error}</Notice> : null}
      {loading ? <p className="loading">{t('common.loading')}</p> : null}
      {!loading && !error && items.length === 0 ? (
        <p className="empty card" data-testid="consultations-empty">
          {t('inbox.empty')}
        </p>
      ) : null}
      {items.length ? (
        <ul className="inbox-list" aria-label={t('inbox.caption')} aria-busy={loading} data-testid="consultations-list" data-status={status}>
          {items.map((k) => (
            <li key={k.id} className={`card inbox-item inv-status-${k.status}`} data-testid="consultation-row" data-id={k.id} data-status={k.status} data-code={k.complaint.code}>
              <div className="inv-item-head">
                <ConsultationStatusBadges consultation={k} />
                <span className="muted">
                  {t('inbox.colDue')}: <DateTime iso={k.dueAt} testId="consultation-row-due" />
                </span>
              </div>
              <p className="inbox-about">
                <span className="complaint-code">{k.complaint.code}</span> · <span className="inbox-subject">{k.complaint.subject}</span>
              </p>
              {department ? null : <p className="muted">{targetText(k, t)}</p>}
              <p className="inbox-question" data-testid="consultation-row-question">
                {k.question}
              </p>
              <Link
                to={`/staff/consultations/${encodeURIComponent(k.id)}`}
                className="btn btn-secondary btn-small"
                aria-label={t('inbox.openLabel', { code: k.complaint.code })}
                data-testid="consultation-open"
              >
                {t('inbox.open')}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function ConsultationPage({ id }: { id: string }) {
  return (
    <StaffLayout>
      <ConsultationView id={id} />
    </StaffLayout>
  );
}

/** One consultation with the complaint's files shared with it (a department member's only window on the complaint's files). */
type ConsultationWithFiles = Consultation & SharedFiles;

function ConsultationView({ id }: { id: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const department = session?.user.role === 'department';
  const [k, setK] = useState<ConsultationWithFiles | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  useTitle(k ? `${t('inbox.title')} · ${k.complaint.code}` : t('inbox.title'));
  const path = `/api/v1/consultations/${encodeURIComponent(id)}`;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setK(await api.get<ConsultationWithFiles>(path, { signal }));
        setLoadError(null);
      } catch (err) {
        if (isAbort(err)) return;
        // Another team's consultation answers 404, as one that does not exist.
        if (err instanceof ApiError && (err.status === 404 || err.status === 400 || err.status === 422)) setNotFound(true);
        else setLoadError(describeError(err, t));
      }
    },
    [path, t],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [path]);

  const back = (
    <p className="back">
      <Link to="/staff/consultations" data-testid="consultation-back">
        {t('inbox.back')}
      </Link>
    </p>
  );
  if (notFound) {
    return (
      <>
        {back}
        <Notice kind="error" testId="consultation-not-found">
          {t('inbox.notFound')}
        </Notice>
      </>
    );
  }
  if (!k) {
    return (
      <>
        {back}
        {loadError ? <Notice kind="error">{loadError}</Notice> : <p className="loading">{t('common.loading')}</p>}
      </>
    );
  }

  return (
    <div data-testid="consultation-detail" data-id={k.id} data-status={k.status}>
      {back}
      <div className="complaint-head">
        <div>
          <p className="complaint-code" data-testid="consultation-code">
            {t('inbox.about', { code: k.complaint.code })}
          </p>
          <h1 className="complaint-subject" data-testid="consultation-subject">
            {k.complaint.subject}
          </h1>
        </div>
        <div className="complaint-badges">
          <ConsultationStatusBadges consultation={k} />
        </div>
      </div>

      <section className="card" aria-labelledby="question-title">
        <h2 id="question-title">{t('consult.question')}</h2>
        <blockquote className="message-body" data-testid="consultation-detail-question">
          {k.question}
        </blockquote>
        <dl className="facts facts-grid">
          <div>
            <dt>{t('inbox.colDue')}</dt>
            <dd>
              <DateTime iso={k.dueAt} testId="consultation-detail-due" />
            </dd>
          </div>
          <div>
            <dt>{t('inbox.colTo')}</dt>
            <dd>{targetText(k, t)}</dd>
          </div>
          <div>
            <dt>{k.createdBy ? t('inbox.asked') : t('inbox.sentAt')}</dt>
            <dd>
              {k.createdBy ? `${k.createdBy.name} · ` : ''}
              <DateTime iso={k.createdAt} />
            </dd>
          </div>
        </dl>
        {k.sharedFiles.length ? (
          <div data-testid="consultation-detail-shared">
            <h3 className="small-heading">{t('inbox.sharedFiles')}</h3>
            <p className="field-hint">{t('inbox.sharedHint')}</p>
            <FileLinks files={k.sharedFiles} testId="consultation-detail-shared-file" />
          </div>
        ) : null}
        {!department ? (
          <p>
            <Link to={`/staff/complaints/${encodeURIComponent(k.complaint.code)}`} data-testid="consultation-complaint-link">
              {t('inbox.openComplaint')} {k.complaint.code}
            </Link>
          </p>
        ) : null}
      </section>

      <div aria-live="polite">
        {sent ? (
          <Notice kind="success" testId="consultation-answer-sent">
            {t('inbox.sent')}
          </Notice>
        ) : null}
      </div>
      {k.status === 'answered' ? (
        <section className="card" aria-labelledby="answer-title" data-testid="consultation-detail-answer">
          <h2 id="answer-title">{t('consult.answer')}</h2>
          <p className="muted">
            {k.answeredBy
              ? t('consult.answeredBy', { name: k.answeredBy.name, at: formatDateTime(k.answeredAt) })
              : k.party?.name
                ? t('consult.answeredBy', { name: k.party.name, at: formatDateTime(k.answeredAt) })
                : t('consult.answeredAt', { at: formatDateTime(k.answeredAt) })}
          </p>
          <blockquote className="message-body" data-testid="consultation-detail-answer-text">
            {k.answer || t('inv.noAnswerText')}
          </blockquote>
          {k.files.length ? (
            <>
              <h3 className="small-heading">{t('inbox.files')}</h3>
              <FileLinks files={k.files} testId="consultation-detail-file" />
            </>
          ) : null}
        </section>
      ) : null}

      {k.status === 'open' ? <AnswerForm
          path={`${path}/answer`}
          onAnswered={(next) => {
            setK(next);
            setSent(true);
          }}
          onClosed={() => void load()} /> : null}
      {k.status === 'cancelled' ? (
        <Notice kind="info" testId="consultation-closed">
          {t('inbox.closed')}
        </Notice>
      ) : null}
    </div>
  );
}

/** Trả lời tham vấn: the answer and files, sent once. */
function AnswerForm({ path, onAnswered, onClosed }: { path: string; onAnswered: (k: ConsultationWithFiles) => void; onClosed: () => void }) {
  const { t } = useI18n();
  const [answer, setAnswer] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileProblems, setFileProblems] = useState<FileProblems>(NO_FILE_PROBLEMS);
  const [answerError, setAnswerError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    setError(null);
    if (!answer.trim() && !files.length) {
      setAnswerError(t('validation.answerRequired'));
      document.getElementById('consultation-answer')?.focus();
      return;
    }
    if (hasFileProblems(checkFiles(files, t))) {
      document.getElementById('consultation-answer-files')?.focus();
      return;
    }
    setAnswerError(undefined);
    setSending(true);
    try {
      const next = await api.postForm<ConsultationWithFiles>(path, filesForm(files, { answer: answer.trim() }));
      onAnswered(next);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setError(t('inbox.closed'));
        onClosed();
      } else if (err instanceof ApiError && err.fields.some((f) => f.field.startsWith('files'))) {
        setFileProblems(fileProblemsFrom(err, files, t));
      } else {
        const field = err instanceof ApiError ? err.fields.find((f) => f.field === 'answer') : undefined;
        if (field) setAnswerError(field.message || (err as ApiError).message);
        else setError(describeError(err, t));
      }
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="answer-form-title">
      <h2 id="answer-form-title">{t('inbox.answerTitle')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="consultation-answer-form">
        <TextArea
          id="consultation-answer"
          label={t('inbox.answerLabel')}
          hint={t('inbox.answerHint')}
          required
          rows={5}
          maxLength={20000}
          value={answer}
          onChange={(e) => {
            setAnswer(e.target.value);
            setAnswerError(undefined);
          }}
          error={answerError}
          data-testid="consultation-answer-input"
        />
        <FilePicker
          id="consultation-answer-files"
          label={t('inbox.filesLabel')}
          optional
          files={files}
          onChange={(next) => {
            setFiles(next);
            setFileProblems(NO_FILE_PROBLEMS);
          }}
          serverProblems={fileProblems}
          disabled={sending}
          testId="consultation-answer-files"
        />
        {error ? (
          <Notice kind="error" testId="consultation-answer-error">
            {error}
          </Notice>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={sending} data-testid="consultation-answer-submit">
          {sending ? t('inbox.sending') : t('inbox.submit')}
        </button>
      </form>
    </section>
  );
}
