import { useState } from 'react';
import { DateTime } from '../components/badges';
import { Notice } from '../components/forms';
import { PortalLayout, useTitle } from '../components/layout';
import { useI18n } from '../i18n';
import { Link, useLocation } from '../router';
import type { ConfirmationState } from './ComplaintFormPage';

function isConfirmation(state: unknown): state is ConfirmationState {
  return typeof state === 'object' && state !== null && (state as { kind?: unknown }).kind === 'sen.confirmation';
}

/** Shown after a successful submission; the data travels in history.state, so a reload keeps it. */
export function ConfirmationPage() {
  const { t } = useI18n();
  useTitle(t('confirm.title'));
  const { state } = useLocation();
  const [copied, setCopied] = useState(false);

  if (!isConfirmation(state)) {
    return (
      <PortalLayout>
        <div className="card">
          <p>{t('confirm.missing')}</p>
          <p className="actions-row">
            <Link to="/tra-cuu" className="btn btn-primary">
              {t('confirm.lookupLink')}
            </Link>
            <Link to="/khieu-nai" className="btn btn-secondary">
              {t('confirm.newLink')}
            </Link>
          </p>
        </div>
      </PortalLayout>
    );
  }

  const { complaint, contact, upload } = state;

  async function copy() {
    try {
      await navigator.clipboard.writeText(complaint.code);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <PortalLayout>
      <div className="card confirmation" data-testid="confirmation">
        <div className="confirmation-icon" aria-hidden="true">
          ✓
        </div>
        <h1>{t('confirm.title')}</h1>
        <p className="code-label" id="code-label">
          {t('confirm.codeLabel')}
        </p>
        <p className="code-value" aria-labelledby="code-label" data-testid="complaint-code">
          {complaint.code}
        </p>
        <p className="muted">{t('confirm.codeHint')}</p>
        <p>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void copy()} data-testid="copy-code">
            {t('confirm.copy')}
          </button>
          <span role="status" className="copy-status">
            {copied ? t('confirm.copied') : ''}
          </span>
        </p>
        <dl className="facts">
          <div>
            <dt>{t('date.receivedAt')}</dt>
            <dd>
              <DateTime iso={complaint.receivedAt} testId="received-at" />
            </dd>
          </div>
          <div>
            <dt>{t('confirm.ackDue')}</dt>
            <dd>
              <DateTime iso={complaint.acknowledgementDueAt} testId="acknowledgement-due" />
            </dd>
          </div>
          <div>
            <dt>{t('confirm.resolutionDue')}</dt>
            <dd>
              <DateTime iso={complaint.resolutionDueAt} testId="resolution-due" />
            </dd>
          </div>
        </dl>
        {upload?.status === 'ok' ? (
          <Notice kind="success" testId="upload-done">
            <p>{t('confirm.filesReceived', { count: upload.files.length })}</p>
            <ul className="confirm-files">
              {upload.files.map((name, i) => (
                <li key={`${name}-${i}`}>{name}</li>
              ))}
            </ul>
          </Notice>
        ) : null}
        {upload?.status === 'failed' ? (
          <Notice kind="error" testId="upload-error">
            <p>{t('confirm.filesFailed')}</p>
            <ul className="confirm-files">
              {upload.messages.map((m, i) => (
                <li key={`${m}-${i}`}>{m}</li>
              ))}
            </ul>
            <p>{t('confirm.filesRetry')}</p>
          </Notice>
        ) : null}
        <p className="muted">{t('confirm.emailNote')}</p>
        <p className="actions-row">
          <Link
            to={`/tra-cuu?code=${encodeURIComponent(complaint.code)}`}
            state={{ kind: 'sen.lookup', contact }}
            className="btn btn-primary"
            data-testid="lookup-link"
          >
            {t('confirm.lookupLink')}
          </Link>
          <Link to="/khieu-nai" className="btn btn-secondary">
            {t('confirm.newLink')}
          </Link>
        </p>
      </div>
    </PortalLayout>
  );
}
