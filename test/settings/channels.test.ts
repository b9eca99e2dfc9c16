/**
 * Onboarding a garage end to end (issue 13 item 0): the operator creates it
 * (`onboardOrganisation`, as `npm run org -- create` does), the owner sets a
 * password with the one-time link and signs in, connects Twilio and WhatsApp
 * in Settings > Channels, each verified against a local fake of the
 * provider's REST API before anything is stored, and live sending then uses
 * exactly those credentials (Twilio with the API key, Meta with the token).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestServer, PUBLIC_BASE_URL, WHATSAPP_VERIFY_TOKEN, type TestServer } from '../support/server.js';
import { createCustomer, createStaff, STAFF_PASSWORD, type TestOrg } from '../support/fixtures.js';
import { startFakeTwilio, startFakeWhatsApp, type FakeTwilio, type FakeWhatsApp } from '../support/fake-providers/index.js';
import { basicCredentials, createConversation, sendQueued, waitFor, LIVE_DELIVERY_ENV } from '../support/delivery.js';
import { call, signInAs, type Session } from '../auth/support.js';
import { onboardOrganisation } from '../../src/organisations/onboard-organisation.js';
import { createApiToken } from '../../src/api/api-tokens.js';
import type { DefaultRoleKey } from '../../src/auth/capabilities.js';

const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = `tw-${randomBytes(8).toString('hex')}`;
const API_KEY = { sid: `SK${randomBytes(16).toString('hex')}`, secret: `key-${randomBytes(8).toString('hex')}` };
const GARAGE_NUMBER = '+447700900555';
const MESSAGING_SERVICE_SID = `MG${randomBytes(16).toString('hex')}`;
const PHONE_NUMBER_ID = '106540352242922';
const WABA_ID = '102290129340398';
const ACCESS_TOKEN = `EAAG${randomBytes(8).toString('hex')}`;

let server: TestServer;
let twilio: FakeTwilio;
let meta: FakeWhatsApp;
let orgId: string;
let owner: Session;
let advisor: Session;

before(async () => {
  twilio = await startFakeTwilio({ authToken: AUTH_TOKEN, apiKey: API_KEY, incomingNumbers: [GARAGE_NUMBER, '+447700900556'], messagingServices: [MESSAGING_SERVICE_SID] });
  meta = await startFakeWhatsApp({
    accessToken: ACCESS_TOKEN,
    phoneNumbers: { [PHONE_NUMBER_ID]: { displayPhoneNumber: '+44 7700 900100', verifiedName: "Smith's Garage", wabaId: WABA_ID } },
  });
  server = await startTestServer({ ...LIVE_DELIVERY_ENV, TWILIO_API_BASE_URL: twilio.baseUrl, TWILIO_MESSAGING_API_BASE_URL: twilio.baseUrl, WHATSAPP_API_BASE_URL: meta.baseUrl });
  const email = `owner.${randomBytes(3).toString('hex')}@smiths.example`;
  const garage = await onboardOrganisation(server.db, { name: "Smith's Garage", slug: `smiths-${randomBytes(3).toString('hex')}`, ownerEmail: email, ownerName: 'Sam Smith' });
  orgId = garage.orgId;
  const confirm = await fetch(`${server.baseUrl}/auth/password-reset/confirm`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: garage.setPasswordToken, password: STAFF_PASSWORD }),
  });
  assert.equal(confirm.status, 200, await confirm.text());
  owner = await signInAs(server, email);
  const roles = Object.fromEntries((await server.db.selectFrom('roles').select(['key', 'id']).where('org_id', '=', orgId).execute()).map((r) => [r.key, r.id])) as Record<DefaultRoleKey, string>;
  advisor = await signInAs(server, (await createStaff(server.db, { id: orgId, roles } as TestOrg, 'service_advisor')).email);
});
after(async () => {
  await server?.close();
  await twilio?.close();
  await meta?.close();
});

const rows = () => server.db.selectFrom('channel_identities').selectAll().where('org_id', '=', orgId).orderBy('kind').execute();
const audit = (action: string) => server.db.selectFrom('staff_audit_log').selectAll().where('org_id', '=', orgId).where('action', '=', action).orderBy('created_at').execute();
const twilioConnect = (body: Record<string, unknown>) => call(server, owner, 'PUT', '/v1/settings/channels/twilio', body);

test('the set-password link works once, and a new garage has no channels yet but is shown the webhook addresses to paste', async () => {
  const res = await call(server, owner, 'GET', '/v1/settings/channels');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, {
    webhooks: {
      twilioSms: `${PUBLIC_BASE_URL}/twilio/sms`, twilioStatus: `${PUBLIC_BASE_URL}/twilio/status`, twilioVoice: `${PUBLIC_BASE_URL}/twilio/voice`,
      whatsapp: `${PUBLIC_BASE_URL}/whatsapp/webhook`, whatsappVerifyToken: WHATSAPP_VERIFY_TOKEN,
    },
    twilio: null, whatsapp: null, email: null,
  });
});

test('a wrong Auth Token is refused with 422 provider_credentials_rejected after asking Twilio, and nothing is stored or audited', async () => {
  const before = twilio.requests.length;
  const res = await twilioConnect({ accountSid: ACCOUNT_SID, authToken: 'not-the-token', phoneNumber: GARAGE_NUMBER });
  assert.equal(res.status, 422, res.text);
  assert.equal(res.json.error.code, 'provider_credentials_rejected');
  assert.match(res.json.error.message, /Twilio refused these credentials/);
  const asked = twilio.requests.slice(before);
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.method, 'GET');
  assert.equal(asked[0]!.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers.json?PageSize=1000`);
  assert.equal(basicCredentials(asked[0]!.headers.authorization), `${ACCOUNT_SID}:not-the-token`);
  assert.deepEqual(await rows(), []);
  assert.deepEqual(await audit('settings.channels.twilio'), []);
});

test('checking the credentials lists the account\'s numbers to pick from; a number outside the account is refused', async () => {
  const check = await call(server, owner, 'POST', '/v1/settings/channels/twilio/check', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  assert.equal(check.status, 200, check.text);
  assert.deepEqual(check.json.numbers.map((n: { phoneNumber: string }) => n.phoneNumber), [GARAGE_NUMBER, '+447700900556']);
  const wrong = await twilioConnect({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumber: '+447700900999' });
  assert.equal(wrong.status, 422, wrong.text);
  assert.equal(wrong.json.error.code, 'number_not_in_account');
  assert.deepEqual(wrong.json.error.details.numbers, [GARAGE_NUMBER, '+447700900556']);
  const malformed = await twilioConnect({ accountSid: 'AC123', authToken: AUTH_TOKEN, phoneNumber: GARAGE_NUMBER });
  assert.equal(malformed.status, 400);
  assert.match(malformed.json.error.message, /accountSid/);
  assert.deepEqual(await rows(), []);
});

test('connecting Twilio with an API key verifies both credentials, seals the secrets, never returns them, and audits the masked change', async () => {
  const before = twilio.requests.length;
  const res = await twilioConnect({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKeySid: API_KEY.sid, apiKeySecret: API_KEY.secret, phoneNumber: GARAGE_NUMBER });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.twilio, {
    accountSid: ACCOUNT_SID, authToken: { set: true, last4: AUTH_TOKEN.slice(-4) }, apiKeySid: API_KEY.sid, apiKeySecret: { set: true, last4: API_KEY.secret.slice(-4) },
    phoneNumber: GARAGE_NUMBER, messagingServiceSid: null,
  });
  assert.ok(!res.text.includes(AUTH_TOKEN) && !res.text.includes(API_KEY.secret), 'no secret in the response');
  const page = await call(server, owner, 'GET', '/v1/settings/channels');
  assert.ok(!page.text.includes(AUTH_TOKEN) && !page.text.includes(API_KEY.secret), 'no secret in the page data');
  assert.deepEqual(twilio.requests.slice(before).map((r) => basicCredentials(r.headers.authorization)), [`${ACCOUNT_SID}:${AUTH_TOKEN}`, `${API_KEY.sid}:${API_KEY.secret}`]);

  const [row, ...others] = await rows();
  assert.equal(others.length, 0);
  assert.equal(row!.kind, 'phone_number');
  assert.equal(row!.address, GARAGE_NUMBER);
  assert.match(row!.auth_token!, /^tfenc:v1:/);
  assert.match(row!.api_key_secret!, /^tfenc:v1:/);
  const [entry, ...more] = await audit('settings.channels.twilio');
  assert.equal(more.length, 0);
  assert.equal(entry!.before, null);
  assert.equal((entry!.after as { phoneNumber: string }).phoneNumber, GARAGE_NUMBER);
  assert.ok(!JSON.stringify(entry).includes(AUTH_TOKEN) && !JSON.stringify(entry).includes(API_KEY.secret), 'no secret in the audit log');
});

test('the new garage\'s live SMS goes to Twilio from its number, authenticated with its API key', async () => {
  const token = await createApiToken(server.db, orgId, 'test');
  const customer = await createCustomer(server.db, orgId);
  const conversation = await createConversation(server.db, orgId, customer.id, { lastChannel: 'sms' });
  await sendQueued(server.baseUrl, token, conversation.id, { body: 'Your car is ready', channel: 'sms' });
  const request = await waitFor('the SMS reached Twilio', () => twilio.requests.find((r) => r.method === 'POST' && r.body.To === customer.phone));
  assert.equal(request.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
  assert.equal(request.body.From, GARAGE_NUMBER);
  assert.equal(basicCredentials(request.headers.authorization), `${API_KEY.sid}:${API_KEY.secret}`);
});

test('saving again without the secrets keeps the stored ones; another garage cannot connect the same number (409)', async () => {
  const unknownService = `MG${randomBytes(16).toString('hex')}`;
  const before = await rows();
  const refused = await twilioConnect({ accountSid: ACCOUNT_SID, apiKeySid: API_KEY.sid, phoneNumber: GARAGE_NUMBER, messagingServiceSid: unknownService });
  assert.equal(refused.status, 422, refused.text);
  assert.equal(refused.json.error.code, 'service_not_in_account', 'a Messaging Service of another account is refused');
  assert.deepEqual(await rows(), before, 'and nothing changes');
  assert.ok(twilio.requests.some((r) => r.method === 'GET' && r.path === `/v1/Services/${unknownService}`), 'checked with Twilio\'s Messaging API');

  const messagingServiceSid = MESSAGING_SERVICE_SID;
  const res = await twilioConnect({ accountSid: ACCOUNT_SID, apiKeySid: API_KEY.sid, phoneNumber: GARAGE_NUMBER, messagingServiceSid });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.twilio.messagingServiceSid, messagingServiceSid);
  assert.equal(basicCredentials(twilio.requests.at(-1)!.headers.authorization), `${API_KEY.sid}:${API_KEY.secret}`, 'the kept key was checked again');
  assert.deepEqual((await rows()).map((r) => r.kind), ['messaging_service', 'phone_number']);

  const other = await onboardOrganisation(server.db, { name: 'Other Garage', slug: `other-${randomBytes(3).toString('hex')}`, ownerEmail: 'o@other.example', ownerName: 'O' });
  await fetch(`${server.baseUrl}/auth/password-reset/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: other.setPasswordToken, password: STAFF_PASSWORD }) });
  const otherOwner = await signInAs(server, 'o@other.example');
  const taken = await call(server, otherOwner, 'PUT', '/v1/settings/channels/twilio', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumber: GARAGE_NUMBER });
  assert.equal(taken.status, 409, taken.text);
  assert.equal(taken.json.error.code, 'address_in_use');
  assert.equal((await server.db.selectFrom('channel_identities').select('id').where('org_id', '=', other.orgId).execute()).length, 0);
});

test('WhatsApp: a bad token is refused and stores nothing; the right one is verified with the Graph API, stored sealed, and used to send', async () => {
  const bad = await call(server, owner, 'PUT', '/v1/settings/channels/whatsapp', { phoneNumberId: PHONE_NUMBER_ID, wabaId: WABA_ID, accessToken: 'EAAGwrong' });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.code, 'provider_credentials_rejected');
  assert.equal((await rows()).filter((r) => r.provider === 'whatsapp').length, 0);
  const wrongWaba = await call(server, owner, 'PUT', '/v1/settings/channels/whatsapp', { phoneNumberId: PHONE_NUMBER_ID, wabaId: '999999999', accessToken: ACCESS_TOKEN });
  assert.equal(wrongWaba.status, 422, wrongWaba.text);
  assert.equal(wrongWaba.json.error.code, 'number_not_in_account');

  const before = meta.requests.length;
  const res = await call(server, owner, 'PUT', '/v1/settings/channels/whatsapp', { phoneNumberId: PHONE_NUMBER_ID, wabaId: WABA_ID, accessToken: ACCESS_TOKEN });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.whatsapp, { phoneNumberId: PHONE_NUMBER_ID, wabaId: WABA_ID, displayNumber: '+447700900100', accessToken: { set: true, last4: ACCESS_TOKEN.slice(-4) } });
  assert.ok(!res.text.includes(ACCESS_TOKEN));
  assert.deepEqual(meta.requests.slice(before).map((r) => [r.method, r.path.split('?')[0], r.headers.authorization]), [
    ['GET', `/v21.0/${PHONE_NUMBER_ID}`, `Bearer ${ACCESS_TOKEN}`],
    ['GET', `/v21.0/${WABA_ID}/phone_numbers`, `Bearer ${ACCESS_TOKEN}`],
  ]);
  const stored = (await rows()).find((r) => r.provider === 'whatsapp')!;
  assert.match(stored.access_token!, /^tfenc:v1:/);
  assert.equal((await audit('settings.channels.whatsapp')).length, 1);

  const token = await createApiToken(server.db, orgId, 'wa');
  const customer = await createCustomer(server.db, orgId);
  const conversation = await createConversation(server.db, orgId, customer.id, { lastChannel: 'whatsapp', whatsappWindow: 'open' });
  await sendQueued(server.baseUrl, token, conversation.id, { body: 'Your car is ready', channel: 'whatsapp' });
  const send = await waitFor('the WhatsApp message reached Meta', () => meta.requests.find((r) => r.method === 'POST' && (r.body as { to?: string }).to === customer.phone!.slice(1)));
  assert.equal(send.path, `/v21.0/${PHONE_NUMBER_ID}/messages`);
  assert.equal(send.headers.authorization, `Bearer ${ACCESS_TOKEN}`);
});

test('the email sender is saved and disconnecting a channel removes it (audited)', async () => {
  const bad = await call(server, owner, 'PUT', '/v1/settings/channels/email', { fromAddress: 'not an email' });
  assert.equal(bad.status, 400);
  const ok = await call(server, owner, 'PUT', '/v1/settings/channels/email', { fromAddress: 'Service@Smiths.example' });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.email, { fromAddress: 'service@smiths.example' });
  const gone = await call(server, owner, 'DELETE', '/v1/settings/channels/email', {});
  assert.equal(gone.status, 200, gone.text);
  assert.equal(gone.json.email, null);
  assert.deepEqual((await audit('settings.channels.email')).map((e) => [e.before, e.after]), [[null, { fromAddress: 'service@smiths.example' }], [{ fromAddress: 'service@smiths.example' }, null]]);
});

test('a role without settings.communication.manage can neither see nor change the channels', async () => {
  for (const [method, path, body] of [['GET', '/v1/settings/channels', undefined], ['PUT', '/v1/settings/channels/twilio', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumber: GARAGE_NUMBER }]] as const) {
    const res = await call(server, advisor, method, path, body);
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.json.error.code, 'forbidden');
  }
});
