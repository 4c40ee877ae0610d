import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseComplaintCode } from './codes';

/** What a signed link lets its holder do, without an account. */
export type LinkPurpose = 'survey' | 'consultation' | 'status';

/** A link to one record (a survey, a consultation), voided when the record's nonce changes. */
export interface RecordLinkClaims {
  purpose: 'survey' | 'consultation';
  /** The survey's or consultation's id. */
  id: string;
  /** Changes when the record voids earlier links (e.g. a consultation re-sent). */
  nonce: string;
  /** Expiry, Unix seconds. */
  exp: number;
}

/**
 * Liên kết tra cứu — a status-page link from a mail to the customer: it proves its holder received
 * that mail, so the page opens the complaint without the customer typing their contact.
 */
export interface StatusLinkClaims {
  purpose: 'status';
  /** The complaint's code (KN-…); the link opens this complaint and no other. */
  code: string;
  /** The email address the mail went to: the contact the status page proves itself with. */
  contact: string;
  /** Expiry, Unix seconds. */
  exp: number;
}

export type LinkClaims = RecordLinkClaims | StatusLinkClaims;

/** The claims a link of this purpose carries. */
export type ClaimsOf<P extends LinkPurpose> = P extends 'status' ? StatusLinkClaims : RecordLinkClaims;

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const DAY_MS = 86_400_000;

/** A token for a link: the claims in base64url, a dot, and their HMAC-SHA256 under Sen's link secret. */
export function signLink(secret: string, claims: LinkClaims): string {
  const body = b64(JSON.stringify(claims));
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export type LinkCheck<C extends LinkClaims = LinkClaims> =
  | { ok: true; claims: C }
  | { ok: false; reason: 'tampered' | 'expired' | 'wrong_purpose' };

/** Whether signed claims have the fields their purpose needs (a link signed by an older Sen may not). */
function wellFormed(claims: LinkClaims): boolean {
  if (claims.purpose === 'status') return typeof claims.code === 'string' && typeof claims.contact === 'string';
  return typeof claims.id === 'string' && typeof claims.nonce === 'string';
}

/** Checks a link token: untouched, for this purpose, not expired. The caller still checks the nonce against the record. */
export function verifyLink<P extends LinkPurpose>(secret: string, token: string, purpose: P, nowSeconds: number): LinkCheck<ClaimsOf<P>> {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return { ok: false, reason: 'tampered' };
  const want = Buffer.from(createHmac('sha256', secret).update(body).digest('base64url'));
  const got = Buffer.from(mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'tampered' };
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    return { ok: false, reason: 'tampered' };
  }
  if (!claims || typeof claims !== 'object') return { ok: false, reason: 'tampered' };
  if (claims.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  if (!wellFormed(claims)) return { ok: false, reason: 'tampered' };
  if (typeof claims.exp !== 'number' || claims.exp < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as ClaimsOf<P> };
}

/** When a link issued at `issuedAt` stops working: `validityDays` later (the workflow's `linkValidityDays`). */
export function linkExpiresAt(issuedAt: Date, validityDays: number): Date {
  return new Date(issuedAt.getTime() + validityDays * DAY_MS);
}

/** The token of a status-page link for one complaint, mailed to `contact`, valid `validityDays` from `issuedAt`. */
export function signStatusLink(secret: string, link: { code: string; contact: string }, issuedAt: Date, validityDays: number): string {
  const exp = Math.floor(linkExpiresAt(issuedAt, validityDays).getTime() / 1000);
  return signLink(secret, { purpose: 'status', code: link.code, contact: link.contact, exp });
}

/**
 * Checks a status-page link: untouched, not expired, and — when the page names a complaint — for
 * that complaint (a link for one complaint never opens another: that is refused as tampered).
 */
export function checkStatusLink(
  secret: string,
  token: string,
  nowSeconds: number,
  code?: string,
): LinkCheck<StatusLinkClaims> {
  const check = verifyLink(secret, token, 'status', nowSeconds);
  if (!check.ok || code === undefined) return check;
  if (parseComplaintCode(code)?.code !== check.claims.code) return { ok: false, reason: 'tampered' };
  return check;
}
