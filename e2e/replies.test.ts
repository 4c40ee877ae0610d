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
import { resolveThroughProposal, seedComplaint } from '../test/factories';
import { queueSmsReceipts } from '../src/jobs/sms';
import { expectStatus, focusedId, PDF, PNG, shot, useE2e } from './harness';

const AGENT = { email: 'agent.traloi@sen.test', name: 'Ngô Thị Trả Lời', password: 'mat-khau-tra-loi-2024' };
const EMAIL = 'hoa.nguyen@example.com';

describe('replying to the customer end to end', () => {
  let code = '';
  let phoneOnly = '';
  let resolvedByPhone = '';
  let withFiles = '';
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      code = (await seedComplaint(database, { input: { customer: { name: 'Nguyễn Thị Hoa', phone: '0912 111 222', email: EMAIL }, subject: 'Nồi cơm điện không nóng' } })).code;
      withFiles = (await seedComplaint(database, { input: { customer: { name: 'Trịnh Văn Hoàn', phone: '0912 777 888', email: 'hoan.trinh@example.com' }, subject: 'Hoàn tiền máy xay' } })).code;
      phoneOnly = (await seedComplaint(database, { input: { customer: { name: 'Đặng Văn Gọi', phone: '0912 333 444', email: undefined }, subject: 'Quạt kêu to' } })).code;
      // Resolved, its customer without email: no survey link ever reaches them.
      resolvedByPhone = (await seedComplaint(database, { input: { customer: { name: 'Bà Lưu Thị Nghe', phone: '0912 555 666', email: undefined }, subject: 'Ấm siêu tốc rò điện' } })).code;
      const cause = await database.pool.query<{ id: string }>(`select id from root_causes where active order by name limit 1`);
      await resolveThroughProposal(database, resolvedByPhone, { rootCauseId: cause.rows[0].id });
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

    // No email on file: no form, and the way to reach the customer instead; the receipt went by SMS (queued here).
    expect(await queueSmsReceipts({ database: e2e.database, baseUrl: e2e.baseUrl, companyName: 'Điện máy Sen' })).toBeGreaterThan(0);
    await page.goto(`${e2e.baseUrl}/staff/complaints/${phoneOnly}`);
    const sms = page.locator('[data-testid="timeline-event"][data-type="sms.outbound"]');
    await sms.waitFor();
    expect(await sms.locator('.timeline-title').innerText()).toBe('Tin nhắn SMS gửi đi');
    expect(await sms.getByTestId('timeline-sms').innerText()).toBe('Tới +84912333444');
    expect(await sms.getByTestId('timeline-sms-text').innerText()).toContain(`Da tiep nhan khieu nai ${phoneOnly}`);
    expect(await sms.getByTestId('timeline-sms-status').innerText()).toBe('Đang chờ gửi');
    await page.getByTestId('reply-no-email').waitFor();
    expect(await page.getByTestId('reply-form').count()).toBe(0);
    expect(await page.getByTestId('reply-no-email').innerText()).toContain('Khách hàng chưa có email');

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('the agent sends the complaint’s files with the reply: picked under the text, named on the timeline and the status page', async () => {
    const { page, context } = await newPage();
    await logIn(page, AGENT, `/staff/complaints/${withFiles}`);
    await page.getByTestId('reply-form').waitFor();
    // No file on the complaint yet: nothing to pick.
    expect(await page.getByTestId('reply-files').count()).toBe(0);
    // The refund slip is scanned and added to the complaint, then offered under the reply.
    const panel = page.getByTestId('attachments-panel');
    await panel.locator('summary').click();
    await page.getByTestId('staff-upload-picker-input').setInputFiles([
      { name: 'phiếu-hoàn-tiền.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'ảnh-máy-xay.png', mimeType: 'image/png', buffer: PNG },
    ]);
    const uploaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${withFiles}/attachments`));
    await page.getByTestId('staff-upload-submit').click();
    await expectStatus(uploaded, 201);
    const picker = page.getByTestId('reply-files');
    await picker.waitFor();
    expect(await picker.getByTestId('reply-file').count()).toBe(2);
    // The same file is offered elsewhere on the page too (to verify it, to share it in a consultation): this is the reply's.
    await picker.getByLabel(/phiếu-hoàn-tiền\.pdf/).check();
    expect(await page.getByTestId('reply-files-picked').innerText()).toMatch(/^Đã chọn 1 tệp, \d+(,\d)? (B|KB)\.$/);

    await page.getByTestId('reply-input').fill('Chào anh Hoàn,\nPhiếu hoàn tiền gửi kèm thư này.');
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/replies'));
    await page.getByTestId('reply-submit').click();
    const response = await answered;
    expect(response.status()).toBe(201);
    expect(JSON.parse(response.request().postData() ?? '{}').attachments).toHaveLength(1);
    await page.getByText('Đã gửi thư cho khách hàng, kèm 1 tệp.').waitFor();
    // Sent: the pick is cleared with the text.
    expect(await page.getByTestId('reply-file').first().isChecked()).toBe(false);
    const entry = page.locator('[data-testid="timeline-event"][data-type="reply.sent"]');
    await entry.waitFor();
    expect(await entry.innerText()).toContain('Tệp gửi kèm');
    expect(await entry.getByTestId('timeline-file').getAttribute('data-name')).toBe('phiếu-hoàn-tiền.pdf');
    await shot(page, 'replies-with-files');

    const portal = await context.newPage();
    await portal.goto(`${e2e.baseUrl}/tra-cuu?code=${withFiles}`);
    await portal.locator('#contact').fill('hoan.trinh@example.com');
    await portal.getByTestId('lookup-submit').click();
    await portal.getByTestId('public-reply-files').waitFor();
    expect(await portal.getByTestId('public-reply-files').innerText()).toBe('phiếu-hoàn-tiền.pdf');
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('a customer without email rates by phone: the agent writes the answer down and the complaint closes', async () => {
    const { page } = await newPage();
    await logIn(page, AGENT, `/staff/complaints/${resolvedByPhone}`);
    const section = page.getByTestId('phone-survey-section');
    await section.waitFor();
    // No rating: said at the stars, nothing sent.
    await page.getByTestId('phone-survey-submit').click();
    expect(await page.getByTestId('error-phone-rating').innerText()).toBe('Chọn số sao từ 1 đến 5.');
    await page.getByTestId('phone-survey-star-4').check();
    expect(await page.getByTestId('phone-survey-caption').innerText()).toBe('4/5 · Hài lòng');
    await page.getByTestId('phone-survey-comment').fill('Bà hài lòng, mong lần sau đổi hàng nhanh hơn.');
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/survey-answer'));
    await page.getByTestId('phone-survey-submit').click();
    await expectStatus(answered, 201);
    const entry = page.locator('[data-testid="timeline-event"][data-type="survey.answered"]');
    await entry.waitFor();
    expect(await entry.innerText()).toContain('qua điện thoại (nhân viên ghi nhận)');
    expect(await entry.innerText()).toContain(AGENT.name);
    // Answered: the complaint is closed and the form is gone.
    await page.locator('[data-testid="phone-survey-section"]').waitFor({ state: 'detached' });
    await shot(page, 'replies-phone-survey');
    expect(pageErrors).toEqual([]);
  });
});
