import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, isAbort } from '../api';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import type {
  CustomerFollowup,
  CustomerProposal,
  CustomerProposals,
  PublicComplaint,
  PublicTimelineEvent,
  ReopenResult,
  SurveyAnswerResult,
} from '../types';
import { Notice, TextArea } from './forms';
import { formatVnd } from './resolution';

// The customer's side of steps 4 and 5 on the status page (Tra cứu): the proposals offered, to accept
// or reject; after resolution the satisfaction survey and reopening; the reason of a refusal. The
// contact that proved the lookup is the key of every call.

const RATING_KEYS: MessageKey[] = ['portalSurvey.rating1', 'portalSurvey.rating2', 'portalSurvey.rating3', 'portalSurvey.rating4', 'portalSurvey.rating5'];
const portalPath = (code: string) => `/api/v1/portal/complaints/${encodeURIComponent(code)}`;

/** Whether the customer's timeline shows a proposal ever offered (then the list is worth asking for). */
export function hasOfferedProposal(complaint: PublicComplaint): boolean {
  return complaint.timeline.some((e) => e.type === 'proposal.offered');
}

/**
 * Phương án giải quyết — what we offer the customer, with accept and reject (a reject may say why);
 * once answered, where each stands. `onChanged` asks the page to reload the complaint (its status and
 * timeline moved with the answer).
 */
export function CustomerProposalsPanel({
  code,
  contact,
  refreshKey,
  onChanged,
}: {
  code: string;
  contact: string;
  refreshKey: string;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [list, setList] = useState<CustomerProposals | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string; decision?: string } | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setList(await api.get<CustomerProposals>(`${portalPath(code)}/proposals`, { query: { contact }, signal }));
      } catch (err) {
        // The page works without it; the proposals are also in the timeline and the email.
        if (!isAbort(err)) setList(null);
      }
    },
    [code, contact],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, refreshKey]);

  if (!list || list.proposals.length === 0) return null;

  async function decide(p: CustomerProposal, decision: 'accept' | 'reject', note: string): Promise<boolean> {
    if (busy) return false;
    setBusy(true);
    setMessage(null);
    try {
      const next = await api.post<CustomerProposals>(`${portalPath(code)}/proposals/${p.id}/decision`, {
        contact,
        decision,
        ...(note ? { note } : {}),
      });
      setList(next);
      setMessage({ kind: 'success', text: t(decision === 'accept' ? 'portalProposal.accepted' : 'portalProposal.rejected'), decision });
      onChanged();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setMessage({ kind: 'error', text: t('portalProposal.alreadyAnswered') });
        await load();
        onChanged();
      } else {
        setMessage({ kind: 'error', text: describeError(err, t) });
      }
      return false;
    } finally {
      setBusy(false);
    }
  }

  const waiting = list.proposals.some((p) => p.canDecide);
  return (
    <section className="card portal-proposals" aria-labelledby="portal-proposals-title" data-testid="portal-proposals">
      <h2 id="portal-proposals-title">{waiting ? t('portalProposal.titleWaiting') : t('portalProposal.title')}</h2>
      {waiting ? <p>{t('portalProposal.intro')}</p> : null}
      <ul className="inv-list">
        {[...list.proposals].reverse().map((p) => (
          <CustomerProposalItem key={p.id} proposal={p} busy={busy} onDecide={(d, note) => decide(p, d, note)} />
        ))}
      </ul>
      <div aria-live="polite">
        {message ? (
          <Notice kind={message.kind} testId={message.kind === 'success' ? 'portal-proposal-decided' : 'portal-proposal-error'}>
            <span data-decision={message.decision}>{message.text}</span>
          </Notice>
        ) : null}
      </div>
    </section>
  );
}

function CustomerProposalItem({
  proposal: p,
  busy,
  onDecide,
}: {
  proposal: CustomerProposal;
  busy: boolean;
  onDecide: (decision: 'accept' | 'reject', note: string) => Promise<boolean>;
}) {
  const { t, label } = useI18n();
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  const noteId = `portal-reject-note-${p.id}`;
  return (
    <li className={`inv-item res-proposal res-proposal-${p.status}`} data-testid="portal-proposal" data-id={p.id} data-status={p.status}>
      <div className="inv-item-head">
        <strong data-testid="portal-proposal-kind">{label('proposalKind', p.kind)}</strong>
        {p.amountVnd !== null ? (
          <span className="res-amount" data-testid="portal-proposal-amount">
            {p.amountText ?? formatVnd(p.amountVnd)}
          </span>
        ) : null}
      </div>
      <p className="res-description" data-testid="portal-proposal-description">
        {p.description}
      </p>
      <p className={`res-customer-state res-customer-state-${p.status}`} data-testid="portal-proposal-state" data-status={p.status}>
        {customerState(p, t)}
      </p>
      {p.canDecide ? (
        rejecting ? (
          <form
            className="inv-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void onDecide('reject', note.trim()).then((ok) => ok && setRejecting(false));
            }}
            data-testid="portal-reject-form"
          >
            <TextArea
              id={noteId}
              label={t('portalProposal.rejectNote')}
              hint={t('portalProposal.rejectNoteHint')}
              optional
              rows={3}
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              data-testid="portal-reject-note"
            />
            <div className="actions-row">
              <button type="submit" className="btn btn-danger" disabled={busy} data-testid="portal-reject-confirm">
                {t('portalProposal.rejectConfirm')}
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => setRejecting(false)} data-testid="portal-reject-cancel">
                {t('common.back')}
              </button>
            </div>
          </form>
        ) : (
          <div className="actions-row">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void onDecide('accept', '')} data-testid="portal-proposal-accept">
              {t('portalProposal.accept')}
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              disabled={busy}
              onClick={() => {
                setRejecting(true);
                window.setTimeout(() => document.getElementById(noteId)?.focus(), 0);
              }}
              data-testid="portal-proposal-reject"
            >
              {t('portalProposal.reject')}
            </button>
          </div>
        )
      ) : null}
    </li>
  );
}

/** Where a proposal stands, in the customer's words. */
function customerState(p: CustomerProposal, t: I18n['t']): string {
  switch (p.status) {
    case 'offered':
      return t('portalProposal.stateOffered', { at: formatDateTime(p.offeredAt) });
    case 'accepted':
      return t('portalProposal.stateAccepted', { at: formatDateTime(p.decision?.at) });
    case 'rejected':
      return t('portalProposal.stateRejected', { at: formatDateTime(p.decision?.at) });
    case 'implemented':
      return t('portalProposal.stateImplemented', { at: formatDateTime(p.implementedAt) });
    default:
      return t('portalProposal.stateWithdrawn');
  }
}

/**
 * After resolution: the satisfaction survey (1–5 stars and a comment) if not answered yet, and
 * "Mở lại khiếu nại" with a reason — within the window the same complaint is reopened; after it a new
 * complaint, linked to this one, is opened and its code shown. `onComplaint` hands the page the
 * complaint as it now stands; `onOpenCode` looks up another complaint (the new one).
 */
export function CustomerFollowupPanel({
  complaint,
  contact,
  onComplaint,
  onChanged,
  onOpenCode,
}: {
  complaint: PublicComplaint;
  contact: string;
  onComplaint: (next: PublicComplaint) => void;
  onChanged: () => void;
  onOpenCode: (code: string) => void;
}) {
  const { t, lang } = useI18n();
  const [followup, setFollowup] = useState<CustomerFollowup | null>(null);
  const [reopened, setReopened] = useState<ReopenResult<PublicComplaint> | null>(null);
  const settled = complaint.status === 'resolved' || complaint.status === 'closed';
  const refreshKey = `${complaint.status}:${complaint.timeline.length}`;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setFollowup(await api.get<CustomerFollowup>(`${portalPath(complaint.code)}/followup`, { query: { contact }, signal }));
      } catch (err) {
        if (!isAbort(err)) setFollowup(null);
      }
    },
    [complaint.code, contact],
  );

  useEffect(() => {
    if (!settled) {
      setFollowup(null);
      return;
    }
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, settled, refreshKey]);

  const reopenedNotice =
    reopened?.outcome === 'reopened' ? (
      <Notice kind="success" testId="portal-reopened">
        {t('portalReopen.reopened', { n: reopened.reopenCount })}
      </Notice>
    ) : reopened?.outcome === 'new_complaint' ? (
      <Notice kind="success" testId="portal-reopen-new">
        {t('portalReopen.newComplaint')}{' '}
        <strong data-testid="portal-reopen-new-code">{reopened.code}</strong>.{' '}
        <a
          href={`/tra-cuu?code=${encodeURIComponent(reopened.code)}`}
          onClick={(e) => {
            if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
            e.preventDefault();
            onOpenCode(reopened.code);
          }}
          data-testid="portal-reopen-new-link"
        >
          {t('portalReopen.openNew', { code: reopened.code })}
        </a>
      </Notice>
    ) : null;

  if (!settled || !followup || followup.code !== complaint.code) return reopenedNotice;

  return (
    <>
      {reopenedNotice}
      <section className="card portal-followup" aria-labelledby="portal-followup-title" data-testid="portal-followup" data-status={followup.status}>
        <h2 id="portal-followup-title">{t('portalFollowup.title')}</h2>
        <p data-testid="portal-followup-resolved">
          {followup.status === 'closed' && followup.closedAt
            ? t('portalFollowup.closedOn', { at: formatDateTime(followup.closedAt) })
            : t('portalFollowup.resolvedOn', { at: formatDateTime(followup.resolvedAt) })}
        </p>
        {followup.survey ? (
          followup.survey.answered ? (
            <SurveyAnswered survey={followup.survey} />
          ) : (
            <SurveyForm
              key={followup.survey.resolutionNo}
              idPrefix="portal"
              resolutionNo={followup.survey.resolutionNo}
              title={followup.survey.resolutionNo > 1 ? t('portalSurvey.titleAgain', { n: followup.survey.resolutionNo }) : t('portalSurvey.title')}
              question={lang === 'en' ? followup.survey.question.en : followup.survey.question.vi}
              commentLabel={t('portalSurvey.comment')}
              submitLabel={t('portalSurvey.submit')}
              send={(answer) => api.post<SurveyAnswerResult>(`${portalPath(complaint.code)}/survey`, { contact, ...answer })}
              onAnswered={() => {
                void load();
                onChanged();
              }}
              onAlreadyAnswered={() => {
                void load();
                onChanged();
              }}
            />
          )
        ) : null}
        {followup.reopen.available ? (
          <ReopenForm
            code={complaint.code}
            contact={contact}
            reopen={followup.reopen}
            onDone={(r) => {
              setReopened(r);
              if (r.outcome === 'reopened') onComplaint(r.complaint);
              else void load();
            }}
          />
        ) : null}
      </section>
    </>
  );
}

function SurveyAnswered({ survey }: { survey: NonNullable<CustomerFollowup['survey']> }) {
  const { t } = useI18n();
  const rating = survey.rating ?? 0;
  return (
    <div className="res-survey-answered" data-testid="portal-survey-answered" data-rating={rating} data-resolution={survey.resolutionNo}>
      <h3 className="small-heading">{t('portalSurvey.thanks')}</h3>
      <p>
        <span className="res-stars" aria-hidden="true">
          {'★'.repeat(rating) + '☆'.repeat(5 - rating)}
        </span>{' '}
        <span data-testid="portal-survey-answered-rating">{t('portalSurvey.caption', { n: rating, label: rating ? t(RATING_KEYS[rating - 1]) : '' })}</span>
      </p>
      {survey.comment ? (
        <blockquote className="message-body" data-testid="portal-survey-answered-comment">
          {survey.comment}
        </blockquote>
      ) : null}
    </div>
  );
}

/**
 * Khảo sát mức độ hài lòng: 1–5 stars as a radio group (arrow keys move between them) and a comment. The customer's
 * own on the status page (`idPrefix` portal), or the answer they gave on the phone as staff write it down (phone).
 */
export function SurveyForm({
  idPrefix,
  title,
  question,
  commentLabel,
  submitLabel,
  send,
  onAnswered,
  onAlreadyAnswered,
  resolutionNo,
}: {
  idPrefix: 'portal' | 'phone';
  title: string;
  question: string;
  commentLabel: string;
  submitLabel: string;
  send: (answer: { rating: number; comment?: string }) => Promise<SurveyAnswerResult>;
  onAnswered: (answer: SurveyAnswerResult) => void;
  /** Answered meanwhile (409): what to show instead. */
  onAlreadyAnswered: (rating: number) => void;
  resolutionNo?: number;
}) {
  const { t } = useI18n();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [ratingError, setRatingError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    if (!rating) {
      setRatingError(t('portalSurvey.ratingRequired'));
      document.getElementById(`${idPrefix}-rating-1`)?.focus();
      return;
    }
    setRatingError(undefined);
    setError(null);
    setSending(true);
    try {
      onAnswered(await send({ rating, ...(comment.trim() ? { comment: comment.trim() } : {}) }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setError(t('portalSurvey.alreadyAnswered'));
        onAlreadyAnswered(rating);
      } else setError(describeError(err, t));
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="inv-form res-survey" noValidate onSubmit={(e) => void submit(e)} data-testid={`${idPrefix}-survey-form`} data-resolution={resolutionNo}>
      <h3 className="small-heading">{title}</h3>
      <fieldset
        className={ratingError ? 'res-star-group field-invalid' : 'res-star-group'}
        aria-describedby={ratingError ? `${idPrefix}-rating-error` : undefined}
        data-testid={`${idPrefix}-survey-stars`}
      >
        <legend data-testid={`${idPrefix}-survey-question`}>{question}</legend>
        <div className="res-star-row">
          {[1, 2, 3, 4, 5].map((n) => (
            <span key={n} className={`res-star${n <= rating ? ' res-star-on' : ''}`}>
              <input
                type="radio"
                name={`${idPrefix}-rating`}
                id={`${idPrefix}-rating-${n}`}
                value={n}
                checked={rating === n}
                onChange={() => {
                  setRating(n);
                  setRatingError(undefined);
                }}
                aria-label={t('portalSurvey.starLabel', { n, label: t(RATING_KEYS[n - 1]) })}
                data-testid={`${idPrefix}-survey-star-${n}`}
              />
              <span aria-hidden="true">★</span>
            </span>
          ))}
        </div>
        <p className="res-star-caption" data-testid={`${idPrefix}-survey-caption`} aria-live="polite">
          {rating ? t('portalSurvey.caption', { n: rating, label: t(RATING_KEYS[rating - 1]) }) : t('portalSurvey.pick')}
        </p>
        {ratingError ? (
          <p className="field-error" id={`${idPrefix}-rating-error`} data-testid={`error-${idPrefix}-rating`}>
            {ratingError}
          </p>
        ) : null}
      </fieldset>
      <TextArea
        id={`${idPrefix}-survey-comment`}
        label={commentLabel}
        optional
        rows={3}
        maxLength={2000}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        data-testid={`${idPrefix}-survey-comment`}
      />
      {error ? (
        <Notice kind="error" testId={`${idPrefix}-survey-error`}>
          {error}
        </Notice>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={sending} data-testid={`${idPrefix}-survey-submit`}>
        {sending ? t('portalSurvey.sending') : submitLabel}
      </button>
    </form>
  );
}

/** Mở lại khiếu nại: a reason; says until when the complaint itself can be reopened. */
function ReopenForm({
  code,
  contact,
  reopen,
  onDone,
}: {
  code: string;
  contact: string;
  reopen: CustomerFollowup['reopen'];
  onDone: (r: ReopenResult<PublicComplaint>) => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    if (!reason.trim()) {
      setReasonError(t('portalReopen.reasonRequired'));
      document.getElementById('portal-reopen-reason')?.focus();
      return;
    }
    setReasonError(undefined);
    setError(null);
    setSending(true);
    try {
      const r = await api.post<ReopenResult<PublicComplaint>>(`${portalPath(code)}/reopen`, { contact, reason: reason.trim() });
      setReason('');
      onDone(r);
    } catch (err) {
      const field = err instanceof ApiError ? err.fields.find((f) => f.field === 'reason') : undefined;
      if (field) setReasonError(field.message || (err as ApiError).message);
      else setError(describeError(err, t));
    } finally {
      setSending(false);
    }
  }

  const within = reopen.withinWindow;
  return (
    <form className="inv-form res-reopen" noValidate onSubmit={(e) => void submit(e)} data-testid="portal-reopen-form" data-within={within ? 'true' : 'false'}>
      <h3 className="small-heading">{t('portalReopen.title')}</h3>
      <p data-testid="portal-reopen-until" data-until={reopen.until ?? ''}>
        {within
          ? reopen.until
            ? t('portalReopen.until', { until: formatDateTime(reopen.until) })
            : t('portalReopen.intro')
          : t('portalReopen.windowPassed', { until: formatDateTime(reopen.until) })}
      </p>
      <TextArea
        id="portal-reopen-reason"
        label={t('portalReopen.reason')}
        hint={t('portalReopen.reasonHint')}
        required
        rows={3}
        maxLength={2000}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setReasonError(undefined);
        }}
        error={reasonError}
        data-testid="portal-reopen-reason"
      />
      {error ? (
        <Notice kind="error" testId="portal-reopen-error">
          {error}
        </Notice>
      ) : null}
      <button type="submit" className="btn btn-secondary" disabled={sending} data-testid="portal-reopen-submit">
        {sending ? t('portalReopen.sending') : within ? t('portalReopen.submit') : t('portalReopen.submitNew')}
      </button>
    </form>
  );
}

/** Không thụ lý: the complaint was refused as not admissible, and why (the reason staff gave). */
export function RefusalNotice({ complaint }: { complaint: PublicComplaint }) {
  const { t } = useI18n();
  if (complaint.status !== 'rejected') return null;
  const refusal = [...complaint.timeline].reverse().find((e) => e.type === 'status.changed' && e.status === 'rejected');
  return (
    <Notice kind="info" testId="portal-refusal">
      <strong>{t('portalRefusal.title')}</strong>
      {refusal?.reason ? (
        <>
          {' '}
          {t('portalRefusal.reasonIs')} <span data-testid="portal-refusal-reason">{refusal.reason}</span>
        </>
      ) : null}
      <br />
      {t('portalRefusal.help')}
    </Notice>
  );
}

/** The title of a step 4–5 event on the customer's timeline; null for other types. */
export function publicResolutionTitle(event: PublicTimelineEvent, t: I18n['t'], label: I18n['label']): string | null {
  switch (event.type) {
    case 'proposal.offered':
      return t('publicEvent.proposal.offered', { kind: label('proposalKind', event.kind) });
    case 'proposal.accepted':
    case 'proposal.rejected': {
      const key = event.type === 'proposal.accepted' ? 'publicEvent.proposal.accepted' : 'publicEvent.proposal.rejected';
      const via = event.channel && event.channel !== 'portal' ? t('publicEvent.via', { channel: label('decisionChannel', event.channel) }) : '';
      return `${t(key)}${via}`;
    }
    case 'proposal.implemented':
      return t('publicEvent.proposal.implemented');
    case 'proposal.withdrawn':
      return t('publicEvent.proposal.withdrawn');
    case 'escalation.created':
      return t('publicEvent.escalation.created', { authority: event.authority ?? '—' });
    case 'escalation.handed_over':
      return t('publicEvent.escalation.handed_over');
    case 'escalation.outcome':
      return t('publicEvent.escalation.outcome');
    case 'survey.sent':
      return t('publicEvent.survey.sent');
    case 'survey.answered':
      return t('publicEvent.survey.answered', { n: event.rating ?? '?' });
    case 'complaint.linked':
      return t('publicEvent.complaint.linked', { code: event.previousCode ?? '—' });
    case 'complaint.merged_in':
      return t('publicEvent.complaint.merged_in', { code: event.from ?? '—' });
    default:
      return null;
  }
}

/** The details under a step 4–5 event on the customer's timeline. */
export function PublicResolutionDetails({ event }: { event: PublicTimelineEvent }): ReactNode {
  const { t } = useI18n();
  switch (event.type) {
    case 'proposal.offered':
      return (
        <>
          {typeof event.amountVnd === 'number' ? (
            <p className="timeline-change" data-testid="public-proposal-amount">
              {formatVnd(event.amountVnd)}
            </p>
          ) : null}
          {event.description ? <p className="note-body">{event.description}</p> : null}
        </>
      );
    case 'proposal.implemented':
      return (
        <>
          {event.refundReference ? <p className="timeline-reason">{t('res.refundRef', { ref: event.refundReference })}</p> : null}
          {event.shipmentReference ? <p className="timeline-reason">{t('res.shipmentRef', { ref: event.shipmentReference })}</p> : null}
        </>
      );
    case 'survey.answered':
      return event.comment ? <blockquote className="message-body">{event.comment}</blockquote> : null;
    case 'escalation.handed_over':
      return event.referenceNo ? (
        <p className="timeline-reason" data-testid="public-escalation-ref">
          {t('publicEvent.escalation.ref', { ref: event.referenceNo })}
        </p>
      ) : null;
    case 'escalation.outcome':
      return event.outcome ? (
        <blockquote className="message-body" data-testid="public-escalation-outcome">
          {event.outcome}
        </blockquote>
      ) : null;
    default:
      return null;
  }
}
