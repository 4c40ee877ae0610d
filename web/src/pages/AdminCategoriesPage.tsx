import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorSummary, Notice, TextField } from '../components/forms';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError, formErrorsFrom, useFormErrors } from '../errors';
import { useI18n } from '../i18n';
import type { CategoryItem, ListOf } from '../types';
import '../staff-admin.css';

/** Danh mục khiếu nại — the kinds of complaint picked at intake: add, rename (vi/en), retire, use again. */
export function AdminCategoriesPage() {
  return (
    <StaffLayout>
      <Categories />
    </StaffLayout>
  );
}

/** As the API lists them, by name; here the ones in use first. */
function sorted(list: CategoryItem[]): CategoryItem[] {
  return [...list].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'vi'));
}

function Categories() {
  const { t } = useI18n();
  useTitle(t('categories.title'));
  const role = useRole();
  const isAdmin = role === 'admin';
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<ListOf<CategoryItem>>(isAdmin ? '/api/v1/categories' : null, attempt);
  const [items, setItems] = useState<CategoryItem[] | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  useEffect(() => {
    if (loaded.state === 'done') setItems(sorted(loaded.value.items));
  }, [loaded]);

  if (role && !isAdmin) return <NotAllowed message={t('categories.adminsOnly')} testId="categories-forbidden" />;

  // PATCH and POST answer without the slug: keep the one already known.
  const replace = (next: Omit<CategoryItem, 'slug'> & { slug?: string | null }) =>
    setItems((prev) => {
      const list = prev ?? [];
      const old = list.find((x) => x.id === next.id);
      const merged: CategoryItem = { ...next, slug: next.slug ?? old?.slug ?? null };
      return sorted(old ? list.map((x) => (x.id === next.id ? merged : x)) : [...list, merged]);
    });

  async function toggle(c: CategoryItem) {
    setNotice(null);
    try {
      const next = await api.patch<CategoryItem>(`/api/v1/categories/${encodeURIComponent(c.id)}`, { active: !c.active });
      replace(next);
      setNotice({ kind: 'success', text: t(next.active ? 'categories.reactivated' : 'categories.deactivated', { name: next.name }) });
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err, t) });
    }
  }

  return (
    <div data-testid="categories-page">
      <AdminTabs />
      <div className="page-head">
        <h1>{t('categories.title')}</h1>
        <p className="lead">{t('categories.intro')}</p>
      </div>
      <AddCategory
        onAdded={(c) => {
          replace(c);
          setNotice({ kind: 'success', text: t('categories.added', { name: c.name }) });
        }}
      />
      <div aria-live="polite">
        {notice ? (
          <Notice kind={notice.kind} testId="category-notice">
            {notice.text}
          </Notice>
        ) : null}
      </div>
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {items && items.length === 0 ? <p className="muted">{t('categories.empty')}</p> : null}
      {items && items.length > 0 ? (
        <div className="table-wrap card">
          <table className="queue" data-testid="category-list">
            <caption className="visually-hidden">{t('categories.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('categories.nameVi')}</th>
                <th scope="col">{t('categories.nameEn')}</th>
                <th scope="col">{t('categories.slug')}</th>
                <th scope="col">{t('field.status')}</th>
                <th scope="col">{t('categories.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <CategoryRow
                  key={c.id}
                  category={c}
                  onSaved={(next) => {
                    replace(next);
                    setNotice({ kind: 'success', text: t('categories.saved', { name: next.name }) });
                  }}
                  onToggle={() => void toggle(c)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function AddCategory({ onAdded }: { onAdded: (c: CategoryItem) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ name: '', nameEn: '' });
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!draft.name.trim()) {
      setErrors((tr) => ({ fields: { 'cat-name': tr('categories.nameRequired') }, general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const c = await api.post<CategoryItem>('/api/v1/categories', { name: draft.name.trim(), nameEn: draft.nameEn.trim() || undefined });
      setDraft({ name: '', nameEn: '' });
      onAdded(c);
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, { name: 'cat-name', nameEn: 'cat-name-en' }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby="cat-add-heading">
      <h2 id="cat-add-heading">{t('categories.add')}</h2>
      <form onSubmit={submit} noValidate data-testid="category-form">
        <ErrorSummary errors={errors} />
        <div className="grid-2">
          <TextField
            id="cat-name"
            label={t('categories.nameVi')}
            required
            maxLength={200}
            autoComplete="off"
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            error={errors.fields['cat-name']}
            data-testid="category-name"
          />
          <TextField
            id="cat-name-en"
            label={t('categories.nameEn')}
            optional
            lang="en"
            maxLength={200}
            autoComplete="off"
            value={draft.nameEn}
            onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
            error={errors.fields['cat-name-en']}
            data-testid="category-name-en"
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="category-add">
          {saving ? t('common.saving') : t('categories.addSubmit')}
        </button>
      </form>
    </section>
  );
}

function CategoryRow({ category: c, onSaved, onToggle }: { category: CategoryItem; onSaved: (c: CategoryItem) => void; onToggle: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState({ name: c.name, nameEn: c.nameEn ?? '' });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const base = `cat-${c.id}`;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!draft.name.trim()) {
      setError(t('categories.nameRequired'));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const next = await api.patch<CategoryItem>(`/api/v1/categories/${encodeURIComponent(c.id)}`, {
        name: draft.name.trim(),
        nameEn: draft.nameEn.trim(),
      });
      onSaved(next);
      setEditing(false);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setSaving(false);
    }
  }

  return (
    <tr data-testid="category-row" data-id={c.id} data-active={c.active}>
      {editing ? (
        <td colSpan={5} className="sa-panel-cell">
          <form className="fu-inline" onSubmit={save} noValidate data-testid="category-rename-form">
            <div className={error ? 'field field-invalid' : 'field'}>
              <label htmlFor={`${base}-vi`}>{t('categories.nameVi')}</label>
              <input
                id={`${base}-vi`}
                value={draft.name}
                maxLength={200}
                autoComplete="off"
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${base}-error` : undefined}
                data-testid="category-rename-vi"
              />
            </div>
            <div className="field">
              <label htmlFor={`${base}-en`}>{t('categories.nameEn')}</label>
              <input
                id={`${base}-en`}
                lang="en"
                value={draft.nameEn}
                maxLength={200}
                autoComplete="off"
                onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
                data-testid="category-rename-en"
              />
            </div>
            <button type="submit" className="btn btn-primary" disabled={saving} data-testid="category-rename-save">
              {saving ? t('common.saving') : t('categories.save')}
            </button>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setEditing(false);
                setError(null);
                setDraft({ name: c.name, nameEn: c.nameEn ?? '' });
              }}
            >
              {t('actions.cancel')}
            </button>
            {error ? (
              <p className="field-error" id={`${base}-error`} role="alert" data-testid="category-rename-error">
                {error}
              </p>
            ) : null}
          </form>
        </td>
      ) : (
        <>
          <td data-label={t('categories.nameVi')} className="cell-subject" data-testid="category-name-vi">
            {c.name}
          </td>
          <td data-label={t('categories.nameEn')} lang="en" data-testid="category-name-en-cell">
            {c.nameEn || <span className="muted">—</span>}
          </td>
          <td data-label={t('categories.slug')}>
            <code>{c.slug ?? '—'}</code>
          </td>
          <td data-label={t('field.status')}>
            <span className={c.active ? 'badge fu-active' : 'badge fu-inactive'} data-testid="category-active">
              {c.active ? t('categories.active') : t('categories.inactive')}
            </span>
          </td>
          <td data-label={t('categories.actions')}>
            <span className="fu-row-buttons">
              <button
                type="button"
                className="btn btn-secondary btn-small"
                onClick={() => {
                  setDraft({ name: c.name, nameEn: c.nameEn ?? '' });
                  setEditing(true);
                }}
                aria-label={t('categories.renameLabel', { name: c.name })}
                data-testid="category-rename"
              >
                {t('categories.rename')}
              </button>
              <button
                type="button"
                className={c.active ? 'btn btn-danger btn-small' : 'btn btn-secondary btn-small'}
                onClick={onToggle}
                aria-label={t(c.active ? 'categories.deactivateLabel' : 'categories.reactivateLabel', { name: c.name })}
                data-testid="category-toggle"
              >
                {c.active ? t('categories.deactivate') : t('categories.reactivate')}
              </button>
            </span>
          </td>
        </>
      )}
    </tr>
  );
}
