/**
 * Replying to the customer end to end: an agent opens a complaint just received, writes to the customer from
 * the complaint page (an empty message is stopped at the field before anything is sent), and the timeline shows
 * the message, to whom it went, and that it was the first contact (the complaint is acknowledged). The customer's
 * status page shows the message. A customer with no email gets no form, but says why.
 *
 * Same setup as merge.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed replies-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint } from '../test/factories';
import { expectStatus, focusedId, shot, useE2e } from './harness';

const AGENT = { email: 'agent.traloi@sen.test', name: 'Ngô Thị Trả Lời', password: 'mat-khau-tra-loi-2024' };
const EMAIL = 'hoa.nguyen@example.com';

describe('replying to the customer end to end', () => {
  let code = '';
  let phoneOnly = '';
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      code = (await seedComplaint(database, { input: { customer: { name: 'Nguyễn Thị Hoa', phone: '0912 111 222', email: EMAIL }, subject: 'Nồi cơm điện không nóng' } })).code;
      phoneOnly = (await seedComplaint(database, { input: { customer: { name: 'Đặng Văn Gọi', phone: '0912 333 444', email: undefined }, subject: 'Quạt kêu to' } })).code;
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('the agent writes to the customer from the complaint; the timeline and the customer’s status page show it', async () => {
    const { page, context } = await newPage();
    await logIn(page, AGENT, `/staff/complaints/${code}`);
    await page.getByTestId('reply-form').waitFor();
    expect(await page.getByTestId('reply-section').innerText()).toContain(EMAIL);

    // Empty: said at the field, nothing sent.
    let sent = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/replies')) sent++;
    });
    await page.getByTestId('reply-submit').click();
    expect(await page.locator('#reply-body-error').innerText()).toBe('Vui lòng nhập nội dung thư.');
    expect(await focusedId(page)).toBe('reply-body');
    expect(sent).toBe(0);

    const words = 'Chào chị Hoa,\nChúng tôi sẽ đổi nồi mới cho chị trong tuần này.';
    await page.getByTestId('reply-input').fill(words);
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/replies'));
    await page.getByTestId('reply-submit').click();
    await expectStatus(answered, 201);
    await page.getByText('Đã gửi thư cho khách hàng.').waitFor();
    expect(await page.getByTestId('reply-input').inputValue()).toBe('');
    const entry = page.locator('[data-testid="timeline-event"][data-type="reply.sent"]');
    await entry.waitFor();
    expect(await entry.locator('.timeline-title').innerText()).toBe('Trả lời khách hàng qua email');
    expect(await entry.getByTestId('timeline-reply-to').innerText()).toBe(`Gửi đến ${EMAIL}`);
    expect(await entry.getByTestId('timeline-reply').innerText()).toBe(words);
    // It was the first contact: the complaint is acknowledged.
    await page.locator('[data-testid="timeline-event"][data-type="status.changed"]').first().waitFor();
    await shot(page, 'replies-sent');

    // The customer's status page shows the message.
    const portal = await context.newPage();
    await portal.goto(`${e2e.baseUrl}/tra-cuu?code=${code}`);
    await portal.locator('#contact').fill(EMAIL);
    await portal.getByTestId('lookup-submit').click();
    await portal.getByText('Chúng tôi đã gửi thư cho bạn').waitFor();
    expect(await portal.getByTestId('public-reply').innerText()).toBe(words);
    await shot(portal, 'replies-customer-status');

    // No email on file: no form, and the way to reach the customer instead.
    await page.goto(`${e2e.baseUrl}/staff/complaints/${phoneOnly}`);
    await page.getByTestId('reply-no-email').waitFor();
    expect(await page.getByTestId('reply-form').count()).toBe(0);
    expect(await page.getByTestId('reply-no-email').innerText()).toContain('Khách hàng chưa có email');

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
