import { useEffect, useState } from 'react';
import { api } from '../api';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { Notice } from './forms';

interface Followers {
  following: boolean;
  followers: { id: string; name: string }[];
}

/**
 * Theo dõi — beside a complaint's title: who follows it, and a button to follow it (or stop), so as to be told in the
 * app of what its customer does and of its status changes. Staff who work complaints only (`canFollow`).
 */
export function FollowButton({ code, canFollow }: { code: string; canFollow: boolean }) {
  const { t } = useI18n();
  const [data, setData] = useState<Followers | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<Followers>(`/api/v1/complaints/${encodeURIComponent(code)}/followers`, { signal: controller.signal })
      .then(setData)
      .catch(() => undefined);
    return () => controller.abort();
  }, [code]);

  async function toggle() {
    if (!data || busy) return;
    setBusy(true);
    setError(null);
    try {
      const path = `/api/v1/complaints/${encodeURIComponent(code)}/follow`;
      setData(data.following ? await api.delete<Followers>(path) : await api.put<Followers>(path));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (!data) return null;
  const others = data.followers.length;
  return (
    <div className="follow" data-testid="follow">
      {canFollow ? (
        <button
          type="button"
          className={data.following ? 'btn btn-secondary btn-small follow-on' : 'btn btn-ghost btn-small'}
          // One name for the toggle, its state said by aria-pressed (a screen reader would otherwise hear it twice); the
          // visible word stays the same and is in the name, so that "click Theo dõi" by voice finds it (WCAG 2.5.3).
          aria-label={t('follow.toggle')}
          aria-pressed={data.following}
          onClick={() => void toggle()}
          disabled={busy}
          data-testid="follow-toggle"
        >
          {`${data.following ? '★' : '☆'} ${t('follow.follow')}`}
        </button>
      ) : null}
      {others ? (
        <span className="muted follow-names" data-testid="follow-names">
          {t('follow.names', { names: data.followers.map((f) => f.name).join(', ') })}
        </span>
      ) : null}
      {error ? <Notice kind="error">{describeError(error, t)}</Notice> : null}
    </div>
  );
}
