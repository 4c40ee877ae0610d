import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorSummary, Notice, SelectField, TextField } from '../components/forms';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { LanguageSelect, useLanguageName } from '../components/language';
import { ConfirmDialog } from '../components/staff-admin';
import { describeError, formErrorsFrom, useFormErrors } from '../errors';
import { formatDate, formatDateTime } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import type { AccountEvent, Language, ListOf, Role, StaffAccount, Team } from '../types';
import '../staff-admin.css';

/** Every role an account may have, in the order the form offers them. */
const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin', 'auditor', 'department'];

type Message = { kind: 'success' | 'error'; text: string };

/** Nhân viên — staff accounts (add, edit, deactivate, reset a password, read the audit trail) and the teams. */
export function AdminUsersPage() {
  return (
    <StaffLayout>
      <Users />
    </StaffLayout>
  );
}

/** As the API lists them: active first, then by name. */
function sortAccounts(list: StaffAccount[]): StaffAccount[] {
  return [...list].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'vi'));
}

function sortTeams(list: Team[]): Team[] {
  return [...list].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

function Users() {
  const { t } = useI18n();
  useTitle(t('users.title'));
  const role = useRole();
  const me = useSession().session?.user.id;
  const isAdmin = role === 'admin';
  const [attempt, setAttempt] = useState(0);
  const loadedUsers = useApiGet<ListOf<StaffAccount>>(isAdmin ? '/api/v1/users?includeInactive=true' : null, attempt);
  const loadedTeams = useApiGet<ListOf<Team>>(isAdmin ? '/api/v1/teams' : null, attempt);
  const [users, setUsers] = useState<StaffAccount[] | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [notice, setNotice] = useState<Message | null>(null);

  useEffect(() => {
    if (loadedUsers.state === 'done') setUsers(sortAccounts(loadedUsers.value.items));
  }, [loadedUsers]);
  useEffect(() => {
    if (loadedTeams.state === 'done') setTeams(sortTeams(loadedTeams.value.items));
  }, [loadedTeams]);

  if (role && !isAdmin) return <NotAllowed message={t('users.adminsOnly')} testId="users-forbidden" />;

  // PATCH answers without createdAt: keep the one already known.
  const replace = (next: StaffAccount) =>
    setUsers((prev) => {
      const list = prev ?? [];
      const old = list.find((u) => u.id === next.id);
      const merged = { ...old, ...next, createdAt: next.createdAt ?? old?.createdAt };
      return sortAccounts(old ? list.map((u) => (u.id === next.id ? merged : u)) : [...list, merged]);
    });

  const failed = loadedUsers.state === 'failed' ? loadedUsers.error : loadedTeams.state === 'failed' ? loadedTeams.error : null;

  return (
    <div data-testid="users-page">
      <AdminTabs />
      <div className="page-head">
        <h1>{t('users.title')}</h1>
        <p className="lead">{t('users.intro')}</p>
      </div>
      <AddAccount
        teams={teams}
        onAdded={(account) => {
          replace({ ...account, active: account.active ?? true, createdAt: account.createdAt ?? new Date().toISOString() });
          setNotice({ kind: 'success', text: t('users.added', { name: account.name }) });
        }}
      />
      <div aria-live="polite">
        {notice ? (
          <Notice kind={notice.kind} testId="user-notice">
            {notice.text}
          </Notice>
        ) : null}
      </div>
      {(loadedUsers.state === 'loading' && !users) || (loadedTeams.state === 'loading' && !users) ? <p className="loading">{t('common.loading')}</p> : null}
      {failed ? <LoadFailed error={failed} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {users && users.length === 0 ? <p className="muted">{t('users.empty')}</p> : null}
      {users && users.length > 0 ? (
        <div className="table-wrap card">
          <table className="queue" data-testid="user-list">
            <caption className="visually-hidden">{t('users.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.team')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('users.created')}</th>
                <th scope="col">{t('users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <AccountRows key={u.id} account={u} teams={teams} isSelf={u.id === me} onSaved={replace} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Teams teams={teams} users={users ?? []} onAdded={(team) => setTeams((prev) => sortTeams([...prev, team]))} />
    </div>
  );
}

// ———————————————————— adding an account ————————————————————

function AddAccount({ teams, onAdded }: { teams: Team[]; onAdded: (account: StaffAccount) => void }) {
  const { t, label } = useI18n();
  const empty = { email: '', name: '', role: 'agent' as Role, teamId: '', password: '', language: 'vi' as Language };
  const [draft, setDraft] = useState(empty);
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const needsTeam = draft.role === 'department';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const missing: [string, Parameters<I18n['t']>[0]][] = [];
    if (!draft.email.trim()) missing.push(['ua-email', 'users.emailRequired']);
    if (!draft.name.trim()) missing.push(['ua-name', 'users.nameRequired']);
    if (needsTeam && !draft.teamId) missing.push(['ua-team', 'users.teamRequired']);
    if (!draft.password) missing.push(['ua-password', 'users.passwordRequired']);
    if (missing.length) {
      setErrors((tr) => ({ fields: Object.fromEntries(missing.map(([id, key]) => [id, tr(key)])), general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const account = await api.post<StaffAccount>('/api/v1/users', {
        email: draft.email.trim(),
        name: draft.name.trim(),
        role: draft.role,
        password: draft.password,
        ...(draft.teamId ? { teamId: draft.teamId } : {}),
        language: draft.language,
      });
      setDraft(empty);
      onAdded(account);
    } catch (err) {
      setErrors((tr) =>
        formErrorsFrom(err, tr, { email: 'ua-email', name: 'ua-name', role: 'ua-role', teamId: 'ua-team', password: 'ua-password', language: 'ua-language' }),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby="ua-heading">
      <h2 id="ua-heading">{t('users.add')}</h2>
      <form onSubmit={submit} noValidate data-testid="user-form">
        <ErrorSummary errors={errors} />
        <div className="grid-2">
          <TextField
            id="ua-email"
            label={t('users.email')}
            type="email"
            required
            maxLength={254}
            autoComplete="off"
            spellCheck={false}
            value={draft.email}
            onChange={(e) => setDraft({ ...draft, email: e.target.value })}
            error={errors.fields['ua-email']}
            data-testid="user-email"
          />
          <TextField
            id="ua-name"
            label={t('users.name')}
            required
            maxLength={200}
            autoComplete="off"
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            error={errors.fields['ua-name']}
            data-testid="user-name"
          />
          <SelectField
            id="ua-role"
            label={t('users.role')}
            required
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}
            error={errors.fields['ua-role']}
            data-testid="user-role"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {label('role', r)}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="ua-team"
            label={t('users.team')}
            required={needsTeam}
            optional={!needsTeam}
            hint={t('users.teamHint')}
            value={draft.teamId}
            onChange={(e) => setDraft({ ...draft, teamId: e.target.value })}
            error={errors.fields['ua-team']}
            aria-required={needsTeam || undefined}
            data-testid="user-team"
          >
            <option value="">{t('users.teamNone')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </SelectField>
          <TextField
            id="ua-password"
            label={t('users.password')}
            type="password"
            required
            hint={t('users.passwordHint')}
            maxLength={1000}
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            error={errors.fields['ua-password']}
            data-testid="user-password"
          />
          <LanguageSelect
            id="ua-language"
            label={t('users.language')}
            hint={t('users.languageHint')}
            value={draft.language}
            onChange={(language) => setDraft({ ...draft, language })}
            error={errors.fields['ua-language']}
            testId="user-language"
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="user-add">
          {saving ? t('common.saving') : t('users.addSubmit')}
        </button>
      </form>
    </section>
  );
}

// ———————————————————— one account: its row and what opens under it ————————————————————

type Panel = 'edit' | 'password' | 'events' | null;

/** The buttons that open a row's panels: what each opens, its words, and its test id. */
const PANEL_BUTTONS: readonly { panel: Exclude<Panel, null>; text: MessageKey; label: MessageKey; testId: string }[] = [
  { panel: 'edit', text: 'users.edit', label: 'users.editLabel', testId: 'user-edit' },
  { panel: 'password', text: 'users.resetPassword', label: 'users.resetPasswordLabel', testId: 'user-reset-password' },
  { panel: 'events', text: 'users.events', label: 'users.eventsLabel', testId: 'user-events' },
];

function AccountRows({ account: u, teams, isSelf, onSaved }: { account: StaffAccount; teams: Team[]; isSelf: boolean; onSaved: (a: StaffAccount) => void }) {
  const { t, label } = useI18n();
  const [panel, setPanel] = useState<Panel>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  // The audit trail is read again after each change made here.
  const [changes, setChanges] = useState(0);
  const teamName = u.teamId ? (teams.find((team) => team.id === u.teamId)?.name ?? '—') : '—';
  const base = `user-${u.id}`;

  const open = (next: Panel) => {
    setMessage(null);
    setPanel((current) => (current === next ? null : next));
  };

  async function toggleActive() {
    setBusy(true);
    setMessage(null);
    try {
      const next = await api.patch<StaffAccount & { handedBack?: number }>(`/api/v1/users/${encodeURIComponent(u.id)}`, { active: !u.active });
      onSaved(next);
      setChanges((c) => c + 1);
      const said = t(next.active ? 'users.reactivated' : 'users.deactivated', { name: next.name });
      // Their complaints still being handled went back to their teams' queues.
      setMessage({ kind: 'success', text: next.handedBack ? `${said} ${t('users.handedBack', { n: String(next.handedBack) })}` : said });
    } catch (err) {
      // 409 last_admin: the server says why, in the interface language.
      setMessage({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  const done = (text: string) => {
    setPanel(null);
    setChanges((c) => c + 1);
    setMessage({ kind: 'success', text });
  };

  return (
    <>
      <tr data-testid="user-row" data-id={u.id} data-email={u.email} data-active={u.active}>
        <td data-label={t('users.name')} className="cell-subject" data-testid="user-row-name">
          {/* One grid item on a phone, where each cell is a label and its value. */}
          <span>
            {u.name} {isSelf ? <span className="muted">{t('users.you')}</span> : null}
          </span>
        </td>
        <td data-label={t('users.email')} className="sa-email" data-testid="user-row-email">
          {u.email}
        </td>
        <td data-label={t('users.role')} data-testid="user-row-role">
          {label('role', u.role)}
        </td>
        <td data-label={t('users.team')} data-testid="user-row-team">
          {teamName}
        </td>
        <td data-label={t('users.status')}>
          <span className={u.active ? 'badge fu-active' : 'badge fu-inactive'} data-testid="user-row-active">
            {u.active ? t('users.active') : t('users.inactive')}
          </span>
        </td>
        <td data-label={t('users.created')} data-testid="user-row-created">
          {formatDate(u.createdAt)}
        </td>
        <td data-label={t('users.actions')}>
          <span className="fu-row-buttons">
            {PANEL_BUTTONS.map((b) => (
              <button
                key={b.panel}
                type="button"
                className="btn btn-secondary btn-small"
                aria-expanded={panel === b.panel}
                aria-controls={`${base}-panel`}
                aria-label={t(b.label, { name: u.name })}
                onClick={() => open(b.panel)}
                data-testid={b.testId}
              >
                {t(b.text)}
              </button>
            ))}
            <button
              type="button"
              className={u.active ? 'btn btn-danger btn-small' : 'btn btn-secondary btn-small'}
              aria-haspopup="dialog"
              aria-label={t(u.active ? 'users.deactivateLabel' : 'users.reactivateLabel', { name: u.name })}
              onClick={() => {
                setMessage(null);
                setConfirming(true);
              }}
              disabled={busy}
              data-testid="user-toggle"
            >
              {u.active ? t('users.deactivate') : t('users.reactivate')}
            </button>
          </span>
          {confirming ? (
            <ConfirmDialog
              id={`${base}-confirm`}
              title={t(u.active ? 'users.confirmDeactivateTitle' : 'users.confirmReactivateTitle')}
              confirmLabel={busy ? t('users.working') : t(u.active ? 'users.confirmDeactivate' : 'users.confirmReactivate')}
              cancelLabel={t('users.cancel')}
              busy={busy}
              danger={u.active}
              onConfirm={() => void toggleActive()}
              onCancel={() => setConfirming(false)}
            >
              {t(u.active ? 'users.confirmDeactivateText' : 'users.confirmReactivateText', { name: u.name, email: u.email })}
            </ConfirmDialog>
          ) : null}
        </td>
      </tr>
      {panel || message ? (
        <tr className="sa-panel-row" data-testid="user-panel-row" data-id={u.id}>
          <td colSpan={7} className="sa-panel-cell" id={`${base}-panel`}>
            {message ? (
              <Notice kind={message.kind} testId="user-row-notice">
                {message.text}
              </Notice>
            ) : null}
            {panel === 'edit' ? (
              <EditAccount
                account={u}
                teams={teams}
                onCancel={() => setPanel(null)}
                onSaved={(next) => {
                  onSaved(next);
                  const handedBack = (next as StaffAccount & { handedBack?: number }).handedBack;
                  const said = t('users.saved', { name: next.name });
                  done(handedBack ? `${said} ${t('users.handedBack', { n: String(handedBack) })}` : said);
                }}
              />
            ) : null}
            {panel === 'password' ? (
              <ResetPassword account={u} onCancel={() => setPanel(null)} onDone={() => done(t('users.resetDone', { name: u.name }))} />
            ) : null}
            {panel === 'events' ? <AccountEvents account={u} teams={teams} version={changes} onClose={() => setPanel(null)} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function EditAccount({ account: u, teams, onSaved, onCancel }: { account: StaffAccount; teams: Team[]; onSaved: (a: StaffAccount) => void; onCancel: () => void }) {
  const { t, label } = useI18n();
  const [draft, setDraft] = useState({ name: u.name, role: u.role, teamId: u.teamId ?? '', language: u.language ?? 'vi' });
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const base = `ue-${u.id}`;
  const needsTeam = draft.role === 'department';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const fields: Record<string, Parameters<I18n['t']>[0]> = {};
    if (!draft.name.trim()) fields[`${base}-name`] = 'users.nameRequired';
    if (needsTeam && !draft.teamId) fields[`${base}-team`] = 'users.teamRequired';
    if (Object.keys(fields).length) {
      setErrors((tr) => ({ fields: Object.fromEntries(Object.entries(fields).map(([id, key]) => [id, tr(key)])), general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const next = await api.patch<StaffAccount>(`/api/v1/users/${encodeURIComponent(u.id)}`, {
        name: draft.name.trim(),
        role: draft.role,
        teamId: draft.teamId || null,
        language: draft.language,
      });
      onSaved(next);
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, { name: `${base}-name`, role: `${base}-role`, teamId: `${base}-team`, language: `${base}-language` }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="sa-panel" aria-labelledby={`${base}-title`} data-testid="user-edit-panel">
      <h3 id={`${base}-title`}>{t('users.editTitle', { name: u.name })}</h3>
      <form onSubmit={submit} noValidate data-testid="user-edit-form">
        <ErrorSummary errors={errors} />
        <div className="grid-3">
          <TextField
            id={`${base}-name`}
            label={t('users.name')}
            required
            maxLength={200}
            autoComplete="off"
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            error={errors.fields[`${base}-name`]}
            data-testid="user-edit-name"
          />
          <SelectField
            id={`${base}-role`}
            label={t('users.role')}
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}
            error={errors.fields[`${base}-role`]}
            data-testid="user-edit-role"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {label('role', r)}
              </option>
            ))}
          </SelectField>
          <SelectField
            id={`${base}-team`}
            label={t('users.team')}
            required={needsTeam}
            optional={!needsTeam}
            value={draft.teamId}
            onChange={(e) => setDraft({ ...draft, teamId: e.target.value })}
            error={errors.fields[`${base}-team`]}
            aria-required={needsTeam || undefined}
            data-testid="user-edit-team"
          >
            <option value="">{t('users.teamNone')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </SelectField>
          <LanguageSelect
            id={`${base}-language`}
            label={t('users.language')}
            hint={t('users.languageHint')}
            value={draft.language}
            onChange={(language) => setDraft({ ...draft, language })}
            error={errors.fields[`${base}-language`]}
            testId="user-edit-language"
          />
        </div>
        <div className="actions-row">
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="user-edit-save">
            {saving ? t('common.saving') : t('users.save')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            {t('users.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function ResetPassword({ account: u, onDone, onCancel }: { account: StaffAccount; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const id = `ur-${u.id}-password`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!password) {
      setErrors((tr) => ({ fields: { [id]: tr('account.newRequired') }, general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      await api.post<StaffAccount>(`/api/v1/users/${encodeURIComponent(u.id)}/password`, { password });
      setPassword('');
      onDone();
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, { password: id }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="sa-panel" aria-labelledby={`${id}-title`} data-testid="user-password-panel">
      <h3 id={`${id}-title`}>{t('users.resetTitle', { name: u.name })}</h3>
      <form onSubmit={submit} noValidate className="sa-narrow-form" data-testid="user-password-form">
        <ErrorSummary errors={errors} />
        <TextField
          id={id}
          label={t('users.newPassword')}
          type="password"
          required
          hint={t('users.resetHint')}
          maxLength={1000}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields[id]}
          data-testid="user-new-password"
        />
        <div className="actions-row">
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="user-password-save">
            {saving ? t('common.saving') : t('users.resetSubmit')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            {t('users.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

// ———————————————————— the audit trail ————————————————————

/** What an account's trail is read with: the teams, the UI's words and labels, the languages' names. */
interface TrailReaders {
  teams: Team[];
  t: I18n['t'];
  label: I18n['label'];
  languageName: (language: unknown) => string;
}

/** One value of an account's field, as people read it. */
function fieldValue(field: string, value: unknown, { teams, t, label, languageName }: TrailReaders): string {
  if (value === null || value === undefined || value === '') return t('accountEvent.none');
  if (field === 'language') return languageName(value);
  if (field === 'role') return label('role', String(value));
  if (field === 'active') return value ? t('users.active') : t('users.inactive');
  if (field === 'mailDigest') return value ? t('accountEvent.on') : t('accountEvent.off');
  if (field === 'teamId') return teams.find((team) => team.id === value)?.name ?? t('accountEvent.unknownTeam');
  return String(value);
}

const FIELD_KEYS: Record<string, Parameters<I18n['t']>[0]> = {
  name: 'accountEvent.field.name',
  role: 'accountEvent.field.role',
  teamId: 'accountEvent.field.teamId',
  active: 'accountEvent.field.active',
  email: 'accountEvent.field.email',
  language: 'accountEvent.field.language',
  mailDigest: 'account.digest',
};

/** What one entry says: its headline and, for a change, each field's before → after. */
function describeEvent(e: AccountEvent, readers: TrailReaders): { what: string; details: string[] } {
  const { t, label } = readers;
  const p = e.payload ?? {};
  const name = typeof p.name === 'string' ? p.name : '';
  switch (e.kind) {
    case 'created': {
      const details: string[] = [];
      if (typeof p.email === 'string') details.push(`${t('accountEvent.field.email')}: ${p.email}`);
      if (name) details.push(`${t('accountEvent.field.name')}: ${name}`);
      if (p.teamId) details.push(`${t('accountEvent.field.teamId')}: ${fieldValue('teamId', p.teamId, readers)}`);
      if (p.language) details.push(`${t('accountEvent.field.language')}: ${fieldValue('language', p.language, readers)}`);
      return { what: t('accountEvent.created', { role: label('role', String(p.role ?? '')) }), details };
    }
    case 'updated': {
      const changes = (p.changes ?? {}) as Record<string, unknown>;
      const details = Object.entries(changes).map(([field, pair]) => {
        const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
        return t('accountEvent.change', {
          field: FIELD_KEYS[field] ? t(FIELD_KEYS[field]) : field,
          before: fieldValue(field, before, readers),
          after: fieldValue(field, after, readers),
        });
      });
      return { what: t('accountEvent.updated'), details };
    }
    case 'password_reset':
      return { what: t('accountEvent.password_reset'), details: [] };
    case 'password_changed':
      return { what: t('accountEvent.password_changed'), details: [] };
    case 'token_created':
      return { what: t('accountEvent.token_created', { name }), details: [] };
    case 'token_revoked':
      return { what: t('accountEvent.token_revoked', { name }), details: [] };
    default:
      return { what: t('accountEvent.other', { kind: e.kind }), details: [] };
  }
}

function AccountEvents({ account: u, teams, version, onClose }: { account: StaffAccount; teams: Team[]; version: number; onClose: () => void }) {
  const { t, label } = useI18n();
  const languageName = useLanguageName();
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<ListOf<AccountEvent>>(`/api/v1/users/${encodeURIComponent(u.id)}/events`, attempt + version * 1000);
  const titleId = `uev-${u.id}-title`;

  return (
    <section className="sa-panel" aria-labelledby={titleId} data-testid="user-events-panel">
      <div className="sa-panel-head">
        <h3 id={titleId}>{t('users.eventsTitle', { name: u.name })}</h3>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
          {t('users.close')}
        </button>
      </div>
      {loaded.state === 'loading' ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {loaded.state === 'done' && loaded.value.items.length === 0 ? <p className="muted">{t('users.eventsEmpty')}</p> : null}
      {loaded.state === 'done' && loaded.value.items.length > 0 ? (
        <ol className="sa-events" data-testid="user-events-list">
          {loaded.value.items.map((e) => {
            const { what, details } = describeEvent(e, { teams, t, label, languageName });
            return (
              <li key={e.id} data-testid="user-event" data-kind={e.kind}>
                <time className="sa-event-when" dateTime={e.at}>
                  {formatDateTime(e.at)}
                </time>{' '}
                <strong data-testid="user-event-what">{what}</strong>{' '}
                <span className="sa-event-who" data-testid="user-event-who">
                  {e.actor ? t('accountEvent.by', { name: e.actor.name }) : t('accountEvent.bySystem')}
                </span>
                {details.length ? (
                  <ul className="sa-event-changes">
                    {details.map((d, i) => (
                      <li key={i}>{d}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}

// ———————————————————— teams ————————————————————

function Teams({ teams, users, onAdded }: { teams: Team[]; users: StaffAccount[]; onAdded: (team: Team) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setAdded(null);
    if (!name.trim()) {
      setErrors((tr) => ({ fields: { 'team-name': tr('teams.nameRequired') }, general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const team = await api.post<Team>('/api/v1/teams', { name: name.trim() });
      setName('');
      onAdded(team);
      setAdded(team.name);
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, { name: 'team-name' }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby="teams-heading" data-testid="teams-section">
      <h2 id="teams-heading">{t('teams.title')}</h2>
      <p className="muted">{t('teams.intro')}</p>
      {teams.length === 0 ? (
        <p className="muted">{t('teams.empty')}</p>
      ) : (
        <ul className="sa-teams" aria-label={t('teams.caption')} data-testid="team-list">
          {teams.map((team) => (
            <li key={team.id} data-testid="team-item">
              {team.name} <span className="muted">· {t('teams.members', { count: users.filter((u) => u.teamId === team.id && u.active).length })}</span>
            </li>
          ))}
        </ul>
      )}
      <form className="fu-inline" onSubmit={submit} noValidate data-testid="team-form">
        <ErrorSummary errors={errors} />
        <TextField
          id="team-name"
          label={t('teams.name')}
          required
          maxLength={200}
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.fields['team-name']}
          data-testid="team-name"
        />
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="team-add">
          {saving ? t('common.saving') : t('teams.addSubmit')}
        </button>
      </form>
      <div aria-live="polite">
        {added ? (
          <Notice kind="success" testId="team-notice">
            {t('teams.added', { name: added })}
          </Notice>
        ) : null}
      </div>
    </section>
  );
}
