import { useEffect, useState } from 'react';
import { api } from '../api';
import { Notice } from '../components/forms';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

interface BackupItem {
  name: string;
  createdAt: string;
  databaseBytes: number;
  files: number;
  fileBytes: number;
  /** The S3-compatible bucket evidence files are kept in, which the backup does not hold; older servers sent none. */
  filesElsewhere?: string | null;
}

interface Backups {
  embedded: boolean;
  schedule: { enabled: boolean; hour: number; keep: number };
  /** No backup since last night's slot (half an hour past). */
  overdue: boolean;
  lastFailure: { at: string; message: string } | null;
  backups: BackupItem[];
}

const mb = (bytes: number) => (bytes / 1e6).toLocaleString('vi-VN', { maximumFractionDigits: 1 });

/** Sao lưu dữ liệu — the embedded database's nightly backups, and "back up now" (admins). */
export function AdminBackupsPage() {
  return (
    <StaffLayout>
      <BackupsView />
    </StaffLayout>
  );
}

function BackupsView() {
  const { t } = useI18n();
  useTitle(t('backups.title'));
  const role = useRole();
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<Backups>(role === 'admin' ? '/api/v1/admin/backups' : null, attempt);
  const [data, setData] = useState<Backups | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  useEffect(() => {
    if (loaded.state === 'done') setData(loaded.value);
  }, [loaded]);

  if (role && role !== 'admin') return <NotAllowed message={t('admin.adminsOnly')} testId="backups-forbidden" />;

  async function backUpNow() {
    if (busy) return;
    setBusy(true);
    setNotice(null);
    try {
      const made = await api.post<BackupItem>('/api/v1/admin/backups');
      setData((d) => (d ? { ...d, overdue: false, lastFailure: null, backups: [made, ...d.backups].slice(0, d.schedule.keep) } : d));
      setNotice({ kind: 'success', text: t('backups.made', { name: made.name }) });
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="backups-page">
      <AdminTabs />
      <div className="page-head">
        <h1>{t('backups.title')}</h1>
        <p className="lead">{t('backups.intro')}</p>
      </div>
      {loaded.state === 'loading' && !data ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {data && !data.embedded ? (
        <Notice kind="info" testId="backups-server">
          {t('backups.server')}
        </Notice>
      ) : null}
      {data?.embedded ? (
        <>
          <p data-testid="backups-schedule">
            {data.schedule.enabled ? t('backups.schedule', { hour: String(data.schedule.hour).padStart(2, '0'), keep: String(data.schedule.keep) }) : t('backups.off')}
          </p>
          {data.lastFailure ? (
            <Notice kind="error" testId="backups-failed">
              {t('backups.failed', { at: formatDateTime(data.lastFailure.at), message: data.lastFailure.message })}
            </Notice>
          ) : data.overdue ? (
            <Notice kind="error" testId="backups-overdue">
              {data.backups.length ? t('backups.overdue', { at: formatDateTime(data.backups[0].createdAt) }) : t('backups.neverMade')}
            </Notice>
          ) : null}
          <p className="muted">{t('backups.copyElsewhere')}</p>
          <p>
            <button type="button" className="btn btn-primary" onClick={() => void backUpNow()} disabled={busy} aria-busy={busy} data-testid="backup-now">
              {busy ? t('backups.working') : t('backups.now')}
            </button>
          </p>
          <div aria-live="polite">
            {notice ? (
              <Notice kind={notice.kind} testId="backup-notice">
                {notice.text}
              </Notice>
            ) : null}
          </div>
          {data.backups.length ? (
            <div className="table-wrap card">
              <table className="queue" data-testid="backup-list">
                <caption className="visually-hidden">{t('backups.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('backups.made.at')}</th>
                    <th scope="col">{t('backups.folder')}</th>
                    <th scope="col">{t('backups.database')}</th>
                    <th scope="col">{t('backups.files')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.backups.map((b) => (
                    <tr key={b.name}>
                      <td>{formatDateTime(b.createdAt)}</td>
                      <td>
                        <code>backups/{b.name}</code>
                      </td>
                      <td>{t('backups.mb', { mb: mb(b.databaseBytes) })}</td>
                      <td>
                        {t('backups.fileCount', { n: String(b.files), mb: mb(b.fileBytes) })}
                        {b.filesElsewhere ? (
                          <div className="muted" data-testid="backup-files-elsewhere">
                            {t('backups.filesElsewhere', { where: b.filesElsewhere })}
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted" data-testid="backups-none">{t('backups.none')}</p>
          )}
        </>
      ) : null}
    </div>
  );
}
