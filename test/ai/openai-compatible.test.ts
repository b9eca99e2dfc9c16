/**
 * The OpenAI-compatible driver against a local fake server with recorded
 * answers: strict JSON, JSON inside prose, malformed JSON, plain prose, a
 * server without JSON mode, 429 with Retry-After, a timeout, a bad key.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openAiCompatibleDriver } from '../../src/ai/openai-compatible.js';
import { AiProviderError } from '../../src/ai/driver.js';
import type { AiPrompt } from '../../src/domain/ai-context.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-providers/openai.js';

let model: FakeOpenAi;
before(async () => { model = await startFakeOpenAi(); });
after(() => model.close());

const prompt: AiPrompt = { system: 'You are the receptionist of Acme Motors, a car repair garage.', lines: ['[WhatsApp] Garage: Go ahead with the pads?', '[SMS] Customer: yes'], dropped: 0, historyTokens: 20 };
const driver = (over: { timeoutMs?: number; maxRetries?: number } = {}) =>
  openAiCompatibleDriver({ baseUrl: `${model.baseUrl}/v1`, model: 'llama3.1:8b', apiKey: '', timeoutMs: over.timeoutMs ?? 2_000, maxRetries: over.maxRetries ?? 2 });

test('sends the model, the system prompt and the tagged history, asks for JSON, and reads a structured answer with usage', async () => {
  const before = model.requests.length;
  model.respondWith({ kind: 'answer', content: '{"reply":"Great, we will fit the pads today.","action":"reply","category":"general"}', promptTokens: 210, completionTokens: 14 });
  const r = await driver().answer(prompt);
  assert.deepEqual(r, { reply: 'Great, we will fit the pads today.', action: 'reply', category: 'general', handoffReason: null, usage: { promptTokens: 210, completionTokens: 14 } });
  const req = model.requests[before]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/v1/chat/completions');
  assert.equal(req.body?.model, 'llama3.1:8b');
  assert.deepEqual(req.body?.response_format, { type: 'json_object' });
  assert.equal(req.body?.messages?.[0]?.role, 'system');
  assert.match(req.body!.messages![0]!.content, /Acme Motors/);
  assert.match(req.body!.messages![1]!.content, /\[WhatsApp\] Garage: Go ahead with the pads\?\n\[SMS\] Customer: yes$/);
  assert.equal(req.headers.authorization, 'Bearer not-needed', 'local servers get a placeholder key');
});

test('JSON wrapped in prose or a code fence is read; a handoff without a reason is "unsure"', async () => {
  model.respondWith({ kind: 'answer', content: 'Sure! Here is my answer:\n```json\n{"reply": "Booked {provisionally}", "action": "reply", "category": "booking"}\n```' });
  assert.equal((await driver().answer(prompt)).reply, 'Booked {provisionally}');
  model.respondWith({ kind: 'answer', content: '{"reply":"","action":"handoff","category":"general"}' });
  const h = await driver().answer(prompt);
  assert.equal(h.action, 'handoff');
  assert.equal(h.handoffReason, 'unsure');
});

test('malformed JSON is never sent to a customer: it becomes a handoff "unsure"', async () => {
  for (const content of ['{"reply": "Hi there, your car', '{"reply": 42, "action": "reply"}', '{"reply":"x","action":"dance"}', '']) {
    model.respondWith({ kind: 'answer', content });
    const r = await driver().answer(prompt);
    assert.deepEqual([r.action, r.handoffReason, r.reply], ['handoff', 'unsure', ''], content);
  }
});

test('plain prose from a server without JSON mode is taken as the reply', async () => {
  model.respondWith({ kind: 'answer', content: 'Thanks Sam, we will crack on with the pads.' });
  const r = await driver().answer(prompt);
  assert.deepEqual([r.action, r.reply, r.category], ['reply', 'Thanks Sam, we will crack on with the pads.', null]);
});

test('a server that refuses response_format is asked again without it, and not asked with it again', async () => {
  const d = driver();
  const start = model.requests.length;
  model.respondWith((req) => ({ kind: 'no_json_mode', content: '{"reply":"ok then","action":"reply","category":"general"}' }));
  try {
    assert.equal((await d.answer(prompt)).reply, 'ok then');
    assert.equal((await d.answer(prompt)).reply, 'ok then');
    const sent = model.requests.slice(start).map((r) => Boolean(r.body?.response_format));
    assert.deepEqual(sent, [true, false, false]);
  } finally {
    model.respondWith(() => ({ kind: 'answer', content: '{"reply":"Thanks, we will be in touch.","action":"reply","category":"general"}' }));
  }
});

test('429 is retried after Retry-After; when retries run out the error is retryable', async () => {
  model.respondWith([{ kind: 'rate_limited', retryAfterSeconds: 0 }, { kind: 'answer', content: '{"reply":"Back again","action":"reply","category":"general"}' }]);
  assert.equal((await driver().answer(prompt)).reply, 'Back again');
  model.respondWith([{ kind: 'rate_limited' }, { kind: 'rate_limited' }]);
  await assert.rejects(driver({ maxRetries: 1 }).answer(prompt), (e: unknown) => e instanceof AiProviderError && e.retryable && e.status === 429);
});

test('a model that never answers times out as a retryable error', async () => {
  model.respondWith({ kind: 'hang' });
  await assert.rejects(driver({ timeoutMs: 300, maxRetries: 0 }).answer(prompt), (e: unknown) => e instanceof AiProviderError && e.retryable && /timed out/.test(e.message));
});

test('a bad key (401) or unknown model (404) is not retryable', async () => {
  model.respondWith({ kind: 'error', status: 401, message: 'Incorrect API key provided' });
  await assert.rejects(driver().answer(prompt), (e: unknown) => e instanceof AiProviderError && !e.retryable && e.status === 401);
  model.respondWith({ kind: 'error', status: 404, message: 'model "nope" not found' });
  await assert.rejects(driver().answer(prompt), (e: unknown) => e instanceof AiProviderError && !e.retryable && e.status === 404);
});
