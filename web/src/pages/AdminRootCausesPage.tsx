import { useEffect, useState } from 'react';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { AddNamedItem, LiveNotice, NamedTable, upsertNamed, useToggleActive, type NamedListSpec, type PageNotice } from '../components/named-list';
import type { RootCause } from '../followup-types';
import { useI18n } from '../i18n';
import type { ListOf } from '../types';

/** Nguyên nhân gốc — the taxonomy agents pick from when resolving: add, rename (vi/en), retire. */
export function AdminRootCausesPage() {
  return (
    <StaffLayout>
      <RootCauses />
    </StaffLayout>
  );
}

const ROOT_CAUSES: NamedListSpec = { path: '/api/v1/root-causes', keys: 'rootCauses', idPrefix: 'rc', testIdPrefix: 'root-cause' };

function RootCauses() {
  const { t } = useI18n();
  useTitle(t('rootCauses.title'));
  const role = useRole();
  const canRead = role === 'agent' || role === 'supervisor' || role === 'admin' || role === 'auditor';
  const canManage = role === 'admin';
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<ListOf<RootCause>>(canRead ? ROOT_CAUSES.path : null, attempt);
  const [items, setItems] = useState<RootCause[] | null>(null);
  const [notice, setNotice] = useState<PageNotice>(null);

  useEffect(() => {
    if (loaded.state === 'done') setItems(loaded.value.items);
  }, [loaded]);

  const replace = (next: RootCause) => setItems((prev) => upsertNamed(prev, next));
  const toggle = useToggleActive<RootCause>(ROOT_CAUSES.path, ROOT_CAUSES.keys, replace, setNotice);

  if (role && !canRead) return <NotAllowed message={t('admin.adminsOnly')} testId="root-causes-forbidden" />;

  return (
    <div data-testid="root-causes-page">
      {canManage ? <AdminTabs /> : null}
      <div className="page-head">
        <h1>{t('rootCauses.title')}</h1>
        <p className="lead">{t('rootCauses.intro')}</p>
      </div>
      {!canManage ? <p className="muted">{t('rootCauses.readOnly')}</p> : null}
      {canManage ? (
        <AddNamedItem<RootCause>
          spec={ROOT_CAUSES}
          slug={{ hint: t('rootCauses.slugHint') }}
          onAdded={(rc) => {
            replace(rc);
            setNotice({ kind: 'success', text: t('rootCauses.added', { name: rc.name }) });
          }}
        />
      ) : null}
      <LiveNotice notice={notice} testId="root-cause-notice" />
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {items ? <NamedTable<RootCause> spec={ROOT_CAUSES} items={items} canManage={canManage} onSaved={replace} onToggle={(rc) => void toggle(rc)} /> : null}
    </div>
  );
}
