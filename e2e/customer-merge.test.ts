/**
 * Gộp hồ sơ trùng end to end: one person called the hotline (a record by phone) and wrote later (a record by email). A
 * supervisor on the first record names the second by one of its complaint codes and merges it: both complaints are listed
 * here and the record shows the email; the old record says where it went and links there. An agent sees no merge form.
 *
 * Same setup as reminders.test.ts (in-process server, in-memory PGlite, headless Chromium). Screenshots go to
 * artifacts/e2e/ (prefixed customer-merge-).
 */
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import type { Database } from '../src/db/open';
import { randomPhone, seedComplaint } from '../test/factories';
import { expectNoHorizontalOverflow, expectStatus, shot, useE2e } from './harness';

const LEAD = { email: 'lan.giamsat@sen.test', name: 'Hoàng Thị Lan', password: 'mat-khau-lan-2024' };
const AGENT = { email: 'son.cskh@sen.test', name: 'Vũ Văn Sơn', password: 'mat-khau-son-2024' };
const EMAIL = 'kim.anh.pham@khach.vn';

describe('merging duplicate customer records (gộp hồ sơ)', () => {
  let database: Database | undefined;
  let byPhone = { code: '', customer: '' };
  let byMail = { code: '', customer: '' };
  const { newPage, logIn, pageErrors, consoleErrors } = useE2e({
    seed: async (db) => {
      database = db;
      await addStaffUser({ database: db, role: 'supervisor', ...LEAD });
      await addStaffUser({ database: db, role: 'agent', ...AGENT });
      const customerOf = async (code: string) => (await db.pool.query<{ customer_id: string }>('select customer_id from complaints where code = $1', [code])).rows[0].customer_id;
      const a = await seedComplaint(db, { channel: 'hotline', input: { subject: 'Lò vi sóng phát tia lửa', customer: { name: 'Phạm Kim Anh', phone: randomPhone() } } });
      const b = await seedComplaint(db, { channel: 'email', input: { subject: 'Vẫn chưa ai gọi lại cho tôi', customer: { name: 'Kim Anh', email: EMAIL } } });
      byPhone = { code: a.code, customer: await customerOf(a.code) };
      byMail = { code: b.code, customer: await customerOf(b.code) };
    },
  });

  it('a supervisor merges the record by email into the one by phone; the old record points to the one in use', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, LEAD, `/staff/khach-hang/${byPhone.customer}`);
      const card = page.getByTestId('customer-merge');
      await card.waitFor();
      // Nothing named: said beside the field.
      await page.getByTestId('merge-submit').click();
      expect(await page.getByTestId('error-merge-from').innerText()).toBe('Nhập mã khiếu nại, số điện thoại hoặc email của hồ sơ kia.');
      await page.getByTestId('merge-from').fill(byMail.code);
      await page.getByTestId('merge-reason').fill('Khách xác nhận qua điện thoại');
      const merged = page.waitForResponse((r) => r.url().endsWith(`/api/v1/customers/${byPhone.customer}/merge`));
      await page.getByTestId('merge-submit').click();
      await expectStatus(merged, 200);
      expect(await page.getByTestId('merge-feedback').innerText()).toBe('Đã gộp: 1 khiếu nại chuyển về hồ sơ này.');
      await page.getByTestId('customer-complaints').getByText(byMail.code).waitFor();
      expect(await page.getByTestId('customer-record').innerText()).toContain(EMAIL);
      await shot(page, 'customer-merge-01-merged');

      // The complaint filed by email shows the merge in its timeline.
      await page.goto(`/staff/complaints/${byMail.code}`);
      expect(await page.getByTestId('timeline-customer-merged').innerText()).toBe('Chuyển từ hồ sơ trùng “Kim Anh” sang hồ sơ khách hàng này.');

      // The old record says where it went.
      await page.goto(`/staff/khach-hang/${byMail.customer}`);
      await page.getByTestId('customer-merged').waitFor();
      expect(await page.getByTestId('customer-merge').count()).toBe(0);
      await page.getByTestId('customer-merged-link').click();
      await page.waitForURL((url) => url.pathname === `/staff/khach-hang/${byPhone.customer}`);
      await page.getByTestId('customer-page').waitFor();
    } finally {
      await context.close();
    }
  });

  it('an agent sees no merge form; on a phone the form fits', async () => {
    const agent = await newPage();
    try {
      await logIn(agent.page, AGENT, `/staff/khach-hang/${byPhone.customer}`);
      await agent.page.getByTestId('customer-record').waitFor();
      expect(await agent.page.getByTestId('customer-merge').count()).toBe(0);
    } finally {
      await agent.context.close();
    }
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    try {
      await logIn(page, LEAD, `/staff/khach-hang/${byPhone.customer}`);
      await page.getByTestId('customer-merge').scrollIntoViewIfNeeded();
      await expectNoHorizontalOverflow(page);
      await shot(page, 'customer-merge-02-phone');
    } finally {
      await context.close();
    }
  });

  it('no page threw an uncaught error or logged one', () => {
    expect(database).toBeDefined();
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
