/**
 * The read API: token authentication, newest-activity-first listing with
 * keyset pagination, one conversation's messages in order, and isolation
 * between organisations' tokens.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createWorkOrder, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { postWhatsApp, whatsAppEnvelope } from '../support/providers.js';

let server: TestServer;
let org: TestOrg;
let other: TestOrg;

before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
  other = await createOrg(server.db);
});
after(() => server.close());

async function get(path: string, token: string | null) {
  const res = await fetch(server.baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, json: (await res.json()) as any };
}
let n = 0;
async function say(orgT: TestOrg, from: string, body: string, at: Date) {
  const res = await postWhatsApp(server.baseUrl, whatsAppEnvelope(orgT.whatsappPhoneNumberId, {
    contacts: [{ wa_id: from.slice(1), profile: { name: 'Sam' } }],
    messages: [{ from: from.slice(1), id: `wamid.api${process.pid}x${++n}`, timestamp: String(Math.floor(at.getTime() / 1000)), type: 'text', text: { body } }],
  }));
  assert.equal(res.status, 200);
}

test('without a valid token the API answers 401 with a clear code', async () => {
  for (const token of [null, 'tf_nope']) {
    const r = await get('/v1/conversations', token);
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'unauthorized');
  }
});

test('conversations are listed newest activity first, 2 a page, with stable cursors', async () => {
  const base = Date.now() - 3600_000;
  const phones = [uniquePhone(), uniquePhone(), uniquePhone()];
  await say(org, phones[0]!, 'first', new Date(base));
  await say(org, phones[1]!, 'second', new Date(base + 60_000));
  await say(org, phones[2]!, 'third', new Date(base + 120_000));
  await say(org, phones[0]!, 'first again', new Date(base + 180_000));
  const page1 = await get('/v1/conversations?limit=2', org.apiToken);
  assert.equal(page1.status, 200);
  assert.deepEqual(page1.json.conversations.map((c: any) => c.contactPhone), [phones[0], phones[2]]);
  assert.ok(page1.json.nextCursor);
  await say(org, phones[1]!, 'arrives between pages', new Date(base + 240_000));
  const page2 = await get(`/v1/conversations?limit=2&cursor=${page1.json.nextCursor}`, org.apiToken);
  assert.deepEqual(page2.json.conversations.map((c: any) => c.contactPhone), [], 'the moved conversation is not repeated; nothing older remains');
  const all = await get('/v1/conversations', org.apiToken);
  assert.deepEqual(all.json.conversations.map((c: any) => c.contactPhone), [phones[1], phones[0], phones[2]]);
  const first = all.json.conversations[1];
  assert.equal(first.preview.body, 'first again');
  assert.equal(first.unreadCount, 2);
  assert.equal(first.lastChannel, 'whatsapp');
  assert.equal(first.contextBadge, 'unknown');
  assert.equal(first.whatsappWindow.state, 'open');
  assert.equal(first.contactName, 'Sam');
});

test("a conversation's messages come in chronological order, with earlier pages", async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Priya Shah' });
  const wo = await createWorkOrder(server.db, org.id, customer.id);
  const base = Date.now() - 7200_000;
  for (let i = 0; i < 5; i++) await say(org, customer.phone!, `m${i}`, new Date(base + i * 60_000));
  const list = await get('/v1/conversations', org.apiToken);
  const c = list.json.conversations.find((x: any) => x.customer?.id === customer.id);
  assert.equal(c.customer.name, 'Priya Shah');
  assert.equal(c.workOrder.number, wo.number);
  const latest = await get(`/v1/conversations/${c.id}/messages?limit=3`, org.apiToken);
  assert.deepEqual(latest.json.messages.map((m: any) => m.body), ['m2', 'm3', 'm4']);
  const earlier = await get(`/v1/conversations/${c.id}/messages?limit=3&before=${latest.json.earlierCursor}`, org.apiToken);
  assert.deepEqual(earlier.json.messages.map((m: any) => m.body), ['m0', 'm1']);
  assert.equal(earlier.json.earlierCursor, null);
  const one = await get(`/v1/conversations/${c.id}`, org.apiToken);
  assert.equal(one.json.id, c.id);
});

test("one organisation's token cannot see another's conversations", async () => {
  const phone = uniquePhone();
  await say(other, phone, 'private', new Date());
  const theirs = (await get('/v1/conversations', other.apiToken)).json.conversations.find((c: any) => c.contactPhone === phone);
  assert.ok(theirs);
  assert.ok(!(await get('/v1/conversations?limit=200', org.apiToken)).json.conversations.some((c: any) => c.id === theirs.id));
  assert.equal((await get(`/v1/conversations/${theirs.id}`, org.apiToken)).status, 404);
  assert.equal((await get(`/v1/conversations/${theirs.id}/messages`, org.apiToken)).status, 404);
});

test('bad parameters are 400 with a machine-readable code', async () => {
  for (const path of ['/v1/conversations?limit=0', '/v1/conversations?cursor=garbage', '/v1/conversations/not-a-uuid']) {
    const r = await get(path, org.apiToken);
    assert.equal(r.status, 400, path);
    assert.equal(r.json.error.code, 'validation_failed', path);
  }
});

test('the OpenAPI description lists the read API', async () => {
  const res = await fetch(`${server.baseUrl}/openapi.json`);
  const doc = (await res.json()) as any;
  assert.equal(doc.openapi.startsWith('3.'), true);
  assert.ok(doc.paths['/v1/conversations']?.get);
  assert.ok(doc.paths['/v1/conversations/{id}/messages']?.get);
});
