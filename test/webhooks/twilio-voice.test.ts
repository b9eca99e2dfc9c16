/**
 * Twilio Voice end to end over real HTTP, requests signed by the official
 * `twilio` helper: the recorded fixtures, a whole answered call, a missed
 * call going to voicemail with its recording downloaded and transcribed,
 * out-of-order and duplicated callbacks (20 concurrent), `absent`
 * recordings, withheld numbers, a known customer's call joining their
 * thread, pooled numbers, Mark resolved, Reassign, outbound calls,
 * escalation to the garage's escalation number, recordings in the media
 * store (never in PostgreSQL, never on the general media routes), and
 * speech to text for voicemails Twilio does not transcribe (too short, too
 * long, or Twilio's transcription failed) against the local fake server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { newSid, postRaw, postTwilio, smsParams } from '../support/providers.js';
import { waitFor } from '../support/delivery.js';
import { TWILIO_AUTH_TOKEN, twilioRequests } from '../fixtures/provider-requests.js';
import { callSid, recordingSid, voiceCallbacks } from '../support/voice.js';
import { fakeWav, startFakeVoice, type FakeVoice } from '../support/fake-providers/twilio-voice.js';
import { call, signInAs } from '../auth/support.js';
import { withTenant } from '../../src/db/tenant.js';
import { openMediaStore } from '../../src/media/open-store.js';
import { readAll } from '../../src/media/store.js';
import { recordingKey } from '../../src/voice/recording-store.js';
import { moveLegacyRecordings } from '../../src/voice/move-legacy-recordings.js';

let server: TestServer;
let fake: FakeVoice;
let org: TestOrg;
let voice: ReturnType<typeof voiceCallbacks>;
const FORM = 'application/x-www-form-urlencoded';
const AUTH = 'voice-auth-token';

before(async () => {
  fake = await startFakeVoice({ authToken: AUTH });
  server = await startTestServer({ TWILIO_API_BASE_URL: fake.baseUrl, OUTBOUND_PROVIDERS: 'live', STT_PROVIDER: 'openai', STT_BASE_URL: `${fake.baseUrl}/v1`, STT_MODEL: 'whisper-1', LOG_LEVEL: process.env.VOICE_TEST_LOG ?? 'silent' });
  org = await createOrg(server.db, { twilioAuthToken: AUTH });
  voice = voiceCallbacks(server.baseUrl, org);
});
after(async () => { await server.close(); await fake.close(); });

async function api(method: string, path: string, body?: unknown, token = org.apiToken) {
  const res = await fetch(server.baseUrl + path, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* audio */ }
  return { status: res.status, json, res, text };
}
async function callRow(sid: string) {
  return server.db.selectFrom('calls').selectAll().where('call_sid', '=', sid).executeTakeFirstOrThrow();
}
async function entryOf(sid: string) {
  const c = await callRow(sid);
  return server.db.selectFrom('messages').selectAll().where('id', '=', c.message_id).executeTakeFirstOrThrow();
}
async function conversation(id: string) {
  return server.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function row(conversationId: string) {
  return (await api('GET', `/v1/conversations/${conversationId}`)).json;
}
/** A call nobody answered that went to a voicemail of `seconds`, its recording completed. */
async function leaveVoicemail(sid: string, from: string, rec: string, seconds: number) {
  await voice.incoming(sid, from);
  await voice.dial(sid, from, 'no-answer');
  await voice.recording(sid, rec, 'completed', seconds);
  await voice.status(sid, from, 2, 'completed', { CallDuration: String(seconds + 20) });
}
/** The recording's metadata row once the download job stored it. */
function storedRecording(rec: string) {
  return waitFor(`recording ${rec} stored`, async () => (await server.db.selectFrom('call_recordings').selectAll().where('recording_sid', '=', rec).executeTakeFirst()) ?? null);
}
/** The call row once it has a transcript. */
function transcribed(sid: string) {
  return waitFor(`transcript of ${sid}`, async () => {
    const r = await callRow(sid);
    return r.transcript ? r : null;
  });
}
async function setVoice(settings: object) {
  const res = await api('PUT', '/v1/voice/settings', { ringNumbers: [], sipAddress: null, ringTimeoutSeconds: 20, voicemailGreeting: 'Acme here, leave a message.', escalationNumber: null, ...settings });
  assert.equal(res.status, 200, res.text);
}

test("Twilio's recorded requests: incoming call, status, recording and transcription are accepted for the number's garage", async () => {
  const recorded = await createOrg(server.db, { twilioNumber: '+14155550100', twilioAuthToken: TWILIO_AUTH_TOKEN });
  for (const name of ['voice_incoming', 'call_status_completed', 'recording_status', 'transcription'] as const) {
    const r = twilioRequests[name];
    const res = await postRaw(server.baseUrl, r.path, FORM, r.body, { 'x-twilio-signature': r.signature });
    assert.ok(res.status === 200 || res.status === 204, `${name}: ${res.status} ${res.body}`);
    if (name === 'voice_incoming') assert.match(res.body, /<Record [^>]*recordingStatusCallback="https:\/\/example.com\/twilio\/voice\/recording"/);
  }
  const c = await callRow('CA5f2b1c8d9e0a4b3c2d1e0f9a8b7c6d5e');
  assert.equal(c.org_id, recorded.id);
  assert.equal(c.recording_sid, 'RE0123456789abcdef0123456789abcdef');
  assert.equal(c.outcome, 'voicemail');
  assert.equal(c.transcript, 'Hi this is Sam please call me back.');
  const anon = twilioRequests.voice_anonymous;
  assert.equal((await postRaw(server.baseUrl, anon.path, FORM, anon.body, { 'x-twilio-signature': anon.signature })).status, 200);
  assert.equal((await callRow('CA0a1b2c3d4e5f60718293a4b5c6d7e8f9')).caller_withheld, true);
});

test('bad signature: 403, nothing stored; a number nobody owns: 404', async () => {
  const sid = callSid();
  const bad = await postTwilio(server.baseUrl, '/twilio/voice', { CallSid: sid, From: uniquePhone(), To: org.twilioNumber, CallStatus: 'ringing', AccountSid: org.twilioAccountSid }, 'wrong-token');
  assert.equal(bad.status, 403);
  assert.equal(JSON.parse(bad.body).error.code, 'invalid_signature');
  assert.equal(await server.db.selectFrom('calls').select('id').where('call_sid', '=', sid).executeTakeFirst(), undefined);
  const unknown = await voice.incoming(callSid(), uniquePhone(), { to: '+14155559876' });
  assert.equal(unknown.status, 404);
  assert.equal((await voice.status(callSid(), uniquePhone(), 0, 'completed')).status, 204, 'an inbound status callback routes by To and creates the call');
});

test('incoming-call TwiML rings the staff phones with the timeout, or the SIP address, and falls back to voicemail with the greeting', async () => {
  await setVoice({ ringNumbers: ['07700 900001', '+447700900002'], ringTimeoutSeconds: 15 });
  const twiml = (await voice.incoming(callSid(), uniquePhone())).body;
  assert.match(twiml, /<Dial timeout="15" action="https:\/\/example.com\/twilio\/voice\/dial" method="POST" answerOnBridge="true">/);
  assert.match(twiml, /<Number statusCallbackEvent="answered completed" statusCallback="https:\/\/example.com\/twilio\/voice\/leg" statusCallbackMethod="POST">\+447700900001<\/Number><Number [^>]*>\+447700900002<\/Number>/);
  const sid = callSid();
  const from = uniquePhone();
  await voice.incoming(sid, from);
  const vm = (await voice.dial(sid, from, 'no-answer')).body;
  assert.match(vm, /<Say>Acme here, leave a message.<\/Say><Record action="https:\/\/example.com\/twilio\/voice\/recorded"[^>]* transcribe="true" transcribeCallback="https:\/\/example.com\/twilio\/voice\/transcription" recordingStatusCallback="https:\/\/example.com\/twilio\/voice\/recording"[^>]* recordingStatusCallbackEvent="completed absent"\/>/);
  assert.match((await voice.recorded(sid, from, recordingSid(), 5)).body, /<Hangup\/>/);
  await setVoice({ sipAddress: 'sip:reception@acme.sip.twilio.com' });
  assert.match((await voice.incoming(callSid(), uniquePhone())).body, /<Sip [^>]*>sip:reception@acme.sip.twilio.com<\/Sip>/);
  const refused = await api('PUT', '/v1/voice/settings', { ringNumbers: ['not a phone'], sipAddress: null, ringTimeoutSeconds: 20, voicemailGreeting: 'x' });
  assert.equal(refused.status, 400);
  await setVoice({});
});

test("a whole answered call from a known customer joins the thread that holds their SMS; preview 'Voice call - 41s - ended'", async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Sam Patel' });
  assert.equal((await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: customer.phone!, to: org.twilioNumber, body: 'Is my MOT booked?' }), AUTH)).status, 200);
  const sms = await server.db.selectFrom('conversations').select('id').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  const sid = callSid();
  assert.equal((await voice.incoming(sid, customer.phone!)).status, 200);
  for (const [seq, status] of [[0, 'initiated'], [1, 'ringing'], [2, 'in-progress']] as const) assert.equal((await voice.status(sid, customer.phone!, seq, status)).status, 204);
  await voice.leg(sid, customer.phone!, '+447700900001', 'in-progress');
  assert.match((await voice.dial(sid, customer.phone!, 'completed', 41)).body, /<Hangup\/>/);
  await voice.status(sid, customer.phone!, 3, 'completed', { CallDuration: '44' });
  const entry = await entryOf(sid);
  assert.equal(entry.conversation_id, sms.id, 'never a new conversation per call for a known number');
  assert.equal((await row(sms.id)).preview.body, 'Voice call - 41s - ended');
  const c = await callRow(sid);
  assert.equal(c.outcome, 'answered');
  assert.equal(c.answered_by, '+447700900001');
  assert.equal((await api('POST', `/v1/conversations/${sms.id}/read`, {})).status, 200);
  assert.equal((await conversation(sms.id)).unread_count, 0, 'answered calls resolve themselves');
  const detail = await api('GET', `/v1/calls/${c.id}`);
  assert.equal(detail.json.answeredBy, '+447700900001');
  assert.deepEqual(detail.json.timeline.map((t: any) => t.label), ['Call started', 'Ringing', 'Answered', 'Picked up by +447700900001', 'Connected', 'Call ended (44s)']);
});

test('missed call → voicemail: recording downloaded with the garage credentials, Twilio transcript, stays Unread until Mark resolved', async () => {
  const from = uniquePhone();
  const sid = callSid();
  const rec = recordingSid();
  fake.recordings.set(rec, fakeWav(2));
  await voice.incoming(sid, from);
  await voice.status(sid, from, 0, 'ringing');
  await voice.dial(sid, from, 'no-answer');
  await voice.status(sid, from, 1, 'in-progress');
  await voice.recording(sid, rec, 'completed', 38);
  await voice.status(sid, from, 2, 'completed', { CallDuration: '61' });
  await voice.transcription(sid, from, rec, 'Hi, this is Jo about the brake noise, please call back.');
  const entry = await entryOf(sid);
  const unknown = await conversation(entry.conversation_id);
  assert.equal(unknown.contact_phone, from, 'an unknown caller gets the conversation keyed on their number');
  assert.equal((await row(unknown.id)).preview.body, 'Voicemail - 0:38');
  const c = await callRow(sid);
  const stored = await storedRecording(rec);
  const download = fake.requests.find((r) => r.path.includes(rec))!;
  assert.equal(download.path, `/2010-04-01/Accounts/${org.twilioAccountSid}/Recordings/${rec}.wav`);
  assert.equal(stored.audio, null, 'no audio bytes in PostgreSQL');
  assert.equal(stored.size_bytes, fakeWav(2).length);
  const object = await openMediaStore(server.config).get(recordingKey(org.id, rec));
  assert.ok(object, 'the recording is in the media store');
  assert.deepEqual(await readAll(object.body), fakeWav(2));
  const media = await server.db.selectFrom('media_objects').selectAll().where('id', '=', stored.media_id!).executeTakeFirstOrThrow();
  assert.deepEqual([media.source, media.state, media.conversation_id, media.message_id], ['recording', 'stored', entry.conversation_id, null]);
  assert.equal((await api('GET', `/v1/media/${stored.media_id}`)).status, 404, 'recordings are not served by the general media route');
  const audio = await api('GET', `/v1/calls/${c.id}/recording`);
  assert.equal(audio.status, 200);
  assert.equal(audio.res.headers.get('content-type'), 'audio/x-wav');
  assert.equal(audio.res.headers.get('content-length'), String(fakeWav(2).length));
  assert.equal(audio.res.headers.get('cache-control'), 'private, no-store');
  assert.equal(audio.res.headers.get('x-content-type-options'), 'nosniff');
  const otherOrg = await createOrg(server.db);
  assert.equal((await api('GET', `/v1/calls/${c.id}/recording`, undefined, otherOrg.apiToken)).status, 404, "another garage's token gets nothing");
  assert.equal((await fetch(`${server.baseUrl}/v1/calls/${c.id}/recording`)).status, 401, 'signed-in only');
  const detail = await api('GET', `/v1/calls/${c.id}`);
  assert.equal(detail.json.recording.url, `/v1/calls/${c.id}/recording`);
  assert.ok(!JSON.stringify(detail.json).includes('api.twilio.com'), 'never the raw Twilio URL');
  assert.deepEqual(detail.json.transcript, { text: 'Hi, this is Jo about the brake noise, please call back.', source: 'twilio' });
  const thread = await api('GET', `/v1/conversations/${unknown.id}/thread`);
  const card = thread.json.messages.find((m: any) => m.id === entry.id).call;
  assert.equal(card.outcome, 'voicemail');
  assert.equal(card.hasRecording, true);
  assert.equal(card.transcriptExcerpt, 'Hi, this is Jo about the brake noise, please call back.');

  assert.equal((await api('POST', `/v1/conversations/${unknown.id}/read`, {})).status, 200);
  assert.equal((await conversation(unknown.id)).unread_count, 1, 'opening the thread does not resolve a voicemail');
  const unread = await api('GET', '/v1/conversations?range=all_time&filter=unread&limit=100');
  assert.ok(unread.json.conversations.some((r: any) => r.id === unknown.id));
  const before = unread.json.counts.unread;
  assert.equal((await api('POST', `/v1/calls/${c.id}/resolve`, {})).json.changed, true);
  assert.equal((await api('POST', `/v1/calls/${c.id}/resolve`, {})).json.changed, false, 'twice is once');
  assert.equal((await conversation(unknown.id)).unread_count, 0);
  const afterList = await api('GET', '/v1/conversations?range=all_time&filter=unread&limit=100');
  assert.equal(afterList.json.counts.unread, before - 1, 'the Unread badge decrements');
  assert.equal((await api('GET', `/v1/calls/${c.id}`)).json.awaitingResolution, false);

});

test('20 concurrent duplicated, out-of-order callbacks of one call: one call, one entry, each event once, the same final state', async () => {
  const from = uniquePhone();
  const sid = callSid();
  const rec = recordingSid();
  const sends = [
    () => voice.status(sid, from, 0, 'ringing'), () => voice.status(sid, from, 1, 'in-progress'),
    () => voice.dial(sid, from, 'no-answer'), () => voice.recording(sid, rec, 'completed', 12),
    () => voice.status(sid, from, 2, 'completed', { CallDuration: '30' }),
  ];
  assert.equal((await voice.incoming(sid, from)).status, 200, 'Twilio asks for the TwiML before any callback');
  const all = Array.from({ length: 20 }, (_, i) => sends[(i * 3) % sends.length]!).reverse();
  const results = await Promise.all(all.map((send) => send()));
  assert.deepEqual(results.filter((r) => r.status >= 300), []);
  const calls = await server.db.selectFrom('calls').select('id').where('call_sid', '=', sid).execute();
  assert.equal(calls.length, 1);
  assert.equal((await server.db.selectFrom('messages').select('id').where('provider_message_id', '=', sid).execute()).length, 1);
  const events = await server.db.selectFrom('call_events').select('event_key').where('call_id', '=', calls[0]!.id).execute();
  assert.equal(events.length, 5);
  const c = await callRow(sid);
  assert.equal(c.status, 'completed');
  assert.equal(c.outcome, 'voicemail');
  assert.equal(c.duration_seconds, 12);
  assert.equal((await conversation((await entryOf(sid)).conversation_id)).unread_count, 1);
  await storedRecording(rec);
  assert.equal(fake.requests.filter((r) => r.path.includes(rec)).length, 1, 'exactly one download per RecordingSid');
});

test("an 'absent' recording is no voicemail: a missed call, nothing downloaded", async () => {
  const from = uniquePhone();
  const sid = callSid();
  const rec = recordingSid();
  await voice.incoming(sid, from);
  await voice.dial(sid, from, 'busy');
  await voice.recording(sid, rec, 'absent', 0);
  await voice.status(sid, from, 3, 'completed', { CallDuration: '9' });
  const c = await callRow(sid);
  assert.equal(c.outcome, 'missed');
  assert.equal((await row((await entryOf(sid)).conversation_id)).preview.body, 'Missed call');
  assert.equal(fake.requests.some((r) => r.path.includes(rec)), false);
});

test('withheld numbers: each call its own conversation, duplicates still one; repeat calls from one unknown number stay together', async () => {
  const a = callSid();
  const b = callSid();
  await Promise.all([voice.incoming(a, 'anonymous'), voice.incoming(a, 'anonymous'), voice.status(a, 'anonymous', 0, 'ringing'), voice.incoming(b, '+266696687'), voice.incoming(b, '+266696687')]);
  const ca = (await entryOf(a)).conversation_id;
  const cb = (await entryOf(b)).conversation_id;
  assert.notEqual(ca, cb);
  assert.equal((await server.db.selectFrom('conversations').select('id').where('anonymous_call_sid', 'in', [a, b]).execute()).length, 2);
  assert.equal((await row(ca)).displayName, 'Withheld number');
  const from = uniquePhone();
  const first = callSid();
  const second = callSid();
  await voice.incoming(first, from);
  await voice.incoming(second, from);
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from, to: org.twilioNumber, body: 'Sorry I missed you' }), AUTH);
  const convo = (await entryOf(first)).conversation_id;
  assert.equal((await entryOf(second)).conversation_id, convo);
  const sms = await server.db.selectFrom('messages').select('conversation_id').where('channel', '=', 'sms').where('body', '=', 'Sorry I missed you').executeTakeFirstOrThrow();
  assert.equal(sms.conversation_id, convo, 'the texts of an unknown caller join their calls');
});

test('pooled numbers: a number of the Messaging Service pool routes by the service sid in the webhook URL', async () => {
  const sid = callSid();
  const res = await voice.incoming(sid, uniquePhone(), { to: '+14155557777', query: `?MessagingServiceSid=${org.messagingServiceSid}` });
  assert.equal(res.status, 200, res.body);
  assert.equal((await callRow(sid)).org_id, org.id);
});

test('Reassign to another customer and Detach to anonymous: the call moves, counts follow, the audit log has the reason', async () => {
  const from = uniquePhone();
  const sid = callSid();
  await voice.incoming(sid, from);
  await voice.dial(sid, from, 'no-answer');
  await voice.status(sid, from, 2, 'no-answer');
  const c = await callRow(sid);
  const source = (await entryOf(sid)).conversation_id;
  const spouse = await createCustomer(server.db, org.id, { name: 'Alex Morgan' });
  const found = await api('GET', `/v1/calls/customers?q=${encodeURIComponent('Alex Mor')}`);
  assert.ok(found.json.customers.some((x: any) => x.id === spouse.id));
  const moved = await api('POST', `/v1/calls/${c.id}/reassign`, { customerId: spouse.id, reason: 'Spouse calling from the shared phone' });
  assert.equal(moved.status, 200, moved.text);
  const target = moved.json.toConversationId;
  assert.equal((await entryOf(sid)).conversation_id, target);
  assert.equal((await conversation(target)).customer_id, spouse.id);
  assert.equal((await conversation(target)).unread_count, 1, 'the unread missed call moved with it');
  assert.equal(await server.db.selectFrom('conversations').select('id').where('id', '=', source).executeTakeFirst(), undefined, 'the emptied conversation is gone');
  const audit = await server.db.selectFrom('staff_audit_log').selectAll().where('target_id', '=', c.id).execute();
  assert.equal(audit[0]!.action, 'call.reassigned');
  assert.equal(audit[0]!.reason, 'Spouse calling from the shared phone');
  const events = await server.db.selectFrom('inbox_events').select(['type', 'conversation_id']).where('type', '=', 'call.moved').where('conversation_id', 'in', [source, target]).execute();
  assert.equal(events.length, 2);

  const detached = await api('POST', `/v1/calls/${c.id}/reassign`, { customerId: null });
  assert.equal(detached.status, 200);
  const anon = await conversation(detached.json.toConversationId);
  assert.equal(anon.customer_id, null);
  assert.equal(anon.contact_name, 'Anonymous caller');
  assert.equal(await server.db.selectFrom('conversations').select('id').where('id', '=', target).executeTakeFirst(), undefined, "the spouse's conversation held only this call");
  assert.equal(anon.unread_count, 1);
  assert.equal((await api('POST', `/v1/calls/${c.id}/reassign`, { customerId: null })).json.changed, false);
});

test('technicians see calls but never the caller number; they cannot reassign', async () => {
  const from = uniquePhone();
  const sid = callSid();
  await voice.incoming(sid, from);
  const c = await callRow(sid);
  const tech = await signInAs(server, (await createStaff(server.db, org, 'technician')).email);
  const detail = await call(server, tech, 'GET', `/v1/calls/${c.id}`);
  assert.equal(detail.status, 200);
  assert.equal(detail.json.caller.phone, null);
  assert.ok(!detail.text.includes(from.slice(1)), 'the number appears nowhere in the answer');
  assert.equal((await call(server, tech, 'POST', `/v1/calls/${c.id}/reassign`, { customerId: null })).status, 403);
  const advisor = await signInAs(server, (await createStaff(server.db, org, 'service_advisor')).email);
  assert.equal((await call(server, advisor, 'GET', `/v1/calls/${c.id}`)).json.caller.phone, from);
});

test('outbound: Twilio rings the staff phone then connects the customer; callbacks before the sid is known find the call', async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Pat Lee' });
  const convo = await withTenant(server.db, org.id, (trx) => trx.insertInto('conversations').values({ org_id: org.id, customer_id: customer.id, contact_phone: null, contact_name: null, last_channel: 'sms', last_inbound_at: null, last_activity_at: new Date(), assignee_id: null, work_order_id: null, context_badge: null, whatsapp_window_expires_at: null }).returning('id').executeTakeFirstOrThrow());
  const advisor = await signInAs(server, (await createStaff(server.db, org, 'service_advisor', 'Dana Advisor')).email);
  const placed = await call(server, advisor, 'POST', `/v1/conversations/${convo.id}/calls`, { staffPhone: '07700 900003' });
  assert.equal(placed.status, 201, placed.text);
  const request = fake.requests.filter((r) => r.path.endsWith('/Calls.json')).at(-1)!;
  const form = new URLSearchParams(request.body.toString());
  assert.equal(form.get('To'), '+447700900003');
  assert.equal(form.get('From'), org.twilioNumber);
  assert.deepEqual(form.getAll('StatusCallbackEvent'), ['initiated', 'ringing', 'answered', 'completed']);
  assert.equal(form.get('StatusCallback'), `https://example.com/twilio/voice/status?call=${placed.json.callId}`);
  assert.match(form.get('Twiml')!, new RegExp(`<Dial callerId="\\${org.twilioNumber}"[^>]*><Number [^>]*>\\${customer.phone}</Number></Dial>`));
  const row0 = await server.db.selectFrom('calls').selectAll().where('id', '=', placed.json.callId).executeTakeFirstOrThrow();
  assert.ok(row0.call_sid);
  const cb = (path: string, params: Record<string, string>) => postTwilio(server.baseUrl, `${path}?call=${row0.id}`, {
    AccountSid: org.twilioAccountSid, CallSid: row0.call_sid!, From: org.twilioNumber, To: '+447700900003', Direction: 'outbound-api', ApiVersion: '2010-04-01', ...params,
  }, AUTH);
  assert.equal((await cb('/twilio/voice/status', { CallStatus: 'in-progress', SequenceNumber: '2' })).status, 204);
  assert.match((await cb('/twilio/voice/dial', { CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallDuration: '65' })).body, /<Hangup\/>/);
  assert.equal((await cb('/twilio/voice/status', { CallStatus: 'completed', SequenceNumber: '3', CallDuration: '80' })).status, 204);
  const done = await server.db.selectFrom('calls').selectAll().where('id', '=', row0.id).executeTakeFirstOrThrow();
  assert.equal(done.outcome, 'answered');
  assert.equal(done.answered_by, 'Dana Advisor');
  assert.equal((await row(convo.id)).preview.body, 'Voice call - 65s - ended');
  const noPhone = await call(server, await signInAs(server, (await createStaff(server.db, org, 'manager')).email), 'POST', `/v1/conversations/${convo.id}/calls`, {});
  assert.equal(noPhone.status, 422);
});

test('a long voicemail (over 120 s) is transcribed by the speech-to-text driver, once', async () => {
  const from = uniquePhone();
  const sid = callSid();
  await leaveVoicemail(sid, from, recordingSid(), 180);
  const c = await transcribed(sid);
  assert.equal(c.transcript, 'This is a long voicemail about the clutch.');
  assert.equal(c.transcript_source, 'speech_to_text');
  assert.equal(fake.requests.filter((r) => r.path === '/v1/audio/transcriptions').length, 1);
  assert.equal((await row((await entryOf(sid)).conversation_id)).preview.body, 'Voicemail - 3:00');
});

test('escalation: nobody on the ring list answers, the escalation number picks up; "Escalated call", stays Unread until Mark resolved', async () => {
  await setVoice({ ringNumbers: ['+447700900001'], ringTimeoutSeconds: 15, escalationNumber: '07700 900099' });
  assert.equal((await api('GET', '/v1/voice/settings')).json.escalationNumber, '+447700900099');
  const from = uniquePhone();
  const sid = callSid();
  await voice.incoming(sid, from);
  await voice.status(sid, from, 0, 'ringing');
  await voice.leg(sid, from, '+447700900001', 'no-answer');
  const passed = (await voice.dial(sid, from, 'no-answer')).body;
  assert.match(passed, /<Dial timeout="15" action="https:\/\/example.com\/twilio\/voice\/escalation" method="POST" answerOnBridge="true"><Number statusCallbackEvent="answered completed" statusCallback="https:\/\/example.com\/twilio\/voice\/leg\?leg=escalation" statusCallbackMethod="POST">\+447700900099<\/Number><\/Dial>/);
  assert.equal((await voice.leg(sid, from, '+447700900099', 'in-progress', '?leg=escalation')).status, 204);
  assert.match((await voice.escalation(sid, from, 'completed', 95)).body, /<Response><Hangup\/><\/Response>/);
  await voice.status(sid, from, 1, 'completed', { CallDuration: '120' });
  const c = await callRow(sid);
  assert.equal(c.outcome, 'escalation');
  assert.equal(c.duration_seconds, 95);
  assert.equal(c.answered_by, '+447700900099');
  const convo = (await entryOf(sid)).conversation_id;
  assert.equal((await row(convo)).preview.body, 'Escalated call');
  const card = (await api('GET', `/v1/conversations/${convo}/thread`)).json.messages.find((m: any) => m.call?.callId === c.id).call;
  assert.deepEqual([card.outcome, card.awaitingResolution, card.answeredBy], ['escalation', true, '+447700900099']);
  const detail = (await api('GET', `/v1/calls/${c.id}`)).json;
  assert.ok(detail.timeline.some((t: any) => t.label === 'Escalated: passed to the escalation number +447700900099'), JSON.stringify(detail.timeline));
  assert.ok(detail.timeline.some((t: any) => t.label === 'Picked up by +447700900099 (escalation number)'));
  assert.equal((await api('POST', `/v1/conversations/${convo}/read`, {})).status, 200);
  assert.equal((await conversation(convo)).unread_count, 1, 'opening the thread does not resolve an escalation');
  assert.equal((await api('POST', `/v1/calls/${c.id}/resolve`, {})).json.changed, true);
  assert.equal((await conversation(convo)).unread_count, 0);

  // The escalation number does not answer either: voicemail, as without one.
  const sid2 = callSid();
  await voice.incoming(sid2, from);
  await voice.dial(sid2, from, 'no-answer');
  assert.match((await voice.escalation(sid2, from, 'no-answer')).body, /<Record action="https:\/\/example.com\/twilio\/voice\/recorded"/);
  await voice.recording(sid2, recordingSid(), 'completed', 14);
  await voice.status(sid2, from, 2, 'completed', { CallDuration: '60' });
  assert.equal((await callRow(sid2)).outcome, 'voicemail');
  assert.ok((await api('GET', `/v1/calls/${(await callRow(sid2)).id}`)).json.timeline.some((t: any) => t.label === 'Escalation number did not answer'));

  // No ring list: the escalation number rings first.
  await setVoice({ escalationNumber: '+447700900099' });
  assert.match((await voice.incoming(callSid(), uniquePhone())).body, /action="https:\/\/example.com\/twilio\/voice\/escalation"/);
  assert.equal((await api('PUT', '/v1/voice/settings', { ringNumbers: ['+447700900099'], sipAddress: null, ringTimeoutSeconds: 20, voicemailGreeting: 'x', escalationNumber: '+447700900099' })).status, 400);
  await setVoice({});
  assert.equal((await api('GET', '/v1/voice/settings')).json.escalationNumber, null);
});

test("Twilio's transcription failed: the stored recording goes to speech to text, once; a 2 s voicemail goes there directly", async () => {
  const sttRequests = () => fake.requests.filter((r) => r.path === '/v1/audio/transcriptions').length;
  const from = uniquePhone();
  const sid = callSid();
  const rec = recordingSid();
  fake.recordings.set(rec, fakeWav(3));
  await leaveVoicemail(sid, from, rec, 45);
  await storedRecording(rec);
  const before = sttRequests();
  assert.equal((await callRow(sid)).transcript, null, 'within 2–120 s Twilio transcribes: no speech to text yet');
  fake.transcript = 'Calling about the MOT on Friday.';
  await voice.transcription(sid, from, rec, '', 'failed');
  await voice.transcription(sid, from, rec, '', 'failed');
  const c = await transcribed(sid);
  assert.deepEqual([c.transcript, c.transcript_source], ['Calling about the MOT on Friday.', 'speech_to_text']);
  assert.equal(fake.requests.filter((r) => r.path.includes(rec)).length, 1, 'the audio came from the media store, not a second download');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(sttRequests() - before, 1, 'one speech-to-text request');
  const detail = (await api('GET', `/v1/calls/${c.id}`)).json;
  assert.deepEqual(detail.transcript, { text: 'Calling about the MOT on Friday.', source: 'speech_to_text' });
  assert.ok(detail.timeline.some((t: any) => t.label === 'Twilio could not transcribe'));

  const shortSid = callSid();
  fake.transcript = 'Call me.';
  await leaveVoicemail(shortSid, from, recordingSid(), 2);
  const short = await transcribed(shortSid);
  assert.deepEqual([short.transcript, short.transcript_source], ['Call me.', 'speech_to_text']);
  fake.transcript = 'This is a long voicemail about the clutch.';
});

test('recordings stored in PostgreSQL before migration 0015 move to the media store at start-up, once, and still play', async () => {
  const from = uniquePhone();
  const sid = callSid();
  const rec = recordingSid();
  await voice.incoming(sid, from);
  await voice.dial(sid, from, 'no-answer');
  await voice.status(sid, from, 2, 'completed', { CallDuration: '30' });
  const c = await callRow(sid);
  const legacyAudio = fakeWav(1);
  await server.db.insertInto('call_recordings').values({ org_id: org.id, recording_sid: rec, call_id: c.id, content_type: 'audio/x-wav', audio: legacyAudio, media_id: null, size_bytes: null }).execute();
  const store = openMediaStore(server.config);
  assert.equal(await moveLegacyRecordings(server.db, store), 1);
  assert.equal(await moveLegacyRecordings(server.db, store), 0, 'idempotent');
  const moved = await server.db.selectFrom('call_recordings').selectAll().where('recording_sid', '=', rec).executeTakeFirstOrThrow();
  assert.equal(moved.audio, null);
  assert.equal(moved.size_bytes, legacyAudio.length);
  assert.equal((await server.db.selectFrom('call_recordings').select('recording_sid').where('audio', 'is not', null).execute()).length, 0, 'no audio bytes left in PostgreSQL');
  assert.deepEqual(await readAll((await store.get(recordingKey(org.id, rec)))!.body), legacyAudio);
  const audio = await fetch(`${server.baseUrl}/v1/calls/${c.id}/recording`, { headers: { authorization: `Bearer ${org.apiToken}` } });
  assert.equal(audio.status, 200);
  assert.deepEqual(Buffer.from(await audio.arrayBuffer()), legacyAudio);
});

test("Reassign a voicemail whose recording is stored: the recording's media row goes with it, the emptied conversation is deleted, it still plays", async () => {
  const from = uniquePhone();
  const sid = callSid();
  const rec = recordingSid();
  fake.recordings.set(rec, fakeWav(1));
  await leaveVoicemail(sid, from, rec, 20);
  const stored = await storedRecording(rec);
  const c = await callRow(sid);
  const source = (await entryOf(sid)).conversation_id;
  const customer = await createCustomer(server.db, org.id, { name: 'Robin Hale' });
  const moved = await api('POST', `/v1/calls/${c.id}/reassign`, { customerId: customer.id });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(await server.db.selectFrom('conversations').select('id').where('id', '=', source).executeTakeFirst(), undefined);
  const media = await server.db.selectFrom('media_objects').select('conversation_id').where('id', '=', stored.media_id!).executeTakeFirstOrThrow();
  assert.equal(media.conversation_id, moved.json.toConversationId);
  const audio = await api('GET', `/v1/calls/${c.id}/recording`);
  assert.equal(audio.status, 200);
});
