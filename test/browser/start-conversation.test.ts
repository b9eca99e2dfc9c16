/**
 * Starting a conversation from a customer's profile with a WhatsApp
 * template (issue 12 item 5), in headless Chromium on the demo garage: no
 * window is open, so the composer offers templates only on WhatsApp; the
 * first message is the rendered template, stored on the customer's one
 * conversation and queued through the usual send rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { type GuardedContext } from '../support/browser.js';
import { type DemoServer, DESKTOP, eventually, signedIn, useDemoBrowser } from './staff-app.js';

let browser: Browser;
let server: DemoServer;
const open: GuardedContext[] = [];

useDemoBrowser(open, (b, s) => { browser = b; server = s; });

test("an advisor starts a customer's first conversation from the profile with a WhatsApp template", async () => {
  const { id } = await server.api<{ id: string }>('/v1/customers', { body: { name: 'Tara Template', phone: '+447700900871', vehicles: [{ registration: 'TT19 TMP' }] } });
  const page = await signedIn(browser, server, 'advisor', DESKTOP, open);
  await page.goto(server.url(`/customers/${id}`));
  await page.getByRole('heading', { name: 'No conversation yet' }).waitFor();
  await page.getByRole('button', { name: 'Start a conversation' }).click();

  const composer = page.locator('.profile-conversation .composer');
  await composer.getByLabel('Send via').selectOption('whatsapp');
  await composer.getByText('No WhatsApp window: templates only').waitFor();
  assert.ok(await composer.getByRole('textbox', { name: 'Message' }).isDisabled(), 'no free-form text outside a window');
  await composer.getByLabel('Template').selectOption('vehicle_ready');
  await composer.getByLabel('Customer name').fill('Tara');
  await composer.getByLabel('Vehicle', { exact: true }).fill('Golf TT19 TMP');
  assert.equal(await composer.getByLabel('Template preview').textContent(), 'Hi Tara, your Golf TT19 TMP is ready to collect from Acme Motors. We are open until 5:30pm.');
  await composer.getByRole('button', { name: 'Send', exact: true }).click();

  await page.locator('.profile-conversation li.entry.outbound').filter({ hasText: 'Hi Tara, your Golf TT19 TMP is ready' }).waitFor();
  const conversations = await server.db.selectFrom('conversations').select('id').where('org_id', '=', server.orgId).where('customer_id', '=', id).execute();
  assert.equal(conversations.length, 1, "the customer's one conversation");
  await eventually(async () => {
    const [m] = await server.db.selectFrom('messages').select(['channel', 'template_id', 'status', 'body']).where('conversation_id', '=', conversations[0]!.id).where('direction', '=', 'outbound').execute();
    assert.equal(m?.channel, 'whatsapp');
    assert.ok(m?.template_id, 'sent as a template');
    assert.match(m!.status ?? '', /^(pending|sent|delivered|read)$/);
  });
});
