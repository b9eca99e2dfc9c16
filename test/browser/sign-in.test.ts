/**
 * The staff sign-in page in real headless Chromium (playwright-core) against
 * the real server: signing in and out, the error message, where each role
 * lands, keyboard-only use with a visible focus ring, the emailed password
 * reset, and the screenshots in docs/screenshots/.
 *
 * Chromium only ever talks to 127.0.0.1 (see test/support/browser.ts).
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { closeContexts, contrastRatio, launchChromium, newGuardedContext, screenshot, type GuardedContext } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startFakeSmtp, type FakeSmtp } from '../support/fake-providers/index.js';
import { createOrg, createStaff, STAFF_PASSWORD, type TestOrg } from '../support/fixtures.js';

// What the page-side functions given to page.evaluate use (the project's tsconfig has no DOM library).
type PageElement = {
  id: string; tagName: string; textContent: string | null; parentElement: PageElement | null;
  matches(selector: string): boolean; getBoundingClientRect(): { left: number; right: number; bottom: number; height: number };
};
declare const document: {
  activeElement: PageElement | null; cookie: string; body: PageElement; documentElement: PageElement & { scrollWidth: number };
  querySelector(selector: string): PageElement | null; getElementById(id: string): PageElement | null;
};
declare const window: { innerWidth: number };
declare function getComputedStyle(element: PageElement): { outlineStyle: string; outlineWidth: string; outlineColor: string; backgroundColor: string; borderTopColor: string; fontSize: string };

let browser: Browser;
let smtp: FakeSmtp;
let server: TestServer;
let org: TestOrg;
const open: GuardedContext[] = [];

before(async () => {
  smtp = await startFakeSmtp();
  [browser, server] = await Promise.all([launchChromium(), startTestServer({ SMTP_URL: smtp.smtpUrl })]);
  org = await createOrg(server.db);
});
afterEach(() => closeContexts(open));
after(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
  const g = await newGuardedContext(browser, options);
  open.push(g);
  return g.page;
}

const url = (path: string) => server.baseUrl + path;
const at = (path: string) => (u: URL) => u.pathname === path;

async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A staff user whose custom role (made by the owner through the roles API) lacks messages.view. */
async function createUserWithoutMessages(): Promise<{ email: string; name: string }> {
  const api = async (path: string, body: unknown) => {
    const res = await fetch(url(path), { method: 'POST', headers: { authorization: `Bearer ${org.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as any;
    assert.equal(res.status, 201, JSON.stringify(json));
    return json;
  };
  const role = await api('/v1/roles', { name: 'Bookkeeper', capabilities: ['audit.view'] });
  const user = { email: 'books@garage.example', name: 'Bea Books' };
  await api('/v1/staff', { ...user, roleId: role.id, password: STAFF_PASSWORD });
  return user;
}

test('a technician signs in on /login and lands on Messages, with an HttpOnly, Secure, SameSite=Lax session cookie', async () => {
  const tech = await createStaff(server.db, org, 'technician', 'Tom Torque');
  const page = await newPage();
  await page.goto(url('/login'));
  assert.equal(await page.title(), 'Sign in · Torqueflow');
  await signInThroughForm(page, tech.email, STAFF_PASSWORD);
  await page.waitForURL(at('/messages'));

  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Messages');
  assert.ok(await page.getByText('Customer conversations').isVisible());
  assert.ok(await page.getByText('Signed in as Tom Torque (Technician)').isVisible());

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'tf_session');
  assert.ok(session, 'Chromium stored the session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, 'Lax');
  assert.ok(!(await page.evaluate(() => document.cookie)).includes('tf_session'), 'page scripts cannot read the session cookie');

  await page.reload();
  assert.equal(new URL(page.url()).pathname, '/messages', 'the session survives a reload');
});

test('a wrong password shows the error on the sign-in page and signs nobody in', async () => {
  const advisor = await createStaff(server.db, org, 'service_advisor');
  const page = await newPage();
  await page.goto(url('/login'));
  await signInThroughForm(page, advisor.email, 'not my password');
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('error') === 'invalid_credentials');
  const alert = page.getByRole('alert');
  assert.equal((await alert.textContent())?.trim(), 'Email or password is not right.');
  assert.ok(await alert.isVisible());
  assert.equal((await page.context().cookies()).filter((c) => c.name === 'tf_session').length, 0);

  await page.goto(url('/messages'));
  assert.equal(new URL(page.url()).pathname, '/login', 'still signed out');
});

test('a user whose role lacks messages.view is sent from /messages to the dashboard', async () => {
  const books = await createUserWithoutMessages();
  const page = await newPage();
  await page.goto(url('/login'));
  await signInThroughForm(page, books.email, STAFF_PASSWORD);
  await page.waitForURL(at('/dashboard'));
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Dashboard');
  assert.ok(await page.getByText('Signed in as Bea Books (Bookkeeper)').isVisible());

  await page.goto(url('/messages'));
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  assert.equal(await page.getByText('Customer conversations').count(), 0);
});

test('signing out returns to /login, and the inbox then asks to sign in again', async () => {
  const manager = await createStaff(server.db, org, 'manager');
  const page = await newPage();
  await page.goto(url('/login'));
  await signInThroughForm(page, manager.email, STAFF_PASSWORD);
  await page.waitForURL(at('/messages'));

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(at('/login'));
  assert.equal((await page.getByRole('status').textContent())?.trim(), 'You have signed out.');
  assert.equal((await page.context().cookies()).filter((c) => c.name === 'tf_session').length, 0, 'the cookie is gone');

  await page.goto(url('/messages'));
  assert.equal(new URL(page.url()).pathname, '/login');
});

test('/messages when signed out redirects to /login, and signing in goes back to /messages', async () => {
  const tech = await createStaff(server.db, org, 'technician');
  const page = await newPage();
  await page.goto(url('/messages'));
  const login = new URL(page.url());
  assert.equal(login.pathname, '/login');
  assert.equal(login.searchParams.get('next'), '/messages');
  assert.ok(await page.getByRole('heading', { name: 'Sign in to Torqueflow' }).isVisible());
  await signInThroughForm(page, tech.email, STAFF_PASSWORD);
  await page.waitForURL(at('/messages'));
});

test('after a typo the user still lands on the page they asked for', async () => {
  const tech = await createStaff(server.db, org, 'technician');
  const page = await newPage();
  await page.goto(url('/dashboard'));
  assert.equal(new URL(page.url()).pathname, '/login');
  await signInThroughForm(page, tech.email, 'typo in password');
  await page.waitForURL((u) => u.searchParams.get('error') === 'invalid_credentials');
  await signInThroughForm(page, tech.email, STAFF_PASSWORD);
  await page.waitForURL(at('/dashboard'));
});

/** The focused element's outline, and the background it is drawn on. */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    const style = getComputedStyle(el);
    let bg = 'rgb(255, 255, 255)';
    for (let node = el.parentElement; node; node = node.parentElement) {
      const c = getComputedStyle(node).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) { bg = c; break; }
    }
    return {
      id: el.id || el.tagName.toLowerCase(),
      text: el.textContent?.trim() ?? '',
      focusVisible: el.matches(':focus-visible'),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      outlineColor: style.outlineColor,
      background: bg,
    };
  });
}

test('keyboard only: the form fills and submits with Tab and Enter, and every stop shows a clear focus ring', async () => {
  const tech = await createStaff(server.db, org, 'technician');
  const page = await newPage();
  await page.goto(url('/login'));

  const stops: Array<NonNullable<Awaited<ReturnType<typeof focusRing>>>> = [];
  const check = async (expected: string) => {
    const ring = await focusRing(page);
    assert.ok(ring, 'something has focus');
    assert.equal(ring.id === 'a' || ring.id === 'button' ? ring.text : ring.id, expected);
    assert.ok(ring.focusVisible, `${expected}: :focus-visible`);
    assert.notEqual(ring.outlineStyle, 'none', `${expected}: has an outline`);
    assert.ok(ring.outlineWidth >= 2, `${expected}: outline ${ring.outlineWidth}px`);
    const ratio = contrastRatio(ring.outlineColor, ring.background);
    assert.ok(ratio >= 3, `${expected}: focus ring ${ring.outlineColor} on ${ring.background} has contrast ${ratio.toFixed(2)}:1, needs 3:1 (WCAG 1.4.11)`);
    stops.push(ring);
  };

  await check('email'); // autofocus: typing can start at once
  await page.keyboard.type(tech.email);
  await page.keyboard.press('Tab');
  await check('password');
  await page.keyboard.type(STAFF_PASSWORD);
  await page.keyboard.press('Tab');
  await check('Sign in');
  await page.keyboard.press('Tab');
  await check('Forgot your password?');
  await page.keyboard.press('Shift+Tab');
  await check('Sign in');
  await page.keyboard.press('Enter');
  await page.waitForURL(at('/messages'));

  // Enter in the password field submits too.
  const second = await newPage();
  await second.goto(url('/login'));
  await second.keyboard.type(tech.email);
  await second.keyboard.press('Tab');
  await second.keyboard.type(STAFF_PASSWORD);
  await second.keyboard.press('Enter');
  await second.waitForURL(at('/messages'));
  assert.equal(stops.length, 5);
});

test('the fields are outlined strongly enough to find (3:1 against the card)', async () => {
  const page = await newPage();
  await page.goto(url('/login'));
  await page.locator('body').click({ position: { x: 5, y: 5 } }); // move focus off the fields
  for (const id of ['email', 'password']) {
    const { border, card } = await page.evaluate((fieldId) => ({
      border: getComputedStyle(document.getElementById(fieldId)!).borderTopColor,
      card: getComputedStyle(document.querySelector('.card')!).backgroundColor,
    }), id);
    const ratio = contrastRatio(border, card);
    assert.ok(ratio >= 3, `#${id} border ${border} on ${card}: ${ratio.toFixed(2)}:1`);
  }
});

test('forgot password: the emailed link opens the reset page, the new password signs in', async () => {
  const advisor = await createStaff(server.db, org, 'service_advisor');
  const page = await newPage();
  await page.goto(url('/login'));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL(at('/forgot-password'));
  await page.getByLabel('Email').fill(advisor.email);
  await page.getByRole('button', { name: 'Email me a reset link' }).click();
  await page.waitForURL((u) => u.pathname === '/forgot-password' && u.searchParams.get('sent') === '1');
  assert.match((await page.getByRole('status').textContent()) ?? '', /a reset link is on its way/);

  let mail;
  for (let i = 0; i < 400 && !mail; i++) {
    mail = smtp.requests.find((m) => m.to.includes(advisor.email));
    if (!mail) await sleep(25);
  }
  assert.ok(mail, 'the reset email arrived');
  const link = new URL(mail.text.match(/https?:\/\/\S+/)![0]);
  // The link is for the public URL (https://example.com); open the same path on the test server.
  await page.goto(url(link.pathname + link.search));
  assert.ok(await page.getByRole('heading', { name: 'Choose a new password' }).isVisible());
  await page.getByLabel(/New password/).fill('workshop keys 2024');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('reset') === '1');
  assert.match((await page.getByRole('status').textContent()) ?? '', /Your password has been changed/);

  await signInThroughForm(page, advisor.email, 'workshop keys 2024');
  await page.waitForURL(at('/messages'));

  // The link was single-use: opening it again and saving shows the error.
  await page.goto(url(link.pathname + link.search));
  await page.getByLabel(/New password/).fill('another one entirely');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.waitForURL((u) => u.searchParams.get('error') === 'invalid_reset_token');
  assert.match((await page.getByRole('alert').textContent()) ?? '', /invalid or has expired/);
});

for (const shot of [
  { name: 'sign-in-desktop', options: { viewport: { width: 1280, height: 800 } } },
  { name: 'sign-in-mobile', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
] satisfies Array<{ name: string; options: BrowserContextOptions }>) {
  test(`the sign-in page fits a ${shot.options.viewport.width}×${shot.options.viewport.height} screen (docs/screenshots/${shot.name}.png)`, async () => {
    const page = await newPage(shot.options);
    await page.goto(url('/login'));
    // (No named functions inside evaluate: tsx would wrap them in a helper the page does not have.)
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      fields: ['#email', '#password', 'button[type=submit]', 'a[href="/forgot-password"]'].map((sel) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return { sel, left: r.left, right: r.right, bottom: r.bottom, height: r.height };
      }),
      bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
    }));
    assert.ok(layout.scrollWidth <= layout.viewport, `no sideways scrolling (${layout.scrollWidth} > ${layout.viewport})`);
    for (const f of layout.fields) {
      assert.ok(f.left >= 0 && f.right <= layout.viewport, `${f.sel} is inside the screen`);
      assert.ok(f.bottom <= shot.options.viewport.height, `${f.sel} is visible without scrolling`);
    }
    const [email, password, button] = layout.fields;
    assert.ok(email!.height >= 36 && password!.height >= 36 && button!.height >= 36, 'fields and button are comfortable touch targets');
    assert.ok(layout.bodyFont >= 16, 'body text is at least 16px (no zoom-on-focus on phones)');
    const file = await screenshot(page, shot.name);
    assert.ok(file.endsWith(`docs/screenshots/${shot.name}.png`));
  });
}
