/**
 * Sandbox adapter (provider `sandbox`) for `OUTBOUND_PROVIDERS=sandbox`:
 * accepts every message without calling anyone. The delivery worker then
 * plays back the statuses from `sandboxPlayback` (re-exported here).
 */
import { randomUUID } from 'node:crypto';
import type { ChannelAdapter, SendResult } from '../contract.js';

export { sandboxPlayback, SANDBOX_FAILING_SUFFIX, type SandboxChannel, type SandboxEvent } from './sandbox-playback.js';

/**
 * Build the sandbox adapter.
 * @returns an adapter whose `send` resolves at once to
 *   `{ providerMessageId: 'sandbox-<uuid v4>', status: 'sent' }` and never throws
 */
export function createSandboxAdapter(): ChannelAdapter {
  return {
    provider: 'sandbox',
    async send(): Promise<SendResult> {
      return { providerMessageId: `sandbox-${randomUUID()}`, status: 'sent' };
    },
  };
}
