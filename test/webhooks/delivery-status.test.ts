/**
 * Delivery-status callbacks from both providers: recorded payloads, the
 * forward-only rule under any arrival order, failures with codes and reasons,
 * pricing, duplicates and concurrent callbacks.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createOutboundMessage, type TestOrg } from '../support/fixtures.js';
import { newSid, postRaw, postTwilio, postWhatsApp, whatsAppEnvelope } from '../support/providers.js';
import { TWILIO_AUTH_TOKEN, twilioRequests, whatsAppRequests } from '../fixtures/provider-requests.js';
import { enterTenant } from '../../src/db/tenant.js';
import { lockProviderMessage } from '../../src/ingest/apply-delivery-status.js';

let server: TestServer;
let org: TestOrg;
const FORM = 'application/x-www-form-urlencoded';

before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db, { twilioNumber: '+14155550100', twilioAuthToken: TWILIO_AUTH_TOKEN, whatsappPhoneNumberId: '106540352242922' });
});
after(() => server.close());

async function outbound(provider: 'twilio' | 'whatsapp', providerMessageId: string, status: 'pending' | 'sent' = 'sent') {
  const customer = await createCustomer(server.db, org.id);
  await createOutboundMessage(server.db, org.id, { customerId: customer.id, provider, providerMessageId, status });
  return customer;
}
async function message(providerMessageId: string) {
  return server.db.selectFrom('messages').selectAll().where('provider_message_id', '=', providerMessageId).executeTakeFirstOrThrow();
}
function twilioStatus(sid: string, status: string, extra: Record<string, string> = {}) {
  return postTwilio(server.baseUrl, '/twilio/status', {
    SmsSid: sid, SmsStatus: status, MessageStatus: status, To: '+447700900123', MessageSid: sid,
    AccountSid: 'AC' + '0'.repeat(32), From: org.twilioNumber, ApiVersion: '2010-04-01', ...extra,
  }, TWILIO_AUTH_TOKEN);
}
const unix = () => String(Math.floor(Date.now() / 1000));
function waStatus(id: string, status: string, extra: object = {}) {
  return postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, { statuses: [{ id, status, timestamp: unix(), recipient_id: '447700900123', ...extra }] }));
}

test("Twilio's recorded delivered callback marks the message delivered (204, nothing to say back)", async () => {
  await outbound('twilio', 'SM2f0c6b8e5a1d4c3b9e7f6a5d4c3b2a10');
  const r = twilioRequests.status_delivered;
  const res = await postRaw(server.baseUrl, r.path, FORM, r.body, { 'x-twilio-signature': r.signature });
  assert.equal(res.status, 204);
  assert.equal((await message('SM2f0c6b8e5a1d4c3b9e7f6a5d4c3b2a10')).status, 'delivered');
});

test("Twilio's recorded undelivered callback (30003) fails the message with the code and a human reason", async () => {
  const sid = 'SM2f0c6b8e5a1d4c3b9e7f6a5d4c3b2a10';
  const r = twilioRequests.status_undelivered;
  const res = await postRaw(server.baseUrl, r.path, FORM, r.body, { 'x-twilio-signature': r.signature });
  assert.equal(res.status, 204);
  const m = await message(sid);
  assert.equal(m.status, 'failed', 'failed outranks delivered');
  assert.equal(m.provider_error_code, '30003');
  assert.equal(m.failure_reason, 'Unreachable destination handset');
});

test("Meta's recorded delivered and 131047-failed statuses (the bridge that follows is covered in test/sending)", async () => {
  const id = 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA';
  await outbound('whatsapp', id);
  assert.equal((await postWhatsApp(server.baseUrl, whatsAppRequests.statusDelivered.body, whatsAppRequests.statusDelivered.signature)).status, 200);
  const delivered = await message(id);
  assert.equal(delivered.status, 'delivered');
  assert.deepEqual(delivered.pricing, {
    pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
    conversation: { id: '7270432eae37498234f4444b35ffc5', origin: { type: 'service' } },
  });
  assert.equal((await postWhatsApp(server.baseUrl, whatsAppRequests.statusFailed131047.body, whatsAppRequests.statusFailed131047.signature)).status, 200);
  const failed = await message(id);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.provider_error_code, '131047');
  assert.ok(failed.failure_reason, 'the failure carries a reason for staff');
});

test("Meta's pricing category becomes the message's cost from the price table: a billable marketing template costs its category, a free service message nothing", async () => {
  const marketing = `wamid.price${Date.now()}m`;
  const service = `wamid.price${Date.now()}s`;
  await outbound('whatsapp', marketing);
  await outbound('whatsapp', service);
  assert.equal((await waStatus(marketing, 'sent', { pricing: { billable: true, pricing_model: 'PMP', category: 'marketing', type: 'regular' } })).status, 200);
  assert.equal((await waStatus(service, 'delivered', { pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' } })).status, 200);
  const m = await message(marketing);
  assert.equal(Number(m.cost), 0.0529);
  assert.equal(m.cost_currency, 'GBP');
  const s = await message(service);
  assert.equal(Number(s.cost), 0);
  assert.equal(s.cost_currency, 'GBP');
  await waStatus(marketing, 'delivered', { pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' } });
  assert.equal(Number((await message(marketing)).cost), 0.0529, 'the first priced callback sets the cost once');
});

test('late callbacks never move a status backwards (Twilio: read, then delivered, then sent)', async () => {
  const sid = newSid();
  await outbound('twilio', sid, 'pending');
  for (const s of ['read', 'delivered', 'sent', 'queued']) assert.equal((await twilioStatus(sid, s)).status, 204);
  assert.equal((await message(sid)).status, 'read');
});

test('WhatsApp read arriving alone (delivered skipped) and then a late sent', async () => {
  const id = `wamid.skip${Date.now()}`;
  await outbound('whatsapp', id);
  await waStatus(id, 'read');
  await waStatus(id, 'sent');
  assert.equal((await message(id)).status, 'read');
});

test('failed is terminal: a delivered callback after failure does not revive the message', async () => {
  const sid = newSid();
  await outbound('twilio', sid);
  await twilioStatus(sid, 'failed', { ErrorCode: '30007' });
  await twilioStatus(sid, 'delivered');
  const m = await message(sid);
  assert.equal(m.status, 'failed');
  assert.equal(m.failure_reason, 'Message filtered by the carrier');
});

test('every arrival order of sent/delivered/read, sent concurrently, ends at read', async () => {
  const ids = Array.from({ length: 6 }, (_, i) => `wamid.race${Date.now()}x${i}`);
  for (const id of ids) await outbound('whatsapp', id);
  const orders = [['sent', 'delivered', 'read'], ['sent', 'read', 'delivered'], ['delivered', 'sent', 'read'], ['delivered', 'read', 'sent'], ['read', 'sent', 'delivered'], ['read', 'delivered', 'sent']];
  await Promise.all(ids.map((id, i) => Promise.all(orders[i]!.map((s) => waStatus(id, s)))));
  for (const id of ids) assert.equal((await message(id)).status, 'read', id);
});

test('a duplicated callback is recorded once', async () => {
  const sid = newSid();
  await outbound('twilio', sid);
  await Promise.all(Array.from({ length: 10 }, () => twilioStatus(sid, 'delivered')));
  const events = await server.db.selectFrom('message_status_events').selectAll().where('provider_message_id', '=', sid).execute();
  assert.equal(events.length, 1);
  assert.equal((await message(sid)).status, 'delivered');
});

test('a price in the callback is recorded as the cost, in its currency', async () => {
  const sid = newSid();
  await outbound('twilio', sid);
  await twilioStatus(sid, 'delivered', { Price: '-0.04000', PriceUnit: 'GBP' });
  const m = await message(sid);
  assert.equal(Number(m.cost), 0.04);
  assert.equal(m.cost_currency, 'GBP');
});

test('a callback for a message not stored yet is kept, and acknowledged', async () => {
  const sid = newSid();
  assert.equal((await twilioStatus(sid, 'delivered')).status, 204);
  const events = await server.db.selectFrom('message_status_events').select('status').where('provider_message_id', '=', sid).execute();
  assert.deepEqual(events, [{ status: 'delivered' }]);
});

test('a status callback signed with the wrong token, or missing its status, stores nothing', async () => {
  const sid = newSid();
  await outbound('twilio', sid);
  const forged = await postTwilio(server.baseUrl, '/twilio/status', { MessageSid: sid, MessageStatus: 'delivered', From: org.twilioNumber, To: '+447700900123' }, 'not-the-token');
  assert.equal(forged.status, 403);
  const noStatus = await postTwilio(server.baseUrl, '/twilio/status', { MessageSid: sid, From: org.twilioNumber, To: '+447700900123' }, TWILIO_AUTH_TOKEN);
  assert.equal(noStatus.status, 400);
  assert.equal((await message(sid)).status, 'sent');
  assert.equal((await server.db.selectFrom('message_status_events').select('id').where('provider_message_id', '=', sid).execute()).length, 0);
});

test('a callback arriving while the worker stores that provider id waits for it, and is applied, not lost', async () => {
  const sid = newSid();
  const customer = await createCustomer(server.db, org.id);
  const outbound = await createOutboundMessage(server.db, org.id, { customerId: customer.id, provider: 'twilio', providerMessageId: sid, status: 'pending' });
  await server.db.updateTable('messages').set({ provider_message_id: null, provider: null }).where('id', '=', outbound.id).execute();
  let callbackFinished = false;
  const { callback, finishedWhileWorkerHeldIt } = await server.db.transaction().execute(async (trx) => {
    // What the worker's recordAccepted does: take the lock, read early callbacks (none yet), store the id.
    await enterTenant(trx, org.id);
    await lockProviderMessage(trx, org.id, 'twilio', sid);
    const early = await trx.selectFrom('message_status_events').select('id').where('provider_message_id', '=', sid).execute();
    assert.equal(early.length, 0);
    const pending = twilioStatus(sid, 'delivered').then((r) => { callbackFinished = true; return r; });
    await new Promise((r) => setTimeout(r, 400));
    const finished = callbackFinished;
    await trx.updateTable('messages').set({ provider: 'twilio', provider_message_id: sid, status: 'sent' }).where('id', '=', outbound.id).execute();
    return { callback: pending, finishedWhileWorkerHeldIt: finished };
  });
  assert.equal(finishedWhileWorkerHeldIt, false, 'the callback waited for the worker');
  assert.equal((await callback).status, 204);
  assert.equal((await message(sid)).status, 'delivered');
});
