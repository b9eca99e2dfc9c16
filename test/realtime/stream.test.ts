/**
 * `GET /v1/events` over real HTTP (issue 5 item 7; docs/inbox-api.md,
 * "Real-time"): what reaches a signed-in user's stream, and what must not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createOutboundMessage, createStaff, type TestOrg } from '../support/fixtures.js';
import { postTwilio } from '../support/providers.js';
import { call, signInAs, type Session } from '../auth/support.js';
import { withTenant } from '../../src/db/tenant.js';
import { recordInboxEvent } from '../../src/realtime/record-event.js';
import { openEvents, type EventClient } from './sse-client.js';
import { bodyOf, inboundSms, receivesNothing, waitForEvents, waitUntilLive } from './support.js';

let server: TestServer;
let org: TestOrg;
let other: TestOrg;
const sessions = {} as Record<'owner' | 'manager' | 'service_advisor' | 'technician', Session>;
const clients: EventClient[] = [];

async function open(credentials: Parameters<typeof openEvents>[1]): Promise<EventClient> {
  const client = await openEvents(server.baseUrl, credentials);
  clients.push(client);
  await waitUntilLive(client);
  return client;
}

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
  other = await createOrg(server.db);
  for (const role of ['owner', 'manager', 'service_advisor', 'technician'] as const) {
    sessions[role] = await signInAs(server, (await createStaff(server.db, org, role)).email);
  }
});
after(async () => {
  for (const c of clients) c.close();
  await server.close();
});

test('a signed inbound SMS reaches a connected client of its garage as message.created with the body; another garage hears nothing', async () => {
  const mine = await open({ token: org.apiToken });
  const theirs = await open({ token: other.apiToken });
  const { sid } = await inboundSms(server.baseUrl, org, 'Is my car ready?');
  const [event] = await waitForEvents(mine, 'the new message', (e) => bodyOf(e) === 'Is my car ready?');
  const row = await server.db.selectFrom('messages').select(['id', 'conversation_id']).where('provider_message_id', '=', sid).executeTakeFirstOrThrow();
  assert.equal(event!.data.type, 'message.created');
  assert.equal(event!.data.conversationId, row.conversation_id);
  assert.equal(event!.data.payload.id, row.id);
  assert.equal(event!.data.payload.direction, 'inbound');
  assert.equal(event!.data.payload.channel, 'sms');
  assert.match(event!.id ?? '', /^\d+-\d+$/);
  assert.ok(!Number.isNaN(Date.parse(event!.data.at)));
  await receivesNothing(theirs);
});

test('a delivery status callback reaches the stream as message.status', async () => {
  const client = await open({ token: org.apiToken });
  const customer = await createCustomer(server.db, org.id);
  const sid = 'SM' + 'ab'.repeat(16);
  const message = await createOutboundMessage(server.db, org.id, { customerId: customer.id, provider: 'twilio', providerMessageId: sid, status: 'sent' });
  const res = await postTwilio(server.baseUrl, '/twilio/status', {
    SmsSid: sid, SmsStatus: 'delivered', MessageStatus: 'delivered', To: customer.phone!, MessageSid: sid,
    AccountSid: org.twilioAccountSid, From: org.twilioNumber, ApiVersion: '2010-04-01',
  }, org.twilioAuthToken);
  assert.equal(res.status, 204, res.body);
  const [status] = await waitForEvents(client, 'the status change', (e) => e.event === 'message.status' && e.data.payload.id === message.id);
  assert.equal(status!.data.payload.status, 'delivered');
  assert.equal(status!.data.conversationId, message.conversation_id);
});

test('conversation events written by the application (read, assignment, work order) reach the stream', async () => {
  const client = await open({ cookie: sessions.service_advisor.cookie });
  await inboundSms(server.baseUrl, org, 'Hello');
  const [created] = await waitForEvents(client, 'the new message', (e) => bodyOf(e) === 'Hello');
  const conversationId = created!.data.conversationId!;
  await withTenant(server.db, org.id, async (trx) => {
    await recordInboxEvent(trx, org.id, 'conversation.read', conversationId, { markedRead: 1 });
    await recordInboxEvent(trx, org.id, 'conversation.assigned', conversationId, { assigneeId: null });
  });
  const events = await waitForEvents(client, 'the conversation events', (e) => e.data.conversationId === conversationId && e.event.startsWith('conversation.'), 2);
  assert.deepEqual(events.map((e) => e.event), ['conversation.read', 'conversation.assigned']);
  assert.deepEqual(events[0]!.data.payload, { markedRead: 1 });
});

test('approval events reach approvers only; advisors and technicians never see them', async () => {
  const streams = {
    owner: await open({ cookie: sessions.owner.cookie }),
    manager: await open({ cookie: sessions.manager.cookie }),
    advisor: await open({ cookie: sessions.service_advisor.cookie }),
    technician: await open({ cookie: sessions.technician.cookie }),
  };
  await inboundSms(server.baseUrl, org, 'Can you call me?');
  const [created] = await waitForEvents(streams.technician, 'the new message', (e) => bodyOf(e) === 'Can you call me?');
  const draft = await call(server, sessions.technician, 'POST', `/v1/conversations/${created!.data.conversationId}/messages`, { body: 'We will call at 3pm' });
  assert.equal(draft.status, 201, draft.text);
  assert.equal(draft.json.message.status, 'pending_approval');
  const rejected = await call(server, sessions.manager, 'POST', `/v1/approvals/${draft.json.message.id}/reject`, { reason: 'Say 4pm' });
  assert.equal(rejected.status, 200, rejected.text);

  const isDraft = (e: { data: { payload: Record<string, any> } }) => e.data.payload.id === draft.json.message.id;
  for (const approver of [streams.owner, streams.manager]) {
    const events = await waitForEvents(approver, 'both approval events', (e) => isDraft(e) && e.event.startsWith('approval.'), 2);
    assert.deepEqual(events.map((e) => e.event), ['approval.requested', 'approval.decided']);
    assert.equal(events[1]!.data.payload.status, 'rejected');
  }
  for (const bystander of [streams.advisor, streams.technician]) {
    await waitForEvents(bystander, 'the draft and its rejection as messages', (e) => isDraft(e) && e.event.startsWith('message.'), 2);
    assert.deepEqual(bystander.events.filter((e) => e.event.startsWith('approval.')), []);
  }
});

test('contact details in a payload are withheld from technicians and shown to advisors', async () => {
  const technician = await open({ cookie: sessions.technician.cookie });
  const advisor = await open({ cookie: sessions.service_advisor.cookie });
  await inboundSms(server.baseUrl, org, 'Contact test');
  const [created] = await waitForEvents(advisor, 'the new message', (e) => bodyOf(e) === 'Contact test');
  await withTenant(server.db, org.id, (trx) => recordInboxEvent(trx, org.id, 'conversation.assigned', created!.data.conversationId!, {
    assignee: { id: null, name: 'Sam' }, customer: { name: 'Priya', phone: '+447700900123', email: 'priya@example.com' },
  }));
  const [seenByAdvisor] = await waitForEvents(advisor, 'the assignment', (e) => e.event === 'conversation.assigned' && e.data.payload.customer?.name === 'Priya');
  const [seenByTechnician] = await waitForEvents(technician, 'the assignment', (e) => e.event === 'conversation.assigned' && e.data.payload.customer?.name === 'Priya');
  assert.deepEqual(seenByAdvisor!.data.payload.customer, { name: 'Priya', phone: '+447700900123', email: 'priya@example.com' });
  assert.deepEqual(seenByTechnician!.data.payload.customer, { name: 'Priya', phone: null, email: null });
  assert.deepEqual(seenByTechnician!.data.payload.assignee, { id: null, name: 'Sam' });
});

test('the stream refuses strangers, a malformed Last-Event-ID and clients that do not accept an event stream', async () => {
  const get = async (path: string, headers: Record<string, string>) => {
    const res = await fetch(server.baseUrl + path, { headers: { accept: 'text/event-stream', ...headers } });
    return { status: res.status, json: (await res.json()) as { error: { code: string; message: string } } };
  };
  assert.equal((await get('/v1/events', {})).status, 401);
  const malformed = await get('/v1/events', { authorization: `Bearer ${org.apiToken}`, 'last-event-id': 'yesterday' });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.json.error.code, 'validation_failed');
  assert.equal((await get('/v1/events?lastEventId=12', { authorization: `Bearer ${org.apiToken}` })).status, 400);
  const json = await call(server, sessions.owner, 'GET', '/v1/events');
  assert.equal(json.status, 400);
  assert.match(json.json.error.message, /text\/event-stream/);
});

test('the stream answers with event-stream headers and tells the client its position', async () => {
  const client = await open({ token: org.apiToken });
  assert.match(String(client.headers['content-type']), /^text\/event-stream/);
  assert.equal(client.headers['cache-control'], 'no-cache');
  assert.equal(client.headers['x-accel-buffering'], 'no');
  assert.match(client.raw(), /^retry: \d+\n\nid: \d+-\d+\n\n/);
  assert.deepEqual(client.events, [], 'the position is not an event');
});
