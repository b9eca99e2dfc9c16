/**
 * The staff Messages app, live (issue 6 items 6 and 7), in real headless
 * Chromium against the real server on the demo garage: a signed inbound
 * webhook appearing in an open browser, status pills following delivery
 * callbacks (and Retry on a failure), a technician's gated reply reaching
 * the Approval Queue of a manager in a second browser context and being
 * approved or rejected there, and the amber "Real-time updates paused"
 * banner with missed events applied on reconnect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { screenshot, type GuardedContext } from '../support/browser.js';
import { type DemoRole, type DemoServer, DESKTOP, eventually, signedIn, useDemoBrowser } from './staff-app.js';

type Row = { id: string; displayName: string; lastChannel: string | null; unreadCount: number; customer: { id: string; name: string; phone: string | null } | null };

let browser: Browser;
let server: DemoServer;
const open: GuardedContext[] = [];

useDemoBrowser(open, (b, s) => { browser = b; server = s; });

const as = (role: DemoRole, init?: string) => signedIn(browser, server, role, DESKTOP, open, init);
const rows = (page: Page) => page.locator('ul.rows > li[data-conversation-id]');
const allRows = async (): Promise<Row[]> => (await server.api<{ conversations: Row[] }>('/v1/conversations?range=all_time&limit=200')).conversations;
const count = async (page: Page, filter: string) => Number(await page.locator(`[data-filter-count="${filter}"]`).textContent());
const live = (page: Page) => page.locator('[data-realtime="connected"]').waitFor({ state: 'attached' });

async function openConversation(page: Page, id: string) {
  await page.goto(server.url(`/messages?range=all_time&conversation=${id}`));
  await page.locator(`section.thread-pane[data-conversation-id="${id}"]`).waitFor();
  await rows(page).first().waitFor();
}

test('a customer SMS arriving by webhook appears live: the row moves to the top and highlights, the open thread shows it, counts follow', async () => {
  const customers = (await allRows()).filter((r) => r.customer?.phone && r.lastChannel === 'sms');
  const openOne = customers.at(-1)!;
  const other = customers.at(-2)!;
  const page = await as('manager');
  await openConversation(page, openOne.id);
  await live(page);
  assert.notEqual(await rows(page).first().getAttribute('data-conversation-id'), openOne.id, 'not at the top yet');

  await server.inboundSms(openOne.customer!.phone!, 'Live: is my car ready now?');
  await page.locator('li.entry.inbound').filter({ hasText: 'Live: is my car ready now?' }).waitFor();
  await eventually(async () => assert.equal(await rows(page).first().getAttribute('data-conversation-id'), openOne.id, 'bubbled to the top'));
  assert.match(await rows(page).first().getAttribute('class') ?? '', /\bhighlight\b/, 'briefly highlighted');
  assert.match(await rows(page).first().locator('.row-preview').textContent() ?? '', /Live: is my car ready now\?/);
  await eventually(async () => assert.equal(await rows(page).first().locator('.unread-badge').count(), 0, 'the open thread is marked read'));
  await eventually(async () => assert.doesNotMatch(await rows(page).first().getAttribute('class') ?? '', /\bhighlight\b/), 8000);

  const unreadBefore = await count(page, 'unread');
  const otherRow = page.locator(`li[data-conversation-id="${other.id}"]`);
  const hadBadge = (await otherRow.locator('.unread-badge').count()) > 0;
  await server.inboundSms(other.customer!.phone!, 'Second live message');
  await eventually(async () => assert.equal(await rows(page).first().getAttribute('data-conversation-id'), other.id));
  assert.match(await rows(page).first().locator('.unread-badge').textContent() ?? '', /^\d+$/, 'unread badge on the row');
  if (!hadBadge) await eventually(async () => assert.equal(await count(page, 'unread'), unreadBefore + 1, 'Unread count follows'));
  assert.equal(await page.locator('li.entry').filter({ hasText: 'Second live message' }).count(), 0, 'not added to the open thread');
});

test('status pills change as delivery callbacks arrive; a failed message offers Retry', async () => {
  const sms = (await allRows()).find((r) => r.customer?.phone && r.lastChannel === 'sms')!;
  const page = await as('advisor');
  await openConversation(page, sms.id);
  await live(page);
  await page.getByRole('textbox', { name: 'Message' }).fill('Status pill test');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const mine = page.locator('li.entry.outbound').filter({ hasText: 'Status pill test' });
  await mine.waitFor();
  const pill = mine.locator('[data-status]');
  assert.match(await pill.getAttribute('data-status') ?? '', /^(pending|sent)$/);
  await eventually(async () => assert.equal(await pill.getAttribute('data-status'), 'delivered'), 15_000);
  assert.equal(await pill.textContent(), 'Delivered');

  // The sandbox fails numbers ending in 999.
  await server.inboundSms('+447700900999', 'Hello from a failing phone');
  const failing = (await allRows()).find((r) => r.displayName === '+447700900999')!;
  await openConversation(page, failing.id);
  await page.getByRole('textbox', { name: 'Message' }).fill('This one will fail');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const bad = page.locator('li.entry.outbound').filter({ hasText: 'This one will fail' });
  await eventually(async () => assert.equal(await bad.locator('[data-status]').getAttribute('data-status'), 'failed'), 15_000);
  assert.equal(await bad.locator('[data-status]').textContent(), 'Failed');
  const retry = bad.getByRole('button', { name: 'Retry' });
  await retry.click();
  await eventually(async () => assert.notEqual(await bad.locator('[data-status]').getAttribute('data-status'), 'failed', 'back in the queue'), 5000);
  await eventually(async () => assert.equal(await bad.locator('[data-status]').getAttribute('data-status'), 'failed', 'and fails again'), 15_000);
});

test("a technician's reply shows pending_approval, reaches the Approval Queue of a manager in another browser live, and is approved (edited) there", async () => {
  const sms = (await allRows()).filter((r) => r.customer?.phone && r.lastChannel === 'sms')[1]!;
  const manager = await as('manager');
  await manager.getByRole('navigation', { name: 'Messages sections' }).getByRole('link', { name: 'Approval Queue' }).click();
  await manager.waitForURL((u) => u.pathname === '/messages/approvals');
  await live(manager);

  const tech = await as('tech');
  await openConversation(tech, sms.id);
  await live(tech);
  await tech.getByRole('textbox', { name: 'Message' }).fill('Your brake pads are worn: we recommend replacing them');
  await tech.getByRole('button', { name: 'Send for approval' }).click();
  const draft = tech.locator('li.entry.outbound').filter({ hasText: 'Your brake pads are worn' });
  await draft.waitFor();
  assert.equal(await draft.locator('[data-status]').getAttribute('data-status'), 'pending_approval');
  assert.match(await tech.getByRole('status').filter({ hasText: 'Approval Queue' }).textContent() ?? '', /waiting in the Approval Queue/);

  const queueLink = manager.getByRole('navigation', { name: 'Messages sections' }).getByRole('link', { name: /Approval Queue/ });
  await eventually(async () => assert.equal(await queueLink.locator('.nav-count').textContent(), '1', 'the tab counts the waiting reply'));
  const card = manager.locator('li.approval-card').filter({ hasText: 'Tom Technician' }).filter({ has: manager.locator('textarea') });
  await card.first().waitFor();
  const reply = card.first().getByRole('textbox', { name: /Reply/ });
  assert.equal(await reply.inputValue(), 'Your brake pads are worn: we recommend replacing them');
  assert.ok(await card.first().getByRole('list', { name: 'Earlier in the conversation' }).isVisible(), 'with context');
  await screenshot(manager, 'inbox-approval-queue');
  await reply.fill('Your brake pads are worn: we recommend replacing them this week.');
  await card.first().getByRole('button', { name: 'Approve edited reply' }).click();
  await eventually(async () => assert.equal(await manager.locator('li.approval-card').count(), 0, 'gone from the queue'));
  await eventually(async () => assert.equal(await queueLink.locator('.nav-count').count(), 0, 'nothing waiting'));

  await eventually(async () => assert.match(await draft.locator('[data-status]').getAttribute('data-status') ?? '', /^(pending|sent|delivered)$/, "the technician sees it go out"), 10_000);
  await eventually(async () => assert.match(await draft.textContent() ?? '', /this week\./, 'with the edited text'));

  // Reject with a reason: the author sees it.
  await tech.getByRole('textbox', { name: 'Message' }).fill('We can fit a cheaper part tomorrow');
  await tech.getByRole('button', { name: 'Send for approval' }).click();
  const second = tech.locator('li.entry.outbound').filter({ hasText: 'We can fit a cheaper part tomorrow' });
  await second.waitFor();
  const card2 = manager.locator('li.approval-card').first();
  await card2.waitFor();
  await card2.getByRole('button', { name: 'Reject…' }).click();
  await card2.getByRole('textbox', { name: /Reason for rejecting/ }).fill('Check stock with parts first');
  await card2.getByRole('button', { name: 'Reject reply' }).click();
  await eventually(async () => assert.equal(await manager.locator('li.approval-card').count(), 0));
  await eventually(async () => assert.equal(await second.locator('[data-status]').getAttribute('data-status'), 'rejected'), 10_000);
  await eventually(async () => assert.match(await second.textContent() ?? '', /Check stock with parts first/));
});

test('when the event stream is down for a while the amber banner shows, and on reconnect the missed events are applied', async () => {
  const sms = (await allRows()).filter((r) => r.customer?.phone && r.lastChannel === 'sms').at(-3)!;
  const page = await as('owner', "localStorage.setItem('tf.realtimePausedAfterMs', '1500')");
  await page.goto(server.url('/messages?range=all_time'));
  await rows(page).first().waitFor();
  await live(page);
  const context = page.context();

  await context.route(/\/v1\/events/, (route) => route.abort('connectionrefused'));
  server.app.server.closeAllConnections();
  const banner = page.getByRole('status').filter({ hasText: 'Real-time updates paused' });
  await banner.waitFor({ timeout: 15_000 });
  assert.equal((await banner.locator('p').textContent())?.trim(), 'Real-time updates paused — refresh the page to reload the latest conversations');
  assert.equal(await banner.evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor), 'rgb(255, 241, 214)', 'amber');

  await server.inboundSms(sms.customer!.phone!, 'Sent while the stream was down');
  await new Promise((r) => setTimeout(r, 500));
  assert.notEqual(await rows(page).first().getAttribute('data-conversation-id'), sms.id, 'not seen while down');

  await context.unroute(/\/v1\/events/);
  await page.locator('[data-realtime="connected"]').waitFor({ state: 'attached', timeout: 20_000 });
  await eventually(async () => assert.equal(await rows(page).first().getAttribute('data-conversation-id'), sms.id, 'the missed message is applied'));
  assert.match(await rows(page).first().locator('.row-preview').textContent() ?? '', /Sent while the stream was down/);
  assert.equal(await banner.count(), 0, 'the banner goes away');
});

test('the paused banner does not pull an open thread away from its newest message', async () => {
  const sms = (await allRows()).filter((r) => r.customer?.phone && r.lastChannel === 'sms').at(-4)!;
  const long = 'The nearside rear tyre has a slow puncture and the tracking pulls to the left on the motorway, could you check the wipers too? ';
  for (let i = 1; i <= 12; i++) await server.inboundSms(sms.customer!.phone!, `${long}${i}`);
  const page = await as('owner', "localStorage.setItem('tf.realtimePausedAfterMs', '1500')");
  await openConversation(page, sms.id);
  await page.locator('li.entry').filter({ hasText: /wipers too\? 12/ }).waitFor();
  await live(page);
  const gap = () => page.locator('.thread-scroll').evaluate((el: any) => el.scrollHeight - el.scrollTop - el.clientHeight);
  await eventually(async () => assert.ok(await gap() < 24, 'at the newest message'));

  await page.context().route(/\/v1\/events/, (route) => route.abort('connectionrefused'));
  server.app.server.closeAllConnections();
  await page.getByRole('status').filter({ hasText: 'Real-time updates paused' }).waitFor({ timeout: 15_000 });
  await eventually(async () => assert.ok(await gap() < 24, `still at the newest message (${await gap()} px above it)`), 3000);
  await page.context().unroute(/\/v1\/events/);
});
