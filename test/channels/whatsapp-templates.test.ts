import '../support/no-network.js';
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  submitWhatsAppTemplate,
  type TemplateSubmission,
  type WhatsAppTemplateConfig,
} from '../../src/channels/whatsapp/whatsapp-templates.js';
import { rejectsWithProviderError, startFakeWhatsApp, type FakeWhatsApp } from '../support/fake-providers/index.js';

const ACCESS_TOKEN = 'EAAG-test-access-token';
const WABA_ID = '102290129340398';
let meta: FakeWhatsApp;

before(async () => {
  meta = await startFakeWhatsApp({ accessToken: ACCESS_TOKEN });
});
after(() => meta.close());
beforeEach(() => {
  meta.requests.length = 0;
  meta.respondWith(() => ({ kind: 'success' }));
});

function config(overrides: Partial<WhatsAppTemplateConfig> = {}): WhatsAppTemplateConfig {
  return { baseUrl: meta.baseUrl, apiVersion: 'v21.0', wabaId: WABA_ID, accessToken: ACCESS_TOKEN, timeoutMs: 2000, ...overrides };
}

const vehicleReady: TemplateSubmission = {
  name: 'vehicle_ready',
  language: 'en_GB',
  category: 'UTILITY',
  body: 'Hi {customer_name}, your {vehicle} is ready. Reply here if you have questions, {customer_name}.',
  examples: { customer_name: 'Sam', vehicle: 'Ford Focus', unused: 'ignored' },
};

test('posts a NAMED template: {x} becomes {{x}}, one example per placeholder in order of appearance', async () => {
  const result = await submitWhatsAppTemplate(config(), vehicleReady);

  const sent = meta.requests[0]!;
  assert.equal(sent.method, 'POST');
  assert.equal(sent.path, `/v21.0/${WABA_ID}/message_templates`);
  assert.equal(sent.headers.authorization, `Bearer ${ACCESS_TOKEN}`);
  assert.deepEqual(sent.body, {
    name: 'vehicle_ready',
    language: 'en_GB',
    category: 'UTILITY',
    parameter_format: 'NAMED',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{customer_name}}, your {{vehicle}} is ready. Reply here if you have questions, {{customer_name}}.',
        example: {
          body_text_named_params: [
            { param_name: 'customer_name', example: 'Sam' },
            { param_name: 'vehicle', example: 'Ford Focus' },
          ],
        },
      },
    ],
  });
  assert.match(result.providerTemplateId, /^\d+$/);
  assert.equal(result.status, 'pending');
});

test('a body without placeholders has no example; {{x}} already doubled is left alone', async () => {
  await submitWhatsAppTemplate(config(), { ...vehicleReady, body: 'Thanks for visiting!', examples: {} });
  await submitWhatsAppTemplate(config(), { ...vehicleReady, body: 'Hi {{customer_name}}', examples: { customer_name: 'Sam' } });
  assert.deepEqual((meta.requests[0]!.body as { components: unknown }).components, [{ type: 'BODY', text: 'Thanks for visiting!' }]);
  assert.deepEqual((meta.requests[1]!.body as { components: unknown }).components, [
    { type: 'BODY', text: 'Hi {{customer_name}}', example: { body_text_named_params: [{ param_name: 'customer_name', example: 'Sam' }] } },
  ]);
});

test('Meta review statuses map to ours', async () => {
  const cases: Array<[string, string]> = [
    ['PENDING', 'pending'],
    ['APPROVED', 'approved'],
    ['REJECTED', 'rejected'],
    ['PAUSED', 'paused'],
    ['DISABLED', 'rejected'],
    ['IN_APPEAL', 'pending'],
    ['LIMIT_EXCEEDED', 'pending'],
  ];
  meta.respondWith(cases.map(([templateStatus]) => ({ kind: 'success' as const, templateStatus })));
  for (const [meta_, ours] of cases) {
    assert.equal((await submitWhatsAppTemplate(config(), vehicleReady)).status, ours, meta_);
  }
});

test('a placeholder without an example is refused before any request', async () => {
  await rejectsWithProviderError(submitWhatsAppTemplate(config(), { ...vehicleReady, examples: { customer_name: 'Sam' } }), {
    kind: 'permanent',
    providerCode: null,
    message: /example value for: vehicle/,
  });
  assert.equal(meta.requests.length, 0);
});

test('errors classify as for sends: bad token → bad_credentials, 100 → permanent, 5xx → retryable', async () => {
  await rejectsWithProviderError(submitWhatsAppTemplate(config({ accessToken: 'expired' }), vehicleReady), {
    kind: 'bad_credentials',
    providerCode: '190',
  });
  meta.respondWith([
    { kind: 'error', status: 400, code: 100, message: 'Invalid parameter', details: 'Template name does not match the expected format' },
    { kind: 'raw', status: 500, body: 'oops' },
  ]);
  await rejectsWithProviderError(submitWhatsAppTemplate(config(), vehicleReady), {
    kind: 'permanent',
    providerCode: '100',
    message: /Template name does not match/,
  });
  await rejectsWithProviderError(submitWhatsAppTemplate(config(), vehicleReady), { kind: 'retryable' });
});
