import { useSyncExternalStore } from 'react';
import { api, ApiError } from './api';
import type { NotificationList, StaffNotification } from './types';

// The signed-in staff member's notifications (SLA reminders and breaches), shared by the bell in
// the top bar and the notifications page, so that marking one read updates both at once.

export interface NotificationsState {
  items: StaffNotification[];
  unread: number;
  /** False until the first answer. */
  loaded: boolean;
  /** The last refresh failed (the bell keeps the last known count). */
  error: unknown;
}

let state: NotificationsState = { items: [], unread: 0, loaded: false, error: null };
const listeners = new Set<() => void>();
// Only the newest request's answer is kept: a poll sent before a "mark read" must not undo it.
let generation = 0;

function set(next: Partial<NotificationsState>): void {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useNotifications(): NotificationsState {
  return useSyncExternalStore(subscribe, () => state, () => state);
}

/** Fetches the list and the unread count. */
export function refreshNotifications(): Promise<void> {
  const mine = ++generation;
  return api
    .get<NotificationList>('/api/v1/notifications')
    .then((r) => {
      if (mine === generation) set({ items: r.items, unread: r.unread, loaded: true, error: null });
    })
    .catch((error: unknown) => {
      // A 401 is handled by the session (back to the login page); keep the last known values.
      if (mine === generation && !(error instanceof ApiError && error.status === 401)) set({ error, loaded: true });
    });
}

/** Marks one notification read (optimistically), then reloads the true state. */
export async function markNotificationRead(id: number): Promise<void> {
  const target = state.items.find((n) => n.id === id);
  if (target && !target.readAt) {
    const now = new Date().toISOString();
    set({ items: state.items.map((n) => (n.id === id ? { ...n, readAt: now } : n)), unread: Math.max(0, state.unread - 1) });
  }
  try {
    await api.post<{ updated: number }>(`/api/v1/notifications/${id}/read`);
  } finally {
    await refreshNotifications();
  }
}

/** Marks every notification read. */
export async function markAllNotificationsRead(): Promise<void> {
  try {
    await api.post<{ updated: number }>('/api/v1/notifications/read-all');
  } finally {
    await refreshNotifications();
  }
}

/** Forgets everything (on sign-out), so the next user never sees the previous one's count. */
export function clearNotifications(): void {
  generation += 1;
  set({ items: [], unread: 0, loaded: false, error: null });
}
