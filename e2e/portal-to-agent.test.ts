/**
 * Issue 2, end to end: a customer files a complaint on the portal, an agent finds it in the queue
 * (searching without diacritics) and acknowledges it, and the customer sees the new status.
 *
 * Runs the real server in-process (embedded in-memory PGlite, Fastify serving the built web app)
 * and drives it with headless Chromium through playwright-core. Screenshots go to artifacts/e2e/.
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { CODE_PATTERN, expectNoHorizontalOverflow, expectStatus, focusedId, shot, TIMEOUT, useE2e, waitLikeAPerson } from './harness';

const AGENT = { email: 'agent.e2e@sen.test', name: 'Lê Văn Tâm', password: 'mat-khau-e2e-2024' };
const CUSTOMER = {
  name: 'Nguyễn Thị Hương',
  phone: '0912 345 678',
  phoneOtherFormat: '+84912345678',
  subject: 'Đồng hồ bị nứt mặt kính',
  description: 'Tôi mua đồng hồ Casio mã MTP-1374 ngày 02/11, đến ngày 05/11 mặt kính bị nứt dù không va đập.',
  orderRef: 'DH-88123',
};
const ACKNOWLEDGED_VI = 'Đã xác nhận tiếp nhận';

describe('portal → agent → portal (issue 2)', () => {
  let code = '';
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('1. a customer files a complaint on the portal with the keyboard and gets a code', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto('/');
      const form = page.getByTestId('complaint-form');
      await form.waitFor();
      const shownAt = Date.now();
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      // The promises as the SLA policy in force words them.
      await page.getByText('trong vòng 48 giờ làm việc và giải quyết trong thời gian không quá 20 ngày làm việc').waitFor();
      await shot(page, '01-portal-form');

      // Every input has a visible label.
      for (const id of ['name', 'phone', 'email', 'province', 'subject', 'description', 'orderRef', 'consent']) {
        await expect(page.locator(`label[for="${id}"]`).innerText()).resolves.not.toBe('');
      }

      // The form is usable from the keyboard alone: Tab between fields, Space ticks, Enter sends.
      await page.locator('#name').focus();
      await page.keyboard.type(CUSTOMER.name);
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('phone');
      await page.keyboard.type(CUSTOMER.phone);
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('email');
      await page.keyboard.press('Tab');
      // The province (optional) is a list of the 34; the customer picks theirs.
      expect(await focusedId(page)).toBe('province');
      expect(await page.locator('#province option').count()).toBe(35);
      await page.locator('#province').selectOption('Đà Nẵng');
      await page.keyboard.press('Tab');
      // Whether they belong to a group the law (Art. 8) puts first: optional, left as it is.
      expect(await focusedId(page)).toBe('vulnerable-group');
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('subject');
      await page.keyboard.type(CUSTOMER.subject);
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('description');
      await page.keyboard.insertText(CUSTOMER.description); // one input event, as a paste or an IME gives
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('orderRef');
      await page.keyboard.type(CUSTOMER.orderRef);
      await page.keyboard.press('Tab');
      // Optional photos or documents come before the consent box.
      expect(await focusedId(page)).toBe('attachments');
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('consent');
      const consent = page.locator('#consent');
      expect(await consent.isChecked(), 'consent must not be pre-checked').toBe(false);
      await page.keyboard.press('Space');
      expect(await consent.isChecked()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('submit-complaint');

      expect(await page.locator('#name').inputValue()).toBe(CUSTOMER.name);
      expect(await page.locator('#subject').inputValue()).toBe(CUSTOMER.subject);
      await shot(page, '02-portal-form-filled');
      await waitLikeAPerson(page, shownAt);

      const created = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/portal/complaints') && r.request().method() === 'POST',
      );
      await page.keyboard.press('Enter');
      await expectStatus(created, 201);

      const codeEl = page.getByTestId('complaint-code');
      await codeEl.waitFor();
      await page.waitForURL('**/khieu-nai/da-gui');
      code = (await codeEl.innerText()).trim();
      expect(code).toMatch(CODE_PATTERN);
      await shot(page, '03-portal-confirmation');
    } finally {
      await context.close();
    }
  });

  it('2. an agent finds it without diacritics and acknowledges it', async () => {
    expect(code).toMatch(CODE_PATTERN);
    const { context, page } = await newPage();
    try {
      await page.goto('/staff/login');
      await page.getByTestId('login-form').waitFor();
      await shot(page, '04-staff-login');
      await page.getByTestId('login-email').fill(AGENT.email);
      await page.getByTestId('login-password').fill(AGENT.password);
      const loggedIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.getByTestId('login-submit').click();
      await expectStatus(loggedIn, 200);
      await page.waitForURL((url) => url.pathname === '/staff');
      await page.getByTestId('current-user').waitFor();
      expect(await page.getByTestId('current-user').innerText()).toContain(AGENT.name);

      const searched = page.waitForResponse(
        (r) => r.url().includes('/api/v1/complaints?') && new URL(r.url()).searchParams.get('q') === 'dong ho bi nut',
      );
      await page.getByTestId('search-input').fill('dong ho bi nut');
      await page.getByTestId('search-submit').click();
      await expectStatus(searched, 200);
      await page.waitForURL((url) => url.searchParams.get('q') === 'dong ho bi nut');
      const row = page.locator(`[data-testid="queue-row"][data-code="${code}"]`);
      await row.waitFor();
      expect(await row.innerText()).toContain(CUSTOMER.subject);
      expect(await row.getByTestId('queue-status').getAttribute('data-status')).toBe('received');
      await shot(page, '05-staff-queue-search');

      // The words in another order: no complaint holds that phrase, so the queue shows those holding each
      // word, and says so; back to the phrase, the note goes.
      const search = async (q: string) => {
        const answered = page.waitForResponse((r) => r.url().includes('/api/v1/complaints?') && new URL(r.url()).searchParams.get('q') === q);
        await page.getByTestId('search-input').fill(q);
        await page.getByTestId('search-submit').click();
        await expectStatus(answered, 200);
      };
      await search('kinh nut dong ho');
      await page.getByTestId('queue-by-words').waitFor();
      expect(await page.getByTestId('queue-by-words').innerText()).toContain('Không khiếu nại nào có đúng cụm “kinh nut dong ho”');
      await row.waitFor();
      await shot(page, '05b-staff-queue-search-by-words');
      await search('dong ho bi nut');
      await page.getByTestId('queue-by-words').waitFor({ state: 'detached' });
      await row.waitFor();

      await row.getByTestId('queue-code').click();
      await page.waitForURL(`**/staff/complaints/${code}`);
      await page.getByTestId('complaint-detail').waitFor();
      expect(await page.getByTestId('complaint-page-code').innerText()).toBe(code);
      expect(await page.getByTestId('customer-name').innerText()).toBe(CUSTOMER.name);
      expect(await page.getByTestId('customer-province').innerText()).toBe('Đà Nẵng');
      const status = page.getByTestId('status-value');
      expect(await status.getAttribute('data-status')).toBe('received');
      await shot(page, '06-staff-complaint');

      const moved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/transitions`));
      await page.getByTestId('transition-acknowledged').click();
      await expectStatus(moved, 200);
      await page.locator('[data-testid="status-value"][data-status="acknowledged"]').waitFor();
      expect(await status.innerText()).toBe(ACKNOWLEDGED_VI);
      await page.getByTestId('transition-message').waitFor();
      expect(await page.getByTestId('transition-message').innerText()).toContain(ACKNOWLEDGED_VI);
      await page.getByTestId('transition-acknowledged').waitFor({ state: 'detached' });
      // The keyboard focus went to the result, not back to the top of the page.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('transition-message');
      await shot(page, '07-staff-complaint-acknowledged');

      // Withdrawing needs a reason: the field says so before anything is sent.
      expect(await page.getByTestId('transition-reason').evaluate((el) => el.closest('.field')?.textContent ?? '')).toContain('Bắt buộc khi');
      let sent = false;
      page.on('request', (r) => {
        if (r.url().endsWith(`/api/v1/complaints/${code}/transitions`)) sent = true;
      });
      await page.getByTestId('transition-withdrawn').click();
      await page.getByTestId('error-transition-reason').waitFor();
      expect(await page.getByTestId('error-transition-reason').innerText()).toContain('Khách hàng rút khiếu nại');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('transition-reason');
      expect(sent).toBe(false);
      expect(await status.getAttribute('data-status')).toBe('acknowledged');

      // An agent is offered only what they may choose: themselves or nobody.
      const options = await page.getByTestId('assign-select').locator('option:not([disabled])').allInnerTexts();
      expect(options).toHaveLength(2);
      expect(options[1]).toContain(AGENT.name);

      // Back to the queue keeps the search it came from.
      await page.getByTestId('back-to-queue').click();
      await page.waitForURL((url) => url.pathname === '/staff' && url.searchParams.get('q') === 'dong ho bi nut');

      // Logging out ends the session on the server too (the page sends its CSRF token, which logout requires).
      const out = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
      await page.getByTestId('logout').click();
      await expectStatus(out, 204);
      await page.waitForURL((url) => url.pathname === '/staff/login');
      expect(await page.evaluate(async () => (await fetch('/api/v1/complaints')).status)).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('3. the customer looks the code up with the phone in another format and sees the new status', async () => {
    expect(code).toMatch(CODE_PATTERN);
    const { context, page } = await newPage();
    try {
      await page.goto('/tra-cuu');
      await page.getByTestId('lookup-form').waitFor();
      await page.locator('#code').fill(code);
      await page.locator('#contact').fill(CUSTOMER.phoneOtherFormat);
      const looked = page.waitForResponse((r) => r.url().includes(`/api/v1/portal/complaints/${code}?`));
      await page.getByTestId('lookup-submit').click();
      await expectStatus(looked, 200);
      await page.getByTestId('lookup-result').waitFor();
      const status = page.getByTestId('status-value');
      expect(await status.getAttribute('data-status')).toBe('acknowledged');
      expect(await status.innerText()).toBe(ACKNOWLEDGED_VI);
      // The contact never goes into the address; the code does (shareable).
      expect(page.url()).not.toContain('912345678');
      await shot(page, '08-portal-lookup-result');
    } finally {
      await context.close();
    }
  });

  it('3b. the same phone with a new email on the portal: the email is noted, not added, until the agent has checked it', async () => {
    const email = 'huong.moi@example.vn';
    const filed = await fetch(`${e2e.baseUrl}/api/v1/portal/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customer: { name: CUSTOMER.name, phone: CUSTOMER.phone, email },
        subject: 'Dây đồng hồ bị đứt',
        description: 'Dây đồng hồ mua cùng đơn DH-88123 bị đứt sau một tuần.',
        consent: true,
      }),
    });
    expect(filed.status).toBe(201);
    const second = ((await filed.json()) as { code: string }).code;
    const { context, page } = await newPage();
    try {
      await e2e.logIn(page, AGENT);
      await page.goto(`/staff/complaints/${second}`);
      await page.getByTestId('timeline-unconfirmed-contacts').waitFor();
      expect(await page.getByTestId('timeline-unconfirmed-contacts').innerText()).toContain(email);
      expect(await page.getByTestId('customer-email').innerText()).toBe('—');
      await shot(page, '08b-staff-unconfirmed-email');
      const confirmed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${second}/confirm-contact`));
      await page.getByTestId('confirm-contact-email').click();
      await expectStatus(confirmed, 200);
      await page.getByTestId('confirm-contact-message').waitFor();
      expect(await page.getByTestId('customer-email').innerText()).toContain(email);
      await page.getByTestId('confirm-contact-email').waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  it('4. on a 375×812 phone the portal form works and fits the screen', async () => {
    const { context, page } = await newPage({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      await page.goto('/');
      await page.getByTestId('complaint-form').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, '09-phone-portal-form');

      // Sending the empty form shows the errors, each next to its input.
      await page.getByTestId('submit-complaint').tap();
      await page.getByTestId('error-summary').waitFor();
      for (const id of ['name', 'phone', 'subject', 'description', 'consent']) {
        await page.getByTestId(`error-${id}`).waitFor();
      }
      expect(await page.getByTestId('error-name').innerText()).toContain('Vui lòng nhập họ và tên');
      await expectNoHorizontalOverflow(page);
      await shot(page, '10-phone-portal-form-errors');

      // Switching the language re-words the errors on screen instead of mixing two languages.
      await page.getByTestId('lang-switch').tap();
      await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      await page.getByTestId('error-name').getByText('Please enter your full name.').waitFor();
      expect(await page.getByTestId('error-summary').innerText()).not.toContain('Vui lòng');
      await page.getByTestId('lang-switch').tap();
      await page.locator('html[lang="vi"]').waitFor({ state: 'attached' });
      await page.getByTestId('error-name').getByText('Vui lòng nhập họ và tên.').waitFor();

      await page.locator('#name').fill('Trần Văn Minh');
      await page.locator('#phone').fill('0987 654 321');
      await page.locator('#subject').fill('Giao hàng trễ 10 ngày');
      await page.locator('#description').fill('Đơn hàng đặt ngày 01/11 đến nay vẫn chưa nhận được, tổng đài không trả lời.');
      await page.locator('label[for="consent"]').tap();
      expect(await page.locator('#consent').isChecked()).toBe(true);
      await page.waitForTimeout(3200);
      const created = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/portal/complaints') && r.request().method() === 'POST',
      );
      await page.getByTestId('submit-complaint').tap();
      await expectStatus(created, 201);
      const codeEl = page.getByTestId('complaint-code');
      await codeEl.waitFor();
      const phoneCode = (await codeEl.innerText()).trim();
      expect(phoneCode).toMatch(CODE_PATTERN);
      expect(phoneCode).not.toBe(code);
      await expectNoHorizontalOverflow(page);
      await shot(page, '11-phone-portal-confirmation');

      // From the confirmation page the status is one tap away, with code and contact carried over.
      const looked = page.waitForResponse((r) => r.url().includes(`/api/v1/portal/complaints/${phoneCode}?`));
      await page.getByTestId('lookup-link').tap();
      await expectStatus(looked, 200);
      await page.getByTestId('lookup-result').waitFor();
      expect(await page.getByTestId('status-value').getAttribute('data-status')).toBe('received');
      await expectNoHorizontalOverflow(page);
      await shot(page, '12-phone-portal-lookup');
    } finally {
      await context.close();
    }
  });

  it('4b. on a 375×812 phone the agent finds the complaint in the queue, opens it and adds a note, by touch', async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await logIn(page, AGENT);
      await page.getByTestId('search-input').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, '13-phone-staff-queue');
      const searched = page.waitForResponse((r) => r.url().includes('/api/v1/complaints?') && new URL(r.url()).searchParams.get('q') === 'dong ho');
      await page.getByTestId('search-input').fill('dong ho');
      await page.getByTestId('search-submit').tap();
      await expectStatus(searched, 200);
      const row = page.locator(`[data-testid="queue-row"][data-code="${code}"]`);
      await row.waitFor();
      await expectNoHorizontalOverflow(page);
      await row.getByTestId('queue-code').tap();
      await page.getByTestId('complaint-detail').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, '14-phone-staff-complaint');
      const note = 'Đã gọi khách, hẹn gửi ảnh mặt kính qua email.';
      await page.getByTestId('note-input').fill(note);
      const added = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/notes`));
      await page.getByTestId('note-submit').tap();
      await expectStatus(added, 201);
      await page.locator('[data-testid="timeline-event"][data-type="note.added"]').filter({ hasText: note }).waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, '15-phone-staff-note');
    } finally {
      await context.close();
    }
  });

  it('5. no page threw an uncaught error', () => {
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
