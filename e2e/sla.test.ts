/**
 * SLA clocks end to end: a customer files a complaint on the portal; an agent sees the
 * acknowledgement, resolution and negotiation clocks running, filters the queue by deadline, logs
 * a call (the acknowledgement clock is met) and sets a manual due date; the customer's status page
 * shows the promised dates and sends a message that reaches the agent's timeline; an admin checks
 * the working calendar (Tết 2026, provisional 2027), adds a company day off and open deadlines are
 * recomputed; the clocks fit a phone; SLA reminders reach the agent's notification bell.
 *
 * Same setup as portal-to-agent.test.ts: the real server in-process (embedded in-memory PGlite,
 * Fastify serving the built web app), driven with headless Chromium through playwright-core.
 * Screenshots go to artifacts/e2e/ (prefixed sla-).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { runSlaSweep } from '../src/jobs/sla-sweep';
import { ARTIFACTS, CODE_PATTERN, expectNoHorizontalOverflow, expectStatus, shot, TIMEOUT, useE2e, vietnamDate, vietnamDateText } from './harness';

const AGENT = { email: 'agent.sla@sen.test', name: 'Lê Văn Tâm', password: 'mat-khau-e2e-2024' };
const ADMIN = { email: 'admin.sla@sen.test', name: 'Phạm Thu Hà', password: 'mat-khau-admin-2024' };
const CUSTOMER = {
  name: 'Nguyễn Thị Hương',
  phone: '0912 345 678',
  phoneOtherFormat: '+84912345678',
  subject: 'Máy lọc nước rò rỉ sau một tuần',
  description: 'Tôi mua máy lọc nước ngày 02/11, đến ngày 09/11 máy bị rò rỉ nước ra sàn bếp.',
};
const TEAM = 'Phòng Kỹ thuật';
const CONTACT_SUMMARY = 'Đã gọi cho khách, hẹn kỹ thuật đến kiểm tra máy vào thứ Năm.';
const CUSTOMER_MESSAGE = 'Tôi gửi thêm: số seri máy là LN-2024-5567, nước rò ở van dưới.';
/** "còn 5 ngày 7 giờ làm việc", "còn 3 giờ 20 phút làm việc". */
const COUNTDOWN_VI = /^còn (\d+ (ngày|giờ|phút) ?)+làm việc$/;
const DATE_TIME = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;
const CLOCK_NAMES = {
  acknowledgement: 'Phản hồi tiếp nhận',
  resolution: 'Giải quyết',
  negotiation: 'Thương lượng (Điều 57)',
} as const;

describe('SLA clocks end to end: portal → agent → portal → admin calendar', () => {
  let code = '';
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      await addStaffUser({ database, role: 'admin', ...ADMIN });
      await database.pool.query('insert into teams (name) values ($1)', [TEAM]);
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  async function openComplaint(page: Page): Promise<void> {
    const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}`) && r.request().method() === 'GET');
    await page.goto(`/staff/complaints/${code}`);
    await expectStatus(loaded, 200);
    await page.getByTestId('complaint-detail').waitFor();
  }

  /** Looks the complaint up on the customer status page. */
  async function customerLookup(page: Page): Promise<void> {
    await page.goto('/tra-cuu');
    await page.getByTestId('lookup-form').waitFor();
    await page.locator('#code').fill(code);
    await page.locator('#contact').fill(CUSTOMER.phoneOtherFormat);
    const looked = page.waitForResponse((r) => r.url().includes(`/api/v1/portal/complaints/${code}?`));
    await page.getByTestId('lookup-submit').click();
    await expectStatus(looked, 200);
    await page.getByTestId('lookup-result').waitFor();
  }

  it('1. a customer files a complaint on the portal', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto('/');
      await page.getByTestId('complaint-form').waitFor();
      await page.locator('#name').fill(CUSTOMER.name);
      await page.locator('#phone').fill(CUSTOMER.phone);
      await page.locator('#subject').fill(CUSTOMER.subject);
      await page.locator('#description').fill(CUSTOMER.description);
      await page.locator('#consent').check();
      // A person takes more than 3 s to fill the form; faster is refused as automated.
      await page.waitForTimeout(3200);
      const created = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/portal/complaints') && r.request().method() === 'POST',
      );
      await page.getByTestId('submit-complaint').click();
      await expectStatus(created, 201);
      const codeEl = page.getByTestId('complaint-code');
      await codeEl.waitFor();
      code = (await codeEl.innerText()).trim();
      expect(code).toMatch(CODE_PATTERN);
      await shot(page, 'sla-01-portal-confirmation');
    } finally {
      await context.close();
    }
  });

  it('2. the agent sees each clock running, filters the queue by deadline, logs a call and sets a manual due date', async () => {
    expect(code).toMatch(CODE_PATTERN);
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT);

      // The queue's deadline column: the nearest running clock, which one it is, and its countdown.
      const row = page.locator(`[data-testid="queue-row"][data-code="${code}"]`);
      await row.waitFor();
      const deadline = row.getByTestId('queue-deadline');
      expect(await deadline.getAttribute('data-clock')).toBe('acknowledgement');
      expect(await deadline.getAttribute('data-level')).toBe('ok');
      expect(await deadline.innerText()).toContain(CLOCK_NAMES.acknowledgement);
      expect(await row.getByTestId('queue-deadline-countdown').innerText()).toMatch(COUNTDOWN_VI);
      await shot(page, 'sla-02-queue-deadlines');

      // "Đúng hạn" keeps it, "Quá hạn" does not; each choice is kept in the address.
      const filter = page.getByTestId('queue-sla-filter');
      let listed = page.waitForResponse((r) => r.url().includes('/api/v1/complaints?') && new URL(r.url()).searchParams.get('sla') === 'on_time');
      await filter.selectOption('on_time');
      await expectStatus(listed, 200);
      await page.waitForURL((url) => url.searchParams.get('sla') === 'on_time');
      await row.waitFor();
      listed = page.waitForResponse((r) => r.url().includes('/api/v1/complaints?') && new URL(r.url()).searchParams.get('sla') === 'overdue');
      await filter.selectOption('overdue');
      await expectStatus(listed, 200);
      await page.waitForURL((url) => url.searchParams.get('sla') === 'overdue');
      await page.getByTestId('queue-empty').waitFor();
      expect(await row.count()).toBe(0);
      await shot(page, 'sla-03-queue-overdue-filter');
      // Reloading the address keeps the filter.
      await page.reload();
      await page.getByTestId('queue-empty').waitFor();
      expect(await page.getByTestId('queue-sla-filter').inputValue()).toBe('overdue');
      // The team filter: the complaint is in no team yet, so the technical team's queue is empty.
      await page.getByTestId('queue-sla-filter').selectOption('');
      await row.waitFor();
      const teamFilter = page.getByTestId('filter-team');
      await teamFilter.locator('option', { hasText: TEAM }).waitFor({ state: 'attached' });
      listed = page.waitForResponse((r) => r.url().includes('/api/v1/complaints?') && !!new URL(r.url()).searchParams.get('teamId'));
      await teamFilter.selectOption({ label: TEAM });
      await expectStatus(listed, 200);
      await page.waitForURL((url) => !!url.searchParams.get('teamId'));
      await page.getByTestId('queue-empty').waitFor();
      await shot(page, 'sla-03b-queue-team-filter');
      await teamFilter.selectOption('');
      await row.waitFor();

      await openComplaint(page);
      for (const kind of ['acknowledgement', 'resolution', 'negotiation'] as const) {
        const clock = page.getByTestId(`clock-${kind}`);
        await clock.waitFor();
        expect(await clock.getAttribute('data-state'), kind).toBe('running');
        expect(await clock.getAttribute('data-level'), kind).toBe('ok');
        expect(await clock.innerText()).toContain(CLOCK_NAMES[kind]);
        expect(await page.getByTestId(`clock-${kind}-countdown`).innerText()).toMatch(COUNTDOWN_VI);
        expect(await page.getByTestId(`clock-${kind}-due`).innerText()).toMatch(DATE_TIME);
        expect(await page.getByTestId(`clock-${kind}-badge`).innerText()).toContain('Đúng tiến độ');
      }
      expect(await page.getByTestId('clock-next_response').count()).toBe(0);
      expect(await page.getByTestId('clock-manual').count()).toBe(0);
      const mode = page.getByTestId('working-time-mode');
      expect(await mode.getAttribute('data-mode')).toBe('business-hours');
      expect(await mode.innerText()).toContain('48 giờ làm việc = giờ hành chính');
      await shot(page, 'sla-04-complaint-clocks');

      // The agent takes the complaint (so that reminders reach them later).
      const assigned = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/assign`));
      await page.getByTestId('assign-me').click();
      await expectStatus(assigned, 200);
      await page.getByTestId('assign-message').waitFor();

      // A contact needs a summary; the error sits next to the input.
      await page.getByTestId('contact-method').selectOption('call');
      await page.getByTestId('contact-submit').click();
      await page.getByTestId('error-contact-summary').waitFor();
      expect(await page.getByTestId('error-contact-summary').innerText()).toContain('Vui lòng nhập nội dung trao đổi');

      // Logging the call stops the acknowledgement clock in time: met.
      await page.getByTestId('contact-summary').fill(CONTACT_SUMMARY);
      const contacted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/contacts`));
      await page.getByTestId('contact-submit').click();
      await expectStatus(contacted, 201);
      await page.getByTestId('contact-message').waitFor();
      const ack = page.locator('[data-testid="clock-acknowledgement"][data-state="met"]');
      await ack.waitFor();
      expect(await ack.getAttribute('data-level')).toBe('met');
      expect(await page.getByTestId('clock-acknowledgement-badge').innerText()).toContain('Đã đáp ứng');
      expect(await page.getByTestId('clock-acknowledgement-countdown').innerText()).toMatch(/^Đáp ứng lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      // The other clocks keep running.
      expect(await page.getByTestId('clock-resolution').getAttribute('data-state')).toBe('running');
      expect(await page.getByTestId('clock-negotiation').getAttribute('data-state')).toBe('running');
      // The first contact also acknowledged the complaint.
      await page.locator('[data-testid="status-value"][data-status="acknowledged"]').waitFor();
      const contactEvent = page.locator('[data-testid="timeline-event"][data-type="contact.logged"]');
      await contactEvent.waitFor();
      expect(await contactEvent.innerText()).toContain('Ghi nhận liên hệ');
      expect(await contactEvent.getByTestId('timeline-contact-method').innerText()).toBe('Gọi điện');
      expect(await contactEvent.getByTestId('timeline-contact-summary').innerText()).toBe(CONTACT_SUMMARY);
      expect(await contactEvent.getByTestId('timeline-clocks').innerText()).toContain('Phản hồi tiếp nhận: dừng');

      // A manual due date in the past is refused next to its input; one in the future adds a clock.
      // Typed the Vietnamese way: the date day first, the time on 24 hours ("10h" is 10:00).
      const input = page.getByTestId('due-date-input');
      const time = page.getByTestId('due-date-input-time');
      // A day that does not exist is refused at the field, not sent as "no date".
      let asked = 0;
      const countDue = (r: { url: () => string }) => {
        if (r.url().endsWith(`/api/v1/complaints/${code}/due-date`)) asked += 1;
      };
      page.on('request', countDue);
      await input.fill('31/02/2027');
      await time.fill('10:00');
      await time.blur();
      await page.getByTestId('due-date-submit').click();
      await page.getByTestId('error-due-date').waitFor();
      await page.getByTestId('format-error-due-date').waitFor();
      expect(asked).toBe(0);
      page.off('request', countDue);
      await input.fill(vietnamDateText(-1));
      await time.fill('10h');
      let dueSet = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/due-date`));
      await page.getByTestId('due-date-submit').click();
      await expectStatus(dueSet, 422);
      await page.getByTestId('error-due-date').waitFor();
      expect(await page.getByTestId('error-due-date').innerText()).toContain('tương lai');
      expect(await page.getByTestId('clock-manual').count()).toBe(0);

      const dueDay = vietnamDate(10);
      await input.fill(vietnamDateText(10));
      await time.fill('16:00');
      dueSet = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${code}/due-date`));
      await page.getByTestId('due-date-submit').click();
      await expectStatus(dueSet, 200);
      const manual = page.locator('[data-testid="clock-manual"][data-state="running"]');
      await manual.waitFor();
      const [y, m, d] = dueDay.split('-');
      expect(await page.getByTestId('clock-manual-due').innerText()).toBe(`${d}/${m}/${y} 16:00`);
      expect(await manual.innerText()).toContain('Hạn thủ công');
      await page.getByTestId('error-due-date').waitFor({ state: 'detached' });
      const dueEvent = page.locator('[data-testid="timeline-event"][data-type="due_date.set"]');
      await dueEvent.waitFor();
      expect(await dueEvent.innerText()).toContain(`${d}/${m}/${y} 16:00`);
      await shot(page, 'sla-05-complaint-contact-logged');
    } finally {
      await context.close();
    }
  });

  it('3. the customer sees the promised dates and sends more information', async () => {
    expect(code).toMatch(CODE_PATTERN);
    const { context, page } = await newPage();
    try {
      await customerLookup(page);

      const ack = page.getByTestId('promise-acknowledgement');
      expect(await ack.getAttribute('data-state')).toBe('met');
      expect(await ack.getAttribute('data-outcome')).toBe('kept');
      expect(await ack.innerText()).toMatch(/Trước \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      expect(await page.getByTestId('promise-acknowledgement-outcome').innerText()).toContain('Đúng hẹn');
      const resolution = page.getByTestId('promise-resolution');
      expect(await resolution.getAttribute('data-state')).toBe('running');
      expect(await resolution.getAttribute('data-outcome')).toBe('pending');
      expect(await resolution.innerText()).toMatch(/Trước \d{2}\/\d{2}\/\d{4} 17:00/);
      expect(await page.getByTestId('promise-resolution-outcome').innerText()).toContain('Đang thực hiện');
      const contacted = page.locator('[data-testid="timeline-event"][data-type="contact.logged"]');
      expect(await contacted.innerText()).toContain('Chúng tôi đã liên hệ với bạn qua điện thoại');
      // What the agent wrote about the call stays internal.
      expect(await page.getByTestId('lookup-result').innerText()).not.toContain(CONTACT_SUMMARY);
      await shot(page, 'sla-06-portal-promises');

      // An empty message is refused next to its box.
      await page.getByTestId('message-submit').click();
      await page.getByTestId('error-message').waitFor();

      await page.getByTestId('message-input').fill(CUSTOMER_MESSAGE);
      const sent = page.waitForResponse((r) => r.url().endsWith(`/api/v1/portal/complaints/${code}/messages`));
      await page.getByTestId('message-submit').click();
      await expectStatus(sent, 201);
      await page.getByTestId('message-sent').waitFor();
      const own = page.locator('[data-testid="timeline-event"][data-type="message.received"]');
      await own.waitFor();
      expect(await own.innerText()).toContain('Bạn đã gửi thêm thông tin');
      expect(await own.getByTestId('public-message').innerText()).toBe(CUSTOMER_MESSAGE);
      expect(await page.getByTestId('message-input').inputValue()).toBe('');
      await shot(page, 'sla-07-portal-message-sent');
    } finally {
      await context.close();
    }
  });

  it('4. the message appears on the agent timeline and starts the next-response clock', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT, `/staff/complaints/${code}`);
      await page.getByTestId('complaint-detail').waitFor();
      const message = page.locator('[data-testid="timeline-event"][data-type="message.received"]');
      await message.waitFor();
      expect(await message.innerText()).toContain('Tin nhắn của khách hàng');
      expect(await message.getByTestId('timeline-message').innerText()).toBe(CUSTOMER_MESSAGE);
      // Written by the customer, through the portal.
      expect(await message.innerText()).toContain(`${CUSTOMER.name} · qua Cổng khách hàng`);
      const next = page.getByTestId('clock-next_response');
      expect(await next.getAttribute('data-state')).toBe('running');
      expect(await page.getByTestId('clock-next_response-countdown').innerText()).toMatch(COUNTDOWN_VI);

      // The countdowns follow the language; the state words too.
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      expect(await page.getByTestId('clock-resolution-countdown').innerText()).toMatch(/^\d.* left$/);
      expect(await page.getByTestId('clock-acknowledgement-badge').innerText()).toContain('Met');
      expect(await page.getByTestId('working-time-mode').innerText()).toContain('48 working hours = business hours');
      await shot(page, 'sla-08-complaint-english');
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="vi"]').waitFor({ state: 'attached' });
      expect(await page.getByTestId('clock-resolution-countdown').innerText()).toMatch(COUNTDOWN_VI);
    } finally {
      await context.close();
    }
  });

  it('5. an admin checks the calendar, adds a company day off, and open deadlines are recomputed', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, ADMIN);
      await page.getByTestId('nav-admin-calendar').click();
      await page.waitForURL('**/staff/admin/calendar');
      const picker = page.getByTestId('year-picker');
      await picker.waitFor();

      async function showYear(year: string): Promise<void> {
        if ((await picker.inputValue()) === year) return;
        const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/admin/calendar/years/${year}`));
        await picker.fill(year);
        await expectStatus(loaded, 200);
        await page.locator(`[data-testid="year-view"][data-year="${year}"]`).waitFor();
      }

      // Tết 2026 (Decision of the Prime Minister): 17/02/2026 is a holiday.
      await showYear('2026');
      expect(await page.getByTestId('day-2026-02-17').getAttribute('data-kind')).toBe('holiday');
      await page.getByTestId('official-year').waitFor();
      await shot(page, 'sla-09-admin-calendar-2026');

      // 2027 has no decision yet: computed by rule and flagged provisional.
      await showYear('2027');
      await page.getByTestId('provisional-banner').waitFor();
      expect(await page.getByTestId('provisional-banner').innerText()).toContain('tạm tính');

      // The next working day becomes a company day off: it lies inside the running resolution clock.
      let dayOff = '';
      for (let i = 1; i <= 30 && !dayOff; i++) {
        const candidate = vietnamDate(i);
        await showYear(candidate.slice(0, 4));
        if ((await page.getByTestId(`day-${candidate}`).getAttribute('data-kind')) === 'working') dayOff = candidate;
      }
      expect(dayOff, 'a working day within the next 30 days').not.toBe('');
      await page.getByTestId('off-new-date').fill(`${dayOff.slice(8, 10)}/${dayOff.slice(5, 7)}/${dayOff.slice(0, 4)}`);
      await page.getByTestId('off-new-note').fill('Ngày hội công ty (e2e)');
      await page.getByTestId('off-add').click();
      await page.locator(`[data-testid="off-item"][data-date="${dayOff}"]`).waitFor();
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/calendar') && r.request().method() === 'PUT');
      await page.getByTestId('save-calendar').click();
      await expectStatus(saved, 200);
      const result = page.getByTestId('calendar-result');
      await result.waitFor();
      const match = /Đã tính lại hạn của (\d+) khiếu nại/.exec(await result.innerText());
      expect(match, await result.innerText()).not.toBeNull();
      expect(Number(match![1])).toBeGreaterThanOrEqual(1);
      // The year view now shows the day as the company's own day off.
      await showYear(dayOff.slice(0, 4));
      await page.locator(`[data-testid="day-${dayOff}"][data-kind="company-off"]`).waitFor();
      await shot(page, 'sla-10-admin-calendar-saved');

      // The complaint's timeline says its deadlines moved, and why.
      await openComplaint(page);
      const recomputed = page.locator('[data-testid="timeline-event"][data-type="sla.recomputed"]');
      await recomputed.waitFor();
      expect(await recomputed.innerText()).toContain('Do lịch làm việc thay đổi');
      expect(await recomputed.getByTestId('timeline-recomputed').innerText()).toContain('Giải quyết:');
      await shot(page, 'sla-11-complaint-recomputed');
    } finally {
      await context.close();
    }
  });

  it('6. on a 390×844 phone the clocks fit the screen', async () => {
    const { context, page } = await newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      await logIn(page, AGENT, `/staff/complaints/${code}`);
      await page.getByTestId('complaint-detail').waitFor();
      await page.getByTestId('clock-list').waitFor();
      await expectNoHorizontalOverflow(page);
      for (const kind of ['acknowledgement', 'next_response', 'resolution', 'negotiation', 'manual']) {
        const clock = page.getByTestId(`clock-${kind}`);
        await clock.scrollIntoViewIfNeeded();
        expect(await clock.isVisible(), kind).toBe(true);
        const box = await clock.boundingBox();
        expect(box, kind).not.toBeNull();
        expect(box!.x, kind).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, kind).toBeLessThanOrEqual(390);
      }
      await page.getByTestId('due-date-input').scrollIntoViewIfNeeded();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'sla-12-phone-complaint');
      await page.getByTestId('deadlines-panel').screenshot({ path: path.join(ARTIFACTS, 'sla-12b-phone-clocks.png'), scale: 'css' });
    } finally {
      await context.close();
    }
  });

  it('7. SLA reminders reach the agent through the bell', async () => {
    // The SLA sweep, run as if two months had passed: every running clock of the complaint is late.
    const swept = await runSlaSweep({
      database: e2e.database,
      baseUrl: e2e.baseUrl,
      mailDomain: 'sen.test',
      now: new Date(Date.now() + 60 * 24 * 3_600_000),
    });
    expect(swept.alerts).toBeGreaterThanOrEqual(1);

    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT);
      const count = page.getByTestId('notifications-count');
      await page.locator('[data-testid="notifications-count"]:not([data-count="0"])').waitFor();
      const unread = Number(await count.getAttribute('data-count'));
      expect(unread).toBeGreaterThanOrEqual(1);
      expect(await count.innerText()).toBe(String(unread));
      expect(await page.getByTestId('notifications-bell').getAttribute('aria-label')).toBe(`Thông báo: ${unread} chưa đọc`);

      await page.getByTestId('notifications-bell').click();
      await page.waitForURL('**/staff/notifications');
      const items = page.locator(`[data-testid="notification"][data-code="${code}"]`);
      await items.first().waitFor();
      expect(await items.count()).toBe(unread);
      expect(await page.locator('[data-testid="notification"][data-read="false"]').count()).toBe(unread);
      const first = await items.first().innerText();
      expect(first).toContain('đã quá hạn');
      expect(first).toContain(CUSTOMER.subject);
      expect(first).toContain(code);
      await shot(page, 'sla-13-notifications');
    } finally {
      await context.close();
    }
  });

  it('8. one notification can be marked read', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT, '/staff/notifications');
      await page.locator('[data-testid="notifications-count"]:not([data-count="0"])').waitFor();
      const unread = Number(await page.getByTestId('notifications-count').getAttribute('data-count'));
      const item = page.locator('[data-testid="notification"][data-read="false"]').first();
      await item.waitFor();
      const id = await item.getAttribute('data-id');
      const read = page.waitForResponse((r) => r.url().endsWith(`/api/v1/notifications/${id}/read`));
      await item.getByTestId('notification-read').click();
      const answer = await read;
      await expectStatus(Promise.resolve(answer), 200);
      await page.locator(`[data-testid="notification"][data-id="${id}"][data-read="true"]`).waitFor();
      await page.locator(`[data-testid="notifications-count"][data-count="${unread - 1}"]`).waitFor({ state: 'attached' });
    } finally {
      await context.close();
    }
  });

  it('9. all notifications can be marked read, and each leads to its complaint', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, AGENT, '/staff/notifications');
      const items = page.locator(`[data-testid="notification"][data-code="${code}"]`);
      await items.first().waitFor();
      if ((await page.locator('[data-testid="notification"][data-read="false"]').count()) > 0) {
        const all = page.waitForResponse((r) => r.url().endsWith('/api/v1/notifications/read-all'));
        await page.getByTestId('notifications-read-all').click();
        await expectStatus(all, 200);
      }
      await page.locator('[data-testid="notifications-count"][data-count="0"]').waitFor({ state: 'attached' });
      expect(await page.getByTestId('notifications-count').isVisible()).toBe(false);
      expect(await page.getByTestId('notifications-bell').getAttribute('aria-label')).toBe('Thông báo');
      expect(await page.locator('[data-testid="notification"][data-read="false"]').count()).toBe(0);
      expect(await page.getByTestId('notifications-unread').innerText()).toBe('0 chưa đọc');
      await shot(page, 'sla-14-notifications-read');

      // Each notification leads to its complaint, where the breach is on the timeline.
      await items.first().getByTestId('notification-link').click();
      await page.waitForURL(`**/staff/complaints/${code}`);
      const breach = page.locator('[data-testid="timeline-event"][data-type="sla.breached"]');
      await breach.first().waitFor();
      expect(await breach.first().innerText()).toMatch(/đã quá hạn \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      await shot(page, 'sla-15-complaint-breach-events');
    } finally {
      await context.close();
    }
  });

  it('10. no page threw an uncaught error', () => {
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
