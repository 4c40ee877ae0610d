import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, isAbort } from '../api';
import { DateTime } from '../components/badges';
import { checkFiles, FilePicker, fileProblemsFrom, filesForm, hasFileProblems, NO_FILE_PROBLEMS, type FileProblems } from '../components/files';
import { Notice, TextArea } from '../components/forms';
import { FileLinks } from '../components/investigation';
import { PortalLayout, useTitle } from '../components/layout';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { useLocation } from '../router';
import type { ConsultationFile, PartyConsultation } from '../types';

// Trả lời tham vấn — the page an outside party (carrier, supplier, bank) opens from the email: no
// account, only the signed link. It shows the question and who asks, and takes one answer with files.

/** Why a link cannot be used, as the API says it (403 invalid, 410 expired or replaced, 409 answered). */
type LinkProblem = 'invalid' | 'expired' | 'revoked' | 'answered' | 'missing';

function linkProblemOf(err: unknown): LinkProblem | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === 'consultation_link_invalid' || err.status === 403 || err.status === 404) return 'invalid';
  if (err.code === 'consultation_link_expired') return 'expired';
  if (err.code === 'consultation_link_revoked') return 'revoked';
  if (err.status === 410) return 'revoked';
  if (err.code === 'consultation_closed' || err.status === 409) return 'answered';
  return null;
}

/** What the link opens: the question and the files shared with the party (downloaded with the same link). */
type PartyView = PartyConsultation & { files: ConsultationFile[] };

const PROBLEM_TEXT: Record<Exclude<LinkProblem, 'answered'>, MessageKey> = {
  invalid: 'party.invalid',
  expired: 'party.expired',
  revoked: 'party.revoked',
  missing: 'party.missing',
};

export function ConsultationReplyPage() {
  const { t } = useI18n();
  useTitle(t('party.title'));
  const { search } = useLocation();
  const token = (search.get('token') ?? '').trim();
  const [view, setView] = useState<PartyView | null>(null);
  const [problem, setProblem] = useState<LinkProblem | null>(token ? null : 'missing');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const path = `/api/v1/public/consultations/${encodeURIComponent(token)}`;

  async function load(signal?: AbortSignal) {
    setLoadError(null);
    try {
      const found = await api.get<PartyView>(path, { signal });
      setView(found);
      setProblem(found.status === 'answered' ? 'answered' : null);
    } catch (err) {
      if (isAbort(err)) return;
      const p = linkProblemOf(err);
      if (p) setProblem(p);
      else setLoadError(describeError(err, t));
    }
  }

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [token]);

  return (
    <PortalLayout minimal>
      <div className="page-head">
        <h1>{t('party.title')}</h1>
      </div>
      {problem && problem !== 'answered' ? (
        <Notice kind="error" testId={`consultation-link-${problem}`}>
          {t(PROBLEM_TEXT[problem])}
        </Notice>
      ) : null}
      {loadError ? (
        <>
          <Notice kind="error" testId="consultation-link-error">
            {loadError}
          </Notice>
          <button type="button" className="btn btn-secondary" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        </>
      ) : null}
      {!view && !problem && !loadError ? <p className="loading">{t('party.loading')}</p> : null}
      {view && (problem === null || problem === 'answered') ? (
        <section className="card party-question" aria-labelledby="party-question-title" data-testid="party-page" data-status={view.status}>
          {view.partyName ? <p>{t('party.greeting', { name: view.partyName })}</p> : null}
          <p className="lead">{t('party.intro', { company: view.companyName })}</p>
          <dl className="facts">
            <div>
              <dt>{t('party.company')}</dt>
              <dd data-testid="party-company">{view.companyName}</dd>
            </div>
            <div>
              <dt>{t('party.due')}</dt>
              <dd>
                <DateTime iso={view.dueAt} testId="party-due" />
              </dd>
            </div>
          </dl>
          <h2 id="party-question-title">{t('party.question')}</h2>
          <blockquote className="message-body" data-testid="party-question">
            {view.question}
          </blockquote>
          {view.files.length ? (
            <div data-testid="party-files">
              <h3 className="small-heading">{t('party.files')}</h3>
              <p className="field-hint">{t('party.filesHint')}</p>
              <FileLinks files={view.files} testId="party-file" />
            </div>
          ) : null}
        </section>
      ) : null}
      <div aria-live="polite">
        {sent ? (
          <Notice kind="success" testId="party-answer-sent">
            {t('party.sent')}
          </Notice>
        ) : problem === 'answered' ? (
          <Notice kind="info" testId="consultation-link-answered">
            {view?.answeredAt ? t('party.answered', { at: formatDateTime(view.answeredAt) }) : t('party.answeredNoDate')}
          </Notice>
        ) : null}
      </div>
      {view && problem === null && !sent ? (
        <PartyAnswerForm
          path={path}
          onSent={(next) => {
            setView(next);
            setSent(true);
          }}
          onRefused={(p) => {
            setProblem(p);
            if (p === 'answered') void load();
          }}
        />
      ) : null}
    </PortalLayout>
  );
}

function PartyAnswerForm({ path, onSent, onRefused }: { path: string; onSent: (next: PartyView) => void; onRefused: (p: LinkProblem) => void }) {
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
      document.getElementById('party-answer')?.focus();
      return;
    }
    if (hasFileProblems(checkFiles(files, t))) {
      document.getElementById('party-answer-files')?.focus();
      return;
    }
    setAnswerError(undefined);
    setSending(true);
    try {
      onSent(await api.postForm<PartyView>(path, filesForm(files, { answer: answer.trim() })));
    } catch (err) {
      const p = linkProblemOf(err);
      if (p) onRefused(p);
      else if (err instanceof ApiError && err.fields.some((f) => f.field.startsWith('files'))) setFileProblems(fileProblemsFrom(err, files, t));
      else if (err instanceof ApiError && err.fields.some((f) => f.field === 'answer')) setAnswerError(err.fields.find((f) => f.field === 'answer')!.message || err.message);
      else setError(describeError(err, t));
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate data-testid="party-answer-form">
      <TextArea
        id="party-answer"
        label={t('party.answerLabel')}
        hint={t('party.answerHint')}
        required
        rows={6}
        maxLength={20000}
        value={answer}
        onChange={(e) => {
          setAnswer(e.target.value);
          setAnswerError(undefined);
        }}
        error={answerError}
        data-testid="party-answer-input"
      />
      <FilePicker
        id="party-answer-files"
        label={t('party.filesLabel')}
        optional
        files={files}
        onChange={(next) => {
          setFiles(next);
          setFileProblems(NO_FILE_PROBLEMS);
        }}
        serverProblems={fileProblems}
        disabled={sending}
        testId="party-answer-files"
      />
      {error ? (
        <Notice kind="error" testId="party-answer-error">
          {error}
        </Notice>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={sending} data-testid="party-answer-submit">
          {sending ? t('party.sending') : t('party.submit')}
        </button>
      </div>
    </form>
  );
}
