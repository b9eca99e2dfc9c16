/**
 * The Approval Queue (spec: messaging-inbox.txt) and the staff audit log.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, type TestOrg } from '../support/fixtures.js';
import { withTenant } from '../../src/db/tenant.js';
import { customerWhatsApps } from '../sending/compose-support.js';
import { call, signInAs, type Session } from './support.js';

let server: TestServer;
let org: TestOrg;
let tech: Session;
let techUser: { id: string; name: string };
let manager: Session;
let owner: Session;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db, { name: 'Acme Motors' });
  const t = await createStaff(server.db, org, 'technician', 'Tom Technician');
  techUser = t;
  tech = await signInAs(server, t.email);
  manager = await signInAs(server, (await createStaff(server.db, org, 'manager')).email);
  owner = await signInAs(server, (await createStaff(server.db, org, 'owner')).email);
});
after(() => server.close());

async function draft(hoursAgo = 1, body = 'Your car will be ready at 4pm') {
  const customer = await createCustomer(server.db, org.id, { name: 'Priya Shah' });
  const conversationId = await customerWhatsApps(server, org, customer.phone!, hoursAgo, 'When will it be ready?');
  const r = await call(server, tech, 'POST', `/v1/conversations/${conversationId}/messages`, { body });
  assert.equal(r.status, 201, r.text);
  return { conversationId, customer, message: r.json.message };
}

test('a gated reply is stored pending_approval under its author and nothing is queued', async () => {
  const { message } = await draft();
  assert.equal(message.status, 'pending_approval');
  assert.equal(message.senderUserId, techUser.id);
  assert.equal(message.provider, null);
  const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'deliver-message' AND data->>'messageId' = ${message.id}`.execute(server.db);
  assert.equal(jobs.rows[0]!.n, 0);
});

test('approvers see the queue oldest first with context; technicians cannot', async () => {
  const first = await draft(1, 'first draft');
  const second = await draft(1, 'second draft');
  assert.equal((await call(server, tech, 'GET', '/v1/approvals')).status, 403);
  const queue = await call(server, manager, 'GET', '/v1/approvals');
  assert.equal(queue.status, 200);
  const ids = queue.json.approvals.map((a: any) => a.message.id);
  assert.ok(ids.indexOf(first.message.id) < ids.indexOf(second.message.id), 'oldest first');
  const item = queue.json.approvals.find((a: any) => a.message.id === first.message.id);
  assert.equal(item.author.name, 'Tom Technician');
  assert.equal(item.conversation.customerName, 'Priya Shah');
  assert.deepEqual(item.recentMessages.map((m: any) => m.body), ['When will it be ready?']);
});

test("the context is the conversation as the thread shows it: the garage's own replies included, by when they happened", async () => {
  const d = await draft(1, 'context draft');
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
  // Rows written after the draft but dated before it (an import, the demo seed, a provider-timestamped row).
  await withTenant(server.db, org.id, async (trx) => {
    for (const [body, direction, minutesAgo] of [['Booked in for Tuesday', 'outbound', 300], ['We will call you at 3pm', 'outbound', 50]] as const) {
      await trx.insertInto('messages').values({
        org_id: org.id, conversation_id: d.conversationId, direction, channel: 'sms', body, content_type: 'text', media: '[]', metadata: '{}',
        status: 'delivered', failure_reason: null, provider_error_code: null, provider: 'twilio', provider_message_id: null, cost: null, cost_currency: null,
        sender_user_id: null, notification_type: null, occurred_at: at(minutesAgo),
      }).execute();
    }
  });
  const queue = await call(server, manager, 'GET', '/v1/approvals');
  const item = queue.json.approvals.find((a: any) => a.message.id === d.message.id);
  assert.deepEqual(item.recentMessages.map((m: any) => [m.direction, m.body]), [
    ['outbound', 'Booked in for Tuesday'], ['inbound', 'When will it be ready?'], ['outbound', 'We will call you at 3pm'],
  ]);
});

test('approving with an edit sends the edited text by the usual rules and is audited', async () => {
  const { message } = await draft(1, 'Redy at 4');
  const r = await call(server, manager, 'POST', `/v1/approvals/${message.id}/approve`, { body: 'Ready at 4pm' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.outcome, 'queued');
  assert.equal(r.json.message.id, message.id, 'the draft itself is sent');
  assert.equal(r.json.message.body, 'Ready at 4pm');
  assert.equal(r.json.message.status, 'pending');
  assert.equal(r.json.message.senderUserId, techUser.id, 'the author stays the author');
  const audit = await call(server, owner, 'GET', '/v1/audit-log');
  const entry = audit.json.entries.find((e: any) => e.action === 'message.approved' && e.targetId === message.id);
  assert.deepEqual(entry.before, { body: 'Redy at 4', status: 'pending_approval' });
  assert.deepEqual(entry.after, { body: 'Ready at 4pm', outcome: 'queued' });
  assert.ok(entry.actorUserId);
});

test('an approved reply into an expired WhatsApp window goes through the bridge like any other', async () => {
  const { message, conversationId } = await draft(30);
  const r = await call(server, manager, 'POST', `/v1/approvals/${message.id}/approve`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.outcome, 'bridged');
  assert.equal(r.json.message.failureReason, 'window_expired_bridge_sent');
  assert.equal(r.json.bridge.notificationType, 'bridge');
  const bridges = await server.db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('notification_type', '=', 'bridge').execute();
  assert.equal(bridges.length, 1);
});

test('approving twice at once has one outcome; the other is 409', async () => {
  const { message } = await draft();
  const results = await Promise.all([0, 1, 2, 3].map(() => call(server, manager, 'POST', `/v1/approvals/${message.id}/approve`, {})));
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409]);
  assert.ok(results.filter((r) => r.status === 409).every((r) => r.json.error.code === 'already_decided'));
  const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'deliver-message' AND data->>'messageId' = ${message.id}`.execute(server.db);
  assert.equal(jobs.rows[0]!.n, 1, 'delivered once');
});

test('approve and reject at once: exactly one wins', async () => {
  const { message } = await draft();
  const [a, r] = await Promise.all([
    call(server, manager, 'POST', `/v1/approvals/${message.id}/approve`, {}),
    call(server, owner, 'POST', `/v1/approvals/${message.id}/reject`, { reason: 'Wrong customer' }),
  ]);
  assert.deepEqual([a.status, r.status].sort(), [200, 409]);
  const row = await server.db.selectFrom('messages').select('status').where('id', '=', message.id).executeTakeFirstOrThrow();
  assert.equal(row.status, a.status === 200 ? 'pending' : 'rejected');
});

test('a rejection carries its reason, which the author sees on the message', async () => {
  const { message, conversationId } = await draft();
  const r = await call(server, manager, 'POST', `/v1/approvals/${message.id}/reject`, { reason: 'Please quote the price too' });
  assert.equal(r.status, 200);
  const thread = await call(server, tech, 'GET', `/v1/conversations/${conversationId}/messages`);
  const seen = thread.json.messages.find((m: any) => m.id === message.id);
  assert.equal(seen.status, 'rejected');
  assert.equal(seen.failureReason, 'Please quote the price too');
  assert.equal((await call(server, manager, 'POST', `/v1/approvals/${message.id}/reject`, { reason: 'again' })).status, 409);
  assert.equal((await call(server, manager, 'POST', `/v1/approvals/${message.id}/reject`, {})).status, 400, 'a reason is required');
});

test('if consent is withdrawn before approval, approving fails by the consent rule and the draft stays pending', async () => {
  const { message, customer } = await draft();
  await sql`UPDATE customer_consents SET granted = false WHERE customer_id = ${customer.id} AND category = 'whatsapp'`.execute(server.db);
  const r = await call(server, manager, 'POST', `/v1/approvals/${message.id}/approve`, {});
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'whatsapp_consent_revoked');
  const row = await server.db.selectFrom('messages').select('status').where('id', '=', message.id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'pending_approval');
});

test('a user with messages.send sends directly, never through the queue', async () => {
  const advisor = await signInAs(server, (await createStaff(server.db, org, 'service_advisor')).email);
  const customer = await createCustomer(server.db, org.id);
  const conversationId = await customerWhatsApps(server, org, customer.phone!, 1);
  const r = await call(server, advisor, 'POST', `/v1/conversations/${conversationId}/messages`, { body: 'On our way', sender: { type: 'ai' } });
  assert.equal(r.json.outcome, 'queued');
  assert.equal(r.json.message.aiGenerated, false, 'signed-in staff always send as themselves');
});

test('the staff audit log is append-only for the application role and the owner alike', async () => {
  const { message } = await draft();
  await call(server, manager, 'POST', `/v1/approvals/${message.id}/reject`, { reason: 'no' });
  await assert.rejects(withTenant(server.db, org.id, (trx) => sql`UPDATE staff_audit_log SET reason = 'edited' WHERE target_id = ${message.id}`.execute(trx)), /permission denied|append-only/);
  await assert.rejects(withTenant(server.db, org.id, (trx) => sql`DELETE FROM staff_audit_log WHERE target_id = ${message.id}`.execute(trx)), /permission denied|append-only/);
  await assert.rejects(sql`UPDATE staff_audit_log SET reason = 'edited' WHERE target_id = ${message.id}`.execute(server.db), /append-only/);
  await assert.rejects(sql`DELETE FROM staff_audit_log WHERE target_id = ${message.id}`.execute(server.db), /append-only/);
  const rows = await withTenant(server.db, org.id, (trx) => trx.selectFrom('staff_audit_log').select('reason').where('target_id', '=', message.id).execute());
  assert.deepEqual(rows, [{ reason: 'no' }]);
});
