import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { DEFAULT_WORKFLOW } from '../../../src/domain/workflow';
import { api, ApiError, isAbort } from '../api';
import { describeError } from '../errors';
import { formatDateTime, newIdempotencyKey } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import {
  INFO_REQUEST_ITEM_KINDS,
  type Consultation,
  type ConsultationFile,
  type ConsultationInput,
  type Evidence,
  type InfoRequest,
  type InfoRequestItem,
  type InfoRequestItemKind,
  type InformationRequestInput,
  type Investigation,
  type ListOf,
  type Team,
  type TimelineEvent,
  type VerificationStatus,
} from '../types';
import { DateTime } from './badges';
import { checkFiles, FilePicker, fileKind, fileProblemsFrom, filesForm, formatBytes, hasFileProblems, NO_FILE_PROBLEMS, type FileProblems } from './files';
import { Notice, SectionPending, SelectField, TextArea, TextField } from './forms';

// Bước 3 — xác minh: what the agent asked the customer for, the evidence and whether it was checked,
// and the consultations with departments and outside parties. Rendered on the complaint page.

/** One item of a request in staff words ("Hoá đơn mua hàng"); `other` is the agent's own text. */
export function infoItemLabel(item: InfoRequestItem, t: I18n['t'], audience: 'staff' | 'customer' = 'staff'): string {
  const prefix = audience === 'customer' ? 'infoCustomer' : 'infoItem';
  const known = (INFO_REQUEST_ITEM_KINDS as readonly string[]).includes(item.kind);
  const label = known ? t(`${prefix}.${item.kind}` as MessageKey) : item.kind;
  if (item.kind === 'other' && item.text) return item.text;
  return item.text ? `${label}: ${item.text}` : label;
}

/** The checklist items as a list (staff or customer wording). */
export function InfoItems({ items, audience = 'staff', testId = 'info-request-items' }: { items: InfoRequestItem[]; audience?: 'staff' | 'customer'; testId?: string }) {
  const { t } = useI18n();
  return (
    <ul className="info-items" data-testid={testId}>
      {items.map((item, i) => (
        <li key={`${item.kind}-${i}`} data-testid="info-item" data-kind={item.kind}>
          {infoItemLabel(item, t, audience)}
        </li>
      ))}
    </ul>
  );
}

/** The files a consultation shares with the department or party asked: theirs to see and download, and no others. */
export interface SharedFiles {
  sharedFiles: (Evidence | ConsultationFile)[];
}
type StaffConsultation = Consultation & SharedFiles;
/** The investigation as the server sends it, each consultation with its shared files. */
type InvestigationView = Omit<Investigation, 'consultations'> & { consultations: StaffConsultation[] };

type Area = 'info-request' | 'evidence' | 'consultation';
interface Feedback {
  area: Area;
  kind: 'success' | 'error';
  text: string;
}

/** Reads "5" from a due-days box: undefined when empty, NaN when not a whole number from 1 to 60. */
function parseDueDays(value: string): number | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (!/^\d+$/.test(v)) return Number.NaN;
  const n = Number(v);
  return n >= 1 && n <= 60 ? n : Number.NaN;
}

/**
 * Xác minh — the verification step of one complaint. `refreshKey` changes whenever the complaint
 * changed elsewhere on the page (its timeline grew), so the lists follow; `onChanged` tells the page
 * that an action here changed the complaint (its status, timeline, files).
 */
export function InvestigationSection({
  code,
  readOnly,
  open,
  refreshKey,
  onChanged,
}: {
  code: string;
  readOnly: boolean;
  open: boolean;
  refreshKey: number;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [inv, setInv] = useState<InvestigationView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const base = `/api/v1/complaints/${encodeURIComponent(code)}`;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setInv(await api.get<InvestigationView>(`${base}/investigation`, { signal }));
        setLoadError(null);
      } catch (err) {
        if (!isAbort(err)) setLoadError(describeError(err, t));
      }
    },
    [base, t],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
    // The language does not change the data: reload only when the complaint did.
  }, [base, refreshKey]);

  useEffect(() => {
    if (readOnly) return;
    const controller = new AbortController();
    api
      .get<ListOf<Team>>('/api/v1/teams', { signal: controller.signal })
      .then((r) => setTeams(r.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [readOnly]);

  /** Runs one action; a failure is shown in its area (and a 409 reloads, someone else may have acted). */
  async function run(area: Area, name: string, action: () => Promise<string>): Promise<boolean> {
    if (busy) return false;
    setBusy(name);
    setFeedback(null);
    try {
      const text = await action();
      setFeedback({ area, kind: 'success', text });
      onChanged();
      return true;
    } catch (err) {
      setFeedback({ area, kind: 'error', text: describeError(err, t) });
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) await load();
      return false;
    } finally {
      setBusy(null);
    }
  }

  const feedbackFor = (area: Area) =>
    feedback?.area === area ? (
      <Notice kind={feedback.kind} testId={`${area}-${feedback.kind === 'error' ? 'error' : 'message'}`}>
        {feedback.text}
      </Notice>
    ) : null;

  if (!inv) {
    return (
      <SectionPending
        id="investigation"
        className="investigation"
        title={t('inv.title')}
        error={loadError}
        onRetry={() => void load()}
        retryLabel={t('common.retry')}
        loadingLabel={t('common.loading')}
      />
    );
  }

  const openRequest = inv.infoRequests.find((r) => r.status === 'open');
  const cancelRequest = (r: InfoRequest, reason: string) =>
    run('info-request', `cancel-${r.id}`, async () => {
      setInv(await api.post<InvestigationView>(`${base}/information-requests/${r.id}/cancel`, reason ? { reason } : {}));
      return t('inv.requestCancelled');
    });
  const verify = (e: Evidence, status: VerificationStatus, note: string) =>
    run('evidence', `verify-${e.sha256}`, async () => {
      setInv(await api.post<InvestigationView>(`${base}/attachments/${e.sha256}/verification`, { status, ...(note ? { note } : {}) }));
      return t('verification.saved', { name: e.filename });
    });
  const resend = (k: Consultation, email: string) =>
    run('consultation', `resend-${k.id}`, async () => {
      await api.post<Consultation>(`/api/v1/consultations/${k.id}/resend`, email && email !== k.party?.email ? { partyEmail: email } : {});
      await load();
      return t('consult.resent');
    });
  const cancelConsultation = (k: Consultation, reason: string) =>
    run('consultation', `cancel-${k.id}`, async () => {
      await api.post<Consultation>(`/api/v1/consultations/${k.id}/cancel`, reason ? { reason } : {});
      await load();
      return t('consult.cancelled');
    });

  return (
    <section className="card investigation" aria-labelledby="investigation-title" data-testid="investigation-section" data-loaded="true">
      <h2 id="investigation-title">{t('inv.title')}</h2>
      <p className="field-hint">{t('inv.intro')}</p>

      {/* —— Yêu cầu bổ sung thông tin —— */}
      <div className="inv-part" data-testid="info-requests">
        <h3 className="small-heading">{t('inv.infoRequests')}</h3>
        {inv.infoRequests.length === 0 ? (
          <p className="muted" data-testid="info-requests-empty">
            {t('inv.noInfoRequests')}
          </p>
        ) : (
          <ul className="inv-list">
            {[...inv.infoRequests].reverse().map((r) => (
              <InfoRequestItemView key={r.id} request={r} readOnly={readOnly} busy={busy !== null} onCancel={(reason) => cancelRequest(r, reason)} />
            ))}
          </ul>
        )}
        {feedbackFor('info-request')}
        {readOnly ? null : !open ? (
          <p className="muted">{t('inv.closedNote')}</p>
        ) : openRequest ? (
          <p className="muted" data-testid="info-request-open-note">
            {t('inv.requestOpenNote')}
          </p>
        ) : (
          <InfoRequestForm
            base={base}
            defaultDays={inv.defaults?.infoRequestDays ?? DEFAULT_WORKFLOW.infoRequestDays}
            disabled={busy !== null}
            onBusy={(b) => setBusy(b ? 'info-request' : null)}
            onDone={(next, text) => {
              setInv(next);
              setFeedback({ area: 'info-request', kind: 'success', text });
              onChanged();
            }}
            onFailed={(text, stale) => {
              setFeedback(text ? { area: 'info-request', kind: 'error', text } : null);
              if (stale) void load();
            }}
          />
        )}
      </div>

      {/* —— Chứng cứ —— */}
      <div className="inv-part" data-testid="evidence-section">
        <h3 className="small-heading">{t('inv.evidence')}</h3>
        {inv.evidence.length === 0 ? (
          <p className="muted" data-testid="evidence-empty">
            {t('inv.noEvidence')}
          </p>
        ) : (
          <ul className="inv-list" data-testid="evidence-list">
            {dedupeEvidence(inv.evidence).map((e) => (
              <EvidenceItem key={e.sha256} evidence={e} readOnly={readOnly} busy={busy !== null} onVerify={(status, note) => verify(e, status, note)} />
            ))}
          </ul>
        )}
        {feedbackFor('evidence')}
      </div>

      {/* —— Tham vấn —— */}
      <div className="inv-part" data-testid="consultations">
        <h3 className="small-heading">{t('inv.consultations')}</h3>
        {inv.consultations.length === 0 ? (
          <p className="muted" data-testid="consultations-empty">
            {t('inv.noConsultations')}
          </p>
        ) : (
          <ul className="inv-list">
            {[...inv.consultations].reverse().map((k) => (
              <ConsultationItem
                key={k.id}
                consultation={k}
                readOnly={readOnly}
                busy={busy !== null}
                onResend={(email) => resend(k, email)}
                onCancel={(reason) => cancelConsultation(k, reason)}
              />
            ))}
          </ul>
        )}
        {feedbackFor('consultation')}
        {!readOnly && open ? (
          <ConsultationForm
            base={base}
            teams={teams}
            evidence={dedupeEvidence(inv.evidence)}
            defaultDays={inv.defaults?.consultationDays ?? DEFAULT_WORKFLOW.consultationDays}
            disabled={busy !== null}
            onBusy={(b) => setBusy(b ? 'consultation' : null)}
            onDone={(next, text) => {
              setInv(next);
              setFeedback({ area: 'consultation', kind: 'success', text });
              onChanged();
            }}
            onFailed={(text, stale) => {
              setFeedback(text ? { area: 'consultation', kind: 'error', text } : null);
              if (stale) void load();
            }}
          />
        ) : null}
      </div>
    </section>
  );
}

/** The same bytes listed twice (mailed and uploaded again) are one piece of evidence. */
function dedupeEvidence(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => (seen.has(e.sha256) ? false : (seen.add(e.sha256), true)));
}

export function FileLinks({ files, testId }: { files: (Evidence | ConsultationFile)[]; testId: string }) {
  const { t, lang } = useI18n();
  if (!files.length) return null;
  return (
    <ul className="file-list inv-files">
      {files.map((f) => (
        <li key={f.sha256} className="file-item" data-testid={testId} data-name={f.filename}>
          <a href={f.url} download={f.filename} className="file-name">
            {f.filename}
          </a>
          <span className="file-size muted">
            {fileKind(f.contentType, t)} · {formatBytes(f.size, lang)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** "Huỷ" with a reason, opened on demand so that a stray click cancels nothing. */
function CancelWithReason({
  id,
  label,
  disabled,
  testId,
  onConfirm,
}: {
  id: string;
  label: string;
  disabled: boolean;
  testId: string;
  onConfirm: (reason: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [openForm, setOpenForm] = useState(false);
  const [reason, setReason] = useState('');
  if (!openForm) {
    return (
      <button type="button" className="btn btn-secondary btn-small" onClick={() => setOpenForm(true)} disabled={disabled} data-testid={testId}>
        {label}
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void onConfirm(reason.trim()).then((ok) => ok && setOpenForm(false));
      }}
      data-testid={`${testId}-form`}
    >
      <TextField id={id} label={t('inv.cancelReason')} optional maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${testId}-reason`} />
      <div className="actions-row">
        <button type="submit" className="btn btn-danger btn-small" disabled={disabled} data-testid={`${testId}-confirm`}>
          {t('inv.cancelConfirm')}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpenForm(false)}>
          {t('common.back')}
        </button>
      </div>
    </form>
  );
}

function InfoRequestItemView({
  request: r,
  readOnly,
  busy,
  onCancel,
}: {
  request: InfoRequest;
  readOnly: boolean;
  busy: boolean;
  onCancel: (reason: string) => Promise<boolean>;
}) {
  const { t, label } = useI18n();
  return (
    <li className={`inv-item inv-status-${r.status}`} data-testid="info-request" data-id={r.id} data-status={r.status}>
      <div className="inv-item-head">
        <span className={`badge inv-badge inv-badge-${r.status}`} data-testid="info-request-status" data-status={r.status}>
          {label('infoStatus', r.status)}
        </span>
        <span className="muted" data-testid="info-request-due">
          {t('inv.dueBy', { due: formatDateTime(r.dueAt) })}
        </span>
      </div>
      <InfoItems items={r.items} />
      {r.message ? (
        <p className="inv-quote">
          <span className="muted">{t('inv.messageToCustomer')}: </span>
          <span data-testid="info-request-message-text">{r.message}</span>
        </p>
      ) : null}
      <p className="timeline-meta">
        {r.requestedBy ? t('inv.requestedBy', { name: r.requestedBy.name, at: formatDateTime(r.createdAt) }) : t('inv.requestedAt', { at: formatDateTime(r.createdAt) })}
        {r.remindedAt && r.remindedAt !== r.createdAt ? ` · ${t('inv.remindedAt', { at: formatDateTime(r.remindedAt) })}` : ''}
      </p>
      {r.status === 'answered' ? (
        <div className="inv-answer" data-testid="info-request-answer">
          <p className="small-heading">
            {t('inv.customerAnswer')} · <DateTime iso={r.answeredAt} />
          </p>
          <blockquote className="message-body" data-testid="info-request-answer-text">
            {r.answer || t('inv.noAnswerText')}
          </blockquote>
          <FileLinks files={r.files} testId="info-request-file" />
        </div>
      ) : null}
      {!readOnly && r.status === 'open' ? (
        <CancelWithReason id={`cancel-request-${r.id}`} label={t('inv.cancelRequest')} disabled={busy} testId="info-request-cancel" onConfirm={onCancel} />
      ) : null}
    </li>
  );
}

interface FormProps {
  base: string;
  defaultDays: number;
  disabled: boolean;
  onBusy: (busy: boolean) => void;
  onDone: (next: InvestigationView, text: string) => void;
  /** A failure to show (null clears it); `stale` when the server's state moved on (409), to reload. */
  onFailed: (text: string | null, stale?: boolean) => void;
}

/** Yêu cầu bổ sung thông tin: the checklist, a message, the due date in working days. */
function InfoRequestForm({ base, defaultDays, disabled, onBusy, onDone, onFailed }: FormProps) {
  const { t } = useI18n();
  const [checked, setChecked] = useState<Record<InfoRequestItemKind, boolean>>({ invoice: false, photos: false, correspondence: false, order_id: false, other: false });
  const [otherText, setOtherText] = useState('');
  const [message, setMessage] = useState('');
  const [dueDays, setDueDays] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  // One key per request: a double click or a retry after a lost answer stores the request once.
  const [key, setKey] = useState(newIdempotencyKey);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending || disabled) return;
    const next: Record<string, string> = {};
    const kinds = INFO_REQUEST_ITEM_KINDS.filter((k) => checked[k]);
    if (!kinds.length) next['info-items'] = t('validation.itemsRequired');
    if (checked.other && !otherText.trim()) next['info-other-text'] = t('validation.otherTextRequired');
    const days = parseDueDays(dueDays);
    if (Number.isNaN(days)) next['info-due-days'] = t('validation.dueDaysRange');
    setErrors(next);
    if (Object.keys(next).length) {
      document.getElementById(Object.keys(next)[0] === 'info-items' ? 'info-kind-invoice' : Object.keys(next)[0])?.focus();
      return;
    }
    const body: InformationRequestInput = {
      items: kinds.map((k) => (k === 'other' ? { kind: k, text: otherText.trim() } : { kind: k })),
      ...(message.trim() ? { message: message.trim() } : {}),
      ...(days !== undefined ? { dueDays: days } : {}),
    };
    setSending(true);
    onBusy(true);
    onFailed(null);
    try {
      const r = await api.post<{ request: InfoRequest; investigation: InvestigationView }>(`${base}/information-requests`, body, { headers: { 'Idempotency-Key': key } });
      setChecked({ invoice: false, photos: false, correspondence: false, order_id: false, other: false });
      setOtherText('');
      setMessage('');
      setDueDays('');
      setKey(newIdempotencyKey());
      onDone(r.investigation, t('inv.requestSent', { due: formatDateTime(r.request.dueAt) }));
    } catch (err) {
      const byField: Record<string, string> = {};
      if (err instanceof ApiError) {
        for (const f of err.fields) {
          const id = f.field === 'items' || /^items\[\d+\](\.kind)?$/.test(f.field) ? 'info-items' : /^items\[\d+\]\.text$/.test(f.field) ? 'info-other-text' : f.field === 'message' ? 'info-message' : f.field === 'dueDays' ? 'info-due-days' : null;
          if (id && !byField[id]) byField[id] = f.message || err.message;
        }
      }
      setErrors(byField);
      onFailed(describeError(err, t), err instanceof ApiError && err.status === 409);
    } finally {
      setSending(false);
      onBusy(false);
    }
  }

  const toggle = (k: InfoRequestItemKind, on: boolean) => {
    setChecked((c) => ({ ...c, [k]: on }));
    if (errors['info-items']) setErrors(({ ['info-items']: _, ...rest }) => rest);
  };

  return (
    <form className="inv-form" onSubmit={(e) => void submit(e)} noValidate data-testid="info-request-form">
      <h4>{t('inv.newRequest')}</h4>
      <p className="field-hint">{t('inv.newRequestIntro')}</p>
      <fieldset className={errors['info-items'] ? 'checklist field-invalid' : 'checklist'} aria-describedby={errors['info-items'] ? 'info-items-error' : undefined}>
        <legend>{t('inv.itemsLegend')}</legend>
        {INFO_REQUEST_ITEM_KINDS.map((k) => (
          <div className="check-option" key={k}>
            <input type="checkbox" id={`info-kind-${k}`} checked={checked[k]} onChange={(e) => toggle(k, e.target.checked)} data-testid={`info-kind-${k}`} />
            <label htmlFor={`info-kind-${k}`}>{t(`infoItem.${k}` as MessageKey)}</label>
          </div>
        ))}
        {errors['info-items'] ? (
          <p className="field-error" id="info-items-error" data-testid="error-info-items">
            {errors['info-items']}
          </p>
        ) : null}
      </fieldset>
      {checked.other ? (
        <TextField
          id="info-other-text"
          label={t('inv.otherText')}
          required
          maxLength={500}
          value={otherText}
          onChange={(e) => setOtherText(e.target.value)}
          error={errors['info-other-text']}
          data-testid="info-other-text"
        />
      ) : null}
      <TextArea
        id="info-message"
        label={t('inv.message')}
        hint={t('inv.messageHint')}
        optional
        rows={3}
        maxLength={5000}
        value={message}
        onChange={(e) => setMessage(e.target.value)}
        error={errors['info-message']}
        data-testid="info-message"
      />
      <TextField
        id="info-due-days"
        className="input-short"
        label={t('inv.dueDays')}
        hint={t('inv.dueDaysHint', { days: defaultDays })}
        type="number"
        inputMode="numeric"
        min={1}
        max={60}
        step={1}
        placeholder={String(defaultDays)}
        value={dueDays}
        onChange={(e) => setDueDays(e.target.value)}
        error={errors['info-due-days']}
        data-testid="info-due-days"
        data-default={defaultDays}
      />
      <button type="submit" className="btn btn-primary" disabled={sending || disabled} data-testid="info-request-submit">
        {sending ? t('inv.sending') : t('inv.sendRequest')}
      </button>
    </form>
  );
}

function EvidenceItem({
  evidence: e,
  readOnly,
  busy,
  onVerify,
}: {
  evidence: Evidence;
  readOnly: boolean;
  busy: boolean;
  onVerify: (status: VerificationStatus, note: string) => Promise<boolean>;
}) {
  const { t, label, lang } = useI18n();
  const [note, setNote] = useState(e.verification?.note ?? '');
  const state = e.verification?.status ?? 'none';
  const noteId = `evidence-note-${e.sha256.slice(0, 16)}`;
  return (
    <li className={`inv-item evidence evidence-${state}`} data-testid="evidence" data-sha256={e.sha256} data-name={e.filename} data-state={state} data-source={e.source}>
      <div className="inv-item-head">
        <a href={e.url} download={e.filename} className="file-name" data-testid="evidence-link">
          {e.filename}
        </a>
        <span className={`badge verification verification-${state}`} data-testid="evidence-state" data-state={state}>
          {label('verification', state)}
        </span>
      </div>
      <p className="muted evidence-meta">
        {label('evidenceSource', e.source)} · {fileKind(e.contentType, t)} · {formatBytes(e.size, lang)} · <DateTime iso={e.addedAt} />
      </p>
      {e.verification ? (
        <p className="evidence-finding" data-testid="evidence-finding">
          {t('verification.by', {
            status: label('verification', e.verification.status),
            name: e.verification.by?.name ?? '—',
            at: formatDateTime(e.verification.at),
          })}
          {e.verification.note ? (
            <>
              {' — '}
              <span data-testid="evidence-note-text">{e.verification.note}</span>
            </>
          ) : null}
        </p>
      ) : null}
      {!readOnly ? (
        <form
          className="evidence-form"
          noValidate
          onSubmit={(ev) => {
            ev.preventDefault();
            void onVerify('verified', note.trim());
          }}
        >
          <label htmlFor={noteId} className="visually-hidden">
            {t('verification.noteFor', { name: e.filename })}
          </label>
          <input
            id={noteId}
            type="text"
            maxLength={2000}
            placeholder={t('verification.note')}
            value={note}
            onChange={(ev) => setNote(ev.target.value)}
            data-testid="evidence-note"
          />
          <div className="actions-row">
            <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="evidence-verify">
              {t('verification.verify')}
            </button>
            <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void onVerify('disputed', note.trim())} data-testid="evidence-dispute">
              {t('verification.dispute')}
            </button>
          </div>
        </form>
      ) : null}
    </li>
  );
}

function ConsultationItem({
  consultation: k,
  readOnly,
  busy,
  onResend,
  onCancel,
}: {
  consultation: StaffConsultation;
  readOnly: boolean;
  busy: boolean;
  onResend: (email: string) => Promise<boolean>;
  onCancel: (reason: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState(k.party?.email ?? '');
  const [resendOpen, setResendOpen] = useState(false);
  const kind = k.kind ?? (k.team ? 'internal' : 'external');
  return (
    <li className={`inv-item consultation inv-status-${k.status}`} data-testid="consultation" data-id={k.id} data-kind={kind} data-status={k.status} data-overdue={k.overdue}>
      <div className="inv-item-head">
        <ConsultationStatusBadges consultation={k} />
        <span className="muted" data-testid="consultation-due">
          {t('inv.dueBy', { due: formatDateTime(k.dueAt) })}
        </span>
      </div>
      <p className="consultation-target" data-testid="consultation-target">
        {kind === 'internal'
          ? t('consult.internalTo', { team: k.team?.name ?? '—' })
          : t('consult.externalTo', { name: k.party?.name ?? '—', email: k.party?.email ?? '—' })}
      </p>
      <blockquote className="message-body" data-testid="consultation-question">
        {k.question}
      </blockquote>
      {k.sharedFiles.length ? (
        <div className="inv-shared" data-testid="consultation-shared">
          <p className="small-heading">{t('consult.sharedFiles')}</p>
          <FileLinks files={k.sharedFiles} testId="consultation-shared-file" />
        </div>
      ) : null}
      <p className="timeline-meta">{k.createdBy ? t('consult.askedBy', { name: k.createdBy.name, at: formatDateTime(k.createdAt) }) : formatDateTime(k.createdAt)}</p>
      {k.status === 'answered' ? (
        <div className="inv-answer" data-testid="consultation-answer">
          <p className="small-heading">
            {k.answeredBy
              ? t('consult.answeredBy', { name: k.answeredBy.name, at: formatDateTime(k.answeredAt) })
              : kind === 'external' && k.party?.name
                ? t('consult.answeredBy', { name: k.party.name, at: formatDateTime(k.answeredAt) })
                : t('consult.answeredAt', { at: formatDateTime(k.answeredAt) })}
          </p>
          <blockquote className="message-body" data-testid="consultation-answer-text">
            {k.answer || t('inv.noAnswerText')}
          </blockquote>
          <FileLinks files={k.files} testId="consultation-file" />
        </div>
      ) : null}
      {!readOnly && k.status === 'open' ? (
        <div className="actions-row inv-actions">
          {kind === 'external' ? (
            resendOpen ? (
              <form
                className="inline-form"
                noValidate
                onSubmit={(e) => {
                  e.preventDefault();
                  void onResend(email.trim()).then((ok) => ok && setResendOpen(false));
                }}
                data-testid="consultation-resend-form"
              >
                <TextField
                  id={`resend-email-${k.id}`}
                  type="email"
                  label={t('consult.resendEmail')}
                  hint={t('consult.resendHint')}
                  maxLength={254}
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  data-testid="consultation-resend-email"
                />
                <div className="actions-row">
                  <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="consultation-resend-confirm">
                    {t('consult.resendSubmit')}
                  </button>
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => setResendOpen(false)}>
                    {t('common.back')}
                  </button>
                </div>
              </form>
            ) : (
              <button type="button" className="btn btn-secondary btn-small" onClick={() => setResendOpen(true)} disabled={busy} data-testid="consultation-resend">
                {t('consult.resend')}
              </button>
            )
          ) : null}
          <CancelWithReason id={`cancel-consultation-${k.id}`} label={t('consult.cancel')} disabled={busy} testId="consultation-cancel" onConfirm={onCancel} />
        </div>
      ) : null}
    </li>
  );
}

/** Status in words, and "Quá hạn" beside an open one past its due date. */
export function ConsultationStatusBadges({ consultation: k }: { consultation: Pick<Consultation, 'status' | 'overdue'> }): ReactNode {
  const { t, label } = useI18n();
  return (
    <span className="badges-inline">
      <span className={`badge inv-badge inv-badge-${k.status}`} data-testid="consultation-status" data-status={k.status}>
        {label('consultStatus', k.status)}
      </span>
      {k.overdue ? (
        <span className="badge inv-badge inv-badge-overdue" data-testid="consultation-overdue">
          {t('consult.overdue')}
        </span>
      ) : null}
    </span>
  );
}

/** What the consultation form sends as JSON (no new files); with files it sends the same fields as multipart. */
type ConsultationBody = ConsultationInput & { shareFileIds?: string[] };

/**
 * Tham vấn: a department of the company, or an outside party by email; the question, the due days,
 * the complaint's files to share and new files to send with it (the only files the other side sees).
 */
function ConsultationForm({ base, teams, evidence, defaultDays, disabled, onBusy, onDone, onFailed }: FormProps & { teams: Team[]; evidence: Evidence[] }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<'internal' | 'external'>('internal');
  const [teamId, setTeamId] = useState('');
  const [partyName, setPartyName] = useState('');
  const [partyEmail, setPartyEmail] = useState('');
  const [question, setQuestion] = useState('');
  const [dueDays, setDueDays] = useState('');
  const [shared, setShared] = useState<string[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [fileProblems, setFileProblems] = useState<FileProblems>(NO_FILE_PROBLEMS);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending || disabled) return;
    const next: Record<string, string> = {};
    if (kind === 'internal' && !teamId) next['consult-team'] = t('validation.teamRequired');
    if (kind === 'external' && !partyName.trim()) next['consult-party-name'] = t('validation.partyNameRequired');
    if (kind === 'external' && !partyEmail.trim()) next['consult-party-email'] = t('validation.partyEmailRequired');
    else if (kind === 'external' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(partyEmail.trim())) next['consult-party-email'] = t('validation.emailInvalid');
    if (!question.trim()) next['consult-question'] = t('validation.questionRequired');
    const days = parseDueDays(dueDays);
    if (Number.isNaN(days)) next['consult-due-days'] = t('validation.dueDaysRange');
    setErrors(next);
    if (Object.keys(next).length) {
      document.getElementById(Object.keys(next)[0])?.focus();
      return;
    }
    if (hasFileProblems(checkFiles(files, t))) {
      document.getElementById('consult-files')?.focus();
      return;
    }
    // Shared in the order the complaint lists its files, whatever order they were ticked in.
    const shareFileIds = evidence.filter((e) => shared.includes(e.id)).map((e) => e.id);
    const common = { question: question.trim(), ...(days !== undefined ? { dueDays: days } : {}) };
    const body: ConsultationBody = {
      ...(kind === 'internal' ? { kind, teamId, ...common } : { kind, partyName: partyName.trim(), partyEmail: partyEmail.trim(), ...common }),
      ...(shareFileIds.length ? { shareFileIds } : {}),
    };
    setSending(true);
    onBusy(true);
    onFailed(null);
    try {
      const url = `${base}/consultations`;
      const options = { headers: { 'Idempotency-Key': key } };
      type Created = { consultation: StaffConsultation; investigation: InvestigationView };
      // New files go as multipart with the same fields; without them the form stays plain JSON.
      const r = files.length ? await api.postForm<Created>(url, filesForm(files, formFieldsOf(body)), options) : await api.post<Created>(url, body, options);
      setQuestion('');
      setDueDays('');
      setPartyName('');
      setPartyEmail('');
      setShared([]);
      setFiles([]);
      setFileProblems(NO_FILE_PROBLEMS);
      setKey(newIdempotencyKey());
      onDone(r.investigation, t('consult.sent', { due: formatDateTime(r.consultation.dueAt) }));
    } catch (err) {
      const byField: Record<string, string> = {};
      const ids: Record<string, string> = { teamId: 'consult-team', partyName: 'consult-party-name', partyEmail: 'consult-party-email', question: 'consult-question', dueDays: 'consult-due-days' };
      if (err instanceof ApiError) {
        for (const f of err.fields) {
          const id = /^shareFileIds(\[\d+\])?$/.test(f.field) ? 'consult-share' : ids[f.field];
          if (id && !byField[id]) byField[id] = f.message || err.message;
        }
        if (err.fields.some((f) => f.field.startsWith('files'))) setFileProblems(fileProblemsFrom(err, files, t));
      }
      setErrors(byField);
      onFailed(describeError(err, t), err instanceof ApiError && err.status === 409);
    } finally {
      setSending(false);
      onBusy(false);
    }
  }

  return (
    <form className="inv-form" onSubmit={(e) => void submit(e)} noValidate data-testid="consultation-form">
      <h4>{t('consult.new')}</h4>
      <p className="field-hint">{t('consult.newIntro')}</p>
      <fieldset className="checklist">
        <legend>{t('consult.kind')}</legend>
        {(['internal', 'external'] as const).map((k) => (
          <div className="check-option" key={k}>
            <input
              type="radio"
              name="consult-kind"
              id={`consult-kind-${k}`}
              value={k}
              checked={kind === k}
              onChange={() => {
                setKind(k);
                setErrors({});
              }}
              data-testid={`consultation-kind-${k}`}
            />
            <label htmlFor={`consult-kind-${k}`}>{t(k === 'internal' ? 'consult.kindInternal' : 'consult.kindExternal')}</label>
          </div>
        ))}
      </fieldset>
      {kind === 'internal' ? (
        <>
          <SelectField id="consult-team" label={t('consult.team')} required value={teamId} onChange={(e) => setTeamId(e.target.value)} error={errors['consult-team']} data-testid="consultation-team">
            <option value="">{t('consult.teamChoose')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </SelectField>
          {teams.length === 0 ? <p className="muted">{t('consult.noTeams')}</p> : null}
        </>
      ) : (
        <div className="grid-2">
          <TextField
            id="consult-party-name"
            label={t('consult.partyName')}
            required
            maxLength={200}
            value={partyName}
            onChange={(e) => setPartyName(e.target.value)}
            error={errors['consult-party-name']}
            data-testid="consultation-party-name"
          />
          <TextField
            id="consult-party-email"
            type="email"
            label={t('consult.partyEmail')}
            hint={t('consult.partyHint')}
            required
            maxLength={254}
            value={partyEmail}
            onChange={(e) => setPartyEmail(e.target.value)}
            error={errors['consult-party-email']}
            data-testid="consultation-party-email"
          />
        </div>
      )}
      <TextArea
        id="consult-question"
        label={t('consult.question')}
        hint={t('consult.questionHint')}
        required
        rows={3}
        maxLength={10000}
        value={question}
        onChange={(e) => setQuestion(e.target.value)}
        error={errors['consult-question']}
        data-testid="consultation-question-input"
      />
      <TextField
        id="consult-due-days"
        className="input-short"
        label={t('consult.dueDays')}
        hint={t('inv.dueDaysHint', { days: defaultDays })}
        type="number"
        inputMode="numeric"
        min={1}
        max={60}
        step={1}
        placeholder={String(defaultDays)}
        value={dueDays}
        onChange={(e) => setDueDays(e.target.value)}
        error={errors['consult-due-days']}
        data-testid="consultation-due-days"
        data-default={defaultDays}
      />
      <fieldset
        className={errors['consult-share'] ? 'checklist field-invalid' : 'checklist'}
        id="consult-share"
        tabIndex={-1}
        aria-describedby={['consult-share-hint', errors['consult-share'] ? 'consult-share-error' : null].filter(Boolean).join(' ')}
        data-testid="consultation-share"
      >
        <legend>{t('consult.shareLegend')}</legend>
        <p className="field-hint" id="consult-share-hint">
          {t('consult.shareHint')}
        </p>
        {evidence.length === 0 ? <p className="muted">{t('consult.shareNone')}</p> : null}
        {evidence.map((e) => (
          <div className="check-option" key={e.id}>
            <input
              type="checkbox"
              id={`consult-share-${e.id}`}
              checked={shared.includes(e.id)}
              onChange={(ev) => {
                const on = ev.target.checked;
                setShared((list) => (on ? [...list, e.id] : list.filter((id) => id !== e.id)));
                if (errors['consult-share']) setErrors(({ ['consult-share']: _, ...rest }) => rest);
              }}
              data-testid="consultation-share-file"
              data-name={e.filename}
            />
            <label htmlFor={`consult-share-${e.id}`}>
              {e.filename} <span className="muted">({fileKind(e.contentType, t)} · {formatBytes(e.size, lang)})</span>
            </label>
          </div>
        ))}
        {errors['consult-share'] ? (
          <p className="field-error" id="consult-share-error" data-testid="error-consult-share">
            {errors['consult-share']}
          </p>
        ) : null}
      </fieldset>
      <FilePicker
        id="consult-files"
        label={t('consult.uploadLabel')}
        optional
        files={files}
        onChange={(next) => {
          setFiles(next);
          setFileProblems(NO_FILE_PROBLEMS);
        }}
        serverProblems={fileProblems}
        disabled={sending || disabled}
        testId="consultation-files"
      />
      <button type="submit" className="btn btn-primary" disabled={sending || disabled} data-testid="consultation-submit">
        {sending ? t('inv.sending') : t('consult.submit')}
      </button>
    </form>
  );
}

/** The JSON body as multipart text fields: numbers as digits, the shared ids comma-separated. */
function formFieldsOf(body: ConsultationBody): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    fields[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return fields;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * What a verification-step event says on the staff timeline (the page adds the files and clock
 * changes the event carries). Payloads as the commands write them.
 */
export function InvestigationEventPayload({ event, code }: { event: TimelineEvent; code: string }) {
  const { t, label } = useI18n();
  const p = event.payload ?? {};
  switch (event.type) {
    case 'info_request.created': {
      const items = Array.isArray(p.items) ? (p.items as InfoRequestItem[]) : [];
      return (
        <>
          <InfoItems items={items} testId="timeline-info-items" />
          {str(p.message) ? <p className="note-body">{str(p.message)}</p> : null}
          <p className="timeline-reason" data-testid="timeline-info-due">
            {typeof p.dueDays === 'number'
              ? t('timeline.infoDue', { due: formatDateTime(str(p.dueAt)), days: p.dueDays })
              : t('timeline.infoDueOnly', { due: formatDateTime(str(p.dueAt)) })}
          </p>
        </>
      );
    }
    case 'info_request.answered':
      return (
        <>
          {str(p.answer) ? (
            <blockquote className="message-body" data-testid="timeline-info-answer">
              {str(p.answer)}
            </blockquote>
          ) : null}
          {p.late ? <p className="timeline-reason">{t('timeline.late')}</p> : null}
        </>
      );
    case 'info_request.expired':
      return <p className="timeline-change">{t('timeline.expiredDue', { due: formatDateTime(str(p.dueAt)) })}</p>;
    case 'info_request.cancelled':
    case 'consultation.cancelled':
      return str(p.reason) ? <p className="timeline-reason">{t('timeline.reason', { reason: str(p.reason) ?? '' })}</p> : null;
    case 'info_request.reminded':
      return (
        <p className="timeline-change">
          {p.mailed === false ? t('timeline.remindedNoMail') : t('timeline.reminded', { due: formatDateTime(str(p.dueAt)) })}
        </p>
      );
    case 'evidence.verified':
    case 'evidence.disputed':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-evidence" data-status={str(p.status)}>
            {t('timeline.evidenceFile', { name: str(p.filename) ?? '?' })} · {label('verification', str(p.status) ?? (event.type === 'evidence.verified' ? 'verified' : 'disputed'))}
          </p>
          {str(p.note) ? <p className="note-body">{str(p.note)}</p> : null}
        </>
      );
    case 'consultation.requested': {
      const target = (p.target ?? {}) as Record<string, unknown>;
      return (
        <>
          <p className="timeline-change" data-testid="timeline-consultation-target">
            {target.kind === 'internal'
              ? t('timeline.consultInternal', { team: str(target.teamName) ?? '—' })
              : t('timeline.consultExternal', { name: str(target.name) ?? '—', email: str(target.email) ?? '—' })}
          </p>
          {str(p.question) ? <blockquote className="message-body">{str(p.question)}</blockquote> : null}
          <SharedFileNames code={code} value={p.sharedFiles} />
          <p className="timeline-reason">{t('timeline.consultDue', { due: formatDateTime(str(p.dueAt)) })}</p>
        </>
      );
    }
    case 'consultation.answered': {
      const by = (p.by ?? {}) as { staff?: { name?: string }; party?: { name?: string | null; email?: string | null } };
      const who = by.staff?.name ?? by.party?.name ?? by.party?.email ?? null;
      return (
        <>
          {who ? <p className="timeline-change">{t('timeline.consultBy', { name: who })}</p> : null}
          {str(p.answer) ? (
            <blockquote className="message-body" data-testid="timeline-consultation-answer">
              {str(p.answer)}
            </blockquote>
          ) : null}
          {p.late ? <p className="timeline-reason">{t('timeline.late')}</p> : null}
        </>
      );
    }
    case 'consultation.overdue':
      return <p className="timeline-change">{t('timeline.consultOverdue', { target: str(p.target) ?? '—', due: formatDateTime(str(p.dueAt)) })}</p>;
    case 'consultation.resent':
      return <p className="timeline-change">{t('timeline.consultResent', { email: str(p.email) ?? '—' })}</p>;
    default:
      return null;
  }
}

/** The files a consultation request shared, as its event lists them: each name with the start of its SHA-256. */
/** The complaint's files sent with a question; each downloads from the complaint (staff only see this timeline). */
function SharedFileNames({ code, value }: { code: string; value: unknown }) {
  const { t } = useI18n();
  if (!Array.isArray(value) || value.length === 0) return null;
  const files = value.flatMap((raw) => (raw && typeof raw === 'object' ? [raw as Record<string, unknown>] : []));
  return (
    <div className="timeline-shared" data-testid="timeline-shared-files">
      <p className="timeline-change">{t('timeline.consultShared')}:</p>
      <ul className="timeline-list">
        {files.map((f, i) => {
          const hash = str(f.sha256);
          return (
            <li key={hash ?? i} data-testid="timeline-shared-file" data-name={str(f.filename) ?? ''} data-sha256={hash ?? ''}>
              {hash && /^[0-9a-f]{64}$/.test(hash) ? (
                <a href={`/api/v1/complaints/${encodeURIComponent(code)}/attachments/${hash}`} download={str(f.filename) ?? undefined}>
                  {str(f.filename) ?? '?'}
                </a>
              ) : (
                (str(f.filename) ?? '?')
              )}
              {hash ? (
                <code className="muted" title={hash}>
                  {' '}
                  {hash.slice(0, 12)}…
                </code>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
