// Display helpers shared by the portal and the console.

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Formats an instant as dd/MM/yyyy HH:mm in Vietnam time, whatever the browser's zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const parts: Record<string, string> = {};
  for (const part of dateTime.formatToParts(date)) parts[part.type] = part.value;
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

export type DueLevel = 'overdue' | 'soon' | 'normal' | 'none';

const DAY_MS = 24 * 60 * 60 * 1000;
const SETTLED = new Set(['resolved', 'closed', 'rejected', 'withdrawn', 'merged']);

/** Colour class of a deadline: overdue, due within 24 hours, or normal; settled complaints are never red. */
export function dueLevel(dueAt: string | null | undefined, status: string, now = Date.now()): DueLevel {
  if (!dueAt || SETTLED.has(status)) return 'none';
  const due = new Date(dueAt).getTime();
  if (Number.isNaN(due)) return 'none';
  if (due < now) return 'overdue';
  if (due - now <= DAY_MS) return 'soon';
  return 'normal';
}

/**
 * A fresh Idempotency-Key. crypto.randomUUID only exists in secure contexts, and an office may
 * open the console over plain http on the LAN, so fall back to getRandomValues (RFC 4122 v4).
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
