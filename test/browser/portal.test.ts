/**
 * The customer portal (issue 11 items 1–6) in real headless Chromium against
 * the real server with the demo garage: a magic link → Continue → the
 * thread (390 px and desktop); link scanners sign nobody in; text and photos
 * arrive live in an open staff browser; a staff reply arrives live with the
 * unread badge; read receipts on both sides; Communication Preferences
 * (audited, the locked toggle's tooltip); refused photos; screenshots
 * docs/screenshots/portal-*.png.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { withTenant } from '../../src/db/tenant.js';
import { createPortalLink } from '../../src/sending/portal-links.js';
import { closeContexts, launchChromium, newGuardedContext, screenshot, type GuardedContext } from '../support/browser.js';
import { DESKTOP, eventually, MOBILE, signedIn, startDemoServer, type DemoServer } from './staff-app.js';

declare const document: { documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };

let browser: Browser;
let server: DemoServer;
let files: string;
const open: GuardedContext[] = [];

before(async () => {
  [browser, server] = await Promise.all([launchChromium(), startDemoServer()]);
  files = await mkdtemp(join(tmpdir(), 'tf-portal-files-'));
});
afterEach(() => closeContexts(open));
after(async () => {
  await browser?.close();
  await server?.close();
  await rm(files, { recursive: true, force: true });
});

type Customer = { customerId: string; conversationId: string; name: string };

/** A demo customer with a conversation, with or without an active work order, not used by another test. */
const used = new Set<string>();
async function demoCustomer(activeWorkOrder: boolean): Promise<Customer> {
  const rows = await server.db.selectFrom('conversations as c').innerJoin('customers as cu', 'cu.id', 'c.customer_id')
    .select(['c.id as conversationId', 'cu.id as customerId', 'cu.name as name'])
    .select((eb) => eb.exists(eb.selectFrom('work_orders as w').select('w.id').whereRef('w.customer_id', '=', 'cu.id').where('w.status', 'not in', ['completed', 'cancelled'])).as('active'))
    .where('c.org_id', '=', server.orgId).orderBy('c.last_activity_at', 'desc').execute();
  const row = rows.find((r) => Boolean(r.active) === activeWorkOrder && !used.has(r.customerId));
  assert.ok(row, `a demo customer with${activeWorkOrder ? '' : 'out'} an active work order`);
  used.add(row.customerId);
  return row;
}

const link = (c: Customer) => withTenant(server.db, server.orgId, (trx) => createPortalLink(trx, server.orgId, c.conversationId, c.customerId, 7, new Date()));

async function customerPage(options: BrowserContextOptions): Promise<Page> {
  const g = await newGuardedContext(browser, options);
  open.push(g);
  return g.page;
}

/** Open the magic link and tap Continue, as a customer does. */
async function signInToPortal(c: Customer, options: BrowserContextOptions = MOBILE): Promise<Page> {
  const page = await customerPage(options);
  await page.goto(server.url(`/l/${await link(c)}`));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.pathname === '/portal');
  await page.getByRole('heading', { level: 1, name: 'Acme Motors' }).waitFor();
  await page.locator('.bubbles > li').first().waitFor();
  return page;
}

const photo = (hue: number) => sharp({ create: { width: 900, height: 700, channels: 3, background: { r: hue, g: 120, b: 255 - hue } } }).jpeg().toBuffer();
const mediaCount = async () => Number((await server.db.selectFrom('media_objects').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const portalMessages = async (conversationId: string) => server.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('channel', '=', 'portal').execute();

test('magic link → Continue → the thread, at 390 px and on a desktop: garage name, navigation, senders, times, channels, no sideways scrolling', async () => {
  for (const [options, shot] of [[MOBILE, 'portal-thread'], [DESKTOP, 'portal-thread-desktop']] as const) {
    const c = await demoCustomer(false);
    const page = await signInToPortal(c, options);
    const nav = page.getByRole('navigation', { name: 'Portal' });
    assert.equal(await nav.getByRole('link', { name: /^Messages/ }).getAttribute('aria-current'), 'page');
    assert.ok(await nav.getByRole('link', { name: 'Communication Preferences' }).isVisible());
    const stored = await server.db.selectFrom('messages').select(['id', 'direction', 'status']).where('conversation_id', '=', c.conversationId).execute();
    const visible = stored.filter((m) => m.direction !== 'internal' && m.status !== 'pending_approval' && m.status !== 'rejected');
    const shown = await page.locator('.bubbles > li').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { messageId: string } }).dataset.messageId));
    assert.ok(shown.length > 0 && shown.length <= visible.length);
    assert.ok(shown.every((id) => visible.some((m) => m.id === id)), 'no internal note or draft is shown');
    const meta = await page.locator('.bubble-meta').first().textContent();
    assert.match(meta ?? '', /\d{2}:\d{2}/, 'a local time');
    assert.ok(await page.locator('.bubble-meta .channel-tag').first().isVisible(), 'a channel label');
    const layout = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(layout.scrollWidth <= layout.viewport, `no sideways scrolling at ${layout.viewport}px`);
    const login = await server.db.selectFrom('customers').select('portal_last_login_at').where('id', '=', c.customerId).executeTakeFirstOrThrow();
    assert.ok(login.portal_last_login_at, 'the sign-in updated the last portal login');
    await screenshot(page, shot);
  }
});

test('a prefetch or HEAD of the link signs nobody in and leaves the link working', async () => {
  const c = await demoCustomer(false);
  const code = await link(c);
  const page = await customerPage(MOBILE);
  assert.equal((await page.request.head(server.url(`/l/${code}`))).status(), 200);
  assert.equal((await page.request.get(server.url(`/l/${code}`))).status(), 200);
  assert.deepEqual((await page.context().cookies()).filter((k) => k.name === 'tf_portal'), [], 'no portal cookie');
  const res = await page.goto(server.url('/portal'));
  assert.equal(res?.status(), 401);
  assert.ok(await page.getByRole('heading', { name: /open the link from your latest text/ }).isVisible());
  const sessions = await server.db.selectFrom('portal_sessions').select('id').where('conversation_id', '=', c.conversationId).execute();
  assert.equal(sessions.length, 0);
  await page.goto(server.url(`/l/${code}`));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Acme Motors' }).waitFor();
});

test('text + 3 photos from the portal arrive live in an open staff browser; the staff reply arrives live in the portal with the unread badge; read receipts change on both sides', async () => {
  const c = await demoCustomer(false);
  const staff = await signedIn(browser, server, 'advisor', DESKTOP, open);
  const portal = await signInToPortal(c);

  await portal.getByRole('textbox', { name: 'Message' }).fill('Here is the noise, and the scrape on the door');
  const paths = [];
  for (const [i, hue] of [40, 130, 220].entries()) {
    const path = join(files, `photo-${i + 1}.jpg`);
    await writeFile(path, await photo(hue));
    paths.push(path);
  }
  await portal.getByLabel('Add photos').setInputFiles(paths);
  await portal.locator('.picked img').nth(2).waitFor();
  await screenshot(portal, 'portal-composer');
  // The staff member has the inbox open (not this thread) when the message arrives.
  await staff.goto(server.url('/messages?range=all_time'));
  await staff.locator('[data-realtime="connected"]').waitFor({ state: 'attached' });
  await portal.getByRole('button', { name: 'Send' }).click();
  const mine = portal.locator('.bubble-row.mine').last();
  await mine.getByText('Here is the noise').waitFor();
  await eventually(async () => assert.equal(await mine.locator('.thumbs img').count(), 3));
  assert.equal(await mine.locator('[data-receipt]').textContent(), 'Delivered');

  const [stored] = (await portalMessages(c.conversationId)).filter((m) => m.direction === 'inbound');
  assert.ok(stored, 'stored as an inbound portal message');
  assert.equal(stored.media.length, 3);
  const row = staff.locator(`ul.rows > li[data-conversation-id="${c.conversationId}"]`);
  await row.waitFor();
  await eventually(async () => assert.match((await row.textContent()) ?? '', /Here is the noise/), 15_000);
  await row.click();
  const entry = staff.locator(`li.entry[data-message-id="${stored.id}"]`);
  await entry.waitFor();
  assert.ok(await entry.getByText('Here is the noise').isVisible(), 'the staff thread shows the portal message');
  // With its three photos as thumbnails that loaded (each opens full size).
  const thumbs = entry.getByRole('button', { name: /View .* full size/ });
  await eventually(async () => assert.equal(await thumbs.count(), 3));
  await eventually(async () => assert.deepEqual(await thumbs.locator('img').evaluateAll((imgs) => imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0)), [true, true, true], 'the thumbnails loaded'), 15_000);
  // Opening the thread marks it read: the customer sees it live.
  await eventually(async () => assert.match((await mine.locator('[data-receipt]').textContent()) ?? '', /^Read /));

  // The customer is on the preferences page when the garage replies on the portal channel.
  await portal.getByRole('link', { name: 'Communication Preferences' }).click();
  await portal.getByRole('heading', { name: 'Communication Preferences' }).waitFor();
  const reply = staff.getByRole('form', { name: 'Reply' });
  await reply.getByLabel('Send via').selectOption('portal');
  await reply.getByRole('textbox', { name: 'Message' }).fill('Thanks, we will take a look this afternoon.');
  await reply.getByRole('button', { name: 'Send' }).click();
  const badge = portal.locator('nav .badge');
  await eventually(async () => assert.equal(await badge.textContent(), '1'), 15_000);
  const sent = (await portalMessages(c.conversationId)).find((m) => m.direction === 'outbound');
  assert.ok(sent, 'the reply is a portal message');
  await portal.getByRole('link', { name: /^Messages/ }).click();
  await portal.getByText('Thanks, we will take a look this afternoon.').waitFor();
  await eventually(async () => assert.equal(await badge.count(), 0, 'the badge clears once the thread is open'));
  // Staff see their portal message move to read.
  await eventually(async () => {
    const m = await server.db.selectFrom('messages').select(['status', 'portal_read_at']).where('id', '=', sent.id).executeTakeFirstOrThrow();
    assert.equal(m.status, 'read');
    assert.ok(m.portal_read_at);
  });
  await eventually(async () => assert.match((await staff.locator(`li.entry[data-message-id="${sent.id}"]`).textContent()) ?? '', /read/i));
});

test('preferences: each toggle saves at once with a toast and an audited entry; Work order updates is locked on with a tooltip', async () => {
  const c = await demoCustomer(true);
  const page = await signInToPortal(c);
  await page.getByRole('link', { name: 'Communication Preferences' }).click();
  await page.locator('.pref-label').nth(3).waitFor(); // the toggles render once the preferences have loaded
  const labels = await page.locator('.pref-label').allTextContents();
  assert.deepEqual(labels, ['Work order updates', 'Service & MOT reminders', 'Offers & promotions', 'WhatsApp messages']);
  const workOrders = page.getByRole('switch', { name: 'Work order updates' });
  assert.ok(await workOrders.isChecked());
  assert.ok(await workOrders.isDisabled());
  const anchor = page.getByLabel('Why is Work order updates always on?');
  await anchor.hover();
  const tooltip = page.getByRole('tooltip');
  await tooltip.waitFor();
  assert.match((await tooltip.textContent()) ?? '', /active work order/);
  await screenshot(page, 'portal-preferences');

  const offers = page.getByRole('switch', { name: 'Offers & promotions' });
  const before = await offers.isChecked();
  await offers.click();
  await page.getByRole('status').getByText('Your preferences have been saved.').waitFor();
  assert.equal(await offers.isChecked(), !before);
  const entry = await server.db.selectFrom('consent_audit_log').selectAll().where('customer_id', '=', c.customerId).where('category', '=', 'marketing')
    .orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  assert.equal(entry.source, 'portal_preference');
  assert.equal(entry.action, before ? 'revoked' : 'granted');
  assert.equal(entry.previous_value, before);
  assert.ok(entry.ip_address, 'the IP address is recorded');
  assert.match(entry.user_agent ?? '', /Chrome|Mozilla/);
  const consent = await server.db.selectFrom('customer_consents').select('granted').where('customer_id', '=', c.customerId).where('category', '=', 'marketing').executeTakeFirstOrThrow();
  assert.equal(consent.granted, !before, 'the send rules see the change at once');
  const refused = await page.request.put(server.url('/portal/api/preferences/transactional'), { data: { granted: false } });
  assert.equal(refused.status(), 409, 'the locked toggle cannot be changed through the API either');
});

test('a 6th photo, a PDF renamed .jpg and a 30 MB file are refused with clear errors, and nothing is stored', async () => {
  const c = await demoCustomer(false);
  const page = await signInToPortal(c);
  const messagesBefore = (await portalMessages(c.conversationId)).length;
  const mediaBefore = await mediaCount();
  const six = [];
  for (let i = 0; i < 6; i++) {
    const path = join(files, `six-${i + 1}.jpg`);
    await writeFile(path, await photo(i * 40));
    six.push(path);
  }
  await page.getByLabel('Add photos').setInputFiles(six);
  await page.getByRole('alert').getByText('six-6.jpg: you can attach up to 5 photos per message.').waitFor();
  assert.equal(await page.locator('.picked li').count(), 5);
  for (const name of await page.locator('.picked li img').evaluateAll((els) => els.map((e) => (e as unknown as { alt: string }).alt))) {
    await page.getByRole('button', { name: `Remove ${name}` }).click();
  }

  const pdf = join(files, 'invoice.jpg');
  await writeFile(pdf, Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'));
  const huge = join(files, 'huge.jpg');
  await writeFile(huge, Buffer.concat([await photo(10), Buffer.alloc(30 * 1024 * 1024)]));
  await page.getByRole('textbox', { name: 'Message' }).fill('These should not go');
  await page.getByLabel('Add photos').setInputFiles([pdf, huge]);
  await page.getByRole('button', { name: 'Send' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText(/^invoice\.jpg: /).waitFor({ timeout: 30_000 });
  await alert.getByText(/^huge\.jpg: photos can be at most 20 MB/).waitFor();
  assert.match((await alert.getByText(/^invoice\.jpg: /).textContent()) ?? '', /JPG|PNG|photo/i);
  assert.equal((await portalMessages(c.conversationId)).length, messagesBefore, 'no message stored');
  assert.equal(await mediaCount(), mediaBefore, 'no media stored');
  await screenshot(page, 'portal-refused');
});
