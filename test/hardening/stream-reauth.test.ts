/**
 * Issue 10 item 9: a real-time stream ends within seconds after its session
 * is signed out, its user disabled or their password reset, their role
 * changed, or its API token revoked; a stream whose credentials still hold
 * stays open. The check reads the database, so it holds whichever instance
 * the change was made on.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, type TestOrg } from '../support/fixtures.js';
import { call, signInAs } from '../auth/support.js';
import { openEvents, type EventClient } from '../realtime/sse-client.js';
import { waitUntilLive } from '../realtime/support.js';
import { createApiToken } from '../../src/api/api-tokens.js';
import { requestPasswordReset, completePasswordReset } from '../../src/auth/password-reset.js';
import { REAUTHORISE_MS, stillAuthorised } from '../../src/realtime/event-stream.js';

/** Generous bound for "within seconds": a few re-check intervals on a loaded machine. */
const WITHIN_MS = REAUTHORISE_MS * 4;

let server: TestServer;
let org: TestOrg;
before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
});
after(() => server.close());

async function endsWithin(client: EventClient, ms: number): Promise<boolean> {
  return Promise.race([client.ended.then(() => true), sleep(ms).then(() => false)]);
}

async function liveStream(credentials: { cookie: string } | { token: string }): Promise<EventClient> {
  const client = await openEvents(server.baseUrl, credentials);
  assert.equal(client.status, 200);
  await waitUntilLive(client);
  return client;
}

test('sign-out, disabling, a password reset, a role change and a revoked token each end the stream; an untouched one stays open', async () => {
  const owner = await signInAs(server, (await createStaff(server.db, org, 'owner')).email);
  const users = await Promise.all(['service_advisor', 'service_advisor', 'service_advisor', 'technician', 'service_advisor'].map((r) => createStaff(server.db, org, r as 'service_advisor')));
  const [, disabled, reset, promoted] = users as [typeof users[0], typeof users[0], typeof users[0], typeof users[0]];
  const sessions = await Promise.all(users.map((u) => signInAs(server, u.email)));
  const token = await createApiToken(server.db, org.id, 'dashboard');
  const streams = await Promise.all([...sessions.map((s) => liveStream({ cookie: s.cookie })), liveStream({ token })]);
  const [sSignedOut, sDisabled, sReset, sPromoted, sUntouched, sToken] = streams as [EventClient, EventClient, EventClient, EventClient, EventClient, EventClient];

  const out = await fetch(`${server.baseUrl}/auth/sign-out`, { method: 'POST', headers: { cookie: sessions[0]!.cookie, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(out.status, 200);
  assert.equal((await call(server, owner, 'PATCH', `/v1/staff/${disabled.id}`, { disabled: true })).status, 200);
  const [link] = await requestPasswordReset(server.db, reset.email, '192.0.2.9');
  await completePasswordReset(server.db, link!.token, 'a completely new password');
  assert.equal((await call(server, owner, 'PATCH', `/v1/staff/${promoted.id}`, { roleId: org.roles.service_advisor })).status, 200);
  await server.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('org_id', '=', org.id).where('name', '=', 'dashboard').execute();

  const ended = await Promise.all([sSignedOut, sDisabled, sReset, sPromoted, sToken].map((s) => endsWithin(s, WITHIN_MS)));
  assert.deepEqual(ended, [true, true, true, true, true], 'signed out, disabled, reset, role changed, token revoked');
  assert.equal(await endsWithin(sUntouched, 10), false, 'a stream whose session still holds stays open');

  // Reconnecting: refused for the ended session, allowed (with the new role) for the promoted user.
  const refused = await fetch(`${server.baseUrl}/v1/events`, { headers: { cookie: sessions[0]!.cookie, accept: 'text/event-stream' } });
  assert.equal(refused.status, 401);
  await refused.arrayBuffer();
  const again = await liveStream({ cookie: sessions[3]!.cookie });
  assert.equal(await endsWithin(again, REAUTHORISE_MS * 2), false, 'the new stream, with the new role, stays open');
  again.close();
  sUntouched.close();
});

test('a re-check that fails (dropped connections) is asked again and keeps the stream; failing at every try or answering no ends it', async () => {
  const answers = (...replies: Array<boolean | Error>) => {
    let i = 0;
    return async () => {
      const reply = replies[i++];
      if (reply instanceof Error) throw reply;
      return reply ?? false;
    };
  };
  const dropped = new Error('terminating connection due to administrator command');
  assert.equal(await stillAuthorised(answers(dropped, true)), true, 'one failed query, then the answer from a new connection');
  assert.equal(await stillAuthorised(answers(dropped, dropped, true)), true, 'two dropped connections in a row, then a new one');
  assert.equal(await stillAuthorised(answers(dropped, false)), false);
  assert.equal(await stillAuthorised(answers(dropped, dropped, dropped, true)), false, 'the database still unreachable at the third try: the stream ends, the client reconnects');
  assert.equal(await stillAuthorised(answers(false)), false);
  assert.equal(await stillAuthorised(answers(true)), true);
});
