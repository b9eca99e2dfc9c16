/**
 * The thread (issue 5 items 5–6): chronological entries with sender names,
 * voice calls and system entries in line, "load earlier" paging, reply
 * options from the WhatsApp window, marking read (exactly once under
 * concurrency), work-order link/unlink with system entries, work-order
 * search, the pick-a-work-order choices, and the work order's Messages tab.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, createWorkOrder, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { seedConversation } from '../support/inbox.js';
import { call, signInAs } from '../auth/support.js';

let server: TestServer;
let org: TestOrg;
let advisor: { id: string; name: string };
let session: { cookie: string };

before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
  advisor = await createStaff(server.db, org, 'service_advisor', 'Sam Advisor');
  session = await signInAs(server, (advisor as any).email);
});
after(() => server.close());

const api = async (method: string, path: string, body?: unknown, expected = 200) => {
  const r = await call(server, session, method, path, body);
  assert.equal(r.status, expected, r.text);
  return r.json;
};

test('a thread lists entries oldest first with sender names, call cards and earlier pages', async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Priya Shah' });
  const base = Date.now() - 3_600_000;
  const convo = await seedConversation(server.db, org.id, {
    customerId: customer.id,
    entries: [
      ...Array.from({ length: 6 }, (_, i) => ({ direction: (i % 2 ? 'outbound' : 'inbound') as 'inbound' | 'outbound', at: new Date(base + i * 60_000), body: `m${i}` })),
      { direction: 'inbound', channel: 'voice', at: new Date(base + 10 * 60_000), body: '', contentType: 'call', metadata: { call: { durationSeconds: 95, outcome: 'answered', transcriptUrl: 'https://calls.example/t/1', recordingUrl: 'https://calls.example/r/1' } } },
    ],
  });
  const latest = await api('GET', `/v1/conversations/${convo.id}/thread?limit=4`);
  assert.deepEqual(latest.messages.map((m: any) => m.body), ['m3', 'm4', 'm5', '']);
  assert.equal(latest.messages[0].senderName, org.name, 'outbound without a staff sender is the garage');
  assert.equal(latest.messages[1].senderName, 'Priya Shah');
  assert.deepEqual(latest.messages[3].call, { callId: null, state: 'ended', outcome: 'answered', durationSeconds: 95, hasRecording: false, transcriptExcerpt: null, awaitingResolution: false, answeredBy: null });
  assert.equal(latest.conversation.customer.name, 'Priya Shah');
  const earlier = await api('GET', `/v1/conversations/${convo.id}/thread?limit=4&before=${latest.earlierCursor}`);
  assert.deepEqual(earlier.messages.map((m: any) => m.body), ['m0', 'm1', 'm2']);
  assert.equal(earlier.earlierCursor, null);
  assert.equal(latest.conversation.unreadCount, 4, 'reading the thread alone marks nothing read');
});

test('reply options follow the WhatsApp window: free-form while open, templates when expired', async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Open Window' });
  const open = await seedConversation(server.db, org.id, { customerId: customer.id, windowExpiresAt: new Date(Date.now() + 3_600_000), entries: [{ direction: 'inbound', channel: 'whatsapp', at: new Date() }] });
  const t1 = await api('GET', `/v1/conversations/${open.id}/thread`);
  assert.equal(t1.conversation.whatsappWindow.state, 'open');
  assert.equal(t1.reply.whatsappFreeForm, true);
  assert.equal(t1.reply.defaultChannel, 'whatsapp', "the customer's last channel");
  assert.deepEqual(t1.reply.channels, ['whatsapp', 'sms', 'portal']);

  const other = await createCustomer(server.db, org.id, { name: 'Expired Window' });
  const expired = await seedConversation(server.db, org.id, { customerId: other.id, windowExpiresAt: new Date(Date.now() - 3_600_000), entries: [{ direction: 'inbound', channel: 'whatsapp', at: new Date(Date.now() - 90_000_000) }] });
  await server.db.insertInto('message_templates').values({ org_id: org.id, name: 'vehicle_ready', language: 'en_GB', category: 'UTILITY', body: 'Hi {{customer_name}}, your {{vehicle}} is ready.', placeholders: ['customer_name', 'vehicle'], status: 'approved' }).execute();
  const t2 = await api('GET', `/v1/conversations/${expired.id}/thread`);
  assert.equal(t2.conversation.whatsappWindow.state, 'expired');
  assert.equal(t2.reply.whatsappFreeForm, false);
  assert.deepEqual(t2.reply.templates.map((t: any) => [t.name, t.placeholders]), [['vehicle_ready', ['customer_name', 'vehicle']]]);

  const voice = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', channel: 'voice', at: new Date(), contentType: 'call', body: '', metadata: { call: { durationSeconds: 0, outcome: 'missed' } } }] });
  const t3 = await api('GET', `/v1/conversations/${voice.id}/thread`);
  assert.equal(t3.reply.defaultChannel, 'sms', 'a voice-only thread offers Reply by SMS');
  assert.deepEqual(t3.reply.channels, ['whatsapp', 'sms'], 'an unknown caller has no portal');
});

test('opening marks every unread message read exactly once, even when ten staff open it at once', async () => {
  const convo = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: Array.from({ length: 7 }, (_, i) => ({ direction: 'inbound' as const, at: new Date(Date.now() - (10 - i) * 1000) })) });
  const results = await Promise.all(Array.from({ length: 10 }, () => call(server, session, 'POST', `/v1/conversations/${convo.id}/read`, {})));
  assert.ok(results.every((r) => r.status === 200), results.map((r) => r.text).join());
  assert.equal(results.reduce((n, r) => n + r.json.markedRead, 0), 7);
  const thread = await api('GET', `/v1/conversations/${convo.id}/thread`);
  assert.equal(thread.conversation.unreadCount, 0);
  assert.ok(thread.messages.every((m: any) => m.readAt));
  const events = await server.db.selectFrom('inbox_events').select('payload').where('conversation_id', '=', convo.id).where('type', '=', 'conversation.read').execute();
  assert.equal(events.length, 1, 'one read event');
  assert.equal(events[0]!.payload.markedRead, 7);
  assert.equal((await call(server, session, 'POST', `/v1/conversations/${crypto.randomUUID()}/read`, {})).status, 404);
});

test('linking and unlinking a work order adds system entries; the Messages tab reads the same conversation', async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Tom Baker' });
  const [wo1, wo2] = [await createWorkOrder(server.db, org.id, customer.id), await createWorkOrder(server.db, org.id, customer.id)];
  const convo = await seedConversation(server.db, org.id, { customerId: customer.id, needsWorkOrderPick: true, entries: [{ direction: 'inbound', at: new Date(Date.now() - 5000) }] });
  const before = await api('GET', `/v1/conversations/${convo.id}`);
  assert.equal(before.needsWorkOrderPick, true);
  assert.deepEqual(new Set(before.activeWorkOrders.map((w: any) => w.number)), new Set([wo1.number, wo2.number]), 'pick-a-work-order lists the active ones');

  const linked = await api('PUT', `/v1/conversations/${convo.id}/work-order`, { workOrderId: wo1.id });
  assert.equal(linked.changed, true);
  assert.equal((await api('PUT', `/v1/conversations/${convo.id}/work-order`, { workOrderId: wo1.id })).changed, false, 'linking again changes nothing');
  let thread = await api('GET', `/v1/conversations/${convo.id}/thread`);
  assert.equal(thread.conversation.workOrder.number, wo1.number);
  assert.equal(thread.conversation.needsWorkOrderPick, false);
  const system = thread.messages.filter((m: any) => m.direction === 'internal');
  assert.equal(system.length, 1);
  assert.equal(system[0].contentType, 'system');
  assert.match(system[0].body, new RegExp(`Linked to work order ${wo1.number}`));
  assert.equal(system[0].senderName, 'Sam Advisor');

  assert.deepEqual(await api('GET', `/v1/work-orders/${wo1.id}/conversation`), { conversationId: convo.id });
  assert.deepEqual(await api('GET', `/v1/work-orders/${wo2.id}/conversation`), { conversationId: convo.id }, "the customer's conversation");

  assert.equal((await api('DELETE', `/v1/conversations/${convo.id}/work-order`, {})).changed, true);
  thread = await api('GET', `/v1/conversations/${convo.id}/thread`);
  assert.equal(thread.conversation.workOrder, null);
  assert.match(thread.messages.at(-1).body, new RegExp(`Unlinked from work order ${wo1.number}`));
  assert.equal((await api('DELETE', `/v1/conversations/${convo.id}/work-order`, {})).changed, false);

  const row = (await api('GET', '/v1/conversations')).conversations.find((c: any) => c.id === convo.id);
  assert.equal(row.preview.direction, 'inbound', 'system entries do not replace the preview');
  const audit = await server.db.selectFrom('staff_audit_log').select('action').where('target_id', '=', convo.id).orderBy('id').execute();
  assert.deepEqual(audit.map((a) => a.action), ['conversation.work_order_linked', 'conversation.work_order_unlinked']);
  const other = await createOrg(server.db);
  const foreign = await createWorkOrder(server.db, other.id, (await createCustomer(server.db, other.id)).id);
  assert.equal((await call(server, session, 'PUT', `/v1/conversations/${convo.id}/work-order`, { workOrderId: foreign.id })).status, 400);
});

test('work orders are found by number, customer name or registration', async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Harriet Jones' });
  const vehicle = await server.db.insertInto('vehicles').values({ org_id: org.id, customer_id: customer.id, registration: 'AB12 CDE', make: 'Ford', model: 'Focus' }).returning('id').executeTakeFirstOrThrow();
  const wo = await server.db.insertInto('work_orders').values({ org_id: org.id, customer_id: customer.id, vehicle_id: vehicle.id, number: 'WO-77123', title: 'MOT', status: 'booked' })
    .returning(['id', 'number']).executeTakeFirstOrThrow();
  for (const q of ['77123', 'harriet', 'ab12cde', 'AB12 CDE']) {
    const found = await api('GET', `/v1/work-orders?q=${encodeURIComponent(q)}`);
    assert.ok(found.workOrders.some((w: any) => w.id === wo.id), q);
    assert.equal(found.workOrders.find((w: any) => w.id === wo.id).registration, 'AB12 CDE');
  }
  assert.deepEqual((await api('GET', '/v1/work-orders?q=zzzz-nothing')).workOrders, []);
});

test('quick messages come from the organisation, in order', async () => {
  await server.db.insertInto('quick_messages').values([
    { org_id: org.id, title: 'Ready', body: 'Your car is ready for collection.', position: 2 },
    { org_id: org.id, title: 'Parts', body: 'We are waiting for parts.', position: 1 },
  ]).execute();
  const json = await api('GET', '/v1/quick-messages');
  assert.deepEqual(json.quickMessages.map((q: any) => q.title), ['Parts', 'Ready']);
});
