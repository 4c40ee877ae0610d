import { useState } from 'react';
import { DateTime } from '../components/badges';
import { useClockName } from '../components/clocks';
import { Notice } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import { ReminderSnooze } from '../components/reminders';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { markAllNotificationsRead, markNotificationRead, useNotifications } from '../notifications';
import { Link } from '../router';
import type { StaffNotification } from '../types';

/** Thông báo — the signed-in staff member's SLA reminders and breaches, newest first. */
export function NotificationsPage() {
  return (
    <StaffLayout>
      <Notifications />
    </StaffLayout>
  );
}

function Notifications() {
  const { t } = useI18n();
  useTitle(t('notifications.title'));
  const { items, unread, loaded, error } = useNotifications();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  async function run(action: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className="page-head page-head-row">
        <div>
          <h1>{t('notifications.title')}</h1>
          <p className="lead">{t('notifications.intro')}</p>
        </div>
        {unread > 0 ? (
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => void run(markAllNotificationsRead)}
            disabled={busy}
            data-testid="notifications-read-all"
          >
            {t('notifications.markAllRead')}
          </button>
        ) : null}
      </div>
      <p className="muted" role="status" data-testid="notifications-unread">
        {loaded ? t('notifications.unreadCount', { count: unread }) : ''}
      </p>
      {error && !items.length ? <Notice kind="error">{describeError(error, t)}</Notice> : null}
      {actionError ? <Notice kind="error">{describeError(actionError, t)}</Notice> : null}
      {!loaded ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded && items.length === 0 && !error ? (
        <p className="empty card" data-testid="notifications-empty">
          {t('notifications.empty')}
        </p>
      ) : null}
      {items.length ? (
        <ul className="notifications card" data-testid="notifications-list">
          {items.map((n) => (
            <NotificationItem key={n.id} notification={n} busy={busy} onRead={() => void run(() => markNotificationRead(n.id))} />
          ))}
        </ul>
      ) : null}
    </>
  );
}

function NotificationItem({ notification: n, busy, onRead }: { notification: StaffNotification; busy: boolean; onRead: () => void }) {
  const { t, label } = useI18n();
  const clockName = useClockName();
  const code = n.complaintCode ?? n.payload.code ?? null;
  const params = {
    clock: clockName(n.payload.clock),
    percent: n.payload.percent ?? '?',
    due: formatDateTime(n.payload.dueAt),
  };
  const due = formatDateTime(n.payload.dueAt);
  const text =
    n.kind === 'sla.breached'
      ? t('notifications.breached', params)
      : n.kind === 'info_request.expired'
        ? t('notifications.infoExpired', { due })
        : n.kind === 'consultation.requested'
          ? t('notifications.consultRequested', { due })
          : n.kind === 'consultation.answered'
            ? t('notifications.consultAnswered')
            : n.kind === 'consultation.overdue'
              ? t('notifications.consultOverdue', { target: n.payload.target ?? '—', due })
              : n.kind === 'backup.failed'
                ? t('notifications.backupFailed', { at: formatDateTime(n.payload.at), message: n.payload.message ?? '—' })
                : n.kind === 'files.delete_failed'
                  ? t('notifications.filesDeleteFailed', { count: n.payload.count ?? '?', message: n.payload.message || '—' })
                : n.kind === 'data_request.reply_overdue'
                  ? t('notifications.dataRequestReplyOverdue', { ref: n.payload.ref ?? '—', due })
                  : n.kind === 'data_request.overdue'
                    ? t('notifications.dataRequestOverdue', { ref: n.payload.ref ?? '—', due })
                    : n.kind === 'data_breach.recorded'
                      ? t('notifications.dataBreachRecorded', { ref: n.payload.ref ?? '—', due })
                      : n.kind === 'data_breach.notice_overdue'
                        ? t('notifications.dataBreachNoticeOverdue', { ref: n.payload.ref ?? '—', due })
                        : n.kind === 'note.mentioned'
                          ? t('notifications.noteMentioned', { by: n.payload.by || '—' })
                          : n.kind.startsWith('complaint.')
                            ? watchText(n, t, label)
                            : n.kind === 'reminder.due'
                            ? n.payload.callBack
                              ? t('callBack.due', { at: formatDateTime(n.payload.at) })
                              : n.payload.note
                              ? t('notifications.reminderDue', { at: formatDateTime(n.payload.at), note: n.payload.note })
                              : t('notifications.reminderDueNoNote', { at: formatDateTime(n.payload.at) })
                            : t('notifications.reminder', params);
  const dataRequest = n.kind === 'data_request.reply_overdue' || n.kind === 'data_request.overdue';
  // A breach must reach the authority (A05) within 72 hours: both of its notices are urgent.
  const dataBreach = n.kind === 'data_breach.recorded' || n.kind === 'data_breach.notice_overdue';
  const urgent =
    n.kind === 'sla.breached' ||
    n.kind === 'info_request.expired' ||
    n.kind === 'consultation.overdue' ||
    n.kind === 'backup.failed' ||
    n.kind === 'files.delete_failed' ||
    dataRequest ||
    dataBreach ||
    n.kind === 'complaint.low_rating';
  const kindKey = `notifications.kind.${n.kind}` as MessageKey;
  const kindText = t(kindKey) === kindKey ? t('notifications.kind.sla.reminder') : t(kindKey);
  // A consultation addressed to a department opens in the inbox, where it is answered.
  const consultationLink = n.kind === 'consultation.requested' && n.payload.consultationId ? `/staff/consultations/${encodeURIComponent(n.payload.consultationId)}` : null;
  // Notices about no complaint open the page where they are dealt with.
  const pageLink: { to: string; label: MessageKey } | null =
    n.kind === 'backup.failed'
      ? { to: '/staff/admin/backups', label: 'notifications.openBackups' }
      : dataRequest
        ? { to: '/staff/yeu-cau-du-lieu', label: 'notifications.openDataRequests' }
        : dataBreach
          ? { to: '/staff/su-co-du-lieu', label: 'notifications.openDataBreaches' }
          : null;
  const unread = !n.readAt;
  return (
    <li
      className={`notification notification-${urgent ? 'breached' : 'reminder'}${unread ? ' notification-unread' : ''}`}
      data-testid="notification"
      data-id={n.id}
      data-kind={n.kind}
      data-read={unread ? 'false' : 'true'}
      data-code={code ?? ''}
    >
      <div className="notification-main">
        <p className="notification-title">
          {unread ? <span className="badge notification-new">{t('notifications.new')}</span> : null}{' '}
          <span className="notification-kind">{kindText}</span>
          {consultationLink ? (
            <>
              {' · '}
              <Link
                to={consultationLink}
                onClick={() => {
                  if (unread) void markNotificationRead(n.id).catch(() => undefined);
                }}
                data-testid="notification-link"
              >
                {code ?? t('notifications.openConsultation')}
              </Link>
            </>
          ) : pageLink ? (
            <>
              {' · '}
              <Link
                to={pageLink.to}
                onClick={() => {
                  if (unread) void markNotificationRead(n.id).catch(() => undefined);
                }}
                data-testid="notification-link"
              >
                {t(pageLink.label)}
              </Link>
            </>
          ) : code ? (
            <>
              {' · '}
              <Link
                // A mention opens at the note it is in, news of the complaint at its event.
                to={`/staff/complaints/${encodeURIComponent(code)}${n.payload.seq && n.kind !== 'complaint.assigned' ? `#event-${n.payload.seq}` : ''}`}
                onClick={() => {
                  if (unread) void markNotificationRead(n.id).catch(() => undefined);
                }}
                data-testid="notification-link"
              >
                {code}
              </Link>
            </>
          ) : null}
        </p>
        {n.payload.subject ? <p className="notification-subject">{n.payload.subject}</p> : null}
        <p className="notification-text">{text}</p>
        {n.kind === 'reminder.due' && n.payload.reminderId ? <ReminderSnooze reminderId={n.payload.reminderId} notificationId={n.id} /> : null}
        <p className="timeline-meta">
          <DateTime iso={n.createdAt} />
        </p>
      </div>
      {unread ? (
        <button type="button" className="btn btn-ghost btn-small" onClick={onRead} disabled={busy} data-testid="notification-read">
          {t('notifications.markRead')}
        </button>
      ) : null}
    </li>
  );
}

/** Theo dõi: what happened on a complaint its assignee or follower is told of (domain/watch.ts). */
function watchText(n: StaffNotification, t: I18n['t'], label: I18n['label']): string {
  const by = n.payload.by || t('notifications.system');
  const status = n.payload.status ? label('status', n.payload.status) : '—';
  if (n.kind === 'complaint.assigned') return t('notifications.assigned', { by });
  if (n.kind === 'complaint.low_rating') return t('notifications.lowRating', { rating: n.payload.rating ?? '?' });
  if (n.kind === 'complaint.status_changed') return t('notifications.statusChanged', { by, status });
  const key = `notifications.customer.${n.payload.event ?? 'message.received'}` as MessageKey;
  const text = t(key, { rating: n.payload.rating ?? '?', status });
  return text === key ? t('notifications.customer.message.received') : text;
}
