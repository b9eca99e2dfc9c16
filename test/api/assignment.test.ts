/** Assigning conversations to staff, audited (spec: messaging-inbox.txt, Assignment). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, uniquePhone, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { call, signInAs } from '../auth/support.js';

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
});
after(() => server.close());

test('assigning and unassigning a conversation is reflected on it and recorded in the audit log', async () => {
  const phone = uniquePhone();
  await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: phone, to: org.twilioNumber }), org.twilioAuthToken);
  const conversation = await server.db.selectFrom('conversations').select('id').where('contact_phone', '=', phone).executeTakeFirstOrThrow();
  const advisor = await createStaff(server.db, org, 'service_advisor');
  const tech = await signInAs(server, (await createStaff(server.db, org, 'technician')).email);
  const owner = await signInAs(server, (await createStaff(server.db, org, 'owner')).email);
  const path = `/v1/conversations/${conversation.id}/assignee`;

  const assigned = await call(server, tech, 'PUT', path, { userId: advisor.id, reason: 'brakes job' });
  assert.equal(assigned.status, 200, assigned.text);
  assert.deepEqual(assigned.json, { id: conversation.id, assigneeId: advisor.id, changed: true });
  assert.equal((await call(server, tech, 'GET', `/v1/conversations/${conversation.id}`)).json.assigneeId, advisor.id);
  assert.equal((await call(server, tech, 'PUT', path, { userId: advisor.id })).json.changed, false, 'same assignee: no change, no audit entry');
  assert.equal((await call(server, tech, 'PUT', path, { userId: null })).json.assigneeId, null);

  const other = await createOrg(server.db);
  const stranger = await createStaff(server.db, other, 'technician');
  const bad = await call(server, tech, 'PUT', path, { userId: stranger.id });
  assert.equal(bad.status, 400, "another organisation's user cannot be assigned");

  const audit = (await call(server, owner, 'GET', '/v1/audit-log')).json.entries.filter((e: any) => e.targetId === conversation.id);
  assert.deepEqual(audit.map((e: any) => [e.action, e.before, e.after, e.reason]), [
    ['conversation.unassigned', { assigneeId: advisor.id }, { assigneeId: null }, null],
    ['conversation.assigned', { assigneeId: null }, { assigneeId: advisor.id }, 'brakes job'],
  ]);
});
