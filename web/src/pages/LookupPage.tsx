import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { DateTime, StatusBadge } from '../components/badges';
import {
  AttachmentUploader,
  checkFiles,
  FilePicker,
  fileProblemsFrom,
  filesForm,
  hasFileProblems,
  NO_FILE_PROBLEMS,
  type FileProblems,
} from '../components/files';
import { ErrorSummary, Notice, TextArea, TextField } from '../components/forms';
import { InfoItems } from '../components/investigation';
import {
  CustomerFollowupPanel,
  CustomerProposalsPanel,
  hasOfferedProposal,
  PublicResolutionDetails,
  publicResolutionTitle,
  RefusalNotice,
} from '../components/portal-resolution';
import { PortalLayout, useTitle } from '../components/layout';
import { describeError, NO_ERRORS, useFormErrors } from '../errors';
import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { navigate, useLocation } from '../router';
import {
  OPEN_STATUSES,
  takesCustomerMessages,
  type CustomerInformation,
  type CustomerMessageInput,
  type CustomerPromise,
  type PublicComplaint,
  type PublicTimelineEvent,
  type Status,
  type StatusLinkInput,
  type VerifiedStatusLink,
} from '../types';

function contactFromState(state: unknown): string {
  if (typeof state === 'object' && state !== null && (state as { kind?: unknown }).kind === 'sen.lookup') {
    const contact = (state as { contact?: unknown }).contact;
    return typeof contact === 'string' ? contact : '';
  }
  return '';
}

/** Tra cứu — a customer checks a complaint with its code and the phone or email used. */
export function LookupPage() {
  const { t } = useI18n();
  useTitle(t('lookup.title'));
  const location = useLocation();
  const [code, setCode] = useState(() => location.search.get('code') ?? '');
  const [contact, setContact] = useState(() => contactFromState(location.state));
  const [errors, setErrors] = useFormErrors();
  const [notFound, setNotFound] = useState(false);
  const [loading, setLoading] = useState(false);
  const [result, setResult] = useState<PublicComplaint | null>(null);
  // The contact that proved this lookup: messages are sent with it, whatever the box says now.
  const [provenContact, setProvenContact] = useState('');
  // What we asked the customer for and they have still to send (one request at a time).
  const [information, setInformation] = useState<CustomerInformation | null>(null);
  const [infoSent, setInfoSent] = useState(false);
  // A link from a mail being opened, or why it was refused (the form is the way on).
  const [openingLink, setOpeningLink] = useState(false);
  const [linkRefused, setLinkRefused] = useState<'invalid' | 'expired' | null>(null);
  const autoRan = useRef(false);

  async function loadInformation(c: string, who: string) {
    try {
      setInformation(
        await api.get<CustomerInformation>(`/api/v1/portal/complaints/${encodeURIComponent(c)}/information`, { query: { contact: who } }),
      );
    } catch {
      // The status page works without it; the request is also in the timeline and the email.
      setInformation(null);
    }
  }

  async function lookup(rawCode: string, rawContact: string) {
    const c = rawCode.trim().toUpperCase();
    const who = rawContact.trim();
    if (!c || !who) {
      setErrors((tr) => ({
        fields: {
          ...(c ? {} : { code: tr('validation.codeRequired') }),
          ...(who ? {} : { contact: tr('validation.lookupContactRequired') }),
        },
        general: [],
      }));
      return;
    }
    setErrors(NO_ERRORS);
    setNotFound(false);
    setLinkRefused(null);
    setLoading(true);
    // The code goes into the address (shareable); the contact never does.
    navigate(`/tra-cuu?code=${encodeURIComponent(c)}`, { replace: true, keepScroll: true });
    try {
      const found = await api.get<PublicComplaint>(`/api/v1/portal/complaints/${encodeURIComponent(c)}`, {
        query: { contact: who },
      });
      setResult(found);
      setProvenContact(who);
      setInfoSent(false);
      setInformation(null);
      // Only asked when the timeline shows a request still waiting: a lookup costs one call otherwise.
      if (waitingRequest(found)) await loadInformation(found.code, who);
    } catch (err) {
      setResult(null);
      setInformation(null);
      if (err instanceof ApiError && err.status === 404) setNotFound(true);
      else setErrors((tr) => ({ fields: {}, general: [describeError(err, tr)] }));
    } finally {
      setLoading(false);
    }
  }

  /** Reloads the complaint shown (after an answer to a proposal or the survey moved it on). */
  async function refresh(c: string, who: string) {
    try {
      const found = await api.get<PublicComplaint>(`/api/v1/portal/complaints/${encodeURIComponent(c)}`, { query: { contact: who } });
      setResult((current) => (current && current.code === found.code ? found : current));
    } catch {
      // The panels keep what they showed; the next lookup shows the rest.
    }
  }

  /**
   * Opened from a mail (`?code=…&t=…`): the server checks the signed link and answers with the code
   * and contact it proves; the page then looks up exactly as if the customer had typed them.
   */
  async function openLink(rawCode: string, token: string) {
    const c = rawCode.trim().toUpperCase();
    // The token proves who the customer is: it leaves the address bar (and so the history) at once.
    navigate(c ? `/tra-cuu?code=${encodeURIComponent(c)}` : '/tra-cuu', { replace: true, keepScroll: true });
    setOpeningLink(true);
    setLoading(true);
    try {
      const body: StatusLinkInput = c ? { token, code: c } : { token };
      const proven = await api.post<VerifiedStatusLink>('/api/v1/portal/status-links/verify', body);
      setCode(proven.code);
      setContact(proven.contact);
      setOpeningLink(false);
      await lookup(proven.code, proven.contact);
    } catch (err) {
      setOpeningLink(false);
      setLoading(false);
      // 422: a token or code too long to be one of ours is just as invalid as an altered one.
      if (err instanceof ApiError && [403, 410, 422].includes(err.status)) {
        setLinkRefused(err.status === 410 ? 'expired' : 'invalid');
        document.getElementById(c ? 'contact' : 'code')?.focus();
      } else {
        setErrors((tr) => ({ fields: {}, general: [describeError(err, tr)] }));
      }
    }
  }

  // From a mail's link, or from the confirmation page (both values known): show the status at once.
  useEffect(() => {
    if (autoRan.current) return;
    autoRan.current = true;
    const token = location.search.get('t');
    if (token) void openLink(code, token);
    else if (code && contact) void lookup(code, contact);
  }, []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!loading) void lookup(code, contact);
  }

  return (
    <PortalLayout>
      <div className="page-head">
        <h1>{t('lookup.title')}</h1>
        <p className="lead">{t('lookup.intro')}</p>
      </div>
      <div aria-live="polite">
        {openingLink ? (
          <Notice kind="info" testId="lookup-opening-link">
            {t('lookup.openingLink')}
          </Notice>
        ) : null}
      </div>
      {linkRefused ? (
        <Notice kind="error" testId="lookup-link-refused">
          {t(linkRefused === 'expired' ? 'lookup.linkExpired' : 'lookup.linkInvalid')}
        </Notice>
      ) : null}
      <form className="card form" onSubmit={submit} noValidate data-testid="lookup-form">
        <ErrorSummary errors={errors} />
        <div className="grid-2">
          <TextField
            id="code"
            maxLength={40}
            label={t('field.code')}
            hint={t('field.codeHint')}
            required
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="characters"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={errors.fields.code}
          />
          <TextField
            id="contact"
            maxLength={254}
            label={t('field.contact')}
            hint={t('field.contactLookupHint')}
            required
            autoComplete="off"
            value={contact}
            onChange={(e) => setContact(e.target.value)}
            error={errors.fields.contact}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={loading} data-testid="lookup-submit">
            {loading ? t('lookup.searching') : t('lookup.submit')}
          </button>
        </div>
      </form>

      {notFound ? (
        <Notice kind="error" testId="lookup-not-found">
          {t('lookup.notFound')}
        </Notice>
      ) : null}

      {result ? (
        <>
          {infoSent ? (
            <Notice kind="success" testId="info-answer-sent">
              {t('lookupInfo.sent')}
            </Notice>
          ) : null}
          {information?.request && information.code === result.code && (OPEN_STATUSES as readonly Status[]).includes(result.status) ? (
            <InformationRequestPanel
              key={information.request.id}
              code={result.code}
              contact={provenContact}
              request={information.request}
              onAnswered={(next) => {
                setResult(next);
                setInfoSent(true);
                if (waitingRequest(next)) void loadInformation(next.code, provenContact);
                else setInformation(null);
              }}
              onClosed={() => void loadInformation(result.code, provenContact)}
            />
          ) : null}
          <RefusalNotice complaint={result} />
          {hasOfferedProposal(result) ? (
            <CustomerProposalsPanel
              key={`proposals-${result.code}`}
              code={result.code}
              contact={provenContact}
              refreshKey={`${result.status}:${result.timeline.length}`}
              onChanged={() => void refresh(result.code, provenContact)}
            />
          ) : null}
          <CustomerFollowupPanel
            key={`followup-${result.code}`}
            complaint={result}
            contact={provenContact}
            onComplaint={setResult}
            onChanged={() => void refresh(result.code, provenContact)}
            onOpenCode={(next) => {
              setCode(next);
              setContact(provenContact);
              void lookup(next, provenContact);
            }}
          />
          <PublicResult complaint={result} />
          <MessageForm key={result.code} complaint={result} contact={provenContact} onSent={setResult} />
          {takesCustomerMessages(result.status) ? (
            <section className="card" aria-labelledby="files-title" data-testid="portal-files-section">
              <h2 id="files-title">{t('lookup.filesTitle')}</h2>
              <p className="field-hint">{t('lookup.filesIntro')}</p>
              <AttachmentUploader<PublicComplaint>
                key={result.code}
                id="more-files"
                label={t('form.attachments')}
                path={`/api/v1/portal/complaints/${encodeURIComponent(result.code)}/attachments`}
                fields={{ contact: provenContact }}
                onUploaded={setResult}
                testId="portal-upload"
              />
            </section>
          ) : null}
          {result.canWithdraw ? <WithdrawPanel key={`withdraw-${result.code}`} complaint={result} contact={provenContact} onWithdrawn={setResult} /> : null}
        </>
      ) : null}
    </PortalLayout>
  );
}

/** Whether the customer's timeline shows an information request neither answered, cancelled nor expired. */
function waitingRequest(complaint: PublicComplaint): boolean {
  const waiting = new Set<string>();
  for (const e of complaint.timeline) {
    if (!e.requestId) continue;
    if (e.type === 'info_request.created') waiting.add(e.requestId);
    else if (e.type === 'info_request.answered' || e.type === 'info_request.cancelled' || e.type === 'info_request.expired') waiting.delete(e.requestId);
  }
  return waiting.size > 0;
}

function PublicResult({ complaint }: { complaint: PublicComplaint }) {
  const { t } = useI18n();
  return (
    <section className="card result" aria-labelledby="result-title" data-testid="lookup-result">
      <div className="result-head">
        <h2 id="result-title">{t('lookup.result', { code: complaint.code })}</h2>
        <StatusBadge status={complaint.status} testId="status-value" />
      </div>
      <p className="result-subject">{complaint.subject}</p>
      <dl className="facts">
        <div>
          <dt>{t('date.receivedAt')}</dt>
          <dd>
            <DateTime iso={complaint.receivedAt} />
          </dd>
        </div>
        {complaint.promises ? null : (
          <>
            <div>
              <dt>{t('date.ackDue')}</dt>
              <dd>
                <DateTime iso={complaint.acknowledgementDueAt} />
              </dd>
            </div>
            <div>
              <dt>{t('date.resolutionDue')}</dt>
              <dd>
                <DateTime iso={complaint.resolutionDueAt} />
              </dd>
            </div>
          </>
        )}
      </dl>
      {complaint.promises && complaint.promises.length ? (
        <>
          <h3>{t('promise.title')}</h3>
          <ul className="promises" data-testid="promises">
            {complaint.promises.map((p) => (
              <PromiseItem key={p.kind} promise={p} />
            ))}
          </ul>
        </>
      ) : null}
      <h3>{t('lookup.timeline')}</h3>
      {complaint.timeline.length === 0 ? (
        <p className="muted">{t('lookup.noEvents')}</p>
      ) : (
        <ol className="timeline" data-testid="public-timeline">
          {complaint.timeline.map((event, i) => (
            <li key={`${event.at}-${i}`} className={`timeline-item timeline-${event.type.replace('.', '-')}`} data-testid="timeline-event" data-type={event.type}>
              <span className="timeline-dot" aria-hidden="true" />
              <div className="timeline-body">
                <p className="timeline-title">
                  <PublicEventText event={event} />
                </p>
                {event.type === 'attachments.added' && event.files?.length ? (
                  <ul className="timeline-list timeline-files" data-testid="public-files">
                    {event.files.map((name, j) => (
                      <li key={`${name}-${j}`} data-testid="public-file">
                        {name}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {event.type === 'info_request.created' && event.items?.length ? (
                  <>
                    <InfoItems items={event.items} audience="customer" testId="public-info-items" />
                    {event.dueAt ? <p className="timeline-reason">{t('publicEvent.infoDue', { due: formatDateTime(event.dueAt) })}</p> : null}
                  </>
                ) : null}
                {event.type === 'info_request.answered' ? (
                  <>
                    {event.answer ? (
                      <blockquote className="message-body" data-testid="public-info-answer">
                        {event.answer}
                      </blockquote>
                    ) : null}
                    <PublicFiles names={event.files} testId="public-files" />
                  </>
                ) : null}
                <PublicResolutionDetails event={event} />
                {event.type === 'message.received' && event.body ? (
                  <blockquote className="message-body" data-testid="public-message">
                    {event.body}
                  </blockquote>
                ) : null}
                {event.type === 'sms.sent' && event.body ? (
                  <blockquote className="message-body" data-testid="public-sms">
                    {event.body}
                  </blockquote>
                ) : null}
                {event.type === 'reply.sent' && event.body ? (
                  <blockquote className="message-body" data-testid="public-reply">
                    {event.body}
                  </blockquote>
                ) : null}
                {event.type === 'reply.sent' && event.files?.length ? (
                  <>
                    <p className="timeline-reason">{t('replyFiles.public')}</p>
                    <PublicFiles names={event.files} testId="public-reply-files" />
                  </>
                ) : null}
                {event.reason ? <p className="timeline-reason">{t('timeline.reason', { reason: event.reason })}</p> : null}
                <p className="timeline-meta">
                  <DateTime iso={event.at} />
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The names of files on the customer's timeline (theirs, or those mailed to them), without links. */
function PublicFiles({ names, testId }: { names?: string[]; testId: string }) {
  if (!names?.length) return null;
  return (
    <ul className="timeline-list timeline-files" data-testid={testId}>
      {names.map((name, j) => (
        <li key={`${name}-${j}`} data-testid="public-file">
          {name}
        </li>
      ))}
    </ul>
  );
}

function PublicEventText({ event }: { event: PublicTimelineEvent }) {
  const { t, label } = useI18n();
  if (event.type === 'message.received') return <>{t('publicEvent.message.received')}</>;
  if (event.type === 'reply.sent') return <>{t('publicEvent.reply.sent')}</>;
  if (event.type === 'sms.sent') return <>{t('sms.public')}</>;
  if (event.type === 'attachments.added') return <>{t('publicEvent.attachments.added', { count: event.files?.length ?? 0 })}</>;
  if (event.type === 'contact.logged') {
    const how = event.method ? label('publicMethod', event.method) : '';
    const contacted = t('publicEvent.contact.logged', { how: how === event.method ? '' : how }).trim();
    // The call back promised to them on that call (hẹn gọi lại).
    if (event.callBackAt) return <>{`${contacted}. ${t('callBack.public', { at: formatDateTime(event.callBackAt) })}`}</>;
    return <>{contacted}</>;
  }
  if (event.type === 'status.changed' && event.status === 'merged' && event.mergedInto) {
    return <>{t('publicEvent.status.mergedInto', { code: event.mergedInto })}</>;
  }
  if (event.type === 'status.changed' && event.status) {
    return <>{t('publicEvent.status.changed', { status: label('status', event.status) })}</>;
  }
  if (event.type === 'complaint.created') return <>{t('publicEvent.complaint.created')}</>;
  const resolution = publicResolutionTitle(event, t, label);
  if (resolution) return <>{resolution}</>;
  if (event.type.startsWith('info_request.')) {
    const key = `publicEvent.${event.type}` as MessageKey;
    if (t(key) !== key) return <>{t(key)}</>;
  }
  if (event.status) return <>{label('status', event.status)}</>;
  return <>{label('event', event.type)}</>;
}

/** One date we promised the customer, and whether we kept it: in words, not colour alone. */
function PromiseItem({ promise: p }: { promise: CustomerPromise }) {
  const { t } = useI18n();
  let outcome: 'kept' | 'late' | 'pending' | 'paused' | 'cancelled';
  let text: string;
  if (p.state === 'cancelled') {
    outcome = 'cancelled';
    text = t('promise.cancelled');
  } else if (p.doneAt) {
    outcome = p.state === 'breached' ? 'late' : 'kept';
    text = t(outcome === 'late' ? 'promise.late' : 'promise.kept', { at: formatDateTime(p.doneAt) });
  } else if (p.state === 'breached') {
    outcome = 'late';
    text = t('promise.overdue');
  } else if (p.state === 'paused') {
    outcome = 'paused';
    text = t('promise.paused');
  } else {
    outcome = 'pending';
    text = t('promise.pending');
  }
  return (
    <li className={`promise promise-${outcome}`} data-testid={`promise-${p.kind}`} data-state={p.state} data-outcome={outcome}>
      <p className="promise-name">{t(`promise.${p.kind}` as MessageKey)}</p>
      <p className="promise-due">
        {t('promise.by', { due: formatDateTime(p.dueAt) })}
      </p>
      <p className="promise-outcome" data-testid={`promise-${p.kind}-outcome`}>
        <span aria-hidden="true" className="promise-icon">
          {outcome === 'kept' ? '✓' : outcome === 'late' ? '!' : outcome === 'paused' ? '❚❚' : outcome === 'cancelled' ? '○' : '…'}
        </span>{' '}
        {text}
      </p>
    </li>
  );
}

/**
 * Rút khiếu nại — the customer withdraws their complaint, saying why; two steps (open, then confirm) so
 * that it never happens by a stray click. The status and the reason show on the page at once.
 */
function WithdrawPanel({
  complaint,
  contact,
  onWithdrawn,
}: {
  complaint: PublicComplaint;
  contact: string;
  onWithdrawn: (next: PublicComplaint) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useFormErrors();
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    const text = reason.trim();
    if (!text) {
      setErrors((tr) => ({ fields: { reason: tr('withdraw.reasonRequired') }, general: [] }));
      return;
    }
    setErrors(NO_ERRORS);
    setSending(true);
    try {
      const next = await api.post<PublicComplaint>(`/api/v1/portal/complaints/${encodeURIComponent(complaint.code)}/withdraw`, { contact, reason: text });
      onWithdrawn(next);
    } catch (err) {
      const field = err instanceof ApiError ? err.fields.find((f) => f.field === 'reason') : undefined;
      if (field) setErrors({ fields: { reason: field.message }, general: [] });
      else setErrors((tr) => ({ fields: {}, general: [describeError(err, tr)] }));
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="withdraw-title" data-testid="withdraw-section">
      <h2 id="withdraw-title">{t('withdraw.title')}</h2>
      <p className="field-hint">{t('withdraw.intro')}</p>
      {!open ? (
        <button type="button" className="btn btn-secondary" onClick={() => setOpen(true)} data-testid="withdraw-open">
          {t('withdraw.open')}
        </button>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate data-testid="withdraw-form">
          <ErrorSummary errors={errors} />
          <TextArea
            id="withdraw-reason"
            maxLength={2000}
            label={t('withdraw.reason')}
            hint={t('withdraw.reasonHint')}
            required
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={errors.fields.reason}
            data-testid="withdraw-reason"
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-danger" disabled={sending} data-testid="withdraw-submit">
              {sending ? t('withdraw.sending') : t('withdraw.submit', { code: complaint.code })}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)} disabled={sending} data-testid="withdraw-cancel">
              {t('withdraw.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Gửi thêm thông tin — the customer adds to an open complaint, proving the same contact as the lookup. */
function MessageForm({
  complaint,
  contact,
  onSent,
}: {
  complaint: PublicComplaint;
  contact: string;
  onSent: (next: PublicComplaint) => void;
}) {
  const { t } = useI18n();
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useFormErrors();
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);
  const open = takesCustomerMessages(complaint.status);

  if (!open) {
    return (
      <Notice kind="info" testId="message-closed">
        {t('message.closed')}
      </Notice>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    const text = message.trim();
    if (!text) {
      setErrors((tr) => ({ fields: { message: tr('validation.messageRequired') }, general: [] }));
      setSent(false);
      return;
    }
    setErrors(NO_ERRORS);
    setSending(true);
    setSent(false);
    try {
      const body: CustomerMessageInput = { contact, message: text };
      const next = await api.post<PublicComplaint>(`/api/v1/portal/complaints/${encodeURIComponent(complaint.code)}/messages`, body);
      setMessage('');
      setSent(true);
      onSent(next);
    } catch (err) {
      const field = err instanceof ApiError ? err.fields.find((f) => f.field === 'message') : undefined;
      if (field) setErrors({ fields: { message: field.message }, general: [] });
      else setErrors((tr) => ({ fields: {}, general: [describeError(err, tr)] }));
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="message-title" data-testid="message-section">
      <h2 id="message-title">{t('message.title')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="message-form">
        <ErrorSummary errors={errors} />
        <TextArea
          id="message"
          maxLength={20000}
          label={t('message.label')}
          hint={t('message.hint')}
          required
          rows={4}
          value={message}
          onChange={(e) => {
            setMessage(e.target.value);
            setSent(false);
          }}
          error={errors.fields.message}
          data-testid="message-input"
        />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={sending} data-testid="message-submit">
            {sending ? t('message.sending') : t('message.submit')}
          </button>
        </div>
        <div aria-live="polite">
          {sent ? (
            <Notice kind="success" testId="message-sent">
              {t('message.sent')}
            </Notice>
          ) : null}
        </div>
      </form>
    </section>
  );
}

/**
 * Yêu cầu bổ sung thông tin — what we asked the customer for (in plain words), by when, and the
 * answer form: a message and/or files, proven with the contact of the lookup.
 */
function InformationRequestPanel({
  code,
  contact,
  request,
  onAnswered,
  onClosed,
}: {
  code: string;
  contact: string;
  request: NonNullable<CustomerInformation['request']>;
  onAnswered: (next: PublicComplaint) => void;
  onClosed: () => void;
}) {
  const { t } = useI18n();
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileProblems, setFileProblems] = useState<FileProblems>(NO_FILE_PROBLEMS);
  const [messageError, setMessageError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    setError(null);
    if (!message.trim() && !files.length) {
      setMessageError(t('validation.infoAnswerRequired'));
      document.getElementById('info-answer')?.focus();
      return;
    }
    if (hasFileProblems(checkFiles(files, t))) {
      document.getElementById('info-answer-files')?.focus();
      return;
    }
    setMessageError(undefined);
    setSending(true);
    try {
      const next = await api.postForm<PublicComplaint>(
        `/api/v1/portal/complaints/${encodeURIComponent(code)}/information`,
        filesForm(files, { contact, requestId: request.id, message: message.trim() }),
      );
      onAnswered(next);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setError(t('lookupInfo.closed'));
        onClosed();
      } else if (err instanceof ApiError && err.fields.some((f) => f.field.startsWith('files'))) {
        setFileProblems(fileProblemsFrom(err, files, t));
      } else {
        const field = err instanceof ApiError ? err.fields.find((f) => f.field === 'message') : undefined;
        if (field) setMessageError(field.message || (err as ApiError).message);
        else setError(describeError(err, t));
      }
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="card info-request-panel" aria-labelledby="info-request-title" data-testid="info-request-panel" data-id={request.id}>
      <h2 id="info-request-title">{t('lookupInfo.title')}</h2>
      <p>{t('lookupInfo.intro')}</p>
      <InfoItems items={request.items} audience="customer" testId="info-request-items" />
      {request.message ? (
        <div className="inv-quote">
          <p className="small-heading">{t('lookupInfo.fromStaff')}</p>
          <blockquote className="message-body" data-testid="info-request-staff-message">
            {request.message}
          </blockquote>
        </div>
      ) : null}
      <p className="info-request-due" data-testid="info-request-due">
        <strong>{t('lookupInfo.due', { due: formatDateTime(request.dueAt) })}</strong>
      </p>
      <p className="muted">{t('lookupInfo.pausedNote')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="info-answer-form">
        <TextArea
          id="info-answer"
          label={t('lookupInfo.message')}
          hint={t('lookupInfo.messageHint')}
          rows={4}
          maxLength={20000}
          value={message}
          onChange={(e) => {
            setMessage(e.target.value);
            setMessageError(undefined);
          }}
          error={messageError}
          data-testid="info-answer-message"
        />
        <FilePicker
          id="info-answer-files"
          label={t('lookupInfo.files')}
          files={files}
          onChange={(next) => {
            setFiles(next);
            setFileProblems(NO_FILE_PROBLEMS);
            setMessageError(undefined);
          }}
          serverProblems={fileProblems}
          disabled={sending}
          testId="info-answer-files"
        />
        {error ? (
          <Notice kind="error" testId="info-answer-error">
            {error}
          </Notice>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={sending} data-testid="info-answer-submit">
            {sending ? t('lookupInfo.sending') : t('lookupInfo.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
