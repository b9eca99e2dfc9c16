/**
 * Transient provider failures against the fake Twilio and Meta servers: a
 * 5xx, a 429 with Retry-After, a dropped connection, a timeout and Meta's
 * throughput limit are retried by the queue with backoff, and the message
 * is delivered once on a later attempt; after DELIVERY_MAX_ATTEMPTS transient
 * failures it is failed with a reason saying so, and nothing more is tried.
 *
 * Runs with DELIVERY_MAX_ATTEMPTS=3, a 1 s first retry delay (then ~2-4 s,
 * backoff with jitter) and a 3 s provider timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { fakeWamid, startFakeTwilio, startFakeWhatsApp, type FakeTwilio, type FakeWhatsApp, type TwilioScript, type WhatsAppScript } from '../support/fake-providers/index.js';
import { createConversation, deliveryJobs, holdsFor, scriptPerRecipient, sendQueued, waitFor, waitForMessage } from '../support/delivery.js';

const MAX_ATTEMPTS = 3;
let server: TestServer;
let twilio: FakeTwilio;
let meta: FakeWhatsApp;
let sms: ReturnType<typeof scriptPerRecipient<Record<string, string>, TwilioScript>>;
let wa: ReturnType<typeof scriptPerRecipient<unknown, WhatsAppScript>>;
let org: TestOrg;

before(async () => {
  twilio = await startFakeTwilio();
  meta = await startFakeWhatsApp();
  sms = scriptPerRecipient<Record<string, string>, TwilioScript>(twilio, (body) => body.To, { kind: 'success' });
  wa = scriptPerRecipient<unknown, WhatsAppScript>(meta, (body) => (body as { to?: string } | null)?.to, { kind: 'success' });
  server = await startTestServer({
    OUTBOUND_PROVIDERS: 'live',
    TWILIO_API_BASE_URL: twilio.baseUrl,
    WHATSAPP_API_BASE_URL: meta.baseUrl,
    PROVIDER_TIMEOUT_MS: '3000',
    DELIVERY_RETRY_DELAY_SECONDS: '1',
    DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  });
  org = await createOrg(server.db);
});
after(async () => {
  await server?.close();
  await twilio?.close();
  await meta?.close();
});

const smsTo = (phone: string) => twilio.requests.filter((r) => r.body.To === phone);
const metaTo = (phone: string) => meta.requests.filter((r) => (r.body as { to?: string } | null)?.to === phone.replace(/\D/g, ''));

async function customer(channel: 'sms' | 'whatsapp') {
  const c = await createCustomer(server.db, org.id);
  const conversation = await createConversation(server.db, org.id, c.id, { lastChannel: channel, whatsappWindow: channel === 'whatsapp' ? 'open' : 'never' });
  return { phone: c.phone!, conversationId: conversation.id };
}
async function settled(messageId: string) {
  return waitFor('delivery job settled', async () => {
    const j = await deliveryJobs(server.db, messageId);
    return j.length > 0 && j.every((x) => x.state === 'completed' || x.state === 'failed') ? j : null;
  }, { timeoutMs: 30_000 });
}

/** Script `failures` then success for one SMS; the message must be accepted exactly once, on attempt failures+1. */
async function smsRecoversAfter(...failures: TwilioScript[]) {
  const c = await customer('sms');
  sms.script(c.phone, ...failures, { kind: 'success' });
  const started = Date.now();
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Your car is ready', channel: 'sms' });
  const m = await waitForMessage(server.db, id, 'accepted by Twilio', (x) => x.provider_message_id !== null, { timeoutMs: 30_000 });
  const jobs = await settled(id);
  assert.equal(m.attempts, failures.length + 1, 'attempts counts every try');
  assert.equal(m.failure_reason, null);
  assert.equal(m.provider, 'twilio');
  assert.ok(await holdsFor(() => smsTo(c.phone).length === failures.length + 1, 300), `Twilio saw ${smsTo(c.phone).length} requests, expected ${failures.length + 1}`);
  assert.ok(smsTo(c.phone).every((r) => r.body.Body === 'Your car is ready'), 'every attempt sends the same message');
  assert.deepEqual(jobs.map((j) => [j.state, j.retry_count]), [['completed', failures.length]], 'the same job, retried');
  // Backoff: the first retry waits at least DELIVERY_RETRY_DELAY_SECONDS.
  assert.ok(Date.now() - started >= 1000 * failures.length, 'retries were not immediate');
  return m;
}

// Each test has its own customer and per-recipient scripts, so they run side by side.
describe('transient failures', { concurrency: true }, () => {
  test('a Twilio 500 is retried with backoff and the SMS is accepted once on the second attempt', async () => {
    await smsRecoversAfter({ kind: 'error', status: 500, code: 20500, message: 'Internal Server Error' });
  });

  test('a Twilio 429 with Retry-After is retried and the SMS is accepted once on the second attempt', async () => {
    await smsRecoversAfter({ kind: 'error', status: 429, code: 20429, message: 'Too Many Requests', retryAfter: '1' });
  });

  test('a dropped connection and then an HTML 503 from a load balancer are retried; the third attempt is accepted', async () => {
    await smsRecoversAfter({ kind: 'drop' }, { kind: 'raw', status: 503, body: '<html><body>503 Service Unavailable</body></html>', contentType: 'text/html' });
  });

  test('a provider that does not answer within PROVIDER_TIMEOUT_MS is retried (the slow request may or may not have been sent: the duplicate window)', async () => {
    await smsRecoversAfter({ kind: 'hang' });
  });

  test("Meta's throughput limit (130429) is retried and the WhatsApp message is sent once with its wamid", async () => {
    const c = await customer('whatsapp');
    const wamid = fakeWamid();
    wa.script(c.phone.replace(/\D/g, ''), { kind: 'error', status: 400, code: 130429, details: 'Rate limit hit' }, { kind: 'success', messageId: wamid });
    const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'On our way' });
    const m = await waitForMessage(server.db, id, 'sent', (x) => x.status === 'sent', { timeoutMs: 30_000 });
    assert.equal(m.provider_message_id, wamid);
    assert.equal(m.attempts, 2);
    await settled(id);
    assert.ok(await holdsFor(() => metaTo(c.phone).length === 2, 300));
  });

  test(`after ${MAX_ATTEMPTS} transient failures the message is failed with a clear reason and not tried again`, async () => {
    const c = await customer('sms');
    sms.script(c.phone, ...Array.from({ length: MAX_ATTEMPTS + 2 }, (): TwilioScript => ({ kind: 'error', status: 503, code: 20503, message: 'Service Unavailable' })));
    const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Hello', channel: 'sms' });

    const m = await waitForMessage(server.db, id, 'failed', (x) => x.status === 'failed', { timeoutMs: 30_000 });
    assert.equal(m.attempts, MAX_ATTEMPTS);
    assert.equal(m.failure_reason, `Provider unavailable after ${MAX_ATTEMPTS} attempts`);
    assert.equal(m.provider_error_text, 'Twilio: Service Unavailable');
    assert.equal(m.provider_error_code, '20503');
    assert.equal(m.provider_message_id, null);
    const jobs = await settled(id);
    assert.deepEqual(jobs.map((j) => [j.state, j.retry_count]), [['completed', MAX_ATTEMPTS - 1]], 'the last attempt records the failure instead of throwing');
    assert.ok(await holdsFor(() => smsTo(c.phone).length === MAX_ATTEMPTS, 1500), `exactly ${MAX_ATTEMPTS} requests, saw ${smsTo(c.phone).length}`);
  });
});
