/**
 * Portal "delivery": the customer reads the conversation in the portal, and
 * the message is already stored there, so sending is only an acknowledgement.
 */
import type { ChannelAdapter, OutboundRequest, SendResult } from '../contract.js';

/**
 * Build the portal adapter (provider `portal`).
 * @returns an adapter whose `send` resolves at once to
 *   `{ providerMessageId: 'portal:<messageId>', status: 'delivered' }` and never throws
 */
export function createPortalAdapter(): ChannelAdapter {
  return {
    provider: 'portal',
    async send(request: OutboundRequest): Promise<SendResult> {
      return { providerMessageId: `portal:${request.messageId}`, status: 'delivered' };
    },
  };
}
