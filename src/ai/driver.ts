/**
 * The AI receptionist's model driver contract: one request (the prompt the
 * context builder made) in, one structured answer out. Drivers are chosen by
 * configuration (`AI_PROVIDER`, src/ai/registry.ts): `sandbox` (deterministic,
 * local) or `openai-compatible` (OpenAI, Ollama, vLLM, llama.cpp's server).
 */
import type { AiPrompt } from '../domain/ai-context.js';
import type { AiAnswer } from './structured-output.js';

export type AiUsage = { promptTokens: number; completionTokens: number };

export type AiResult = AiAnswer & { usage: AiUsage };

/**
 * A model request that did not produce an answer.
 * `retryable`: a timeout, connection error, 429 or 5xx after the driver's own
 * retries — the reply job is retried later; otherwise (bad key, unknown model)
 * retrying cannot help and the conversation is handed to staff.
 */
export class AiProviderError extends Error {
  override name = 'AiProviderError';
  constructor(message: string, readonly retryable: boolean, readonly status: number | null = null) {
    super(message);
  }
}

export type AiDriver = {
  readonly name: 'sandbox' | 'openai-compatible';
  /**
   * Answer the customer.
   * @throws AiProviderError when the model gives no usable answer
   */
  answer(prompt: AiPrompt): Promise<AiResult>;
};
