/**
 * Corrections end to end: an agent opens a complaint taken down at the hotline with the customer's name
 * misspelt, the email mistyped and the order number too. "Sửa" beside the customer opens the form in place
 * (focus on the name); an address that is not one comes back from the server as a field error beside the
 * email; the corrected name and email are saved, shown, and the timeline says what they were and are now,
 * and that the receipt not yet sent goes to the corrected address. Then the order
 * number is corrected the same way, beside the complaint's details.
 *
 * Same setup as merge.test.ts (in-process server, in-memory PGlite, headless Chromium), with a private
 * build of the web app. Screenshots go to artifacts/e2e/ (prefixed corrections-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { createComplaint } from '../src/commands/create-complaint';
import { buildIntake } from '../test/factories';
import { expectStatus, focusedId, shot, useE2e } from './harness';

const AGENT = { email: 'agent.sua@sen.test', name: 'Lê Thị Sửa', password: 'mat-khau-sua-2024' };

describe('correcting a customer and a complaint end to end', () => {
  let code = '';
  const e2e = useE2e({
    privateWebBuild: 'corrections',
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      const customer = { name: 'Nguyễn Văn Ann', phone: '0912 765 432', email: 'van.an@exmaple.com' };
      // Taken down at the hotline with a receipt queued for the customer's (mistyped) email.
      code = (
        await createComplaint({
          database,
          actor: { kind: 'agent', id: null, channel: 'console' },
          channel: 'hotline',
          input: buildIntake({ customer, subject: 'Máy xay sinh tố không chạy', orderRef: 'DH-1234' }) as never,
          requireConsent: true,
          receipt: { baseUrl: 'http://localhost:3000', companyName: 'Sen' },
        })
      ).code;
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it("the agent corrects the customer's misspelt name and the complaint's order number, and the timeline says so", async () => {
    const { page } = await newPage();
    await logIn(page, AGENT, `/staff/complaints/${code}`);
    await page.getByTestId('customer-correction-edit').waitFor();
    expect(await page.getByTestId('customer-name').innerText()).toBe('Nguyễn Văn Ann');

    // The form opens in place, its first field focused, filled with the record as it is.
    await page.getByTestId('customer-correction-edit').click();
    expect(await focusedId(page)).toBe('correct-name');
    expect(await page.getByTestId('correct-phone').inputValue()).toBe('0912765432');

    // What only the server can judge comes back beside its field; nothing changed.
    await page.getByTestId('correct-name').fill('Nguyễn Văn An');
    await page.getByTestId('correct-email').fill('van.an@');
    const refused = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/customers/'));
    await page.getByTestId('customer-correction-submit').click();
    await expectStatus(refused, 422);
    expect(await page.locator('#correct-email-error').innerText()).toBe('Địa chỉ email không hợp lệ.');
    expect(await page.getByTestId('correct-email').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('correct-email');
    expect(await page.getByTestId('customer-name').innerText()).toBe('Nguyễn Văn Ann');
    await shot(page, 'corrections-field-error');

    await page.getByTestId('correct-email').fill('van.an@example.com');
    await page.getByTestId('correct-reason').fill('Khách báo tên bị ghi sai chính tả');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/customers/'));
    await page.getByTestId('customer-correction-submit').click();
    await expectStatus(saved, 200);
    await page.getByTestId('customer-correction-saved').waitFor();
    // The complaint is read again, with the record as it is now.
    await page.locator('[data-testid="customer-name"]:text-is("Nguyễn Văn An")').waitFor();
    expect(await page.getByTestId('customer-name').innerText()).toBe('Nguyễn Văn An');
    // Focus back on the button that opened the form.
    expect(await focusedId(page)).toBe('customer-correction-edit');
    const customerEntry = page.locator('[data-testid="timeline-event"][data-type="customer.corrected"]');
    await customerEntry.waitFor();
    expect(await customerEntry.locator('.timeline-title').innerText()).toBe('Sửa thông tin khách hàng');
    expect(await customerEntry.locator('li[data-field="name"]').innerText()).toBe('Họ tên: “Nguyễn Văn Ann” → “Nguyễn Văn An”');
    expect(await customerEntry.locator('li[data-field="email"]').innerText()).toBe('Email: “van.an@exmaple.com” → “van.an@example.com”');
    expect(await customerEntry.getByTestId('timeline-correction-mail').innerText()).toBe('1 thư chưa gửi được chuyển sang địa chỉ mới.');
    expect(await customerEntry.locator('.timeline-reason').innerText()).toContain('Khách báo tên bị ghi sai chính tả');
    expect(await customerEntry.locator('.timeline-meta').innerText()).toContain(AGENT.name);

    // The order number, beside the complaint's details; the keyboard alone is enough.
    await page.getByTestId('complaint-correction-edit').focus();
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).toBe('correct-subject');
    await page.getByTestId('correct-order-ref').fill('DH-12345');
    const corrected = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/v1/complaints/${code}`));
    await page.getByTestId('correct-order-ref').press('Enter');
    await expectStatus(corrected, 200);
    await page.getByTestId('complaint-correction-saved').waitFor();
    expect(await page.getByTestId('complaint-order-ref').innerText()).toBe('DH-12345');
    const complaintEntry = page.locator('[data-testid="timeline-event"][data-type="complaint.corrected"]');
    await complaintEntry.waitFor();
    expect(await complaintEntry.locator('.timeline-title').innerText()).toBe('Sửa nội dung khiếu nại');
    expect(await complaintEntry.locator('[data-testid="timeline-correction"]').innerText()).toBe('Mã đơn hàng: “DH-1234” → “DH-12345”');
    await shot(page, 'corrections-done');

    expect(pageErrors).toEqual([]);
    // The refused correction is logged by the browser as a failed request (422); nothing else went wrong.
    expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  });
});
