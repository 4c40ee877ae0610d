import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { StatusBadge } from '../components/badges';
import { DateField, ErrorSummary, Notice, SelectField, TextArea, TextField } from '../components/forms';
import { LoadFailed, NotAllowed, useApiGet, useRole, useRootCauseName } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError, useFormErrors, type FormErrors } from '../errors';
import { formatDay, formatYmd } from '../followup-format';
import {
  CORRECTIVE_ACTION_STATUSES,
  type CorrectiveAction,
  type CorrectiveActionInput,
  type CorrectiveActionPatch,
  type CorrectiveActionStatus,
  type RootCause,
} from '../followup-types';
import { useI18n, type I18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import type { ListOf, UserListItem } from '../types';

const CODE_SPLIT = /[\s,;]+/;

/** "KN-2026-000001, kn-2026-000002" → the codes, upper-cased, once each. */
export function parseCodes(text: string): string[] {
  return [...new Set(text.split(CODE_SPLIT).map((c) => c.trim().toUpperCase()).filter(Boolean))];
}

function isStatus(v: string | null): v is CorrectiveActionStatus {
  return !!v && (CORRECTIVE_ACTION_STATUSES as readonly string[]).includes(v);
}

/** Cải tiến — corrective actions: what is done about a root cause, by whom, by when, for which complaints. */
export function CorrectiveActionsPage() {
  return (
    <StaffLayout>
      <CorrectiveActions />
    </StaffLayout>
  );
}

function CorrectiveActions() {
  const { t } = useI18n();
  useTitle(t('actions.title'));
  const role = useRole();
  if (role === 'department') {
    return (
      <>
        <div className="page-head">
          <h1>{t('actions.title')}</h1>
        </div>
        <NotAllowed message={t('actions.forbidden')} testId="actions-forbidden" />
      </>
    );
  }
  return <ActionsBody canManage={role === 'supervisor' || role === 'admin'} />;
}

function ActionsBody({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const { search } = useLocation();
  const statusParam = search.get('status');
  const status = isStatus(statusParam) ? statusParam : '';
  const creating = canManage && search.get('new') === '1';
  const presetRootCause = search.get('rootCauseId') ?? '';
  // Opened from a complaint: that complaint is linked (and its root cause, when known, preset).
  const presetComplaint = search.get('complaint') ?? '';
  const focus = search.get('focus');
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<ListOf<CorrectiveAction>>(`/api/v1/corrective-actions${status ? `?status=${status}` : ''}`, attempt);
  const [items, setItems] = useState<CorrectiveAction[] | null>(null);
  const [created, setCreated] = useState<CorrectiveAction | null>(null);
  const users = useApiGet<ListOf<UserListItem>>('/api/v1/users');
  const causes = useApiGet<ListOf<RootCause>>('/api/v1/root-causes');
  const staff = users.state === 'done' ? users.value.items.filter((u) => u.role !== 'department') : [];
  const rootCauses = causes.state === 'done' ? causes.value.items : [];

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);

  const setParams = (patch: Record<string, string | null>) => {
    const params = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    const qs = params.toString();
    navigate(`/staff/corrective-actions${qs ? `?${qs}` : ''}`, { keepScroll: true });
  };

  const replace = (next: CorrectiveAction) => setItems((prev) => (prev ? prev.map((a) => (a.id === next.id ? next : a)) : prev));

  return (
    <div data-testid="actions-page">
      <div className="page-head page-head-row">
        <div>
          <h1>{t('actions.title')}</h1>
          <p className="lead">{t('actions.intro')}</p>
        </div>
        {canManage && !creating ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setCreated(null);
              setParams({ new: '1', rootCauseId: null });
            }}
            data-testid="action-new"
          >
            + {t('actions.new')}
          </button>
        ) : null}
      </div>

      <div aria-live="polite">
        {created ? (
          <Notice kind="success" testId="action-created">
            {t('actions.created', { title: created.title })}
          </Notice>
        ) : null}
      </div>

      {/* The form waits for the people and causes it offers, so a pre-filled cause is there to be selected. */}
      {creating && users.state !== 'loading' && causes.state !== 'loading' ? (
        <section className="card" aria-labelledby="action-new-heading" data-testid="action-create">
          <h2 id="action-new-heading">{t('actions.newTitle')}</h2>
          {presetComplaint ? (
            <p className="field-hint" data-testid="actions-from-complaint">
              {t('actions.fromComplaint', { code: presetComplaint })}
            </p>
          ) : presetRootCause ? (
            <p className="field-hint">{t('actions.fromReport')}</p>
          ) : null}
          <ActionForm
            key={`${presetRootCause}|${presetComplaint}`}
            mode="create"
            users={staff}
            rootCauses={rootCauses}
            initial={{ rootCauseId: presetRootCause, codes: presetComplaint }}
            onCancel={() => setParams({ new: null, rootCauseId: null, complaint: null })}
            onSaved={(action) => {
              setCreated(action);
              setItems((prev) => (prev ? [action, ...prev.filter((a) => a.id !== action.id)] : [action]));
              setParams({ new: null, rootCauseId: null, complaint: null, focus: action.id });
            }}
          />
        </section>
      ) : null}

      <div className="card filters ca-filters">
        <div className="filter">
          <label htmlFor="action-status-filter">{t('actions.statusFilter')}</label>
          <select
            id="action-status-filter"
            value={status}
            onChange={(e) => setParams({ status: e.target.value || null })}
            data-testid="action-status-filter"
          >
            <option value="">{t('actions.allStatuses')}</option>
            {CORRECTIVE_ACTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`actionStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>

      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} testId="actions-load-error" /> : null}
      {items && items.length === 0 ? (
        <p className="empty card" data-testid="actions-empty">
          {t('actions.empty')}
        </p>
      ) : null}
      {items && items.length ? (
        <ul className="ca-list" data-testid="action-list">
          {items
            .filter((a) => !status || a.status === status)
            .map((a) => (
              <li key={a.id}>
                <ActionCard action={a} canManage={canManage} users={staff} rootCauses={rootCauses} focused={focus === a.id} onChanged={replace} />
              </li>
            ))}
        </ul>
      ) : null}
    </div>
  );
}

// ---------- one action ----------

function ActionCard({
  action,
  canManage,
  users,
  rootCauses,
  focused,
  onChanged,
}: {
  action: CorrectiveAction;
  canManage: boolean;
  users: UserListItem[];
  rootCauses: RootCause[];
  focused: boolean;
  onChanged: (next: CorrectiveAction) => void;
}) {
  const { t } = useI18n();
  const nameOf = useRootCauseName();
  const ref = useRef<HTMLElement>(null);
  const [status, setStatus] = useState<CorrectiveActionStatus>(action.status);
  const [codes, setCodes] = useState('');
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const base = `action-${action.id}`;

  useEffect(() => setStatus(action.status), [action.status]);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'center' });
  }, [focused]);

  async function patch(body: CorrectiveActionPatch, done: string): Promise<boolean> {
    if (busy) return false;
    setBusy(true);
    setMessage(null);
    try {
      const next = await api.patch<CorrectiveAction>(`/api/v1/corrective-actions/${encodeURIComponent(action.id)}`, body);
      onChanged(next);
      setMessage({ kind: 'success', text: done });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.fields.length && (body.linkComplaints || body.unlinkComplaints)) {
        const list = body.linkComplaints ?? body.unlinkComplaints ?? [];
        setLinkError(
          err.fields
            .map((f) => {
              const i = /\[(\d+)\]/.exec(f.field);
              return i && list[Number(i[1])] ? `${list[Number(i[1])]}: ${f.message || err.message}` : f.message || err.message;
            })
            .join(' '),
        );
      } else setMessage({ kind: 'error', text: describeError(err, t) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function link(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const list = parseCodes(codes);
    setLinkError(null);
    if (!list.length) {
      setLinkError(t('actions.codesRequired'));
      return;
    }
    if (await patch({ linkComplaints: list }, t('actions.linked', { count: list.length }))) setCodes('');
  }

  return (
    <article
      ref={ref}
      className={focused ? 'card ca-card ca-card-focused' : 'card ca-card'}
      aria-labelledby={`${base}-title`}
      data-testid="action-card"
      data-id={action.id}
      data-status={action.status}
    >
      <div className="ca-head">
        <h2 id={`${base}-title`} className="ca-title" data-testid="action-title">
          {action.title}
        </h2>
        <span className={`badge ca-status ca-status-${action.status}`} data-testid="action-status" data-status={action.status}>
          {t(`actionStatus.${action.status}`)}
        </span>
      </div>
      {action.description ? <p className="ca-description">{action.description}</p> : null}
      <dl className="facts ca-facts">
        <div>
          <dt>{t('actions.rootCause')}</dt>
          <dd data-testid="action-root-cause">{nameOf(action.rootCause)}</dd>
        </div>
        <div>
          <dt>{t('actions.owner')}</dt>
          <dd data-testid="action-owner">{action.owner?.name ?? t('actions.noOwner')}</dd>
        </div>
        <div>
          <dt>{t('actions.dueDate')}</dt>
          <dd data-testid="action-due">{formatYmd(action.dueDate)}</dd>
        </div>
        <div>
          <dt>{t('actions.createdBy')}</dt>
          <dd>
            {action.createdBy?.name ?? '—'} · {formatDay(action.createdAt)}
          </dd>
        </div>
        {action.doneAt ? (
          <div>
            <dt>{t('actions.doneAt')}</dt>
            <dd>{formatDay(action.doneAt)}</dd>
          </div>
        ) : null}
      </dl>

      <h3 className="small-heading">{t('actions.complaints', { count: action.complaints.length })}</h3>
      {action.complaints.length === 0 ? <p className="muted">{t('actions.noComplaints')}</p> : null}
      {action.complaints.length ? (
        <ul className="ca-complaints" data-testid="action-complaints">
          {action.complaints.map((c) => (
            <li key={c.code} data-testid="action-complaint" data-code={c.code}>
              <Link to={`/staff/complaints/${encodeURIComponent(c.code)}`} className="ca-complaint-code">
                {c.code}
              </Link>
              <span className="ca-complaint-subject">{c.subject}</span>
              <StatusBadge status={c.status} />
              {canManage ? (
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  disabled={busy}
                  onClick={() => void patch({ unlinkComplaints: [c.code] }, t('actions.unlinked', { code: c.code }))}
                  aria-label={t('actions.unlinkLabel', { code: c.code })}
                  data-testid="action-unlink"
                >
                  {t('actions.unlink')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}

      {canManage ? (
        <div className="ca-tools">
          <form className="fu-inline" onSubmit={link} noValidate data-testid="action-link-form">
            <div className={linkError ? 'field field-invalid' : 'field'}>
              <label htmlFor={`${base}-codes`}>{t('actions.linkLabel')}</label>
              <input
                id={`${base}-codes`}
                value={codes}
                onChange={(e) => setCodes(e.target.value)}
                placeholder="KN-2026-000001"
                aria-invalid={linkError ? true : undefined}
                aria-describedby={linkError ? `${base}-codes-error` : undefined}
                data-testid="action-link-input"
              />
              {linkError ? (
                <p className="field-error" id={`${base}-codes-error`} data-testid="action-link-error">
                  {linkError}
                </p>
              ) : null}
            </div>
            <button type="submit" className="btn btn-secondary" disabled={busy} data-testid="action-link-submit">
              {t('actions.link')}
            </button>
          </form>
          <form
            className="fu-inline"
            onSubmit={(e) => {
              e.preventDefault();
              if (status !== action.status) void patch({ status }, t('actions.statusSaved', { status: t(`actionStatus.${status}`) }));
            }}
            data-testid="action-status-form"
          >
            <div className="field">
              <label htmlFor={`${base}-status`}>{t('field.status')}</label>
              <select id={`${base}-status`} value={status} onChange={(e) => setStatus(e.target.value as CorrectiveActionStatus)} data-testid="action-status-select">
                {CORRECTIVE_ACTION_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`actionStatus.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="btn btn-secondary" disabled={busy || status === action.status} data-testid="action-status-save">
              {t('actions.saveStatus')}
            </button>
          </form>
          <button
            type="button"
            className="btn btn-ghost ca-edit-toggle"
            aria-expanded={editing}
            aria-controls={`${base}-edit`}
            onClick={() => setEditing((v) => !v)}
            data-testid="action-edit"
          >
            {editing ? t('actions.closeEdit') : t('actions.edit')}
          </button>
        </div>
      ) : null}
      <div aria-live="polite">
        {message ? (
          <Notice kind={message.kind} testId="action-message">
            {message.text}
          </Notice>
        ) : null}
      </div>
      {canManage && editing ? (
        <div id={`${base}-edit`} className="ca-edit">
          <ActionForm
            mode="edit"
            idPrefix={base}
            users={users}
            rootCauses={rootCauses}
            initial={{
              title: action.title,
              description: action.description,
              ownerId: action.owner?.id ?? '',
              rootCauseId: action.rootCause?.id ?? '',
              dueDate: action.dueDate ?? '',
            }}
            actionId={action.id}
            onCancel={() => setEditing(false)}
            onSaved={(next) => {
              onChanged(next);
              setEditing(false);
              setMessage({ kind: 'success', text: t('actions.saved') });
            }}
          />
        </div>
      ) : null}
    </article>
  );
}

// ---------- the create / edit form ----------

interface Draft {
  title: string;
  description: string;
  ownerId: string;
  rootCauseId: string;
  dueDate: string;
  codes: string;
}

const FIELD_IDS: Record<string, keyof Draft> = {
  title: 'title',
  description: 'description',
  ownerId: 'ownerId',
  rootCauseId: 'rootCauseId',
  dueDate: 'dueDate',
};

function apiErrors(err: unknown, t: I18n['t'], id: (k: keyof Draft) => string, codes: string[]): FormErrors {
  if (!(err instanceof ApiError) || !err.fields.length) return { fields: {}, general: [describeError(err, t)] };
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const f of err.fields) {
    const message = f.message || err.message || t('error.generic');
    const m = /^complaintCodes\[(\d+)\]$/.exec(f.field);
    if (m) {
      const code = codes[Number(m[1])];
      fields[id('codes')] = code ? `${code}: ${f.code === 'not_found' ? t('actions.codeNotFound') : message}` : message;
    } else if (FIELD_IDS[f.field]) fields[id(FIELD_IDS[f.field])] ??= message;
    else general.push(message);
  }
  return { fields, general };
}

function ActionForm({
  mode,
  initial,
  users,
  rootCauses,
  actionId,
  idPrefix = 'ca',
  onSaved,
  onCancel,
}: {
  mode: 'create' | 'edit';
  initial: Partial<Draft>;
  users: UserListItem[];
  rootCauses: RootCause[];
  actionId?: string;
  idPrefix?: string;
  onSaved: (action: CorrectiveAction) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const nameOf = useRootCauseName();
  const [draft, setDraft] = useState<Draft>({ title: '', description: '', ownerId: '', rootCauseId: '', dueDate: '', codes: '', ...initial });
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const id = (k: keyof Draft) => `${idPrefix}-${k === 'codes' ? 'codes' : k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  // A retired cause stays pickable for an action that already has it, and is marked so.
  const causeOptions = rootCauses.filter((rc) => rc.active || rc.id === draft.rootCauseId);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!draft.title.trim()) {
      setErrors((tr) => ({ fields: { [id('title')]: tr('actions.titleRequired') }, general: [] }));
      return;
    }
    const codes = parseCodes(draft.codes);
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      let saved: CorrectiveAction;
      if (mode === 'create') {
        const body: CorrectiveActionInput = {
          title: draft.title.trim(),
          description: draft.description.trim() || undefined,
          ownerId: draft.ownerId || undefined,
          rootCauseId: draft.rootCauseId || undefined,
          dueDate: draft.dueDate || undefined,
          complaintCodes: codes.length ? codes : undefined,
        };
        saved = await api.post<CorrectiveAction>('/api/v1/corrective-actions', body);
      } else {
        const body: CorrectiveActionPatch = {
          title: draft.title.trim(),
          description: draft.description.trim(),
          ownerId: draft.ownerId || null,
          rootCauseId: draft.rootCauseId || null,
          dueDate: draft.dueDate || null,
        };
        saved = await api.patch<CorrectiveAction>(`/api/v1/corrective-actions/${encodeURIComponent(actionId!)}`, body);
      }
      onSaved(saved);
    } catch (err) {
      setErrors((tr) => apiErrors(err, tr, id, codes));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid={mode === 'create' ? 'action-form' : 'action-edit-form'}>
      <ErrorSummary errors={errors} />
      <TextField
        id={id('title')}
        label={t('actions.titleLabel')}
        hint={t('actions.titleHint')}
        required
        maxLength={300}
        value={draft.title}
        onChange={(e) => update({ title: e.target.value })}
        error={errors.fields[id('title')]}
        data-testid="action-form-title"
      />
      <TextArea
        id={id('description')}
        label={t('actions.descriptionLabel')}
        optional
        rows={3}
        value={draft.description}
        onChange={(e) => update({ description: e.target.value })}
        error={errors.fields[id('description')]}
        data-testid="action-form-description"
      />
      <div className="grid-3">
        <SelectField
          id={id('ownerId')}
          label={t('actions.owner')}
          optional
          value={draft.ownerId}
          onChange={(e) => update({ ownerId: e.target.value })}
          error={errors.fields[id('ownerId')]}
          data-testid="action-form-owner"
        >
          <option value="">{t('actions.noOwner')}</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          id={id('rootCauseId')}
          label={t('actions.rootCause')}
          optional
          value={draft.rootCauseId}
          onChange={(e) => update({ rootCauseId: e.target.value })}
          error={errors.fields[id('rootCauseId')]}
          data-testid="action-form-root-cause"
        >
          <option value="">{t('actions.noRootCause')}</option>
          {causeOptions.map((rc) => (
            <option key={rc.id} value={rc.id}>
              {nameOf(rc)}
              {rc.active ? '' : ` (${t('rootCauses.inactive')})`}
            </option>
          ))}
        </SelectField>
        <DateField
          id={id('dueDate')}
          label={t('actions.dueDate')}
          optional
          value={draft.dueDate}
          onValue={(dueDate) => update({ dueDate })}
          error={errors.fields[id('dueDate')]}
          data-testid="action-form-due"
        />
      </div>
      {mode === 'create' ? (
        <TextField
          id={id('codes')}
          label={t('actions.codesLabel')}
          hint={t('actions.codesHint')}
          optional
          value={draft.codes}
          onChange={(e) => update({ codes: e.target.value })}
          error={errors.fields[id('codes')]}
          placeholder="KN-2026-000001, KN-2026-000002"
          data-testid="action-form-codes"
        />
      ) : null}
      <div className="form-actions actions-row">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="action-form-submit">
          {saving ? t('common.saving') : mode === 'create' ? t('actions.create') : t('actions.saveEdit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel} data-testid="action-form-cancel">
          {t('actions.cancel')}
        </button>
      </div>
    </form>
  );
}
