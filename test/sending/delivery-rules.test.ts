/**
 * Rules applied at delivery time, with the worker driven directly so the
 * order of events is exact: consent is checked again before the provider
 * call, and Meta's 131047 bridges staff and AI messages but not system ones.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { deliverMessage } from '../../src/sending/deliver-message.job.js';
import { bridgeAfterMetaClosedWindow } from '../../src/sending/window-closed-by-meta.js';
import { customerWhatsApps, messagesIn, send } from './compose-support.js';

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
});
after(() => server.close());

const deps = () => ({ db: server.db, queue: server.queue, config: server.config });
const row = (id: string) => server.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('a message queued before the customer texted STOP is not sent: it fails with the rule', async () => {
  const customer = await createCustomer(server.db, org.id);
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: customer.phone!, to: org.twilioNumber, body: 'hi' }), org.twilioAuthToken);
  const conversation = await server.db.selectFrom('conversations').select('id').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  const queued = await send(server, org, conversation.id, { body: 'Your car is ready', channel: 'sms' });
  assert.equal(queued.json.outcome, 'queued');
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: customer.phone!, to: org.twilioNumber, body: 'STOP' }), org.twilioAuthToken);
  await deliverMessage(deps(), { orgId: org.id, messageId: queued.json.message.id }, false);
  const m = await row(queued.json.message.id);
  assert.equal(m.status, 'failed');
  assert.equal(m.failure_reason, 'sms_opted_out');
  assert.equal(m.provider_message_id, null, 'never handed to a provider');
});

test("Meta's 131047 on a staff message bridges; on a system (automated) message it does not", async () => {
  const results: Record<string, { reason: string | null; bridges: number }> = {};
  for (const sender of ['staff', 'system'] as const) {
    const customer = await createCustomer(server.db, org.id);
    const conversationId = await customerWhatsApps(server, org, customer.phone!, 2);
    const sent = await send(server, org, conversationId, { body: 'Update', channel: 'whatsapp', sender: sender === 'staff' ? { type: 'staff', userId: null } : { type: 'system' } });
    assert.equal(sent.json.outcome, 'queued');
    await bridgeAfterMetaClosedWindow(deps(), { orgId: org.id, messageId: sent.json.message.id });
    const thread = await messagesIn(server, conversationId);
    results[sender] = { reason: (await row(sent.json.message.id)).failure_reason, bridges: thread.filter((m) => m.notification_type === 'bridge').length };
    const conversation = await server.db.selectFrom('conversations').select('whatsapp_window_expires_at').where('id', '=', conversationId).executeTakeFirstOrThrow();
    assert.ok(conversation.whatsapp_window_expires_at!.getTime() <= Date.now(), `${sender}: the window is now expired`);
  }
  assert.deepEqual(results, { staff: { reason: 'window_expired_bridge_sent', bridges: 1 }, system: { reason: 'window_closed', bridges: 0 } });
});
