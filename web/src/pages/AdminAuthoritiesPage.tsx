import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorSummary, SelectField, TextField } from '../components/forms';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { LiveNotice, useToggleActive, type PageNotice } from '../components/named-list';
import { formErrorsFrom, useFormErrors } from '../errors';
import { AUTHORITY_KINDS, type Authority, type AuthorityInput, type AuthorityKind } from '../followup-types';
import { useI18n } from '../i18n';
import { navigate, useLocation } from '../router';
import type { ListOf } from '../types';

function isKind(v: string | null): v is AuthorityKind {
  return !!v && (AUTHORITY_KINDS as readonly string[]).includes(v);
}

/** Cơ quan có thẩm quyền — the directory escalations pick from: 34 Sở Công Thương, associations, mediation, courts. */
export function AdminAuthoritiesPage() {
  return (
    <StaffLayout>
      <Authorities />
    </StaffLayout>
  );
}

function Authorities() {
  const { t } = useI18n();
  useTitle(t('authorities.title'));
  const role = useRole();
  const canRead = role === 'agent' || role === 'supervisor' || role === 'admin' || role === 'auditor';
  const canManage = role === 'admin';
  const { search } = useLocation();
  const kindParam = search.get('kind');
  const kind = isKind(kindParam) ? kindParam : '';
  const province = search.get('province') ?? '';
  const includeInactive = search.get('inactive') === '1';
  const [provinceDraft, setProvinceDraft] = useState(province);
  const [attempt, setAttempt] = useState(0);
  const query = new URLSearchParams();
  if (kind) query.set('kind', kind);
  if (province.trim()) query.set('province', province.trim());
  if (includeInactive) query.set('includeInactive', 'true');
  const qs = query.toString();
  const loaded = useApiGet<ListOf<Authority>>(canRead ? `/api/v1/authorities${qs ? `?${qs}` : ''}` : null, attempt);
  const [items, setItems] = useState<Authority[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<PageNotice>(null);

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);
  useEffect(() => setProvinceDraft(province), [province]);

  const replace = (next: Authority) => setItems((prev) => (prev ? prev.map((a) => (a.id === next.id ? next : a)) : prev));
  const toggle = useToggleActive<Authority>('/api/v1/authorities', 'authorities', replace, setNotice);

  if (role && !canRead) return <NotAllowed message={t('admin.adminsOnly')} testId="authorities-forbidden" />;

  const setParams = (patch: Record<string, string | null>) => {
    const params = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    const q = params.toString();
    navigate(`/staff/admin/authorities${q ? `?${q}` : ''}`, { keepScroll: true, replace: true });
  };

  return (
    <div data-testid="authorities-page">
      {canManage ? <AdminTabs /> : null}
      <div className="page-head page-head-row">
        <div>
          <h1>{t('authorities.title')}</h1>
          <p className="lead">{t('authorities.intro')}</p>
        </div>
        {canManage && !adding ? (
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} data-testid="authority-new">
            + {t('authorities.add')}
          </button>
        ) : null}
      </div>
      {canManage && adding ? (
        <section className="card" aria-labelledby="authority-add-heading">
          <h2 id="authority-add-heading">{t('authorities.add')}</h2>
          <AuthorityForm
            idPrefix="au-new"
            onCancel={() => setAdding(false)}
            onSaved={(a) => {
              setAdding(false);
              setItems((prev) => (prev ? [a, ...prev] : [a]));
              setNotice({ kind: 'success', text: t('authorities.added', { name: a.name }) });
            }}
          />
        </section>
      ) : null}

      <form
        className="card filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ province: provinceDraft.trim() || null });
        }}
        data-testid="authority-filters"
      >
        <div className="filter">
          <label htmlFor="authority-kind-filter">{t('authorities.kind')}</label>
          <select id="authority-kind-filter" value={kind} onChange={(e) => setParams({ kind: e.target.value || null })} data-testid="authority-kind-filter">
            <option value="">{t('authorities.allKinds')}</option>
            {AUTHORITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`authorityKind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="authority-province-filter">{t('authorities.province')}</label>
          <input
            id="authority-province-filter"
            value={provinceDraft}
            onChange={(e) => setProvinceDraft(e.target.value)}
            placeholder={t('authorities.provincePlaceholder')}
            data-testid="authority-province-filter"
          />
        </div>
        <div className="filter fu-check">
          <input
            type="checkbox"
            id="authority-inactive"
            checked={includeInactive}
            onChange={(e) => setParams({ inactive: e.target.checked ? '1' : null })}
            data-testid="authority-inactive-filter"
          />
          <label htmlFor="authority-inactive">{t('authorities.includeInactive')}</label>
        </div>
        <div className="filter">
          <button type="submit" className="btn btn-secondary filter-reset" data-testid="authority-filter-apply">
            {t('authorities.filter')}
          </button>
        </div>
      </form>

      <LiveNotice notice={notice} testId="authority-notice" />
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {items && items.length === 0 ? (
        <p className="empty card" data-testid="authorities-empty">
          {t('authorities.empty')}
        </p>
      ) : null}
      {items && items.length ? (
        <>
          <p className="muted" data-testid="authority-count">
            {t('authorities.count', { count: items.length })}
          </p>
          <ul className="au-list" data-testid="authority-list">
            {items.map((a) => (
              <li key={a.id}>
                <AuthorityCard authority={a} canManage={canManage} onSaved={replace} onToggle={() => void toggle(a)} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function AuthorityCard({ authority: a, canManage, onSaved, onToggle }: { authority: Authority; canManage: boolean; onSaved: (a: Authority) => void; onToggle: () => void }) {
  const { t, lang } = useI18n();
  const [editing, setEditing] = useState(false);
  return (
    <article className={a.active ? 'card au-card' : 'card au-card au-inactive'} data-testid="authority-row" data-id={a.id} data-kind={a.kind} data-active={a.active}>
      <div className="au-head">
        <div>
          <h2 className="au-name" data-testid="authority-name">
            {a.name}
          </h2>
          <p className="muted au-meta">
            <span data-testid="authority-kind">{a.kindLabel?.[lang] ?? t(`authorityKind.${a.kind}`)}</span>
            {a.province ? <> · {a.province}</> : null}
            {!a.active ? (
              <>
                {' '}
                · <span className="badge fu-inactive">{t('authorities.inactive')}</span>
              </>
            ) : null}
          </p>
        </div>
        {canManage ? (
          <span className="fu-row-buttons">
            <button
              type="button"
              className="btn btn-secondary btn-small"
              aria-expanded={editing}
              onClick={() => setEditing((v) => !v)}
              aria-label={t('authorities.editLabel', { name: a.name })}
              data-testid="authority-edit"
            >
              {editing ? t('actions.closeEdit') : t('authorities.edit')}
            </button>
            <button
              type="button"
              className={a.active ? 'btn btn-danger btn-small' : 'btn btn-secondary btn-small'}
              onClick={onToggle}
              aria-label={t(a.active ? 'authorities.deactivateLabel' : 'authorities.reactivateLabel', { name: a.name })}
              data-testid="authority-toggle"
            >
              {a.active ? t('authorities.deactivate') : t('authorities.reactivate')}
            </button>
          </span>
        ) : null}
      </div>
      {a.address || a.email || a.phone || a.website ? (
        <dl className="facts au-contacts">
          {a.address ? (
            <div>
              <dt>{t('authorities.address')}</dt>
              <dd>{a.address}</dd>
            </div>
          ) : null}
          {a.phone ? (
            <div>
              <dt>{t('field.phone')}</dt>
              <dd>
                <a href={`tel:${a.phone.replace(/\s/g, '')}`}>{a.phone}</a>
              </dd>
            </div>
          ) : null}
          {a.email ? (
            <div>
              <dt>{t('field.email')}</dt>
              <dd className="break">
                <a href={`mailto:${a.email}`}>{a.email}</a>
              </dd>
            </div>
          ) : null}
          {a.website ? (
            <div>
              <dt>{t('authorities.website')}</dt>
              <dd className="break">
                <a href={a.website} target="_blank" rel="noreferrer noopener">
                  {a.website}
                </a>
              </dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      {canManage && editing ? (
        <AuthorityForm
          idPrefix={`au-${a.id}`}
          authority={a}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            onSaved(next);
            setEditing(false);
          }}
        />
      ) : null}
    </article>
  );
}

const FIELDS = ['kind', 'name', 'province', 'address', 'email', 'phone', 'website'] as const;
type Field = (typeof FIELDS)[number];

function AuthorityForm({
  idPrefix,
  authority,
  onSaved,
  onCancel,
}: {
  idPrefix: string;
  authority?: Authority;
  onSaved: (a: Authority) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Record<Field, string>>({
    kind: authority?.kind ?? 'department_of_industry_trade',
    name: authority?.name ?? '',
    province: authority?.province ?? '',
    address: authority?.address ?? '',
    email: authority?.email ?? '',
    phone: authority?.phone ?? '',
    website: authority?.website ?? '',
  });
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const id = (f: Field) => `${idPrefix}-${f}`;
  const ids = Object.fromEntries(FIELDS.map((f) => [f, id(f)]));
  const set = (f: Field) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [f]: e.target.value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!draft.name.trim()) {
      setErrors((tr) => ({ fields: { [id('name')]: tr('authorities.nameRequired') }, general: [] }));
      return;
    }
    const text = (v: string) => v.trim() || null;
    const body: AuthorityInput = {
      kind: draft.kind as AuthorityKind,
      name: draft.name.trim(),
      province: text(draft.province),
      address: text(draft.address),
      email: text(draft.email),
      phone: text(draft.phone),
      website: text(draft.website),
    };
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const saved = authority
        ? await api.patch<Authority>(`/api/v1/authorities/${encodeURIComponent(authority.id)}`, body)
        : await api.post<Authority>('/api/v1/authorities', body);
      onSaved(saved);
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, ids));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="au-form" data-testid={authority ? 'authority-edit-form' : 'authority-form'}>
      <ErrorSummary errors={errors} />
      <div className="grid-2">
        <SelectField id={id('kind')} label={t('authorities.kind')} required value={draft.kind} onChange={set('kind')} error={errors.fields[id('kind')]} data-testid="authority-form-kind">
          {AUTHORITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`authorityKind.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField id={id('name')} label={t('authorities.name')} required maxLength={300} value={draft.name} onChange={set('name')} error={errors.fields[id('name')]} data-testid="authority-form-name" />
        <TextField id={id('province')} label={t('authorities.province')} optional maxLength={200} value={draft.province} onChange={set('province')} error={errors.fields[id('province')]} data-testid="authority-form-province" />
        <TextField id={id('address')} label={t('authorities.address')} optional maxLength={500} value={draft.address} onChange={set('address')} error={errors.fields[id('address')]} data-testid="authority-form-address" />
        <TextField id={id('email')} label={t('field.email')} optional type="email" maxLength={254} value={draft.email} onChange={set('email')} error={errors.fields[id('email')]} data-testid="authority-form-email" />
        <TextField id={id('phone')} label={t('field.phone')} optional type="tel" maxLength={40} value={draft.phone} onChange={set('phone')} error={errors.fields[id('phone')]} data-testid="authority-form-phone" />
        <TextField
          id={id('website')}
          label={t('authorities.website')}
          hint={t('authorities.websiteHint')}
          optional
          type="url"
          maxLength={500}
          value={draft.website}
          onChange={set('website')}
          error={errors.fields[id('website')]}
          data-testid="authority-form-website"
        />
      </div>
      <div className="form-actions actions-row">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="authority-form-submit">
          {saving ? t('common.saving') : authority ? t('authorities.save') : t('authorities.addSubmit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('actions.cancel')}
        </button>
      </div>
    </form>
  );
}
