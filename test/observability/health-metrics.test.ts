/**
 * Issue 10 item 20: /health is liveness only, /ready checks the database and
 * the job queue, /metrics serves the webhook, delivery, queue and real-time
 * metrics to loopback scrapers or to holders of METRICS_TOKEN.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createOutboundMessage, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { createConversation, sendQueued, waitFor } from '../support/delivery.js';
import { openEvents } from '../realtime/sse-client.js';

async function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.baseUrl}/metrics`, { headers });
  return { status: res.status, text: await res.text() };
}
/** The value of one sample line, e.g. metric('torqueflow_webhooks_total{provider="twilio",route="sms",status="200"}'). */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('without METRICS_TOKEN (loopback scrapers only), no worker running', () => {
  let server: TestServer;
  let org: TestOrg;
  before(async () => {
    server = await startTestServer({ RUN_WORKER: 'false' });
    org = await createOrg(server.db);
  });
  after(() => server?.close());

  test('/health and /ready', async () => {
    assert.deepEqual(await (await fetch(`${server.baseUrl}/health`)).json(), { status: 'ok' });
    const ready = await fetch(`${server.baseUrl}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: 'ok', jobQueue: 'ok' } });
  });

  test('webhooks by provider, route and status, with their latency', async () => {
    const params = smsParams({ sid: newSid(), from: '+447700900321', to: org.twilioNumber });
    assert.equal((await postTwilio(server.baseUrl, '/twilio/sms', params, org.twilioAuthToken)).status, 200);
    assert.equal((await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: '+447700900321', to: org.twilioNumber }), org.twilioAuthToken, 'forged')).status, 403);
    const { status, text } = await scrape(server);
    assert.equal(status, 200);
    assert.equal(sample(text, 'torqueflow_webhooks_total{provider="twilio",route="sms",status="200"}'), 1);
    assert.equal(sample(text, 'torqueflow_webhooks_total{provider="twilio",route="sms",status="403"}'), 1);
    assert.equal(sample(text, 'torqueflow_webhook_duration_seconds_count{provider="twilio",route="sms",status="200"}'), 1);
  });

  test('the outbox depth and its oldest age, and connected real-time clients', async () => {
    const before = await scrape(server);
    assert.equal(sample(before.text, 'torqueflow_job_queue_depth{queue="deliver-message"}'), 0);
    assert.equal(sample(before.text, 'torqueflow_realtime_clients'), 0);
    const customer = await createCustomer(server.db, org.id);
    const conversation = await createConversation(server.db, org.id, customer.id, { lastChannel: 'sms' });
    await sendQueued(server.baseUrl, org.apiToken, conversation.id, { body: 'Your car is ready', channel: 'sms' });
    await sendQueued(server.baseUrl, org.apiToken, conversation.id, { body: 'We close at 5:30', channel: 'sms' });
    const stream = await openEvents(server.baseUrl, { token: org.apiToken });
    try {
      const after = await scrape(server);
      assert.equal(sample(after.text, 'torqueflow_job_queue_depth{queue="deliver-message"}'), 2);
      assert.ok((sample(after.text, 'torqueflow_job_queue_oldest_age_seconds{queue="deliver-message"}') ?? -1) >= 0);
      assert.equal(sample(after.text, 'torqueflow_realtime_clients'), 1);
    } finally {
      stream.close();
    }
  });

  test('the unread-reminder backlog: reminders claimed whose email has not gone yet, and how long the oldest has waited', async () => {
    const before = await scrape(server);
    assert.equal(sample(before.text, 'torqueflow_reminders_queued'), 0);
    assert.equal(sample(before.text, 'torqueflow_reminders_oldest_queued_age_seconds'), 0);
    const customer = await createCustomer(server.db, org.id);
    const message = await createOutboundMessage(server.db, org.id, { customerId: customer.id, provider: 'twilio', providerMessageId: newSid() });
    await server.db.insertInto('message_reminders').values({
      org_id: org.id, skip_reason: null, sent_at: null, message_id: message.id, conversation_id: message.conversation_id, customer_id: customer.id, created_at: new Date(Date.now() - 90_000),
    }).execute();
    const waiting = await scrape(server);
    assert.equal(sample(waiting.text, 'torqueflow_reminders_queued'), 1);
    assert.ok((sample(waiting.text, 'torqueflow_reminders_oldest_queued_age_seconds') ?? 0) >= 89);
    await server.db.updateTable('message_reminders').set({ status: 'sent', sent_at: new Date() }).where('message_id', '=', message.id).execute();
    assert.equal(sample((await scrape(server)).text, 'torqueflow_reminders_queued'), 0);
  });

  test('a client the proxy says is elsewhere (X-Forwarded-For from a trusted loopback proxy) gets 404', async () => {
    const { status, text } = await scrape(server, { 'x-forwarded-for': '203.0.113.7' });
    assert.equal(status, 404);
    assert.doesNotMatch(text, /torqueflow_/);
  });
});

describe('with METRICS_TOKEN, worker running', () => {
  const token = 'metrics-token-0123456789abcdef';
  let server: TestServer;
  let org: TestOrg;
  before(async () => {
    server = await startTestServer({ METRICS_TOKEN: token });
    org = await createOrg(server.db);
  });
  after(() => server?.close());

  test('/metrics needs the bearer token, even from loopback', async () => {
    assert.equal((await scrape(server)).status, 404);
    assert.equal((await scrape(server, { authorization: 'Bearer wrong-token-0123456789' })).status, 404);
    assert.equal((await scrape(server, { authorization: `Bearer ${token}` })).status, 200);
  });

  test('deliveries by channel, outcome and provider error code', async () => {
    const customer = await createCustomer(server.db, org.id);
    const conversation = await createConversation(server.db, org.id, customer.id, { lastChannel: 'sms' });
    await sendQueued(server.baseUrl, org.apiToken, conversation.id, { body: 'Your car is ready', channel: 'sms' });
    await waitFor('the accepted delivery counted', async () => sample((await scrape(server, { authorization: `Bearer ${token}` })).text, 'torqueflow_deliveries_total{channel="sms",outcome="accepted",error_code="none"}') === 1);
  });

  test('/ready answers 503 naming the job queue once it has stopped', async () => {
    await server.queue.stop();
    const res = await fetch(`${server.baseUrl}/ready`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { status: 'not_ready', checks: { database: 'ok', jobQueue: 'the job queue is stopped' } });
    assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200, 'still alive');
  });
});
