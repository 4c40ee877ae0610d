/**
 * Staff accounts end to end: the only admin adds an agent's account on "Nhân viên" (a taken email and a
 * department without a team are refused next to their fields); the agent logs in in another browser and
 * changes their own password on "Tài khoản của tôi" (a repeat that does not match is caught before sending,
 * a wrong current password by the server), and makes and revokes an API token; the admin deactivates the
 * agent, whose next navigation lands on the login page (the session ended) and whose new password no longer
 * opens Sen; the admin cannot deactivate themselves, the last admin (409 last_admin, said on the row); the
 * admin moves the agent to a team; the account's audit trail shows who did what, in Vietnam time. Then a
 * complaint category added on "Danh mục khiếu nại" is offered on the new-complaint form, and leaves it when
 * retired. The pages fit a phone.
 *
 * Same setup as portal-to-agent.test.ts: the real server in-process (embedded in-memory PGlite, Fastify
 * serving the built web app), driven with headless Chromium through playwright-core. Screenshots go to
 * artifacts/e2e/ (prefixed staff-admin-).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e, vietnamDateText } from './harness';

const ADMIN = { email: 'admin.staff@sen.test', name: 'Trần Quốc Bảo', password: 'mat-khau-admin-2024' };
const AGENT = { email: 'agent.moi@sen.test', name: 'Đỗ Thị Mai', password: 'mat-khau-ban-dau-01' };
const AGENT_NEW_PASSWORD = 'mat-khau-cua-mai-2025';
const TEAM = 'Phòng Kỹ thuật';
const CATEGORY = { name: 'Lắp đặt trễ hẹn', nameEn: 'Missed installation appointment' };
const DATE_TIME = /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/;
const LAST_ADMIN_VI = 'Sen cần ít nhất một quản trị viên đang hoạt động';
const PHONE = { width: 390, height: 844 };

describe('staff accounts and categories end to end: admin → agent → admin', () => {
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'admin', ...ADMIN });
      await database.pool.query('insert into teams (name) values ($1)', [TEAM]);
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  // The admin and the agent each keep their browser (and session) across the steps.
  let admin: { context: BrowserContext; page: Page };
  let agent: { context: BrowserContext; page: Page };
  afterAll(async () => {
    await admin?.context.close().catch(() => undefined);
    await agent?.context.close().catch(() => undefined);
  });

  const userRow = (page: Page, email: string) => page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  const panelRow = (page: Page, id: string) => page.locator(`[data-testid="user-panel-row"][data-id="${id}"]`);

  /** Opens "Nhân viên" from the admin menu and waits for the list. */
  async function openUsersFromMenu(page: Page): Promise<void> {
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/users?includeInactive=true'));
    await page.getByTestId('nav-admin-menu-toggle').click();
    await page.getByTestId('nav-admin-users').click();
    await page.waitForURL('**/staff/admin/users');
    await expectStatus(listed, 200);
    await page.getByTestId('user-list').waitFor();
  }

  it('1. the admin adds an agent account on "Nhân viên"; a taken email and a department without a team are refused', async () => {
    admin = await newPage();
    const { page } = admin;
    await logIn(page, ADMIN);
    await openUsersFromMenu(page);
    expect(await page.locator('main h1').innerText()).toBe('Nhân viên');
    const me = userRow(page, ADMIN.email);
    await me.waitFor();
    expect(await me.getByTestId('user-row-role').innerText()).toBe('Quản trị');
    expect(await me.getByTestId('user-row-active').innerText()).toBe('Đang hoạt động');
    expect(await me.getByTestId('user-row-created').innerText()).toBe(vietnamDateText());
    // The teams are listed under the accounts.
    expect(await page.getByTestId('team-item').allInnerTexts()).toEqual([expect.stringContaining(TEAM)]);

    // A department member needs a team: caught before sending.
    await page.getByTestId('user-email').fill(AGENT.email);
    await page.getByTestId('user-name').fill(AGENT.name);
    await page.getByTestId('user-role').selectOption('department');
    await page.getByTestId('user-password').fill(AGENT.password);
    await page.getByTestId('user-add').click();
    await page.getByTestId('error-summary').waitFor();
    expect(await page.getByTestId('error-ua-team').innerText()).toBe('Chọn nhóm / phòng ban cho tài khoản có vai trò Phòng ban.');
    expect(await page.locator('#ua-team').getAttribute('aria-invalid')).toBe('true');

    // A taken email: the server's field error, next to the email.
    await page.getByTestId('user-role').selectOption('agent');
    await page.getByTestId('user-email').fill(ADMIN.email.toUpperCase());
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
    await page.getByTestId('user-add').click();
    await expectStatus(refused, 422);
    await page.getByTestId('error-ua-email').waitFor();
    expect(await page.getByTestId('error-ua-email').innerText()).toBe('Đã có tài khoản với email này.');
    await shot(page, 'staff-admin-01-add-errors');

    await page.getByTestId('user-email').fill(AGENT.email);
    const added = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
    await page.getByTestId('user-add').click();
    await expectStatus(added, 201);
    expect(await page.getByTestId('user-notice').innerText()).toBe(`Đã thêm tài khoản của ${AGENT.name}.`);
    const row = userRow(page, AGENT.email);
    await row.waitFor();
    expect(await row.getByTestId('user-row-name').innerText()).toBe(AGENT.name);
    expect(await row.getByTestId('user-row-role').innerText()).toBe('Nhân viên CSKH');
    expect(await row.getByTestId('user-row-team').innerText()).toBe('—');
    expect(await row.getByTestId('user-row-active').innerText()).toBe('Đang hoạt động');
    expect(await row.getByTestId('user-row-created').innerText()).toBe(vietnamDateText());
    // The form is empty again, ready for the next person.
    expect(await page.getByTestId('user-email').inputValue()).toBe('');
    expect(await page.getByTestId('user-password').inputValue()).toBe('');
    await shot(page, 'staff-admin-02-added');
  });

  it('2. the agent logs in elsewhere and changes their own password on "Tài khoản của tôi"; makes and revokes an API token', async () => {
    agent = await newPage();
    const { page } = agent;
    await logIn(page, AGENT);
    // The signed-in name in the header opens the account page.
    await page.getByTestId('current-user').click();
    await page.waitForURL('**/staff/account');
    await page.getByTestId('password-form').waitFor();
    expect(await page.locator('main h1').innerText()).toBe('Tài khoản của tôi');
    expect(await page.getByTestId('current-user').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('account-profile').innerText()).toContain(AGENT.email);

    // The repeat does not match: said before anything is sent.
    let sent = 0;
    const count = (r: { url(): string }) => {
      if (r.url().endsWith('/api/v1/auth/password')) sent += 1;
    };
    page.on('request', count);
    await page.getByTestId('password-current').fill(AGENT.password);
    await page.getByTestId('password-new').fill(AGENT_NEW_PASSWORD);
    await page.getByTestId('password-repeat').fill(`${AGENT_NEW_PASSWORD}x`);
    await page.getByTestId('password-submit').click();
    await page.getByTestId('error-pw-repeat').waitFor();
    expect(await page.getByTestId('error-pw-repeat').innerText()).toBe('Mật khẩu nhập lại không khớp với mật khẩu mới.');
    expect(sent).toBe(0);
    page.off('request', count);

    // A wrong current password: the server's field error.
    await page.getByTestId('password-current').fill('khong-phai-mat-khau');
    await page.getByTestId('password-repeat').fill(AGENT_NEW_PASSWORD);
    const wrong = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password'));
    await page.getByTestId('password-submit').click();
    await expectStatus(wrong, 422);
    await page.getByTestId('error-pw-current').waitFor();
    expect(await page.getByTestId('error-pw-current').innerText()).toBe('Mật khẩu hiện tại không đúng.');
    await shot(page, 'staff-admin-03-password-errors');

    await page.getByTestId('password-current').fill(AGENT.password);
    const changed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password'));
    await page.getByTestId('password-submit').click();
    await expectStatus(changed, 204);
    expect(await page.getByTestId('password-notice').innerText()).toBe('Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.');
    expect(await page.getByTestId('password-current').inputValue()).toBe('');
    await shot(page, 'staff-admin-04-password-changed');

    // This session stays: the queue still opens.
    await page.getByTestId('nav-queue').click();
    await page.waitForURL((url) => url.pathname === '/staff');
    await page.getByTestId('current-user').click();
    await page.waitForURL('**/staff/account');

    // An API token: shown once, listed by name and dates, revoked after a confirm.
    await page.getByTestId('tokens-section').waitFor();
    await page.getByTestId('token-name').fill('Tổng đài VoIP');
    const made = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/tokens') && r.request().method() === 'POST');
    await page.getByTestId('token-create').click();
    await expectStatus(made, 201);
    const token = await page.getByTestId('token-value').inputValue();
    expect(token.length).toBeGreaterThan(20);
    expect(await page.getByTestId('token-created').innerText()).toContain('Sen chỉ hiển thị nó một lần');
    const tokenRow = page.getByTestId('token-row').filter({ hasText: 'Tổng đài VoIP' });
    await tokenRow.waitFor();
    expect(await tokenRow.innerText()).toMatch(DATE_TIME);
    expect(await tokenRow.getByTestId('token-row-status').innerText()).toBe('Đang dùng');
    await shot(page, 'staff-admin-05-token-created');
    await page.getByTestId('token-dismiss').click();
    expect(await page.getByTestId('token-created').count()).toBe(0);

    await tokenRow.getByTestId('token-revoke').click();
    await page.getByTestId('confirm-dialog').waitFor();
    const revoked = page.waitForResponse((r) => r.url().includes('/api/v1/auth/tokens/') && r.request().method() === 'DELETE');
    await page.getByTestId('confirm-dialog-confirm').click();
    await expectStatus(revoked, 204);
    await page.locator('[data-testid="token-row"][data-revoked="true"]').waitFor();
    expect(await tokenRow.getByTestId('token-row-status').innerText()).toMatch(/^Đã thu hồi \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(await tokenRow.getByTestId('token-revoke').count()).toBe(0);
  });

  it('3. the admin deactivates the agent: the agent’s next navigation lands on the login page, and the password no longer works', async () => {
    const { page } = admin;
    const row = userRow(page, AGENT.email);
    const id = (await row.getAttribute('data-id'))!;
    await row.getByTestId('user-toggle').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(AGENT.email);
    // The safe choice has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-dialog-cancel');
    await shot(page, 'staff-admin-06-confirm-deactivate');
    const patched = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${id}`) && r.request().method() === 'PATCH');
    await page.getByTestId('confirm-dialog-confirm').click();
    await expectStatus(patched, 200);
    await page.locator(`[data-testid="user-row"][data-email="${AGENT.email}"][data-active="false"]`).waitFor();
    expect(await row.getByTestId('user-row-active').innerText()).toBe('Đã khoá');
    expect(await panelRow(page, id).getByTestId('user-row-notice').innerText()).toBe(`Đã khoá tài khoản của ${AGENT.name}. Người đó đã bị đăng xuất.`);
    expect(await row.getByTestId('user-toggle').innerText()).toBe('Mở khoá');

    // The agent clicks on in the console: the session is gone.
    const { page: agentPage } = agent;
    await agentPage.getByTestId('nav-queue').click();
    await agentPage.waitForURL((url) => url.pathname === '/staff/login');
    await agentPage.getByTestId('login-form').waitFor();
    await shot(agentPage, 'staff-admin-07-agent-signed-out');
    await agentPage.getByTestId('login-email').fill(AGENT.email);
    await agentPage.getByTestId('login-password').fill(AGENT_NEW_PASSWORD);
    const refused = agentPage.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await agentPage.getByTestId('login-submit').click();
    await expectStatus(refused, 401);
  });

  it('4. the only admin cannot deactivate themselves: the last_admin message is shown on their row', async () => {
    const { page } = admin;
    const me = userRow(page, ADMIN.email);
    const id = (await me.getAttribute('data-id'))!;
    await me.getByTestId('user-toggle').click();
    await page.getByTestId('confirm-dialog').waitFor();
    const refused = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${id}`) && r.request().method() === 'PATCH');
    await page.getByTestId('confirm-dialog-confirm').click();
    await expectStatus(refused, 409);
    const notice = panelRow(page, id).getByTestId('user-row-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain(LAST_ADMIN_VI);
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
    expect(await me.getAttribute('data-active')).toBe('true');
    expect(await me.getByTestId('user-row-active').innerText()).toBe('Đang hoạt động');
    await shot(page, 'staff-admin-08-last-admin');

    // Nor demote themselves: the same message, in the edit form's summary.
    await me.getByTestId('user-edit').click();
    const form = panelRow(page, id).getByTestId('user-edit-form');
    await form.waitFor();
    await form.getByTestId('user-edit-role').selectOption('supervisor');
    const demote = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${id}`) && r.request().method() === 'PATCH');
    await form.getByTestId('user-edit-save').click();
    await expectStatus(demote, 409);
    expect(await form.getByTestId('error-summary').innerText()).toContain(LAST_ADMIN_VI);
    expect(await me.getByTestId('user-row-role').innerText()).toBe('Quản trị');
    await me.getByTestId('user-edit').click();
  });

  it('5. the admin moves the agent to a team; the audit trail reads: updated ×2, token revoked and created, password changed, created', async () => {
    const { page } = admin;
    const row = userRow(page, AGENT.email);
    const id = (await row.getAttribute('data-id'))!;
    await row.getByTestId('user-edit').click();
    const form = panelRow(page, id).getByTestId('user-edit-form');
    await form.waitFor();
    expect(await form.getByTestId('user-edit-name').inputValue()).toBe(AGENT.name);
    await form.getByTestId('user-edit-team').selectOption({ label: TEAM });
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${id}`) && r.request().method() === 'PATCH');
    await form.getByTestId('user-edit-save').click();
    await expectStatus(saved, 200);
    await page.waitForFunction((email) => document.querySelector(`[data-testid="user-row"][data-email="${email}"] [data-testid="user-row-team"]`)?.textContent === 'Phòng Kỹ thuật', AGENT.email);

    const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${id}/events`));
    await row.getByTestId('user-events').click();
    await expectStatus(loaded, 200);
    const events = panelRow(page, id).getByTestId('user-event');
    await events.first().waitFor();
    const kinds = await events.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
    expect(kinds).toEqual(['updated', 'updated', 'token_revoked', 'token_created', 'password_changed', 'created']);
    const texts = await events.allInnerTexts();
    for (const text of texts) expect(text).toMatch(DATE_TIME);
    expect(texts[0]).toContain('Sửa tài khoản');
    expect(texts[0]).toContain(`bởi ${ADMIN.name}`);
    expect(texts[0]).toContain(`Nhóm: (không có) → ${TEAM}`);
    expect(texts[1]).toContain('Trạng thái: Đang hoạt động → Đã khoá');
    expect(texts[2]).toContain('Thu hồi mã API “Tổng đài VoIP”');
    expect(texts[3]).toContain('Tạo mã API “Tổng đài VoIP”');
    expect(texts[4]).toContain('Tự đổi mật khẩu');
    expect(texts[4]).toContain(`bởi ${AGENT.name}`);
    expect(texts[5]).toContain('Tạo tài khoản (Nhân viên CSKH)');
    expect(texts[5]).toContain(`bởi ${ADMIN.name}`);
    // The date and time are Vietnam's (the browser's zone is Vietnam's too: compare with the server's instant).
    const body = (await (await loaded).json()) as { items: { at: string }[] };
    const vn = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date(body.items[5].at))
      .replace(',', '');
    expect(texts[5]).toContain(vn);
    await shot(page, 'staff-admin-09-audit-trail');
  });

  it('6. a category added on "Danh mục khiếu nại" is offered on the new-complaint form, and leaves it when retired', async () => {
    const { page } = admin;
    await page.getByTestId('nav-admin-menu-toggle').click();
    const listed = page.waitForResponse((r) => r.url().endsWith('/api/v1/categories'));
    await page.getByTestId('nav-admin-categories').click();
    await page.waitForURL('**/staff/admin/categories');
    await expectStatus(listed, 200);
    expect(await page.locator('main h1').innerText()).toBe('Danh mục khiếu nại');

    // The Vietnamese name is required.
    await page.getByTestId('category-add').click();
    await page.getByTestId('error-cat-name').waitFor();

    await page.getByTestId('category-name').fill(CATEGORY.name);
    await page.getByTestId('category-name-en').fill(CATEGORY.nameEn);
    const added = page.waitForResponse((r) => r.url().endsWith('/api/v1/categories') && r.request().method() === 'POST');
    await page.getByTestId('category-add').click();
    await expectStatus(added, 201);
    const row = page.getByTestId('category-row').filter({ hasText: CATEGORY.name });
    await row.waitFor();
    expect(await row.getByTestId('category-name-en-cell').innerText()).toBe(CATEGORY.nameEn);
    expect(await row.getByTestId('category-active').innerText()).toBe('Đang dùng');
    await shot(page, 'staff-admin-10-category-added');

    const optionTexts = async () => {
      const loaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/categories'));
      await page.getByTestId('new-complaint').click();
      await page.waitForURL('**/staff/new');
      await expectStatus(loaded, 200);
      await page.getByTestId('category-select').waitFor();
      // The options arrive with the list.
      await page.waitForTimeout(200);
      return page.getByTestId('category-select').locator('option').allInnerTexts();
    };
    expect(await optionTexts()).toContain(CATEGORY.name);
    await page.getByTestId('category-select').selectOption({ label: CATEGORY.name });

    // Retired: no longer offered.
    await page.goto('/staff/admin/categories');
    const again = page.getByTestId('category-row').filter({ hasText: CATEGORY.name });
    await again.waitFor();
    const patched = page.waitForResponse((r) => r.url().includes('/api/v1/categories/') && r.request().method() === 'PATCH');
    await again.getByTestId('category-toggle').click();
    await expectStatus(patched, 200);
    await page.locator('[data-testid="category-row"][data-active="false"]').waitFor();
    expect(await page.getByTestId('category-notice').innerText()).toBe(`Đã ngừng dùng “${CATEGORY.name}”.`);
    expect(await optionTexts()).not.toContain(CATEGORY.name);
  });

  it('7. the pages fit a phone', async () => {
    const { context, page } = await newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    try {
      await logIn(page, ADMIN, '/staff/admin/users');
      await page.getByTestId('user-list').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'staff-admin-11-users-phone');
      await page.goto('/staff/admin/categories');
      await page.getByTestId('category-list').waitFor();
      await expectNoHorizontalOverflow(page);
      await page.goto('/staff/account');
      await page.getByTestId('password-form').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'staff-admin-12-account-phone');
    } finally {
      await context.close();
    }
  });

  it('8. no page threw an uncaught error', () => {
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
