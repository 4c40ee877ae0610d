// Pieces shared by the personal-data registers (data subjects' requests, personal-data breaches): the page
// (its head with a "+ new" form, the list as the API gives it), a card per record with its deadlines, a row
// of actions each opening a small form inside the card, and what the last action did.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../api';
import { describeError, formErrorsFrom, hasErrors, NO_ERRORS, useFormErrors, type ErrorsIn, type FormErrors } from '../errors';
import { useI18n, type I18n, type MessageKey, type Params } from '../i18n';
import { can } from '../../../src/policies';
import { DateTime } from './badges';
import { LoadFailed, useApiGet, useRole, type Loaded } from './followup-common';
import { ErrorSummary, Notice, TextArea } from './forms';
import '../personal-data.css';

/** Who may read the registers (auditors too) and who may act on them (admins). */
export function usePersonalDataRole() {
  const role = useRole();
  return {
    role,
    readable: !!role && can(role, 'personal_data.audit'),
    manager: !!role && can(role, 'personal_data.manage'),
  };
}

/**
 * A register's records (GET `path`, not fetched while null). The list stays on screen while it reloads;
 * `replace` puts in a record an action changed, `reload` fetches the list again.
 */
export interface PersonalDataList<T> {
  loaded: Loaded<{ items: T[] }>;
  items: T[] | null;
  replace: (next: T) => void;
  reload: () => void;
}

export function usePersonalDataList<T extends { id: string }>(path: string | null): PersonalDataList<T> {
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<{ items: T[] }>(path, attempt);
  const [items, setItems] = useState<T[] | null>(null);

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);

  return {
    loaded,
    items,
    replace: (next: T) => setItems((list) => (list ? list.map((x) => (x.id === next.id ? next : x)) : list)),
    reload: () => setAttempt((a) => a + 1),
  };
}

/** The list of records, one card each: "loading", the failure with a retry, or "none" while there are none. */
export function RecordList<T extends { id: string }>({
  list,
  label,
  empty,
  testId,
  emptyTestId,
  errorTestId,
  children,
}: {
  list: PersonalDataList<T>;
  label: string;
  empty: string;
  testId: string;
  emptyTestId: string;
  errorTestId: string;
  children: (item: T) => ReactNode;
}) {
  const { t } = useI18n();
  const { loaded, items } = list;
  return (
    <>
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={list.reload} testId={errorTestId} /> : null}
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {items && loaded.state !== 'failed' ? (
        items.length ? (
          <ol className="pd-requests" aria-label={label} aria-busy={loaded.state === 'loading'} data-testid={testId}>
            {items.map((item) => (
              <li key={item.id}>{children(item)}</li>
            ))}
          </ol>
        ) : (
          <p className="empty card" data-testid={emptyTestId}>
            {empty}
          </p>
        )
      ) : null}
    </>
  );
}

/**
 * The "+ new" form under the page head: whether it is open, and what the last one created (worded in the
 * current language). Cancelling it gives the focus back to its button.
 */
export function useNewRecord() {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Feedback>(null);
  const button = useRef<HTMLButtonElement>(null);
  return {
    open,
    created,
    button,
    toggle() {
      setCreated(null);
      setOpen((o) => !o);
    },
    cancel() {
      setOpen(false);
      window.setTimeout(() => button.current?.focus());
    },
    /** The record was created: the form closes and `text` says so. */
    done(text: (tr: I18n['t']) => string) {
      setOpen(false);
      setCreated(() => text);
    },
    forget() {
      setCreated(null);
    },
  };
}

export type NewRecord = ReturnType<typeof useNewRecord>;

/** The page's title and intro; for those who may add, the "+ new" button opening the form `formId`. */
export function PageHead({
  title,
  intro,
  introTestId,
  newRecord,
  newLabel,
  formId,
  newTestId,
}: {
  title: string;
  intro: string;
  introTestId: string;
  /** Null: no button (the staff member may only read). */
  newRecord: NewRecord | null;
  newLabel: string;
  formId: string;
  newTestId: string;
}) {
  return (
    <div className="page-head page-head-row">
      <div>
        <h1>{title}</h1>
        <p className="lead" data-testid={introTestId}>
          {intro}
        </p>
      </div>
      {newRecord ? (
        <button
          ref={newRecord.button}
          type="button"
          className="btn btn-primary"
          onClick={newRecord.toggle}
          aria-expanded={newRecord.open}
          aria-controls={formId}
          data-testid={newTestId}
        >
          + {newLabel}
        </button>
      ) : null}
    </div>
  );
}

/** What the "+ new" form created. */
export function CreatedNotice({ newRecord, testId }: { newRecord: NewRecord; testId: string }) {
  const { t } = useI18n();
  return (
    <div aria-live="polite">
      {newRecord.created ? (
        <Notice kind="success" testId={testId}>
          {newRecord.created(t)}
        </Notice>
      ) : null}
    </div>
  );
}

/**
 * Sends the "+ new" form (POST `path`): first checked here (`validate`, worded again on a language switch),
 * then the server's field errors beside their inputs (`fieldIds` maps the API's fields to input ids).
 */
export function useCreateRecord<T>(path: string, fieldIds: Record<string, string>) {
  const { t } = useI18n();
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);

  async function create(event: FormEvent<HTMLFormElement>, validate: ErrorsIn, body: () => unknown, onCreated: (record: T) => void) {
    event.preventDefault();
    if (saving) return;
    if (hasErrors(validate(t))) {
      setErrors(validate);
      return;
    }
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      onCreated(await api.post<T>(path, body()));
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, fieldIds));
    } finally {
      setSaving(false);
    }
  }
  return { errors, saving, create };
}

/** The "+ new" form (`id`, which the page head's button controls): its title, error summary, fields, send and cancel. */
export function NewRecordForm({
  id,
  title,
  testId,
  errors,
  saving,
  submitLabel,
  submitTestId,
  onSubmit,
  onCancel,
  children,
}: {
  id: string;
  title: string;
  testId: string;
  errors: FormErrors;
  saving: boolean;
  submitLabel: string;
  submitTestId: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <form id={id} className="card" onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`} data-testid={testId}>
      <h2 id={`${id}-title`}>{title}</h2>
      <ErrorSummary errors={errors} />
      {children}
      <FormButtons busy={saving} submitLabel={submitLabel} onCancel={onCancel} testId={submitTestId} />
    </form>
  );
}

/** A deadline in Vietnam time, with "overdue" in words as well as colour. */
export function Deadline({ iso, overdue, overdueText }: { iso: string; overdue: boolean; overdueText?: string }) {
  const { t } = useI18n();
  return (
    <span className={overdue ? 'due due-overdue' : 'due'} data-overdue={overdue ? 'true' : 'false'}>
      <DateTime iso={iso} />
      {overdue ? <span className="due-flag">{overdueText ?? t('dataRequests.overdue')}</span> : null}
    </span>
  );
}

/** A free text of the record under its label, line breaks kept. */
export function Quoted({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="pd-quoted" data-testid={testId}>
      <p className="pd-quoted-label">{label}</p>
      <p className="pd-quoted-text">{children}</p>
    </div>
  );
}

/** A card's head: the record's reference (and `children` after it) as its title, and its status. */
export function CardHead({
  titleId,
  refText,
  status,
  statusText,
  statusTestId,
  children,
}: {
  titleId: string;
  refText: string;
  status: string;
  statusText: string;
  statusTestId: string;
  children?: ReactNode;
}) {
  return (
    <header className="pd-request-head">
      <h2 id={titleId} className="pd-request-title">
        <span className="pd-ref">{refText}</span>
        {children ? <> {children}</> : null}
      </h2>
      <span className={`badge pd-status pd-status-${status}`} data-testid={statusTestId}>
        {statusText}
      </span>
    </header>
  );
}

/** The fact "closed on …" of a closed record. */
export function ClosedAtFact({ label, iso }: { label: string; iso: string | null }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <DateTime iso={iso} />
      </dd>
    </div>
  );
}

/** What the last action of a card did, worded in the current language, focused when it appears. */
export type Feedback = ((tr: I18n['t']) => string) | null;

export function CardFeedback({ feedback, testId }: { feedback: Feedback; testId: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (feedback) ref.current?.focus();
  }, [feedback]);
  return (
    <div aria-live="polite">
      {feedback ? (
        <div ref={ref} tabIndex={-1} className="notice notice-success" role="status" data-testid={testId}>
          {feedback(t)}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Which of a card's action forms is open (one at a time) and what the last action did. Closing a form
 * without sending it gives the focus back to its button.
 */
export interface CardPanels<P extends string, T> {
  panel: P | null;
  feedback: Feedback;
  toggle: (next: P) => void;
  cancel: (which: P) => void;
  finish: (next: T, text: (tr: I18n['t']) => string) => void;
  buttonRef: (which: P) => (el: HTMLButtonElement | null) => void;
}

/** `onChanged` takes the record as an action left it. */
export function useCardPanels<P extends string, T>(onChanged: (next: T) => void): CardPanels<P, T> {
  const [panel, setPanel] = useState<P | null>(null);
  // Kept as how to word it (a language switch re-words it); an action's failures stay in its form.
  const [feedback, setFeedback] = useState<Feedback>(null);
  const buttons = useRef<Partial<Record<P, HTMLButtonElement | null>>>({});

  return {
    panel,
    feedback,
    toggle(next: P) {
      setFeedback(null);
      setPanel((p) => (p === next ? null : next));
    },
    cancel(which: P) {
      setPanel(null);
      window.setTimeout(() => buttons.current[which]?.focus());
    },
    /** The action went through: the card shows `next`, its form closes and `text` says what it did. */
    finish(next: T, text: (tr: I18n['t']) => string) {
      onChanged(next);
      setPanel(null);
      setFeedback(() => text);
    },
    buttonRef: (which: P) => (el: HTMLButtonElement | null) => {
      buttons.current[which] = el;
    },
  };
}

export interface CardAction<P extends string> {
  panel: P;
  label: string;
  shown: boolean;
}

/** A card's record: where its actions are sent (POST `${path}/${action}`), what its forms' ids and test ids start with. */
export interface CardRecord {
  path: string;
  idPrefix: string;
  testIdPrefix: string;
}

/** A card's action buttons, each opening its form (`${idPrefix}-${panel}`) below. */
export function CardActions<P extends string>({
  label,
  actions,
  panels,
  card: { idPrefix, testIdPrefix },
}: {
  label: string;
  actions: CardAction<P>[];
  panels: Pick<CardPanels<P, unknown>, 'panel' | 'toggle' | 'buttonRef'>;
  card: CardRecord;
}) {
  return (
    <div className="actions-row pd-actions" role="group" aria-label={label}>
      {actions
        .filter((a) => a.shown)
        .map((a) => (
          <button
            key={a.panel}
            ref={panels.buttonRef(a.panel)}
            type="button"
            className={panels.panel === a.panel ? 'btn btn-secondary btn-small pd-action-on' : 'btn btn-secondary btn-small'}
            aria-expanded={panels.panel === a.panel}
            aria-controls={`${idPrefix}-${a.panel}`}
            onClick={() => panels.toggle(a.panel)}
            data-testid={`${testIdPrefix}-${a.panel}`}
          >
            {a.label}
          </button>
        ))}
    </div>
  );
}

/**
 * Sends one action of a card (POST `${card.path}/${action}`): field errors beside their inputs (`fieldIds`
 * maps the API's fields to input ids), a refusal of the action itself (409) as a conflict, anything else
 * in the form's summary.
 */
export function useCardAction<T>(card: CardRecord, fieldIds: Record<string, string>) {
  const [errors, setErrors] = useFormErrors();
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<ApiError | null>(null);

  async function send(action: string, body: unknown, onDone: (next: T) => void) {
    if (busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    setConflict(null);
    try {
      onDone(await api.post<T>(`${card.path}/${action}`, body));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(err);
      else setErrors((tr) => formErrorsFrom(err, tr, fieldIds));
    } finally {
      setBusy(false);
    }
  }
  /** Stops the form before sending: each message (`params` filled in) beside its input, the first of those inputs focused. */
  function refuse(fields: Record<string, MessageKey>, params?: Params) {
    setErrors((tr) => ({ fields: Object.fromEntries(Object.entries(fields).map(([id, key]) => [id, tr(key, params)])), general: [] }));
    document.getElementById(Object.keys(fields)[0])?.focus();
  }
  return { card, errors, busy, conflict, send, refuse };
}

/** Why the server refused an action, focused when it appears; `children` may say what to do first. */
function Conflict({ conflict, testId, children }: { conflict: ApiError | null; testId: string; children?: ReactNode }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (conflict) ref.current?.focus();
  }, [conflict]);
  if (!conflict) return null;
  return (
    <div ref={ref} tabIndex={-1} className="notice notice-error" role="alert" data-testid={testId}>
      {describeError(conflict, t)}
      {children ? <> {children}</> : null}
    </div>
  );
}

/** Errors of an inline form that belong to no field (its field errors stand beside the inputs). */
function GeneralErrors({ errors, testId }: { errors: FormErrors; testId: string }) {
  if (!errors.general.length) return null;
  return (
    <Notice kind="error" testId={testId}>
      {errors.general.join(' ')}
    </Notice>
  );
}

/** Send and cancel of a form; `small` inside a card. */
function FormButtons({ busy, submitLabel, onCancel, testId, small = false }: { busy: boolean; submitLabel: string; onCancel: () => void; testId: string; small?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="form-actions actions-row">
      <button type="submit" className={small ? 'btn btn-primary btn-small' : 'btn btn-primary'} disabled={busy} aria-busy={busy} data-testid={testId}>
        {busy ? t('common.saving') : submitLabel}
      </button>
      <button type="button" className={small ? 'btn btn-ghost btn-small' : 'btn btn-ghost'} onClick={onCancel}>
        {t('customerPage.cancel')}
      </button>
    </div>
  );
}

/**
 * One action's form inside a card, `${idPrefix}-${panel}` (which its button controls): what to know first
 * (`lead`), the errors that belong to no field, why the server refused (and what `conflictHelp` adds to
 * it), the fields, send and cancel.
 */
export function ActionForm({
  panel,
  action: { card, errors, busy, conflict },
  lead,
  conflictHelp,
  submitLabel,
  onSubmit,
  onCancel,
  children,
}: {
  panel: string;
  action: { card: CardRecord; errors: FormErrors; busy: boolean; conflict: ApiError | null };
  lead?: ReactNode;
  conflictHelp?: (conflict: ApiError) => ReactNode;
  submitLabel: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { idPrefix, testIdPrefix } = card;
  return (
    <form id={`${idPrefix}-${panel}`} className="inline-form pd-form" onSubmit={onSubmit} noValidate data-testid={`${testIdPrefix}-${panel}-form`}>
      {lead}
      <GeneralErrors errors={errors} testId={`${testIdPrefix}-form-error`} />
      <Conflict conflict={conflict} testId={`${testIdPrefix}-error`}>
        {conflict && conflictHelp ? conflictHelp(conflict) : null}
      </Conflict>
      {children}
      <FormButtons busy={busy} submitLabel={submitLabel} onCancel={onCancel} testId={`${testIdPrefix}-${panel}-submit`} small />
    </form>
  );
}

/** An action whose form is one note (`noteId`), required: `required` says so beside it while it is empty. */
export function NoteForm<T>({
  panel,
  card,
  lead,
  conflictHelp,
  noteId,
  label,
  hint,
  maxLength,
  required,
  noteTestId,
  submitLabel,
  onDone,
  onCancel,
}: {
  panel: string;
  card: CardRecord;
  lead?: ReactNode;
  conflictHelp?: (conflict: ApiError) => ReactNode;
  noteId: string;
  label: string;
  hint: string;
  maxLength: number;
  required: MessageKey;
  noteTestId: string;
  submitLabel: string;
  onDone: (next: T) => void;
  onCancel: () => void;
}) {
  const action = useCardAction<T>(card, { note: noteId });
  const [note, setNote] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) {
      action.refuse({ [noteId]: required });
      return;
    }
    void action.send(panel, { note: note.trim() }, onDone);
  }

  return (
    <ActionForm panel={panel} action={action} lead={lead} conflictHelp={conflictHelp} submitLabel={submitLabel} onSubmit={submit} onCancel={onCancel}>
      <TextArea
        id={noteId}
        label={label}
        hint={hint}
        required
        rows={3}
        maxLength={maxLength}
        autoFocus
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={action.errors.fields[noteId]}
        data-testid={noteTestId}
      />
    </ActionForm>
  );
}
