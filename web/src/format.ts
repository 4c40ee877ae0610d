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

/** Formats an instant as dd/MM/yyyy, the calendar day in Vietnam. */
export function formatDate(iso: string | null | undefined): string {
  const text = formatDateTime(iso);
  return text === '—' ? text : text.slice(0, 10);
}

/** Vietnam keeps UTC+7 all year (no daylight saving), so local wall time converts with a fixed offset. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * An instant as the value of an <input type="datetime-local"> in Vietnam time: YYYY-MM-DDTHH:mm
 * (YYYY-MM-DDTHH:mm:ss with `withSeconds`, for an input with step="1").
 */
export function toVietnamLocalInput(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  return new Date(ms + VIETNAM_OFFSET_MS).toISOString().slice(0, withSeconds ? 19 : 16);
}

/** A Vietnamese number stored as E.164 (+84912345678) in the national form people use (0912345678). */
export function displayPhone(phone: string): string {
  return /^\+84\d{9,10}$/.test(phone) ? `0${phone.slice(3)}` : phone;
}

/** A call's length as mm:ss (h:mm:ss from an hour). */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  const s = Math.round(totalSeconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${String(m).padStart(2, '0')}:${sec}`;
}

/**
 * Reads an <input type="datetime-local"> value as Vietnam wall time, whatever the browser's zone,
 * and returns the ISO instant; null when the value is not a complete date and time.
 */
export function fromVietnamLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  const check = new Date(utc);
  // Reject dates that roll over (31/02) instead of silently moving them.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return new Date(utc - VIETNAM_OFFSET_MS).toISOString();
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
