/**
 * The integration API: DMS upserts by external id are idempotent under 20
 * concurrent retries (one row each; a new customer's four consent rows and
 * audit entries exactly once), and work-order status drives "active".
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, uniquePhone, type TestOrg } from '../support/fixtures.js';

let server: TestServer;
let org: TestOrg;
before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
});
after(() => server.close());

const put = async (path: string, body: unknown) => {
  const res = await fetch(server.baseUrl + path, { method: 'PUT', headers: { authorization: `Bearer ${org.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() as any };
};

for (const withPhone of [true, false]) {
  test(`20 concurrent retries of the same customer, vehicle and work order upsert leave one of each (${withPhone ? 'with' : 'without'} a phone)`, async () => {
    const ext = `DMS-${withPhone}-${Date.now()}`;
    const phone = withPhone ? uniquePhone() : null;
    const customers = await Promise.all(Array.from({ length: 20 }, () => put(`/v1/integration/customers/${ext}`, { name: 'Dana DMS', phone, email: null })));
    assert.ok(customers.every((r) => r.status === 200 || r.status === 201), JSON.stringify(customers.filter((r) => r.status >= 300)));
    assert.equal(customers.filter((r) => r.status === 201).length, 1, 'exactly one created it');
    assert.equal(new Set(customers.map((r) => r.json.id)).size, 1);
    const id = customers[0]!.json.id;
    assert.equal((await server.db.selectFrom('customers').select('id').where('org_id', '=', org.id).where('external_id', '=', ext).execute()).length, 1);
    assert.equal((await server.db.selectFrom('customer_consents').select('category').where('customer_id', '=', id).execute()).length, 4);
    assert.equal((await server.db.selectFrom('consent_audit_log').select('id').where('customer_id', '=', id).execute()).length, 4, 'four audit entries, not 80');

    const vehicles = await Promise.all(Array.from({ length: 20 }, () => put(`/v1/integration/vehicles/V-${ext}`, { customerExternalId: ext, registration: 'dm51 abc' })));
    assert.equal(vehicles.filter((r) => r.status === 201).length, 1, JSON.stringify(vehicles.map((v) => v.status)));
    const orders = await Promise.all(Array.from({ length: 20 }, () => put(`/v1/integration/work-orders/W-${ext}`, { customerExternalId: ext, vehicleExternalId: `V-${ext}`, number: `N-${ext}`, title: 'Service', status: 'in_progress' })));
    assert.equal(orders.filter((r) => r.status === 201).length, 1, JSON.stringify(orders.map((v) => v.status)));
    const rows = await server.db.selectFrom('work_orders').selectAll().where('org_id', '=', org.id).where('external_id', '=', `W-${ext}`).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, 'in_progress');

    const done = await put(`/v1/integration/work-orders/W-${ext}`, { customerExternalId: ext, vehicleExternalId: `V-${ext}`, number: `N-${ext}`, title: 'Service', status: 'completed' });
    assert.equal(done.status, 200);
    const active = await server.db.selectFrom('work_orders').select('id').where('customer_id', '=', id).where('status', 'not in', ['completed', 'cancelled']).execute();
    assert.equal(active.length, 0, 'a completed work order is no longer active');
  });
}

test('bad input changes nothing: an unknown customer id, a bad phone, a phone another customer has', async () => {
  assert.equal((await put('/v1/integration/vehicles/V-none', { customerExternalId: 'nobody', registration: 'AB12 CDE' })).status, 404);
  assert.equal((await put('/v1/integration/customers/BAD', { name: 'X', phone: '12', email: null })).status, 400);
  const phone = uniquePhone();
  assert.equal((await put('/v1/integration/customers/P1', { name: 'One', phone, email: null })).status, 201);
  const clash = await put('/v1/integration/customers/P2', { name: 'Two', phone, email: null });
  assert.equal(clash.status, 409);
  assert.equal(clash.json.error.code, 'duplicate_phone');
  assert.equal((await server.db.selectFrom('customers').select('id').where('org_id', '=', org.id).where('external_id', '=', 'P2').execute()).length, 0);
});
