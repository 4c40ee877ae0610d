/**
 * Nhắc tôi end to end: an agent on a complaint's page sets a reminder with a note by one quick choice (placed by the
 * server on the working calendar, its weekday shown) and one at a time typed the Vietnamese way (a past one is refused
 * beside the field); when the first comes due (the sweep, run here by the test), the bell counts it, the
 * notification says the note, is put off to the next working morning (nhắc lại sau) and opens the complaint;
 * "Nhắc hẹn" lists both waiting, and deletes one. On a phone the card fits the screen.
 *
 * Same setup as saved-views.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed reminders-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import type { Database } from '../src/db/open';
import { runReminderSweep } from '../src/jobs/reminders-sweep';
import { toVietnamIso } from '../src/domain/time';
import { seedComplaint } from '../test/factories';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e, vietnamDateText } from './harness';

const AGENT = { email: 'hoa.nhachen@sen.test', name: 'Đặng Thị Hoa', password: 'mat-khau-hoa-2024' };
const NOTE = 'Gọi lại cho anh Tuấn sau khi kho trả lời';

describe('personal reminders (nhắc tôi)', () => {
  let database: Database | undefined;
  let code = '';
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    seed: async (db) => {
      database = db;
      await addStaffUser({ database: db, role: 'agent', ...AGENT });
      code = (await seedComplaint(db, { input: { subject: 'Máy giặt rung mạnh khi vắt' } })).code;
    },
  });

  it('sets reminders by a quick choice and by a typed time, is told when one is due, and lists and deletes them', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT);
      await page.goto(`/staff/complaints/${code}`);
      const card = page.getByTestId('reminders-section');
      await card.getByTestId('reminders-none').waitFor();
      // The quick choices as the server placed them, the working mornings with their weekday.
      const morning = card.getByTestId('reminder-preset-next_working_morning');
      const morningAt = (await morning.getAttribute('data-at'))!;
      const weekday = new Intl.DateTimeFormat('vi-VN', { weekday: 'long', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(morningAt));
      expect(await morning.innerText()).toMatch(new RegExp(`^Sáng ngày làm việc tới \\(${weekday}, \\d\\d/\\d\\d/\\d{4} 08:00\\)$`));
      expect(await card.getByTestId('reminder-preset-in_1_hour').innerText()).toMatch(/^Sau 1 giờ \(\d\d:\d\d\)$/);

      // Nothing typed: said beside the field, nothing sent.
      await card.getByTestId('reminder-submit').click();
      expect(await page.getByTestId('error-reminder-at').innerText()).toBe('Chọn ngày và giờ muốn được nhắc.');
      // A time already past: the API refuses it, beside the field.
      await page.getByTestId('reminder-at').fill(vietnamDateText(-1));
      await page.getByTestId('reminder-at-time').fill('9h30');
      let made = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/reminders`) && r.request().method() === 'POST');
      await card.getByTestId('reminder-submit').click();
      await expectStatus(made, 422);
      expect(await page.getByTestId('error-reminder-at').innerText()).toBe('Phải là một thời điểm trong tương lai.');

      // In an hour, with a note.
      await page.getByTestId('reminder-note').fill(NOTE);
      made = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/reminders`) && r.request().method() === 'POST');
      await card.getByTestId('reminder-preset-in_1_hour').click();
      await expectStatus(made, 201);
      expect(await card.getByTestId('reminders-feedback').innerText()).toMatch(/^Sen sẽ nhắc bạn lúc .+, \d\d\/\d\d\/\d{4} \d\d:\d\d\.$/);
      expect(await page.getByTestId('reminder-note').inputValue()).toBe('');
      // Three days on at 09:30, typed the Vietnamese way, no note.
      await page.getByTestId('reminder-at').fill(vietnamDateText(3));
      await page.getByTestId('reminder-at-time').fill('9h30');
      made = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/reminders`) && r.request().method() === 'POST');
      await card.getByTestId('reminder-submit').click();
      await expectStatus(made, 201);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="reminder"]').length === 2);
      const rows = card.getByTestId('reminder');
      expect(await rows.nth(0).innerText()).toContain(NOTE);
      expect(await rows.nth(1).innerText()).toContain(`${vietnamDateText(3)} 09:30`);
      expect(await rows.nth(1).innerText()).toContain('(không có ghi chú)');
      await card.scrollIntoViewIfNeeded();
      await shot(page, 'reminders-01-set');
      // The queue's row says it too: the soonest, the one in an hour.
      await page.getByTestId('nav-queue').click();
      const queued = page.getByTestId('row-reminder');
      await queued.waitFor();
      expect(await queued.innerText()).toMatch(/^Bạn hẹn nhắc: .+, \d\d\/\d\d\/\d{4} \d\d:\d\d$/);
      expect(Date.parse((await queued.getAttribute('data-at'))!) - Date.now()).toBeLessThan(3_900_000);

      // Two hours on, the sweep tells her of the first, not the second.
      const swept = await runReminderSweep({ database: database!, baseUrl: 'http://sen.test', mailDomain: 'sen.test', now: new Date(Date.now() + 2 * 3_600_000) });
      expect(swept.told).toBe(1);
      await page.goto('/staff/notifications');
      const notice = page.locator('[data-testid="notification"][data-kind="reminder.due"]');
      await notice.waitFor();
      expect(await page.getByTestId('notifications-count').getAttribute('data-count')).toBe('1');
      expect(await notice.innerText()).toContain('Nhắc hẹn');
      expect(await notice.innerText()).toMatch(new RegExp(`Bạn hẹn nhắc lúc \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d: ${NOTE}`));
      await shot(page, 'reminders-02-told');
      // Nhắc lại sau: again on the next working morning, which the server places; the notification is read.
      const snoozed = page.waitForResponse((r) => r.url().includes('/snooze') && r.request().method() === 'POST');
      await notice.getByTestId('reminder-snooze-next_working_morning').click();
      const again = (await (await expectStatus(snoozed, 200)).json()) as { at: string };
      expect(toVietnamIso(new Date(again.at)).slice(11, 16)).toBe('08:00');
      expect(await notice.getByTestId('reminder-snooze-feedback').innerText()).toMatch(/^Sen sẽ nhắc bạn lúc .+ 08:00\.$/);
      await page.waitForFunction(() => document.querySelector('[data-testid="notifications-count"]')?.getAttribute('data-count') === '0');
      await notice.getByTestId('notification-link').click();
      await page.waitForURL((url) => url.pathname === `/staff/complaints/${code}`);
      // Waiting again, with the one typed; none told now.
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="reminder"]').length === 2);
      expect(await card.getByTestId('reminder').allInnerTexts()).toContainEqual(expect.stringContaining(NOTE));
      expect(await card.getByTestId('reminder-told').count()).toBe(0);

      // Nhắc hẹn: the one waiting, the one told; delete the waiting one.
      await page.getByTestId('nav-reminders').click();
      await page.waitForURL((url) => url.pathname === '/staff/nhac-hen');
      const waiting = page.getByTestId('reminders-waiting').getByTestId('reminder-row');
      await waiting.first().waitFor();
      expect(await waiting.count()).toBe(2);
      expect(await waiting.first().getAttribute('data-code')).toBe(code);
      expect(await waiting.first().innerText()).toContain('Máy giặt rung mạnh khi vắt');
      await shot(page, 'reminders-03-page');
      const typed = page.getByTestId('reminder-row').filter({ hasText: '09:30' });
      const deleted = page.waitForResponse((r) => r.url().includes('/api/v1/reminders/') && r.request().method() === 'DELETE');
      await typed.getByTestId('reminder-delete').click();
      await expectStatus(deleted, 204);
      expect(await page.getByTestId('reminders-feedback').innerText()).toMatch(/^Đã bỏ lời nhắc lúc .+ 09:30\.$/);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="reminder-row"]').length === 1);
      expect(await waiting.first().innerText()).toContain(NOTE);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('reminders-page-title');
    } finally {
      await context.close();
    }
  });

  it('fits a phone', async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    try {
      await logIn(page, AGENT, `/staff/complaints/${code}`);
      const card = page.getByTestId('reminders-section');
      await card.getByTestId('reminder-preset-next_week').waitFor();
      await card.scrollIntoViewIfNeeded();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'reminders-04-phone');
    } finally {
      await context.close();
    }
  });

  it('no page threw an uncaught error', () => {
    expect(pageErrors).toEqual([]);
    // The one the browser logs for the past time refused (422), and nothing else.
    expect(consoleErrors.filter((e) => e.includes('status of 422')).length).toBe(1);
    expect(consoleErrors.filter((e) => !e.includes('status of 422'))).toEqual([]);
  });
});
