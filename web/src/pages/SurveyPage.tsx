import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, isAbort } from '../api';
import { Notice } from '../components/forms';
import { PortalLayout, useTitle } from '../components/layout';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import type { SurveyAnswer, SurveyView } from '../followup-types';
import { useI18n, type MessageKey } from '../i18n';
import { Link } from '../router';
import '../followup.css';

// Khảo sát hài lòng — the page a customer opens from the survey email: no login, the signed link is
// the key. It names the complaint, asks for 1–5 stars and a comment, and says plainly when the link
// is expired, altered or already used.

const RATING_LABELS: MessageKey[] = ['survey.rating1', 'survey.rating2', 'survey.rating3', 'survey.rating4', 'survey.rating5'];
const MAX_COMMENT = 2000;

type Problem = 'invalid' | 'expired';

type State =
  | { state: 'loading' }
  | { state: 'problem'; problem: Problem }
  | { state: 'failed'; error: unknown }
  | { state: 'open'; view: SurveyView }
  | { state: 'answered'; view: SurveyView; justNow: boolean }
  | { state: 'thanks'; view: SurveyView; answer: SurveyAnswer };

function problemOf(err: unknown): Problem | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === 'survey_link_expired' || err.status === 410) return 'expired';
  if (err.code === 'survey_link_invalid' || err.status === 403 || err.status === 404) return 'invalid';
  return null;
}

export function SurveyPage({ token }: { token: string }) {
  const { t } = useI18n();
  useTitle(t('survey.title'));
  const path = `/api/v1/public/surveys/${encodeURIComponent(token)}`;
  const [s, setS] = useState<State>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setS({ state: 'loading' });
    api
      .get<SurveyView>(path, { signal: controller.signal })
      .then((view) => setS(view.answered ? { state: 'answered', view, justNow: false } : { state: 'open', view }))
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        const p = problemOf(err);
        setS(p ? { state: 'problem', problem: p } : { state: 'failed', error: err });
      });
    return () => controller.abort();
  }, [path, attempt]);

  return (
    <PortalLayout>
      <div className="sv-page" data-testid="survey-page" data-state={s.state}>
        <h1>{t('survey.title')}</h1>
        {s.state === 'loading' ? <p className="loading">{t('survey.loading')}</p> : null}
        {s.state === 'failed' ? (
          <Notice kind="error" testId="survey-error">
            {describeError(s.error, t)}{' '}
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setAttempt((a) => a + 1)}>
              {t('common.retry')}
            </button>
          </Notice>
        ) : null}
        {s.state === 'problem' ? <LinkProblem problem={s.problem} /> : null}
        {s.state === 'open' ? (
          <SurveyForm
            view={s.view}
            path={path}
            onAnswered={(answer) => setS({ state: 'thanks', view: s.view, answer })}
            onAlreadyAnswered={(view) => setS({ state: 'answered', view, justNow: true })}
            onProblem={(problem) => setS({ state: 'problem', problem })}
          />
        ) : null}
        {s.state === 'thanks' ? <Thanks view={s.view} answer={s.answer} /> : null}
        {s.state === 'answered' ? <AlreadyAnswered view={s.view} justNow={s.justNow} /> : null}
      </div>
    </PortalLayout>
  );
}

function About({ view }: { view: SurveyView }) {
  const { t } = useI18n();
  return (
    <dl className="facts sv-about">
      <div>
        <dt>{t('field.code')}</dt>
        <dd className="sv-code" data-testid="survey-code">
          {view.code}
        </dd>
      </div>
      <div>
        <dt>{t('field.subject')}</dt>
        <dd data-testid="survey-subject">{view.subject}</dd>
      </div>
      {view.resolutionNo > 1 ? (
        <div>
          <dt>{t('survey.resolutionNo')}</dt>
          <dd>{view.resolutionNo}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function LinkProblem({ problem }: { problem: Problem }) {
  const { t } = useI18n();
  return (
    <div className="card sv-problem" data-testid={`survey-${problem}`}>
      <Notice kind={problem === 'expired' ? 'info' : 'error'}>{t(problem === 'expired' ? 'survey.expired' : 'survey.invalid')}</Notice>
      <p>
        <Link to="/tra-cuu" data-testid="survey-lookup-link">
          {t('survey.lookupLink')}
        </Link>
      </p>
    </div>
  );
}

/** Five stars, read-only: a past answer. */
function StarsShown({ rating }: { rating: number }) {
  const { t } = useI18n();
  return (
    <span className="sv-stars-shown" role="img" aria-label={t('survey.ratingOf', { rating, label: t(RATING_LABELS[rating - 1]) })} data-rating={rating}>
      {[1, 2, 3, 4, 5].map((n) => (
        <StarIcon key={n} on={n <= rating} />
      ))}
    </span>
  );
}

function StarIcon({ on }: { on: boolean }) {
  return (
    <svg className={on ? 'sv-star-icon sv-star-on' : 'sv-star-icon'} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 2.8l2.8 5.9 6.4.8-4.7 4.4 1.2 6.4L12 17.2l-5.7 3.1 1.2-6.4-4.7-4.4 6.4-.8z" />
    </svg>
  );
}

function SurveyForm({
  view,
  path,
  onAnswered,
  onAlreadyAnswered,
  onProblem,
}: {
  view: SurveyView;
  path: string;
  onAnswered: (answer: SurveyAnswer) => void;
  onAlreadyAnswered: (view: SurveyView) => void;
  onProblem: (p: Problem) => void;
}) {
  const { t, lang } = useI18n();
  const [rating, setRating] = useState<number | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [ratingError, setRatingError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const firstStar = useRef<HTMLInputElement>(null);
  const shown = hover ?? rating ?? 0;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    setError(null);
    if (!rating) {
      setRatingError(t('survey.ratingRequired'));
      firstStar.current?.focus();
      return;
    }
    setRatingError(null);
    setSending(true);
    try {
      const answer = await api.post<SurveyAnswer>(path, { rating, comment: comment.trim() || undefined });
      onAnswered(answer);
    } catch (err) {
      const p = problemOf(err);
      if (p) onProblem(p);
      else if (err instanceof ApiError && err.status === 409) {
        // Answered meanwhile (another tab, a double click): show the answer on file.
        try {
          onAlreadyAnswered(await api.get<SurveyView>(path));
        } catch {
          onAlreadyAnswered({ ...view, answered: true });
        }
      } else if (err instanceof ApiError && err.fields.some((f) => f.field === 'rating')) {
        setRatingError(err.fields.find((f) => f.field === 'rating')?.message || t('survey.ratingRequired'));
      } else setError(describeError(err, t));
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="card">
      <p className="lead">{t('survey.intro')}</p>
      <About view={view} />
      <form onSubmit={submit} noValidate data-testid="survey-form">
        <fieldset
          className={ratingError ? 'sv-stars field-invalid' : 'sv-stars'}
          aria-describedby={ratingError ? 'survey-rating-error' : undefined}
          aria-required="true"
          data-testid="survey-stars"
        >
          <legend>{view.question[lang] || view.question.vi}</legend>
          <div className="sv-star-options" onMouseLeave={() => setHover(null)}>
            {[1, 2, 3, 4, 5].map((n) => (
              <span className="sv-star-option" key={n}>
                <input
                  ref={n === 1 ? firstStar : undefined}
                  className="sv-star-input"
                  type="radio"
                  name="rating"
                  id={`rating-${n}`}
                  value={n}
                  checked={rating === n}
                  onChange={() => {
                    setRating(n);
                    setRatingError(null);
                  }}
                  data-testid={`survey-star-${n}`}
                />
                <label htmlFor={`rating-${n}`} className="sv-star-label" onMouseEnter={() => setHover(n)} title={t(RATING_LABELS[n - 1])}>
                  <StarIcon on={n <= shown} />
                  <span className="visually-hidden">{t(RATING_LABELS[n - 1])}</span>
                </label>
              </span>
            ))}
          </div>
          <p className="sv-star-caption" aria-hidden="true" data-testid="survey-star-caption">
            {shown ? `${shown}/5 · ${t(RATING_LABELS[shown - 1])}` : t('survey.pickStars')}
          </p>
          {ratingError ? (
            <p className="field-error" id="survey-rating-error" data-testid="error-survey-rating">
              {ratingError}
            </p>
          ) : null}
        </fieldset>
        <div className="field">
          <label htmlFor="survey-comment">
            {t('survey.comment')} <span className="field-optional">{t('common.optional')}</span>
          </label>
          <p className="field-hint" id="survey-comment-hint">
            {t('survey.commentHint')}
          </p>
          <textarea
            id="survey-comment"
            rows={4}
            maxLength={MAX_COMMENT}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            aria-describedby="survey-comment-hint survey-comment-count"
            data-testid="survey-comment"
          />
          <p className="field-hint sv-count" id="survey-comment-count">
            {t('survey.commentCount', { count: comment.length, max: MAX_COMMENT })}
          </p>
        </div>
        {error ? (
          <Notice kind="error" testId="survey-send-error">
            {error}
          </Notice>
        ) : null}
        <button type="submit" className="btn btn-primary btn-large" disabled={sending} data-testid="survey-submit">
          {sending ? t('survey.sending') : t('survey.submit')}
        </button>
        {view.expiresAt ? (
          <p className="field-hint sv-expiry" data-testid="survey-expires">
            {t('survey.validUntil', { at: formatDateTime(view.expiresAt) })}
          </p>
        ) : null}
      </form>
    </div>
  );
}

function Thanks({ view, answer }: { view: SurveyView; answer: SurveyAnswer }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="card sv-thanks" tabIndex={-1} ref={ref} data-testid="survey-thanks" data-rating={answer.rating}>
      <h2>{t('survey.thanksTitle')}</h2>
      <p>{t('survey.thanksBody')}</p>
      <About view={view} />
      <p className="sv-your-rating">
        {t('survey.yourRating')} <StarsShown rating={answer.rating} />{' '}
        <span data-testid="survey-thanks-rating">
          {answer.rating}/5 · {t(RATING_LABELS[answer.rating - 1])}
        </span>
      </p>
      {answer.comment ? <blockquote className="sv-comment-shown">{answer.comment}</blockquote> : null}
      {answer.status === 'closed' ? (
        <p className="muted" data-testid="survey-closed-note">
          {t('survey.closedNote', { code: answer.code })}
        </p>
      ) : null}
      <p>
        <Link to="/tra-cuu">{t('survey.lookupLink')}</Link>
      </p>
    </div>
  );
}

function AlreadyAnswered({ view, justNow }: { view: SurveyView; justNow: boolean }) {
  const { t } = useI18n();
  return (
    <div className="card" data-testid="survey-answered">
      <Notice kind="info">{t(justNow ? 'survey.answeredMeanwhile' : 'survey.alreadyAnswered')}</Notice>
      <About view={view} />
      {view.rating ? (
        <div className="sv-earlier" data-testid="survey-earlier">
          <h2 className="small-heading">{t('survey.earlierAnswer')}</h2>
          <p>
            <StarsShown rating={view.rating} />{' '}
            <span data-testid="survey-earlier-rating">
              {view.rating}/5 · {t(RATING_LABELS[view.rating - 1])}
            </span>
          </p>
          {view.comment ? <blockquote className="sv-comment-shown">{view.comment}</blockquote> : null}
          {view.answeredAt ? <p className="muted">{t('survey.answeredAt', { at: formatDateTime(view.answeredAt) })}</p> : null}
        </div>
      ) : null}
      <p>
        <Link to="/tra-cuu">{t('survey.lookupLink')}</Link>
      </p>
    </div>
  );
}
