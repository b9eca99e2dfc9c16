/**
 * WhatsApp delivery end to end against a fake WhatsApp Cloud API (and a fake
 * Twilio for the bridge SMS): the JSON Meta expects for text and named-
 * parameter templates, the Bearer token, and Meta's error 131047 (window
 * closed by Meta's clock although ours said open) answered either at once by
 * the Graph API or later in a `failed` status webhook: both mark the message
 * `window_expired_bridge_sent`, expire the window and send exactly one bridge
 * SMS. Such a message is not retryable by staff.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { postWhatsApp, whatsAppEnvelope } from '../support/providers.js';
import { fakeWamid, startFakeTwilio, startFakeWhatsApp, type FakeTwilio, type FakeWhatsApp, type WhatsAppScript } from '../support/fake-providers/index.js';
import {
  createConversation, deliveryJobs, holdsFor, messageRow, retryMessage, scriptPerRecipient, sendQueued, waitFor, waitForMessage, waitForStatus, LIVE_DELIVERY_ENV } from '../support/delivery.js';

const API_VERSION = 'v21.0';
const WINDOW_CLOSED_DETAILS = 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';

let server: TestServer;
let meta: FakeWhatsApp;
let twilio: FakeTwilio;
let scripts: ReturnType<typeof scriptPerRecipient<unknown, WhatsAppScript>>;
let org: TestOrg;

before(async () => {
  meta = await startFakeWhatsApp();
  twilio = await startFakeTwilio();
  scripts = scriptPerRecipient<unknown, WhatsAppScript>(meta, (body) => (body as { to?: string } | null)?.to, { kind: 'success' });
  server = await startTestServer({
    ...LIVE_DELIVERY_ENV,
    WHATSAPP_API_BASE_URL: meta.baseUrl,
    WHATSAPP_API_VERSION: API_VERSION,
    TWILIO_API_BASE_URL: twilio.baseUrl,
  });
  org = await createOrg(server.db);
});
after(async () => {
  await server?.close();
  await meta?.close();
  await twilio?.close();
});

const digits = (e164: string) => e164.replace(/\D/g, '');
const metaRequestsTo = (phone: string) => meta.requests.filter((r) => (r.body as { to?: string } | null)?.to === digits(phone));
const smsTo = (phone: string) => twilio.requests.filter((r) => r.body.To === phone);

async function whatsAppCustomer(window: 'open' | 'expired') {
  const customer = await createCustomer(server.db, org.id);
  const conversation = await createConversation(server.db, org.id, customer.id, { lastChannel: 'whatsapp', whatsappWindow: window });
  return { phone: customer.phone!, conversationId: conversation.id };
}
async function conversationRow(id: string) {
  return server.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function jobsSettled(messageId: string) {
  return waitFor('delivery job settled', async () => {
    const j = await deliveryJobs(server.db, messageId);
    return j.length > 0 && j.every((x) => x.state === 'completed' || x.state === 'failed') ? j : null;
  });
}

/** The failed WhatsApp message, the expired window and the single bridge SMS that went instead. */
async function assertBridged(messageId: string, c: { phone: string; conversationId: string }, sentAt: number) {
  const failed = await waitForMessage(server.db, messageId, 'window_expired_bridge_sent', (m) => m.failure_reason === 'window_expired_bridge_sent');
  assert.equal(failed.status, 'failed');
  assert.equal(failed.provider_error_code, '131047');

  const conversation = await conversationRow(c.conversationId);
  assert.ok(conversation.whatsapp_window_expires_at, 'the window has an expiry');
  assert.ok(conversation.whatsapp_window_expires_at.getTime() <= Date.now(), 'the window is now expired');
  assert.ok(conversation.whatsapp_window_expires_at.getTime() >= sentAt - 1000, 'expired when Meta said so, not back-dated');
  assert.ok(conversation.last_bridge_sent_at, 'the bridge slot was taken');

  await waitFor('bridge SMS at Twilio', () => smsTo(c.phone).length >= 1);
  assert.ok(await holdsFor(() => smsTo(c.phone).length === 1, 500), `exactly one bridge SMS, saw ${smsTo(c.phone).length}`);
  const sms = smsTo(c.phone)[0]!.body;
  assert.ok(sms.Body!.startsWith(org.name), `bridge starts with the garage name: ${sms.Body}`);
  assert.match(sms.Body!, /wa\.me\/\d+/);
  assert.match(sms.Body!, /\/l\/[A-Za-z0-9]{16}/);
  assert.equal(sms.From, org.twilioNumber);

  const bridgeId = String(failed.metadata.bridgeMessageId ?? '');
  assert.ok(bridgeId, 'the failed message points at its bridge');
  const bridge = await waitForMessage(server.db, bridgeId, 'bridge accepted by Twilio', (m) => m.provider_message_id !== null);
  assert.equal(bridge.channel, 'sms');
  assert.equal(bridge.notification_type, 'bridge');
  assert.equal(bridge.ai_generated, false);
  assert.equal(bridge.sender_user_id, null);
  assert.equal(bridge.body, sms.Body);
  assert.equal(bridge.conversation_id, c.conversationId);
  return failed;
}

test('a free-form WhatsApp reply is posted to the Cloud API as Meta expects, with the Bearer token, and ends sent with the wamid', async () => {
  const c = await whatsAppCustomer('open');
  const wamid = fakeWamid();
  scripts.script(digits(c.phone), { kind: 'success', messageId: wamid });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Your car is ready.\nOpen until 6pm.' });

  const m = await waitForStatus(server.db, id, 'sent');
  const [request, ...more] = metaRequestsTo(c.phone);
  assert.ok(request);
  assert.equal(more.length, 0);
  assert.equal(request.method, 'POST');
  assert.equal(request.path, `/${API_VERSION}/${org.whatsappPhoneNumberId}/messages`);
  assert.equal(request.headers.authorization, `Bearer ${org.whatsappAccessToken}`);
  assert.match(String(request.headers['content-type']), /^application\/json/);
  assert.deepEqual(JSON.parse(request.rawBody), {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: digits(c.phone),
    type: 'text',
    text: { preview_url: false, body: 'Your car is ready.\nOpen until 6pm.' },
  });
  assert.equal(m.provider, 'whatsapp');
  assert.equal(m.provider_message_id, wamid);
  assert.equal(m.channel, 'whatsapp');
  assert.equal(m.attempts, 1);
  assert.equal(smsTo(c.phone).length, 0, 'no bridge');
});

test('an approved template goes out with its named parameters in placeholder order, even into a closed window, and ends sent with the wamid', async () => {
  const c = await whatsAppCustomer('expired');
  const body = 'Hi {customer_name}, your {vehicle} is booked in for {appointment_time}. Reply to change it.';
  const template = await server.db.insertInto('message_templates').values({
    org_id: org.id, name: 'booking_confirmation', language: 'en_GB', category: 'UTILITY', body,
    placeholders: ['customer_name', 'vehicle', 'appointment_time'], status: 'approved', provider_template_id: '1234567890',
  }).returning('id').executeTakeFirstOrThrow();
  const wamid = fakeWamid();
  scripts.script(digits(c.phone), { kind: 'success', messageId: wamid });
  // Parameters deliberately given in another order than the template declares them.
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, {
    channel: 'whatsapp',
    template: { name: 'booking_confirmation', params: { appointment_time: 'Tuesday 9:00', customer_name: 'Sam', vehicle: 'Golf AB12 CDE' } },
  });

  const m = await waitForStatus(server.db, id, 'sent');
  const [request, ...more] = metaRequestsTo(c.phone);
  assert.ok(request);
  assert.equal(more.length, 0);
  assert.equal(request.headers.authorization, `Bearer ${org.whatsappAccessToken}`);
  assert.deepEqual(JSON.parse(request.rawBody), {
    messaging_product: 'whatsapp',
    to: digits(c.phone),
    type: 'template',
    template: {
      name: 'booking_confirmation',
      language: { code: 'en_GB' },
      components: [{
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'customer_name', text: 'Sam' },
          { type: 'text', parameter_name: 'vehicle', text: 'Golf AB12 CDE' },
          { type: 'text', parameter_name: 'appointment_time', text: 'Tuesday 9:00' },
        ],
      }],
    },
  });
  assert.equal(m.provider_message_id, wamid);
  assert.equal(m.template_id, template.id);
  assert.equal(m.body, 'Hi Sam, your Golf AB12 CDE is booked in for Tuesday 9:00. Reply to change it.', 'the thread keeps the rendered text');
  assert.equal(smsTo(c.phone).length, 0, 'a template into a closed window needs no bridge');
});

test('Meta answering 131047 at once to a free-form send our window allowed fails it as window_expired_bridge_sent, expires the window and sends exactly one bridge SMS', async () => {
  const c = await whatsAppCustomer('open');
  scripts.script(digits(c.phone), { kind: 'error', status: 400, code: 131047, details: WINDOW_CLOSED_DETAILS, message: '(#131047) Re-engagement message' });
  const sentAt = Date.now();
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Quick question about your brakes' });

  await assertBridged(id, c, sentAt);
  const jobs = await jobsSettled(id);
  assert.deepEqual(jobs.map((j) => [j.state, j.retry_count]), [['completed', 0]], 'a permanent refusal is not retried');
  assert.equal(metaRequestsTo(c.phone).length, 1, 'one request to Meta');
  assert.equal((await messageRow(server.db, id)).attempts, 1);
});

test("a 131047 `failed` status webhook after Meta accepted the message runs the same bridge: failed window_expired_bridge_sent, window expired, one bridge SMS", async () => {
  const c = await whatsAppCustomer('open');
  const wamid = fakeWamid();
  scripts.script(digits(c.phone), { kind: 'success', messageId: wamid });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Your quote: £240' });
  await waitForStatus(server.db, id, 'sent');
  assert.equal(smsTo(c.phone).length, 0);

  const sentAt = Date.now();
  const webhook = whatsAppEnvelope(org.whatsappPhoneNumberId, {
    statuses: [{
      id: wamid, status: 'failed', timestamp: String(Math.floor(sentAt / 1000)), recipient_id: digits(c.phone),
      errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: WINDOW_CLOSED_DETAILS } }],
    }],
  });
  const res = await postWhatsApp(server.baseUrl, webhook);
  assert.equal(res.status, 200, res.body);

  await assertBridged(id, c, sentAt);
  assert.equal(metaRequestsTo(c.phone).length, 1, 'nothing more to Meta');
  // Meta retries webhooks: the same failed status again neither bridges twice nor changes the outcome.
  assert.equal((await postWhatsApp(server.baseUrl, webhook)).status, 200);
  assert.ok(await holdsFor(() => smsTo(c.phone).length === 1, 1000), 'still exactly one bridge SMS');
  assert.equal((await messageRow(server.db, id)).failure_reason, 'window_expired_bridge_sent');
});

test('staff cannot retry a message that failed because the window closed (409 not_retryable), and nothing is re-sent', async () => {
  const c = await whatsAppCustomer('open');
  scripts.script(digits(c.phone), { kind: 'error', status: 400, code: 131047, details: WINDOW_CLOSED_DETAILS });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Are you free tomorrow?' });
  await assertBridged(id, c, Date.now() - 5000);
  await jobsSettled(id);

  const r = await retryMessage(server.baseUrl, org.apiToken, id);
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'not_retryable');
  const m = await messageRow(server.db, id);
  assert.equal(m.status, 'failed');
  assert.equal(m.failure_reason, 'window_expired_bridge_sent');
  assert.equal((await deliveryJobs(server.db, id)).length, 1, 'no new delivery job');
  assert.ok(await holdsFor(() => metaRequestsTo(c.phone).length === 1 && smsTo(c.phone).length === 1, 500));
});

test('a 131047 failed status that arrives before the wamid is committed still runs the bridge once the wamid is stored', async () => {
  const c = await whatsAppCustomer('open');
  const wamid = fakeWamid();
  scripts.script(digits(c.phone), { kind: 'success', messageId: wamid, delayMs: 3000 });
  const sentAt = Date.now();
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Can we move your booking?' });
  await waitFor('Meta received the send', () => metaRequestsTo(c.phone).length === 1);

  const webhook = whatsAppEnvelope(org.whatsappPhoneNumberId, {
    statuses: [{
      id: wamid, status: 'failed', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: digits(c.phone),
      errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: WINDOW_CLOSED_DETAILS } }],
    }],
  });
  assert.equal((await postWhatsApp(server.baseUrl, webhook)).status, 200);
  assert.equal((await messageRow(server.db, id)).provider_message_id, null, 'the status really came before the wamid was committed');

  await waitForMessage(server.db, id, 'wamid stored', (m) => m.provider_message_id === wamid);
  await assertBridged(id, c, sentAt);
});
