/**
 * Issue 10 items 5 and 12.
 * - A failed delivery stores our own reason for the provider's code; the
 *   provider's raw text (which quotes the number) and the provider message id
 *   (a wamid embeds the number) reach only principals with
 *   `customers.contact.view`: thread, messages API and `message.status` events.
 * - An API token sends as itself: a `userId` is refused, the thread names the token.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createOutboundMessage, createStaff, type TestOrg } from '../support/fixtures.js';
import { call, signInAs, type Session } from '../auth/support.js';
import { postWhatsApp, whatsAppEnvelope } from '../support/providers.js';
import { openEvents } from '../realtime/sse-client.js';
import { waitForEvents, waitUntilLive } from '../realtime/support.js';
import { createApiToken } from '../../src/api/api-tokens.js';

let server: TestServer;
let org: TestOrg;
let technician: Session;
let advisor: Session;
before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
  technician = await signInAs(server, (await createStaff(server.db, org, 'technician')).email);
  advisor = await signInAs(server, (await createStaff(server.db, org, 'service_advisor')).email);
});
after(() => server.close());

test('a WhatsApp failure quoting the number: technicians get our reason and no raw text or wamid, anywhere; contact viewers get both', async () => {
  const phone = '+447700900214';
  const customer = await createCustomer(server.db, org.id, { name: 'Dana Quote', phone });
  const wamid = `wamid.HBgMNDQ3NzAwOTAwMjE0FQIAERgS${Date.now()}`;
  const sent = await createOutboundMessage(server.db, org.id, { customerId: customer.id, provider: 'whatsapp', providerMessageId: wamid });
  const streams = await Promise.all([technician, advisor].map((s) => openEvents(server.baseUrl, { cookie: s.cookie })));
  await Promise.all(streams.map(waitUntilLive));

  const raw = `Message failed to send because the number ${phone.slice(1)} is not on WhatsApp`;
  const res = await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, {
    statuses: [{ id: wamid, status: 'failed', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: phone.slice(1), errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: raw } }] }],
  }));
  assert.equal(res.status, 200, res.body);

  const row = await server.db.selectFrom('messages').selectAll().where('id', '=', sent.id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'failed');
  assert.equal(row.provider_error_code, '131026');
  assert.equal(row.failure_reason, 'Message undeliverable (the number may not be on WhatsApp)');
  assert.equal(row.provider_error_text, raw);

  const digits = /7700900214|NDQ3NzAwOTAwMjE0|HBgM/;
  const [techThread, techMessages] = await Promise.all([
    call(server, technician, 'GET', `/v1/conversations/${sent.conversation_id}/thread`),
    call(server, technician, 'GET', `/v1/conversations/${sent.conversation_id}/messages`),
  ]);
  for (const [what, r] of [['thread', techThread], ['messages', techMessages]] as const) {
    assert.equal(r.status, 200, what);
    const m = r.json.messages.find((x: { id: string }) => x.id === sent.id);
    assert.equal(m.failureReason, 'Message undeliverable (the number may not be on WhatsApp)', what);
    assert.equal(m.providerErrorCode, '131026', what);
    assert.equal(m.providerErrorText, null, what);
    assert.equal(m.providerMessageId, null, what);
    assert.doesNotMatch(r.text, digits, `${what}: nothing of the number reaches a technician`);
  }
  const advisorThread = await call(server, advisor, 'GET', `/v1/conversations/${sent.conversation_id}/thread`);
  const seen = advisorThread.json.messages.find((x: { id: string }) => x.id === sent.id);
  assert.equal(seen.providerErrorText, raw);
  assert.equal(seen.providerMessageId, wamid);

  const events = await Promise.all(streams.map(async (s) => (await waitForEvents(s, 'message.status failed', (e) => e.event === 'message.status' && e.data.payload.id === sent.id))[0]!));
  const techEvent = events[0]!;
  const advisorEvent = events[1]!;
  streams.forEach((s) => s.close());
  assert.equal(techEvent.data.payload.failureReason, 'Message undeliverable (the number may not be on WhatsApp)');
  assert.equal(techEvent.data.payload.providerErrorText, null);
  assert.doesNotMatch(JSON.stringify(techEvent.data), digits);
  assert.equal(advisorEvent.data.payload.providerErrorText, raw);
});

test('an API token sends as itself: a userId is refused, and the thread shows the token as the sender', async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Ivy Integration' });
  const { conversation_id: conversationId } = await createOutboundMessage(server.db, org.id, { customerId: customer.id, provider: 'twilio', providerMessageId: `SM${Date.now()}` });
  const token = await createApiToken(server.db, org.id, 'Garage DMS');
  const tokenRow = await server.db.selectFrom('api_tokens').select('id').where('org_id', '=', org.id).where('name', '=', 'Garage DMS').executeTakeFirstOrThrow();
  const staff = await createStaff(server.db, org, 'owner', 'Olive Owner');
  const send = async (body: unknown) => {
    const r = await fetch(`${server.baseUrl}/v1/conversations/${conversationId}/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as any };
  };

  for (const userId of [staff.id, '00000000-0000-4000-8000-000000000000']) {
    const refused = await send({ body: 'Signed, the owner', channel: 'sms', sender: { type: 'staff', userId } });
    assert.equal(refused.status, 422);
    assert.equal(refused.json.error.code, 'sender_not_allowed');
  }
  const ok = await send({ body: 'Your invoice is ready', channel: 'sms' });
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.equal(ok.json.message.senderUserId, null);
  assert.equal(ok.json.message.senderTokenId, tokenRow.id);

  const thread = await call(server, advisor, 'GET', `/v1/conversations/${conversationId}/thread`);
  const entries = thread.json.messages.filter((m: { body: string }) => m.body === 'Your invoice is ready' || m.body === 'Signed, the owner');
  assert.deepEqual(entries.map((m: { senderName: string; body: string }) => [m.body, m.senderName]), [['Your invoice is ready', 'Garage DMS']]);
});
