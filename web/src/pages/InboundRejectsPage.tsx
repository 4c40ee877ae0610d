import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, isAbort } from '../api';
import { DateTime } from '../components/badges';
import { Notice } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import type { InboundReject, ListOf } from '../types';

type LoadState =
  | { state: 'loading' }
  | { state: 'unavailable' }
  | { state: 'failed'; error: unknown }
  | { state: 'done'; items: InboundReject[] };

/** Thư không phải khiếu nại — bounces, auto-replies and bulk mail the intake set aside, newest first. */
export function InboundRejectsPage() {
  return (
    <StaffLayout>
      <InboundRejects />
    </StaffLayout>
  );
}

function InboundRejects() {
  const { t } = useI18n();
  useTitle(t('rejects.title'));
  const { session } = useSession();
  const [load, setLoad] = useState<LoadState>({ state: 'loading' });
  const [busyId, setBusyId] = useState<string | null>(null);
  const [result, setResult] = useState<{ id: string; kind: 'success' | 'error'; code?: string; error?: unknown } | null>(null);
  const canConvert = session ? session.user.role !== 'auditor' : false;

  const fetchList = useCallback(async (signal?: AbortSignal) => {
    try {
      const r = await api.get<ListOf<InboundReject>>('/api/v1/inbound-rejects', { signal });
      setLoad({ state: 'done', items: r.items });
    } catch (err) {
      if (isAbort(err)) return;
      // A server without the log yet answers 404: say so instead of failing.
      if (err instanceof ApiError && err.status === 404) setLoad({ state: 'unavailable' });
      else setLoad({ state: 'failed', error: err });
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void fetchList(controller.signal);
    return () => controller.abort();
  }, [fetchList]);

  async function convert(item: InboundReject) {
    if (busyId) return;
    setBusyId(item.id);
    setResult(null);
    try {
      const r = await api.post<{ code: string }>(`/api/v1/inbound-rejects/${encodeURIComponent(item.id)}/convert`);
      setLoad((prev) =>
        prev.state === 'done' ? { state: 'done', items: prev.items.map((x) => (x.id === item.id ? { ...x, convertedCode: r.code } : x)) } : prev,
      );
      setResult({ id: item.id, kind: 'success', code: r.code });
    } catch (err) {
      setResult({ id: item.id, kind: 'error', error: err });
    } finally {
      setBusyId(null);
    }
  }

  return (
    <>
      <div className="page-head page-head-row">
        <div>
          <h1>{t('rejects.title')}</h1>
          <p className="lead">{t('rejects.intro')}</p>
        </div>
        {load.state === 'done' || load.state === 'failed' ? (
          <button type="button" className="btn btn-secondary" onClick={() => void fetchList()} data-testid="rejects-refresh">
            {t('rejects.refresh')}
          </button>
        ) : null}
      </div>

      <div aria-live="polite">
        {result?.kind === 'success' && result.code ? (
          <Notice kind="success" testId="reject-converted">
            {t('rejects.converted')}{' '}
            <Link to={`/staff/complaints/${encodeURIComponent(result.code)}`} data-testid="reject-converted-link">
              {result.code}
            </Link>
          </Notice>
        ) : null}
        {result?.kind === 'error' ? (
          <Notice kind="error" testId="reject-convert-error">
            {describeError(result.error, t)}
          </Notice>
        ) : null}
      </div>

      {load.state === 'loading' ? <p className="loading">{t('common.loading')}</p> : null}
      {load.state === 'unavailable' ? (
        <Notice kind="info" testId="rejects-unavailable">
          {t('rejects.unavailable')}
        </Notice>
      ) : null}
      {load.state === 'failed' ? <Notice kind="error">{describeError(load.error, t)}</Notice> : null}
      {load.state === 'done' && load.items.length === 0 ? (
        <p className="empty card" data-testid="rejects-empty">
          {t('rejects.empty')}
        </p>
      ) : null}
      {load.state === 'done' && load.items.length ? (
        <div className="table-wrap card">
          <table className="queue rejects" data-testid="rejects-table">
            <caption className="visually-hidden">{t('rejects.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rejects.colKind')}</th>
                <th scope="col">{t('rejects.colFrom')}</th>
                <th scope="col">{t('rejects.colSubject')}</th>
                <th scope="col">{t('rejects.colExcerpt')}</th>
                <th scope="col">{t('rejects.colReceived')}</th>
                <th scope="col">{t('rejects.colAction')}</th>
              </tr>
            </thead>
            <tbody>
              {load.items.map((item) => (
                <tr key={item.id} data-testid="reject-row" data-id={item.id} data-kind={item.kind} data-converted={item.convertedCode ?? ''}>
                  <td data-label={t('rejects.colKind')}>
                    <KindBadge kind={item.kind} />
                    <span className="reject-reason muted" lang="en" title={item.reason}>
                      {item.reason}
                    </span>
                  </td>
                  <td data-label={t('rejects.colFrom')} className="break" data-testid="reject-from">
                    {item.from ?? '—'}
                  </td>
                  <td data-label={t('rejects.colSubject')} className="cell-subject" data-testid="reject-subject">
                    {item.subject || <span className="muted">{t('rejects.noSubject')}</span>}
                  </td>
                  <td data-label={t('rejects.colExcerpt')} className="reject-excerpt">
                    <span className="excerpt" title={item.excerpt}>
                      {item.excerpt.length > 240 ? `${item.excerpt.slice(0, 240)}…` : item.excerpt}
                    </span>
                  </td>
                  <td data-label={t('rejects.colReceived')}>
                    <DateTime iso={item.receivedAt} />
                  </td>
                  <td data-label={t('rejects.colAction')}>
                    {item.convertedCode ? (
                      <Link to={`/staff/complaints/${encodeURIComponent(item.convertedCode)}`} className="reject-code" data-testid="reject-code">
                        {item.convertedCode}
                      </Link>
                    ) : canConvert && item.kind === 'too_large' ? (
                      <span className="muted" data-testid="reject-too-large">
                        {t('rejects.tooLarge')}
                      </span>
                    ) : canConvert ? (
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        onClick={() => void convert(item)}
                        disabled={busyId !== null}
                        aria-label={t('rejects.convertLabel', { subject: item.subject || t('rejects.noSubject'), from: item.from ?? '—' })}
                        data-testid="reject-convert"
                      >
                        {busyId === item.id ? t('common.saving') : t('rejects.convert')}
                      </button>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function KindBadge({ kind }: { kind: string }) {
  const { label } = useI18n();
  return (
    <span className={`badge reject-kind reject-kind-${kind}`} data-testid="reject-kind" data-kind={kind}>
      {label('rejectKind', kind)}
    </span>
  );
}
