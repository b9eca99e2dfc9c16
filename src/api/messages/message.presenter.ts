/**
 * The one presentation of a message for the API (timestamps ISO-8601 UTC;
 * `cost` an exact decimal string in major units of `costCurrency`).
 */
import type { Message } from '../../db/schema.js';
import { iso, type MessageView } from '../conversations/conversation.presenter.js';

export function presentMessage(m: Message): MessageView {
  return {
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
    provider: m.provider,
    providerMessageId: m.provider_message_id,
    cost: m.cost,
    costCurrency: m.cost_currency,
    aiGenerated: m.ai_generated,
    senderUserId: m.sender_user_id,
    notificationType: m.notification_type,
    occurredAt: m.occurred_at.toISOString(),
    createdAt: m.created_at.toISOString(),
    readAt: iso(m.read_at),
  };
}
