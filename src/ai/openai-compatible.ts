/**
 * The OpenAI-compatible model driver (`AI_PROVIDER=openai-compatible`): the
 * official `openai` client against `AI_BASE_URL` — OpenAI itself, Ollama
 * (`http://127.0.0.1:11434/v1`), vLLM or llama.cpp's `llama-server` — all of
 * which serve `POST {base}/chat/completions`
 * (reference: provider-protocols.md, "OpenAI-compatible chat completions").
 *
 * - Structured output: asks for `response_format: {type: "json_object"}`;
 *   a server that refuses the field (400/422) is asked again without it,
 *   once per driver instance, and the answer is read tolerantly
 *   (src/ai/structured-output.ts).
 * - Timeouts and retries: `AI_TIMEOUT_MS` per attempt; the client retries
 *   connection errors, timeouts, 408/409/429 and 5xx `AI_MAX_RETRIES` times
 *   with backoff, honouring `Retry-After`. What is left is thrown as a
 *   retryable AiProviderError (the reply job is retried later); 401/403/404
 *   and other 4xx are not retryable.
 */
import OpenAI from 'openai';
import type { AiPrompt } from '../domain/ai-context.js';
import { AiProviderError, type AiDriver, type AiResult } from './driver.js';
import { ANSWER_FORMAT, readAnswer } from './structured-output.js';

export type OpenAiCompatibleOptions = { baseUrl: string; model: string; apiKey: string; timeoutMs: number; maxRetries: number };

/** The chat messages for one prompt: instructions + garage facts, then the tagged history. */
export function chatMessages(prompt: AiPrompt): OpenAI.Chat.Completions.ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: `${prompt.system}\nAnswer with one JSON object only: ${ANSWER_FORMAT}` },
    { role: 'user', content: `Conversation so far (oldest first):\n${prompt.lines.join('\n')}` },
  ];
}

function providerError(err: unknown): AiProviderError {
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new AiProviderError('model request timed out', true);
  if (err instanceof OpenAI.APIConnectionError) return new AiProviderError('model server unreachable', true);
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? null;
    const retryable = status === null || status === 408 || status === 409 || status === 429 || status >= 500;
    return new AiProviderError(`model server answered ${status ?? 'an error'}`, retryable, status);
  }
  return new AiProviderError(err instanceof Error ? err.message : String(err), true);
}

export function openAiCompatibleDriver(options: OpenAiCompatibleOptions): AiDriver {
  const client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey || 'not-needed', timeout: options.timeoutMs, maxRetries: options.maxRetries });
  let jsonMode = true;

  async function complete(prompt: AiPrompt) {
    const request = { model: options.model, messages: chatMessages(prompt), temperature: 0 };
    if (jsonMode) {
      try {
        return await client.chat.completions.create({ ...request, response_format: { type: 'json_object' } });
      } catch (err) {
        if (!(err instanceof OpenAI.APIError) || (err.status !== 400 && err.status !== 422)) throw err;
        jsonMode = false;
      }
    }
    return client.chat.completions.create(request);
  }

  return {
    name: 'openai-compatible',
    async answer(prompt): Promise<AiResult> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await complete(prompt);
      } catch (err) {
        throw providerError(err);
      }
      const content = completion.choices?.[0]?.message?.content ?? '';
      return {
        ...readAnswer(content),
        usage: { promptTokens: completion.usage?.prompt_tokens ?? 0, completionTokens: completion.usage?.completion_tokens ?? 0 },
      };
    },
  };
}
