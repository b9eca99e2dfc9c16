/**
 * The one presentation of a message for the API (timestamps ISO-8601 UTC;
 * `cost` an exact decimal string in major units of `costCurrency`).
 * `providerMessageId` and `providerErrorText` embed or quote contact
 * details: null for viewers without `customers.contact.view`
 * (src/auth/redaction.ts).
 */
import type { Message } from '../../db/schema.js';
import { redactContact } from '../../auth/redaction.js';
import { iso, type MessageView } from '../conversations/conversation.presenter.js';

/** @param contactVisible whether the viewer holds `customers.contact.view` (`canSeeContact`) */
export function presentMessage(m: Message, contactVisible: boolean): MessageView {
  return redactContact<MessageView>({
    id: m.id,
    conversationId: m.conversation_id,
    direction: m.direction,
    channel: m.channel,
    contentType: m.content_type,
    body: m.body,
    media: m.media,
    status: m.status,
    failureReason: m.failure_reason,
    providerErrorCode: m.provider_error_code,
    providerErrorText: m.provider_error_text,
    provider: m.provider,
    providerMessageId: m.provider_message_id,
    cost: m.cost,
    costCurrency: m.cost_currency,
    aiGenerated: m.ai_generated,
    senderUserId: m.sender_user_id,
    senderTokenId: m.sender_token_id,
    notificationType: m.notification_type,
    occurredAt: m.occurred_at.toISOString(),
    createdAt: m.created_at.toISOString(),
    readAt: iso(m.read_at),
  }, contactVisible);
}
