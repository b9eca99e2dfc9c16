/**
 * "Send portal invite" (issue 12 item 4): a fresh magic link by SMS or
 * e-mail on the customer's conversation, through the send rules — the link
 * signs the customer in; an SMS opt-out or a missing e-mail address refuses
 * it and stores neither message nor link; a technician may not send one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, type TestOrg } from '../support/fixtures.js';
import { withTenant } from '../../src/db/tenant.js';
import { setSmsOptOut } from '../../src/consent/consent.repository.js';
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

const links = (customerId: string) => server.db.selectFrom('portal_links').select(['id', 'conversation_id']).where('customer_id', '=', customerId).execute();

test('an SMS invite carries a fresh magic link that signs the customer in to the portal', async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Grace Evans' });
  const res = await call(server, advisor, 'POST', `/v1/customers/${customer.id}/portal-invite`, { channel: 'sms' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.outcome, 'queued');
  const message = await server.db.selectFrom('messages').selectAll().where('id', '=', res.json.messageId).executeTakeFirstOrThrow();
  assert.equal(message.channel, 'sms');
  assert.equal(message.consent_category, 'transactional');
  assert.equal(message.conversation_id, res.json.conversationId);
  const code = /\/l\/([A-Za-z0-9]{16})\b/.exec(message.body)?.[1];
  assert.ok(code, message.body);
  assert.match(message.body, /customer portal/);
  assert.equal((await links(customer.id)).length, 1);

  const signIn = await fetch(`${server.baseUrl}/l/${code}`, { method: 'POST', redirect: 'manual' });
  assert.equal(signIn.status, 303);
  assert.match(signIn.headers.get('set-cookie') ?? '', /tf_portal=/);

  const again = await call(server, advisor, 'POST', `/v1/customers/${customer.id}/portal-invite`, { channel: 'sms' });
  assert.equal(again.status, 201);
  assert.equal((await links(customer.id)).length, 2, 'each invite issues a fresh link');
  assert.equal(again.json.conversationId, res.json.conversationId, "the customer's one conversation");
});

test('an e-mail invite has a subject and a full https link', async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Mail Person', email: 'mail.person@example.co.uk' });
  const res = await call(server, advisor, 'POST', `/v1/customers/${customer.id}/portal-invite`, { channel: 'email' });
  assert.equal(res.status, 201, res.text);
  const message = await server.db.selectFrom('messages').selectAll().where('id', '=', res.json.messageId).executeTakeFirstOrThrow();
  assert.equal(message.channel, 'email');
  assert.match(message.body, /https?:\/\/[^ ]+\/l\/[A-Za-z0-9]{16}/);
  assert.match(String((message.metadata as { subject?: string }).subject), /customer portal/);
});

test('the send rules refuse an invite to an opted-out number or a customer without e-mail, storing nothing; technicians may not send', async () => {
  const optedOut = await createCustomer(server.db, org.id, { name: 'Stopped' });
  await withTenant(server.db, org.id, (trx) => setSmsOptOut(trx, org.id, optedOut.phone!, true, optedOut.id, { source: 'sms_keyword' }));
  const refused = await call(server, advisor, 'POST', `/v1/customers/${optedOut.id}/portal-invite`, { channel: 'sms' });
  assert.equal(refused.status, 422, refused.text);
  assert.equal((await links(optedOut.id)).length, 0, 'no link was issued');
  const noMessages = await server.db.selectFrom('messages as m').innerJoin('conversations as c', 'c.id', 'm.conversation_id').select('m.id').where('c.customer_id', '=', optedOut.id).execute();
  assert.equal(noMessages.length, 0);

  const noEmail = await createCustomer(server.db, org.id, { name: 'No Mail', email: null });
  const unavailable = await call(server, advisor, 'POST', `/v1/customers/${noEmail.id}/portal-invite`, { channel: 'email' });
  assert.equal(unavailable.status, 422);
  assert.equal(unavailable.json.error.code, 'channel_unavailable');

  assert.equal((await call(server, technician, 'POST', `/v1/customers/${noEmail.id}/portal-invite`, { channel: 'sms' })).status, 403);
  assert.equal((await call(server, advisor, 'POST', '/v1/customers/00000000-0000-4000-8000-000000000000/portal-invite', { channel: 'sms' })).status, 404);
});
