/**
 * WhatsApp number verification by one-time code over HTTP, against the
 * recorded fake WhatsApp Cloud API and fake Twilio (live adapters):
 * - the authentication template with Meta's copy-code button, the code only
 *   hashed; a correct code grants WhatsApp consent with source
 *   `otp_verification` and an audit entry naming the staff user;
 * - SMS where the garage has no approved authentication template, where the
 *   customer turned WhatsApp off, and where Meta refuses the template;
 * - the portal: the customer types the code (audited with IP and user agent);
 * - limits in the database: 10 concurrent wrong checks count 5 and lock;
 *   expiry; resend cooldown and 3 sends; 5 codes an hour; technicians refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createStaff, type TestOrg } from '../support/fixtures.js';
import { startFakeTwilio, startFakeWhatsApp, type FakeTwilio, type FakeWhatsApp } from '../support/fake-providers/index.js';
import { LIVE_DELIVERY_ENV } from '../support/delivery.js';
import { call, signInAs, type Session } from '../auth/support.js';
import { portalApi, portalCustomer, signIn } from '../portal/portal-support.js';

let server: TestServer;
let meta: FakeWhatsApp;
let twilio: FakeTwilio;
let org: TestOrg;
let plainOrg: TestOrg;
let advisor: Session;
let plainAdvisor: Session;
let technician: Session;

const AUTH_BODY = '{code} is your verification code. For your security, do not share this code. This code expires in 10 minutes.';

before(async () => {
  meta = await startFakeWhatsApp();
  twilio = await startFakeTwilio();
  server = await startTestServer({ ...LIVE_DELIVERY_ENV, RUN_WORKER: 'false', WHATSAPP_API_BASE_URL: meta.baseUrl, TWILIO_API_BASE_URL: twilio.baseUrl, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  org = await createOrg(server.db);
  await server.db.insertInto('message_templates').values({ org_id: org.id, name: 'verification_code', language: 'en_GB', category: 'AUTHENTICATION', body: AUTH_BODY, placeholders: ['code'], status: 'approved' }).execute();
  plainOrg = await createOrg(server.db);
  advisor = await signInAs(server, (await createStaff(server.db, org, 'service_advisor')).email);
  plainAdvisor = await signInAs(server, (await createStaff(server.db, plainOrg, 'service_advisor')).email);
  technician = await signInAs(server, (await createStaff(server.db, org, 'technician')).email);
});
after(async () => {
  await server?.close();
  await meta?.close();
  await twilio?.close();
});

const digits = (e164: string) => e164.replace(/\D/g, '');
type TemplateSend = { to: string; type: string; template: { name: string; language: { code: string }; components: Array<{ type: string; sub_type?: string; index?: string; parameters: Array<{ type: string; text: string }> }> } };
const templateSendsTo = (phone: string) => meta.requests.map((r) => r.body as TemplateSend).filter((b) => b?.to === digits(phone) && b.type === 'template');
const smsTo = (phone: string) => twilio.requests.filter((r) => r.body.To === phone);
const smsCode = (phone: string) => /^(\d{6}) is your /.exec(smsTo(phone).at(-1)!.body.Body!)![1]!;
const path = (customerId: string, suffix = '') => `/v1/customers/${customerId}/whatsapp-verification${suffix}`;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function whatsAppConsent(orgId: string, customerId: string) {
  return server.db.selectFrom('customer_consents').selectAll().where('org_id', '=', orgId).where('customer_id', '=', customerId).where('category', '=', 'whatsapp').executeTakeFirstOrThrow();
}
async function verificationRow(customerId: string) {
  return server.db.selectFrom('whatsapp_verifications').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
}

test("the code goes in Meta's authentication template with a copy-code button; the right code grants WhatsApp consent (otp_verification) and audits it", async () => {
  const customer = await createCustomer(server.db, org.id, { name: 'Olu Adeyemi' });

  const started = await call(server, advisor, 'POST', path(customer.id), {});
  assert.equal(started.status, 201, started.text);
  assert.equal(started.json.channel, 'whatsapp');
  assert.equal(started.json.status, 'pending');
  assert.equal(started.json.attemptsLeft, 5);
  assert.equal(started.json.sendsLeft, 2);
  assert.ok(Math.abs(Date.parse(started.json.expiresAt) - Date.now() - 600_000) < 30_000, 'expires in 10 minutes');

  const [send] = templateSendsTo(customer.phone!);
  assert.ok(send, 'Meta received a template send');
  assert.equal(send.template.name, 'verification_code');
  assert.equal(send.template.language.code, 'en_GB');
  const code = send.template.components[0]!.parameters[0]!.text;
  assert.match(code, /^\d{6}$/);
  assert.deepEqual(send.template.components, [
    { type: 'body', parameters: [{ type: 'text', text: code }] },
    { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: code }] },
  ]);
  const row = await verificationRow(customer.id);
  assert.ok(!row.code_hash.includes(code) && row.code_hash.length === 64, 'only a hash is stored');
  const messages = await server.db.selectFrom('messages').select('body').where('org_id', '=', org.id).execute();
  assert.ok(messages.every((m) => !m.body.includes(code)), 'the code is not written to any conversation');

  const miss = await call(server, advisor, 'POST', path(customer.id, '/check'), { code: wrong(code) });
  assert.equal(miss.status, 422);
  assert.equal(miss.json.error.code, 'code_incorrect');
  assert.match(miss.json.error.message, /4 tries left/);

  const ok = await call(server, advisor, 'POST', path(customer.id, '/check'), { code: `${code.slice(0, 3)} ${code.slice(3)}` });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'verified');
  const consent = await whatsAppConsent(org.id, customer.id);
  assert.equal(consent.granted, true);
  assert.equal(consent.source, 'otp_verification');
  const audit = await server.db.selectFrom('consent_audit_log').selectAll().where('customer_id', '=', customer.id).where('source', '=', 'otp_verification').execute();
  assert.equal(audit.length, 1, 'recorded even though WhatsApp was already on');
  assert.equal(audit[0]!.action, 'granted');
  assert.equal(audit[0]!.previous_value, true);
  assert.ok(audit[0]!.performed_by_id, 'the staff user who took the code');
  const staffAudit = await server.db.selectFrom('staff_audit_log').select('action').where('org_id', '=', org.id).where('target_id', '=', customer.id).execute();
  assert.ok(staffAudit.some((a) => a.action === 'customer.whatsapp_verification_sent'));

  const again = await call(server, advisor, 'POST', path(customer.id, '/check'), { code });
  assert.equal(again.json.error.code, 'verification_not_pending', 'a used code cannot be used again');
});

test('without an approved authentication template the same code goes by SMS (the documented fallback), and the customer can type it in the portal', async () => {
  const customer = await portalCustomer(server, plainOrg, 'Priya Shah');
  const started = await call(server, plainAdvisor, 'POST', path(customer.customerId), {});
  assert.equal(started.status, 201, started.text);
  assert.equal(started.json.channel, 'sms');
  assert.equal(templateSendsTo(customer.phone).length, 0, 'no WhatsApp template was tried');
  const sms = smsTo(customer.phone).at(-1)!.body;
  assert.equal(sms.From, plainOrg.twilioNumber);
  assert.match(sms.Body!, new RegExp(`^\\d{6} is your ${plainOrg.name} verification code\\. It expires in 10 minutes\\.`));

  const cookie = await signIn(server, customer.code);
  const seen = await portalApi(server, cookie, 'GET', '/portal/api/whatsapp-verification');
  assert.equal(seen.json.verification.status, 'pending');
  const checked = await portalApi(server, cookie, 'POST', '/portal/api/whatsapp-verification/check', { code: smsCode(customer.phone) });
  assert.equal(checked.status, 200, JSON.stringify(checked.json));
  assert.equal(checked.json.verification.status, 'verified');
  const [entry] = await server.db.selectFrom('consent_audit_log').selectAll().where('customer_id', '=', customer.customerId).where('source', '=', 'otp_verification').execute();
  assert.equal(entry!.ip_address, '198.51.100.7');
  assert.equal(entry!.user_agent, 'PortalTest/1.0');
  assert.equal(entry!.performed_by_id, null);
});

test('a customer who turned WhatsApp off is sent the code by SMS; verifying turns WhatsApp back on', async () => {
  const customer = await createCustomer(server.db, org.id);
  await call(server, advisor, 'PUT', `/v1/customers/${customer.id}/consent/whatsapp`, { granted: false });
  const started = await call(server, advisor, 'POST', path(customer.id), {});
  assert.equal(started.json.channel, 'sms');
  assert.equal(templateSendsTo(customer.phone!).length, 0, 'nothing went to WhatsApp');
  const ok = await call(server, advisor, 'POST', path(customer.id, '/check'), { code: smsCode(customer.phone!) });
  assert.equal(ok.json.status, 'verified');
  assert.equal((await whatsAppConsent(org.id, customer.id)).granted, true);
});

test('when Meta refuses the authentication template, the code goes by SMS instead', async () => {
  const customer = await createCustomer(server.db, org.id);
  meta.respondWith({ kind: 'error', status: 400, code: 132001, details: 'Template name does not exist in the translation' });
  const started = await call(server, advisor, 'POST', path(customer.id), {});
  assert.equal(started.status, 201, started.text);
  assert.equal(started.json.channel, 'sms');
  assert.equal(templateSendsTo(customer.phone!).length, 1);
  assert.equal((await verificationRow(customer.id)).channel, 'sms');
  const ok = await call(server, advisor, 'POST', path(customer.id, '/check'), { code: smsCode(customer.phone!) });
  assert.equal(ok.json.status, 'verified');
});

test('10 concurrent wrong codes count exactly 5 attempts and lock the code; the right code is then refused', async () => {
  const customer = await createCustomer(server.db, plainOrg.id);
  await call(server, plainAdvisor, 'POST', path(customer.id), {});
  const code = smsCode(customer.phone!);
  const results = await Promise.all(Array.from({ length: 10 }, () => call(server, plainAdvisor, 'POST', path(customer.id, '/check'), { code: wrong(code) })));
  const codes = results.map((r) => r.json.error.code).sort();
  assert.equal(codes.filter((c) => c === 'code_incorrect').length, 4, codes.join());
  assert.equal(codes.filter((c) => c === 'verification_locked').length, 6, codes.join());
  const row = await verificationRow(customer.id);
  assert.equal(row.attempts, 5);
  assert.equal(row.status, 'locked');
  const late = await call(server, plainAdvisor, 'POST', path(customer.id, '/check'), { code });
  assert.equal(late.status, 429);
  assert.equal(late.json.error.code, 'verification_locked');
  assert.equal((await whatsAppConsent(plainOrg.id, customer.id)).source, 'hardcoded_default', 'no consent change');
  assert.equal(results.filter((r) => r.status === 200).length, 0);
});

test('the database refuses a sixth attempt and a fourth send even when written directly', async () => {
  const customer = await createCustomer(server.db, plainOrg.id);
  await call(server, plainAdvisor, 'POST', path(customer.id), {});
  const row = await verificationRow(customer.id);
  await assert.rejects(server.db.updateTable('whatsapp_verifications').set({ attempts: 6 }).where('id', '=', row.id).execute(), /check/i);
  await assert.rejects(server.db.updateTable('whatsapp_verifications').set({ sends: 4 }).where('id', '=', row.id).execute(), /check/i);
});

test('an expired code is refused (410) and a malformed one is not counted', async () => {
  const customer = await createCustomer(server.db, plainOrg.id);
  await call(server, plainAdvisor, 'POST', path(customer.id), {});
  const code = smsCode(customer.phone!);
  const junk = await call(server, plainAdvisor, 'POST', path(customer.id, '/check'), { code: '12ab' });
  assert.equal(junk.status, 400);
  assert.equal((await verificationRow(customer.id)).attempts, 0);
  await server.db.updateTable('whatsapp_verifications').set({ expires_at: new Date(Date.now() - 1000) }).where('customer_id', '=', customer.id).execute();
  const late = await call(server, plainAdvisor, 'POST', path(customer.id, '/check'), { code });
  assert.equal(late.status, 410);
  assert.equal(late.json.error.code, 'verification_expired');
  assert.equal((await call(server, plainAdvisor, 'GET', path(customer.id))).json.status, 'expired');
});

test('resend: not within 30 s, then a new code that replaces the old one, at most 3 sends', async () => {
  const customer = await createCustomer(server.db, plainOrg.id);
  await call(server, plainAdvisor, 'POST', path(customer.id), {});
  const first = smsCode(customer.phone!);
  const tooSoon = await call(server, plainAdvisor, 'POST', path(customer.id, '/resend'), {});
  assert.equal(tooSoon.status, 429);
  assert.match(tooSoon.json.error.message, /Wait \d+ s/);
  const backdate = () => server.db.updateTable('whatsapp_verifications').set({ last_sent_at: new Date(Date.now() - 60_000) }).where('customer_id', '=', customer.id).execute();
  await backdate();
  const resent = await call(server, plainAdvisor, 'POST', path(customer.id, '/resend'), {});
  assert.equal(resent.status, 200, resent.text);
  assert.equal(resent.json.sendsLeft, 1);
  const second = smsCode(customer.phone!);
  await backdate();
  assert.equal((await call(server, plainAdvisor, 'POST', path(customer.id, '/resend'), {})).json.sendsLeft, 0);
  await backdate();
  const fourth = await call(server, plainAdvisor, 'POST', path(customer.id, '/resend'), {});
  assert.equal(fourth.json.error.code, 'verification_send_limit');
  const third = smsCode(customer.phone!);
  if (first !== third) assert.equal((await call(server, plainAdvisor, 'POST', path(customer.id, '/check'), { code: first })).json.error.code, 'code_incorrect', 'the first code no longer works');
  if (second !== third) assert.equal((await call(server, plainAdvisor, 'POST', path(customer.id, '/check'), { code: second })).json.error.code, 'code_incorrect');
  assert.equal((await call(server, plainAdvisor, 'POST', path(customer.id, '/check'), { code: third })).json.status, 'verified');
});

test('at most 5 codes an hour per customer, even when requested concurrently', async () => {
  const customer = await createCustomer(server.db, plainOrg.id);
  const results = await Promise.all(Array.from({ length: 8 }, () => call(server, plainAdvisor, 'POST', path(customer.id), {})));
  assert.equal(results.filter((r) => r.status === 201).length, 5, results.map((r) => r.status).join());
  assert.ok(results.filter((r) => r.status !== 201).every((r) => r.json.error.code === 'verification_send_limit'));
  assert.equal(smsTo(customer.phone!).length, 5);
  const rows = await server.db.selectFrom('whatsapp_verifications').select('status').where('customer_id', '=', customer.id).execute();
  assert.equal(rows.filter((r) => r.status === 'pending').length, 1, 'each new code cancels the previous one');
});

test('technicians cannot send or check codes', async () => {
  const customer = await createCustomer(server.db, org.id);
  const res = await call(server, technician, 'POST', path(customer.id), {});
  assert.equal(res.status, 403);
  assert.equal((await call(server, technician, 'POST', path(customer.id, '/check'), { code: '123456' })).status, 403);
});
