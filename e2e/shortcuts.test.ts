/**
 * Phím tắt end to end: a supervisor works the queue from the keyboard — j/k choose a row, x selects it for bulk
 * assignment, Enter opens it; on the complaint, its place in the queue is shown and ] / [ go to the next and previous;
 * n and r put the cursor in the note and the reply (a letter typed there is text, not a command); u goes back; /
 * searches; ? lists the keys, and there they can be turned off for this browser (and on again on the account page).
 *
 * Same setup as saved-views.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed shortcuts-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint } from '../test/factories';
import { shot, useE2e } from './harness';

const SUPERVISOR = { email: 'minh.phimtat@sen.test', name: 'Hồ Văn Minh', password: 'mat-khau-minh-2024' };

describe('keyboard shortcuts (phím tắt)', () => {
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'supervisor', ...SUPERVISOR });
      // One customer's three complaints: each page lists the other two.
      for (const subject of ['Điều hoà chảy nước', 'Nồi cơm điện không nóng', 'Quạt kêu to']) {
        await seedComplaint(database, { channel: 'email', input: { subject, customer: { name: 'Lê Văn Tám', phone: '0903 111 222', email: 'tam.le@example.vn' } } });
      }
    },
  });

  it('works the queue and the complaints from the keyboard, and can be turned off', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, SUPERVISOR);
      const rows = page.getByTestId('queue-row');
      await rows.nth(2).waitFor();
      const codes = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')!));
      const focusedCode = () => page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-code') ?? null);

      await page.keyboard.press('j');
      expect(await focusedCode()).toBe(codes[0]);
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      expect(await focusedCode()).toBe(codes[2]);
      expect(await rows.nth(2).getAttribute('aria-current')).toBe('true');
      await page.keyboard.press('k');
      expect(await focusedCode()).toBe(codes[1]);
      await page.keyboard.press('x');
      expect(await rows.nth(1).getByTestId('bulk-select').isChecked()).toBe(true);
      await page.keyboard.press('x');
      expect(await rows.nth(1).getByTestId('bulk-select').isChecked()).toBe(false);
      await shot(page, 'shortcuts-01-queue');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === `/staff/complaints/${codes[1]}`);

      // Its place in the queue, and the next and previous; the customer's other two complaints, open ones first.
      expect(await page.getByTestId('queue-position').innerText()).toBe('2 / 3 trong hàng đợi');
      const others = page.getByTestId('other-complaint');
      expect((await others.evaluateAll((li) => li.map((x) => x.getAttribute('data-code')))).sort()).toEqual([codes[0], codes[2]].sort());
      expect(await page.getByTestId('other-complaints').innerText()).toContain('Khiếu nại khác của khách hàng (2)');
      await page.keyboard.press(']');
      await page.waitForURL((url) => url.pathname === `/staff/complaints/${codes[2]}`);
      await page.getByTestId('complaint-detail').waitFor();
      expect(await page.getByTestId('queue-next').count()).toBe(0);
      await page.keyboard.press('[');
      await page.waitForURL((url) => url.pathname === `/staff/complaints/${codes[1]}`);
      await page.getByTestId('queue-previous').click();
      await page.waitForURL((url) => url.pathname === `/staff/complaints/${codes[0]}`);
      await page.getByTestId('complaint-detail').waitFor();

      // n: the note; letters typed there are the note's.
      await page.keyboard.press('n');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('note-body');
      await page.keyboard.type('j u ] ?');
      expect(await page.getByTestId('note-input').inputValue()).toBe('j u ] ?');
      expect(new URL(page.url()).pathname).toBe(`/staff/complaints/${codes[0]}`);
      expect(await page.getByTestId('shortcuts-dialog').count()).toBe(0);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('r');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply-body');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

      // ?: the list; Esc closes it.
      await page.keyboard.press('?');
      const dialog = page.getByTestId('shortcuts-dialog');
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('Khiếu nại tiếp theo / trước đó trong hàng đợi');
      await shot(page, 'shortcuts-02-help');
      // Keys tried while the list is open act on nothing behind it: the page stays where it is.
      await page.keyboard.press('u');
      await page.keyboard.press(']');
      await page.waitForTimeout(200);
      expect(new URL(page.url()).pathname).toBe(`/staff/complaints/${codes[0]}`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      // u: back to the queue; /: the search.
      await page.keyboard.press('u');
      await page.waitForURL((url) => url.pathname === '/staff');
      await rows.first().waitFor();
      await page.keyboard.press('/');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
      await page.keyboard.type('quat');
      expect(await page.getByTestId('search-input').inputValue()).toBe('quat');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

      // Turned off in the list: j no longer moves; on again from the account page.
      await page.keyboard.press('?');
      await dialog.waitFor();
      await dialog.getByTestId('shortcuts-enabled').uncheck();
      await dialog.getByTestId('shortcuts-close').click();
      await dialog.waitFor({ state: 'detached' });
      await page.keyboard.press('j');
      expect(await focusedCode()).toBeNull();
      await page.keyboard.press('?');
      expect(await dialog.count()).toBe(0);
      await page.getByTestId('current-user').click();
      await page.waitForURL((url) => url.pathname === '/staff/account');
      const box = page.getByTestId('shortcuts-section').getByTestId('shortcuts-enabled');
      expect(await box.isChecked()).toBe(false);
      await box.check();
      await page.getByTestId('nav-queue').click();
      await rows.first().waitFor();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('j');
      expect(await focusedCode()).toBe(codes[0]);
    } finally {
      await context.close();
    }
  });

  it('no page threw an uncaught error', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
