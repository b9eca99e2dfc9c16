/**
 * WhatsApp templates in Settings (issue 13 item 3), headless Chromium, live
 * providers against a local fake Graph API: create with a placeholder and
 * its example and a preview → submitted to Meta (the fake records the
 * request) → pending → approved by a signed template-status webhook (the
 * page updates live) → selectable in the expired-window composer's picker.
 * Also the picker's empty state per capability is covered by the route.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { closeContexts, launchChromium, type GuardedContext } from '../support/browser.js';
import { startFakeWhatsApp, type FakeWhatsApp } from '../support/fake-providers/index.js';
import { postWhatsApp } from '../support/providers.js';
import { DEMO_WABA_ID } from '../../src/seed/demo-data.js';
import { secretBoxFor } from '../../src/channels/credentials/secret-box.js';
import { DESKTOP, signedIn, startDemoServer, type DemoServer } from './staff-app.js';

let browser: Browser;
let server: DemoServer;
let graph: FakeWhatsApp;
const open: GuardedContext[] = [];
const ACCESS_TOKEN = 'EAAG-demo-access-token';

before(async () => {
  graph = await startFakeWhatsApp({ accessToken: ACCESS_TOKEN });
  [browser, server] = await Promise.all([launchChromium(), startDemoServer({ OUTBOUND_PROVIDERS: 'live', WHATSAPP_API_BASE_URL: graph.baseUrl, RUN_WORKER: 'false' })]);
  await server.db.updateTable('channel_identities').set({ access_token: secretBoxFor(server.config).seal(ACCESS_TOKEN) })
    .where('org_id', '=', server.orgId).where('provider', '=', 'whatsapp').execute();
});
afterEach(() => closeContexts(open));
after(async () => {
  await browser?.close();
  await server?.close();
  await graph?.close();
});

test('create a template → submitted to Meta → approved by the signed webhook → selectable in the picker', async () => {
  const page = await signedIn(browser, server, 'manager', DESKTOP, open, "localStorage.setItem('tf.inbox.defaultRangeBannerDismissed', '1')");
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Templates' }).click();
  const form = page.locator('form.settings-card').filter({ has: page.getByRole('heading', { name: 'New template' }) });
  await form.getByRole('textbox', { name: /^Name/ }).fill('mot_due_reminder');
  await form.getByRole('textbox', { name: /^Body/ }).fill('Hi {customer_name}, your MOT is due on {due_date}.');
  await form.getByRole('textbox', { name: 'Example for Customer name' }).fill('Sam');
  await form.getByRole('textbox', { name: 'Example for Due date' }).fill('3 March');
  assert.equal(await form.getByLabel('Preview').textContent(), 'Hi Sam, your MOT is due on 3 March.');
  await form.getByRole('button', { name: 'Submit to Meta' }).click();
  await form.getByRole('status').filter({ hasText: 'pending review' }).waitFor();

  const submitted = graph.requests.find((r) => r.path.endsWith(`/${DEMO_WABA_ID}/message_templates`));
  assert.ok(submitted, 'submitted to the Business Management API');
  assert.equal((submitted.body as any).name, 'mot_due_reminder');
  assert.equal((submitted.body as any).parameter_format, 'NAMED');
  const row = page.locator('tr[data-template="mot_due_reminder"]');
  await row.getByText('Pending review').waitFor();

  const template = (await server.api<{ templates: Array<{ name: string; providerTemplateId: string }> }>('/v1/templates')).templates.find((t) => t.name === 'mot_due_reminder')!;
  const webhook = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: DEMO_WABA_ID, time: Math.floor(Date.now() / 1000), changes: [{ field: 'message_template_status_update', value: {
    event: 'APPROVED', message_template_id: Number(template.providerTemplateId), message_template_name: 'mot_due_reminder', message_template_language: 'en_GB', reason: 'NONE', message_template_category: 'UTILITY',
  } }] }] });
  const sent = await postWhatsApp(server.baseUrl, webhook);
  assert.equal(sent.status, 200, sent.body);
  await row.getByText('Approved').waitFor();

  const expired = (await server.api<{ conversations: Array<{ id: string; lastChannel: string | null; whatsappWindow: { state: string } }> }>('/v1/conversations?range=all_time&limit=200'))
    .conversations.find((r) => r.lastChannel === 'whatsapp' && r.whatsappWindow.state === 'expired')!;
  await page.goto(server.url(`/messages?conversation=${expired.id}`));
  const picker = page.getByRole('combobox', { name: 'Template' });
  await picker.waitFor();
  assert.ok((await picker.locator('option').allTextContents()).includes('mot due reminder'), 'the approved template is in the picker');
});
