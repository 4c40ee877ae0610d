/**
 * Portal verification links, end to end: the customer opens the status link of their receipt mail
 * and sees their complaint without typing anything (the token leaves the address bar at once); an
 * altered, expired or other complaint's link is refused with the reason and the usual form, the
 * code already filled in.
 *
 * Runs the real server in-process (embedded in-memory PGlite, Fastify serving the built web app)
 * and drives it with headless Chromium through playwright-core. Screenshots go to artifacts/e2e/.
 */
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { linkSecret } from '../src/db/queries/settings';
import { signStatusLink } from '../src/domain/signed-links';
import { CODE_PATTERN, expectNoHorizontalOverflow, expectStatus, shot, useE2e } from './harness';

const VERIFY = '/api/v1/portal/status-links/verify';
const DAY = 86_400_000;

describe('status links in the mails to the customer (liên kết tra cứu)', () => {
  const e2e = useE2e({ privateWebBuild: 'status-links' });

  /** Files a complaint on the portal API with a phone and an email; returns its code and the email. */
  async function file(name: string, subject: string): Promise<{ code: string; email: string }> {
    const phone = `091${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const email = `khach.${phone}@example.vn`;
    const res = await e2e.app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      headers: { 'accept-language': 'vi' },
      payload: {
        customer: { name, phone, email },
        subject,
        description: 'Máy xay sinh tố mua ngày 03/11 không chạy sau hai lần dùng, đèn nguồn vẫn sáng.',
        consent: true,
        fillMs: 10_000,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = (res.json() as { code: string }).code;
    expect(code).toMatch(CODE_PATTERN);
    return { code, email };
  }

  /** The status link of the complaint's receipt mail, as it sits in the outbox (path and query only). */
  async function receiptLink(code: string): Promise<{ path: string; token: string }> {
    const rows = (
      await e2e.database.db.execute<{ to_address: string; text: string }>(sql`
        select m.to_address, m.text from outbound_messages m join complaints c on c.id = m.complaint_id
        where c.code = ${code} and m.dedupe_key like 'receipt:%'`)
    ).rows;
    expect(rows).toHaveLength(1);
    const m = /(https?:\/\/\S+\/tra-cuu\?code=\S+&t=\S+?)(?=[\s)]|$)/.exec(rows[0].text);
    expect(m, rows[0].text).not.toBeNull();
    const url = new URL(m![1]);
    return { path: `${url.pathname}${url.search}`, token: url.searchParams.get('t')! };
  }

  /** The current address has no token (it must not stay in the address bar nor the history). */
  async function expectNoTokenInAddress(page: Page): Promise<void> {
    expect(new URL(page.url()).searchParams.has('t')).toBe(false);
    expect(await page.evaluate(() => window.location.search)).not.toContain('t=');
  }

  it('1. the link of the receipt mail opens the complaint without typing anything', async () => {
    const a = await file('Võ Thị Ngọc Ánh', 'Máy xay sinh tố không chạy');
    const link = await receiptLink(a.code);
    const { context, page } = await e2e.newPage();
    try {
      const verified = page.waitForResponse((r) => r.url().endsWith(VERIFY));
      const looked = page.waitForResponse((r) => r.url().includes(`/api/v1/portal/complaints/${a.code}?`));
      await page.goto(link.path);
      await expectStatus(verified, 200);
      await expectStatus(looked, 200);
      await page.getByTestId('lookup-result').waitFor();
      expect(await page.getByTestId('lookup-result').innerText()).toContain('Máy xay sinh tố không chạy');
      expect(await page.getByTestId('status-value').getAttribute('data-status')).toBe('received');
      // As if the customer had typed them: the form holds the code and the address the mail went to.
      expect(await page.locator('#code').inputValue()).toBe(a.code);
      expect(await page.locator('#contact').inputValue()).toBe(a.email);
      await expectNoTokenInAddress(page);
      expect(new URL(page.url()).searchParams.get('code')).toBe(a.code);
      // Reloading the page (now without the token) opens nothing by itself.
      await page.getByTestId('message-section').waitFor();
      await shot(page, 'status-link-01-opened-from-receipt');
      await page.reload();
      await page.getByTestId('lookup-form').waitFor();
      expect(await page.getByTestId('lookup-result').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('2. a link edited by one character is refused: the message and the form, the code filled in', async () => {
    const a = await file('Đặng Quốc Bảo', 'Nồi cơm điện bị rò điện');
    const link = await receiptLink(a.code);
    const i = Math.floor(link.token.indexOf('.') / 2);
    const edited = `${link.token.slice(0, i)}${link.token[i] === 'A' ? 'B' : 'A'}${link.token.slice(i + 1)}`;
    const { context, page } = await e2e.newPage();
    try {
      const verified = page.waitForResponse((r) => r.url().endsWith(VERIFY));
      await page.goto(`/tra-cuu?code=${encodeURIComponent(a.code)}&t=${encodeURIComponent(edited)}`);
      await expectStatus(verified, 403);
      const refused = page.getByTestId('lookup-link-refused');
      await refused.waitFor();
      expect(await refused.innerText()).toContain('Liên kết tra cứu không hợp lệ');
      expect(await refused.innerText()).toContain('nhập mã khiếu nại và số điện thoại hoặc email');
      expect(await page.getByTestId('lookup-result').count()).toBe(0);
      await page.getByTestId('lookup-form').waitFor();
      expect(await page.locator('#code').inputValue()).toBe(a.code);
      expect(await page.locator('#contact').inputValue()).toBe('');
      // The contact field has the focus: the one thing left to type.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('contact');
      await expectNoTokenInAddress(page);
      await shot(page, 'status-link-02-tampered-refused');

      // Switching the language re-words the refusal.
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      await refused.getByText('This status link is not valid', { exact: false }).waitFor();
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="vi"]').waitFor({ state: 'attached' });

      // The form is the way on: with the contact typed, the complaint shows and the refusal goes.
      await page.locator('#contact').fill(a.email);
      const looked = page.waitForResponse((r) => r.url().includes(`/api/v1/portal/complaints/${a.code}?`));
      await page.getByTestId('lookup-submit').click();
      await expectStatus(looked, 200);
      await page.getByTestId('lookup-result').waitFor();
      expect(await refused.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('3. an expired link says so; a link of another complaint never opens it', async () => {
    const a = await file('Hồ Minh Châu', 'Tủ lạnh không lạnh');
    const b = await file('Lý Thanh Tùng', 'Máy giặt rung mạnh');
    const old = signStatusLink(await linkSecret(e2e.database), { code: a.code, contact: a.email }, new Date(Date.now() - 30 * DAY), 14);
    const { context, page } = await e2e.newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      let verified = page.waitForResponse((r) => r.url().endsWith(VERIFY));
      await page.goto(`/tra-cuu?code=${encodeURIComponent(a.code)}&t=${encodeURIComponent(old)}`);
      await expectStatus(verified, 410);
      const refused = page.getByTestId('lookup-link-refused');
      await refused.waitFor();
      expect(await refused.innerText()).toContain('đã hết hạn');
      expect(await page.locator('#code').inputValue()).toBe(a.code);
      await expectNoTokenInAddress(page);
      await expectNoHorizontalOverflow(page);
      await shot(page, 'status-link-03-phone-expired');

      // A's (valid) receipt link, put on B's address: refused, and nothing of either complaint shows.
      const linkA = await receiptLink(a.code);
      verified = page.waitForResponse((r) => r.url().endsWith(VERIFY));
      await page.goto(`/tra-cuu?code=${encodeURIComponent(b.code)}&t=${encodeURIComponent(linkA.token)}`);
      await expectStatus(verified, 403);
      await refused.waitFor();
      expect(await page.getByTestId('lookup-result').count()).toBe(0);
      expect(await page.locator('#code').inputValue()).toBe(b.code);
      expect(await page.locator('#contact').inputValue()).toBe('');
      expect(await page.content()).not.toContain(a.email);
      await expectNoTokenInAddress(page);
      await shot(page, 'status-link-04-phone-other-complaint');
    } finally {
      await context.close();
    }
  });

  it('4. no page threw an uncaught error', () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});
