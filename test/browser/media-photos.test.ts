/**
 * Photos in the staff app, in Chromium: an inbound MMS with two photos (one
 * the provider still has, one it answers 404 for) shows a thumbnail that
 * opens full size and a "Photo unavailable" tile, live, without a reload;
 * a staff member attaches a photo in the composer and sends it, and the
 * thread shows it. Desktop and 390 px.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_NUMBER } from '../../src/seed/demo-data.js';
import { closeContexts, launchChromium, screenshot, type GuardedContext } from '../support/browser.js';
import { startFakeMedia, type FakeMedia } from '../support/fake-providers/index.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { photoWithLocation } from '../media/fixtures.js';
import { DESKTOP, eventually, MOBILE, signedIn, startDemoServer, type DemoServer } from './staff-app.js';

let browser: Browser;
let server: DemoServer;
let fake: FakeMedia;
const open: GuardedContext[] = [];
const ACCOUNT_SID = `AC${'ab'.repeat(16)}`;

before(async () => {
  fake = await startFakeMedia();
  [browser, server] = await Promise.all([launchChromium(), startDemoServer({ OUTBOUND_PROVIDERS: 'live', TWILIO_API_BASE_URL: fake.baseUrl, WHATSAPP_API_BASE_URL: fake.baseUrl })]);
  fake.twilioAccount(ACCOUNT_SID, server.config.DEMO_TWILIO_AUTH_TOKEN);
});
afterEach(() => closeContexts(open));
after(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

async function demoCustomerPhone(offset: number): Promise<string> {
  const c = await server.db.selectFrom('customers').select('phone').where('org_id', '=', server.orgId).where('phone', 'is not', null).orderBy('name').offset(offset).limit(1).executeTakeFirstOrThrow();
  return c.phone!;
}

async function conversationOf(phone: string): Promise<string> {
  const row = await server.db.selectFrom('conversations as c').innerJoin('customers as cu', 'cu.id', 'c.customer_id')
    .select('c.id').where('c.org_id', '=', server.orgId).where('cu.phone', '=', phone).executeTakeFirstOrThrow();
  return row.id;
}

async function openThread(page: Page, id: string) {
  await page.goto(server.url(`/messages?conversation=${id}`));
  await page.locator(`section.thread-pane[data-conversation-id="${id}"]`).waitFor();
}

for (const [label, options, offset] of [['desktop', DESKTOP, 3], ['390 px', MOBILE, 4]] as const) {
  test(`${label}: an MMS photo appears live as a thumbnail that opens full size; a gone one says Photo unavailable`, async () => {
    const phone = await demoCustomerPhone(offset);
    await server.inboundSms(phone, 'Hello, photos coming');
    const conversationId = await conversationOf(phone);
    const page = await signedIn(browser, server, 'advisor', options, open);
    await openThread(page, conversationId);

    const sid = newSid('MM');
    const ok = fake.twilioFile(ACCOUNT_SID, sid, `ME${'1'.repeat(31)}${offset}`, { bytes: await photoWithLocation(1600, 1200), contentType: 'image/jpeg', delayMs: 300 });
    const gone = fake.twilioFile(ACCOUNT_SID, sid, `ME${'2'.repeat(31)}${offset}`, { bytes: Buffer.alloc(0), contentType: 'image/jpeg', gone: true });
    const sent = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({
      sid, from: phone, to: DEMO_NUMBER, body: 'This is the noise',
      extra: { NumMedia: '2', MediaUrl0: ok, MediaContentType0: 'image/jpeg', MediaUrl1: gone, MediaContentType1: 'image/jpeg', AccountSid: ACCOUNT_SID },
    }), server.config.DEMO_TWILIO_AUTH_TOKEN);
    assert.equal(sent.status, 200);

    const bubble = page.locator('li.entry.inbound', { hasText: 'This is the noise' });
    const thumb = bubble.getByRole('button', { name: /View .* full size/ });
    await thumb.waitFor({ timeout: 30_000 });
    await eventually(async () => assert.ok(await thumb.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the thumbnail loaded'), 15_000);
    await bubble.getByText('Photo unavailable').waitFor({ timeout: 30_000 });
    if (label === 'desktop') await screenshot(page, 'thread-photos-desktop');

    await thumb.click();
    const viewer = page.locator('dialog.media-viewer');
    await viewer.waitFor();
    await eventually(async () => {
      const width = await viewer.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
      assert.equal(width, 1600, 'the full-size photo, not the thumbnail');
    }, 15_000);
    await viewer.getByRole('button', { name: 'Close' }).click();
    await viewer.waitFor({ state: 'hidden' });
  });
}

test('staff attach a photo in the composer and the thread shows it after Send', async () => {
  const phone = await demoCustomerPhone(5);
  await server.inboundSms(phone, 'Can you show me the part?');
  const conversationId = await conversationOf(phone);
  const page = await signedIn(browser, server, 'advisor', DESKTOP, open);
  await openThread(page, conversationId);
  await page.getByLabel('Add photos').setInputFiles({ name: 'worn-pad.jpg', mimeType: 'image/jpeg', buffer: await photoWithLocation(1200, 900, '#888') });
  await page.getByRole('list', { name: 'Photos to send' }).getByRole('img').waitFor({ timeout: 20_000 });
  await page.getByRole('textbox', { name: 'Message' }).fill('Here is the worn pad');
  await page.getByRole('button', { name: /^Send/ }).click();
  const bubble = page.locator('li.entry.outbound', { hasText: 'Here is the worn pad' });
  await bubble.getByRole('button', { name: /View .* full size/ }).waitFor({ timeout: 20_000 });
  await page.getByRole('list', { name: 'Photos to send' }).waitFor({ state: 'detached' });
});
