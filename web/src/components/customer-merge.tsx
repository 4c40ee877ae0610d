import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import type { CustomerPageData } from '../personal-data-types';
import { Link } from '../router';
import { Notice, TextField } from './forms';

/*
 * Gộp hồ sơ trùng — a supervisor merges another record of the same person into the one open (commands/merge-customers.ts):
 * named by a complaint code, a phone or an email of it. A record merged away says so and links to the one in use.
 */

/** On a record merged into another: where its complaints and contacts went. */
export function MergedNotice({ into }: { into: string }) {
  const { t } = useI18n();
  return (
    <div className="notice notice-warning" role="status" data-testid="customer-merged">
      {t('merge.mergedInto')}{' '}
      <Link to={`/staff/khach-hang/${encodeURIComponent(into)}`} data-testid="customer-merged-link">
        {t('merge.openInto')}
      </Link>
    </div>
  );
}

/** The merge form, for supervisors and admins on a live record. */
export function CustomerMergeCard({ customerId, onMerged }: { customerId: string; onMerged: (page: CustomerPageData) => void }) {
  const { t } = useI18n();
  const [from, setFrom] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string>();
  const [said, setSaid] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (from.trim().length < 3) {
      setFieldError(t('merge.fromRequired'));
      document.getElementById('merge-from')?.focus();
      return;
    }
    setBusy(true);
    setSaid(null);
    setFieldError(undefined);
    try {
      const page = await api.post<CustomerPageData & { merged: { moved: number } }>(`/api/v1/customers/${encodeURIComponent(customerId)}/merge`, {
        from: from.trim(),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setFrom('');
      setReason('');
      setSaid({ kind: 'success', text: t('merge.done', { n: String(page.merged.moved) }) });
      onMerged(page);
    } catch (err) {
      const own = err instanceof ApiError ? err.fields.find((f) => f.field === 'from') : undefined;
      if (own) {
        setFieldError(own.message);
        document.getElementById('merge-from')?.focus();
      } else setSaid({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="merge-title" data-testid="customer-merge">
      <h2 id="merge-title">{t('merge.title')}</h2>
      <p className="field-hint">{t('merge.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField id="merge-from" label={t('merge.from')} required maxLength={254} value={from} onChange={(e) => setFrom(e.target.value)} error={fieldError} data-testid="merge-from" />
        <TextField id="merge-reason" label={t('merge.reason')} optional maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="merge-reason" />
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="merge-submit">
          {busy ? t('common.saving') : t('merge.submit')}
        </button>
      </form>
      {said ? (
        <Notice kind={said.kind} testId="merge-feedback">
          {said.text}
        </Notice>
      ) : null}
    </section>
  );
}
