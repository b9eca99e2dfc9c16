/**
 * A fake OpenAI-compatible chat completions server (provider-protocols.md
 * §11e): `POST /v1/chat/completions` answers in OpenAI's shape
 * `{id, object: "chat.completion", created, model, choices: [{index, message: {role, content}, finish_reason}], usage}`;
 * errors as `{"error": {message, type, code}}` (OpenAI's and Ollama's shape).
 * Recorded answers include a model that wraps JSON in prose, malformed JSON,
 * a 429 with Retry-After, a server without JSON mode, and a hang (timeout).
 *
 * @example
 * const model = await startFakeOpenAi();
 * model.respondWith({ kind: 'answer', content: '{"reply":"Hi","action":"reply","category":"general"}' });
 */
import { startHttpFake, type CommonScript, type FakeHttpProvider, type HttpAnswer } from './http-fake.js';

export type ChatRequestBody = { model?: string; messages?: { role: string; content: string }[]; response_format?: { type: string } } | null;

export type OpenAiScript =
  | CommonScript
  /** A completion with `content`; usage defaults to 120 prompt + 30 completion tokens. */
  | { kind: 'answer'; content: string; promptTokens?: number; completionTokens?: number; delayMs?: number }
  /** 429 Too Many Requests with `Retry-After` seconds. */
  | { kind: 'rate_limited'; retryAfterSeconds?: number }
  /** An OpenAI-style error. */
  | { kind: 'error'; status: number; message?: string }
  /** A server without JSON mode: 400 when `response_format` is sent, else the answer. */
  | { kind: 'no_json_mode'; content: string };

export type FakeOpenAi = FakeHttpProvider<ChatRequestBody, OpenAiScript>;

function completion(content: string, promptTokens = 120, completionTokens = 30): unknown {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

function error(status: number, message: string, type: string): HttpAnswer {
  return { status, json: { error: { message, type, code: null } } };
}

export function startFakeOpenAi(): Promise<FakeOpenAi> {
  return startHttpFake<ChatRequestBody, OpenAiScript>({
    parseBody: (raw) => {
      try {
        return JSON.parse(raw) as ChatRequestBody;
      } catch {
        return null;
      }
    },
    defaultScript: () => ({ kind: 'answer', content: '{"reply":"Thanks, we will be in touch.","action":"reply","category":"general"}' }),
    render: (script, request) => {
      if (request.path !== '/v1/chat/completions') return error(404, `Unknown path ${request.path}`, 'invalid_request_error');
      switch (script.kind) {
        case 'answer': return { status: 200, json: completion(script.content, script.promptTokens, script.completionTokens), ...(script.delayMs ? { delayMs: script.delayMs } : {}) };
        case 'rate_limited': return { ...error(429, 'Rate limit reached for requests', 'requests'), headers: { 'retry-after': String(script.retryAfterSeconds ?? 0) } };
        case 'error': return error(script.status, script.message ?? 'error', 'server_error');
        case 'no_json_mode':
          return request.body?.response_format
            ? error(400, "Unrecognized request argument supplied: response_format", 'invalid_request_error')
            : { status: 200, json: completion(script.content) };
      }
    },
  });
}
