/**
 * WhatsApp Cloud API send adapter: `POST {baseUrl}/{apiVersion}/{phoneNumberId}/messages`,
 * JSON, `Authorization: Bearer` (provider-protocols.md §8).
 */
import { ProviderError, type ChannelAdapter, type OutboundRequest, type SendResult } from '../contract.js';
import { isRecord } from '../http-call.js';
import { graphPost, graphUrl } from './graph-request.js';
import { messageBody } from './whatsapp-payload.js';

export type WhatsAppCloudConfig = {
  /** Graph API base URL, e.g. `https://graph.facebook.com`. */
  baseUrl: string;
  /** e.g. `v21.0`. */
  apiVersion: string;
  /** The business phone number id (not the number itself). */
  phoneNumberId: string;
  /** System-user or app access token (secret). */
  accessToken: string;
  /** Budget of one API call in milliseconds. */
  timeoutMs: number;
};

/** `messages[0].message_status` values meaning Meta holds the template send rather than sending it now. */
const HELD_STATUSES = new Set(['held_for_quality_assessment', 'paused']);

/**
 * Build the WhatsApp Cloud API adapter (provider `whatsapp`).
 *
 * `send` sends text, or a template with named body parameters when
 * `request.template` is set (`request.body` is then only kept for the thread).
 * @returns an adapter whose `send` resolves to `{ providerMessageId: 'wamid.…', status: 'sent' }`
 *   (`pending` when Meta answers `held_for_quality_assessment` or `paused`) and rejects with
 *   ProviderError classified by code (see `graph-errors.ts`): e.g. 131047 `permanent`,
 *   130429 `retryable`, 190 `bad_credentials`; network errors and timeouts `retryable`
 */
export function createWhatsAppCloudAdapter(config: WhatsAppCloudConfig): ChannelAdapter {
  const url = graphUrl(config.baseUrl, config.apiVersion, config.phoneNumberId, 'messages');
  return {
    provider: 'whatsapp',
    async send(request: OutboundRequest): Promise<SendResult> {
      const json = await graphPost({ url, accessToken: config.accessToken, body: messageBody(request), timeoutMs: config.timeoutMs });
      return toSendResult(json);
    },
  };
}

/**
 * @throws ProviderError `permanent` when a 2xx reply has no `messages[0].id`:
 *   Meta accepted the request, so retrying could send twice
 */
function toSendResult(json: unknown): SendResult {
  const first = isRecord(json) && Array.isArray(json.messages) ? (json.messages[0] as unknown) : undefined;
  if (!isRecord(first) || typeof first.id !== 'string' || first.id === '') {
    throw new ProviderError('permanent', 'WhatsApp accepted the request but returned no message id');
  }
  const held = typeof first.message_status === 'string' && HELD_STATUSES.has(first.message_status);
  return { providerMessageId: first.id, status: held ? 'pending' : 'sent' };
}
