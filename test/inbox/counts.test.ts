/**
 * The All time filter counts come from insert-only deltas (migration 0005,
 * src/inbox/conversation-counts.ts): they must equal a full count of the
 * conversations after any mix of new conversations, reads, assignments and
 * inbound messages, including when all of it and the compaction run at once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { seedConversation } from '../support/inbox.js';
import { call, signInAs, type Session } from '../auth/support.js';
import { postWhatsApp, whatsAppEnvelope } from '../support/providers.js';
import { compactConversationCounts } from '../../src/inbox/conversation-counts.js';

let server: TestServer;
let org: TestOrg;
let me: { id: string };
let colleague: { id: string };
let session: Session;

before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
  const user = await createStaff(server.db, org, 'service_advisor');
  me = user;
  colleague = await createStaff(server.db, org, 'manager');
  session = await signInAs(server, user.email);
});
after(() => server.close());

async function fullCount() {
  const rows = await server.db.selectFrom('conversations').select(['assignee_id', 'unread_count']).where('org_id', '=', org.id).execute();
  return {
    all: rows.length,
    unread: rows.filter((r) => r.unread_count > 0).length,
    unassigned: rows.filter((r) => r.assignee_id === null).length,
    mine: rows.filter((r) => r.assignee_id === me.id).length,
  };
}
const apiCounts = async () => {
  const r = await call(server, session, 'GET', '/v1/conversations?range=all_time&limit=1');
  assert.equal(r.status, 200, r.text);
  return r.json.counts;
};

let wamid = 0;
const inbound = (phone: string) => postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, {
  contacts: [{ wa_id: phone.slice(1), profile: { name: 'Sam' } }],
  messages: [{ from: phone.slice(1), id: `wamid.counts${process.pid}x${++wamid}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hello' } }],
}));

test('All time counts follow new conversations, reads and assignments, before and after compaction', async () => {
  assert.deepEqual(await apiCounts(), { all: 0, unread: 0, unassigned: 0, mine: 0 });
  const a = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), entries: [{ direction: 'inbound', at: new Date() }] });
  const b = await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), assigneeId: me.id, entries: [{ direction: 'inbound', at: new Date(), read: true }] });
  await seedConversation(server.db, org.id, { contactPhone: uniquePhone(), assigneeId: colleague.id, entries: [{ direction: 'inbound', at: new Date('2024-01-01T00:00:00Z') }] });
  assert.deepEqual(await apiCounts(), { all: 3, unread: 2, unassigned: 1, mine: 1 });
  await call(server, session, 'POST', `/v1/conversations/${a.id}/read`, {});
  await call(server, session, 'PUT', `/v1/conversations/${a.id}/assignee`, { userId: me.id });
  await call(server, session, 'PUT', `/v1/conversations/${b.id}/assignee`, { userId: null });
  assert.deepEqual(await apiCounts(), { all: 3, unread: 1, unassigned: 1, mine: 1 });
  assert.deepEqual(await apiCounts(), await fullCount());
  assert.ok(await compactConversationCounts(server.db) > 0);
  assert.deepEqual(await apiCounts(), await fullCount());
  const rows = await server.db.selectFrom('conversation_count_deltas').select('id').where('org_id', '=', org.id).execute();
  assert.ok(rows.length <= 3, 'one row per assignee after compaction');
});

test('concurrent inbound messages, reads, assignments and compactions leave the counts exact', async () => {
  const phones = Array.from({ length: 12 }, () => uniquePhone());
  const conversations = await Promise.all(phones.slice(0, 6).map((phone) => seedConversation(server.db, org.id, { contactPhone: phone, entries: [{ direction: 'inbound', at: new Date() }] })));
  const work: Array<Promise<unknown>> = [];
  for (let round = 0; round < 3; round++) {
    for (const phone of phones) work.push(inbound(phone));
    for (const [k, c] of conversations.entries()) {
      work.push(call(server, session, 'PUT', `/v1/conversations/${c.id}/assignee`, { userId: [me.id, colleague.id, null][(k + round) % 3] }));
      work.push(call(server, session, 'POST', `/v1/conversations/${c.id}/read`, {}));
    }
    work.push(compactConversationCounts(server.db));
  }
  const results = await Promise.allSettled(work);
  assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);
  const statuses = results.flatMap((r) => (r.status === 'fulfilled' && typeof (r.value as { status?: unknown }).status === 'number' ? [(r.value as { status: number }).status] : []));
  assert.deepEqual(statuses.filter((s) => s !== 200), [], 'every request succeeded (no deadlock, no lost update)');
  assert.deepEqual(await apiCounts(), await fullCount());
  await compactConversationCounts(server.db);
  assert.deepEqual(await apiCounts(), await fullCount());
});
