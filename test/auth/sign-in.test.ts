/**
 * Staff sign-in over HTTP: the session cookie's attributes, who /v1/me says
 * the user is, one answer for wrong passwords and unknown emails, the
 * database rate limit (per email, per client address, under concurrency),
 * disabled users, sign-out, the JSON-only rule for cookie-authenticated
 * writes (CSRF), and the sign-in form's redirects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, createStaff, STAFF_PASSWORD, type TestOrg } from '../support/fixtures.js';
import { FREE_FAILURES_PER_ADDRESS as MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP, SESSION_MS } from '../../src/auth/sign-in.js';
import { DEFAULT_ROLES } from '../../src/auth/capabilities.js';

type Reply = { status: number; json: any; headers: Headers };

async function send(baseUrl: string, path: string, init: { method?: string; json?: unknown; form?: Record<string, string>; body?: string; contentType?: string; cookie?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers['content-type'] = init.contentType ?? 'text/plain';
    body = init.body;
  }
  if (init.cookie) headers.cookie = init.cookie;
  const res = await fetch(baseUrl + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, headers: res.headers };
}

/** The session cookie's `Set-Cookie` header, split into name=value and lower-cased attributes. */
function sessionCookie(headers: Headers): { pair: string; attrs: Map<string, string> } {
  const header = headers.getSetCookie().find((c) => c.startsWith('tf_session='));
  assert.ok(header, `a tf_session cookie is set (got ${JSON.stringify(headers.getSetCookie())})`);
  const [pair, ...rest] = header.split(';').map((p) => p.trim());
  const attrs = new Map(rest.map((a) => {
    const eq = a.indexOf('=');
    return eq === -1 ? [a.toLowerCase(), ''] : [a.slice(0, eq).toLowerCase(), a.slice(eq + 1)];
  }));
  return { pair: pair!, attrs };
}

async function signIn(server: TestServer, email: string, password = STAFF_PASSWORD, headers: Record<string, string> = {}): Promise<Reply> {
  return send(server.baseUrl, '/auth/sign-in', { json: { email, password }, headers });
}

/** Sign in and return the `tf_session=…` cookie pair. */
async function sessionFor(server: TestServer, email: string): Promise<string> {
  const res = await signIn(server, email);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return sessionCookie(res.headers).pair;
}

let server: TestServer;
let org: TestOrg;

before(async () => {
  server = await startTestServer();
  org = await createOrg(server.db);
});
after(() => server.close());

test('signing in sets an HttpOnly, SameSite=Lax, Secure session cookie, and /v1/me then names the user, role and capabilities', async () => {
  const tech = await createStaff(server.db, org, 'technician', 'Tess Technician');
  const res = await signIn(server, `  ${tech.email.toUpperCase()} `);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.equal(res.json.signedIn, true);
  const { pair, attrs } = sessionCookie(res.headers);
  assert.ok(pair.length > 'tf_session='.length + 20, 'the cookie carries a long random token');
  assert.ok(attrs.has('httponly'), 'HttpOnly: page scripts cannot read the session');
  assert.ok(attrs.has('secure'), 'Secure: PUBLIC_BASE_URL is https');
  assert.equal(attrs.get('samesite')?.toLowerCase(), 'lax');
  assert.equal(attrs.get('path'), '/');
  assert.equal(Number(attrs.get('max-age')), SESSION_MS / 1000);

  const me = await send(server.baseUrl, '/v1/me', { cookie: pair });
  assert.equal(me.status, 200, JSON.stringify(me.json));
  assert.equal(me.json.kind, 'staff');
  assert.equal(me.json.id, tech.id);
  assert.equal(me.json.name, 'Tess Technician');
  assert.equal(me.json.role, 'Technician');
  assert.equal(me.json.orgId, org.id);
  assert.deepEqual(me.json.capabilities, [...DEFAULT_ROLES.technician.capabilities].sort());

  const anonymous = await send(server.baseUrl, '/v1/me');
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.json.error.code, 'unauthorized');
});

test('a wrong password and an unknown email get the same 401 invalid_credentials answer, and no cookie', async () => {
  const advisor = await createStaff(server.db, org, 'service_advisor');
  const wrong = await signIn(server, advisor.email, 'not the password');
  const unknown = await signIn(server, 'nobody.here@garage.example', STAFF_PASSWORD);
  for (const res of [wrong, unknown]) {
    assert.equal(res.status, 401);
    assert.equal(res.json.error.code, 'invalid_credentials');
    assert.deepEqual(res.headers.getSetCookie().filter((c) => c.startsWith('tf_session=')), []);
  }
  assert.equal(wrong.json.error.message, unknown.json.error.message);
  assert.deepEqual(Object.keys(wrong.json), Object.keys(unknown.json));
});

test(`after ${MAX_FAILURES_PER_EMAIL} failures for one email from one address, even the right password waits; another user is unaffected`, async () => {
  const victim = await createStaff(server.db, org, 'manager');
  const colleague = await createStaff(server.db, org, 'manager');
  for (let i = 1; i <= MAX_FAILURES_PER_EMAIL; i++) {
    const res = await signIn(server, victim.email, `guess number ${i}`);
    assert.equal(res.status, 401, `attempt ${i} is judged on its password`);
  }
  await sql`UPDATE sign_in_attempts SET attempted_at = now() WHERE email = ${victim.email}`.execute(server.db);
  const locked = await signIn(server, victim.email, STAFF_PASSWORD);
  assert.equal(locked.status, 429);
  assert.equal(locked.json.error.code, 'too_many_attempts');
  assert.deepEqual(locked.headers.getSetCookie().filter((c) => c.startsWith('tf_session=')), [], 'no session while waiting');
  const sameEmailOtherCase = await signIn(server, victim.email.toUpperCase(), STAFF_PASSWORD);
  assert.equal(sameEmailOtherCase.status, 429, 'the limit is per account, whatever the case of the email');

  assert.equal((await signIn(server, colleague.email)).status, 200, 'same address, another account: signs in');

  // Once the latest failure is older than the delay, the right password works again.
  await sql`UPDATE sign_in_attempts SET attempted_at = attempted_at - interval '2 seconds' WHERE email = ${victim.email}`.execute(server.db);
  assert.equal((await signIn(server, victim.email)).status, 200);
});

test('a burst of concurrent wrong passwords cannot get more than the allowed guesses through', async () => {
  const target = await createStaff(server.db, org, 'owner');
  const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(server, target.email, `parallel guess ${i}`)));
  const judged = burst.filter((r) => r.status === 401).length;
  const refused = burst.filter((r) => r.status === 429).length;
  assert.equal(judged + refused, burst.length, `only 401 or 429 (got ${burst.map((r) => r.status).join(',')})`);
  assert.ok(judged <= MAX_FAILURES_PER_EMAIL, `at most ${MAX_FAILURES_PER_EMAIL} guesses were checked, not ${judged}`);
  // Refused attempts checked no password and do not count: guessing on, one at a time, gets exactly the rest.
  let more = 0;
  for (;;) {
    await sql`UPDATE sign_in_attempts SET attempted_at = now() WHERE email = ${target.email}`.execute(server.db);
    const res = await signIn(server, target.email, `sequential guess ${more}`);
    if (res.status === 429) break;
    assert.equal(res.status, 401);
    assert.ok(++more <= MAX_FAILURES_PER_EMAIL, 'the delay comes');
  }
  assert.equal(judged + more, MAX_FAILURES_PER_EMAIL, `${judged} in the burst + ${more} after = ${MAX_FAILURES_PER_EMAIL} guesses at full speed`);
});

test('a disabled user cannot sign in (same answer as a wrong password) and their open session stops working', async () => {
  const leaver = await createStaff(server.db, org, 'service_advisor');
  const cookie = await sessionFor(server, leaver.email);
  assert.equal((await send(server.baseUrl, '/v1/me', { cookie })).status, 200);

  await server.db.updateTable('staff_users').set({ disabled_at: new Date() }).where('id', '=', leaver.id).execute();

  const res = await signIn(server, leaver.email);
  assert.equal(res.status, 401);
  assert.equal(res.json.error.code, 'invalid_credentials');
  assert.equal(res.json.error.message, 'Email or password is not right.');
  assert.deepEqual(res.headers.getSetCookie().filter((c) => c.startsWith('tf_session=')), []);
  const me = await send(server.baseUrl, '/v1/me', { cookie });
  assert.equal(me.status, 401);
  assert.equal(me.json.error.code, 'unauthorized');
});

test('signing out ends the session: the old cookie is refused afterwards', async () => {
  const advisor = await createStaff(server.db, org, 'service_advisor');
  const cookie = await sessionFor(server, advisor.email);
  const other = await sessionFor(server, advisor.email);
  assert.equal((await send(server.baseUrl, '/v1/me', { cookie })).status, 200);

  const out = await send(server.baseUrl, '/auth/sign-out', { method: 'POST', json: {}, cookie });
  assert.equal(out.status, 200);
  assert.equal(out.json.signedOut, true);
  const cleared = sessionCookie(out.headers);
  assert.equal(cleared.pair, 'tf_session=', 'the browser is told to drop the cookie');

  const me = await send(server.baseUrl, '/v1/me', { cookie });
  assert.equal(me.status, 401);
  assert.equal(me.json.error.code, 'unauthorized');
  assert.equal((await send(server.baseUrl, '/v1/me', { cookie: other })).status, 200, 'a session on another device stays signed in');

  // The sign-out button on the staff pages is an HTML form: it lands on the sign-in page.
  const form = await send(server.baseUrl, '/auth/sign-out', { form: {}, cookie: other });
  assert.equal(form.status, 303);
  assert.equal(form.headers.get('location'), '/login?signed_out=1');
  assert.equal((await send(server.baseUrl, '/v1/me', { cookie: other })).status, 401);
});

test('a cookie-authenticated write must be JSON: form and text/plain posts to /v1 are 403 and change nothing (CSRF)', async () => {
  const owner = await createStaff(server.db, org, 'owner');
  const cookie = await sessionFor(server, owner.email);
  const crossSiteBodies = [
    { contentType: 'application/x-www-form-urlencoded', body: 'name=Form+role&capabilities=messages.view' },
    { contentType: 'text/plain', body: '{"name":"Text role","capabilities":["messages.view"]}' },
    { contentType: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nMultipart role\r\n--x--\r\n' },
  ];
  for (const attempt of crossSiteBodies) {
    const res = await send(server.baseUrl, '/v1/roles', { ...attempt, cookie });
    assert.equal(res.status, 403, `${attempt.contentType}: ${JSON.stringify(res.json)}`);
    assert.equal(res.json.error.code, 'forbidden');
  }

  const json = await send(server.baseUrl, '/v1/roles', { json: { name: 'Parts desk', capabilities: ['messages.view'] }, cookie });
  assert.equal(json.status, 201, JSON.stringify(json.json));
  const roles = await send(server.baseUrl, '/v1/roles', { cookie });
  assert.deepEqual(roles.json.roles.filter((r: any) => r.key === null).map((r: any) => r.name), ['Parts desk'], 'only the JSON request created a role');
});

test('the HTML sign-in form redirects to the page asked for, or back to /login with the error (keeping where to go)', async () => {
  const tech = await createStaff(server.db, org, 'technician');
  const ok = await send(server.baseUrl, '/auth/sign-in', { form: { email: tech.email, password: STAFF_PASSWORD, next: '/dashboard' } });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/dashboard');
  assert.ok(sessionCookie(ok.headers).attrs.has('httponly'));

  const bad = await send(server.baseUrl, '/auth/sign-in', { form: { email: tech.email, password: 'wrong password', next: '/dashboard' } });
  assert.equal(bad.status, 303);
  const location = new URL(bad.headers.get('location') ?? '', 'http://x.invalid');
  assert.equal(location.pathname, '/login');
  assert.equal(location.searchParams.get('error'), 'invalid_credentials');
  assert.equal(location.searchParams.get('next'), '/dashboard', 'after fixing a typo the user still goes where they were going');
  assert.deepEqual(bad.headers.getSetCookie().filter((c) => c.startsWith('tf_session=')), []);
});

test('the sign-in form never redirects to another site, whatever `next` says', async () => {
  const tech = await createStaff(server.db, org, 'technician');
  const base = 'http://127.0.0.1:1';
  for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example/', '/\t/evil.example/', '\\/evil.example/', '/%0A/evil.example', 'javascript:alert(1)']) {
    const res = await send(server.baseUrl, '/auth/sign-in', { form: { email: tech.email, password: STAFF_PASSWORD, next } });
    assert.equal(res.status, 303);
    const location = res.headers.get('location') ?? '';
    // Resolve the Location header as a browser does (WHATWG URL: "\" is "/" and tabs are dropped).
    assert.equal(new URL(location, base).origin, base, `next=${JSON.stringify(next)} → Location ${JSON.stringify(location)}`);
  }
  const local = await send(server.baseUrl, '/auth/sign-in', { form: { email: tech.email, password: STAFF_PASSWORD, next: '/messages?filter=mine#top' } });
  assert.equal(local.headers.get('location'), '/messages?filter=mine#top');
});

describe('the per-address limit behind a TLS proxy', () => {
  // The proxy on this host appends the address it saw to X-Forwarded-For; whatever the client sent comes first.
  const viaProxy = (clientSent: string, realClient: string) => ({ 'x-forwarded-for': `${clientSent}, ${realClient}` });

  test(`one client address gets ${MAX_FAILURES_PER_IP} failures across all emails, even if it forges X-Forwarded-For`, async () => {
    const user = await createStaff(server.db, org, 'manager');
    const attacker = '203.0.113.66';
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      const res = await signIn(server, `sprayed.${i}@garage.example`, 'Password123!', viaProxy(`198.51.100.${i + 1}`, attacker));
      assert.equal(res.status, 401, `attempt ${i + 1}`);
    }
    const next = await signIn(server, user.email, STAFF_PASSWORD, viaProxy('198.51.100.250', attacker));
    assert.equal(next.status, 429, 'the address is rate limited, not the forged one');
    assert.equal(next.json.error.code, 'too_many_attempts');
    assert.equal((await signIn(server, user.email, STAFF_PASSWORD, viaProxy('198.51.100.250', '203.0.113.67'))).status, 200, 'another client signs in');
  });
});

describe('served over plain http (PUBLIC_BASE_URL http://…)', () => {
  let plain: TestServer;
  before(async () => {
    plain = await startTestServer({ PUBLIC_BASE_URL: 'http://localhost:3000' });
  });
  after(() => plain.close());

  test('the session cookie is not marked Secure (browsers would drop it), and is still HttpOnly and SameSite=Lax', async () => {
    const plainOrg = await createOrg(plain.db);
    const tech = await createStaff(plain.db, plainOrg, 'technician');
    const res = await signIn(plain, tech.email);
    assert.equal(res.status, 200);
    const { attrs } = sessionCookie(res.headers);
    assert.ok(!attrs.has('secure'));
    assert.ok(attrs.has('httponly'));
    assert.equal(attrs.get('samesite')?.toLowerCase(), 'lax');
  });
});
