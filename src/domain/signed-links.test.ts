import { describe, expect, it } from 'vitest';
import { checkStatusLink, linkExpiresAt, signLink, signStatusLink, verifyLink } from './signed-links';

const SECRET = 'bí-mật-của-sen';
const ISSUED = new Date('2026-03-02T03:00:00Z');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const A = { code: 'KN-2026-000123', contact: 'huong.nguyen@example.vn' };

/** The token with one character of its claims (before the dot) replaced. */
function editOneChar(token: string, at: number): string {
  const c = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${c}${token.slice(at + 1)}`;
}

describe('status-page links (liên kết tra cứu)', () => {
  it('opens for its complaint and address until linkValidityDays have passed, then says expired', () => {
    const token = signStatusLink(SECRET, A, ISSUED, 14);
    const last = linkExpiresAt(ISSUED, 14);
    expect(last.toISOString()).toBe('2026-03-16T03:00:00.000Z');
    expect(checkStatusLink(SECRET, token, seconds(ISSUED))).toEqual({ ok: true, claims: { purpose: 'status', ...A, exp: seconds(last) } });
    expect(checkStatusLink(SECRET, token, seconds(last), 'kn-2026-000123 ')).toMatchObject({ ok: true });
    expect(checkStatusLink(SECRET, token, seconds(last) + 1)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token edited by one character anywhere, or signed with another secret', () => {
    const token = signStatusLink(SECRET, A, ISSUED, 14);
    const now = seconds(ISSUED);
    for (const at of [0, 5, token.indexOf('.') - 1, token.indexOf('.') + 1, token.length - 1]) {
      const edited = editOneChar(token, at);
      expect(edited).not.toBe(token);
      expect(checkStatusLink(SECRET, edited, now)).toEqual({ ok: false, reason: 'tampered' });
    }
    expect(checkStatusLink('another-secret', token, now)).toEqual({ ok: false, reason: 'tampered' });
    for (const junk of ['', '.', 'abc', 'abc.', `${token}.x`]) expect(checkStatusLink(SECRET, junk, now)).toMatchObject({ ok: false, reason: 'tampered' });
  });

  it('never opens another complaint: not by asking for it, nor by rewriting the claims under the old signature', () => {
    const token = signStatusLink(SECRET, A, ISSUED, 14);
    const now = seconds(ISSUED);
    expect(checkStatusLink(SECRET, token, now, 'KN-2026-000124')).toEqual({ ok: false, reason: 'tampered' });
    expect(checkStatusLink(SECRET, token, now, 'not a code')).toEqual({ ok: false, reason: 'tampered' });
    const [, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ purpose: 'status', code: 'KN-2026-000124', contact: A.contact, exp: seconds(ISSUED) + 86_400 })).toString('base64url');
    expect(checkStatusLink(SECRET, `${forged}.${mac}`, now)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('is not a survey or consultation link, and they are not status links', () => {
    const exp = seconds(ISSUED) + 3600;
    const status = signStatusLink(SECRET, A, ISSUED, 1);
    expect(verifyLink(SECRET, status, 'survey', seconds(ISSUED))).toEqual({ ok: false, reason: 'wrong_purpose' });
    const survey = signLink(SECRET, { purpose: 'survey', id: 'x', nonce: 'n', exp });
    expect(checkStatusLink(SECRET, survey, seconds(ISSUED))).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(verifyLink(SECRET, survey, 'survey', seconds(ISSUED))).toEqual({ ok: true, claims: { purpose: 'survey', id: 'x', nonce: 'n', exp } });
  });

  it('refuses signed claims without the fields of their purpose', () => {
    const odd = signLink(SECRET, { purpose: 'status', code: 123, exp: seconds(ISSUED) + 60 } as never);
    expect(checkStatusLink(SECRET, odd, seconds(ISSUED))).toEqual({ ok: false, reason: 'tampered' });
  });
});
