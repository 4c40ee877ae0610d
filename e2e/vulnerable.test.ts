/**
 * Consumers in a vulnerable group (Art. 8, Law on Protection of Consumers' Rights 2023) end to end: a customer
 * files on the portal saying they are elderly; the complaint arrives with priority "Cao" (high), and the agent
 * sees the group on its queue row and on the complaint page. The agent then clears the group in the
 * classification card; the badge goes, the priority stays, and the timeline records the change (from → to).
 *
 * Same setup as replies.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed vulnerable-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { CODE_PATTERN, expectStatus, fillPortalForm, shot, useE2e, waitLikeAPerson } from './harness';

const AGENT = { email: 'agent.uutien@sen.test', name: 'Hoàng Thị Ưu Tiên', password: 'mat-khau-uu-tien-2024' };
const CUSTOMER = {
  name: 'Trần Văn Thọ',
  phone: '0912 456 789',
  subject: 'Máy đo huyết áp hiển thị sai',
  description: 'Tôi 78 tuổi, mua máy đo huyết áp ngày 03/11; máy báo chỉ số cao bất thường dù đã đo lại nhiều lần.',
};
const ELDERLY = 'Người cao tuổi';
const BADGE = `Ưu tiên theo Điều 8: ${ELDERLY}`;

describe('a vulnerable consumer’s complaint end to end (Art. 8)', () => {
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('the customer says they are elderly; the agent sees it first (high priority, badges), clears it, and the timeline says so', async () => {
    // The customer: the optional question, its hint, "none" first, then the seven groups.
    const portal = await newPage();
    await portal.page.goto('/');
    await portal.page.getByTestId('complaint-form').waitFor();
    const shownAt = Date.now();
    const select = portal.page.getByTestId('vulnerable-group');
    expect(await portal.page.locator('label[for="vulnerable-group"]').innerText()).toContain(
      'Bạn thuộc nhóm người tiêu dùng được ưu tiên (Điều 8 Luật Bảo vệ quyền lợi người tiêu dùng 2023)?',
    );
    expect(await portal.page.locator('#vulnerable-group-hint').innerText()).toBe('Khiếu nại của nhóm này được ưu tiên giải quyết.');
    expect(await select.getAttribute('aria-describedby')).toBe('vulnerable-group-hint');
    expect(await select.inputValue()).toBe('');
    expect(await select.locator('option').first().innerText()).toBe('Không / không muốn nêu');
    expect(await select.locator('option').count()).toBe(8);

    await fillPortalForm(portal.page, CUSTOMER);
    await select.selectOption({ label: ELDERLY });
    await shot(portal.page, 'vulnerable-01-portal-form');
    await waitLikeAPerson(portal.page, shownAt);
    const created = portal.page.waitForResponse((r) => r.url().endsWith('/api/v1/portal/complaints') && r.request().method() === 'POST');
    await portal.page.getByTestId('submit-complaint').click();
    const response = await expectStatus(created, 201);
    expect(response.request().postDataJSON()).toMatchObject({ vulnerableGroup: 'elderly' });
    const codeEl = portal.page.getByTestId('complaint-code');
    await codeEl.waitFor();
    const code = (await codeEl.innerText()).trim();
    expect(code).toMatch(CODE_PATTERN);
    await portal.context.close();

    // The agent: the queue row carries the group (short, with the full words for screen readers and as its title).
    const { page } = await newPage();
    await logIn(page, AGENT);
    const row = page.locator(`[data-testid="queue-row"][data-code="${code}"]`);
    await row.waitFor();
    const mark = row.getByTestId('queue-vulnerable');
    expect(await mark.getAttribute('title')).toBe(BADGE);
    expect(await mark.locator('.visually-hidden').textContent()).toBe(BADGE);
    expect(await row.locator('.priority').innerText()).toBe('Cao');
    await shot(page, 'vulnerable-02-queue');

    // The complaint page: the badge beside the priority, raised to high; the classification card knows the group.
    await row.getByTestId('queue-code').click();
    await page.waitForURL(`**/staff/complaints/${code}`);
    await page.getByTestId('complaint-detail').waitFor();
    expect(await page.getByTestId('vulnerable-badge').innerText()).toBe(BADGE);
    expect(await page.locator('.complaint-badges .priority').innerText()).toBe('Cao');
    expect(await page.getByTestId('vulnerable-select').inputValue()).toBe('elderly');
    expect(await page.getByTestId('priority-select').inputValue()).toBe('high');
    expect(await page.getByTestId('timeline-vulnerable-intake').innerText()).toContain(ELDERLY);
    await shot(page, 'vulnerable-03-complaint');

    // Cleared in the classification card: one PATCH with vulnerableGroup null, nothing else.
    await page.getByTestId('vulnerable-select').selectOption('');
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/v1/complaints/${code}`));
    await page.getByTestId('classify-submit').click();
    const answer = await expectStatus(patched, 200);
    expect(answer.request().postDataJSON()).toEqual({ vulnerableGroup: null });
    expect(await page.getByTestId('classify-message').innerText()).toBe('Đã cập nhật phân loại.');
    await page.getByTestId('vulnerable-badge').waitFor({ state: 'detached' });
    expect(await page.getByTestId('vulnerable-select').inputValue()).toBe('');
    // Clearing the group does not lower the priority: that stays the agent's call.
    expect(await page.locator('.complaint-badges .priority').innerText()).toBe('Cao');

    const entry = page.locator('[data-testid="timeline-event"][data-type="vulnerability.changed"]');
    await entry.waitFor();
    expect(await entry.locator('.timeline-title').innerText()).toBe('Đổi nhóm người tiêu dùng được ưu tiên (Điều 8)');
    expect(await entry.getByTestId('timeline-vulnerability-change').innerText()).toBe(`${ELDERLY} → —`);
    await entry.scrollIntoViewIfNeeded();
    await shot(page, 'vulnerable-04-cleared');

    // Back in the queue the row no longer carries the mark.
    await page.goto('/staff');
    await row.waitFor();
    expect(await row.getByTestId('queue-vulnerable').count()).toBe(0);

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
