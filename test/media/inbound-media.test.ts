/**
 * Inbound media end to end: signed Twilio MMS and WhatsApp image webhooks →
 * the download job fetches each item once from the local fake provider
 * (which checks Basic auth / the Bearer token) → stored without location
 * metadata, with a thumbnail → served to staff at /v1/media/{id}; concurrent
 * webhook retries download nothing twice; a provider 404 shows as
 * unavailable; another garage's token gets 404; signed URLs expire; a
 * portal customer reads only their own conversation's visible media.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import type { MediaItem } from '../../src/db/schema.js';
import { readMedia } from '../../src/media/media-access.js';
import { openMediaStore } from '../../src/media/open-store.js';
import { signedMediaUrl } from '../../src/media/signed-url.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { startFakeMedia, type FakeMedia } from '../support/fake-providers/index.js';
import { newSid, postTwilio, postWhatsApp, smsParams, whatsAppEnvelope } from '../support/providers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { photoWithLocation } from './fixtures.js';

let server: TestServer;
let fake: FakeMedia;
let org: TestOrg;
let otherOrg: TestOrg;

before(async () => {
  fake = await startFakeMedia();
  server = await startTestServer({ OUTBOUND_PROVIDERS: 'live', TWILIO_API_BASE_URL: fake.baseUrl, WHATSAPP_API_BASE_URL: fake.baseUrl, MEDIA_URL_SECRET: 'test-media-url-secret-0123456789' });
  org = await createOrg(server.db);
  otherOrg = await createOrg(server.db);
  fake.twilioAccount(org.twilioAccountSid, org.twilioAuthToken);
  fake.whatsAppToken(org.whatsappAccessToken);
});
after(async () => {
  await server.close();
  await fake.close();
});

let n = 0;
const mediaSid = () => `ME${String(++n).padStart(32, '0')}`;

async function messageMedia(providerMessageId: string): Promise<MediaItem[]> {
  const m = await server.db.selectFrom('messages').select('media').where('provider_message_id', '=', providerMessageId).executeTakeFirstOrThrow();
  return m.media as MediaItem[];
}

/** Wait until no item of the message is pending any more (the job ran). */
async function settled(providerMessageId: string, timeoutMs = 30_000): Promise<MediaItem[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const media = await messageMedia(providerMessageId);
    if (media.every((m) => m.state !== 'pending')) return media;
    if (Date.now() > end) throw new Error(`media still pending: ${JSON.stringify(media)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function staffGet(path: string, token = org.apiToken): Promise<Response> {
  return fetch(server.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
}

function mms(sid: string, customerPhone: string, urls: string[]) {
  const extra: Record<string, string> = { NumMedia: String(urls.length) };
  urls.forEach((u, i) => { extra[`MediaUrl${i}`] = u; extra[`MediaContentType${i}`] = 'image/jpeg'; });
  return smsParams({ sid, from: customerPhone, to: org.twilioNumber, body: 'This is the noise', extra: { ...extra, AccountSid: org.twilioAccountSid } });
}

test('an MMS with two photos: each downloaded once with the account credentials, stored without location, with a thumbnail', async () => {
  const customer = await createCustomer(server.db, org.id);
  const sid = newSid('MM');
  const photo = await photoWithLocation();
  assert.ok((await sharp(photo).metadata()).exif, 'the test photo carries EXIF');
  const ids = [mediaSid(), mediaSid()];
  const urls = ids.map((id) => fake.twilioFile(org.twilioAccountSid, sid, id, { bytes: photo, contentType: 'image/jpeg' }));
  const res = await postTwilio(server.baseUrl, '/twilio/sms', mms(sid, customer.phone!, urls), org.twilioAuthToken);
  assert.equal(res.status, 200);

  const media = await settled(sid);
  assert.deepEqual(media.map((m) => m.state), ['stored', 'stored']);
  assert.deepEqual(ids.map((id) => fake.downloads.get(id)), [1, 1]);
  assert.equal(fake.refused, 0, 'the right credentials were sent');

  const full = await staffGet(`/v1/media/${media[0]!.mediaId}`);
  assert.equal(full.status, 200);
  assert.equal(full.headers.get('content-type'), 'image/jpeg');
  const stored = await sharp(Buffer.from(await full.arrayBuffer())).metadata();
  assert.equal(stored.exif, undefined, 'no EXIF (and so no GPS position) in the stored photo');
  assert.equal(Math.max(stored.width!, stored.height!), 2048, 'downscaled to 2048 px');

  const thumb = await staffGet(`/v1/media/${media[0]!.mediaId}/thumbnail`);
  assert.equal(thumb.status, 200);
  const t = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
  assert.ok(Math.max(t.width!, t.height!) <= 320);
});

test('five concurrent retries of one MMS webhook store one message and download each photo once', async () => {
  const customer = await createCustomer(server.db, org.id);
  const sid = newSid('MM');
  const photo = await photoWithLocation(800, 600, '#3c3');
  const ids = [mediaSid(), mediaSid(), mediaSid()];
  const urls = ids.map((id) => fake.twilioFile(org.twilioAccountSid, sid, id, { bytes: photo, contentType: 'image/jpeg', delayMs: 200 }));
  const params = mms(sid, customer.phone!, urls);
  const answers = await Promise.all(Array.from({ length: 5 }, () => postTwilio(server.baseUrl, '/twilio/sms', params, org.twilioAuthToken)));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200]);
  const media = await settled(sid);
  assert.deepEqual(media.map((m) => m.state), ['stored', 'stored', 'stored']);
  const rows = await server.db.selectFrom('media_objects').select('id').where('org_id', '=', org.id).where('provider_ref', 'in', urls).execute();
  assert.equal(rows.length, 3, 'one media row per photo');
  // Give any stray second job time to run before counting.
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(ids.map((id) => fake.downloads.get(id)), [1, 1, 1]);
});

function waImage(messageId: string, from: string, mediaId: string): string {
  return whatsAppEnvelope(org.whatsappPhoneNumberId, {
    contacts: [{ profile: { name: 'Sam' }, wa_id: from }],
    messages: [{ from, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image: { caption: 'here is the damage', mime_type: 'image/jpeg', sha256: 'x', id: mediaId } }],
  });
}

test('a WhatsApp image: media id → Graph lookup with the access token → download, once even under concurrent retries', async () => {
  const customer = await createCustomer(server.db, org.id);
  const from = customer.phone!.slice(1);
  const mediaId = String(9_000_000_000 + ++n);
  fake.whatsAppFile(mediaId, { bytes: await photoWithLocation(1200, 900, '#33c'), contentType: 'image/jpeg', delayMs: 150 });
  const wamid = `wamid.HBgM${mediaId}`;
  const body = waImage(wamid, from, mediaId);
  const answers = await Promise.all(Array.from({ length: 4 }, () => postWhatsApp(server.baseUrl, body)));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200]);
  const [item] = await settled(wamid);
  assert.equal(item!.state, 'stored');
  assert.equal(item!.caption, 'here is the damage');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(fake.downloads.get(mediaId), 1);
  const res = await staffGet(`/v1/media/${item!.mediaId}`);
  assert.equal(res.status, 200);
  assert.equal((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).exif, undefined);
});

test('media the provider no longer has (404) is marked unavailable, and its URL answers 404', async () => {
  const customer = await createCustomer(server.db, org.id);
  const sid = newSid('MM');
  const id = mediaSid();
  const url = fake.twilioFile(org.twilioAccountSid, sid, id, { bytes: Buffer.alloc(0), contentType: 'image/jpeg', gone: true });
  await postTwilio(server.baseUrl, '/twilio/sms', mms(sid, customer.phone!, [url]), org.twilioAuthToken);
  const [item] = await settled(sid);
  assert.equal(item!.state, 'unavailable');
  assert.equal((await staffGet(`/v1/media/${item!.mediaId}`)).status, 404);

  const waCustomer = await createCustomer(server.db, org.id);
  const mediaId = String(9_100_000_000 + ++n);
  fake.whatsAppFile(mediaId, { bytes: Buffer.alloc(0), contentType: 'image/jpeg', gone: true });
  await postWhatsApp(server.baseUrl, waImage(`wamid.gone${mediaId}`, waCustomer.phone!.slice(1), mediaId));
  const [waItem] = await settled(`wamid.gone${mediaId}`);
  assert.equal(waItem!.state, 'unavailable');
});

test("another garage's token, a made-up id and a tampered or expired signed URL all get 404", async () => {
  const customer = await createCustomer(server.db, org.id);
  const sid = newSid('MM');
  const url = fake.twilioFile(org.twilioAccountSid, sid, mediaSid(), { bytes: await photoWithLocation(400, 300), contentType: 'image/jpeg' });
  await postTwilio(server.baseUrl, '/twilio/sms', mms(sid, customer.phone!, [url]), org.twilioAuthToken);
  const [item] = await settled(sid);
  const mediaId = item!.mediaId!;
  assert.equal((await staffGet(`/v1/media/${mediaId}`)).status, 200);
  assert.equal((await staffGet(`/v1/media/${mediaId}`, otherOrg.apiToken)).status, 404);
  assert.equal((await staffGet(`/v1/media/${mediaId}/thumbnail`, otherOrg.apiToken)).status, 404);
  assert.equal((await staffGet('/v1/media/00000000-0000-4000-8000-000000000000')).status, 404);
  assert.equal((await fetch(`${server.baseUrl}/v1/media/${mediaId}`)).status, 401, 'no credentials at all');

  const signed = new URL(signedMediaUrl(server.config, org.id, mediaId));
  const local = (u: URL) => fetch(`${server.baseUrl}${u.pathname}${u.search}`);
  assert.equal((await local(signed)).status, 200, 'a fresh signed URL works without a session');
  const tampered = new URL(signed);
  tampered.pathname = `/media/signed/${otherOrg.id}/${mediaId}`;
  assert.equal((await local(tampered)).status, 404, 'the signature covers the organisation');
  const expired = new URL(signedMediaUrl(server.config, org.id, mediaId, Date.now() - (server.config.MEDIA_URL_TTL_SECONDS + 5) * 1000));
  assert.equal((await local(expired)).status, 404, 'an expired signed URL');
});

test("portal customers read only their own conversation's visible media: another customer's id is not found", async () => {
  const owner = await createCustomer(server.db, org.id);
  const stranger = await createCustomer(server.db, org.id);
  const sid = newSid('MM');
  const url = fake.twilioFile(org.twilioAccountSid, sid, mediaSid(), { bytes: await photoWithLocation(300, 200), contentType: 'image/jpeg' });
  await postTwilio(server.baseUrl, '/twilio/sms', mms(sid, owner.phone!, [url]), org.twilioAuthToken);
  const [item] = await settled(sid);
  const store = openMediaStore(server.config);
  const asCustomer = (customerId: string, orgId = org.id) => readMedia(server.db, store, orgId, item!.mediaId!, 'thumbnail', { kind: 'customer', customerId });
  const own = await asCustomer(owner.id);
  assert.ok(own, 'the customer sees their own photo');
  own.body.destroy();
  assert.equal(await asCustomer(stranger.id), null, "another customer of the same garage gets nothing");
  assert.equal(await asCustomer(owner.id, otherOrg.id), null, 'through another garage, nothing');

  // A staff attachment not yet sent, and a draft waiting for approval, are not the customer's to see.
  const conversationId = (await server.db.selectFrom('messages').select('conversation_id').where('provider_message_id', '=', sid).executeTakeFirstOrThrow()).conversation_id;
  const upload = await fetch(`${server.baseUrl}/v1/conversations/${conversationId}/attachments`, {
    method: 'POST', headers: { authorization: `Bearer ${org.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ contentBase64: (await photoWithLocation(200, 200)).toString('base64') }),
  });
  const attachment = await upload.json() as { mediaId: string };
  assert.equal(await readMedia(server.db, store, org.id, attachment.mediaId, 'original', { kind: 'customer', customerId: owner.id }), null);
  const staffCopy = await readMedia(server.db, store, org.id, attachment.mediaId, 'original', { kind: 'staff' });
  assert.ok(staffCopy, 'staff see the attachment');
  staffCopy.body.destroy();
});
