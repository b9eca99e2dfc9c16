/**
 * Default Consent Preferences are never retroactive (whatsapp-consent.txt:
 * "Changes do not apply retroactively to existing customers"): after an
 * owner changes the defaults, a customer created before keeps every consent
 * value, source and audit history, and only customers created afterwards
 * start from the new defaults.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { call, signInAs, type Session } from '../auth/support.js';

let server: TestServer;
let org: TestOrg;
let owner: Session;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
  owner = await signInAs(server, (await createStaff(server.db, org, 'owner')).email);
});
after(() => server.close());

type Card = Array<{ category: string; granted: boolean; source: string; updatedAt: string | null }>;
const consents = async (id: string) => {
  const res = await call(server, owner, 'GET', `/v1/customers/${id}`);
  assert.equal(res.status, 200, res.text);
  return Object.fromEntries((res.json.consents as Card).map((c) => [c.category, c])) as Record<string, Card[number]>;
};
const newCustomer = async (name: string) => {
  const res = await call(server, owner, 'POST', '/v1/customers', { name, phone: uniquePhone(), email: null });
  assert.equal(res.status, 201, res.text);
  return res.json.id as string;
};
const auditCount = async (customerId: string) => Number((await server.db.selectFrom('consent_audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow()).n);

test('changing the default consent preferences leaves existing customers exactly as they were; new customers get the new defaults', async () => {
  const existing = await newCustomer('Before Change');
  const before = await consents(existing);
  assert.deepEqual(Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v.granted])), { transactional: true, service_reminders: true, marketing: false, whatsapp: true });
  const auditBefore = await auditCount(existing);

  const saved = await call(server, owner, 'PUT', '/v1/settings/communication', { consentDefaults: { serviceReminders: false, marketing: true, whatsapp: false } });
  assert.equal(saved.status, 200, saved.text);

  assert.deepEqual(await consents(existing), before, 'values, sources and dates unchanged');
  assert.equal(await auditCount(existing), auditBefore, 'no consent audit entry for the existing customer');

  const later = await newCustomer('After Change');
  const after = await consents(later);
  assert.deepEqual(Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v.granted])), { transactional: true, service_reminders: false, marketing: true, whatsapp: false });
});
