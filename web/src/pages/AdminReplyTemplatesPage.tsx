import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { ErrorSummary, TextArea, TextField } from '../components/forms';
import { LanguageSelect, useLanguageName } from '../components/language';
import { StaffLayout, useTitle } from '../components/layout';
import { LiveNotice, upsertNamed, useToggleActive, type PageNotice } from '../components/named-list';
import { formErrorsFrom, useFormErrors } from '../errors';
import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { can } from '../../../src/policies';
import {
  REPLY_TEMPLATE_LIMITS,
  REPLY_TEMPLATE_PLACEHOLDERS,
  type Language,
  type ListOf,
  type ReplyTemplate,
  type ReplyTemplateInput,
  type ReplyTemplatePlaceholder,
} from '../types';
import '../reply-templates.css';

/** Mẫu trả lời — the team's wording for the replies it writes again and again: add, reword, retire, use again. */
export function AdminReplyTemplatesPage() {
  return (
    <StaffLayout>
      <ReplyTemplates />
    </StaffLayout>
  );
}

const PATH = '/api/v1/reply-templates';

function ReplyTemplates() {
  const { t } = useI18n();
  useTitle(t('replyTemplates.title'));
  const role = useRole();
  const canManage = !!role && can(role, 'reply_template.manage');
  const [attempt, setAttempt] = useState(0);
  // The retired ones too: they may be put back in use.
  const loaded = useApiGet<ListOf<ReplyTemplate>>(canManage ? `${PATH}?all=true` : null, attempt);
  const [items, setItems] = useState<ReplyTemplate[] | null>(null);
  const [notice, setNotice] = useState<PageNotice>(null);

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);

  const replace = (next: ReplyTemplate) => setItems((prev) => upsertNamed(prev, next));
  const toggle = useToggleActive<ReplyTemplate>(PATH, 'replyTemplates', replace, setNotice);

  if (role && !canManage) return <NotAllowed message={t('replyTemplates.forbidden')} testId="reply-templates-forbidden" />;

  return (
    <div data-testid="reply-templates-page">
      {role === 'admin' ? <AdminTabs /> : null}
      <div className="page-head">
        <h1>{t('replyTemplates.title')}</h1>
        <p className="lead">{t('replyTemplates.intro')}</p>
      </div>
      <section className="card" aria-labelledby="rt-add-heading">
        <h2 id="rt-add-heading">{t('replyTemplates.add')}</h2>
        <TemplateForm
          idPrefix="rt-new"
          onSaved={(x) => {
            replace(x);
            setNotice({ kind: 'success', text: t('replyTemplates.added', { name: x.name }) });
          }}
        />
      </section>
      <LiveNotice notice={notice} testId="reply-template-notice" />
      <section aria-labelledby="rt-list-heading">
        <h2 id="rt-list-heading">{t('replyTemplates.list')}</h2>
        {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
        {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
        {items && items.length === 0 ? (
          <p className="empty card" data-testid="reply-templates-empty">
            {t('replyTemplates.empty')}
          </p>
        ) : null}
        {items && items.length ? (
          <>
            <p className="muted" data-testid="reply-template-count">
              {t('replyTemplates.count', { count: items.length })}
            </p>
            <ul className="rt-list" data-testid="reply-template-list">
              {items.map((x) => (
                <li key={x.id}>
                  <TemplateCard
                    template={x}
                    onSaved={(next) => {
                      replace(next);
                      setNotice({ kind: 'success', text: t('replyTemplates.saved', { name: next.name }) });
                    }}
                    onToggle={() => void toggle(x)}
                  />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>
  );
}

/** One template: its name, language, state and text; edited in place. */
function TemplateCard({ template: x, onSaved, onToggle }: { template: ReplyTemplate; onSaved: (next: ReplyTemplate) => void; onToggle: () => void }) {
  const { t } = useI18n();
  const languageName = useLanguageName();
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const close = () => {
    setEditing(false);
    editButton.current?.focus();
  };
  return (
    <article
      className={x.active ? 'card rt-card' : 'card rt-card rt-inactive'}
      aria-labelledby={`rt-${x.id}-name`}
      data-testid="reply-template-row"
      data-id={x.id}
      data-language={x.language}
      data-active={x.active}
    >
      <div className="rt-head">
        <div>
          <h3 className="rt-name" id={`rt-${x.id}-name`} data-testid="reply-template-name">
            {x.name}
          </h3>
          <p className="muted rt-meta">
            <span className="badge" data-testid="reply-template-language">
              {languageName(x.language)}
            </span>{' '}
            <span className={x.active ? 'badge fu-active' : 'badge fu-inactive'} data-testid="reply-template-active">
              {x.active ? t('replyTemplates.active') : t('replyTemplates.inactive')}
            </span>{' '}
            · {t('replyTemplates.updatedAt', { at: formatDateTime(x.updatedAt) })}
          </p>
        </div>
        <span className="fu-row-buttons">
          <button
            type="button"
            ref={editButton}
            className="btn btn-secondary btn-small"
            aria-expanded={editing}
            aria-controls={editing ? `rt-${x.id}-form` : undefined}
            onClick={() => setEditing((v) => !v)}
            aria-label={editing ? undefined : t('replyTemplates.editLabel', { name: x.name })}
            data-testid="reply-template-edit"
          >
            {editing ? t('replyTemplates.closeEdit') : t('replyTemplates.edit')}
          </button>
          <button
            type="button"
            className={x.active ? 'btn btn-danger btn-small' : 'btn btn-secondary btn-small'}
            onClick={onToggle}
            aria-label={t(x.active ? 'replyTemplates.deactivateLabel' : 'replyTemplates.reactivateLabel', { name: x.name })}
            data-testid="reply-template-toggle"
          >
            {x.active ? t('replyTemplates.deactivate') : t('replyTemplates.reactivate')}
          </button>
        </span>
      </div>
      {editing ? (
        <div className="rt-edit" id={`rt-${x.id}-form`}>
          <TemplateForm
            idPrefix={`rt-${x.id}`}
            template={x}
            onCancel={close}
            onSaved={(next) => {
              onSaved(next);
              close();
            }}
          />
        </div>
      ) : (
        <p className="rt-body" lang={x.language} data-testid="reply-template-body">
          {x.body}
        </p>
      )}
    </article>
  );
}

const FIELDS = ['name', 'language', 'body'] as const;
type Field = (typeof FIELDS)[number];

// Only to name the offending placeholders in the message: the server judges which are allowed (domain/reply-templates.ts).
const PLACEHOLDER = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;

function unknownPlaceholders(body: string): string[] {
  const known = REPLY_TEMPLATE_PLACEHOLDERS as readonly string[];
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !known.includes(name)))];
}

/** Adds a template or, given one, rewords it; the server's field errors go next to their fields. */
function TemplateForm({
  idPrefix,
  template,
  onSaved,
  onCancel,
}: {
  idPrefix: string;
  template?: ReplyTemplate;
  onSaved: (x: ReplyTemplate) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const empty = { name: '', language: 'vi' as Language, body: '' };
  const [draft, setDraft] = useState(template ? { name: template.name, language: template.language, body: template.body } : empty);
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  // Where the caret goes after a placeholder is inserted (set once the new text is on screen).
  const [caret, setCaret] = useState<number | null>(null);
  const id = (f: Field) => `${idPrefix}-${f}`;
  const ids: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f, id(f)]));

  useEffect(() => {
    if (caret === null) return;
    const area = document.getElementById(id('body'));
    if (area instanceof HTMLTextAreaElement) {
      area.focus();
      area.setSelectionRange(caret, caret);
    }
    setCaret(null);
  }, [caret]);

  function insertPlaceholder(name: ReplyTemplatePlaceholder) {
    const area = document.getElementById(id('body'));
    const text = `{{${name}}}`;
    const [start, end] = area instanceof HTMLTextAreaElement ? [area.selectionStart, area.selectionEnd] : [draft.body.length, draft.body.length];
    setDraft((d) => ({ ...d, body: d.body.slice(0, start) + text + d.body.slice(end) }));
    setCaret(start + text.length);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const missing: Partial<Record<Field, MessageKey>> = {};
    if (!draft.name.trim()) missing.name = 'replyTemplates.nameRequired';
    if (!draft.body.trim()) missing.body = 'replyTemplates.bodyRequired';
    if (Object.keys(missing).length) {
      setErrors((tr) => ({
        fields: Object.fromEntries(Object.entries(missing).map(([f, key]) => [ids[f], tr(key)])),
        general: [],
      }));
      return;
    }
    const body: ReplyTemplateInput = { name: draft.name.trim(), language: draft.language, body: draft.body };
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const saved = template
        ? await api.patch<ReplyTemplate>(`${PATH}/${encodeURIComponent(template.id)}`, body)
        : await api.post<ReplyTemplate>(PATH, body);
      if (!template) setDraft(empty);
      onSaved(saved);
    } catch (err) {
      const unknown = unknownPlaceholders(draft.body).map((name) => `{{${name}}}`);
      const badPlaceholder = err instanceof ApiError && err.fields.some((f) => f.field === 'body' && f.code === 'invalid_value');
      setErrors((tr) => {
        const found = formErrorsFrom(err, tr, ids);
        if (!badPlaceholder) return found;
        const message = unknown.length ? tr('replyTemplates.unknownPlaceholder', { names: unknown.join(', ') }) : tr('replyTemplates.invalidPlaceholder');
        return { ...found, fields: { ...found.fields, [ids.body]: message } };
      });
    } finally {
      setSaving(false);
    }
  }

  const set = (f: Exclude<Field, 'language'>) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    setDraft((d) => ({ ...d, [f]: value }));
  };

  return (
    <form onSubmit={submit} noValidate className="rt-form" data-testid={template ? 'reply-template-edit-form' : 'reply-template-form'}>
      <ErrorSummary errors={errors} />
      <div className="grid-2">
        <TextField
          id={id('name')}
          label={t('replyTemplates.name')}
          hint={t('replyTemplates.nameHint')}
          required
          maxLength={REPLY_TEMPLATE_LIMITS.name}
          autoComplete="off"
          value={draft.name}
          onChange={set('name')}
          error={errors.fields[id('name')]}
          data-testid="reply-template-form-name"
        />
        <LanguageSelect
          id={id('language')}
          label={t('replyTemplates.language')}
          hint={t('replyTemplates.languageHint')}
          required
          value={draft.language}
          onChange={(language) => setDraft((d) => ({ ...d, language }))}
          error={errors.fields[id('language')]}
          testId="reply-template-form-language"
        />
      </div>
      <TextArea
        id={id('body')}
        label={t('replyTemplates.body')}
        hint={t('replyTemplates.bodyHint')}
        extraDescription={`${idPrefix}-placeholders`}
        required
        rows={8}
        maxLength={REPLY_TEMPLATE_LIMITS.body}
        lang={draft.language}
        value={draft.body}
        onChange={set('body')}
        error={errors.fields[id('body')]}
        data-testid="reply-template-form-body"
      />
      <div className="rt-placeholders" id={`${idPrefix}-placeholders`} data-testid="reply-template-placeholders">
        <p className="field-hint">{t('replyTemplates.placeholders')}</p>
        <ul>
          {REPLY_TEMPLATE_PLACEHOLDERS.map((name) => (
            <li key={name}>
              <button
                type="button"
                className="btn btn-secondary btn-small rt-placeholder"
                onClick={() => insertPlaceholder(name)}
                aria-label={t('replyTemplates.placeholderInsert', { placeholder: `{{${name}}}`, meaning: t(`replyTemplates.placeholder.${name}`) })}
                data-testid={`reply-template-placeholder-${name}`}
              >
                <code>{`{{${name}}}`}</code>
              </button>{' '}
              <span>{t(`replyTemplates.placeholder.${name}`)}</span>
            </li>
          ))}
        </ul>
      </div>
      <div className="form-actions actions-row">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="reply-template-form-submit">
          {saving ? t('common.saving') : template ? t('replyTemplates.save') : t('replyTemplates.addSubmit')}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            {t('actions.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
