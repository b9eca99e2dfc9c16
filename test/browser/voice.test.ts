/**
 * Voice calls in the staff app (issue 14), real headless Chromium against
 * the real server on the demo garage, webhooks signed with the official
 * `twilio` helper and the recording served by a local fake Twilio: a call
 * arriving live in an open inbox with its preview; the card → detail page →
 * playback of the downloaded recording; a voicemail staying in Unread after
 * opening until Mark resolved; Reassign to another customer and Detach to
 * anonymous with both lists updating live and the audit entry; Reply by SMS
 * in a voice-only thread. Screenshots: docs/screenshots/call-card.png,
 * call-detail.png.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { closeContexts, launchChromium, screenshot, type GuardedContext } from '../support/browser.js';
import { DESKTOP, eventually, signedIn, startDemoServer, type DemoRole, type DemoServer } from './staff-app.js';
import { DEMO_NUMBER } from '../../src/seed/demo-data.js';
import { callSid, recordingSid, voiceCallbacks } from '../support/voice.js';
import { fakeWav, startFakeVoice, type FakeVoice } from '../support/fake-providers/twilio-voice.js';

type Row = { id: string; displayName: string; unreadCount: number; preview: { body: string } | null; customer: { id: string; name: string } | null };

let browser: Browser;
let server: DemoServer;
let fake: FakeVoice;
let voice: ReturnType<typeof voiceCallbacks>;
const open: GuardedContext[] = [];
let n = 0;
/** Unknown callers outside the demo's numbers. */
const caller = () => `+4477009008${String(10 + n++).padStart(2, '0')}`;

before(async () => {
  fake = await startFakeVoice({ authToken: 'demo-voice-token' });
  [browser, server] = await Promise.all([launchChromium(), startDemoServer({ OUTBOUND_PROVIDERS: 'live', TWILIO_API_BASE_URL: fake.baseUrl, DEMO_TWILIO_AUTH_TOKEN: 'demo-voice-token' })]);
  voice = voiceCallbacks(server.baseUrl, { twilioNumber: DEMO_NUMBER, twilioAccountSid: `AC${randomBytes(16).toString('hex')}`, twilioAuthToken: 'demo-voice-token' });
});
afterEach(() => closeContexts(open));
after(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

const as = (role: DemoRole) => signedIn(browser, server, role, DESKTOP, open);
const rows = (page: Page) => page.locator('ul.rows > li[data-conversation-id]');
const allRows = async (): Promise<Row[]> => (await server.api<{ conversations: Row[] }>('/v1/conversations?range=all_time&limit=200')).conversations;
const count = async (page: Page, filter: string) => Number(await page.locator(`[data-filter-count="${filter}"]`).textContent());
const live = (page: Page) => page.locator('[data-realtime="connected"]').waitFor({ state: 'attached' });

/** A missed call that went to a 38 s voicemail, with its recording and Twilio transcript. */
async function voicemail(from: string, text = 'Hi, it is Jo about the brake noise on the Fiesta, please call me back this afternoon.') {
  const sid = callSid();
  const rec = recordingSid();
  fake.recordings.set(rec, fakeWav(2));
  assert.equal((await voice.incoming(sid, from)).status, 200);
  await voice.status(sid, from, 0, 'ringing');
  await voice.dial(sid, from, 'no-answer');
  await voice.recording(sid, rec, 'completed', 38);
  await voice.status(sid, from, 2, 'completed', { CallDuration: '58' });
  await voice.transcription(sid, from, rec, text);
  return { sid, rec };
}
async function rowOf(from: string): Promise<Row> {
  let found: Row | undefined;
  await eventually(async () => {
    found = (await allRows()).find((r) => r.displayName === from);
    assert.ok(found, `row for ${from}`);
  });
  return found!;
}

test('a call arriving live in an open inbox: the row comes to the top with "Voicemail - 0:38"; the card shows outcome, duration, player and transcript', async () => {
  const page = await as('advisor');
  await rows(page).first().waitFor();
  await live(page);
  const from = caller();
  await voicemail(from);
  const top = rows(page).first();
  await eventually(async () => assert.match(await top.textContent() ?? '', new RegExp(from.replace('+', '\\+'))));
  await eventually(async () => assert.equal(await top.locator('.row-preview').textContent(), 'Voicemail - 0:38'));
  await top.click();
  const card = page.locator('article.call-card');
  await card.waitFor();
  await eventually(async () => assert.equal(await card.locator('audio').count(), 1, 'the recording was downloaded'), 15_000);
  const text = await card.textContent() ?? '';
  assert.match(text, /Incoming call · Voicemail/);
  assert.match(text, /Duration 38s/);
  assert.match(text, /brake noise on the Fiesta/);
  assert.match(await card.locator('audio').getAttribute('src') ?? '', /^\/v1\/calls\/[0-9a-f-]{36}\/recording$/);
  await screenshot(page, 'call-card');
});

test('card → call detail page → the downloaded recording plays; a voicemail stays in Unread after opening until Mark resolved', async () => {
  const from = caller();
  await voicemail(from, 'Calling about my MOT booking on Friday.');
  const row = await rowOf(from);
  const page = await as('manager');
  await page.goto(server.url(`/messages?range=all_time&conversation=${row.id}`));
  await live(page);
  await page.locator('article.call-card audio').waitFor({ timeout: 15_000 });
  const unreadCount = async () => (await server.api<{ counts: { unread: number } }>('/v1/conversations?range=all_time&limit=1')).counts.unread;
  const unreadBefore = await unreadCount();
  await eventually(async () => assert.equal((await allRows()).find((r) => r.id === row.id)!.unreadCount, 1, 'opening did not mark the voicemail read'));
  await page.getByRole('button', { name: 'Open call' }).click();
  await page.waitForURL(/\/calls\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: `Call from ${from}` }).waitFor();
  assert.match(await page.locator('.call-timeline').textContent() ?? '', /Nobody picked up.*Voicemail recorded \(0:38\)/s);
  assert.match(await page.locator('.call-transcript-full').textContent() ?? '', /Calling about my MOT booking on Friday\./);
  type Audio = { muted: boolean; duration: number; error: unknown; play(): Promise<void> };
  const played = await page.locator('.call-page audio').evaluate(async (el) => {
    const a = el as unknown as Audio;
    a.muted = true;
    await a.play();
    return { duration: a.duration, ok: !a.error };
  });
  assert.ok(played.ok && played.duration > 1.5, `played ${JSON.stringify(played)}`);
  await screenshot(page, 'call-detail');
  await page.getByRole('button', { name: 'Mark resolved' }).click();
  await page.getByText(/^Resolved by /).waitFor();
  assert.equal(await unreadCount(), unreadBefore - 1, 'the Unread count decrements');
  await page.getByRole('button', { name: 'Back to the conversation' }).click();
  await page.locator(`section.thread-pane[data-conversation-id="${row.id}"]`).waitFor();
  await page.goto(server.url('/messages?range=all_time'));
  await eventually(async () => assert.equal(await count(page, 'unread'), unreadBefore - 1, 'the Unread badge shows it'));
  await page.getByRole('button', { name: /Unread/ }).first().click();
  await eventually(async () => assert.equal(await page.locator(`li[data-conversation-id="${row.id}"]`).count(), 0, 'the row left the Unread filter'));
});

test('Reassign to another customer, then Detach to anonymous: both lists update live in another browser, the audit log has the reason', async () => {
  const from = caller();
  await voicemail(from, 'This is Alex, calling from my wife’s phone.');
  const source = await rowOf(from);
  const target = (await allRows()).find((r) => r.customer && r.displayName.startsWith('A'))!;
  const watcher = await as('owner');
  await rows(watcher).first().waitFor();
  await live(watcher);
  await eventually(async () => assert.equal(await watcher.locator(`li[data-conversation-id="${source.id}"]`).count(), 1));

  const page = await as('advisor');
  const thread = await server.api(`/v1/conversations/${source.id}/thread`);
  const callId = thread.messages.find((m: any) => m.call)!.call.callId;
  await page.goto(server.url(`/calls/${callId}`));
  await page.getByRole('button', { name: 'Reassign' }).click();
  await page.getByLabel('Search customers').fill(target.customer!.name.slice(0, 6));
  await page.locator('.reassign-results button').filter({ hasText: target.customer!.name }).first().click();
  await page.getByLabel('Reason (optional, for the audit log)').fill('Spouse calling from a shared phone');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: `Call from ${target.customer!.name}` }).waitFor();
  await eventually(async () => assert.equal(await watcher.locator(`li[data-conversation-id="${source.id}"]`).count(), 0, 'the emptied conversation left the list'));
  await eventually(async () => assert.equal(await rows(watcher).first().getAttribute('data-conversation-id'), target.id, "the customer's row came to the top"));
  assert.equal(await rows(watcher).first().locator('.row-preview').textContent(), 'Voicemail - 0:38');
  const audit = await server.api<{ entries: any[] }>('/v1/audit-log');
  const entry = (audit.entries ?? (audit as any).items ?? audit as any).find?.((e: any) => e.targetId === callId && e.action === 'call.reassigned');
  assert.ok(entry, 'audit entry');
  assert.equal(entry.reason, 'Spouse calling from a shared phone');

  await page.getByRole('button', { name: 'Reassign' }).click();
  await page.getByLabel('Detach to anonymous').check();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'Call from Anonymous caller' }).waitFor();
  await eventually(async () => assert.match(await rows(watcher).first().textContent() ?? '', /Anonymous caller/));
  await eventually(async () => assert.notEqual(await watcher.locator(`li[data-conversation-id="${target.id}"] .row-preview`).textContent(), 'Voicemail - 0:38', "the customer's preview follows"));
});

test('a voice-only thread offers Reply by SMS, which sends an SMS', async () => {
  const from = caller();
  const sid = callSid();
  await voice.incoming(sid, from);
  await voice.dial(sid, from, 'completed', 41);
  await voice.status(sid, from, 3, 'completed', { CallDuration: '45' });
  const row = await rowOf(from);
  assert.equal(row.preview?.body, 'Voice call - 41s - ended');
  const page = await as('advisor');
  await page.goto(server.url(`/messages?range=all_time&conversation=${row.id}`));
  await page.locator('form.composer').getByText('Reply by SMS').waitFor();
  assert.equal(await page.locator('form.composer').getByText('Send via').count(), 0, 'no channel picker, no free-form voice composer');
  await page.getByRole('textbox', { name: 'Message' }).fill('Thanks for calling, your car is ready.');
  await page.getByRole('button', { name: 'Send SMS' }).click();
  const sent = page.locator('li.entry.outbound').filter({ hasText: 'Thanks for calling, your car is ready.' });
  await sent.waitFor();
  const thread = await server.api(`/v1/conversations/${row.id}/thread`);
  assert.equal(thread.messages.at(-1).channel, 'sms');
});
