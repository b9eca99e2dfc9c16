/**
 * Unread-message reminders (issue 13 item 5, portal-messaging-fallback.txt)
 * with a controllable clock and a local SMTP server: once after the delay,
 * not when read before, not twice with two workers and a restart, delay
 * changes applied to waiting messages, opted-out / emailless customers
 * skipped, one-click unsubscribe audited.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, createWorkOrder, type TestOrg } from '../support/fixtures.js';
import { startFakeSmtp, type FakeSmtp } from '../support/fake-providers/index.js';
import { call, signInAs, type Session } from '../auth/support.js';
import { withTenant } from '../../src/db/tenant.js';
import { openDatabase } from '../../src/db/database.js';
import { startJobQueue, type JobQueue } from '../../src/jobs/queue.js';
import { reminderQueues } from '../../src/reminders/reminder-queues.js';
import { scanDueReminders } from '../../src/reminders/scan-reminders.js';
import { startReminderWorkers } from '../../src/reminders/reminder-workers.js';
import { setConsent } from '../../src/consent/consent.repository.js';
import { REMINDER_SUBJECT } from '../../src/domain/unread-reminder.js';

const HOUR = 3_600_000;
let server: TestServer;
let smtp: FakeSmtp;
let org: TestOrg;
let owner: Session;
let staffId: string;
// The workers' clock; scans get explicit times. Real time, so the emailed portal link is still valid when opened.
const clock = { now: new Date() };
const at = (hours: number) => new Date(clock.now.getTime() + hours * HOUR);

before(async () => {
  smtp = await startFakeSmtp();
  server = await startTestServer({ RUN_WORKER: 'false', SMTP_URL: smtp.smtpUrl });
  await startReminderWorkers({ db: server.db, queue: server.queue, config: server.config, clock: () => clock.now });
  org = await createOrg(server.db);
  const staff = await createStaff(server.db, org, 'owner');
  staffId = staff.id;
  owner = await signInAs(server, staff.email);
  const saved = await call(server, owner, 'PUT', '/v1/settings/communication', { reminders: { enabled: true, delayHours: 4 } });
  assert.equal(saved.status, 200, saved.text);
});
after(async () => {
  await server?.close();
  await smtp?.close();
});

/** A staff SMS sent at `sentAt` (delivered, unread) to a new customer. */
async function staffMessage(sentAt: Date, customer?: { email?: string | null }) {
  const c = await createCustomer(server.db, org.id, { email: customer?.email === undefined ? `c${Math.random().toString(36).slice(2, 8)}@example.net` : customer.email });
  return withTenant(server.db, org.id, async (trx) => {
    const conversation = await trx.insertInto('conversations').values({
      org_id: org.id, customer_id: c.id, contact_phone: null, contact_name: null, last_channel: 'sms', last_activity_at: sentAt,
      assignee_id: null, work_order_id: null, context_badge: null,
    }).returning('id').executeTakeFirstOrThrow();
    const message = await trx.insertInto('messages').values({
      org_id: org.id, conversation_id: conversation.id, direction: 'outbound', channel: 'sms', body: 'Your brake pads are in', media: '[]', metadata: '{}',
      status: 'delivered', failure_reason: null, provider_error_code: null, provider: 'sandbox', provider_message_id: `SM${Math.random().toString(36).slice(2)}`,
      cost: null, cost_currency: null, sender_user_id: staffId, notification_type: null, occurred_at: sentAt, consent_category: 'transactional',
    }).returning('id').executeTakeFirstOrThrow();
    return { customerId: c.id, conversationId: conversation.id, messageId: message.id };
  });
}

async function reminderOf(messageId: string) {
  return withTenant(server.db, org.id, (trx) => trx.selectFrom('message_reminders').selectAll().where('org_id', '=', org.id).where('message_id', '=', messageId).executeTakeFirst());
}

async function settled(messageId: string) {
  for (let i = 0; i < 200; i++) {
    const r = await reminderOf(messageId);
    if (r && r.status !== 'queued') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('the reminder was not sent or skipped in time');
}

const mailsTo = (address: string) => smtp.requests.filter((m) => m.to.includes(address));

test('a staff message unread after the delay sends one email with a portal link and one-click unsubscribe, once', async () => {
  const sentAt = at(-10);
  const m = await staffMessage(sentAt);
  const customer = await server.db.selectFrom('customers').select('email').where('id', '=', m.customerId).executeTakeFirstOrThrow();
  assert.equal(await scanDueReminders(server.db, server.queue, new Date(sentAt.getTime() + 4 * HOUR - 60_000)), 0, 'not before the delay');
  assert.equal(await scanDueReminders(server.db, server.queue, new Date(sentAt.getTime() + 4 * HOUR)), 1);
  const r = await settled(m.messageId);
  assert.equal(r.status, 'sent');
  const mails = mailsTo(customer.email!);
  assert.equal(mails.length, 1);
  const mail = mails[0]!;
  assert.equal(mail.subject, REMINDER_SUBJECT);
  assert.match(mail.headers['list-unsubscribe'] ?? '', /^<https:\/\/example\.com\/reminders\/unsubscribe\/[0-9a-f-]{36}>$/);
  assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  assert.match(mail.from, new RegExp(org.emailFrom.replace(/\./g, '\\.')));
  const link = /https:\/\/example\.com\/l\/([A-Za-z0-9]+)/.exec(mail.text);
  assert.ok(link, mail.text);
  const portal = await fetch(`${server.baseUrl}/l/${link[1]}`, { redirect: 'manual' });
  assert.ok(portal.status < 400, `the portal link works (${portal.status})`);
  const flagged = await server.db.selectFrom('messages').select('reminder_sent').where('id', '=', m.messageId).executeTakeFirstOrThrow();
  assert.equal(flagged.reminder_sent, true);
  assert.equal(await scanDueReminders(server.db, server.queue, at(0)), 0, 'never a second time');
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(mailsTo(customer.email!).length, 1);
});

test('nothing is sent when the customer read the message, replied, has no email or consent forbids', async () => {
  const sentAt = at(-30);
  const read = await staffMessage(sentAt);
  await server.db.updateTable('messages').set({ status: 'read' }).where('id', '=', read.messageId).execute();
  const replied = await staffMessage(sentAt);
  await withTenant(server.db, org.id, (trx) => trx.insertInto('messages').values({
    org_id: org.id, conversation_id: replied.conversationId, direction: 'inbound', channel: 'whatsapp', body: 'Thanks', media: '[]', metadata: '{}',
    status: null, failure_reason: null, provider_error_code: null, provider: 'whatsapp', provider_message_id: `wamid.${Math.random()}`, cost: null, cost_currency: null,
    sender_user_id: null, notification_type: null, occurred_at: new Date(sentAt.getTime() + HOUR),
  }).execute());
  const noEmail = await staffMessage(sentAt, { email: null });
  const optedOut = await staffMessage(sentAt);
  await withTenant(server.db, org.id, (trx) => setConsent(trx, org.id, optedOut.customerId, 'transactional', false, { source: 'staff_entry', performedById: staffId }));
  const onWorkOrder = await staffMessage(sentAt);
  await withTenant(server.db, org.id, (trx) => setConsent(trx, org.id, onWorkOrder.customerId, 'transactional', false, { source: 'staff_entry', performedById: staffId }));
  await createWorkOrder(server.db, org.id, onWorkOrder.customerId);
  const before = smtp.requests.length;

  await scanDueReminders(server.db, server.queue, new Date(sentAt.getTime() + 5 * HOUR));
  assert.equal(await reminderOf(read.messageId), undefined, 'a read message is never claimed');
  assert.equal((await settled(replied.messageId)).skip_reason, 'read');
  assert.equal((await settled(noEmail.messageId)).skip_reason, 'no_email');
  assert.equal((await settled(optedOut.messageId)).skip_reason, 'consent');
  assert.equal((await settled(onWorkOrder.messageId)).status, 'sent', 'transactional on an active work order is always allowed');
  assert.equal(smtp.requests.length, before + 1);
});

test('a delay change applies to messages still waiting', async () => {
  const sentAt = at(-60);
  const m = await staffMessage(sentAt);
  const set = (delayHours: number) => call(server, owner, 'PUT', '/v1/settings/communication', { reminders: { enabled: true, delayHours } });
  assert.equal((await set(8)).status, 200);
  assert.equal(await scanDueReminders(server.db, server.queue, new Date(sentAt.getTime() + 5 * HOUR)), 0, 'not yet: the delay is now 8 hours');
  assert.equal((await set(2)).status, 200);
  assert.equal(await scanDueReminders(server.db, server.queue, new Date(sentAt.getTime() + 2 * HOUR)), 1, 'due with the shorter delay');
  assert.equal((await settled(m.messageId)).status, 'sent');
  assert.equal((await set(4)).status, 200);
});

test('two workers and a restart in between send exactly one email', async () => {
  const sentAt = at(-90);
  const m = await staffMessage(sentAt);
  const customer = await server.db.selectFrom('customers').select('email').where('id', '=', m.customerId).executeTakeFirstOrThrow();
  // A second server instance: its own connection pool (on PostgreSQL) and its own job queue.
  const second = server.database.url ? openDatabase({ databaseUrl: server.database.url, poolMax: 4 }) : server.database;
  let queue2: JobQueue | null = await startJobQueue(second, reminderQueues);
  const due = new Date(sentAt.getTime() + 4 * HOUR);
  const claims = await Promise.all([
    scanDueReminders(server.db, server.queue, due),
    scanDueReminders(second.db, queue2, due),
    scanDueReminders(server.db, server.queue, due),
    scanDueReminders(second.db, queue2, due),
  ]);
  assert.equal(claims.reduce((a, b) => a + b, 0), 1, 'one claim among concurrent scans');
  // Restart the second instance before its worker runs, then let both work.
  await queue2.stop();
  queue2 = await startJobQueue(second, reminderQueues);
  await startReminderWorkers({ db: second.db, queue: queue2, config: server.config, clock: () => clock.now });
  assert.equal(await scanDueReminders(second.db, queue2, new Date(due.getTime() + HOUR)), 0);
  assert.equal((await settled(m.messageId)).status, 'sent');
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal(mailsTo(customer.email!).length, 1);
  await queue2.stop();
  if (second !== server.database) await second.close();
});

test('one-click unsubscribe stops reminders and is audited; a GET changes nothing', async () => {
  const first = await staffMessage(at(-120));
  await scanDueReminders(server.db, server.queue, at(-115));
  const r = await settled(first.messageId);
  const url = `${server.baseUrl}/reminders/unsubscribe/${r.unsubscribe_token}`;
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Stop reminder emails/);
  const optOuts = () => withTenant(server.db, org.id, (trx) => trx.selectFrom('reminder_opt_outs').select('customer_id').where('org_id', '=', org.id).where('customer_id', '=', first.customerId).execute());
  assert.equal((await optOuts()).length, 0, 'GET does not unsubscribe');
  const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  assert.equal(post.status, 200);
  assert.equal((await optOuts()).length, 1);
  const again = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  assert.equal(again.status, 200);
  const audit = await call(server, owner, 'GET', '/v1/audit-log');
  const entries = audit.json.entries.filter((e: any) => e.action === 'reminders.unsubscribed' && e.targetId === first.customerId);
  assert.equal(entries.length, 1, 'audited once');
  assert.deepEqual(entries[0].after, { reminders: false });
  assert.equal((await fetch(`${server.baseUrl}/reminders/unsubscribe/not-a-token`, { method: 'POST' })).status, 404);

  // A later message to the same customer: no email.
  const later = await withTenant(server.db, org.id, async (trx) => trx.insertInto('messages').values({
    org_id: org.id, conversation_id: first.conversationId, direction: 'outbound', channel: 'sms', body: 'Ready to collect', media: '[]', metadata: '{}',
    status: 'delivered', failure_reason: null, provider_error_code: null, provider: 'sandbox', provider_message_id: `SM${Math.random().toString(36).slice(2)}`,
    cost: null, cost_currency: null, sender_user_id: staffId, notification_type: null, occurred_at: at(-100), consent_category: 'transactional',
  }).returning('id').executeTakeFirstOrThrow());
  await scanDueReminders(server.db, server.queue, at(-95));
  assert.equal((await settled(later.id)).skip_reason, 'unsubscribed');
});

test('the reminder delay is validated: 1 to 48 whole hours, nothing saved otherwise', async () => {
  for (const delayHours of [0, 49, 2.5]) {
    const res = await call(server, owner, 'PUT', '/v1/settings/communication', { reminders: { enabled: true, delayHours } });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.error.code, 'validation_failed');
  }
  const now = await call(server, owner, 'GET', '/v1/settings/communication');
  assert.equal(now.json.reminders.delayHours, 4);
});
