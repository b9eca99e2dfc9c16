/**
 * Magic links (issue 11 item 2, issue 10 item 6): link scanners sign nobody
 * in, sign-in records the customer's last portal login, codes are long and
 * stored hashed, unknown/expired/revoked codes look alike, failed look-ups
 * are rate-limited in the database, and sessions end with their link.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { withTenant } from '../../src/db/tenant.js';
import { LINK_FAILURES_GLOBAL, LINK_FAILURES_PER_ADDRESS } from '../../src/domain/link-attempts.js';
import { hashLinkCode, revokePortalLinks } from '../../src/sending/portal-links.js';
import { createOrg, type TestOrg } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { portalApi, portalCustomer, signIn } from './portal-support.js';

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false' });
  org = await createOrg(server.db, { name: 'Acme Motors' });
});
after(() => server.close());

let ipCounter = 0;
const freshIp = () => `192.0.2.${++ipCounter}`;
const get = (code: string, ip: string, method = 'GET') => fetch(`${server.baseUrl}/l/${code}`, { method, redirect: 'manual', headers: { 'x-forwarded-for': ip } });
const lastLogin = async (customerId: string) => (await server.db.selectFrom('customers').select('portal_last_login_at').where('id', '=', customerId).executeTakeFirstOrThrow()).portal_last_login_at;
const sessions = async (conversationId: string) => Number((await server.db.selectFrom('portal_sessions').select((e) => e.fn.countAll<string>().as('n')).where('conversation_id', '=', conversationId).executeTakeFirstOrThrow()).n);

test('GET and HEAD of a link (what scanners do) show Continue and sign nobody in; the POST does, once per tap, and records the login', async () => {
  const c = await portalCustomer(server, org);
  const ip = freshIp();
  for (const method of ['GET', 'HEAD', 'GET']) {
    const res = await get(c.code, ip, method);
    assert.equal(res.status, 200, method);
    assert.equal(res.headers.get('set-cookie'), null, `${method} sets no cookie`);
    if (method === 'GET') {
      const html = await res.text();
      assert.match(html, /<button type="submit">Continue<\/button>/);
      assert.match(html, new RegExp(`<form method="post" action="/l/${c.code}">`));
      assert.match(html, /Acme Motors/);
    }
  }
  assert.equal(await sessions(c.conversationId), 0, 'no session from GET or HEAD');
  assert.equal(await lastLogin(c.customerId), null, 'no login recorded');

  const cookie = await signIn(server, c.code, ip);
  assert.match(cookie, /^tf_portal=.{40,}$/);
  assert.equal(await sessions(c.conversationId), 1);
  const login = await lastLogin(c.customerId);
  assert.ok(login && Date.now() - login.getTime() < 60_000, 'portal_last_login_at is set by the sign-in');
  const me = await portalApi(server, cookie, 'GET', '/portal/api/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.orgName, 'Acme Motors');
  assert.equal(me.json.customerName, 'Sam Jones');
  assert.equal((await portalApi(server, 'tf_portal=nonsense', 'GET', '/portal/api/me')).json.error.code, 'portal_signed_out');
  // The link stays usable for the customer's other devices until it expires.
  await signIn(server, c.code, ip);
  assert.equal(await sessions(c.conversationId), 2);
});

test('the cookie is HttpOnly, Secure behind https, SameSite=Lax, and ends with the link', async () => {
  const c = await portalCustomer(server, org);
  const res = await fetch(`${server.baseUrl}/l/${c.code}`, { method: 'POST', redirect: 'manual', headers: { 'x-forwarded-for': freshIp() } });
  const setCookie = res.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /HttpOnly/i);
  assert.match(setCookie, /Secure/i);
  assert.match(setCookie, /SameSite=Lax/i);
  const link = await server.db.selectFrom('portal_links').select('expires_at').where('code_hash', '=', hashLinkCode(c.code)).executeTakeFirstOrThrow();
  const expires = new Date(/Expires=([^;]+)/i.exec(setCookie)![1]!);
  assert.ok(Math.abs(expires.getTime() - link.expires_at.getTime()) < 1000, 'the cookie expires with the link, not 30 days later');
});

test('codes are 16 characters (~93 bits) and stored only as their SHA-256', async () => {
  const c = await portalCustomer(server, org);
  assert.match(c.code, /^[A-Za-z0-9]{16}$/);
  const row = await server.db.selectFrom('portal_links').selectAll().where('code_hash', '=', hashLinkCode(c.code)).executeTakeFirstOrThrow();
  assert.ok(!JSON.stringify(row).includes(c.code), 'the code itself is stored nowhere in the row');
  assert.match(row.code_hash, /^[0-9a-f]{64}$/);
});

test('unknown, expired and revoked codes get the same answer, and none signs in', async () => {
  const expired = await portalCustomer(server, org);
  await sql`UPDATE portal_links SET expires_at = now() - interval '1 minute' WHERE code_hash = ${hashLinkCode(expired.code)}`.execute(server.db);
  const revoked = await portalCustomer(server, org);
  await withTenant(server.db, org.id, (trx) => revokePortalLinks(trx, org.id, revoked.conversationId, new Date()));
  const unknown = 'ABCDEFGHJKLMNPQR';
  const answers = [];
  for (const code of [unknown, expired.code, revoked.code]) {
    for (const method of ['GET', 'POST']) {
      const res = await get(code, freshIp(), method);
      answers.push({ status: res.status, cookie: res.headers.get('set-cookie'), body: (await res.text()).replaceAll(code, 'CODE') });
    }
  }
  for (const a of answers) assert.deepEqual(a, answers[0]);
  assert.equal(answers[0]!.status, 404);
  assert.match(answers[0]!.body, /This link does not work/);
});

test('revoking the links (DELETE /v1/conversations/{id}/portal-links) ends the sessions made from them at once', async () => {
  const c = await portalCustomer(server, org);
  const cookie = await signIn(server, c.code, freshIp());
  assert.equal((await portalApi(server, cookie, 'GET', '/portal/api/messages')).status, 200);
  const revoke = await fetch(`${server.baseUrl}/v1/conversations/${c.conversationId}/portal-links`, { method: 'DELETE', headers: { authorization: `Bearer ${org.apiToken}` } });
  assert.equal(revoke.status, 200);
  assert.deepEqual(await revoke.json(), { revoked: 1 });
  const after = await portalApi(server, cookie, 'GET', '/portal/api/messages');
  assert.equal(after.status, 401);
  assert.equal(after.json.error.code, 'portal_signed_out');
  assert.equal((await fetch(`${server.baseUrl}/portal`, { headers: { cookie } })).status, 401, 'the portal page too');
});

test('failed look-ups are limited per address (even a valid code is then refused), other addresses are not', async () => {
  const c = await portalCustomer(server, org);
  const ip = freshIp();
  for (let i = 0; i < LINK_FAILURES_PER_ADDRESS; i++) assert.equal((await get(`ZZZZZZZZZZZZZZ${String(i).padStart(2, 'a')}`, ip)).status, 404);
  const limited = await get(c.code, ip);
  assert.equal(limited.status, 429);
  assert.match(await limited.text(), /too many attempts/);
  assert.equal((await get(c.code, ip, 'POST')).status, 429, 'nor can it sign in');
  assert.equal((await get(c.code, freshIp())).status, 200, 'another address is not limited');
  // The window passes: the address may try again.
  await sql`UPDATE portal_link_failures SET attempted_at = attempted_at - interval '16 minutes' WHERE ip = ${ip}`.execute(server.db);
  assert.equal((await get(c.code, ip)).status, 200);
});

test('failed look-ups are limited across all addresses too (the counts live in the database, for every instance)', async () => {
  const c = await portalCustomer(server, org);
  await sql`INSERT INTO portal_link_failures (ip) SELECT '10.9.' || (g / 250) || '.' || (g % 250) FROM generate_series(1, ${LINK_FAILURES_GLOBAL}) g`.execute(server.db);
  assert.equal((await get(c.code, freshIp())).status, 429);
  await sql`DELETE FROM portal_link_failures WHERE ip LIKE '10.9.%'`.execute(server.db);
  assert.equal((await get(c.code, freshIp())).status, 200);
});

test('an expired link offers a fresh one by text, at most once per 10 minutes; the answer is the same for a code that was never ours', async () => {
  const c = await portalCustomer(server, org);
  await sql`UPDATE portal_links SET expires_at = now() - interval '1 minute', created_at = now() - interval '8 days' WHERE code_hash = ${hashLinkCode(c.code)}`.execute(server.db);
  const renew = (code: string) => fetch(`${server.baseUrl}/l/${code}/renew`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': freshIp() }, body: '' });
  const page = await get(c.code, freshIp());
  assert.match(await page.text(), new RegExp(`action="/l/${c.code}/renew"`));
  const first = await renew(c.code);
  const unknown = await renew('ABCDEFGHJKLMNPQS');
  assert.equal(first.status, 200);
  assert.equal(unknown.status, 200);
  assert.equal(await first.text(), await unknown.text());
  const texts = await server.db.selectFrom('messages').select(['body', 'channel']).where('conversation_id', '=', c.conversationId).where('body', 'like', '%here is your new link%').execute();
  assert.equal(texts.length, 1);
  assert.equal(texts[0]!.channel, 'sms');
  const fresh = texts[0]!.body.slice(-16);
  assert.equal((await get(fresh, freshIp())).status, 200, 'the new link works');
  await renew(c.code);
  assert.equal((await server.db.selectFrom('messages').select('id').where('conversation_id', '=', c.conversationId).where('body', 'like', '%here is your new link%').execute()).length, 1, 'once per 10 minutes');
});
