import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api';
import { DateTime } from '../components/badges';
import { LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { DateTimeField, ErrorSummary, Notice, SelectField, TextArea, TextField } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import {
  CardActions,
  CardFeedback,
  Conflict as CardConflict,
  Deadline,
  FormButtons,
  GeneralErrors as SharedGeneralErrors,
  Quoted,
  useCardAction,
  useCardPanels,
  type CardAction,
} from '../components/personal-data';
import { formErrorsFrom, hasErrors, NO_ERRORS, useFormErrors, type FormErrors } from '../errors';
import { displayPhone, formatDateTime, fromVietnamLocalInput } from '../format';
import { useI18n, type I18n } from '../i18n';
import {
  DATA_REQUEST_CHANNELS,
  DATA_REQUEST_KINDS,
  DATA_REQUEST_MAX_EXTENSION_DAYS,
  type DataRequest,
  type DataRequestChannel,
  type DataRequestInput,
  type DataRequestKind,
} from '../personal-data-types';
import { Link } from '../router';
import { can } from '../../../src/policies';
import { customerPath } from './CustomerPage';
import '../personal-data.css';

type StatusFilter = 'open' | 'closed' | 'all';
const FILTERS: StatusFilter[] = ['open', 'closed', 'all'];

/** Yêu cầu về dữ liệu cá nhân — data subjects' requests and their deadlines (admins; auditors read). */
export function DataRequestsPage() {
  return (
    <StaffLayout>
      <DataRequestsView />
    </StaffLayout>
  );
}

function DataRequestsView() {
  const { t } = useI18n();
  useTitle(t('dataRequests.title'));
  const role = useRole();
  const readable = !!role && can(role, 'personal_data.audit');
  const manager = !!role && can(role, 'personal_data.manage');
  const [filter, setFilter] = useState<StatusFilter>('open');
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<{ items: DataRequest[] }>(readable ? `/api/v1/data-requests?status=${filter}` : null, attempt);
  const [items, setItems] = useState<DataRequest[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);

  if (role && !readable) return <NotAllowed message={t('dataRequests.forbidden')} testId="data-requests-forbidden" />;

  const replace = (next: DataRequest) => setItems((list) => (list ? list.map((r) => (r.id === next.id ? next : r)) : list));

  return (
    <div data-testid="data-requests-page">
      <div className="page-head page-head-row">
        <div>
          <h1>{t('dataRequests.title')}</h1>
          <p className="lead" data-testid="data-requests-intro">
            {t('dataRequests.intro')}
          </p>
        </div>
        {manager ? (
          <button
            ref={addButton}
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setCreated(null);
              setAdding((a) => !a);
            }}
            aria-expanded={adding}
            aria-controls="data-request-new"
            data-testid="data-request-new"
          >
            + {t('dataRequests.new')}
          </button>
        ) : null}
      </div>

      {manager && adding ? (
        <NewRequestForm
          onCreated={(r) => {
            setAdding(false);
            setCreated(r.ref);
            // The new request is open: show it where open requests are listed.
            if (filter === 'open' || filter === 'all') setAttempt((a) => a + 1);
            else setFilter('open');
          }}
          onCancel={() => {
            setAdding(false);
            window.setTimeout(() => addButton.current?.focus());
          }}
        />
      ) : null}
      <div aria-live="polite">
        {created ? (
          <Notice kind="success" testId="data-request-created">
            {t('dataRequests.created', { ref: created })}
          </Notice>
        ) : null}
      </div>

      <div className="pd-filter">
        <SelectField
          id="data-requests-filter"
          label={t('dataRequests.filter')}
          value={filter}
          onChange={(e) => {
            setCreated(null);
            setFilter(e.target.value as StatusFilter);
          }}
          data-testid="data-requests-filter"
        >
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {t(`dataRequests.filter.${f}`)}
            </option>
          ))}
        </SelectField>
      </div>

      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} testId="data-requests-error" /> : null}
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {items && loaded.state !== 'failed' ? (
        items.length ? (
          <ol className="pd-requests" aria-label={t('dataRequests.listLabel')} aria-busy={loaded.state === 'loading'} data-testid="data-request-list">
            {items.map((r) => (
              <li key={r.id}>
                <RequestCard request={r} manager={manager} onChanged={replace} />
              </li>
            ))}
          </ol>
        ) : (
          <p className="empty card" data-testid="data-requests-empty">
            {t('dataRequests.empty')}
          </p>
        )
      ) : null}
    </div>
  );
}

/** API field → input id, so that the server's field errors land beside their inputs. */
const NEW_FIELD_IDS: Record<string, string> = {
  requesterName: 'dr-name',
  contact: 'dr-contact',
  kind: 'dr-kind',
  channel: 'dr-channel',
  details: 'dr-details',
  receivedAt: 'dr-received',
};

function NewRequestForm({ onCreated, onCancel }: { onCreated: (r: DataRequest) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [kind, setKind] = useState<DataRequestKind>('access');
  const [channel, setChannel] = useState<DataRequestChannel>('email');
  const [details, setDetails] = useState('');
  const [receivedAt, setReceivedAt] = useState('');
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);

  function validate(tr: I18n['t']): FormErrors {
    const fields: Record<string, string> = {};
    if (!name.trim()) fields['dr-name'] = tr('dataRequests.nameRequired');
    if (!contact.trim()) fields['dr-contact'] = tr('dataRequests.contactRequired');
    if (receivedAt.trim() && !fromVietnamLocalInput(receivedAt)) fields['dr-received'] = tr('dataRequests.receivedAtInvalid');
    return { fields, general: [] };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (hasErrors(validate(t))) {
      setErrors(validate);
      return;
    }
    const received = receivedAt.trim() ? fromVietnamLocalInput(receivedAt) : null;
    const body: DataRequestInput = {
      requesterName: name.trim(),
      contact: contact.trim(),
      kind,
      channel,
      ...(details.trim() ? { details: details.trim() } : {}),
      ...(received ? { receivedAt: received } : {}),
    };
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      onCreated(await api.post<DataRequest>('/api/v1/data-requests', body));
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, NEW_FIELD_IDS));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form id="data-request-new" className="card" onSubmit={submit} noValidate aria-labelledby="data-request-new-title" data-testid="data-request-form">
      <h2 id="data-request-new-title">{t('dataRequests.newTitle')}</h2>
      <ErrorSummary errors={errors} />
      <div className="grid-2">
        <TextField
          autoFocus
          id="dr-name"
          label={t('dataRequests.requesterName')}
          required
          maxLength={200}
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.fields['dr-name']}
          data-testid="dr-name"
        />
        <TextField
          id="dr-contact"
          label={t('dataRequests.contact')}
          hint={t('dataRequests.contactHint')}
          required
          maxLength={254}
          autoComplete="off"
          value={contact}
          onChange={(e) => setContact(e.target.value)}
          error={errors.fields['dr-contact']}
          data-testid="dr-contact"
        />
        <SelectField id="dr-kind" label={t('dataRequests.kind')} required value={kind} onChange={(e) => setKind(e.target.value as DataRequestKind)} error={errors.fields['dr-kind']} data-testid="dr-kind">
          {DATA_REQUEST_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`dataRequestKind.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="dr-channel"
          label={t('dataRequests.channel')}
          required
          value={channel}
          onChange={(e) => setChannel(e.target.value as DataRequestChannel)}
          error={errors.fields['dr-channel']}
          data-testid="dr-channel"
        >
          {DATA_REQUEST_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`dataRequestChannel.${c}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <DateTimeField
        id="dr-received"
        label={t('dataRequests.receivedAt')}
        hint={t('dataRequests.receivedAtHint')}
        optional
        value={receivedAt}
        onValue={setReceivedAt}
        error={errors.fields['dr-received']}
        data-testid="dr-received"
      />
      <TextArea
        id="dr-details"
        label={t('dataRequests.details')}
        optional
        rows={4}
        maxLength={4000}
        value={details}
        onChange={(e) => setDetails(e.target.value)}
        error={errors.fields['dr-details']}
        data-testid="dr-details"
      />
      <div className="form-actions actions-row">
        <button type="submit" className="btn btn-primary" disabled={saving} aria-busy={saving} data-testid="dr-submit">
          {saving ? t('common.saving') : t('dataRequests.create')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('customerPage.cancel')}
        </button>
      </div>
    </form>
  );
}

type Panel = 'reply' | 'extend' | 'close';

function RequestCard({ request: r, manager, onChanged }: { request: DataRequest; manager: boolean; onChanged: (next: DataRequest) => void }) {
  const { t } = useI18n();
  const panels = useCardPanels<Panel>();
  const panel = panels.panel;
  const open = r.status === 'open';
  const titleId = `dr-${r.id}-title`;

  function done(next: DataRequest, text: (tr: I18n['t']) => string) {
    onChanged(next);
    panels.finish(text);
  }

  const actions: CardAction<Panel>[] = [
    { panel: 'reply', label: t('dataRequests.reply'), shown: !r.repliedAt },
    // Extended once, and only before the deadline passes (the server refuses otherwise).
    { panel: 'extend', label: t('dataRequests.extend'), shown: !r.extendedUntil && !r.overdue.completion },
    { panel: 'close', label: t('dataRequests.close'), shown: true },
  ];

  return (
    <article className="card pd-request" aria-labelledby={titleId} data-testid="data-request" data-ref={r.ref} data-status={r.status}>
      <header className="pd-request-head">
        <h2 id={titleId} className="pd-request-title">
          <span className="pd-ref">{r.ref}</span> {t(`dataRequestKind.${r.kind}`)}
        </h2>
        <span className={`badge pd-status pd-status-${r.status}`} data-testid="data-request-status">
          {t(`dataRequestStatus.${r.status}`)}
        </span>
      </header>
      <dl className="facts pd-facts">
        <div>
          <dt>{t('dataRequests.requester')}</dt>
          <dd>
            {r.requesterName}
            <span className="pd-contact break"> · {displayPhone(r.contact)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('dataRequests.customer')}</dt>
          <dd>
            {r.customer ? (
              <Link to={customerPath(r.customer.id)} data-testid="data-request-customer">
                {r.customer.name}
              </Link>
            ) : (
              <span className="muted">{t('dataRequests.noCustomer')}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('dataRequests.received')}</dt>
          <dd>
            <DateTime iso={r.receivedAt} /> · {t(`dataRequestChannel.${r.channel}`)}
          </dd>
        </div>
        <div>
          <dt>{t('dataRequests.replyDue')}</dt>
          <dd data-testid="data-request-reply-due">
            <Deadline iso={r.replyDueAt} overdue={r.overdue.reply && !r.repliedAt && open} />
            {r.repliedAt ? <span className="pd-sub">{t('dataRequests.repliedAt', { at: formatDateTime(r.repliedAt) })}</span> : null}
            {r.repliedAt && r.overdue.reply ? <span className="pd-sub pd-late">{t('dataRequests.late')}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('dataRequests.due')}</dt>
          <dd data-testid="data-request-due">
            <Deadline iso={r.dueAt} overdue={r.overdue.completion} />
            {r.extendedUntil ? (
              <span className="pd-sub">{t('dataRequests.extended', { reason: r.extensionReason ?? '—' })}</span>
            ) : null}
          </dd>
        </div>
        {!open ? (
          <div>
            <dt>{t('dataRequests.closedAtLabel')}</dt>
            <dd>
              <DateTime iso={r.closedAt} />
            </dd>
          </div>
        ) : null}
      </dl>
      {r.details ? <Quoted label={t('dataRequests.details')}>{r.details}</Quoted> : null}
      {r.replyNote ? <Quoted label={t('dataRequests.replyNote')}>{r.replyNote}</Quoted> : null}
      {r.outcomeNote ? <Quoted label={t('dataRequests.outcomeNote')}>{r.outcomeNote}</Quoted> : null}

      <CardFeedback feedback={panels.feedback} testId="data-request-message" />

      {manager && open ? (
        <CardActions label={t('dataRequests.actionsFor', { ref: r.ref })} actions={actions} panels={panels} idPrefix={`dr-${r.id}`} testIdPrefix="data-request" />
      ) : null}
      {manager && open && panel === 'reply' ? (
        <ReplyForm request={r} onDone={(next) => done(next, (tr) => tr('dataRequests.replied', { ref: r.ref }))} onCancel={() => panels.cancel('reply')} />
      ) : null}
      {manager && open && panel === 'extend' ? (
        <ExtendForm
          request={r}
          onDone={(next) => done(next, (tr) => tr('dataRequests.extendedDone', { ref: r.ref, at: formatDateTime(next.dueAt) }))}
          onCancel={() => panels.cancel('extend')}
        />
      ) : null}
      {manager && open && panel === 'close' ? (
        <CloseForm
          request={r}
          onDone={(next) => done(next, (tr) => tr('dataRequests.closedDone', { ref: r.ref, status: tr(`dataRequestStatus.${next.status}`) }))}
          onCancel={() => panels.cancel('close')}
        />
      ) : null}
    </article>
  );
}

/** Sends one action of a request's card (see useCardAction). */
function useAction(request: DataRequest, fieldIds: Record<string, string>) {
  return useCardAction<DataRequest>(`/api/v1/data-requests/${encodeURIComponent(request.id)}`, fieldIds);
}

/** Why an action was refused; closing a deletion request before the data is erased: the way to erase it is one click away. */
function Conflict({ request, conflict }: { request: DataRequest; conflict: ApiError | null }) {
  const { t } = useI18n();
  const customerId = conflict?.code === 'customer_not_anonymised' ? request.customer?.id : undefined;
  return (
    <CardConflict conflict={conflict} testId="data-request-error">
      {customerId ? (
        <Link to={customerPath(customerId)} data-testid="data-request-erase-first">
          {t('dataRequests.goToCustomer')}
        </Link>
      ) : null}
    </CardConflict>
  );
}

function ReplyForm({ request, onDone, onCancel }: { request: DataRequest; onDone: (next: DataRequest) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const noteId = `dr-${request.id}-reply-note`;
  const { errors, setErrors, busy, conflict, send } = useAction(request, { note: noteId });
  const [note, setNote] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) {
      setErrors((tr) => ({ fields: { [noteId]: tr('dataRequests.replyNoteRequired') }, general: [] }));
      document.getElementById(noteId)?.focus();
      return;
    }
    void send('reply', { note: note.trim() }, onDone);
  }

  return (
    <form id={`dr-${request.id}-reply`} className="inline-form pd-form" onSubmit={submit} noValidate data-testid="data-request-reply-form">
      <GeneralErrors errors={errors} />
      <Conflict request={request} conflict={conflict} />
      <TextArea
        id={noteId}
        label={t('dataRequests.replyNoteLabel')}
        hint={t('dataRequests.replyNoteHint')}
        required
        rows={3}
        maxLength={2000}
        autoFocus
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors.fields[noteId]}
        data-testid="data-request-reply-note"
      />
      <FormButtons busy={busy} submitLabel={t('dataRequests.replySubmit')} onCancel={onCancel} testId="data-request-reply-submit" />
    </form>
  );
}

function ExtendForm({ request, onDone, onCancel }: { request: DataRequest; onDone: (next: DataRequest) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const daysId = `dr-${request.id}-days`;
  const reasonId = `dr-${request.id}-reason`;
  const { errors, setErrors, busy, conflict, send } = useAction(request, { days: daysId, reason: reasonId });
  const [days, setDays] = useState(String(DATA_REQUEST_MAX_EXTENSION_DAYS));
  const [reason, setReason] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const n = Number(days.trim());
    const fields: Record<string, MessageKeyOf> = {};
    if (!/^\d{1,2}$/.test(days.trim()) || n < 1 || n > DATA_REQUEST_MAX_EXTENSION_DAYS) fields[daysId] = 'dataRequests.daysInvalid';
    if (!reason.trim()) fields[reasonId] = 'dataRequests.reasonRequired';
    if (Object.keys(fields).length) {
      setErrors((tr) => ({ fields: Object.fromEntries(Object.entries(fields).map(([k, key]) => [k, tr(key, { max: DATA_REQUEST_MAX_EXTENSION_DAYS })])), general: [] }));
      document.getElementById(Object.keys(fields)[0])?.focus();
      return;
    }
    void send('extend', { days: n, reason: reason.trim() }, onDone);
  }

  return (
    <form id={`dr-${request.id}-extend`} className="inline-form pd-form" onSubmit={submit} noValidate data-testid="data-request-extend-form">
      <p className="field-hint">{t('dataRequests.extendHint')}</p>
      <GeneralErrors errors={errors} />
      <Conflict request={request} conflict={conflict} />
      <div className="grid-2">
        <TextField
          id={daysId}
          label={t('dataRequests.extendDays', { max: DATA_REQUEST_MAX_EXTENSION_DAYS })}
          required
          inputMode="numeric"
          pattern="[0-9]*"
          maxLength={2}
          autoFocus
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={errors.fields[daysId]}
          data-testid="data-request-extend-days"
        />
        <TextField
          id={reasonId}
          label={t('dataRequests.extendReason')}
          required
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={errors.fields[reasonId]}
          data-testid="data-request-extend-reason"
        />
      </div>
      <FormButtons busy={busy} submitLabel={t('dataRequests.extendSubmit')} onCancel={onCancel} testId="data-request-extend-submit" />
    </form>
  );
}

type MessageKeyOf = Parameters<I18n['t']>[0];

function CloseForm({ request, onDone, onCancel }: { request: DataRequest; onDone: (next: DataRequest) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const noteId = `dr-${request.id}-outcome-note`;
  const outcomeName = `dr-${request.id}-outcome`;
  const { errors, setErrors, busy, conflict, send } = useAction(request, { note: noteId, outcome: `${outcomeName}-done` });
  const [outcome, setOutcome] = useState<'done' | 'refused'>('done');
  const [note, setNote] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // What was done, or why not (the requester is told the reason of a refusal).
    if (!note.trim()) {
      setErrors((tr) => ({ fields: { [noteId]: tr(outcome === 'refused' ? 'dataRequests.refusalReasonRequired' : 'dataRequests.closeNoteRequired') }, general: [] }));
      document.getElementById(noteId)?.focus();
      return;
    }
    void send('close', { outcome, note: note.trim() }, onDone);
  }

  return (
    <form id={`dr-${request.id}-close`} className="inline-form pd-form" onSubmit={submit} noValidate data-testid="data-request-close-form">
      <GeneralErrors errors={errors} />
      <Conflict request={request} conflict={conflict} />
      <fieldset className="pd-outcomes">
        <legend>{t('dataRequests.outcome')}</legend>
        {(['done', 'refused'] as const).map((o) => (
          <div className="radio-option" key={o}>
            <input
              type="radio"
              id={`${outcomeName}-${o}`}
              name={outcomeName}
              value={o}
              checked={outcome === o}
              onChange={() => setOutcome(o)}
              autoFocus={o === 'done'}
              data-testid={`data-request-outcome-${o}`}
            />
            <label htmlFor={`${outcomeName}-${o}`}>{t(`dataRequests.outcome.${o}`)}</label>
          </div>
        ))}
      </fieldset>
      {request.kind === 'deletion' && outcome === 'done' ? <p className="field-hint">{t('dataRequests.deletionHint')}</p> : null}
      <TextArea
        id={noteId}
        label={t('dataRequests.closeNote')}
        hint={t('dataRequests.closeNoteHint')}
        required
        rows={3}
        maxLength={2000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors.fields[noteId]}
        data-testid="data-request-close-note"
      />
      <FormButtons busy={busy} submitLabel={t('dataRequests.closeSubmit')} onCancel={onCancel} testId="data-request-close-submit" />
    </form>
  );
}

function GeneralErrors({ errors }: { errors: FormErrors }) {
  return <SharedGeneralErrors errors={errors} testId="data-request-form-error" />;
}
