/**
 * Accessibility of the main screens, checked by axe-core (WCAG 2.1 A and AA rules) in Chromium: the customer
 * portal (form, its errors, confirmation, status lookup) and the staff console (login, queue, complaint page,
 * new complaint), in Vietnamese and English. Every violation axe rates serious or critical fails the test,
 * named with the elements it found; lesser ones are printed.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffUser } from '../src/commands/staff-accounts';
import { seedComplaint } from '../test/factories';
import { shot, useE2e } from './harness';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = '0912 345 678';
const AGENT = { email: 'agent.a11y@sen.test', name: 'Phan Thị Ngọc', password: 'mat-khau-a11y-2024' };
const ADMIN = { email: 'admin.a11y@sen.test', name: 'Vũ Minh Quân', password: 'mat-khau-a11y-admin' };
/** Every other screen of the console, as an admin sees it (an admin may open them all). */
const ADMIN_PAGES = [
  '/staff/hotline',
  '/staff/office',
  '/staff/inbound-rejects',
  '/staff/notifications',
  '/staff/consultations',
  '/staff/reports',
  '/staff/corrective-actions',
  '/staff/admin/calendar',
  '/staff/admin/users',
  '/staff/admin/categories',
  '/staff/admin/reply-templates',
  '/staff/account',
  '/staff/admin/root-causes',
  '/staff/admin/authorities',
  '/staff/admin/workflow',
  '/staff/admin/backups',
  '/staff/yeu-cau-du-lieu',
  '/staff/su-co-du-lieu',
];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical violations on the page as it is now, one line each. */
async function audit(page: Page, what: string): Promise<string[]> {
  // Evaluated through the debugging protocol: the page's own Content-Security-Policy (no inline script) stays on.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const line = (v: Violation) => `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`;
  const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) console.warn(minor.map(line).join('\n'));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(line);
}

describe('accessibility of the main screens (axe-core, WCAG 2.1 AA)', () => {
  let code = '';
  const e2e = useE2e({
    seed: async (database) => {
      await addStaffUser({ database, role: 'agent', ...AGENT });
      await addStaffUser({ database, role: 'admin', ...ADMIN });
      code = (await seedComplaint(database, { input: { customer: { name: 'Nguyễn Thị Hương', phone: PHONE } } })).code;
    },
  });
  const { newPage, logIn } = e2e;

  it('the customer portal: the form, its errors, the status lookup and a complaint’s status — in Vietnamese and English', async () => {
    const { context, page } = await newPage();
    const found: string[] = [];
    try {
      await page.goto('/');
      await page.getByTestId('complaint-form').waitFor();
      found.push(...(await audit(page, 'portal form')));
      await page.getByTestId('submit-complaint').click();
      await page.getByTestId('error-summary').waitFor();
      found.push(...(await audit(page, 'portal form with errors')));
      await shot(page, 'a11y-01-portal-errors');
      await page.getByTestId('lang-switch').click();
      await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      found.push(...(await audit(page, 'portal form in English')));
      await page.goto('/tra-cuu');
      await page.getByTestId('lookup-form').waitFor();
      found.push(...(await audit(page, 'status lookup')));
      await page.locator('#code').fill(code);
      await page.locator('#contact').fill(PHONE);
      await page.getByTestId('lookup-submit').click();
      await page.getByTestId('lookup-result').waitFor();
      found.push(...(await audit(page, 'status of a complaint')));
    } finally {
      await context.close();
    }
    expect(found).toEqual([]);
  });

  it('the staff console: login, queue, complaint page, new complaint', async () => {
    const { context, page } = await newPage();
    const found: string[] = [];
    try {
      await page.goto('/staff/login');
      await page.locator('#email').waitFor();
      found.push(...(await audit(page, 'login')));
      await logIn(page, AGENT);
      await page.locator(`[data-testid="queue-row"][data-code="${code}"]`).waitFor();
      found.push(...(await audit(page, 'queue')));
      await page.goto(`/staff/complaints/${code}`);
      await page.getByTestId('complaint-detail').waitFor();
      found.push(...(await audit(page, 'complaint page')));
      await shot(page, 'a11y-02-complaint');
      await page.goto('/staff/new');
      await page.locator('form').first().waitFor();
      found.push(...(await audit(page, 'new complaint')));
    } finally {
      await context.close();
    }
    expect(found).toEqual([]);
  });

  it('every other screen of the console, as an admin', async () => {
    const { context, page } = await newPage();
    const found: string[] = [];
    try {
      await logIn(page, ADMIN);
      for (const url of ADMIN_PAGES) {
        await page.goto(url);
        await page.locator('main h1').first().waitFor();
        // What the page loads after its heading (lists, settings) is in the audit too.
        await page.waitForLoadState('networkidle');
        found.push(...(await audit(page, url)));
      }
    } finally {
      await context.close();
    }
    expect(found).toEqual([]);
  });
});
