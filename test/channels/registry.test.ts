import '../support/no-network.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { adapterFor, type ChannelCredentials, type OutboundChannel, type RegistryConfig } from '../../src/channels/registry.js';
import type { OutboundRequest } from '../../src/channels/contract.js';
import {
  rejectsWithProviderError,
  startFakeSmtp,
  startFakeTwilio,
  startFakeWhatsApp,
  type FakeSmtp,
  type FakeTwilio,
  type FakeWhatsApp,
} from '../support/fake-providers/index.js';

let twilio: FakeTwilio;
let meta: FakeWhatsApp;
let smtp: FakeSmtp;

before(async () => {
  [twilio, meta, smtp] = await Promise.all([startFakeTwilio(), startFakeWhatsApp(), startFakeSmtp()]);
});
after(() => Promise.all([twilio.close(), meta.close(), smtp.close()]));

const fullCredentials: ChannelCredentials = {
  twilio: { accountSid: 'AC00000000000000000000000000000001', authToken: 'tok', apiKeySid: null, apiKeySecret: null, from: '+441234567890', messagingServiceSid: null },
  whatsapp: { phoneNumberId: '106540352242922', accessToken: 'EAAG' },
  emailFrom: 'service@smiths.example',
};
const noCredentials: ChannelCredentials = { twilio: null, whatsapp: null, emailFrom: null };

function liveConfig(overrides: Partial<RegistryConfig> = {}): RegistryConfig {
  return {
    OUTBOUND_PROVIDERS: 'live',
    TWILIO_API_BASE_URL: twilio.baseUrl,
    WHATSAPP_API_BASE_URL: meta.baseUrl,
    WHATSAPP_API_VERSION: 'v22.0',
    SMTP_URL: smtp.smtpUrl,
    PROVIDER_TIMEOUT_MS: 2000,
    ...overrides,
  };
}
const sandboxConfig = (): RegistryConfig => liveConfig({ OUTBOUND_PROVIDERS: 'sandbox', SMTP_URL: undefined });

const phoneRequest: OutboundRequest = { messageId: '5b0c…', to: '+447700900123', body: 'Hello' };

test('portal always uses the portal adapter, which acknowledges as delivered', async () => {
  for (const config of [liveConfig(), sandboxConfig()]) {
    const adapter = adapterFor('portal', noCredentials, config);
    assert.equal(adapter.provider, 'portal');
    assert.deepEqual(await adapter.send({ messageId: 'm-42', to: 'conv-1', body: 'Hi' }), { providerMessageId: 'portal:m-42', status: 'delivered' });
  }
});

test('sandbox mode uses the sandbox adapter for sms, whatsapp and email, without credentials or network', async () => {
  const before = twilio.requests.length + meta.requests.length + smtp.requests.length;
  for (const channel of ['sms', 'whatsapp', 'email'] as const) {
    const adapter = adapterFor(channel, noCredentials, sandboxConfig());
    assert.equal(adapter.provider, 'sandbox', channel);
    const result = await adapter.send(phoneRequest);
    assert.match(result.providerMessageId, /^sandbox-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(result.status, 'sent');
  }
  const [a, b] = [await adapterFor('sms', noCredentials, sandboxConfig()).send(phoneRequest), await adapterFor('sms', noCredentials, sandboxConfig()).send(phoneRequest)];
  assert.notEqual(a.providerMessageId, b.providerMessageId);
  assert.equal(twilio.requests.length + meta.requests.length + smtp.requests.length, before, 'no provider was called');
});

test('live mode builds each vendor adapter from the config and credentials', async () => {
  const sms = adapterFor('sms', fullCredentials, liveConfig());
  const whatsapp = adapterFor('whatsapp', fullCredentials, liveConfig());
  const email = adapterFor('email', fullCredentials, liveConfig());
  assert.deepEqual([sms.provider, whatsapp.provider, email.provider], ['twilio', 'whatsapp', 'smtp']);

  await sms.send(phoneRequest);
  await whatsapp.send(phoneRequest);
  await email.send({ ...phoneRequest, to: 'sam@example.org' });

  assert.equal(twilio.requests.at(-1)!.path, '/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json');
  assert.equal(twilio.requests.at(-1)!.body.From, '+441234567890');
  assert.equal(meta.requests.at(-1)!.path, '/v22.0/106540352242922/messages');
  assert.equal(meta.requests.at(-1)!.headers.authorization, 'Bearer EAAG');
  assert.equal(smtp.requests.at(-1)!.from, 'service@smiths.example');
});

test('live mode without what a channel needs throws bad_credentials naming it', async () => {
  const cases: Array<[OutboundChannel, ChannelCredentials, RegistryConfig, RegExp]> = [
    ['sms', noCredentials, liveConfig(), /Twilio Account SID and Auth Token/],
    ['sms', { ...fullCredentials, twilio: { ...fullCredentials.twilio!, authToken: '' } }, liveConfig(), /Twilio Account SID and Auth Token/],
    ['sms', { ...fullCredentials, twilio: { ...fullCredentials.twilio!, from: null, messagingServiceSid: null } }, liveConfig(), /phone number or a Messaging Service SID/],
    ['whatsapp', noCredentials, liveConfig(), /WhatsApp.*phone number id and access token/],
    ['email', fullCredentials, liveConfig({ SMTP_URL: undefined }), /SMTP_URL is missing/],
    ['email', { ...fullCredentials, emailFrom: null }, liveConfig(), /sender email address is missing/],
    ['email', noCredentials, liveConfig({ SMTP_URL: undefined }), /SMTP_URL and the garage's sender email address are missing/],
  ];
  for (const [channel, credentials, config, message] of cases) {
    await rejectsWithProviderError(() => adapterFor(channel, credentials, config), { kind: 'bad_credentials', providerCode: null, message });
  }
});

test('nothing is cached: a credentials change applies to the next adapter', async () => {
  const first = adapterFor('sms', fullCredentials, liveConfig());
  const second = adapterFor('sms', { ...fullCredentials, twilio: { ...fullCredentials.twilio!, from: '+449999999999' } }, liveConfig());
  assert.notEqual(first, second);
  await second.send(phoneRequest);
  assert.equal(twilio.requests.at(-1)!.body.From, '+449999999999');
});
