/**
 * Issue 10 items 10 and 11: a NUL character (or an unpaired surrogate) in
 * any inbound text field is cleaned at the edge, never a 500, and one bad
 * field or message never blocks a WhatsApp batch; the Twilio routes accept
 * only what Twilio sends (forms), and odd form fields never answer 500.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { call, signInAs } from '../auth/support.js';
import { newSid, postRaw, postTwilio, postWhatsApp, smsParams, twilioSignature, whatsAppEnvelope } from '../support/providers.js';
import { PUBLIC_BASE_URL } from '../support/server.js';

let server: TestServer;
let org: TestOrg;
before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
});
after(() => server.close());

const NUL = '\u0000';
const wamid = () => `wamid.${randomBytes(12).toString('base64url')}`;
const unix = () => String(Math.floor(Date.now() / 1000));
const waId = (e164: string) => e164.slice(1);

async function byProviderId(id: string) {
  return server.db.selectFrom('messages as m').innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.body', 'm.media', 'm.metadata', 'c.contact_name']).where('m.provider_message_id', '=', id).executeTakeFirst();
}

test('a WhatsApp batch with NULs in a profile name, a filename and a location name, and a malformed message, stores every other message and answers 200', async () => {
  const a = uniquePhone();
  const b = uniquePhone();
  const ids = { doc: wamid(), location: wamid(), text: wamid(), broken: wamid(), badSender: wamid() };
  const body = whatsAppEnvelope(org.whatsappPhoneNumberId, {
    contacts: [{ wa_id: waId(a), profile: { name: `Ann${NUL} Null` } }, { wa_id: waId(b), profile: { name: 'Ben Fine' } }],
    messages: [
      { from: waId(a), id: ids.doc, timestamp: unix(), type: 'document', document: { id: '1234', mime_type: 'application/pdf', filename: `invoice${NUL}.pdf`, caption: `see${NUL} attached` } },
      { from: waId(a), id: ids.location, timestamp: unix(), type: 'location', location: { latitude: 51.5, longitude: -0.1, name: `Gar${NUL}age`, address: 'High St \uD800' } },
      { from: waId(b), id: ids.text, timestamp: unix(), type: 'text', text: { body: 'Is my car ready?' } },
      { from: waId(b), timestamp: unix(), type: 'text', text: { body: 'no id' } },
      { from: 'bob', id: ids.badSender, timestamp: unix(), type: 'text', text: { body: 'not a WhatsApp id' } },
    ],
  });
  const res = await postWhatsApp(server.baseUrl, body);
  assert.equal(res.status, 200, res.body);

  const doc = await byProviderId(ids.doc);
  assert.equal(doc?.contact_name, 'Ann Null');
  assert.equal(doc?.media[0]?.filename, 'invoice.pdf');
  assert.equal(doc?.body, 'see attached');
  const location = await byProviderId(ids.location);
  assert.match(location!.body, /Garage, High St \uFFFD/);
  assert.equal((await byProviderId(ids.text))?.body, 'Is my car ready?', "another customer's message is stored");
  assert.equal(await byProviderId(ids.badSender), undefined, 'the malformed message is left out');
  // Meta's retry of the same batch stores nothing twice.
  assert.equal((await postWhatsApp(server.baseUrl, body)).status, 200);
  const count = await server.db.selectFrom('messages').select((e) => e.fn.countAll<string>().as('n')).where('provider_message_id', 'in', Object.values(ids)).executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 3);
});

test('a Twilio MMS with NULs in ProfileName and MediaUrl is stored cleaned, with a signature over what Twilio sent', async () => {
  const sid = newSid('MM');
  const params = smsParams({ sid, from: uniquePhone(), to: org.twilioNumber, body: `Photo${NUL}`, extra: {
    ProfileName: `Pat${NUL}`, NumMedia: '1', MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/${sid}/Media/ME1${NUL}`, MediaContentType0: 'image/jpeg',
  } });
  const res = await postTwilio(server.baseUrl, '/twilio/sms', params, org.twilioAuthToken);
  assert.equal(res.status, 200, res.body);
  const m = await byProviderId(sid);
  assert.equal(m?.body, 'Photo');
  assert.equal(m?.media[0]?.url, `https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/${sid}/Media/ME1`);
});

test('Twilio routes accept only forms: a signed JSON body with nested fields is 415, and odd form fields are never a 500', async () => {
  const sid = newSid();
  const params = smsParams({ sid, from: uniquePhone(), to: org.twilioNumber });
  const json = JSON.stringify({ ...params, Body: { nested: ['x'] }, To: [org.twilioNumber] });
  for (const path of ['/twilio/sms', '/twilio/status']) {
    const res = await postRaw(server.baseUrl, path, 'application/json', json, { 'x-twilio-signature': twilioSignature(org.twilioAuthToken, PUBLIC_BASE_URL + path, params) });
    assert.equal(res.status, 415, `${path}: ${res.body}`);
    assert.equal(JSON.parse(res.body).error.code, 'unsupported_media_type');
  }
  assert.equal(await byProviderId(sid), undefined);

  const odd = smsParams({ sid: newSid(), from: uniquePhone(), to: org.twilioNumber, extra: { 'Body[nested]': 'x', 'NumMedia[0]': '1', 'To[]': 'y' } });
  const res = await postTwilio(server.baseUrl, '/twilio/sms', odd, org.twilioAuthToken);
  assert.equal(res.status, 200, res.body);
  const repeated = `${new URLSearchParams(smsParams({ sid: newSid(), from: uniquePhone(), to: org.twilioNumber })).toString()}&Body=a&Body=b`;
  const again = await postRaw(server.baseUrl, '/twilio/sms', 'application/x-www-form-urlencoded', repeated, { 'x-twilio-signature': 'bad' });
  assert.ok(again.status < 500, `repeated fields: ${again.status} ${again.body}`);
});

test('staff input with NULs (a JSON body, a search) is cleaned, not a 500', async () => {
  const owner = await signInAs(server, (await createStaff(server.db, org, 'owner')).email);
  const created = await call(server, owner, 'POST', '/v1/staff', { email: `nul.${process.pid}@garage.example`, name: `Nell${NUL} Null`, roleId: org.roles.technician, password: null });
  assert.equal(created.status, 201, created.text);
  const row = await server.db.selectFrom('staff_users').select('name').where('id', '=', created.json.id).executeTakeFirstOrThrow();
  assert.equal(row.name, 'Nell Null');
  const search = await call(server, owner, 'GET', `/v1/conversations?q=${encodeURIComponent(`brake${NUL}pads`)}`);
  assert.equal(search.status, 200, search.text);
  const note = await call(server, owner, 'POST', '/v1/roles', { name: `Lead${NUL}s \uDC00`, capabilities: ['messages.view'] });
  assert.equal(note.status, 201, note.text);
  assert.equal(note.json.name, 'Leads \uFFFD');
});
