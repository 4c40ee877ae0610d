/**
 * Ai đang xem end to end: two agents open the same complaint in their own browsers; each sees the other has it
 * open; when one starts writing to the customer, the other is warned that a reply is being written, and the
 * warning goes when the text is cleared; when one leaves the page, the other stops seeing them.
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
    expect(consoleErrors).toEqual([]);
  });
});
