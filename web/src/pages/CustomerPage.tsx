import { CustomerMergeCard, MergedNotice } from '../components/customer-merge';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, isAbort } from '../api';
import { DateTime, StatusBadge } from '../components/badges';
import { LoadFailed, useApiData, useRole } from '../components/followup-common';
import { Notice, TextField } from '../components/forms';
import { CustomerCorrection } from '../components/corrections';
import { StaffLayout, useTitle } from '../components/layout';
import { useModalDialog } from '../components/dialog';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import type { AccessLogEntry, AccessLogPage, AnonymiseResult, CustomerPageData, CustomerProfile } from '../personal-data-types';
import { Link } from '../router';
import { TERMINAL_STATUSES } from '../types';
import { can } from '../../../src/policies';
import { lastQueueUrl } from './QueuePage';
import '../personal-data.css';

const ACCESS_LOG_PAGE = 50;

/** What the erasure answered, kept until the next attempt. */
type EraseFeedback =
  | { kind: 'success'; result: AnonymiseResult }
  | { kind: 'error'; text: string; openComplaints: string[] };

/** Hồ sơ khách hàng — a customer's record, their complaints, who opened their data, export and erasure. */
export function CustomerPage({ id }: { id: string }) {
  return (
    <StaffLayout>
      <CustomerView id={id} />
    </StaffLayout>
  );
}

/** The path of a complaint in the staff console. */
export const complaintPath = (code: string) => `/staff/complaints/${encodeURIComponent(code)}`;

/** The path of a customer's page in the staff console. */
export const customerPath = (id: string) => `/staff/khach-hang/${encodeURIComponent(id)}`;

function CustomerView({ id }: { id: string }) {
  const { t } = useI18n();
  useTitle(t('customerPage.title'));
  const role = useRole();
  // Bumped to read the access log again (after an erasure, which the log then shows being viewed).
  const [logKey, setLogKey] = useState(0);
  // Every load is written to the access log, so the page loads once per customer, not per language.
  const { value: data, error: loadError, reload: load, set: setData } = useApiData<CustomerPageData>(`/api/v1/customers/${encodeURIComponent(id)}`);

  const back = (
    <p className="back">
      <Link to={lastQueueUrl()} data-testid="back-to-queue">
        {t('complaint.back')}
      </Link>
    </p>
  );

  if (loadError && !data) {
    const final = loadError instanceof ApiError && (loadError.status === 403 || loadError.status === 404);
    return (
      <>
        {back}
        {final ? (
          <Notice kind="error" testId="customer-error">
            {describeError(loadError, t)}
          </Notice>
        ) : (
          <LoadFailed error={loadError} onRetry={() => void load()} testId="customer-error" />
        )}
      </>
    );
  }
  if (!data) return <p className="loading">{t('common.loading')}</p>;

  const { customer, complaints } = data;
  return (
    <div data-testid="customer-page" data-customer-id={customer.id}>
      {back}
      <div className="page-head">
        <p className="pd-kicker">{t('customerPage.title')}</p>
        <h1 data-testid="customer-page-name">{customer.name}</h1>
      </div>
      {customer.mergedInto ? <MergedNotice into={customer.mergedInto} /> : null}
      {customer.anonymisedAt ? (
        <div className="notice notice-warning" role="status" data-testid="customer-anonymised">
          {t('customerPage.anonymised', { date: formatDateTime(customer.anonymisedAt).slice(0, 10) })}
        </div>
      ) : null}
      <RecordCard
        customer={customer}
        edit={
          role && can(role, 'customer.update') && !customer.anonymisedAt ? (
            <CustomerCorrection
              customer={customer}
              onSaved={(page) => {
                setData(page);
                // The answer was written to the access log as a view of the record.
                setLogKey((k) => k + 1);
              }}
            />
          ) : null
        }
      />
      <ComplaintsCard complaints={complaints} />
      {role && can(role, 'customer.merge') && !customer.anonymisedAt && !customer.mergedInto ? (
        <CustomerMergeCard
          customerId={customer.id}
          onMerged={(page) => {
            setData(page);
            setLogKey((k) => k + 1);
          }}
        />
      ) : null}
      {role && can(role, 'personal_data.manage') ? (
        <PersonalDataCard
          data={data}
          onErased={(result) => {
            setData((d) => (d ? { ...d, customer: result.customer } : d));
            // The complaints' texts are erased too: show them as they are now.
            void load().then(() => setLogKey((k) => k + 1));
          }}
          onAlreadyErased={() => void load()}
        />
      ) : null}
      {role && can(role, 'personal_data.audit') ? <AccessLogCard customerId={customer.id} reloadKey={logKey} /> : null}
    </div>
  );
}

/** `edit`: the correction of the record, for those who may make it. */
function RecordCard({ customer, edit }: { customer: CustomerProfile; edit?: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="customer-record-title" data-testid="customer-record">
      <h2 id="customer-record-title">{t('customerPage.record')}</h2>
      <dl className="facts pd-facts">
        <div>
          <dt>{t('field.name')}</dt>
          <dd data-testid="customer-record-name">{customer.name}</dd>
        </div>
        <div>
          <dt>{t('field.phone')}</dt>
          <dd data-testid="customer-record-phone">{customer.phone ? <a href={`tel:${customer.phoneE164 ?? customer.phone}`}>{customer.phone}</a> : '—'}</dd>
        </div>
        <div>
          <dt>{t('field.email')}</dt>
          <dd data-testid="customer-record-email" className="break">
            {customer.email ? <a href={`mailto:${customer.email}`}>{customer.email}</a> : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('customerPage.createdAt')}</dt>
          <dd>
            <DateTime iso={customer.createdAt} />
          </dd>
        </div>
        <div>
          <dt>{t('customerPage.complaintCount')}</dt>
          <dd data-testid="customer-record-complaints">
            {t('customerPage.complaintCountValue', { total: customer.complaints, open: customer.openComplaints })}
          </dd>
        </div>
        <div>
          <dt>{t('customerPage.lastClosedAt')}</dt>
          <dd>
            <DateTime iso={customer.lastClosedAt} />
          </dd>
        </div>
      </dl>
      {edit}
    </section>
  );
}

function ComplaintsCard({ complaints }: { complaints: CustomerPageData['complaints'] }) {
  const { t, label } = useI18n();
  return (
    <section className="card" aria-labelledby="customer-complaints-title" data-testid="customer-complaints">
      <h2 id="customer-complaints-title">{t('customerPage.complaints')}</h2>
      {complaints.length === 0 ? (
        <p className="muted">{t('customerPage.noComplaints')}</p>
      ) : (
        <div className="table-wrap pd-table-wrap">
          <table className="queue">
            <caption className="visually-hidden">{t('customerPage.complaintsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.code')}</th>
                <th scope="col">{t('col.subject')}</th>
                <th scope="col">{t('col.status')}</th>
                <th scope="col">{t('col.channel')}</th>
                <th scope="col">{t('customerPage.col.received')}</th>
              </tr>
            </thead>
            <tbody>
              {complaints.map((c) => (
                <tr key={c.code} data-testid="customer-complaint" data-code={c.code}>
                  <td data-label={t('col.code')} className="cell-code">
                    <Link to={complaintPath(c.code)}>{c.code}</Link>
                  </td>
                  <td data-label={t('col.subject')} className="cell-subject">
                    {c.subject}
                  </td>
                  <td data-label={t('col.status')}>
                    <StatusBadge status={c.status} />
                  </td>
                  <td data-label={t('col.channel')}>{label('channel', c.channel)}</td>
                  <td data-label={t('customerPage.col.received')}>
                    <DateTime iso={c.receivedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Who opened the customer's data, newest first, a page at a time (admins and auditors). */
function AccessLogCard({ customerId, reloadKey }: { customerId: string; reloadKey: number }) {
  const { t, label } = useI18n();
  const [items, setItems] = useState<AccessLogEntry[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [added, setAdded] = useState<number | null>(null);
  const base = `/api/v1/customers/${encodeURIComponent(customerId)}/access-log`;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setAdded(null);
    api
      .get<AccessLogPage>(base, { query: { limit: ACCESS_LOG_PAGE }, signal: controller.signal })
      .then((page) => {
        setItems(page.items);
        setNextBefore(page.nextBefore);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [base, reloadKey, attempt]);

  async function showMore() {
    if (loading || nextBefore === null) return;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<AccessLogPage>(base, { query: { limit: ACCESS_LOG_PAGE, before: nextBefore } });
      setItems((list) => [...list, ...page.items]);
      setNextBefore(page.nextBefore);
      setAdded(page.items.length);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  return (
    <section className="card" aria-labelledby="access-log-title" data-testid="access-log" data-loaded={loading ? 'false' : 'true'}>
      <h2 id="access-log-title">{t('customerPage.accessLog')}</h2>
      <p className="muted">{t('customerPage.accessLogIntro')}</p>
      {items.length ? (
        <div className="table-wrap pd-table-wrap">
          <table className="queue">
            <caption className="visually-hidden">{t('customerPage.accessLogCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('customerPage.col.at')}</th>
                <th scope="col">{t('customerPage.col.staff')}</th>
                <th scope="col">{t('customerPage.col.action')}</th>
                <th scope="col">{t('customerPage.col.complaint')}</th>
                <th scope="col">{t('customerPage.col.via')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-testid="access-log-entry" data-action={a.action} data-staff-id={a.staff?.id ?? ''} data-code={a.complaintCode ?? ''}>
                  <td data-label={t('customerPage.col.at')}>
                    <DateTime iso={a.at} />
                  </td>
                  <td data-label={t('customerPage.col.staff')}>
                    {a.staff ? (
                      <span>
                        {a.staff.name} <span className="muted">({label('role', a.staff.role)})</span>
                      </span>
                    ) : (
                      <span data-testid="access-log-party">
                        {a.party?.name ?? a.party?.email ?? '—'}{' '}
                        <span className="muted">
                          ({t('customerPage.outsideParty')}
                          {a.party?.name && a.party.email ? `, ${a.party.email}` : ''})
                        </span>
                      </span>
                    )}
                  </td>
                  <td data-label={t('customerPage.col.action')}>{label('accessAction', a.action)}</td>
                  <td data-label={t('customerPage.col.complaint')} className="cell-code">
                    {a.complaintCode ? <Link to={complaintPath(a.complaintCode)}>{a.complaintCode}</Link> : '—'}
                  </td>
                  <td data-label={t('customerPage.col.via')}>{label('channel', a.channel)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : !loading && !error ? (
        <p className="muted" data-testid="access-log-empty">
          {t('customerPage.accessLogEmpty')}
        </p>
      ) : null}
      {loading ? <p className="loading">{t('common.loading')}</p> : null}
      {error ? <LoadFailed error={error} onRetry={() => (items.length ? void showMore() : setAttempt((a) => a + 1))} /> : null}
      <p className="visually-hidden" aria-live="polite">
        {added !== null ? t('customerPage.accessLogAdded', { n: added }) : ''}
      </p>
      {nextBefore !== null && !error ? (
        <p>
          <button type="button" className="btn btn-secondary" onClick={() => void showMore()} disabled={loading} aria-busy={loading} data-testid="access-log-more">
            {t('customerPage.showMore')}
          </button>
        </p>
      ) : null}
    </section>
  );
}

/** The admin's part: the export of everything held about the customer, and its erasure. */
function PersonalDataCard({
  data,
  onErased,
  onAlreadyErased,
}: {
  data: CustomerPageData;
  onErased: (result: AnonymiseResult) => void;
  onAlreadyErased: () => void;
}) {
  const { t } = useI18n();
  const { customer } = data;
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<EraseFeedback | null>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);
  // The server refuses while any complaint is not over (resolved and escalated ones too).
  const openCodes = data.complaints.filter((c) => !TERMINAL_STATUSES.includes(c.status)).map((c) => c.code);

  // The button that opened the dialog may be gone (erased): the result takes the focus instead.
  useEffect(() => {
    if (feedback) feedbackRef.current?.focus({ preventScroll: false });
  }, [feedback]);

  async function erase() {
    if (busy) return;
    setBusy(true);
    setFeedback(null);
    const trimmed = note.trim().toUpperCase();
    try {
      const result = await api.post<AnonymiseResult>(`/api/v1/customers/${encodeURIComponent(customer.id)}/anonymise`, {
        reason: 'request',
        ...(trimmed ? { note: trimmed } : {}),
      });
      setConfirming(false);
      setNote('');
      setFeedback({ kind: 'success', result });
      onErased(result);
    } catch (err) {
      setConfirming(false);
      const codes = err instanceof ApiError && err.code === 'customer_has_open_complaints' ? err.complaints : [];
      setFeedback({ kind: 'error', text: describeError(err, t), openComplaints: codes });
      if (err instanceof ApiError && err.code === 'customer_anonymised') onAlreadyErased();
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    if (!busy) setConfirming(false);
  }

  return (
    <section className="card" aria-labelledby="personal-data-title" data-testid="personal-data">
      <h2 id="personal-data-title">{t('customerPage.personalData')}</h2>
      <p className="muted">{t('customerPage.exportHint')}</p>
      <p>
        <a className="btn btn-secondary" href={`/api/v1/customers/${encodeURIComponent(customer.id)}/personal-data`} download data-testid="customer-export">
          {t('customerPage.export')}
        </a>
      </p>

      <div aria-live="polite">
        {feedback ? (
          <div
            ref={feedbackRef}
            tabIndex={-1}
            className={`notice notice-${feedback.kind}`}
            role={feedback.kind === 'error' ? 'alert' : 'status'}
            data-testid={feedback.kind === 'error' ? 'erase-error' : 'erase-message'}
          >
            {feedback.kind === 'success'
              ? t('customerPage.erased', {
                  complaints: feedback.result.complaints.length,
                  events: feedback.result.redactedEvents,
                  files: feedback.result.filesDeleted,
                })
              : feedback.text}
            {feedback.kind === 'error' && feedback.openComplaints.length ? <ComplaintLinks codes={feedback.openComplaints} label={t('customerPage.openComplaintsAre')} /> : null}
          </div>
        ) : null}
      </div>

      {customer.anonymisedAt ? null : (
        <div className="pd-erase" data-testid="erase-section">
          <h3 id="erase-title">{t('customerPage.erase')}</h3>
          <p>{t('customerPage.eraseIntro')}</p>
          {openCodes.length ? (
            <div className="notice notice-warning" data-testid="erase-open-warning">
              {t('customerPage.eraseOpenWarning', { n: openCodes.length })}
              <ComplaintLinks codes={openCodes} label={t('customerPage.openComplaintsAre')} />
            </div>
          ) : null}
          <TextField
            id="erase-note"
            label={t('customerPage.eraseNote')}
            hint={t('customerPage.eraseNoteHint')}
            optional
            maxLength={9}
            placeholder="YC-000007"
            autoComplete="off"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="erase-note"
          />
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => setConfirming(true)}
            disabled={busy}
            aria-haspopup="dialog"
            data-testid="erase-open"
          >
            {t('customerPage.eraseButton')}
          </button>
          {confirming ? (
            <ConfirmDialog
              title={t('customerPage.confirmTitle')}
              confirmLabel={busy ? t('customerPage.erasing') : t('customerPage.confirmErase')}
              cancelLabel={t('customerPage.cancel')}
              busy={busy}
              onConfirm={() => void erase()}
              onCancel={cancel}
            >
              {t('customerPage.confirmText', { name: customer.name })}
              {note.trim() ? (
                <>
                  {' '}
                  {t('customerPage.confirmNote', { note: note.trim() })}
                </>
              ) : null}
            </ConfirmDialog>
          ) : null}
        </div>
      )}
    </section>
  );
}

function ComplaintLinks({ codes, label }: { codes: string[]; label: string }) {
  return (
    <p className="pd-codes">
      {label}{' '}
      {codes.map((code, i) => (
        <span key={code}>
          {i ? ', ' : null}
          <Link to={complaintPath(code)} data-testid="open-complaint-link">
            {code}
          </Link>
        </span>
      ))}
    </p>
  );
}

/**
 * A modal question before something that cannot be undone: the browser's own <dialog> keeps the focus
 * inside and closes on Escape; "Cancel" has the focus first, so Enter alone never confirms.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { ref, cancelRef } = useModalDialog();
  return (
    <dialog
      ref={ref}
      className="pd-dialog"
      aria-labelledby="confirm-dialog-title"
      aria-describedby="confirm-dialog-text"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      data-testid="confirm-dialog"
    >
      <h2 id="confirm-dialog-title">{title}</h2>
      <p id="confirm-dialog-text">{children}</p>
      <div className="actions-row pd-dialog-actions">
        <button ref={cancelRef} type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy} data-testid="confirm-dialog-cancel">
          {cancelLabel}
        </button>
        <button type="button" className="btn btn-danger" onClick={onConfirm} disabled={busy} aria-busy={busy} data-testid="confirm-dialog-confirm">
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
