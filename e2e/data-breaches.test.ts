/**
 * Personal-data breaches (Law 91/2025) end to end: an admin opens "Sự cố dữ liệu cá nhân" from the console's
 * "Quản trị" menu; a breach sent without its description is refused beside that field and nothing is
 * recorded; the completed breach (discovered three hours ago, typed as Vietnam wall time) is recorded and
 * listed with its reference SC-xxxxxx and its notice deadline to A05 as dd/MM/yyyy HH:mm in Vietnam time,
 * the very instant the API gives (72 hours after discovery); the notice is recorded with its reference,
 * after which the card says "Đã thông báo lúc … (số: …)" and no longer offers it. Every admin's
 * notification about the breach links to the page. On a phone the page does not scroll sideways.
 *
 * Same setup as the other e2e files: the real server in-process (embedded in-memory PGlite, Fastify
 * serving the web app built privately for this file), driven with headless Chromium through
 * playwright-core. Screenshots go to artifacts/e2e/ (data-breaches.png, data-breaches-phone.png).
 */
import { describe, expect, it } from 'vitest';
import type { DataBreach } from '../web/src/personal-data-types';
import { addStaffUser } from '../src/commands/staff-accounts';
import { runDataRequestSweep } from '../src/jobs/data-requests-sweep';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e } from './harness';

const ADMIN = { email: 'admin.data-breaches@sen.test', name: 'Phạm Thu Hà', password: 'mat-khau-admin-2024' };
const BREACH = {
  description: 'Bảng tính danh sách khách hàng khiếu nại quý III bị gửi nhầm tới một địa chỉ email bên ngoài.',
  dataKinds: 'Họ tên, số điện thoại, nội dung khiếu nại',
  affectedCount: 1250,
  measures: 'Đã đề nghị người nhận xóa thư và xác nhận bằng văn bản; đã khóa quyền xuất dữ liệu của tài khoản liên quan.',
};
const NOTICE_REF = 'Mẫu 03, công văn số 12/CSKH';
const INTRO =
  'Sự cố lộ, mất dữ liệu cá nhân phải được thông báo cho Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), Bộ Công an, trong vòng 72 giờ kể từ khi phát hiện (Luật Bảo vệ dữ liệu cá nhân 2025).';


const VN_OFFSET_MS = 7 * 3_600_000;
const two = (n: number) => String(n).padStart(2, '0');

/** An instant as Vietnam wall time (UTC+7 all year), dd/MM/yyyy HH:mm, computed apart from the page's own code. */
function vietnamDateTime(iso: string | number): string {
  const d = new Date((typeof iso === 'number' ? iso : Date.parse(iso)) + VN_OFFSET_MS);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

describe('personal data: the data-breaches page records a breach, shows its 72-hour notice deadline and records the notice', () => {
  const e2e = useE2e({
    privateWebBuild: 'data-breaches',
    seed: async (database) => {
      await addStaffUser({ database, role: 'admin', ...ADMIN });
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('an admin records a breach (an empty description refused beside its field), sees its notice deadline and records the notice to A05', async () => {
    const { context, page } = await newPage();
    /** Every breach, straight from the API with the admin's session. */
    const apiBreaches = async (): Promise<DataBreach[]> => {
      const r = await context.request.get('/api/v1/data-breaches');
      expect(r.status(), await r.text()).toBe(200);
      return ((await r.json()) as { items: DataBreach[] }).items;
    };
    const isList = (r: { url(): string; request(): { method(): string } }) =>
      r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/data-breaches';
    const isCreate = (r: { url(): string; method(): string }) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/data-breaches';
    let creates = 0;
    page.on('request', (r) => {
      if (isCreate(r)) creates += 1;
    });
    try {
      await logIn(page, ADMIN);

      // From the staff console: the "Quản trị" menu holds the entry, right after the data requests.
      await page.getByTestId('nav-admin-menu-toggle').click();
      const entry = page.getByTestId('nav-data-breaches');
      expect(await entry.innerText()).toBe('Sự cố dữ liệu cá nhân');
      const menuIds = await page
        .getByTestId('nav-admin-menu')
        .locator('a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('data-testid')));
      expect(menuIds.indexOf('nav-data-breaches')).toBe(menuIds.indexOf('nav-data-requests') + 1);
      const listed = page.waitForResponse(isList);
      await entry.click();
      await page.waitForURL((url) => url.pathname === '/staff/su-co-du-lieu');
      await expectStatus(listed, 200);
      await page.getByTestId('data-breaches-page').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sự cố dữ liệu cá nhân');
      expect(await page.getByTestId('data-breaches-intro').innerText()).toBe(INTRO);
      await page.getByTestId('data-breaches-empty').waitFor();

      // The form opens from its button; the discovery time is now, in Vietnam time.
      const open = page.getByTestId('data-breach-new');
      expect(await open.getAttribute('aria-expanded')).toBe('false');
      await open.click();
      const form = page.getByTestId('data-breach-form');
      await form.waitFor();
      expect(await open.getAttribute('aria-expanded')).toBe('true');
      const discoveredDate = page.getByTestId('db-discovered');
      const discoveredTime = page.getByTestId('db-discovered-time');
      const shown = `${await discoveredDate.inputValue()} ${await discoveredTime.inputValue()}`;
      const justBefore = vietnamDateTime(Date.now() - 120_000);
      const justAfter = vietnamDateTime(Date.now() + 60_000);
      expect([justBefore, vietnamDateTime(Date.now() - 60_000), vietnamDateTime(Date.now()), justAfter]).toContain(shown);

      // No description: refused beside the field before anything is sent; nothing recorded.
      await page.getByTestId('db-kinds').fill(BREACH.dataKinds);
      await page.getByTestId('db-submit').click();
      const descriptionError = page.getByTestId('error-db-description');
      await descriptionError.waitFor();
      expect(await descriptionError.innerText()).toBe('Vui lòng mô tả sự cố.');
      // Beside the description: in its own field block, and named by the textarea as its description.
      expect(await descriptionError.evaluate((el) => el.closest('.field')?.querySelector('textarea')?.id)).toBe('db-description');
      const description = page.getByTestId('db-description');
      expect(await description.getAttribute('aria-invalid')).toBe('true');
      expect((await description.getAttribute('aria-describedby'))?.split(' ')).toContain('db-description-error');
      expect(await page.getByTestId('error-summary').innerText()).toContain('Vui lòng mô tả sự cố.');
      expect(await page.getByTestId('error-db-discovered').count()).toBe(0);
      await form.waitFor(); // still open, with what was typed
      expect(await page.getByTestId('db-kinds').inputValue()).toBe(BREACH.dataKinds);
      expect(creates).toBe(0);
      expect(await page.getByTestId('data-breach-created').count()).toBe(0);
      expect(await page.getByTestId('data-breach').count()).toBe(0);
      expect(await apiBreaches()).toEqual([]);

      // Completed, and discovered three hours ago (typed as Vietnam wall time): recorded, and the list reloads.
      const discoveredMs = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
      const [dateText, timeText] = vietnamDateTime(discoveredMs).split(' ');
      await discoveredDate.fill(dateText);
      await discoveredTime.fill(timeText);
      await description.fill(BREACH.description);
      await page.getByTestId('db-affected').fill(String(BREACH.affectedCount));
      await page.getByTestId('db-measures').fill(BREACH.measures);
      const created = page.waitForResponse((r) => isCreate(r.request()));
      const reloaded = page.waitForResponse(isList);
      await page.getByTestId('db-submit').click();
      const made = (await (await expectStatus(created, 201)).json()) as DataBreach;
      await expectStatus(reloaded, 200);
      expect(creates).toBe(1);
      expect(made.ref).toMatch(/^SC-\d{6}$/);
      expect(made.discoveredAt).toBe(new Date(discoveredMs).toISOString());
      expect(Date.parse(made.noticeDueAt) - Date.parse(made.discoveredAt)).toBe(72 * 3_600_000);
      await form.waitFor({ state: 'detached' });
      expect(await page.getByTestId('data-breach-created').innerText()).toBe(
        `Đã ghi nhận sự cố ${made.ref}. Cần thông báo cho A05 trước ${vietnamDateTime(made.noticeDueAt)}.`,
      );

      const [stored] = await apiBreaches();
      expect(stored).toMatchObject({
        id: made.id,
        ref: made.ref,
        discoveredAt: made.discoveredAt,
        noticeDueAt: made.noticeDueAt,
        ...BREACH,
        status: 'open',
        notifiedAt: null,
        noticeRef: null,
        noticeOverdue: false,
      });
      expect(await apiBreaches()).toHaveLength(1);

      const card = page.locator(`[data-testid="data-breach"][data-ref="${made.ref}"]`);
      await card.waitFor();
      expect(await page.getByTestId('data-breach').count()).toBe(1);
      expect(await card.getAttribute('data-status')).toBe('open');
      expect(await card.getAttribute('data-notified')).toBe('false');
      expect(await card.getByRole('heading', { level: 2 }).innerText()).toContain(made.ref);
      expect(await card.getByTestId('data-breach-status').innerText()).toBe('Đang xử lý');
      expect(await card.getByTestId('data-breach-description').innerText()).toContain(BREACH.description);
      expect(await card.getByTestId('data-breach-measures').innerText()).toContain(BREACH.measures);
      const data = await card.getByTestId('data-breach-data').innerText();
      expect(data).toContain(BREACH.dataKinds);
      expect(data).toContain('1.250 người');

      // Discovery and the notice deadline as dd/MM/yyyy HH:mm: the API's instants in Vietnam time.
      const discovered = card.getByTestId('data-breach-discovered').locator('time');
      expect(await discovered.innerText()).toBe(vietnamDateTime(stored.discoveredAt));
      const due = card.getByTestId('data-breach-notice-due').locator('time');
      expect(await due.innerText()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      expect(await due.innerText()).toBe(vietnamDateTime(stored.noticeDueAt));
      expect(await due.getAttribute('datetime')).toBe(stored.noticeDueAt);
      expect(await card.getByTestId('data-breach-notice-due').innerText()).toContain('Chưa thông báo');
      expect(await card.locator('[data-overdue="true"]').count()).toBe(0);
      expect(await card.getByTestId('data-breach-notified').count()).toBe(0);
      await shot(page, 'data-breaches');

      // Every admin is told at once (the sweep runs in the background; here, right away).
      await runDataRequestSweep(e2e.database);

      // The notice to A05, with the reference of what was sent.
      const noticeButton = card.getByTestId('data-breach-notice');
      expect(await noticeButton.innerText()).toBe('Ghi nhận đã thông báo A05');
      await noticeButton.click();
      const noticeForm = card.getByTestId('data-breach-notice-form');
      await noticeForm.waitFor();
      await noticeForm.getByTestId('data-breach-notice-ref').fill(NOTICE_REF);
      const notified = page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/data-breaches/${made.id}/notice`,
      );
      await noticeForm.getByTestId('data-breach-notice-submit').click();
      const afterNotice = (await (await expectStatus(notified, 200)).json()) as DataBreach;
      expect(afterNotice.notifiedAt).not.toBeNull();
      expect(afterNotice.noticeRef).toBe(NOTICE_REF);
      expect(afterNotice.noticeOverdue).toBe(false);

      // Recorded: said so, the time and reference shown, and the notice no longer offered.
      await noticeForm.waitFor({ state: 'detached' });
      expect(await card.getByTestId('data-breach-message').innerText()).toBe(`Đã ghi nhận thông báo A05 cho sự cố ${made.ref}.`);
      expect(await card.getByTestId('data-breach-notice').count()).toBe(0);
      expect(await card.getByTestId('data-breach-close').count()).toBe(1);
      expect(await card.getAttribute('data-notified')).toBe('true');
      expect(await card.getByTestId('data-breach-notified').innerText()).toBe(
        `Đã thông báo lúc ${vietnamDateTime(afterNotice.notifiedAt!)} (số: ${NOTICE_REF})`,
      );
      expect(await card.getByTestId('data-breach-notice-due').innerText()).not.toContain('Chưa thông báo');
      const [afterApi] = await apiBreaches();
      expect(afterApi).toMatchObject({ id: made.id, status: 'open', notifiedAt: afterNotice.notifiedAt, noticeRef: NOTICE_REF });
      expect(await due.innerText()).toBe(vietnamDateTime(afterApi.noticeDueAt));

      // A phone: nothing sticks out sideways, the new-breach form included.
      await page.setViewportSize({ width: 390, height: 844 });
      await card.waitFor();
      await expectNoHorizontalOverflow(page);
      await open.click();
      await form.waitFor();
      await expectNoHorizontalOverflow(page);
      await open.click();
      await form.waitFor({ state: 'detached' });
      await expectNoHorizontalOverflow(page);
      await shot(page, 'data-breaches-phone');
      await page.setViewportSize({ width: 1280, height: 900 });

      // The admin's notification about the breach: urgent, worded with its deadline, and leading to the page.
      await page.goto('/staff/notifications');
      const notice = page.locator('[data-testid="notification"][data-kind="data_breach.recorded"]');
      await notice.waitFor();
      expect(await notice.count()).toBe(1);
      expect(await notice.getAttribute('class')).toContain('notification-breached');
      expect(await notice.innerText()).toContain(`Sự cố ${made.ref} cần thông báo cho A05 trước ${vietnamDateTime(made.noticeDueAt)}.`);
      const link = notice.getByTestId('notification-link');
      expect(await link.getAttribute('href')).toBe('/staff/su-co-du-lieu');
      await link.click();
      await page.waitForURL((url) => url.pathname === '/staff/su-co-du-lieu');
      await page.locator(`[data-testid="data-breach"][data-ref="${made.ref}"]`).waitFor();
    } finally {
      await context.close();
    }
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
