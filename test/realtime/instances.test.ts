/**
 * Several server instances on one PostgreSQL database all deliver every
 * event (issue 5 item 7: fan-out through LISTEN/NOTIFY; nothing shared
 * lives in one process's memory). Instance A runs in this process, instance
 * B is `src/main.ts` in a child process over the same database; a client on
 * each receives what is posted to either, and a client resumes on B from
 * an id it received from A.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLIC_BASE_URL, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/fixtures.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { openEvents, type EventClient } from './sse-client.js';
import { bodyOf, inboundSms, waitForEvents, waitUntilLive } from './support.js';

const skip = !process.env.DATABASE_URL && 'needs PostgreSQL: PGlite is an in-process database that a second server process cannot open';

let a: TestServer;
let b: ChildServer;
let org: TestOrg;
const clients: EventClient[] = [];

async function open(baseUrl: string, lastEventId?: string): Promise<EventClient> {
  const client = await openEvents(baseUrl, { token: org.apiToken }, lastEventId === undefined ? {} : { lastEventId });
  clients.push(client);
  if (lastEventId === undefined) await waitUntilLive(client);
  return client;
}

before(async () => {
  if (skip) return;
  a = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(a.db);
  b = await startChildServer({ DATABASE_URL: a.database.url!, PUBLIC_BASE_URL, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, SEED_DEMO: 'false', RUN_WORKER: 'false' });
});
after(async () => {
  for (const c of clients) c.close();
  await b?.stop();
  await a?.close();
});

test('a webhook posted to either instance reaches the clients of both', { skip }, async () => {
  const onA = await open(a.baseUrl);
  const onB = await open(b.baseUrl);
  await inboundSms(a.baseUrl, org, 'posted to A');
  await inboundSms(b.baseUrl, org, 'posted to B');
  for (const client of [onA, onB]) {
    const events = await waitForEvents(client, 'both messages', (e) => bodyOf(e)?.startsWith('posted to ') === true, 2);
    assert.deepEqual(events.map(bodyOf), ['posted to A', 'posted to B']);
  }
  assert.deepEqual(onA.events.map((e) => e.id), onB.events.map((e) => e.id), 'the same ids on both instances');
});

test('a client resumes on instance B from an id it received from instance A', { skip }, async () => {
  const onA = await open(a.baseUrl);
  await inboundSms(a.baseUrl, org, 'seen on A');
  await waitForEvents(onA, 'the message', (e) => bodyOf(e) === 'seen on A');
  const resumeFrom = onA.lastEventId()!;
  onA.close();
  await inboundSms(a.baseUrl, org, 'missed 1');
  await inboundSms(b.baseUrl, org, 'missed 2');
  const onB = await open(b.baseUrl, resumeFrom);
  const events = await waitForEvents(onB, 'the missed messages', () => true, 2);
  assert.deepEqual(events.map(bodyOf), ['missed 1', 'missed 2']);
});
