/**
 * Password reset by emailed link, with the real server sending real SMTP to
 * a fake mail server: the link's token sets a new password once, ends the
 * user's sessions and voids their other links; expired, used and unknown
 * tokens fail; asking never reveals whether an email has an account, even
 * when the mail server is slow or refuses the message.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, PUBLIC_BASE_URL, type TestServer } from '../support/server.js';
import { startFakeSmtp, type FakeSmtp, type SmtpRecordedMessage } from '../support/fake-providers/index.js';
import { createOrg, createStaff, STAFF_PASSWORD, type TestOrg } from '../support/fixtures.js';
import { FREE_FAILURES_PER_ADDRESS } from '../../src/auth/sign-in.js';

const NEW_PASSWORD = 'a brand new passphrase';

let smtp: FakeSmtp;
let server: TestServer;
let org: TestOrg;

before(async () => {
  smtp = await startFakeSmtp();
  server = await startTestServer({ SMTP_URL: smtp.smtpUrl, MAIL_FROM: 'Torqueflow <no-reply@torqueflow.test>' });
  org = await createOrg(server.db);
});
after(async () => {
  await server.close();
  await smtp.close();
});

async function post(path: string, json: unknown, cookie?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(server.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(json) });
  return { status: res.status, json: await res.json() };
}

async function signIn(email: string, password: string): Promise<{ status: number; cookie: string | null }> {
  const res = await fetch(`${server.baseUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  await res.arrayBuffer();
  return { status: res.status, cookie: res.headers.getSetCookie().find((c) => c.startsWith('tf_session='))?.split(';')[0] ?? null };
}

async function me(cookie: string): Promise<number> {
  const res = await fetch(`${server.baseUrl}/v1/me`, { headers: { cookie } });
  await res.arrayBuffer();
  return res.status;
}

/** The messages the fake SMTP server has received for `to`, waiting until there are `count`. */
async function mailFor(to: string, count = 1, timeoutMs = 10_000): Promise<SmtpRecordedMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = smtp.requests.filter((m) => m.to.includes(to));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} email(s) to ${to}, got ${found.length}`);
    await sleep(25);
  }
}

/** Ask for a reset for `email` and return the token from the link in the email it sends. */
async function resetToken(email: string): Promise<string> {
  const before = smtp.requests.filter((m) => m.to.includes(email)).length;
  const res = await post('/auth/password-reset', { email });
  assert.equal(res.status, 202);
  const mail = (await mailFor(email, before + 1)).at(-1)!;
  const link = mail.text.match(/https?:\/\/\S+/)?.[0];
  assert.ok(link, `the email contains a link:\n${mail.text}`);
  const url = new URL(link);
  const token = url.searchParams.get('token');
  assert.ok(token);
  return token;
}

test('the reset email links to the reset page; its token sets a new password once and ends existing sessions', async () => {
  const tech = await createStaff(server.db, org, 'technician', 'Terry Spanner');
  const session = await signIn(tech.email, STAFF_PASSWORD);
  assert.equal(session.status, 200);
  assert.equal(await me(session.cookie!), 200);

  const asked = await post('/auth/password-reset', { email: tech.email.toUpperCase() });
  assert.equal(asked.status, 202);
  assert.deepEqual(asked.json, { accepted: true });
  const [mail] = await mailFor(tech.email);
  assert.deepEqual(mail!.to, [tech.email]);
  assert.equal(mail!.from, 'no-reply@torqueflow.test');
  assert.equal(mail!.subject, 'Reset your Torqueflow password');
  assert.match(mail!.text, /Hello Terry Spanner/);
  const link = new URL(mail!.text.match(/https?:\/\/\S+/)![0]);
  assert.equal(link.origin, PUBLIC_BASE_URL, 'the link points at the public URL');
  assert.equal(link.pathname, '/reset-password');
  const token = link.searchParams.get('token')!;
  assert.ok(token.length >= 40, 'a long random token');

  const page = await fetch(`${server.baseUrl}${link.pathname}${link.search}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Choose a new password/);

  const done = await post('/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
  assert.equal(done.status, 200, JSON.stringify(done.json));
  assert.deepEqual(done.json, { reset: true });

  assert.equal(await me(session.cookie!), 401, 'the session opened before the reset has ended');
  assert.equal((await signIn(tech.email, STAFF_PASSWORD)).status, 401, 'the old password no longer works');
  const fresh = await signIn(tech.email, NEW_PASSWORD);
  assert.equal(fresh.status, 200, 'the new password works');
  assert.equal(await me(fresh.cookie!), 200);

  const again = await post('/auth/password-reset/confirm', { token, password: 'yet another passphrase' });
  assert.equal(again.status, 400);
  assert.equal(again.json.error.code, 'invalid_reset_token');
  assert.equal((await signIn(tech.email, NEW_PASSWORD)).status, 200, 'the reused link changed nothing');
});

test('an expired reset link fails and leaves the password as it was', async () => {
  const advisor = await createStaff(server.db, org, 'service_advisor');
  const token = await resetToken(advisor.email);
  await server.db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 60_000) }).where('user_id', '=', advisor.id).execute();
  const res = await post('/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
  assert.equal(res.status, 400);
  assert.equal(res.json.error.code, 'invalid_reset_token');
  assert.equal((await signIn(advisor.email, STAFF_PASSWORD)).status, 200);
  assert.equal((await signIn(advisor.email, NEW_PASSWORD)).status, 401);
});

test('an unknown or made-up token fails, and a too-short password is refused without using up the link', async () => {
  const manager = await createStaff(server.db, org, 'manager');
  const made = await post('/auth/password-reset/confirm', { token: 'x'.repeat(43), password: NEW_PASSWORD });
  assert.equal(made.status, 400);
  assert.equal(made.json.error.code, 'invalid_reset_token');

  const token = await resetToken(manager.email);
  const short = await post('/auth/password-reset/confirm', { token, password: 'short' });
  assert.equal(short.status, 400);
  assert.equal(short.json.error.code, 'validation_failed');
  assert.equal((await post('/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).status, 200, 'the link still works after the refusal');
  assert.equal((await signIn(manager.email, NEW_PASSWORD)).status, 200);
});

test('setting a new password voids the other reset links still in that inbox', async () => {
  const owner = await createStaff(server.db, org, 'owner');
  const first = await resetToken(owner.email);
  const second = await resetToken(owner.email);
  assert.notEqual(first, second);
  assert.equal((await post('/auth/password-reset/confirm', { token: second, password: NEW_PASSWORD })).status, 200);
  const old = await post('/auth/password-reset/confirm', { token: first, password: 'attacker chosen password' });
  assert.equal(old.status, 400);
  assert.equal(old.json.error.code, 'invalid_reset_token');
  assert.equal((await signIn(owner.email, NEW_PASSWORD)).status, 200);
});

test('a user locked out by failed sign-ins can sign in after resetting their password, as the lockout message suggests', async () => {
  const tech = await createStaff(server.db, org, 'technician');
  for (let i = 0; i < FREE_FAILURES_PER_ADDRESS; i++) assert.equal((await signIn(tech.email, `forgotten ${i}`)).status, 401);
  assert.equal((await signIn(tech.email, STAFF_PASSWORD)).status, 429);
  const token = await resetToken(tech.email);
  assert.equal((await post('/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).status, 200);
  assert.equal((await signIn(tech.email, NEW_PASSWORD)).status, 200);
});

test('asking for a reset for an unknown or disabled email answers the same 202 and sends nothing', async () => {
  const leaver = await createStaff(server.db, org, 'service_advisor');
  await server.db.updateTable('staff_users').set({ disabled_at: new Date() }).where('id', '=', leaver.id).execute();
  const known = await createStaff(server.db, org, 'service_advisor');
  const sentBefore = smtp.requests.length;

  const unknown = await post('/auth/password-reset', { email: 'not.staff@garage.example' });
  const disabled = await post('/auth/password-reset', { email: leaver.email });
  for (const res of [unknown, disabled]) {
    assert.equal(res.status, 202);
    assert.deepEqual(res.json, { accepted: true });
  }
  // A reset for a real account, asked afterwards, arrives: anything sent for the others would have too.
  await resetToken(known.email);
  assert.deepEqual(smtp.requests.slice(sentBefore).map((m) => m.to), [[known.email]]);
});

test('when the mail server is slow or refuses the message, the answer is still a quick 202 (it reveals nothing)', async () => {
  const slowUser = await createStaff(server.db, org, 'manager');
  smtp.respondWith({ kind: 'accept', delayMs: 4_000 });
  const started = Date.now();
  const slow = await post('/auth/password-reset', { email: slowUser.email });
  const tookMs = Date.now() - started;
  assert.equal(slow.status, 202);
  assert.ok(tookMs < 2_000, `answered in ${tookMs} ms without waiting for the mail server`);

  const refusedUser = await createStaff(server.db, org, 'manager');
  smtp.respondWith({ kind: 'reject_recipient', code: 550, message: 'Mailbox unavailable' });
  const refused = await post('/auth/password-reset', { email: refusedUser.email });
  assert.equal(refused.status, 202, JSON.stringify(refused.json));
  assert.deepEqual(refused.json, { accepted: true });
  await mailFor(slowUser.email);
});

test('the HTML forms redirect: asked → "sent" notice, bad link → back with the error, done → sign-in page', async () => {
  const tech = await createStaff(server.db, org, 'technician');
  const form = (path: string, fields: Record<string, string>) => fetch(server.baseUrl + path, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
  });
  const asked = await form('/auth/password-reset', { email: 'who.knows@garage.example' });
  assert.equal(asked.status, 303);
  assert.equal(asked.headers.get('location'), '/forgot-password?sent=1');

  const bad = await form('/auth/password-reset/confirm', { token: 'y'.repeat(43), password: NEW_PASSWORD });
  assert.equal(bad.status, 303);
  assert.equal(bad.headers.get('location'), `/reset-password?token=${'y'.repeat(43)}&error=invalid_reset_token`);

  const token = await resetToken(tech.email);
  const done = await form('/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/login?reset=1');
  assert.equal((await signIn(tech.email, NEW_PASSWORD)).status, 200);
});
