import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, request } from '../api';
import { ErrorSummary, Notice, TextField } from '../components/forms';
import { LanguageSelect, useLanguageName } from '../components/language';
import { LoadFailed, useApiGet } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { ShortcutsList } from '../components/shortcuts-help';
import { ConfirmDialog } from '../components/staff-admin';
import { describeError, formErrorsFrom, useFormErrors, type FormErrors } from '../errors';
import { formatDateTime, newIdempotencyKey } from '../format';
import { useI18n, type I18n } from '../i18n';
import { useSession } from '../session';
import type { ApiTokenInfo, Language, ListOf } from '../types';
import '../staff-admin.css';

/** Tài khoản của tôi — every staff member: their own password, and (all but department members) their API tokens. */
export function AccountPage() {
  return (
    <StaffLayout>
      <Account />
    </StaffLayout>
  );
}

function Account() {
  const { t, label } = useI18n();
  useTitle(t('account.title'));
  const user = useSession().session?.user;
  if (!user) return null;
  // A department member may not hold API tokens (the server refuses them): their page is the password alone.
  const canHoldTokens = user.role !== 'department';

  return (
    <div data-testid="account-page">
      <div className="page-head">
        <h1>{t('account.title')}</h1>
        <p className="lead">{t('account.intro')}</p>
      </div>
      {user.email ? (
        <section className="card" aria-labelledby="account-profile-heading">
          <h2 id="account-profile-heading">{t('account.profile')}</h2>
          <dl className="sa-profile" data-testid="account-profile">
            <dt>{t('users.name')}</dt>
            <dd>{user.name}</dd>
            <dt>{t('users.email')}</dt>
            <dd>{user.email}</dd>
            <dt>{t('users.role')}</dt>
            <dd>{label('role', user.role)}</dd>
          </dl>
        </section>
      ) : null}
      <OwnLanguage />
      {canHoldTokens ? <MailDigest on={user.mailDigest ?? true} /> : null}
      {canHoldTokens ? (
        <section className="card" aria-labelledby="account-shortcuts-heading" data-testid="shortcuts-section">
          <h2 id="account-shortcuts-heading">{t('shortcuts.title')}</h2>
          <ShortcutsList />
        </section>
      ) : null}
      <ChangePassword email={user.email} />
      {canHoldTokens ? <ApiTokens /> : null}
    </div>
  );
}

// ———————————————————— own language ————————————————————

/**
 * Ngôn ngữ của tôi — the console's language for this account, kept on the server: it follows them to any
 * computer, and Sen's mails to them are in it. Saved with a button (a select changes as one arrows through it).
 */
function OwnLanguage() {
  const { t, lang } = useI18n();
  const { chooseLanguage } = useSession();
  const name = useLanguageName();
  const [choice, setChoice] = useState<Language>(lang);
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<Language | null>(null);
  // Switched meanwhile in the header: the select shows it.
  useEffect(() => setChoice(lang), [lang]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    setSaved(null);
    setErrors({ fields: {}, general: [] });
    try {
      await chooseLanguage(choice);
      setSaved(choice);
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, { language: 'own-language' }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby="account-language-heading">
      <h2 id="account-language-heading">{t('account.language')}</h2>
      <form onSubmit={submit} noValidate className="sa-narrow-form" data-testid="own-language-form">
        <ErrorSummary errors={errors} />
        <LanguageSelect
          id="own-language"
          label={t('account.languageLabel')}
          hint={t('account.languageHint')}
          value={choice}
          onChange={(next) => {
            setChoice(next);
            setSaved(null);
          }}
          error={errors.fields['own-language']}
          testId="own-language"
        />
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="own-language-save">
          {saving ? t('common.saving') : t('account.languageSave')}
        </button>
      </form>
      {saved ? (
        <Notice kind="success" testId="own-language-saved">
          {t('account.languageSaved', { language: name(saved) })}
        </Notice>
      ) : null}
    </section>
  );
}

// ———————————————————— notice digest ————————————————————

/**
 * Thư tóm tắt thông báo — whether news of their complaints (a customer's reply, a complaint given to them, a status
 * moved) that they leave unread in Sen for ten minutes is mailed to them, gathered in one mail. Saved at once.
 */
function MailDigest({ on }: { on: boolean }) {
  const { t } = useI18n();
  const { chooseMailDigest } = useSession();
  // Ticked at once; put back if the server refuses.
  const [shown, setShown] = useState(on);
  const [saving, setSaving] = useState(false);
  const [said, setSaid] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  async function toggle(next: boolean) {
    setShown(next);
    setSaving(true);
    setSaid(null);
    try {
      await chooseMailDigest(next);
      setSaid({ kind: 'success', text: t(next ? 'account.digestOn' : 'account.digestOff') });
    } catch (err) {
      setShown(!next);
      setSaid({ kind: 'error', text: describeError(err, t) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby="account-digest-heading" data-testid="digest-section">
      <h2 id="account-digest-heading">{t('account.digest')}</h2>
      <label className="check-option">
        <input type="checkbox" checked={shown} disabled={saving} onChange={(e) => void toggle(e.target.checked)} data-testid="mail-digest" />
        <span>{t('account.digestLabel')}</span>
      </label>
      <p className="muted">{t('account.digestHint')}</p>
      {said ? (
        <Notice kind={said.kind} testId="mail-digest-saved">
          {said.text}
        </Notice>
      ) : null}
    </section>
  );
}

// ———————————————————— own password ————————————————————

/** The errors of a refused change: the pause after too many wrong passwords is said in the server's words. */
function passwordErrors(err: unknown, tr: I18n['t']): FormErrors {
  if (err instanceof ApiError && err.status === 429 && err.message) return { fields: {}, general: [err.message] };
  return formErrorsFrom(err, tr, { currentPassword: 'pw-current', newPassword: 'pw-new' });
}

function ChangePassword({ email }: { email: string }) {
  const { t } = useI18n();
  const empty = { current: '', next: '', repeat: '' };
  const [draft, setDraft] = useState(empty);
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setDone(false);
    const fields: [string, Parameters<I18n['t']>[0]][] = [];
    if (!draft.current) fields.push(['pw-current', 'account.currentRequired']);
    if (!draft.next) fields.push(['pw-new', 'account.newRequired']);
    else if (draft.repeat !== draft.next) fields.push(['pw-repeat', 'account.repeatMismatch']);
    if (fields.length) {
      setErrors((tr) => ({ fields: Object.fromEntries(fields.map(([id, key]) => [id, tr(key)])), general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      await api.post<void>('/api/v1/auth/password', { currentPassword: draft.current, newPassword: draft.next });
      setDraft(empty);
      setDone(true);
    } catch (err) {
      setErrors((tr) => passwordErrors(err, tr));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card" aria-labelledby="account-password-heading">
      <h2 id="account-password-heading">{t('account.password')}</h2>
      <p className="muted">{t('account.passwordIntro')}</p>
      <form onSubmit={submit} noValidate className="sa-narrow-form" data-testid="password-form">
        <ErrorSummary errors={errors} />
        {/* For password managers: whose password this is (not shown, not focusable). */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <TextField
          id="pw-current"
          label={t('account.currentPassword')}
          type="password"
          required
          maxLength={1000}
          autoComplete="current-password"
          value={draft.current}
          onChange={(e) => setDraft({ ...draft, current: e.target.value })}
          error={errors.fields['pw-current']}
          data-testid="password-current"
        />
        <TextField
          id="pw-new"
          label={t('account.newPassword')}
          type="password"
          required
          hint={t('account.newPasswordHint')}
          maxLength={1000}
          autoComplete="new-password"
          value={draft.next}
          onChange={(e) => setDraft({ ...draft, next: e.target.value })}
          error={errors.fields['pw-new']}
          data-testid="password-new"
        />
        <TextField
          id="pw-repeat"
          label={t('account.repeatPassword')}
          type="password"
          required
          maxLength={1000}
          autoComplete="new-password"
          value={draft.repeat}
          onChange={(e) => setDraft({ ...draft, repeat: e.target.value })}
          error={errors.fields['pw-repeat']}
          data-testid="password-repeat"
        />
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="password-submit">
          {saving ? t('common.saving') : t('account.passwordSubmit')}
        </button>
      </form>
      <div aria-live="polite">
        {done ? (
          <Notice kind="success" testId="password-notice">
            {t('account.passwordChanged')}
          </Notice>
        ) : null}
      </div>
    </section>
  );
}

// ———————————————————— API tokens ————————————————————

function ApiTokens() {
  const { t } = useI18n();
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<ListOf<ApiTokenInfo>>('/api/v1/auth/tokens', attempt);
  const [items, setItems] = useState<ApiTokenInfo[] | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenInfo | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);

  async function revoke(token: ApiTokenInfo) {
    setBusy(true);
    setNotice(null);
    try {
      await request<void>('DELETE', `/api/v1/auth/tokens/${encodeURIComponent(token.id)}`);
      setNotice({ kind: 'success', text: t('account.revoked', { name: token.name }) });
      setAttempt((a) => a + 1);
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  }

  return (
    <section className="card" aria-labelledby="account-tokens-heading" data-testid="tokens-section">
      <h2 id="account-tokens-heading">{t('account.tokens')}</h2>
      <p className="muted">{t('account.tokensIntro')}</p>
      <CreateToken
        onCreated={(name, token) => {
          setNotice(null);
          setCreated({ name, token });
          setAttempt((a) => a + 1);
        }}
      />
      {created ? <NewToken name={created.name} token={created.token} onDismiss={() => setCreated(null)} /> : null}
      <div aria-live="polite">
        {notice ? (
          <Notice kind={notice.kind} testId="token-notice">
            {notice.text}
          </Notice>
        ) : null}
      </div>
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {items && items.length === 0 ? <p className="muted">{t('account.tokensEmpty')}</p> : null}
      {items && items.length > 0 ? (
        <div className="table-wrap">
          <table className="queue" data-testid="token-list">
            <caption className="visually-hidden">{t('account.tokensCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('account.tokenName')}</th>
                <th scope="col">{t('account.createdAt')}</th>
                <th scope="col">{t('account.lastUsedAt')}</th>
                <th scope="col">{t('account.status')}</th>
                <th scope="col">{t('account.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((tok) => (
                <tr key={tok.id} data-testid="token-row" data-id={tok.id} data-revoked={tok.revokedAt ? 'true' : 'false'}>
                  <td data-label={t('account.tokenName')} className="cell-subject" data-testid="token-row-name">
                    {tok.name}
                  </td>
                  <td data-label={t('account.createdAt')}>{formatDateTime(tok.createdAt)}</td>
                  <td data-label={t('account.lastUsedAt')}>{tok.lastUsedAt ? formatDateTime(tok.lastUsedAt) : t('account.never')}</td>
                  <td data-label={t('account.status')}>
                    <span className={tok.revokedAt ? 'badge fu-inactive' : 'badge fu-active'} data-testid="token-row-status">
                      {tok.revokedAt ? `${t('account.tokenRevoked')} ${formatDateTime(tok.revokedAt)}` : t('account.tokenActive')}
                    </span>
                  </td>
                  <td data-label={t('account.actions')}>
                    {tok.revokedAt ? (
                      <span className="muted">—</span>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-danger btn-small"
                        aria-haspopup="dialog"
                        aria-label={t('account.revokeLabel', { name: tok.name })}
                        disabled={busy}
                        onClick={() => setRevoking(tok)}
                        data-testid="token-revoke"
                      >
                        {t('account.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {revoking ? (
        <ConfirmDialog
          id="token-revoke-confirm"
          title={t('account.confirmRevokeTitle')}
          confirmLabel={busy ? t('users.working') : t('account.confirmRevoke')}
          cancelLabel={t('users.cancel')}
          busy={busy}
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        >
          {t('account.confirmRevokeText', { name: revoking.name })}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function CreateToken({ onCreated }: { onCreated: (name: string, token: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  // One key per token asked for: a retried request (lost answer) makes no second token.
  const [key, setKey] = useState(newIdempotencyKey);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (!name.trim()) {
      setErrors((tr) => ({ fields: { 'token-name': tr('account.tokenNameRequired') }, general: [] }));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    try {
      const r = await api.post<{ token: string }>('/api/v1/auth/tokens', { name: name.trim() }, { headers: { 'Idempotency-Key': key } });
      onCreated(name.trim(), r.token);
      setName('');
      setKey(newIdempotencyKey());
    } catch (err) {
      setErrors((tr) => formErrorsFrom(err, tr, { name: 'token-name' }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="fu-inline" onSubmit={submit} noValidate data-testid="token-form">
      <ErrorSummary errors={errors} />
      <TextField
        id="token-name"
        label={t('account.tokenName')}
        hint={t('account.tokenNameHint')}
        required
        maxLength={100}
        autoComplete="off"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setKey(newIdempotencyKey());
        }}
        error={errors.fields['token-name']}
        data-testid="token-name"
      />
      <button type="submit" className="btn btn-primary" disabled={saving} data-testid="token-create">
        {saving ? t('common.saving') : t('account.tokenCreate')}
      </button>
    </form>
  );
}

/** The token just made, shown this once, with a copy button; the field is focused and selected. */
function NewToken({ name, token, onDismiss }: { name: string; token: string; onDismiss: () => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [token]);

  async function copy() {
    try {
      // Only in a secure context (https or localhost); an office LAN over http falls back to selecting it.
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(token);
      setCopied('yes');
    } catch {
      input.current?.focus();
      input.current?.select();
      setCopied('no');
    }
  }

  return (
    <div className="notice notice-success sa-token-reveal" data-testid="token-created">
      <p>
        <strong>{t('account.tokenCreated', { name })}</strong> {t('account.tokenOnce')}
      </p>
      <label htmlFor="new-token-value">{t('account.tokenValue')}</label>
      <input
        id="new-token-value"
        ref={input}
        readOnly
        value={token}
        spellCheck={false}
        autoComplete="off"
        onFocus={(e) => e.currentTarget.select()}
        data-testid="token-value"
      />
      <div className="actions-row">
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void copy()} data-testid="token-copy">
          {t('account.tokenCopy')}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onDismiss} data-testid="token-dismiss">
          {t('account.tokenDismiss')}
        </button>
      </div>
      <p aria-live="polite" className="muted">
        {copied === 'yes' ? t('account.tokenCopied') : copied === 'no' ? t('account.tokenCopyFailed') : null}
      </p>
    </div>
  );
}
