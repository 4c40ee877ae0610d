/**
 * The shared setup of the end-to-end tests: the real server in-process (embedded in-memory PGlite,
 * Fastify serving the built web app), driven with headless Chromium through playwright-core.
 * Screenshots go to artifacts/e2e/.
 *
 * A test file calls {@link useE2e} inside its `describe`, which registers the `beforeAll` that builds
 * or picks the web app, launches Chromium, opens the database, seeds it and starts the server, and the
 * `afterAll` that tears all of it down again. The returned {@link E2e} gives the pages, the log-in and
 * the server's state; the stand-alone helpers (`shot`, `expectStatus`, …) need no setup.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Config } from '../src/config';
import type { Database } from '../src/db/open';
import { openTestPglite } from '../test/db';
import { buildApp } from '../src/http/app';
import { testConfig } from '../test/factories';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where screenshots go (each file prefixes its own). */
export const ARTIFACTS = path.join(ROOT, 'artifacts', 'e2e');
/** The Chromium to drive: Debian's, unless CHROMIUM_PATH says otherwise. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Default timeout of every page action and wait (ms). */
export const TIMEOUT = 30_000;
/** Flags Chromium needs in a container without a GPU or sandbox, and to stay off the network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A complaint code as the server issues it. */
export const CODE_PATTERN = /^KN-\d{4}-\d{6}$/;

// Small but real files: the server checks the type by content.
/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** A one-page PDF. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** A staff member who logs in through the login page. */
export interface StaffLogin {
  email: string;
  password: string;
  name: string;
}

/** Options of a browser context (viewport, locale, downloads…). */
export type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;

/** The calendar date in Vietnam `days` from today, as YYYY-MM-DD. */
export function vietnamDate(days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 24 * 3_600_000),
  );
}

/** The same day as a person in Vietnam types it into Sen's date fields: dd/MM/yyyy. */
export function vietnamDateText(days = 0): string {
  const [y, m, d] = vietnamDate(days).split('-');
  return `${d}/${m}/${y}`;
}

// ———————————————————— the web build ————————————————————

/** A built web app to serve, and how to remove it afterwards when it is temporary. */
export interface WebBuild {
  webDir: string;
  cleanup?: () => void;
}

/** Newest modification time of anything under `dir` (the web app's sources). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** `vite build` of the web app, into dist/web or into `outDir`. */
function viteBuild(outDir?: string): void {
  const args = ['vite', 'build', '--logLevel', 'warn', ...(outDir ? ['--outDir', outDir, '--emptyOutDir'] : [])];
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync('npx', args, { cwd: ROOT, stdio: 'inherit', timeout: 120_000, env: { ...process.env, NODE_ENV: 'production' } });
}

/**
 * The shared build, dist/web. It is built when missing; when it is older than web/ the current
 * sources are built into a private temporary folder instead, so that other test files reading
 * dist/web at the same time never see it half-written.
 */
export function sharedWebBuild(): WebBuild {
  const distIndex = path.join(ROOT, 'dist', 'web', 'index.html');
  if (!fs.existsSync(distIndex)) {
    viteBuild();
    return { webDir: path.join(ROOT, 'dist', 'web') };
  }
  const stale = newestMtime(path.join(ROOT, 'web')) > fs.statSync(distIndex).mtimeMs;
  if (!stale) return { webDir: path.join(ROOT, 'dist', 'web') };
  return privateWebBuild();
}

/**
 * The web app built from the current sources into a private temporary folder (sen-e2e-<name>-web-…).
 * dist/web is shared: other test files and other builds replace it while a file runs, and a lazily
 * loaded page whose chunk vanished mid-run would fail for no fault of its own. (A build takes about
 * a second.)
 */
export function privateWebBuild(name?: string): Required<WebBuild> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), name ? `sen-e2e-${name}-web-` : 'sen-e2e-web-'));
  viteBuild(tmp);
  return { webDir: tmp, cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

// ———————————————————— the browser and its pages ————————————————————

/** Launches headless Chromium with {@link CHROMIUM_ARGS}. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}

/** Asserts an API answer's status; on a mismatch the message carries the body, to see why. */
export async function expectStatus(response: Promise<Response>, status: number): Promise<Response> {
  const r = await response;
  if (r.status() !== status) {
    const body = await r.text().catch(() => '(no body)');
    expect.fail(`${r.request().method()} ${r.url()} answered ${r.status()}, expected ${status}: ${body.slice(0, 500)}`);
  }
  return r;
}

/** A full-page screenshot to artifacts/e2e/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  // CSS-pixel size keeps the phone pictures small and quick to encode, and still readable.
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true, scale: 'css' });
}

/** Fills the portal's complaint form as a customer would (the contacts given, the consent ticked). */
export async function fillPortalForm(
  page: Page,
  c: { name: string; phone?: string; email?: string; subject: string; description: string },
): Promise<void> {
  await page.locator('#name').fill(c.name);
  if (c.phone) await page.locator('#phone').fill(c.phone);
  if (c.email) await page.locator('#email').fill(c.email);
  await page.locator('#subject').fill(c.subject);
  await page.locator('#description').fill(c.description);
  await page.locator('#consent').check();
}

/** A person takes more than 3 s to fill the portal form; faster is refused as automated (test/office.test.ts). */
export async function waitLikeAPerson(page: Page, formShownAt: number): Promise<void> {
  await page.waitForTimeout(Math.max(0, 3200 - (Date.now() - formShownAt)));
}

/** Nothing sticks out sideways: the page must not scroll horizontally. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, 'page scrolls horizontally').toBeLessThanOrEqual(clientWidth);
}

/** The id (or else the test id) of the element that has the keyboard focus. */
export async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('data-testid') || '');
}

// ———————————————————— the server and the browser for one test file ————————————————————

export interface E2eOptions {
  /** Build the web app privately for this file (see {@link privateWebBuild}) instead of using dist/web. */
  privateWebBuild?: string;
  /** The server's configuration for the web build to serve; `testConfig({ webDir })` by default. */
  config?: (webDir: string) => Config;
  /** Fills the fresh database (staff, complaints…) before the server is built. */
  seed?: (database: Database) => Promise<void>;
  /** Options every new browser context starts from, on top of the defaults of {@link E2e.newPage}. */
  contextOptions?: ContextOptions;
  /** Whether {@link E2e.logIn} also asserts the user's name in the header (true by default). */
  logInChecksName?: boolean;
}

/** The running server and browser of one test file; reading state before `beforeAll` ran throws. */
export interface E2e {
  readonly database: Database;
  readonly app: FastifyInstance;
  readonly config: Config;
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  /** Uncaught errors of every page opened with {@link newPage}, as "url: message". */
  readonly pageErrors: string[];
  /** console.error messages of every page opened with {@link newPage}, as "url: text". */
  readonly consoleErrors: string[];
  /**
   * A page in a new browser context: Vietnamese locale and time zone, 1280×900, {@link TIMEOUT},
   * its errors collected. `options` override the defaults.
   */
  newPage(options?: ContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * Signs a staff member in through the login page (to `next`, if given) and waits for the page
   * they land on: `landing`, by default the path of `next`, or else the queue (/staff).
   */
  logIn(page: Page, user: StaffLogin, next?: string, landing?: string): Promise<void>;
}

/**
 * Sets up the end-to-end run of the current `describe`: registers a `beforeAll` that makes sure
 * artifacts/e2e exists, picks or builds the web app, launches Chromium (while the database
 * migrates), opens an in-memory database, seeds it, builds the app and listens on a free port on
 * 127.0.0.1; and an `afterAll` that closes the browser, the server and the database and removes a
 * temporary web build.
 */
export function useE2e(options: E2eOptions = {}): E2e {
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  let config: Config | undefined;
  let cleanupWeb: (() => void) | undefined;
  let baseUrl = '';
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`e2e: ${what} is not ready (beforeAll has not run or failed)`);
    return value;
  };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const web = options.privateWebBuild !== undefined ? privateWebBuild(options.privateWebBuild) : sharedWebBuild();
    cleanupWeb = web.cleanup;

    // The browser starts while the database migrates.
    const launching = launchChromium();
    launching.then((b) => (browser = b)).catch(() => undefined);

    database = await openTestPglite();
    await options.seed?.(database);
    config = options.config ? options.config(web.webDir) : testConfig({ webDir: web.webDir });
    app = await buildApp({ database, config });
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launching;
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await database?.close().catch(() => undefined);
    cleanupWeb?.();
  });

  const newPage: E2e['newPage'] = async (contextOptions = {}) => {
    const context = await started(browser, 'the browser').newContext({
      baseURL: baseUrl,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1280, height: 900 },
      ...options.contextOptions,
      ...contextOptions,
    });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()}`);
    });
    return { context, page };
  };

  const logIn: E2e['logIn'] = async (page, user, next = '', landing = next ? new URL(next, baseUrl).pathname : '/staff') => {
    await page.goto(next ? `/staff/login?next=${encodeURIComponent(next)}` : '/staff/login');
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('login-email').fill(user.email);
    await page.getByTestId('login-password').fill(user.password);
    const loggedIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByTestId('login-submit').click();
    await expectStatus(loggedIn, 200);
    await page.waitForURL((url) => url.pathname === landing);
    // On a phone the signed-in name sits in the folded menu: present, not necessarily visible.
    await page.getByTestId('current-user').waitFor({ state: 'attached' });
    if (options.logInChecksName ?? true) expect(await page.getByTestId('current-user').textContent()).toContain(user.name);
  };

  return {
    get database() {
      return started(database, 'the database');
    },
    get app() {
      return started(app, 'the server');
    },
    get config() {
      return started(config, 'the configuration');
    },
    get baseUrl() {
      return started(baseUrl || undefined, 'the server address');
    },
    pageErrors,
    consoleErrors,
    newPage,
    logIn,
  };
}
