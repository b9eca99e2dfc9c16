/**
 * The AI reply job end to end on a real database, against a local fake
 * OpenAI-compatible server: what it sees, when it stays silent, the window
 * and bridge, credit exhaustion on both sides of the window, idempotent
 * debits under retries, handoff, classification.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, type TestOrg } from '../support/fixtures.js';
import { postTwilio, newSid, smsParams } from '../support/providers.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-providers/openai.js';
import { customerWhatsApps, send } from '../sending/compose-support.js';
import { CANNED_REPLY } from '../../src/domain/ai-turn.js';
import { aiMessages, enableAi, json, ledger, runReply } from './ai-support.js';

let server: TestServer;
let org: TestOrg;
let model: FakeOpenAi;
const REPLY = json({ reply: 'Thanks Sam, we will crack on.', action: 'reply', category: 'general' });

before(async () => {
  server = await startTestServer({ RUN_WORKER: 'false', AI_MONTHLY_CREDITS: '100', AI_CREDITS_PER_1K_TOKENS: '10' });
  org = await createOrg(server.db, { name: 'Acme Motors' });
  await enableAi(server, org);
  model = await startFakeOpenAi();
});
after(async () => {
  await model.close();
  await server.close();
});

async function customerSms(phone: string, body: string): Promise<string> {
  const res = await postTwilio(server.baseUrl, '/twilio/sms', smsParams({ sid: newSid(), from: phone, to: org.twilioNumber, body }), org.twilioAuthToken);
  assert.equal(res.status, 200, res.body);
  const c = await server.db.selectFrom('conversations').innerJoin('customers', 'customers.id', 'conversations.customer_id').select('conversations.id').where('customers.phone', '=', phone).executeTakeFirstOrThrow();
  return c.id;
}

test('the model sees this customer\'s one conversation across channels, tagged, and nothing of another customer', async () => {
  const sam = await createCustomer(server.db, org.id, { name: 'Sam Carter' });
  const other = await createCustomer(server.db, org.id, { name: 'Olivia Other' });
  await customerSms(other.phone!, 'My secret alarm code is 4921');
  const id = await customerWhatsApps(server, org, sam.phone!, 1, 'Shall I leave the keys?');
  await customerSms(sam.phone!, 'yes');
  await server.db.updateTable('customers').set({ name: 'Sam Carter' }).where('id', '=', sam.id).execute();
  const start = model.requests.length;
  model.respondWith({ kind: 'answer', content: REPLY });
  const r = await runReply(server, model, org.id, id);
  assert.deepEqual(r, { outcome: 'answered', action: 'reply', compose: 'queued' });
  const body = model.requests.slice(start).map((q) => q.rawBody).join('\n');
  assert.equal(model.requests.length - start, 1);
  assert.match(body, /\[WhatsApp\] Customer: Shall I leave the keys\?\\n\[SMS\] Customer: yes/);
  assert.match(body, /Acme Motors/);
  assert.match(body, /Mon–Fri 8–17:30/);
  assert.match(body, /closed Sundays/);
  assert.ok(!body.includes('4921') && !body.includes('Olivia'), 'another customer\'s data never reaches the prompt');
  const [reply] = await aiMessages(server, id);
  assert.equal(reply!.body, 'Thanks Sam, we will crack on.');
  assert.equal(reply!.channel, 'sms', 'answers on the channel the customer last wrote on');
  assert.equal(reply!.sender_user_id, null);
});

test('a retried job (even two at once) answers and debits a message once', async () => {
  const c = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, c.phone!, 1, 'Is my car ready?');
  model.respondWith(() => ({ kind: 'answer', content: REPLY, promptTokens: 900, completionTokens: 100 }));
  const results = await Promise.all([runReply(server, model, org.id, id), runReply(server, model, org.id, id)]);
  const again = await runReply(server, model, org.id, id);
  assert.equal(results.filter((r) => r.outcome === 'answered').length, 1, json(results));
  assert.deepEqual(again, { outcome: 'silent', reason: 'already_answered' });
  assert.equal((await aiMessages(server, id)).length, 1);
  const inbound = await server.db.selectFrom('messages').select('id').where('conversation_id', '=', id).where('direction', '=', 'inbound').executeTakeFirstOrThrow();
  const debits = (await ledger(server, org.id)).filter((e) => e.entry_key === `reply:${inbound.id}`);
  assert.equal(debits.length, 1);
  assert.equal(Number(debits[0]!.credits), -10, '1,000 tokens at 10 credits per 1,000');
});

test('a staff reply, an assignment or a pending approval since the customer wrote keeps the AI silent', async () => {
  const c1 = await createCustomer(server.db, org.id);
  const staffReplied = await customerWhatsApps(server, org, c1.phone!, 1, 'hello?');
  assert.equal((await send(server, org, staffReplied, { body: 'On it' })).status, 201);
  assert.deepEqual(await runReply(server, model, org.id, staffReplied), { outcome: 'silent', reason: 'staff_replied' });

  const c2 = await createCustomer(server.db, org.id);
  const assigned = await customerWhatsApps(server, org, c2.phone!, 1, 'hello?');
  const advisor = await server.db.selectFrom('staff_users').select('id').where('org_id', '=', org.id).executeTakeFirst();
  if (advisor) {
    await server.db.updateTable('conversations').set({ assignee_id: advisor.id }).where('id', '=', assigned).execute();
    assert.deepEqual(await runReply(server, model, org.id, assigned), { outcome: 'silent', reason: 'assigned' });
  }
  assert.equal((await aiMessages(server, staffReplied)).length + (await aiMessages(server, assigned)).length, 0);
});

test('closed window: the AI reply fails with window_expired_bridge_sent and one bridge SMS goes; the next AI reply sends no second bridge', async () => {
  const c = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, c.phone!, 30, 'Any news on the car?');
  model.respondWith(() => ({ kind: 'answer', content: REPLY }));
  assert.deepEqual(await runReply(server, model, org.id, id), { outcome: 'answered', action: 'reply', compose: 'bridged' });
  await customerWhatsApps(server, org, c.phone!, 29, 'Hello??');
  assert.deepEqual(await runReply(server, model, org.id, id), { outcome: 'answered', action: 'reply', compose: 'failed' });
  const all = await server.db.selectFrom('messages').selectAll().where('conversation_id', '=', id).where('direction', '=', 'outbound').orderBy('created_at').execute();
  assert.deepEqual(all.filter((m) => m.ai_generated).map((m) => [m.channel, m.status, m.failure_reason]), [
    ['whatsapp', 'failed', 'window_expired_bridge_sent'], ['whatsapp', 'failed', 'window_expired_bridge_recently_sent'],
  ]);
  assert.equal(all.filter((m) => m.notification_type === 'bridge').length, 1, 'one bridge SMS');
});

test('handoff: the conversation stays Unassigned, tagged "AI handoff" in the list, with a system entry saying why', async () => {
  const c = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, c.phone!, 1, 'I want to speak to a real person please');
  model.respondWith({ kind: 'answer', content: json({ reply: "Of course, I've asked the team.", action: 'handoff', category: 'general', handoffReason: 'customer_asked' }) });
  assert.deepEqual(await runReply(server, model, org.id, id), { outcome: 'answered', action: 'handoff', compose: 'queued' });
  const conv = await server.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(conv.assignee_id, null);
  assert.equal(conv.ai_handoff_reason, 'customer_asked');
  const entry = await server.db.selectFrom('messages').selectAll().where('conversation_id', '=', id).where('direction', '=', 'internal').executeTakeFirstOrThrow();
  assert.deepEqual([entry.channel, entry.content_type, entry.body], ['internal', 'system', 'AI handoff: the customer asked to speak to a person']);
  const list = await fetch(`${server.baseUrl}/v1/conversations?filter=unassigned`, { headers: { authorization: `Bearer ${org.apiToken}` } }).then((r) => r.json()) as { conversations: { id: string; aiHandoff: { reason: string; label: string } | null }[] };
  assert.deepEqual(list.conversations.find((r) => r.id === id)?.aiHandoff, { reason: 'customer_asked', label: 'AI handoff' });
  await customerWhatsApps(server, org, c.phone!, 0.5, 'hello?');
  assert.deepEqual(await runReply(server, model, org.id, id), { outcome: 'silent', reason: 'handed_off' }, 'waits for a person after handing off');
});

test('a provider error never loses the inbound message: retried, then handed off on the last attempt', async () => {
  const c = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, c.phone!, 1, 'Can you do Tuesday?');
  model.respondWith({ kind: 'rate_limited' });
  await assert.rejects(runReply(server, model, org.id, id), /429/);
  model.respondWith({ kind: 'error', status: 500 });
  assert.deepEqual(await runReply(server, model, org.id, id, { lastAttempt: true }), { outcome: 'answered', action: 'handoff', compose: 'none' });
  const conv = await server.db.selectFrom('conversations').select(['ai_handoff_reason', 'unread_count']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(conv, { ai_handoff_reason: 'ai_error', unread_count: 1 });
  model.respondWith(() => ({ kind: 'answer', content: REPLY }));
});

test('the model\'s category sets the Booking badge of a customer with no work order', async () => {
  const c = await createCustomer(server.db, org.id);
  const id = await customerWhatsApps(server, org, c.phone!, 1, 'Is Thursday any good for the rattle?');
  assert.equal((await server.db.selectFrom('conversations').select('context_badge').where('id', '=', id).executeTakeFirstOrThrow()).context_badge, 'general', 'the keyword rule found no booking words');
  model.respondWith({ kind: 'answer', content: json({ reply: 'Thursday works, the team will confirm a time.', action: 'reply', category: 'booking' }) });
  await runReply(server, model, org.id, id);
  assert.equal((await server.db.selectFrom('conversations').select('context_badge').where('id', '=', id).executeTakeFirstOrThrow()).context_badge, 'booking');
  model.respondWith(() => ({ kind: 'answer', content: REPLY }));
});

test('credit exhaustion: reaching zero sets the degradation; inside the window a canned reply (no model call), outside nothing at all; a top-up leaves it', async () => {
  const poor = await createOrg(server.db, { name: 'Poor Motors' });
  await enableAi(server, poor);
  const cfg = { config: { AI_MONTHLY_CREDITS: 5, AI_CREDITS_PER_1K_TOKENS: 10 } };
  const c = await createCustomer(server.db, poor.id);
  const id = await customerWhatsApps(server, poor, c.phone!, 1, 'first');
  model.respondWith(() => ({ kind: 'answer', content: REPLY, promptTokens: 500, completionTokens: 100 }));
  await runReply(server, model, poor.id, id, cfg);
  const flags = async () => (await server.db.selectFrom('organisations').select('ai_credit_exhausted').where('id', '=', poor.id).executeTakeFirstOrThrow()).ai_credit_exhausted;
  assert.equal(await flags(), true, '5 − 6 credits: exhausted');

  const inside = await createCustomer(server.db, poor.id);
  const open = await customerWhatsApps(server, poor, inside.phone!, 1, 'Are you open Saturday?');
  const calls = model.requests.length;
  assert.deepEqual(await runReply(server, model, poor.id, open, cfg), { outcome: 'answered', action: 'canned', compose: 'queued' });
  assert.equal(model.requests.length, calls, 'no model call while exhausted');
  assert.deepEqual((await aiMessages(server, open)).map((m) => m.body), [CANNED_REPLY]);

  const outside = await createCustomer(server.db, poor.id);
  const closed = await customerWhatsApps(server, poor, outside.phone!, 30, 'Hello from yesterday');
  assert.deepEqual(await runReply(server, model, poor.id, closed, cfg), { outcome: 'answered', action: 'canned', compose: 'suppressed' });
  const sent = await server.db.selectFrom('messages').select('id').where('conversation_id', '=', closed).where('direction', '=', 'outbound').execute();
  assert.equal(sent.length, 0, 'silent inbox routing: no reply, no bridge');

  const res = await fetch(`${server.baseUrl}/v1/ai/credits/top-ups`, { method: 'POST', headers: { authorization: `Bearer ${poor.apiToken}`, 'content-type': 'application/json' }, body: json({ credits: 50, requestId: 'topup-1' }) });
  assert.equal(res.status, 201, await res.clone().text());
  await fetch(`${server.baseUrl}/v1/ai/credits/top-ups`, { method: 'POST', headers: { authorization: `Bearer ${poor.apiToken}`, 'content-type': 'application/json' }, body: json({ credits: 50, requestId: 'topup-1' }) });
  assert.equal(await flags(), false, 'topped up: degradation left');
  const topUps = (await ledger(server, poor.id)).filter((e) => e.kind === 'top_up');
  assert.equal(topUps.length, 1, 'the same top-up request twice credits once');
  const status = await fetch(`${server.baseUrl}/v1/ai/status`, { headers: { authorization: `Bearer ${poor.apiToken}` } }).then((r) => r.json()) as { creditExhausted: boolean; creditsLeft: number };
  assert.deepEqual([status.creditExhausted, status.creditsLeft], [false, 49]);
});

test('AI off: webhooks queue no reply job', async () => {
  const off = await createOrg(server.db);
  const c = await createCustomer(server.db, off.id);
  await customerWhatsApps(server, off, c.phone!, 1, 'hi');
  const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'ai-reply' AND data->>'orgId' = ${off.id}`.execute(server.db);
  assert.equal(jobs.rows[0]!.n, 0);
});
