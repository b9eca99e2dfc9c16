/**
 * Crash safety of the delivery outbox with real process kills: the server
 * runs as a child process (`src/main.ts`) over a database that outlives it,
 * is SIGKILLed, and a new process takes over.
 *
 * a. Killed BEFORE the provider call (the child runs no worker): the message
 *    and its job were committed together, so the next process delivers it,
 *    exactly once.
 * b. Killed AFTER Twilio received the request but before the sid was
 *    committed: the job stays `active` until its expiry (expireInSeconds =
 *    max(5, ⌈2 × PROVIDER_TIMEOUT_MS⌉) = 5 s here), then pg-boss's supervisor
 *    in the new process retries it and the message is delivered. Twilio has
 *    then received the message twice: this is the documented duplicate
 *    window (README "Duplicate window"): Twilio's and Meta's send APIs take
 *    no idempotency key, so a send whose acceptance was never recorded cannot
 *    be told apart from one that never arrived. The test allows 1 or 2
 *    requests and no more.
 *
 * The database: on PostgreSQL a fresh database shared by the test and the
 * children; on PGlite a temporary DATA_DIR, opened by the test only while no
 * child runs (PGlite is single-process).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { postTwilio } from '../support/providers.js';
import { PUBLIC_BASE_URL, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN } from '../support/server.js';
import { startFakeTwilio, type FakeTwilio, type TwilioScript } from '../support/fake-providers/index.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { createConversation, deliveryJobs, holdsFor, scriptPerRecipient, sendQueued, waitFor } from '../support/delivery.js';

/** A database the test and the child servers share, one at a time on PGlite. */
type SharedDatabase = {
  /** Environment that points a child at it. */
  env: Record<string, string>;
  /** Run `fn` against it (on PGlite: opens and closes it; never while a child runs). */
  use<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

async function sharedDatabase(): Promise<SharedDatabase> {
  if (process.env.DATABASE_URL) {
    const handle: TestDatabase = await createTestDatabase();
    return { env: { DATABASE_URL: handle.url! }, use: (fn) => fn(handle.db), close: () => handle.close() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'tf-crash-'));
  const use = async <T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> => {
    const handle = openDatabase({ dataDir: dir });
    try {
      await migrateToLatest(handle.db);
      return await fn(handle.db);
    } finally {
      await handle.close();
    }
  };
  return { env: { DATA_DIR: dir }, use, close: () => rm(dir, { recursive: true, force: true }) };
}

const PROVIDER_TIMEOUT_MS = 2500;
let twilio: FakeTwilio;
let scripts: ReturnType<typeof scriptPerRecipient<Record<string, string>, TwilioScript>>;
let database: SharedDatabase;
let org: TestOrg;
const children = new Set<ChildServer>();

before(async () => {
  twilio = await startFakeTwilio();
  scripts = scriptPerRecipient<Record<string, string>, TwilioScript>(twilio, (body) => body.To, { kind: 'success' });
  database = await sharedDatabase();
  org = await database.use((db) => createOrg(db));
});
after(async () => {
  for (const child of children) await child.kill();
  await twilio?.close();
  await database?.close();
});

async function child(runWorker: boolean): Promise<ChildServer> {
  const c = await startChildServer({
    ...database.env,
    SEED_DEMO: 'false',
    PUBLIC_BASE_URL,
    WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN,
    OUTBOUND_PROVIDERS: 'live',
    TWILIO_API_BASE_URL: twilio.baseUrl,
    PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
    DELIVERY_RETRY_DELAY_SECONDS: '1',
    DELIVERY_MAX_ATTEMPTS: '3',
    RUN_WORKER: String(runWorker),
  });
  children.add(c);
  return c;
}
async function kill(c: ChildServer) {
  await c.kill();
  children.delete(c);
}
async function stop(c: ChildServer) {
  await c.stop();
  children.delete(c);
}

async function smsCustomer() {
  return database.use(async (db) => {
    const customer = await createCustomer(db, org.id);
    const conversation = await createConversation(db, org.id, customer.id, { lastChannel: 'sms' });
    return { phone: customer.phone!, conversationId: conversation.id };
  });
}
const requestsTo = (phone: string) => twilio.requests.filter((r) => r.body.To === phone);

type MessageView = { id: string; status: string; providerMessageId: string | null; failureReason: string | null };
/** The message as the running child's API shows it. */
async function viewMessage(c: ChildServer, conversationId: string, id: string): Promise<MessageView | undefined> {
  const res = await fetch(`${c.baseUrl}/v1/conversations/${conversationId}/messages`, { headers: { authorization: `Bearer ${org.apiToken}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { messages: MessageView[] }).messages.find((m) => m.id === id);
}
function delivered(c: ChildServer, sid: string) {
  return postTwilio(c.baseUrl, '/twilio/status', { MessageSid: sid, MessageStatus: 'delivered', AccountSid: org.twilioAccountSid, From: org.twilioNumber, To: '+447700900123' }, org.twilioAuthToken);
}

describe('delivery survives a SIGKILL', () => {
  test('killed before the provider call: the committed message is delivered exactly once by the next process', async () => {
    const c = await smsCustomer();
    const first = await child(false);
    const id = await sendQueued(first.baseUrl, org.apiToken, c.conversationId, { body: 'Your car is ready', channel: 'sms' });
    assert.equal((await viewMessage(first, c.conversationId, id))?.status, 'pending');
    await kill(first);
    assert.equal(requestsTo(c.phone).length, 0, 'nothing was sent before the kill');

    const second = await child(true);
    const accepted = await waitFor('accepted by Twilio after the restart', async () => {
      const m = await viewMessage(second, c.conversationId, id);
      return m?.providerMessageId ? m : null;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    assert.equal((await delivered(second, accepted.providerMessageId!)).status, 204);
    assert.equal((await viewMessage(second, c.conversationId, id))?.status, 'delivered');
    assert.ok(await holdsFor(() => requestsTo(c.phone).length === 1, 1000), `exactly one request to Twilio, saw ${requestsTo(c.phone).length}`);
    assert.equal(requestsTo(c.phone)[0]!.body.Body, 'Your car is ready');
    await stop(second);

    const { attempts, jobs } = await database.use(async (db) => ({
      attempts: (await db.selectFrom('messages').select('attempts').where('id', '=', id).executeTakeFirstOrThrow()).attempts,
      jobs: await deliveryJobs(db, id),
    }));
    assert.equal(attempts, 1);
    assert.deepEqual(jobs.map((j) => [j.state, j.retry_count]), [['completed', 0]]);
  });

  test('killed after Twilio received the request but before the sid was committed: the job is retried after its expiry and the message is delivered (at most one duplicate)', async () => {
    const c = await smsCustomer();
    // The first request is never answered: the process dies while waiting for Twilio.
    scripts.script(c.phone, { kind: 'hang' }, { kind: 'success' });
    const first = await child(true);
    const id = await sendQueued(first.baseUrl, org.apiToken, c.conversationId, { body: 'Your MOT is booked', channel: 'sms' });
    await waitFor('Twilio received the send', () => requestsTo(c.phone).length === 1, { timeoutMs: 40_000 });
    await kill(first);

    const midFlight = await database.use(async (db) => ({
      message: await db.selectFrom('messages').select(['status', 'attempts', 'provider_message_id']).where('id', '=', id).executeTakeFirstOrThrow(),
      jobs: await deliveryJobs(db, id),
    }));
    assert.deepEqual(midFlight.message, { status: 'pending', attempts: 1, provider_message_id: null }, 'the kill left the message unsent as far as we know');
    assert.deepEqual(midFlight.jobs.map((j) => j.state), ['active'], 'and its job claimed by a worker that no longer exists');

    const second = await child(true);
    const accepted = await waitFor('accepted by Twilio after expiry and retry', async () => {
      const m = await viewMessage(second, c.conversationId, id);
      return m?.providerMessageId ? m : null;
    }, { timeoutMs: 90_000, intervalMs: 200 });
    assert.equal((await delivered(second, accepted.providerMessageId!)).status, 204);
    assert.equal((await viewMessage(second, c.conversationId, id))?.status, 'delivered');

    // The duplicate window: Twilio got the first request, and we could not know it was accepted.
    assert.ok(await holdsFor(() => requestsTo(c.phone).length <= 2, 1000));
    const n = requestsTo(c.phone).length;
    assert.ok(n >= 1 && n <= 2, `Twilio received the message ${n} times; at most one duplicate is allowed`);
    await stop(second);

    const end = await database.use(async (db) => ({
      attempts: (await db.selectFrom('messages').select('attempts').where('id', '=', id).executeTakeFirstOrThrow()).attempts,
      jobs: await deliveryJobs(db, id),
    }));
    assert.equal(end.attempts, 2, 'the interrupted attempt and the one that succeeded');
    assert.deepEqual(end.jobs.map((j) => [j.state, j.retry_count]), [['completed', 1]], 'the same job, retried once after expiry');
  });
});
