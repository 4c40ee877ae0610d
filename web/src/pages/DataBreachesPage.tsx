import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api';
import { DateTime } from '../components/badges';
import { LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { DateTimeField, ErrorSummary, Notice, TextArea, TextField } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import {
  CardActions,
  CardFeedback,
  Conflict,
  Deadline,
  FormButtons,
  GeneralErrors,
  Quoted,
  useCardAction,
  useCardPanels,
  type CardAction,
} from '../components/personal-data';
import { formErrorsFrom, hasErrors, NO_ERRORS, useFormErrors, type FormErrors } from '../errors';
import { formatCount } from '../followup-format';
import { formatDateTime, fromVietnamLocalInput, toVietnamLocalInput } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import type { DataBreach, DataBreachInput } from '../personal-data-types';
import { can } from '../../../src/policies';
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
  const role = useRole();
  const readable = !!role && can(role, 'personal_data.audit');
  const manager = !!role && can(role, 'personal_data.manage');
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<{ items: DataBreach[] }>(readable ? '/api/v1/data-breaches' : null, attempt);
  const [items, setItems] = useState<DataBreach[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<DataBreach | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);

  if (role && !readable) return <NotAllowed message={t('dataBreaches.forbidden')} testId="data-breaches-forbidden" />;

  const replace = (next: DataBreach) => setItems((list) => (list ? list.map((b) => (b.id === next.id ? next : b)) : list));

  return (
    <div data-testid="data-breaches-page">
      <div className="page-head page-head-row">
        <div>
          <h1>{t('dataBreaches.title')}</h1>
          <p className="lead" data-testid="data-breaches-intro">
            {t('dataBreaches.intro')}
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
            aria-controls="data-breach-new"
            data-testid="data-breach-new"
          >
            + {t('dataBreaches.new')}
          </button>
        ) : null}
      </div>

      {manager && adding ? (
        <NewBreachForm
          onCreated={(b) => {
            setAdding(false);
            setCreated(b);
            setAttempt((a) => a + 1);
          }}
          onCancel={() => {
            setAdding(false);
            window.setTimeout(() => addButton.current?.focus());
          }}
        />
      ) : null}
      <div aria-live="polite">
        {created ? (
          <Notice kind="success" testId="data-breach-created">
            {t('dataBreaches.created', { ref: created.ref, due: formatDateTime(created.noticeDueAt) })}
          </Notice>
        ) : null}
      </div>

      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} testId="data-breaches-error" /> : null}
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {items && loaded.state !== 'failed' ? (
        items.length ? (
          <ol className="pd-requests" aria-label={t('dataBreaches.listLabel')} aria-busy={loaded.state === 'loading'} data-testid="data-breach-list">
            {items.map((b) => (
              <li key={b.id}>
                <BreachCard breach={b} manager={manager} onChanged={replace} />
              </li>
            ))}
          </ol>
        ) : (
          <p className="empty card" data-testid="data-breaches-empty">
            {t('dataBreaches.empty')}
          </p>
        )
      ) : null}
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
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);

  function validate(tr: I18n['t']): FormErrors {
    const fields: Record<string, string> = {};
    const discovered = typedInstant(discoveredAt);
    if (!discoveredAt.trim() || discovered.problem === 'invalid') fields['db-discovered'] = tr('dataBreaches.discoveredAtInvalid');
    else if (discovered.problem === 'future') fields['db-discovered'] = tr('dataBreaches.discoveredAtFuture');
    if (!description.trim()) fields['db-description'] = tr('dataBreaches.descriptionRequired');
    if (affected.trim() && !/^\d{1,9}$/.test(affected.trim())) fields['db-affected'] = tr('dataBreaches.affectedCountInvalid');
    return { fields, general: [] };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (hasErrors(validate(t))) {
      setErrors(validate);
      return;
    }
    const body: DataBreachInput = {
      discoveredAt: typedInstant(discoveredAt).iso!,
      description: description.trim(),
      ...(dataKinds.trim() ? { dataKinds: dataKinds.trim() } : {}),
      affectedCount: affected.trim() ? Number(affected.trim()) : null,
      ...(measures.trim() ? { measures: measures.trim() } : {}),
    };
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      onCreated(await api.post<DataBreach>('/api/v1/data-breaches', body));
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, NEW_FIELD_IDS));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form id="data-breach-new" className="card" onSubmit={submit} noValidate aria-labelledby="data-breach-new-title" data-testid="data-breach-form">
      <h2 id="data-breach-new-title">{t('dataBreaches.newTitle')}</h2>
      <ErrorSummary errors={errors} />
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
      <div className="form-actions actions-row">
        <button type="submit" className="btn btn-primary" disabled={saving} aria-busy={saving} data-testid="db-submit">
          {saving ? t('common.saving') : t('dataBreaches.create')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('customerPage.cancel')}
        </button>
      </div>
    </form>
  );
}

type Panel = 'notice' | 'close';

function BreachCard({ breach: b, manager, onChanged }: { breach: DataBreach; manager: boolean; onChanged: (next: DataBreach) => void }) {
  const { t } = useI18n();
  const panels = useCardPanels<Panel>();
  const open = b.status === 'open';
  const titleId = `db-${b.id}-title`;
  // Past the 72 hours and A05 not told: the card says so in words, not only in red.
  const late = b.noticeOverdue && !b.notifiedAt;

  function done(next: DataBreach, text: (tr: I18n['t']) => string) {
    onChanged(next);
    panels.finish(text);
  }

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
      <header className="pd-request-head">
        <h2 id={titleId} className="pd-request-title">
          <span className="pd-ref">{b.ref}</span>
        </h2>
        <span className={`badge pd-status pd-status-${b.status}`} data-testid="data-breach-status">
          {t(`dataBreachStatus.${b.status}`)}
        </span>
      </header>
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
        {!open ? (
          <div>
            <dt>{t('dataBreaches.closedAtLabel')}</dt>
            <dd>
              <DateTime iso={b.closedAt} />
            </dd>
          </div>
        ) : null}
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
        <CardActions label={t('dataBreaches.actionsFor', { ref: b.ref })} actions={actions} panels={panels} idPrefix={`db-${b.id}`} testIdPrefix="data-breach" />
      ) : null}
      {manager && open && panels.panel === 'notice' ? (
        <NoticeForm breach={b} onDone={(next) => done(next, (tr) => tr('dataBreaches.noticeDone', { ref: b.ref }))} onCancel={() => panels.cancel('notice')} />
      ) : null}
      {manager && open && panels.panel === 'close' ? (
        <CloseForm breach={b} onDone={(next) => done(next, (tr) => tr('dataBreaches.closedDone', { ref: b.ref }))} onCancel={() => panels.cancel('close')} />
      ) : null}
    </article>
  );
}

/** Sends one action of a breach's card (see useCardAction). */
function useAction(breach: DataBreach, fieldIds: Record<string, string>) {
  return useCardAction<DataBreach>(`/api/v1/data-breaches/${encodeURIComponent(breach.id)}`, fieldIds);
}

function NoticeForm({ breach, onDone, onCancel }: { breach: DataBreach; onDone: (next: DataBreach) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const atId = `db-${breach.id}-notified-at`;
  const refId = `db-${breach.id}-notice-ref`;
  const { errors, setErrors, busy, conflict, send } = useAction(breach, { notifiedAt: atId, noticeRef: refId });
  const [notifiedAt, setNotifiedAt] = useState(nowInput);
  const [noticeRef, setNoticeRef] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const at = typedInstant(notifiedAt);
    const fields: Record<string, MessageKey> = {};
    if (at.problem) fields[atId] = at.problem === 'future' ? 'dataBreaches.notifiedAtFuture' : 'dataBreaches.notifiedAtInvalid';
    if (!noticeRef.trim()) fields[refId] = 'dataBreaches.noticeRefRequired';
    if (Object.keys(fields).length) {
      setErrors((tr) => ({ fields: Object.fromEntries(Object.entries(fields).map(([k, key]) => [k, tr(key)])), general: [] }));
      document.getElementById(Object.keys(fields)[0])?.focus();
      return;
    }
    // Left empty: the server takes the moment it records the notice.
    void send('notice', { noticeRef: noticeRef.trim(), ...(at.iso ? { notifiedAt: at.iso } : {}) }, onDone);
  }

  return (
    <form id={`db-${breach.id}-notice`} className="inline-form pd-form" onSubmit={submit} noValidate data-testid="data-breach-notice-form">
      <p className="field-hint">{t('dataBreaches.noticeHint')}</p>
      <GeneralErrors errors={errors} testId="data-breach-form-error" />
      <Conflict conflict={conflict} testId="data-breach-error" />
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
          error={errors.fields[refId]}
          data-testid="data-breach-notice-ref"
        />
        <DateTimeField
          id={atId}
          label={t('dataBreaches.notifiedAt')}
          hint={t('dataBreaches.notifiedAtHint')}
          value={notifiedAt}
          onValue={setNotifiedAt}
          error={errors.fields[atId]}
          data-testid="data-breach-notice-at"
        />
      </div>
      <FormButtons busy={busy} submitLabel={t('dataBreaches.noticeSubmit')} onCancel={onCancel} testId="data-breach-notice-submit" />
    </form>
  );
}

function CloseForm({ breach, onDone, onCancel }: { breach: DataBreach; onDone: (next: DataBreach) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const noteId = `db-${breach.id}-outcome-note`;
  const { errors, setErrors, busy, conflict, send } = useAction(breach, { note: noteId });
  const [note, setNote] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) {
      setErrors((tr) => ({ fields: { [noteId]: tr('dataBreaches.closeNoteRequired') }, general: [] }));
      document.getElementById(noteId)?.focus();
      return;
    }
    void send('close', { note: note.trim() }, onDone);
  }

  return (
    <form id={`db-${breach.id}-close`} className="inline-form pd-form" onSubmit={submit} noValidate data-testid="data-breach-close-form">
      {!breach.notifiedAt ? (
        <p className="field-hint pd-late" data-testid="data-breach-close-unnotified">
          {t('dataBreaches.closeNotNotified')}
        </p>
      ) : null}
      <GeneralErrors errors={errors} testId="data-breach-form-error" />
      <Conflict conflict={conflict} testId="data-breach-error" />
      <TextArea
        id={noteId}
        label={t('dataBreaches.closeNote')}
        hint={t('dataBreaches.closeNoteHint')}
        required
        rows={3}
        maxLength={4000}
        autoFocus
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors.fields[noteId]}
        data-testid="data-breach-close-note"
      />
      <FormButtons busy={busy} submitLabel={t('dataBreaches.closeSubmit')} onCancel={onCancel} testId="data-breach-close-submit" />
    </form>
  );
}
