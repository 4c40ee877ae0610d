/**
 * Ai đang xem end to end: two agents open the same complaint in their own browsers; each sees the other has it
 * open; when one starts writing to the customer, the other is warned that a reply is being written, and the
 * warning goes when the text is cleared; when both write, the second to send is stopped once, told who answered and
 * when, and sends after reading; when one leaves the page, the other stops seeing them.
 *
 * Same setup as bulk-assign.test.ts (in-process server, in-memory PGlite, headless Chromium), with a one-second
 * heartbeat instead of fifteen. Screenshots go to artifacts/e2e/ (prefixed presence-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint, testConfig } from '../test/factories';
import { expectNoHorizontalOverflow, shot, useE2e } from './harness';

const NAM = { email: 'nam.xem@sen.test', name: 'Trần Văn Nam', password: 'mat-khau-nam-2024' };
const MAI = { email: 'mai.xem@sen.test', name: 'Lê Thị Mai', password: 'mat-khau-mai-2024' };

describe('who else has a complaint open (ai đang xem)', () => {
  let code = '';
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    config: (webDir) => testConfig({ webDir, presenceHeartbeatMs: 1000 }),
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...NAM });
      await addStaffUser({ database, role: 'agent', ...MAI });
      const customer = { name: 'Trần Văn Minh', phone: '0912 000 111', email: 'minh.tran@example.com' };
      code = (await seedComplaint(database, { input: { subject: 'Máy lọc nước rò rỉ', customer } })).code;
    },
  });

  it('each sees the other; a reply being written is warned of, and the warning goes with the text; a page left is gone', async () => {
    const nam = await newPage();
    const mai = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    try {
      await logIn(nam.page, NAM, `/staff/complaints/${code}`);
      await logIn(mai.page, MAI, `/staff/complaints/${code}`);
      const viewing = (page: typeof nam.page) => page.getByTestId('presence-viewing');
      await viewing(nam.page).waitFor();
      expect(await viewing(nam.page).innerText()).toBe(`${MAI.name} cũng đang mở khiếu nại này.`);
      await viewing(mai.page).waitFor();
      expect(await viewing(mai.page).innerText()).toBe(`${NAM.name} cũng đang mở khiếu nại này.`);
      expect(await nam.page.getByTestId('presence').getAttribute('role')).toBe('status');

      // Mai starts a reply: Nam is warned (the warning before the plain line), and no longer told she only reads.
      await mai.page.locator('#reply-body').fill('Chào anh, bên em đã nhận ảnh máy lọc nước…');
      const warning = nam.page.getByTestId('presence-replying');
      await warning.waitFor();
      expect(await warning.innerText()).toBe(`${MAI.name} đang soạn trả lời khách hàng. Hãy trao đổi trước khi gửi để khách không nhận hai câu trả lời.`);
      expect(await viewing(nam.page).count()).toBe(0);
      expect(await nam.page.getByTestId('presence').getAttribute('class')).toContain('notice-warning');
      await shot(nam.page, 'presence-01-replying');
      await mai.page.getByTestId('presence').scrollIntoViewIfNeeded();
      await expectNoHorizontalOverflow(mai.page);
      await shot(mai.page, 'presence-02-phone');

      // She clears it: back to reading.
      await mai.page.locator('#reply-body').fill('');
      await viewing(nam.page).waitFor();
      expect(await warning.count()).toBe(0);

      // Both write; Mai sends first. Nam's reply is stopped once, saying who answered and when, with her reply now on
      // his timeline and his text kept; sent again, it goes.
      const NAM_REPLY = 'Chào anh Minh, kỹ thuật sẽ đến kiểm tra máy vào sáng mai.';
      await nam.page.locator('#reply-body').fill(NAM_REPLY);
      await mai.page.locator('#reply-body').fill('Chào anh Minh, bên em đã nhận ảnh.');
      const maiSent = mai.page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/replies`));
      await mai.page.getByTestId('reply-form').locator('button[type="submit"]').tap();
      expect((await maiSent).status()).toBe(201);
      const refused = nam.page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/replies`));
      await nam.page.getByTestId('reply-form').locator('button[type="submit"]').click();
      expect((await refused).status()).toBe(409);
      const error = nam.page.getByTestId('reply-error');
      await error.waitFor();
      expect(await error.innerText()).toMatch(
        new RegExp(`^Trong lúc bạn soạn, khách hàng đã được liên hệ\\. ${MAI.name} đã trả lời khách qua email lúc \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}\\. Hãy đọc lại trước khi gửi thư của bạn\\.`),
      );
      await nam.page.locator('[data-testid="timeline-event"][data-type="reply.sent"]').first().waitFor();
      expect(await nam.page.locator('#reply-body').inputValue()).toBe(NAM_REPLY);
      await shot(nam.page, 'presence-03-reply-stopped');
      const resent = nam.page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/replies`));
      await nam.page.getByTestId('reply-form').locator('button[type="submit"]').click();
      expect((await resent).status()).toBe(201);
      await nam.page.locator('[data-testid="timeline-event"][data-type="reply.sent"]').nth(1).waitFor();
      expect(await nam.page.locator('#reply-body').inputValue()).toBe('');

      // From the queue, a third look: Nam (on the complaint) shows on its row for Mai.
      await mai.page.goto('/staff');
      const row = mai.page.locator(`[data-testid="queue-row"][data-code="${code}"]`);
      await row.waitFor();
      expect(await row.getByTestId('queue-viewers').innerText()).toBe(`Đang mở: ${NAM.name}`);
      await mai.page.goto(`/staff/complaints/${code}`);
      await viewing(nam.page).waitFor();

      // She goes back to the queue: Nam stops seeing her at once (not after the heartbeats run out).
      const left = mai.page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/presence`) && r.request().method() === 'DELETE');
      await mai.page.getByTestId('back-to-queue').first().click();
      expect((await left).status()).toBe(204);
      await nam.page.getByTestId('presence').waitFor({ state: 'detached', timeout: 5000 });
    } finally {
      await nam.context.close();
      await mai.context.close();
    }
  });

  it('no page threw an uncaught error', () => {
    expect(pageErrors).toEqual([]);
    // The stopped reply (409) is logged by the browser as a failed request, once; nothing else may go wrong.
    expect(consoleErrors.filter((e) => !e.includes('status of 409'))).toEqual([]);
    expect(consoleErrors.length).toBeLessThanOrEqual(1);
  });
});
