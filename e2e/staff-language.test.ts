/**
 * A staff member's language end to end: an agent chooses English on "Tài khoản của tôi"; on another computer
 * (a browser with nothing stored) the console opens in English at login; switching back in the header is kept
 * too; on a shared desk the next colleague's console opens in their own language, not the last one's; the admin
 * sees the change in the account's trail and gives a new account English when adding it.
 *
 * Same setup as portal-to-agent.test.ts: the real server in-process (embedded in-memory PGlite), headless Chromium.
 * Screenshots go to artifacts/e2e/ (prefixed staff-language-).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e } from './harness';

const ADMIN = { email: 'admin.lang@sen.test', name: 'Trần Quốc Bảo', password: 'mat-khau-admin-2024' };
const AGENT = { email: 'anna.agent@sen.test', name: 'Anna Nguyễn', password: 'mat-khau-anna-2024' };

describe('a staff member’s language end to end', () => {
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'admin', ...ADMIN });
      await addStaffUser({ database, role: 'agent', ...AGENT });
    },
  });
  const uiLang = (page: Page) => page.evaluate(() => document.documentElement.lang);
  const savedLanguage = (page: Page, language: 'vi' | 'en') =>
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH' && r.request().postDataJSON()?.language === language);

  it('1. the agent chooses English on the account page; another computer opens the console in English; the header switch is kept too', async () => {
    const first = await newPage();
    try {
      await logIn(first.page, AGENT);
      expect(await uiLang(first.page)).toBe('vi');
      await first.page.getByTestId('current-user').click();
      await first.page.getByTestId('own-language-form').waitFor();
      expect(await first.page.locator('label[for="own-language"]').innerText()).toContain('Ngôn ngữ của bạn');
      await first.page.getByTestId('own-language').selectOption('en');
      // Nothing happens before Save: arrowing through the select does not switch the console.
      expect(await uiLang(first.page)).toBe('vi');
      const saved = savedLanguage(first.page, 'en');
      await first.page.getByTestId('own-language-save').click();
      await expectStatus(saved, 200);
      await first.page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await first.page.getByTestId('own-language-saved').innerText()).toBe('Saved. Sen uses English with you.');
      expect(await first.page.locator('h1').innerText()).toBe('My account');
      await shot(first.page, 'staff-language-01-account-english');
    } finally {
      await first.context.close();
    }

    // Another computer: nothing stored, the login page in Vietnamese, the console in the agent's English.
    const other = await newPage();
    try {
      await other.page.goto('/staff/login');
      await other.page.getByTestId('login-form').waitFor();
      expect(await uiLang(other.page)).toBe('vi');
      await logIn(other.page, AGENT);
      await other.page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await other.page.locator('h1').innerText()).toBe('Complaint queue');
      await shot(other.page, 'staff-language-02-other-computer');
      // The header switch keeps the choice too: after a reload the console is Vietnamese again.
      const back = savedLanguage(other.page, 'vi');
      await other.page.getByTestId('lang-switch').click();
      await expectStatus(back, 200);
      await other.page.waitForFunction(() => document.documentElement.lang === 'vi');
      await other.page.reload();
      await other.page.getByTestId('current-user').waitFor({ state: 'attached' });
      expect(await uiLang(other.page)).toBe('vi');
      expect(await other.page.locator('h1').innerText()).toBe('Hàng đợi khiếu nại');
    } finally {
      await other.context.close();
    }
  });

  it('2. on a shared desk the next colleague’s console opens in their own language, not the last one’s', async () => {
    const desk = await newPage();
    try {
      await logIn(desk.page, AGENT);
      const en = savedLanguage(desk.page, 'en');
      await desk.page.getByTestId('lang-switch').click();
      await expectStatus(en, 200);
      await desk.page.waitForFunction(() => document.documentElement.lang === 'en');
      await desk.page.getByTestId('logout').click();
      await desk.page.getByTestId('login-form').waitFor();
      // The browser remembers English; the admin's account says Vietnamese.
      expect(await desk.page.evaluate(() => window.localStorage.getItem('sen.lang'))).toBe('en');
      await logIn(desk.page, ADMIN);
      await desk.page.waitForFunction(() => document.documentElement.lang === 'vi');
      expect(await desk.page.locator('h1').innerText()).toBe('Hàng đợi khiếu nại');
    } finally {
      await desk.context.close();
    }
  });

  it('3. the admin reads the agent’s change in the trail and adds an account that reads Sen in English', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, ADMIN, '/staff/admin/users');
      const row = page.locator(`[data-testid="user-row"][data-email="${AGENT.email}"]`);
      await row.waitFor();
      const id = (await row.getAttribute('data-id'))!;
      const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${id}/events`));
      await row.getByTestId('user-events').click();
      await expectStatus(loaded, 200);
      const events = page.locator(`[data-testid="user-panel-row"][data-id="${id}"] [data-testid="user-event"]`);
      await events.first().waitFor();
      const texts = await events.allInnerTexts();
      // Newest first: English (the desk), Vietnamese (the header switch), English (the account page).
      expect(texts[0]).toContain('Ngôn ngữ: Tiếng Việt → Tiếng Anh');
      expect(texts[0]).toContain(`bởi ${AGENT.name}`);
      expect(texts[1]).toContain('Ngôn ngữ: Tiếng Anh → Tiếng Việt');
      expect(texts[2]).toContain('Ngôn ngữ: Tiếng Việt → Tiếng Anh');

      const form = page.getByTestId('user-form');
      await form.getByTestId('user-email').fill('john.smith@sen.test');
      await form.getByTestId('user-name').fill('John Smith');
      await form.getByTestId('user-password').fill('mat-khau-john-2024');
      expect(await form.getByTestId('user-language').inputValue()).toBe('vi');
      await form.getByTestId('user-language').selectOption('en');
      const added = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
      await form.getByTestId('user-add').click();
      expect((await (await added).json()).language).toBe('en');
      await page.locator('[data-testid="user-row"][data-email="john.smith@sen.test"]').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'staff-language-03-admin');
    } finally {
      await context.close();
    }
    const john = await newPage();
    try {
      await logIn(john.page, { email: 'john.smith@sen.test', name: 'John Smith', password: 'mat-khau-john-2024' });
      await john.page.waitForFunction(() => document.documentElement.lang === 'en');
    } finally {
      await john.context.close();
    }
  });

  it('4. no page threw an uncaught error', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
