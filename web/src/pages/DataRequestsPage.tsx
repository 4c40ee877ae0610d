import { useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../api';
import { DateTime } from '../components/badges';
import { NotAllowed } from '../components/followup-common';
import { DateTimeField, SelectField, TextArea, TextField } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import {
  ActionForm,
  CardActions,
  CardFeedback,
  CardHead,
  ClosedAtFact,
  CreatedNotice,
  Deadline,
  NewRecordForm,
  NoteForm,
  PageHead,
  Quoted,
  RecordList,
  useCardAction,
  useCardPanels,
  useCreateRecord,
  useNewRecord,
  usePersonalDataList,
  usePersonalDataRole,
  type CardAction,
  type CardRecord,
} from '../components/personal-data';
import type { FormErrors } from '../errors';
import { displayPhone, formatDateTime, fromVietnamLocalInput } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
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
  const { role, readable, manager } = usePersonalDataRole();
  const [filter, setFilter] = useState<StatusFilter>('open');
  const list = usePersonalDataList<DataRequest>(readable ? `/api/v1/data-requests?status=${filter}` : null);
  const newRequest = useNewRecord();

  if (role && !readable) return <NotAllowed message={t('dataRequests.forbidden')} testId="data-requests-forbidden" />;

  return (
    <div data-testid="data-requests-page">
      <PageHead
        title={t('dataRequests.title')}
        intro={t('dataRequests.intro')}
        introTestId="data-requests-intro"
        newRecord={manager ? newRequest : null}
        newLabel={t('dataRequests.new')}
        formId="data-request-new"
        newTestId="data-request-new"
      />

      {manager && newRequest.open ? (
        <NewRequestForm
          onCreated={(r) => {
            newRequest.done((tr) => tr('dataRequests.created', { ref: r.ref }));
            // The new request is open: show it where open requests are listed.
            if (filter === 'open' || filter === 'all') list.reload();
            else setFilter('open');
          }}
          onCancel={newRequest.cancel}
        />
      ) : null}
      <CreatedNotice newRecord={newRequest} testId="data-request-created" />

      <div className="pd-filter">
        <SelectField
          id="data-requests-filter"
          label={t('dataRequests.filter')}
          value={filter}
          onChange={(e) => {
            newRequest.forget();
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

      <RecordList
        list={list}
        label={t('dataRequests.listLabel')}
        empty={t('dataRequests.empty')}
        testId="data-request-list"
        emptyTestId="data-requests-empty"
        errorTestId="data-requests-error"
      >
        {(r) => <RequestCard request={r} manager={manager} onChanged={list.replace} />}
      </RecordList>
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
  const { errors, saving, create } = useCreateRecord<DataRequest>('/api/v1/data-requests', NEW_FIELD_IDS);

  function validate(tr: I18n['t']): FormErrors {
    const fields: Record<string, string> = {};
    if (!name.trim()) fields['dr-name'] = tr('dataRequests.nameRequired');
    if (!contact.trim()) fields['dr-contact'] = tr('dataRequests.contactRequired');
    if (receivedAt.trim() && !fromVietnamLocalInput(receivedAt)) fields['dr-received'] = tr('dataRequests.receivedAtInvalid');
    return { fields, general: [] };
  }

  function body(): DataRequestInput {
    const received = receivedAt.trim() ? fromVietnamLocalInput(receivedAt) : null;
    return {
      requesterName: name.trim(),
      contact: contact.trim(),
      kind,
      channel,
      ...(details.trim() ? { details: details.trim() } : {}),
      ...(received ? { receivedAt: received } : {}),
    };
  }

  return (
    <NewRecordForm
      id="data-request-new"
      title={t('dataRequests.newTitle')}
      testId="data-request-form"
      errors={errors}
      saving={saving}
      submitLabel={t('dataRequests.create')}
      submitTestId="dr-submit"
      onSubmit={(event) => void create(event, validate, body, onCreated)}
      onCancel={onCancel}
    >
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
    </NewRecordForm>
  );
}

type Panel = 'reply' | 'extend' | 'close';

function RequestCard({ request: r, manager, onChanged }: { request: DataRequest; manager: boolean; onChanged: (next: DataRequest) => void }) {
  const { t } = useI18n();
  const panels = useCardPanels<Panel, DataRequest>(onChanged);
  const panel = panels.panel;
  const card = cardOf(r);
  const open = r.status === 'open';
  const titleId = `dr-${r.id}-title`;

  const actions: CardAction<Panel>[] = [
    { panel: 'reply', label: t('dataRequests.reply'), shown: !r.repliedAt },
    // Extended once, and only before the deadline passes (the server refuses otherwise).
    { panel: 'extend', label: t('dataRequests.extend'), shown: !r.extendedUntil && !r.overdue.completion },
    { panel: 'close', label: t('dataRequests.close'), shown: true },
  ];

  return (
    <article className="card pd-request" aria-labelledby={titleId} data-testid="data-request" data-ref={r.ref} data-status={r.status}>
      <CardHead titleId={titleId} refText={r.ref} status={r.status} statusText={t(`dataRequestStatus.${r.status}`)} statusTestId="data-request-status">
        {t(`dataRequestKind.${r.kind}`)}
      </CardHead>
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
        {!open ? <ClosedAtFact label={t('dataRequests.closedAtLabel')} iso={r.closedAt} /> : null}
      </dl>
      {r.details ? <Quoted label={t('dataRequests.details')}>{r.details}</Quoted> : null}
      {r.replyNote ? <Quoted label={t('dataRequests.replyNote')}>{r.replyNote}</Quoted> : null}
      {r.outcomeNote ? <Quoted label={t('dataRequests.outcomeNote')}>{r.outcomeNote}</Quoted> : null}

      <CardFeedback feedback={panels.feedback} testId="data-request-message" />

      {manager && open ? (
        <CardActions label={t('dataRequests.actionsFor', { ref: r.ref })} actions={actions} panels={panels} card={card} />
      ) : null}
      {manager && open && panel === 'reply' ? (
        <NoteForm
          panel="reply"
          card={card}
          conflictHelp={(conflict) => eraseFirst(r, conflict, t)}
          noteId={`dr-${r.id}-reply-note`}
          label={t('dataRequests.replyNoteLabel')}
          hint={t('dataRequests.replyNoteHint')}
          maxLength={2000}
          required="dataRequests.replyNoteRequired"
          noteTestId="data-request-reply-note"
          submitLabel={t('dataRequests.replySubmit')}
          onDone={(next: DataRequest) => panels.finish(next, (tr) => tr('dataRequests.replied', { ref: r.ref }))}
          onCancel={() => panels.cancel('reply')}
        />
      ) : null}
      {manager && open && panel === 'extend' ? (
        <ExtendForm
          request={r}
          onDone={(next) => panels.finish(next, (tr) => tr('dataRequests.extendedDone', { ref: r.ref, at: formatDateTime(next.dueAt) }))}
          onCancel={() => panels.cancel('extend')}
        />
      ) : null}
      {manager && open && panel === 'close' ? (
        <CloseForm
          request={r}
          onDone={(next) => panels.finish(next, (tr) => tr('dataRequests.closedDone', { ref: r.ref, status: tr(`dataRequestStatus.${next.status}`) }))}
          onCancel={() => panels.cancel('close')}
        />
      ) : null}
    </article>
  );
}

/** Where a request's actions are sent, what its forms' ids start with. */
function cardOf(request: DataRequest): CardRecord {
  return { path: `/api/v1/data-requests/${encodeURIComponent(request.id)}`, idPrefix: `dr-${request.id}`, testIdPrefix: 'data-request' };
}

/** Said after why an action was refused: closing a deletion request before the data is erased, the way to erase it is one click away. */
function eraseFirst(request: DataRequest, conflict: ApiError, t: I18n['t']): ReactNode {
  const customerId = conflict.code === 'customer_not_anonymised' ? request.customer?.id : undefined;
  return customerId ? (
    <Link to={customerPath(customerId)} data-testid="data-request-erase-first">
      {t('dataRequests.goToCustomer')}
    </Link>
  ) : null;
}

function ExtendForm({ request, onDone, onCancel }: { request: DataRequest; onDone: (next: DataRequest) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const daysId = `dr-${request.id}-days`;
  const reasonId = `dr-${request.id}-reason`;
  const action = useCardAction<DataRequest>(cardOf(request), { days: daysId, reason: reasonId });
  const [days, setDays] = useState(String(DATA_REQUEST_MAX_EXTENSION_DAYS));
  const [reason, setReason] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const n = Number(days.trim());
    const fields: Record<string, MessageKey> = {};
    if (!/^\d{1,2}$/.test(days.trim()) || n < 1 || n > DATA_REQUEST_MAX_EXTENSION_DAYS) fields[daysId] = 'dataRequests.daysInvalid';
    if (!reason.trim()) fields[reasonId] = 'dataRequests.reasonRequired';
    if (Object.keys(fields).length) {
      action.refuse(fields, { max: DATA_REQUEST_MAX_EXTENSION_DAYS });
      return;
    }
    void action.send('extend', { days: n, reason: reason.trim() }, onDone);
  }

  return (
    <ActionForm
      panel="extend"
      action={action}
      lead={<p className="field-hint">{t('dataRequests.extendHint')}</p>}
      conflictHelp={(conflict) => eraseFirst(request, conflict, t)}
      submitLabel={t('dataRequests.extendSubmit')}
      onSubmit={submit}
      onCancel={onCancel}
    >
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
          error={action.errors.fields[daysId]}
          data-testid="data-request-extend-days"
        />
        <TextField
          id={reasonId}
          label={t('dataRequests.extendReason')}
          required
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={action.errors.fields[reasonId]}
          data-testid="data-request-extend-reason"
        />
      </div>
    </ActionForm>
  );
}

function CloseForm({ request, onDone, onCancel }: { request: DataRequest; onDone: (next: DataRequest) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const noteId = `dr-${request.id}-outcome-note`;
  const outcomeName = `dr-${request.id}-outcome`;
  const action = useCardAction<DataRequest>(cardOf(request), { note: noteId, outcome: `${outcomeName}-done` });
  const [outcome, setOutcome] = useState<'done' | 'refused'>('done');
  const [note, setNote] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // What was done, or why not (the requester is told the reason of a refusal).
    if (!note.trim()) {
      action.refuse({ [noteId]: outcome === 'refused' ? 'dataRequests.refusalReasonRequired' : 'dataRequests.closeNoteRequired' });
      return;
    }
    void action.send('close', { outcome, note: note.trim() }, onDone);
  }

  return (
    <ActionForm
      panel="close"
      action={action}
      conflictHelp={(conflict) => eraseFirst(request, conflict, t)}
      submitLabel={t('dataRequests.closeSubmit')}
      onSubmit={submit}
      onCancel={onCancel}
    >
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
        error={action.errors.fields[noteId]}
        data-testid="data-request-close-note"
      />
    </ActionForm>
  );
}
