/**
 * Resuming the real-time stream (issue 5 item 7): a client that reconnects
 * with its Last-Event-ID receives exactly the events it missed, in order,
 * once; a client whose cursor is older than the retained log is told to
 * resync, once, and then continues live.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/fixtures.js';
import { pruneInboxEvents } from '../../src/realtime/retention.js';
import { openEvents, type EventClient, type OpenOptions } from './sse-client.js';
import { bodyOf, inboundSms, logCursors, receivesNothing, waitForEvents, waitUntilLive } from './support.js';

let server: TestServer;
let org: TestOrg;
let other: TestOrg;
const clients: EventClient[] = [];

async function open(options: OpenOptions = {}): Promise<EventClient> {
  const client = await openEvents(server.baseUrl, { token: org.apiToken }, options);
  clients.push(client);
  return client;
}

function assertStrictlyIncreasing(ids: (string | null)[]): void {
  const pairs = ids.map((id) => id!.split('-').map(BigInt) as [bigint, bigint]);
  for (let i = 1; i < pairs.length; i++) {
    const [a, b] = [pairs[i - 1]!, pairs[i]!];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), `ids out of order or repeated: ${ids[i - 1]} then ${ids[i]}`);
  }
}

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
  other = await createOrg(server.db);
});
after(async () => {
  for (const c of clients) c.close();
  await server.close();
});

for (const via of ['header', 'query'] as const) {
  test(`a client that reconnects with its last event id (${via}) receives exactly the events it missed, in order, then live`, async () => {
    const first = await open();
    await waitUntilLive(first);
    for (const body of ['r1', 'r2', 'r3']) await inboundSms(server.baseUrl, org, `${via} ${body}`);
    await waitForEvents(first, 'the first three messages', (e) => bodyOf(e)?.startsWith(`${via} r`) ?? false, 3);
    const resumeFrom = first.lastEventId()!;
    first.close();
    await first.ended;

    for (const body of ['r4', 'r5', 'r6']) await inboundSms(server.baseUrl, org, `${via} ${body}`);
    await inboundSms(server.baseUrl, other, `${via} elsewhere`);
    const missed = (await logCursors(server.db, org.id)).slice((await logCursors(server.db, org.id)).indexOf(resumeFrom) + 1);
    assert.equal(missed.length, 3);

    const second = await open({ lastEventId: resumeFrom, viaQuery: via === 'query' });
    const caughtUp = await waitForEvents(second, 'the missed messages', () => true, 3);
    assert.deepEqual(caughtUp.map(bodyOf), [`${via} r4`, `${via} r5`, `${via} r6`]);
    assert.deepEqual(caughtUp.map((e) => e.id), missed);
    await inboundSms(server.baseUrl, org, `${via} r7`);
    await waitForEvents(second, 'the live message', (e) => bodyOf(e) === `${via} r7`);
    await receivesNothing(second, (e) => !/^(header|query) r[4-7]$/.test(bodyOf(e) ?? ''));
    assert.deepEqual(second.events.map(bodyOf), [`${via} r4`, `${via} r5`, `${via} r6`, `${via} r7`]);
    assertStrictlyIncreasing(second.events.map((e) => e.id));
  });
}

test('a client catching up on 1,500 missed events while messages keep arriving gets every one exactly once, in order', async () => {
  const first = await open();
  await waitUntilLive(first);
  await inboundSms(server.baseUrl, org, 'race start');
  await waitForEvents(first, 'the first message', (e) => bodyOf(e) === 'race start');
  const resumeFrom = first.lastEventId()!;
  first.close();
  // Enough missed events for a catch-up of several reads, so live events arrive while it runs.
  await sql`INSERT INTO inbox_events (org_id, type, payload) SELECT ${org.id}, 'conversation.assigned', jsonb_build_object('n', n) FROM generate_series(1, 1500) n`.execute(server.db);

  const bodies = Array.from({ length: 30 }, (_, i) => `race ${i}`);
  const writing = (async () => {
    for (let i = 0; i < bodies.length; i += 5) await Promise.all(bodies.slice(i, i + 5).map((b) => inboundSms(server.baseUrl, org, b)));
  })();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const second = await open({ lastEventId: resumeFrom });
  await writing;
  const log = await logCursors(server.db, org.id);
  const missed = log.slice(log.indexOf(resumeFrom) + 1);
  await waitForEvents(second, 'every missed event', () => true, missed.length);
  await receivesNothing(second, (e) => !missed.includes(e.id!));
  assert.deepEqual(second.events.map((e) => e.id), missed);
  assert.deepEqual(new Set(second.events.map(bodyOf).filter((b) => b !== undefined)), new Set(bodies));
  assertStrictlyIncreasing(second.events.map((e) => e.id));
});

test('a cursor older than the retained log gets one resync event, then the stream continues live', async () => {
  const first = await open();
  await waitUntilLive(first);
  await inboundSms(server.baseUrl, org, 'old news');
  await waitForEvents(first, 'the message', (e) => bodyOf(e) === 'old news');
  const stale = first.lastEventId()!;
  first.close();
  await inboundSms(server.baseUrl, org, 'also pruned');
  await inboundSms(server.baseUrl, org, 'kept');

  await sql`UPDATE inbox_events SET created_at = now() - interval '2 days' WHERE payload->>'body' IN ('old news', 'also pruned')`.execute(server.db);
  assert.ok(await pruneInboxEvents(server.db, new Date(Date.now() - 24 * 3_600_000)) >= 2);

  const second = await open({ lastEventId: stale });
  const [resync] = await waitForEvents(second, 'the resync', (e) => e.event === 'resync');
  assert.equal(resync!.data.type, 'resync');
  assert.equal(second.events[0]!.event, 'resync', 'nothing before the resync');
  await inboundSms(server.baseUrl, org, 'after resync');
  await waitForEvents(second, 'the live message', (e) => bodyOf(e) === 'after resync');
  await receivesNothing(second, (e) => e.event === 'resync' && e !== resync);
  assert.equal(second.events.filter((e) => e.event === 'resync').length, 1);

  const third = await open({ lastEventId: second.lastEventId()! });
  await inboundSms(server.baseUrl, org, 'still going');
  await waitForEvents(third, 'the next live message', (e) => bodyOf(e) === 'still going');
  assert.deepEqual(third.events.map((e) => e.event), ['message.created'], 'a cursor after the horizon resumes without a resync');
});

test('a cursor from the future (not issued by this log) gets a resync', async () => {
  const client = await open({ lastEventId: '999999999999-1' });
  const [resync] = await waitForEvents(client, 'the resync', (e) => e.event === 'resync');
  assert.equal(resync!.data.payload.reason, 'unknown_cursor');
});
