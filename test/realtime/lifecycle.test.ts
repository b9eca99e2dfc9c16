/**
 * The real-time machinery's life cycle: retention pruning is idempotent and
 * its horizon only moves forward; closing the server ends every open
 * stream (so shutdown never waits on a client); the dispatcher survives
 * losing its database connections.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase } from '../support/database.js';
import { startTestServer } from '../support/server.js';
import { createOrg } from '../support/fixtures.js';
import { pruneInboxEvents } from '../../src/realtime/retention.js';
import { openEvents } from './sse-client.js';
import { bodyOf, inboundSms, waitForEvents, waitUntilLive } from './support.js';

test('pruning twice deletes once, and the horizon stays at the newest pruned event', async () => {
  const database = await createTestDatabase();
  try {
    const org = await createOrg(database.db);
    const insert = (n: number) => sql`INSERT INTO inbox_events (org_id, type, payload, created_at) VALUES (${org.id}, 'conversation.assigned', ${JSON.stringify({ n })}::jsonb, now() - interval '2 days')`.execute(database.db);
    for (const n of [1, 2, 3]) await insert(n);
    const horizon = () => sql<{ at: string }>`SELECT pruned_tx::text || '-' || pruned_id AS at FROM inbox_event_horizon`.execute(database.db).then((r) => r.rows.map((x) => x.at));
    const newest = (await sql<{ at: string }>`SELECT tx::text || '-' || id AS at FROM inbox_events ORDER BY tx DESC, id DESC LIMIT 1`.execute(database.db)).rows[0]!.at;
    const cutoff = new Date(Date.now() - 24 * 3_600_000);
    assert.deepEqual(await Promise.all([pruneInboxEvents(database.db, cutoff), pruneInboxEvents(database.db, cutoff)]).then((n) => n.reduce((a, b) => a + b)), 3);
    assert.deepEqual(await horizon(), [newest]);
    assert.equal(await pruneInboxEvents(database.db, cutoff), 0);
    assert.deepEqual(await horizon(), [newest], 'an empty pass leaves the horizon alone');
  } finally {
    await database.close();
  }
});

test('closing the server ends the open streams', async () => {
  const server = await startTestServer({ RUN_WORKER: 'false' });
  const org = await createOrg(server.db);
  const client = await openEvents(server.baseUrl, { token: org.apiToken });
  try {
    await waitUntilLive(client);
    await server.close();
    await client.ended;
  } finally {
    client.close();
  }
});

test('after its LISTEN and reader connections are killed, the dispatcher reconnects and delivers what was committed meanwhile', { skip: !process.env.DATABASE_URL && 'needs PostgreSQL: PGlite has no connections to lose' }, async () => {
  const server = await startTestServer({ RUN_WORKER: 'false' });
  const org = await createOrg(server.db);
  const client = await openEvents(server.baseUrl, { token: org.apiToken });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    await waitUntilLive(client);
    const killed = await sql<{ n: number }>`
      SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name IN ('torqueflow-realtime', 'torqueflow-realtime-reader')
    `.execute(server.db);
    assert.equal(killed.rows[0]!.n, 2);
    await inboundSms(server.baseUrl, org, 'while reconnecting');
    await waitForEvents(client, 'the message committed while the dispatcher was cut off', (e) => bodyOf(e) === 'while reconnecting');
    await inboundSms(server.baseUrl, org, 'after reconnecting');
    await waitForEvents(client, 'the next message', (e) => bodyOf(e) === 'after reconnecting');
    assert.ok(warnings.some((w) => w.startsWith('real-time events')), 'the lost connection was reported');
  } finally {
    process.off('warning', onWarning);
    client.close();
    await server.close();
  }
});
