/**
 * Ngôn ngữ liên lạc — the language Sen writes to the customer in, end to end. A customer switches the portal to
 * English and files a complaint: the form sends `language: 'en'`. The agent sees "Tiếng Anh" with the customer's
 * details, changes it to Vietnamese in the classification card, and the timeline records the change (from → to).
 * A status-page link with `lang=en`, opened in a browser that has never seen Sen, shows the page in English and
 * keeps the choice. The agent's own new-complaint and hotline forms ask for the language and send it.
 *
 * Same setup as vulnerable.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed language-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { CODE_PATTERN, expectStatus, fillPortalForm, shot, useE2e, waitLikeAPerson } from './harness';

const AGENT = { email: 'agent.ngonngu@sen.test', name: 'Lê Thị Ngôn Ngữ', password: 'mat-khau-ngon-ngu-2024' };
const CUSTOMER = {
  name: 'John Carter',
  email: 'john.carter@example.com',
  subject: 'Rice cooker stopped working',
  description: 'I bought a rice cooker on 2 November; since yesterday it does not heat at all. Please replace it.',
};
const LABEL_VI = 'Ngôn ngữ liên lạc với khách hàng';

describe('the language Sen writes to the customer in (ngôn ngữ liên lạc)', () => {
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('a customer files in English; the agent sees it and changes it; an English status link opens the page in English', async () => {
    // (a) The customer switches the portal to English and files: the form sends the portal's language.
    const portal = await newPage();
    await portal.page.goto('/');
    await portal.page.getByTestId('complaint-form').waitFor();
    const shownAt = Date.now();
    await portal.page.getByTestId('lang-switch').click();
    await portal.page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await portal.page.locator('h1').first().innerText()).toBe('Submit a complaint');
    await fillPortalForm(portal.page, CUSTOMER);
    await shot(portal.page, 'language-01-portal-english');
    await waitLikeAPerson(portal.page, shownAt);
    const created = portal.page.waitForResponse((r) => r.url().endsWith('/api/v1/portal/complaints') && r.request().method() === 'POST');
    await portal.page.getByTestId('submit-complaint').click();
    const response = await expectStatus(created, 201);
    expect(response.request().postDataJSON()).toMatchObject({ language: 'en', subject: CUSTOMER.subject });
    const codeEl = portal.page.getByTestId('complaint-code');
    await codeEl.waitFor();
    const code = (await codeEl.innerText()).trim();
    expect(code).toMatch(CODE_PATTERN);
    await portal.context.close();

    // (b) The agent (console in Vietnamese): the customer's language beside their details, and in the classification card.
    const { page } = await newPage();
    await logIn(page, AGENT, `/staff/complaints/${code}`);
    await page.getByTestId('complaint-detail').waitFor();
    const shown = page.getByTestId('customer-language');
    expect(await shown.getAttribute('data-language')).toBe('en');
    expect(await shown.innerText()).toBe('Tiếng Anh');
    expect(await page.locator('section[aria-labelledby="customer-title"] dt', { hasText: 'Ngôn ngữ liên lạc' }).count()).toBe(1);
    // The select is labelled (its name is what a screen reader says) and described by its hint.
    const select = page.getByLabel(LABEL_VI);
    expect(await select.getAttribute('data-testid')).toBe('language-select');
    expect(await select.getAttribute('aria-describedby')).toBe('complaint-language-hint');
    expect(await select.inputValue()).toBe('en');
    expect(await select.locator('option').allInnerTexts()).toEqual(['Tiếng Việt', 'Tiếng Anh']);
    // The reply form says which language the customer reads, and marks the text as it (spell checking, screen readers).
    expect(await page.locator('#reply-body-hint').innerText()).toContain('Ngôn ngữ liên lạc của khách hàng: Tiếng Anh');
    expect(await page.getByTestId('reply-input').getAttribute('lang')).toBe('en');
    await shot(page, 'language-02-complaint-english');

    // Changed to Vietnamese: one PATCH with the language, nothing else.
    await select.selectOption({ label: 'Tiếng Việt' });
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/v1/complaints/${code}`));
    await page.getByTestId('classify-submit').click();
    const answer = await expectStatus(patched, 200);
    expect(answer.request().postDataJSON()).toEqual({ language: 'vi' });
    expect(await page.getByTestId('classify-message').innerText()).toBe('Đã cập nhật phân loại.');
    await page.locator('[data-testid="customer-language"][data-language="vi"]').waitFor();
    expect(await shown.innerText()).toBe('Tiếng Việt');
    expect(await select.inputValue()).toBe('vi');

    const entry = page.locator('[data-testid="timeline-event"][data-type="language.changed"]');
    await entry.waitFor();
    expect(await entry.locator('.timeline-title').innerText()).toBe('Đổi ngôn ngữ liên lạc');
    const change = entry.getByTestId('timeline-language-change');
    expect(await change.innerText()).toBe('Tiếng Anh → Tiếng Việt');
    expect(await change.getAttribute('data-from')).toBe('en');
    expect(await change.getAttribute('data-to')).toBe('vi');
    await entry.scrollIntoViewIfNeeded();
    await shot(page, 'language-03-changed');

    // In the English console the same event reads in English.
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await entry.locator('.timeline-title').innerText()).toBe('Language for the customer changed');
    expect(await change.innerText()).toBe('English → Vietnamese');
    expect(await shown.innerText()).toBe('Vietnamese');
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'vi');

    // (c) A link from an English mail, in a browser with nothing stored: the status page is in English, and stays so.
    const fresh = await newPage();
    expect((await fresh.context.storageState()).origins).toEqual([]);
    await fresh.page.goto(`/tra-cuu?code=${code}&lang=en`);
    await fresh.page.getByTestId('lookup-form').waitFor();
    expect(await fresh.page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await fresh.page.locator('h1').first().innerText()).toBe('Track a complaint');
    expect(await fresh.page.getByTestId('lookup-submit').innerText()).toBe('Track');
    expect(await fresh.page.locator('#code').inputValue()).toBe(code);
    expect(await fresh.page.evaluate(() => window.localStorage.getItem('sen.lang'))).toBe('en');
    await shot(fresh.page, 'language-04-status-link-english');
    // The choice is kept without the parameter, and a link's `lang` wins over it.
    await fresh.page.goto('/tra-cuu');
    await fresh.page.getByTestId('lookup-form').waitFor();
    expect(await fresh.page.evaluate(() => document.documentElement.lang)).toBe('en');
    await fresh.page.goto(`/tra-cuu?code=${code}&lang=vi`);
    await fresh.page.getByTestId('lookup-form').waitFor();
    expect(await fresh.page.evaluate(() => document.documentElement.lang)).toBe('vi');
    expect(await fresh.page.locator('h1').first().innerText()).toBe('Tra cứu khiếu nại');
    // Anything else than vi or en is ignored.
    await fresh.page.goto(`/tra-cuu?code=${code}&lang=fr`);
    await fresh.page.getByTestId('lookup-form').waitFor();
    expect(await fresh.page.evaluate(() => document.documentElement.lang)).toBe('vi');
    // The parameter leaves the address bar once applied: a reload after the customer switched keeps their switch.
    await fresh.page.goto('/?lang=en');
    await fresh.page.getByTestId('complaint-form').waitFor();
    expect(await fresh.page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(new URL(fresh.page.url()).search).toBe('');
    await fresh.page.getByTestId('lang-switch').click();
    await fresh.page.waitForFunction(() => document.documentElement.lang === 'vi');
    await fresh.page.reload();
    await fresh.page.getByTestId('complaint-form').waitFor();
    expect(await fresh.page.evaluate(() => document.documentElement.lang)).toBe('vi');
    await fresh.context.close();

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('the agent’s new-complaint and hotline forms ask for the language (Vietnamese by default) and send it', async () => {
    const { context, page } = await newPage();
    try {
      // (d) The new-complaint form: a labelled select, Vietnamese first and chosen; the agent picks English.
      await logIn(page, AGENT);
      await page.goto('/staff/new');
      await page.getByTestId('new-complaint-form').waitFor();
      const select = page.getByLabel(LABEL_VI);
      expect(await select.getAttribute('data-testid')).toBe('customer-language');
      expect(await select.inputValue()).toBe('vi');
      expect(await select.locator('option').allInnerTexts()).toEqual(['Tiếng Việt', 'Tiếng Anh']);
      await page.getByTestId('caller-phone').fill('0912 345 100');
      await page.locator('#name').fill('Emma Nguyen');
      await page.locator('#email').fill('emma.nguyen@example.com');
      await page.locator('#subject').fill('Wrong size delivered');
      await page.locator('#description').fill('I ordered size M and received size XL.');
      await select.selectOption('en');
      await page.locator('label[for="consent"]').click();
      await shot(page, 'language-05-new-complaint');
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/complaints') && r.request().method() === 'POST');
      await page.getByTestId('submit-complaint').click();
      const response = await expectStatus(created, 201);
      expect(response.request().postDataJSON()).toMatchObject({ language: 'en', subject: 'Wrong size delivered' });
      await page.waitForURL(/\/staff\/complaints\/KN-/);
      await page.getByTestId('complaint-detail').waitFor();
      expect(await page.getByTestId('customer-language').getAttribute('data-language')).toBe('en');

      // The hotline form: the same question for a call that opens a new complaint; left at Vietnamese it sends 'vi'.
      await page.goto('/staff/hotline');
      await page.getByTestId('hotline-form').waitFor();
      await page.locator('#caller').fill('0912 345 200');
      await page.getByTestId('hotline-new-complaint').waitFor();
      const hotlineSelect = page.getByTestId('hotline-language');
      expect(await page.locator('label[for="hl-language"]').innerText()).toContain(LABEL_VI);
      expect(await hotlineSelect.inputValue()).toBe('vi');
      await page.getByTestId('hotline-name').fill('Trần Thị Gọi');
      await page.locator('#hl-subject').fill('Máy lọc nước rò rỉ');
      await page.locator('#hl-description').fill('Máy lọc nước rò rỉ ở đáy sau hai tuần sử dụng.');
      await page.locator('label[for="hl-consent"]').click();
      await page.getByTestId('call-notes').fill('Khách gọi báo máy lọc nước rò rỉ.');
      const logged = page.waitForResponse((r) => r.url().endsWith('/api/v1/calls') && r.request().method() === 'POST');
      await page.getByTestId('hotline-submit').click();
      const call = await expectStatus(logged, 201);
      expect(call.request().postDataJSON()).toMatchObject({ complaint: { language: 'vi' } });
      await page.waitForURL(/\/staff\/complaints\/KN-/);
      await page.getByTestId('complaint-detail').waitFor();
      expect(await page.getByTestId('customer-language').getAttribute('data-language')).toBe('vi');
      expect(await page.getByTestId('customer-language').innerText()).toBe('Tiếng Việt');
    } finally {
      await context.close();
    }

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
