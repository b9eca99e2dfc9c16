/**
 * The AI receptionist in real headless Chromium on the demo garage (AI on,
 * sandbox model): an inbound WhatsApp message gets an AI reply live in the
 * open inbox, marked as AI, and the AI Analytics tab counts it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { screenshot, type GuardedContext } from '../support/browser.js';
import { postWhatsApp, whatsAppEnvelope } from '../support/providers.js';
import { DEMO_WHATSAPP_PHONE_NUMBER_ID } from '../../src/seed/demo-data.js';
import { type DemoServer, DESKTOP, eventually, signedIn, useDemoBrowser } from './staff-app.js';

let browser: Browser;
let server: DemoServer;
const open: GuardedContext[] = [];

useDemoBrowser(open, (b, s) => { browser = b; server = s; }, { DEMO_AI_ENABLED: 'true', AI_DEBOUNCE_MS: '1000' });

const rows = (page: Page) => page.locator('ul.rows > li[data-conversation-id]');

test('an inbound WhatsApp message gets a sandbox AI reply live in the open inbox, marked as AI; AI Analytics shows it', async () => {
  const page = await signedIn(browser, server, 'owner', DESKTOP, open);
  await page.goto(server.url('/messages?range=all_time'));
  await rows(page).first().waitFor();
  await page.locator('[data-realtime="connected"]').waitFor({ state: 'attached' });

  const from = '447700900777';
  const sent = await postWhatsApp(server.baseUrl, whatsAppEnvelope(DEMO_WHATSAPP_PHONE_NUMBER_ID, {
    contacts: [{ profile: { name: 'Jamie New' }, wa_id: from }],
    messages: [{ from, id: `wamid.ai-browser-${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Hi, can I book an MOT for Friday?' } }],
  }));
  assert.equal(sent.status, 200, sent.body);
  const row = rows(page).filter({ hasText: 'Jamie New' });
  await row.first().waitFor();
  await row.first().locator('a').click();
  await page.locator('li.entry.inbound').filter({ hasText: 'can I book an MOT for Friday?' }).waitFor();

  const reply = page.locator('li.entry.outbound.ai');
  await reply.waitFor({ timeout: 20_000 });
  assert.match(await reply.locator('.bubble-body').textContent() ?? '', /book you in/);
  assert.equal(await reply.locator('.ai-mark').textContent(), 'AI');
  assert.equal(await reply.locator('.sender').textContent(), 'AI receptionist');
  await screenshot(page, 'ai-reply-desktop');

  await page.getByRole('navigation', { name: 'Messages sections' }).getByRole('link', { name: 'AI Analytics' }).click();
  await page.getByRole('heading', { name: 'AI Analytics' }).waitFor();
  await eventually(async () => assert.equal(await page.locator('[data-figure="replies"] strong').textContent(), '1'));
  assert.ok(await page.getByRole('cell', { name: 'WhatsApp' }).isVisible(), 'latency per channel lists WhatsApp');
  await page.locator('.chart .recharts-surface').first().waitFor({ timeout: 10_000 }); // the chart loads on demand
  await screenshot(page, 'ai-analytics-desktop');
});
