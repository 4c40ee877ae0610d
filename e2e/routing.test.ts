/**
 * Automatic routing (phân công tự động) end to end: a supervisor opens the routing page from the menu, adds a rule
 * without a team (stopped at the field), then a rule giving warranty complaints to the warranty team and a member with
 * a higher priority, and a catch-all rule after it; moves the catch-all first and back; pauses and resumes it. A
 * customer files a warranty complaint on the portal; the routing sweep gives it to the warranty team's member, who
 * finds it with the rule named on its timeline. The page fits a phone.
 *
 * Same setup as replies.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed routing-).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { runRoutingSweep } from '../src/jobs/routing-sweep';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e } from './harness';

const SUPERVISOR = { email: 'giamsat.phancong@sen.test', name: 'Lê Thị Giám Sát', password: 'mat-khau-giam-sat-2024' };
const MEMBER = { email: 'bao.phan@sen.test', name: 'Phan Văn Bảo', password: 'mat-khau-bao-hanh-2024' };

const names = async (page: Page) =>
  page.getByTestId('routing-rule').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));

describe('automatic routing end to end', () => {
  const e2e = useE2e({
    seed: async (database) => {
      const team = await database.pool.query<{ id: string }>(`insert into teams (name) values ('Nhóm Bảo hành'), ('Nhóm Chung') returning id`);
      await addStaffUser({ database, role: 'supervisor', ...SUPERVISOR });
      await addStaffUser({ database, role: 'agent', ...MEMBER, teamId: team.rows[0].id });
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('a supervisor keeps the rules in order; a warranty complaint filed on the portal goes to the warranty team’s member', async () => {
    const { page } = await newPage();
    await logIn(page, SUPERVISOR, '/staff');
    await page.getByTestId('nav-routing').click();
    await page.getByTestId('routing-page').waitFor();
    await page.getByTestId('routing-empty').waitFor();

    // No name, no team: said at the fields, nothing sent.
    let sent = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/routing-rules')) sent++;
    });
    await page.getByTestId('routing-form-submit').click();
    expect(await page.locator('#routing-new-name-error').innerText()).toBe('Nhập tên quy tắc.');
    expect(await page.locator('#routing-new-teamId-error').innerText()).toBe('Chọn nhóm nhận khiếu nại.');
    expect(sent).toBe(0);

    await page.getByTestId('routing-form-name').fill('Bảo hành');
    await page.getByTestId('routing-form-channel-web').check();
    await page.getByTestId('routing-form-keywords').fill('bảo hành\nđổi trả');
    await page.getByTestId('routing-form-team').selectOption({ label: 'Nhóm Bảo hành' });
    await page.getByTestId('routing-form-assignee').selectOption({ label: MEMBER.name });
    await page.getByTestId('routing-form-priority').selectOption({ label: 'Cao' });
    const added = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/routing-rules'));
    await page.getByTestId('routing-form-submit').click();
    await expectStatus(added, 201);
    await page.getByText('Đã thêm quy tắc “Bảo hành”.').waitFor();
    const rule = page.locator('[data-testid="routing-rule"][data-name="Bảo hành"]');
    expect(await rule.getByTestId('routing-when').innerText()).toBe('Kênh: Web · Từ khóa: bao hanh, doi tra');
    expect(await rule.getByTestId('routing-then').innerText()).toBe(`→ Giao cho: Nhóm Bảo hành, người nhận: ${MEMBER.name}, ưu tiên ít nhất: Cao`);

    // A keyword of one letter: refused by the server at the keywords field.
    await page.getByTestId('routing-form-name').fill('Còn lại');
    await page.getByTestId('routing-form-keywords').fill('x');
    await page.getByTestId('routing-form-team').selectOption({ label: 'Nhóm Chung' });
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/routing-rules'));
    await page.getByTestId('routing-form-submit').click();
    await expectStatus(refused, 422);
    expect(await page.locator('#routing-new-keywords-error').innerText()).toBe('Quá ngắn.');
    await page.getByTestId('routing-form-keywords').fill('');
    await page.getByTestId('routing-form-submit').click();
    await page.getByText('Đã thêm quy tắc “Còn lại”.').waitFor();
    expect(await names(page)).toEqual(['Bảo hành', 'Còn lại']);
    expect(await page.locator('[data-testid="routing-rule"][data-name="Còn lại"]').getByTestId('routing-when').innerText()).toBe('Mọi khiếu nại');

    // Moved first, then back; paused and resumed.
    await page.locator('[data-testid="routing-rule"][data-name="Còn lại"]').getByTestId('routing-up').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="routing-rule"]')?.getAttribute('data-name') === 'Còn lại');
    await page.locator('[data-testid="routing-rule"][data-name="Còn lại"]').getByTestId('routing-down').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="routing-rule"]')?.getAttribute('data-name') === 'Bảo hành');
    const other = page.locator('[data-testid="routing-rule"][data-name="Còn lại"]');
    await other.getByTestId('routing-toggle').click();
    await expect.poll(() => other.getByTestId('routing-state').innerText()).toBe('Tạm dừng');
    expect(await other.getByTestId('routing-toggle').innerText()).toBe('Áp dụng lại');
    await other.getByTestId('routing-toggle').click();
    await expect.poll(() => other.getByTestId('routing-state').innerText()).toBe('Đang áp dụng');
    await shot(page, 'routing-rules');

    // A warranty complaint comes in on the portal; the sweep routes it.
    const filed = await page.request.post(`${e2e.baseUrl}/api/v1/portal/complaints`, {
      data: { customer: { name: 'Đinh Thị Phân', phone: '0912 888 999' }, subject: 'Máy lạnh còn bảo hành', description: 'Cửa hàng từ chối đổi.', consent: true },
    });
    expect(filed.status()).toBe(201);
    const code = ((await filed.json()) as { code: string }).code;
    expect((await runRoutingSweep({ database: e2e.database })).routed).toBe(1);

    const member = await newPage();
    await logIn(member.page, MEMBER, `/staff/complaints/${code}`);
    const entry = member.page.locator('[data-testid="timeline-event"][data-type="assignment.changed"]');
    await entry.waitFor();
    expect(await entry.innerText()).toContain(`Giao cho ${MEMBER.name}`);
    expect(await entry.getByTestId('timeline-routing-rule').innerText()).toBe('Theo quy tắc phân công “Bảo hành”');
    await shot(member.page, 'routing-complaint');

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalOverflow(page);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  });
});
