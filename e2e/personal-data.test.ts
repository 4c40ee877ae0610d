/**
 * Personal data (Law 91/2025) end to end: a customer files a complaint on the portal; an admin opens it,
 * follows "Hồ sơ khách hàng" to the customer's page and finds, in the access log, their own opening of
 * the complaint and of the record; the export is a link to the JSON file; erasing the data while the
 * complaint is being handled asks first (a dialog that Escape closes, focus back on its button) and is
 * then refused with the open complaint as a link. On a phone the page does not scroll sideways.
 *
 * Same setup as the other e2e files: the real server in-process (embedded in-memory PGlite, Fastify
 * serving the web app built privately for this file), driven with headless Chromium through
 * playwright-core. Screenshots go to artifacts/e2e/ (prefixed personal-data-).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { CODE_PATTERN, expectNoHorizontalOverflow, expectStatus, focusedId, shot, useE2e } from './harness';

const ADMIN = { email: 'admin.personal-data@sen.test', name: 'Phạm Thu Hà', password: 'mat-khau-admin-2024' };
const CUSTOMER = { name: 'Đỗ Thị Lan', phone: '0903 456 789', email: 'lan.do@khach.vn' };
const COMPLAINT = { subject: 'Máy giặt rung mạnh khi vắt', description: 'Máy giặt mua ngày 10/11 rung mạnh và kêu to mỗi lần vắt.' };

describe('personal data: the customer page from a complaint, with its access log', () => {
  let adminId = '';
  const e2e = useE2e({
    privateWebBuild: 'personal-data',
    seed: async (database) => {
      adminId = (await addStaffUser({ database, role: 'admin', ...ADMIN })).id;
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('an admin follows "Hồ sơ khách hàng" from a complaint and sees their own opening in the access log', async () => {
    const filed = await fetch(`${e2e.baseUrl}/api/v1/portal/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ customer: CUSTOMER, ...COMPLAINT, consent: true, fillMs: 8000 }),
    });
    const filedText = await filed.text();
    expect(filed.status, filedText).toBe(201);
    const { code } = JSON.parse(filedText) as { code: string };
    expect(code).toMatch(CODE_PATTERN);

    const { context, page } = await newPage();
    try {
      // Signing in lands on the complaint: that opening is what the access log must show.
      const opened = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}`) && r.request().method() === 'GET');
      await logIn(page, ADMIN, `/staff/complaints/${code}`);
      await expectStatus(opened, 200);
      await page.getByTestId('customer-name').waitFor();
      expect(await page.getByTestId('customer-name').innerText()).toBe(CUSTOMER.name);

      const link = page.getByTestId('customer-record-link');
      expect(await link.innerText()).toBe('Hồ sơ khách hàng');
      const record = page.waitForResponse((r) => /\/api\/v1\/customers\/[0-9a-f-]{36}$/.test(r.url()));
      await link.click();
      await expectStatus(record, 200);
      await page.waitForURL((url) => /^\/staff\/khach-hang\/[0-9a-f-]{36}$/.test(url.pathname));
      const customerId = new URL(page.url()).pathname.split('/').pop()!;

      await page.getByTestId('customer-page').waitFor();
      expect(await page.getByTestId('customer-page-name').innerText()).toBe(CUSTOMER.name);
      expect(await page.getByTestId('customer-record-phone').innerText()).toBe('0903456789');
      expect(await page.getByTestId('customer-record-email').innerText()).toBe(CUSTOMER.email);
      expect(await page.getByTestId('customer-anonymised').count()).toBe(0);
      // The complaint is listed and links back to its page.
      const row = page.locator(`[data-testid="customer-complaint"][data-code="${code}"]`);
      expect(await row.locator('a').getAttribute('href')).toBe(`/staff/complaints/${code}`);
      expect(await row.innerText()).toContain(COMPLAINT.subject);

      // The access log, newest first: this page, then the complaint opened at sign-in, both by this admin.
      await page.locator('[data-testid="access-log"][data-loaded="true"]').waitFor();
      const entries = page.getByTestId('access-log-entry');
      expect(await entries.count()).toBeGreaterThanOrEqual(2);
      const actions = await entries.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-action'), r.getAttribute('data-code'), r.getAttribute('data-staff-id')]));
      expect(actions[0]).toEqual(['customer.view', '', adminId]);
      expect(actions).toContainEqual(['complaint.view', code, adminId]);
      const complaintView = page.locator(`[data-testid="access-log-entry"][data-action="complaint.view"][data-code="${code}"]`).first();
      const text = await complaintView.innerText();
      expect(text).toContain(ADMIN.name);
      expect(text).toContain('Mở khiếu nại');
      expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      expect(await page.getByTestId('access-log-more').count()).toBe(0);

      // Admin only: the export is a plain download link to the JSON file.
      expect(await page.getByTestId('customer-export').getAttribute('href')).toBe(`/api/v1/customers/${customerId}/personal-data`);
      await shot(page, 'personal-data-customer');

      // Erasure asks first; Escape cancels and gives the focus back to the button.
      await page.getByTestId('erase-note').fill('YC-000001');
      await page.getByTestId('erase-open').click();
      const dialog = page.getByTestId('confirm-dialog');
      await dialog.waitFor();
      expect(await focusedId(page)).toBe('confirm-dialog-cancel');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await focusedId(page)).toBe('erase-open');
      // Confirmed, it is refused while the complaint is being handled, which is named as a link.
      await page.getByTestId('erase-open').click();
      const refused = page.waitForResponse((r) => r.url().endsWith(`/api/v1/customers/${customerId}/anonymise`));
      await page.getByTestId('confirm-dialog-confirm').click();
      await expectStatus(refused, 409);
      const error = page.getByTestId('erase-error');
      await error.waitFor();
      expect(await error.innerText()).toContain('Khách hàng còn khiếu nại đang giải quyết');
      expect(await error.getByTestId('open-complaint-link').getAttribute('href')).toBe(`/staff/complaints/${code}`);

      // A phone: the tables become cards, nothing sticks out sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await expectNoHorizontalOverflow(page);
      await shot(page, 'personal-data-customer-phone');
    } finally {
      await context.close();
    }
    // The 409 above is logged by the browser as a failed resource; nothing may have thrown.
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
