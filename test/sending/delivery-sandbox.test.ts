/**
 * The zero-setup demo (OUTBOUND_PROVIDERS=sandbox, the default): nothing
 * leaves the machine, the sandbox accepts the message and the queue plays
 * back realistic statuses through the same forward-only path as provider
 * callbacks: WhatsApp sent → delivered (~1.5 s) → read (~6 s); a recipient
 * ending in 999 fails with Meta's 131026.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { createConversation, sendQueued, waitForMessage } from '../support/delivery.js';
import type { Message } from '../../src/db/schema.js';

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer();
  assert.equal(server.config.OUTBOUND_PROVIDERS, 'sandbox', 'sandbox is the default');
  org = await createOrg(server.db);
});
after(() => server?.close());

async function whatsAppConversation(phone?: string) {
  const customer = await createCustomer(server.db, org.id, phone ? { phone } : {});
  return createConversation(server.db, org.id, customer.id, { lastChannel: 'whatsapp', whatsappWindow: 'open' });
}

/** Poll a message until `last` status, recording every distinct status seen on the way. */
async function statusesUntil(id: string, last: Message['status'], timeoutMs: number): Promise<{ seen: Array<Message['status']>; message: Message }> {
  const seen: Array<Message['status']> = [];
  const message = await waitForMessage(server.db, id, `status ${last}`, (m) => {
    if (seen.at(-1) !== m.status) seen.push(m.status);
    return m.status === last;
  }, { timeoutMs, intervalMs: 100 });
  return { seen, message };
}

test('a WhatsApp reply in the sandbox is accepted, then played back as delivered and later read', async () => {
  const conversation = await whatsAppConversation();
  const id = await sendQueued(server.baseUrl, org.apiToken, conversation.id, { body: 'Your car is ready' });

  const { seen, message } = await statusesUntil(id, 'read', 20_000);
  assert.equal(message.provider, 'sandbox');
  assert.match(message.provider_message_id!, /^sandbox-[0-9a-f-]{36}$/);
  assert.ok(seen.includes('delivered'), `delivered is shown before read: ${seen.join(' → ')}`);
  assert.ok(seen.indexOf('delivered') < seen.indexOf('read'));
  const events = await server.db.selectFrom('message_status_events').select(['status', 'provider']).where('provider_message_id', '=', message.provider_message_id!).orderBy('received_at').execute();
  assert.deepEqual(events, [{ status: 'delivered', provider: 'sandbox' }, { status: 'read', provider: 'sandbox' }]);
});

test('a sandbox recipient ending in 999 ends failed with Meta’s 131026 and a reason', async () => {
  const phone = `+4477009${String(Math.floor(Math.random() * 100)).padStart(2, '0')}999`;
  const conversation = await whatsAppConversation(phone);
  const id = await sendQueued(server.baseUrl, org.apiToken, conversation.id, { body: 'Hello?' });

  const { message } = await statusesUntil(id, 'failed', 20_000);
  assert.equal(message.provider, 'sandbox');
  assert.equal(message.provider_error_code, '131026');
  assert.equal(message.failure_reason, 'Message undeliverable');
});
