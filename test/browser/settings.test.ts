/**
 * Settings pages (issue 13) in headless Chromium on the demo garage: each
 * Communication card (save, validation errors, capability hiding, audit
 * entry), the marketing confirmation, quick-message CRUD appearing live in
 * an open composer, the Voice card (ring list, escalation number, greeting;
 * the next incoming call's TwiML rings them), and the expired-window "Send a
 * bridge SMS" action.
 * Screenshots: docs/screenshots/settings-communication.png, settings-voice.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { screenshot, type GuardedContext } from '../support/browser.js';
import { callSid, voiceCallbacks } from '../support/voice.js';
import { DEMO_NUMBER } from '../../src/seed/demo-data.js';
import { type DemoRole, type DemoServer, DESKTOP, eventually, signedIn, useDemoBrowser } from './staff-app.js';

let browser: Browser;
let server: DemoServer;
const open: GuardedContext[] = [];

useDemoBrowser(open, (b, s) => { browser = b; server = s; });

const as = (role: DemoRole) => signedIn(browser, server, role, DESKTOP, open, "localStorage.setItem('tf.inbox.defaultRangeBannerDismissed', '1')");
const card = (page: Page, title: string) => page.locator('form.settings-card, section.settings-card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
const audit = async (action: string) => (await server.api<{ entries: Array<{ action: string; before: any; after: any }> }>('/v1/audit-log')).entries.filter((e) => e.action === action);

async function openSettings(page: Page, section = 'communication') {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
  if (section !== 'communication') await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: section }).click();
  await page.locator('.settings-title').waitFor();
}

test('Default Consent Preferences: spec labels, work order updates always on, marketing asks for confirmation, saved and audited', async () => {
  const page = await as('owner');
  await openSettings(page);
  const c = card(page, 'Default Consent Preferences');
  await c.getByText('These defaults only apply to new customers created after the change').waitFor();
  const toggle = (name: string) => c.getByRole('switch', { name: new RegExp(`^${name.replace(/[&]/g, '\\$&')}`) });
  assert.equal(await toggle('Work order updates').isChecked(), true);
  assert.equal(await toggle('Work order updates').isDisabled(), true);
  assert.equal(await toggle('Offers & promotions').isChecked(), false, 'off by default');

  await toggle('Offers & promotions').click({ force: true });
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Only turn it on if you are certain your business has a lawful basis').waitFor();
  await dialog.getByRole('button', { name: 'Keep it off' }).click();
  assert.equal(await toggle('Offers & promotions').isChecked(), false, 'kept off');
  await toggle('Offers & promotions').click({ force: true });
  await page.getByRole('dialog').getByRole('button', { name: 'Turn on' }).click();
  await toggle('Service & MOT reminders').uncheck({ force: true });
  await c.getByRole('button', { name: 'Save Changes' }).click();
  await c.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

  const saved = await server.api('/v1/settings/communication');
  assert.deepEqual(saved.consentDefaults, { transactional: true, serviceReminders: false, marketing: true, whatsapp: true });
  const [entry] = await audit('settings.communication.consentDefaults');
  assert.ok(entry, 'audited');
  assert.equal(entry.before.marketing, false);
  assert.equal(entry.after.marketing, true);
  await page.reload();
  await card(page, 'Default Consent Preferences').waitFor();
  assert.equal(await card(page, 'Default Consent Preferences').getByRole('switch', { name: /^Offers & promotions/ }).isChecked(), true, 'reloaded from the server');
  await server.api('/v1/settings/communication', { method: 'PUT', body: { consentDefaults: { serviceReminders: true, marketing: false, whatsapp: true } } });
});

test('Unread message reminders: 1–48 hours checked in the page and by the server, saved and audited', async () => {
  const page = await as('manager');
  await openSettings(page);
  const c = card(page, 'Unread message reminders');
  const delay = c.getByRole('spinbutton', { name: 'Reminder delay (hours)' });
  assert.equal(await delay.inputValue(), '4', 'default 4 hours');
  assert.equal(await c.getByRole('switch', { name: 'Enable unread message reminders' }).isChecked(), false, 'off by default');
  await c.getByRole('switch', { name: 'Enable unread message reminders' }).check({ force: true });
  for (const bad of ['0', '49', '2.5']) {
    await delay.fill(bad);
    await c.getByRole('button', { name: 'Save' }).click();
    await c.getByRole('alert').filter({ hasText: 'whole number of hours from 1 to 48' }).waitFor();
  }
  assert.equal((await server.api('/v1/settings/communication')).reminders.enabled, false, 'nothing saved');
  await delay.fill('12');
  await c.getByRole('button', { name: 'Save' }).click();
  await c.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  assert.deepEqual((await server.api('/v1/settings/communication')).reminders, { enabled: true, delayHours: 12 });
  const [entry] = await audit('settings.communication.reminders');
  assert.deepEqual([entry?.before, entry?.after], [{ enabled: false, delayHours: 4 }, { enabled: true, delayHours: 12 }]);
});

test('AI and Portal cards: saved, the phone number validated, audited; the AI Analytics tab follows the switch', async () => {
  const page = await as('owner');
  await openSettings(page);
  const ai = card(page, 'AI receptionist');
  const aiOn = await ai.getByRole('switch', { name: /^Turn on the AI receptionist/ }).isChecked();
  await ai.getByRole('switch', { name: /^Turn on the AI receptionist/ }).setChecked(!aiOn, { force: true });
  await ai.getByRole('textbox', { name: 'Instructions for the AI receptionist' }).fill('We are closed on Sundays.');
  await ai.getByRole('textbox', { name: 'Opening hours' }).fill('Mon–Fri 8:00–17:30');
  await ai.getByRole('button', { name: 'Save' }).click();
  await ai.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  const saved = await server.api('/v1/settings/communication');
  assert.deepEqual(saved.ai, { enabled: !aiOn, instructions: 'We are closed on Sundays.', openingHours: 'Mon–Fri 8:00–17:30' });
  assert.equal((await audit('settings.communication.ai')).length, 1);
  await page.goto(server.url('/messages'));
  await page.getByRole('navigation', { name: 'Messages sections' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Messages sections' }).getByRole('link', { name: 'AI Analytics' }).count(), aiOn ? 0 : 1);
  await page.goto(server.url('/settings/communication'));

  const portal = card(page, 'Portal');
  const phone = portal.getByRole('textbox', { name: 'Notification number for new portal messages' });
  await phone.fill('07700 900123');
  await portal.getByRole('button', { name: 'Save' }).click();
  await portal.getByRole('alert').filter({ hasText: 'international format' }).waitFor();
  await phone.fill('+44 7700 900123');
  await portal.getByRole('switch', { name: /^Also text portal replies/ }).check({ force: true });
  await portal.getByRole('button', { name: 'Save' }).click();
  await portal.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  assert.equal(await phone.inputValue(), '+447700900123', 'stored in E.164');
  assert.deepEqual((await server.api('/v1/settings/communication')).portal, { notificationPhone: '+447700900123', alsoTextReplies: true });
  const [entry] = await audit('settings.communication.portal');
  assert.deepEqual(entry?.after, { notificationPhone: '+447700900123', alsoTextReplies: true });
  await page.setViewportSize({ width: 1440, height: 1560 });
  await page.locator('.settings').evaluate((el: any) => el.scrollTo(0, 0));
  await screenshot(page, 'settings-communication');
});

test('Voice: ring list, ring time, escalation number and greeting checked, saved in E.164 and audited; the next incoming call rings them', async () => {
  const page = await as('manager');
  await openSettings(page, 'Voice');
  const c = card(page, 'Incoming calls');
  const ringFor = c.getByRole('spinbutton', { name: 'Ring for (seconds)' });
  assert.equal(await ringFor.inputValue(), '20', 'default 20 seconds');
  await c.getByRole('textbox', { name: 'Staff phones to ring' }).fill('07700 900111\n+44 7700 900222');
  for (const bad of ['4', '61']) {
    await ringFor.fill(bad);
    await c.getByRole('button', { name: 'Save' }).click();
    await c.getByRole('alert').filter({ hasText: 'whole number of seconds from 5 to 60' }).waitFor();
  }
  await ringFor.fill('25');
  const escalation = c.getByRole('textbox', { name: 'Escalation number' });
  await escalation.fill('12');
  await c.getByRole('button', { name: 'Save' }).click();
  await c.getByRole('alert').filter({ hasText: '"12" is not a phone number' }).waitFor();
  assert.deepEqual((await server.api('/v1/voice/settings')).ringNumbers, [], 'nothing saved');

  await escalation.fill('07700 900333');
  await c.getByRole('textbox', { name: 'Voicemail greeting' }).fill('Acme Motors here. Leave a message and we will call you back.');
  await c.getByRole('button', { name: 'Save' }).click();
  await c.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  assert.equal(await c.getByRole('textbox', { name: 'Staff phones to ring' }).inputValue(), '+447700900111\n+447700900222', 'shown in E.164 once saved');
  assert.equal(await escalation.inputValue(), '+447700900333');
  const saved = { ringNumbers: ['+447700900111', '+447700900222'], sipAddress: null, ringTimeoutSeconds: 25, voicemailGreeting: 'Acme Motors here. Leave a message and we will call you back.', escalationNumber: '+447700900333' };
  assert.deepEqual(await server.api('/v1/voice/settings'), saved);
  const [entry] = await audit('settings.voice');
  assert.deepEqual(entry?.after, saved);
  assert.deepEqual(entry?.before.ringNumbers, []);

  const call = await voiceCallbacks(server.baseUrl, { twilioNumber: DEMO_NUMBER, twilioAccountSid: `AC${'0'.repeat(32)}`, twilioAuthToken: server.config.DEMO_TWILIO_AUTH_TOKEN })
    .incoming(callSid(), '+447700900777');
  assert.equal(call.status, 200, call.body);
  assert.match(call.body, /<Dial[^>]* timeout="25"/);
  assert.match(call.body, /<Number[^>]*>\+447700900111<\/Number><Number[^>]*>\+447700900222<\/Number>/);
  await screenshot(page, 'settings-voice');
});

test('roles without the capability see no Settings link, and /settings says they cannot change settings', async () => {
  for (const role of ['advisor', 'tech'] as const) {
    const page = await as(role);
    assert.equal(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).count(), 0, role);
    await page.goto(server.url('/settings/communication'));
    await page.getByRole('alert').filter({ hasText: 'Your role cannot change settings' }).waitFor();
    assert.equal(await page.locator('.settings').count(), 0, `${role}: no settings page`);
  }
});

test('quick messages: add, edit, reorder, delete in Settings appear live in an open composer', async () => {
  const rows = (await server.api<{ conversations: Array<{ id: string; lastChannel: string | null; whatsappWindow: { state: string } }> }>('/v1/conversations?range=all_time&limit=200')).conversations;
  const target = rows.find((r) => r.lastChannel === 'sms')!;
  const advisor = await as('advisor');
  await advisor.goto(server.url(`/messages?conversation=${target.id}`));
  await advisor.locator(`section.thread-pane[data-conversation-id="${target.id}"]`).waitFor();
  const options = () => advisor.getByRole('combobox', { name: 'Quick messages' }).locator('option').allTextContents();

  const manager = await as('manager');
  await openSettings(manager, 'Quick Messages');
  const form = manager.getByRole('form', { name: 'New quick message' });
  await form.getByRole('textbox', { name: 'Title' }).fill('Courtesy car');
  await form.getByRole('textbox', { name: 'Text' }).fill('A courtesy car is available while yours is with us.');
  await form.getByRole('button', { name: 'Add quick message' }).click();
  await manager.locator('[data-quick-message="Courtesy car"]').waitFor();
  await eventually(async () => assert.ok((await options()).includes('Courtesy car'), 'added live'));

  await manager.getByRole('button', { name: 'Edit Courtesy car' }).click();
  const edit = manager.getByRole('form', { name: 'Edit Courtesy car' });
  await edit.getByRole('textbox', { name: 'Title' }).fill('Loan car');
  await edit.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => assert.ok((await options()).includes('Loan car'), 'renamed live'));

  const before = await options();
  await manager.getByRole('button', { name: 'Move Loan car up' }).click();
  await eventually(async () => {
    const now = await options();
    assert.equal(now.indexOf('Loan car'), before.indexOf('Loan car') - 1, 'moved up live');
  });

  await form.getByRole('textbox', { name: 'Title' }).fill('Loan car');
  await form.getByRole('textbox', { name: 'Text' }).fill('Duplicate');
  await form.getByRole('button', { name: 'Add quick message' }).click();
  await manager.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();

  manager.once('dialog', (d) => void d.accept());
  await manager.getByRole('button', { name: 'Delete Loan car' }).click();
  await eventually(async () => assert.ok(!(await options()).includes('Loan car'), 'deleted live'));
});

test('expired WhatsApp window: "Send a bridge SMS" sends one and then says one was sent recently', async () => {
  const rows = (await server.api<{ conversations: Array<{ id: string; lastChannel: string | null; whatsappWindow: { state: string }; customer: unknown }> }>('/v1/conversations?range=all_time&limit=200')).conversations;
  const expired = rows.filter((r) => r.lastChannel === 'whatsapp' && r.whatsappWindow.state === 'expired' && r.customer);
  assert.ok(expired.length, 'the demo has an expired WhatsApp conversation');
  const page = await as('advisor');
  for (const r of expired) {
    await page.goto(server.url(`/messages?conversation=${r.id}`));
    await page.locator(`section.thread-pane[data-conversation-id="${r.id}"]`).waitFor();
    await page.getByRole('button', { name: 'Send a bridge SMS' }).click();
    const note = page.locator('.bridge-action [role="status"], .bridge-action [role="alert"]');
    await note.waitFor();
    const text = await note.textContent() ?? '';
    if (!text.startsWith('Bridge SMS sent')) continue;
    await page.locator('section.thread-pane').getByText(/Update for you/).first().waitFor();
    await page.getByRole('button', { name: 'Send a bridge SMS' }).click();
    await page.locator('.bridge-action [role="status"]').filter({ hasText: 'already sent on' }).waitFor();
    return;
  }
  assert.fail('no expired conversation accepted a bridge SMS');
});

test('Spend: month × channel table and chart with bridge SMS and templates apart, CSV download; hidden without the capability', async () => {
  const page = await as('owner');
  await openSettings(page, 'Spend');
  const month = new Date().toISOString().slice(0, 7);
  const row = page.locator(`tr[data-month="${month}"]`);
  await row.waitFor();
  const headers = await page.locator('.spend-table thead th').allTextContents();
  assert.deepEqual(headers, ['Month', 'SMS', 'WhatsApp', 'Bridge SMS', 'WhatsApp templates', 'Other', 'Total']);
  const cells = await row.locator('td').allTextContents();
  assert.match(cells[0]!, /^£\d+\.\d{2}$/);
  assert.ok(Number(cells.at(-1)!.replace(/[£,]/g, '')) > 0, 'the demo has spend this month');
  assert.ok(Number(cells[2]!.replace(/[£,]/g, '')) > 0, 'bridge SMS shown apart (the bridge test sent one)');
  assert.ok(await page.locator('.spend-chart .recharts-bar-rectangle').count() > 0, 'the chart draws bars');
  const csv = await fetch(server.url(`/v1/spend.csv?from=${month}&to=${month}`), { headers: { authorization: `Bearer ${server.apiToken}` } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  const lines = (await csv.text()).trim().split('\n');
  assert.equal(lines[0], 'month,channel,kind,currency,amount,messages');
  assert.ok(lines.some((l) => l.startsWith(`${month},sms,bridge,GBP,`)), 'bridge SMS rows in the CSV');
  assert.equal(await page.locator('.spend-table').getAttribute('class'), 'settings-table spend-table');
  await page.setViewportSize({ width: 1440, height: 1300 });
  await page.locator('.settings').evaluate((el: any) => el.scrollTo(0, 0));
  await screenshot(page, 'settings-spend');

  const advisor = await as('advisor');
  const res = await advisor.request.get(server.url(`/v1/spend/breakdown?from=${month}&to=${month}`));
  assert.equal(res.status(), 403);
});
