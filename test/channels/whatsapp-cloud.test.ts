import '../support/no-network.js';
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWhatsAppCloudAdapter, type WhatsAppCloudConfig } from '../../src/channels/whatsapp/whatsapp-cloud.adapter.js';
import type { OutboundRequest } from '../../src/channels/contract.js';
import { closedLoopbackPort, rejectsWithProviderError, startFakeWhatsApp, type FakeWhatsApp } from '../support/fake-providers/index.js';

const ACCESS_TOKEN = 'EAAG-test-access-token';
const PHONE_NUMBER_ID = '106540352242922';
let meta: FakeWhatsApp;

before(async () => {
  meta = await startFakeWhatsApp({ accessToken: ACCESS_TOKEN });
});
after(() => meta.close());
beforeEach(() => {
  meta.requests.length = 0;
  meta.respondWith(() => ({ kind: 'success' }));
});

function config(overrides: Partial<WhatsAppCloudConfig> = {}): WhatsAppCloudConfig {
  return { baseUrl: meta.baseUrl, apiVersion: 'v21.0', phoneNumberId: PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN, timeoutMs: 2000, ...overrides };
}

const text: OutboundRequest = { messageId: 'msg-1', to: '+447700900123', body: 'Your MOT is booked for Tuesday https://garage.example/b/1' };
const template: OutboundRequest = {
  messageId: 'msg-2',
  to: '+447700900123',
  body: 'Hi Sam, your Ford Focus is ready to collect.',
  template: {
    name: 'vehicle_ready',
    language: 'en_GB',
    params: [
      { name: 'customer_name', value: 'Sam' },
      { name: 'vehicle', value: 'Ford Focus' },
    ],
  },
};

test('text: posts exactly the Cloud API text body with a Bearer token; 200 maps to wamid + sent', async () => {
  const result = await createWhatsAppCloudAdapter(config()).send(text);

  const sent = meta.requests[0]!;
  assert.equal(sent.method, 'POST');
  assert.equal(sent.path, `/v21.0/${PHONE_NUMBER_ID}/messages`);
  assert.equal(sent.headers.authorization, `Bearer ${ACCESS_TOKEN}`);
  assert.match(sent.headers['content-type'] ?? '', /^application\/json/);
  assert.deepEqual(sent.body, {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: '447700900123',
    type: 'text',
    text: { preview_url: false, body: text.body },
  });
  assert.match(result.providerMessageId, /^wamid\.[A-Za-z0-9]+$/);
  assert.equal(result.status, 'sent');
  assert.equal(result.cost, undefined);
});

test('template: named body parameters in order; Meta "accepted" still maps to sent', async () => {
  const result = await createWhatsAppCloudAdapter(config()).send(template);
  assert.deepEqual(meta.requests[0]!.body, {
    messaging_product: 'whatsapp',
    to: '447700900123',
    type: 'template',
    template: {
      name: 'vehicle_ready',
      language: { code: 'en_GB' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', parameter_name: 'customer_name', text: 'Sam' },
            { type: 'text', parameter_name: 'vehicle', text: 'Ford Focus' },
          ],
        },
      ],
    },
  });
  assert.equal(result.status, 'sent');
});

test('template without parameters omits components', async () => {
  await createWhatsAppCloudAdapter(config()).send({ ...template, template: { name: 'hello_world', language: 'en_US', params: [] } });
  assert.deepEqual(meta.requests[0]!.body, {
    messaging_product: 'whatsapp',
    to: '447700900123',
    type: 'template',
    template: { name: 'hello_world', language: { code: 'en_US' } },
  });
});

test('held_for_quality_assessment and paused keep the id but map to pending', async () => {
  meta.respondWith([
    { kind: 'success', messageId: 'wamid.HELD1', messageStatus: 'held_for_quality_assessment' },
    { kind: 'success', messageId: 'wamid.PAUSED1', messageStatus: 'paused' },
  ]);
  const adapter = createWhatsAppCloudAdapter(config());
  assert.deepEqual(await adapter.send(template), { providerMessageId: 'wamid.HELD1', status: 'pending' });
  assert.deepEqual(await adapter.send(template), { providerMessageId: 'wamid.PAUSED1', status: 'pending' });
});

test('131047 (re-engagement) is permanent with error_data.details as the message', async () => {
  const details = 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';
  meta.respondWith({ kind: 'error', status: 400, code: 131047, message: '(#131047) Re-engagement message', details });
  await rejectsWithProviderError(createWhatsAppCloudAdapter(config()).send(text), {
    kind: 'permanent',
    providerCode: '131047',
    retryAfterMs: null,
    message: new RegExp(details.replace(/\./g, '\\.')),
  });
});

test('every listed refusal code is permanent even when HTTP says 500 or 429', async () => {
  const codes = [131047, 131026, 131051, 131008, 131009, 131021, 132000, 132001, 132012, 132015, 132016, 131048, 131049, 131050];
  meta.respondWith(codes.map((code) => ({ kind: 'error' as const, status: code === 131048 ? 429 : code === 131026 ? 500 : 400, code })));
  const adapter = createWhatsAppCloudAdapter(config());
  for (const code of codes) await rejectsWithProviderError(adapter.send(text), { kind: 'permanent', providerCode: String(code) });
});

test('130429 is retryable by code although Meta sends it as HTTP 400; 131056 carries Retry-After', async () => {
  meta.respondWith([
    { kind: 'error', status: 400, code: 130429, message: '(#130429) Rate limit hit' },
    { kind: 'error', status: 429, code: 131056, details: 'too many messages to the same phone number', retryAfter: '12' },
    { kind: 'error', status: 500, code: 131000, message: 'Something went wrong' },
    { kind: 'error', status: 400, code: 2, message: 'Service temporarily unavailable' },
    { kind: 'error', status: 400, code: 999999, message: 'Transient', isTransient: true },
  ]);
  const adapter = createWhatsAppCloudAdapter(config());
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', providerCode: '130429', message: /Rate limit hit/ });
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', providerCode: '131056', retryAfterMs: 12000 });
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', providerCode: '131000' });
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', providerCode: '2' });
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', providerCode: '999999' });
});

test('190 (bad token, from the fake\'s auth check) is bad_credentials; so are 0, 10, 200-299 and bare 401/403', async () => {
  await rejectsWithProviderError(createWhatsAppCloudAdapter(config({ accessToken: 'expired' })).send(text), {
    kind: 'bad_credentials',
    providerCode: '190',
    message: /Invalid OAuth access token/,
  });
  meta.respondWith([
    { kind: 'error', status: 400, code: 0, message: 'AuthException' },
    { kind: 'error', status: 403, code: 10, message: 'Application does not have permission for this action' },
    { kind: 'error', status: 400, code: 200, message: 'Permissions error' },
    { kind: 'error', status: 400, code: 299, message: 'Permissions error' },
    { kind: 'raw', status: 401, body: 'Unauthorized' },
    { kind: 'raw', status: 403, body: 'Forbidden' },
  ]);
  const adapter = createWhatsAppCloudAdapter(config());
  for (const code of ['0', '10', '200', '299', null, null]) {
    await rejectsWithProviderError(adapter.send(text), { kind: 'bad_credentials', providerCode: code });
  }
});

test('unknown codes fall back to HTTP status; non-JSON bodies classify by status', async () => {
  meta.respondWith([
    { kind: 'error', status: 400, code: 100, message: '(#100) Invalid parameter' },
    { kind: 'raw', status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' },
    { kind: 'raw', status: 429, body: 'slow down' },
  ]);
  const adapter = createWhatsAppCloudAdapter(config());
  await rejectsWithProviderError(adapter.send(text), { kind: 'permanent', providerCode: '100', message: /Invalid parameter/ });
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', providerCode: null, message: /HTTP 502/ });
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', providerCode: null });
});

test('a 200 without messages[0].id is permanent (retrying could double-send)', async () => {
  meta.respondWith({ kind: 'raw', status: 200, body: '{"messaging_product":"whatsapp","messages":[]}', contentType: 'application/json' });
  await rejectsWithProviderError(createWhatsAppCloudAdapter(config()).send(text), { kind: 'permanent', message: /no message id/ });
});

test('connection refused, timeout and dropped connection are retryable', async () => {
  const port = await closedLoopbackPort();
  await rejectsWithProviderError(createWhatsAppCloudAdapter(config({ baseUrl: `http://127.0.0.1:${port}` })).send(text), {
    kind: 'retryable',
    message: /ECONNREFUSED/,
  });
  meta.respondWith([{ kind: 'hang' }, { kind: 'drop' }]);
  const adapter = createWhatsAppCloudAdapter(config({ timeoutMs: 200 }));
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', message: /within 200 ms/ });
  await rejectsWithProviderError(adapter.send(text), { kind: 'retryable', message: /network error/ });
});
