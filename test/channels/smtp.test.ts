import '../support/no-network.js';
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSmtpAdapter, DEFAULT_EMAIL_SUBJECT, type SmtpConfig } from '../../src/channels/email/smtp.adapter.js';
import type { OutboundRequest } from '../../src/channels/contract.js';
import { closedLoopbackPort, rejectsWithProviderError, startFakeSmtp, type FakeSmtp } from '../support/fake-providers/index.js';

let smtp: FakeSmtp;

before(async () => {
  smtp = await startFakeSmtp();
});
after(() => smtp.close());
beforeEach(() => {
  smtp.requests.length = 0;
  smtp.respondWith(() => ({ kind: 'accept' }));
});

function config(overrides: Partial<SmtpConfig> = {}): SmtpConfig {
  return { smtpUrl: smtp.smtpUrl, from: "Smith's Garage <service@smiths.example>", timeoutMs: 2000, ...overrides };
}

const request: OutboundRequest = { messageId: 'msg-1', to: 'sam@example.org', body: 'Your car is ready — £120.50 to pay.\nSee you soon.' };

test('sends a plain-text mail with auth, the default subject, and returns the Message-ID', async () => {
  const result = await createSmtpAdapter(config()).send(request);

  assert.equal(smtp.requests.length, 1);
  const mail = smtp.requests[0]!;
  assert.deepEqual(mail.auth, { username: 'fake-user', password: 'fake-pass' });
  assert.equal(mail.from, 'service@smiths.example');
  assert.deepEqual(mail.to, ['sam@example.org']);
  assert.equal(mail.subject, DEFAULT_EMAIL_SUBJECT);
  assert.equal(mail.subject, 'A message from your garage');
  assert.equal(mail.headers.from, `"Smith's Garage" <service@smiths.example>`);
  assert.match(mail.headers['content-type'] ?? '', /^text\/plain/);
  assert.equal(mail.text.replace(/\r\n/g, '\n'), request.body);

  assert.equal(result.status, 'sent');
  assert.equal(result.providerMessageId, mail.headers['message-id']);
  assert.match(result.providerMessageId, /^<.+@.+>$/);
});

test('uses the request subject when given', async () => {
  await createSmtpAdapter(config()).send({ ...request, subject: 'Booking confirmed: Tuesday 09:00' });
  assert.equal(smtp.requests[0]!.subject, 'Booking confirmed: Tuesday 09:00');
});

test('a rejected recipient (550) is permanent with the reply code', async () => {
  smtp.respondWith({ kind: 'reject_recipient', code: 550, message: 'No such user here' });
  await rejectsWithProviderError(createSmtpAdapter(config()).send(request), { kind: 'permanent', providerCode: '550', message: /No such user/ });
  assert.equal(smtp.requests.length, 0);
});

test('refused authentication (535) is bad_credentials', async () => {
  smtp.respondWith({ kind: 'reject_auth' });
  await rejectsWithProviderError(createSmtpAdapter(config()).send(request), { kind: 'bad_credentials', providerCode: '535' });
});

test('4xx at end of DATA is retryable; other 5xx is permanent', async () => {
  smtp.respondWith([
    { kind: 'reject_message', code: 451, message: 'Temporary local problem, try later' },
    { kind: 'reject_message', code: 554, message: 'Message rejected as spam' },
  ]);
  const adapter = createSmtpAdapter(config());
  await rejectsWithProviderError(adapter.send(request), { kind: 'retryable', providerCode: '451', message: /Temporary local problem/ });
  await rejectsWithProviderError(adapter.send(request), { kind: 'permanent', providerCode: '554', message: /spam/ });
});

test('connection refused is retryable', async () => {
  const port = await closedLoopbackPort();
  await rejectsWithProviderError(createSmtpAdapter(config({ smtpUrl: `smtp://127.0.0.1:${port}` })).send(request), {
    kind: 'retryable',
    providerCode: null,
  });
});

test('a server that stops answering is retryable after timeoutMs', async () => {
  smtp.respondWith({ kind: 'hang' });
  await rejectsWithProviderError(createSmtpAdapter(config({ timeoutMs: 300 })).send(request), { kind: 'retryable', providerCode: null, message: /ETIMEDOUT/ });
});

test('a dropped connection is retryable', async () => {
  smtp.respondWith({ kind: 'drop' });
  await rejectsWithProviderError(createSmtpAdapter(config()).send(request), { kind: 'retryable', providerCode: null });
});
