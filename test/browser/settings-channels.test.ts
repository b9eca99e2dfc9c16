/**
 * Settings > Channels in headless Chromium on the demo garage, with a local
 * fake Twilio REST API: refused credentials show Twilio's verdict and save
 * nothing; "Check and list numbers" offers the account's numbers; saving
 * connects the picked number with its secrets masked (never in the page),
 * audited; the webhook addresses are shown to copy; a role without
 * settings.communication.manage has no Channels section.
 * Screenshot: docs/screenshots/settings-channels.png.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { closeContexts, launchChromium, screenshot, type GuardedContext } from '../support/browser.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-providers/index.js';
import { PUBLIC_BASE_URL } from '../support/server.js';
import { DESKTOP, signedIn, startDemoServer, type DemoRole, type DemoServer } from './staff-app.js';

const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = `tw-${randomBytes(10).toString('hex')}`;
const NUMBERS = ['+447700900771', '+447700900772'];

let browser: Browser;
let server: DemoServer;
let twilio: FakeTwilio;
const open: GuardedContext[] = [];

before(async () => {
  twilio = await startFakeTwilio({ authToken: AUTH_TOKEN, incomingNumbers: NUMBERS });
  [browser, server] = await Promise.all([launchChromium(), startDemoServer({ TWILIO_API_BASE_URL: twilio.baseUrl })]);
});
afterEach(() => closeContexts(open));
after(async () => {
  await browser?.close();
  await server?.close();
  await twilio?.close();
});

const as = (role: DemoRole) => signedIn(browser, server, role, DESKTOP, open, "localStorage.setItem('tf.inbox.defaultRangeBannerDismissed', '1')");
const card = (page: Page, title: RegExp) => page.locator('form.settings-card').filter({ has: page.getByRole('heading', { name: title }) });

async function openChannels(page: Page) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Channels' }).click();
  await page.getByRole('heading', { name: 'Settings › Channels' }).waitFor();
}

test('connecting Twilio: refused credentials save nothing, the account\'s numbers are offered, the saved connection is masked and audited', async () => {
  const page = await as('owner');
  await openChannels(page);
  const c = card(page, /^Twilio/);
  await c.getByText('Connected').first().waitFor();
  assert.equal(await c.getByText(`${PUBLIC_BASE_URL}/twilio/sms`).count(), 1, 'the messaging webhook address is shown');
  assert.equal(await card(page, /^WhatsApp/).getByText(`${PUBLIC_BASE_URL}/whatsapp/webhook`).count(), 1);
  const before = await server.api('/v1/settings/channels');

  await c.getByLabel('Account SID').fill(ACCOUNT_SID);
  await c.getByLabel('Auth Token').fill('wrong-token');
  await c.getByRole('button', { name: 'Check and list numbers' }).click();
  await c.getByRole('alert').filter({ hasText: 'Twilio refused these credentials' }).waitFor();
  await c.getByLabel('Garage number').fill(NUMBERS[0]!);
  await c.getByRole('button', { name: 'Verify and save' }).click();
  await c.getByRole('alert').filter({ hasText: 'Twilio refused these credentials' }).waitFor();
  assert.equal(await c.getByRole('alert').count(), 1, 'one error at a time');
  assert.deepEqual(await server.api('/v1/settings/channels'), before, 'nothing saved');

  await c.getByLabel('Auth Token').fill(AUTH_TOKEN);
  await c.getByRole('button', { name: 'Check and list numbers' }).click();
  await c.getByRole('status').filter({ hasText: '2 numbers found' }).waitFor();
  await c.getByLabel('Garage number').selectOption(NUMBERS[1]!);
  await c.getByRole('button', { name: 'Verify and save' }).click();
  await c.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await c.getByText(`Connected: ${NUMBERS[1]}`).waitFor();
  assert.equal(await c.getByLabel('Auth Token').inputValue(), '', 'the secret field is emptied');
  await c.getByText(`Saved (•••• ${AUTH_TOKEN.slice(-4)})`).waitFor();

  const saved = await server.api('/v1/settings/channels');
  assert.equal(saved.twilio.accountSid, ACCOUNT_SID);
  assert.equal(saved.twilio.phoneNumber, NUMBERS[1]);
  const entries = (await server.api('/v1/audit-log')).entries.filter((e: { action: string }) => e.action === 'settings.channels.twilio');
  assert.equal(entries.length, 1);
  assert.equal(entries[0].after.phoneNumber, NUMBERS[1]);
  await page.reload();
  await card(page, /^Twilio/).getByText(`Connected: ${NUMBERS[1]}`).waitFor();
  assert.ok(!(await page.content()).includes(AUTH_TOKEN), 'the token never reaches the page');
  await screenshot(page, 'settings-channels');
});

test('a service advisor has no Channels section', async () => {
  const page = await as('advisor');
  const settings = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' });
  if (await settings.count()) {
    await settings.click();
    await page.locator('.settings-title').waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Channels' }).count(), 0);
  }
  await page.goto(server.url('/settings/channels'));
  await page.locator('.settings-title, .error-box').first().waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Settings › Channels' }).count(), 0);
});
