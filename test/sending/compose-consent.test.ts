/**
 * Consent and opt-out at send time, consent rows for new customers, and the
 * immutable consent audit log (spec: whatsapp-consent.txt; provider-protocols.md §5).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createWorkOrder, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { withTenant } from '../../src/db/tenant.js';
import { customerWhatsApps, messageCount, send } from './compose-support.js';

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
});
after(() => server.close());

async function setConsent(customerId: string, category: string, granted: boolean) {
  await sql`UPDATE customer_consents SET granted = ${granted}, source = 'staff_entry' WHERE customer_id = ${customerId} AND category = ${category}`.execute(server.db);
}
async function smsIn(phone: string, body: string, extra: Record<string, string> = {}) {
  const r = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: phone, to: org.twilioNumber, body, extra }), org.twilioAuthToken);
  assert.equal(r.status, 200);
}
async function smsConversation() {
  const customer = await createCustomer(server.db, org.id);
  await smsIn(customer.phone!, 'Hello');
  const c = await server.db.selectFrom('conversations').select('id').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  return { customer, id: c.id };
}

test('a new customer gets four consent rows from the hard-coded safe defaults, each audited', async () => {
  const customer = await createCustomer(server.db, org.id);
  const rows = await server.db.selectFrom('customer_consents').select(['category', 'granted', 'source']).where('customer_id', '=', customer.id).orderBy('category').execute();
  assert.deepEqual(rows, [
    { category: 'marketing', granted: false, source: 'hardcoded_default' },
    { category: 'service_reminders', granted: true, source: 'hardcoded_default' },
    { category: 'transactional', granted: true, source: 'hardcoded_default' },
    { category: 'whatsapp', granted: true, source: 'hardcoded_default' },
  ]);
  const audit = await server.db.selectFrom('consent_audit_log').select(['category', 'action', 'source']).where('customer_id', '=', customer.id).orderBy('category').execute();
  assert.equal(audit.length, 4);
  assert.ok(audit.every((a) => a.source === 'hardcoded_default'));
});

test("the organisation's defaults apply to customers created after they are set; transactional stays on", async () => {
  const other = await createOrg(server.db);
  await server.db.insertInto('consent_defaults').values({ org_id: other.id, service_reminders: false, marketing: true, whatsapp: false }).execute();
  const customer = await createCustomer(server.db, other.id);
  const rows = Object.fromEntries((await server.db.selectFrom('customer_consents').select(['category', 'granted', 'source']).where('customer_id', '=', customer.id).execute()).map((r) => [r.category, [r.granted, r.source]]));
  assert.deepEqual(rows, { transactional: [true, 'org_default'], service_reminders: [false, 'org_default'], marketing: [true, 'org_default'], whatsapp: [false, 'org_default'] });
});

test('WhatsApp consent off blocks every WhatsApp send (staff, AI, system) and stores nothing', async () => {
  const customer = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, customer.phone!, 1);
  await setConsent(customer.id, 'whatsapp', false);
  const before = await messageCount(server);
  for (const sender of [{ type: 'staff', userId: null }, { type: 'ai' }, { type: 'system' }]) {
    const r = await send(server, org, id, { body: 'Hi', channel: 'whatsapp', sender });
    assert.equal(r.status, 422, JSON.stringify(sender));
    assert.equal(r.json.error.code, 'whatsapp_consent_revoked');
  }
  assert.equal(await messageCount(server), before);
  assert.equal((await send(server, org, id, { body: 'Hi', channel: 'sms' })).json.outcome, 'queued', 'other channels still work');
});

test('marketing needs an explicit opt-in; service reminders need their consent', async () => {
  const { customer, id } = await smsConversation();
  const offer = await send(server, org, id, { body: '10% off tyres', category: 'marketing' });
  assert.equal(offer.status, 422);
  assert.equal(offer.json.error.code, 'marketing_not_opted_in');
  await setConsent(customer.id, 'marketing', true);
  assert.equal((await send(server, org, id, { body: '10% off tyres', category: 'marketing' })).json.outcome, 'queued');
  assert.equal((await send(server, org, id, { body: 'MOT due', category: 'service_reminders' })).json.outcome, 'queued');
  await setConsent(customer.id, 'service_reminders', false);
  assert.equal((await send(server, org, id, { body: 'MOT due', category: 'service_reminders' })).json.error.code, 'service_reminders_revoked');
});

test('transactional messages are always allowed while a work order is active, even with the toggle off', async () => {
  const { customer, id } = await smsConversation();
  await setConsent(customer.id, 'transactional', false);
  const blocked = await send(server, org, id, { body: 'Update', category: 'transactional' });
  assert.equal(blocked.status, 422);
  assert.equal(blocked.json.error.code, 'transactional_revoked');
  await createWorkOrder(server.db, org.id, customer.id, 'in_progress');
  assert.equal((await send(server, org, id, { body: 'Update', category: 'transactional' })).json.outcome, 'queued');
});

test('STOP (and its synonyms) opts the number out of SMS, START opts back in, each change audited', async () => {
  for (const [stop, start] of [['STOP', 'START'], ['unsubscribe', 'unstop'], [' Quit ', 'YES'], ['STOPALL', 'START'], ['cancel', 'start'], ['END', 'START']] as const) {
    const { customer, id } = await smsConversation();
    await smsIn(customer.phone!, stop);
    const blocked = await send(server, org, id, { body: 'Your car is ready', channel: 'sms' });
    assert.equal(blocked.status, 422, stop);
    assert.equal(blocked.json.error.code, 'sms_opted_out', stop);
    await smsIn(customer.phone!, start);
    assert.equal((await send(server, org, id, { body: 'Your car is ready', channel: 'sms' })).json.outcome, 'queued', start);
    const audit = await server.db.selectFrom('consent_audit_log').select(['action', 'source', 'previous_value']).where('phone', '=', customer.phone).where('category', '=', 'sms').orderBy('id').execute();
    assert.deepEqual(audit, [
      { action: 'revoked', source: 'sms_keyword', previous_value: true },
      { action: 'granted', source: 'sms_keyword', previous_value: false },
    ], stop);
  }
});

test('"STOP please" is a message, not a keyword; a retried STOP is applied once', async () => {
  const { customer, id } = await smsConversation();
  await smsIn(customer.phone!, 'STOP please, I will call you');
  assert.equal((await send(server, org, id, { body: 'ok', channel: 'sms' })).json.outcome, 'queued');
  const params = smsParams({ sid: newSid(), from: customer.phone!, to: org.twilioNumber, body: 'STOP' });
  await Promise.all(Array.from({ length: 5 }, () => postTwilio(server.baseUrl, '/twilio/sms', params, org.twilioAuthToken)));
  const audit = await server.db.selectFrom('consent_audit_log').select('action').where('phone', '=', customer.phone).where('category', '=', 'sms').execute();
  assert.deepEqual(audit, [{ action: 'revoked' }]);
});

test("Twilio's OptOutType=STOP opts out even when the body is a custom keyword", async () => {
  const { customer, id } = await smsConversation();
  await smsIn(customer.phone!, 'ARRET', { OptOutType: 'STOP' });
  assert.equal((await send(server, org, id, { body: 'hi', channel: 'sms' })).json.error.code, 'sms_opted_out');
});

test('the consent audit log is append-only: the application role cannot update or delete, and neither can the owner', async () => {
  const customer = await createCustomer(server.db, org.id);
  await assert.rejects(withTenant(server.db, org.id, (trx) => sql`UPDATE consent_audit_log SET action = 'granted' WHERE customer_id = ${customer.id}`.execute(trx)), /permission denied|append-only/);
  await assert.rejects(withTenant(server.db, org.id, (trx) => sql`DELETE FROM consent_audit_log WHERE customer_id = ${customer.id}`.execute(trx)), /permission denied|append-only/);
  await assert.rejects(sql`UPDATE consent_audit_log SET source = 'forged' WHERE customer_id = ${customer.id}`.execute(server.db), /append-only/);
  await assert.rejects(sql`DELETE FROM consent_audit_log WHERE customer_id = ${customer.id}`.execute(server.db), /append-only/);
  const rows = await withTenant(server.db, org.id, (trx) => trx.selectFrom('consent_audit_log').select('id').where('customer_id', '=', customer.id).execute());
  assert.equal(rows.length, 4, 'the application role can still read and append');
});
