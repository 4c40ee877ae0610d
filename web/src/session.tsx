import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, isAbort, onUnauthorized, setCsrfToken } from './api';
import { useI18n } from './i18n';
import { navigate } from './router';
import type { Language, Session, StaffUser } from './types';

interface SessionContextValue {
  /** undefined while unknown, null when signed out. */
  session: Session | null | undefined;
  /** Starts (or refreshes) the session; the console then speaks the user's language. */
  signIn: (session: Session) => void;
  signOut: () => Promise<void>;
  /** Switches the console's language and, signed in, keeps it as the user's (PATCH /api/v1/auth/me). */
  chooseLanguage: (language: Language) => Promise<void>;
  /** Thư tóm tắt: whether unread news of their complaints is mailed to them (PATCH /api/v1/auth/me). */
  chooseMailDigest: (on: boolean) => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

// The signed-in user as the login answered, kept for this tab. The server's GET /api/v1/auth/me
// requires the `token.create` ability, which the `department` role lacks: for a department member it
// answers 403 although the session is valid, so every reload would lose who they are. The user kept
// at login stands in for it then (the server still decides every request by the session cookie).
const USER_KEY = 'sen.staffUser';

function rememberUser(user: StaffUser | null): void {
  try {
    if (user) window.sessionStorage.setItem(USER_KEY, JSON.stringify(user));
    else window.sessionStorage.removeItem(USER_KEY);
  } catch {
    // Private mode may refuse storage: a department member then shows as the role alone.
  }
}

function recalledUser(): StaffUser | null {
  try {
    const raw = window.sessionStorage.getItem(USER_KEY);
    const user = raw ? (JSON.parse(raw) as StaffUser) : null;
    return user && typeof user.role === 'string' ? user : null;
  } catch {
    return null;
  }
}

/** The session of a signed-in member whom /auth/me refuses (403): only the department role is. */
function departmentSession(): Session {
  const kept = recalledUser();
  return { user: kept?.role === 'department' ? kept : { id: '', email: '', name: '', role: 'department' }, csrfToken: null };
}

/** Where a 401 on a staff page sends the user, remembering the page to come back to. */
function loginPathFor(pathname: string, search: string): string {
  const next = pathname + search;
  return `/staff/login?next=${encodeURIComponent(next)}`;
}

/**
 * Only in-console paths are accepted as a post-login target (no open redirect). A department member's
 * home is the consultation inbox, and nothing else of the console is theirs to open.
 */
export function safeNext(next: string | null, role?: string): string {
  const inConsole = !!next && next.startsWith('/staff') && !next.startsWith('//') && !next.startsWith('/staff/login');
  if (role === 'department') return inConsole && next!.startsWith('/staff/consultations') ? next! : '/staff/consultations';
  return inConsole ? next! : '/staff';
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const { setLang } = useI18n();

  useEffect(() => {
    onUnauthorized(() => {
      setSession(null);
      rememberUser(null);
      const { pathname, search } = window.location;
      if (pathname.startsWith('/staff') && pathname !== '/staff/login') {
        navigate(loginPathFor(pathname, search), { replace: true });
      }
    });
    return () => onUnauthorized(null);
  }, []);

  const signIn = useCallback(
    (next: Session) => {
      setCsrfToken(next.csrfToken);
      setSession(next);
      if (next.user.id) rememberUser(next.user);
      // The account's language, not this browser's last one: a shared desk, or a customer's link opened here
      // (`?lang=en`), does not decide the language of the next colleague's console.
      if (next.user.language) setLang(next.user.language);
    },
    [setLang],
  );

  const chooseLanguage = useCallback(
    async (language: Language) => {
      setLang(language);
      if (!session?.user.id) return;
      const saved = await api.patch<Session>('/api/v1/auth/me', { language });
      setSession((current) => (current ? { ...current, user: { ...current.user, language: saved.user.language } } : current));
      rememberUser({ ...session.user, language: saved.user.language });
    },
    [session, setLang],
  );

  const chooseMailDigest = useCallback(
    async (on: boolean) => {
      if (!session?.user.id) return;
      const saved = await api.patch<Session>('/api/v1/auth/me', { mailDigest: on });
      setSession((current) => (current ? { ...current, user: { ...current.user, mailDigest: saved.user.mailDigest } } : current));
      rememberUser({ ...session.user, mailDigest: saved.user.mailDigest });
    },
    [session],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post<void>('/api/v1/auth/logout');
    } catch {
      // Signing out locally is what matters; the server session expires anyway.
    }
    setCsrfToken(null);
    setSession(null);
    rememberUser(null);
    navigate('/staff/login', { replace: true });
  }, []);

  const value = useMemo(
    () => ({ session, signIn, signOut, chooseLanguage, chooseMailDigest }),
    [session, signIn, signOut, chooseLanguage, chooseMailDigest],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Loads the signed-in user once for staff pages; a 401 sends the browser to the login page. */
export function useEnsureSession(): Session | null | undefined {
  const { session, signIn } = useSession();
  useEffect(() => {
    if (session === null) {
      // Signed out earlier in this visit (logout, expired session): straight to the login page.
      const { pathname, search } = window.location;
      if (pathname !== '/staff/login') navigate(loginPathFor(pathname, search), { replace: true });
      return;
    }
    if (session !== undefined) return;
    const controller = new AbortController();
    api
      .get<Session>('/api/v1/auth/me', { signal: controller.signal })
      .then(signIn)
      .catch((err: unknown) => {
        // A 401 is already handled by the unauthorized handler; anything else also means "sign in again".
        if (isAbort(err) || (err instanceof ApiError && err.status === 401)) return;
        if (err instanceof ApiError && err.status === 403) {
          signIn(departmentSession());
          return;
        }
        const { pathname, search } = window.location;
        navigate(loginPathFor(pathname, search), { replace: true });
      });
    return () => controller.abort();
  }, [session, signIn]);
  return session;
}
