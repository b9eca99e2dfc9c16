/**
 * Sandbox mode (OUTBOUND_PROVIDERS=sandbox, the demo's default) shows real
 * photos for inbound MMS and WhatsApp images: the sandbox resolves each
 * provider reference to a built-in sample picture, stored and served like a
 * downloaded photo, with no network call (this file runs under
 * test/support/no-network.ts, which refuses any non-local connection).
 * Non-image media and a "gone" reference show as unavailable.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp, { type Metadata } from 'sharp';
import { SANDBOX_GONE_MARKER, sampleIndex, sandboxMedia } from '../../src/channels/sandbox/sandbox-media.js';
import type { MediaItem } from '../../src/db/schema.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, postWhatsApp, smsParams, whatsAppEnvelope } from '../support/providers.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer({ OUTBOUND_PROVIDERS: 'sandbox' });
  org = await createOrg(server.db);
});
after(async () => {
  await server.close();
});

async function settled(providerMessageId: string, timeoutMs = 60_000): Promise<MediaItem[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const m = await server.db.selectFrom('messages').select('media').where('provider_message_id', '=', providerMessageId).executeTakeFirst();
    const media = (m?.media ?? []) as MediaItem[];
    if (m && media.every((i) => i.state !== 'pending')) return media;
    if (Date.now() > end) throw new Error(`media still pending: ${JSON.stringify(media)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function staffImage(path: string): Promise<{ status: number; type: string | null; meta: Metadata | null; bytes: Buffer }> {
  const res = await fetch(server.baseUrl + path, { headers: { authorization: `Bearer ${org.apiToken}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), meta: res.status === 200 ? await sharp(bytes).metadata() : null, bytes };
}

const twilioUrl = (sid: string, i: number, tail = '') => `https://api.twilio.com/2010-04-01/Accounts/${org.twilioAccountSid}/Messages/${sid}/Media/ME${String(i).padStart(32, '0')}${tail}`;

test('sandbox MMS: JPEG and PNG photos are stored as sample pictures with thumbnails; a video and a gone reference are unavailable', async () => {
  const customer = await createCustomer(server.db, org.id);
  const sid = newSid('MM');
  const items = [
    { url: twilioUrl(sid, 1), type: 'image/jpeg' },
    { url: twilioUrl(sid, 2), type: 'image/png' },
    { url: twilioUrl(sid, 3), type: 'video/mp4' },
    { url: twilioUrl(sid, 4, `-${SANDBOX_GONE_MARKER}`), type: 'image/jpeg' },
  ];
  const extra: Record<string, string> = { NumMedia: String(items.length), AccountSid: org.twilioAccountSid };
  items.forEach((m, i) => { extra[`MediaUrl${i}`] = m.url; extra[`MediaContentType${i}`] = m.type; });
  const res = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid, from: customer.phone!, to: org.twilioNumber, body: 'This is the noise', extra }), org.twilioAuthToken);
  assert.equal(res.status, 200);

  const media = await settled(sid);
  assert.deepEqual(media.map((m) => m.state), ['stored', 'stored', 'unavailable', 'unavailable']);
  const jpeg = await staffImage(`/v1/media/${media[0]!.mediaId}`);
  assert.equal(jpeg.status, 200);
  assert.equal(jpeg.type, 'image/jpeg');
  assert.equal(jpeg.meta!.format, 'jpeg');
  assert.deepEqual([jpeg.meta!.width, jpeg.meta!.height], [1024, 768]);
  const png = await staffImage(`/v1/media/${media[1]!.mediaId}`);
  assert.equal(png.type, 'image/png');
  assert.equal(png.meta!.format, 'png');
  const thumb = await staffImage(`/v1/media/${media[0]!.mediaId}/thumbnail`);
  assert.equal(thumb.status, 200);
  assert.ok(Math.max(thumb.meta!.width!, thumb.meta!.height!) <= 320);
  assert.equal((await staffImage(`/v1/media/${media[2]!.mediaId}`)).status, 404, 'the unavailable video is not served');

  // The picture is a real image (not one flat colour) that the staff app can show.
  const stats = await sharp(jpeg.bytes).stats();
  assert.ok(stats.channels.some((c) => c.stdev > 20), 'the sample picture has content');
});

test('sandbox WhatsApp image: the media id resolves to a stored sample picture; a document is unavailable', async () => {
  const customer = await createCustomer(server.db, org.id);
  const from = customer.phone!.slice(1);
  const ts = String(Math.floor(Date.now() / 1000));
  const image = `wamid.sandbox-image-${Date.now()}`;
  const doc = `wamid.sandbox-doc-${Date.now()}`;
  await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, {
    contacts: [{ profile: { name: 'Sam' }, wa_id: from }],
    messages: [
      { from, id: image, timestamp: ts, type: 'image', image: { caption: 'here is the damage', mime_type: 'image/jpeg', sha256: 'x', id: '1234567890123456' } },
      { from, id: doc, timestamp: ts, type: 'document', document: { mime_type: 'application/pdf', sha256: 'y', id: '1234567890123457', filename: 'invoice.pdf' } },
    ],
  }));
  const [item] = await settled(image);
  assert.equal(item!.state, 'stored');
  assert.equal(item!.caption, 'here is the damage');
  const stored = await staffImage(`/v1/media/${item!.mediaId}`);
  assert.equal(stored.status, 200);
  assert.equal(stored.meta!.format, 'jpeg');
  const [pdf] = await settled(doc);
  assert.equal(pdf!.state, 'unavailable');
});

test('the same reference always gives the same picture; references spread over the samples', async () => {
  const a = await sandboxMedia('https://api.twilio.com/x/Media/ME1', 'image/jpeg');
  const b = await sandboxMedia('https://api.twilio.com/x/Media/ME1', 'image/gif');
  assert.ok(a.bytes.equals(b.bytes), 'any non-PNG image type is served as the same JPEG');
  assert.equal(b.contentType, 'image/jpeg');
  const indexes = new Set(Array.from({ length: 40 }, (_, i) => sampleIndex(`ref-${i}`)));
  assert.ok(indexes.size >= 4, `40 references used ${indexes.size} samples`);
  await assert.rejects(sandboxMedia(null, 'image/jpeg'), { name: 'MediaGone' });
});
