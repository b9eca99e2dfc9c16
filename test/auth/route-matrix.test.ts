/**
 * Every /v1 route × every default role (and no one): a role without the
 * route's capability gets 403, with it anything but 401/403; nobody gets
 * 401. The route list is read from the running server, so a new route is
 * covered the moment it exists, and one without a declared capability
 * cannot even be registered. Technicians never receive customer phone
 * numbers or email addresses.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams, postWhatsApp, whatsAppEnvelope } from '../support/providers.js';
import { DEFAULT_ROLES, type DefaultRoleKey } from '../../src/auth/capabilities.js';
import { guardRoutes, type RouteCapability } from '../../src/auth/guard.js';
import { call, signInAs, type Session } from './support.js';
import { createApiToken } from '../../src/api/api-tokens.js';

let server: TestServer;
let org: TestOrg;
const sessions = {} as Record<DefaultRoleKey, Session>;
const ROLES = Object.keys(DEFAULT_ROLES) as DefaultRoleKey[];

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
  for (const role of ROLES) sessions[role] = await signInAs(server, (await createStaff(server.db, org, role)).email);
});
after(() => server.close());

function roleAllows(role: DefaultRoleKey, required: RouteCapability): boolean {
  if (required === 'authenticated') return true;
  const caps: readonly string[] = DEFAULT_ROLES[role].capabilities;
  return (typeof required === 'string' ? [required] : required).some((c) => caps.includes(c));
}

const concrete = (url: string) => url.replace(/:category/g, 'marketing').replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

test('the server guards a non-trivial set of /v1 routes', () => {
  assert.ok(server.app.guardedRoutes.length >= 15, `only ${server.app.guardedRoutes.length} routes found`);
  assert.ok(server.app.guardedRoutes.every((r) => r.url.startsWith('/v1/')));
});

test('every route × every default role gets exactly what its capabilities allow', async () => {
  const failures: string[] = [];
  for (const route of server.app.guardedRoutes) {
    const path = concrete(route.url);
    const body = route.method === 'GET' ? undefined : {};
    const anonymous = await call(server, null, route.method, path, body);
    if (anonymous.status !== 401) failures.push(`${route.method} ${route.url} anonymous: ${anonymous.status}`);
    for (const role of ROLES) {
      const res = await call(server, sessions[role], route.method, path, body);
      const allowed = roleAllows(role, route.capability);
      if (allowed && (res.status === 401 || res.status === 403)) failures.push(`${route.method} ${route.url} ${role}: ${res.status} but the role has ${JSON.stringify(route.capability)}`);
      if (!allowed && (res.status !== 403 || res.json?.error?.code !== 'forbidden')) failures.push(`${route.method} ${route.url} ${role}: ${res.status} but the role lacks ${JSON.stringify(route.capability)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('the default roles follow the spec', () => {
  const has = (role: DefaultRoleKey, c: string) => (DEFAULT_ROLES[role].capabilities as readonly string[]).includes(c);
  assert.equal(has('technician', 'customers.consent.manage'), false, 'technicians cannot change consent');
  assert.equal(has('technician', 'customers.contact.view'), false);
  assert.equal(has('technician', 'messages.send'), false);
  assert.equal(has('technician', 'messages.send_gated'), true);
  for (const role of ['owner', 'manager'] as const) assert.ok(has(role, 'settings.communication.manage'), role);
  for (const role of ['owner', 'manager', 'service_advisor'] as const) assert.ok(has(role, 'customers.consent.manage'), role);
  assert.ok(ROLES.every((r) => has(r, 'messages.view')));
});

test('a route that declares no capability cannot be registered', async () => {
  const app = Fastify();
  await app.register(async (scope) => {
    guardRoutes(scope, server.db);
    assert.throws(() => scope.get('/v1/unguarded', async () => 'oops'), /declares no capability/);
  });
  await app.close();
});

test('technicians never receive customer phone numbers or email addresses, in any response', async () => {
  const phone = '+447700900555';
  const customer = await createCustomer(server.db, org.id, { name: 'Dana Driver', phone, email: 'dana.driver@example.co.uk' });
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: phone, to: org.twilioNumber, body: 'Is it ready?' }), org.twilioAuthToken);
  const unknownPhone = '+447700900556';
  await postWhatsApp(server.baseUrl, whatsAppEnvelope(org.whatsappPhoneNumberId, { contacts: [{ wa_id: unknownPhone.slice(1), profile: { name: 'Stranger' } }], messages: [{ from: unknownPhone.slice(1), id: `wamid.redact${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hello' } }] }));
  const conversation = await server.db.selectFrom('conversations').select('id').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
  const draft = await call(server, sessions.technician, 'POST', `/v1/conversations/${conversation.id}/messages`, { body: 'Ready at 4pm' });
  assert.equal(draft.status, 201);
  const forbidden = [phone, phone.slice(1), '07700900555', '7700900555', unknownPhone, unknownPhone.slice(1), '7700900556', 'dana.driver@example.co.uk'];
  const leaks = (text: string) => forbidden.filter((f) => text.includes(f));

  const paths = server.app.guardedRoutes.filter((r) => r.method === 'GET').map((r) => r.url.replace(/:id/g, conversation.id));
  let checked = 0;
  for (const path of paths) {
    const tech = await call(server, sessions.technician, 'GET', path);
    assert.deepEqual(leaks(tech.text), [], `${path} leaks contact details to a technician`);
    if (tech.status === 200) checked++;
  }
  assert.deepEqual(leaks(draft.text), [], 'the send response');
  assert.ok(checked >= 5, `only ${checked} routes answered the technician`);
  const advisorView = await call(server, sessions.service_advisor, 'GET', '/v1/conversations');
  assert.ok(leaks(advisorView.text).includes(phone), 'a service advisor does see the phone, so the check above can fail');
  assert.ok(leaks(advisorView.text).includes(unknownPhone));
  const approvals = await call(server, sessions.manager, 'GET', '/v1/approvals');
  assert.ok(approvals.text.includes(phone), 'managers see the contact in the approval queue');
});

test("a role's capabilities change on the next request; owners create custom roles", async () => {
  const receptionist = await call(server, sessions.owner, 'POST', '/v1/roles', { name: 'Receptionist', capabilities: ['messages.view', 'messages.view'] });
  assert.equal(receptionist.status, 201);
  assert.deepEqual(receptionist.json.capabilities, ['messages.view']);
  const user = await createStaff(server.db, org, 'technician');
  const userSession = await signInAs(server, user.email);
  assert.equal((await call(server, sessions.owner, 'PATCH', `/v1/staff/${user.id}`, { roleId: receptionist.json.id, reason: 'front desk' })).status, 200);
  assert.equal((await call(server, userSession, 'GET', '/v1/conversations')).status, 200);
  assert.equal((await call(server, userSession, 'POST', '/v1/conversations/00000000-0000-4000-8000-000000000000/messages', { body: 'x' })).status, 403);
  assert.equal((await call(server, sessions.owner, 'PATCH', `/v1/roles/${receptionist.json.id}`, { capabilities: [] })).status, 200);
  assert.equal((await call(server, userSession, 'GET', '/v1/conversations')).status, 403, 'the very next request');
  assert.equal((await call(server, sessions.manager, 'POST', '/v1/roles', { name: 'Nope', capabilities: [] })).status, 403, 'managers cannot manage roles');
  const ownerRole = (await call(server, sessions.owner, 'GET', '/v1/roles')).json.roles.find((r: any) => r.key === 'owner');
  assert.equal((await call(server, sessions.owner, 'PATCH', `/v1/roles/${ownerRole.id}`, { capabilities: ['messages.view'] })).status, 400, 'the owner role keeps roles.manage');
  const audit = await call(server, sessions.owner, 'GET', '/v1/audit-log');
  const actions = audit.json.entries.map((e: any) => e.action);
  assert.ok(actions.includes('role.created') && actions.includes('role.updated') && actions.includes('staff.updated'), actions.join(','));
  const roleChange = audit.json.entries.find((e: any) => e.action === 'staff.updated');
  assert.equal(roleChange.reason, 'front desk');
  assert.deepEqual(roleChange.after, { roleId: receptionist.json.id, disabled: false });
});

test('staff consent changes need customers.consent.manage and are audited with the staff user', async () => {
  const customer = await createCustomer(server.db, org.id);
  const path = `/v1/customers/${customer.id}/consent/marketing`;
  assert.equal((await call(server, sessions.technician, 'PUT', path, { granted: true })).status, 403);
  const res = await call(server, sessions.service_advisor, 'PUT', path, { granted: true });
  assert.equal(res.status, 200);
  assert.equal(res.json.changed, true);
  const entry = await server.db.selectFrom('consent_audit_log').selectAll().where('customer_id', '=', customer.id).where('source', '=', 'staff_entry').executeTakeFirstOrThrow();
  assert.equal(entry.action, 'granted');
  assert.equal(entry.previous_value, false);
  assert.ok(entry.performed_by_id);
});

test('an API token carries its own capability set', async () => {
  const token = await createApiToken(server.db, org.id, 'read-only integration', ['messages.view']);
  const asToken = (method: string, path: string, body?: unknown) => fetch(server.baseUrl + path, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  assert.equal((await asToken('GET', '/v1/conversations')).status, 200);
  const send = await asToken('POST', '/v1/conversations/00000000-0000-4000-8000-000000000000/messages', { body: 'x' });
  assert.equal(send.status, 403);
  const me = await (await asToken('GET', '/v1/me')).json() as { kind: string; capabilities: string[] };
  assert.deepEqual([me.kind, me.capabilities], ['token', ['messages.view']]);
  const conversations = await (await asToken('GET', '/v1/conversations')).text();
  assert.ok(conversations.includes('Dana Driver'), 'the customer from the redaction test is in the list');
  assert.ok(!conversations.includes('+447700900555'), 'without customers.contact.view a token gets no phone numbers either');
});
