/**
 * Merging a duplicate end to end: an agent opens the customer's second complaint, tries "Gộp" without a
 * code (caught at the field, nothing sent), with the complaint's own code (the server's field error, shown
 * beside the field), then merges it into the first one. The complaint shows "Gộp vào khiếu nại KN-…" with a
 * link that opens the first complaint, whose timeline says the duplicate was merged in; the customer's
 * status page of the duplicate says where the handling goes on. Then the customer withdraws the first
 * one on its status page, saying why (a reason is asked for before anything is sent).
 *
 * Same setup as portal-to-agent.test.ts (in-process server, in-memory PGlite, headless Chromium).
 * Screenshots go to artifacts/e2e/ (prefixed merge-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint } from '../test/factories';
import { expectStatus, shot, useE2e } from './harness';

const AGENT = { email: 'agent.gop@sen.test', name: 'Phạm Văn Gộp', password: 'mat-khau-gop-2024' };
const PHONE = '0912 678 345';

describe('merging a duplicate complaint end to end', () => {
  let first = '';
  let second = '';
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      const customer = { name: 'Trịnh Thị Lan', phone: PHONE };
      first = (await seedComplaint(database, { input: { customer, subject: 'Tủ lạnh không lạnh' } })).code;
      second = (await seedComplaint(database, { input: { customer, subject: 'Tủ lạnh không lạnh (gọi lại)' } })).code;
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('the agent merges the second complaint into the first; both timelines and the customer’s status page say so', async () => {
    const { page, context } = await newPage();
    await logIn(page, AGENT, `/staff/complaints/${second}`);
    await page.getByTestId('transition-merged').waitFor();

    // Without a code: said at the field, before anything is sent.
    let sent = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/transitions')) sent++;
    });
    await page.getByTestId('transition-merged').click();
    expect(await page.locator('#transition-merge-into-error').innerText()).toContain('Hãy nhập mã khiếu nại cần gộp vào');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('transition-merge-into');
    expect(sent).toBe(0);

    // Its own code: the server's field error, beside the field.
    await page.getByTestId('transition-merge-into').fill(second.toLowerCase());
    const refused = page.waitForResponse((r) => r.url().endsWith('/transitions'));
    await page.getByTestId('transition-merged').click();
    await expectStatus(refused, 422);
    expect(await page.locator('#transition-merge-into-error').innerText()).toContain('Không thể gộp khiếu nại vào chính nó');
    await shot(page, 'merge-field-error');

    await page.getByTestId('transition-merge-into').fill(first);
    const merged = page.waitForResponse((r) => r.url().endsWith('/transitions'));
    await page.getByTestId('transition-merged').click();
    await expectStatus(merged, 200);
    const link = page.getByTestId('timeline-merged-into');
    await link.waitFor();
    expect(await link.innerText()).toBe(`Gộp vào khiếu nại ${first}`);
    await shot(page, 'merge-done');

    await link.getByRole('link').click();
    await page.waitForURL(`**/staff/complaints/${first}`);
    const mergedIn = page.getByTestId('timeline-merged-in');
    await mergedIn.waitFor();
    expect(await mergedIn.innerText()).toBe(`Khiếu nại trùng đã gộp vào đây: ${second}`);

    // The customer's status page of the duplicate says where the handling goes on.
    const portal = await context.newPage();
    await portal.goto(`${e2e.baseUrl}/tra-cuu?code=${second}`);
    await portal.locator('#contact').fill(PHONE);
    await portal.getByTestId('lookup-submit').click();
    await portal.getByText(`Đã gộp vào khiếu nại ${first} của bạn`).waitFor();
    await shot(portal, 'merge-customer-status');

    expect(pageErrors).toEqual([]);
    // The refused merge is logged by the browser as a failed request (422); nothing else went wrong.
    expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  it('the customer withdraws the other complaint on the status page, saying why; the promises no longer apply', async () => {
    const { page } = await newPage();
    await page.goto(`${e2e.baseUrl}/tra-cuu?code=${first}`);
    await page.locator('#contact').fill(PHONE);
    await page.getByTestId('lookup-submit').click();
    await page.getByTestId('withdraw-open').click();
    // Without a reason: said at the field, nothing sent.
    await page.getByTestId('withdraw-submit').click();
    expect(await page.locator('#withdraw-reason-error').innerText()).toContain('Hãy cho biết lý do rút khiếu nại');
    // As on every portal form, the error summary takes the focus and links to the field.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    await page.getByTestId('withdraw-reason').fill('Cửa hàng đã đổi tủ lạnh mới cho tôi');
    await shot(page, 'merge-customer-withdraw');
    const sent = page.waitForResponse((r) => r.url().endsWith('/withdraw'));
    await page.getByTestId('withdraw-submit').click();
    await expectStatus(sent, 200);
    await page.getByTestId('withdraw-section').waitFor({ state: 'detached' });
    expect(await page.getByTestId('status-value').innerText()).toBe('Đã rút');
    expect(await page.getByTestId('promise-resolution-outcome').innerText()).toContain('Không còn áp dụng');
    expect(await page.locator('.timeline-reason').last().innerText()).toContain('Cửa hàng đã đổi tủ lạnh mới cho tôi');
    await shot(page, 'merge-customer-withdrawn');
    expect(pageErrors).toEqual([]);
  });
});
