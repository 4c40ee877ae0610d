import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { formErrorsFrom, useFormErrors } from '../errors';
import { useI18n } from '../i18n';
import { Link } from '../router';
import type { ListOf } from '../types';
import { ErrorSummary, Notice, TextField } from './forms';

export interface SavedView {
  id: string;
  name: string;
  /** The queue's address query, without "?". */
  query: string;
  createdAt: string;
}

/**
 * Bộ lọc đã lưu — the member's named queue filters as links above the queue (the one shown marked as current),
 * each with a button to delete it, and "save these filters" when the filters shown are not saved yet.
 */
export function SavedViews({ query }: { query: string }) {
  const { t } = useI18n();
  const [views, setViews] = useState<SavedView[]>([]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const [said, setSaid] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListOf<SavedView>>('/api/v1/views', { signal: controller.signal })
      .then((r) => setViews(r.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  // Other filters: a half-written name no longer applies to them.
  useEffect(() => {
    setNaming(false);
    setErrors({ fields: {}, general: [] });
  }, [query]);

  const saved = views.some((v) => v.query === query);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!name.trim()) {
      setErrors((tr) => ({ fields: { 'view-name': tr('views.nameRequired') }, general: [] }));
      document.getElementById('view-name')?.focus();
      return;
    }
    setSaving(true);
    try {
      const view = await api.post<SavedView>('/api/v1/views', { name: name.trim(), query });
      setViews((prev) => [...prev, view].sort((a, b) => a.name.localeCompare(b.name, 'vi')));
      setNaming(false);
      setName('');
      setErrors({ fields: {}, general: [] });
      setSaid(t('views.saved', { name: view.name }));
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, { name: 'view-name', query: 'view-name' }));
    } finally {
      setSaving(false);
    }
  }

  async function remove(view: SavedView) {
    try {
      await api.delete<void>(`/api/v1/views/${encodeURIComponent(view.id)}`);
      setViews((prev) => prev.filter((v) => v.id !== view.id));
      setSaid(t('views.deleted', { name: view.name }));
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, {}));
    }
    document.getElementById('views-title')?.focus();
  }

  if (!views.length && !query) return null;
  return (
    <section className="saved-views" aria-labelledby="views-title" data-testid="saved-views">
      <h2 id="views-title" className="saved-views-title" tabIndex={-1}>
        {t('views.title')}
      </h2>
      {views.length ? (
        <ul className="saved-view-list">
          {views.map((v) => (
            <li key={v.id} className="saved-view" data-testid="saved-view" data-id={v.id}>
              <Link to={`/staff?${v.query}`} aria-current={v.query === query ? 'true' : undefined} data-testid="saved-view-link">
                {v.name}
              </Link>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                aria-label={t('views.delete', { name: v.name })}
                onClick={() => void remove(v)}
                data-testid="saved-view-delete"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {query && !saved && !naming ? (
        <button
          type="button"
          className="btn btn-secondary btn-small"
          onClick={() => {
            setNaming(true);
            setSaid(null);
            window.requestAnimationFrame(() => document.getElementById('view-name')?.focus());
          }}
          data-testid="view-save"
        >
          {t('views.save')}
        </button>
      ) : null}
      {naming ? (
        <form className="saved-view-form" onSubmit={(e) => void save(e)} noValidate data-testid="view-form">
          <ErrorSummary errors={errors} />
          <TextField
            id="view-name"
            label={t('views.name')}
            hint={t('views.nameHint')}
            required
            maxLength={60}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.fields['view-name']}
            data-testid="view-name"
          />
          <div className="actions-row">
            <button type="submit" className="btn btn-primary btn-small" disabled={saving} data-testid="view-submit">
              {saving ? t('common.saving') : t('views.submit')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setNaming(false)}>
              {t('views.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {said ? (
        <Notice kind="success" testId="views-message">
          {said}
        </Notice>
      ) : null}
    </section>
  );
}
