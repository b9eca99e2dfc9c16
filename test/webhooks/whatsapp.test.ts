/**
 * WhatsApp Cloud API webhooks over real HTTP: the verification handshake,
 * recorded payloads with published signatures, message types, the 24-hour
 * window clock, whole-batch atomicity, and refusals that store nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, WHATSAPP_VERIFY_TOKEN, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createOutboundMessage, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { postWhatsApp, whatsAppEnvelope, whatsAppSignature } from '../support/providers.js';
import { whatsAppRequests } from '../fixtures/provider-requests.js';
import type { MediaItem } from '../../src/db/schema.js';

let server: TestServer;
let org: TestOrg;
let other: TestOrg;

before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db, { whatsappPhoneNumberId: '106540352242922', wabaId: '102290129340398' });
  other = await createOrg(server.db);
});
after(() => server.close());

const waId = (e164: string) => e164.slice(1);
const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));
let idCounter = 0;
const wamid = () => `wamid.TEST${process.pid}x${++idCounter}`;

function textMessage(from: string, body: string, at = new Date(), id = wamid()) {
  return { from: waId(from), id, timestamp: unix(at), type: 'text', text: { body } };
}
async function messageById(id: string) {
  return server.db.selectFrom('messages').selectAll().where('provider_message_id', '=', id).executeTakeFirst();
}
async function messageCount() {
  return Number((await server.db.selectFrom('messages').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

test('verification handshake echoes hub.challenge only for the right token', async () => {
  const ok = await fetch(`${server.baseUrl}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${WHATSAPP_VERIFY_TOKEN}&hub.challenge=1158201444`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), '1158201444');
  const bad = await fetch(`${server.baseUrl}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444`);
  assert.equal(bad.status, 403);
  assert.ok(!(await bad.text()).includes('1158201444'));
});

test("Meta's recorded inbound text is stored with the contact's profile name and opens the window from Meta's timestamp", async () => {
  const r = whatsAppRequests.inboundText;
  const res = await postWhatsApp(server.baseUrl, r.body, r.signature);
  assert.equal(res.status, 200, res.body);
  const m = await messageById('wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=');
  assert.ok(m);
  assert.equal(m.org_id, org.id);
  assert.equal(m.channel, 'whatsapp');
  assert.equal(m.body, 'Does it come in another color?');
  assert.equal(m.occurred_at.toISOString(), new Date(1749416383 * 1000).toISOString());
  const c = await server.db.selectFrom('conversations').selectAll().where('id', '=', m.conversation_id).executeTakeFirstOrThrow();
  assert.equal(c.contact_name, 'Sheena Nelson');
  assert.equal(c.contact_phone, '+16505551234');
  assert.equal(c.whatsapp_window_expires_at?.toISOString(), new Date((1749416383 + 86400) * 1000).toISOString());
});

test('media, button, interactive and location messages keep what they carried', async () => {
  const from = uniquePhone();
  const ids = { image: wamid(), doc: wamid(), audio: wamid(), button: wamid(), list: wamid(), location: wamid() };
  const now = unix(new Date());
  const body = whatsAppEnvelope(org.whatsappPhoneNumberId, {
    contacts: [{ profile: { name: 'Kim' }, wa_id: waId(from) }],
    messages: [
      { from: waId(from), id: ids.image, timestamp: now, type: 'image', image: { mime_type: 'image/jpeg', sha256: 'x', id: '65463453', caption: 'the dent' } },
      { from: waId(from), id: ids.doc, timestamp: now, type: 'document', document: { mime_type: 'application/pdf', sha256: 'x', id: '777', filename: 'quote.pdf' } },
      { from: waId(from), id: ids.audio, timestamp: now, type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'x', id: '888', voice: true } },
      { context: { from: '447700900100', id: 'wamid.xyz' }, from: waId(from), id: ids.button, timestamp: now, type: 'button', button: { payload: 'CONFIRM', text: 'Yes, book it' } },
      { from: waId(from), id: ids.list, timestamp: now, type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'slot-9', title: 'Tuesday 9am' } } },
      { from: waId(from), id: ids.location, timestamp: now, type: 'location', location: { latitude: 51.5, longitude: -0.12, name: 'Layby' } },
    ],
  });
  const res = await postWhatsApp(server.baseUrl, body);
  assert.equal(res.status, 200, res.body);
  const image = await messageById(ids.image);
  const asReceived = (media: MediaItem[] | undefined) => media?.map(({ mediaId: _id, state: _state, ...provider }) => provider);
  assert.deepEqual(asReceived(image?.media), [{ contentType: 'image/jpeg', providerMediaId: '65463453', caption: 'the dent' }]);
  assert.equal(image?.body, 'the dent');
  assert.equal(image?.content_type, 'image');
  assert.deepEqual(asReceived((await messageById(ids.doc))?.media), [{ contentType: 'application/pdf', providerMediaId: '777', filename: 'quote.pdf' }]);
  assert.equal((await messageById(ids.audio))?.media[0]?.contentType, 'audio/ogg; codecs=opus');
  const button = await messageById(ids.button);
  assert.equal(button?.body, 'Yes, book it');
  assert.equal(button?.metadata.buttonPayload, 'CONFIRM');
  const list = await messageById(ids.list);
  assert.equal(list?.body, 'Tuesday 9am');
  assert.equal(list?.metadata.replyId, 'slot-9');
  assert.equal((await messageById(ids.location))?.body, 'Location: 51.5,-0.12 (Layby)');
  const c = await server.db.selectFrom('conversations').selectAll().where('org_id', '=', org.id).where('contact_phone', '=', from).execute();
  assert.equal(c.length, 1, 'six messages, one conversation');
  assert.equal(c[0]?.contact_name, 'Kim');
});

test('the window follows the newest customer message by provider time, even when webhooks arrive out of order', async () => {
  const customer = await createCustomer(server.db, org.id);
  const newer = new Date(Date.now() - 2 * 3600_000);
  const older = new Date(Date.now() - 20 * 3600_000);
  await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, { messages: [textMessage(customer.phone!, 'newer', newer)] }));
  await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, { messages: [textMessage(customer.phone!, 'older, delivered late', older)] }));
  const c = await server.db.selectFrom('conversations').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  assert.equal(c.whatsapp_window_expires_at?.getTime(), Math.floor(newer.getTime() / 1000) * 1000 + 86_400_000);
  assert.equal(c.last_inbound_at?.getTime(), Math.floor(newer.getTime() / 1000) * 1000);
});

test('outbound messages and their statuses never move the window', async () => {
  const customer = await createCustomer(server.db, org.id);
  await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, { messages: [textMessage(customer.phone!, 'hi', new Date(Date.now() - 30 * 3600_000))] }));
  const out = await createOutboundMessage(server.db, org.id, { customerId: customer.id, provider: 'whatsapp', providerMessageId: wamid() });
  const outId = (await server.db.selectFrom('messages').select('provider_message_id').where('id', '=', out.id).executeTakeFirstOrThrow()).provider_message_id!;
  const expiry = async () => (await server.db.selectFrom('conversations').select('whatsapp_window_expires_at').where('customer_id', '=', customer.id).executeTakeFirstOrThrow()).whatsapp_window_expires_at;
  const before = await expiry();
  await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, { statuses: [{ id: outId, status: 'read', timestamp: unix(new Date()), recipient_id: waId(customer.phone!) }] }));
  assert.deepEqual(await expiry(), before);
  assert.ok(before && before.getTime() < Date.now(), 'still expired');
});

test('a batch is processed completely: every entry, change, message and status', async () => {
  const a = uniquePhone();
  const b = uniquePhone();
  const customer = await createCustomer(server.db, other.id);
  const out = wamid();
  await createOutboundMessage(server.db, other.id, { customerId: customer.id, provider: 'whatsapp', providerMessageId: out });
  const ids = [wamid(), wamid(), wamid()];
  const change = (phoneNumberId: string, value: object) => ({ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: phoneNumberId }, ...value } });
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      { id: '1', changes: [change(org.whatsappPhoneNumberId, { messages: [textMessage(a, 'one', new Date(), ids[0]), textMessage(b, 'two', new Date(), ids[1])] })] },
      { id: '2', changes: [
        change(other.whatsappPhoneNumberId, { messages: [textMessage(a, 'three', new Date(), ids[2])] }),
        change(other.whatsappPhoneNumberId, { statuses: [{ id: out, status: 'delivered', timestamp: unix(new Date()), recipient_id: waId(customer.phone!) }] }),
      ] },
    ],
  });
  const res = await postWhatsApp(server.baseUrl, body);
  assert.equal(res.status, 200, res.body);
  assert.equal((await messageById(ids[0]!))?.org_id, org.id);
  assert.equal((await messageById(ids[1]!))?.org_id, org.id);
  assert.equal((await messageById(ids[2]!))?.org_id, other.id, 'each change goes to the organisation owning its number');
  assert.equal((await messageById(out))?.status, 'delivered');
});

test('a batch that fails part-way stores nothing and is not acknowledged; the retry stores it all', async () => {
  await sql`
    CREATE OR REPLACE FUNCTION test_fail_on_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.body = 'poison' THEN RAISE EXCEPTION 'simulated crash mid-batch'; END IF; RETURN NEW; END $$
  `.execute(server.db);
  await sql`CREATE TRIGGER test_poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION test_fail_on_poison()`.execute(server.db);
  const from = uniquePhone();
  const first = textMessage(from, 'first');
  const poisoned = textMessage(from, 'poison');
  const body = whatsAppEnvelope(org.whatsappPhoneNumberId, { messages: [first, poisoned] });
  try {
    const res = await postWhatsApp(server.baseUrl, body);
    assert.equal(res.status, 500);
    assert.equal(JSON.parse(res.body).error.code, 'internal_error');
    assert.equal(await messageById(first.id), undefined, 'the first message was rolled back with the batch');
    assert.equal((await server.db.selectFrom('conversations').select('id').where('contact_phone', '=', from).execute()).length, 0);
  } finally {
    await sql`DROP TRIGGER test_poison ON messages`.execute(server.db);
  }
  const retry = await postWhatsApp(server.baseUrl, body);
  assert.equal(retry.status, 200);
  assert.ok(await messageById(first.id));
  assert.ok(await messageById(poisoned.id));
});

test('the same message id delivered 20 times concurrently, in separate and combined batches, is stored once', async () => {
  const m = textMessage(uniquePhone(), 'dup');
  const single = whatsAppEnvelope(org.whatsappPhoneNumberId, { messages: [m] });
  const doubled = whatsAppEnvelope(org.whatsappPhoneNumberId, { messages: [m, m] });
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => postWhatsApp(server.baseUrl, i % 2 ? single : doubled)));
  assert.ok(results.every((r) => r.status === 200), results.map((r) => r.status).join(','));
  assert.equal((await server.db.selectFrom('messages').select('id').where('provider_message_id', '=', m.id).execute()).length, 1);
});

test('a template-status change is acknowledged without storing messages', async () => {
  const before = await messageCount();
  const r = whatsAppRequests.templateApproved;
  assert.equal((await postWhatsApp(server.baseUrl, r.body, r.signature)).status, 200);
  assert.equal(await messageCount(), before);
});

test('a NUL character in a customer message is dropped, not the message', async () => {
  const m = textMessage(uniquePhone(), 'car\u0000 ready?');
  assert.equal((await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, { messages: [m] }))).status, 200);
  assert.equal((await messageById(m.id))?.body, 'car ready?');
});

test('refused requests store nothing', async (t) => {
  const valid = whatsAppEnvelope(org.whatsappPhoneNumberId, { messages: [textMessage(uniquePhone(), 'x')] });
  const cases: Array<{ name: string; body: string; signature?: string | null; status: number; code: string }> = [
    { name: 'signature from another app secret', body: valid, signature: whatsAppSignature(valid, 'other-secret'), status: 403, code: 'invalid_signature' },
    { name: 'signature over re-serialised JSON', body: valid.replace(/,/g, ', '), signature: whatsAppSignature(valid), status: 403, code: 'invalid_signature' },
    { name: 'no signature header', body: valid, signature: null, status: 403, code: 'invalid_signature' },
    { name: 'a legacy sha1 signature only', body: valid, signature: 'sha1=0000', status: 403, code: 'invalid_signature' },
    { name: 'not JSON', body: '{"object":', status: 400, code: 'malformed_payload' },
    { name: 'not a WhatsApp Business Account object', body: JSON.stringify({ object: 'page', entry: [] }), status: 400, code: 'malformed_payload' },
    // A single malformed message (no id, a sender that is not a WhatsApp id) is left out of an
    // acknowledged batch instead: test/hardening/edge-input.test.ts.
    { name: 'a phone_number_id no organisation owns', body: whatsAppEnvelope('999999999', { messages: [textMessage(uniquePhone(), 'x')] }), status: 404, code: 'unknown_destination' },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const before = await messageCount();
      const res = await postWhatsApp(server.baseUrl, c.body, c.signature === undefined ? whatsAppSignature(c.body) : c.signature);
      assert.equal(res.status, c.status, res.body);
      assert.equal(JSON.parse(res.body).error.code, c.code);
      assert.equal(await messageCount(), before, 'nothing stored');
    });
  }
});
