import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';

export type PresenceActivity = 'viewing' | 'replying';

export interface Viewer {
  id: string;
  name: string;
  activity: PresenceActivity;
  seenAt: string;
}

/**
 * Ai đang xem — while a complaint page is open, says so every few seconds (as often as the server asks) and
 * learns who else has it open and who is writing to the customer; says at once when the activity changes,
 * and that it left when the page closes. Best effort: a failed heartbeat only leaves the list as it was.
 */
export function usePresence(code: string, activity: PresenceActivity, enabled: boolean): Viewer[] {
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const activityRef = useRef(activity);
  const beatNow = useRef<() => void>(() => undefined);
  activityRef.current = activity;

  useEffect(() => {
    if (!enabled) return;
    const path = `/api/v1/complaints/${encodeURIComponent(code)}/presence`;
    let stopped = false;
    // The page is hidden away (closed, navigated from, or kept in the back/forward cache): no beats until it shows again.
    let away = false;
    let timer: number | undefined;
    let pollMs = 15_000;
    const beat = async () => {
      window.clearTimeout(timer);
      if (away) return;
      try {
        const r = await api.put<{ viewers: Viewer[]; pollAfterMs: number }>(path, { activity: activityRef.current });
        if (stopped) return;
        setViewers(r.viewers);
        pollMs = r.pollAfterMs;
      } catch {
        // A lost heartbeat: the next one may get through; colleagues keep seeing this one for a while.
      }
      if (!stopped && !away) timer = window.setTimeout(() => void beat(), pollMs);
    };
    // The tab closed or the browser went elsewhere: React unmounts nothing then, and an ordinary request is cancelled
    // with the page, so colleagues would keep seeing this one until the heartbeats ran out (three of them). A keepalive
    // request outlives the page. (sendBeacon cannot say DELETE, nor carry the CSRF header.)
    const onPageHide = () => {
      away = true;
      window.clearTimeout(timer);
      void api.delete<void>(path, { keepalive: true }).catch(() => undefined);
    };
    // Back from the back/forward cache (the Back button): the page is open again, so it says so at once.
    const onPageShow = (e: PageTransitionEvent) => {
      if (!e.persisted || stopped) return;
      away = false;
      void beat();
    };
    // A tab left in the background has its timers slowed (to once a minute after a while), so its beats may lapse
    // and colleagues stop seeing it; on coming back to it, say so and learn who is there without waiting.
    const onVisible = () => {
      if (document.visibilityState === 'visible' && !away && !stopped) void beat();
    };
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    document.addEventListener('visibilitychange', onVisible);
    beatNow.current = () => void beat();
    void beat();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
      document.removeEventListener('visibilitychange', onVisible);
      beatNow.current = () => undefined;
      void api.delete<void>(path).catch(() => undefined);
    };
  }, [code, enabled]);

  // Starting or stopping a reply is told at once, not at the next beat.
  useEffect(() => beatNow.current(), [activity]);

  return enabled ? viewers : [];
}

/** The banner: colleagues writing to the customer first (the collision), then those reading. */
export function PresenceNotice({ viewers }: { viewers: Viewer[] }) {
  const { t } = useI18n();
  if (!viewers.length) return null;
  const names = (activity: PresenceActivity) =>
    viewers
      .filter((v) => v.activity === activity)
      .map((v) => v.name)
      .join(', ');
  const replying = names('replying');
  const viewing = names('viewing');
  return (
    <div className={`notice ${replying ? 'notice-warning' : 'notice-info'} presence`} role="status" data-testid="presence">
      {replying ? <p data-testid="presence-replying">{t('presence.replying', { names: replying })}</p> : null}
      {viewing ? <p data-testid="presence-viewing">{t('presence.viewing', { names: viewing })}</p> : null}
    </div>
  );
}

/** In a queue row: who else has the complaint open, so that two agents do not pick up the same one. */
export function RowViewers({ viewers }: { viewers?: { name: string; activity: PresenceActivity }[] }) {
  const { t } = useI18n();
  if (!viewers?.length) return null;
  const replying = viewers.some((v) => v.activity === 'replying');
  const names = viewers.map((v) => v.name).join(', ');
  return (
    <span className={`row-viewers${replying ? ' row-viewers-replying' : ''}`} data-testid="queue-viewers">
      {t(replying ? 'presence.rowReplying' : 'presence.rowViewing', { names })}
    </span>
  );
}
