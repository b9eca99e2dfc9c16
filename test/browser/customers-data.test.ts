/**
 * The customer's data in the staff app (issue 12 items 3, 4, 5, 8), in
 * headless Chromium on the demo garage: a manager downloads the Subject
 * Access Request zip from the profile and it is opened and checked (cover
 * page, data.json, formula-safe CSV, the photo from the media store); a
 * technician is offered no export and the server refuses it; an advisor
 * imports a CSV with a bad row from the directory (per-row error shown, the
 * good row stored), sends a portal invite from the profile, and starts a
 * conversation from the directory.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { closeContexts, launchChromium, screenshot, type GuardedContext } from '../support/browser.js';
import { DESKTOP, eventually, signedIn, startDemoServer, type DemoRole, type DemoServer } from './staff-app.js';
import { openMediaStore } from '../../src/media/open-store.js';
import { FORMULA_BODY, PHOTO_BYTES, seedSarCustomer, type SarCustomer } from '../support/sar-fixture.js';
import { uniquePhone } from '../support/fixtures.js';

let browser: Browser;
let server: DemoServer;
let customer: SarCustomer;
const open: GuardedContext[] = [];

before(async () => {
  [browser, server] = await Promise.all([launchChromium(), startDemoServer()]);
  customer = await seedSarCustomer(server.db, openMediaStore(server.config), server.orgId, { messages: 30, name: 'Sara Access' });
});
afterEach(() => closeContexts(open));
after(async () => {
  await browser?.close();
  await server?.close();
});

const as = (role: DemoRole) => signedIn(browser, server, role, DESKTOP, open);

test('a manager downloads the SAR export from the profile: the zip opens with the cover page, data, safe CSV and media', async () => {
  const page = await as('manager');
  await page.goto(server.url(`/customers/${customer.customerId}`));
  await page.locator('#details-title', { hasText: 'Sara Access' }).waitFor();
  const link = page.getByRole('link', { name: 'Download data (SAR export)' });
  await link.waitFor();
  await page.getByRole('region', { name: 'Portal and data' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'customer-profile-data');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^sar-sara-access-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await JSZip.loadAsync(await readFile((await download.path())!));
  const cover = await zip.file('cover-page.txt')!.async('string');
  for (const needed of [/Twilio/, /Meta/, /retention/i, /rectification/, /erasure/, /Information\s+Commissioner/, /AI receptionist/]) assert.match(cover, needed);
  const data = JSON.parse(await zip.file('data.json')!.async('string'));
  assert.equal(data.customer.name, 'Sara Access');
  assert.equal(data.messages.length, 30);
  assert.equal(data.consent_history.length, 6);
  assert.equal(data.portal_sessions.length, 1);
  const messages: Array<Record<string, string>> = parse(await zip.file('csv/messages.csv')!.async('string'), { columns: true });
  assert.ok(messages.some((m) => m.body === `'${FORMULA_BODY}`), 'the formula is neutralised in the CSV');
  assert.deepEqual(await zip.file(`media/${customer.mediaId}.png`)!.async('nodebuffer'), PHOTO_BYTES);
  await eventually(async () => {
    const audited = await server.db.selectFrom('staff_audit_log').select('id').where('action', '=', 'customer.exported').where('target_id', '=', customer.customerId).execute();
    assert.equal(audited.length, 1);
  });
});

test('a technician is offered no SAR export, and the server refuses it', async () => {
  const page = await as('tech');
  await page.goto(server.url(`/customers/${customer.customerId}`));
  await page.locator('#details-title', { hasText: 'Sara Access' }).waitFor();
  await page.getByRole('region', { name: 'Communication Preferences' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Download data (SAR export)' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /Send portal invite/ }).count(), 0);
  const res = await page.request.get(server.url(`/v1/customers/${customer.customerId}/export`));
  assert.equal(res.status(), 403);
  assert.equal((await res.json()).error.code, 'forbidden');
});

test('an advisor imports a CSV with a bad row, sends a portal invite and starts a conversation from the directory', async () => {
  const page = await as('advisor');
  await page.goto(server.url('/customers'));
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import customers' });
  const phone = uniquePhone();
  await dialog.getByLabel('CSV file').setInputFiles({
    name: 'customers.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`name,phone,registrations,consent_marketing\nImran Import,${phone},IM12 PRT,yes\nBroken Row,12,,\n`),
  });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await dialog.getByText('Imported 1 customer.').waitFor();
  assert.match(await dialog.getByRole('list', { name: 'Rows not imported' }).innerText(), /Row 3, phone: "12" is not a phone number/);
  const imported = await server.db.selectFrom('customers').select('id').where('org_id', '=', server.orgId).where('phone', '=', phone).executeTakeFirstOrThrow();
  const marketing = await server.db.selectFrom('customer_consents').select(['granted', 'source']).where('customer_id', '=', imported.id).where('category', '=', 'marketing').executeTakeFirstOrThrow();
  assert.deepEqual(marketing, { granted: true, source: 'import' });
  assert.equal((await server.db.selectFrom('customers').select('id').where('org_id', '=', server.orgId).where('name', '=', 'Broken Row').execute()).length, 0);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByLabel('Search customers').fill('Imran Import');
  const row = page.locator(`li[data-customer-id="${imported.id}"]`);
  await row.waitFor();
  await row.getByRole('button', { name: 'Start a conversation with Imran Import' }).click();
  await page.waitForURL((u) => u.pathname === `/customers/${imported.id}`);
  await eventually(async () => {
    const c = await server.db.selectFrom('conversations').select('id').where('customer_id', '=', imported.id).execute();
    assert.equal(c.length, 1);
  });

  await page.getByRole('button', { name: 'Send portal invite by SMS' }).click();
  await page.getByRole('status').filter({ hasText: 'Portal invite sent by SMS.' }).waitFor();
  const invite = await server.db.selectFrom('messages as m').innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.body', 'm.channel']).where('c.customer_id', '=', imported.id).executeTakeFirstOrThrow();
  assert.equal(invite.channel, 'sms');
  assert.match(invite.body, /customer portal: \S+\/l\/[A-Za-z0-9]{16}/);
});
