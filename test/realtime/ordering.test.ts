/**
 * Gap-free delivery under concurrency (issue 5 item 7): events committed by
 * many concurrent transactions reach a client exactly once and in the log's
 * (tx, id) order, and an event committed while an older transaction is
 * still open is held back until that one finishes, so the older one's
 * events are not skipped; one open in another database of the cluster
 * holds nothing back.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/fixtures.js';
import { openEvents, type EventClient } from './sse-client.js';
import { bodyOf, inboundSms, logCursors, receivesNothing, waitForEvents, waitUntilLive } from './support.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
const POSTGRES_ONLY = 'needs concurrent transactions: PGlite has one connection, so its transactions never overlap';

let server: TestServer;
let org: TestOrg;
const clients: EventClient[] = [];

async function open(): Promise<EventClient> {
  const client = await openEvents(server.baseUrl, { token: org.apiToken });
  clients.push(client);
  await waitUntilLive(client);
  return client;
}

function assertStrictlyIncreasing(ids: (string | null)[]): void {
  const pairs = ids.map((id) => id!.split('-').map(BigInt) as [bigint, bigint]);
  for (let i = 1; i < pairs.length; i++) {
    const [a, b] = [pairs[i - 1]!, pairs[i]!];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), `ids out of order or repeated: ${ids[i - 1]} then ${ids[i]}`);
  }
}

/** Insert an event as the owner inside the caller's transaction (as recordInboxEvent does in a tenant one). */
function insertEvent(marker: string) {
  return sql`INSERT INTO inbox_events (org_id, type, conversation_id, payload) VALUES (${org.id}, 'conversation.assigned', NULL, ${JSON.stringify({ marker })}::jsonb)`;
}
const markerOf = (e: { event: string; data: { payload: Record<string, unknown> } }) => (e.event === 'conversation.assigned' ? (e.data.payload.marker as string | undefined) : undefined);

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db);
});
after(async () => {
  for (const c of clients) c.close();
  await server.close();
});

test('50 concurrent signed webhooks: the client receives every message exactly once, in log order', async () => {
  const client = await open();
  const bodies = Array.from({ length: 50 }, (_, i) => `burst ${i}`);
  await Promise.all(bodies.map((b) => inboundSms(server.baseUrl, org, b)));
  await waitForEvents(client, 'every message', (e) => bodyOf(e)?.startsWith('burst ') === true, bodies.length);
  await receivesNothing(client, (e) => !bodyOf(e)?.startsWith('burst '));
  assert.equal(client.events.length, bodies.length);
  assert.deepEqual(new Set(client.events.map(bodyOf)), new Set(bodies));
  const log = await logCursors(server.db, org.id);
  assert.deepEqual(client.events.map((e) => e.id), log.slice(log.length - bodies.length));
  assertStrictlyIncreasing(client.events.map((e) => e.id));
});

test('an event committed while an older transaction is open waits for it, and both arrive in order', { skip: !onPostgres && POSTGRES_ONLY }, async () => {
  const client = await open();
  const older = new pg.Client({ connectionString: server.database.url! });
  await older.connect();
  try {
    await older.query('BEGIN');
    const text = insertEvent('older').compile(server.db);
    await older.query(text.sql, [...text.parameters]);
    await inboundSms(server.baseUrl, org, 'newer');
    await receivesNothing(client, () => true, 1_000);
    await older.query('COMMIT');
  } finally {
    await older.end();
  }
  const events = await waitForEvents(client, 'both events', () => true, 2);
  assert.deepEqual(events.map((e) => markerOf(e) ?? bodyOf(e)), ['older', 'newer']);
  assertStrictlyIncreasing(events.map((e) => e.id));
});

test('60 overlapping transactions committing out of order: every event arrives exactly once, in (tx, id) order', { skip: !onPostgres && POSTGRES_ONLY }, async () => {
  const client = await open();
  const earlier = new Set(await logCursors(server.db, org.id));
  const markers = Array.from({ length: 50 }, (_, i) => `tx ${i}`);
  await Promise.all([
    ...markers.map((marker, i) => server.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_sleep(${(i % 7) * 0.01})`.execute(trx);
      await insertEvent(marker).execute(trx);
      await sql`SELECT pg_sleep(${((i * 13) % 11) * 0.01})`.execute(trx);
      if (i % 3 === 0) await insertEvent(`${marker} again`).execute(trx);
    })),
    ...Array.from({ length: 10 }, (_, i) => inboundSms(server.baseUrl, org, `webhook ${i}`)),
  ]);
  const written = (await logCursors(server.db, org.id)).filter((c) => !earlier.has(c));
  assert.equal(written.length, 50 + 17 + 10);
  await waitForEvents(client, 'every event', () => true, written.length);
  await receivesNothing(client, (e) => !written.includes(e.id!));
  assert.deepEqual(client.events.map((e) => e.id), written, 'exactly the log, in its order');
});

test('a transaction left open in another database of the cluster does not hold delivery back', { skip: !onPostgres && 'needs a PostgreSQL cluster: PGlite is a single database' }, async () => {
  const client = await open();
  const elsewhere = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await elsewhere.connect();
  try {
    await elsewhere.query('BEGIN');
    await elsewhere.query('SELECT pg_current_xact_id()');
    await inboundSms(server.baseUrl, org, 'not held back');
    await waitForEvents(client, 'the message, while the other transaction is still open', (e) => bodyOf(e) === 'not held back');
  } finally {
    await elsewhere.query('ROLLBACK');
    await elsewhere.end();
  }
});
