/**
 * CSV import of customers (issue 12 item 3) over HTTP: good rows are stored
 * with their consent columns recorded as source `import` (by the importing
 * user) and audited; every bad row is reported with its row number, field
 * and message and stores nothing, including a phone that an existing
 * customer or an earlier row of the file has; a file that is not a customer
 * CSV is refused whole.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { call, signInAs, type Session } from '../auth/support.js';

let server: TestServer;
let org: TestOrg;
let advisor: Session;
let advisorId: string;
let technician: Session;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  org = await createOrg(server.db);
  const a = await createStaff(server.db, org, 'service_advisor');
  advisorId = a.id;
  advisor = await signInAs(server, a.email);
  technician = await signInAs(server, (await createStaff(server.db, org, 'technician')).email);
});
after(() => server.close());

const national = (e164: string) => e164.replace('+44', '0');

test('good rows are stored with consent source import; bad rows are reported by row and field and store nothing', async () => {
  const existing = await createCustomer(server.db, org.id, { name: 'Already Here' });
  const [p1, p2, p3, p4] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
  const csv = [
    'Name,Phone,Email,External_ID,Registrations,Consent_Marketing,Consent_WhatsApp,Consent_Service_Reminders',
    `Grace Evans,${national(p1)},Grace@Example.co.uk,DMS-1,AB12 CDE; cd34efg,yes,no,`,   // row 2: good
    `Bad Phone,12,,DMS-2,,,,`,                                                              // row 3: phone
    `,${p2},,DMS-3,,,,`,                                                                    // row 4: name
    `Bad Consent,${p3},not-an-email,DMS-4,,maybe,,`,                                        // row 5: email and consent
    `Existing Phone,${existing.phone},,DMS-5,,,,`,                                          // row 6: another customer's phone
    `"Evans, Tom",${p4},,DMS-6,,no,yes,no`,                                                 // row 7: good (quoted comma)
    `Twice,${p4},,DMS-7,,,,`,                                                               // row 8: an earlier row's phone
    `Same External,,,DMS-1,,,,`,                                                            // row 9: an earlier row's external id
  ].join('\r\n');
  const res = await call(server, advisor, 'POST', '/v1/customers/import', { csv });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.imported, 2);
  assert.deepEqual(res.json.created.map((c: { row: number }) => c.row), [2, 7]);
  const byRow = (row: number) => res.json.errors.filter((e: { row: number }) => e.row === row).map((e: { field: string }) => e.field).sort();
  assert.deepEqual(byRow(3), ['phone']);
  assert.deepEqual(byRow(4), ['name']);
  assert.deepEqual(byRow(5), ['consent_marketing', 'email']);
  assert.deepEqual(byRow(6), ['phone']);
  assert.deepEqual(byRow(8), ['phone']);
  assert.deepEqual(byRow(9), ['external_id']);
  assert.match(res.json.errors.find((e: { row: number; field: string }) => e.row === 5 && e.field === 'consent_marketing').message, /"maybe" is not yes or no/);
  assert.match(res.json.errors.find((e: { row: number }) => e.row === 6).message, /already has this phone number/);

  const stored = await server.db.selectFrom('customers').select(['id', 'name', 'phone', 'email', 'external_id']).where('org_id', '=', org.id).where('external_id', 'like', 'DMS-%').orderBy('external_id').execute();
  assert.deepEqual(stored.map((c) => [c.name, c.external_id]), [['Grace Evans', 'DMS-1'], ['Evans, Tom', 'DMS-6']], 'nothing from a bad row was stored');
  const grace = stored[0]!;
  assert.equal(grace.phone, p1, 'phones normalised to E.164');
  assert.equal(grace.email, 'grace@example.co.uk');
  const regs = await server.db.selectFrom('vehicles').select('registration').where('customer_id', '=', grace.id).orderBy('registration').execute();
  assert.deepEqual(regs.map((r) => r.registration), ['AB12 CDE', 'CD34EFG']);

  const consents = await server.db.selectFrom('customer_consents').select(['category', 'granted', 'source', 'performed_by_id']).where('customer_id', '=', grace.id).orderBy('category').execute();
  const c = Object.fromEntries(consents.map((r) => [r.category, r]));
  assert.deepEqual([c.marketing!.granted, c.marketing!.source, c.marketing!.performed_by_id], [true, 'import', advisorId]);
  assert.deepEqual([c.whatsapp!.granted, c.whatsapp!.source], [false, 'import']);
  assert.notEqual(c.service_reminders!.source, 'import', 'an empty column keeps the default');
  const audit = await server.db.selectFrom('consent_audit_log').select(['category', 'action', 'source']).where('customer_id', '=', grace.id).orderBy('seq').execute();
  assert.equal(audit.length, 6, 'four seeded entries and the two imported changes');
  assert.deepEqual(audit.slice(4).map((a) => [a.category, a.action, a.source]), [['marketing', 'granted', 'import'], ['whatsapp', 'revoked', 'import']]);
  const profile = await call(server, advisor, 'GET', `/v1/customers/${grace.id}`);
  assert.equal(profile.json.consents.find((x: { category: string }) => x.category === 'marketing').sourceLabel, 'Import');

  const logged = await server.db.selectFrom('staff_audit_log').select('after').where('org_id', '=', org.id).where('action', '=', 'customers.imported').executeTakeFirstOrThrow();
  assert.deepEqual(logged.after, { imported: 2, failedRows: 6 });
});

test('a file that is not a customer CSV is refused whole; technicians may not import', async () => {
  const unknown = await call(server, advisor, 'POST', '/v1/customers/import', { csv: 'name,shoe_size\nGrace,5' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error.code, 'import_invalid');
  assert.match(unknown.json.error.message, /Unknown column "shoe_size"/);
  const noName = await call(server, advisor, 'POST', '/v1/customers/import', { csv: 'phone\n07700900123' });
  assert.equal(noName.status, 400);
  assert.match(noName.json.error.message, /"name" column/);
  const broken = await call(server, advisor, 'POST', '/v1/customers/import', { csv: 'name\n"unterminated' });
  assert.equal(broken.status, 400);
  assert.equal((await call(server, technician, 'POST', '/v1/customers/import', { csv: 'name\nX' })).status, 403);
});
