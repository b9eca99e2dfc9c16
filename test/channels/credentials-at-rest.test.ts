/**
 * Provider credentials at rest (issue 10 item 18): AES-256-GCM envelopes,
 * tamper and wrong-key refusal, plaintext from before encryption sealed at
 * start-up, key rotation with CREDENTIALS_ENCRYPTION_KEY_PREVIOUS, and the
 * sealed values still verify Twilio webhooks and authenticate live sends.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSecretBox, decodeKey, secretBoxFor } from '../../src/channels/credentials/secret-box.js';
import { encryptStoredCredentials } from '../../src/channels/credentials/encrypt-stored.js';
import { loadConfig } from '../../src/config.js';
import { assembleApp } from '../../src/server/start.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-providers/index.js';
import { createConversation, LIVE_DELIVERY_ENV, sendQueued, waitForMessage } from '../support/delivery.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

test('seal and open: fresh IV each time, tampering and unknown keys refused, plaintext passes through for re-sealing', () => {
  const box = createSecretBox(keyA);
  const a = box.seal('auth-token-1');
  const b = box.seal('auth-token-1');
  assert.notEqual(a, b, 'a fresh IV per value');
  assert.ok(!a.includes('auth-token-1'));
  assert.equal(box.open(a), 'auth-token-1');
  assert.equal(box.needsReseal(a), false);
  const parts = a.split(':');
  const flipped = [...parts.slice(0, -1), Buffer.from(Buffer.from(parts.at(-1)!, 'base64url').map((x, i) => (i === 0 ? x ^ 1 : x))).toString('base64url')].join(':');
  assert.throws(() => box.open(flipped), 'a changed ciphertext fails authentication');
  assert.throws(() => createSecretBox(keyB).open(a), /neither CREDENTIALS_ENCRYPTION_KEY nor/);
  assert.equal(box.open('legacy-plaintext'), 'legacy-plaintext');
  assert.equal(box.needsReseal('legacy-plaintext'), true);
  assert.throws(() => decodeKey(Buffer.from('short').toString('base64')), /32 bytes/);
  assert.throws(() => loadConfig({ CREDENTIALS_ENCRYPTION_KEY: 'c2hvcnQ=' }), /CREDENTIALS_ENCRYPTION_KEY/);
});

test('rotation: the previous key still opens; re-sealing moves every value to the new key', () => {
  const old = createSecretBox(keyA);
  const sealedOld = old.seal('EAAG-token');
  const rotating = createSecretBox(keyB, keyA);
  assert.equal(rotating.open(sealedOld), 'EAAG-token');
  assert.equal(rotating.needsReseal(sealedOld), true);
  const resealed = rotating.seal(rotating.open(sealedOld));
  assert.equal(createSecretBox(keyB).open(resealed), 'EAAG-token', 'the previous key can then be removed');
});

let server: TestServer;
let twilio: FakeTwilio;
let org: TestOrg;

before(async () => {
  twilio = await startFakeTwilio();
  server = await startTestServer({ ...LIVE_DELIVERY_ENV, TWILIO_API_BASE_URL: twilio.baseUrl, CREDENTIALS_ENCRYPTION_KEY: keyB, CREDENTIALS_ENCRYPTION_KEY_PREVIOUS: keyA });
  org = await createOrg(server.db); // stores plaintext tokens, as before this round
});
after(async () => {
  await server?.close();
  await twilio?.close();
});

const stored = () => server.db.selectFrom('channel_identities').select(['provider', 'auth_token', 'access_token']).where('org_id', '=', org.id).execute();
const inbound = async () => {
  const sent = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: '+447700900555', to: org.twilioNumber, body: 'Is my car ready?' }), org.twilioAuthToken);
  return sent.status;
};

test('stored plaintext is sealed at start-up, re-sealed on rotation, and still verifies webhooks and authenticates live sends', async () => {
  // The deployment before the rotation (key A only) starts over the plaintext rows: start-up seals them.
  const earlier = await assembleApp(server.database, { ...server.config, RUN_WORKER: false, CREDENTIALS_ENCRYPTION_KEY: keyA, CREDENTIALS_ENCRYPTION_KEY_PREVIOUS: undefined });
  await earlier.app.close();
  await earlier.queue.stop();
  for (const row of await stored()) {
    if (row.auth_token) assert.equal(createSecretBox(keyA).open(row.auth_token), org.twilioAuthToken, 'sealed with key A');
    for (const v of [row.auth_token, row.access_token]) if (v) assert.match(v, /^tfenc:v1:/, 'no plaintext left');
    assert.ok(!JSON.stringify(row).includes(org.twilioAuthToken) && !JSON.stringify(row).includes(org.whatsappAccessToken));
  }
  assert.equal(await inbound(), 200, 'a value sealed with the previous key verifies the signature');

  assert.equal(await encryptStoredCredentials(server.db, secretBoxFor(server.config)), 3, 'rotation re-seals every value: 2 Twilio auth tokens and 1 WhatsApp access token');
  assert.equal(await encryptStoredCredentials(server.db, secretBoxFor(server.config)), 0, 'idempotent');
  const onlyNew = createSecretBox(keyB);
  for (const row of await stored()) if (row.auth_token) assert.equal(onlyNew.open(row.auth_token), org.twilioAuthToken);
  assert.equal(await inbound(), 200);

  const customer = await createCustomer(server.db, org.id);
  const conversation = await createConversation(server.db, org.id, customer.id, { lastChannel: 'sms' });
  const id = await sendQueued(server.baseUrl, org.apiToken, conversation.id, { body: 'Your car is ready' });
  await waitForMessage(server.db, id, 'accepted by Twilio', (m) => m.provider_message_id !== null);
  const request = twilio.requests.find((r) => r.body.To === customer.phone)!;
  assert.equal(request.headers.authorization, `Basic ${Buffer.from(`${org.twilioAccountSid}:${org.twilioAuthToken}`).toString('base64')}`, 'the adapter got the opened token');
});
