/**
 * Browser tests of the staff Messages app (this folder's inbox*.test.ts):
 * the real server with the demo garage (Acme Motors) seeded, signed-in
 * Chromium pages per role, and helpers that talk to the API and the
 * provider webhooks the way the outside world does.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { seedDemoIfEmpty } from '../../src/seed/demo.js';
import { DEMO_NUMBER, DEMO_STAFF_PASSWORD } from '../../src/seed/demo-data.js';
import { closeContexts, launchChromium, newGuardedContext, type GuardedContext } from '../support/browser.js';
import { postTwilio, smsParams } from '../support/providers.js';
import { startTestServer, type TestServer } from '../support/server.js';

export type DemoRole = 'owner' | 'manager' | 'advisor' | 'tech';

export type DemoServer = TestServer & {
  orgId: string;
  apiToken: string;
  url(path: string): string;
  api<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** A signed inbound SMS from `from` to the demo number, as Twilio sends it. */
  inboundSms(from: string, body: string): Promise<void>;
  close(): Promise<void>;
};

let sid = 0;

/** The app server on a fresh database with the demo garage seeded (its token file in a temporary folder). */
export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tf-staff-app-'));
  const server = await startTestServer({ DATA_DIR: dataDir, ...env });
  const demo = await seedDemoIfEmpty(server.db, server.config);
  assert.ok(demo, 'the demo garage was seeded');
  const url = (path: string) => server.baseUrl + path;
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(url(path), {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${demo.apiToken}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    ...server,
    orgId: demo.orgId,
    apiToken: demo.apiToken,
    url,
    api,
    async inboundSms(from, body) {
      sid += 1;
      const id = `SM${String(Date.now())}${String(sid).padStart(6, '0')}`.padEnd(34, '0');
      const sent = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: id, from, to: DEMO_NUMBER, body }), server.config.DEMO_TWILIO_AUTH_TOKEN);
      assert.equal(sent.status, 200, sent.body);
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1440, height: 900 } };
export const TABLET: BrowserContextOptions = { viewport: { width: 1100, height: 800 } };
export const MOBILE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * A new browser context signed in as a demo user through the sign-in form, on /messages.
 * @param open receives the context so the test's afterEach closes it
 */
export async function signedIn(browser: Browser, server: DemoServer, role: DemoRole, options: BrowserContextOptions, open: GuardedContext[], init?: string): Promise<Page> {
  const g = await newGuardedContext(browser, options);
  open.push(g);
  if (init) await g.context.addInitScript(init);
  const { page } = g;
  await page.goto(server.url('/login'));
  await page.getByLabel('Email').fill(`${role}@acme-motors.example`);
  await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/messages');
  await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
  return page;
}

/** Wait until `check` passes (polling), or fail with its last error. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * The hooks every browser file needs: Chromium and a demo server started
 * together before the file's tests, each test's contexts (`open`) closed
 * after it, both closed at the end.
 * @param ready receives them once started (the file's module-level `browser` and `server`)
 * @param env extra settings for the demo server (see `startDemoServer`)
 */
export function useDemoBrowser(open: GuardedContext[], ready: (browser: Browser, server: DemoServer) => void, env: Record<string, string> = {}): void {
  let browser: Browser | undefined;
  let server: DemoServer | undefined;
  before(async () => {
    [browser, server] = await Promise.all([launchChromium(), startDemoServer(env)]);
    ready(browser, server);
  });
  afterEach(() => closeContexts(open));
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}
