import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { CheckboxField, ErrorSummary, SelectField, TextArea, TextField } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import { LiveNotice, type PageNotice } from '../components/named-list';
import { formErrorsFrom, useFormErrors } from '../errors';
import { useI18n } from '../i18n';
import { can } from '../../../src/policies';
import { CHANNELS, PRIORITIES, ROUTING_LIMITS, type Category, type ListOf, type RoutingRule, type Team, type UserListItem } from '../types';

// Phân công tự động — the rules that give a new complaint to a team (and a person) by what it is, in the order they are
// tried: added, changed, paused, moved and removed here. The server checks every rule again and is the judge.

const PATH = '/api/v1/routing-rules';

export function AdminRoutingPage() {
  return (
    <StaffLayout>
      <RoutingRules />
    </StaffLayout>
  );
}

/** The names a rule refers to, loaded once for the page. */
interface Lookups {
  teams: Team[];
  users: UserListItem[];
  categories: Category[];
}

function RoutingRules() {
  const { t } = useI18n();
  useTitle(t('routing.title'));
  const role = useRole();
  const canManage = !!role && can(role, 'routing.manage');
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<ListOf<RoutingRule>>(role && can(role, 'routing.read') ? PATH : null, attempt);
  const teams = useApiGet<ListOf<Team>>(canManage ? '/api/v1/teams' : null);
  const users = useApiGet<ListOf<UserListItem>>(canManage ? '/api/v1/users' : null);
  const categories = useApiGet<ListOf<Category>>(canManage ? '/api/v1/categories' : null);
  const [items, setItems] = useState<RoutingRule[] | null>(null);
  const [notice, setNotice] = useState<PageNotice>(null);
  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);
  const lookups: Lookups = {
    teams: teams.state === 'done' ? teams.value.items : [],
    users: users.state === 'done' ? users.value.items.filter((u) => u.role !== 'auditor' && u.role !== 'department') : [],
    categories: categories.state === 'done' ? categories.value.items : [],
  };
  const reload = async (message: string) => {
    setItems((await api.get<ListOf<RoutingRule>>(PATH)).items);
    setNotice({ kind: 'success', text: message });
  };
  async function act(run: () => Promise<unknown>, message: string) {
    try {
      await run();
      await reload(message);
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    }
  }

  if (role && !canManage) return <NotAllowed message={t('routing.forbidden')} testId="routing-forbidden" />;

  return (
    <div data-testid="routing-page">
      {role === 'admin' ? <AdminTabs /> : null}
      <div className="page-head">
        <h1>{t('routing.title')}</h1>
        <p className="lead">{t('routing.intro')}</p>
      </div>
      <LiveNotice notice={notice} testId="routing-notice" />
      <section aria-labelledby="routing-list-heading">
        <h2 id="routing-list-heading">{t('routing.list')}</h2>
        {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
        {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
        {items && items.length === 0 ? (
          <p className="empty card" data-testid="routing-empty">
            {t('routing.empty')}
          </p>
        ) : null}
        {items && items.length ? (
          <ol className="rt-list" data-testid="routing-list">
            {items.map((rule, i) => (
              <li key={rule.id}>
                <RuleCard
                  rule={rule}
                  first={i === 0}
                  last={i === items.length - 1}
                  lookups={lookups}
                  act={act}
                />
              </li>
            ))}
          </ol>
        ) : null}
      </section>
      <section className="card" aria-labelledby="routing-add-heading">
        <h2 id="routing-add-heading">{t('routing.add')}</h2>
        <RuleForm idPrefix="routing-new" lookups={lookups} onSaved={(r) => void reload(t('routing.added', { name: r.name }))} />
      </section>
    </div>
  );
}

/** What a rule looks at and does, in one line each. */
function RuleSummary({ rule, lookups }: { rule: RoutingRule; lookups: Lookups }) {
  const { t, label } = useI18n();
  const when = [
    rule.channels.length ? t('routing.summaryChannels', { list: rule.channels.map((c) => label('channel', c)).join(', ') }) : null,
    rule.categoryId ? t('routing.summaryCategory', { name: lookups.categories.find((c) => c.id === rule.categoryId)?.name ?? '…' }) : null,
    rule.keywords.length ? t('routing.summaryKeywords', { list: rule.keywords.join(', ') }) : null,
    rule.vulnerableOnly ? t('routing.summaryVulnerable') : null,
  ].filter((s): s is string => s !== null);
  const team = lookups.teams.find((x) => x.id === rule.teamId)?.name ?? '…';
  const person = rule.assigneeId ? lookups.users.find((u) => u.id === rule.assigneeId)?.name ?? '…' : null;
  return (
    <>
      <p className="rt-meta" data-testid="routing-when">
        {when.length ? when.join(' · ') : t('routing.anything')}
      </p>
      <p className="rt-meta" data-testid="routing-then">
        {t('routing.summaryTeam', { team })}
        {person ? t('routing.summaryAssignee', { name: person }) : ''}
        {rule.priority ? t('routing.summaryPriority', { priority: label('priority', rule.priority) }) : ''}
      </p>
    </>
  );
}

function RuleCard({
  rule,
  first,
  last,
  lookups,
  act,
}: {
  rule: RoutingRule;
  first: boolean;
  last: boolean;
  lookups: Lookups;
  act: (run: () => Promise<unknown>, message: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const url = `${PATH}/${encodeURIComponent(rule.id)}`;
  const saved = t('routing.saved', { name: rule.name });
  return (
    <article className={rule.active ? 'card rt-card' : 'card rt-card rt-inactive'} aria-labelledby={`routing-${rule.id}-name`} data-testid="routing-rule" data-name={rule.name}>
      <div className="rt-head">
        <div>
          <h3 className="rt-name" id={`routing-${rule.id}-name`}>
            {rule.position}. {rule.name}{' '}
            <span className={rule.active ? 'badge fu-active' : 'badge fu-inactive'} data-testid="routing-state">
              {rule.active ? t('routing.active') : t('routing.inactive')}
            </span>
          </h3>
          <RuleSummary rule={rule} lookups={lookups} />
        </div>
        <span className="fu-row-buttons">
          <button type="button" className="btn btn-secondary btn-small" disabled={first} aria-label={t('routing.upLabel', { name: rule.name })}
            onClick={() => void act(() => api.patch(url, { position: rule.position - 1 }), saved)} data-testid="routing-up">
            {t('routing.up')}
          </button>
          <button type="button" className="btn btn-secondary btn-small" disabled={last} aria-label={t('routing.downLabel', { name: rule.name })}
            onClick={() => void act(() => api.patch(url, { position: rule.position + 1 }), saved)} data-testid="routing-down">
            {t('routing.down')}
          </button>
          <button type="button" className="btn btn-secondary btn-small" aria-expanded={editing} onClick={() => setEditing((v) => !v)} data-testid="routing-edit">
            {editing ? t('routing.closeEdit') : t('routing.edit')}
          </button>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void act(() => api.patch(url, { active: !rule.active }), saved)} data-testid="routing-toggle">
            {rule.active ? t('routing.pause') : t('routing.resume')}
          </button>
          <button
            type="button"
            className="btn btn-danger btn-small"
            onClick={() => {
              if (window.confirm(t('routing.confirmRemove', { name: rule.name }))) void act(() => api.delete(url), t('routing.removed', { name: rule.name }));
            }}
            data-testid="routing-remove"
          >
            {t('routing.remove')}
          </button>
        </span>
      </div>
      {editing ? (
        <RuleForm
          idPrefix={`routing-${rule.id}`}
          rule={rule}
          lookups={lookups}
          onSaved={(next) => {
            setEditing(false);
            void act(async () => undefined, t('routing.saved', { name: next.name }));
          }}
        />
      ) : null}
    </article>
  );
}

const FIELDS = ['name', 'channels', 'categoryId', 'keywords', 'vulnerableOnly', 'teamId', 'assigneeId', 'priority'] as const;

/** Adds a rule or, given one, changes it; the server's field errors go next to their fields. */
function RuleForm({ idPrefix, rule, lookups, onSaved }: { idPrefix: string; rule?: RoutingRule; lookups: Lookups; onSaved: (r: RoutingRule) => void }) {
  const { t, label } = useI18n();
  const empty = { name: '', channels: [] as string[], categoryId: '', keywords: '', vulnerableOnly: false, teamId: '', assigneeId: '', priority: '' };
  const [draft, setDraft] = useState(
    rule
      ? { name: rule.name, channels: rule.channels as string[], categoryId: rule.categoryId ?? '', keywords: rule.keywords.join('\n'), vulnerableOnly: rule.vulnerableOnly, teamId: rule.teamId, assigneeId: rule.assigneeId ?? '', priority: rule.priority ?? '' }
      : empty,
  );
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const id = (f: string) => `${idPrefix}-${f}`;
  // The server names a keyword or channel by its place ("keywords[2]"): its message goes to the list's field.
  const ids: Record<string, string> = Object.fromEntries([
    ...FIELDS.map((f) => [f, id(f)]),
    ...Array.from({ length: 50 }, (_, i) => [`keywords[${i}]`, id('keywords')]),
    ...Array.from({ length: 10 }, (_, i) => [`channels[${i}]`, id('channels')]),
  ]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const missing: Record<string, string> = {};
    if (!draft.name.trim()) missing[id('name')] = t('routing.nameRequired');
    if (!draft.teamId) missing[id('teamId')] = t('routing.teamRequired');
    if (Object.keys(missing).length) {
      setErrors({ fields: missing, general: [] });
      return;
    }
    const body = {
      name: draft.name.trim(),
      channels: draft.channels,
      categoryId: draft.categoryId || null,
      keywords: draft.keywords.split(/[\n,;]/).map((k) => k.trim()).filter(Boolean),
      vulnerableOnly: draft.vulnerableOnly,
      teamId: draft.teamId,
      assigneeId: draft.assigneeId || null,
      priority: draft.priority || null,
    };
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const saved = rule ? await api.patch<RoutingRule>(`${PATH}/${encodeURIComponent(rule.id)}`, body) : await api.post<RoutingRule>(PATH, body);
      if (!rule) setDraft(empty);
      onSaved(saved);
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, ids));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="rt-form" data-testid={rule ? 'routing-edit-form' : 'routing-form'}>
      <ErrorSummary errors={errors} />
      <TextField
        id={id('name')}
        label={t('routing.name')}
        hint={t('routing.nameHint')}
        required
        maxLength={ROUTING_LIMITS.name}
        autoComplete="off"
        value={draft.name}
        onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
        error={errors.fields[id('name')]}
        data-testid="routing-form-name"
      />
      <fieldset className="checklist" id={id('when')}>
        <legend>{t('routing.when')}</legend>
        <fieldset className="checklist" id={id('channels')} tabIndex={-1}>
          <legend>{t('routing.channels')}</legend>
          {CHANNELS.map((c) => (
            <div className="check-option" key={c}>
              <input
                type="checkbox"
                id={`${id('channel')}-${c}`}
                checked={draft.channels.includes(c)}
                onChange={(e) => setDraft((d) => ({ ...d, channels: e.target.checked ? [...d.channels, c] : d.channels.filter((x) => x !== c) }))}
                data-testid={`routing-form-channel-${c}`}
              />
              <label htmlFor={`${id('channel')}-${c}`}>{label('channel', c)}</label>
            </div>
          ))}
          {errors.fields[id('channels')] ? <p className="field-error">{errors.fields[id('channels')]}</p> : null}
        </fieldset>
        <SelectField
          id={id('categoryId')}
          label={t('routing.category')}
          value={draft.categoryId}
          onChange={(e) => setDraft((d) => ({ ...d, categoryId: e.target.value }))}
          error={errors.fields[id('categoryId')]}
          data-testid="routing-form-category"
        >
          <option value="">{t('routing.anyCategory')}</option>
          {lookups.categories.filter((c) => c.active || c.id === draft.categoryId).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextArea
          id={id('keywords')}
          label={t('routing.keywords')}
          hint={t('routing.keywordsHint')}
          rows={3}
          value={draft.keywords}
          onChange={(e) => setDraft((d) => ({ ...d, keywords: e.target.value }))}
          error={errors.fields[id('keywords')]}
          data-testid="routing-form-keywords"
        />
        <CheckboxField
          id={id('vulnerableOnly')}
          label={t('routing.vulnerableOnly')}
          checked={draft.vulnerableOnly}
          onChange={(checked) => setDraft((d) => ({ ...d, vulnerableOnly: checked }))}
        />
      </fieldset>
      <fieldset className="checklist">
        <legend>{t('routing.then')}</legend>
        <div className="grid-2">
          <SelectField
            id={id('teamId')}
            label={t('routing.team')}
            required
            value={draft.teamId}
            onChange={(e) => setDraft((d) => ({ ...d, teamId: e.target.value }))}
            error={errors.fields[id('teamId')]}
            data-testid="routing-form-team"
          >
            <option value="">{t('routing.chooseTeam')}</option>
            {lookups.teams.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            id={id('assigneeId')}
            label={t('routing.assignee')}
            value={draft.assigneeId}
            onChange={(e) => setDraft((d) => ({ ...d, assigneeId: e.target.value }))}
            error={errors.fields[id('assigneeId')]}
            data-testid="routing-form-assignee"
          >
            <option value="">{t('routing.noAssignee')}</option>
            {lookups.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        </div>
        <SelectField
          id={id('priority')}
          label={t('routing.priority')}
          value={draft.priority}
          onChange={(e) => setDraft((d) => ({ ...d, priority: e.target.value }))}
          error={errors.fields[id('priority')]}
          data-testid="routing-form-priority"
        >
          <option value="">{t('routing.keepPriority')}</option>
          {PRIORITIES.filter((p) => p !== 'low').map((p) => (
            <option key={p} value={p}>
              {label('priority', p)}
            </option>
          ))}
        </SelectField>
      </fieldset>
      <div className="form-actions actions-row">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="routing-form-submit">
          {saving ? t('common.saving') : rule ? t('routing.save') : t('routing.submit')}
        </button>
      </div>
    </form>
  );
}
