/**
 * The staff Messages app (issue 6) in real headless Chromium against the
 * real server on the demo garage: the page and its tabs per role, the
 * conversation list (range, filters, counts, URL, remembered preset, the
 * one-time banner, empty state, Load more, channel icons), the thread
 * (alignment, statuses, calls, Load earlier, marking read), the composer
 * (WhatsApp window and templates, SMS segments, quick messages, portal
 * banners), the details sidebar at three widths, keyboard use, the first
 * screen's load time (printed, never asserted) and the screenshots in
 * docs/screenshots/.
 *
 * Live updates, the Approval Queue and the real-time banner: inbox-live.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { contrastRatio, newGuardedContext, screenshot, type GuardedContext } from '../support/browser.js';
import { withTenant } from '../../src/db/tenant.js';
import { type DemoRole, type DemoServer, DESKTOP, eventually, MOBILE, signedIn, TABLET, useDemoBrowser } from './staff-app.js';

// What the page-side functions given to evaluate use (the project's tsconfig has no DOM library).
declare function getComputedStyle(element: unknown): { color: string; outlineStyle: string; outlineWidth: string; outlineColor: string; backgroundColor: string };
declare const document: { documentElement: { scrollWidth: number }; activeElement: unknown };
declare const window: { innerWidth: number };
declare const performance: { getEntriesByName(name: string): Array<{ startTime: number }>; getEntriesByType(type: string): Array<{ responseEnd: number; domContentLoadedEventEnd: number }> };

type Row = { id: string; displayName: string; lastChannel: string | null; unreadCount: number; whatsappWindow: { state: string }; customer: { id: string; name: string } | null };

let browser: Browser;
let server: DemoServer;
const open: GuardedContext[] = [];
const DAY = 86_400_000;

useDemoBrowser(open, (b, s) => { browser = b; server = s; });

const as = (role: DemoRole, options = DESKTOP, init?: string) => signedIn(browser, server, role, options, open, init);
const rows = (page: Page) => page.locator('ul.rows > li[data-conversation-id]');
const dateChip = (page: Page, name: string) => page.getByRole('group', { name: 'Date range' }).getByRole('button', { name, exact: true });
const filterChip = (page: Page, name: string) => page.getByRole('group', { name: 'Show conversations' }).getByRole('button', { name: new RegExp(`^${name}\\b`) });
const count = async (page: Page, filter: string) => Number(await page.locator(`[data-filter-count="${filter}"]`).textContent());
const list = async (query: string): Promise<Row[]> => (await server.api<{ conversations: Row[] }>(`/v1/conversations?${query}`)).conversations;
const searchParams = (page: Page) => new URL(page.url()).searchParams;

async function openConversation(page: Page, id: string) {
  await page.goto(server.url(`/messages?conversation=${id}`));
  await page.locator(`section.thread-pane[data-conversation-id="${id}"]`).waitFor();
}

test('layout: no sideways scrolling or overlap at 390, 1100 and 1440 px, and the screenshots', async () => {
  const r = (await list('range=all_time&limit=200')).find((x) => x.customer && x.lastChannel === 'whatsapp' && x.whatsappWindow.state === 'open')!;
  for (const [name, options] of [['inbox-desktop', DESKTOP], ['inbox-tablet', TABLET], ['inbox-mobile', MOBILE]] as const) {
    const page = await as('manager', options, "localStorage.setItem('tf.inbox.defaultRangeBannerDismissed', '1')");
    await page.goto(server.url(name === 'inbox-mobile' ? '/messages' : `/messages?conversation=${r.id}`));
    await rows(page).first().waitFor();
    if (name !== 'inbox-mobile') await page.locator('li.entry').first().waitFor();
    const width = options.viewport!.width;
    const layout = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(layout.scrollWidth <= layout.viewport, `${width}: no sideways scrolling (${layout.scrollWidth} > ${layout.viewport})`);
    await screenshot(page, name);
  }
  const phone = await as('manager', MOBILE, "localStorage.setItem('tf.inbox.defaultRangeBannerDismissed', '1')");
  await phone.goto(server.url(`/messages?conversation=${r.id}`));
  await phone.locator('li.entry').first().waitFor();
  await screenshot(phone, 'inbox-mobile-thread');
});

test('the page: header, sub-nav per role, AI Analytics only when AI is on, and no Messages without messages.view', async () => {
  const owner = await as('owner');
  assert.equal(await owner.getByRole('heading', { level: 1 }).textContent(), 'Messages');
  assert.ok(await owner.getByText('Customer conversations').isVisible());
  const nav = owner.getByRole('navigation', { name: 'Messages sections' });
  assert.deepEqual(await nav.locator('.nav-label').allTextContents(), ['Inbox', 'Approval Queue'], 'AI is off in the demo garage');
  assert.equal(await nav.getByRole('link', { name: 'Inbox' }).getAttribute('aria-current'), 'page');

  const advisor = await as('advisor');
  assert.deepEqual(await advisor.getByRole('navigation', { name: 'Messages sections' }).locator('.nav-label').allTextContents(), ['Inbox'], 'no Approval Queue without messages.approve');
  await advisor.goto(server.url('/messages/approvals'));
  assert.equal(await advisor.getByRole('link', { name: 'Inbox' }).getAttribute('aria-current'), 'page', 'the queue address falls back to the inbox');

  await server.db.updateTable('organisations').set({ ai_enabled: true }).where('id', '=', server.orgId).execute();
  try {
    await owner.reload();
    assert.deepEqual(await nav.locator('.nav-label').allTextContents(), ['Inbox', 'Approval Queue', 'AI Analytics']);
    await nav.getByRole('link', { name: 'AI Analytics' }).click();
    await owner.waitForURL((u) => u.pathname === '/messages/analytics');
    assert.ok(await owner.getByRole('heading', { name: 'AI Analytics' }).isVisible());
    await nav.getByRole('link', { name: 'Inbox' }).click();
    await rows(owner).first().waitFor();
  } finally {
    await server.db.updateTable('organisations').set({ ai_enabled: false }).where('id', '=', server.orgId).execute();
  }

  // A role without messages.view (made by the owner through the API) lands on the dashboard.
  const role = await server.api<{ id: string }>('/v1/roles', { body: { name: 'Bookkeeper', capabilities: ['audit.view'] } });
  await server.api('/v1/staff', { body: { email: 'books@acme-motors.example', name: 'Bea Books', roleId: role.id, password: 'torqueflow-demo' } });
  const books = await signedInAs('books@acme-motors.example');
  assert.equal(new URL(books.url()).pathname, '/dashboard');
  await books.goto(server.url('/messages?conversation=x'));
  assert.equal(new URL(books.url()).pathname, '/dashboard');
});

async function signedInAs(email: string): Promise<Page> {
  const g = await newGuardedContext(browser);
  open.push(g);
  await g.page.goto(server.url('/login'));
  await g.page.getByLabel('Email').fill(email);
  await g.page.getByLabel('Password').fill('torqueflow-demo');
  await g.page.getByRole('button', { name: 'Sign in' }).click();
  await g.page.waitForURL((u) => u.pathname !== '/login');
  return g.page;
}

test('the server: the app page carries who is signed in, assets are cached for good, and without a build /messages is a 503 saying how to build it', async () => {
  const signIn = await fetch(server.url('/auth/sign-in'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'advisor@acme-motors.example', password: 'torqueflow-demo' }) });
  assert.equal(signIn.status, 200);
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const pageRes = await fetch(server.url('/messages?conversation=anything'), { headers: { cookie } });
  assert.equal(pageRes.status, 200);
  assert.equal(pageRes.headers.get('cache-control'), 'no-store');
  const html = await pageRes.text();
  const boot = JSON.parse(html.match(/<script id="tf-bootstrap" type="application\/json">(.*?)<\/script>/)![1]!);
  assert.equal(boot.me.name, 'Sara Advisor');
  assert.ok(boot.me.capabilities.includes('messages.send') && !boot.me.capabilities.includes('messages.approve'));
  const asset = html.match(/\/messages\/assets\/[^"]+\.js/)![0];
  const assetRes = await fetch(server.url(asset));
  assert.equal(assetRes.status, 200);
  assert.match(assetRes.headers.get('cache-control') ?? '', /immutable/);
  assert.equal((await fetch(server.url('/messages/deep/link'), { headers: { cookie } })).status, 200, 'an SPA fallback below /messages');

  const { default: Fastify } = await import('fastify');
  const { default: cookiePlugin } = await import('@fastify/cookie');
  const { staffAppRoutes } = await import('../../src/web/staff-app.routes.js');
  const bare = Fastify();
  await bare.register(cookiePlugin);
  await bare.register((scope) => staffAppRoutes(scope, { db: server.db, distDir: '/nonexistent/torqueflow-web/' }));
  try {
    const missing = await bare.inject({ url: '/messages', headers: { cookie } });
    assert.equal(missing.statusCode, 503);
    assert.match(missing.body, /npm run build:web/);
    const signedOut = await bare.inject({ url: '/messages' });
    assert.equal(signedOut.statusCode, 303);
    assert.equal(signedOut.headers.location, '/login?next=%2Fmessages');
  } finally {
    await bare.close();
  }
});

test('signed out, /messages?conversation=… goes to sign in and comes back to the same address', async () => {
  const g = await newGuardedContext(browser);
  open.push(g);
  const [first] = await list('range=all_time&limit=1');
  await g.page.goto(server.url(`/messages?conversation=${first!.id}`));
  assert.equal(new URL(g.page.url()).pathname, '/login');
  await g.page.getByLabel('Email').fill('manager@acme-motors.example');
  await g.page.getByLabel('Password').fill('torqueflow-demo');
  await g.page.getByRole('button', { name: 'Sign in' }).click();
  await g.page.locator(`section.thread-pane[data-conversation-id="${first!.id}"]`).waitFor();
});

test('the list: Last 30 days by default with the one-time banner, counts, "Showing", the URL, and the remembered preset', async () => {
  const page = await as('manager');
  await rows(page).first().waitFor();
  assert.equal(searchParams(page).get('range'), 'last_30_days', 'the effective range is in the address');
  assert.equal(await dateChip(page, 'Last 30 days').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('.showing').textContent(), 'Showing: Last 30 days');
  const banner = page.getByRole('region', { name: 'About the date range' });
  assert.ok(await banner.isVisible(), 'the one-time banner explains the default');

  // Counts match the API, for this manager.
  const api = await server.api<{ counts: Record<string, number> }>('/v1/conversations?range=last_30_days');
  for (const f of ['all', 'unread', 'unassigned']) assert.equal(await count(page, f), api.counts[f], `${f} count`);
  const mine = await count(page, 'mine');
  assert.ok(mine > 0, 'the demo assigns some conversations to the manager');

  await filterChip(page, 'Mine').click();
  await eventually(async () => assert.equal(await rows(page).count(), mine));
  assert.equal(searchParams(page).get('filter'), 'mine');
  await filterChip(page, 'All').click();
  assert.equal(searchParams(page).get('filter'), null);

  await banner.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await banner.count(), 0);

  // All time shows the older threads; the preset is remembered by the browser.
  await dateChip(page, 'All time').click();
  await eventually(async () => assert.equal(await page.locator('.showing').textContent(), 'Showing: All time'));
  assert.equal(searchParams(page).get('range'), 'all_time');
  await eventually(async () => assert.ok((await count(page, 'all')) > api.counts.all!, 'All time counts more than the last 30 days'));
  await page.goto(server.url('/messages'));
  await rows(page).first().waitFor();
  assert.equal(searchParams(page).get('range'), 'all_time', 'returning to the inbox lands on the same scope');
  assert.equal(await page.getByRole('region', { name: 'About the date range' }).count(), 0, 'the banner does not return');

  // A shared address wins over the remembered preset.
  await page.goto(server.url('/messages?range=today&filter=unread'));
  await page.locator('.showing').filter({ hasText: 'Showing: Today' }).waitFor();
  assert.equal(await filterChip(page, 'Unread').getAttribute('aria-pressed'), 'true');
});

test('Custom… opens an inline picker (dd/mm/yyyy, whatever the browser\'s language), refetches when both dates are set, and remembers the last custom range; an empty range offers All time', async () => {
  const page = await as('owner');
  await rows(page).first().waitFor();
  await dateChip(page, 'Custom…').click();
  const picker = page.getByRole('group', { name: 'Custom date range' });
  assert.ok(await picker.isVisible());
  assert.equal(await picker.getByLabel('From').getAttribute('placeholder'), 'dd/mm/yyyy', 'the garage\'s date format, not the browser\'s (en-US here)');
  await picker.getByLabel('From').fill('01/01/2020');
  assert.notEqual(searchParams(page).get('range'), 'custom', 'one date is not a range yet');
  await picker.getByLabel('To').fill('31/02/2020');
  assert.equal(await picker.getByLabel('To').getAttribute('aria-invalid'), 'true', '31 February is not a date');
  assert.notEqual(searchParams(page).get('range'), 'custom');
  await picker.getByLabel('To').fill('31/01/2020');
  await page.waitForURL((u) => u.searchParams.get('range') === 'custom' && u.searchParams.get('start') === '2020-01-01' && u.searchParams.get('end') === '2020-01-31');
  await page.getByText('No conversations in this date range.').waitFor();
  assert.equal(await page.locator('.showing').textContent(), 'Showing: 1 Jan 2020 – 31 Jan 2020');

  await dateChip(page, 'Last 30 days').click();
  await rows(page).first().waitFor();
  await dateChip(page, 'Custom…').click();
  assert.equal(await picker.getByLabel('From').inputValue(), '01/01/2020', 'the last custom range is remembered, shown dd/mm/yyyy');
  assert.equal(searchParams(page).get('start'), '2020-01-01');

  await page.getByRole('button', { name: 'Show All time' }).click();
  await rows(page).first().waitFor();
  assert.equal(searchParams(page).get('range'), 'all_time');
});

test('search ignores the range, and rows show name, preview, time, unread badge and the channel icon in its colour', async () => {
  const page = await as('owner', DESKTOP);
  // Today may hold no conversation yet (just after midnight in the garage): wait for the scope, not for rows.
  await page.goto(server.url('/messages?range=today'));
  await page.locator('.showing').filter({ hasText: 'Showing: Today' }).waitFor();
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('cambelt');
  await page.waitForURL((u) => u.searchParams.get('q') === 'cambelt');
  await eventually(async () => assert.equal(await rows(page).first().locator('.row-name').textContent(), 'Imran Qureshi',
    `search results (${await page.locator('.error-box').allTextContents()})`), 5000);
  assert.equal(await page.locator('.showing').textContent(), 'Showing: search results across all time');
  assert.equal(await rows(page).locator('mark').first().textContent(), 'cambelt', 'the match is highlighted');
  await rows(page).first().getByRole('link').click();
  const found = page.locator('li.entry.found');
  await found.waitFor();
  assert.match(await found.textContent() ?? '', /cambelt/, 'the thread marks the message that matched');
  assert.equal(searchParams(page).get('q'), 'cambelt', 'the search stays while reading the result');
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('');

  await page.goto(server.url('/messages?range=all_time'));
  await rows(page).first().waitFor();
  const colours: Record<string, string> = { portal: 'rgb(95, 107, 122)', whatsapp: 'rgb(21, 128, 61)', sms: 'rgb(29, 78, 216)', voice: 'rgb(126, 34, 206)' };
  for (const channel of ['whatsapp', 'sms', 'voice']) {
    const icon = rows(page).locator(`.channel-icon[data-channel="${channel}"]`).first();
    assert.equal(await icon.evaluate((el) => getComputedStyle(el).color), colours[channel], `${channel} icon colour`);
    assert.ok(await icon.locator('svg title').count(), `${channel} icon has a text alternative`);
  }
  const voiceRow = rows(page).filter({ has: page.locator('.channel-icon[data-channel="voice"]') }).first();
  assert.match(await voiceRow.locator('.row-preview').textContent() ?? '', /Voice call - 41s - ended|Voicemail - 0:38/);
  const unreadRow = rows(page).filter({ has: page.locator('.unread-badge') }).first();
  assert.match(await unreadRow.locator('.unread-badge').textContent() ?? '', /^\d+$/);
  assert.match(await unreadRow.locator('.row-time').textContent() ?? '', /\S/);
});

test('the list loads 50 at a time with Load more', async () => {
  // 15 more senders today, so Last 30 days has more than one page of 50.
  for (let i = 0; i < 15; i++) await server.inboundSms(`+4477009008${String(i).padStart(2, '0')}`, `New enquiry ${i}`);
  const page = await as('owner');
  await rows(page).first().waitFor();
  const total = await count(page, 'all');
  assert.ok(total > 50, `more than one page in the last 30 days (${total})`);
  assert.equal(await rows(page).count(), 50);
  await page.getByRole('button', { name: 'Load more' }).click();
  await eventually(async () => assert.equal(await rows(page).count(), total));
  assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
});

test('the thread: opening marks read, messages align by direction with sender, time, channel and status, calls show as cards, Load earlier', async () => {
  const all = await list('range=all_time&limit=200');
  const unread = all.find((r) => r.unreadCount > 0 && r.lastChannel === 'sms' && r.customer)!;
  // A long history for Load earlier.
  const entries = Array.from({ length: 70 }, (_, i) => ({ direction: (i % 2 ? 'outbound' : 'inbound') as 'inbound' | 'outbound', at: new Date(Date.now() - (80 - i) * 60_000), body: `History line ${i}`, read: true }));
  const { seedConversation } = await import('../support/inbox.js');
  const long = await seedConversation(server.db, server.orgId, { contactPhone: '+447700900777', contactName: 'Long History', entries });

  const page = await as('manager');
  await page.goto(server.url('/messages?range=all_time'));
  await rows(page).first().waitFor();
  const unreadBefore = await count(page, 'unread');
  const row = page.locator(`li[data-conversation-id="${unread.id}"]`);
  assert.equal(await row.locator('.unread-badge').count(), 1);
  await row.getByRole('link').click();
  await page.waitForURL((u) => u.searchParams.get('conversation') === unread.id);
  const thread = page.locator(`section.thread-pane[data-conversation-id="${unread.id}"]`);
  assert.equal(await thread.getByRole('heading', { level: 2 }).textContent(), unread.displayName);
  assert.equal(await thread.locator('.thread-header .channel-badge').textContent(), 'SMS');
  await eventually(async () => assert.equal(await row.locator('.unread-badge').count(), 0, 'the row is read'));
  await eventually(async () => assert.equal(await count(page, 'unread'), unreadBefore - 1, 'the Unread count drops'));
  await eventually(async () => assert.equal((await server.api<{ conversations: Row[] }>(`/v1/conversations?range=all_time&filter=unread&limit=200`)).conversations.some((r) => r.id === unread.id), false, 'read on the server'));

  const inbound = thread.locator('li.entry.inbound').first();
  const outbound = thread.locator('li.entry.outbound').first();
  const inBox = (await inbound.locator('.bubble').boundingBox())!;
  const outBox = (await outbound.locator('.bubble').boundingBox())!;
  const logBox = (await thread.getByRole('log', { name: 'Messages' }).boundingBox())!;
  assert.ok(inBox.x - logBox.x < 4, 'inbound on the left');
  assert.ok(logBox.x + logBox.width - (outBox.x + outBox.width) < 4, 'outbound on the right');
  assert.equal(await inbound.locator('.sender').textContent(), unread.displayName);
  assert.match(await outbound.locator('.sender').textContent() ?? '', /\S/);
  assert.match(await outbound.locator('time').textContent() ?? '', /\d\d:\d\d/);
  assert.equal(await outbound.locator('.via').textContent(), 'SMS');
  assert.match(await outbound.locator('[data-status]').getAttribute('data-status') ?? '', /^(pending|sent|delivered|read|failed)$/);

  // A voice call card.
  const call = all.find((r) => r.lastChannel === 'voice')!;
  await openConversation(page, call.id);
  const card = page.locator('.call-card').first();
  assert.match(await card.textContent() ?? '', /Duration (41s|38s)/);
  assert.match(await card.textContent() ?? '', /Answered|Voicemail/);
  await page.locator('form.composer').getByText('Reply by SMS').waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Send via' }).count(), 0, 'a voice-only thread replies by SMS, with no channel picker');

  // Load earlier messages.
  await openConversation(page, long.id);
  const entriesShown = page.locator('li.entry');
  const firstPage = await entriesShown.count();
  assert.ok(firstPage < 70, `a first page (${firstPage})`);
  assert.equal(await entriesShown.last().textContent().then((t) => t?.includes('History line 69')), true, 'newest at the bottom');
  await page.getByRole('button', { name: 'Load earlier messages' }).click();
  await eventually(async () => assert.equal(await entriesShown.count(), 70));
  assert.ok((await entriesShown.first().textContent())?.includes('History line 0'), 'oldest first');
  assert.equal(await page.getByRole('button', { name: 'Load earlier messages' }).count(), 0);
});

test('composer: an expired WhatsApp window disables the text and offers templates with placeholder fields; an open one takes free text', async () => {
  const all = await list('range=all_time&limit=200');
  const expired = all.find((r) => r.lastChannel === 'whatsapp' && r.whatsappWindow.state === 'expired')!;
  const openWindow = all.find((r) => r.lastChannel === 'whatsapp' && r.whatsappWindow.state === 'open')!;
  const page = await as('owner');

  await openConversation(page, openWindow.id);
  assert.equal(await page.locator('.thread-header [data-window]').getAttribute('data-window'), 'open');
  assert.match(await page.locator('.thread-header [data-window]').textContent() ?? '', /^Window open/);
  assert.equal(await page.locator('.thread-header .window-open .dot').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(22, 163, 74)', 'green');
  const text = page.getByRole('textbox', { name: 'Message' });
  assert.equal(await text.isEnabled(), true);
  assert.equal(await page.getByRole('combobox', { name: 'Template' }).count(), 0);
  assert.equal(await page.getByRole('combobox', { name: 'Send via' }).inputValue(), 'whatsapp', 'defaults to the last channel');

  await openConversation(page, expired.id);
  assert.equal(await page.locator('.thread-header [data-window]').getAttribute('data-window'), 'expired');
  assert.equal(await page.locator('.thread-header [data-window]').textContent(), 'Window expired');
  assert.equal(await page.locator('.thread-header .window-expired .dot').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(194, 65, 12)', 'orange-red');
  assert.equal(await text.isDisabled(), true, 'the text input is disabled');
  const picker = page.getByRole('combobox', { name: 'Template' });
  await picker.selectOption('vehicle_ready');
  assert.equal(await page.getByRole('textbox', { name: 'Customer name' }).inputValue(), expired.customer!.name.split(' ')[0], 'the first name is filled in');
  await page.getByRole('textbox', { name: 'Customer name' }).fill('Olivia');
  const send = page.getByRole('button', { name: 'Send', exact: true });
  assert.equal(await send.isDisabled(), true, 'every placeholder must be filled');
  await page.getByRole('textbox', { name: 'Vehicle' }).fill('Ford Fiesta');
  assert.match(await page.getByLabel('Template preview').textContent() ?? '', /^Hi Olivia, your Ford Fiesta is ready to collect/);
  await send.click();
  const sent = page.locator('li.entry.outbound').filter({ hasText: 'Hi Olivia, your Ford Fiesta is ready to collect' });
  await sent.waitFor();
  assert.match(await sent.locator('[data-status]').getAttribute('data-status') ?? '', /^(pending|sent|delivered|read)$/);

  // Switching the channel to SMS lifts the template restriction.
  await page.getByRole('combobox', { name: 'Send via' }).selectOption('sms');
  assert.equal(await text.isEnabled(), true);
});

test('composer: SMS segment counter (GSM-7 and Unicode), quick messages from the API, and sending a reply', async () => {
  const sms = (await list('range=all_time&limit=200')).find((r) => r.lastChannel === 'sms' && r.customer)!;
  const page = await as('advisor');
  await openConversation(page, sms.id);
  const text = page.getByRole('textbox', { name: 'Message' });
  const counter = page.getByTestId('sms-counter');
  await text.fill('Your car is ready');
  await eventually(async () => assert.equal(await counter.textContent(), '17 characters · 1 segment · GSM-7'));
  await text.fill('x'.repeat(161));
  assert.equal(await counter.textContent(), '161 characters · 2 segments · GSM-7');
  await text.fill('Ready 🚗');
  assert.equal(await counter.textContent(), '7 characters · 1 segment · Unicode');

  await text.fill('');
  const quick = page.getByRole('combobox', { name: 'Quick messages' });
  await quick.locator('option').nth(4).waitFor({ state: 'attached' });
  const options = await quick.locator('option').allTextContents();
  assert.deepEqual(options, ['Insert…', 'Ready to collect', 'Waiting for parts', 'Call us', 'Booking confirmed']);
  await quick.selectOption({ label: 'Ready to collect' });
  assert.equal(await text.inputValue(), 'Good news: your car is ready to collect. We are open until 5:30pm today.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('li.entry.outbound').filter({ hasText: 'Good news: your car is ready to collect' }).waitFor();
  assert.equal(await text.inputValue(), '', 'the composer clears after sending');
});

test('portal banners: none when active, yellow when inactive, red when never; contact links for advisors, a manager pointer for technicians; Proceed anyway lasts the session', async () => {
  const customers = (await list('range=all_time&limit=200')).filter((r) => r.customer && r.lastChannel === 'sms');
  const [never, inactive, active] = customers as [Row, Row, Row];
  const setLogin = (r: Row, at: Date | null) => withTenant(server.db, server.orgId, (trx) =>
    trx.updateTable('customers').set({ portal_last_login_at: at }).where('id', '=', r.customer!.id).execute());
  await setLogin(never, null);
  await setLogin(inactive, new Date('2026-09-14T10:00:00Z'));
  await setLogin(active, new Date(Date.now() - 3 * DAY));

  const advisor = await as('advisor');
  const viaPortal = async (page: Page, r: Row) => {
    await openConversation(page, r.id);
    await page.getByRole('combobox', { name: 'Send via' }).selectOption('portal');
  };
  await viaPortal(advisor, never);
  const red = advisor.locator('.portal-banner');
  assert.equal(await red.getAttribute('data-banner'), 'never');
  assert.equal(await red.locator('.portal-banner-title').textContent(), 'This customer has never accessed the portal');
  assert.equal(await red.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(253, 232, 232)', 'red');
  assert.match(await red.getByRole('link', { name: /^Call / }).getAttribute('href') ?? '', /^tel:\+44/);
  assert.match(await red.getByRole('link', { name: /^Email / }).getAttribute('href') ?? '', /^mailto:/);
  await advisor.getByRole('textbox', { name: 'Message' }).fill('Your invoice is in the portal');
  assert.equal(await advisor.getByRole('button', { name: 'Send', exact: true }).isDisabled(), true, 'the warning comes first');
  await red.getByRole('button', { name: 'Proceed anyway' }).click();
  assert.equal(await advisor.locator('.portal-banner').count(), 0);
  assert.equal(await advisor.getByRole('button', { name: 'Send', exact: true }).isEnabled(), true);
  await advisor.getByRole('button', { name: 'Send', exact: true }).click();
  const portalReply = advisor.locator('li.entry.outbound').filter({ hasText: 'Your invoice is in the portal' });
  await portalReply.waitFor();
  assert.equal(await portalReply.locator('.via').textContent(), 'Portal');
  assert.equal(await portalReply.locator('.via .channel-icon').evaluate((el) => getComputedStyle(el).color), 'rgb(95, 107, 122)', 'portal is grey');

  await viaPortal(advisor, inactive);
  const yellow = advisor.locator('.portal-banner');
  assert.equal(await yellow.getAttribute('data-banner'), 'inactive');
  assert.equal(await yellow.locator('.portal-banner-title').textContent(), "This customer hasn't logged in recently (last: 14 Sep 2026)");
  assert.equal(await yellow.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(255, 244, 204)', 'yellow');

  await viaPortal(advisor, active);
  assert.equal(await advisor.locator('.portal-banner').count(), 0, 'no banner when active in the last 30 days');

  await viaPortal(advisor, never);
  assert.equal(await advisor.locator('.portal-banner').count(), 0, 'dismissed for that customer for the session');

  const tech = await as('tech');
  await viaPortal(tech, never);
  const techBanner = tech.locator('.portal-banner');
  assert.equal(await techBanner.locator('.portal-banner-title').textContent(), 'This customer has never accessed the portal');
  assert.equal(await techBanner.getByRole('link').count(), 0, 'no contact details for technicians');
  assert.match(await techBanner.textContent() ?? '', /Ask a manager/);
});

test('details sidebar: automatic at 1440, the panel icon at 1100, a sheet from the info icon at 820 and 390; redacted for technicians', async () => {
  const r = (await list('range=all_time&limit=200')).find((x) => x.customer && x.lastChannel === 'sms')!;

  const wide = await as('advisor', DESKTOP);
  await openConversation(wide, r.id);
  const details = wide.getByRole('complementary', { name: 'Conversation details' });
  assert.ok(await details.isVisible(), 'shown automatically at 1440 px');
  assert.equal(await wide.getByRole('button', { name: /Show details|Hide details|Conversation details/ }).count(), 0, 'no toggle needed');
  assert.match(await details.getByRole('link', { name: /^\+44/ }).getAttribute('href') ?? '', /^tel:/);
  const listBox = (await wide.getByRole('region', { name: 'Conversations' }).boundingBox())!;
  assert.equal(Math.round(listBox.width), 360, 'the list is 360 px wide on desktop');

  const medium = await as('tech', TABLET);
  await openConversation(medium, r.id);
  const panel = medium.getByRole('complementary', { name: 'Conversation details' });
  assert.equal(await panel.count(), 0, 'hidden at 1100 px until asked for');
  await medium.getByRole('button', { name: 'Show details' }).click();
  assert.ok(await panel.isVisible());
  assert.equal(await panel.getByText('Hidden for your role').count(), 2, 'phone and email redacted for technicians');
  assert.equal(await panel.getByRole('link', { name: /^\+44/ }).count(), 0);
  await medium.getByRole('button', { name: 'Hide details' }).click();
  assert.equal(await panel.count(), 0);

  const portrait = await as('advisor', { viewport: { width: 820, height: 1180 } });
  await openConversation(portrait, r.id);
  assert.ok(await portrait.getByRole('region', { name: 'Conversations' }).isVisible(), 'list and thread side by side at 820 px');
  await portrait.getByRole('button', { name: 'Conversation details' }).click();
  await portrait.getByRole('complementary', { name: 'Conversation details' }).getByRole('button', { name: 'Close details' }).waitFor();
  const threadBox = (await portrait.locator('section.thread-pane').boundingBox())!;
  assert.ok(threadBox.width > 400, `the thread keeps its width under the sheet (${threadBox.width})`);

  const phone = await as('advisor', MOBILE);
  await phone.goto(server.url('/messages'));
  await rows(phone).first().waitFor();
  const listBoxMobile = (await phone.getByRole('region', { name: 'Conversations' }).boundingBox())!;
  assert.equal(Math.round(listBoxMobile.width), 390, 'full width on mobile');
  await phone.locator(`li[data-conversation-id="${r.id}"] a`).click();
  await phone.locator(`section.thread-pane[data-conversation-id="${r.id}"]`).waitFor();
  assert.equal(await phone.getByRole('region', { name: 'Conversations' }).isVisible(), false, 'the thread replaces the list');
  assert.equal(await phone.evaluate(() => (document.activeElement as any)?.tagName), 'H2', 'focus moves to the thread heading');
  await phone.getByRole('button', { name: 'Conversation details' }).click();
  const sheet = phone.getByRole('complementary', { name: 'Conversation details' });
  assert.ok(await sheet.isVisible());
  await eventually(async () => {
    const box = (await sheet.boundingBox())!;
    assert.ok(Math.abs(box.x + box.width - 390) < 1 && box.x > 0, `a sheet at the right edge (${box.x}+${box.width})`);
  });
  assert.equal(await phone.getByRole('button', { name: 'Close details' }).evaluate((el) => el === (document.activeElement as unknown)), true, 'focus moves into the sheet');
  await phone.keyboard.press('Escape');
  assert.equal(await sheet.count(), 0, 'Escape closes the sheet');
  await phone.getByRole('button', { name: 'Conversation details' }).click();
  await sheet.getByRole('button', { name: 'Close details' }).click();
  assert.equal(await sheet.count(), 0);
  await phone.getByRole('button', { name: 'Back to conversations' }).click();
  await rows(phone).first().waitFor();
  assert.equal(searchParams(phone).get('conversation'), null);
  await eventually(async () => assert.equal(await phone.evaluate(() => (document.activeElement as any)?.closest('li')?.getAttribute('data-conversation-id')), r.id, 'focus returns to the row'));
});

test('details sidebar: link a work order through the search dialog, unlink with confirmation, and assign (Mine count follows)', async () => {
  const r = (await list('range=last_30_days&filter=unassigned&limit=200')).find((x) => x.customer && x.lastChannel === 'whatsapp')!;
  await server.api(`/v1/conversations/${r.id}/work-order`, { method: 'DELETE' }).catch(() => undefined);
  const page = await as('advisor', DESKTOP);
  await openConversation(page, r.id);
  const details = page.getByRole('complementary', { name: 'Conversation details' });

  if (await details.getByRole('button', { name: 'Unlink' }).count()) {
    await details.getByRole('button', { name: 'Unlink' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Unlink' }).click();
  }
  await details.getByRole('button', { name: 'Link a work order' }).click();
  const dialog = page.getByRole('dialog', { name: 'Link a work order' });
  await dialog.getByRole('searchbox', { name: 'Search work orders' }).fill('WO-10');
  const pick = dialog.getByRole('list', { name: 'Work orders' }).getByRole('button').first();
  await pick.waitFor();
  const number = (await pick.locator('strong').textContent())!;
  await pick.click();
  await eventually(async () => assert.match(await details.locator('.work-order').textContent() ?? '', new RegExp(number)));
  await page.locator('li.entry.system').filter({ hasText: number }).first().waitFor();

  await details.getByRole('button', { name: 'Unlink' }).click();
  const confirm = page.getByRole('dialog', { name: 'Unlink this work order?' });
  assert.ok(await confirm.isVisible());
  await confirm.getByRole('button', { name: 'Unlink' }).click();
  await details.getByRole('button', { name: 'Link a work order' }).waitFor();
  assert.equal(await page.getByRole('dialog').count(), 0);

  const mineBefore = await count(page, 'mine');
  await details.getByRole('combobox', { name: 'Assigned to' }).selectOption({ label: 'Sara Advisor' });
  await eventually(async () => assert.equal(await count(page, 'mine'), mineBefore + 1, 'Mine counts it'));
  await details.getByRole('combobox', { name: 'Assigned to' }).selectOption({ label: 'Unassigned' });
  await eventually(async () => assert.equal(await count(page, 'mine'), mineBefore));
});

/** The focused element's outline and the background behind it. */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as any;
    const style = getComputedStyle(el);
    let bg = 'rgb(255, 255, 255)';
    for (let node = el.parentElement; node; node = node.parentElement) {
      const c = getComputedStyle(node).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) { bg = c; break; }
    }
    return { text: String(el.getAttribute('aria-label') ?? el.textContent ?? '').trim(), focusVisible: el.matches(':focus-visible'), outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor, background: bg };
  });
}

test('keyboard: Tab reaches the controls and a conversation with a visible focus ring, Enter opens it, and the composer sends with Ctrl+Enter', async () => {
  const page = await as('owner');
  await rows(page).first().waitFor();
  await page.getByRole('searchbox', { name: 'Search conversations' }).focus();
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const ring = await focusRing(page);
    assert.ok(ring.focusVisible && ring.outlineStyle !== 'none' && ring.outlineWidth >= 2, `"${ring.text}" shows a focus ring`);
    assert.ok(contrastRatio(ring.outlineColor, ring.background) >= 3, `"${ring.text}" ring contrast`);
    seen.push(ring.text);
    if (await page.evaluate(() => Boolean((document.activeElement as any)?.closest('li.row')))) break;
  }
  assert.ok(seen.includes('All time') && seen.some((s) => s.startsWith('Unread')), `date and filter buttons are tab stops: ${seen.join(' | ')}`);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.searchParams.has('conversation'));
  await page.locator('section.thread-pane[data-conversation-id]').waitFor();
  const text = page.getByRole('textbox', { name: 'Message' });
  if (await text.isDisabled()) await page.getByRole('combobox', { name: 'Send via' }).selectOption('sms');
  await text.focus();
  await page.keyboard.type('Sent from the keyboard');
  await page.keyboard.press('Control+Enter');
  await page.locator('li.entry.outbound').filter({ hasText: 'Sent from the keyboard' }).waitFor();
});

test('first screen of conversations: load time measured in the browser (printed, never asserted), without layout jumps', async () => {
  const cls = `window.__cls = 0; new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: 'layout-shift', buffered: true });`;
  const timings: number[] = [];
  const shifts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const page = await as('manager', DESKTOP, cls);
    await page.goto(server.url('/messages?range=last_30_days'));
    await rows(page).first().waitFor();
    const t = await page.evaluate(() => performance.getEntriesByName('tf:first-rows')[0]?.startTime ?? -1);
    assert.ok(t > 0, 'the app marked its first rows');
    timings.push(Math.round(t));
    await new Promise((r) => setTimeout(r, 500));
    shifts.push(await page.evaluate(() => (globalThis as any).__cls as number));
  }
  const dbKind = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
  console.log(`# first screen of conversations (navigation start → first rows rendered, ${dbKind}, demo data): ${timings.join(' ms, ')} ms; cumulative layout shift ${shifts.map((v) => v.toFixed(3)).join(', ')}`);
  for (const v of shifts) assert.ok(v < 0.1, `no layout jumps while the inbox loads (CLS ${v.toFixed(3)})`);
});
