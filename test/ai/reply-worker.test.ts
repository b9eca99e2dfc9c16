/**
 * The AI reply worker with real jobs and real concurrency: a burst of
 * customer messages gets one reply after the debounce, and a staff reply
 * committed while the model is thinking keeps the AI silent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { holdsFor, waitFor } from '../support/delivery.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-providers/openai.js';
import { customerWhatsApps, send } from '../sending/compose-support.js';
import { aiMessages, enableAi, json } from './ai-support.js';

let server: TestServer;
let org: TestOrg;
let model: FakeOpenAi;

before(async () => {
  model = await startFakeOpenAi();
  server = await startTestServer({ AI_PROVIDER: 'openai-compatible', AI_BASE_URL: `${model.baseUrl}/v1`, AI_MODEL: 'fake', AI_MAX_RETRIES: '0', AI_DEBOUNCE_MS: '5000', AI_TIMEOUT_MS: '15000' });
  org = await createOrg(server.db, { name: 'Acme Motors' });
  await enableAi(server, org);
});
after(async () => {
  await server.close();
  await model.close();
});

test('debounce: three messages within 2 s get one reply, which answers the whole burst (debounce 5 s here, so a loaded machine cannot stretch the burst past it)', async () => {
  const c = await createCustomer(server.db, org.id);
  const start = model.requests.length;
  model.respondWith(() => ({ kind: 'answer', content: json({ reply: 'Yes, Tuesday at 9 works for an MOT — the team will confirm.', action: 'reply', category: 'booking' }) }));
  const id = await customerWhatsApps(server, org, c.phone!, 0, 'Hi');
  await new Promise((r) => setTimeout(r, 700));
  await customerWhatsApps(server, org, c.phone!, 0, 'can I book an MOT');
  await new Promise((r) => setTimeout(r, 700));
  await customerWhatsApps(server, org, c.phone!, 0, 'Tuesday?');
  await waitFor('the AI reply', async () => (await aiMessages(server, id)).length > 0, { timeoutMs: 20_000 });
  assert.ok(await holdsFor(async () => (await aiMessages(server, id)).length === 1, 3_000), 'exactly one reply');
  const calls = model.requests.slice(start);
  assert.equal(calls.length, 1, 'one model call for the burst');
  assert.match(calls[0]!.rawBody, /\[WhatsApp\] Customer: Hi\\n\[WhatsApp\] Customer: can I book an MOT\\n\[WhatsApp\] Customer: Tuesday\?/);
});

test('a staff reply committed between the job start and the send keeps the AI silent', async () => {
  const c = await createCustomer(server.db, org.id);
  const start = model.requests.length;
  // The model takes 1.5 s; the advisor answers meanwhile.
  model.respondWith(() => ({ kind: 'answer', content: json({ reply: 'AI says hello', action: 'reply', category: 'general' }), delayMs: 1_500 }));
  const id = await customerWhatsApps(server, org, c.phone!, 0, 'Is my car ready?');
  await waitFor('the model call', () => model.requests.length > start, { timeoutMs: 20_000 });
  const staff = await send(server, org, id, { body: 'Yes, ready from 4pm' });
  assert.equal(staff.status, 201);
  assert.ok(await holdsFor(async () => (await aiMessages(server, id)).length === 0, 3_000), 'the AI never talks over the advisor');
  const job = await server.db.selectFrom('ai_replies').selectAll().where('conversation_id', '=', id).execute();
  assert.equal(job.length, 0, 'nothing recorded, nothing debited');
  model.respondWith(() => ({ kind: 'answer', content: json({ reply: 'ok', action: 'reply', category: 'general' }) }));
});
