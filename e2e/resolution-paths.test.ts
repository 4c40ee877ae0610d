/**
 * Resolution (step 4) and follow-up (step 5) end to end, the three paths of a complaint:
 * (a) the agent asks for the invoice, the customer answers on the status page; the agent proposes a
 *     refund of 500.000 ₫ (below the approval threshold: offered at once); the customer accepts it on
 *     the status page; the agent records the refund with a root cause and the complaint is resolved;
 *     the follow-up sweep mails the survey and the customer rates it from the /khao-sat link, which
 *     closes the complaint; past the reopen window, the status page opens a new linked complaint;
 * (b) two proposals rejected by the customer on the status page; a supervisor escalates to "Sở Công
 *     Thương Hà Nội" (directory filtered by kind and province); the dossier ZIP is downloaded in the
 *     page, starts with "PK" and passes `sen dossier verify`; hand-over and the authority's outcome
 *     are recorded and the complaint closed;
 * (c) a refund of 9.000.000 ₫ by an agent waits for a supervisor (returned with a note), then one of
 *     8.000.000 ₫ is invisible to the customer until approved; accepted and carried out; the customer
 *     reopens it on the status page (reopen count 1), the agent records the customer's acceptance of
 *     a repair given by phone, the complaint is resolved again and a second survey is offered;
 * (d) a supervisor refuses a complaint as not admissible: the reason is on the status page;
 * (e) a supervisor reopens a closed complaint from the console.
 *
 * Same setup as investigation.test.ts and sla.test.ts: the real server in-process (embedded
 * in-memory PGlite, Fastify serving the built web app), driven with headless Chromium through
 * playwright-core. Screenshots go to artifacts/e2e/ (prefixed resolution-).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Page, Response } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { runFollowupSweep } from '../src/jobs/followup-sweep';
import { seedComplaint } from '../test/factories';
import { ARTIFACTS, CODE_PATTERN, ROOT, expectNoHorizontalOverflow, expectStatus, shot, useE2e, vietnamDateText } from './harness';

const run = promisify(execFile);
const AGENT = { email: 'agent.giaiquyet@sen.test', name: 'Lê Văn Tâm', password: 'mat-khau-e2e-2024' };
const SUPERVISOR = { email: 'giamsat.giaiquyet@sen.test', name: 'Phạm Thu Hà', password: 'mat-khau-giam-sat-2024' };

/** One customer and complaint per path. */
const A = {
  name: 'Đặng Thị Thu',
  phone: '0938 246 135',
  contact: '+84938246135',
  email: 'thu.dang@example.vn',
  subject: 'Nồi cơm điện giao đến bị móp',
  description: 'Tôi nhận nồi cơm điện ngày 12/11, vỏ ngoài bị móp và nắp không đóng kín được.',
};
const B = {
  name: 'Ngô Quang Vinh',
  phone: '0912 777 321',
  contact: '+84912777321',
  email: 'vinh.ngo@example.vn',
  subject: 'Máy giặt rung mạnh, bảo hành sửa ba lần vẫn lỗi',
  description: 'Máy giặt mua tháng 6 rung mạnh khi vắt. Đã bảo hành ba lần, lần nào kỹ thuật cũng nói đã sửa xong.',
};
const C = {
  name: 'Trần Minh Khoa',
  phone: '0987 654 210',
  contact: '+84987654210',
  email: 'khoa.tran@example.vn',
  subject: 'Tivi 55 inch giao nhầm model',
  description: 'Tôi đặt tivi 55 inch model QN55, nhận được model thấp hơn, hộp đã bị mở.',
};
const D = {
  name: 'Lý Thị Hoa',
  phone: '0905 112 233',
  contact: '+84905112233',
  email: 'hoa.ly@example.vn',
  subject: 'Khiếu nại về giá vé máy bay của hãng khác',
  description: 'Tôi muốn khiếu nại giá vé máy bay tôi mua trên website của một hãng hàng không.',
};

const DATE_TIME = /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/;
const HANOI_DOIT = 'Sở Công Thương Hà Nội';
const HOUR = 3_600_000;

const isCall = (method: string, suffix: string | RegExp) => (r: Response) =>
  r.request().method() === method && (typeof suffix === 'string' ? r.url().split('?')[0].endsWith(suffix) : suffix.test(r.url().split('?')[0]));

describe('resolution paths end to end: proposals, approval, customer answers, implementation, escalation and dossier, survey, reopening', () => {
  const codes = { a: '', b: '', c: '', d: '', aFollowUp: '' };
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-e2e-dossier-'));
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      await addStaffUser({ database, role: 'supervisor', ...SUPERVISOR });
      const seed = async (c: typeof A, orderRef: string) =>
        (
          await seedComplaint(database, {
            input: { customer: { name: c.name, phone: c.phone, email: c.email }, subject: c.subject, description: c.description, orderRef },
          })
        ).code;
      codes.a = await seed(A, 'DH-77120');
      codes.b = await seed(B, 'DH-66031');
      codes.c = await seed(C, 'DH-88245');
      codes.d = await seed(D, 'DH-00000');
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  /** One part of the page on its own (the full-page shots of the console are long). */
  async function sectionShot(page: Page, testId: string, name: string): Promise<void> {
    await page.getByTestId(testId).screenshot({ path: path.join(ARTIFACTS, `${name}.png`), scale: 'css' });
  }

  /** A staff member on a complaint page, with the resolution section loaded. */
  async function staffOn(page: Page, user: typeof AGENT, code: string): Promise<void> {
    const loaded = page.waitForResponse(isCall('GET', `/api/v1/complaints/${code}/resolution`));
    await logIn(page, user, `/staff/complaints/${code}`);
    await page.getByTestId('complaint-detail').waitFor();
    await expectStatus(loaded, 200);
    await page.locator('[data-testid="resolution-section"][data-loaded="true"]').waitFor();
  }

  /** Reloads the complaint page (the same session) and waits for the resolution section. */
  async function reloadComplaint(page: Page, code: string): Promise<void> {
    const loaded = page.waitForResponse(isCall('GET', `/api/v1/complaints/${code}/resolution`));
    await page.reload();
    await page.getByTestId('complaint-detail').waitFor();
    await expectStatus(loaded, 200);
    await page.locator('[data-testid="resolution-section"][data-loaded="true"]').waitFor();
  }

  /** The customer looks a complaint up on the status page with its code and phone number. */
  async function lookUp(page: Page, code: string, contact: string): Promise<void> {
    await page.goto('/tra-cuu');
    await page.getByTestId('lookup-form').waitFor();
    await page.locator('#code').fill(code);
    await page.locator('#contact').fill(contact);
    const found = page.waitForResponse(isCall('GET', `/api/v1/portal/complaints/${code}`));
    await page.getByTestId('lookup-submit').click();
    await expectStatus(found, 200);
    await page.locator(`[data-testid="lookup-result"]`).waitFor();
    expect(await page.locator('#result-title').innerText()).toContain(code);
  }

  async function waitForStatus(page: Page, status: string): Promise<void> {
    await page.locator(`[data-testid="status-value"][data-status="${status}"]`).first().waitFor();
  }

  /** The agent proposes a resolution through the form; returns the request the page sent. */
  async function propose(page: Page, code: string, p: { kind: string; amount?: string; description: string }, status = 201): Promise<Response> {
    const form = page.getByTestId('proposal-form');
    await form.waitFor();
    await page.getByTestId('proposal-kind-select').selectOption(p.kind);
    if (p.amount !== undefined) await page.getByTestId('proposal-amount-input').fill(p.amount);
    await page.getByTestId('proposal-description-input').fill(p.description);
    const sent = page.waitForResponse(isCall('POST', `/api/v1/complaints/${code}/proposals`));
    await page.getByTestId('proposal-submit').click();
    return expectStatus(sent, status);
  }

  /** The customer answers the offered proposal on the status page. */
  async function customerDecides(page: Page, code: string, decision: 'accept' | 'reject', note?: string): Promise<void> {
    const offered = page.locator('[data-testid="portal-proposal"][data-status="offered"]');
    await offered.waitFor();
    const decided = page.waitForResponse(isCall('POST', /\/proposals\/[0-9a-f-]{36}\/decision$/));
    if (decision === 'accept') {
      await offered.getByTestId('portal-proposal-accept').click();
    } else {
      // The note box may already be open (the page was shown with it).
      if (!(await offered.getByTestId('portal-reject-form').count())) await offered.getByTestId('portal-proposal-reject').click();
      await page.getByTestId('portal-reject-form').waitFor();
      if (note) await page.getByTestId('portal-reject-note').fill(note);
      await page.getByTestId('portal-reject-confirm').click();
    }
    const r = await expectStatus(decided, 200);
    expect(r.url()).toContain(`/api/v1/portal/complaints/${code}/proposals/`);
    expect(JSON.parse(r.request().postData() ?? '{}')).toMatchObject({ decision, ...(note ? { note } : {}) });
    await page.getByTestId('portal-proposal-decided').waitFor();
  }

  /** Moves a newly received complaint to investigating with the status buttons. */
  async function startInvestigating(page: Page, code: string): Promise<void> {
    for (const to of ['acknowledged', 'investigating']) {
      const moved = page.waitForResponse(isCall('POST', `/api/v1/complaints/${code}/transitions`));
      await page.getByTestId(`transition-${to}`).click();
      await expectStatus(moved, 200);
      await waitForStatus(page, to);
    }
  }

  const timelineEvent = (page: Page, type: string) => page.locator(`[data-testid="complaint-timeline"] [data-testid="timeline-event"][data-type="${type}"]`);
  const publicEvent = (page: Page, type: string) => page.locator(`[data-testid="public-timeline"] [data-testid="timeline-event"][data-type="${type}"]`);

  afterAll(() => {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  // ———————————————————— (a) information → refund accepted on the portal → resolved → survey → closed ————————————————————

  it('a1. the agent asks customer A for the invoice; the customer answers it on the status page', async () => {
    for (const code of Object.values(codes).filter(Boolean)) expect(code).toMatch(CODE_PATTERN);
    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, AGENT, codes.a);
      // Nothing proposed yet; a complaint just received is not ready for a proposal.
      await page.getByTestId('proposals-empty').waitFor();
      await page.getByTestId('proposal-not-yet').waitFor();
      expect(await page.getByTestId('complaint-reopen-count').getAttribute('data-count')).toBe('0');
      expect(await page.getByTestId('complaint-root-cause').innerText()).toBe('Chưa xác định');
      await page.getByTestId('info-kind-invoice').check();
      await page.getByTestId('info-message').fill('Anh/chị vui lòng gửi hóa đơn mua hàng để chúng tôi đối chiếu.');
      const sent = page.waitForResponse(isCall('POST', `/api/v1/complaints/${codes.a}/information-requests`));
      await page.getByTestId('info-request-submit').click();
      await expectStatus(sent, 201);
      await waitForStatus(page, 'awaiting_customer');
      // While the customer is asked, a proposal can already be prepared.
      await page.getByTestId('proposal-form').waitFor();
      await shot(page, 'resolution-a01-agent-info-request');
    } finally {
      await staff.context.close();
    }

    const customer = await newPage();
    try {
      const { page } = customer;
      await lookUp(page, codes.a, A.contact);
      await page.getByTestId('info-request-panel').waitFor();
      await page.getByTestId('info-answer-message').fill('Hóa đơn điện tử số 0001234, mua ngày 10/11 tại cửa hàng Cầu Giấy.');
      const answered = page.waitForResponse(isCall('POST', `/api/v1/portal/complaints/${codes.a}/information`));
      await page.getByTestId('info-answer-submit').click();
      await expectStatus(answered, 201);
      await page.getByTestId('info-answer-sent').waitFor();
      await waitForStatus(page, 'investigating');
      // No proposal yet: no proposals panel, no follow-up panel.
      expect(await page.getByTestId('portal-proposals').count()).toBe(0);
      expect(await page.getByTestId('portal-followup').count()).toBe(0);
      await shot(page, 'resolution-a02-customer-info-answered');
    } finally {
      await customer.context.close();
    }
  });

  it('a2. the agent proposes a refund of 500.000 ₫, below the threshold: offered to the customer at once', async () => {
    const { context, page } = await newPage();
    try {
      await staffOn(page, AGENT, codes.a);
      await waitForStatus(page, 'investigating');
      expect(await page.getByTestId('resolution-section').locator('.field-hint').first().innerText()).toContain('5.000.000 ₫');

      // Empty: refused beside each field, nothing sent.
      await page.getByTestId('proposal-submit').click();
      expect(await page.getByTestId('error-proposal-kind').innerText()).toContain('Chọn loại phương án');
      expect(await page.getByTestId('error-proposal-description').innerText()).toContain('Nhập nội dung');
      // A refund needs its amount.
      await page.getByTestId('proposal-kind-select').selectOption('refund');
      await page.getByTestId('proposal-description-input').fill('Hoàn lại 500.000 ₫ cho phần vỏ bị móp, khách giữ lại nồi.');
      await page.getByTestId('proposal-submit').click();
      expect(await page.getByTestId('error-proposal-amount').innerText()).toContain('Nhập số tiền');

      // A pasted amount: zeros after the decimal mark are dropped (it once became 185.000.000 ₫);
      // a non-zero part is refused beside the field and nothing is sent.
      const amountInput = page.getByTestId('proposal-amount-input');
      await amountInput.fill('1.850.000,00');
      expect(await page.getByTestId('proposal-amount-preview').innerText()).toContain('1.850.000 ₫');
      await amountInput.blur();
      expect(await amountInput.inputValue()).toBe('1.850.000');
      let posts = 0;
      const countPosts = (r: { method(): string; url(): string }) => {
        if (r.method() === 'POST' && r.url().endsWith(`/api/v1/complaints/${codes.a}/proposals`)) posts += 1;
      };
      page.on('request', countPosts);
      await amountInput.fill('1,850,000.50');
      expect(await page.getByTestId('proposal-amount-preview').count()).toBe(0);
      await page.getByTestId('proposal-submit').click();
      expect(await page.getByTestId('error-proposal-amount').innerText()).toContain('không có phần thập phân');
      expect(await amountInput.inputValue()).toBe('1,850,000.50');
      expect(posts).toBe(0);
      page.off('request', countPosts);

      // The amount is written with thousands separators as it is typed.
      await page.getByTestId('proposal-amount-input').fill('500000');
      expect(await page.getByTestId('proposal-amount-input').inputValue()).toBe('500.000');
      expect(await page.getByTestId('proposal-amount-preview').innerText()).toBe('500.000 ₫');
      expect(await page.getByTestId('proposal-needs-approval').count()).toBe(0);
      expect(await page.getByTestId('proposal-submit').innerText()).toBe('Gửi phương án cho khách hàng');
      await shot(page, 'resolution-a03-agent-proposal-form');

      const key = await page.getByTestId('proposal-form').getAttribute('data-key');
      const sent = page.waitForResponse(isCall('POST', `/api/v1/complaints/${codes.a}/proposals`));
      await page.getByTestId('proposal-submit').click();
      const answer = await expectStatus(sent, 201);
      expect(answer.request().headers()['idempotency-key'], 'one Idempotency-Key per form').toBe(key);
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(answer.request().postData() ?? '{}')).toEqual({
        kind: 'refund',
        description: 'Hoàn lại 500.000 ₫ cho phần vỏ bị móp, khách giữ lại nồi.',
        amountVnd: 500000,
      });

      await waitForStatus(page, 'proposed');
      expect(await page.getByTestId('propose-message').innerText()).toContain('Đã gửi phương án cho khách hàng');
      const item = page.locator('[data-testid="proposal"][data-status="offered"]');
      await item.waitFor();
      expect(await item.getAttribute('data-approval')).toBe('not_required');
      expect(await item.getByTestId('proposal-kind').innerText()).toBe('Hoàn tiền');
      expect(await item.getByTestId('proposal-amount').innerText()).toBe('500.000 ₫');
      expect(await item.getByTestId('proposal-status').innerText()).toBe('Chờ khách hàng trả lời');
      expect(await item.getByTestId('proposal-approval').count()).toBe(0);
      // One open proposal at a time: the form gives way to a note.
      await page.getByTestId('proposal-open-note').waitFor();
      expect(await page.getByTestId('proposal-form').count()).toBe(0);
      // The timeline reads in words.
      expect(await timelineEvent(page, 'proposal.created').getByTestId('timeline-proposal').innerText()).toBe('Hoàn tiền · 500.000 ₫');
      expect(await timelineEvent(page, 'proposal.offered').innerText()).toContain('Gửi phương án cho khách hàng');
      const toProposed = timelineEvent(page, 'status.changed').filter({ hasText: 'Đã đề xuất phương án' });
      expect(await toProposed.getByTestId('timeline-status-cause').getAttribute('data-cause')).toBe('proposal_offered');
      await shot(page, 'resolution-a04-agent-proposal-offered');
      await sectionShot(page, 'resolution-section', 'resolution-a04b-section-offered');
    } finally {
      await context.close();
    }
  });

  it('a3. the customer accepts the refund on the status page', async () => {
    const { context, page } = await newPage();
    try {
      await lookUp(page, codes.a, A.contact);
      const panel = page.getByTestId('portal-proposals');
      await panel.waitFor();
      expect(await panel.locator('h2').innerText()).toBe('Chúng tôi đề xuất phương án giải quyết');
      const offered = panel.locator('[data-testid="portal-proposal"][data-status="offered"]');
      expect(await offered.getByTestId('portal-proposal-kind').innerText()).toBe('Hoàn tiền');
      expect(await offered.getByTestId('portal-proposal-amount').innerText()).toBe('500.000 ₫');
      expect(await offered.getByTestId('portal-proposal-description').innerText()).toContain('Hoàn lại 500.000 ₫');
      expect(await offered.getByTestId('portal-proposal-state').innerText()).toMatch(/^Đang chờ bạn trả lời/);
      expect(await publicEvent(page, 'proposal.offered').innerText()).toContain('Chúng tôi đề xuất phương án: Hoàn tiền');
      await shot(page, 'resolution-a05-customer-proposal-offered');
      await sectionShot(page, 'portal-proposals', 'resolution-a05b-portal-proposals');

      await customerDecides(page, codes.a, 'accept');
      const accepted = panel.locator('[data-testid="portal-proposal"][data-status="accepted"]');
      await accepted.waitFor();
      expect(await accepted.getByTestId('portal-proposal-state').innerText()).toMatch(new RegExp(`^Bạn đã đồng ý lúc ${DATE_TIME.source}`));
      expect(await accepted.getByTestId('portal-proposal-accept').count()).toBe(0);
      expect(await page.getByTestId('portal-proposal-decided').innerText()).toContain('Cảm ơn bạn đã đồng ý');
      await publicEvent(page, 'proposal.accepted').waitFor();
      expect(await publicEvent(page, 'proposal.accepted').innerText()).toContain('Bạn đã đồng ý phương án');
      await waitForStatus(page, 'proposed');
      await shot(page, 'resolution-a06-customer-accepted');
    } finally {
      await context.close();
    }
  });

  it('a4. the agent records the refund with a root cause: the complaint is resolved', async () => {
    const { context, page } = await newPage();
    try {
      await staffOn(page, AGENT, codes.a);
      const item = page.locator('[data-testid="proposal"][data-status="accepted"]');
      await item.waitFor();
      const decision = item.getByTestId('proposal-decision');
      expect(await decision.getAttribute('data-channel')).toBe('portal');
      expect(await decision.innerText()).toContain('Khách hàng đồng ý qua trang tra cứu');
      expect(await timelineEvent(page, 'proposal.accepted').getByTestId('timeline-decision').innerText()).toContain('Đồng ý qua trang tra cứu');

      const form = page.getByTestId('implementation-form');
      await form.waitFor();
      // Now, as dd/MM/yyyy and a 24-hour time, whatever the browser's language.
      expect(await page.getByTestId('implement-done-at').inputValue()).toBe(vietnamDateText());
      expect(await page.getByTestId('implement-done-at-time').inputValue()).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      // The complaint has no root cause: asked here, and required.
      await page.getByTestId('implement-refund-ref').fill('HT-20261115-0042');
      await page.getByTestId('implement-submit').click();
      expect(await page.getByTestId('error-implement-root-cause').innerText()).toContain('Chọn nguyên nhân gốc');
      await page.getByTestId('implement-root-cause').selectOption({ label: 'Lỗi sản phẩm' });
      await page.getByTestId('implement-note').fill('Đã chuyển khoản qua Vietcombank.');
      await shot(page, 'resolution-a07-agent-implementation-form');
      const done = page.waitForResponse(isCall('POST', /\/proposals\/[0-9a-f-]{36}\/implementation$/));
      await page.getByTestId('implement-submit').click();
      const r = await expectStatus(done, 200);
      expect(JSON.parse(r.request().postData() ?? '{}')).toMatchObject({ refundReference: 'HT-20261115-0042', rootCauseId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

      await waitForStatus(page, 'resolved');
      expect(await page.getByTestId('implement-message').innerText()).toContain('khiếu nại đã được giải quyết');
      const implemented = page.locator('[data-testid="proposal"][data-status="implemented"]');
      await implemented.waitFor();
      expect(await implemented.getByTestId('proposal-refund-ref').innerText()).toBe('Mã hoàn tiền: HT-20261115-0042');
      await page.locator('[data-testid="complaint-root-cause"]').filter({ hasText: 'Lỗi sản phẩm' }).waitFor();
      expect(await page.getByTestId('complaint-resolved-at').innerText()).toMatch(DATE_TIME);
      expect(await page.getByTestId('complaint-closed-at').innerText()).toBe('—');
      const toResolved = timelineEvent(page, 'status.changed').filter({ hasText: 'Đã giải quyết' }).last();
      expect(await toResolved.getByTestId('timeline-status-cause').getAttribute('data-cause')).toBe('proposal_implemented');
      expect(await toResolved.getByTestId('timeline-root-cause').innerText()).toBe('Nguyên nhân gốc: Lỗi sản phẩm');
      expect(await toResolved.getByTestId('timeline-survey-scheduled').innerText()).toMatch(/^Khảo sát lần 1 sẽ gửi lúc/);
      expect(await timelineEvent(page, 'proposal.implemented').innerText()).toContain('Mã hoàn tiền: HT-20261115-0042');
      // An agent may not reopen (supervisors and admins only).
      expect(await page.getByTestId('reopen-open').count()).toBe(0);
      await shot(page, 'resolution-a08-agent-resolved');
      await sectionShot(page, 'resolution-section', 'resolution-a08b-section-resolved');
    } finally {
      await context.close();
    }
  });

  it('a5. the survey is mailed; the customer rates 5 stars from the /khao-sat link: the complaint is closed', async () => {
    const swept = await runFollowupSweep({ database: e2e.database, baseUrl: e2e.baseUrl, mailDomain: 'sen.test', companyName: 'Công ty Sen', now: new Date(Date.now() + 3 * HOUR) });
    expect(swept.surveysSent).toBe(1);
    const mails = await e2e.database.db.execute<{ text: string }>(sql`
      select m.text from outbound_messages m join complaints c on c.id = m.complaint_id
      where c.code = ${codes.a} and m.text like ${'%/khao-sat/%'}`);
    expect(mails.rows).toHaveLength(1);
    const link = /(https?:\/\/\S+\/khao-sat\/[A-Za-z0-9_\-.]+)/.exec(mails.rows[0].text);
    expect(link, mails.rows[0].text).not.toBeNull();
    const surveyPath = new URL(link![1]).pathname;

    const { context, page } = await newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      // The other page of step 5 is there: the survey opens from the link.
      await page.goto(surveyPath);
      await page.getByTestId('survey-form').waitFor();
      expect(await page.getByTestId('survey-code').innerText()).toBe(codes.a);
      await page.getByTestId('survey-star-5').check();
      await page.getByTestId('survey-comment').fill('Nhân viên xử lý nhanh, hoàn tiền đúng hẹn.');
      const answered = page.waitForResponse(isCall('POST', /\/api\/v1\/public\/surveys\//));
      await page.getByTestId('survey-submit').click();
      await expectStatus(answered, 201);
      await page.getByTestId('survey-thanks').waitFor();
      await shot(page, 'resolution-a09-survey-link-answered');

      // The status page: closed, the rating given, and until when it can be reopened.
      await lookUp(page, codes.a, A.contact);
      await waitForStatus(page, 'closed');
      const followup = page.getByTestId('portal-followup');
      await followup.waitFor();
      expect(await followup.getByTestId('portal-followup-resolved').innerText()).toMatch(new RegExp(`^Khiếu nại đã đóng lúc ${DATE_TIME.source}`));
      const rated = followup.getByTestId('portal-survey-answered');
      expect(await rated.getAttribute('data-rating')).toBe('5');
      expect(await rated.getByTestId('portal-survey-answered-rating').innerText()).toBe('5/5 · Rất hài lòng');
      expect(await rated.getByTestId('portal-survey-answered-comment').innerText()).toBe('Nhân viên xử lý nhanh, hoàn tiền đúng hẹn.');
      expect(await followup.getByTestId('portal-survey-form').count()).toBe(0);
      const reopen = followup.getByTestId('portal-reopen-form');
      expect(await reopen.getAttribute('data-within')).toBe('true');
      expect(await reopen.getByTestId('portal-reopen-until').innerText()).toMatch(new RegExp(`có thể mở lại khiếu nại này đến ${DATE_TIME.source}`));
      expect(await publicEvent(page, 'survey.answered').innerText()).toContain('Bạn đã đánh giá 5/5');
      expect(await publicEvent(page, 'proposal.implemented').innerText()).toContain('Mã hoàn tiền: HT-20261115-0042');
      await expectNoHorizontalOverflow(page);
      await shot(page, 'resolution-a10-customer-closed-phone');
    } finally {
      await context.close();
    }

    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, AGENT, codes.a);
      await waitForStatus(page, 'closed');
      expect(await page.getByTestId('complaint-closed-at').innerText()).toMatch(DATE_TIME);
      const survey = timelineEvent(page, 'survey.answered');
      expect(await survey.getByTestId('timeline-survey-answered').getAttribute('data-rating')).toBe('5');
      expect(await survey.innerText()).toContain('qua liên kết trong email');
      expect(await timelineEvent(page, 'survey.sent').innerText()).toContain(`Khảo sát lần 1 gửi tới ${A.email}`);
      const closed = timelineEvent(page, 'status.changed').filter({ hasText: 'Đã đóng' }).last();
      expect(await closed.getByTestId('timeline-status-cause').getAttribute('data-cause')).toBe('survey_answered');
      await shot(page, 'resolution-a11-agent-closed');
    } finally {
      await staff.context.close();
    }
  });

  it('a6. past the reopen window, the status page opens a new complaint linked to the old one', async () => {
    // Forty days later, as far as the complaint knows.
    await e2e.database.db.execute(sql`
      update complaints set resolved_at = resolved_at - interval '40 days', closed_at = closed_at - interval '40 days' where code = ${codes.a}`);
    const { context, page } = await newPage();
    try {
      await lookUp(page, codes.a, A.contact);
      const reopen = page.getByTestId('portal-reopen-form');
      await reopen.waitFor();
      expect(await reopen.getAttribute('data-within')).toBe('false');
      expect(await reopen.getByTestId('portal-reopen-until').innerText()).toContain('Thời hạn mở lại khiếu nại này đã hết');
      expect(await page.getByTestId('portal-reopen-submit').innerText()).toBe('Gửi khiếu nại mới');
      // A reason is required.
      await page.getByTestId('portal-reopen-submit').click();
      expect(await page.getByTestId('error-portal-reopen-reason').innerText()).toContain('mô tả vấn đề');
      await page.getByTestId('portal-reopen-reason').fill('Nồi lại bị hở nắp sau một tháng sử dụng.');
      await shot(page, 'resolution-a12-customer-reopen-after-window');
      await sectionShot(page, 'portal-followup', 'resolution-a12b-portal-followup');
      const sent = page.waitForResponse(isCall('POST', `/api/v1/portal/complaints/${codes.a}/reopen`));
      await page.getByTestId('portal-reopen-submit').click();
      const r = await expectStatus(sent, 201);
      const body = (await r.json()) as { outcome: string; code: string; previousCode: string };
      expect(body).toMatchObject({ outcome: 'new_complaint', previousCode: codes.a });
      const notice = page.getByTestId('portal-reopen-new');
      await notice.waitFor();
      codes.aFollowUp = await notice.getByTestId('portal-reopen-new-code').innerText();
      expect(codes.aFollowUp).toMatch(CODE_PATTERN);
      expect(codes.aFollowUp).toBe(body.code);
      expect(codes.aFollowUp).not.toBe(codes.a);
      await shot(page, 'resolution-a13-customer-new-linked-complaint');

      // The link shows the new complaint's status (same contact).
      const opened = page.waitForResponse(isCall('GET', `/api/v1/portal/complaints/${codes.aFollowUp}`));
      await notice.getByTestId('portal-reopen-new-link').click();
      await expectStatus(opened, 200);
      await page.locator('#result-title').filter({ hasText: codes.aFollowUp }).waitFor();
      expect(await publicEvent(page, 'complaint.linked').innerText()).toContain(`Khiếu nại này tiếp nối khiếu nại ${codes.a}`);
      await shot(page, 'resolution-a14-customer-new-complaint-status');
    } finally {
      await context.close();
    }

    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, AGENT, codes.aFollowUp);
      const previous = page.getByTestId('complaint-previous-link');
      expect(await previous.innerText()).toBe(codes.a);
      expect(await previous.getAttribute('href')).toBe(`/staff/complaints/${codes.a}`);
      expect(await timelineEvent(page, 'complaint.linked').getByTestId('timeline-linked').innerText()).toContain(`Tiếp nối khiếu nại ${codes.a}`);
      await shot(page, 'resolution-a15-agent-linked-complaint');
    } finally {
      await staff.context.close();
    }
  });

  // ———————————————————— (b) two proposals rejected → escalation → dossier → hand-over → outcome → closed ————————————————————

  it('b1. an exchange is proposed to customer B, who rejects it on the status page with a note', async () => {
    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, AGENT, codes.b);
      await startInvestigating(page, codes.b);
      // Only supervisors refuse or escalate: the agent sees neither.
      expect(await page.getByTestId('reject-open').count()).toBe(0);
      expect(await page.getByTestId('escalation-open').count()).toBe(0);
      const r = await propose(page, codes.b, { kind: 'exchange', description: 'Đổi máy giặt mới cùng model, giao và lắp đặt trong 3 ngày.' });
      expect(JSON.parse(r.request().postData() ?? '{}')).toEqual({ kind: 'exchange', description: 'Đổi máy giặt mới cùng model, giao và lắp đặt trong 3 ngày.' });
      await waitForStatus(page, 'proposed');
      await shot(page, 'resolution-b01-agent-exchange-offered');
    } finally {
      await staff.context.close();
    }

    const customer = await newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      const { page } = customer;
      await lookUp(page, codes.b, B.contact);
      await page.getByTestId('portal-proposals').waitFor();
      expect(await page.getByTestId('portal-proposal-amount').count()).toBe(0);
      await page.locator('[data-testid="portal-proposal"][data-status="offered"]').getByTestId('portal-proposal-reject').click();
      await page.getByTestId('portal-reject-note').waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'resolution-b02-customer-reject-form-phone');
      await customerDecides(page, codes.b, 'reject', 'Máy đã sửa ba lần, tôi muốn được hoàn tiền toàn bộ.');
      await page.locator('[data-testid="portal-proposal"][data-status="rejected"]').waitFor();
      expect(await page.getByTestId('portal-proposal-decided').innerText()).toContain('xem xét phương án khác');
      await waitForStatus(page, 'investigating');
      expect(await publicEvent(page, 'proposal.rejected').innerText()).toContain('Bạn đã không đồng ý phương án');
      await shot(page, 'resolution-b03-customer-rejected-phone');
    } finally {
      await customer.context.close();
    }
  });

  it('b2. a voucher of 300.000 ₫ is proposed next and rejected again', async () => {
    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, AGENT, codes.b);
      await waitForStatus(page, 'investigating');
      const first = page.locator('[data-testid="proposal"][data-status="rejected"]');
      expect(await first.getByTestId('proposal-decision').getAttribute('data-decision')).toBe('reject');
      expect(await first.getByTestId('proposal-decision-note').innerText()).toBe('Máy đã sửa ba lần, tôi muốn được hoàn tiền toàn bộ.');
      const back = timelineEvent(page, 'status.changed').filter({ hasText: 'Đang xác minh' }).last();
      expect(await back.getByTestId('timeline-status-cause').getAttribute('data-cause')).toBe('proposal_rejected');
      await propose(page, codes.b, { kind: 'voucher', amount: '300000', description: 'Tặng phiếu mua hàng 300.000 ₫ và bảo hành thêm 12 tháng.' });
      await page.locator('[data-testid="proposal"][data-status="offered"][data-kind="voucher"]').waitFor();
      expect(await page.locator('[data-testid="proposal"][data-kind="voucher"]').getByTestId('proposal-amount').innerText()).toBe('300.000 ₫');
      await shot(page, 'resolution-b04-agent-second-proposal');
    } finally {
      await staff.context.close();
    }

    const customer = await newPage();
    try {
      const { page } = customer;
      await lookUp(page, codes.b, B.contact);
      await customerDecides(page, codes.b, 'reject');
      // The proposals come in their own request after the status: wait for both before counting.
      const rejected = page.locator('[data-testid="portal-proposal"][data-status="rejected"]');
      await rejected.nth(1).waitFor();
      expect(await rejected.count()).toBe(2);
      await shot(page, 'resolution-b05-customer-rejected-twice');
    } finally {
      await customer.context.close();
    }
  });

  it('b3. a supervisor escalates to Sở Công Thương Hà Nội: the dossier ZIP downloads and passes `sen dossier verify`', async () => {
    const { context, page } = await newPage();
    try {
      await staffOn(page, SUPERVISOR, codes.b);
      await waitForStatus(page, 'investigating');
      // The plain status buttons leave refusing, escalating and reopening to their own forms.
      expect(await page.getByTestId('transition-escalated').count()).toBe(0);
      expect(await page.getByTestId('transition-rejected').count()).toBe(0);
      await page.getByTestId('transition-dedicated-hint').waitFor();

      // The customer's province, recorded on the complaint, opens the directory on its Sở Công Thương.
      await page.getByTestId('province-select').selectOption('Hà Nội');
      const classified = page.waitForResponse(isCall('PATCH', `/api/v1/complaints/${codes.b}`));
      await page.getByTestId('classify-submit').click();
      await expectStatus(classified, 200);
      await page.locator('[data-testid="customer-province"]', { hasText: 'Hà Nội' }).waitFor();
      await page.locator('[data-testid="timeline-event"][data-type="customer_province.changed"]').waitFor();

      await page.getByTestId('escalation-open').click();
      await page.getByTestId('escalation-form').waitFor();
      expect(await page.getByTestId('escalation-mode-directory').isChecked()).toBe(true);
      expect(await page.getByTestId('escalation-kind').inputValue()).toBe('department_of_industry_trade');
      await page.locator('[data-testid="escalation-authority"][data-count="1"]').waitFor();
      await page.locator('[data-testid="escalation-province"] option[value="Hà Nội"]').waitFor({ state: 'attached' });
      expect(await page.getByTestId('escalation-province').inputValue()).toBe('Hà Nội');
      expect(await page.getByTestId('escalation-authority').locator('option:checked').innerText()).toBe(HANOI_DOIT);
      // A national kind lists all of its bodies; back on Sở Công Thương, the customer's province is chosen again.
      await page.getByTestId('escalation-kind').selectOption('consumer_association');
      await page.locator('[data-testid="escalation-authority"][data-count="2"]').waitFor();
      expect(await page.getByTestId('escalation-province').inputValue()).toBe('');
      await page.getByTestId('escalation-kind').selectOption('department_of_industry_trade');
      await page.locator('[data-testid="escalation-authority"][data-count="1"]').waitFor();
      expect(await page.getByTestId('escalation-province').inputValue()).toBe('Hà Nội');
      expect(await page.getByTestId('escalation-authority').locator('option:checked').innerText()).toBe(HANOI_DOIT);
      // Every province, nothing chosen: refused beside the fields.
      await page.getByTestId('escalation-province').selectOption('');
      await page.locator('[data-testid="escalation-authority"][data-count]:not([data-count=""]):not([data-count="1"])').waitFor();
      await page.getByTestId('escalation-authority').selectOption('');
      await page.getByTestId('escalation-submit').click();
      expect(await page.getByTestId('error-escalation-authority').innerText()).toContain('Chọn cơ quan');
      expect(await page.getByTestId('error-escalation-reason').innerText()).toContain('Nêu lý do');
      // The province narrows the directory to one authority, picked at once.
      const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/authorities?') && r.url().includes('province='));
      await page.getByTestId('escalation-province').selectOption('Hà Nội');
      await expectStatus(filtered, 200);
      await page.locator('[data-testid="escalation-authority"][data-count="1"]').waitFor();
      expect(await page.getByTestId('escalation-authority').locator('option:checked').innerText()).toBe(HANOI_DOIT);
      await page.getByTestId('escalation-reason').fill('Khách hàng từ chối hai phương án (đổi máy, phiếu mua hàng); hai bên không thương lượng được.');
      await shot(page, 'resolution-b06-supervisor-escalation-form');

      const escalated = page.waitForResponse(isCall('POST', `/api/v1/complaints/${codes.b}/escalations`));
      await page.getByTestId('escalation-submit').click();
      const r = await expectStatus(escalated, 201);
      expect(JSON.parse(r.request().postData() ?? '{}')).toEqual({
        authorityId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        reason: 'Khách hàng từ chối hai phương án (đổi máy, phiếu mua hàng); hai bên không thương lượng được.',
      });
      await waitForStatus(page, 'escalated');
      expect(await page.getByTestId('escalate-message').innerText()).toContain(`Đã chuyển ${HANOI_DOIT}`);
      const item = page.getByTestId('escalation');
      await item.waitFor();
      expect(await item.getByTestId('escalation-authority-label').innerText()).toBe(HANOI_DOIT);
      const zipSha = await item.getByTestId('dossier-zip-sha').innerText();
      const pdfSha = await item.getByTestId('dossier-pdf-sha').innerText();
      expect(zipSha).toMatch(/^[0-9a-f]{64}$/);
      expect(pdfSha).toMatch(/^[0-9a-f]{64}$/);
      expect(await timelineEvent(page, 'escalation.created').getByTestId('timeline-dossier-zip-sha').innerText()).toBe(zipSha);
      expect(await timelineEvent(page, 'escalation.created').getByTestId('timeline-authority').innerText()).toBe(`${HANOI_DOIT} (Sở Công Thương)`);
      // Nothing open stays behind; the escalation needs its hand-over next.
      await item.getByTestId('escalation-handover-none').waitFor();
      await shot(page, 'resolution-b07-supervisor-escalated');
      await sectionShot(page, 'resolution-section', 'resolution-b07b-section-escalated');

      // The ZIP, fetched in the page with the supervisor's session, as the link downloads it.
      const zipUrl = await item.getByTestId('dossier-zip').getAttribute('href');
      const pdfUrl = await item.getByTestId('dossier-pdf').getAttribute('href');
      const fetched = await page.evaluate(async (urls: string[]) => {
        const out: { status: number; sha: string | null; b64: string }[] = [];
        for (const url of urls) {
          const res = await fetch(url, { credentials: 'same-origin' });
          const bytes = new Uint8Array(await res.arrayBuffer());
          let s = '';
          for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
          out.push({ status: res.status, sha: res.headers.get('x-content-sha256'), b64: btoa(s) });
        }
        return out;
      }, [zipUrl!, pdfUrl!]);
      const [zipAnswer, pdfAnswer] = fetched;
      expect(zipAnswer.status).toBe(200);
      const zip = Buffer.from(zipAnswer.b64, 'base64');
      expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
      expect(createHash('sha256').update(zip).digest('hex')).toBe(zipSha);
      expect(zipAnswer.sha).toBe(zipSha);
      const pdf = Buffer.from(pdfAnswer.b64, 'base64');
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(createHash('sha256').update(pdf).digest('hex')).toBe(pdfSha);

      const zipFile = path.join(tmpDir, `ho-so-${codes.b}.zip`);
      fs.writeFileSync(zipFile, zip);
      const verified = await run('node', ['bin/sen.js', 'dossier', 'verify', zipFile], { cwd: ROOT, env: { ...process.env } }).then(
        (x) => ({ code: 0, stdout: x.stdout, stderr: x.stderr }),
        (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
      );
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain('INTACT');
      expect(verified.stdout).toContain(codes.b);
      expect(verified.stdout).toContain(zipSha);
    } finally {
      await context.close();
    }
  });

  it('b4. the hand-over and the authority’s outcome are recorded, and the complaint is closed', async () => {
    const { context, page } = await newPage();
    try {
      await staffOn(page, SUPERVISOR, codes.b);
      await waitForStatus(page, 'escalated');
      const item = page.getByTestId('escalation');
      // The outcome waits for the hand-over.
      expect(await item.getByTestId('escalation-outcome-none').innerText()).toContain('sau khi bàn giao');
      expect(await item.getByTestId('outcome-form').count()).toBe(0);
      const dmy = await page.getByTestId('handover-date').inputValue();
      expect(dmy).toBe(vietnamDateText());
      await page.getByTestId('handover-text').fill('1234/SCT-QLTM');
      const handedOver = page.waitForResponse(isCall('PATCH', /\/escalations\/[0-9a-f-]{36}$/));
      await page.getByTestId('handover-submit').click();
      const h = await expectStatus(handedOver, 200);
      expect(JSON.parse(h.request().postData() ?? '{}')).toMatchObject({ referenceNo: '1234/SCT-QLTM', handedOverAt: expect.any(String) });
      await item.locator('[data-testid="escalation-handover"]').waitFor();
      expect(await item.getByTestId('escalation-handover').innerText()).toBe(`Đã bàn giao ngày ${dmy}, số thụ lý 1234/SCT-QLTM`);
      await timelineEvent(page, 'escalation.handed_over').waitFor();
      await shot(page, 'resolution-b08-supervisor-handed-over');

      await item.getByTestId('outcome-form').waitFor();
      await item.getByTestId('outcome-submit').click();
      expect(await item.locator('[data-testid^="error-outcome-text-"]').innerText()).toContain('Nhập kết quả');
      const OUTCOME = 'Hòa giải thành công: công ty hoàn 70% giá trị máy, khách hàng trả lại máy.';
      await item.getByTestId('outcome-text').fill(OUTCOME);
      const outcome = page.waitForResponse(isCall('PATCH', /\/escalations\/[0-9a-f-]{36}$/));
      await item.getByTestId('outcome-submit').click();
      await expectStatus(outcome, 200);
      await item.getByTestId('escalation-outcome-text').waitFor();
      expect(await item.getByTestId('escalation-outcome-text').innerText()).toBe(OUTCOME);
      expect(await timelineEvent(page, 'escalation.outcome').getByTestId('timeline-outcome').innerText()).toBe(OUTCOME);
      await shot(page, 'resolution-b09-supervisor-outcome');
      await sectionShot(page, 'resolution-section', 'resolution-b09b-section-outcome');

      const closed = page.waitForResponse(isCall('POST', `/api/v1/complaints/${codes.b}/transitions`));
      await item.getByTestId('escalation-close').click();
      const c = await expectStatus(closed, 200);
      expect(JSON.parse(c.request().postData() ?? '{}')).toEqual({ to: 'closed' });
      await waitForStatus(page, 'closed');
      expect(await page.getByTestId('complaint-closed-at').innerText()).toMatch(DATE_TIME);
      await shot(page, 'resolution-b10-supervisor-closed');
    } finally {
      await context.close();
    }

    const customer = await newPage();
    try {
      const { page } = customer;
      await lookUp(page, codes.b, B.contact);
      await waitForStatus(page, 'closed');
      expect(await publicEvent(page, 'escalation.created').innerText()).toContain(`Khiếu nại đã được chuyển tới ${HANOI_DOIT}`);
      // Both proposals show as answered; none can be answered any more.
      // The proposals come in their own request after the status: wait for both before counting.
      const rejected = page.locator('[data-testid="portal-proposal"][data-status="rejected"]');
      await rejected.nth(1).waitFor();
      expect(await rejected.count()).toBe(2);
      expect(await page.getByTestId('portal-proposal-accept').count()).toBe(0);
      await shot(page, 'resolution-b11-customer-escalated-closed');
    } finally {
      await customer.context.close();
    }
  });

  // ———————————————————— (c) above the threshold → approval → accepted → resolved → reopened → resolved again ————————————————————

  it('c1. a refund of 9.000.000 ₫ by an agent waits for a supervisor, who returns it with a note', async () => {
    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, AGENT, codes.c);
      await startInvestigating(page, codes.c);
      await page.getByTestId('proposal-kind-select').selectOption('refund');
      await page.getByTestId('proposal-amount-input').fill('9000000');
      expect(await page.getByTestId('proposal-amount-input').inputValue()).toBe('9.000.000');
      expect(await page.getByTestId('proposal-needs-approval').innerText()).toContain('cần giám sát duyệt');
      expect(await page.getByTestId('proposal-submit').innerText()).toBe('Gửi giám sát duyệt');
      await page.getByTestId('proposal-description-input').fill('Hoàn toàn bộ 9.000.000 ₫, công ty thu hồi tivi.');
      await shot(page, 'resolution-c01-agent-above-threshold-form');
      const sent = page.waitForResponse(isCall('POST', `/api/v1/complaints/${codes.c}/proposals`));
      await page.getByTestId('proposal-submit').click();
      await expectStatus(sent, 201);
      const pending = page.locator('[data-testid="proposal"][data-status="pending_approval"]');
      await pending.waitFor();
      expect(await pending.getAttribute('data-approval')).toBe('pending');
      expect(await pending.getByTestId('proposal-status').innerText()).toBe('Chờ giám sát duyệt');
      await pending.getByTestId('proposal-awaiting-approval').waitFor();
      // The complaint does not move while a supervisor has the proposal.
      await waitForStatus(page, 'investigating');
      expect(await page.getByTestId('propose-message').innerText()).toContain('đã chuyển giám sát duyệt');
      expect(await timelineEvent(page, 'proposal.created').getByTestId('timeline-needs-approval').innerText()).toContain('chờ giám sát duyệt');
      await shot(page, 'resolution-c02-agent-pending-approval');
    } finally {
      await staff.context.close();
    }

    const supervisor = await newPage();
    try {
      const { page } = supervisor;
      await staffOn(page, SUPERVISOR, codes.c);
      const pending = page.locator('[data-testid="proposal"][data-status="pending_approval"]');
      await pending.getByTestId('approval-form').waitFor();
      // Returning needs a note.
      await pending.getByTestId('approval-return').click();
      expect(await pending.locator('[data-testid^="error-approval-note-"]').innerText()).toContain('Nêu lý do trả lại');
      await pending.getByTestId('approval-note').fill('Vượt hạn mức hoàn tiền; đề xuất 8.000.000 ₫ (khách giữ lại chân đế).');
      await shot(page, 'resolution-c03-supervisor-return');
      await sectionShot(page, 'resolution-section', 'resolution-c03b-section-return');
      const returned = page.waitForResponse(isCall('POST', /\/proposals\/[0-9a-f-]{36}\/approval$/));
      await pending.getByTestId('approval-return').click();
      const r = await expectStatus(returned, 200);
      expect(JSON.parse(r.request().postData() ?? '{}')).toEqual({ decision: 'reject', note: 'Vượt hạn mức hoàn tiền; đề xuất 8.000.000 ₫ (khách giữ lại chân đế).' });
      const withdrawn = page.locator('[data-testid="proposal"][data-status="withdrawn"]');
      await withdrawn.waitFor();
      expect(await withdrawn.getAttribute('data-approval')).toBe('rejected');
      expect(await withdrawn.getByTestId('proposal-approval-detail').innerText()).toContain(`Giám sát ${SUPERVISOR.name} trả lại lúc`);
      expect(await timelineEvent(page, 'proposal.approval_rejected').getByTestId('timeline-approval-note').innerText()).toContain('Vượt hạn mức');
      await shot(page, 'resolution-c04-supervisor-returned');
    } finally {
      await supervisor.context.close();
    }
  });

  it('c2. 8.000.000 ₫ by the agent is invisible to the customer until a supervisor approves it; then accepted and carried out', async () => {
    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, AGENT, codes.c);
      await propose(page, codes.c, { kind: 'refund', amount: '8000000', description: 'Hoàn 8.000.000 ₫, khách giữ lại chân đế treo tường.' });
      await page.locator('[data-testid="proposal"][data-status="pending_approval"]').waitFor();
    } finally {
      await staff.context.close();
    }

    const customer = await newPage();
    try {
      const { page } = customer;
      await lookUp(page, codes.c, C.contact);
      await waitForStatus(page, 'investigating');
      expect(await page.getByTestId('portal-proposals').count()).toBe(0);
      expect(await publicEvent(page, 'proposal.offered').count()).toBe(0);
      // Asked directly, the API has nothing to show either.
      const listed = await page.evaluate(
        async ([code, contact]) => (await fetch(`/api/v1/portal/complaints/${code}/proposals?contact=${encodeURIComponent(contact)}`)).json(),
        [codes.c, C.contact],
      );
      expect(listed).toMatchObject({ code: codes.c, proposals: [] });
      await shot(page, 'resolution-c05-customer-nothing-before-approval');
    } finally {
      await customer.context.close();
    }

    const supervisor = await newPage();
    try {
      const { page } = supervisor;
      await staffOn(page, SUPERVISOR, codes.c);
      const pending = page.locator('[data-testid="proposal"][data-status="pending_approval"]');
      expect(await pending.getByTestId('proposal-amount').innerText()).toBe('8.000.000 ₫');
      const approved = page.waitForResponse(isCall('POST', /\/proposals\/[0-9a-f-]{36}\/approval$/));
      await pending.getByTestId('approval-approve').click();
      const r = await expectStatus(approved, 200);
      expect(JSON.parse(r.request().postData() ?? '{}')).toEqual({ decision: 'approve' });
      await waitForStatus(page, 'proposed');
      const offered = page.locator('[data-testid="proposal"][data-status="offered"]');
      await offered.waitFor();
      expect(await offered.getAttribute('data-approval')).toBe('approved');
      expect(await offered.getByTestId('proposal-approval-detail').innerText()).toContain(`Giám sát ${SUPERVISOR.name} đã duyệt lúc`);
      await shot(page, 'resolution-c06-supervisor-approved');
    } finally {
      await supervisor.context.close();
    }

    const customer2 = await newPage();
    try {
      const { page } = customer2;
      await lookUp(page, codes.c, C.contact);
      const offered = page.locator('[data-testid="portal-proposal"][data-status="offered"]');
      await offered.waitFor();
      expect(await offered.getByTestId('portal-proposal-amount').innerText()).toBe('8.000.000 ₫');
      // The returned 9.000.000 ₫ was never offered: the customer never sees it.
      expect(await page.getByTestId('portal-proposal').count()).toBe(1);
      await customerDecides(page, codes.c, 'accept');
      await shot(page, 'resolution-c07-customer-accepted-after-approval');
    } finally {
      await customer2.context.close();
    }

    const agent = await newPage();
    try {
      const { page } = agent;
      await staffOn(page, AGENT, codes.c);
      await page.getByTestId('implementation-form').waitFor();
      await page.getByTestId('implement-root-cause').selectOption({ label: 'Giao sai hàng, thiếu hàng' });
      await page.getByTestId('implement-refund-ref').fill('HT-20261120-0107');
      const done = page.waitForResponse(isCall('POST', /\/proposals\/[0-9a-f-]{36}\/implementation$/));
      await page.getByTestId('implement-submit').click();
      await expectStatus(done, 200);
      await waitForStatus(page, 'resolved');
      await page.locator('[data-testid="complaint-root-cause"]').filter({ hasText: 'Giao sai hàng, thiếu hàng' }).waitFor();
      await shot(page, 'resolution-c08-agent-resolved');
    } finally {
      await agent.context.close();
    }
  });

  it('c3. the customer reopens it on the status page within the window: investigating, reopen count 1', async () => {
    const { context, page } = await newPage();
    try {
      await lookUp(page, codes.c, C.contact);
      await waitForStatus(page, 'resolved');
      const followup = page.getByTestId('portal-followup');
      await followup.waitFor();
      // The first survey is offered on the status page too.
      const survey = followup.getByTestId('portal-survey-form');
      expect(await survey.getAttribute('data-resolution')).toBe('1');
      expect(await survey.getByTestId('portal-survey-question').innerText()).toBeTruthy();
      const reopen = followup.getByTestId('portal-reopen-form');
      expect(await reopen.getAttribute('data-within')).toBe('true');
      expect(await reopen.getByTestId('portal-reopen-until').innerText()).toMatch(new RegExp(`đến ${DATE_TIME.source}`));
      // In English too.
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      expect(await reopen.getByTestId('portal-reopen-until').innerText()).toContain('you can reopen this complaint until');
      expect(await survey.locator('h3').innerText()).toBe('How satisfied are you?');
      await shot(page, 'resolution-c09-customer-followup-english');
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="vi"]').waitFor({ state: 'attached' });

      await page.getByTestId('portal-reopen-reason').fill('Tiền hoàn chưa về tài khoản sau 10 ngày.');
      const sent = page.waitForResponse(isCall('POST', `/api/v1/portal/complaints/${codes.c}/reopen`));
      await page.getByTestId('portal-reopen-submit').click();
      const r = await expectStatus(sent, 200);
      expect(await r.json()).toMatchObject({ outcome: 'reopened', code: codes.c, reopenCount: 1 });
      await page.getByTestId('portal-reopened').waitFor();
      expect(await page.getByTestId('portal-reopened').innerText()).toContain('lần thứ 1');
      await waitForStatus(page, 'investigating');
      expect(await page.getByTestId('portal-followup').count()).toBe(0);
      await shot(page, 'resolution-c10-customer-reopened');
    } finally {
      await context.close();
    }
  });

  it('c4. the agent records the customer’s acceptance given by phone; resolved again, a second survey is offered', async () => {
    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, AGENT, codes.c);
      await waitForStatus(page, 'investigating');
      expect(await page.getByTestId('complaint-reopen-count').getAttribute('data-count')).toBe('1');
      expect(await page.getByTestId('complaint-reopen-count').innerText()).toBe('1 lần');
      const reopened = timelineEvent(page, 'status.changed').filter({ hasText: 'Đã mở lại' }).first();
      expect(await reopened.getByTestId('timeline-reopen-count').innerText()).toBe('Mở lại lần thứ 1');
      expect(await reopened.innerText()).toContain('Lý do: Tiền hoàn chưa về tài khoản sau 10 ngày.');
      // The root cause stays on file, and the resolution date of the first resolution is shown until the next.
      expect(await page.getByTestId('complaint-root-cause').innerText()).toBe('Giao sai hàng, thiếu hàng');
      await shot(page, 'resolution-c11-agent-reopened');

      await propose(page, codes.c, { kind: 'service', description: 'Kiểm tra lại giao dịch hoàn tiền và tặng gói vệ sinh tivi miễn phí.' });
      const offered = page.locator('[data-testid="proposal"][data-status="offered"]');
      await offered.waitFor();
      // The customer answers by phone: recorded with the channel and the time.
      await offered.getByTestId('decision-open').click();
      await page.getByTestId('decision-form').waitFor();
      expect(await page.getByTestId('decision-at').inputValue()).toBe(vietnamDateText());
      expect(await page.getByTestId('decision-at-time').inputValue()).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      await page.getByTestId('decision-submit').click();
      expect(await page.getByTestId('error-decision').innerText()).toContain('Chọn khách hàng đồng ý hay từ chối');
      await page.getByTestId('decision-accept').check();
      await page.getByTestId('decision-channel').selectOption('hotline');
      await page.getByTestId('decision-note').fill('Khách gọi tổng đài đồng ý, hẹn vệ sinh tivi thứ Bảy.');
      await shot(page, 'resolution-c12-agent-decision-by-phone');
      await sectionShot(page, 'resolution-section', 'resolution-c12b-section-decision');
      const decided = page.waitForResponse(isCall('POST', /\/proposals\/[0-9a-f-]{36}\/decision$/));
      await page.getByTestId('decision-submit').click();
      const d = await expectStatus(decided, 200);
      expect(JSON.parse(d.request().postData() ?? '{}')).toEqual({
        decision: 'accept',
        channel: 'hotline',
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/),
        note: 'Khách gọi tổng đài đồng ý, hẹn vệ sinh tivi thứ Bảy.',
      });
      const accepted = page.locator('[data-testid="proposal"][data-status="accepted"]');
      await accepted.waitFor();
      expect(await accepted.getByTestId('proposal-decision').getAttribute('data-channel')).toBe('hotline');
      expect(await accepted.getByTestId('proposal-decision').innerText()).toContain('Khách hàng đồng ý qua điện thoại');

      // The root cause is on file: not asked again.
      await page.getByTestId('implementation-form').waitFor();
      expect(await page.getByTestId('implement-root-cause').count()).toBe(0);
      await page.getByTestId('implement-note').fill('Đã vệ sinh tivi tại nhà; giao dịch hoàn tiền đã về tài khoản khách.');
      const done = page.waitForResponse(isCall('POST', /\/proposals\/[0-9a-f-]{36}\/implementation$/));
      await page.getByTestId('implement-submit').click();
      const body = JSON.parse((await expectStatus(done, 200)).request().postData() ?? '{}');
      expect(body.rootCauseId).toBeUndefined();
      await waitForStatus(page, 'resolved');
      const second = timelineEvent(page, 'status.changed').filter({ hasText: 'Đã giải quyết' }).last();
      expect(await second.getByTestId('timeline-survey-scheduled').innerText()).toMatch(/^Khảo sát lần 2 sẽ gửi lúc/);
      await shot(page, 'resolution-c13-agent-resolved-again');
      await sectionShot(page, 'complaint-timeline', 'resolution-c13b-timeline');
    } finally {
      await staff.context.close();
    }

    const customer = await newPage();
    try {
      const { page } = customer;
      await lookUp(page, codes.c, C.contact);
      await waitForStatus(page, 'resolved');
      const survey = page.getByTestId('portal-survey-form');
      await survey.waitFor();
      expect(await survey.getAttribute('data-resolution')).toBe('2');
      expect(await survey.locator('h3').innerText()).toBe('Đánh giá mức độ hài lòng (lần giải quyết thứ 2)');
      // No stars: refused beside the stars.
      await page.getByTestId('portal-survey-submit').click();
      expect(await page.getByTestId('error-portal-rating').innerText()).toContain('Chọn số sao');
      // The stars are a radio group: the keyboard moves between them.
      await page.getByTestId('portal-survey-star-3').check();
      await page.getByTestId('portal-survey-star-3').press('ArrowRight');
      expect(await page.getByTestId('portal-survey-star-4').isChecked()).toBe(true);
      expect(await page.getByTestId('portal-survey-caption').innerText()).toBe('4/5 · Hài lòng');
      await page.getByTestId('portal-survey-comment').fill('Lần hai xử lý tốt, nhưng lần đầu hoàn tiền chậm.');
      await shot(page, 'resolution-c14-customer-second-survey');
      await sectionShot(page, 'portal-followup', 'resolution-c14b-portal-followup');
      const answered = page.waitForResponse(isCall('POST', `/api/v1/portal/complaints/${codes.c}/survey`));
      await page.getByTestId('portal-survey-submit').click();
      const r = await expectStatus(answered, 201);
      expect(await r.json()).toMatchObject({ code: codes.c, resolutionNo: 2, rating: 4, status: 'closed' });
      await waitForStatus(page, 'closed');
      const rated = page.getByTestId('portal-survey-answered');
      await rated.waitFor();
      expect(await rated.getAttribute('data-resolution')).toBe('2');
      expect(await rated.getByTestId('portal-survey-answered-rating').innerText()).toBe('4/5 · Hài lòng');
      await shot(page, 'resolution-c15-customer-second-survey-answered');
    } finally {
      await customer.context.close();
    }
  });

  // ———————————————————— (d) not admissible; (e) reopened by a supervisor ————————————————————

  it('d. a supervisor refuses a complaint as not admissible; the customer reads why on the status page', async () => {
    const REASON = 'Vé máy bay do hãng hàng không bán, không thuộc sản phẩm, dịch vụ của Công ty; đề nghị liên hệ hãng bay.';
    const staff = await newPage();
    try {
      const { page } = staff;
      await staffOn(page, SUPERVISOR, codes.d);
      await waitForStatus(page, 'received');
      await page.getByTestId('reject-open').click();
      await page.getByTestId('reject-submit').click();
      expect(await page.getByTestId('error-reject-reason').innerText()).toContain('Nêu lý do không thụ lý');
      await page.getByTestId('reject-reason').fill(REASON);
      await shot(page, 'resolution-d01-supervisor-reject-form');
      const rejected = page.waitForResponse(isCall('POST', `/api/v1/complaints/${codes.d}/reject`));
      await page.getByTestId('reject-submit').click();
      const r = await expectStatus(rejected, 200);
      expect(JSON.parse(r.request().postData() ?? '{}')).toEqual({ reason: REASON });
      await waitForStatus(page, 'rejected');
      expect(await page.getByTestId('reject-message').innerText()).toContain('Đã từ chối thụ lý');
      expect(await timelineEvent(page, 'status.changed').filter({ hasText: 'Không thụ lý' }).innerText()).toContain(`Lý do: ${REASON}`);
      await shot(page, 'resolution-d02-supervisor-rejected');
    } finally {
      await staff.context.close();
    }

    const customer = await newPage();
    try {
      const { page } = customer;
      await lookUp(page, codes.d, D.contact);
      await waitForStatus(page, 'rejected');
      expect(await page.getByTestId('portal-refusal-reason').innerText()).toBe(REASON);
      expect(await page.getByTestId('portal-refusal').innerText()).toContain('Khiếu nại không được thụ lý.');
      await shot(page, 'resolution-d03-customer-refusal');
    } finally {
      await customer.context.close();
    }
  });

  it('e. a supervisor reopens the closed complaint C from the console', async () => {
    const { context, page } = await newPage();
    try {
      await staffOn(page, SUPERVISOR, codes.c);
      await waitForStatus(page, 'closed');
      await page.getByTestId('reopen-open').click();
      await page.getByTestId('reopen-submit').click();
      expect(await page.getByTestId('error-reopen-reason').innerText()).toContain('Nêu lý do mở lại');
      await page.getByTestId('reopen-reason').fill('Khách gọi báo tivi lại mất tín hiệu sau khi vệ sinh.');
      const sent = page.waitForResponse(isCall('POST', `/api/v1/complaints/${codes.c}/reopen`));
      await page.getByTestId('reopen-submit').click();
      const r = await expectStatus(sent, 200);
      expect(await r.json()).toMatchObject({ outcome: 'reopened', reopenCount: 2 });
      await waitForStatus(page, 'investigating');
      expect(await page.getByTestId('reopen-message').innerText()).toContain('lần thứ 2');
      expect(await page.getByTestId('complaint-reopen-count').getAttribute('data-count')).toBe('2');
      expect(await page.getByTestId('complaint-closed-at').innerText()).toBe('—');
      await shot(page, 'resolution-e01-supervisor-reopened');

      // Improvement: a corrective action opened from the complaint is linked to it, with its root cause.
      const rootCauseId = await page.getByTestId('complaint-root-cause').getAttribute('data-id');
      expect(rootCauseId).toBeTruthy();
      await page.getByTestId('open-corrective-action').click();
      await page.getByTestId('action-form').waitFor();
      expect(await page.getByTestId('actions-from-complaint').innerText()).toContain(codes.c);
      expect(await page.getByTestId('action-form-codes').inputValue()).toBe(codes.c);
      expect(await page.getByTestId('action-form-root-cause').inputValue()).toBe(rootCauseId);
      await page.getByTestId('action-form-title').fill('Kiểm tra lại quy trình vệ sinh tivi trước khi giao');
      const created = page.waitForResponse(isCall('POST', '/api/v1/corrective-actions'));
      await page.getByTestId('action-form-submit').click();
      const action = (await (await expectStatus(created, 201)).json()) as { id: string; complaints: { code: string }[] };
      expect(action.complaints.map((c) => c.code)).toEqual([codes.c]);
      const card = page.locator(`[data-testid="action-card"][data-id="${action.id}"]`);
      await card.waitFor();
      expect(await card.getByTestId('action-complaint').getAttribute('data-code')).toBe(codes.c);
      await shot(page, 'resolution-e02-corrective-action-from-complaint');
    } finally {
      await context.close();
    }
  });

  it('f. no page threw an uncaught error', () => {
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
