/**
 * The portal API and stream (issue 11 items 3–5): what a customer sees of
 * their thread (no notes, no drafts, every message paged back to the
 * start), writing (an inbound portal message, exactly once per client key,
 * photos refused per file with nothing stored), the staff SMS alert and
 * "Also text portal replies" against a fake Twilio, receipts, media and
 * stream scoping to the customer's own conversation.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import sharp from 'sharp';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-providers/index.js';
import { createOrg, type TestOrg } from '../support/fixtures.js';
import { LIVE_DELIVERY_ENV, waitFor, holdsFor } from '../support/delivery.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { send } from '../sending/compose-support.js';
import { portalApi, portalCustomer, signIn } from './portal-support.js';

let server: TestServer;
let twilio: FakeTwilio;
let org: TestOrg;

before(async () => {
  twilio = await startFakeTwilio();
  server = await startTestServer({ ...LIVE_DELIVERY_ENV, TWILIO_API_BASE_URL: twilio.baseUrl });
  org = await createOrg(server.db, { name: 'Acme Motors' });
});
after(async () => {
  await server?.close();
  await twilio?.close();
});

async function signedInCustomer(name?: string) {
  const c = await portalCustomer(server, org, name);
  return { ...c, cookie: await signIn(server, c.code, `203.0.113.${Math.floor(Math.random() * 250)}`) };
}

const insert = (conversationId: string, rows: Array<{ direction: 'inbound' | 'outbound' | 'internal'; body: string; status?: string | null; at: Date }>) =>
  server.db.insertInto('messages').values(rows.map((r) => ({
    org_id: org.id, conversation_id: conversationId, direction: r.direction, channel: r.direction === 'internal' ? 'internal' : 'sms', content_type: r.direction === 'internal' ? 'note' : 'text', body: r.body,
    media: '[]', metadata: '{}', status: (r.status ?? (r.direction === 'outbound' ? 'delivered' : null)) as never, failure_reason: null, provider_error_code: null,
    provider: null, provider_message_id: null, cost: null, cost_currency: null, sender_user_id: null, notification_type: null, occurred_at: r.at,
  }))).execute();

test('the thread: no internal notes or drafts, the garage named for system messages, and every message paged back to the first', async () => {
  const c = await signedInCustomer();
  const start = Date.now() - 86_400_000;
  await insert(c.conversationId, Array.from({ length: 250 }, (_, i) => ({ direction: i % 2 ? 'outbound' as const : 'inbound' as const, body: `m${i}`, at: new Date(start + i * 1000) })));
  await insert(c.conversationId, [
    { direction: 'internal', body: 'Staff note: customer is difficult', at: new Date(start + 10_500) },
    { direction: 'outbound', body: 'Draft awaiting approval', status: 'pending_approval', at: new Date(start + 11_500) },
    { direction: 'outbound', body: 'Rejected draft', status: 'rejected', at: new Date(start + 12_500) },
    { direction: 'outbound', body: 'Could not deliver', status: 'failed', at: new Date(start + 13_500) },
  ]);
  const seen: any[] = [];
  let before: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await portalApi(server, c.cookie, 'GET', `/portal/api/messages?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    assert.equal(page.status, 200);
    seen.unshift(...page.json.messages);
    before = page.json.earlierCursor;
    if (!before) break;
  }
  const bodies = seen.map((m) => m.body);
  assert.ok(bodies.includes('m0') && bodies.includes('m249'), 'from the very first message to the last (no 200 cap)');
  assert.equal(bodies.filter((b) => /^m\d+$/.test(b)).length, 250);
  for (const hidden of ['Staff note: customer is difficult', 'Draft awaiting approval', 'Rejected draft']) assert.ok(!bodies.includes(hidden), hidden);
  const times = seen.map((m) => m.occurredAt);
  assert.deepEqual(times, [...times].sort(), 'oldest to newest');
  const failed = seen.find((m) => m.body === 'Could not deliver');
  assert.equal(failed.receipt, 'failed');
  assert.equal(failed.senderName, 'Acme Motors');
  assert.equal(seen.find((m) => m.body === 'm0').senderName, 'You');
  assert.equal(seen.find((m) => m.body === 'm0').channelLabel, 'SMS');
  assert.ok(!JSON.stringify(seen).includes(c.phone.slice(1)), 'no phone number in the thread');
});

test('a customer message is an inbound portal message, unread for staff, stored once per client key; staff read it and the customer sees read', async () => {
  const c = await signedInCustomer();
  const clientKey = randomUUID();
  const [first, retry] = await Promise.all([0, 1].map(() => portalApi(server, c.cookie, 'POST', '/portal/api/messages', { body: 'Is my car ready?', clientKey })));
  assert.equal(first!.status, 201);
  assert.equal(retry!.status, 201);
  assert.equal(first!.json.id, retry!.json.id, 'a retried send stores nothing new');
  const rows = await server.db.selectFrom('messages').selectAll().where('conversation_id', '=', c.conversationId).where('channel', '=', 'portal').execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.direction, 'inbound');
  const conv = await server.db.selectFrom('conversations').select(['unread_count', 'last_channel']).where('id', '=', c.conversationId).executeTakeFirstOrThrow();
  assert.equal(conv.last_channel, 'portal');
  assert.ok(conv.unread_count >= 1, 'flagged as new in the inbox');
  const event = await server.db.selectFrom('inbox_events').select('type').where('conversation_id', '=', c.conversationId).where(sql<boolean>`payload->>'id' = ${rows[0]!.id}`).executeTakeFirstOrThrow();
  assert.equal(event.type, 'message.created');
  assert.equal(first!.json.receipt, 'delivered');
  const read = await fetch(`${server.baseUrl}/v1/conversations/${c.conversationId}/read`, { method: 'POST', headers: { authorization: `Bearer ${org.apiToken}` } });
  assert.ok(read.ok, String(read.status));
  assert.equal((await portalApi(server, c.cookie, 'GET', `/portal/api/messages/${rows[0]!.id}`)).json.receipt, 'read');
  assert.equal((await portalApi(server, c.cookie, 'POST', '/portal/api/messages', { body: '   ', clientKey: randomUUID() })).status, 400);
});

test("the staff alert goes by SMS from the garage's number to the notification number, only when one is set", async () => {
  const c = await signedInCustomer('Priya Shah');
  await portalApi(server, c.cookie, 'POST', '/portal/api/messages', { body: 'No alert for this one', clientKey: randomUUID() });
  assert.ok(await holdsFor(() => !twilio.requests.some((r) => /No alert for this one/.test(r.body.Body ?? '')), 1500), 'no alert without a notification number');
  await server.db.updateTable('organisations').set({ portal_notification_phone: '+447700900555' }).where('id', '=', org.id).execute();
  await portalApi(server, c.cookie, 'POST', '/portal/api/messages', { body: 'There is a grinding noise from the front left wheel whenever I brake', clientKey: randomUUID() });
  const alert = await waitFor('the alert SMS', () => twilio.requests.find((r) => r.body.To === '+447700900555'));
  assert.match(alert.body.Body!, /^Acme Motors: new portal message from Priya Shah: "There is a grinding noise from the front left wheel…" https:\/\/example\.com\/messages\?conversation=/);
  assert.ok(alert.body.From === org.twilioNumber || alert.body.MessagingServiceSid === org.messagingServiceSid, "from the garage's own Twilio sender");
  const thread = await portalApi(server, c.cookie, 'GET', '/portal/api/messages');
  assert.ok(!JSON.stringify(thread.json).includes('new portal message'), 'the alert is not in the customer thread');
  await server.db.updateTable('organisations').set({ portal_notification_phone: null }).where('id', '=', org.id).execute();
});

test('"Also text portal replies": a staff reply on the portal texts the customer a portal link, unless they opted out of SMS', async () => {
  const c = await signedInCustomer();
  assert.equal((await send(server, org, c.conversationId, { body: 'Quiet reply', channel: 'portal' })).status, 201);
  const smsAfter = async () => server.db.selectFrom('messages').select('body').where('conversation_id', '=', c.conversationId).where('channel', '=', 'sms').where('direction', '=', 'outbound').execute();
  assert.equal((await smsAfter()).length, 0, 'off by default');
  await server.db.updateTable('organisations').set({ portal_reply_sms: true }).where('id', '=', org.id).execute();
  try {
    assert.equal((await send(server, org, c.conversationId, { body: 'Your car is ready', channel: 'portal' })).status, 201);
    const [sms] = await smsAfter();
    assert.ok(sms, 'an SMS was queued');
    assert.match(sms.body, /^Acme Motors: you have a new message\. Read and reply: example\.com\/l\/[A-Za-z0-9]{16}$/);
    await waitFor('the SMS at Twilio', () => twilio.requests.find((r) => r.body.To === c.phone && /Read and reply/.test(r.body.Body ?? '')));
    await server.db.insertInto('sms_opt_outs').values({ org_id: org.id, phone: c.phone, opted_out: true, updated_at: new Date() }).execute();
    assert.equal((await send(server, org, c.conversationId, { body: 'Another update', channel: 'portal' })).status, 201, 'the portal reply still goes');
    assert.equal((await smsAfter()).length, 1, 'no SMS to an opted-out number');
  } finally {
    await server.db.updateTable('organisations').set({ portal_reply_sms: false }).where('id', '=', org.id).execute();
  }
});

test('a garage portal message moves sent → delivered → read when the customer opens the thread; the badge counts unseen garage messages', async () => {
  const c = await signedInCustomer();
  const before = (await portalApi(server, c.cookie, 'GET', '/portal/api/me')).json.unreadCount;
  const r = await send(server, org, c.conversationId, { body: 'Parts arrived', channel: 'portal' });
  const id = r.json.message.id;
  await waitFor('delivered', async () => (await server.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status === 'delivered');
  assert.equal((await portalApi(server, c.cookie, 'GET', '/portal/api/me')).json.unreadCount, before + 1);
  const read = await portalApi(server, c.cookie, 'POST', '/portal/api/read');
  assert.equal(read.json.unreadCount, 0);
  const m = await server.db.selectFrom('messages').select(['status', 'portal_read_at']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(m.status, 'read');
  assert.ok(m.portal_read_at);
  const statusEvent = await server.db.selectFrom('inbox_events').select('type').where(sql<boolean>`payload->>'id' = ${id}`).where(sql<boolean>`payload->>'status' = 'read'`).executeTakeFirst();
  assert.equal(statusEvent?.type, 'message.status', 'staff see it live');
});

const jpeg = () => sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 40, b: 40 } } }).jpeg().toBuffer();

async function upload(cookie: string, files: Array<[string, Buffer, string]>, body = 'photos') {
  const form = new FormData();
  form.set('body', body);
  form.set('clientKey', randomUUID());
  for (const [name, bytes, type] of files) form.append('photos', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${server.baseUrl}/portal/api/messages`, { method: 'POST', headers: { cookie }, body: form });
  return { status: res.status, json: (await res.json()) as any };
}
const mediaRows = async () => Number((await server.db.selectFrom('media_objects').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

test('photos: stored with thumbnails and readable only by this customer; a 6th photo, a PDF named .jpg and an oversized file are refused per file, nothing stored', async () => {
  const c = await signedInCustomer();
  const other = await signedInCustomer();
  const ok = await upload(c.cookie, [['a.jpg', await jpeg(), 'image/jpeg'], ['b.jpg', await jpeg(), 'image/jpeg']]);
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.equal(ok.json.media.length, 2);
  const thumb = await fetch(server.baseUrl + ok.json.media[0].thumbnailUrl, { headers: { cookie: c.cookie } });
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
  assert.equal((await fetch(server.baseUrl + ok.json.media[0].url, { headers: { cookie: other.cookie } })).status, 404, "another customer's photo is not found");

  const before = await mediaRows();
  const messagesBefore = (await server.db.selectFrom('messages').select('id').where('conversation_id', '=', c.conversationId).execute()).length;
  const six = await upload(c.cookie, await Promise.all(Array.from({ length: 6 }, async (_, i) => [`p${i + 1}.jpg`, await jpeg(), 'image/jpeg'] as [string, Buffer, string])));
  assert.equal(six.status, 422);
  assert.deepEqual(six.json.error.files.map((f: any) => [f.filename, f.code]), [['p6.jpg', 'too_many_photos']]);
  const pdf = await upload(c.cookie, [['ok.jpg', await jpeg(), 'image/jpeg'], ['invoice.jpg', Buffer.from('%PDF-1.7\n%%EOF\n'), 'image/jpeg']]);
  assert.equal(pdf.status, 422);
  assert.deepEqual(pdf.json.error.files.map((f: any) => [f.filename, f.code]), [['invoice.jpg', 'image_type_not_accepted']]);
  const huge = await upload(c.cookie, [['huge.jpg', Buffer.concat([await jpeg(), Buffer.alloc(30 * 1024 * 1024)]), 'image/jpeg']]);
  assert.equal(huge.status, 422);
  assert.equal(huge.json.error.files[0].code, 'media_too_large');
  assert.match(huge.json.error.message, /huge\.jpg: photos can be at most 20 MB/);
  assert.equal(await mediaRows(), before, 'no media rows');
  assert.equal((await server.db.selectFrom('messages').select('id').where('conversation_id', '=', c.conversationId).execute()).length, messagesBefore, 'no message');
});

test("the portal stream carries only the customer's own conversation and what they may see, and resumes after Last-Event-ID", async () => {
  const c = await signedInCustomer();
  const other = await portalCustomer(server, org);
  const start = await fetch(`${server.baseUrl}/portal/api/events`, { headers: { cookie: c.cookie, accept: 'text/event-stream' } });
  const reader = start.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (pattern: RegExp) => {
    while (!pattern.test(text)) text += decoder.decode((await reader.read()).value);
  };
  await readUntil(/^id: \S+\n\n/m);
  const position = /^id: (\S+)\n\n/m.exec(text)![1]!;
  await send(server, org, other.conversationId, { body: 'For someone else', channel: 'portal' });
  await insert(c.conversationId, [{ direction: 'internal', body: 'a note', at: new Date() }]);
  const mine = await send(server, org, c.conversationId, { body: 'For you', channel: 'portal' });
  await readUntil(new RegExp(mine.json.message.id));
  await reader.cancel();
  const events = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!));
  assert.ok(events.length >= 1);
  assert.ok(events.every((e) => e.conversationId === c.conversationId), 'only their conversation');
  assert.ok(!text.includes('For someone else') && !text.includes('a note') && !text.includes('For you'), 'no bodies, no notes, nothing of others');
  // Resume from the position before: the missed events are replayed.
  const resumed = await fetch(`${server.baseUrl}/portal/api/events`, { headers: { cookie: c.cookie, accept: 'text/event-stream', 'last-event-id': position } });
  const r2 = resumed.body!.getReader();
  let replay = '';
  while (!replay.includes(mine.json.message.id)) replay += decoder.decode((await r2.read()).value);
  await r2.cancel();
  assert.equal((await fetch(`${server.baseUrl}/portal/api/events`, { headers: { accept: 'text/event-stream' } })).status, 401);
});

test('the portal stream ends within seconds of signing out', async () => {
  const c = await signedInCustomer();
  const res = await fetch(`${server.baseUrl}/portal/api/events`, { headers: { cookie: c.cookie, accept: 'text/event-stream' } });
  const reader = res.body!.getReader();
  await reader.read();
  assert.equal((await portalApi(server, c.cookie, 'POST', '/portal/api/sign-out')).status, 200);
  const ended = await Promise.race([(async () => { for (;;) if ((await reader.read()).done) return true; })(), new Promise<false>((r) => setTimeout(() => r(false), 10_000))]);
  assert.equal(ended, true, 'the stream was ended');
  assert.equal((await portalApi(server, c.cookie, 'GET', '/portal/api/me')).status, 401);
});
