import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a signed webhook may be before it is refused as a replay. */
export const WEBHOOK_MAX_AGE_SECONDS = 300;

/** The signature a sender puts in `X-Sen-Signature`: `sha256=` + HMAC-SHA256 of "<timestamp>.<raw body>". */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** Checks a signed webhook: a well-formed signature over this exact body, made within the last five minutes. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  body: string,
  nowSeconds: number,
): WebhookCheck {
  if (!headers.timestamp || !headers.signature) return { ok: false, reason: 'missing' };
  if (!/^\d{9,11}$/.test(headers.timestamp) || !/^sha256=[0-9a-f]{64}$/i.test(headers.signature)) return { ok: false, reason: 'malformed' };
  const ts = Number(headers.timestamp);
  if (Math.abs(nowSeconds - ts) > WEBHOOK_MAX_AGE_SECONDS) return { ok: false, reason: 'stale' };
  const want = Buffer.from(signWebhook(secret, ts, body));
  // Hex digits in either case: some senders write them upper-case.
  const got = Buffer.from(`sha256=${headers.signature.slice(7).toLowerCase()}`);
  return want.length === got.length && timingSafeEqual(want, got) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
