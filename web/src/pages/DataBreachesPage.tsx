import { useState, type FormEvent } from 'react';
import { DateTime } from '../components/badges';
import { NotAllowed } from '../components/followup-common';
import { DateTimeField, TextArea, TextField } from '../components/forms';
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
import { formatCount } from '../followup-format';
import { formatDateTime, fromVietnamLocalInput, toVietnamLocalInput } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import type { DataBreach, DataBreachInput } from '../personal-data-types';
import '../personal-data.css';

/** Sự cố dữ liệu cá nhân — personal-data breaches and their 72-hour notice to A05 (admins; auditors read). */
export function DataBreachesPage() {
  return (
    <StaffLayout>
      <DataBreachesView />
    </StaffLayout>
  );
}

/** The server accepts an instant up to a minute ahead of its clock; the form says so before sending. */
const FUTURE_SLACK_MS = 60_000;

/** A Vietnam wall time typed in a date-time field: its instant, or why it is refused. */
function typedInstant(value: string): { iso: string | null; problem: 'invalid' | 'future' | null } {
  if (!value.trim()) return { iso: null, problem: null };
  const iso = fromVietnamLocalInput(value);
  if (!iso) return { iso: null, problem: 'invalid' };
  if (Date.parse(iso) > Date.now() + FUTURE_SLACK_MS) return { iso, problem: 'future' };
  return { iso, problem: null };
}

const nowInput = () => toVietnamLocalInput(new Date().toISOString());

function DataBreachesView() {
  const { t } = useI18n();
  useTitle(t('dataBreaches.title'));
  const { role, readable, manager } = usePersonalDataRole();
  const list = usePersonalDataList<DataBreach>(readable ? '/api/v1/data-breaches' : null);
  const newBreach = useNewRecord();

  if (role && !readable) return <NotAllowed message={t('dataBreaches.forbidden')} testId="data-breaches-forbidden" />;

  return (
    <div data-testid="data-breaches-page">
      <PageHead
        title={t('dataBreaches.title')}
        intro={t('dataBreaches.intro')}
        introTestId="data-breaches-intro"
        newRecord={manager ? newBreach : null}
        newLabel={t('dataBreaches.new')}
        formId="data-breach-new"
        newTestId="data-breach-new"
      />

      {manager && newBreach.open ? (
        <NewBreachForm
          onCreated={(b) => {
            newBreach.done((tr) => tr('dataBreaches.created', { ref: b.ref, due: formatDateTime(b.noticeDueAt) }));
            list.reload();
          }}
          onCancel={newBreach.cancel}
        />
      ) : null}
      <CreatedNotice newRecord={newBreach} testId="data-breach-created" />

      <RecordList
        list={list}
        label={t('dataBreaches.listLabel')}
        empty={t('dataBreaches.empty')}
        testId="data-breach-list"
        emptyTestId="data-breaches-empty"
        errorTestId="data-breaches-error"
      >
        {(b) => <BreachCard breach={b} manager={manager} onChanged={list.replace} />}
      </RecordList>
    </div>
  );
}

/** API field → input id, so that the server's field errors land beside their inputs. */
const NEW_FIELD_IDS: Record<string, string> = {
  discoveredAt: 'db-discovered',
  description: 'db-description',
  dataKinds: 'db-kinds',
  affectedCount: 'db-affected',
  measures: 'db-measures',
};

function NewBreachForm({ onCreated, onCancel }: { onCreated: (b: DataBreach) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [discoveredAt, setDiscoveredAt] = useState(nowInput);
  const [description, setDescription] = useState('');
  const [dataKinds, setDataKinds] = useState('');
  const [affected, setAffected] = useState('');
  const [measures, setMeasures] = useState('');
  const { errors, saving, create } = useCreateRecord<DataBreach>('/api/v1/data-breaches', NEW_FIELD_IDS);

  function validate(tr: I18n['t']): FormErrors {
    const fields: Record<string, string> = {};
    const discovered = typedInstant(discoveredAt);
    if (!discoveredAt.trim() || discovered.problem === 'invalid') fields['db-discovered'] = tr('dataBreaches.discoveredAtInvalid');
    else if (discovered.problem === 'future') fields['db-discovered'] = tr('dataBreaches.discoveredAtFuture');
    if (!description.trim()) fields['db-description'] = tr('dataBreaches.descriptionRequired');
    if (affected.trim() && !/^\d{1,9}$/.test(affected.trim())) fields['db-affected'] = tr('dataBreaches.affectedCountInvalid');
    return { fields, general: [] };
  }

  function body(): DataBreachInput {
    return {
      discoveredAt: typedInstant(discoveredAt).iso!,
      description: description.trim(),
      ...(dataKinds.trim() ? { dataKinds: dataKinds.trim() } : {}),
      affectedCount: affected.trim() ? Number(affected.trim()) : null,
      ...(measures.trim() ? { measures: measures.trim() } : {}),
    };
  }

  return (
    <NewRecordForm
      id="data-breach-new"
      title={t('dataBreaches.newTitle')}
      testId="data-breach-form"
      errors={errors}
      saving={saving}
      submitLabel={t('dataBreaches.create')}
      submitTestId="db-submit"
      onSubmit={(event) => void create(event, validate, body, onCreated)}
      onCancel={onCancel}
    >
      <DateTimeField
        id="db-discovered"
        label={t('dataBreaches.discoveredAt')}
        hint={t('dataBreaches.discoveredAtHint')}
        required
        value={discoveredAt}
        onValue={setDiscoveredAt}
        error={errors.fields['db-discovered']}
        data-testid="db-discovered"
      />
      <TextArea
        autoFocus
        id="db-description"
        label={t('dataBreaches.description')}
        hint={t('dataBreaches.descriptionHint')}
        required
        rows={4}
        maxLength={4000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.fields['db-description']}
        data-testid="db-description"
      />
      <div className="grid-2">
        <TextField
          id="db-kinds"
          label={t('dataBreaches.dataKinds')}
          hint={t('dataBreaches.dataKindsHint')}
          optional
          maxLength={1000}
          autoComplete="off"
          value={dataKinds}
          onChange={(e) => setDataKinds(e.target.value)}
          error={errors.fields['db-kinds']}
          data-testid="db-kinds"
        />
        <TextField
          id="db-affected"
          label={t('dataBreaches.affectedCount')}
          hint={t('dataBreaches.affectedCountHint')}
          optional
          inputMode="numeric"
          pattern="[0-9]*"
          maxLength={9}
          autoComplete="off"
          value={affected}
          onChange={(e) => setAffected(e.target.value)}
          error={errors.fields['db-affected']}
          data-testid="db-affected"
        />
      </div>
      <TextArea
        id="db-measures"
        label={t('dataBreaches.measures')}
        hint={t('dataBreaches.measuresHint')}
        optional
        rows={3}
        maxLength={4000}
        value={measures}
        onChange={(e) => setMeasures(e.target.value)}
        error={errors.fields['db-measures']}
        data-testid="db-measures"
      />
    </NewRecordForm>
  );
}

type Panel = 'notice' | 'close';

function BreachCard({ breach: b, manager, onChanged }: { breach: DataBreach; manager: boolean; onChanged: (next: DataBreach) => void }) {
  const { t } = useI18n();
  const panels = useCardPanels<Panel, DataBreach>(onChanged);
  const card = cardOf(b);
  const open = b.status === 'open';
  const titleId = `db-${b.id}-title`;
  // Past the 72 hours and A05 not told: the card says so in words, not only in red.
  const late = b.noticeOverdue && !b.notifiedAt;

  const actions: CardAction<Panel>[] = [
    // Recorded once (the server refuses a second).
    { panel: 'notice', label: t('dataBreaches.notice'), shown: !b.notifiedAt },
    { panel: 'close', label: t('dataBreaches.close'), shown: true },
  ];

  return (
    <article
      className={late && open ? 'card pd-request pd-alert' : 'card pd-request'}
      aria-labelledby={titleId}
      data-testid="data-breach"
      data-ref={b.ref}
      data-status={b.status}
      data-notified={b.notifiedAt ? 'true' : 'false'}
    >
      <CardHead titleId={titleId} refText={b.ref} status={b.status} statusText={t(`dataBreachStatus.${b.status}`)} statusTestId="data-breach-status" />
      <dl className="facts pd-facts">
        <div>
          <dt>{t('dataBreaches.discovered')}</dt>
          <dd data-testid="data-breach-discovered">
            <DateTime iso={b.discoveredAt} />
          </dd>
        </div>
        <div>
          <dt>{t('dataBreaches.data')}</dt>
          <dd data-testid="data-breach-data">
            {b.dataKinds ? <span className="break">{b.dataKinds}</span> : <span className="muted">{t('dataBreaches.kindsUnknown')}</span>}
            <span className="pd-sub">
              {b.affectedCount === null ? t('dataBreaches.peopleUnknown') : t('dataBreaches.people', { count: formatCount(b.affectedCount) })}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('dataBreaches.noticeDue')}</dt>
          <dd data-testid="data-breach-notice-due">
            <Deadline iso={b.noticeDueAt} overdue={late} overdueText={t('dataBreaches.overdue')} />
            {!b.notifiedAt && !late ? <span className="pd-sub">{t('dataBreaches.notNotified')}</span> : null}
            {b.notifiedAt ? (
              <span className="pd-sub" data-testid="data-breach-notified">
                {t('dataBreaches.notified', { at: formatDateTime(b.notifiedAt), ref: b.noticeRef ?? '—' })}
              </span>
            ) : null}
            {b.notifiedAt && b.noticeOverdue ? <span className="pd-sub pd-late">{t('dataBreaches.notifiedLate')}</span> : null}
          </dd>
        </div>
        {!open ? <ClosedAtFact label={t('dataBreaches.closedAtLabel')} iso={b.closedAt} /> : null}
      </dl>
      <Quoted label={t('dataBreaches.description')} testId="data-breach-description">
        {b.description}
      </Quoted>
      {b.measures ? (
        <Quoted label={t('dataBreaches.measures')} testId="data-breach-measures">
          {b.measures}
        </Quoted>
      ) : null}
      {b.outcomeNote ? <Quoted label={t('dataBreaches.outcomeNote')}>{b.outcomeNote}</Quoted> : null}

      <CardFeedback feedback={panels.feedback} testId="data-breach-message" />

      {manager && open ? (
        <CardActions label={t('dataBreaches.actionsFor', { ref: b.ref })} actions={actions} panels={panels} card={card} />
      ) : null}
      {manager && open && panels.panel === 'notice' ? (
        <NoticeForm breach={b} onDone={(next) => panels.finish(next, (tr) => tr('dataBreaches.noticeDone', { ref: b.ref }))} onCancel={() => panels.cancel('notice')} />
      ) : null}
      {manager && open && panels.panel === 'close' ? (
        <NoteForm
          panel="close"
          card={card}
          lead={
            !b.notifiedAt ? (
              <p className="field-hint pd-late" data-testid="data-breach-close-unnotified">
                {t('dataBreaches.closeNotNotified')}
              </p>
            ) : null
          }
          noteId={`db-${b.id}-outcome-note`}
          label={t('dataBreaches.closeNote')}
          hint={t('dataBreaches.closeNoteHint')}
          maxLength={4000}
          required="dataBreaches.closeNoteRequired"
          noteTestId="data-breach-close-note"
          submitLabel={t('dataBreaches.closeSubmit')}
          onDone={(next: DataBreach) => panels.finish(next, (tr) => tr('dataBreaches.closedDone', { ref: b.ref }))}
          onCancel={() => panels.cancel('close')}
        />
      ) : null}
    </article>
  );
}

/** Where a breach's actions are sent, what its forms' ids start with. */
function cardOf(breach: DataBreach): CardRecord {
  return { path: `/api/v1/data-breaches/${encodeURIComponent(breach.id)}`, idPrefix: `db-${breach.id}`, testIdPrefix: 'data-breach' };
}

function NoticeForm({ breach, onDone, onCancel }: { breach: DataBreach; onDone: (next: DataBreach) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const atId = `db-${breach.id}-notified-at`;
  const refId = `db-${breach.id}-notice-ref`;
  const action = useCardAction<DataBreach>(cardOf(breach), { notifiedAt: atId, noticeRef: refId });
  const [notifiedAt, setNotifiedAt] = useState(nowInput);
  const [noticeRef, setNoticeRef] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const at = typedInstant(notifiedAt);
    const fields: Record<string, MessageKey> = {};
    if (at.problem) fields[atId] = at.problem === 'future' ? 'dataBreaches.notifiedAtFuture' : 'dataBreaches.notifiedAtInvalid';
    if (!noticeRef.trim()) fields[refId] = 'dataBreaches.noticeRefRequired';
    if (Object.keys(fields).length) {
      action.refuse(fields);
      return;
    }
    // Left empty: the server takes the moment it records the notice.
    void action.send('notice', { noticeRef: noticeRef.trim(), ...(at.iso ? { notifiedAt: at.iso } : {}) }, onDone);
  }

  return (
    <ActionForm
      panel="notice"
      action={action}
      lead={<p className="field-hint">{t('dataBreaches.noticeHint')}</p>}
      submitLabel={t('dataBreaches.noticeSubmit')}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div className="grid-2">
        <TextField
          id={refId}
          label={t('dataBreaches.noticeRef')}
          hint={t('dataBreaches.noticeRefHint')}
          required
          maxLength={200}
          autoComplete="off"
          autoFocus
          value={noticeRef}
          onChange={(e) => setNoticeRef(e.target.value)}
          error={action.errors.fields[refId]}
          data-testid="data-breach-notice-ref"
        />
        <DateTimeField
          id={atId}
          label={t('dataBreaches.notifiedAt')}
          hint={t('dataBreaches.notifiedAtHint')}
          value={notifiedAt}
          onValue={setNotifiedAt}
          error={action.errors.fields[atId]}
          data-testid="data-breach-notice-at"
        />
      </div>
    </ActionForm>
  );
}
