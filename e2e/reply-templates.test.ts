/**
 * Reply templates (mẫu trả lời) end to end: a supervisor keeps them on their page — a template with a placeholder Sen
 * does not know is refused at the body field (422) and then corrected, an English one is written with the placeholder
 * buttons, a third is retired — and the page fits a phone. An agent answering a Vietnamese complaint then finds only
 * the Vietnamese template in use in the reply card, inserts it filled with the complaint's details (the customer's
 * name, the code, the resolution due date as dd/MM/yyyy), adds a line and sends it: the reply sent is that text. On an
 * English complaint only the English template is offered, and it goes after what the agent had already written.
 *
 * Same setup as replies.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed templates-).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint } from '../test/factories';
import { expectNoHorizontalOverflow, expectStatus, focusedId, shot, useE2e } from './harness';

const SUPERVISOR = { email: 'giamsat.mau@sen.test', name: 'Lê Thị Giám Sát', password: 'mat-khau-giam-sat-2024' };
const AGENT = { email: 'agent.mau@sen.test', name: 'Ngô Thị Trả Lời', password: 'mat-khau-tra-loi-2024' };
const CUSTOMER = { name: 'Nguyễn Thị Hoa', email: 'hoa.nguyen@example.com' };
const EN_CUSTOMER = { name: 'Emily Tran', email: 'emily.tran@example.com' };

const VI = {
  name: 'Đã chuyển bộ phận kho',
  wrongBody: 'Kính gửi {{hoTen}},\nKhiếu nại {{code}} đã được chuyển đến bộ phận kho.',
  body: 'Kính gửi {{customerName}},\nKhiếu nại {{code}} của quý khách đã được chuyển đến bộ phận kho. Chúng tôi sẽ trả lời chậm nhất ngày {{resolutionDueAt}}.',
};
const RETIRED = { name: 'Xin lỗi vì giao hàng chậm', body: 'Chúng tôi thành thật xin lỗi {{customerName}} vì đơn hàng giao chậm.' };
const EN = { name: 'Passed to the warehouse', body: 'Dear {{customerName}},\nYour complaint {{code}} is with our warehouse team.\n{{agentName}}' };

/** An instant's calendar day in Vietnam as dd/MM/yyyy, worked out here independently of the web app. */
function vietnamDay(at: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at).map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year}`;
}

const row = (page: Page, name: string) => page.locator('[data-testid="reply-template-row"]', { has: page.getByRole('heading', { name, exact: true }) });

describe('reply templates end to end', () => {
  let viCode = '';
  let enCode = '';
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'supervisor', ...SUPERVISOR });
      await addStaffUser({ database, role: 'agent', ...AGENT });
      viCode = (await seedComplaint(database, { input: { customer: { name: CUSTOMER.name, phone: '0912 111 222', email: CUSTOMER.email }, subject: 'Nồi cơm điện không nóng' } })).code;
      enCode = (
        await seedComplaint(database, {
          input: { customer: { name: EN_CUSTOMER.name, phone: '0912 333 444', email: EN_CUSTOMER.email }, subject: 'Kettle leaks', language: 'en' },
        })
      ).code;
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  /** The resolution due date of a complaint as the database holds it, as dd/MM/yyyy in Vietnam. */
  async function dueDay(code: string): Promise<string> {
    const r = await e2e.database.pool.query<{ due: string | Date }>('select resolution_due_at as due from complaints where code = $1', [code]);
    return vietnamDay(new Date(r.rows[0].due));
  }

  it('a supervisor adds templates (an unknown placeholder is refused at the body), edits one, retires one; the page fits a phone', async () => {
    const { page } = await newPage();
    await logIn(page, SUPERVISOR);
    // Supervisors have no admin menu: the page is in their top bar.
    await page.getByTestId('nav-reply-templates').click();
    await page.getByTestId('reply-templates-page').waitFor();
    expect(await page.locator('main h1').innerText()).toBe('Mẫu trả lời');
    await page.getByTestId('reply-templates-empty').waitFor();
    // The placeholders are listed with what each stands for.
    const hints = page.getByTestId('reply-template-form').getByTestId('reply-template-placeholders');
    expect(await hints.locator('li').allTextContents()).toEqual([
      '{{customerName}} họ tên khách hàng',
      '{{code}} mã khiếu nại, ví dụ KN-2026-000123',
      '{{subject}} tiêu đề khiếu nại',
      '{{resolutionDueAt}} hạn giải quyết, dạng ngày/tháng/năm',
      '{{agentName}} tên nhân viên gửi thư',
    ]);

    // A placeholder Sen does not know: refused by the server, said next to the body, nothing added.
    const form = page.getByTestId('reply-template-form');
    await form.getByTestId('reply-template-form-name').fill(VI.name);
    expect(await form.getByTestId('reply-template-form-language').inputValue()).toBe('vi');
    await form.getByTestId('reply-template-form-body').fill(VI.wrongBody);
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/reply-templates'));
    await form.getByTestId('reply-template-form-submit').click();
    await expectStatus(refused, 422);
    const bodyError = page.locator('#rt-new-body-error');
    await bodyError.waitFor();
    expect(await bodyError.innerText()).toBe('Mẫu có chỗ điền không được hỗ trợ: {{hoTen}}. Chỉ dùng các chỗ điền liệt kê dưới ô nội dung.');
    expect(await page.locator('#rt-new-body').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#rt-new-body').getAttribute('aria-describedby')).toContain('rt-new-body-error');
    expect(await form.getByTestId('error-summary').innerText()).toContain('{{hoTen}}');
    expect(await page.locator('#rt-new-name-error').count()).toBe(0);
    expect(await page.getByTestId('reply-template-row').count()).toBe(0);
    await shot(page, 'templates-01-refused');

    // Corrected: added, the form empty again for the next one.
    await form.getByTestId('reply-template-form-body').fill(VI.body);
    const added = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/reply-templates'));
    await form.getByTestId('reply-template-form-submit').click();
    expect((await (await expectStatus(added, 201)).json()) as unknown).toMatchObject({ name: VI.name, language: 'vi', body: VI.body, active: true });
    const notice = page.getByTestId('reply-template-notice');
    await expect.poll(() => notice.innerText()).toBe(`Đã thêm mẫu “${VI.name}”.`);
    expect(await page.locator('#rt-new-body-error').count()).toBe(0);
    expect(await form.getByTestId('reply-template-form-name').inputValue()).toBe('');
    expect(await form.getByTestId('reply-template-form-body').inputValue()).toBe('');
    const vi = row(page, VI.name);
    expect(await vi.getByTestId('reply-template-language').innerText()).toBe('Tiếng Việt');
    expect(await vi.getByTestId('reply-template-active').innerText()).toBe('Đang dùng');
    expect(await vi.getByTestId('reply-template-body').innerText()).toBe(VI.body);

    // The English one, its placeholders put in with their buttons (at the caret) rather than typed.
    await form.getByTestId('reply-template-form-name').fill('Warehouse');
    await form.getByTestId('reply-template-form-language').selectOption('en');
    const body = form.getByTestId('reply-template-form-body');
    await body.fill('Dear ');
    await form.getByTestId('reply-template-placeholder-customerName').click();
    expect(await focusedId(page)).toBe('rt-new-body');
    await page.keyboard.type(',\nYour complaint ');
    await form.getByTestId('reply-template-placeholder-code').click();
    await page.keyboard.type(' is with our warehouse team.\n');
    await form.getByTestId('reply-template-placeholder-agentName').click();
    expect(await body.inputValue()).toBe(EN.body);
    expect(await body.getAttribute('lang')).toBe('en');
    const addedEn = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/reply-templates'));
    await form.getByTestId('reply-template-form-submit').click();
    await expectStatus(addedEn, 201);
    await expect.poll(() => notice.innerText()).toBe('Đã thêm mẫu “Warehouse”.');
    expect(await row(page, 'Warehouse').getByTestId('reply-template-language').innerText()).toBe('Tiếng Anh');

    // Renamed in place.
    const en = row(page, 'Warehouse');
    await en.getByTestId('reply-template-edit').click();
    const editForm = en.getByTestId('reply-template-edit-form');
    expect(await editForm.getByTestId('reply-template-form-body').inputValue()).toBe(EN.body);
    await editForm.getByTestId('reply-template-form-name').fill(EN.name);
    const renamed = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/reply-templates/'));
    await editForm.getByTestId('reply-template-form-submit').click();
    await expectStatus(renamed, 200);
    await expect.poll(() => notice.innerText()).toBe(`Đã lưu mẫu “${EN.name}”.`);
    await row(page, EN.name).waitFor();
    expect(await row(page, EN.name).getByTestId('reply-template-edit-form').count()).toBe(0);
    // Back on its edit button, not lost at the top of the page.
    expect(await focusedId(page)).toBe('reply-template-edit');

    // A third, retired: it stays on the page, last, and may be used again.
    await form.getByTestId('reply-template-form-name').fill(RETIRED.name);
    await form.getByTestId('reply-template-form-language').selectOption('vi');
    await form.getByTestId('reply-template-form-body').fill(RETIRED.body);
    const addedRetired = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/reply-templates'));
    await form.getByTestId('reply-template-form-submit').click();
    await expectStatus(addedRetired, 201);
    const retired = row(page, RETIRED.name);
    expect(await retired.getByTestId('reply-template-toggle').getAttribute('aria-label')).toBe(`Ngừng dùng mẫu “${RETIRED.name}”`);
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/reply-templates/'));
    await retired.getByTestId('reply-template-toggle').click();
    expect((await expectStatus(patched, 200)).request().postDataJSON()).toEqual({ active: false });
    await page.locator('[data-testid="reply-template-row"][data-active="false"]').waitFor();
    expect(await retired.getByTestId('reply-template-active').innerText()).toBe('Ngừng dùng');
    expect(await retired.getByTestId('reply-template-toggle').innerText()).toBe('Dùng lại');
    await expect.poll(() => notice.innerText()).toBe(`Đã ngừng dùng mẫu “${RETIRED.name}”: nhân viên không còn thấy mẫu này.`);
    // In use first, by name in Vietnamese order; the retired one last.
    expect(await page.getByTestId('reply-template-name').allInnerTexts()).toEqual([VI.name, EN.name, RETIRED.name]);
    await shot(page, 'templates-02-page');

    // On a phone: nothing sticks out sideways, with a template open for editing too.
    const phone = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await logIn(phone.page, SUPERVISOR, '/staff/admin/reply-templates');
    await phone.page.getByTestId('reply-template-list').waitFor();
    await expectNoHorizontalOverflow(phone.page);
    await row(phone.page, VI.name).getByTestId('reply-template-edit').click();
    await row(phone.page, VI.name).getByTestId('reply-template-edit-form').waitFor();
    await expectNoHorizontalOverflow(phone.page);
    await shot(phone.page, 'templates-03-phone');
    await phone.context.close();

    expect(pageErrors).toEqual([]);
    // The refused template is logged by the browser as a failed request (422); nothing else went wrong.
    expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  it('an agent inserts the Vietnamese template, filled, into the reply, adds a line and sends it', async () => {
    const { page } = await newPage();
    await logIn(page, AGENT, `/staff/complaints/${viCode}`);
    await page.getByTestId('reply-form').waitFor();
    const select = page.getByTestId('reply-template-select');
    await select.waitFor();
    expect(await page.locator('label[for="reply-template"]').innerText()).toBe('Chèn mẫu trả lời');
    // Only the Vietnamese one in use: not the English one, not the retired one.
    expect(await select.locator('option').allInnerTexts()).toEqual(['— Chọn mẫu —', VI.name]);

    const filled = `Kính gửi ${CUSTOMER.name},\nKhiếu nại ${viCode} của quý khách đã được chuyển đến bộ phận kho. Chúng tôi sẽ trả lời chậm nhất ngày ${await dueDay(viCode)}.`;
    expect(filled).toMatch(/ngày \d{2}\/\d{2}\/\d{4}\.$/);
    // Choosing alone inserts nothing (arrowing through a closed select chooses): the button does.
    await select.selectOption({ label: VI.name });
    const reply = page.getByTestId('reply-input');
    expect(await reply.inputValue()).toBe('');
    await page.getByTestId('reply-template-insert').click();
    await expect.poll(() => reply.inputValue()).toBe(filled);
    // Back on its prompt; the agent goes on writing in the reply.
    expect(await select.inputValue()).toBe('');
    await expect.poll(() => focusedId(page)).toBe('reply-body');
    await shot(page, 'templates-04-inserted');

    const extra = 'Nếu cần, chị cứ gọi 1900 1234.';
    await page.keyboard.type(`\n${extra}`);
    const sent = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/replies'));
    await page.getByTestId('reply-submit').click();
    const answer = await expectStatus(sent, 201);
    expect(answer.request().postDataJSON()).toEqual({ afterEvent: expect.any(Number), body: `${filled}\n${extra}` });
    await page.getByText('Đã gửi thư cho khách hàng.').waitFor();
    const entry = page.locator('[data-testid="timeline-event"][data-type="reply.sent"]');
    await entry.waitFor();
    expect(await entry.getByTestId('timeline-reply').innerText()).toBe(`${filled}\n${extra}`);
    await shot(page, 'templates-05-sent');

    // An English complaint: only the English template; it goes after what is already written, after a blank line.
    await page.goto(`/staff/complaints/${enCode}`);
    await page.getByTestId('reply-form').waitFor();
    await select.waitFor();
    expect(await select.locator('option').allInnerTexts()).toEqual(['— Chọn mẫu —', EN.name]);
    await reply.fill('Hello Emily,');
    await select.selectOption({ label: EN.name });
    await page.getByTestId('reply-template-insert').click();
    await expect.poll(() => reply.inputValue()).toBe(`Hello Emily,\n\nDear ${EN_CUSTOMER.name},\nYour complaint ${enCode} is with our warehouse team.\n${AGENT.name}`);
    expect(await select.inputValue()).toBe('');

    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  });
});
