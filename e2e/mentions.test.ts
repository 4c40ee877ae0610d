/**
 * Nhắc đồng nghiệp end to end: an agent writes an internal note, names a colleague with the picker (chosen with a
 * button, a chip that can be taken out again, the keyboard kept on the select), and sends it; the timeline names
 * the colleague; the colleague's bell counts it, the notifications page says who named them and opens the complaint.
 * On a phone the picker fits the screen.
 *
 * Same setup as bulk-assign.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed mentions-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint } from '../test/factories';
import { expectNoHorizontalOverflow, expectStatus, focusedId, shot, useE2e } from './harness';

const AUTHOR = { email: 'nam.ghichu@sen.test', name: 'Trần Văn Nam', password: 'mat-khau-nam-2024' };
const MAI = { email: 'mai.kho@sen.test', name: 'Lê Thị Mai', password: 'mat-khau-mai-2024' };
const BAO = { email: 'bao.giamsat@sen.test', name: 'Phạm Quốc Bảo', password: 'mat-khau-bao-2024' };
const NOTE = 'Khách gửi ảnh tem bảo hành; nhờ chị Mai kiểm tra lô hàng trong kho.';

describe('mentioning colleagues in an internal note', () => {
  let code = '';
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AUTHOR });
      await addStaffUser({ database, role: 'agent', ...MAI });
      await addStaffUser({ database, role: 'supervisor', ...BAO });
      code = (await seedComplaint(database, { input: { subject: 'Tem bảo hành bị rách' } })).code;
    },
  });

  it('1. the agent names Mai in a note (Bảo added, then taken out); the timeline names her', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AUTHOR, `/staff/complaints/${code}`);
      await page.getByTestId('mention-picker').waitFor();
      const options = await page.getByTestId('mention-select').locator('option').allInnerTexts();
      // Colleagues only: not oneself.
      expect(options[0]).toBe('— Chọn đồng nghiệp —');
      expect(options.slice(1).sort()).toEqual([MAI.name, BAO.name].sort());
      await page.getByTestId('note-input').fill(NOTE);
      for (const who of [MAI.name, BAO.name]) {
        await page.getByTestId('mention-select').selectOption({ label: who });
        await page.getByTestId('mention-add').click();
        expect(await focusedId(page)).toBe('note-mention');
      }
      expect(await page.getByTestId('mention-chip').locator('span').allInnerTexts()).toEqual([MAI.name, BAO.name]);
      // A chosen colleague leaves the list of those to choose.
      expect(await page.getByTestId('mention-select').locator('option').allInnerTexts()).toEqual(['— Chọn đồng nghiệp —']);
      await page.getByRole('button', { name: `Bỏ nhắc ${BAO.name}` }).click();
      expect(await focusedId(page)).toBe('note-mention');
      expect(await page.getByTestId('mention-chip').locator('span').allInnerTexts()).toEqual([MAI.name]);
      await shot(page, 'mentions-01-picker');

      const sent = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/notes`) && r.request().method() === 'POST');
      await page.getByTestId('note-submit').click();
      const response = await sent;
      expect(response.status()).toBe(201);
      expect(response.request().postDataJSON()).toEqual({ body: NOTE, mentions: [expect.any(String)] });
      const entry = page.locator('[data-testid="timeline-event"][data-type="note.added"]').filter({ hasText: NOTE });
      await entry.waitFor();
      expect(await entry.getByTestId('timeline-note-mentions').innerText()).toBe(`Nhắc: ${MAI.name}`);
      // The form is empty again, the chips gone.
      expect(await page.getByTestId('note-input').inputValue()).toBe('');
      expect(await page.getByTestId('mention-chip').count()).toBe(0);
      await shot(page, 'mentions-02-timeline');
    } finally {
      await context.close();
    }
  });

  it('2. Mai’s bell counts it; the notifications page says who named her and opens the complaint at the note', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, MAI);
      await page.waitForFunction(() => document.querySelector('[data-testid="notifications-bell"]')?.getAttribute('aria-label')?.includes('1'));
      const listed = page.waitForResponse((r) => r.url().includes('/api/v1/notifications'));
      await page.getByTestId('notifications-bell').click();
      await expectStatus(listed, 200);
      const item = page.locator('[data-testid="notification"][data-kind="note.mentioned"]');
      await item.waitFor();
      expect(await item.innerText()).toContain('Được nhắc tên');
      expect(await item.innerText()).toContain(`${AUTHOR.name} nhắc bạn trong một ghi chú nội bộ.`);
      expect(await item.innerText()).toContain('Tem bảo hành bị rách');
      await shot(page, 'mentions-03-notification');
      await item.getByTestId('notification-link').click();
      // It opens at the note: the address names its event, which is shown and holds the focus.
      await page.waitForURL((url) => url.pathname === `/staff/complaints/${code}` && /^#event-\d+$/.test(url.hash));
      const noteEvent = page.locator('[data-testid="timeline-event"][data-type="note.added"]').filter({ hasText: NOTE });
      await noteEvent.waitFor();
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-type') === 'note.added');
      expect(await noteEvent.getAttribute('id')).toBe(new URL(page.url()).hash.slice(1));
      const box = (await noteEvent.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeLessThan(page.viewportSize()!.height);
    } finally {
      await context.close();
    }
  });

  it('3. on a phone the picker and its chips fit the screen', async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    try {
      await logIn(page, AUTHOR, `/staff/complaints/${code}`);
      await page.getByTestId('mention-select').selectOption({ label: BAO.name });
      await page.getByTestId('mention-add').tap();
      await page.getByTestId('mention-chip').waitFor();
      await page.getByTestId('mention-picker').scrollIntoViewIfNeeded();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'mentions-04-phone');
    } finally {
      await context.close();
    }
  });

  it('4. no page threw an uncaught error', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
