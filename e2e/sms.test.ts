/**
 * Texting the customer (nhắn tin SMS) end to end: a customer who gave only a phone files on the portal; their receipt is
 * queued by SMS. An agent opens the complaint, writes a text with diacritics and sees, as they type, what the phone will
 * show (without diacritics) and how many messages it takes; a text over two messages is stopped at the field. Sent, the
 * timeline shows it as a contact (the complaint is acknowledged) and the gateway, a local HTTP server here, receives it.
 * The customer's status page shows it too.
 *
 * Same setup as replies.test.ts (in-process server, in-memory PGlite, headless Chromium) with SMS_URL pointing at the
 * local gateway. Screenshots go to artifacts/e2e/ (prefixed sms-).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { deliverQueuedSms, queueSmsReceipts } from '../src/jobs/sms';
import { testConfig } from '../test/factories';
import { expectStatus, shot, useE2e } from './harness';

const AGENT = { email: 'agent.sms@sen.test', name: 'Đỗ Thị Nhắn', password: 'mat-khau-nhan-tin-2024' };
const PHONE = '0912 555 777';

describe('texting the customer end to end', () => {
  const received: { to: string; text: string }[] = [];
  let gateway: Server;
  let gatewayUrl = '';
  beforeAll(async () => {
    gateway = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(raw));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"gw-1"}');
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as { port: number }).port}/sms`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => gateway.close(() => r()));
  });
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
    },
    config: (webDir) => testConfig({ webDir, companyName: 'Điện máy Sen', sms: { url: gatewayUrl } }),
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('the agent texts a customer who gave only a phone; the phone gets it without diacritics; the timeline and status page show it', async () => {
    const filed = await fetch(`${e2e.baseUrl}/api/v1/portal/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer: { name: 'Hoàng Văn Nhận', phone: PHONE }, subject: 'Bếp từ báo lỗi E1', description: 'Bếp mua tuần trước.', consent: true }),
    });
    expect(filed.status).toBe(201);
    const code = ((await filed.json()) as { code: string }).code;
    // The receipt goes by SMS: there is no email to send it to.
    expect(await queueSmsReceipts({ database: e2e.database, baseUrl: e2e.baseUrl, companyName: 'Điện máy Sen' })).toBe(1);

    const { page, context } = await newPage();
    await logIn(page, AGENT, `/staff/complaints/${code}`);
    await page.getByTestId('reply-no-email').waitFor();
    const section = page.getByTestId('sms-section');
    await section.waitFor();
    expect(await section.innerText()).toContain('Gửi đến 0912555777.');

    // Too long once folded: stopped at the field, nothing sent.
    let sent = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/sms')) sent++;
    });
    await page.getByTestId('sms-input').fill('Đổi bếp mới cho anh. '.repeat(16));
    expect(await page.getByTestId('sms-preview').innerText()).toMatch(/^335\/306 ký tự, 3 tin nhắn\./);
    await page.getByTestId('sms-submit').click();
    expect(await page.locator('#sms-text-error').innerText()).toBe('Tin nhắn quá dài: tối đa 306 ký tự không dấu (2 tin nhắn).');
    expect(sent).toBe(0);

    await page.getByTestId('sms-input').fill('Chào anh Nhận, kỹ thuật viên sẽ đến thay bo mạch bếp vào thứ Năm.');
    expect(await page.getByTestId('sms-preview').innerText()).toBe(
      '65/306 ký tự, 1 tin nhắn. Khách hàng sẽ nhận: Chao anh Nhan, ky thuat vien se den thay bo mach bep vao thu Nam.',
    );
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/sms'));
    await page.getByTestId('sms-submit').click();
    await expectStatus(answered, 201);
    await page.getByText('Đã gửi tin nhắn SMS cho khách hàng.').waitFor();
    expect(await page.getByTestId('sms-input').inputValue()).toBe('');
    const entry = page.locator('[data-testid="timeline-event"][data-type="sms.sent"]');
    await entry.waitFor();
    expect(await entry.locator('.timeline-title').innerText()).toBe('Nhắn tin SMS cho khách hàng');
    expect(await entry.getByTestId('timeline-sms-sent').innerText()).toBe('Chao anh Nhan, ky thuat vien se den thay bo mach bep vao thu Nam.');
    // A contact: the complaint is acknowledged.
    await page.locator('[data-testid="timeline-event"][data-type="status.changed"]').first().waitFor();
    await shot(page, 'sms-sent');

    // The gateway gets the receipt and the text.
    await deliverQueuedSms(e2e.database, { url: gatewayUrl });
    // In the order they were queued: the receipt first.
    expect(received.map((r) => r.to)).toEqual(['+84912555777', '+84912555777']);
    expect(received[0].text).toContain(`Da tiep nhan khieu nai ${code}`);
    expect(received[1].text).toBe('Chao anh Nhan, ky thuat vien se den thay bo mach bep vao thu Nam.');

    const portal = await context.newPage();
    await portal.goto(`${e2e.baseUrl}/tra-cuu?code=${code}`);
    await portal.locator('#contact').fill(PHONE);
    await portal.getByTestId('lookup-submit').click();
    await portal.getByText('Chúng tôi đã nhắn tin SMS cho bạn').waitFor();
    expect(await portal.getByTestId('public-sms').innerText()).toBe('Chao anh Nhan, ky thuat vien se den thay bo mach bep vao thu Nam.');
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
