/**
 * Inbound Twilio SMS/MMS over real HTTP: recorded requests replayed with
 * their published signatures, routing to the right organisation and
 * conversation, and every way a request must be refused without storing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createWorkOrder, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { newSid, postRaw, postTwilio, smsParams } from '../support/providers.js';
import { TWILIO_AUTH_TOKEN, twilioRequests } from '../fixtures/provider-requests.js';

let server: TestServer;
let org: TestOrg;
let other: TestOrg;

const FORM = 'application/x-www-form-urlencoded';

before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db, { twilioNumber: '+14155550100', twilioAuthToken: TWILIO_AUTH_TOKEN, messagingServiceSid: 'MG9752274e9e519418a7406176694466fa' });
  other = await createOrg(server.db);
});
after(() => server.close());

async function messagesWithSid(sid: string) {
  return server.db.selectFrom('messages').selectAll().where('provider_message_id', '=', sid).execute();
}
async function messageCount() {
  const r = await server.db.selectFrom('messages').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
async function conversationFor(orgId: string, phone: string) {
  return server.db.selectFrom('conversations').selectAll().where('org_id', '=', orgId).where('contact_phone', '=', phone).executeTakeFirst();
}

test('a recorded Twilio SMS with its published signature is stored and answered with empty TwiML', async () => {
  const r = twilioRequests.sms_inbound;
  const res = await postRaw(server.baseUrl, r.path, FORM, r.body, { 'x-twilio-signature': r.signature });
  assert.equal(res.status, 200);
  assert.equal(res.body, '<?xml version="1.0" encoding="UTF-8"?><Response/>');
  const [m] = await messagesWithSid('SM1f0e8ae6ade43cb3c0ce4525424e404f');
  assert.ok(m);
  assert.equal(m.org_id, org.id);
  assert.equal(m.direction, 'inbound');
  assert.equal(m.channel, 'sms');
  assert.equal(m.body, 'Hello there!');
  assert.equal(m.status, null);
  const conversation = await conversationFor(org.id, '+14155550123');
  assert.equal(conversation?.id, m.conversation_id, 'unknown sender gets a conversation keyed on their number');
  assert.equal(conversation?.context_badge, 'unknown');
  assert.equal(conversation?.customer_id, null);
  assert.equal(conversation?.assignee_id, null);
  assert.equal(conversation?.last_channel, 'sms');
  assert.equal(conversation?.whatsapp_window_expires_at, null, 'an SMS never opens the WhatsApp window');
});

test('a recorded MMS keeps its media with content type and provider URL', async () => {
  const r = twilioRequests.mms_inbound;
  const res = await postRaw(server.baseUrl, r.path, FORM, r.body, { 'x-twilio-signature': r.signature });
  assert.equal(res.status, 200);
  const [m] = await messagesWithSid('MM8b3b9b1c5d2e4f6a7b8c9d0e1f2a3b4c');
  assert.deepEqual(m?.media.map(({ mediaId: _id, state: _state, ...provider }) => provider), [{ contentType: 'image/jpeg', url: 'https://api.twilio.com/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages/MM8b3b9b1c5d2e4f6a7b8c9d0e1f2a3b4c/Media/ME0123456789abcdef0123456789abcdef' }]);
  assert.equal(m?.body, '');
});

test('up to 10 media items are recorded in order', async () => {
  const sid = newSid('MM');
  const extra: Record<string, string> = { NumMedia: '10' };
  for (let i = 0; i < 10; i++) {
    extra[`MediaUrl${i}`] = `https://api.twilio.com/media/${i}`;
    extra[`MediaContentType${i}`] = i % 2 ? 'image/png' : 'image/jpeg';
  }
  const res = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid, from: uniquePhone(), to: org.twilioNumber, body: 'Album', extra }), TWILIO_AUTH_TOKEN);
  assert.equal(res.status, 200);
  const [m] = await messagesWithSid(sid);
  assert.equal(m?.media.length, 10);
  assert.equal(m?.media[9]?.url, 'https://api.twilio.com/media/9');
  assert.equal(m?.media[9]?.contentType, 'image/png');
});

test('a number pooled in a Messaging Service is routed by MessagingServiceSid', async () => {
  const sid = newSid();
  const params = smsParams({ sid, from: uniquePhone(), to: '+14155550999', messagingServiceSid: org.messagingServiceSid });
  const res = await postTwilio(server.baseUrl, '/twilio/sms', params, TWILIO_AUTH_TOKEN);
  assert.equal(res.status, 200);
  assert.equal((await messagesWithSid(sid))[0]?.org_id, org.id);
});

test('a known customer with one active work order is auto-linked to it', async () => {
  const customer = await createCustomer(server.db, org.id, { phone: uniquePhone() });
  const wo = await createWorkOrder(server.db, org.id, customer.id);
  await createWorkOrder(server.db, org.id, customer.id, 'completed');
  const sid = newSid();
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid, from: customer.phone!, to: org.twilioNumber }), TWILIO_AUTH_TOKEN);
  const c = await server.db.selectFrom('conversations').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  assert.equal(c.work_order_id, wo.id);
  assert.equal(c.needs_work_order_pick, false);
  assert.equal(c.context_badge, null);
  assert.equal(c.contact_phone, null);
});

test('a customer with several active work orders is flagged for staff to pick', async () => {
  const customer = await createCustomer(server.db, org.id, { phone: uniquePhone() });
  await createWorkOrder(server.db, org.id, customer.id, 'booked');
  await createWorkOrder(server.db, org.id, customer.id, 'in_progress');
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: customer.phone!, to: org.twilioNumber }), TWILIO_AUTH_TOKEN);
  const c = await server.db.selectFrom('conversations').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  assert.equal(c.work_order_id, null);
  assert.equal(c.needs_work_order_pick, true);
});

test('a known customer without active work orders gets General, or Booking when asking to book', async () => {
  const general = await createCustomer(server.db, org.id, { phone: uniquePhone() });
  const booking = await createCustomer(server.db, org.id, { phone: uniquePhone() });
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: general.phone!, to: org.twilioNumber, body: 'Thanks for today' }), TWILIO_AUTH_TOKEN);
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: booking.phone!, to: org.twilioNumber, body: 'Can I book my MOT?' }), TWILIO_AUTH_TOKEN);
  const badge = async (id: string) => (await server.db.selectFrom('conversations').select('context_badge').where('customer_id', '=', id).executeTakeFirstOrThrow()).context_badge;
  assert.equal(await badge(general.id), 'general');
  assert.equal(await badge(booking.id), 'booking');
});

test('SMS and WhatsApp-via-Twilio from one customer share one conversation', async () => {
  const customer = await createCustomer(server.db, org.id, { phone: uniquePhone() });
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: customer.phone!, to: org.twilioNumber }), TWILIO_AUTH_TOKEN);
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: `whatsapp:${customer.phone}`, to: `whatsapp:${org.twilioNumber}` }), TWILIO_AUTH_TOKEN);
  const conversations = await server.db.selectFrom('conversations').selectAll().where('customer_id', '=', customer.id).execute();
  assert.equal(conversations.length, 1);
  assert.equal(conversations[0]?.last_channel, 'whatsapp');
  const channels = await server.db.selectFrom('messages').select('channel').where('conversation_id', '=', conversations[0]!.id).orderBy('created_at').execute();
  assert.deepEqual(channels.map((c) => c.channel), ['sms', 'whatsapp']);
});

test('the same MessageSid retried 20 times concurrently is stored once', async () => {
  const sid = newSid();
  const params = smsParams({ sid, from: uniquePhone(), to: org.twilioNumber, body: 'retry me' });
  const results = await Promise.all(Array.from({ length: 20 }, () => postTwilio(server.baseUrl, '/twilio/sms', params, TWILIO_AUTH_TOKEN)));
  assert.deepEqual(results.map((r) => r.status), Array(20).fill(200), 'every retry is acknowledged');
  assert.equal((await messagesWithSid(sid)).length, 1);
  for (let i = 0; i < 3; i++) await postTwilio(server.baseUrl, '/twilio/sms', params, TWILIO_AUTH_TOKEN);
  assert.equal((await messagesWithSid(sid)).length, 1, 'later sequential retries too');
});

test('a photo album (several webhooks from a new sender at once) makes one conversation', async () => {
  const from = uniquePhone();
  const sids = Array.from({ length: 8 }, () => newSid('MM'));
  const results = await Promise.all(sids.map((sid, i) => postTwilio(server.baseUrl, '/twilio/sms', smsParams({
    sid, from, to: org.twilioNumber, body: '',
    extra: { NumMedia: '1', MediaUrl0: `https://api.twilio.com/m/${i}`, MediaContentType0: 'image/jpeg' },
  }), TWILIO_AUTH_TOKEN)));
  assert.ok(results.every((r) => r.status === 200));
  const conversations = await server.db.selectFrom('conversations').select('id').where('org_id', '=', org.id).where('contact_phone', '=', from).execute();
  assert.equal(conversations.length, 1);
  const stored = await server.db.selectFrom('messages').select('id').where('conversation_id', '=', conversations[0]!.id).execute();
  assert.equal(stored.length, 8);
});

test('the same sender texting two garages lands in each garage separately', async () => {
  const from = uniquePhone();
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from, to: org.twilioNumber }), TWILIO_AUTH_TOKEN);
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from, to: other.twilioNumber }), other.twilioAuthToken);
  assert.ok(await conversationFor(org.id, from));
  assert.ok(await conversationFor(other.id, from));
});

test('refused requests store nothing', async (t) => {
  const recorded = twilioRequests.sms_inbound;
  const cases: Array<{ name: string; send: () => Promise<{ status: number; body: string }>; status: number; code: string }> = [
    { name: 'signature of another body (one character of Body flipped)', status: 403, code: 'invalid_signature',
      send: () => postRaw(server.baseUrl, recorded.path, FORM, recorded.body.replace('Hello+there', 'Hello+thera'), { 'x-twilio-signature': recorded.signature }) },
    { name: 'a parameter added without re-signing', status: 403, code: 'invalid_signature',
      send: () => postRaw(server.baseUrl, recorded.path, FORM, `${recorded.body}&Extra=1`, { 'x-twilio-signature': recorded.signature }) },
    { name: 'an empty-valued parameter dropped', status: 403, code: 'invalid_signature',
      send: () => postRaw(server.baseUrl, recorded.path, FORM, recorded.body.replace('&ToZip=', ''), { 'x-twilio-signature': recorded.signature }) },
    { name: 'signed for http:// while the server is https://', status: 403, code: 'invalid_signature',
      send: async () => {
        const { twilioSignature } = await import('../support/providers.js');
        const params = Object.fromEntries(new URLSearchParams(recorded.body));
        return postRaw(server.baseUrl, recorded.path, FORM, recorded.body, { 'x-twilio-signature': twilioSignature(TWILIO_AUTH_TOKEN, 'http://example.com/twilio/sms', params) });
      } },
    { name: 'signed with another organisation\'s auth token', status: 403, code: 'invalid_signature',
      send: () => postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: uniquePhone(), to: org.twilioNumber }), other.twilioAuthToken) },
    { name: 'no signature header', status: 403, code: 'invalid_signature',
      send: () => postRaw(server.baseUrl, recorded.path, FORM, recorded.body, {}) },
    { name: 'a number no organisation owns', status: 404, code: 'unknown_destination',
      send: () => postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: uniquePhone(), to: '+14155550777' }), TWILIO_AUTH_TOKEN) },
    { name: 'no MessageSid', status: 400, code: 'malformed_payload',
      send: () => { const p = smsParams({ sid: newSid(), from: uniquePhone(), to: org.twilioNumber }); delete p.MessageSid; delete p.SmsMessageSid; return postTwilio(server.baseUrl, '/twilio/sms', p, TWILIO_AUTH_TOKEN); } },
    { name: 'a From that is not a phone number', status: 400, code: 'malformed_payload',
      send: () => postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: 'not-a-number', to: org.twilioNumber }), TWILIO_AUTH_TOKEN) },
    { name: 'NumMedia above 10', status: 400, code: 'malformed_payload',
      send: () => postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: uniquePhone(), to: org.twilioNumber, extra: { NumMedia: '11' } }), TWILIO_AUTH_TOKEN) },
    { name: 'NumMedia without its MediaUrl', status: 400, code: 'malformed_payload',
      send: () => postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: uniquePhone(), to: org.twilioNumber, extra: { NumMedia: '1' } }), TWILIO_AUTH_TOKEN) },
    { name: 'neither To nor MessagingServiceSid', status: 400, code: 'malformed_payload',
      send: () => { const p = smsParams({ sid: newSid(), from: uniquePhone(), to: '' }); delete p.To; return postTwilio(server.baseUrl, '/twilio/sms', p, TWILIO_AUTH_TOKEN); } },
    { name: 'an unsupported content type', status: 415, code: 'unsupported_media_type',
      send: () => postRaw(server.baseUrl, '/twilio/sms', 'text/csv', 'a,b', { 'x-twilio-signature': 'x' }) },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const before = await messageCount();
      const res = await c.send();
      assert.equal(res.status, c.status, res.body);
      assert.equal(JSON.parse(res.body).error.code, c.code);
      assert.equal(await messageCount(), before, 'nothing stored');
    });
  }
});
