/** The model driver chosen by configuration (`AI_PROVIDER`). */
import type { Config } from '../config.js';
import type { AiDriver } from './driver.js';
import { openAiCompatibleDriver } from './openai-compatible.js';
import { sandboxDriver } from './sandbox.js';

export function aiDriverFor(config: Config): AiDriver {
  if (config.AI_PROVIDER === 'openai-compatible') {
    return openAiCompatibleDriver({ baseUrl: config.AI_BASE_URL, model: config.AI_MODEL, apiKey: config.AI_API_KEY, timeoutMs: config.AI_TIMEOUT_MS, maxRetries: config.AI_MAX_RETRIES });
  }
  return sandboxDriver();
}
