/**
 * Phân công hàng loạt end to end: a supervisor ticks two unassigned complaints in the queue (the header's checkbox
 * turns mixed), gives them to an agent in one request that carries exactly the codes and the assignee, and the queue
 * shows the agent on those two rows and on no other. Then "select all" gives every complaint shown to a team; a
 * complaint that cannot be assigned is listed with the server's reason, a team gone meanwhile is said beside its
 * picker. On a phone the ticks and the bar fit the screen; an agent may only take complaints or hand them back;
 * an auditor gets no ticks.
 *
 * Same setup as vulnerable.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed bulk-).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTeam } from '../src/commands/create-team';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint } from '../test/factories';
import { expectNoHorizontalOverflow, expectStatus, focusedId, shot, useE2e } from './harness';

const SUPERVISOR = { email: 'giamsat.hangloat@sen.test', name: 'Đỗ Minh Giám', password: 'mat-khau-giam-sat-2024' };
const AGENT = { email: 'agent.hangloat@sen.test', name: 'Nguyễn Thị Phân Công', password: 'mat-khau-phan-cong-2024' };
const AUDITOR = { email: 'kiemtoan.hangloat@sen.test', name: 'Lý Văn Kiểm', password: 'mat-khau-kiem-toan-2024' };
const TEAM = 'Nhóm Hậu mãi';
const GONE_TEAM = 'Nhóm tạm thời';
const REGION = 'Phân công hàng loạt';
const BOGUS_CODE = 'KN-2020-999999';
const ASSIGNMENTS = '/api/v1/complaints/assignments';

describe('bulk assignment in the staff queue (phân công hàng loạt)', () => {
  let agentId = '';
  let teamId = '';
  let goneTeamId = '';
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'supervisor', ...SUPERVISOR });
      agentId = (await addStaffUser({ database, role: 'agent', ...AGENT })).id;
      await addStaffUser({ database, role: 'auditor', ...AUDITOR });
      teamId = (await createTeam({ database, name: TEAM })).id;
      goneTeamId = (await createTeam({ database, name: GONE_TEAM })).id;
      for (const subject of ['Tủ lạnh không đông đá', 'Máy giặt rò nước', 'Giao thiếu phụ kiện', 'Hóa đơn tính sai tiền']) {
        await seedComplaint(database, { input: { subject } });
      }
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  /** The codes of the queue's rows, top to bottom. */
  const rowCodes = (page: Page) => page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code') ?? ''));
  const row = (page: Page, code: string) => page.locator(`[data-testid="queue-row"][data-code="${code}"]`);
  const assigneeCell = (page: Page, code: string) => row(page, code).locator('td[data-label="Phụ trách"]');
  const rowBox = (page: Page, code: string) => page.getByRole('checkbox', { name: `Chọn ${code}`, exact: true });
  const selectAll = (page: Page) => page.getByRole('checkbox', { name: 'Chọn tất cả khiếu nại trên trang này' });
  const isMixed = (page: Page) => selectAll(page).evaluate((el) => (el as HTMLInputElement).indeterminate);
  // The refused team (422) is logged by the browser as a failed request, once; nothing else may go wrong.
  const unexpectedConsoleErrors = () => consoleErrors.filter((e) => !e.includes('status of 422'));
  const posted = (page: Page) => page.waitForResponse((r) => r.url().endsWith(ASSIGNMENTS) && r.request().method() === 'POST');

  it('a supervisor gives two complaints to an agent, then every complaint shown to a team', async () => {
    const { context, page } = await newPage();
    await logIn(page, SUPERVISOR);
    await page.getByTestId('queue-row').nth(3).waitFor();
    const codes = await rowCodes(page);
    expect(codes.length).toBe(4);
    for (const code of codes) expect(await assigneeCell(page, code).innerText()).toContain('Chưa phân công');
    const [first, second, third] = codes;

    // Nothing ticked: no bar, the header's checkbox clear.
    expect(await page.getByRole('region', { name: REGION }).count()).toBe(0);
    expect(await selectAll(page).isChecked()).toBe(false);
    expect(await isMixed(page)).toBe(false);

    // Two ticked: the header's checkbox is mixed, the bar counts them; ticking does not open the complaint.
    await rowBox(page, first).check();
    await rowBox(page, second).check();
    expect(new URL(page.url()).pathname).toBe('/staff');
    expect(await isMixed(page)).toBe(true);
    const bar = page.getByRole('region', { name: REGION });
    await bar.waitFor();
    expect(await bar.getByTestId('bulk-count').innerText()).toBe('Đã chọn 2 khiếu nại');

    // Anyone who handles complaints may be chosen by a supervisor; auditors only read. Both pickers start at "giữ nguyên".
    const assignee = bar.getByLabel('Người phụ trách');
    const team = bar.getByLabel('Nhóm', { exact: true });
    expect(await assignee.inputValue()).toBe('');
    expect(await team.inputValue()).toBe('');
    const people = await assignee.locator('option').allInnerTexts();
    expect(people[0]).toBe('Giữ nguyên');
    expect(people).toContain(`${AGENT.name} — Nhân viên CSKH`);
    expect(people).toContain('Bỏ người phụ trách');
    expect(people.some((p) => p.includes(AUDITOR.name))).toBe(false);
    expect(await team.locator('option').allInnerTexts()).toEqual(['Giữ nguyên', TEAM, GONE_TEAM, 'Bỏ nhóm']);
    await shot(page, 'bulk-01-two-ticked');

    // Only the assignee was changed, so only the assignee is sent, with the two codes in the queue's order.
    await assignee.selectOption(agentId);
    const toAgent = posted(page);
    await bar.getByRole('button', { name: 'Phân công' }).click();
    const answer = await expectStatus(toAgent, 200);
    expect(answer.request().postDataJSON()).toEqual({ codes: [first, second], assigneeId: agentId });
    expect(await answer.json()).toMatchObject({ assigned: 2, unchanged: 0, failed: 0 });

    const result = page.getByRole('status').filter({ has: page.getByTestId('bulk-summary') });
    await result.waitFor();
    expect(await result.innerText()).toBe('Đã phân công 2 khiếu nại');
    expect(await focusedId(page)).toBe('bulk-result');
    // Both succeeded: nothing stays ticked, and the bar goes.
    await bar.waitFor({ state: 'detached' });
    expect(await selectAll(page).isChecked()).toBe(false);
    expect(await isMixed(page)).toBe(false);
    // The rows are read again: the agent on the two, no one on the others.
    await assigneeCell(page, first).getByText(AGENT.name).waitFor();
    await assigneeCell(page, second).getByText(AGENT.name).waitFor();
    expect(await assigneeCell(page, third).innerText()).toContain('Chưa phân công');
    expect(await assigneeCell(page, codes[3]).innerText()).toContain('Chưa phân công');
    await shot(page, 'bulk-02-assigned-to-agent');

    // "Select all on this page", then only a team: every complaint shown gets it.
    await selectAll(page).check();
    expect(await isMixed(page)).toBe(false);
    for (const code of codes) expect(await rowBox(page, code).isChecked()).toBe(true);
    expect(await bar.getByTestId('bulk-count').innerText()).toBe('Đã chọn 4 khiếu nại');
    await team.selectOption(teamId);
    const toTeam = posted(page);
    await bar.getByRole('button', { name: 'Phân công' }).click();
    const teamAnswer = await expectStatus(toTeam, 200);
    expect(teamAnswer.request().postDataJSON()).toEqual({ codes, teamId });
    await result.getByText('Đã phân công 4 khiếu nại', { exact: true }).waitFor();
    await bar.waitFor({ state: 'detached' });
    // The team leaves the assignees as they were.
    await assigneeCell(page, first).getByText(AGENT.name).waitFor();
    expect(await assigneeCell(page, third).innerText()).toContain('Chưa phân công');

    // The same again changes nothing more.
    await selectAll(page).check();
    await team.selectOption(teamId);
    const again = posted(page);
    await bar.getByRole('button', { name: 'Phân công' }).click();
    await expectStatus(again, 200);
    await result.getByText('Đã phân công 0 khiếu nại; 4 không đổi', { exact: true }).waitFor();

    // A complaint that cannot be assigned is listed with the server's reason; the others go on.
    await rowBox(page, third).check();
    await bar.getByLabel('Người phụ trách').selectOption(agentId);
    await page.route(`**${ASSIGNMENTS}`, async (route) => {
      const body = route.request().postDataJSON() as { codes: string[] };
      await route.continue({ postData: JSON.stringify({ ...body, codes: [...body.codes, BOGUS_CODE] }) });
    });
    const partly = posted(page);
    await bar.getByRole('button', { name: 'Phân công' }).click();
    await expectStatus(partly, 200);
    await page.unroute(`**${ASSIGNMENTS}`);
    await result.getByText('Đã phân công 1 khiếu nại; 1 không thực hiện được', { exact: true }).waitFor();
    expect(await result.getByRole('list', { name: 'Khiếu nại không phân công được' }).innerText()).toBe(`${BOGUS_CODE}: Không tìm thấy khiếu nại.`);
    await assigneeCell(page, third).getByText(AGENT.name).waitFor();
    await shot(page, 'bulk-03-partly-failed');

    // A team removed since the page was opened: said beside the team picker, nothing changes, the ticks stay.
    await e2e.database.pool.query('delete from teams where id = $1', [goneTeamId]);
    await rowBox(page, codes[3]).check();
    await bar.getByLabel('Nhóm', { exact: true }).selectOption(goneTeamId);
    const refused = posted(page);
    await bar.getByRole('button', { name: 'Phân công' }).click();
    await expectStatus(refused, 422);
    const teamError = bar.locator('#bulk-team-error');
    await teamError.waitFor();
    expect(await teamError.innerText()).toContain('Không tồn tại.');
    expect(await bar.getByLabel('Nhóm', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('bulk-team');
    expect(await rowBox(page, codes[3]).isChecked()).toBe(true);
    await shot(page, 'bulk-04-team-refused');

    // "Bỏ chọn" unticks everything; the focus goes back to the header's checkbox.
    await bar.getByRole('button', { name: 'Bỏ chọn' }).click();
    await bar.waitFor({ state: 'detached' });
    expect(await focusedId(page)).toBe('bulk-select-all');

    // Other filters: what was ticked is forgotten.
    await rowBox(page, first).check();
    await page.getByTestId('filter-priority').selectOption('normal');
    await page.waitForURL((url) => url.searchParams.get('priority') === 'normal');
    await bar.waitFor({ state: 'detached' });
    await page.getByTestId('queue-row').first().waitFor();
    expect(await page.getByTestId('bulk-select').evaluateAll((boxes) => boxes.filter((b) => (b as HTMLInputElement).checked).length)).toBe(0);
    await context.close();

    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((e) => e.includes('status of 422')).length).toBe(1);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('on a 375×812 phone the ticks and the bar fit the screen and work by touch', async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await logIn(page, SUPERVISOR);
      await page.getByTestId('queue-row').first().waitFor();
      await expectNoHorizontalOverflow(page);
      // The table's header is hidden on a phone, all but "select all".
      expect(await selectAll(page).isVisible()).toBe(true);
      const [code] = await rowCodes(page);
      await row(page, code).locator('label.select-box').tap();
      expect(await rowBox(page, code).isChecked()).toBe(true);
      expect(new URL(page.url()).pathname).toBe('/staff');
      const bar = page.getByRole('region', { name: REGION });
      await bar.waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'bulk-05-phone-selected');
      await bar.getByRole('button', { name: 'Phân công' }).tap();
      // Nothing chosen: said beside the assignee picker before anything is sent.
      expect(await bar.locator('#bulk-assignee-error').innerText()).toContain('Hãy chọn người phụ trách hoặc nhóm.');
      await expectNoHorizontalOverflow(page);
      await shot(page, 'bulk-06-phone-nothing-chosen');
    } finally {
      await context.close();
    }
    expect(pageErrors).toEqual([]);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('an agent may only take complaints or hand them back, by keyboard too; an auditor gets no ticks', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT);
      await page.getByTestId('queue-row').first().waitFor();
      // A complaint nobody has yet (the supervisor gave the others to this agent).
      let code = '';
      for (const c of await rowCodes(page)) if (!code && (await assigneeCell(page, c).innerText()).includes('Chưa phân công')) code = c;
      expect(code).not.toBe('');
      await rowBox(page, code).focus();
      await page.keyboard.press('Space');
      expect(await rowBox(page, code).isChecked()).toBe(true);
      const bar = page.getByRole('region', { name: REGION });
      await bar.waitFor();
      const assignee = bar.getByLabel('Người phụ trách');
      expect(await assignee.locator('option').allInnerTexts()).toEqual(['Giữ nguyên', 'Tôi', 'Bỏ người phụ trách']);
      await assignee.focus();
      await assignee.selectOption({ label: 'Tôi' });
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('bulk-submit');
      const taken = posted(page);
      await page.keyboard.press('Enter');
      const answer = await expectStatus(taken, 200);
      expect(answer.request().postDataJSON()).toEqual({ codes: [code], assigneeId: agentId });
      await page.getByTestId('bulk-summary').waitFor();
      expect(await page.getByTestId('bulk-summary').innerText()).toBe('Đã phân công 1 khiếu nại');
      await assigneeCell(page, code).getByText(AGENT.name).waitFor();
      await shot(page, 'bulk-07-agent-took');

      // In English the result is re-worded, not left in Vietnamese.
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      await page.getByTestId('bulk-summary').getByText('Assigned 1 complaint', { exact: true }).waitFor();
      expect(await page.getByRole('checkbox', { name: `Select ${code}`, exact: true }).isChecked()).toBe(false);
    } finally {
      await context.close();
    }

    const auditor = await newPage();
    try {
      await logIn(auditor.page, AUDITOR);
      await auditor.page.getByTestId('queue-row').first().waitFor();
      expect(await auditor.page.getByRole('checkbox').count()).toBe(0);
    } finally {
      await auditor.context.close();
    }
    expect(pageErrors).toEqual([]);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });
});
