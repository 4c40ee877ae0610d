/**
 * Ai đang xem end to end: two agents open the same complaint in their own browsers; each sees the other has it
 * open; when one starts writing to the customer, the other is warned that a reply is being written, and the
 * warning goes when the text is cleared; when both write, the second to send is stopped once, told who answered and
 * when, and sends after reading; when one leaves the page, the other stops seeing them. And when one leaves the
 * console altogether (the browser goes elsewhere, the tab is closed), the other stops seeing them at their own next
 * heartbeat, not when the leaver's heartbeats run out.
 *
 * Same setup as bulk-assign.test.ts (in-process server, in-memory PGlite, headless Chromium), with a one-second
 * heartbeat instead of fifteen (four for the leaving, so that "at once" and "once stale" are told apart).
 * Screenshots go to artifacts/e2e/ (prefixed presence-).
 */
import { sql } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint, testConfig } from '../test/factories';
import { CHROMIUM, CHROMIUM_ARGS, expectNoHorizontalOverflow, shot, TIMEOUT, useE2e } from './harness';

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

describe('a page closed or left for another site stops showing (ai đang xem)', () => {
  // Four seconds a beat, so that a heartbeat counts for twelve: seen gone within a beat (and a little) only if the
  // leaving page said so, since otherwise it takes eight seconds at the very least (the last beat, at most four old,
  // going stale).
  const HEARTBEAT_MS = 4000;
  const GONE_WITHIN_MS = HEARTBEAT_MS + 2000;
  let code = '';
  const e2e = useE2e({
    config: (webDir) => testConfig({ webDir, presenceHeartbeatMs: HEARTBEAT_MS }),
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...NAM });
      await addStaffUser({ database, role: 'agent', ...MAI });
      const customer = { name: 'Phạm Thị Lan', phone: '0912 000 222', email: 'lan.pham@example.com' };
      code = (await seedComplaint(database, { input: { subject: 'Bình nóng lạnh không nóng', customer } })).code;
    },
  });

  /** Mai's complaint_viewers rows: what the server keeps, stale or not (a stale row stays until her next beat). */
  const maiRows = async () =>
    (
      await e2e.database.db.execute<{ n: number }>(sql`
        select count(*)::int as n from complaint_viewers v join staff_users s on s.id = v.staff_id where s.email = ${MAI.email}`)
    ).rows[0].n;

  it('a tab closed, or the browser gone to another site, is gone at the next heartbeat; back with the Back button, shown again', async () => {
    const nam = await e2e.newPage();
    // Mai in a browser of her own with the back/forward cache on, as people's browsers have it (Playwright turns it
    // off): the Back button then brings the very page back, and it must say it is open again.
    const maiBrowser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS], ignoreDefaultArgs: ['--disable-back-forward-cache'] });
    const maiContext = await maiBrowser.newContext({ baseURL: e2e.baseUrl, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1280, height: 900 } });
    maiContext.setDefaultTimeout(TIMEOUT);
    const mai = await maiContext.newPage();
    const maiErrors: string[] = [];
    mai.on('pageerror', (err) => maiErrors.push(`${mai.url()}: ${err.message}`));
    mai.on('console', (msg) => {
      if (msg.type() === 'error') maiErrors.push(`${mai.url()}: ${msg.text()}`);
    });
    try {
      await e2e.logIn(nam.page, NAM, `/staff/complaints/${code}`);
      await e2e.logIn(mai, MAI, `/staff/complaints/${code}`);
      const maiShown = nam.page.getByTestId('presence-viewing');
      await maiShown.waitFor();
      expect(await maiShown.innerText()).toBe(`${MAI.name} cũng đang mở khiếu nại này.`);
      expect(await maiRows()).toBe(1);

      /** She is gone: her row at once, from the queue's answer too, and from Nam's page at his next beat. */
      const goneSince = async (left: number) => {
        await expect.poll(maiRows, { timeout: 2000, interval: 100 }).toBe(0);
        const queue = await nam.context.request.get('/api/v1/complaints');
        expect(queue.status()).toBe(200);
        const row = ((await queue.json()) as { items: { code: string; viewers: unknown[] }[] }).items.find((c) => c.code === code);
        expect(row?.viewers).toEqual([]);
        await maiShown.waitFor({ state: 'detached', timeout: Math.max(1, GONE_WITHIN_MS - (Date.now() - left)) });
      };

      // The browser goes elsewhere: React unmounts nothing, the page only hears pagehide (it goes to the
      // back/forward cache).
      await mai.evaluate(() => window.addEventListener('pageshow', (e) => ((window as unknown as { restored: boolean }).restored = e.persisted)));
      await mai.goto('about:blank');
      await goneSince(Date.now());

      // Back: the same page, restored from the cache (no load event, hence 'commit'), says at once it is open again.
      await mai.goBack({ waitUntil: 'commit' });
      await maiShown.waitFor({ timeout: GONE_WITHIN_MS });
      expect(await mai.evaluate(() => (window as unknown as { restored?: boolean }).restored)).toBe(true);
      expect(await maiRows()).toBe(1);

      // She closes the tab, as a person does (the page's unload handlers run).
      const closedAt = Date.now();
      await mai.close({ runBeforeUnload: true });
      await goneSince(closedAt);
      await shot(nam.page, 'presence-04-tab-closed');
      expect(maiErrors).toEqual([]);
    } finally {
      await nam.context.close();
      await maiBrowser.close();
    }
  });

  it('no page threw an uncaught error', () => {
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.consoleErrors).toEqual([]);
  });
});
