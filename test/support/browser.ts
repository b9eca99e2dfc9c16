/**
 * Real headless Chromium for browser tests: Debian's `/usr/bin/chromium`
 * (override with CHROMIUM_PATH) driven by playwright-core.
 *
 * The no-network guard (`no-network.ts`) patches Node sockets only; Chromium
 * is a separate process. So Chromium is launched with every host name
 * resolving to nothing (`--host-resolver-rules`), and each context made by
 * `newGuardedContext` aborts, and records, any request that is not for
 * 127.0.0.1: a test asserts `blocked` is empty.
 *
 * Session cookies: the test server's PUBLIC_BASE_URL is https://…, so the
 * session cookie is `Secure`. Chromium treats http://127.0.0.1 as a
 * potentially trustworthy origin and stores and sends Secure cookies to it
 * (checked with Chromium 156), so browser tests run against the production
 * cookie attributes over plain http on loopback.
 */
import assert from 'node:assert/strict';
import { access, constants, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The repository's docs/screenshots folder. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  // Every host name fails to resolve; the tests only use the IP literal 127.0.0.1.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** Launch headless Chromium; close it in an `after` hook. */
export async function launchChromium(): Promise<Browser> {
  await access(CHROMIUM_PATH, constants.X_OK).catch(() => {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.`);
  });
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: 60_000 });
}

export type GuardedContext = {
  context: BrowserContext;
  page: Page;
  /** URLs the page tried to load that are not on 127.0.0.1 (aborted). */
  blocked: string[];
};

/** A fresh browser context (own cookies) with one page, limited to http://127.0.0.1. */
export async function newGuardedContext(browser: Browser, options: BrowserContextOptions = {}): Promise<GuardedContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'about:') return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  return { context, page, blocked };
}

/**
 * Save a full-page PNG of `page` as docs/screenshots/`name`.png.
 * @returns the file's path
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}

/** WCAG contrast ratio of two CSS colours given as `rgb(r, g, b)` / `rgba(…)` (alpha ignored). */
export function contrastRatio(a: string, b: string): number {
  const luminance = (css: string): number => {
    const m = css.match(/rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/);
    if (!m) throw new Error(`not an rgb() colour: ${css}`);
    const [r, g, bl] = [m[1], m[2], m[3]].map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Close the contexts a test opened (emptying `open`), asserting each page loaded only from 127.0.0.1. */
export async function closeContexts(open: GuardedContext[]): Promise<void> {
  for (const g of open.splice(0)) {
    await g.context.close();
    assert.deepEqual(g.blocked, [], 'the page only loaded from 127.0.0.1');
  }
}
