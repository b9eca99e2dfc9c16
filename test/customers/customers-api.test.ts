/**
 * The customer directory and profile over HTTP: creating a customer seeds
 * four consent rows from the garage's defaults with four audit entries;
 * duplicate phones are refused with the existing customer's id; "Save as
 * customer" links the unknown sender's conversation; search by phone in any
 * format (only with contact access); consent history and state at an instant.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { call, signInAs, type Session } from '../auth/support.js';

let server: TestServer;
let org: TestOrg;
let advisor: Session;
let technician: Session;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  org = await createOrg(server.db);
  advisor = await signInAs(server, (await createStaff(server.db, org, 'service_advisor')).email);
  technician = await signInAs(server, (await createStaff(server.db, org, 'technician')).email);
});
after(() => server.close());

test("a new customer gets four consent rows from the garage's defaults, source org_default, and four audit entries", async () => {
  await server.db.insertInto('consent_defaults').values({ org_id: org.id, service_reminders: false, marketing: true, whatsapp: true })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ service_reminders: false, marketing: true, whatsapp: true })).execute();
  const res = await call(server, advisor, 'POST', '/v1/customers', { name: 'Grace Evans', phone: '07700 900 871', email: 'Grace@Example.co.uk', vehicles: [{ registration: 'ab12 cde' }] });
  assert.equal(res.status, 201, res.text);
  const rows = await server.db.selectFrom('customer_consents').selectAll().where('customer_id', '=', res.json.id).orderBy('category').execute();
  assert.deepEqual(rows.map((r) => [r.category, r.granted, r.source]), [
    ['marketing', true, 'org_default'], ['service_reminders', false, 'org_default'], ['transactional', true, 'org_default'], ['whatsapp', true, 'org_default'],
  ]);
  const audit = await server.db.selectFrom('consent_audit_log').selectAll().where('customer_id', '=', res.json.id).execute();
  assert.equal(audit.length, 4);
  assert.ok(audit.every((a) => a.source === 'org_default' && a.previous_value === null));
  const profile = await call(server, advisor, 'GET', `/v1/customers/${res.json.id}`);
  assert.equal(profile.json.phone, '+447700900871', 'stored in E.164');
  assert.equal(profile.json.email, 'grace@example.co.uk');
  assert.deepEqual(profile.json.vehicles.map((v: { registration: string }) => v.registration), ['AB12 CDE']);
  assert.equal(profile.json.consents.find((c: { category: string }) => c.category === 'marketing').sourceLabel, 'Default');

  const asTech = await call(server, technician, 'GET', `/v1/customers/${res.json.id}`);
  assert.equal(asTech.json.phone, null);
  assert.equal(asTech.json.email, null);
  assert.equal((await call(server, technician, 'POST', '/v1/customers', { name: 'X' })).status, 403);
});

test('a phone number another customer has is refused, naming the existing customer', async () => {
  const phone = uniquePhone();
  const first = await call(server, advisor, 'POST', '/v1/customers', { name: 'Grace Evans', phone });
  const again = await call(server, advisor, 'POST', '/v1/customers', { name: 'Grace E.', phone: phone.replace('+44', '0') });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'duplicate_phone');
  assert.equal(again.json.error.details.existingCustomerId, first.json.id);
  const bad = await call(server, advisor, 'POST', '/v1/customers', { name: 'Bad', phone: '12' });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /not a phone number/);
});

test('"Save as customer" on an unknown sender links their conversation', async () => {
  const phone = uniquePhone();
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: phone, to: org.twilioNumber, body: 'Do you do MOTs?' }), org.twilioAuthToken);
  const conversation = await server.db.selectFrom('conversations').select(['id', 'customer_id']).where('org_id', '=', org.id).where('contact_phone', '=', phone).executeTakeFirstOrThrow();
  assert.equal(conversation.customer_id, null);
  const res = await call(server, advisor, 'POST', '/v1/customers', { name: 'New Person', fromConversationId: conversation.id });
  assert.equal(res.status, 201, res.text);
  const linked = await server.db.selectFrom('conversations').select('customer_id').where('id', '=', conversation.id).executeTakeFirstOrThrow();
  assert.equal(linked.customer_id, res.json.id);
  const profile = await call(server, advisor, 'GET', `/v1/customers/${res.json.id}`);
  assert.equal(profile.json.phone, phone);
  assert.equal(profile.json.conversation.id, conversation.id);
  assert.equal((await call(server, advisor, 'POST', '/v1/customers', { name: 'Twice', fromConversationId: conversation.id })).status, 409);
});

test('search by phone in any format needs contact access; names and registrations for everyone', async () => {
  const phone = uniquePhone();
  const created = await call(server, advisor, 'POST', '/v1/customers', { name: 'Zebedee Quill', phone, vehicles: [{ registration: 'ZQ19 XYZ' }] });
  const national = `0${phone.slice(3, 7)} ${phone.slice(7)}`;
  for (const q of [national, phone, phone.slice(-6), 'zebedee', 'zq19xyz']) {
    const res = await call(server, advisor, 'GET', `/v1/customers?q=${encodeURIComponent(q)}`);
    assert.deepEqual(res.json.customers.map((c: { id: string }) => c.id), [created.json.id], q);
  }
  const tech = await call(server, technician, 'GET', `/v1/customers?q=${encodeURIComponent(national)}`);
  assert.equal(tech.json.total, 0, 'a technician cannot find whose number it is');
  const byReg = await call(server, technician, 'GET', '/v1/customers?q=ZQ19%20XYZ');
  assert.equal(byReg.json.customers[0].phone, null);
  assert.deepEqual(byReg.json.customers[0].registrations, ['ZQ19 XYZ']);
  const paged = await call(server, advisor, 'GET', '/v1/customers?pageSize=2&page=1');
  assert.equal(paged.json.customers.length, 2);
  assert.ok(paged.json.total >= 4);
});

test('consent history lists every entry; the state at an instant is replayed from the log', async () => {
  const created = await call(server, advisor, 'POST', '/v1/customers', { name: 'History Person' });
  const id = created.json.id;
  await new Promise((r) => setTimeout(r, 20));
  const between = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal((await call(server, advisor, 'PUT', `/v1/customers/${id}/consent/whatsapp`, { granted: false })).status, 200);
  const history = await call(server, advisor, 'GET', `/v1/customers/${id}/consent-history?at=${encodeURIComponent(between)}`);
  assert.equal(history.status, 200, history.text);
  assert.equal(history.json.entries.length, 5);
  assert.equal(history.json.entries[4].sourceLabel, 'Set by staff');
  assert.equal(history.json.stateAt.find((s: { category: string }) => s.category === 'whatsapp').granted, true, 'WhatsApp was still on then');
  const now = await call(server, advisor, 'GET', `/v1/customers/${id}/consent-history?at=${encodeURIComponent(new Date().toISOString())}`);
  assert.equal(now.json.stateAt.find((s: { category: string }) => s.category === 'whatsapp').granted, false);
});
