import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorSummary, Notice, TextField } from '../components/forms';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError, formErrorsFrom, useFormErrors } from '../errors';
import type { RootCause } from '../followup-types';
import { useI18n } from '../i18n';
import type { ListOf } from '../types';

/** Nguyên nhân gốc — the taxonomy agents pick from when resolving: add, rename (vi/en), retire. */
export function AdminRootCausesPage() {
  return (
    <StaffLayout>
      <RootCauses />
    </StaffLayout>
  );
}

function RootCauses() {
  const { t } = useI18n();
  useTitle(t('rootCauses.title'));
  const role = useRole();
  const canRead = role === 'agent' || role === 'supervisor' || role === 'admin' || role === 'auditor';
  const canManage = role === 'admin';
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<ListOf<RootCause>>(canRead ? '/api/v1/root-causes' : null, attempt);
  const [items, setItems] = useState<RootCause[] | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);

  if (role && !canRead) return <NotAllowed message={t('admin.adminsOnly')} testId="root-causes-forbidden" />;

  const replace = (next: RootCause) =>
    setItems((prev) => {
      if (!prev) return [next];
      const list = prev.some((x) => x.id === next.id) ? prev.map((x) => (x.id === next.id ? next : x)) : [...prev, next];
      // As the API lists them: active first, then by name.
      return [...list].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'vi'));
    });

  async function toggle(rc: RootCause) {
    setNotice(null);
    try {
      const next = await api.patch<RootCause>(`/api/v1/root-causes/${encodeURIComponent(rc.id)}`, { active: !rc.active });
      replace(next);
      setNotice({ kind: 'success', text: t(next.active ? 'rootCauses.reactivated' : 'rootCauses.deactivated', { name: next.name }) });
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err, t) });
    }
  }

  return (
    <div data-testid="root-causes-page">
      {canManage ? <AdminTabs /> : null}
      <div className="page-head">
        <h1>{t('rootCauses.title')}</h1>
        <p className="lead">{t('rootCauses.intro')}</p>
      </div>
      {!canManage ? <p className="muted">{t('rootCauses.readOnly')}</p> : null}
      {canManage ? (
        <AddRootCause
          onAdded={(rc) => {
            replace(rc);
            setNotice({ kind: 'success', text: t('rootCauses.added', { name: rc.name }) });
          }}
        />
      ) : null}
      <div aria-live="polite">
        {notice ? (
          <Notice kind={notice.kind} testId="root-cause-notice">
            {notice.text}
          </Notice>
        ) : null}
      </div>
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {items ? (
        <div className="table-wrap card">
          <table className="queue" data-testid="root-cause-list">
            <caption className="visually-hidden">{t('rootCauses.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rootCauses.nameVi')}</th>
                <th scope="col">{t('rootCauses.nameEn')}</th>
                <th scope="col">{t('rootCauses.slug')}</th>
                <th scope="col">{t('field.status')}</th>
                {canManage ? <th scope="col">{t('rootCauses.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((rc) => (
                <RootCauseRow key={rc.id} rc={rc} canManage={canManage} onSaved={replace} onToggle={() => void toggle(rc)} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function AddRootCause({ onAdded }: { onAdded: (rc: RootCause) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ name: '', nameEn: '', slug: '' });
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!draft.name.trim()) {
      setErrors((tr) => ({ fields: { 'rc-name': tr('rootCauses.nameRequired') }, general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const rc = await api.post<RootCause>('/api/v1/root-causes', {
        name: draft.name.trim(),
        nameEn: draft.nameEn.trim() || undefined,
        slug: draft.slug.trim() || undefined,
      });
      setDraft({ name: '', nameEn: '', slug: '' });
      onAdded(rc);
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, { name: 'rc-name', nameEn: 'rc-name-en', slug: 'rc-slug' }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby="rc-add-heading">
      <h2 id="rc-add-heading">{t('rootCauses.add')}</h2>
      <form onSubmit={submit} noValidate data-testid="root-cause-form">
        <ErrorSummary errors={errors} />
        <div className="grid-3">
          <TextField
            id="rc-name"
            label={t('rootCauses.nameVi')}
            required
            maxLength={200}
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            error={errors.fields['rc-name']}
            data-testid="root-cause-name"
          />
          <TextField
            id="rc-name-en"
            label={t('rootCauses.nameEn')}
            optional
            lang="en"
            maxLength={200}
            value={draft.nameEn}
            onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
            error={errors.fields['rc-name-en']}
            data-testid="root-cause-name-en"
          />
          <TextField
            id="rc-slug"
            label={t('rootCauses.slug')}
            hint={t('rootCauses.slugHint')}
            optional
            maxLength={60}
            value={draft.slug}
            onChange={(e) => setDraft({ ...draft, slug: e.target.value })}
            error={errors.fields['rc-slug']}
            data-testid="root-cause-slug"
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="root-cause-add">
          {saving ? t('common.saving') : t('rootCauses.addSubmit')}
        </button>
      </form>
    </section>
  );
}

function RootCauseRow({ rc, canManage, onSaved, onToggle }: { rc: RootCause; canManage: boolean; onSaved: (rc: RootCause) => void; onToggle: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState({ name: rc.name, nameEn: rc.nameEn ?? '' });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const base = `rc-${rc.id}`;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft.name.trim()) {
      setError(t('rootCauses.nameRequired'));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const next = await api.patch<RootCause>(`/api/v1/root-causes/${encodeURIComponent(rc.id)}`, { name: draft.name.trim(), nameEn: draft.nameEn.trim() });
      onSaved(next);
      setEditing(false);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setSaving(false);
    }
  }

  return (
    <tr data-testid="root-cause-row" data-id={rc.id} data-slug={rc.slug ?? ''} data-active={rc.active}>
      {editing ? (
        <td colSpan={canManage ? 5 : 4} data-label={t('rootCauses.rename')}>
          <form className="fu-inline fu-rc-rename" onSubmit={save} noValidate data-testid="root-cause-rename-form">
            <div className={error ? 'field field-invalid' : 'field'}>
              <label htmlFor={`${base}-vi`}>{t('rootCauses.nameVi')}</label>
              <input
                id={`${base}-vi`}
                value={draft.name}
                maxLength={200}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${base}-error` : undefined}
                data-testid="root-cause-rename-vi"
              />
            </div>
            <div className="field">
              <label htmlFor={`${base}-en`}>{t('rootCauses.nameEn')}</label>
              <input
                id={`${base}-en`}
                lang="en"
                value={draft.nameEn}
                maxLength={200}
                onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
                data-testid="root-cause-rename-en"
              />
            </div>
            <button type="submit" className="btn btn-primary" disabled={saving} data-testid="root-cause-rename-save">
              {saving ? t('common.saving') : t('rootCauses.save')}
            </button>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setEditing(false);
                setError(null);
                setDraft({ name: rc.name, nameEn: rc.nameEn ?? '' });
              }}
            >
              {t('actions.cancel')}
            </button>
            {error ? (
              <p className="field-error" id={`${base}-error`} data-testid="root-cause-rename-error">
                {error}
              </p>
            ) : null}
          </form>
        </td>
      ) : (
        <>
          <td data-label={t('rootCauses.nameVi')} className="cell-subject" data-testid="root-cause-name-vi">
            {rc.name}
          </td>
          <td data-label={t('rootCauses.nameEn')} lang="en" data-testid="root-cause-name-en-cell">
            {rc.nameEn || <span className="muted">—</span>}
          </td>
          <td data-label={t('rootCauses.slug')}>
            <code>{rc.slug ?? '—'}</code>
          </td>
          <td data-label={t('field.status')}>
            <span className={rc.active ? 'badge fu-active' : 'badge fu-inactive'} data-testid="root-cause-active">
              {rc.active ? t('rootCauses.active') : t('rootCauses.inactive')}
            </span>
          </td>
          {canManage ? (
            <td data-label={t('rootCauses.actions')}>
              <span className="fu-row-buttons">
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  onClick={() => setEditing(true)}
                  aria-label={t('rootCauses.renameLabel', { name: rc.name })}
                  data-testid="root-cause-rename"
                >
                  {t('rootCauses.rename')}
                </button>
                <button
                  type="button"
                  className={rc.active ? 'btn btn-danger btn-small' : 'btn btn-secondary btn-small'}
                  onClick={onToggle}
                  aria-label={t(rc.active ? 'rootCauses.deactivateLabel' : 'rootCauses.reactivateLabel', { name: rc.name })}
                  data-testid="root-cause-toggle"
                >
                  {rc.active ? t('rootCauses.deactivate') : t('rootCauses.reactivate')}
                </button>
              </span>
            </td>
          ) : null}
        </>
      )}
    </tr>
  );
}
