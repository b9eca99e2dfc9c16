/**
 * Templates (API and Meta's status webhook) and the spend report
 * (portal magic links: test/portal/magic-links.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { postWhatsApp } from '../support/providers.js';
import { whatsAppRequests } from '../fixtures/provider-requests.js';
import { customerWhatsApps, send } from './compose-support.js';

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db, { name: 'Acme Motors', wabaId: '102290129340398' });
});
after(() => server.close());

async function api(method: string, path: string, body?: unknown, token = org.apiToken) {
  const res = await fetch(server.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any };
}

test('creating a template stores its named placeholders (sandbox providers approve it at once)', async () => {
  const r = await api('POST', '/v1/templates', { name: 'mot_reminder', category: 'UTILITY', body: 'Hi {customer_name}, your MOT is due on {due_date}.', examples: { customer_name: 'Sam', due_date: '1 March' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.deepEqual(r.json.placeholders, ['customer_name', 'due_date']);
  assert.equal(r.json.language, 'en_GB');
  assert.equal(r.json.status, 'approved');
  const list = await api('GET', '/v1/templates');
  assert.ok(list.json.templates.some((t: any) => t.name === 'mot_reminder'));
  const dup = await api('POST', '/v1/templates', { name: 'mot_reminder', category: 'UTILITY', body: 'x', examples: {} });
  assert.equal(dup.status, 409);
});

test('a template needs an example for each placeholder and a Meta-style name', async () => {
  for (const body of [
    { name: 'no_examples', category: 'UTILITY', body: 'Hi {customer_name}', examples: {} },
    { name: 'extra_example', category: 'UTILITY', body: 'Hi', examples: { customer_name: 'Sam' } },
    { name: 'Bad Name', category: 'UTILITY', body: 'Hi', examples: {} },
    { name: 'bad_category', category: 'PROMO', body: 'Hi', examples: {} },
  ]) {
    const r = await api('POST', '/v1/templates', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.code, 'validation_failed');
  }
});

test("Meta's template-status webhook approves a pending template, and a rejection keeps Meta's reason", async () => {
  await server.db.insertInto('message_templates').values([
    { org_id: org.id, name: 'order_confirmation', language: 'en_US', category: 'UTILITY', body: 'Thanks {customer_name}', placeholders: ['customer_name'], status: 'pending', provider_template_id: '1689556908129832', rejection_reason: null },
    { org_id: org.id, name: 'abandoned_cart', language: 'en', category: 'MARKETING', body: 'Come back', placeholders: [], status: 'pending', provider_template_id: '1689556908129835', rejection_reason: null },
  ]).execute();
  const approved = whatsAppRequests.templateApproved;
  assert.equal((await postWhatsApp(server.baseUrl, approved.body, approved.signature)).status, 200);
  const rejected = JSON.stringify({ entry: [{ id: '102290129340398', time: 1751247548, changes: [{ value: { event: 'REJECTED', message_template_id: 1689556908129835, message_template_name: 'abandoned_cart', message_template_language: 'en', reason: 'INVALID_FORMAT', message_template_category: 'MARKETING' }, field: 'message_template_status_update' }] }], object: 'whatsapp_business_account' });
  assert.equal((await postWhatsApp(server.baseUrl, rejected)).status, 200);
  const rows = Object.fromEntries((await server.db.selectFrom('message_templates').select(['name', 'status', 'rejection_reason']).where('org_id', '=', org.id).execute()).map((t) => [t.name, [t.status, t.rejection_reason]]));
  assert.deepEqual(rows.order_confirmation, ['approved', null]);
  assert.deepEqual(rows.abandoned_cart, ['rejected', 'INVALID_FORMAT']);
});

test('spend is reported per channel per month in the organisation time zone', async () => {
  const customer = await createCustomer(server.db, org.id);
  const conversationId = await customerWhatsApps(server, org, customer.phone!, 1);
  const insert = (channel: 'sms' | 'whatsapp', at: string, cost: string) => server.db.insertInto('messages').values({
    org_id: org.id, conversation_id: conversationId, direction: 'outbound', channel, body: 'x', media: '[]', metadata: '{}', status: 'delivered',
    failure_reason: null, provider_error_code: null, provider: 'twilio', provider_message_id: null, cost, cost_currency: 'GBP',
    sender_user_id: null, notification_type: null, occurred_at: at,
  }).execute();
  await insert('sms', '2026-09-30T23:30:00Z', '0.0400');
  await insert('sms', '2026-09-29T10:00:00Z', '0.0400');
  await insert('sms', '2026-10-15T10:00:00Z', '0.0400');
  await insert('whatsapp', '2026-10-15T10:00:00Z', '0.0250');
  const r = await api('GET', '/v1/spend?from=2026-09&to=2026-10');
  assert.equal(r.status, 200);
  assert.equal(r.json.timeZone, 'Europe/London');
  const rows = r.json.rows.map((x: any) => [x.month, x.channel, x.currency, Number(x.amount), x.messages]);
  assert.deepEqual(rows, [
    ['2026-09', 'sms', 'GBP', 0.04, 1],
    ['2026-10', 'sms', 'GBP', 0.08, 2],
    ['2026-10', 'whatsapp', 'GBP', 0.025, 1],
  ], '23:30 UTC on 30 September is 00:30 BST on 1 October: an October cost in London');
  assert.equal((await api('GET', '/v1/spend?from=2026-13&to=2026-11')).status, 400);
});
