/**
 * Issue 10 item 2: nobody grants a role holding a capability they do not
 * hold (creating a user, changing a role, `POST`/`PATCH /v1/roles`, for staff
 * and API tokens alike); only holders of `roles.manage` change an owner's
 * role or disable an owner; the last active owner is never demoted or
 * disabled, even by two concurrent demotions of the last two owners.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, type TestOrg } from '../support/fixtures.js';
import { call, signInAs, type Session } from '../auth/support.js';
import { createApiToken } from '../../src/api/api-tokens.js';
import { DEFAULT_ROLES } from '../../src/auth/capabilities.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function asToken(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(server.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any };
}

async function roleOf(userId: string): Promise<{ roleId: string; disabled: boolean }> {
  const u = await server.db.selectFrom('staff_users').select(['role_id', 'disabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  return { roleId: u.role_id, disabled: u.disabled_at !== null };
}

async function activeOwners(org: TestOrg): Promise<number> {
  const rows = await server.db.selectFrom('staff_users').select('id').where('org_id', '=', org.id).where('role_id', '=', org.roles.owner).where('disabled_at', 'is', null).execute();
  return rows.length;
}

let n = 0;
const email = () => `new.person.${++n}.${process.pid}@garage.example`;

test('a manager cannot create an owner, promote themselves, or demote or disable the owner; the owner is untouched', async () => {
  const org = await createOrg(server.db);
  const owner = await createStaff(server.db, org, 'owner');
  const manager = await createStaff(server.db, org, 'manager');
  const session = await signInAs(server, manager.email);

  const createOwner = await call(server, session, 'POST', '/v1/staff', { email: email(), name: 'Sock Puppet', roleId: org.roles.owner, password: 'a long password here' });
  assert.equal(createOwner.status, 403);
  assert.equal(createOwner.json.error.code, 'capability_not_held');
  assert.match(createOwner.json.error.message, /roles\.manage/);

  const promote = await call(server, session, 'PATCH', `/v1/staff/${manager.id}`, { roleId: org.roles.owner });
  assert.equal(promote.status, 403);
  assert.equal((await roleOf(manager.id)).roleId, org.roles.manager);

  for (const change of [{ roleId: org.roles.technician }, { disabled: true }]) {
    const res = await call(server, session, 'PATCH', `/v1/staff/${owner.id}`, change);
    assert.equal(res.status, 403, JSON.stringify(change));
    assert.equal(res.json.error.code, 'capability_not_held');
  }
  assert.deepEqual(await roleOf(owner.id), { roleId: org.roles.owner, disabled: false });

  // What a manager holds, a manager may give.
  const tech = await call(server, session, 'POST', '/v1/staff', { email: email(), name: 'New Tech', roleId: org.roles.technician, password: null });
  assert.equal(tech.status, 201);
  assert.equal((await call(server, session, 'PATCH', `/v1/staff/${tech.json.id}`, { roleId: org.roles.service_advisor })).status, 200);
});

test('an API token is held to the same rule: without roles.manage it cannot create or touch an owner; with it, it can', async () => {
  const org = await createOrg(server.db);
  const owner = await createStaff(server.db, org, 'owner');
  await createStaff(server.db, org, 'owner');
  const hr = await createApiToken(server.db, org.id, 'hr-system', DEFAULT_ROLES.manager.capabilities);
  const full = await createApiToken(server.db, org.id, 'full-access');

  const created = await asToken(hr, 'POST', '/v1/staff', { email: email(), name: 'Token Owner', roleId: org.roles.owner, password: null });
  assert.equal(created.status, 403);
  assert.equal(created.json.error.code, 'capability_not_held');
  assert.equal((await asToken(hr, 'PATCH', `/v1/staff/${owner.id}`, { disabled: true })).status, 403);
  assert.equal((await roleOf(owner.id)).disabled, false);

  assert.equal((await asToken(full, 'POST', '/v1/staff', { email: email(), name: 'Real Owner', roleId: org.roles.owner, password: null })).status, 201);
  assert.equal((await asToken(full, 'PATCH', `/v1/staff/${owner.id}`, { roleId: org.roles.manager })).status, 200, 'another owner remains');
});

test('PATCH and POST /v1/roles cannot add a capability the caller does not hold; removing is fine', async () => {
  const org = await createOrg(server.db);
  await createStaff(server.db, org, 'owner');
  // A custom role that manages roles but may not see contact details.
  const lead = await server.db.insertInto('roles').values({ org_id: org.id, key: null, name: 'Workshop lead', capabilities: ['messages.view', 'roles.manage', 'staff.manage'] })
    .returning('id').executeTakeFirstOrThrow();
  const leadToken = await createApiToken(server.db, org.id, 'lead-tool', ['messages.view', 'roles.manage', 'staff.manage']);
  const user = await createStaff(server.db, org, 'technician');
  await server.db.updateTable('staff_users').set({ role_id: lead.id }).where('id', '=', user.id).execute();
  const session: Session = await signInAs(server, user.email);

  for (const [who, send] of [['staff', (m: string, p: string, b?: unknown) => call(server, session, m, p, b)], ['token', (m: string, p: string, b?: unknown) => asToken(leadToken, m, p, b)]] as const) {
    const widen = await send('PATCH', `/v1/roles/${org.roles.technician}`, { capabilities: [...DEFAULT_ROLES.technician.capabilities, 'customers.contact.view'] });
    assert.equal(widen.status, 403, who);
    assert.equal(widen.json.error.code, 'capability_not_held', who);
    const self = await send('PATCH', `/v1/roles/${lead.id}`, { capabilities: ['messages.view', 'roles.manage', 'staff.manage', 'audit.view'] });
    assert.equal(self.status, 403, `${who}: cannot widen their own role`);
    const create = await send('POST', '/v1/roles', { name: `Contact viewers ${who}`, capabilities: ['messages.view', 'customers.contact.view'] });
    assert.equal(create.status, 403, who);
    const narrow = await send('PATCH', `/v1/roles/${org.roles.technician}`, { capabilities: ['messages.view', 'calls.view'] });
    assert.equal(narrow.status, 200, `${who}: removing a capability grants nothing`);
  }
  const technician = await server.db.selectFrom('roles').select('capabilities').where('id', '=', org.roles.technician).executeTakeFirstOrThrow();
  assert.deepEqual(technician.capabilities, ['calls.view', 'messages.view']);
});

test('the last active owner can be neither demoted nor disabled, even by themselves', async () => {
  const org = await createOrg(server.db);
  const owner = await createStaff(server.db, org, 'owner');
  const session = await signInAs(server, owner.email);
  for (const change of [{ roleId: org.roles.manager }, { disabled: true }]) {
    const res = await call(server, session, 'PATCH', `/v1/staff/${owner.id}`, change);
    assert.equal(res.status, 409, JSON.stringify(change));
    assert.equal(res.json.error.code, 'last_owner');
  }
  assert.deepEqual(await roleOf(owner.id), { roleId: org.roles.owner, disabled: false });
  // A disabled owner does not count as one.
  const dormant = await createStaff(server.db, org, 'owner');
  await server.db.updateTable('staff_users').set({ disabled_at: new Date() }).where('id', '=', dormant.id).execute();
  assert.equal((await call(server, session, 'PATCH', `/v1/staff/${owner.id}`, { disabled: true })).status, 409);
});

test('two owners demoting each other at once: one succeeds, one owner always remains', async () => {
  const org = await createOrg(server.db);
  const token = await createApiToken(server.db, org.id, 'full');
  for (let round = 0; round < 6; round++) {
    const a = await createStaff(server.db, org, 'owner');
    const b = await createStaff(server.db, org, 'owner');
    // Leave exactly two active owners: a and b.
    await server.db.updateTable('staff_users').set({ disabled_at: new Date() }).where('org_id', '=', org.id).where('role_id', '=', org.roles.owner)
      .where('id', 'not in', [a.id, b.id]).execute();
    const changes = round % 2 === 0 ? [{ roleId: org.roles.manager }, { roleId: org.roles.manager }] : [{ disabled: true }, { roleId: org.roles.technician }];
    const results = await Promise.all([
      asToken(token, 'PATCH', `/v1/staff/${a.id}`, changes[0]),
      asToken(token, 'PATCH', `/v1/staff/${b.id}`, changes[1]),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], `round ${round}: ${JSON.stringify(results.map((r) => r.json))}`);
    assert.equal(await activeOwners(org), 1, `round ${round}`);
  }
});
