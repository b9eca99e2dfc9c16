/**
 * What a reviewer saw in the staff app (issue 12 item 10), each fixed and
 * checked in headless Chromium on the demo garage: a malformed conversation
 * id, favicon.ico, clickable links, previews naming the staff sender,
 * same-name customers told apart, no Retry for technicians, a dashboard with
 * a way back, the pick prompt after unlinking, e-mail addresses wrapping at
 * "@" and ".", the phone sub-nav, and the WhatsApp window pill and composer
 * agreeing (none on SMS-only threads).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { type GuardedContext } from '../support/browser.js';
import { type DemoRole, type DemoServer, DESKTOP, eventually, MOBILE, signedIn, TABLET, useDemoBrowser } from './staff-app.js';

declare const document: { querySelector(s: string): any; createRange(): any; createTreeWalker(root: any, what: number): any };

/** web/src/hooks/useThread.ts BAD_CONVERSATION_LINK */
const BAD_CONVERSATION_LINK = 'This conversation link is not valid or the conversation no longer exists.';

let browser: Browser;
let server: DemoServer;
const open: GuardedContext[] = [];

useDemoBrowser(open, (b, s) => { browser = b; server = s; });

const as = (role: DemoRole, options = DESKTOP) => signedIn(browser, server, role, options, open, "localStorage.setItem('tf.inbox.defaultRangeBannerDismissed', '1')");
type Row = { id: string; displayName: string; lastChannel: string | null; customer: { id: string; registration: string | null } | null; whatsappWindow: { state: string }; preview: { body: string } | null };
const rows = async (): Promise<Row[]> => (await server.api<{ conversations: Row[] }>('/v1/conversations?range=all_time&limit=200')).conversations;
const rowOf = async (phoneOrName: (r: Row) => boolean) => (await rows()).find(phoneOrName);
async function openConversation(page: Page, id: string) {
  await page.goto(server.url(`/messages?range=all_time&conversation=${id}`));
  await page.locator(`section.thread-pane[data-conversation-id="${id}"]`).waitFor();
}
let n = 0;
const phone = () => `+4477009${String(60000 + (process.pid % 300) * 100 + (++n)).padStart(5, '0')}`;
/** A customer who has texted the garage; returns their conversation id. */
async function textingCustomer(name: string, body: string, extra: Record<string, unknown> = {}): Promise<{ customerId: string; conversationId: string; phone: string }> {
  const p = phone();
  const { id } = await server.api<{ id: string }>('/v1/customers', { body: { name, phone: p, ...extra } });
  await server.inboundSms(p, body);
  let row: Row | undefined;
  await eventually(async () => { row = await rowOf((r) => r.customer?.id === id); assert.ok(row, 'the conversation is listed'); });
  return { customerId: id, conversationId: row!.id, phone: p };
}

test('a malformed conversation id shows a plain sentence, never the validator text', async () => {
  const page = await as('advisor');
  await page.goto(server.url('/messages?conversation=not-a-uuid'));
  await page.getByRole('alert').filter({ hasText: BAD_CONVERSATION_LINK }).waitFor();
  assert.ok(!(await page.content()).includes('Invalid UUID'));
  await page.goto(server.url('/messages?conversation=00000000-0000-4000-8000-000000000000'));
  await page.getByRole('alert').filter({ hasText: BAD_CONVERSATION_LINK }).waitFor();
});

test('favicon.ico is an icon, not a 404; server pages link the SVG icon', async () => {
  const ico = await fetch(server.url('/favicon.ico'));
  assert.equal(ico.status, 200);
  assert.equal(ico.headers.get('content-type'), 'image/x-icon');
  const bytes = Buffer.from(await ico.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 1, 0], 'an ICO header');
  assert.equal(bytes.subarray(22, 26).toString('latin1'), '\x89PNG');
  assert.equal((await fetch(server.url('/favicon.svg'))).headers.get('content-type'), 'image/svg+xml');
  const page = await as('advisor');
  const failed: string[] = [];
  page.on('response', (r) => { if (r.status() === 404) failed.push(r.url()); });
  await page.goto(server.url('/dashboard'));
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  assert.ok(await page.locator('link[rel="icon"][href="/favicon.svg"]').count());
  assert.deepEqual(failed, []);
});

test('links in messages are clickable and open in a new tab', async () => {
  const c = await textingCustomer('Linda Links', 'Booked it here: https://acme.example/booking?day=2. Thanks!');
  const page = await as('advisor');
  await openConversation(page, c.conversationId);
  const link = page.locator('li.entry').getByRole('link', { name: 'https://acme.example/booking?day=2' });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), 'https://acme.example/booking?day=2');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.ok(await page.locator('li.entry').getByText('Thanks!', { exact: false }).isVisible());
});

test("previews name the staff sender: 'You:' only for your own messages", async () => {
  const c = await textingCustomer('Percy Preview', 'Any news?');
  const manager = await as('manager');
  await openConversation(manager, c.conversationId);
  await manager.getByRole('textbox', { name: 'Message' }).fill('Ready at five');
  await manager.getByRole('button', { name: 'Send', exact: true }).click();
  const own = manager.locator(`li[data-conversation-id="${c.conversationId}"] .row-preview`);
  await eventually(async () => assert.equal(await own.textContent(), 'You: Ready at five'));
  const advisor = await as('advisor');
  await advisor.goto(server.url('/messages?range=all_time'));
  await eventually(async () => assert.equal(await advisor.locator(`li[data-conversation-id="${c.conversationId}"] .row-preview`).textContent(), 'Mike Manager: Ready at five'));
});

test('three customers called Grace Evans are told apart by their registration in the list', async () => {
  const graces = [];
  for (const reg of ['GE11 AAA', 'GE22 BBB', 'GE33 CCC']) graces.push(await textingCustomer('Grace Evans', `Hello from ${reg}`, { vehicles: [{ registration: reg }] }));
  const tech = await as('tech');
  await tech.goto(server.url('/messages?range=all_time'));
  for (const [i, reg] of ['GE11 AAA', 'GE22 BBB', 'GE33 CCC'].entries()) {
    const row = tech.locator(`li[data-conversation-id="${graces[i]!.conversationId}"]`);
    await row.waitFor();
    assert.equal(await row.locator('.row-name').textContent(), 'Grace Evans');
    assert.equal(await row.locator('.row-registration').textContent(), reg, 'a detail a technician may see');
  }
});

test('technicians are not offered Retry on a failed message (they cannot retry)', async () => {
  // The sandbox fails numbers ending in 999.
  await server.inboundSms('+447700900999', 'Hello from a failing phone');
  const failing = (await rowOf((r) => r.displayName === '+447700900999'))!;
  const { message } = await server.api<{ message: { id: string } }>(`/v1/conversations/${failing.id}/messages`, { body: { body: 'This one will fail', channel: 'sms' } });
  await eventually(async () => {
    const m = await server.db.selectFrom('messages').select('status').where('id', '=', message.id).executeTakeFirstOrThrow();
    assert.equal(m.status, 'failed');
  }, 15_000);
  const advisor = await as('advisor');
  await openConversation(advisor, failing.id);
  await advisor.locator('li.entry.outbound').filter({ hasText: 'This one will fail' }).getByRole('button', { name: 'Retry' }).waitFor();
  const tech = await as('tech');
  await openConversation(tech, failing.id);
  const bad = tech.locator('li.entry.outbound').filter({ hasText: 'This one will fail' });
  assert.equal(await bad.locator('[data-status]').textContent(), 'Failed');
  assert.equal(await bad.getByRole('button', { name: 'Retry' }).count(), 0);
});

test('the dashboard links back to Messages', async () => {
  const page = await as('tech');
  await page.goto(server.url('/dashboard'));
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Messages' }).click();
  await page.waitForURL((u) => u.pathname === '/messages');
  await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
});

test('after unlinking, a customer with several active work orders gets the "Pick a work order to link" prompt back', async () => {
  const p = phone();
  const { id } = await server.api<{ id: string }>('/v1/customers', { body: { name: 'Walter Workorders', phone: p } });
  for (const n of ['WO-R1', 'WO-R2']) {
    await server.db.insertInto('work_orders').values({ org_id: server.orgId, customer_id: id, vehicle_id: null, number: n, title: `Job ${n}`, status: 'in_progress' }).execute();
  }
  await server.inboundSms(p, 'Which job is this about?');
  const row = (await rowOf((r) => r.customer?.id === id))!;
  const page = await as('advisor');
  await openConversation(page, row.id);
  const details = page.getByRole('complementary', { name: 'Conversation details' });
  await details.getByText('Pick a work order to link').waitFor();
  const wo = await server.db.selectFrom('work_orders').select('id').where('number', '=', 'WO-R1').where('org_id', '=', server.orgId).executeTakeFirstOrThrow();
  await server.api(`/v1/conversations/${row.id}/work-order`, { method: 'PUT', body: { workOrderId: wo.id } });
  await page.reload();
  await details.getByRole('button', { name: 'Unlink' }).click();
  await page.getByRole('dialog', { name: 'Unlink this work order?' }).getByRole('button', { name: 'Unlink' }).click();
  await details.getByText('Pick a work order to link').waitFor();
});

test('an e-mail address in the sidebar wraps only at "@" or before a "."', async () => {
  const email = 'grace.evans.longfamilyname@examplegarageservices.co.uk';
  const c = await textingCustomer('Grace Longmail', 'Hi', { email });
  const page = await signedIn(browser, server, 'advisor', { viewport: { width: 1280, height: 800 } }, open);
  await openConversation(page, c.conversationId);
  const details = page.getByRole('complementary', { name: 'Conversation details' });
  await details.getByRole('link', { name: email }).waitFor();
  // Where the lines break: "x|y" for a break between characters x and y (no named functions inside: the page gets plain JS).
  const breaks: string[] = await page.evaluate(() => {
    const el = document.querySelector('.details .email-address');
    const walk = document.createTreeWalker(el, 4);
    const out: string[] = [];
    let lastTop: number | null = null;
    let text = '';
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + 1);
        const top = Math.round(r.getBoundingClientRect().top);
        if (lastTop !== null && top > lastTop + 2) out.push(`${text.slice(-1)}|${node.data[i]}`);
        lastTop = top;
        text += node.data[i];
      }
    }
    return out;
  });
  assert.ok(breaks.length >= 1, 'the address is longer than the sidebar line');
  for (const b of breaks) assert.ok(b.startsWith('@|') || b.endsWith('|.'), `a break at ${b}`);
});

test('on a phone the sub-nav shows "AI Analytics" whole', async () => {
  await server.db.updateTable('organisations').set({ ai_enabled: true }).where('id', '=', server.orgId).execute();
  const page = await as('owner', MOBILE);
  const nav = page.getByRole('navigation', { name: 'Messages sections' });
  const analytics = nav.getByRole('link', { name: 'AI Analytics' });
  await analytics.waitFor();
  const box = (await analytics.boundingBox())!;
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `AI Analytics at ${box.x}–${box.x + box.width} px of 390`);
  const overflow = await nav.locator('ul').evaluate((ul: any) => ul.scrollWidth - ul.clientWidth);
  assert.ok(overflow <= 0, `the tabs overflow by ${overflow} px`);
});

test('the window pill and the composer say the same; SMS-only threads have no WhatsApp pill', async () => {
  const sms = (await rows()).find((r) => r.lastChannel === 'sms' && r.customer && r.preview && r.whatsappWindow.state === 'never_opened')!;
  const page = await as('advisor');
  await openConversation(page, sms.id);
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  assert.equal(await page.locator('.thread-header [data-window]').count(), 0, 'no WhatsApp pill on an SMS thread');

  const expired = (await rows()).find((r) => r.lastChannel === 'whatsapp' && r.customer && r.whatsappWindow.state === 'expired')!;
  await openConversation(page, expired.id);
  assert.equal(await page.locator('.thread-header [data-window]').textContent(), 'Window expired');
  assert.equal(await page.locator('.window-note').textContent(), 'Window expired: templates only');
});

test('scroll positions: the thread stays on the newest message when the details panel opens at 1100 px; a new date range starts the list at the top', async () => {
  const long = 'The nearside rear tyre has a slow puncture and the tracking pulls to the left on the motorway, could you also check the wipers and the air conditioning while it is in? ';
  const c = await textingCustomer('Sam Scroll', `${long}1`);
  for (let i = 2; i <= 14; i++) await server.inboundSms(c.phone, `${long}${i}`);
  const page = await as('advisor', TABLET);
  await openConversation(page, c.conversationId);
  await page.locator('li.entry').filter({ hasText: /while it is in\? 14/ }).waitFor();
  const gap = () => page.locator('.thread-scroll').evaluate((el: any) => el.scrollHeight - el.scrollTop - el.clientHeight);
  await eventually(async () => assert.ok(await gap() < 24, 'at the newest message'));
  await page.getByRole('button', { name: 'Show details' }).click();
  await page.getByRole('complementary', { name: 'Conversation details' }).waitFor();
  await eventually(async () => assert.ok(await gap() < 24, `still at the newest message (${await gap()} px above it)`), 3000);

  const list = await as('advisor', DESKTOP);
  await list.goto(server.url('/messages?range=all_time'));
  const scroll = list.locator('.list-scroll');
  await list.locator('ul.rows > li[data-conversation-id]').nth(30).waitFor();
  await scroll.evaluate((el: any) => { el.scrollTop = 800; });
  assert.ok(await scroll.evaluate((el: any) => el.scrollTop) > 0);
  await list.getByRole('group', { name: 'Date range' }).getByRole('button', { name: 'Last 30 days', exact: true }).click();
  await eventually(async () => assert.equal(await scroll.evaluate((el: any) => el.scrollTop), 0));
});
