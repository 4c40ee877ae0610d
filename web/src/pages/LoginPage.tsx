import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { ErrorSummary, TextField } from '../components/forms';
import { BareLayout, useTitle } from '../components/layout';
import { describeError, NO_ERRORS, useFormErrors } from '../errors';
import { useI18n } from '../i18n';
import { navigate, useLocation } from '../router';
import { safeNext, useSession } from '../session';
import type { Session } from '../types';

/** Staff sign-in; afterwards the user returns to the page that sent them here. */
export function LoginPage() {
  const { t } = useI18n();
  useTitle(t('login.title'));
  const { search } = useLocation();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useFormErrors();
  const [submitting, setSubmitting] = useState(false);
  const next = search.get('next');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const missingEmail = !email.trim();
    const missingPassword = !password;
    if (missingEmail || missingPassword) {
      setErrors((tr) => ({
        fields: {
          ...(missingEmail ? { email: tr('validation.emailRequired') } : {}),
          ...(missingPassword ? { password: tr('validation.passwordRequired') } : {}),
        },
        general: [],
      }));
      return;
    }
    setSubmitting(true);
    setErrors(NO_ERRORS);
    try {
      const session = await api.post<Session>('/api/v1/auth/login', { email: email.trim(), password });
      signIn(session);
      navigate(safeNext(next, session.user.role), { replace: true });
    } catch (err) {
      setErrors((tr) => ({
        fields: {},
        general: [err instanceof ApiError && err.status === 401 ? tr('login.invalid') : describeError(err, tr)],
      }));
      setPassword('');
      setSubmitting(false);
    }
  }

  return (
    <BareLayout>
      <form className="card form login-card" onSubmit={submit} noValidate data-testid="login-form">
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        <ErrorSummary errors={errors} />
        <TextField
          id="email"
          label={t('field.email')}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.fields.email}
          data-testid="login-email"
        />
        <TextField
          id="password"
          label={t('field.password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
          data-testid="login-password"
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={submitting} data-testid="login-submit">
          {submitting ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </BareLayout>
  );
}
