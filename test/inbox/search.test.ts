/**
 * Inbox search (issue 5 item 4) through real data on the engine under test:
 * phone numbers in any common format, typo-tolerant names, message keywords
 * across all time, highlights, one ranked hit per conversation, redaction of
 * numbers for callers who may not see them, and tenant isolation.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { withTenant } from '../../src/db/tenant.js';
import { searchConversations, type SearchHit } from '../../src/inbox/search.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, type TestOrg } from '../support/fixtures.js';
import { call, signInAs } from '../auth/support.js';
import { daysAgo, seedConversation } from '../support/inbox.js';

let server: TestServer;
let org: TestOrg;
let other: TestOrg;
const convo: Record<string, string> = {};
let brakeMessageId: string;
let noteId: string;
let otherConvo: string;

before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
  other = await createOrg(server.db);
  const customer = async (key: string, name: string, phone: string, entries: Parameters<typeof seedConversation>[2]['entries']) => {
    const c = await createCustomer(server.db, org.id, { name, phone });
    const seeded = await seedConversation(server.db, org.id, { customerId: c.id, entries });
    convo[key] = seeded.id;
    return seeded;
  };
  await customer('jon', 'Jon Smith', '+447700900123', [{ direction: 'inbound', at: daysAgo(0), body: 'Smith here, is my car ready?' }]);
  await customer('smithers', 'Jon Smithers', '+4477009001239', [{ direction: 'inbound', at: daysAgo(1), body: 'Hello' }]);
  const priya = await customer('priya', 'Priya Patel', '+447700900456', [
    { direction: 'inbound', at: daysAgo(400), body: 'The brake pads squeak when it is cold' },
    { direction: 'outbound', at: daysAgo(399), body: 'Bring it in on Monday' },
  ]);
  brakeMessageId = priya.messageIds[0]!;
  const note = await server.db.insertInto('messages').values({
    org_id: org.id, conversation_id: convo.priya!, direction: 'internal', channel: 'internal', content_type: 'note',
    body: 'Customer prefers a courtesy vehicle', media: '[]', metadata: '{}', status: null, failure_reason: null,
    provider_error_code: null, provider: null, provider_message_id: null, cost: null, cost_currency: null,
    sender_user_id: null, notification_type: null, occurred_at: daysAgo(398),
  }).returning('id').executeTakeFirstOrThrow();
  noteId = note.id;
  convo.sam = (await seedConversation(server.db, org.id, {
    contactPhone: '+447700900789', contactName: 'Sam Driver', entries: [{ direction: 'inbound', at: daysAgo(3), body: 'Are you open Saturday?' }],
  })).id;
  const twin = await createCustomer(server.db, other.id, { name: 'Jon Smith', phone: '+447700900123' });
  otherConvo = (await seedConversation(server.db, other.id, {
    customerId: twin.id, entries: [{ direction: 'inbound', at: daysAgo(2), body: 'My brake pads are grinding, courtesy vehicle please' }],
  })).id;
});
after(() => server.close());

const search = (q: string, opts: { orgId?: string; limit?: number; contactVisible?: boolean } = {}) =>
  withTenant(server.db, opts.orgId ?? org.id, (trx) => searchConversations(trx, opts.orgId ?? org.id, q, opts.limit ?? 20, opts.contactVisible ?? true));
const ids = (hits: SearchHit[]) => hits.map((h) => h.conversationId);
const marked = (hit: SearchHit) => hit.match.highlight.filter((s) => s.match).map((s) => s.text);
const text = (hit: SearchHit) => hit.match.highlight.map((s) => s.text).join('');

test('a complete phone number typed in any common format finds its customer, the whole number highlighted', async () => {
  for (const typed of ['07700 900123', '+44 7700 900123', '0044 7700 900123', '(07700) 900-123', '+447700900123', '07700900123']) {
    const hits = await search(typed);
    assert.equal(hits[0]?.conversationId, convo.jon, typed);
    assert.deepEqual(hits[0]!.match, { kind: 'phone', messageId: null, highlight: [{ text: '+447700900123', match: true }] }, typed);
    assert.equal(hits[0]!.rank, 1, typed);
  }
});

test('an exact number ranks above a longer number that starts with it', async () => {
  const hits = await search('07700 900123');
  assert.deepEqual(ids(hits), [convo.jon, convo.smithers]);
  assert.ok(hits[0]!.rank > hits[1]!.rank);
  assert.deepEqual(hits[1]!.match.highlight, [{ text: '+447700900123', match: true }, { text: '9', match: false }]);
});

test('part of a number finds every number containing it, the matched digits highlighted', async () => {
  const run = await search('900456');
  assert.deepEqual(ids(run), [convo.priya]);
  assert.deepEqual(run[0]!.match.highlight, [{ text: '+447700', match: false }, { text: '900456', match: true }]);
  assert.ok(run[0]!.rank < 1);
  const start = await search('07700 900');
  assert.deepEqual(new Set(ids(start)), new Set([convo.jon, convo.smithers, convo.priya, convo.sam]), 'customers and unknown senders alike');
  assert.deepEqual(marked(start[0]!), ['+447700900']);
});

test('a caller who may not see numbers is never matched against them: digits find no row a contact viewer finds by phone (issue 10 item 4)', async () => {
  for (const typed of ['07700 900123', '+447700900123', '900789', '900456', '07700 900']) {
    const byPhone = new Set(ids((await search(typed)).filter((h) => h.match.kind === 'phone')));
    const technician = await search(typed, { contactVisible: false });
    for (const hit of technician) {
      assert.notEqual(hit.match.kind, 'phone', typed);
      assert.ok(!byPhone.has(hit.conversationId) || hit.match.kind === 'message', `${typed}: ${hit.conversationId} appears only through its message text`);
    }
    assert.ok(byPhone.size > 0, `${typed} matches by phone for a contact viewer`);
  }
});

test('a name with a typo finds the customer, the matching words highlighted', async () => {
  const hits = await search('Jon Smth');
  assert.equal(hits[0]?.conversationId, convo.jon);
  assert.deepEqual(hits[0]!.match, {
    kind: 'name', messageId: null,
    highlight: [{ text: 'Jon', match: true }, { text: ' ', match: false }, { text: 'Smith', match: true }],
  });
  const contact = await search('sam drivr');
  assert.equal(contact[0]?.conversationId, convo.sam, 'an unknown sender is found by the name they gave');
});

test('the exact name ranks above weaker name matches, and one hit per conversation is its best', async () => {
  const hits = await search('Jon Smith');
  assert.deepEqual(ids(hits).slice(0, 2), [convo.jon, convo.smithers]);
  assert.equal(hits[0]!.rank, 1);
  assert.ok(hits[1]!.rank < 1);
  const smith = await search('Smith');
  assert.equal(smith.filter((h) => h.conversationId === convo.jon).length, 1, 'name and message both match; one hit');
  assert.equal(smith.find((h) => h.conversationId === convo.jon)!.match.kind, 'name');
});

test('a keyword finds a message in a conversation with no activity for over a year, the words highlighted', async () => {
  const hits = await search('brake pads');
  assert.deepEqual(ids(hits), [convo.priya]);
  assert.deepEqual(hits[0]!.match, {
    kind: 'message', messageId: brakeMessageId,
    highlight: [
      { text: 'The ', match: false }, { text: 'brake', match: true }, { text: ' ', match: false },
      { text: 'pads', match: true }, { text: ' squeak when it is cold', match: false },
    ],
  });
  assert.deepEqual(marked((await search('squeaking'))[0]!), ['squeak'], 'stemmed: squeaking finds squeak');
});

test('internal notes are part of the thread and are searched too', async () => {
  const hits = await search('courtesy');
  assert.deepEqual(ids(hits), [convo.priya]);
  assert.equal(hits[0]!.match.messageId, noteId);
  assert.deepEqual(marked(hits[0]!), ['courtesy']);
});

test('names outrank message mentions', async () => {
  const hits = await search('Smith');
  const jon = hits.findIndex((h) => h.conversationId === convo.jon);
  assert.ok(jon >= 0 && hits.slice(0, jon).every((h) => h.match.kind === 'name'));
  assert.ok(hits.every((h, i) => i === 0 || hits[i - 1]!.rank >= h.rank), 'best first');
});

test('another organisation’s matching customer or message is never returned', async () => {
  for (const q of ['07700 900123', '900123', 'Jon Smith', 'brake pads', 'courtesy vehicle', 'grinding']) {
    assert.ok(!ids(await search(q)).includes(otherConvo), q);
  }
  assert.deepEqual(ids(await search('grinding', { orgId: other.id })), [otherConvo]);
  assert.deepEqual(ids(await search('07700 900123', { orgId: other.id })), [otherConvo]);
  const crossed = await withTenant(server.db, org.id, (trx) => searchConversations(trx, other.id, 'Jon Smith', 20, true));
  assert.deepEqual(crossed, [], "a tenant transaction never reads another organisation's rows");
});

test('limit caps the hits; text with nothing to search finds nothing', async () => {
  assert.equal((await search('07700 900', { limit: 2 })).length, 2);
  assert.deepEqual(await search('   '), []);
  assert.deepEqual(await search('!?'), []);
  assert.deepEqual(await search('zzqx'), []);
  assert.deepEqual(await search('the'), [], 'only a stop word');
  await assert.rejects(search('Jon', { limit: 0 }), RangeError);
});

test('GET /v1/conversations?q= answers ranked rows with their match, ignoring the date scope', async () => {
  const get = async (q: string) => {
    const res = await fetch(`${server.baseUrl}/v1/conversations?range=today&q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${org.apiToken}` } });
    assert.equal(res.status, 200);
    return (await res.json()) as { conversations: Array<{ id: string; match: SearchHit['match'] }>; nextCursor: string | null; query: string };
  };
  const phone = await get('07700 900123');
  assert.deepEqual(phone.conversations.map((c) => c.id), [convo.jon, convo.smithers]);
  assert.equal(phone.conversations[0]!.match.kind, 'phone');
  assert.equal(phone.nextCursor, null);
  const keyword = await get('brake pads');
  assert.deepEqual(keyword.conversations.map((c) => c.id), [convo.priya]);
  assert.deepEqual(keyword.conversations[0]!.match.highlight.filter((s) => s.match).map((s) => s.text), ['brake', 'pads']);
  const technician = await signInAs(server, (await createStaff(server.db, org, 'technician')).email);
  const redacted = await call(server, technician, 'GET', `/v1/conversations?q=${encodeURIComponent('07700 900123')}`);
  assert.equal(redacted.status, 200);
  assert.deepEqual(redacted.json.conversations, [], 'a technician finds nobody by phone number');
});
