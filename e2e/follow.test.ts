/**
 * Theo dõi end to end: an agent follows a complaint from its page (the button says so, the followers are named), and
 * the queue shows it alone when she ticks "only complaints I follow";
 * a supervisor gives it to her colleague and the customer writes on the status page — the colleague's bell counts
 * both, the agent's only the customer's; the notice says what the customer did and opens the complaint at that event.
 * The mail digest of unread notices is turned off and on again from the account page.
 *
 * Same setup as saved-views.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed follow-).
 */
import { describe, expect, it } from 'vitest';
import { addCustomerMessage } from '../src/commands/add-customer-message';
import { assignComplaint } from '../src/commands/assign-complaint';
import { addStaffUser } from '../src/commands/staff-accounts';
import type { Database } from '../src/db/open';
import { randomPhone, seedComplaint } from '../test/factories';
import { shot, useE2e } from './harness';

const MAI = { email: 'mai.theodoi@sen.test', name: 'Ngô Thị Mai', password: 'mat-khau-mai-2024' };
const NAM = { email: 'nam.theodoi@sen.test', name: 'Lý Văn Nam', password: 'mat-khau-nam-2024' };
const LEAD = { email: 'lead.theodoi@sen.test', name: 'Trưởng nhóm Hà', password: 'mat-khau-ha-2024' };

describe('following complaints (theo dõi)', () => {
  let database: Database | undefined;
  let code = '';
  const phone = randomPhone();
  const ids: Record<string, string> = {};
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    seed: async (db) => {
      database = db;
      ids.mai = (await addStaffUser({ database: db, role: 'agent', ...MAI })).id;
      ids.nam = (await addStaffUser({ database: db, role: 'agent', ...NAM })).id;
      ids.lead = (await addStaffUser({ database: db, role: 'supervisor', ...LEAD })).id;
      code = (await seedComplaint(db, { input: { subject: 'Bình nóng lạnh rò điện', customer: { name: 'Đinh Văn Khoa', phone } } })).code;
      await seedComplaint(db, { input: { subject: 'Máy sấy tóc cháy dây' } });
    },
  });

  it('follows from the complaint page, and hears of the customer’s message there; the assignee hears of both', async () => {
    const mai = await newPage();
    const nam = await newPage();
    try {
      await logIn(mai.page, MAI, `/staff/complaints/${code}`);
      const toggle = mai.page.getByTestId('follow-toggle');
      await toggle.waitFor();
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      // Found by its one name whatever its state.
      expect(await mai.page.getByRole('button', { name: 'Theo dõi khiếu nại này' }).count()).toBe(1);
      expect(await toggle.innerText()).toBe('☆ Theo dõi');
      const followed = mai.page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/follow`) && r.request().method() === 'PUT');
      await toggle.click();
      expect((await followed).status()).toBe(200);
      await mai.page.waitForFunction(() => document.querySelector('[data-testid="follow-toggle"]')?.getAttribute('aria-pressed') === 'true');
      // The visible word stays, and is in the name; the star fills.
      expect(await toggle.innerText()).toBe('★ Theo dõi');
      expect(await mai.page.getByRole('button', { name: 'Theo dõi khiếu nại này', pressed: true }).count()).toBe(1);
      expect(await mai.page.getByTestId('follow-names').innerText()).toBe(`Người theo dõi: ${MAI.name}`);
      await shot(mai.page, 'follow-01-following');

      // In the queue, "only complaints I follow" shows it alone.
      await mai.page.goto('/staff');
      await mai.page.getByTestId('queue-row').nth(1).waitFor();
      await mai.page.getByTestId('filter-following').check();
      await mai.page.waitForURL((url) => url.searchParams.get('following') === 'me');
      await mai.page.waitForFunction(() => document.querySelectorAll('[data-testid="queue-row"]').length === 1);
      expect(await mai.page.getByTestId('queue-row').getAttribute('data-code')).toBe(code);

      // The supervisor gives it to Nam; the customer writes from the status page.
      await assignComplaint({ database: database!, actor: { kind: 'supervisor', id: ids.lead, channel: 'console' }, code, assigneeId: ids.nam });
      await addCustomerMessage({ database: database!, code, contact: phone, message: 'Tôi đã ngắt cầu dao, mong bên anh chị cử người sớm.' });

      await logIn(nam.page, NAM, '/staff/notifications');
      const namNotices = nam.page.getByTestId('notification');
      await namNotices.nth(1).waitFor();
      expect(await nam.page.getByTestId('notifications-count').getAttribute('data-count')).toBe('2');
      expect(await namNotices.allInnerTexts()).toEqual([
        expect.stringContaining('Khách hàng đã gửi tin nhắn mới.'),
        expect.stringContaining(`${LEAD.name} đã giao khiếu nại này cho bạn.`),
      ]);

      await mai.page.goto('/staff/notifications');
      const notice = mai.page.locator('[data-testid="notification"][data-kind="complaint.customer_activity"]');
      await notice.waitFor();
      expect(await mai.page.getByTestId('notification').count()).toBe(1);
      expect(await notice.innerText()).toContain('Bình nóng lạnh rò điện');
      await shot(mai.page, 'follow-02-told');
      await notice.getByTestId('notification-link').click();
      await mai.page.waitForURL((url) => url.pathname === `/staff/complaints/${code}` && url.hash.startsWith('#event-'));
      await mai.page.waitForFunction(() => document.activeElement?.id === location.hash.slice(1));
      expect(await mai.page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('mong bên anh chị cử người sớm');

      // Stops following.
      await mai.page.getByTestId('follow-toggle').click();
      await mai.page.waitForFunction(() => document.querySelector('[data-testid="follow-toggle"]')?.getAttribute('aria-pressed') === 'false');
      expect(await mai.page.getByTestId('follow-names').count()).toBe(0);
    } finally {
      await mai.context.close();
      await nam.context.close();
    }
  });

  it('turns the notice digest off and on from the account page, kept across a reload', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, MAI, '/staff/account');
      const box = page.getByTestId('mail-digest');
      await box.waitFor();
      expect(await box.isChecked()).toBe(true);
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH');
      await box.uncheck();
      expect((await saved).status()).toBe(200);
      expect(await page.getByTestId('mail-digest-saved').innerText()).toBe('Đã tắt thư tóm tắt thông báo.');
      await shot(page, 'follow-03-digest-off');
      await page.reload();
      await box.waitFor();
      expect(await box.isChecked()).toBe(false);
      await box.check();
      await page.waitForFunction(() => document.querySelector('[data-testid="mail-digest-saved"]')?.textContent === 'Đã bật thư tóm tắt thông báo.');
    } finally {
      await context.close();
    }
  });

  it('no page threw an uncaught error', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
