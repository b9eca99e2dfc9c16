/**
 * Subject Access Request export over HTTP (issue 12 item 8): one zip with a
 * cover page naming what UK GDPR requires, data.json and a CSV per table
 * (formula-safe), the stored photo and the call recording; secrets left out;
 * audited; refused without `customers.export` (technicians, advisors).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import JSZip from 'jszip';
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, type TestOrg } from '../support/fixtures.js';
import { openMediaStore } from '../../src/media/open-store.js';
import { FORMULA_BODY, PHOTO_BYTES, RECORDING_BYTES, seedSarCustomer, type SarCustomer } from '../support/sar-fixture.js';
import { signInAs, type Session } from '../auth/support.js';

let server: TestServer;
let org: TestOrg;
let manager: Session;
let managerId: string;
let technician: Session;
let advisor: Session;
let customer: SarCustomer;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  org = await createOrg(server.db);
  const m = await createStaff(server.db, org, 'manager');
  managerId = m.id;
  manager = await signInAs(server, m.email);
  technician = await signInAs(server, (await createStaff(server.db, org, 'technician')).email);
  advisor = await signInAs(server, (await createStaff(server.db, org, 'service_advisor')).email);
  customer = await seedSarCustomer(server.db, openMediaStore(server.config), org.id, { messages: 40, staffUserId: managerId });
});
after(() => server.close());

async function download(session: Session, id: string) {
  return fetch(`${server.baseUrl}/v1/customers/${id}/export`, { headers: { cookie: session.cookie } });
}

test('a manager downloads one zip with the cover page, JSON, CSVs, media and recordings', async () => {
  const res = await download(manager, customer.customerId);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/zip');
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="sar-grace-evans-\d{4}-\d{2}-\d{2}\.zip"$/);
  const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir).sort();
  for (const expected of ['cover-page.txt', 'data.json', 'csv/customer.csv', 'csv/messages.csv', 'csv/calls.csv', 'csv/vehicles.csv', 'csv/work_orders.csv',
    'csv/consents.csv', 'csv/consent_history.csv', 'csv/portal_sessions.csv', 'csv/portal_links.csv', 'csv/media.csv', `media/${customer.mediaId}.png`]) {
    assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
  }
  assert.ok(names.some((n) => n.startsWith('recordings/') && n.endsWith('.mp3')));

  const cover = await zip.file('cover-page.txt')!.async('string');
  for (const heading of [/purposes/i, /Twilio/, /Meta/, /retention/i, /rectification/, /erasure/, /restrict/, /object/, /Information\s+Commissioner/, /source/i, /AI receptionist/, /Article 15/]) {
    assert.match(cover, heading);
  }
  assert.match(cover, /csv\/messages\.csv \(40 records\)/);

  const data = JSON.parse(await zip.file('data.json')!.async('string'));
  assert.equal(data.customer.id, customer.customerId);
  assert.equal(data.customer.phone, customer.phone);
  assert.equal(data.messages.length, 40);
  assert.equal(data.vehicles[0].registration, 'AB12 CDE');
  assert.equal(data.work_orders.length, 1);
  assert.equal(data.calls[0].transcript, 'Hi, it is Grace about the car');
  assert.equal(data.consents.length, 4);
  assert.equal(data.consent_history.length, 6, 'four seeded entries and two changes');
  assert.deepEqual(data.consent_history.slice(4).map((h: { source: string; category: string }) => [h.category, h.source]), [['marketing', 'portal_preference'], ['service_reminders', 'staff_entry']]);
  const portalChange = data.consent_history.find((h: { source: string }) => h.source === 'portal_preference');
  assert.equal(portalChange.ip_address, '203.0.113.7');
  assert.equal(portalChange.user_agent, 'Mozilla/5.0 SarFixture');
  assert.equal(data.portal_sessions.length, 1);
  assert.equal(data.portal_links.length, 1);
  const text = JSON.stringify(data);
  for (const secret of ['code_hash', 'token_hash', 'storage_key', 'recording_url', 'secret-recording-url']) assert.ok(!text.includes(secret), `${secret} is not exported`);

  const photo = await zip.file(`media/${customer.mediaId}.png`)!.async('nodebuffer');
  assert.deepEqual(photo, PHOTO_BYTES);
  const recording = zip.file(/^recordings\//)[0]!;
  assert.deepEqual(await recording.async('nodebuffer'), RECORDING_BYTES);

  const rows: Array<Record<string, string>> = parse(await zip.file('csv/messages.csv')!.async('string'), { columns: true });
  assert.equal(rows.length, 40);
  const formula = rows.find((r) => r.body!.includes('HYPERLINK'))!;
  assert.equal(formula.body, `'${FORMULA_BODY}`, 'a formula is neutralised with a leading apostrophe');
  const customerCsv: Array<Record<string, string>> = parse(await zip.file('csv/customer.csv')!.async('string'), { columns: true });
  assert.equal(customerCsv[0]!.phone, `'${customer.phone}`, 'a leading + is neutralised too');
  const history: Array<Record<string, string>> = parse(await zip.file('csv/consent_history.csv')!.async('string'), { columns: true });
  assert.equal(history.find((h) => h.source === 'staff_entry')!.performed_by, (await server.db.selectFrom('staff_users').select('name').where('id', '=', managerId).executeTakeFirstOrThrow()).name);
});

test('each export is audited with who made it', async () => {
  const before = await server.db.selectFrom('staff_audit_log').select('id').where('org_id', '=', org.id).where('action', '=', 'customer.exported').execute();
  assert.equal((await download(manager, customer.customerId)).status, 200);
  const entries = await server.db.selectFrom('staff_audit_log').selectAll().where('org_id', '=', org.id).where('action', '=', 'customer.exported').orderBy('created_at').execute();
  assert.equal(entries.length, before.length + 1);
  const last = entries.at(-1)!;
  assert.equal(last.actor_user_id, managerId);
  assert.equal(last.target_id, customer.customerId);
  assert.deepEqual(last.after, { messages: 40, media: 1, recordings: 1 });
});

test('technicians and service advisors may not export; unknown customers are 404', async () => {
  for (const session of [technician, advisor]) {
    const res = await download(session, customer.customerId);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'forbidden');
  }
  assert.equal((await download(manager, '00000000-0000-4000-8000-000000000000')).status, 404);
  const other = await createOrg(server.db);
  const stranger = await signInAs(server, (await createStaff(server.db, other, 'owner')).email);
  assert.equal((await download(stranger, customer.customerId)).status, 404, "another garage's customer is not found");
});
