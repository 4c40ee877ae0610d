import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { describeError, formErrorsFrom, useFormErrors } from '../errors';
import { useI18n } from '../i18n';
import { ErrorSummary, Notice, TextField } from './forms';
import '../staff-admin.css';

/**
 * The admin lists of named entries — a Vietnamese name, an English one, a slug, in use or retired — that
 * the console keeps the same way: the complaint categories (Danh mục khiếu nại) and the root causes
 * (Nguyên nhân gốc). Each page keeps its own rules (who may read, what it says after a save); the add form,
 * the table with its inline rename and the retire button are here. The retire / use-again action and the
 * notice after it also serve the directory of authorities and the reply templates, whose entries are cards with a
 * form of their own.
 */

/** An entry of such a list, as the API answers it. */
export interface NamedItem {
  id: string;
  name: string;
  nameEn: string | null;
  slug: string | null;
  active: boolean;
}

/** The message-key prefixes that hold a named list's whole set of words (nameVi, rename, deactivate …). */
export type NamedListKeys = 'categories' | 'rootCauses';

/** The message-key prefixes that say an entry was retired or put back in use. */
export type ToggleKeys = NamedListKeys | 'authorities' | 'replyTemplates';

/** Where a named list lives and how its page names things; one constant per page. */
export interface NamedListSpec {
  /** The collection's API path, e.g. `/api/v1/root-causes`; an entry is PATCHed at `path/:id`. */
  path: string;
  keys: NamedListKeys;
  /** The prefix of element ids (`rc` → `rc-name`, `rc-<id>-vi`). */
  idPrefix: string;
  /** The prefix of data-testids (`root-cause` → `root-cause-row`, `root-cause-rename-save`). */
  testIdPrefix: string;
}

/** What a page says after an action: polite for success, assertive for failure. */
export type PageNotice = { kind: 'success' | 'error'; text: string } | null;

/** The notice after an action, in a live region that stays in the page so screen readers hear it. */
export function LiveNotice({ notice, testId }: { notice: PageNotice; testId: string }) {
  return (
    <div aria-live="polite">
      {notice ? (
        <Notice kind={notice.kind} testId={testId}>
          {notice.text}
        </Notice>
      ) : null}
    </div>
  );
}

/** The list with `next` in place of the entry with its id (or added), as the API lists them: in use first, then by name. */
export function upsertNamed<T extends { id: string; name: string; active: boolean }>(list: T[] | null, next: T): T[] {
  const prev = list ?? [];
  const merged = prev.some((x) => x.id === next.id) ? prev.map((x) => (x.id === next.id ? next : x)) : [...prev, next];
  return sortNamed(merged);
}

/** In use first, then by name in Vietnamese order. */
export function sortNamed<T extends { name: string; active: boolean }>(list: T[]): T[] {
  return [...list].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'vi'));
}

/** Retires an entry or puts it back in use (PATCH `{ active }` at `path/:id`), then says which in the notice. */
export function useToggleActive<T extends { id: string; name: string; active: boolean }>(
  path: string,
  keys: ToggleKeys,
  onChanged: (next: T) => void,
  setNotice: (notice: PageNotice) => void,
): (item: T) => Promise<void> {
  const { t } = useI18n();
  return async (item) => {
    setNotice(null);
    try {
      const next = await api.patch<T>(`${path}/${encodeURIComponent(item.id)}`, { active: !item.active });
      onChanged(next);
      setNotice({ kind: 'success', text: t(next.active ? `${keys}.reactivated` : `${keys}.deactivated`, { name: next.name }) });
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err, t) });
    }
  };
}

/**
 * The card that adds an entry: its Vietnamese name (required) and English name, and with `slug` a slug field
 * too; the API's field errors go to their fields.
 */
export function AddNamedItem<T>({ spec, slug, onAdded }: { spec: NamedListSpec; slug?: { hint: string }; onAdded: (item: T) => void }) {
  const { t } = useI18n();
  const { keys, idPrefix: p, testIdPrefix: tp } = spec;
  const empty = { name: '', nameEn: '', slug: '' };
  const [draft, setDraft] = useState(empty);
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const fieldIds: Record<string, string> = { name: `${p}-name`, nameEn: `${p}-name-en`, ...(slug ? { slug: `${p}-slug` } : {}) };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!draft.name.trim()) {
      setErrors((tr) => ({ fields: { [`${p}-name`]: tr(`${keys}.nameRequired`) }, general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const item = await api.post<T>(spec.path, {
        name: draft.name.trim(),
        nameEn: draft.nameEn.trim() || undefined,
        slug: slug ? draft.slug.trim() || undefined : undefined,
      });
      setDraft(empty);
      onAdded(item);
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, fieldIds));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${p}-add-heading`}>
      <h2 id={`${p}-add-heading`}>{t(`${keys}.add`)}</h2>
      <form onSubmit={submit} noValidate data-testid={`${tp}-form`}>
        <ErrorSummary errors={errors} />
        <div className={slug ? 'grid-3' : 'grid-2'}>
          <TextField
            id={`${p}-name`}
            label={t(`${keys}.nameVi`)}
            required
            maxLength={200}
            autoComplete="off"
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            error={errors.fields[`${p}-name`]}
            data-testid={`${tp}-name`}
          />
          <TextField
            id={`${p}-name-en`}
            label={t(`${keys}.nameEn`)}
            optional
            lang="en"
            maxLength={200}
            autoComplete="off"
            value={draft.nameEn}
            onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
            error={errors.fields[`${p}-name-en`]}
            data-testid={`${tp}-name-en`}
          />
          {slug ? (
            <TextField
              id={`${p}-slug`}
              label={t(`${keys}.slug`)}
              hint={slug.hint}
              optional
              maxLength={60}
              autoComplete="off"
              value={draft.slug}
              onChange={(e) => setDraft({ ...draft, slug: e.target.value })}
              error={errors.fields[`${p}-slug`]}
              data-testid={`${tp}-slug`}
            />
          ) : null}
        </div>
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid={`${tp}-add`}>
          {saving ? t('common.saving') : t(`${keys}.addSubmit`)}
        </button>
      </form>
    </section>
  );
}

/**
 * The list as a table: names, slug, in use or not, and for those who manage it a rename button (the row turns
 * into an inline form) and a retire / use-again button.
 */
export function NamedTable<T extends NamedItem>({
  spec,
  items,
  canManage,
  onSaved,
  onToggle,
}: {
  spec: NamedListSpec;
  items: T[];
  canManage: boolean;
  onSaved: (next: T) => void;
  onToggle: (item: T) => void;
}) {
  const { t } = useI18n();
  const { keys } = spec;
  return (
    <div className="table-wrap card">
      <table className="queue" data-testid={`${spec.testIdPrefix}-list`}>
        <caption className="visually-hidden">{t(`${keys}.caption`)}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`${keys}.nameVi`)}</th>
            <th scope="col">{t(`${keys}.nameEn`)}</th>
            <th scope="col">{t(`${keys}.slug`)}</th>
            <th scope="col">{t('field.status')}</th>
            {canManage ? <th scope="col">{t(`${keys}.actions`)}</th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <NamedRow key={item.id} spec={spec} item={item} canManage={canManage} onSaved={onSaved} onToggle={() => onToggle(item)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NamedRow<T extends NamedItem>({
  spec,
  item,
  canManage,
  onSaved,
  onToggle,
}: {
  spec: NamedListSpec;
  item: T;
  canManage: boolean;
  onSaved: (next: T) => void;
  onToggle: () => void;
}) {
  const { t } = useI18n();
  const { keys, testIdPrefix: tp } = spec;
  const [editing, setEditing] = useState(false);
  return (
    <tr data-testid={`${tp}-row`} data-id={item.id} data-slug={item.slug ?? ''} data-active={item.active}>
      {editing ? (
        <td colSpan={5} className="sa-panel-cell">
          <RenameForm
            spec={spec}
            item={item}
            onSaved={(next: T) => {
              onSaved(next);
              setEditing(false);
            }}
            onCancel={() => setEditing(false)}
          />
        </td>
      ) : (
        <>
          <td data-label={t(`${keys}.nameVi`)} className="cell-subject" data-testid={`${tp}-name-vi`}>
            {item.name}
          </td>
          <td data-label={t(`${keys}.nameEn`)} lang="en" data-testid={`${tp}-name-en-cell`}>
            {item.nameEn || <span className="muted">—</span>}
          </td>
          <td data-label={t(`${keys}.slug`)}>
            <code>{item.slug ?? '—'}</code>
          </td>
          <td data-label={t('field.status')}>
            <span className={item.active ? 'badge fu-active' : 'badge fu-inactive'} data-testid={`${tp}-active`}>
              {item.active ? t(`${keys}.active`) : t(`${keys}.inactive`)}
            </span>
          </td>
          {canManage ? (
            <td data-label={t(`${keys}.actions`)}>
              <span className="fu-row-buttons">
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  onClick={() => setEditing(true)}
                  aria-label={t(`${keys}.renameLabel`, { name: item.name })}
                  data-testid={`${tp}-rename`}
                >
                  {t(`${keys}.rename`)}
                </button>
                <button
                  type="button"
                  className={item.active ? 'btn btn-danger btn-small' : 'btn btn-secondary btn-small'}
                  onClick={onToggle}
                  aria-label={t(item.active ? `${keys}.deactivateLabel` : `${keys}.reactivateLabel`, { name: item.name })}
                  data-testid={`${tp}-toggle`}
                >
                  {item.active ? t(`${keys}.deactivate`) : t(`${keys}.reactivate`)}
                </button>
              </span>
            </td>
          ) : null}
        </>
      )}
    </tr>
  );
}

/** The inline rename: both names, PATCHed at `path/:id`; it opens with the names as they are now. */
function RenameForm<T extends NamedItem>({ spec, item, onSaved, onCancel }: { spec: NamedListSpec; item: T; onSaved: (next: T) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { keys, testIdPrefix: tp } = spec;
  const [draft, setDraft] = useState({ name: item.name, nameEn: item.nameEn ?? '' });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const base = `${spec.idPrefix}-${item.id}`;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!draft.name.trim()) {
      setError(t(`${keys}.nameRequired`));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const next = await api.patch<T>(`${spec.path}/${encodeURIComponent(item.id)}`, { name: draft.name.trim(), nameEn: draft.nameEn.trim() });
      onSaved(next);
    } catch (err) {
      setError(describeError(err, t));
      setSaving(false);
    }
  }

  return (
    <form className="fu-inline" onSubmit={save} noValidate data-testid={`${tp}-rename-form`}>
      <div className={error ? 'field field-invalid' : 'field'}>
        <label htmlFor={`${base}-vi`}>{t(`${keys}.nameVi`)}</label>
        <input
          id={`${base}-vi`}
          value={draft.name}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${base}-error` : undefined}
          data-testid={`${tp}-rename-vi`}
        />
      </div>
      <div className="field">
        <label htmlFor={`${base}-en`}>{t(`${keys}.nameEn`)}</label>
        <input
          id={`${base}-en`}
          lang="en"
          value={draft.nameEn}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
          data-testid={`${tp}-rename-en`}
        />
      </div>
      <button type="submit" className="btn btn-primary" disabled={saving} data-testid={`${tp}-rename-save`}>
        {saving ? t('common.saving') : t(`${keys}.save`)}
      </button>
      <button type="button" className="btn btn-ghost" onClick={onCancel}>
        {t('actions.cancel')}
      </button>
      {error ? (
        <p className="field-error" id={`${base}-error`} role="alert" data-testid={`${tp}-rename-error`}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
