import { useCallback, useEffect, useRef, useState } from 'react';
import { api, isAbort } from '../api';
import { describeError } from '../errors';
import type { RootCause } from '../followup-types';
import { useI18n } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import type { Role } from '../types';
import { Notice } from './forms';
import '../followup.css';

/** The signed-in staff member's role (undefined while loading). */
export function useRole(): Role | undefined {
  return useSession().session?.user.role;
}

export type Loaded<T> = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'done'; value: T };

/** GETs one API path (again when `attempt` changes); aborted when the component goes away. */
export function useApiGet<T>(path: string | null, attempt = 0): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api
      .get<T>(path, { signal: controller.signal })
      .then((value) => setLoaded({ state: 'done', value }))
      .catch((error: unknown) => {
        if (!isAbort(error)) setLoaded({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [path, attempt]);
  return loaded;
}

/**
 * GETs one API path and keeps its answer; `reload` asks again (after a change the user made) and keeps what is shown
 * until the new answer comes, so that a list being worked on does not blink to "loading". Loaded once per path (a page
 * whose every load is written to the access log must not load again for a re-render).
 */
export function useApiData<T>(path: string): {
  value: T | null;
  error: unknown;
  reload: () => Promise<void>;
  /** Puts what a change answered in place of what was loaded (no second request). */
  set: (update: T | ((current: T | null) => T | null)) => void;
} {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(
    (signal?: AbortSignal) =>
      api
        .get<T>(path, { signal })
        .then((v) => {
          setValue(v);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) setError(err);
        }),
    [path],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);
  return { value, error, reload: load, set: setValue };
}

/** A failed load, said plainly, with a retry button. */
export function LoadFailed({ error, onRetry, testId }: { error: unknown; onRetry: () => void; testId?: string }) {
  const { t } = useI18n();
  return (
    <Notice kind="error" testId={testId}>
      {describeError(error, t)}{' '}
      <button type="button" className="btn btn-secondary btn-small" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </Notice>
  );
}

/** A root cause's name in the interface language (English when it has one). */
export function useRootCauseName(): (rc: { name: string; nameEn?: string | null } | null | undefined) => string {
  const { lang } = useI18n();
  return (rc) => (!rc ? '—' : lang === 'en' && rc.nameEn ? rc.nameEn : rc.name);
}

/** The root-cause taxonomy, loaded once per page (empty while loading or when refused). */
export function useRootCauses(activeOnly = false): RootCause[] {
  const loaded = useApiGet<{ items: RootCause[] }>(activeOnly ? '/api/v1/root-causes?active=true' : '/api/v1/root-causes');
  return loaded.state === 'done' ? loaded.value.items : [];
}

const ADMIN_PAGES = [
  { to: '/staff/admin/users', key: 'adminTabs.users', testId: 'admin-tab-users' },
  { to: '/staff/admin/categories', key: 'adminTabs.categories', testId: 'admin-tab-categories' },
  { to: '/staff/admin/reply-templates', key: 'adminTabs.replyTemplates', testId: 'admin-tab-reply-templates' },
  { to: '/staff/admin/routing', key: 'routing.nav', testId: 'admin-tab-routing' },
  { to: '/staff/admin/calendar', key: 'adminTabs.calendar', testId: 'admin-tab-calendar' },
  { to: '/staff/admin/workflow', key: 'adminTabs.workflow', testId: 'admin-tab-workflow' },
  { to: '/staff/admin/root-causes', key: 'adminTabs.rootCauses', testId: 'admin-tab-root-causes' },
  { to: '/staff/admin/authorities', key: 'adminTabs.authorities', testId: 'admin-tab-authorities' },
  { to: '/staff/admin/backups', key: 'adminTabs.backups', testId: 'admin-tab-backups' },
] as const;

/** The admin pages side by side, so that each is one click from the others. */
export function AdminTabs() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  return (
    <nav className="fu-admin-tabs" aria-label={t('adminTabs.label')}>
      {ADMIN_PAGES.map((p) => (
        <Link key={p.to} to={p.to} className="fu-admin-tab" aria-current={pathname === p.to ? 'page' : undefined} data-testid={p.testId}>
          {t(p.key)}
        </Link>
      ))}
    </nav>
  );
}

/** Says who may open a page the signed-in role may not. */
export function NotAllowed({ message, testId }: { message: string; testId?: string }) {
  return (
    <Notice kind="info" testId={testId}>
      {message}
    </Notice>
  );
}

function FollowupNavLink({ to, testId, children }: { to: string; testId: string; children: string }) {
  const { pathname } = useLocation();
  return (
    <Link to={to} className="nav-link" aria-current={pathname === to ? 'page' : undefined} data-testid={testId}>
      {children}
    </Link>
  );
}

const ADMIN_MENU = [
  { to: '/staff/admin/users', key: 'navStaff.users', testId: 'nav-admin-users' },
  { to: '/staff/admin/categories', key: 'navStaff.categories', testId: 'nav-admin-categories' },
  { to: '/staff/admin/reply-templates', key: 'navReplyTemplates.link', testId: 'nav-admin-reply-templates' },
  { to: '/staff/admin/routing', key: 'routing.nav', testId: 'nav-admin-routing' },
  { to: '/staff/admin/workflow', key: 'navFollowup.workflow', testId: 'nav-admin-workflow' },
  { to: '/staff/admin/root-causes', key: 'navFollowup.rootCauses', testId: 'nav-admin-root-causes' },
  { to: '/staff/admin/authorities', key: 'navFollowup.authorities', testId: 'nav-admin-authorities' },
  { to: '/staff/admin/backups', key: 'navFollowup.backups', testId: 'nav-admin-backups' },
  { to: '/staff/yeu-cau-du-lieu', key: 'nav.dataRequests', testId: 'nav-data-requests' },
  { to: '/staff/su-co-du-lieu', key: 'nav.dataBreaches', testId: 'nav-data-breaches' },
] as const;

/**
 * Step 5's entries of the console menu: reports (supervisors, admins, auditors), corrective actions
 * (every reader role), the reply templates (supervisors) and, for admins, a small "Quản trị" menu with the
 * policy and the lists.
 */
export function FollowupNavLinks({ role }: { role: Role }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const menu = useRef<HTMLDetailsElement>(null);
  const inAdmin = ADMIN_MENU.some((p) => p.to === pathname);
  return (
    <>
      {role === 'supervisor' || role === 'admin' || role === 'auditor' ? (
        <FollowupNavLink to="/staff/reports" testId="nav-reports">
          {t('navFollowup.reports')}
        </FollowupNavLink>
      ) : null}
      {role !== 'department' ? (
        <FollowupNavLink to="/staff/corrective-actions" testId="nav-corrective-actions">
          {t('navFollowup.actions')}
        </FollowupNavLink>
      ) : null}
      {/* Admins find the reply templates in their "Quản trị" menu; supervisors, who have none, here. */}
      {role === 'supervisor' ? (
        <>
          <FollowupNavLink to="/staff/admin/reply-templates" testId="nav-reply-templates">
            {t('navReplyTemplates.link')}
          </FollowupNavLink>
          <FollowupNavLink to="/staff/admin/routing" testId="nav-routing">
            {t('routing.nav')}
          </FollowupNavLink>
        </>
      ) : null}
      {role === 'admin' ? (
        <details className="fu-nav-menu" ref={menu} data-testid="nav-admin-menu">
          <summary className="nav-link" aria-current={inAdmin ? 'page' : undefined} data-testid="nav-admin-menu-toggle">
            {t('navFollowup.admin')}
          </summary>
          <div className="fu-nav-menu-list">
            {ADMIN_MENU.map((p) => (
              <Link
                key={p.to}
                to={p.to}
                className="nav-link"
                aria-current={pathname === p.to ? 'page' : undefined}
                onClick={() => menu.current?.removeAttribute('open')}
                data-testid={p.testId}
              >
                {t(p.key)}
              </Link>
            ))}
          </div>
        </details>
      ) : null}
    </>
  );
}
