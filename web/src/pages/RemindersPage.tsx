import { useState } from 'react';
import { StatusBadge } from '../components/badges';
import { useApiData } from '../components/followup-common';
import { Notice } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import { deleteReminder, ReminderDeleteButton, reminderText, reminderTime } from '../components/reminders';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { Link } from '../router';
import type { Reminder, ReminderList } from '../types';

/** Nhắc hẹn của tôi — every reminder the signed-in member is waiting for, soonest first, and those told this week. */
export function RemindersPage() {
  return (
    <StaffLayout>
      <Reminders />
    </StaffLayout>
  );
}

function Reminders() {
  const { t, lang } = useI18n();
  useTitle(t('reminders.pageTitle'));
  const { value: data, error: loadError, reload: load } = useApiData<ReminderList>('/api/v1/reminders');
  const [actionError, setActionError] = useState<unknown>(null);
  const [said, setSaid] = useState<string | null>(null);
  const error = actionError ?? loadError;

  async function remove(r: Reminder) {
    setSaid(null);
    setActionError(null);
    try {
      await deleteReminder(r.id);
      setSaid(t('reminders.deleted', { at: reminderTime(r.at, lang) }));
      await load();
    } catch (err) {
      setActionError(err);
    }
    document.getElementById('reminders-page-title')?.focus();
  }

  const table = (rows: Reminder[], testId: string, canDelete: boolean) => (
    <div className="table-wrap card">
      <table className="queue reminder-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('reminders.when')}</th>
            <th scope="col">{t('reminders.complaint')}</th>
            <th scope="col">{t('reminders.what')}</th>
            {canDelete ? (
              <th scope="col">
                <span className="visually-hidden">{t('reminders.deleteShort')}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="reminder-row" data-code={r.code}>
              <td>{reminderTime(r.at, lang)}</td>
              <td>
                <Link to={`/staff/complaints/${encodeURIComponent(r.code)}`}>{r.code}</Link> <StatusBadge status={r.status} />
                <div className="muted">{r.subject}</div>
              </td>
              <td className={reminderText(r, t).muted ? 'muted' : undefined} data-call-back={r.callBack ? 'true' : undefined}>
                {reminderText(r, t).text}
              </td>
              {canDelete ? (
                <td>
                  <ReminderDeleteButton reminder={r} onDelete={() => void remove(r)} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <>
      <div className="page-head">
        <h1 id="reminders-page-title" tabIndex={-1}>
          {t('reminders.pageTitle')}
        </h1>
        <p className="lead">{t('reminders.pageIntro')}</p>
      </div>
      {error ? <Notice kind="error">{describeError(error, t)}</Notice> : null}
      {said ? (
        <Notice kind="success" testId="reminders-feedback">
          {said}
        </Notice>
      ) : null}
      {!data && !error ? <p className="loading">{t('common.loading')}</p> : null}
      {data ? (
        <>
          {data.items.length ? (
            table(data.items, 'reminders-waiting', true)
          ) : (
            <p className="empty card" data-testid="reminders-empty">
              {t('reminders.pageEmpty')}
            </p>
          )}
          {data.recent.length ? (
            <section aria-labelledby="reminders-told-title">
              <h2 id="reminders-told-title">{t('reminders.told')}</h2>
              {table(data.recent, 'reminders-told', false)}
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
