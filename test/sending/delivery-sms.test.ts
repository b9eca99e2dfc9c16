/**
 * SMS delivery end to end against a fake Twilio Messages API: the app and its
 * pg-boss workers run for real with OUTBOUND_PROVIDERS=live, send through the
 * API, and the fake records what Twilio would have received. Covers the form
 * Twilio reads, status callbacks (also one that beats the send's own answer),
 * permanent errors (21211, 21610 with its opt-out, 20003 credentials) and
 * staff retry.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, PUBLIC_BASE_URL, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { postTwilio } from '../support/providers.js';
import { fakeTwilioSid, startFakeTwilio, type FakeTwilio, type TwilioScript } from '../support/fake-providers/index.js';
import {
  basicCredentials, createConversation, deliveryJobs, holdsFor, messageRow, retryMessage, scriptPerRecipient, sendMessage, sendQueued,
  waitFor, waitForMessage, waitForStatus, LIVE_DELIVERY_ENV } from '../support/delivery.js';

let server: TestServer;
let twilio: FakeTwilio;
let scripts: ReturnType<typeof scriptPerRecipient<Record<string, string>, TwilioScript>>;
let org: TestOrg;

before(async () => {
  twilio = await startFakeTwilio();
  scripts = scriptPerRecipient<Record<string, string>, TwilioScript>(twilio, (body) => body.To, { kind: 'success' });
  server = await startTestServer({
    ...LIVE_DELIVERY_ENV,
    TWILIO_API_BASE_URL: twilio.baseUrl,
  });
  org = await createOrg(server.db);
});
after(async () => {
  await server?.close();
  await twilio?.close();
});

/** A customer whose last message came by SMS, and their conversation. */
async function smsCustomer() {
  const customer = await createCustomer(server.db, org.id);
  const conversation = await createConversation(server.db, org.id, customer.id, { lastChannel: 'sms' });
  return { phone: customer.phone!, customerId: customer.id, conversationId: conversation.id };
}
const requestsTo = (phone: string) => twilio.requests.filter((r) => r.body.To === phone);
function statusCallback(sid: string, status: string, extra: Record<string, string> = {}) {
  return postTwilio(server.baseUrl, '/twilio/status', {
    MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: org.twilioAccountSid,
    From: org.twilioNumber, To: '+447700900123', ApiVersion: '2010-04-01', ...extra,
  }, org.twilioAuthToken);
}
/** The job finished for good (no retry pending) and the fake saw exactly `n` requests for `phone` meanwhile. */
async function settledAfter(messageId: string, phone: string, n: number) {
  const jobs = await waitFor('delivery job settled', async () => {
    const j = await deliveryJobs(server.db, messageId);
    return j.length > 0 && j.every((x) => x.state === 'completed' || x.state === 'failed') ? j : null;
  });
  assert.ok(await holdsFor(() => requestsTo(phone).length === n, 300), `expected exactly ${n} request(s) to Twilio for ${phone}, saw ${requestsTo(phone).length}`);
  return jobs;
}

test('an SMS reply is posted to Twilio as its form with Basic auth; the sid and price are stored and later callbacks move it to delivered', async () => {
  const c = await smsCustomer();
  scripts.script(c.phone, { kind: 'success', price: '-0.00790', priceUnit: 'USD' });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Your car is ready to collect 🚗', channel: 'sms' });

  const accepted = await waitForMessage(server.db, id, 'Twilio sid stored', (m) => m.provider_message_id !== null);
  const [request, ...more] = requestsTo(c.phone);
  assert.ok(request);
  assert.equal(more.length, 0, 'one request');
  assert.equal(request.method, 'POST');
  assert.equal(request.path, `/2010-04-01/Accounts/${org.twilioAccountSid}/Messages.json`);
  assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(request.body, {
    To: c.phone,
    From: org.twilioNumber,
    Body: 'Your car is ready to collect 🚗',
    StatusCallback: `${PUBLIC_BASE_URL}/twilio/status`,
  });
  assert.equal(basicCredentials(request.headers.authorization), `${org.twilioAccountSid}:${org.twilioAuthToken}`);

  assert.equal(accepted.provider, 'twilio');
  assert.match(accepted.provider_message_id!, /^SM[0-9a-f]{32}$/);
  // Twilio answers `queued` for a send from a number: handed over, not yet sent to the carrier.
  // Our vocabulary keeps that as `pending` (with the sid) until Twilio's own `sent` callback.
  assert.equal(accepted.status, 'pending');
  assert.ok(accepted.sent_at, 'sent_at records the hand-over');
  assert.equal(accepted.attempts, 1);
  assert.equal(Number(accepted.cost), 0.0079);
  assert.equal(accepted.cost_currency, 'USD');

  const sid = accepted.provider_message_id!;
  assert.equal((await statusCallback(sid, 'sent')).status, 204);
  assert.equal((await messageRow(server.db, id)).status, 'sent');
  assert.equal((await statusCallback(sid, 'delivered')).status, 204);
  assert.equal((await messageRow(server.db, id)).status, 'delivered');
  await settledAfter(id, c.phone, 1);
});

test('a delivered callback that arrives while Twilio has not yet answered the send is applied once the sid is stored', async () => {
  const c = await smsCustomer();
  const sid = fakeTwilioSid();
  scripts.script(c.phone, { kind: 'success', sid, delayMs: 3000 });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Early bird', channel: 'sms' });

  await waitFor('Twilio received the send', () => requestsTo(c.phone).length === 1);
  assert.equal((await statusCallback(sid, 'delivered')).status, 204, 'the early callback is acknowledged');
  assert.equal((await messageRow(server.db, id)).provider_message_id, null, 'the callback really came before the sid was committed');

  const m = await waitForMessage(server.db, id, 'sid stored', (x) => x.provider_message_id === sid);
  assert.equal(m.status, 'delivered', 'the kept callback was applied when the sid was recorded');
  assert.equal(m.provider, 'twilio');
});

test("Twilio 21211 (invalid 'To') fails the message at once with Twilio's code, our reason and Twilio's text apart, and is not retried", async () => {
  const c = await smsCustomer();
  scripts.script(c.phone, { kind: 'error', status: 400, code: 21211, message: `The 'To' number ${c.phone} is not a valid phone number.` });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Hello', channel: 'sms' });

  const m = await waitForStatus(server.db, id, 'failed');
  assert.equal(m.provider_error_code, '21211');
  assert.equal(m.failure_reason, "Invalid 'To' phone number", 'our reason, which quotes no number');
  assert.equal(m.provider_error_text, `Twilio: The 'To' number ${c.phone} is not a valid phone number.`);
  assert.equal(m.attempts, 1);
  const jobs = await settledAfter(id, c.phone, 1);
  assert.deepEqual(jobs.map((j) => [j.state, j.retry_count]), [['completed', 0]], 'the job ended without a retry');

  const api = await fetch(`${server.baseUrl}/v1/conversations/${c.conversationId}/messages`, { headers: { authorization: `Bearer ${org.apiToken}` } });
  const view = ((await api.json()) as { messages: Array<Record<string, unknown>> }).messages.find((x) => x.id === id);
  assert.equal(view?.status, 'failed');
  assert.equal(view?.providerErrorCode, '21211');
  assert.equal(view?.failureReason, "Invalid 'To' phone number");
  assert.equal(view?.providerErrorText, `Twilio: The 'To' number ${c.phone} is not a valid phone number.`, 'a token with customers.contact.view sees the raw text');
});

test('Twilio 21610 (unsubscribed) fails the message, records the SMS opt-out with an audit entry, and blocks the next SMS before anything is stored', async () => {
  const c = await smsCustomer();
  scripts.script(c.phone, { kind: 'error', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Your MOT is due', channel: 'sms' });

  const m = await waitForStatus(server.db, id, 'failed');
  assert.equal(m.provider_error_code, '21610');
  assert.equal(m.failure_reason, 'Recipient has unsubscribed (replied STOP)');
  assert.equal(m.provider_error_text, 'Twilio: Attempt to send to unsubscribed recipient');
  const optOut = await server.db.selectFrom('sms_opt_outs').selectAll().where('org_id', '=', org.id).where('phone', '=', c.phone).executeTakeFirst();
  assert.equal(optOut?.opted_out, true);
  const audit = await server.db.selectFrom('consent_audit_log').selectAll().where('org_id', '=', org.id).where('phone', '=', c.phone).where('category', '=', 'sms').execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.source, 'provider_error');
  assert.equal(audit[0]!.action, 'revoked');
  assert.equal(audit[0]!.customer_id, c.customerId);
  await settledAfter(id, c.phone, 1);

  const before = await server.db.selectFrom('messages').select('id').where('conversation_id', '=', c.conversationId).execute();
  const next = await sendMessage(server.baseUrl, org.apiToken, c.conversationId, { body: 'Are you there?', channel: 'sms' });
  assert.equal(next.status, 422);
  assert.equal(next.json.error.code, 'sms_opted_out');
  const afterward = await server.db.selectFrom('messages').select('id').where('conversation_id', '=', c.conversationId).execute();
  assert.equal(afterward.length, before.length, 'the refused send stored nothing');
  assert.ok(await holdsFor(() => requestsTo(c.phone).length === 1, 300), 'and sent nothing');
});

test('refused credentials (401, Twilio 20003) fail the message with a reason that sends staff to the channel settings', async () => {
  const c = await smsCustomer();
  scripts.script(c.phone, { kind: 'error', status: 401, code: 20003, message: 'Authenticate' });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Hello', channel: 'sms' });

  const m = await waitForStatus(server.db, id, 'failed');
  assert.equal(m.provider_error_code, '20003');
  assert.match(m.failure_reason!, /credentials/i);
  assert.match(m.failure_reason!, /check the channel settings/i);
  await settledAfter(id, c.phone, 1);
});

test('staff can retry a message the provider failed: it is queued again, sent once more, and delivered', async () => {
  const c = await smsCustomer();
  scripts.script(c.phone, { kind: 'error', status: 400, code: 21408, message: 'Permission to send an SMS has not been enabled for the region indicated by the To number' });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Your quote is ready', channel: 'sms' });
  await waitForStatus(server.db, id, 'failed');
  await settledAfter(id, c.phone, 1);

  const retried = await retryMessage(server.baseUrl, org.apiToken, id);
  assert.equal(retried.status, 200, JSON.stringify(retried.json));
  assert.equal(retried.json.status, 'pending');
  assert.equal(retried.json.failureReason, null);
  assert.equal(retried.json.providerErrorCode, null);

  const accepted = await waitForMessage(server.db, id, 'accepted on retry', (m) => m.provider_message_id !== null);
  assert.equal(accepted.attempts, 2);
  assert.equal(requestsTo(c.phone).length, 2);
  assert.equal(requestsTo(c.phone)[1]!.body.Body, 'Your quote is ready');
  assert.equal((await statusCallback(accepted.provider_message_id!, 'delivered')).status, 204);
  assert.equal((await messageRow(server.db, id)).status, 'delivered');

  const again = await retryMessage(server.baseUrl, org.apiToken, id);
  assert.equal(again.status, 409, 'a delivered message is not retried');
  assert.equal(again.json.error.code, 'not_retryable');
});
