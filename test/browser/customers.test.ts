/**
 * Customers in the staff app (issue 12), in headless Chromium on the demo
 * garage: creating a customer from the directory (four consent rows from the
 * defaults and four audit entries, checked in the database), a duplicate
 * phone offering to open the existing customer, the Communication
 * Preferences card for an advisor (editable, recorded as staff_entry by
 * them) and a technician (read-only, no contact details), the consent
 * history and the state at an instant, saving an unknown sender as a
 * customer from their conversation, starting a conversation, and a reply
 * from a work order's Messages tab appearing live in the inbox.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { screenshot, type GuardedContext } from '../support/browser.js';
import { type DemoRole, type DemoServer, DESKTOP, eventually, signedIn, useDemoBrowser } from './staff-app.js';

let browser: Browser;
let server: DemoServer;
const open: GuardedContext[] = [];

useDemoBrowser(open, (b, s) => { browser = b; server = s; });

const as = (role: DemoRole) => signedIn(browser, server, role, DESKTOP, open);

test('an advisor creates a customer from the directory: four default consent rows and audit entries; a duplicate phone offers the existing customer', async () => {
  const page = await as('advisor');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
  await page.getByRole('button', { name: 'New customer' }).click();
  const dialog = page.getByRole('dialog', { name: 'New customer' });
  await dialog.getByLabel('Name').fill('Grace Evans');
  await dialog.getByLabel('Mobile phone').fill('07700 900 987');
  await dialog.getByLabel('E-mail').fill('grace.evans@example.co.uk');
  await dialog.getByLabel('Vehicle registration').fill('gr17 ace');
  await dialog.getByRole('button', { name: 'Save customer' }).click();
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await page.getByRole('heading', { name: 'Grace Evans' }).waitFor();
  assert.ok(await page.getByText('+447700900987').isVisible(), 'the phone in E.164');
  assert.ok(await page.getByText('GR17 ACE').isVisible());

  const rows = await server.db.selectFrom('customer_consents').selectAll().where('customer_id', '=', id).execute();
  assert.equal(rows.length, 4);
  const defaults = await server.db.selectFrom('consent_defaults').selectAll().where('org_id', '=', server.orgId).executeTakeFirst();
  const expectedSource = defaults ? 'org_default' : 'hardcoded_default';
  assert.ok(rows.every((r) => r.source === expectedSource), JSON.stringify(rows));
  assert.equal(rows.find((r) => r.category === 'marketing')!.granted, defaults?.marketing ?? false);
  const audit = await server.db.selectFrom('consent_audit_log').selectAll().where('customer_id', '=', id).execute();
  assert.equal(audit.length, 4);
  await page.locator('.consent-card .source').nth(3).waitFor();
  assert.equal((await page.locator('.consent-card .source').allTextContents()).filter((t) => t === 'Default').length, 4);

  await page.getByRole('link', { name: 'Customers' }).first().click();
  await page.getByRole('button', { name: 'New customer' }).click();
  const again = page.getByRole('dialog', { name: 'New customer' });
  await again.getByLabel('Name').fill('G. Evans');
  await again.getByLabel('Mobile phone').fill('+44 7700 900987');
  await again.getByRole('button', { name: 'Save customer' }).click();
  await again.getByRole('alert').filter({ hasText: 'already has this phone number' }).waitFor();
  await again.getByRole('button', { name: 'Open the existing customer' }).click();
  await page.waitForURL((u) => u.pathname === `/customers/${id}`);

  await page.goto(server.url('/customers?q=07700900987'));
  await page.locator(`li[data-customer-id="${id}"]`).waitFor();
  assert.equal(await page.locator('ul.directory > li').count(), 1, 'phone search in another format finds exactly them');
});

test('the consent card: an advisor edits it (Set by staff, their name); a technician sees it read-only without contact details; history and state at an instant', async () => {
  const customer = (await server.api<{ customers: Array<{ id: string; name: string; conversationId: string | null }> }>('/v1/customers?pageSize=100')).customers.find((c) => c.conversationId)!;
  const advisor = await as('advisor');
  await advisor.goto(server.url(`/customers/${customer.id}`));
  const card = advisor.getByRole('region', { name: 'Communication Preferences' });
  const whatsapp = card.locator('li[data-category="whatsapp"]');
  await whatsapp.getByRole('switch').waitFor();
  const before = await whatsapp.getByRole('switch').isChecked();
  const beforeChange = new Date();
  await new Promise((r) => setTimeout(r, 1100));
  await whatsapp.getByRole('switch').click();
  await eventually(async () => assert.equal(await whatsapp.locator('.source').textContent(), 'Set by staff'));
  assert.match(await whatsapp.locator('.consent-source').textContent() ?? '', /Sara Advisor|Advisor/);
  const row = await server.db.selectFrom('customer_consents').selectAll().where('customer_id', '=', customer.id).where('category', '=', 'whatsapp').executeTakeFirstOrThrow();
  assert.equal(row.granted, !before);
  assert.equal(row.source, 'staff_entry');
  assert.ok(row.performed_by_id);

  const history = advisor.getByRole('region', { name: 'Consent history' });
  await eventually(async () => assert.ok((await history.locator('tbody tr').first().textContent())?.includes('Set by staff')));
  // Typed the garage's way (dd/mm/yyyy hh:mm:ss), in the browser's local time, which this process shares.
  const p2 = (n: number) => String(n).padStart(2, '0');
  const b = beforeChange;
  const local = `${p2(b.getDate())}/${p2(b.getMonth() + 1)}/${b.getFullYear()} ${p2(b.getHours())}:${p2(b.getMinutes())}:${p2(b.getSeconds())}`;
  await history.getByLabel('Consent at a date and time').fill(local);
  const stateAt = history.getByRole('list', { name: 'Consent at the chosen time' });
  await eventually(async () => assert.match(await stateAt.locator('li[data-category="whatsapp"] strong').textContent() ?? '', before ? /^Granted/ : /^Not granted/));
  await screenshot(advisor, 'customer-profile');
  if (before) {
    // The WhatsApp master switch off: the composer offers WhatsApp disabled, with the reason, instead of failing after Send.
    await advisor.goto(server.url(`/messages?conversation=${customer.conversationId}`));
    const notice = advisor.locator('.channel-disabled[data-channel="whatsapp"]');
    await notice.waitFor();
    assert.match(await notice.textContent() ?? '', /turned off WhatsApp messages/);
    assert.equal(await advisor.getByRole('combobox', { name: 'Send via' }).locator('option[value="whatsapp"]').isDisabled(), true);
  }

  const tech = await as('tech');
  await tech.goto(server.url(`/customers/${customer.id}`));
  const techCard = tech.getByRole('region', { name: 'Communication Preferences' });
  await techCard.getByRole('switch').first().waitFor();
  for (const s of await techCard.getByRole('switch').all()) assert.equal(await s.isDisabled(), true);
  assert.ok(await tech.getByText('Hidden for your role').isVisible());
  const page = await tech.content();
  assert.ok(!/\+447700900\d{3}|@example/.test(page), 'no phone or e-mail in the technician page');
  assert.equal(await tech.getByRole('button', { name: 'New customer' }).count(), 0);
});

test('"Save as customer" on an unknown sender: the conversation becomes the new customer\'s, with four default consent rows and audit entries', async () => {
  const phone = '+447700900654';
  await server.inboundSms(phone, 'Hi, can you fit two front tyres this week?');
  const conversation = await server.db.selectFrom('conversations').select(['id', 'customer_id']).where('org_id', '=', server.orgId).where('contact_phone', '=', phone).executeTakeFirstOrThrow();
  assert.equal(conversation.customer_id, null, 'an unknown sender to begin with');

  const page = await as('advisor');
  await page.goto(server.url(`/messages?range=all_time&conversation=${conversation.id}`));
  const details = page.getByRole('complementary', { name: 'Conversation details' });
  await details.getByRole('button', { name: 'Save as customer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as customer' });
  assert.equal(await dialog.getByLabel('Mobile phone').count(), 0, "the sender's number is used, not typed again");
  await dialog.getByLabel('Name').fill('Tyrone Fitzgerald');
  await dialog.getByLabel('Vehicle registration').fill('ty21 res');
  await dialog.getByRole('button', { name: 'Save customer' }).click();
  await dialog.waitFor({ state: 'detached' });
  await details.getByRole('link', { name: 'Tyrone Fitzgerald' }).waitFor();
  assert.equal(await details.getByRole('button', { name: 'Save as customer' }).count(), 0, 'offered no more once saved');

  const linked = await server.db.selectFrom('conversations').select('customer_id').where('id', '=', conversation.id).executeTakeFirstOrThrow();
  assert.ok(linked.customer_id, 'the conversation belongs to the new customer');
  const customer = await server.db.selectFrom('customers').select(['name', 'phone']).where('id', '=', linked.customer_id).executeTakeFirstOrThrow();
  assert.deepEqual(customer, { name: 'Tyrone Fitzgerald', phone });
  const rows = await server.db.selectFrom('customer_consents').select(['category', 'source']).where('customer_id', '=', linked.customer_id).execute();
  assert.equal(rows.length, 4);
  const defaults = await server.db.selectFrom('consent_defaults').select('org_id').where('org_id', '=', server.orgId).executeTakeFirst();
  assert.ok(rows.every((r) => r.source === (defaults ? 'org_default' : 'hardcoded_default')), JSON.stringify(rows));
  assert.equal((await server.db.selectFrom('consent_audit_log').select('id').where('customer_id', '=', linked.customer_id).execute()).length, 4);

  await details.getByRole('link', { name: 'Tyrone Fitzgerald' }).click();
  await page.waitForURL((u) => u.pathname === `/customers/${linked.customer_id}`);
  await page.locator('h2.customer-name', { hasText: 'Tyrone Fitzgerald' }).waitFor();
  assert.ok(await page.getByText('TY21 RES').isVisible());
});

test("a reply from a work order's Messages tab appears live in the inbox", async () => {
  const wo = (await server.api<{ workOrders: Array<{ id: string; number: string; customer: { id: string } }> }>('/v1/work-orders')).workOrders[0]!;
  const { conversationId } = await server.api<{ conversationId: string }>(`/v1/work-orders/${wo.id}/conversation`);
  const inbox = await as('manager');
  await inbox.goto(server.url(`/messages?range=all_time&conversation=${conversationId}`));
  await inbox.locator(`section.thread-pane[data-conversation-id="${conversationId}"]`).waitFor();
  await inbox.locator('[data-realtime="connected"]').waitFor({ state: 'attached' });

  const advisor = await as('advisor');
  await advisor.goto(server.url(`/work-orders/${wo.id}`));
  await advisor.getByRole('link', { name: 'Messages' }).last().waitFor();
  const thread = advisor.locator(`section.thread-pane[data-conversation-id="${conversationId}"]`);
  await thread.waitFor();
  const text = `From the work order ${Date.now()}`;
  const box = thread.getByRole('textbox').first();
  if (await box.isEditable()) {
    await box.fill(text);
    await thread.getByRole('button', { name: 'Send' }).click();
    await eventually(async () => assert.ok(await inbox.locator('li.entry').filter({ hasText: text }).count() > 0, 'the inbox shows the reply live'), 15_000);
  } else {
    assert.fail('the composer is not editable on the work order tab');
  }
  await screenshot(advisor, 'work-order-messages');

  const embed = await as('advisor');
  await embed.goto(server.url(`/work-orders/${wo.id}/messages?embed=1`));
  await embed.locator(`section.thread-pane[data-conversation-id="${conversationId}"]`).waitFor();
  assert.equal(await embed.locator('header.app-header').count(), 0, 'the embed has no app header');
});
