/**
 * Every automated send path goes through the one consent gate
 * (src/domain/consent.ts `consentGate`; issue 12 item 9). Paths and where each is tested:
 * - staff / AI / system messages through the send API: compose-consent.test.ts;
 * - delivery re-check (consent changed after queueing): delivery-rules.test.ts (STOP);
 * - unread-message reminder emails: reminders/unread-reminders.test.ts ("consent forbids");
 * - "Also text portal replies" SMS: portal/portal-api.test.ts (SMS opt-out);
 * - WhatsApp verification codes: customers/whatsapp-verification.test.ts (WhatsApp off → SMS);
 * - here: the bridge SMS (judged as the WhatsApp message's category), the AI receptionist worker
 *   (WhatsApp switched off), templates (WhatsApp off, MARKETING templates need the
 *   marketing opt-in whatever category the caller names), the fresh portal link SMS
 *   (SMS opt-out), and a source check that nothing reaches a provider or the outbox
 *   except through a file that applies the gate.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, createWorkOrder, type TestOrg } from '../support/fixtures.js';
import { newSid, postTwilio, smsParams } from '../support/providers.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-providers/openai.js';
import { withTenant } from '../../src/db/tenant.js';
import { setConsent } from '../../src/consent/consent.repository.js';
import type { ConsentCategory } from '../../src/db/schema.js';
import { createPortalLink } from '../../src/sending/portal-links.js';
import { customerWhatsApps, messageCount, messagesIn, send } from './compose-support.js';
import { aiMessages, enableAi, json, runReply } from '../ai/ai-support.js';

let server: TestServer;
let org: TestOrg;
let model: FakeOpenAi;

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  org = await createOrg(server.db);
  model = await startFakeOpenAi();
  await server.db.insertInto('message_templates').values([
    { org_id: org.id, name: 'vehicle_ready', language: 'en_GB', category: 'UTILITY', body: 'Hi {name}, your car is ready.', placeholders: ['name'], status: 'approved' },
    { org_id: org.id, name: 'winter_offer', language: 'en_GB', category: 'MARKETING', body: 'Hi {name}, 20% off winter checks this month.', placeholders: ['name'], status: 'approved' },
  ]).execute();
});
after(async () => {
  await model?.close();
  await server?.close();
});

const consent = (customerId: string, category: ConsentCategory, granted: boolean) =>
  withTenant(server.db, org.id, (trx) => setConsent(trx, org.id, customerId, category, granted, { source: 'staff_entry' }));

test("bridge SMS: it is an SMS of the WhatsApp message's own category, so the gate judges it as that; refused messages never bridge", async () => {
  const off = await createCustomer(server.db, org.id);
  const offId = await customerWhatsApps(server, org, off.phone!, 30);
  await consent(off.id, 'transactional', false);
  const before = await messageCount(server);
  const blocked = await send(server, org, offId, { body: 'Your car is ready', channel: 'whatsapp' });
  assert.equal(blocked.json.error.code, 'transactional_revoked');
  assert.equal(await messageCount(server), before, 'no message and no bridge SMS');

  const c = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, c.phone!, 30);
  const bridged = await send(server, org, id, { body: 'Your MOT is due next month', channel: 'whatsapp', category: 'service_reminders' });
  assert.equal(bridged.json.outcome, 'bridged');
  const bridge = (await messagesIn(server, id)).find((m) => m.notification_type === 'bridge')!;
  assert.equal(bridge.consent_category, 'service_reminders', 'the delivery worker re-checks the bridge SMS as a service reminder');

  const active = await createCustomer(server.db, org.id);
  const activeId = await customerWhatsApps(server, org, active.phone!, 30);
  await consent(active.id, 'transactional', false);
  await createWorkOrder(server.db, org.id, active.id);
  assert.equal((await send(server, org, activeId, { body: 'Your car is ready', channel: 'whatsapp' })).json.outcome, 'bridged', 'transactional is always allowed on an active work order');
});

test('AI receptionist: WhatsApp switched off means the reply job sends nothing (outcome blocked)', async () => {
  await enableAi(server, org);
  const c = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, c.phone!, 0.1, 'Is my car ready?');
  await consent(c.id, 'whatsapp', false);
  model.respondWith(() => ({ kind: 'answer', content: json({ reply: 'Yes, ready at 5.', action: 'reply', category: 'general' }) }));
  const result = await runReply(server, model, org.id, id);
  assert.deepEqual(result, { outcome: 'answered', action: 'reply', compose: 'blocked' });
  assert.equal((await aiMessages(server, id)).length, 0, 'no AI message stored or queued');
  await enableAi(server, org, false);
});

test('templates: WhatsApp off blocks them; a MARKETING template needs the marketing opt-in even when called transactional', async () => {
  const c = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, c.phone!, 30);
  const before = await messageCount(server);
  const offer = await send(server, org, id, { template: { name: 'winter_offer', params: { name: 'Sam' } }, channel: 'whatsapp', category: 'transactional' });
  assert.equal(offer.status, 422);
  assert.equal(offer.json.error.code, 'marketing_not_opted_in');
  assert.equal(await messageCount(server), before, 'nothing stored');

  await consent(c.id, 'marketing', true);
  assert.equal((await send(server, org, id, { template: { name: 'winter_offer', params: { name: 'Sam' } }, channel: 'whatsapp' })).json.outcome, 'queued');

  await consent(c.id, 'whatsapp', false);
  const ready = await send(server, org, id, { template: { name: 'vehicle_ready', params: { name: 'Sam' } }, channel: 'whatsapp' });
  assert.equal(ready.json.error.code, 'whatsapp_consent_revoked');
});

test('fresh portal link: an expired link texts a new one, but not to a number that sent STOP', async () => {
  const tapExpiredLink = async (stopFirst: boolean) => {
    const c = await createCustomer(server.db, org.id);
    const id = await customerWhatsApps(server, org, c.phone!, 1);
    const code = await withTenant(server.db, org.id, (trx) => createPortalLink(trx, org.id, id, c.id, 7, new Date()));
    await server.db.updateTable('portal_links').set({ expires_at: new Date(Date.now() - 86_400_000), created_at: new Date(Date.now() - 8 * 86_400_000) }).where('conversation_id', '=', id).execute();
    if (stopFirst) {
      const stop = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: c.phone!, to: org.twilioNumber, body: 'STOP' }), org.twilioAuthToken);
      assert.equal(stop.status, 200);
    }
    const res = await fetch(`${server.baseUrl}/l/${code}/renew`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.ok(res.status < 500, String(res.status));
    return (await messagesIn(server, id)).filter((m) => m.direction === 'outbound' && m.channel === 'sms' && /new link/.test(m.body));
  };
  assert.equal((await tapExpiredLink(false)).length, 1, 'a customer who may be texted gets the new link');
  assert.equal((await tapExpiredLink(true)).length, 0, 'no SMS is composed for an opted-out number');
});

/** Source files under `dir`, recursively. */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await sources(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('only files that apply the consent gate hand messages to a provider or queue outbound messages', async () => {
  const callers: Record<string, string[]> = { 'adapterFor(': [], 'insertOutbound(': [], 'writeOutbound(': [] };
  for (const file of await sources('src')) {
    const text = await readFile(file, 'utf8');
    for (const call of Object.keys(callers)) {
      if (text.includes(call) && !new RegExp(`export (async )?function ${call.slice(0, -1)}\\b`).test(text)) callers[call]!.push(file);
    }
  }
  // The staff alert for a portal message goes to the garage's own notification phone, not to a customer.
  const all = [...new Set(Object.values(callers).flat())].filter((f) => f !== 'src/portal/portal-alert.ts').sort();
  assert.deepEqual(all, [
    'src/consent/whatsapp-verification.ts', // verification codes: the gate's channel rules pick the channel
    'src/sending/bridge.ts', // bridge SMS
    'src/sending/compose-message.ts', // every composed message: staff, AI, system, templates, portal-link SMS
    'src/sending/deliver-message.job.ts', // re-checks the gate just before the provider call
  ], 'a new path to a provider or the outbox must apply consentGate and be listed here');
  for (const file of all) assert.match(await readFile(file, 'utf8'), /consentGate\(/, `${file} applies the gate`);
});
