import '../support/no-network.js';
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTwilioSmsAdapter, type TwilioSmsConfig } from '../../src/channels/twilio/twilio-sms.adapter.js';
import type { OutboundRequest } from '../../src/channels/contract.js';
import { closedLoopbackPort, rejectsWithProviderError, startFakeTwilio, type FakeTwilio } from '../support/fake-providers/index.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-secret-token';
let twilio: FakeTwilio;

before(async () => {
  twilio = await startFakeTwilio({ authToken: AUTH_TOKEN });
});
after(() => twilio.close());
beforeEach(() => {
  twilio.requests.length = 0;
  twilio.respondWith(() => ({ kind: 'success' }));
});

function config(overrides: Partial<TwilioSmsConfig> = {}): TwilioSmsConfig {
  return {
    baseUrl: twilio.baseUrl,
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: '+441234567890',
    messagingServiceSid: null,
    timeoutMs: 2000,
    ...overrides,
  };
}

const request: OutboundRequest = {
  messageId: 'msg-1',
  to: '+447700900123',
  body: 'Your car is ready to collect. £120.50 — thanks!',
  statusCallbackUrl: 'https://inbox.example/webhooks/twilio/status',
};

test('posts the Messages.json form with Basic auth and maps the 201 reply', async () => {
  const result = await createTwilioSmsAdapter(config()).send(request);

  assert.equal(twilio.requests.length, 1);
  const sent = twilio.requests[0]!;
  assert.equal(sent.method, 'POST');
  assert.equal(sent.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
  assert.equal(sent.headers.authorization, `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
  assert.equal(sent.headers.accept, 'application/json');
  assert.match(sent.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
  assert.deepEqual(sent.body, {
    To: '+447700900123',
    From: '+441234567890',
    Body: 'Your car is ready to collect. £120.50 — thanks!',
    StatusCallback: 'https://inbox.example/webhooks/twilio/status',
  });

  assert.match(result.providerMessageId, /^SM[0-9a-f]{32}$/);
  assert.equal(result.status, 'pending', 'queued maps to pending');
  assert.equal(result.cost, undefined, 'price is null at creation');
});

test('uses MessagingServiceSid only when there is no From; StatusCallback only when given', async () => {
  const { statusCallbackUrl: _omit, ...noCallback } = request;
  await createTwilioSmsAdapter(config({ from: null, messagingServiceSid: 'MG00000000000000000000000000000001' })).send(noCallback);
  await createTwilioSmsAdapter(config({ messagingServiceSid: 'MG00000000000000000000000000000001' })).send(noCallback);

  assert.deepEqual(twilio.requests[0]!.body, { To: request.to, MessagingServiceSid: 'MG00000000000000000000000000000001', Body: request.body });
  assert.deepEqual(twilio.requests[1]!.body, { To: request.to, From: '+441234567890', Body: request.body }, 'From wins when both are set');
});

test('accepted/scheduled/sending map to pending, sent to sent; a price becomes a positive exact cost', async () => {
  twilio.respondWith([
    { kind: 'success', status: 'accepted' },
    { kind: 'success', status: 'scheduled' },
    { kind: 'success', status: 'sending' },
    { kind: 'success', status: 'sent', price: '-0.00750', priceUnit: 'USD' },
  ]);
  const adapter = createTwilioSmsAdapter(config());
  const results = [await adapter.send(request), await adapter.send(request), await adapter.send(request), await adapter.send(request)];
  assert.deepEqual(results.map((r) => r.status), ['pending', 'pending', 'pending', 'sent']);
  assert.deepEqual(results[3]!.cost, { amount: '0.00750', currency: 'USD' });
});

test('21610 (unsubscribed) is permanent with the code and Twilio message', async () => {
  twilio.respondWith({ kind: 'error', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
  await rejectsWithProviderError(createTwilioSmsAdapter(config()).send(request), {
    kind: 'permanent',
    providerCode: '21610',
    retryAfterMs: null,
    message: /Attempt to send to unsubscribed recipient/,
  });
});

test('a wrong auth token gets Twilio 401/20003: bad_credentials', async () => {
  await rejectsWithProviderError(createTwilioSmsAdapter(config({ authToken: 'wrong' })).send(request), {
    kind: 'bad_credentials',
    providerCode: '20003',
  });
});

test('code 20003 is bad_credentials whatever the HTTP status', async () => {
  twilio.respondWith({ kind: 'error', status: 403, code: 20003, message: 'Authenticate' });
  await rejectsWithProviderError(createTwilioSmsAdapter(config()).send(request), { kind: 'bad_credentials', providerCode: '20003' });
});

test('500 is retryable; 429/20429 is retryable with Retry-After in ms', async () => {
  twilio.respondWith([
    { kind: 'error', status: 500, code: 20500, message: 'Internal Server Error' },
    { kind: 'error', status: 429, code: 20429, message: 'Too Many Requests', retryAfter: '7' },
    { kind: 'error', status: 400, code: 20429, message: 'Too Many Requests' },
  ]);
  const adapter = createTwilioSmsAdapter(config());
  await rejectsWithProviderError(adapter.send(request), { kind: 'retryable', providerCode: '20500', retryAfterMs: null });
  await rejectsWithProviderError(adapter.send(request), { kind: 'retryable', providerCode: '20429', retryAfterMs: 7000 });
  await rejectsWithProviderError(adapter.send(request), { kind: 'retryable', providerCode: '20429' });
});

test('a non-JSON error body still classifies by HTTP status', async () => {
  twilio.respondWith([
    { kind: 'raw', status: 503, body: '<html><body>Service Unavailable</body></html>', contentType: 'text/html', headers: { 'retry-after': '3' } },
    { kind: 'raw', status: 400, body: 'Bad Request' },
    { kind: 'raw', status: 401, body: 'Unauthorized' },
  ]);
  const adapter = createTwilioSmsAdapter(config());
  await rejectsWithProviderError(adapter.send(request), { kind: 'retryable', providerCode: null, retryAfterMs: 3000, message: /HTTP 503/ });
  await rejectsWithProviderError(adapter.send(request), { kind: 'permanent', providerCode: null, message: /HTTP 400/ });
  await rejectsWithProviderError(adapter.send(request), { kind: 'bad_credentials', providerCode: null });
});

test('a 2xx reply without a sid is permanent (retrying could double-send)', async () => {
  twilio.respondWith({ kind: 'raw', status: 201, body: '{}', contentType: 'application/json' });
  await rejectsWithProviderError(createTwilioSmsAdapter(config()).send(request), { kind: 'permanent', message: /no message sid/ });
});

test('connection refused is retryable', async () => {
  const port = await closedLoopbackPort();
  await rejectsWithProviderError(createTwilioSmsAdapter(config({ baseUrl: `http://127.0.0.1:${port}` })).send(request), {
    kind: 'retryable',
    providerCode: null,
    message: /network error.*ECONNREFUSED/,
  });
});

test('no answer within timeoutMs is retryable: the call gives up after timeoutMs', async () => {
  twilio.respondWith({ kind: 'hang' });
  await rejectsWithProviderError(createTwilioSmsAdapter(config({ timeoutMs: 200 })).send(request), { kind: 'retryable', message: /within 200 ms/ });
});

test('a slow answer past the timeout and a dropped connection are retryable', async () => {
  twilio.respondWith([{ kind: 'success', delayMs: 600 }, { kind: 'drop' }]);
  const adapter = createTwilioSmsAdapter(config({ timeoutMs: 200 }));
  await rejectsWithProviderError(adapter.send(request), { kind: 'retryable', message: /within 200 ms/ });
  await rejectsWithProviderError(adapter.send(request), { kind: 'retryable', message: /network error/ });
});

test('without From or MessagingServiceSid the adapter refuses to build: bad_credentials', async () => {
  await rejectsWithProviderError(() => createTwilioSmsAdapter(config({ from: null, messagingServiceSid: null })), {
    kind: 'bad_credentials',
    message: /Messaging Service SID/,
  });
});
