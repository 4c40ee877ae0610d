/**
 * Bộ lọc đã lưu end to end: an agent filters the queue (a channel and a search), saves it under a name (an empty name
 * is caught beside the field), clears the filters, gets them back with one click on the saved view (marked as the
 * current one), and deletes it. On a phone the views fit the screen.
 *
 * Same setup as bulk-assign.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed views-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint } from '../test/factories';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e } from './harness';

const AGENT = { email: 'lan.boloc@sen.test', name: 'Vũ Thị Lan', password: 'mat-khau-lan-2024' };
const VIEW = 'Đồng hồ qua email';

describe('saved queue views (bộ lọc đã lưu)', () => {
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      await seedComplaint(database, { channel: 'email', input: { subject: 'Đồng hồ chạy chậm' } });
      await seedComplaint(database, { channel: 'web', input: { subject: 'Đồng hồ hỏng dây' } });
      // Its description speaks of a watch too (the factory's): found by "dong ho" as well.
      await seedComplaint(database, { channel: 'email', input: { subject: 'Tủ lạnh kêu to' } });
    },
  });

  it('saves the filters under a name, brings them back with one click, and deletes the view', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT);
      await page.getByTestId('queue-row').first().waitFor();
      // Nothing to save while the queue is unfiltered.
      expect(await page.getByTestId('view-save').count()).toBe(0);
      await page.getByTestId('filter-channel').selectOption('email');
      await page.getByTestId('search-input').fill('dong ho');
      await page.getByTestId('search-submit').click();
      await page.waitForURL((url) => url.searchParams.get('q') === 'dong ho' && url.searchParams.get('channel') === 'email');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="queue-row"]').length === 2);

      await page.getByTestId('view-save').click();
      await page.getByTestId('view-form').waitFor();
      await page.getByTestId('view-submit').click();
      expect(await page.getByTestId('error-view-name').innerText()).toBe('Nhập tên bộ lọc.');
      await page.getByTestId('view-name').fill(VIEW);
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/views') && r.request().method() === 'POST');
      await page.getByTestId('view-submit').click();
      await expectStatus(saved, 201);
      expect((await (await saved).request().postDataJSON()).query).toBe('channel=email&q=dong+ho');
      expect(await page.getByTestId('views-message').innerText()).toBe(`Đã lưu bộ lọc “${VIEW}”.`);
      const link = page.getByTestId('saved-view-link');
      expect(await link.innerText()).toBe(VIEW);
      expect(await link.getAttribute('aria-current')).toBe('true');
      // Saved: nothing more to save.
      expect(await page.getByTestId('view-save').count()).toBe(0);
      await shot(page, 'views-01-saved');

      await page.getByTestId('filter-reset').click();
      await page.waitForURL((url) => url.search === '');
      await page.getByTestId('queue-row').nth(2).waitFor();
      expect(await link.getAttribute('aria-current')).toBeNull();
      await link.click();
      await page.waitForURL((url) => url.searchParams.get('q') === 'dong ho');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="queue-row"]').length === 2);
      expect(await page.getByTestId('filter-channel').inputValue()).toBe('email');
      expect(await page.getByTestId('search-input').inputValue()).toBe('dong ho');
      expect(await link.getAttribute('aria-current')).toBe('true');

      const deleted = page.waitForResponse((r) => r.url().includes('/api/v1/views/') && r.request().method() === 'DELETE');
      await page.getByRole('button', { name: `Xoá bộ lọc ${VIEW}` }).click();
      await expectStatus(deleted, 204);
      expect(await page.getByTestId('views-message').innerText()).toBe(`Đã xoá bộ lọc “${VIEW}”.`);
      expect(await page.getByTestId('saved-view').count()).toBe(0);
      // The focus did not fall to the top of the page with the button.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('views-title');
    } finally {
      await context.close();
    }
  });

  it('fits a phone', async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    try {
      await logIn(page, AGENT, '/staff?sla=on_time&priority=normal');
      await page.getByTestId('view-save').tap();
      await page.getByTestId('view-name').fill('Đúng hạn, bình thường — một cái tên khá dài cho màn hình nhỏ');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/views') && r.request().method() === 'POST');
      await page.getByTestId('view-submit').tap();
      await expectStatus(saved, 201);
      await page.getByTestId('saved-view').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'views-02-phone');
    } finally {
      await context.close();
    }
  });

  it('no page threw an uncaught error', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
