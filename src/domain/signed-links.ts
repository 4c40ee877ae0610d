import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed link lets its holder do, without an account. */
export type LinkPurpose = 'survey' | 'consultation';

export interface LinkClaims {
  purpose: LinkPurpose;
  /** The survey's or consultation's id. */
  id: string;
  /** Changes when the record voids earlier links (e.g. a consultation re-sent). */
  nonce: string;
  /** Expiry, Unix seconds. */
  exp: number;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** A token for a link: the claims in base64url, a dot, and their HMAC-SHA256 under Sen's link secret. */
export function signLink(secret: string, claims: LinkClaims): string {
  const body = b64(JSON.stringify(claims));
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'tampered' | 'expired' | 'wrong_purpose' };

/** Checks a link token: untouched, for this purpose, not expired. The caller still checks the nonce against the record. */
export function verifyLink(secret: string, token: string, purpose: LinkPurpose, nowSeconds: number): LinkCheck {
  const [body, mac] = token.split('.');
  if (!body || !mac) return { ok: false, reason: 'tampered' };
  const want = Buffer.from(createHmac('sha256', secret).update(body).digest('base64url'));
  const got = Buffer.from(mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'tampered' };
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    return { ok: false, reason: 'tampered' };
  }
  if (claims.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  if (typeof claims.exp !== 'number' || claims.exp < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
