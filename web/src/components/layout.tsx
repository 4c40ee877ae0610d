import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { ShortcutsHelp } from './shortcuts-help';
import { clearNotifications, refreshNotifications, useNotifications } from '../notifications';
import { FollowupNavLinks } from './followup-common';
import { Link, useLocation } from '../router';
import { useEnsureSession, useSession } from '../session';

/** Sets the tab title, "Page · Sen". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Sen` : 'Sen';
  }, [title]);
}

/** The lotus mark ("sen" is the lotus). */
export function Logo() {
  return (
    <svg className="logo-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <g fill="currentColor">
        <path d="M16 4c3 4 4 8 0 16-4-8-3-12 0-16z" />
        <path d="M5 11c5 0 8 3 11 9-6 0-10-3-11-9z" opacity=".8" />
        <path d="M27 11c-5 0-8 3-11 9 6 0 10-3 11-9z" opacity=".8" />
      </g>
      <path d="M4 23c4 3 20 3 24 0" stroke="currentColor" strokeWidth="2.5" fill="none" strokeLinecap="round" />
    </svg>
  );
}

export function LangSwitch() {
  const { lang, t } = useI18n();
  const { chooseLanguage } = useSession();
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <button
      type="button"
      className="btn btn-ghost lang-switch"
      // Signed in, the choice is kept as the account's (best effort here; the account page says when it fails).
      onClick={() => void chooseLanguage(other).catch(() => undefined)}
      // The visible word is the accessible name (what a voice-control user says); the hint is the tooltip.
      title={t('lang.switchLabel')}
      data-testid="lang-switch"
    >
      <span lang={other}>{t('lang.switch')}</span>
    </button>
  );
}

// After an in-app navigation, move focus to the page so screen readers start at its heading.
// Pages mount their own layout, so "first page of the visit" is tracked for the whole module.
let firstPage = true;

function useFocusOnNavigate() {
  const { pathname } = useLocation();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    ref.current?.focus({ preventScroll: true });
  }, [pathname]);
  return ref;
}

function SkipLink() {
  const { t } = useI18n();
  return (
    <a className="skip-link" href="#main">
      {t('nav.skip')}
    </a>
  );
}

function NavLink({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  const { pathname } = useLocation();
  const current = pathname === to || (to !== '/' && to !== '/staff' && pathname.startsWith(to));
  return (
    <Link to={to} className="nav-link" aria-current={current ? 'page' : undefined} data-testid={testId}>
      {children}
    </Link>
  );
}

const NOTIFICATION_POLL_MS = 60_000;

/** The bell: unread SLA reminders and breaches, refreshed every minute and on every navigation. */
function NotificationsBell() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const { unread } = useNotifications();

  useEffect(() => {
    void refreshNotifications();
  }, [pathname]);

  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') void refreshNotifications();
    }, NOTIFICATION_POLL_MS);
    // Back on the tab after a while: catch up at once instead of waiting for the next tick.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refreshNotifications();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  const current = pathname === '/staff/notifications';
  return (
    <Link
      to="/staff/notifications"
      className={unread > 0 ? 'nav-link bell bell-unread' : 'nav-link bell'}
      aria-current={current ? 'page' : undefined}
      aria-label={unread > 0 ? t('nav.notificationsUnread', { count: unread }) : t('nav.notifications')}
      data-testid="notifications-bell"
      data-unread={unread}
    >
      <svg className="bell-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          d="M12 3a6 6 0 0 0-6 6v3.6l-1.7 2.9A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6zm0 18a2.5 2.5 0 0 0 2.4-2h-4.8a2.5 2.5 0 0 0 2.4 2z"
          fill="currentColor"
        />
      </svg>
      <span className="bell-text">{t('nav.notifications')}</span>
      <span className="bell-count" data-testid="notifications-count" data-count={unread} hidden={unread === 0}>
        {unread > 99 ? '99+' : unread}
      </span>
    </Link>
  );
}

/**
 * Customer portal frame: brand, the two public pages, language switch. `minimal` leaves out the
 * customer pages (an outside party answering a consultation is not a customer).
 */
export function PortalLayout({ children, minimal = false }: { children: ReactNode; minimal?: boolean }) {
  const { t } = useI18n();
  const mainRef = useFocusOnNavigate();
  return (
    <div className="app app-portal">
      <SkipLink />
      <header className="topbar">
        <div className="topbar-inner">
          {minimal ? (
            <span className="brand">
              <Logo />
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-tagline">{t('app.tagline')}</span>
            </span>
          ) : (
            <Link to="/" className="brand">
              <Logo />
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-tagline">{t('app.tagline')}</span>
            </Link>
          )}
          <nav aria-label={t('nav.primary')} className="topnav">
            {minimal ? null : (
              <>
                <NavLink to="/khieu-nai" testId="nav-form">
                  {t('nav.portalForm')}
                </NavLink>
                <NavLink to="/tra-cuu" testId="nav-lookup">
                  {t('nav.portalLookup')}
                </NavLink>
              </>
            )}
            <LangSwitch />
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={mainRef} className="main main-narrow">
        {children}
      </main>
      <footer className="footer">{t('app.footer')}</footer>
    </div>
  );
}

/** Staff console frame; loads the session first and sends signed-out users to the login page. */
export function StaffLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const session = useEnsureSession();
  const { signOut } = useSession();
  const mainRef = useFocusOnNavigate();
  // Agents, supervisors and admins take calls, walk-ins and set-aside mail; auditors only read.
  const role = session?.user.role;
  const canTakeComplaints = role === 'agent' || role === 'supervisor' || role === 'admin';
  // A department member only answers the consultations addressed to their team: that is all they see.
  const department = role === 'department';
  const home = department ? '/staff/consultations' : '/staff';
  // On a phone the links fold behind a "Menu" button; any navigation folds them again.
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setMenuOpen(false), [pathname]);

  return (
    <div className="app app-staff">
      <SkipLink />
      <header className="topbar topbar-staff">
        <div className="topbar-inner topbar-wide">
          <Link to={home} className="brand">
            <Logo />
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-tagline">{t('app.staffConsole')}</span>
          </Link>
          <button
            type="button"
            className="btn btn-ghost menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="staff-nav"
            onClick={() => setMenuOpen((o) => !o)}
            data-testid="menu-toggle"
          >
            {t('nav.menu')}
          </button>
          <nav id="staff-nav" aria-label={t('nav.primary')} className={menuOpen ? 'topnav topnav-staff topnav-open' : 'topnav topnav-staff'}>
            <div className="topnav-links">
              {department ? null : (
                <NavLink to="/staff" testId="nav-queue">
                  {t('nav.queue')}
                </NavLink>
              )}
              <NavLink to="/staff/consultations" testId="nav-consultations">
                {t('nav.consultations')}
              </NavLink>
              {canTakeComplaints ? (
                <>
                  <NavLink to="/staff/hotline" testId="nav-hotline">
                    {t('nav.hotline')}
                  </NavLink>
                  <NavLink to="/staff/office" testId="nav-office">
                    {t('nav.office')}
                  </NavLink>
                  <NavLink to="/staff/inbound-rejects" testId="nav-inbound-rejects">
                    {t('nav.inboundRejects')}
                  </NavLink>
                </>
              ) : null}
              {session && !department ? <NotificationsBell /> : null}
              {canTakeComplaints ? (
                <NavLink to="/staff/nhac-hen" testId="nav-reminders">
                  {t('nav.reminders')}
                </NavLink>
              ) : null}
              {session?.user.role === 'admin' ? (
                <NavLink to="/staff/admin/calendar" testId="nav-admin-calendar">
                  {t('nav.adminCalendar')}
                </NavLink>
              ) : null}
              {role ? <FollowupNavLinks role={role} /> : null}
              {/* Admins find them in their "Quản trị" menu; auditors, who have none, read them here. */}
              {role === 'auditor' ? (
                <>
                  <NavLink to="/staff/yeu-cau-du-lieu" testId="nav-data-requests">
                    {t('nav.dataRequests')}
                  </NavLink>
                  <NavLink to="/staff/su-co-du-lieu" testId="nav-data-breaches">
                    {t('nav.dataBreaches')}
                  </NavLink>
                </>
              ) : null}
            </div>
            <div className="topnav-account">
              {!department ? (
                <Link to="/staff/new" className="btn btn-primary btn-small" data-testid="new-complaint">
                  + {t('nav.newComplaint')}
                </Link>
              ) : null}
              {session ? (
                // The signed-in name opens "Tài khoản của tôi" (own password, API tokens).
                <Link
                  to="/staff/account"
                  className="user-chip user-chip-link"
                  title={`${t('nav.account')} — ${session.user.email || t('role.department')}`}
                  aria-current={pathname === '/staff/account' ? 'page' : undefined}
                  data-testid="current-user"
                >
                  <span className="visually-hidden">{t('nav.signedInAs')} </span>
                  {session.user.name || t('role.department')}
                </Link>
              ) : null}
              <LangSwitch />
              <button type="button" className="btn btn-ghost" onClick={() => void signOut().then(clearNotifications)} data-testid="logout">
                {t('nav.logout')}
              </button>
            </div>
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={mainRef} className="main main-wide">
        {session ? children : <p className="loading">{t('common.loading')}</p>}
      </main>
      {session && !department ? <ShortcutsHelp /> : null}
    </div>
  );
}

/** Plain centred frame for the login page. */
export function BareLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const mainRef = useFocusOnNavigate();
  return (
    <div className="app app-bare">
      <header className="bare-header">
        <Link to="/" className="brand brand-dark">
          <Logo />
          <span className="brand-name">{t('app.name')}</span>
        </Link>
        <LangSwitch />
      </header>
      <main id="main" tabIndex={-1} ref={mainRef} className="main main-login">
        {children}
      </main>
    </div>
  );
}
