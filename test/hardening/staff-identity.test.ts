/**
 * Issue 10 items 13, 14, 8 and 18 (token revocation):
 * - `POST /v1/staff` does not reveal an email registered in another garage;
 *   sign-in opens the account whose password matches, and asks for the
 *   garage when several do;
 * - password-reset emails are rate limited per email and per address;
 * - failed sign-ins slow one email at one address down (a growing delay),
 *   never lock the owner out at the owner's own address;
 * - a cross-site sign-in form post is refused (login CSRF);
 * - nobody can TRUNCATE the audit logs;
 * - a revoked API token is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, PUBLIC_BASE_URL, type TestServer } from '../support/server.js';
import { createOrg, createStaff, STAFF_PASSWORD, type TestOrg } from '../support/fixtures.js';
import { call, signInAs } from '../auth/support.js';
import { FREE_FAILURES_PER_ADDRESS, FREE_FAILURES_PER_EMAIL } from '../../src/auth/sign-in.js';
import { RESETS_PER_EMAIL, requestPasswordReset } from '../../src/auth/password-reset.js';
import { revokeApiTokens } from '../../src/api/api-tokens.js';

let server: TestServer;
let org: TestOrg;
let other: TestOrg;
before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
  other = await createOrg(server.db);
});
after(() => server.close());

/** Sign in as if from `ip` (the test proxy appends the client address to X-Forwarded-For). */
async function signIn(email: string, password: string, ip: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.baseUrl}/auth/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
    body: JSON.stringify({ email, password, ...extra }),
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : null };
}

test('creating staff with an email used in another garage neither fails nor reveals it, and sign-in stays unambiguous', async () => {
  const theirs = await createStaff(server.db, other, 'owner');
  const owner = await signInAs(server, (await createStaff(server.db, org, 'owner')).email);
  const created = await call(server, owner, 'POST', '/v1/staff', { email: theirs.email, name: 'Same Address', roleId: org.roles.technician, password: 'another long password' });
  assert.equal(created.status, 201, 'no 409: the other garage stays invisible');
  const again = await call(server, owner, 'POST', '/v1/staff', { email: theirs.email.toUpperCase(), name: 'Twice', roleId: org.roles.technician, password: null });
  assert.equal(again.status, 409, 'unique within the garage');
  assert.doesNotMatch(again.text, new RegExp(other.name));

  // Each password opens its own account.
  const mine = await signIn(theirs.email, 'another long password', '198.51.100.1');
  assert.equal(mine.status, 200);
  assert.equal((await signIn(theirs.email, STAFF_PASSWORD, '198.51.100.1')).status, 200);
  // The same password in both garages: the garage must be named.
  const hash = await server.db.selectFrom('staff_users').select('password_hash').where('id', '=', theirs.id).executeTakeFirstOrThrow();
  await server.db.updateTable('staff_users').set({ password_hash: hash.password_hash }).where('id', '=', created.json.id).execute();
  const ambiguous = await signIn(theirs.email, STAFF_PASSWORD, '198.51.100.2');
  assert.equal(ambiguous.status, 409);
  assert.equal(ambiguous.json.error.code, 'organisation_required');
  const slug = await server.db.selectFrom('organisations').select('slug').where('id', '=', org.id).executeTakeFirstOrThrow();
  assert.equal((await signIn(theirs.email, STAFF_PASSWORD, '198.51.100.2', { organisation: slug.slug })).status, 200);
});

test('password-reset emails are rate limited per email and per address; over the limit the answer is the same and nothing is sent', async () => {
  const user = await createStaff(server.db, org, 'service_advisor');
  const sent: number[] = [];
  for (let i = 0; i < RESETS_PER_EMAIL + 5; i++) sent.push((await requestPasswordReset(server.db, user.email, `203.0.113.${i}`)).length);
  assert.deepEqual(sent, [...Array(RESETS_PER_EMAIL).fill(1), ...Array(5).fill(0)], 'per email, whatever the address');
  const http = await fetch(`${server.baseUrl}/auth/password-reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email }) });
  assert.equal(http.status, 202, 'the same answer over the limit');
  const stored = await server.db.selectFrom('password_resets').select('token_hash').where('user_id', '=', user.id).execute();
  assert.equal(stored.length, RESETS_PER_EMAIL);

  const many = await Promise.all(Array.from({ length: 30 }, async (_, i) => createStaff(server.db, org, 'technician', `Spray ${i}`)));
  let links = 0;
  for (const u of many) links += (await requestPasswordReset(server.db, u.email, '203.0.113.250')).length;
  assert.ok(links < many.length, `one address cannot send ${many.length} reset emails (sent ${links})`);
});

test('guessing the owner\'s password from elsewhere never locks the owner out at their own address; the guesser slows down', async () => {
  const owner = await createStaff(server.db, org, 'owner');
  const home = '192.0.2.10';
  assert.equal((await signIn(owner.email, STAFF_PASSWORD, home)).status, 200, 'the owner signs in from the office once');
  const attacker = '203.0.113.99';
  for (let i = 0; i < FREE_FAILURES_PER_ADDRESS; i++) assert.equal((await signIn(owner.email, `guess ${i}`, attacker)).status, 401);
  await sql`UPDATE sign_in_attempts SET attempted_at = now() WHERE ip = ${attacker}`.execute(server.db);
  const slowed = await signIn(owner.email, STAFF_PASSWORD, attacker);
  assert.equal(slowed.status, 429, 'the guesser waits, even with the right password');
  assert.match(slowed.json.error.message, /Wait \d+ seconds/);
  assert.equal((await signIn(owner.email, STAFF_PASSWORD, home)).status, 200, 'the owner, at the office, is not slowed down');

  // Guesses spread over many addresses slow the email down, except from where the owner signed in before.
  for (let i = 0; i < FREE_FAILURES_PER_EMAIL; i++) await signIn(owner.email, `spread ${i}`, `198.18.${i}.1`);
  await sql`UPDATE sign_in_attempts SET attempted_at = now() WHERE email = ${owner.email} AND NOT succeeded`.execute(server.db);
  assert.equal((await signIn(owner.email, STAFF_PASSWORD, '198.18.200.1')).status, 429, 'a new address waits');
  assert.equal((await signIn(owner.email, STAFF_PASSWORD, home)).status, 200, 'the owner\'s own address still signs in');
});

test('a sign-in posted from another site is refused (login CSRF); this server\'s own page and clients without Origin are fine', async () => {
  const tech = await createStaff(server.db, org, 'technician');
  const cross = await signIn(tech.email, STAFF_PASSWORD, '192.0.2.20', {}, { origin: 'https://evil.example' });
  assert.equal(cross.status, 403);
  assert.equal(cross.json.error.code, 'cross_origin_request');
  const form = await fetch(`${server.baseUrl}/auth/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' }, body: new URLSearchParams({ email: tech.email, password: STAFF_PASSWORD }).toString() });
  assert.equal(form.status, 403);
  assert.equal(form.headers.getSetCookie().length, 0);
  assert.equal((await signIn(tech.email, STAFF_PASSWORD, '192.0.2.20', {}, { origin: PUBLIC_BASE_URL })).status, 200);
  assert.equal((await signIn(tech.email, STAFF_PASSWORD, '192.0.2.20', {}, { origin: server.baseUrl })).status, 200);
  assert.equal((await signIn(tech.email, STAFF_PASSWORD, '192.0.2.20')).status, 200);
});

test('nobody can TRUNCATE the audit logs, the table owner included', async () => {
  for (const table of ['consent_audit_log', 'staff_audit_log']) {
    await assert.rejects(sql`TRUNCATE ${sql.table(table)}`.execute(server.db), /append-only: TRUNCATE is not allowed/, table);
  }
});

test('a revoked API token is refused at once', async () => {
  const res = () => fetch(`${server.baseUrl}/v1/conversations`, { headers: { authorization: `Bearer ${org.apiToken}` } });
  assert.equal((await res()).status, 200);
  assert.equal((await revokeApiTokens(server.db, org.id, { name: 'test' })).length, 1);
  assert.equal((await res()).status, 401);
  assert.deepEqual(await revokeApiTokens(server.db, org.id, { name: 'test' }), [], 'nothing left to revoke');
  assert.deepEqual(await revokeApiTokens(server.db, org.id, { id: 'not-a-uuid' }), []);
});
