/**
 * Staff photo attachments: upload (checked by content, cleaned), then send
 * on SMS (MMS with signed MediaUrls Twilio can fetch), WhatsApp (an image
 * message by link, caption = text) and the portal, each within its
 * channel's limits with a clear 4xx; an attachment is sent once and only on
 * its own conversation.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { startFakeTwilio, startFakeWhatsApp, type FakeTwilio, type FakeWhatsApp } from '../support/fake-providers/index.js';
import { createConversation, sendMessage, waitFor, LIVE_DELIVERY_ENV } from '../support/delivery.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { noisyJpeg, photoWithLocation, smallPng } from './fixtures.js';

let server: TestServer;
let twilio: FakeTwilio;
let meta: FakeWhatsApp;
let org: TestOrg;

before(async () => {
  twilio = await startFakeTwilio();
  meta = await startFakeWhatsApp();
  server = await startTestServer({ ...LIVE_DELIVERY_ENV, TWILIO_API_BASE_URL: twilio.baseUrl, WHATSAPP_API_BASE_URL: meta.baseUrl });
  org = await createOrg(server.db);
});
after(async () => {
  await server.close();
  await twilio.close();
  await meta.close();
});

async function upload(conversationId: string, bytes: Buffer, filename = 'photo.jpg', token = org.apiToken) {
  const res = await fetch(`${server.baseUrl}/v1/conversations/${conversationId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ filename, contentBase64: bytes.toString('base64') }),
  });
  return { status: res.status, json: await res.json() as any };
}

async function conversation(lastChannel: 'sms' | 'whatsapp' | 'portal', window: 'open' | 'never' = 'never') {
  const customer = await createCustomer(server.db, org.id);
  const c = await createConversation(server.db, org.id, customer.id, { lastChannel, whatsappWindow: window });
  return { id: c.id, phone: customer.phone! };
}

/** Fetch a signed URL the way the provider would (PUBLIC_BASE_URL is https://example.com; the server listens locally). */
function providerFetch(url: string) {
  const u = new URL(url);
  return fetch(`${server.baseUrl}${u.pathname}${u.search}`);
}

test('uploads are checked by content: a PDF named .jpg, a 30 MB file and text are refused with clear errors, nothing stored', async () => {
  const c = await conversation('sms');
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const refusedPdf = await upload(c.id, pdf, 'damage.jpg');
  assert.equal(refusedPdf.status, 415);
  assert.equal(refusedPdf.json.error.code, 'image_type_not_accepted');
  assert.match(refusedPdf.json.error.message, /Only JPG and PNG/);
  const huge = await upload(c.id, Buffer.alloc(30 * 1024 * 1024, 0xff), 'big.jpg');
  assert.equal(huge.status, 413);
  assert.equal(huge.json.error.code, 'media_too_large');
  assert.match(huge.json.error.message, /at most 20 MB; this one is 30\.0 MB/);
  const rows = await server.db.selectFrom('media_objects').select('id').where('conversation_id', '=', c.id).execute();
  assert.equal(rows.length, 0);
});

test('a PNG stays a PNG; a camera JPEG is downscaled with its location removed', async () => {
  const c = await conversation('portal');
  const png = await upload(c.id, await smallPng(), 'screenshot.png');
  assert.equal(png.status, 201);
  assert.equal(png.json.contentType, 'image/png');
  assert.equal(png.json.state, 'stored');
  const jpg = await upload(c.id, await photoWithLocation(4032, 3024));
  assert.equal(jpg.status, 201);
  assert.deepEqual([jpg.json.width, jpg.json.height], [2048, 1536]);
  const stored = await fetch(`${server.baseUrl}/v1/media/${jpg.json.mediaId}`, { headers: { authorization: `Bearer ${org.apiToken}` } });
  assert.equal((await sharp(Buffer.from(await stored.arrayBuffer())).metadata()).exif, undefined);
});

test('SMS: two photos go as one MMS with two signed MediaUrls that Twilio can fetch', async () => {
  const c = await conversation('sms');
  const a = await upload(c.id, await photoWithLocation(1600, 1200, '#a33'));
  const b = await upload(c.id, await photoWithLocation(1600, 1200, '#3a3'));
  const sent = await sendMessage(server.baseUrl, org.apiToken, c.id, { body: 'Here is the worn pad', mediaIds: [a.json.mediaId, b.json.mediaId] });
  assert.equal(sent.status, 201, JSON.stringify(sent.json));
  assert.deepEqual(sent.json.message.media.map((m: any) => m.mediaId), [a.json.mediaId, b.json.mediaId]);
  const request = await waitFor('Twilio received the MMS', () => twilio.requests.find((r) => r.body.To === c.phone));
  const urls = new URLSearchParams(request.rawBody).getAll('MediaUrl');
  assert.equal(urls.length, 2);
  for (const url of urls) {
    assert.match(url, /^https:\/\/example\.com\/media\/signed\/.+expires=\d+&sig=[0-9a-f]{64}$/);
    const res = await providerFetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
  }
  const again = await sendMessage(server.baseUrl, org.apiToken, c.id, { body: 'again', mediaIds: [a.json.mediaId] });
  assert.equal(again.status, 422, 'an attachment is sent once');
  assert.equal(again.json.error.code, 'attachment_not_found');
});

test("SMS/MMS over 5 MB in all is refused with 413; another conversation's attachment with 422", async () => {
  const c = await conversation('sms');
  const items = [];
  for (let i = 0; i < 3; i++) items.push((await upload(c.id, await noisyJpeg(2048))).json);
  const total = items.reduce((s, i) => s + i.size, 0);
  assert.ok(total > 5 * 1024 * 1024, `the photos add up to more than 5 MB (${total})`);
  const refused = await sendMessage(server.baseUrl, org.apiToken, c.id, { body: 'photos', mediaIds: items.map((i) => i.mediaId) });
  assert.equal(refused.status, 413);
  assert.equal(refused.json.error.code, 'attachment_too_large');
  assert.match(refused.json.error.message, /5 MB of photos in all/);
  const other = await conversation('sms');
  const elsewhere = await sendMessage(server.baseUrl, org.apiToken, other.id, { body: 'x', mediaIds: [items[0].mediaId] });
  assert.equal(elsewhere.status, 422);
  assert.equal(elsewhere.json.error.code, 'attachment_not_found');
  const stillFree = await server.db.selectFrom('media_objects').select('message_id').where('id', '=', items[0].mediaId).executeTakeFirstOrThrow();
  assert.equal(stillFree.message_id, null, 'a refused send attaches nothing');
});

test('WhatsApp inside the window: one image by link with the text as caption; two photos are refused', async () => {
  const c = await conversation('whatsapp', 'open');
  const a = await upload(c.id, await photoWithLocation(1024, 768));
  const b = await upload(c.id, await photoWithLocation(1024, 768));
  const two = await sendMessage(server.baseUrl, org.apiToken, c.id, { channel: 'whatsapp', body: 'x', mediaIds: [a.json.mediaId, b.json.mediaId] });
  assert.equal(two.status, 422);
  assert.equal(two.json.error.code, 'too_many_attachments');
  const sent = await sendMessage(server.baseUrl, org.apiToken, c.id, { channel: 'whatsapp', body: 'Your new tyre', mediaIds: [a.json.mediaId] });
  assert.equal(sent.status, 201, JSON.stringify(sent.json));
  const request = await waitFor('Meta received the image', () => meta.requests.find((r) => (r.body as any)?.to === c.phone.slice(1)));
  const body = request.body as any;
  assert.equal(body.type, 'image');
  assert.equal(body.image.caption, 'Your new tyre');
  assert.equal((await providerFetch(body.image.link)).status, 200);
});

test('portal: up to 5 photos; a 6th is refused; email takes none', async () => {
  const c = await conversation('portal');
  const ids = [];
  for (let i = 0; i < 6; i++) ids.push((await upload(c.id, await smallPng())).json.mediaId);
  const six = await sendMessage(server.baseUrl, org.apiToken, c.id, { channel: 'portal', body: 'photos', mediaIds: ids });
  assert.equal(six.status, 422);
  assert.match(six.json.error.message, /at most 5 photos/);
  const five = await sendMessage(server.baseUrl, org.apiToken, c.id, { channel: 'portal', body: '', mediaIds: ids.slice(0, 5) });
  assert.equal(five.status, 201, JSON.stringify(five.json));
  assert.equal(five.json.message.media.length, 5);
});
