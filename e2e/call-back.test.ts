/**
 * Hẹn gọi lại end to end: an agent logs a call on a complaint and promises the customer a call back, typed the
 * Vietnamese way (a half-typed time is said beside the field, nothing sent); the complaint's customer card and the
 * call's timeline entry show the promise, "Nhắc hẹn" lists it as a call back, the customer's status page says when
 * they will be called; the next contact logged keeps the promise and it leaves the card. On a phone the form fits.
 *
 * Same setup as reminders.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed call-back-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { randomPhone, seedComplaint } from '../test/factories';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e, vietnamDateText } from './harness';

const AGENT = { email: 'tuan.goilai@sen.test', name: 'Phạm Minh Tuấn', password: 'mat-khau-tuan-2024' };
const PHONE = randomPhone();

describe('call backs (hẹn gọi lại)', () => {
  let code = '';
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    seed: async (db) => {
      await addStaffUser({ database: db, role: 'agent', ...AGENT });
      code = (await seedComplaint(db, { input: { subject: 'Nồi cơm điện bị chập', customer: { name: 'Vũ Thị Lan', phone: PHONE } } })).code;
    },
  });

  it('promises a call back with a logged call; the complaint, the reminders and the status page show it until the next contact', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT, `/staff/complaints/${code}`);
      const form = page.getByTestId('contact-form');
      await form.waitFor();
      await page.getByTestId('contact-summary').fill('Khách đang bận đi làm, hẹn gọi lại chiều mai.');
      // A time half typed: said beside the field, nothing sent.
      await page.getByTestId('contact-callback').fill(vietnamDateText(1));
      await page.getByTestId('contact-callback-time').fill('chiều');
      let posts = 0;
      page.on('request', (r) => {
        if (r.url().endsWith(`/api/v1/complaints/${code}/contacts`) && r.method() === 'POST') posts += 1;
      });
      // Leaving the time says its format beside it at once (the box grows)…
      await page.getByTestId('contact-callback-time').press('Tab');
      await page.getByTestId('format-error-contact-callback-time').waitFor();
      // …and sending says what to do, without sending.
      await page.getByTestId('contact-submit').click();
      expect(await page.getByTestId('error-contact-callback').innerText()).toBe('Nhập ngày và giờ hẹn gọi lại, hoặc để trống.');
      expect(posts).toBe(0);

      await page.getByTestId('contact-callback-time').fill('14h30');
      const logged = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/contacts`) && r.request().method() === 'POST');
      await page.getByTestId('contact-submit').click();
      await expectStatus(logged, 201);
      const when = `${vietnamDateText(1)} 14:30`;
      expect(await page.getByTestId('contact-message').innerText()).toBe(`Đã ghi nhận liên hệ. Sen sẽ nhắc bạn gọi lại lúc ${when}.`);
      const promised = page.getByTestId('call-back');
      await promised.waitFor();
      expect(await promised.innerText()).toMatch(new RegExp(`, ${when} — ${AGENT.name} hẹn$`));
      expect(await promised.getAttribute('data-late')).toBe('false');
      const entry = page.locator('[data-testid="timeline-event"][data-type="contact.logged"]').first();
      expect(await entry.getByTestId('timeline-call-back').innerText()).toBe(`Hẹn gọi lại lúc ${when}`);
      await page.getByTestId('call-backs').scrollIntoViewIfNeeded();
      await shot(page, 'call-back-01-promised');

      // Nhắc hẹn lists it as a call back.
      await page.getByTestId('nav-reminders').click();
      const row = page.getByTestId('reminder-row').filter({ hasText: code });
      await row.waitFor();
      expect(await row.innerText()).toContain('Hẹn gọi lại khách hàng');
      expect(await row.innerText()).toContain(when);

      // The customer's status page says when they will be called.
      const customer = await newPage();
      try {
        await customer.page.goto('/tra-cuu');
        await customer.page.locator('#code').fill(code);
        await customer.page.locator('#contact').fill(PHONE);
        await customer.page.getByTestId('lookup-submit').click();
        await customer.page.getByTestId('lookup-result').waitFor();
        const timeline = customer.page.getByTestId('public-timeline');
        await timeline.getByText(`Chúng tôi hẹn gọi lại cho bạn lúc ${when}.`).waitFor();
        expect(await timeline.innerText()).not.toContain('đang bận đi làm');
        await shot(customer.page, 'call-back-02-status-page');
      } finally {
        await customer.context.close();
      }

      // The next day's call keeps the promise: it leaves the card.
      await page.goto(`/staff/complaints/${code}`);
      await page.getByTestId('contact-summary').fill('Đã gọi lại, khách gửi ảnh qua email.');
      const kept = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/contacts`) && r.request().method() === 'POST');
      await page.getByTestId('contact-submit').click();
      await expectStatus(kept, 201);
      expect(await page.getByTestId('contact-message').innerText()).toBe('Đã ghi nhận liên hệ.');
      await page.waitForFunction(() => !document.querySelector('[data-testid="call-backs"]'));
    } finally {
      await context.close();
    }
  });

  it('no page threw an uncaught error or logged one', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('fits a phone', async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    try {
      await logIn(page, AGENT, `/staff/complaints/${code}`);
      await page.getByTestId('contact-callback').scrollIntoViewIfNeeded();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'call-back-03-phone');
    } finally {
      await context.close();
    }
  });
});
