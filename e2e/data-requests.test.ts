/**
 * Data-subject requests (Decree 356/2025) end to end: an admin opens "Yêu cầu về dữ liệu cá nhân" from the
 * console's "Quản trị" menu; a contact that is neither a phone number nor an email is refused beside its
 * field and nothing is registered; the corrected request is registered, listed with its reference
 * YC-xxxxxx and its two deadlines as dd/MM/yyyy HH:mm in Vietnam time (the same instants the API gives);
 * the first reply is recorded with its note, after which the page no longer offers it. On a phone the
 * page does not scroll sideways.
 *
 * Same setup as the other e2e files: the real server in-process (embedded in-memory PGlite, Fastify
 * serving the web app built privately for this file), driven with headless Chromium through
 * playwright-core. Screenshots go to artifacts/e2e/ (data-requests.png, data-requests-phone.png).
 */
import { describe, expect, it } from 'vitest';
import type { DataRequest } from '../web/src/personal-data-types';
import { addStaffUser } from '../src/commands/staff-accounts';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e } from './harness';

const ADMIN = { email: 'admin.data-requests@sen.test', name: 'Lê Minh Tuấn', password: 'mat-khau-admin-2024' };
const REQUESTER = { name: 'Trần Văn Bình', email: 'binh.tran@khach.vn' };
const REPLY_NOTE = 'Đã gửi email xác nhận đã nhận yêu cầu, hẹn gửi bản sao dữ liệu trong 15 ngày.';


/** An instant as Vietnam wall time (UTC+7 all year), dd/MM/yyyy HH:mm, computed apart from the page's own code. */
function vietnamDateTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

describe('personal data: the data-requests page registers a request, shows its deadlines and records the reply', () => {
  const e2e = useE2e({
    privateWebBuild: 'data-requests',
    seed: async (database) => {
      await addStaffUser({ database, role: 'admin', ...ADMIN });
    },
  });
  const { newPage, logIn, pageErrors, consoleErrors } = e2e;

  it('an admin registers an access request (a bad contact refused beside its field), sees its deadlines and records the reply', async () => {
    const { context, page } = await newPage();
    /** Every request, straight from the API with the admin's session. */
    const apiRequests = async (): Promise<DataRequest[]> => {
      const r = await context.request.get('/api/v1/data-requests?status=all');
      expect(r.status(), await r.text()).toBe(200);
      return ((await r.json()) as { items: DataRequest[] }).items;
    };
    const isList = (r: { url(): string; request(): { method(): string } }) =>
      r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/data-requests';
    const isCreate = (r: { url(): string; request(): { method(): string } }) =>
      r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/data-requests';
    try {
      await logIn(page, ADMIN);

      // From the staff console: the "Quản trị" menu holds the entry.
      await page.getByTestId('nav-admin-menu-toggle').click();
      const entry = page.getByTestId('nav-data-requests');
      expect(await entry.innerText()).toBe('Yêu cầu về dữ liệu cá nhân');
      const listed = page.waitForResponse(isList);
      await entry.click();
      await page.waitForURL((url) => url.pathname === '/staff/yeu-cau-du-lieu');
      await expectStatus(listed, 200);
      await page.getByTestId('data-requests-page').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Yêu cầu về dữ liệu cá nhân');
      await page.getByTestId('data-requests-empty').waitFor();

      // The form opens from its button.
      const open = page.getByTestId('data-request-new');
      expect(await open.getAttribute('aria-expanded')).toBe('false');
      await open.click();
      const form = page.getByTestId('data-request-form');
      await form.waitFor();
      expect(await open.getAttribute('aria-expanded')).toBe('true');
      await page.getByTestId('dr-name').fill(REQUESTER.name);
      await page.getByTestId('dr-kind').selectOption({ label: 'Xem/nhận bản sao dữ liệu' });
      await page.getByTestId('dr-channel').selectOption({ label: 'Email' });
      expect(await page.getByTestId('dr-kind').inputValue()).toBe('access');
      expect(await page.getByTestId('dr-channel').inputValue()).toBe('email');

      // A contact that is neither a phone number nor an email: refused beside the field, nothing registered.
      const contact = page.getByTestId('dr-contact');
      await contact.fill('123');
      const refused = page.waitForResponse(isCreate);
      await page.getByTestId('dr-submit').click();
      await expectStatus(refused, 422);
      const contactError = page.getByTestId('error-dr-contact');
      await contactError.waitFor();
      expect(await contactError.innerText()).toContain('Số điện thoại không hợp lệ');
      // Beside the contact field: in its own field block, and named by the input as its description.
      expect(await contactError.evaluate((el) => el.closest('.field')?.querySelector('input')?.id)).toBe('dr-contact');
      expect(await contact.getAttribute('aria-invalid')).toBe('true');
      expect((await contact.getAttribute('aria-describedby'))?.split(' ')).toContain('dr-contact-error');
      expect(await page.getByTestId('error-dr-name').count()).toBe(0);
      expect(await page.getByTestId('error-summary').innerText()).toContain('Số điện thoại không hợp lệ');
      await form.waitFor(); // still open, with what was typed
      expect(await page.getByTestId('dr-name').inputValue()).toBe(REQUESTER.name);
      expect(await page.getByTestId('data-request-created').count()).toBe(0);
      expect(await page.getByTestId('data-request').count()).toBe(0);
      expect(await apiRequests()).toEqual([]);

      // Corrected to an email, it is registered and the list reloads with it.
      await contact.fill(REQUESTER.email);
      const created = page.waitForResponse(isCreate);
      const reloaded = page.waitForResponse(isList);
      await page.getByTestId('dr-submit').click();
      const made = (await (await expectStatus(created, 201)).json()) as DataRequest;
      await expectStatus(reloaded, 200);
      expect(made.ref).toMatch(/^YC-\d{6}$/);
      await form.waitFor({ state: 'detached' });
      expect(await page.getByTestId('data-request-created').innerText()).toContain(`Đã ghi nhận yêu cầu ${made.ref}.`);

      const [stored] = await apiRequests();
      expect(stored).toMatchObject({
        id: made.id,
        ref: made.ref,
        kind: 'access',
        channel: 'email',
        requesterName: REQUESTER.name,
        contact: REQUESTER.email,
        status: 'open',
        repliedAt: null,
      });
      expect(await apiRequests()).toHaveLength(1);

      const card = page.locator(`[data-testid="data-request"][data-ref="${made.ref}"]`);
      await card.waitFor();
      expect(await page.getByTestId('data-request').count()).toBe(1);
      expect(await card.getAttribute('data-status')).toBe('open');
      const title = await card.getByRole('heading', { level: 2 }).innerText();
      expect(title).toContain(made.ref);
      expect(title).toContain('Xem/nhận bản sao dữ liệu');
      const cardText = await card.innerText();
      expect(cardText).toContain(REQUESTER.name);
      expect(cardText).toContain(REQUESTER.email);
      expect(await card.getByTestId('data-request-status').innerText()).toBe('Đang xử lý');

      // Both deadlines as dd/MM/yyyy HH:mm, the API's instants in Vietnam time.
      const replyDue = card.getByTestId('data-request-reply-due').locator('time');
      const due = card.getByTestId('data-request-due').locator('time');
      expect(await replyDue.innerText()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      expect(await replyDue.innerText()).toBe(vietnamDateTime(stored.replyDueAt));
      expect(await replyDue.getAttribute('datetime')).toBe(stored.replyDueAt);
      expect(await due.innerText()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      expect(await due.innerText()).toBe(vietnamDateTime(stored.dueAt));
      expect(await due.getAttribute('datetime')).toBe(stored.dueAt);
      expect(Date.parse(stored.replyDueAt)).toBeGreaterThan(Date.parse(stored.receivedAt));
      expect(Date.parse(stored.dueAt)).toBeGreaterThan(Date.parse(stored.replyDueAt));
      expect(await card.locator('[data-overdue="true"]').count()).toBe(0);
      await shot(page, 'data-requests');

      // The first reply, with its note.
      const replyButton = card.getByTestId('data-request-reply');
      expect(await replyButton.innerText()).toBe('Ghi nhận phản hồi');
      await replyButton.click();
      const replyForm = card.getByTestId('data-request-reply-form');
      await replyForm.waitFor();
      await replyForm.getByTestId('data-request-reply-note').fill(REPLY_NOTE);
      const replied = page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/data-requests/${made.id}/reply`,
      );
      await replyForm.getByTestId('data-request-reply-submit').click();
      const afterReply = (await (await expectStatus(replied, 200)).json()) as DataRequest;
      expect(afterReply.repliedAt).not.toBeNull();
      expect(afterReply.replyNote).toBe(REPLY_NOTE);

      // Recorded: said so, the note and the time shown, and the reply no longer offered.
      await replyForm.waitFor({ state: 'detached' });
      expect(await card.getByTestId('data-request-message').innerText()).toBe(`Đã ghi nhận phản hồi cho yêu cầu ${made.ref}.`);
      expect(await card.getByTestId('data-request-reply').count()).toBe(0);
      expect(await card.getByTestId('data-request-close').count()).toBe(1);
      expect(await card.innerText()).toContain(REPLY_NOTE);
      expect(await card.getByTestId('data-request-reply-due').innerText()).toContain(`Đã phản hồi lúc ${vietnamDateTime(afterReply.repliedAt!)}`);
      const [afterApi] = await apiRequests();
      expect(afterApi).toMatchObject({ id: made.id, status: 'open', repliedAt: afterReply.repliedAt, replyNote: REPLY_NOTE });
      expect(await card.getByTestId('data-request-reply-due').locator('time').innerText()).toBe(vietnamDateTime(afterApi.replyDueAt));

      // A phone: nothing sticks out sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await card.waitFor();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'data-requests-phone');
    } finally {
      await context.close();
    }
    // The 422 above is logged by the browser as a failed resource; nothing may have thrown.
    if (consoleErrors.length) console.warn(`browser console errors:\n${consoleErrors.join('\n')}`);
    expect(pageErrors).toEqual([]);
  });
});
