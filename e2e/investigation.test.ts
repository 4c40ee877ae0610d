/**
 * Verification (step 3) end to end: an agent asks the customer for the invoice and photos and the
 * complaint waits on the customer; the customer answers on the status page with a PNG; the agent sees
 * the request answered, the complaint back in investigation and the file listed, and verifies it; the
 * agent consults an internal department, whose member (role `department`) logs in, lands on the
 * consultation inbox, cannot see the complaint queue (403) and answers with a file; the agent sees
 * the answer; an outside party gets a signed link by email (re-sent once: the first link is revoked),
 * answers on /tham-van without an account, and the same link then says it was answered; tampered,
 * expired and incomplete links each get their own message. Each consultation shares files: the
 * department gets the customer's photo and a new upload, the party the photo only, and each
 * downloads exactly those (another file of the complaint: 404).
 *
 * Same setup as sla.test.ts and channels.test.ts: the real server in-process (embedded in-memory
 * PGlite, Fastify serving the built web app), driven with headless Chromium through playwright-core.
 * Screenshots go to artifacts/e2e/ (prefixed investigation-).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTeam } from '../src/commands/create-team';
import { addStaffUser } from '../src/commands/staff-accounts';
import { linkSecret } from '../src/db/queries/settings';
import { signLink } from '../src/domain/signed-links';
import { seedComplaint } from '../test/factories';
import { ARTIFACTS, CODE_PATTERN, PDF, PNG, expectNoHorizontalOverflow, expectStatus, shot, useE2e } from './harness';

const TEAM = 'Kho vận và giao nhận';
const AGENT = { email: 'agent.xacminh@sen.test', name: 'Lê Văn Tâm', password: 'mat-khau-e2e-2024' };
const DEPARTMENT = { email: 'kho.xacminh@sen.test', name: 'Trịnh Quốc Bảo', password: 'mat-khau-kho-2024' };
const AUDITOR = { email: 'kiemsoat.xacminh@sen.test', name: 'Võ Thanh Mai', password: 'mat-khau-kiem-soat-2024' };
const CUSTOMER = {
  name: 'Đặng Thị Thu',
  phone: '0938 246 135',
  phoneE164: '+84938246135',
  email: 'thu.dang@example.vn',
  subject: 'Nồi cơm điện giao đến bị móp',
  description: 'Tôi nhận nồi cơm điện ngày 12/11, vỏ ngoài bị móp và nắp không đóng kín được.',
};
const INFO_MESSAGE = 'Anh/chị vui lòng gửi hóa đơn mua hàng và ảnh chụp chỗ bị móp để chúng tôi xác minh với kho.';
const CUSTOMER_ANSWER = 'Tôi gửi ảnh hóa đơn điện tử, chỗ móp ở cạnh trái thân nồi.';
const INTERNAL_QUESTION = 'Kho kiểm tra giúp lô hàng của đơn DH-77120 khi xuất kho có bị móp không?';
const DEPARTMENT_ANSWER = 'Kho đã kiểm tra: lô xuất ngày 11/11 nguyên vẹn, biên bản xuất kho đính kèm.';
const PARTY = { name: 'Giao Hàng Nhanh', email: 'cskh@ghn.example' };
const EXTERNAL_QUESTION = 'Đơn vận GHN-5531 giao lúc nào, có ghi nhận hàng bị va đập trong quá trình vận chuyển không?';
const PARTY_ANSWER = 'Giao lúc 14:20 ngày 12/11. Bưu tá ghi nhận thùng hàng bị móp góc khi nhận từ kho trung chuyển.';
const DATE_TIME = /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/;
/** A photo the agent uploads with the question to the department (other bytes than the customer's). */
const CARTON = Buffer.concat([PNG, Buffer.from('thung-hang')]);
const CUSTOMER_FILE = 'hoa-don-noi-com.png';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('verification end to end: information request → customer → evidence → department and outside-party consultations', () => {
  let code = '';
  let teamId = '';
  const e2e = useE2e({
    seed: async (database) => {
      teamId = (await createTeam({ database, name: TEAM })).id;
      await addStaffUser({ database, role: 'agent', ...AGENT });
      await addStaffUser({ database, role: 'department', teamId, ...DEPARTMENT });
      await addStaffUser({ database, role: 'auditor', ...AUDITOR });
      const created = await seedComplaint(database, {
        input: {
          customer: { name: CUSTOMER.name, phone: CUSTOMER.phone, email: CUSTOMER.email },
          subject: CUSTOMER.subject,
          description: CUSTOMER.description,
          orderRef: 'DH-77120',
        },
      });
      code = created.code;
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  /** The agent on the complaint page, with the verification section loaded. */
  async function agentOnComplaint(page: Page): Promise<void> {
    const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/investigation`) && r.request().method() === 'GET');
    await logIn(page, AGENT, `/staff/complaints/${code}`);
    await page.getByTestId('complaint-detail').waitFor();
    await expectStatus(loaded, 200);
    await page.locator('[data-testid="investigation-section"][data-loaded="true"]').waitFor();
  }

  /** GET from inside the page (with the page's session cookie): the status only. */
  async function statusInPage(page: Page, href: string): Promise<number> {
    return page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).status, href);
  }

  /** The reply links mailed to an outside party, oldest first (the token as the page reads it). */
  async function partyTokens(to: string): Promise<string[]> {
    const r = await e2e.database.db.execute<{ text: string }>(sql`
      select m.text from outbound_messages m join complaints c on c.id = m.complaint_id
      where c.code = ${code} and m.to_address = ${to} order by m.created_at, m.id`);
    return r.rows.map((row) => {
      const m = /\/tham-van\?token=([^\s]+)/.exec(row.text);
      expect(m, `no reply link in the mail to ${to}`).not.toBeNull();
      return decodeURIComponent(m![1]);
    });
  }

  it('1. the agent asks the customer for the invoice and photos: the complaint awaits the customer', async () => {
    expect(code).toMatch(CODE_PATTERN);
    const { context, page } = await newPage();
    try {
      await agentOnComplaint(page);
      expect(await page.locator('#investigation-title').innerText()).toBe('Xác minh');
      await page.getByTestId('info-requests-empty').waitFor();
      await page.getByTestId('evidence-empty').waitFor();
      await page.getByTestId('consultations-empty').waitFor();

      // The five things that can be asked, and the default time to answer shown.
      const form = page.getByTestId('info-request-form');
      for (const kind of ['invoice', 'photos', 'correspondence', 'order_id', 'other']) {
        expect(await form.getByTestId(`info-kind-${kind}`).isChecked(), kind).toBe(false);
      }
      const dueDays = page.getByTestId('info-due-days');
      expect(await dueDays.getAttribute('placeholder')).toBe('5');
      expect(await page.locator('#info-due-days-hint').innerText()).toContain('5 ngày làm việc');

      // Nothing ticked: refused beside the checklist, nothing sent.
      await page.getByTestId('info-request-submit').click();
      expect(await page.getByTestId('error-info-items').innerText()).toContain('Chọn ít nhất một');
      // "Khác" needs the agent's words.
      await page.getByTestId('info-kind-other').check();
      await page.getByTestId('info-request-submit').click();
      expect(await page.getByTestId('error-info-other-text').innerText()).toContain('Nêu cụ thể');
      await page.getByTestId('info-kind-other').uncheck();
      await page.getByTestId('info-other-text').waitFor({ state: 'detached' });

      await page.getByTestId('info-kind-invoice').check();
      await page.getByTestId('info-kind-photos').check();
      await page.getByTestId('info-message').fill(INFO_MESSAGE);
      await shot(page, 'investigation-01-request-form');
      const sent = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/information-requests`) && r.request().method() === 'POST');
      await page.getByTestId('info-request-submit').click();
      const answer = await sent;
      expect(answer.request().headers()['idempotency-key'], 'one Idempotency-Key per form').toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(answer.request().postData() ?? '{}')).toEqual({ items: [{ kind: 'invoice' }, { kind: 'photos' }], message: INFO_MESSAGE });
      await expectStatus(Promise.resolve(answer), 201);

      await page.locator('[data-testid="status-value"][data-status="awaiting_customer"]').waitFor();
      expect(await page.getByTestId('info-request-message').innerText()).toMatch(/^Đã gửi yêu cầu bổ sung thông tin; hạn trả lời \d{2}\/\d{2}\/\d{4}/);
      const request = page.locator('[data-testid="info-request"][data-status="open"]');
      await request.waitFor();
      expect(await request.getByTestId('info-request-status').innerText()).toBe('Đang chờ khách hàng');
      expect(await request.getByTestId('info-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['invoice', 'photos']);
      expect(await request.getByTestId('info-request-items').innerText()).toContain('Hóa đơn mua hàng');
      expect(await request.getByTestId('info-request-due').innerText()).toMatch(new RegExp(`^Hạn trả lời: ${DATE_TIME.source}$`));
      expect(await request.getByTestId('info-request-message-text').innerText()).toBe(INFO_MESSAGE);
      // One request at a time: the form gives way to a note while it is open.
      await page.getByTestId('info-request-open-note').waitFor();
      expect(await page.getByTestId('info-request-form').count()).toBe(0);

      // The timeline: the request with the default five working days, and the moves to awaiting the customer.
      const created = page.locator('[data-testid="timeline-event"][data-type="info_request.created"]');
      await created.waitFor();
      expect(await created.innerText()).toContain('Yêu cầu bổ sung thông tin');
      expect(await created.getByTestId('timeline-info-due').innerText()).toContain('(5 ngày làm việc)');
      const toAwaiting = page.locator('[data-testid="timeline-event"][data-type="status.changed"]').filter({ hasText: 'Chờ khách hàng bổ sung' });
      expect(await toAwaiting.getByTestId('timeline-status-cause').getAttribute('data-cause')).toBe('information_request');
      await shot(page, 'investigation-02-request-sent');
    } finally {
      await context.close();
    }
  });

  it('2. the customer sees what is asked on the status page and answers with a photo', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto('/tra-cuu');
      await page.getByTestId('lookup-form').waitFor();
      await page.locator('#code').fill(code);
      await page.locator('#contact').fill(CUSTOMER.phoneE164);
      const info = page.waitForResponse((r) => r.url().includes(`/api/v1/portal/complaints/${code}/information?`));
      await page.getByTestId('lookup-submit').click();
      await expectStatus(info, 200);
      await page.getByTestId('lookup-result').waitFor();
      expect(await page.getByTestId('status-value').getAttribute('data-status')).toBe('awaiting_customer');

      // What is asked, in plain words, the agent's message and the due date.
      const panel = page.getByTestId('info-request-panel');
      await panel.waitFor();
      expect(await panel.locator('h2').innerText()).toBe('Chúng tôi cần bạn bổ sung thông tin');
      const items = await panel.getByTestId('info-item').allInnerTexts();
      expect(items).toEqual(['Hóa đơn hoặc chứng từ mua hàng (ảnh chụp hoặc bản scan)', 'Ảnh chụp sản phẩm, chỗ hư hỏng hoặc sự việc']);
      expect(await panel.getByTestId('info-request-staff-message').innerText()).toBe(INFO_MESSAGE);
      expect(await panel.getByTestId('info-request-due').innerText()).toMatch(new RegExp(`^Vui lòng gửi trước ${DATE_TIME.source}\\.$`));
      // The public timeline tells the same.
      const asked = page.locator('[data-testid="timeline-event"][data-type="info_request.created"]');
      expect(await asked.innerText()).toContain('Chúng tôi đề nghị bạn bổ sung thông tin');
      await shot(page, 'investigation-03-customer-request');

      // An empty answer is refused beside the box.
      await page.getByTestId('info-answer-submit').click();
      expect(await page.getByTestId('error-info-answer').innerText()).toContain('Vui lòng nhập nội dung hoặc đính kèm');

      await page.getByTestId('info-answer-message').fill(CUSTOMER_ANSWER);
      await page.getByTestId('info-answer-files-input').setInputFiles([{ name: 'hoa-don-noi-com.png', mimeType: 'image/png', buffer: PNG }]);
      expect(await panel.getByTestId('chosen-file').count()).toBe(1);
      const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/portal/complaints/${code}/information`) && r.request().method() === 'POST');
      await page.getByTestId('info-answer-submit').click();
      await expectStatus(answered, 201);

      // Shown as sent: the form is gone, the timeline has the answer and its file, the complaint is back in investigation.
      await page.getByTestId('info-answer-sent').waitFor();
      expect(await page.getByTestId('info-answer-sent').innerText()).toContain('Đã gửi thông tin bổ sung');
      await panel.waitFor({ state: 'detached' });
      const own = page.locator('[data-testid="timeline-event"][data-type="info_request.answered"]');
      await own.waitFor();
      expect(await own.innerText()).toContain('Bạn đã gửi thông tin bổ sung');
      expect(await own.getByTestId('public-info-answer').innerText()).toBe(CUSTOMER_ANSWER);
      expect(await own.getByTestId('public-file').allInnerTexts()).toEqual(['hoa-don-noi-com.png']);
      expect(await page.getByTestId('status-value').getAttribute('data-status')).toBe('investigating');
      await shot(page, 'investigation-04-customer-answered');

      // Looked up again later, nothing is asked any more.
      await page.reload();
      await page.locator('#contact').fill(CUSTOMER.email);
      const asks: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/information?')) asks.push(r.url());
      });
      const again = page.waitForResponse((r) => r.url().includes(`/api/v1/portal/complaints/${code}?`));
      await page.getByTestId('lookup-submit').click();
      await expectStatus(again, 200);
      await page.getByTestId('lookup-result').waitFor();
      expect(await page.getByTestId('info-request-panel').count()).toBe(0);
      // The timeline shows the request answered: the information endpoint is not even asked.
      expect(asks).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('3. the agent sees the request answered, the complaint investigating, the file listed, and verifies it', async () => {
    const { context, page } = await newPage();
    try {
      await agentOnComplaint(page);
      expect(await page.getByTestId('status-value').getAttribute('data-status')).toBe('investigating');
      const request = page.locator('[data-testid="info-request"][data-status="answered"]');
      await request.waitFor();
      expect(await request.getByTestId('info-request-status').innerText()).toBe('Khách hàng đã trả lời');
      expect(await request.getByTestId('info-request-answer-text').innerText()).toBe(CUSTOMER_ANSWER);
      await request.locator('[data-testid="info-request-file"][data-name="hoa-don-noi-com.png"]').waitFor();
      // The form is back: another request may be sent.
      await page.getByTestId('info-request-form').waitFor();
      // The file is among the complaint's documents and its evidence, not yet checked.
      await page.locator('[data-testid="attachments-panel"] [data-testid="attachment"][data-name="hoa-don-noi-com.png"]').waitFor();
      const evidence = page.locator('[data-testid="evidence"][data-name="hoa-don-noi-com.png"]');
      expect(await evidence.getAttribute('data-state')).toBe('none');
      expect(await evidence.getAttribute('data-source')).toBe('info_request');
      expect(await evidence.getByTestId('evidence-state').innerText()).toBe('Chưa xác minh');
      const back = page.locator('[data-testid="timeline-event"][data-type="status.changed"]').filter({ hasText: 'Đang xác minh' }).last();
      expect(await back.getByTestId('timeline-status-cause').getAttribute('data-cause')).toBe('information_provided');
      await shot(page, 'investigation-05-agent-answer-received');

      await evidence.getByTestId('evidence-note').fill('Khớp hóa đơn điện tử số 0001234 trên hệ thống bán hàng.');
      const verified = page.waitForResponse((r) => /\/attachments\/[0-9a-f]{64}\/verification$/.test(r.url()));
      await evidence.getByTestId('evidence-verify').click();
      await expectStatus(verified, 200);
      await page.locator('[data-testid="evidence"][data-name="hoa-don-noi-com.png"][data-state="verified"]').waitFor();
      expect(await evidence.getByTestId('evidence-state').innerText()).toBe('Đã xác minh');
      expect(await evidence.getByTestId('evidence-finding').innerText()).toMatch(new RegExp(`^Đã xác minh bởi ${AGENT.name} lúc ${DATE_TIME.source} — Khớp hóa đơn`));
      expect(await page.getByTestId('evidence-message').innerText()).toContain('hoa-don-noi-com.png');
      const event = page.locator('[data-testid="timeline-event"][data-type="evidence.verified"]');
      await event.waitFor();
      expect(await event.getByTestId('timeline-evidence').innerText()).toContain('hoa-don-noi-com.png · Đã xác minh');
      await shot(page, 'investigation-06-evidence-verified');
    } finally {
      await context.close();
    }
  });

  it('4. the agent asks the warehouse department a question', async () => {
    const { context, page } = await newPage();
    try {
      await agentOnComplaint(page);
      const form = page.getByTestId('consultation-form');
      expect(await form.getByTestId('consultation-kind-internal').isChecked()).toBe(true);
      expect(await page.getByTestId('consultation-due-days').getAttribute('placeholder')).toBe('3');
      await page.getByTestId('consultation-submit').click();
      expect(await page.getByTestId('error-consult-team').innerText()).toContain('Chọn phòng ban');
      expect(await page.getByTestId('error-consult-question').innerText()).toContain('Nhập câu hỏi');

      await page.getByTestId('consultation-team').selectOption({ label: TEAM });
      await page.getByTestId('consultation-question-input').fill(INTERNAL_QUESTION);
      await page.getByTestId('consultation-due-days').fill('2');
      // The complaint's files to share: the customer's photo, ticked; and a new photo uploaded with the question.
      const share = page.getByTestId('consultation-share-file');
      expect(await share.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual([CUSTOMER_FILE]);
      expect(await share.isChecked()).toBe(false);
      await share.check();
      await page.getByTestId('consultation-files-input').setInputFiles([{ name: 'anh-thung-hang.png', mimeType: 'image/png', buffer: CARTON }]);
      await page.getByTestId('consultation-form').screenshot({ path: path.join(ARTIFACTS, 'investigation-07a-consultation-files.png') });
      const asked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/consultations`) && r.request().method() === 'POST');
      await page.getByTestId('consultation-submit').click();
      const answer = await asked;
      expect(answer.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      // With a new file the form goes as multipart (Chromium does not expose the body; what was stored is checked below).
      expect(answer.request().headers()['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      await expectStatus(Promise.resolve(answer), 201);

      const item = page.locator('[data-testid="consultation"][data-kind="internal"][data-status="open"]');
      await item.waitFor();
      expect(await item.getByTestId('consultation-target').innerText()).toBe(`Phòng ban: ${TEAM}`);
      expect(await item.getByTestId('consultation-question').innerText()).toBe(INTERNAL_QUESTION);
      expect(await item.getByTestId('consultation-status').innerText()).toBe('Đang chờ trả lời');
      expect(await item.getByTestId('consultation-overdue').count()).toBe(0);
      expect(await item.getByTestId('consultation-due').innerText()).toMatch(DATE_TIME);
      // A department is not re-sent a link; it can be cancelled.
      expect(await item.getByTestId('consultation-resend').count()).toBe(0);
      await item.getByTestId('consultation-cancel').waitFor();
      expect(await item.getByTestId('consultation-shared-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual([
        CUSTOMER_FILE,
        'anh-thung-hang.png',
      ]);
      // The form is emptied for the next one; the uploaded photo is now one of the complaint's files to share.
      expect(await page.getByTestId('consultation-question-input').inputValue()).toBe('');
      expect(await page.getByTestId('consultation-files-count').innerText()).toBe('Chưa chọn tệp nào.');
      await page.locator('[data-testid="consultation-share-file"][data-name="anh-thung-hang.png"]').waitFor();
      expect(await page.getByTestId('consultation-share-file').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked))).toEqual([false, false]);
      await page.locator('[data-testid="evidence"][data-name="anh-thung-hang.png"][data-source="complaint"]').waitFor();
      const event = page.locator('[data-testid="timeline-event"][data-type="consultation.requested"]');
      await event.waitFor();
      expect(await event.getByTestId('timeline-consultation-target').innerText()).toBe(`Hỏi phòng ban ${TEAM}`);
      await item.screenshot({ path: path.join(ARTIFACTS, 'investigation-07b-consultation-shared.png') });
      await event.screenshot({ path: path.join(ARTIFACTS, 'investigation-07c-timeline-shared.png') });
      // The request's event names what was shared, with each file's hash.
      expect(await event.getByTestId('timeline-shared-file').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-sha256')]))).toEqual([
        [CUSTOMER_FILE, sha256(PNG)],
        ['anh-thung-hang.png', sha256(CARTON)],
      ]);
      // Each name downloads the file itself.
      const href = await event.locator('[data-testid="timeline-shared-file"][data-name="anh-thung-hang.png"] a').getAttribute('href');
      const download = await page.request.get(href!);
      expect(download.status()).toBe(200);
      expect(sha256(await download.body())).toBe(sha256(CARTON));
      await shot(page, 'investigation-07-internal-consultation');
    } finally {
      await context.close();
    }
  });

  it('5. the department member lands on the inbox, cannot see the queue, and answers with a file', async () => {
    const { context, page } = await newPage();
    try {
      // After login a department member lands on the consultation inbox, whatever page was asked for.
      await logIn(page, DEPARTMENT, '', '/staff/consultations');
      await page.getByTestId('consultations-inbox').waitFor();
      expect(await page.getByTestId('nav-consultations').innerText()).toBe('Tham vấn');
      expect(await page.getByTestId('nav-consultations').getAttribute('aria-current')).toBe('page');
      for (const hidden of ['nav-queue', 'nav-hotline', 'nav-office', 'nav-inbound-rejects', 'nav-admin-calendar', 'notifications-bell', 'new-complaint']) {
        expect(await page.getByTestId(hidden).count(), hidden).toBe(0);
      }
      expect(await page.locator('header nav a.nav-link').count()).toBe(1);
      const row = page.locator(`[data-testid="consultation-row"][data-code="${code}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('open');
      expect(await row.getByTestId('consultation-row-question').innerText()).toBe(INTERNAL_QUESTION);
      await shot(page, 'investigation-08-department-inbox');

      // The complaints API refuses a department account, and the console shows no queue.
      expect(await statusInPage(page, '/api/v1/complaints')).toBe(403);
      expect(await statusInPage(page, `/api/v1/complaints/${code}`)).toBe(403);
      expect(await statusInPage(page, `/api/v1/complaints/${code}/investigation`)).toBe(403);
      await page.goto('/staff');
      await page.getByTestId('queue-forbidden').waitFor();
      expect(await page.getByTestId('queue-forbidden').innerText()).toContain('không xem được hàng đợi khiếu nại');
      expect(await page.getByTestId('queue-table').count()).toBe(0);
      expect(await page.getByTestId('queue-row').count()).toBe(0);
      const refused = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}`));
      await page.goto(`/staff/complaints/${code}`);
      await expectStatus(refused, 403);
      await page.getByTestId('complaint-forbidden').waitFor();
      expect(await page.getByTestId('complaint-detail').count()).toBe(0);
      await shot(page, 'investigation-09-department-no-queue');

      // Open the question: the complaint's code and subject, never the customer's contact details.
      await page.goto('/staff');
      const toInbox = page.waitForResponse((r) => r.url().includes('/api/v1/consultations?'));
      await page.getByTestId('queue-inbox-link').click();
      await expectStatus(toInbox, 200);
      await row.getByTestId('consultation-open').click();
      await page.waitForURL(/\/staff\/consultations\/[0-9a-f-]{36}$/);
      const detail = page.getByTestId('consultation-detail');
      await detail.waitFor();
      expect(await page.getByTestId('consultation-code').innerText()).toBe(`Về khiếu nại ${code}`);
      expect(await page.getByTestId('consultation-subject').innerText()).toBe(CUSTOMER.subject);
      expect(await page.getByTestId('consultation-detail-question').innerText()).toBe(INTERNAL_QUESTION);
      expect(await page.getByTestId('consultation-complaint-link').count()).toBe(0);
      const text = await page.locator('main').innerText();
      for (const secret of [CUSTOMER.email, CUSTOMER.name, '938 246', CUSTOMER.description]) expect(text).not.toContain(secret);
      // The files shared with the question, downloaded through the consultation (never the complaint's route).
      const shared = page.getByTestId('consultation-detail-shared-file');
      expect(await shared.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual([CUSTOMER_FILE, 'anh-thung-hang.png']);
      const sharedHrefs = await shared.locator('a').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
      expect(sharedHrefs).toEqual([sha256(PNG), sha256(CARTON)].map((h) => expect.stringMatching(new RegExp(`^/api/v1/consultations/[0-9a-f-]{36}/files/${h}$`))));
      for (const href of sharedHrefs) expect(await statusInPage(page, href)).toBe(200);
      expect(await statusInPage(page, `/api/v1/complaints/${code}/attachments/${sha256(PNG)}`)).toBe(403);
      await shot(page, 'investigation-09b-department-shared-files');

      await page.getByTestId('consultation-answer-submit').click();
      expect(await page.getByTestId('error-consultation-answer').innerText()).toContain('Nhập câu trả lời');
      await page.getByTestId('consultation-answer-input').fill(DEPARTMENT_ANSWER);
      await page.getByTestId('consultation-answer-files-input').setInputFiles([{ name: 'bien-ban-xuat-kho.pdf', mimeType: 'application/pdf', buffer: PDF }]);
      await shot(page, 'investigation-10-department-answer-form');
      const answered = page.waitForResponse((r) => /\/api\/v1\/consultations\/[0-9a-f-]{36}\/answer$/.test(r.url()));
      await page.getByTestId('consultation-answer-submit').click();
      await expectStatus(answered, 201);
      await page.getByTestId('consultation-answer-sent').waitFor();
      await page.locator('[data-testid="consultation-detail"][data-status="answered"]').waitFor();
      expect(await page.getByTestId('consultation-detail-answer-text').innerText()).toBe(DEPARTMENT_ANSWER);
      const file = page.locator('[data-testid="consultation-detail-file"][data-name="bien-ban-xuat-kho.pdf"]');
      await file.waitFor();
      // The department downloads its own file through the consultation, not the complaint.
      const href = (await file.locator('a').getAttribute('href'))!;
      expect(href).toMatch(/^\/api\/v1\/consultations\/[0-9a-f-]{36}\/files\/[0-9a-f]{64}$/);
      expect(await statusInPage(page, href)).toBe(200);
      expect(await page.getByTestId('consultation-answer-form').count()).toBe(0);
      await shot(page, 'investigation-11-department-answered');

      // The inbox filter: no open question left, the answered one under "Đã trả lời".
      await page.getByTestId('consultation-back').click();
      await page.getByTestId('consultations-empty').waitFor();
      const listed = page.waitForResponse((r) => r.url().includes('/api/v1/consultations?') && new URL(r.url()).searchParams.get('status') === 'answered');
      await page.getByTestId('consultations-status-filter').selectOption('answered');
      await expectStatus(listed, 200);
      await page.waitForURL((url) => url.searchParams.get('status') === 'answered');
      await page.locator(`[data-testid="consultation-row"][data-code="${code}"][data-status="answered"]`).waitFor();
    } finally {
      await context.close();
    }
  });

  it('6. the agent sees the department answer and its file', async () => {
    const { context, page } = await newPage();
    try {
      await agentOnComplaint(page);
      const item = page.locator('[data-testid="consultation"][data-kind="internal"][data-status="answered"]');
      await item.waitFor();
      expect(await item.getByTestId('consultation-status').innerText()).toBe('Đã trả lời');
      expect(await item.getByTestId('consultation-answer-text').innerText()).toBe(DEPARTMENT_ANSWER);
      expect(await item.getByTestId('consultation-answer').innerText()).toContain(`Trả lời bởi ${DEPARTMENT.name}`);
      await item.locator('[data-testid="consultation-file"][data-name="bien-ban-xuat-kho.pdf"]').waitFor();
      expect(await item.getByTestId('consultation-cancel').count()).toBe(0);
      const evidence = page.locator('[data-testid="evidence"][data-name="bien-ban-xuat-kho.pdf"]');
      expect(await evidence.getAttribute('data-source')).toBe('consultation');
      const event = page.locator('[data-testid="timeline-event"][data-type="consultation.answered"]');
      await event.waitFor();
      expect(await event.getByTestId('timeline-consultation-answer').innerText()).toBe(DEPARTMENT_ANSWER);
      expect(await event.getByTestId('timeline-file').getAttribute('data-name')).toBe('bien-ban-xuat-kho.pdf');
      await shot(page, 'investigation-12-agent-sees-department-answer');

      // The agents' view of the inbox: every consultation, with the department it went to.
      await page.getByTestId('nav-consultations').click();
      await page.waitForURL('**/staff/consultations');
      await page.getByTestId('consultations-status-filter').selectOption('all');
      const row = page.locator(`[data-testid="consultation-row"][data-code="${code}"][data-status="answered"]`);
      await row.waitFor();
      expect(await row.innerText()).toContain(`Phòng ban: ${TEAM}`);
      await shot(page, 'investigation-12b-agent-inbox');
      await row.getByTestId('consultation-open').click();
      await page.getByTestId('consultation-detail').waitFor();
      expect(await page.getByTestId('consultation-detail-answer-text').innerText()).toBe(DEPARTMENT_ANSWER);
      await page.getByTestId('consultation-complaint-link').waitFor();

      // The agent who asked hears of the answer.
      await page.getByTestId('notifications-bell').click();
      await page.waitForURL('**/staff/notifications');
      const note = page.locator(`[data-testid="notification"][data-kind="consultation.answered"][data-code="${code}"]`);
      await note.waitFor();
      expect(await note.innerText()).toContain('Đã có trả lời tham vấn');
    } finally {
      await context.close();
    }
  });

  it('7. an outside party is consulted by email; a re-sent link voids the first', async () => {
    const { context, page } = await newPage();
    try {
      await agentOnComplaint(page);
      await page.getByTestId('consultation-kind-external').check();
      await page.getByTestId('consultation-party-name').fill(PARTY.name);
      await page.getByTestId('consultation-party-email').fill('khong-phai-email');
      await page.getByTestId('consultation-question-input').fill(EXTERNAL_QUESTION);
      await page.getByTestId('consultation-submit').click();
      expect(await page.getByTestId('error-consult-party-email').innerText()).toContain('Địa chỉ email không hợp lệ');
      await page.getByTestId('consultation-party-email').fill(PARTY.email);
      // Only the customer's photo goes to the carrier; without new files the form is JSON.
      await page.locator(`[data-testid="consultation-share-file"][data-name="${CUSTOMER_FILE}"]`).check();
      const asked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/consultations`) && r.request().method() === 'POST');
      await page.getByTestId('consultation-submit').click();
      const response = await asked;
      const body = JSON.parse(response.request().postData() ?? '{}') as { kind: string; shareFileIds?: string[] };
      expect(body).toMatchObject({ kind: 'external', partyName: PARTY.name, partyEmail: PARTY.email, question: EXTERNAL_QUESTION });
      expect(body.shareFileIds).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
      await expectStatus(Promise.resolve(response), 201);
      const item = page.locator('[data-testid="consultation"][data-kind="external"]');
      await item.waitFor();
      expect(await item.getAttribute('data-status')).toBe('open');
      expect(await item.getByTestId('consultation-target').innerText()).toBe(`Bên ngoài: ${PARTY.name} <${PARTY.email}>`);
      expect(await item.getByTestId('consultation-shared-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual([CUSTOMER_FILE]);
      expect((await partyTokens(PARTY.email)).length).toBe(1);

      // "Gửi lại liên kết": a new mail with a new link.
      await item.getByTestId('consultation-resend').click();
      expect(await item.getByTestId('consultation-resend-email').inputValue()).toBe(PARTY.email);
      const resent = page.waitForResponse((r) => /\/api\/v1\/consultations\/[0-9a-f-]{36}\/resend$/.test(r.url()));
      await item.getByTestId('consultation-resend-confirm').click();
      await expectStatus(resent, 200);
      await page.getByTestId('consultation-message').waitFor();
      expect(await page.getByTestId('consultation-message').innerText()).toBe('Đã gửi liên kết mới.');
      await page.locator('[data-testid="timeline-event"][data-type="consultation.resent"]').waitFor();
      expect((await partyTokens(PARTY.email)).length).toBe(2);
      await shot(page, 'investigation-13-external-consultation');
    } finally {
      await context.close();
    }
  });

  it('8. the outside party answers on /tham-van without an account; the used, replaced, tampered and expired links say why they fail', async () => {
    const [first, latest] = await partyTokens(PARTY.email);
    // A party's browser: no staff session.
    const { context, page } = await newPage();
    try {
      // The first link was replaced by the re-sent one.
      await page.goto(`/tham-van?token=${encodeURIComponent(first)}`);
      await page.getByTestId('consultation-link-revoked').waitFor();
      expect(await page.getByTestId('consultation-link-revoked').innerText()).toContain('không còn hiệu lực');
      expect(await page.getByTestId('party-answer-form').count()).toBe(0);
      await shot(page, 'investigation-14-party-link-revoked');

      const loaded = page.waitForResponse((r) => r.url().includes('/api/v1/public/consultations/') && r.request().method() === 'GET');
      await page.goto(`/tham-van?token=${encodeURIComponent(latest)}`);
      await expectStatus(loaded, 200);
      const view = page.getByTestId('party-page');
      await view.waitFor();
      // Styled like the portal, without the customer's pages.
      expect(await page.getByTestId('nav-form').count()).toBe(0);
      expect(await page.getByTestId('lang-switch').count()).toBe(1);
      expect(await page.getByTestId('party-company').innerText()).toBe(e2e.config.companyName);
      expect(await page.getByTestId('party-question').innerText()).toBe(EXTERNAL_QUESTION);
      expect(await page.getByTestId('party-due').innerText()).toMatch(DATE_TIME);
      expect(await view.innerText()).toContain(`Kính gửi ${PARTY.name},`);
      // Nothing of the customer.
      const text = await page.locator('main').innerText();
      for (const secret of [CUSTOMER.email, CUSTOMER.name, '938 246']) expect(text).not.toContain(secret);
      // The file shared with the carrier, downloaded with the link itself; the complaint's other files are not theirs.
      const files = page.getByTestId('party-file');
      expect(await files.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual([CUSTOMER_FILE]);
      const href = (await files.locator('a').getAttribute('href'))!;
      expect(href).toBe(`/api/v1/public/consultation-files/${sha256(PNG)}/${latest}`);
      expect(await statusInPage(page, href)).toBe(200);
      for (const other of [CARTON, PDF]) expect(await statusInPage(page, `/api/v1/public/consultation-files/${sha256(other)}/${latest}`)).toBe(404);
      await shot(page, 'investigation-15-party-page');

      await page.getByTestId('party-answer-submit').click();
      expect(await page.getByTestId('error-party-answer').innerText()).toContain('Nhập câu trả lời');
      await page.getByTestId('party-answer-input').fill(PARTY_ANSWER);
      await page.getByTestId('party-answer-files-input').setInputFiles([{ name: 'bien-nhan-giao-hang.pdf', mimeType: 'application/pdf', buffer: PDF }]);
      const answered = page.waitForResponse((r) => r.url().includes('/api/v1/public/consultations/') && r.request().method() === 'POST');
      await page.getByTestId('party-answer-submit').click();
      await expectStatus(answered, 201);
      await page.getByTestId('party-answer-sent').waitFor();
      expect(await page.getByTestId('party-answer-sent').innerText()).toContain('Đã gửi câu trả lời');
      expect(await page.getByTestId('party-answer-form').count()).toBe(0);
      await shot(page, 'investigation-16-party-answered');

      // The same link again: already answered.
      await page.goto(`/tham-van?token=${encodeURIComponent(latest)}`);
      const done = page.getByTestId('consultation-link-answered');
      await done.waitFor();
      expect(await done.innerText()).toContain('đã trả lời');
      expect(await page.getByTestId('party-answer-form').count()).toBe(0);
      await shot(page, 'investigation-17-party-already-answered');

      // A tampered link: invalid.
      const tampered = latest.slice(0, 10) + (latest[10] === 'A' ? 'B' : 'A') + latest.slice(11);
      await page.goto(`/tham-van?token=${encodeURIComponent(tampered)}`);
      await page.getByTestId('consultation-link-invalid').waitFor();
      expect(await page.getByTestId('consultation-link-invalid').innerText()).toContain('Liên kết không hợp lệ');
      expect(await page.getByTestId('party-page').count()).toBe(0);
      await shot(page, 'investigation-18-party-link-invalid');

      // An expired link (signed as Sen signs them, a minute past its end).
      const id = JSON.parse(Buffer.from(latest.split('.')[0], 'base64url').toString('utf8')).id as string;
      const expired = signLink(await linkSecret(e2e.database), { purpose: 'consultation', id, nonce: 'old', exp: Math.floor(Date.now() / 1000) - 60 });
      await page.goto(`/tham-van?token=${encodeURIComponent(expired)}`);
      await page.getByTestId('consultation-link-expired').waitFor();
      expect(await page.getByTestId('consultation-link-expired').innerText()).toContain('hết hạn');

      // No token at all.
      await page.goto('/tham-van');
      await page.getByTestId('consultation-link-missing').waitFor();

      // In English too.
      await page.goto(`/tham-van?token=${encodeURIComponent(tampered)}`);
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      expect(await page.getByTestId('consultation-link-invalid').innerText()).toContain('This link is not valid');
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="vi"]').waitFor({ state: 'attached' });
    } finally {
      await context.close();
    }
  });

  it('9. the agent sees the outside party’s answer; the page fits a phone', async () => {
    const { context, page } = await newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await agentOnComplaint(page);
      const item = page.locator('[data-testid="consultation"][data-kind="external"][data-status="answered"]');
      await item.waitFor();
      expect(await item.getByTestId('consultation-answer-text').innerText()).toBe(PARTY_ANSWER);
      expect(await item.getByTestId('consultation-answer').innerText()).toContain(`Trả lời bởi ${PARTY.name}`);
      await item.locator('[data-testid="consultation-file"][data-name="bien-nhan-giao-hang.pdf"]').waitFor();
      const event = page.locator('[data-testid="timeline-event"][data-type="consultation.answered"]').filter({ hasText: PARTY_ANSWER });
      expect(await event.innerText()).toContain(`Trả lời bởi ${PARTY.name}`);
      await page.getByTestId('investigation-section').scrollIntoViewIfNeeded();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'investigation-19-phone-complaint');
      await page.getByTestId('investigation-section').screenshot({ path: path.join(ARTIFACTS, 'investigation-19b-phone-section.png'), scale: 'css' });
    } finally {
      await context.close();
    }
  });

  it("9b. an auditor finds the outside party's openings of its link in the customer's access log", async () => {
    const r = await e2e.database.db.execute<{ customer_id: string }>(sql`select customer_id from complaints where code = ${code}`);
    const customerId = r.rows[0].customer_id;
    const { context, page } = await newPage();
    try {
      await logIn(page, AUDITOR, `/staff/khach-hang/${customerId}`);
      await page.locator('[data-testid="access-log"][data-loaded="true"]').waitFor();
      const viewed = page.locator(`[data-testid="access-log-entry"][data-action="consultation.party_view"][data-code="${code}"]`).first();
      await viewed.waitFor();
      expect(await viewed.getAttribute('data-staff-id')).toBe('');
      const text = await viewed.innerText();
      for (const part of [PARTY.name, 'bên ngoài được tham vấn', PARTY.email, 'Bên ngoài mở câu hỏi tham vấn', 'Liên kết tham vấn', code]) expect(text).toContain(part);
      expect(text).toMatch(DATE_TIME);
      await shot(page, 'investigation-20-access-log-outside-party');
    } finally {
      await context.close();
    }
  });

  it('10. no page threw an uncaught error', () => {
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
