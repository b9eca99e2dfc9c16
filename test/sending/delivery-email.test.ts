/**
 * Email delivery over real SMTP to a fake SMTP server (smtp-server): the
 * envelope, headers and text the server received, the Message-ID kept as the
 * provider id, a temporary 4xx retried, and a 5xx refusal failing the
 * message with the reply code.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { startFakeSmtp, type FakeSmtp } from '../support/fake-providers/index.js';
import { DEFAULT_EMAIL_SUBJECT } from '../../src/channels/email/smtp.adapter.js';
import { createConversation, deliveryJobs, holdsFor, messageRow, sendQueued, waitFor, waitForStatus, LIVE_DELIVERY_ENV } from '../support/delivery.js';

let server: TestServer;
let smtp: FakeSmtp;
let org: TestOrg;

before(async () => {
  smtp = await startFakeSmtp();
  server = await startTestServer({
    ...LIVE_DELIVERY_ENV,
    SMTP_URL: smtp.smtpUrl,
  });
  org = await createOrg(server.db);
});
after(async () => {
  await server?.close();
  await smtp?.close();
});

let n = 0;
async function emailCustomer() {
  const email = `driver${++n}-${process.pid}@customer.example`;
  const customer = await createCustomer(server.db, org.id, { email });
  const conversation = await createConversation(server.db, org.id, customer.id, { lastChannel: 'email' });
  return { email, conversationId: conversation.id };
}
const mailTo = (email: string) => smtp.requests.filter((m) => m.to.includes(email));

test('an email reply is sent over SMTP from the garage address with its subject and text, and ends sent with the Message-ID', async () => {
  const c = await emailCustomer();
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, {
    subject: 'Your invoice – Golf AB12 CDE',
    body: 'Hello Sam,\n\nYour car is ready. The invoice comes to £240.\n\nThanks',
  });

  const m = await waitForStatus(server.db, id, 'sent');
  const [mail, ...more] = mailTo(c.email);
  assert.ok(mail);
  assert.equal(more.length, 0);
  assert.equal(mail.from, org.emailFrom, 'envelope sender');
  assert.deepEqual(mail.to, [c.email], 'envelope recipient');
  assert.equal(mail.headers.from, org.emailFrom);
  assert.equal(mail.headers.to, c.email);
  assert.equal(mail.subject, 'Your invoice – Golf AB12 CDE');
  assert.equal(mail.text.replace(/\r\n/g, '\n'), 'Hello Sam,\n\nYour car is ready. The invoice comes to £240.\n\nThanks');
  assert.deepEqual(mail.auth, { username: 'fake-user', password: 'fake-pass' }, 'authenticated with the SMTP_URL credentials');

  assert.equal(m.channel, 'email');
  assert.equal(m.provider, 'smtp');
  assert.equal(m.provider_message_id, mail.headers['message-id']);
  assert.match(m.provider_message_id!, /^<.+@.+>$/);
  assert.equal(m.attempts, 1);
});

test('an email without a subject gets the default subject', async () => {
  const c = await emailCustomer();
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'See you Tuesday' });
  await waitForStatus(server.db, id, 'sent');
  assert.equal(mailTo(c.email)[0]?.subject, DEFAULT_EMAIL_SUBJECT);
});

test('a temporary SMTP refusal (451) is retried and the email is accepted once on the next attempt', async () => {
  const c = await emailCustomer();
  smtp.respondWith([{ kind: 'reject_message', code: 451, message: 'Temporary local problem, try again' }, { kind: 'accept' }]);
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Second try' });
  const m = await waitForStatus(server.db, id, 'sent', { timeoutMs: 20_000 });
  assert.equal(m.attempts, 2);
  assert.equal(mailTo(c.email).length, 2, 'the refused DATA and the accepted one');
});

test('a permanent SMTP refusal (550 no such user) fails the email with the reply code, without retrying', async () => {
  const c = await emailCustomer();
  smtp.respondWith({ kind: 'reject_recipient', code: 550, message: 'No such user here' });
  const id = await sendQueued(server.baseUrl, org.apiToken, c.conversationId, { body: 'Anyone there?' });
  const m = await waitForStatus(server.db, id, 'failed');
  assert.equal(m.provider_error_code, '550');
  assert.equal(m.failure_reason, 'Mailbox unavailable (no such address, or mail refused)');
  assert.match(m.provider_error_text!, /No such user here/);
  assert.equal(m.attempts, 1);
  const jobs = await waitFor('job settled', async () => {
    const j = await deliveryJobs(server.db, id);
    return j.every((x) => x.state === 'completed') && j.length > 0 ? j : null;
  });
  assert.deepEqual(jobs.map((j) => j.retry_count), [0]);
  assert.ok(await holdsFor(async () => (await messageRow(server.db, id)).attempts === 1 && mailTo(c.email).length === 0, 300), 'no further attempt (the refused RCPT never reached DATA)');
});
