/**
 * The WhatsApp 24-hour window and the bridge SMS at send time
 * (spec: whatsapp-24-hour-window.txt, portal-messaging-fallback.txt).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, PUBLIC_BASE_URL, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { postTwilio, newSid, smsParams } from '../support/providers.js';
import { smsSegments } from '../../src/domain/sms-segments.js';
import { customerWhatsApps, messageCount, messagesIn, send } from './compose-support.js';
import { hashLinkCode } from '../../src/sending/portal-links.js';

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db, { name: 'Acme Motors' });
});
after(() => server.close());

async function expiredConversation(): Promise<{ id: string; phone: string }> {
  const customer = await createCustomer(server.db, org.id);
  return { id: await customerWhatsApps(server, org, customer.phone!, 30), phone: customer.phone! };
}

test('inside the window a free-form WhatsApp reply is queued for delivery', async () => {
  const customer = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, customer.phone!, 2);
  const r = await send(server, org, id, { body: 'Your car is ready' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.outcome, 'queued');
  assert.equal(r.json.message.channel, 'whatsapp', 'defaults to the channel the customer last used');
  assert.equal(r.json.message.status, 'pending');
  assert.equal(r.json.bridge, null);
});

test('a staff free-form message into an expired window fails with window_expired_bridge_sent and one bridge SMS goes instead', async () => {
  const c = await expiredConversation();
  const r = await send(server, org, c.id, { body: 'Your car is ready', channel: 'whatsapp' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.outcome, 'bridged');
  assert.equal(r.json.message.status, 'failed');
  assert.equal(r.json.message.failureReason, 'window_expired_bridge_sent');
  const bridge = r.json.bridge;
  assert.equal(bridge.channel, 'sms');
  assert.equal(bridge.notificationType, 'bridge');
  assert.equal(bridge.aiGenerated, false);
  assert.equal(bridge.senderUserId, null);
  assert.equal(bridge.status, 'pending');
  assert.match(bridge.body, /^Acme Motors: Update for you\. WhatsApp: wa\.me\/447700900100 Portal: example\.com\/l\/[A-Za-z0-9]{16}$/);
  assert.deepEqual({ ...smsSegments(bridge.body), characters: 0, units: 0 }, { encoding: 'GSM-7', segments: 1, characters: 0, units: 0 });
  const code = bridge.body.slice(-16);
  const link = await server.db.selectFrom('portal_links').selectAll().where('code_hash', '=', hashLinkCode(code)).executeTakeFirstOrThrow();
  assert.equal(link.conversation_id, c.id);
  const days = (link.expires_at.getTime() - link.created_at.getTime()) / 86_400_000;
  assert.ok(Math.abs(days - 7) < 0.01, `magic link lasts 7 days, got ${days}`);
  const thread = await messagesIn(server, c.id);
  assert.ok(thread.some((m) => m.id === bridge.id && m.conversation_id === c.id), 'the bridge SMS is in the same conversation');
  assert.ok(PUBLIC_BASE_URL.endsWith('example.com'));
});

test('later attempts inside 24 hours are recorded and route silently; after 24 hours a new bridge is allowed', async () => {
  const c = await expiredConversation();
  assert.equal((await send(server, org, c.id, { body: 'one', channel: 'whatsapp' })).json.outcome, 'bridged');
  const second = await send(server, org, c.id, { body: 'two', channel: 'whatsapp' });
  assert.equal(second.status, 201);
  assert.equal(second.json.outcome, 'failed');
  assert.equal(second.json.message.failureReason, 'window_expired_bridge_recently_sent');
  assert.equal(second.json.bridge, null);
  await sql`UPDATE conversations SET last_bridge_sent_at = last_bridge_sent_at - interval '24 hours 1 second' WHERE id = ${c.id}`.execute(server.db);
  assert.equal((await send(server, org, c.id, { body: 'three', channel: 'whatsapp' })).json.outcome, 'bridged');
  const bridges = (await messagesIn(server, c.id)).filter((m) => m.notification_type === 'bridge');
  assert.equal(bridges.length, 2);
});

test('20 concurrent sends into one expired window produce exactly one bridge SMS', async () => {
  const c = await expiredConversation();
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(server, org, c.id, { body: `attempt ${i}`, channel: 'whatsapp', sender: i % 2 ? { type: 'ai' } : { type: 'staff', userId: null } })));
  assert.ok(results.every((r) => r.status === 201), results.map((r) => r.status).join(','));
  assert.equal(results.filter((r) => r.json.outcome === 'bridged').length, 1);
  assert.equal(results.filter((r) => r.json.message.failureReason === 'window_expired_bridge_recently_sent').length, 19);
  const thread = await messagesIn(server, c.id);
  assert.equal(thread.filter((m) => m.notification_type === 'bridge').length, 1);
  assert.equal(thread.filter((m) => m.direction === 'outbound' && m.channel === 'whatsapp').length, 20, 'every attempt is recorded');
});

test('the AI bridges too, even when the organisation has AI disabled', async () => {
  const orgRow = await server.db.selectFrom('organisations').select('ai_enabled').where('id', '=', org.id).executeTakeFirstOrThrow();
  assert.equal(orgRow.ai_enabled, false);
  const c = await expiredConversation();
  const r = await send(server, org, c.id, { body: 'AI reply', channel: 'whatsapp', sender: { type: 'ai' } });
  assert.equal(r.json.outcome, 'bridged');
  assert.equal(r.json.message.aiGenerated, true);
  assert.equal(r.json.bridge.aiGenerated, false);
});

test('an AI in credit exhaustion sends nothing at all into a closed window, but replies normally inside one', async () => {
  const exhausted = await createOrg(server.db);
  await server.db.updateTable('organisations').set({ ai_credit_exhausted: true }).where('id', '=', exhausted.id).execute();
  const customer = await createCustomer(server.db, exhausted.id);
  const closed = await customerWhatsApps(server, exhausted, customer.phone!, 30);
  const before = await messageCount(server);
  const r = await send(server, exhausted, closed, { body: 'AI reply', channel: 'whatsapp', sender: { type: 'ai' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { outcome: 'suppressed', reason: 'ai_credit_exhausted_window_closed' });
  assert.equal(await messageCount(server), before, 'no canned reply, no bridge');
  const staff = await send(server, exhausted, closed, { body: 'Staff reply', channel: 'whatsapp' });
  assert.equal(staff.json.outcome, 'bridged', 'staff still bridge');
  const other = await createCustomer(server.db, exhausted.id);
  const open = await customerWhatsApps(server, exhausted, other.phone!, 1);
  assert.equal((await send(server, exhausted, open, { body: 'AI reply', sender: { type: 'ai' } })).json.outcome, 'queued');
});

test('an automated (system) free-form message into a closed window is refused: templates only', async () => {
  const c = await expiredConversation();
  const before = await messageCount(server);
  const r = await send(server, org, c.id, { body: 'Reminder', channel: 'whatsapp', sender: { type: 'system' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'window_closed');
  assert.equal(await messageCount(server), before);
});

test('no bridge when the customer opted out of SMS: the message fails with that reason', async () => {
  const c = await expiredConversation();
  const stop = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: c.phone, to: org.twilioNumber, body: 'STOP' }), org.twilioAuthToken);
  assert.equal(stop.status, 200);
  const r = await send(server, org, c.id, { body: 'Hello', channel: 'whatsapp' });
  assert.equal(r.json.outcome, 'failed');
  assert.equal(r.json.message.failureReason, 'window_expired_sms_opted_out');
  assert.equal((await messagesIn(server, c.id)).filter((m) => m.notification_type === 'bridge').length, 0);
});

test('no bridge when the organisation has no SMS number: the message fails with that reason', async () => {
  const noSms = await createOrg(server.db, { sms: false });
  const customer = await createCustomer(server.db, noSms.id);
  const id = await customerWhatsApps(server, noSms, customer.phone!, 30);
  const r = await send(server, noSms, id, { body: 'Hello', channel: 'whatsapp' });
  assert.equal(r.json.outcome, 'failed');
  assert.equal(r.json.message.failureReason, 'window_expired_no_sms_number');
});

test('a template can be sent into an expired window and does not reopen it', async () => {
  await server.db.insertInto('message_templates').values({ org_id: org.id, name: 'vehicle_ready', language: 'en_GB', category: 'UTILITY', body: 'Hi {customer_name}, your {vehicle} is ready.', placeholders: ['customer_name', 'vehicle'], status: 'approved', provider_template_id: null, rejection_reason: null }).execute();
  const c = await expiredConversation();
  const before = await server.db.selectFrom('conversations').select('whatsapp_window_expires_at').where('id', '=', c.id).executeTakeFirstOrThrow();
  const r = await send(server, org, c.id, { channel: 'whatsapp', template: { name: 'vehicle_ready', params: { customer_name: 'Sam', vehicle: 'Ford Fiesta' } } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.outcome, 'queued');
  assert.equal(r.json.message.body, 'Hi Sam, your Ford Fiesta is ready.');
  const afterRow = await server.db.selectFrom('conversations').select('whatsapp_window_expires_at').where('id', '=', c.id).executeTakeFirstOrThrow();
  assert.deepEqual(afterRow.whatsapp_window_expires_at, before.whatsapp_window_expires_at);
});

test('template placeholders must all be filled, with nothing extra; only approved templates are sendable', async () => {
  await server.db.insertInto('message_templates').values({ org_id: org.id, name: 'awaiting_review', language: 'en_GB', category: 'UTILITY', body: 'Hi {customer_name}', placeholders: ['customer_name'], status: 'pending', provider_template_id: null, rejection_reason: null }).execute();
  const c = await expiredConversation();
  const before = await messageCount(server);
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ name: 'vehicle_ready', params: { customer_name: 'Sam' } }, 422, 'template_params_invalid'],
    [{ name: 'vehicle_ready', params: { customer_name: 'Sam', vehicle: 'Golf', price: '£90' } }, 422, 'template_params_invalid'],
    [{ name: 'vehicle_ready', params: { customer_name: 'Sam', vehicle: '  ' } }, 422, 'template_params_invalid'],
    [{ name: 'awaiting_review', params: { customer_name: 'Sam' } }, 422, 'template_not_approved'],
    [{ name: 'no_such_template', params: {} }, 422, 'template_not_found'],
  ];
  for (const [template, status, code] of cases) {
    const r = await send(server, org, c.id, { channel: 'whatsapp', template });
    assert.equal(r.status, status, JSON.stringify(template));
    assert.equal(r.json.error.code, code, JSON.stringify(template));
  }
  const missing = await send(server, org, c.id, { channel: 'whatsapp', template: { name: 'vehicle_ready', params: { customer_name: 'Sam' } } });
  assert.match(missing.json.error.message, /missing \{vehicle\}/);
  assert.equal(await messageCount(server), before, 'nothing stored');
});

test('bad requests are 4xx with a code and store nothing', async () => {
  const c = await expiredConversation();
  const before = await messageCount(server);
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    [c.id, {}, 400, 'validation_failed'],
    [c.id, { body: '   ' }, 400, 'validation_failed'],
    [c.id, { body: 'x', template: { name: 'vehicle_ready', params: {} } }, 400, 'validation_failed'],
    [c.id, { body: 'x', channel: 'fax' }, 400, 'validation_failed'],
    [c.id, { body: 'x', channel: 'email' }, 422, 'channel_unavailable'],
    [c.id, { body: 'x'.repeat(4097) }, 400, 'validation_failed'],
    ['00000000-0000-4000-8000-000000000000', { body: 'x' }, 404, 'not_found'],
  ];
  for (const [id, body, status, code] of cases) {
    const r = await send(server, org, id, body);
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(r.json.error.code, code, JSON.stringify(body));
  }
  const other = await createOrg(server.db);
  const theirs = await send(server, other, c.id, { body: 'x' });
  assert.equal(theirs.status, 404, "another organisation's conversation does not exist for this token");
  assert.equal(await messageCount(server), before);
});
