/**
 * Intake channels end to end: an agent logs a hotline call from a new caller (picking the call the
 * call-centre reported) and the complaint opens on the hotline channel, acknowledged, with the call
 * and its recording in the timeline; a clerk files a walk-in complaint at the office with a scanned
 * PNG and PDF, sees them listed and opens the A5 receipt; a customer files on the portal with a photo
 * (the robot trap stays out of reach; a form sent too fast is refused and sent again) and sees the
 * photo on the status page; the not-a-complaint mail log turns an auto-reply into a complaint.
 *
 * Same setup as portal-to-agent.test.ts: the real server in-process (embedded in-memory PGlite,
 * Fastify serving the built web app), driven with headless Chromium through playwright-core.
 * Screenshots go to artifacts/e2e/ (prefixed channels-).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '../src/channels/email/parse';
import { receiveEmail } from '../src/commands/receive-email';
import { addStaffUser } from '../src/commands/staff-accounts';
import { signWebhook } from '../src/domain/webhook-signature';
import { LocalFileStore } from '../src/files/store';
import { testConfig } from '../test/factories';
import { CODE_PATTERN, PDF, PNG, ROOT, TIMEOUT, expectNoHorizontalOverflow, expectStatus, focusedId, shot, useE2e } from './harness';

const MAIL_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'mail');
const SECRET = 'bi-mat-tong-dai-e2e';

const AGENT = { email: 'agent.channels@sen.test', name: 'Lê Văn Tâm', password: 'mat-khau-e2e-2024' };
const CLERK = { email: 'quay.channels@sen.test', name: 'Đỗ Thị Mai', password: 'mat-khau-quay-2024' };
const CALLER = {
  phone: '0987 111 222',
  national: '0987111222',
  name: 'Phan Văn Hùng',
  email: 'hung.phan@example.vn',
  subject: 'Tủ lạnh không lạnh ngăn dưới',
  description: 'Tủ lạnh mua tháng 9, từ tuần trước ngăn dưới không lạnh, thực phẩm bị hỏng.',
  orderRef: 'HD-55012',
  notes: 'Khách gọi báo tủ lạnh hỏng; đã hướng dẫn kiểm tra nút chỉnh nhiệt, hẹn kỹ thuật liên hệ.',
};
const WALK_IN = {
  name: 'Vũ Thị Lan',
  phone: '0903 456 789',
  subject: 'Máy giặt kêu to khi vắt',
  description: 'Khách mang hóa đơn và phiếu bảo hành đến quầy; máy giặt kêu to và rung mạnh khi vắt từ tuần đầu.',
};
const PORTAL = {
  name: 'Hoàng Minh Đức',
  phone: '0977 888 999',
  subject: 'Điện thoại giao đến bị trầy màn hình',
  description: 'Nhận hàng ngày 10/11, màn hình có vết trầy dài. Tôi gửi kèm ảnh chụp hóa đơn và màn hình.',
};

// Small but real files (with PNG and PDF from the harness): the server checks the type by content.
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

describe('intake channels end to end: hotline, office walk-in, portal uploads, set-aside mail', () => {
  const e2e = useE2e({
    config: (webDir) => testConfig({ webDir, callCenterSecret: SECRET }),
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      await addStaffUser({ database, role: 'agent', ...CLERK });
    },
    logInChecksName: false,
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  /** A call-centre event, signed as the call-centre system signs it. */
  async function callCentre(event: Record<string, unknown>): Promise<{ callId: string }> {
    const body = JSON.stringify(event);
    const ts = Math.floor(Date.now() / 1000);
    const r = await fetch(`${e2e.baseUrl}/api/v1/webhooks/call-center`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sen-timestamp': String(ts), 'x-sen-signature': signWebhook(SECRET, ts, body) },
      body,
    });
    expect(r.status, await r.clone().text()).toBe(200);
    return (await r.json()) as { callId: string };
  }

  /** GET from inside the page (the staff session's cookie): status, type and the first bytes. */
  async function fetchInPage(page: Page, href: string): Promise<{ status: number; type: string; head: string; size: number }> {
    return page.evaluate(async (url) => {
      const r = await fetch(url, { credentials: 'same-origin' });
      const bytes = new Uint8Array(await r.arrayBuffer());
      return {
        status: r.status,
        type: r.headers.get('content-type') ?? '',
        head: Array.from(bytes.slice(0, 8), (b) => String.fromCharCode(b)).join(''),
        size: bytes.length,
      };
    }, href);
  }

  it('a. an agent logs a hotline call from a new caller: a hotline complaint, acknowledged, with the call in its timeline', async () => {
    // The call-centre system reports the call as it starts.
    const callKey = `cc-e2e-${Date.now()}`;
    const reported = await callCentre({
      event: 'call.started',
      callId: callKey,
      caller: CALLER.phone,
      agent: AGENT.email,
      startedAt: new Date(Date.now() - 4 * 60_000).toISOString(),
    });

    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT);
      const recentLoaded = page.waitForResponse((r) => r.url().includes('/api/v1/calls/recent'));
      await page.getByTestId('nav-hotline').click();
      await page.waitForURL('**/staff/hotline');
      await page.getByTestId('hotline-form').waitFor();
      await expectStatus(recentLoaded, 200);
      // The number comes first and has the focus.
      await page.waitForFunction(() => document.activeElement?.id === 'caller');
      expect(await page.getByTestId('nav-hotline').innerText()).toBe('Đường dây nóng');
      const reportedRow = page.locator(`[data-testid="recent-call"][data-id="${reported.callId}"]`);
      await reportedRow.waitFor();
      expect(await reportedRow.getAttribute('data-caller')).toBe(CALLER.national);
      await shot(page, 'channels-01-hotline-form');

      // Typing a whole number looks the caller up: nobody on file, so the call opens a new complaint.
      const looked = page.waitForResponse((r) => r.url().includes('/api/v1/customers/lookup?'));
      await page.keyboard.type(CALLER.phone);
      await expectStatus(looked, 200);
      await page.getByTestId('hotline-customer-new').waitFor();
      await page.getByTestId('hotline-new-complaint').waitFor();
      expect(await page.locator('[data-testid="call-target"]').count()).toBe(0);

      // Picking the reported call fills its start and passes its id.
      await reportedRow.getByTestId('pick-call').click();
      await page.getByTestId('selected-call').waitFor();
      expect(await reportedRow.getByTestId('pick-call').getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('#caller').inputValue()).toBe(CALLER.national);

      // Keyboard: from the number, Tab goes through the new complaint, then the call.
      await page.locator('#caller').focus();
      await page.keyboard.press('Tab');
      if ((await focusedId(page)) === 'unselect-call') await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('hl-name');
      await page.keyboard.type(CALLER.name);
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('hl-email');
      await page.keyboard.type(CALLER.email);
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('hl-province');
      await page.locator('#hl-province').selectOption('Cần Thơ');
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('hl-subject');
      await page.keyboard.type(CALLER.subject);
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('hl-description');
      await page.keyboard.insertText(CALLER.description);
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('hl-orderRef');
      await page.keyboard.type(CALLER.orderRef);
      await page.getByTestId('hotline-priority').selectOption('normal');
      // The caller says she is pregnant (Art. 8): the complaint will be at least high priority.
      await page.getByTestId('hotline-vulnerable-group').selectOption('pregnant_or_infant');
      // Consent: never pre-ticked; the agent ticks it after reading the text to the caller.
      expect(await page.locator('#hl-consent').isChecked()).toBe(false);
      await page.locator('label[for="hl-consent"]').click();
      expect(await page.locator('#hl-consent').isChecked()).toBe(true);

      await page.getByTestId('call-notes').fill(CALLER.notes);
      await page.getByTestId('end-call').click();
      expect(await page.getByTestId('call-end').inputValue()).not.toBe('');
      await page.locator('[data-testid="call-duration"][data-ended="true"]').waitFor();
      expect(await page.getByTestId('call-duration').innerText()).toMatch(/^Thời lượng: \d{2}:\d{2}$/);
      await shot(page, 'channels-02-hotline-filled');

      // Enter in a one-line field sends; a second click right after does not make a second complaint.
      const posts: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/v1/calls') && r.method() === 'POST') posts.push(r.headers()['idempotency-key'] ?? '');
      });
      const logged = page.waitForResponse((r) => r.url().endsWith('/api/v1/calls') && r.request().method() === 'POST');
      await page.locator('#hl-orderRef').focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await expectStatus(logged, 201);
      await page.waitForURL(/\/staff\/complaints\/KN-/);
      const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      expect(code).toMatch(CODE_PATTERN);
      expect(new Set(posts).size).toBe(1);
      expect(posts[0]).toMatch(/^[0-9a-f-]{36}$/);

      await page.getByTestId('complaint-detail').waitFor();
      expect(await page.getByTestId('flash-message').innerText()).toContain(`Đã ghi nhận cuộc gọi và tạo khiếu nại ${code}`);
      expect(await page.getByTestId('complaint-channel').innerText()).toBe('Hotline');
      expect(await page.getByTestId('status-value').getAttribute('data-status')).toBe('acknowledged');
      expect(await page.getByTestId('customer-name').innerText()).toBe(CALLER.name);
      expect(await page.getByTestId('vulnerable-badge').getAttribute('data-group')).toBe('pregnant_or_infant');
      expect(await page.getByTestId('priority-select').inputValue()).toBe('high');
      expect(await page.getByTestId('customer-province').innerText()).toBe('Cần Thơ');
      expect(await page.getByTestId('customer-consent').getAttribute('data-given')).toBe('true');
      expect(await page.getByTestId('customer-consent').innerText()).toMatch(/^Đã đồng ý lúc \d{2}\/\d{2}\/\d{4}/);
      const contact = page.locator('[data-testid="timeline-event"][data-type="contact.logged"]');
      expect(await contact.getByTestId('timeline-call').innerText()).toContain(`Cuộc gọi từ ${CALLER.national}`);
      expect(await contact.getByTestId('timeline-contact-summary').innerText()).toBe(CALLER.notes);
      // The receipt mail to the new customer sits in the timeline with its delivery state.
      const mail = page.locator('[data-testid="timeline-event"][data-type="email.outbound"]');
      expect(await mail.count()).toBeGreaterThanOrEqual(1);
      expect(['queued', 'sent', 'outbox', 'failed']).toContain(await mail.first().getByTestId('timeline-mail-status').getAttribute('data-status'));

      // Only one complaint for this caller, whatever the double submit did.
      const found = await page.evaluate(async (q) => {
        const r = await fetch(`/api/v1/complaints?q=${encodeURIComponent(q)}`);
        return ((await r.json()) as { items: { code: string; channel: string }[] }).items;
      }, CALLER.national);
      expect(found.map((c) => c.code)).toEqual([code]);
      expect(found[0].channel).toBe('hotline');

      // The call centre reports the end: duration and recording show in the timeline.
      await callCentre({
        event: 'call.ended',
        callId: callKey,
        caller: CALLER.phone,
        durationSeconds: 185,
        recordingUrl: 'https://tongdai.example.vn/ghi-am/e2e-185.mp3',
      });
      const reloaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}`) && r.request().method() === 'GET');
      await page.reload();
      await expectStatus(reloaded, 200);
      const ended = page.locator('[data-testid="timeline-event"][data-type="call.ended"]');
      await ended.waitFor();
      expect(await ended.getByTestId('timeline-call-duration').innerText()).toContain('03:05');
      expect(await ended.getByTestId('timeline-recording').getAttribute('href')).toBe('https://tongdai.example.vn/ghi-am/e2e-185.mp3');
      // The flash message was for the arrival only.
      expect(await page.getByTestId('flash-message').count()).toBe(0);
      await shot(page, 'channels-03-hotline-complaint');

      // The reported call is no longer waiting.
      await page.goto('/staff/hotline');
      await page.getByTestId('hotline-form').waitFor();
      await page.locator('[data-testid="recent-empty"], [data-testid="recent-call"]').first().waitFor();
      expect(await page.locator(`[data-testid="recent-call"][data-id="${reported.callId}"]`).count()).toBe(0);

      // An existing caller with an open complaint: the call must be attached or explicitly made new.
      await page.locator('#caller').fill(CALLER.national);
      await page.getByTestId('hotline-customer-found').waitFor();
      expect(await page.getByTestId('hotline-customer-found').innerText()).toContain(CALLER.name);
      const option = page.locator(`[data-testid="call-target-option"][data-code="${code}"]`);
      await option.waitFor();
      expect(await page.getByTestId('hotline-new-complaint').count()).toBe(0);
      await page.getByTestId('call-notes').fill('Khách gọi lại hỏi lịch hẹn kỹ thuật.');
      await page.getByTestId('hotline-submit').click();
      await page.getByTestId('error-call-target').waitFor();
      // Made a new complaint, the form starts from what Sen knows of the caller, their province included.
      await page.getByTestId('call-target-new').check();
      await page.getByTestId('hotline-new-complaint').waitFor();
      expect(await page.getByTestId('hotline-name').inputValue()).toBe(CALLER.name);
      expect(await page.getByTestId('hotline-province').inputValue()).toBe('Cần Thơ');
      expect(await page.getByTestId('hotline-email').inputValue()).toBe(CALLER.email);
      // The agent corrects the number to a caller Sen does not know: the previous caller's details go,
      // or the new complaint would be filed (and its receipt mailed) to the earlier customer.
      await page.locator('#caller').fill('0912 000 222');
      await page.locator('[data-testid="hotline-lookup"][data-looked-up="0912000222"] [data-testid="hotline-customer-new"]').waitFor();
      expect(await page.getByTestId('hotline-name').inputValue()).toBe('');
      expect(await page.getByTestId('hotline-email').inputValue()).toBe('');
      expect(await page.getByTestId('hotline-province').inputValue()).toBe('');
      // What the agent typed for the new caller stays when the number changes again.
      await page.getByTestId('hotline-name').fill('Người gọi mới');
      await page.locator('#caller').fill('0912 000 333');
      await page.locator('[data-testid="hotline-lookup"][data-looked-up="0912000333"]').waitFor();
      expect(await page.getByTestId('hotline-name').inputValue()).toBe('Người gọi mới');
      await page.getByTestId('hotline-name').fill('');
      await page.locator('#caller').fill(CALLER.national);
      await page.getByTestId('hotline-customer-found').waitFor();
      await option.waitFor();
      await option.check();
      expect(await page.getByTestId('hotline-submit').innerText()).toContain(code);
      await shot(page, 'channels-04-hotline-existing-caller');
      const attached = page.waitForResponse((r) => r.url().endsWith('/api/v1/calls') && r.request().method() === 'POST');
      await page.getByTestId('hotline-submit').click();
      await expectStatus(attached, 201);
      await page.waitForURL(`**/staff/complaints/${code}`);
      expect(await page.getByTestId('flash-message').innerText()).toContain(`Đã ghi nhận cuộc gọi vào khiếu nại ${code}`);
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="timeline-event"][data-type="contact.logged"]').length === 2,
      );
    } finally {
      await context.close();
    }
  });

  it('a2. the hotline form fits a phone', async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await logIn(page, AGENT);
      await page.goto('/staff/hotline');
      await page.getByTestId('hotline-form').waitFor();
      await page.locator('#caller').fill('0912 000 111');
      await page.getByTestId('hotline-new-complaint').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'channels-05-phone-hotline');
    } finally {
      await context.close();
    }
  });

  it('a3. the agent’s new-complaint form fills in a known caller, and empties it again for a number Sen does not know', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT);
      await page.getByTestId('new-complaint').click();
      await page.getByTestId('new-complaint-form').waitFor();
      await page.getByTestId('caller-phone').fill(CALLER.national);
      await page.locator('#name').focus();
      await page.getByTestId('customer-found').waitFor();
      await page.waitForFunction((n) => (document.querySelector('#name') as HTMLInputElement | null)?.value === n, CALLER.name);
      expect(await page.locator('#email').inputValue()).toBe(CALLER.email);
      expect(await page.getByTestId('province').inputValue()).toBe('Cần Thơ');
      await page.getByTestId('caller-phone').fill('0912 000 444');
      await page.locator('#name').focus();
      await page.getByTestId('customer-new').waitFor();
      expect(await page.locator('#name').inputValue()).toBe('');
      expect(await page.locator('#email').inputValue()).toBe('');
      expect(await page.getByTestId('province').inputValue()).toBe('');

      // By email: the caller's phone and name fill in; a corrected, unknown email empties them again.
      await page.getByTestId('caller-phone').fill('');
      await page.locator('#email').fill(CALLER.email);
      await page.locator('#name').focus();
      await page.getByTestId('customer-found').waitFor();
      await page.waitForFunction((n) => (document.querySelector('#name') as HTMLInputElement | null)?.value === n, CALLER.name);
      expect(await page.getByTestId('caller-phone').inputValue()).not.toBe('');
      await page.locator('#email').fill('nguoi.khac@example.vn');
      await page.locator('#name').focus();
      await page.getByTestId('customer-new').waitFor();
      expect(await page.locator('#name').inputValue()).toBe('');
      expect(await page.getByTestId('caller-phone').inputValue()).toBe('');
    } finally {
      await context.close();
    }
  });

  it('b. a clerk files a walk-in complaint with a scanned PNG and PDF, sees them listed and opens the A5 receipt', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, CLERK);
      await page.getByTestId('nav-office').click();
      await page.waitForURL('**/staff/office');
      await page.getByTestId('new-complaint-form').waitFor();
      expect(await page.getByTestId('channel-select').inputValue()).toBe('office');
      await page.getByTestId('caller-phone').fill(WALK_IN.phone);
      await page.locator('#name').fill(WALK_IN.name);
      await page.locator('#subject').fill(WALK_IN.subject);
      await page.locator('#description').fill(WALK_IN.description);

      // Choose files: the two scans, one too large (caught before sending), and one chosen by mistake.
      const input = page.getByTestId('office-files-input');
      expect(await input.getAttribute('accept')).toContain('application/pdf');
      expect(await input.getAttribute('multiple')).not.toBeNull();
      await input.setInputFiles([
        { name: 'hóa-đơn-mua-hàng.png', mimeType: 'image/png', buffer: PNG },
        { name: 'phieu-bao-hanh.pdf', mimeType: 'application/pdf', buffer: PDF },
      ]);
      await input.setInputFiles([
        { name: 'ban-scan-qua-lon.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25) },
        { name: 'chon-nham.png', mimeType: 'image/png', buffer: PNG },
      ]);
      const chosen = page.getByTestId('chosen-file');
      expect(await chosen.count()).toBe(4);
      expect(await page.getByTestId('office-files-count').innerText()).toBe('Đã chọn 4 tệp.');
      const big = page.locator('[data-testid="chosen-file"][data-name="ban-scan-qua-lon.pdf"]');
      expect(await big.getByTestId('file-error').innerText()).toContain('Tệp quá lớn');
      expect(await big.innerText()).toContain('10 MB');
      // Sending is refused in the browser while a file is over the limit.
      await page.locator('label[for="consent"]').click();
      await page.getByTestId('submit-complaint').click();
      await page.getByTestId('error-summary').waitFor();
      await shot(page, 'channels-06-office-files-checked');
      await big.getByTestId('remove-file').click();
      await page.locator('[data-testid="chosen-file"][data-name="chon-nham.png"]').getByTestId('remove-file').click();
      expect(await chosen.count()).toBe(2);
      expect(await page.locator('[data-testid="chosen-file"][data-name="hóa-đơn-mua-hàng.png"]').innerText()).toContain(`${PNG.length} B`);
      expect(await page.getByTestId('submit-complaint').innerText()).toBe('Tạo khiếu nại và tải lên 2 tệp');

      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/complaints') && r.request().method() === 'POST');
      const uploaded = page.waitForResponse((r) => /\/api\/v1\/complaints\/KN-[^/]+\/attachments$/.test(r.url()) && r.request().method() === 'POST');
      await page.getByTestId('submit-complaint').click();
      await expectStatus(created, 201);
      await expectStatus(uploaded, 201);
      const done = page.getByTestId('office-done');
      await done.waitFor();
      const code = (await done.getAttribute('data-code'))!;
      expect(code).toMatch(CODE_PATTERN);
      const listed = done.getByTestId('attachment');
      expect(await listed.count()).toBe(2);
      expect((await listed.allInnerTexts()).join('\n')).toContain('hóa-đơn-mua-hàng.png');
      expect(await done.locator('[data-testid="attachment"][data-name="phieu-bao-hanh.pdf"]').getAttribute('data-type')).toBe('application/pdf');
      await shot(page, 'channels-07-office-done');

      // The A5 receipt: a PDF, opened in a new tab.
      const a5 = page.getByTestId('receipt-a5');
      const href = (await a5.getAttribute('href'))!;
      expect(href).toBe(`/api/v1/complaints/${code}/receipt.pdf?size=A5`);
      expect(await a5.getAttribute('target')).toBe('_blank');
      const receipt = await fetchInPage(page, href);
      expect(receipt.status).toBe(200);
      expect(receipt.type).toContain('application/pdf');
      expect(receipt.head.startsWith('%PDF')).toBe(true);
      const popup = context.waitForEvent('page');
      await a5.click();
      const tab = await popup;
      await tab.waitForURL((url) => url.pathname.endsWith('/receipt.pdf'), { waitUntil: 'commit' }).catch(() => undefined);
      expect(tab.url()).toContain(href);
      await tab.close();

      // On the complaint page: the files (downloadable), the receipt, and more files later.
      await page.getByTestId('office-open-complaint').click();
      await page.waitForURL(`**/staff/complaints/${code}`);
      const panel = page.getByTestId('attachments-panel');
      await panel.waitFor();
      expect(await page.getByTestId('complaint-channel').innerText()).toBe('Văn phòng');
      expect(await panel.getByTestId('attachment').count()).toBe(2);
      const pdfLink = panel.locator('[data-testid="attachment"][data-name="phieu-bao-hanh.pdf"] a');
      const pdf = await fetchInPage(page, (await pdfLink.getAttribute('href'))!);
      expect(pdf.status).toBe(200);
      expect(pdf.head.startsWith('%PDF')).toBe(true);
      const png = await fetchInPage(page, (await panel.locator('[data-testid="attachment"][data-name="hóa-đơn-mua-hàng.png"] a').getAttribute('href'))!);
      expect(png.head.slice(1, 4)).toBe('PNG');
      expect(await panel.getByTestId('receipt-a4').getAttribute('href')).toBe(`/api/v1/complaints/${code}/receipt.pdf?size=A4`);
      const added = page.locator('[data-testid="timeline-event"][data-type="attachments.added"]');
      expect(await added.getByTestId('timeline-file').count()).toBe(2);

      // A file that is not what its name says is refused by the server, beside that file.
      await panel.locator('summary').click();
      await page.getByTestId('staff-upload-picker-input').setInputFiles([
        { name: 'bien-ban.pdf', mimeType: 'application/pdf', buffer: PDF },
        { name: 'anh-gia.png', mimeType: 'image/png', buffer: Buffer.from('đây không phải ảnh PNG') },
      ]);
      const refused = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/attachments`));
      await page.getByTestId('staff-upload-submit').click();
      await expectStatus(refused, 422);
      const fake = page.locator('[data-testid="chosen-file"][data-name="anh-gia.png"]');
      expect(await fake.getByTestId('file-error').innerText()).toContain('Loại tệp không được chấp nhận');
      await shot(page, 'channels-08-office-upload-refused');
      await fake.getByTestId('remove-file').click();
      const accepted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/attachments`));
      await page.getByTestId('staff-upload-submit').click();
      await expectStatus(accepted, 201);
      await page.getByTestId('staff-upload-done').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="attachments-panel"] [data-testid="attachment"]').length === 3);
      expect(await added.count()).toBe(2);
      await shot(page, 'channels-09-office-complaint');
    } finally {
      await context.close();
    }
  });

  it('c. a customer files on the portal with a scanned photo and sees it on the status page; the robot trap is out of reach', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto('/');
      await page.getByTestId('complaint-form').waitFor();

      // The honeypot: labelled for what it is, but off-screen, hidden from assistive tech and never tabbed to.
      const trap = await page.evaluate(() => {
        const input = document.getElementById('website') as HTMLInputElement;
        const box = input.getBoundingClientRect();
        const wrapper = input.closest('[aria-hidden]');
        return {
          tabIndex: input.tabIndex,
          autocomplete: input.getAttribute('autocomplete'),
          label: document.querySelector('label[for="website"]')?.textContent ?? '',
          ariaHidden: wrapper?.getAttribute('aria-hidden') ?? null,
          right: box.right,
          bottom: box.bottom,
          value: input.value,
        };
      });
      expect(trap.tabIndex).toBe(-1);
      expect(trap.autocomplete).toBe('off');
      expect(trap.label).toBe('Để trống ô này');
      expect(trap.ariaHidden).toBe('true');
      expect(trap.right <= 0 || trap.bottom <= 0, `honeypot is on screen at right=${trap.right}`).toBe(true);
      expect(trap.value).toBe('');
      const visited: string[] = [];
      await page.locator('#name').focus();
      for (let i = 0; i < 20; i++) {
        const id = await focusedId(page);
        visited.push(id);
        if (id === 'submit-complaint') break;
        await page.keyboard.press('Tab');
      }
      expect(visited).not.toContain('website');
      expect(visited).toContain('attachments');
      expect(visited.at(-1)).toBe('submit-complaint');
      await expectNoHorizontalOverflow(page);

      await page.reload();
      await page.getByTestId('complaint-form').waitFor();
      await page.locator('#name').fill(PORTAL.name);
      await page.locator('#phone').fill(PORTAL.phone);
      await page.locator('#subject').fill(PORTAL.subject);
      await page.locator('#description').fill(PORTAL.description);
      // The file picker speaks Vietnamese: the browser's own button ("Choose Files / No file chosen") is out of sight,
      // a button in the page's language stands for it, and the keyboard still opens the chooser from the field.
      await expect.poll(() => page.getByTestId('portal-files-choose').textContent()).toBe('Chọn tệp…');
      const native = await page.getByTestId('portal-files-input').boundingBox();
      expect(native && native.width <= 1 && native.height <= 1, `native file input is visible: ${JSON.stringify(native)}`).toBe(true);
      await page.getByTestId('portal-files-input').focus();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('portal-files-input');
      // On a loaded CI machine the chooser once did not open within 5 s of the key (28/11/2026): wait longer, and
      // press once more if nothing came of the first.
      const chooser = page.waitForEvent('filechooser', { timeout: TIMEOUT });
      await page.keyboard.press('Space');
      if (!(await Promise.race([chooser.then(() => true), new Promise((r) => setTimeout(() => r(false), 5_000))]))) await page.keyboard.press('Space');
      await (await chooser).setFiles([{ name: 'anh-chup-man-hinh.jpg', mimeType: 'image/jpeg', buffer: JPEG }]);
      expect(await page.getByTestId('chosen-file').count()).toBe(1);
      expect(await page.getByTestId('portal-files-choose').textContent()).toBe('Thêm tệp…');
      // Dropped on the box, a file is chosen too (the browser does not open it in place of the form).
      const dropped = await page.evaluateHandle(() => {
        const d = new DataTransfer();
        d.items.add(new File(['%PDF-1.4\n%%EOF\n'], 'hoa-don-keo-tha.pdf', { type: 'application/pdf' }));
        return d;
      });
      await page.getByTestId('portal-files-drop').dispatchEvent('dragover', { dataTransfer: dropped });
      await page.getByTestId('portal-files-drop').dispatchEvent('drop', { dataTransfer: dropped });
      await expect.poll(() => page.getByTestId('chosen-file').count()).toBe(2);
      expect(await page.getByTestId('chosen-file').nth(1).getAttribute('data-name')).toBe('hoa-don-keo-tha.pdf');
      await page.getByTestId('remove-file').nth(1).click();
      expect(await page.getByTestId('chosen-file').count()).toBe(1);
      await page.locator('#consent').check();
      await shot(page, 'channels-10-portal-form-with-photo');

      // Sent within a few seconds of showing the form: refused as too fast, with a message; sending again works.
      const first = page.waitForResponse((r) => r.url().endsWith('/api/v1/portal/complaints') && r.request().method() === 'POST');
      await page.getByTestId('submit-complaint').click();
      const firstAnswer = await first;
      const sent = JSON.parse(firstAnswer.request().postData() ?? '{}') as { website?: string; fillMs?: number };
      expect(sent.website).toBe('');
      expect(typeof sent.fillMs).toBe('number');
      if (firstAnswer.status() === 422) {
        expect(sent.fillMs).toBeLessThan(3000);
        await page.getByTestId('error-summary').waitFor();
        expect(await page.getByTestId('error-summary').innerText()).toContain('quá nhanh');
        expect(await page.getByTestId('submit-complaint').isEnabled()).toBe(true);
        await shot(page, 'channels-11-portal-too-fast');
        await page.waitForTimeout(Math.max(0, 3100 - (sent.fillMs ?? 0)));
        const again = page.waitForResponse((r) => r.url().endsWith('/api/v1/portal/complaints') && r.request().method() === 'POST');
        const upload = page.waitForResponse((r) => /\/api\/v1\/portal\/complaints\/KN-[^/]+\/attachments$/.test(r.url()));
        await page.getByTestId('submit-complaint').click();
        await expectStatus(again, 201);
        await expectStatus(upload, 201);
      } else {
        // A slow machine took over three seconds (or the server's minimum is lower): the first send was accepted.
        expect(firstAnswer.status()).toBe(201);
      }

      await page.waitForURL('**/khieu-nai/da-gui');
      const code = (await page.getByTestId('complaint-code').innerText()).trim();
      expect(code).toMatch(CODE_PATTERN);
      await page.getByTestId('upload-done').waitFor();
      expect(await page.getByTestId('upload-done').innerText()).toContain('anh-chup-man-hinh.jpg');
      await shot(page, 'channels-12-portal-confirmation');

      // The status page lists the customer's own file, and takes more.
      const looked = page.waitForResponse((r) => r.url().includes(`/api/v1/portal/complaints/${code}?`));
      await page.getByTestId('lookup-link').click();
      await expectStatus(looked, 200);
      await page.getByTestId('lookup-result').waitFor();
      const filesEvent = page.locator('[data-testid="timeline-event"][data-type="attachments.added"]');
      expect(await filesEvent.count()).toBe(1);
      expect(await filesEvent.getByTestId('public-file').innerText()).toBe('anh-chup-man-hinh.jpg');
      expect(await filesEvent.innerText()).toContain('Bạn đã gửi 1 tệp');

      await page.getByTestId('portal-upload-picker-input').setInputFiles([{ name: 'hoa-don-dien-thoai.pdf', mimeType: 'application/pdf', buffer: PDF }]);
      const more = page.waitForResponse((r) => r.url().endsWith(`/api/v1/portal/complaints/${code}/attachments`));
      await page.getByTestId('portal-upload-submit').click();
      await expectStatus(more, 201);
      await page.getByTestId('portal-upload-done').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-event"][data-type="attachments.added"]').length === 2);
      expect(await page.getByTestId('public-file').allInnerTexts()).toEqual(['anh-chup-man-hinh.jpg', 'hoa-don-dien-thoai.pdf']);
      await shot(page, 'channels-13-portal-status-files');
    } finally {
      await context.close();
    }
  });

  it('c2. the portal form with files chosen fits a phone', async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await page.goto('/');
      await page.getByTestId('complaint-form').waitFor();
      await page.getByTestId('portal-files-input').setInputFiles([
        { name: 'anh-chup-hoa-don-mua-hang-thang-muoi-mot-nam-hai-nghin-hai-muoi-lam.jpg', mimeType: 'image/jpeg', buffer: JPEG },
        { name: 'phieu-bao-hanh.pdf', mimeType: 'application/pdf', buffer: PDF },
      ]);
      await expectNoHorizontalOverflow(page);
      await shot(page, 'channels-14-phone-portal-files');
    } finally {
      await context.close();
    }
  });

  it('d. the not-a-complaint log turns a set-aside mail into a complaint (when the server has the log)', async () => {
    // Mail the intake set aside: an auto-reply and a bounce.
    const files = LocalFileStore.inDataDir(e2e.config.dataDir);
    for (const [file, envelopeFrom] of [
      ['outlook-auto-reply.eml', 'nhanvien@doitac.vn'],
      ['dsn-bounce.eml', ''],
    ] as const) {
      const raw = fs.readFileSync(path.join(MAIL_FIXTURES, file));
      const outcome = await receiveEmail({
        database: e2e.database,
        files,
        raw,
        mail: await parseInboundMail(raw),
        envelopeFrom,
        receipt: { baseUrl: e2e.baseUrl, companyName: e2e.config.companyName },
      });
      expect(outcome.outcome).toBe('not_a_complaint');
    }

    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT);
      const probe = await page.evaluate(async () => (await fetch('/api/v1/inbound-rejects')).status);
      if (probe === 404) {
        // The server has no log yet: the page says so instead of failing; nothing more to drive.
        await page.goto('/staff/inbound-rejects');
        await page.getByTestId('rejects-unavailable').waitFor();
        console.warn('GET /api/v1/inbound-rejects answered 404: the not-a-complaint log step was left out');
        return;
      }
      expect(probe).toBe(200);
      const listed = page.waitForResponse((r) => r.url().endsWith('/api/v1/inbound-rejects'));
      await page.getByTestId('nav-inbound-rejects').click();
      await page.waitForURL('**/staff/inbound-rejects');
      await expectStatus(listed, 200);
      expect(await page.getByTestId('nav-inbound-rejects').innerText()).toBe('Thư không phải khiếu nại');
      const rows = page.getByTestId('reject-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      const kinds = await page.getByTestId('reject-kind').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      expect(kinds.sort()).toEqual(['auto_reply', 'bounce']);
      const autoReply = page.locator('[data-testid="reject-row"][data-kind="auto_reply"]');
      expect(await autoReply.getByTestId('reject-kind').innerText()).toBe('Trả lời tự động');
      expect(await autoReply.getByTestId('reject-from').innerText()).toContain('@');
      await shot(page, 'channels-15-rejects');

      const converted = page.waitForResponse((r) => /\/api\/v1\/inbound-rejects\/[^/]+\/convert$/.test(r.url()));
      await autoReply.getByTestId('reject-convert').click();
      await expectStatus(converted, 201);
      const codeLink = autoReply.getByTestId('reject-code');
      await codeLink.waitFor();
      const code = (await codeLink.innerText()).trim();
      expect(code).toMatch(CODE_PATTERN);
      expect(await page.getByTestId('reject-converted').innerText()).toContain(code);
      expect(await page.locator('[data-testid="reject-row"][data-kind="bounce"]').getByTestId('reject-convert').count()).toBe(1);
      await shot(page, 'channels-16-rejects-converted');

      await codeLink.click();
      await page.waitForURL(`**/staff/complaints/${code}`);
      await page.getByTestId('complaint-detail').waitFor();
      expect(await page.getByTestId('complaint-channel').innerText()).toBe('Email');
      const customerEmail = (await page.getByTestId('customer-email').innerText()).trim();
      const convertedEvent = page.locator('[data-testid="timeline-event"][data-type="email.converted"]');
      if (await convertedEvent.count()) expect(await convertedEvent.getByTestId('timeline-converted').innerText()).toContain('Thư không phải khiếu nại');

      // The sender writes back about it, with a document: the mail threads onto the complaint and shows
      // who wrote, the subject and the file.
      const boundary = 'sen-e2e-boundary';
      const reply = Buffer.from(
        [
          `From: ${customerEmail}`,
          'To: khieunai@sen.test',
          `Subject: =?UTF-8?B?${Buffer.from(`Re: [${code}] Bổ sung hóa đơn`).toString('base64')}?=`,
          `Message-ID: <e2e-reply-${Date.now()}@congty.example.vn>`,
          'MIME-Version: 1.0',
          `Content-Type: multipart/mixed; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: 8bit',
          '',
          'Tôi gửi kèm hóa đơn để bổ sung khiếu nại.',
          `--${boundary}`,
          'Content-Type: application/pdf; name="hoa-don.pdf"',
          'Content-Disposition: attachment; filename="hoa-don.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          PDF.toString('base64'),
          `--${boundary}--`,
          '',
        ].join('\r\n'),
        'utf8',
      );
      const threaded = await receiveEmail({
        database: e2e.database,
        files,
        raw: reply,
        mail: await parseInboundMail(reply),
        envelopeFrom: customerEmail,
        receipt: { baseUrl: e2e.baseUrl, companyName: e2e.config.companyName },
      });
      expect(threaded).toEqual({ outcome: 'threaded', code });
      await page.reload();
      const inbound = page.locator('[data-testid="timeline-event"][data-type="message.received"]');
      await inbound.waitFor();
      const mailFacts = await inbound.getByTestId('timeline-mail-in').innerText();
      expect(mailFacts).toContain(`Từ ${customerEmail}`);
      expect(mailFacts).toContain('Bổ sung hóa đơn');
      expect(await inbound.getByTestId('timeline-message').innerText()).toContain('Tôi gửi kèm hóa đơn');
      const mailed = inbound.locator('[data-testid="timeline-file"][data-name="hoa-don.pdf"] a');
      const mailedFile = await fetchInPage(page, (await mailed.getAttribute('href'))!);
      expect(mailedFile.status).toBe(200);
      expect(mailedFile.head.startsWith('%PDF')).toBe(true);
      await shot(page, 'channels-17-email-reply-timeline');

      // Listed again, the row keeps its complaint.
      await page.goto('/staff/inbound-rejects');
      await page.locator(`[data-testid="reject-row"][data-converted="${code}"]`).waitFor();
    } finally {
      await context.close();
    }
  });

  it('e. no page threw an uncaught error', () => {
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
