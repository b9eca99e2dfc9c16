/**
 * Issue 10 item 1: the server survives PostgreSQL dropping its connections
 * (a restart, a failover, `idle_session_timeout`, a PgBouncer recycle), as
 * `pg_terminate_backend` does to every backend of the app's database.
 *
 * The real server runs as a child process (`src/main.ts`) so that its death
 * is observable. While 200 signed Twilio webhooks arrive (8 at a time, each
 * retried like Twilio retries until it is acknowledged), an admin connection
 * terminates every backend of the database, repeatedly: idle pool
 * connections, connections in the middle of a transaction, the LISTEN
 * connection of the real-time dispatcher and pg-boss's pool alike.
 * Afterwards:
 * - the process is alive and every webhook was acknowledged, failed
 *   attempts answered 5xx (so the provider retries) and every message is
 *   stored exactly once;
 * - the real-time stream still delivers new events (the LISTEN connection
 *   and the dispatcher's reader recovered);
 * - a reply composed afterwards is delivered (pg-boss recovered).
 *
 * PostgreSQL only: PGlite is an in-process database with no connections to drop.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { newSid, smsParams, twilioSignature } from '../support/providers.js';
import { PUBLIC_BASE_URL, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN } from '../support/server.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { createConversation, sendQueued, waitFor } from '../support/delivery.js';
import { openEvents, type EventClient } from '../realtime/sse-client.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
const WEBHOOKS = 200;
const CONCURRENCY = 8;
const SENDERS = 20;

let database: TestDatabase;
let org: TestOrg;
let server: ChildServer;
let admin: pg.Client;
let databaseName: string;
let conversationId: string;

/** Terminate every backend of the app's database except the admin's own; returns how many. */
async function terminateAll(): Promise<number> {
  const r = await admin.query('SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName]);
  return r.rows[0].n as number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** POST one signed webhook until it is acknowledged; returns the statuses of the failed attempts. */
async function deliverUntilAcknowledged(params: Record<string, string>): Promise<number[]> {
  const signature = twilioSignature(org.twilioAuthToken, `${PUBLIC_BASE_URL}/twilio/sms`, params);
  const failed: number[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    const status = await fetch(`${server.baseUrl}/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    }).then((res) => res.text().then(() => res.status), () => 0);
    if (status >= 200 && status < 300) return failed;
    if (status === 0 && !alive(server.pid)) throw new Error(`the server process died:\n${server.output().slice(-3000)}`);
    failed.push(status);
    await delay(50 + attempt * 20);
  }
  throw new Error(`webhook ${params.MessageSid} was never acknowledged: ${failed.join(', ')}`);
}

describe('dropped PostgreSQL connections', { skip: !onPostgres && 'needs PostgreSQL (DATABASE_URL): PGlite runs in-process, it has no server connections for pg_terminate_backend to drop' }, () => {
  before(async () => {
    database = await createTestDatabase();
    databaseName = new URL(database.url!).pathname.slice(1);
    org = await createOrg(database.db);
    const customer = await createCustomer(database.db, org.id);
    conversationId = (await createConversation(database.db, org.id, customer.id, { lastChannel: 'sms' })).id;
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    server = await startChildServer({
      DATABASE_URL: database.url!,
      SEED_DEMO: 'false',
      PUBLIC_BASE_URL,
      WHATSAPP_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN,
    });
  });
  after(async () => {
    await server?.kill();
    await admin?.end();
    await database?.close();
  });

  test('terminating every backend mid-load, repeatedly: the process stays up, every webhook is stored exactly once, real time and the job queue recover', async () => {
    const stream: EventClient = await openEvents(server.baseUrl, { token: org.apiToken });
    const sids = Array.from({ length: WEBHOOKS }, () => newSid());
    let next = 0;
    let acknowledged = 0;
    const failedStatuses: number[] = [];
    const worker = async () => {
      while (next < sids.length) {
        const i = next++;
        const from = `+447700900${String(i % SENDERS).padStart(3, '0')}`;
        failedStatuses.push(...(await deliverUntilAcknowledged(smsParams({ sid: sids[i]!, from, to: org.twilioNumber, body: `Message ${i}` }))));
        acknowledged++;
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Terminate everything at several points of the load (the first one mid-way through the first batch).
    let terminations = 0;
    let terminated = 0;
    for (const at of [10, 50, 90, 130, 170]) {
      await waitFor(`${at} webhooks acknowledged`, () => acknowledged >= at || next >= sids.length, { timeoutMs: 60_000 });
      terminated += await terminateAll();
      terminations++;
      await delay(30);
      terminated += await terminateAll();
      terminations++;
    }
    await load;

    assert.ok(terminated >= terminations, `backends were terminated (${terminated} in ${terminations} rounds)`);
    assert.ok(failedStatuses.length > 0, 'some attempts failed while the connections dropped (otherwise the test proved nothing)');
    assert.deepEqual([...new Set(failedStatuses)].filter((s) => s < 500), [], 'failed attempts answered 5xx (or lost the connection), never 4xx: providers retry');
    assert.equal(acknowledged, WEBHOOKS);
    assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200, 'the same process still answers');

    const rows = await database.db.selectFrom('messages').select(['provider_message_id']).where('org_id', '=', org.id).where('direction', '=', 'inbound').execute();
    assert.equal(rows.length, WEBHOOKS, 'each webhook stored once');
    assert.deepEqual(new Set(rows.map((r) => r.provider_message_id)), new Set(sids));

    // Real time recovered: one more terminate, then a new webhook reaches the open stream.
    await terminateAll();
    await delay(200);
    const createdBefore = stream.events.filter((e) => e.data.type === 'message.created').length;
    await deliverUntilAcknowledged(smsParams({ sid: newSid(), from: '+447700900999', to: org.twilioNumber, body: 'After the drops' }));
    await waitFor('the new message on the event stream', () => stream.events.filter((e) => e.data.type === 'message.created').length > createdBefore, { timeoutMs: 20_000 });
    stream.close();

    // The job queue recovered: a reply composed now is handed to the (sandbox) provider.
    await terminateAll();
    let messageId = '';
    await waitFor('a reply accepted', async () => {
      try {
        messageId = await sendQueued(server.baseUrl, org.apiToken, conversationId, { body: 'Thanks, noted', channel: 'sms' });
        return true;
      } catch {
        return false;
      }
    }, { timeoutMs: 20_000 });
    await waitFor('the reply delivered by the worker', async () => {
      const m = await database.db.selectFrom('messages').select(['status', 'provider_message_id']).where('id', '=', messageId).executeTakeFirst();
      return m && m.provider_message_id !== null;
    }, { timeoutMs: 30_000 });
    assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200);
  });
});
