/**
 * WhatsApp number verification in headless Chromium (issue 12 item 7), on
 * the demo garage with live adapters pointed at the recorded fake WhatsApp
 * Cloud API (the code is read from the authentication template Meta received):
 * - success: an advisor sends a code from the profile, a wrong code shows the
 *   tries left, the right one turns WhatsApp consent on with source
 *   "WhatsApp verification" on the Communication Preferences card;
 * - lockout: 5 wrong codes lock the code (no field to type another), the card
 *   offers a new code;
 * - the customer confirms the code in the portal.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { closeContexts, launchChromium, newGuardedContext, type GuardedContext } from '../support/browser.js';
import { startFakeWhatsApp, type FakeWhatsApp } from '../support/fake-providers/index.js';
import { secretBoxFor } from '../../src/channels/credentials/secret-box.js';
import { withTenant } from '../../src/db/tenant.js';
import { createPortalLink } from '../../src/sending/portal-links.js';
import { DESKTOP, MOBILE, signedIn, startDemoServer, type DemoServer } from './staff-app.js';

let browser: Browser;
let server: DemoServer;
let meta: FakeWhatsApp;
const open: GuardedContext[] = [];

before(async () => {
  meta = await startFakeWhatsApp();
  [browser, server] = await Promise.all([launchChromium(), startDemoServer({ OUTBOUND_PROVIDERS: 'live', WHATSAPP_API_BASE_URL: meta.baseUrl })]);
  // The demo garage's WhatsApp number gets an access token and an approved authentication template.
  await server.db.updateTable('channel_identities').set({ access_token: secretBoxFor(server.config).seal('EAAGdemo') })
    .where('org_id', '=', server.orgId).where('provider', '=', 'whatsapp').execute();
  await server.db.insertInto('message_templates').values({
    org_id: server.orgId, name: 'verification_code', language: 'en_GB', category: 'AUTHENTICATION', status: 'approved', placeholders: ['code'],
    body: '{code} is your verification code. For your security, do not share this code. This code expires in 10 minutes.',
  }).execute();
});
afterEach(() => closeContexts(open));
after(async () => {
  await browser?.close();
  await server?.close();
  await meta?.close();
});

let n = 0;
async function newCustomer(name: string): Promise<{ id: string; phone: string }> {
  n += 1;
  const phone = `+4477009${String(40000 + process.pid % 1000 * 10 + n).padStart(5, '0')}`;
  const { id } = await server.api<{ id: string }>('/v1/customers', { body: { name, phone } });
  return { id, phone };
}
/** The code in the last authentication template Meta received for `phone`. */
function sentCode(phone: string): string {
  const sends = meta.requests.map((r) => r.body as { to?: string; template?: { components: Array<{ type: string; parameters: Array<{ text: string }> }> } })
    .filter((b) => b?.to === phone.slice(1) && b.template);
  const button = sends.at(-1)?.template?.components.find((c) => c.type === 'button');
  assert.ok(button, `a copy-code template went to ${phone}`);
  return button.parameters[0]!.text;
}
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function openProfile(id: string): Promise<Page> {
  const page = await signedIn(browser, server, 'advisor', DESKTOP, open);
  await page.goto(server.url(`/customers/${id}`));
  await page.getByRole('heading', { name: 'WhatsApp verification' }).waitFor();
  return page;
}

test('an advisor verifies a WhatsApp number: a wrong code shows the tries left, the right one grants WhatsApp consent (WhatsApp verification)', async () => {
  const customer = await newCustomer('Otto Verify');
  const page = await openProfile(customer.id);
  const card = page.locator('.verification-card');
  await card.getByRole('button', { name: 'Send verification code' }).click();
  await card.getByText(/Code sent by WhatsApp; it expires at .*5 tries left/).waitFor();
  const code = sentCode(customer.phone);

  await card.getByLabel('Code from the customer').fill(wrong(code));
  await card.getByRole('button', { name: 'Check code' }).click();
  await card.getByRole('alert').filter({ hasText: 'That code is not right: 4 tries left.' }).waitFor();

  await card.getByLabel('Code from the customer').fill(code);
  await card.getByRole('button', { name: 'Check code' }).click();
  await card.getByText(/WhatsApp number verified/).waitFor();
  await page.locator('.consent-card li[data-category="whatsapp"] .source').filter({ hasText: 'WhatsApp verification' }).waitFor();
  const row = await server.db.selectFrom('customer_consents').select(['granted', 'source']).where('customer_id', '=', customer.id).where('category', '=', 'whatsapp').executeTakeFirstOrThrow();
  assert.deepEqual(row, { granted: true, source: 'otp_verification' });
});

test('five wrong codes lock the code: no code field, the card offers a new code, consent unchanged', async () => {
  const customer = await newCustomer('Lena Lockout');
  const page = await openProfile(customer.id);
  const card = page.locator('.verification-card');
  await card.getByRole('button', { name: 'Send verification code' }).click();
  await card.getByText(/5 tries left/).waitFor();
  const code = sentCode(customer.phone);
  for (let i = 1; i <= 4; i++) {
    await card.getByLabel('Code from the customer').fill(wrong(code));
    await card.getByRole('button', { name: 'Check code' }).click();
    await card.getByText(`${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left.`, { exact: false }).first().waitFor();
  }
  await card.getByLabel('Code from the customer').fill(wrong(code));
  await card.getByRole('button', { name: 'Check code' }).click();
  await card.getByRole('alert').filter({ hasText: 'Too many wrong codes' }).waitFor();
  await card.getByText('Locked: too many wrong codes. Send a new code to try again.').waitFor();
  assert.equal(await card.getByLabel('Code from the customer').count(), 0, 'no code field while locked');
  await card.getByRole('button', { name: 'Send a new code' }).waitFor();
  const row = await server.db.selectFrom('whatsapp_verifications').select(['attempts', 'status']).where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { attempts: 5, status: 'locked' });
  const source = await server.db.selectFrom('customer_consents').select('source').where('customer_id', '=', customer.id).where('category', '=', 'whatsapp').executeTakeFirstOrThrow();
  assert.notEqual(source.source, 'otp_verification');
});

test('the customer types the code in the portal: WhatsApp messages are on and the confirmation is shown', async () => {
  const customer = await newCustomer('Pia Portal');
  const { conversationId } = await server.api<{ conversationId: string }>(`/v1/customers/${customer.id}/conversation`, { method: 'POST', body: {} });
  await server.api(`/v1/customers/${customer.id}/whatsapp-verification`, { method: 'POST', body: {} });
  const code = sentCode(customer.phone);
  const link = await withTenant(server.db, server.orgId, (trx) => createPortalLink(trx, server.orgId, conversationId, customer.id, 7, new Date()));
  const g = await newGuardedContext(browser, MOBILE);
  open.push(g);
  const portal = g.page;
  await portal.goto(server.url(`/l/${link}`));
  await portal.getByRole('button', { name: 'Continue' }).click();
  await portal.waitForURL((u) => u.pathname === '/portal');
  await portal.getByRole('link', { name: 'Communication Preferences' }).click();
  const form = portal.getByRole('form', { name: 'Confirm your WhatsApp number' });
  await form.getByLabel('Verification code').fill(code);
  await form.getByRole('button', { name: 'Confirm' }).click();
  await portal.getByText('Your WhatsApp number is confirmed.', { exact: true }).waitFor();
  assert.ok(await portal.getByRole('switch', { name: 'WhatsApp messages' }).isChecked());
  const [entry] = await server.db.selectFrom('consent_audit_log').select(['source', 'performed_by_id']).where('customer_id', '=', customer.id).where('source', '=', 'otp_verification').execute();
  assert.deepEqual(entry, { source: 'otp_verification', performed_by_id: null });
});
